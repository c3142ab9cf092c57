//! `validate -o github|gitlab|junit`: each format read back by an independent reader
//! (Python's XML parser for JUnit, JSON with GitLab's required Code Quality fields, GitHub's
//! documented workflow-command grammar), for findings, a clean run and a failure to load.

mod common;

use std::path::Path;
use std::process::{Command, Output};

const GOOD: &str = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop, namespace: web}\nspec:\n  provider: huawei\n  exposure: service\n  loadBalancer: {id: lb-1}\n  selector: {app: shop}\n  ports: [{name: http, port: 80}]\n  stickiness: {mode: source-ip, timeout: 30m}\n";

fn validate(dir: &Path, format: &str, files: &[&str]) -> Output {
    let mut command = Command::new(common::binary());
    command.args(["validate", "-o", format]).current_dir(dir);
    for f in files {
        command.args(["-f", f]);
    }
    command.output().expect("run")
}

/// A directory with a valid spec `good.yaml` (one warning) and `bad,1.yaml`, whose timeout
/// is over CCE's range and whose file name a workflow command must escape.
fn inputs() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("good.yaml"), GOOD).expect("write");
    let bad = GOOD.replace("30m", "2h");
    std::fs::write(dir.path().join("bad,1.yaml"), bad).expect("write");
    dir
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn github_workflow_commands_carry_file_line_and_column() {
    let dir = inputs();
    let out = validate(dir.path(), "github", &["good.yaml", "bad,1.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    let command = regex::Regex::new(
        r"^::(error|warning) file=([^,:]+),line=(\d+),col=(\d+),title=([^,:]+)::(.*)$",
    )
    .expect("regex");
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty(), "{text}");
    for line in &lines {
        assert!(command.is_match(line), "not a workflow command: {line}");
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=bad%2C1.yaml,line=10,")
                && l.contains("title=huawei/session-timeout-range")),
        "{text}"
    );
    let clean = validate(dir.path(), "github", &["good.yaml"]);
    assert_eq!(clean.status.code(), Some(0));
}

#[test]
fn gitlab_code_quality_report_has_the_required_fields() {
    let dir = inputs();
    let out = validate(dir.path(), "gitlab", &["bad,1.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let issues: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let issues = issues.as_array().expect("an array of issues");
    assert!(!issues.is_empty());
    for issue in issues {
        for field in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[field].is_string(), "{field}: {issue}");
        }
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap_or_default())
        );
        assert_eq!(issue["location"]["path"], "bad,1.yaml");
        assert_eq!(issue["fingerprint"].as_str().map(str::len), Some(64));
        assert!(
            issue["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|l| l >= 1)
        );
    }
    let clean = validate(dir.path(), "gitlab", &["good.yaml"]);
    assert_eq!(clean.status.code(), Some(0));
    let issues: serde_json::Value = serde_json::from_slice(&clean.stdout).expect("JSON");
    assert!(
        issues
            .as_array()
            .is_some_and(|a| a.iter().all(|i| i["severity"] == "minor")),
        "warnings only: {issues}"
    );
}

/// Parses JUnit XML with Python's parser and returns `suite: tests failures` lines.
fn junit_summary(xml: &str) -> String {
    let script = "import sys, xml.etree.ElementTree as E\nr = E.fromstring(sys.stdin.read())\nassert r.tag == 'testsuites', r.tag\nfor s in r.findall('testsuite'):\n    cases = s.findall('testcase')\n    assert int(s.get('tests')) == len(cases)\n    fails = [c.find('failure') for c in cases if c.find('failure') is not None]\n    assert int(s.get('failures')) == len(fails)\n    print(s.get('name'), len(cases), len(fails), *[f.get('message')[:40] for f in fails])\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(xml.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("python3");
    assert!(
        out.status.success(),
        "JUnit XML does not parse: {}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn junit_xml_parses_and_counts_every_file() {
    let dir = inputs();
    let out = validate(dir.path(), "junit", &["good.yaml", "bad,1.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let summary = junit_summary(&stdout(&out));
    assert!(
        summary.contains("good.yaml 1 0"),
        "a clean file is a passing suite: {summary}"
    );
    assert!(
        summary
            .lines()
            .any(|l| l.starts_with("bad,1.yaml ") && !l.starts_with("bad,1.yaml 1 0")),
        "{summary}"
    );

    let missing = validate(dir.path(), "junit", &["missing.yaml"]);
    assert_eq!(
        missing.status.code(),
        Some(2),
        "a file that cannot be read fails the run"
    );
    let summary = junit_summary(&stdout(&missing));
    assert!(summary.contains(" 1 1 "), "{summary}");
}
