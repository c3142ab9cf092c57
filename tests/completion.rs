//! Shell completions in a real bash (`complete -p`, then the registered function as bash
//! calls it on TAB), kubectl's own plugin completion through the real `kubectl __complete`
//! and the `kubectl_complete-lbgen` helper, and every man page read by the real `man -l`.

mod common;

use std::path::Path;
use std::process::Command;

/// PATH with the binary under test first, as an installed kubectl-lbgen.
fn path_with_binary() -> String {
    let bin = common::binary();
    let dir = bin.parent().expect("dir");
    format!("{}:/usr/local/bin:/usr/bin:/bin", dir.display())
}

/// What bash offers for the words of `line` (the last word being completed, maybe empty),
/// with the script `completion bash` prints loaded in a real bash.
fn bash_candidates(line: &[&str]) -> Vec<String> {
    let words = line
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let script = format!(
        r#"set -e
source <(kubectl-lbgen completion bash)
spec=$(complete -p kubectl-lbgen)
fn=$(printf '%s' "$spec" | sed 's/.* -F \([^ ]*\) .*/\1/')
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE="${{COMP_WORDS[*]}}"
COMP_POINT=${{#COMP_LINE}}
prev=""; [ "$COMP_CWORD" -gt 0 ] && prev=${{COMP_WORDS[COMP_CWORD-1]}}
"$fn" kubectl-lbgen "${{COMP_WORDS[COMP_CWORD]}}" "$prev"
printf '%s\n' "${{COMPREPLY[@]}}"
"#
    );
    let out = Command::new("bash")
        .args(["-c", &script])
        .env("PATH", path_with_binary())
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_registers_the_binary_and_completes_past_the_first_word() {
    let out = Command::new("bash")
        .args([
            "-c",
            "source <(kubectl-lbgen completion bash) && complete -p kubectl-lbgen",
        ])
        .env("PATH", path_with_binary())
        .output()
        .expect("bash");
    let spec = String::from_utf8_lossy(&out.stdout);
    assert!(
        spec.contains(" -F ") && spec.trim_end().ends_with("kubectl-lbgen"),
        "{spec}"
    );

    assert_eq!(bash_candidates(&["kubectl-lbgen", "ren"]), ["render"]);
    assert_eq!(
        bash_candidates(&["kubectl-lbgen", "render", "--pro"]),
        ["--provider"]
    );
    assert_eq!(
        bash_candidates(&["kubectl-lbgen", "render", "--provider", ""]),
        ["huawei", "alibaba", "tencent"],
        "a flag's values, not file names"
    );
    assert_eq!(
        bash_candidates(&["kubectl-lbgen", "cmp", "gen"]),
        ["generate"],
        "nested subcommands"
    );
}

#[test]
fn other_shells_get_a_script_that_names_the_binary() {
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = Command::new(common::binary())
            .args(["completion", shell])
            .output()
            .expect("run");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success()
                && text.contains("kubectl-lbgen")
                && text.contains("LBGEN_COMPLETE"),
            "{shell}: {text}"
        );
    }
}

/// kubectl's completion of `kubectl lbgen <words>` with the helper from
/// `completion kubectl` installed as `kubectl_complete-lbgen` in `dir`.
fn kubectl_candidates(dir: &Path, words: &[&str]) -> Vec<String> {
    let out = Command::new("kubectl")
        .arg("__complete")
        .arg("lbgen")
        .args(words)
        .env("PATH", format!("{}:{}", dir.display(), path_with_binary()))
        .env("KUBECONFIG", dir.join("no-kubeconfig"))
        .output()
        .expect("kubectl is installed");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(
        lines.pop().as_deref(),
        Some(":4"),
        "cobra's directive line comes last (no file completion): {text}"
    );
    lines
        .into_iter()
        .map(|l| l.split('\t').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn kubectl_plugin_completion_uses_the_helper() {
    let dir = tempfile::tempdir().expect("tempdir");
    let helper = dir.path().join("kubectl_complete-lbgen");
    let out = Command::new(common::binary())
        .args(["completion", "kubectl"])
        .output()
        .expect("run");
    assert!(out.status.success());
    std::fs::write(&helper, &out.stdout).expect("write");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    assert!(kubectl_candidates(dir.path(), &["re"]).contains(&"render".to_string()));
    assert_eq!(
        kubectl_candidates(dir.path(), &["render", "--pro"]),
        ["--provider"]
    );
    assert_eq!(
        kubectl_candidates(dir.path(), &["validate", "--provider", ""]),
        ["huawei", "alibaba", "tencent"]
    );
}

#[test]
fn every_man_page_the_top_page_names_is_generated_and_reads_in_man() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(common::binary())
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let top = Command::new(common::binary())
        .arg("man")
        .output()
        .expect("run");
    let top = String::from_utf8_lossy(&top.stdout).replace("\\-", "-");
    assert!(top.contains(".TH kubectl-lbgen 1"), "{top}");
    let named: Vec<&str> = top
        .lines()
        .filter(|l| l.starts_with("kubectl-lbgen-") && l.ends_with("(1)"))
        .map(|l| l.trim_end_matches("(1)"))
        .collect();
    assert!(named.contains(&"kubectl-lbgen-render"), "{top}");
    for page in named.iter().copied().chain(["kubectl-lbgen"]) {
        let file = dir.path().join(format!("{page}.1"));
        assert!(
            file.is_file(),
            "the top page names {page}(1), which must exist"
        );
        let shown = Command::new("man")
            .arg("-l")
            .arg(&file)
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
            .expect("man is installed");
        let text = String::from_utf8_lossy(&shown.stdout);
        assert!(
            shown.status.success() && text.contains("NAME") && text.contains(page),
            "{page}: {text}"
        );
    }
    let render = std::fs::read_to_string(dir.path().join("kubectl-lbgen-render.1")).expect("page");
    assert!(
        render.contains("provider"),
        "subcommand pages list their flags"
    );
}

#[test]
fn man_pages_into_a_directory_that_cannot_be_written_is_exit_2_with_the_fix() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A file where the directory should be: no user (root included) can write into it.
    let blocked = dir.path().join("not-a-dir");
    std::fs::write(&blocked, "").expect("write");
    let out = Command::new(common::binary())
        .args(["man", "--dir"])
        .arg(&blocked)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot write the man pages into") && err.contains("not-a-dir"),
        "{err}"
    );
}
