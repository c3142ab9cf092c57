//! `validate -o github|gitlab|junit`: each format read back by an independent reader
//! (`ci_readers`: Python's XML parser for JUnit, JSON with GitLab's required Code Quality
//! fields, GitHub's documented workflow-command grammar), for findings, a clean run, a
//! failure to load, and hostile field and file names that try to break out of a format.

mod ci_readers;
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

#[test]
fn junit_xml_parses_and_counts_every_file() {
    let dir = inputs();
    let out = validate(dir.path(), "junit", &["good.yaml", "bad,1.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    let cases = ci_readers::junit_cases(&stdout(&out));
    let of = |suite: &str| -> Vec<&ci_readers::JunitCase> {
        cases.iter().filter(|c| c.suite == suite).collect()
    };
    assert!(
        matches!(of("good.yaml").as_slice(), [c] if c.status == "passed"),
        "a clean file is a passing suite: {cases:?}"
    );
    assert!(
        of("bad,1.yaml")
            .iter()
            .any(|c| c.status == "failed" && c.classname == "huawei/session-timeout-range"),
        "{cases:?}"
    );

    let missing = validate(dir.path(), "junit", &["missing.yaml"]);
    assert_eq!(
        missing.status.code(),
        Some(2),
        "a file that cannot be read fails the run"
    );
    let cases = ci_readers::junit_cases(&stdout(&missing));
    assert!(
        matches!(cases.as_slice(), [c] if c.status == "failed" && c.message.contains("missing.yaml")),
        "{cases:?}"
    );
}

/// A spec whose `spec` holds the unknown field `key`: its error message quotes the key.
fn spec_with_field(key: &str) -> String {
    // A YAML double-quoted scalar: every character outside printable ASCII escaped.
    let mut quoted = String::from("\"");
    for c in key.chars() {
        match c {
            '"' | '\\' => {
                quoted.push('\\');
                quoted.push(c);
            }
            ' '..='~' => quoted.push(c),
            c => quoted.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    quoted.push('"');
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: shop}}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n  {quoted}: 1\n"
    )
}

/// What JUnit shows of `text`: the characters XML 1.0 cannot hold as `\u{..}`.
fn as_junit_shows(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c.to_string(),
            c if (c as u32) < 0x20 => format!("\\u{{{:x}}}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// Runs `validate -o github|gitlab|junit` on a spec with the field `key` in a file named
/// `file`, and asserts that each format still has exactly one finding, at that file, with
/// the key read back intact.
fn assert_cannot_break_out(key: &str, file: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(file), spec_with_field(key)).expect("write");
    let github = validate(dir.path(), "github", &[file]);
    assert_eq!(github.status.code(), Some(2));
    let commands = ci_readers::github_commands(&stdout(&github));
    assert_eq!(commands.len(), 1, "{commands:?}");
    assert_eq!(commands[0].level, "error");
    assert_eq!(commands[0].properties["file"], file);
    assert_eq!(commands[0].properties["line"], "9");
    assert!(commands[0].message.contains(key), "{commands:?}");

    let gitlab = validate(dir.path(), "gitlab", &[file]);
    let issues = ci_readers::gitlab_issues(&gitlab.stdout);
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0]["location"]["path"], file);
    assert!(
        issues[0]["description"]
            .as_str()
            .is_some_and(|d| d.contains(key)),
        "{issues:?}"
    );

    let junit = validate(dir.path(), "junit", &[file]);
    let cases = ci_readers::junit_cases(&stdout(&junit));
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert_eq!(cases[0].suite, as_junit_shows(file));
    assert_eq!(cases[0].status, "failed");
    assert!(
        cases[0].message.contains(&as_junit_shows(key)),
        "{:?} in {cases:?}",
        as_junit_shows(key)
    );
}

#[test]
fn hostile_field_names_and_file_names_stay_one_finding_in_every_format() {
    assert_cannot_break_out(
        "a\n::error file=x,line=1::forged]]></failure><testcase name=\"y\"/>%0A\r\t&amp;'",
        "a,b:c%0A.yaml",
    );
    assert_cannot_break_out("x", "line\nbreak::error::forged.yaml");
    assert_cannot_break_out("\u{2028}\u{fffd}ü]]>", "ctl\u{1}\u{1b}[31m\ttab.yaml");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 6, .. Default::default() })]

    /// Any printable text with the characters the three formats treat specially, as a
    /// field name: each format still has one finding, the name read back intact.
    #[test]
    fn no_field_name_breaks_out_of_a_ci_format(
        key in "[a-z:,%<>&\"'\\]\\[\\n\\r\\t =/!-]{1,24}",
    ) {
        assert_cannot_break_out(&key, "spec.yaml");
    }
}
