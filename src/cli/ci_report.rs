//! Diagnostics in the formats CI systems read natively, beside text, JSON and SARIF:
//! GitHub Actions workflow commands (`-o github`: annotations on the pull request's lines),
//! a GitLab Code Quality report (`-o gitlab`: the merge request's Code Quality widget) and
//! JUnit XML (`-o junit`: the test report of GitLab, Jenkins, Azure and the rest).
//!
//! No message can change a format's structure: workflow commands escape `%`, CR, LF (and
//! `:` `,` in properties) as GitHub's toolkit does; the Code Quality report is built with
//! serde_json; JUnit text is XML-escaped, and characters XML 1.0 cannot hold are written as
//! `\u{..}` escapes, never dropped.

use lbgen::diag::{Diagnostic, Severity};
use serde::Serialize;
use std::fmt::Write as _;

/// GitHub Actions workflow commands, one line a diagnostic
/// (<https://docs.github.com/actions/reference/workflow-commands-for-github-actions>).
pub(crate) fn github(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = Vec::new();
        if let Some(l) = &d.location {
            properties.push(format!("file={}", github_property(&l.file)));
            properties.push(format!("line={}", l.line));
            properties.push(format!("col={}", l.column));
        }
        properties.push(format!("title={}", github_property(&d.rule)));
        // The fix on the annotation's second line.
        let message = match &d.help {
            Some(help) => format!("{}\nhelp: {}", d.message, help.message),
            None => d.message.clone(),
        };
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            github_data(&message)
        );
    }
    out
}

/// A workflow command's message (`escapeData` of @actions/core).
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value (`escapeProperty` of @actions/core).
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One issue of a GitLab Code Quality report
/// (<https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format>).
#[derive(Serialize)]
struct CodeQualityIssue<'a> {
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: CodeQualityLocation<'a>,
}

#[derive(Serialize)]
struct CodeQualityLocation<'a> {
    path: &'a str,
    lines: CodeQualityLines,
}

#[derive(Serialize)]
struct CodeQualityLines {
    begin: usize,
}

/// A GitLab Code Quality report: a JSON array of issues. Each fingerprint is the SHA-256 of
/// rule, file, line, column and message, so the same finding keeps its identity across
/// pipelines (GitLab compares reports by fingerprint).
pub(crate) fn gitlab(diagnostics: &[Diagnostic]) -> String {
    let issues: Vec<CodeQualityIssue> = diagnostics
        .iter()
        .map(|d| {
            let (path, line, column) = d
                .location
                .as_ref()
                .map_or(("", 1, 1), |l| (l.file.as_str(), l.line, l.column));
            let identity = format!("{}\n{path}\n{line}\n{column}\n{}", d.rule, d.message);
            CodeQualityIssue {
                description: &d.message,
                check_name: &d.rule,
                fingerprint: hex(
                    ring::digest::digest(&ring::digest::SHA256, identity.as_bytes()).as_ref(),
                ),
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: CodeQualityLocation {
                    path,
                    lines: CodeQualityLines { begin: line },
                },
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// JUnit XML: one test suite per input file, one test case per diagnostic (an error is a
/// failure, a warning a passing case with its text in `system-out`), and one passing case
/// for each file without findings, so a clean run still reports what it checked.
pub(crate) fn junit(diagnostics: &[Diagnostic], files: &[String]) -> String {
    let mut suites: Vec<(&str, Vec<&Diagnostic>)> =
        files.iter().map(|f| (f.as_str(), Vec::new())).collect();
    for d in diagnostics {
        let file = d.location.as_ref().map_or("", |l| l.file.as_str());
        match suites.iter_mut().find(|(f, _)| *f == file) {
            Some((_, list)) => list.push(d),
            None => suites.push((file, vec![d])),
        }
    }
    let total: usize = suites.iter().map(|(_, l)| l.len().max(1)).sum();
    let failures = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"kubectl-lbgen\" tests=\"{total}\" failures=\"{failures}\">"
    );
    for (file, list) in &suites {
        let name = if file.is_empty() { "(no file)" } else { file };
        let suite_failures = list
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{suite_failures}\">",
            xml(name),
            list.len().max(1)
        );
        if list.is_empty() {
            let _ = writeln!(
                out,
                "    <testcase name=\"valid\" classname=\"{}\"/>",
                xml(name)
            );
        }
        for d in list {
            let at = d.location.as_ref().map_or(String::new(), |l| {
                format!("{}:{}:{}", l.file, l.line, l.column)
            });
            let case = format!("{} {at}", d.rule);
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\">",
                xml(case.trim_end()),
                xml(&d.rule)
            );
            match d.severity {
                Severity::Error => {
                    let _ = write!(
                        out,
                        "<failure message=\"{}\" type=\"error\">{}</failure>",
                        xml(&d.message),
                        xml(&format!("{at}: {}", d.message))
                    );
                }
                Severity::Warning => {
                    let _ = write!(
                        out,
                        "<system-out>{}</system-out>",
                        xml(&format!("warning {at}: {}", d.message))
                    );
                }
            }
            out.push_str("</testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Text for an XML attribute or element: the five special characters as entities, and the
/// characters XML 1.0 cannot hold at all as visible `\u{..}` escapes.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lbgen::diag::Location;

    fn diagnostic(message: &str, file: &str) -> Diagnostic {
        Diagnostic::error(
            "huawei/session-timeout-range",
            message,
            Some(Location {
                file: file.into(),
                line: 10,
                column: 7,
            }),
        )
    }

    #[test]
    fn github_commands_cannot_be_split_or_extended_by_a_message() {
        let text = github(&[diagnostic("bad\n::error::forged 100%", "a,b:c.yaml")]);
        assert_eq!(
            text,
            "::error file=a%2Cb%3Ac.yaml,line=10,col=7,title=huawei/session-timeout-range::bad%0A::error::forged 100%25\n"
        );
        assert_eq!(text.lines().count(), 1);
    }

    #[test]
    fn xml_escapes_specials_and_control_characters() {
        assert_eq!(
            xml("a<b>&\"'\u{1}\u{7f}"),
            "a&lt;b&gt;&amp;&quot;&apos;\\u{1}\u{7f}"
        );
    }

    #[test]
    fn gitlab_fingerprints_are_stable_and_distinct() {
        let a = gitlab(&[diagnostic("m", "a.yaml")]);
        let again = gitlab(&[diagnostic("m", "a.yaml")]);
        let other = gitlab(&[diagnostic("m", "b.yaml")]);
        let fingerprint = |t: &str| {
            let v: serde_json::Value = serde_json::from_str(t).expect("json");
            v[0]["fingerprint"]
                .as_str()
                .expect("fingerprint")
                .to_string()
        };
        assert_eq!(fingerprint(&a), fingerprint(&again));
        assert_ne!(fingerprint(&a), fingerprint(&other));
        assert_eq!(fingerprint(&a).len(), 64);
    }
}
