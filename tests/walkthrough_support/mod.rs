//! What tests/walkthrough.rs needs to run docs/walkthrough.md as printed: the steps read
//! from the markdown, the throwaway machine (`$HOME`, a bash like the user's terminal, the
//! clone served from the tree under test), the fake cluster, and the contract checks of
//! the steps no real client runs here (the README's blocks, the Argo CD plugin's commands,
//! the CI files' commands).
#![allow(dead_code, unreachable_pub)]

use super::{common, diff_support, fake_api};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `(step name, block)` for every `sh` block of the walkthrough; each must follow a
/// `<!-- step: NAME -->` line.
pub fn steps(doc: &str) -> Vec<(String, String)> {
    let mut steps = Vec::new();
    let mut name: Option<String> = None;
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("<!-- step: ") {
            name = Some(rest.trim_end_matches(" -->").trim().to_string());
        } else if line == "```sh" {
            let step = name
                .take()
                .expect("every sh block follows a <!-- step: NAME --> line");
            let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            steps.push((step, block.join("\n") + "\n"));
        } else if !line.trim().is_empty() {
            name = None;
        }
    }
    steps
}

/// The throwaway machine: `$HOME`, the git configuration that serves the clone locally,
/// and the environment a user's terminal would have.
pub struct Machine {
    home: tempfile::TempDir,
    _source: tempfile::TempDir,
    /// The URL the walkthrough clones (the one the CI files install from).
    pub clone_url: String,
}

impl Machine {
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    pub fn demo(&self) -> PathBuf {
        self.home().join("lbgen-demo")
    }

    /// PATH as after `export PATH="$HOME/.cargo/bin:$PATH"`, then the test's own (kubectl,
    /// kpt, pre-commit, cargo).
    /// A directory that already holds a `kubectl-lbgen` (an earlier `cargo install`) is
    /// left out, so the one found is the binary under test.
    pub fn path(&self) -> String {
        let inherited = std::env::var("PATH").unwrap_or_default();
        let others = inherited
            .split(':')
            .filter(|dir| !Path::new(dir).join("kubectl-lbgen").exists());
        std::iter::once(self.home().join(".cargo/bin").display().to_string())
            .chain(others.map(str::to_string))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// A bash like the user's terminal (no profile, `$HOME` the throwaway one, going on
    /// after a failing command, as a terminal does) with `pipefail`, and an ERR trap that
    /// names every command that failed on stderr ([`FAILED`]), for [`assert_ran`].
    pub fn bash(&self, script: &str, dir: &Path) -> Output {
        let traced = format!("trap 'echo \"{FAILED}$BASH_COMMAND (exit $?)\" >&2' ERR\n{script}");
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-o", "pipefail", "-c", &traced])
            .current_dir(dir)
            .env_clear()
            .env("HOME", self.home())
            .env("PATH", self.path())
            .env("NO_COLOR", "1")
            .env("TERM", "dumb")
            .env("LANG", "C.UTF-8")
            .env("GIT_CONFIG_NOSYSTEM", "1");
        // Toolchain managers find their state through $HOME unless told: keep the real one.
        let real_home = std::env::var_os("HOME").map(PathBuf::from);
        for (variable, default) in [("RUSTUP_HOME", ".rustup"), ("PYENV_ROOT", ".pyenv")] {
            let value = std::env::var_os(variable)
                .map(PathBuf::from)
                .or_else(|| real_home.as_ref().map(|h| h.join(default)));
            if let Some(value) = value.filter(|v| v.exists()) {
                command.env(variable, value);
            }
        }
        command.output().expect("bash runs")
    }
}

/// A git repository holding the tree under test as a fresh clone would see it (tracked
/// and new, not ignored, files), one commit.
pub fn source_repository() -> tempfile::TempDir {
    let root = common::root();
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(&root)
        .output()
        .expect("git ls-files");
    assert!(
        listed.status.success(),
        "the tree under test is a git checkout"
    );
    let source = tempfile::tempdir().expect("tempdir");
    for file in listed.stdout.split(|b| *b == 0).filter(|f| !f.is_empty()) {
        let relative = String::from_utf8_lossy(file).into_owned();
        let from = root.join(&relative);
        if !from.is_file() {
            continue; // deleted in the work tree
        }
        let to = source.path().join(&relative);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&from, &to).expect("copy");
    }
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.email=ci@example.com", "-c", "user.name=ci"])
            .args(["-c", "init.defaultBranch=main"])
            .args(args)
            .current_dir(source.path())
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "the tree under test"]);
    source
}

pub fn machine(clone_block: &str) -> Machine {
    let clone_url = clone_block
        .split_whitespace()
        .skip_while(|w| *w != "clone")
        .nth(1)
        .expect("git clone URL")
        .to_string();
    let source = source_repository();
    let home = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        home.path().join(".gitconfig"),
        format!(
            "[url \"file://{}\"]\n\tinsteadOf = {clone_url}\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
            source.path().display()
        ),
    )
    .expect("write .gitconfig");
    Machine {
        home,
        _source: source,
        clone_url,
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The lines of a block that are commands (no `cd`, no comments).
pub fn commands(block: &str) -> Vec<&str> {
    block
        .lines()
        .map(|l| l.split(" #").next().unwrap_or(l).trim())
        .filter(|l| !l.is_empty() && !l.starts_with("cd "))
        .collect()
}

/// The fake cluster: the demo's Service as the API server would hold it, with another
/// algorithm (an in-place change), and `~/.kube/config` pointing at it.
pub fn cluster(machine: &Machine) -> fake_api::FakeApi {
    let example =
        std::fs::read_to_string(common::root().join("examples/huawei/service-existing-lb.yaml"))
            .expect("example");
    let mut live = diff_support::as_live(diff_support::rendered(&example).remove(0));
    diff_support::set_annotation(
        &mut live,
        "kubernetes.io/elb.lb-algorithm",
        "LEAST_CONNECTIONS",
    );
    let api = fake_api::FakeApi::start(vec![live], Vec::new());
    let kube = machine.home().join(".kube");
    std::fs::create_dir_all(&kube).expect("mkdir");
    std::fs::write(
        kube.join("config"),
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: walkthrough\nclusters:\n- name: fake\n  cluster: {{server: '{}'}}\nusers:\n- name: dev\n  user: {{token: t0ken}}\ncontexts:\n- name: walkthrough\n  context: {{cluster: fake, user: dev, namespace: default}}\n",
            api.url
        ),
    )
    .expect("write kubeconfig");
    api
}

/// What the ERR trap writes before a command that failed.
pub const FAILED: &str = "walkthrough: failed: ";

/// The block ended well and no command in it failed, except those the walkthrough expects
/// to (`diff` exits 1 on a difference, and the block prints its exit code).
pub fn assert_ran(step: &str, out: &Output) {
    let stderr = text(&out.stderr);
    let unexpected: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix(FAILED))
        .filter(|command| !(step == "cluster" && command.starts_with("kubectl lbgen diff ")))
        .collect();
    assert!(
        unexpected.is_empty(),
        "step {step}: {unexpected:?} failed\nstdout:\n{}\nstderr:\n{stderr}",
        text(&out.stdout)
    );
    assert!(
        out.status.success(),
        "step {step} failed ({:?})\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// The first fenced `lang` block after `heading` in README.md.
pub fn readme_block(heading: &str, lang: &str) -> String {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README");
    let after = readme.split_once(heading).expect("README section").1;
    let block = after
        .split_once(&format!("```{lang}\n"))
        .expect("a fenced block")
        .1;
    block
        .split_once("```")
        .expect("the block ends")
        .0
        .to_string()
}

/// The `command` list of deploy/argocd/plugin.yaml's `step` (`discover` or `generate`).
pub fn plugin_command(step: &str) -> String {
    let text = std::fs::read_to_string(common::root().join("deploy/argocd/plugin.yaml"))
        .expect("plugin.yaml");
    let plugin: serde_json::Value = serde_saphyr::from_str(&text).expect("yaml");
    let command = if step == "generate" {
        &plugin["spec"]["generate"]["command"]
    } else {
        &plugin["spec"]["discover"]["find"]["command"]
    };
    let words: Vec<&str> = command
        .as_array()
        .expect("command")
        .iter()
        .map(|w| w.as_str().expect("word"))
        .collect();
    words.join(" ")
}

/// Runs each `kubectl-lbgen` command of the CI files in the demo, as their runners would
/// (GitHub: each `run:` under `bash -eo pipefail`; GitLab: each script line), except the
/// `cargo install` (checked for `--locked`) and GitHub's diff step (it needs the secret).
pub fn run_ci_files(machine: &Machine) {
    let root = common::root();
    let github: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root.join("deploy/ci/github-actions.yml")).expect("workflow"),
    )
    .expect("yaml");
    let gitlab: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root.join("deploy/ci/gitlab-ci.yml")).expect("gitlab-ci"),
    )
    .expect("yaml");
    let mut scripts: Vec<String> = github["jobs"]["lbgen"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter(|s| s["if"].is_null())
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .collect();
    scripts.extend(
        gitlab["lbgen"]["script"]
            .as_array()
            .expect("script")
            .iter()
            .map(|l| l.as_str().expect("line").to_string()),
    );
    let mut ran = 0;
    for script in scripts {
        if script.contains("cargo install") {
            assert!(script.contains("--locked"), "{script}");
            continue;
        }
        let out = machine.bash(&format!("set -e\n{script}"), &machine.demo());
        assert_ran(&format!("ci file command `{script}`"), &out);
        ran += usize::from(script.contains("kubectl-lbgen"));
    }
    assert!(ran >= 4, "the CI files' lbgen commands ran: {ran}");
}

/// Runs every `kubectl-lbgen` command of docs/ci.md's pipeline snippets (`- run: ...` and
/// GitLab `script:` lines) in the demo, against the walkthrough's cluster: each must exit 0
/// there (the cluster's one difference is in place, below `--fail-on recreate`), and each
/// report it writes to a file must be one.
pub fn run_ci_doc_snippets(machine: &Machine) {
    let doc = std::fs::read_to_string(common::root().join("docs/ci.md")).expect("docs/ci.md");
    let mut ran = 0;
    for block in doc.split("```yaml\n").skip(1) {
        let block = block.split_once("```").expect("the block ends").0;
        for line in block.lines().map(str::trim) {
            let Some(command) = line
                .strip_prefix("- run: ")
                .or_else(|| line.strip_prefix("- "))
                .filter(|c| c.starts_with("kubectl-lbgen "))
            else {
                continue;
            };
            let out = machine.bash(&format!("set -e\n{command}"), &machine.demo());
            assert_ran(&format!("docs/ci.md `{command}`"), &out);
            if let Some((_, file)) = command.split_once(" > ") {
                let report = std::fs::read_to_string(machine.demo().join(file)).expect(file);
                if file.ends_with(".json") {
                    serde_json::from_str::<serde_json::Value>(&report).expect("a JSON report");
                } else {
                    assert!(report.contains("<testsuites"), "{report}");
                }
            }
            ran += 1;
        }
    }
    assert!(ran >= 4, "docs/ci.md's commands ran: {ran}");
}
