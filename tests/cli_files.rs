//! Behaviour through the binary that trycmd cannot express: files written by --out-dir,
//! template overrides, and dispatch through the real `kubectl` plugin mechanism.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;

fn lbgen() -> Command {
    let mut cmd = Command::new(common::binary());
    cmd.current_dir(common::root()).env("NO_COLOR", "1");
    cmd
}

fn files_below(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir(dir) {
        out.push(
            entry
                .strip_prefix(dir)
                .expect("below")
                .to_string_lossy()
                .into_owned(),
        );
    }
    out.sort();
    out
}

fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read_dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walkdir(&p))
        } else if !p.ends_with(".lbgen-files") {
            // The inventory of what lbgen wrote is checked in tests/out_dir.rs.
            out.push(p)
        }
    }
    out
}

#[test]
fn out_dir_writes_one_file_per_object_matching_the_stream() {
    let dir = tempfile::tempdir().expect("tempdir");
    lbgen()
        .args(["render", "-f", "examples/huawei", "--out-dir"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout("");
    let files = files_below(dir.path());
    let stream = lbgen()
        .args(["render", "-f", "examples/huawei"])
        .output()
        .expect("run");
    let stream = String::from_utf8(stream.stdout).expect("utf8");
    // One file a document, named `<namespace>/<kind>-<name>.yaml` after the object.
    let mut expected: Vec<String> = common::objects(&stream)
        .iter()
        .map(|o| {
            format!(
                "{}/{}-{}.yaml",
                o["metadata"]["namespace"].as_str().unwrap_or("default"),
                o["kind"].as_str().unwrap_or_default().to_ascii_lowercase(),
                o["metadata"]["name"].as_str().unwrap_or_default()
            )
        })
        .collect();
    expected.sort();
    assert_eq!(files, expected);
    assert!(
        files.contains(&"shop/ingress-cafe.yaml".to_string()),
        "{files:?}"
    );
    for f in &files {
        let text = std::fs::read_to_string(dir.path().join(f)).expect("read");
        assert!(stream.contains(&text), "{f} is a document of the stream");
    }
}

#[test]
fn on_error_nothing_is_written_and_stdout_stays_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("keep.txt"), "old").expect("write");
    let specs = tempfile::tempdir().expect("specs");
    std::fs::copy(
        common::root().join("examples/huawei/service-existing-lb.yaml"),
        specs.path().join("good.yaml"),
    )
    .expect("copy");
    std::fs::write(specs.path().join("bad.yaml"), "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: bad}\nspec: {provider: huawei, exposure: service, selector: {a: b}, ports: [{port: 80}], algorithm: fastest}\n").expect("write");
    lbgen()
        .args(["render", "-f"])
        .arg(specs.path())
        .arg("--out-dir")
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("bad.yaml:4:")
                .and(predicate::str::contains("nothing was written")),
        );
    assert_eq!(
        files_below(dir.path()),
        ["keep.txt"],
        "no file written, no temp file left"
    );
}

#[test]
fn hidden_folders_are_skipped_and_several_paths_combine() {
    let specs = tempfile::tempdir().expect("specs");
    std::fs::create_dir(specs.path().join(".git")).expect("mkdir");
    std::fs::write(specs.path().join(".git/broken.yaml"), "{{{").expect("write");
    std::fs::write(specs.path().join("notes.txt"), "not yaml {{{").expect("write");
    std::fs::copy(
        common::root().join("examples/huawei/service-existing-lb.yaml"),
        specs.path().join("a.yml"),
    )
    .expect("copy");
    let out = lbgen()
        .args(["render", "-f"])
        .arg(specs.path())
        .args(["-f", "examples/huawei/ingress-ip-targets.yaml"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert_eq!(text.matches("\nkind: ").count(), 2, "{text}");
}

/// Renders the existing-LB example with `template` as the Huawei Service template.
fn render_with_service_template(template: &str) -> assert_cmd::assert::Assert {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("huawei")).expect("mkdir");
    std::fs::write(dir.path().join("huawei/service.yaml"), template).expect("write");
    lbgen()
        .args([
            "render",
            "-f",
            "examples/huawei/service-existing-lb.yaml",
            "--template-dir",
        ])
        .arg(dir.path())
        .assert()
}

#[test]
fn template_dir_overrides_a_builtin_template_and_typos_are_caught() {
    let builtin = std::fs::read_to_string(common::root().join("templates/huawei/service.yaml"))
        .expect("read");
    let custom = builtin.replace(
        "  type: LoadBalancer",
        "  type: LoadBalancer\n  sessionAffinity: None",
    );
    render_with_service_template(&custom)
        .success()
        .stdout(predicate::str::contains("sessionAffinity: None"));
    let typo = builtin.replace("  type: LoadBalancer", "  typ: LoadBalancer");
    render_with_service_template(&typo)
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "field `spec.typ` is not part of the Kubernetes object",
        ));
    // A user template cannot inject structure either: values stay JSON-escaped.
    let sneaky = builtin.replace(
        "  type: LoadBalancer",
        "  type: LoadBalancer\n  loadBalancerClass: {{ metadata.name ~ '\\nexternalName: x' }}",
    );
    render_with_service_template(&sneaky)
        .success()
        .stdout(predicate::str::contains(
            "loadBalancerClass: \"nginx\\nexternalName: x\"",
        ));
}

#[test]
fn runs_as_a_kubectl_plugin() {
    let bin_dir = common::binary().parent().expect("dir").to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let plugins = std::process::Command::new("kubectl")
        .args(["plugin", "list"])
        .env("PATH", &path)
        .output()
        .expect("kubectl is installed");
    assert!(String::from_utf8_lossy(&plugins.stdout).contains("kubectl-lbgen"));
    let via_kubectl = std::process::Command::new("kubectl")
        .args(["lbgen", "render", "-f", "examples/huawei/", "-o", "yaml"])
        .current_dir(common::root())
        .env("PATH", &path)
        .output()
        .expect("kubectl lbgen");
    assert!(
        via_kubectl.status.success(),
        "{}",
        String::from_utf8_lossy(&via_kubectl.stderr)
    );
    let direct = lbgen()
        .args(["render", "-f", "examples/huawei/"])
        .output()
        .expect("run");
    assert_eq!(via_kubectl.stdout, direct.stdout);
    let bad = std::process::Command::new("kubectl")
        .args(["lbgen", "render", "-f", "does-not-exist"])
        .env("PATH", &path)
        .output()
        .expect("kubectl lbgen");
    assert_eq!(
        bad.status.code(),
        Some(2),
        "kubectl passes the plugin's exit code through"
    );
}

#[test]
fn out_dir_with_json_writes_one_json_object_per_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    lbgen()
        .args([
            "render",
            "-f",
            "examples/huawei/ingress-weighted.yaml",
            "-o",
            "json",
            "--out-dir",
        ])
        .arg(dir.path())
        .assert()
        .success()
        .stdout("");
    assert_eq!(files_below(dir.path()), ["shop/ingress-cafe.json"]);
    let text = std::fs::read_to_string(dir.path().join("shop/ingress-cafe.json")).expect("read");
    let object: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(object["kind"], "Ingress");
    assert_eq!(object["metadata"]["name"], "cafe");
}

#[test]
fn explain_lists_user_rules_for_their_field() {
    lbgen()
        .args([
            "explain",
            "metadata.labels",
            "--policy-dir",
            "examples/policies",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("acme/team-label"));
}
