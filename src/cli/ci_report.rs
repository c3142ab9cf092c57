//! Diagnostics in two formats CI systems read natively, beside text, JSON and SARIF:
//! GitHub Actions workflow commands (`-o github`: annotations on the pull request's lines)
//! and a GitLab Code Quality report (`-o gitlab`: the merge request's Code Quality widget).
//! One writer each for every subcommand (validate, diff, check): each hands over its
//! findings as diagnostics. JUnit XML, whose test cases differ per subcommand, is `junit`.
//!
//! No message can change a format's structure: workflow commands escape `%`, CR, LF (and
//! `:` `,` in properties) as GitHub's toolkit does; the Code Quality report is built with
//! serde_json.

use super::outcome::ReportFormat;
use lbgen::diag::{Diagnostic, Severity};
use serde::Serialize;
use std::fmt::Write as _;

/// The `-o` formats whose whole report is the findings (SARIF and the CI formats), which
/// `diff` and `check` print with their own findings (`diff_findings`, `check_findings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FindingsFormat {
    Sarif,
    Github,
    Gitlab,
    Junit,
}

impl FindingsFormat {
    /// The findings format `format` is, if it is one (text and JSON are not).
    pub(crate) fn of(format: ReportFormat) -> Option<FindingsFormat> {
        match format {
            ReportFormat::Sarif => Some(FindingsFormat::Sarif),
            ReportFormat::Github => Some(FindingsFormat::Github),
            ReportFormat::Gitlab => Some(FindingsFormat::Gitlab),
            ReportFormat::Junit => Some(FindingsFormat::Junit),
            ReportFormat::Text | ReportFormat::Json => None,
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use lbgen::diag::Location;

    fn diagnostic(message: &str, file: &str) -> Diagnostic {
        Diagnostic::error(
            "pack/session-timeout-range",
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
            "::error file=a%2Cb%3Ac.yaml,line=10,col=7,title=pack/session-timeout-range::bad%0A::error::forged 100%25\n"
        );
        assert_eq!(text.lines().count(), 1);
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
