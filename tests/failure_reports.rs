//! Failures of `diff` and `check` reported in the format `-o` asks for: JSON or SARIF on
//! stdout (parsed here, SARIF checked against the 2.1.0 schema), with the exit code of
//! docs/spec.md; and `-o sarif` on success carries the warnings at the spec's lines.

mod common;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The `diff --live-dir` fixture (a Service and an Ingress with their snapshots), copied.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let from = common::root().join("tests/cmd/diff_live_dir.in");
    std::fs::create_dir(dir.path().join("live")).expect("mkdir");
    for file in [
        "cafe.yaml",
        "shop.yaml",
        "live/service-shop.yaml",
        "live/ingresses.yaml",
    ] {
        std::fs::copy(from.join(file), dir.path().join(file)).expect("copy");
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(common::binary())
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("KUBECTL_EXTERNAL_DIFF")
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Parses a SARIF log, checks it against the schema, and gives its results.
fn sarif_results(dir: &Path, stdout: &str) -> Vec<Value> {
    let file: PathBuf = dir.join("log.sarif.json");
    std::fs::write(&file, stdout).expect("write");
    common::check_jsonschema(
        &common::root().join("tests/fixtures/sarif-2.1.0.json"),
        &[file],
    );
    let log: Value = serde_json::from_str(stdout).expect("SARIF is JSON");
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .clone()
}

#[test]
fn diff_snapshot_failure_is_a_json_report_with_exit_3() {
    let dir = fixture();
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "diff",
            "-f",
            "shop.yaml",
            "--live-dir",
            "gone",
            "-o",
            "json",
        ],
    );
    assert_eq!(code, Some(3), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON report on stdout");
    assert_eq!(report["summary"]["errors"], 1, "{report}");
    let d = &report["diagnostics"][0];
    assert_eq!(d["rule"], "live/snapshot");
    assert_eq!(d["severity"], "error");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("cannot read live state from `gone`")),
        "{d}"
    );
    assert!(
        !stderr.contains("error"),
        "reported once, on stdout: {stderr}"
    );
    // Text stays the one line kubectl users know.
    let (code, stdout, stderr) = run(
        dir.path(),
        &["diff", "-f", "shop.yaml", "--live-dir", "gone"],
    );
    assert_eq!(code, Some(3));
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.starts_with("error: cannot read live state from `gone`"),
        "{stderr}"
    );
}

#[test]
fn diff_failure_as_sarif_keeps_the_warnings_found_before_it() {
    let dir = fixture();
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "diff",
            "-f",
            "cafe.yaml",
            "--live-dir",
            "gone",
            "-o",
            "sarif",
        ],
    );
    assert_eq!(code, Some(3), "{stderr}");
    assert!(stderr.is_empty(), "everything is in the log: {stderr}");
    let results = sarif_results(dir.path(), &stdout);
    let rules: Vec<&str> = results
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    assert_eq!(rules, ["live/snapshot", "huawei/ingress-forward-ticket"]);
    assert_eq!(results[0]["level"], "error");
    let region = &results[1]["locations"][0]["physicalLocation"];
    assert_eq!(region["artifactLocation"]["uri"], "cafe.yaml");
    assert_eq!(region["region"]["startLine"], 13);
}

#[test]
fn diff_as_sarif_puts_a_change_the_cloud_cannot_apply_at_its_spec() {
    let dir = fixture();
    let snapshot = dir.path().join("live/service-shop.yaml");
    let text = std::fs::read_to_string(&snapshot).expect("read");
    let changed = text.replace(
        "    kubernetes.io/elb.class: union\n",
        "    kubernetes.io/elb.class: performance\n",
    );
    assert_ne!(text, changed, "the fixture still has the annotation");
    std::fs::write(&snapshot, changed).expect("write");
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "diff",
            "-f",
            "shop.yaml",
            "--live-dir",
            "live",
            "-o",
            "sarif",
        ],
    );
    assert_eq!(code, Some(1), "a difference: {stderr}");
    let results = sarif_results(dir.path(), &stdout);
    let warning = results
        .iter()
        .find(|r| r["ruleId"] == "diff/not-in-place")
        .unwrap_or_else(|| panic!("a not-in-place warning in {results:?}"));
    assert_eq!(warning["level"], "warning");
    assert_eq!(warning["properties"]["field"], "kubernetes.io/elb.class");
    assert_eq!(warning["properties"]["provider"], "huawei");
    let place = &warning["locations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], "shop.yaml");
    assert_eq!(place["region"]["startLine"], 4, "the spec's metadata.name");
}

#[test]
fn check_input_failure_is_json_and_a_broken_spec_is_sarif() {
    let dir = fixture();
    let (code, stdout, stderr) = run(
        dir.path(),
        &["check", "-f", "cafe.yaml", "--fail", "nope@1", "-o", "json"],
    );
    assert_eq!(code, Some(2), "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON report on stdout");
    assert_eq!(report["diagnostics"][0]["rule"], "check/input");
    assert!(
        report["diagnostics"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("no backend `nope`")),
        "{report}"
    );
    let broken = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: x}\nspec:\n  provider: nowhere\n";
    std::fs::write(dir.path().join("broken.yaml"), broken).expect("write");
    let (code, stdout, stderr) = run(dir.path(), &["check", "-f", "broken.yaml", "-o", "sarif"]);
    assert_eq!(code, Some(2), "{stderr}");
    let results = sarif_results(dir.path(), &stdout);
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| r["level"] == "error"), "{results:?}");
    let place = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], "broken.yaml");
    assert_eq!(place["region"]["startLine"], 5, "at spec.provider");
}

/// An endpoint that always answers as backend `pod-1`, whatever the spec promises.
fn one_backend_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    url
}

fn answer(mut stream: std::net::TcpStream) {
    use std::io::{BufRead, BufReader, Write};
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
        if line == "\r\n" {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nx-lbgen-backend: pod-1\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
            return;
        }
        line.clear();
    }
}

#[test]
fn check_as_sarif_reports_a_broken_promise_at_the_spec() {
    let dir = fixture();
    let spec = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: web}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n";
    std::fs::write(dir.path().join("web.yaml"), spec).expect("write");
    let url = one_backend_endpoint();
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "check",
            "-f",
            "web.yaml",
            "--target",
            &url,
            "--requests",
            "60",
            "-o",
            "sarif",
        ],
    );
    assert_eq!(
        code,
        Some(1),
        "every request went to one of three pods: {stderr}"
    );
    let results = sarif_results(dir.path(), &stdout);
    let broken: Vec<&Value> = results.iter().filter(|r| r["level"] == "error").collect();
    assert!(
        !broken.is_empty(),
        "exit 1 names the broken promise: {results:?}"
    );
    assert!(
        broken.iter().all(|r| r["ruleId"]
            .as_str()
            .is_some_and(|id| id.starts_with("check/"))),
        "{results:?}"
    );
    let place = &broken[0]["locations"][0]["physicalLocation"];
    assert_eq!(place["artifactLocation"]["uri"], "web.yaml");
    assert_eq!(place["region"]["startLine"], 3, "the spec's metadata.name");
}
