//! Independent readers of the CI formats, for the tests that run the binary: GitHub's
//! documented workflow-command grammar (decoded as the runner decodes it), GitLab's
//! required Code Quality fields, and Python's XML parser for JUnit (counts checked
//! against the cases it finds).
#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs the binary from the repository root, without colour or an external diff program.
pub fn lbgen(args: &[&str]) -> Output {
    Command::new(crate::common::binary())
        .current_dir(crate::common::root())
        .env("NO_COLOR", "1")
        .env_remove("KUBECTL_EXTERNAL_DIFF")
        .args(args)
        .output()
        .expect("run")
}

/// A run's stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One workflow command: `::LEVEL PROPERTIES::MESSAGE`, values decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GithubCommand {
    pub level: String,
    pub properties: BTreeMap<String, String>,
    pub message: String,
}

/// Reads every line of `text` as a workflow command (panics on a line that is not one):
/// `::error|warning|notice` then comma-separated `key=value` properties whose values hold
/// no raw `,` `:` CR or LF, then `::` and the message without raw CR or LF. `%25`, `%0D`,
/// `%0A`, `%3A`, `%2C` are decoded as GitHub's runner does.
pub fn github_commands(text: &str) -> Vec<GithubCommand> {
    let grammar = regex::Regex::new(r"^::(error|warning|notice)(?: ((?:[a-z]+=[^,:\r\n]*)(?:,[a-z]+=[^,:\r\n]*)*))?::([^\r\n]*)$")
        .expect("regex");
    text.split('\n')
        .filter(|l| !l.is_empty())
        .map(|line| {
            let c = grammar
                .captures(line)
                .unwrap_or_else(|| panic!("not a workflow command: {line:?}"));
            let properties = c
                .get(2)
                .map_or("", |m| m.as_str())
                .split(',')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').expect("key=value");
                    (k.to_string(), unescape(v))
                })
                .collect();
            GithubCommand {
                level: c[1].to_string(),
                properties,
                message: unescape(&c[3]),
            }
        })
        .collect()
}

fn unescape(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// A GitLab Code Quality report: a JSON array whose every issue has the required fields
/// (description, check_name, a 64-hex fingerprint, a known severity, location.path and
/// location.lines.begin >= 1). Returns the issues.
pub fn gitlab_issues(stdout: &[u8]) -> Vec<serde_json::Value> {
    let report: serde_json::Value = serde_json::from_slice(stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(stdout)));
    let issues = report.as_array().expect("an array of issues").clone();
    for issue in &issues {
        for field in ["description", "check_name", "fingerprint", "severity"] {
            assert!(issue[field].is_string(), "{field}: {issue}");
        }
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&issue["severity"].as_str().unwrap_or_default()),
            "{issue}"
        );
        let fingerprint = issue["fingerprint"].as_str().unwrap_or_default();
        assert!(
            fingerprint.len() == 64 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()),
            "{issue}"
        );
        assert!(issue["location"]["path"].is_string(), "{issue}");
        assert!(
            issue["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|l| l >= 1),
            "{issue}"
        );
    }
    issues
}

/// One JUnit test case as Python's parser reads it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct JunitCase {
    pub suite: String,
    pub name: String,
    pub classname: String,
    /// `passed`, `failed` or `skipped`.
    pub status: String,
    /// The failure's or skip's `message`, else empty.
    pub message: String,
    /// The failure's text, else the case's `system-out`, else empty.
    pub text: String,
}

/// Parses JUnit XML with Python's parser, checks that every `tests`, `failures` and
/// `skipped` count (root and suites) equals the cases found, and returns the cases.
pub fn junit_cases(xml: &str) -> Vec<JunitCase> {
    const SCRIPT: &str = r#"
import json, sys, xml.etree.ElementTree as E
root = E.fromstring(sys.stdin.buffer.read())
assert root.tag == 'testsuites', root.tag
cases, totals = [], [0, 0, 0]
for s in root.findall('testsuite'):
    found = s.findall('testcase')
    failed = [c for c in found if c.find('failure') is not None]
    skipped = [c for c in found if c.find('skipped') is not None]
    assert int(s.get('tests')) == len(found), s.get('name')
    assert int(s.get('failures')) == len(failed), s.get('name')
    assert int(s.get('skipped', '0')) == len(skipped), s.get('name')
    totals = [totals[0] + len(found), totals[1] + len(failed), totals[2] + len(skipped)]
    for c in found:
        f, k, o = c.find('failure'), c.find('skipped'), c.find('system-out')
        status = 'failed' if f is not None else 'skipped' if k is not None else 'passed'
        detail = f if f is not None else k
        cases.append({'suite': s.get('name'), 'name': c.get('name'),
                      'classname': c.get('classname'), 'status': status,
                      'message': detail.get('message', '') if detail is not None else '',
                      'text': (f.text or '') if f is not None else (o.text or '') if o is not None else ''})
assert [int(root.get('tests')), int(root.get('failures')), int(root.get('skipped', '0'))] == totals
json.dump(cases, sys.stdout)
"#;
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(xml.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("python3");
    assert!(
        out.status.success(),
        "JUnit XML does not parse or its counts are off: {}\n{xml}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the reader's JSON")
}
