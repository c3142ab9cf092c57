//! JUnit XML (`-o junit`), the test report GitLab, Jenkins, Azure Pipelines and the rest
//! read: one writer for every subcommand, which says what its test cases are
//! ([`Suite`], [`Case`]): `validate` a case per finding (a suite per file), `diff` a case
//! per compared object, `check` a case per promise (docs/ci.md).
//!
//! No text can change the document's structure: names, messages and bodies are
//! XML-escaped, and characters XML 1.0 cannot hold are written as `\u{..}` escapes, never
//! dropped. Counts (`tests`, `failures`, `skipped`) are computed from the cases, so they
//! always agree with what a reader counts.

use lbgen::diag::{Diagnostic, Severity};
use std::fmt::Write as _;

/// One `<testsuite>`: a named group of cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Suite {
    pub(crate) name: String,
    pub(crate) cases: Vec<Case>,
}

/// One `<testcase>` and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Case {
    pub(crate) name: String,
    pub(crate) classname: String,
    pub(crate) result: CaseResult,
}

/// How a test case ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CaseResult {
    /// Passed, with nothing to say.
    Passed,
    /// Passed, with text worth reading (a warning) in `<system-out>`.
    PassedWith(String),
    /// Failed: a one-line `message` and the full text.
    Failed { message: String, text: String },
    /// Not judged (`<skipped>`), and why.
    Skipped(String),
}

impl Case {
    fn failed(&self) -> bool {
        matches!(self.result, CaseResult::Failed { .. })
    }

    fn skipped(&self) -> bool {
        matches!(self.result, CaseResult::Skipped(_))
    }
}

/// The JUnit XML document of `suites`.
pub(crate) fn xml_report(suites: &[Suite]) -> String {
    let count = |keep: fn(&Case) -> bool| -> usize {
        suites
            .iter()
            .map(|s| s.cases.iter().filter(|c| keep(c)).count())
            .sum()
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"kubectl-lbgen\" tests=\"{}\" failures=\"{}\"{}>",
        count(|_| true),
        count(Case::failed),
        skipped_attribute(count(Case::skipped))
    );
    for suite in suites {
        let failures = suite.cases.iter().filter(|c| c.failed()).count();
        let skipped = suite.cases.iter().filter(|c| c.skipped()).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\"{}>",
            xml_attribute(&suite.name),
            suite.cases.len(),
            skipped_attribute(skipped)
        );
        for case in &suite.cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\"",
                xml_attribute(&case.name),
                xml_attribute(&case.classname)
            );
            match &case.result {
                CaseResult::Passed => out.push_str("/>\n"),
                CaseResult::PassedWith(text) => {
                    let _ = writeln!(out, "><system-out>{}</system-out></testcase>", xml(text));
                }
                CaseResult::Failed { message, text } => {
                    let _ = writeln!(
                        out,
                        "><failure message=\"{}\" type=\"error\">{}</failure></testcase>",
                        xml_attribute(message),
                        xml(text)
                    );
                }
                CaseResult::Skipped(why) => {
                    let _ = writeln!(
                        out,
                        "><skipped message=\"{}\"/></testcase>",
                        xml_attribute(why)
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// ` skipped="N"` when some were skipped (absent otherwise, as before skipping existed).
fn skipped_attribute(skipped: usize) -> String {
    if skipped == 0 {
        String::new()
    } else {
        format!(" skipped=\"{skipped}\"")
    }
}

/// `validate`'s suites: one per input file, one case per diagnostic (an error fails, a
/// warning passes with its text), and one passing case `valid` for a file without
/// findings, so a clean run still reports what it checked.
pub(crate) fn suites_by_file(diagnostics: &[Diagnostic], files: &[String]) -> Vec<Suite> {
    let mut grouped: Vec<(&str, Vec<&Diagnostic>)> =
        files.iter().map(|f| (f.as_str(), Vec::new())).collect();
    for d in diagnostics {
        let file = d.location.as_ref().map_or("", |l| l.file.as_str());
        match grouped.iter_mut().find(|(f, _)| *f == file) {
            Some((_, list)) => list.push(d),
            None => grouped.push((file, vec![d])),
        }
    }
    grouped
        .into_iter()
        .map(|(file, list)| {
            let name = if file.is_empty() { "(no file)" } else { file };
            let mut cases: Vec<Case> = list.iter().map(|d| finding_case(d)).collect();
            if cases.is_empty() {
                cases.push(Case {
                    name: "valid".into(),
                    classname: name.into(),
                    result: CaseResult::Passed,
                });
            }
            Suite {
                name: name.into(),
                cases,
            }
        })
        .collect()
}

/// One finding as a case named by its rule and place: an error fails, a warning passes
/// with its text.
pub(crate) fn finding_case(d: &Diagnostic) -> Case {
    let at = d.location.as_ref().map_or(String::new(), |l| {
        format!("{}:{}:{}", l.file, l.line, l.column)
    });
    let result = match d.severity {
        Severity::Error => CaseResult::Failed {
            message: d.message.clone(),
            text: format!("{at}: {}", d.message),
        },
        Severity::Warning => CaseResult::PassedWith(format!("warning {at}: {}", d.message)),
    };
    Case {
        name: format!("{} {at}", d.rule).trim_end().to_string(),
        classname: d.rule.clone(),
        result,
    }
}

/// Text for an XML attribute or element, read back as written: the five special
/// characters as entities; CR as `&#13;` everywhere and tab and LF as `&#9;` `&#10;` in
/// attributes (a parser would turn them into LF and spaces); the characters XML 1.0 cannot
/// hold at all as visible `\u{..}` escapes.
fn xml(text: &str) -> String {
    escape(text, false)
}

/// [`xml`] for an attribute value.
fn xml_attribute(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' | '\n' => out.push(c),
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

    #[test]
    fn xml_escapes_specials_and_control_characters() {
        assert_eq!(
            xml("a<b>&\"'\u{1}\u{7f}"),
            "a&lt;b&gt;&amp;&quot;&apos;\\u{1}\u{7f}"
        );
        assert_eq!(xml("a\tb\nc\rd"), "a\tb\nc&#13;d");
        assert_eq!(xml_attribute("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
    }

    #[test]
    fn counts_follow_the_cases() {
        let case = |name: &str, result| Case {
            name: name.into(),
            classname: "c".into(),
            result,
        };
        let suites = [Suite {
            name: "s".into(),
            cases: vec![
                case("a", CaseResult::Passed),
                case(
                    "b",
                    CaseResult::Failed {
                        message: "m".into(),
                        text: "t".into(),
                    },
                ),
                case("c", CaseResult::Skipped("why".into())),
            ],
        }];
        let text = xml_report(&suites);
        assert!(
            text.contains(
                "<testsuites name=\"kubectl-lbgen\" tests=\"3\" failures=\"1\" skipped=\"1\">"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "<testcase name=\"c\" classname=\"c\"><skipped message=\"why\"/></testcase>"
            ),
            "{text}"
        );
    }
}
