//! What `check` has to say in the formats CI systems read (`-o sarif|github|gitlab|junit`):
//! the compilation's warnings, and every broken promise as an error at the spec's
//! `metadata.name`; for JUnit a test case per promise (held passes, broken fails, not
//! judged is skipped), so a pipeline's test report lists what was checked (docs/ci.md).
//! Whether a promise broke stays the exit code (1), whatever the format.

use super::ci_report::{self, FindingsFormat};
use super::junit::{self, Case, CaseResult, Suite};
use super::output::{self, WriteError};
use lbgen::dataplane::judge::Verdict;
use lbgen::diag::{Diagnostic, Location};
use lbgen::policy::engine::RuleSummary;

/// Everything one report in a CI format needs.
pub(crate) struct Findings<'a> {
    /// The spec's `metadata.name`.
    pub(crate) name: &'a str,
    pub(crate) verdict: &'a Verdict,
    /// The compilation's warnings.
    pub(crate) warnings: Vec<Diagnostic>,
    /// Where the spec is (its `metadata.name`).
    pub(crate) location: &'a Location,
    /// The rules a SARIF log describes.
    pub(crate) rules: &'a [RuleSummary],
}

impl Findings<'_> {
    /// Prints the report in `format` (SARIF, GitHub, GitLab or JUnit) on stdout.
    pub(crate) fn print(self, format: FindingsFormat) -> Result<(), WriteError> {
        match format {
            FindingsFormat::Github => output::stdout_plain(&ci_report::github(&self.diagnostics())),
            FindingsFormat::Gitlab => output::stdout_plain(&ci_report::gitlab(&self.diagnostics())),
            FindingsFormat::Junit => output::stdout_plain(&junit::xml_report(&[self.suite()])),
            FindingsFormat::Sarif => {
                let log = super::sarif::log(&self.diagnostics(), self.rules);
                super::report::print_json(&log)
            }
        }
    }

    /// The warnings, then every broken promise as an error at the spec.
    fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut diagnostics = self.warnings.clone();
        for p in self
            .verdict
            .promises
            .iter()
            .filter(|p| p.holds == Some(false))
        {
            diagnostics.push(Diagnostic::error(
                &format!("check/{}", p.id),
                format!("promise `{}` broken: {}", p.id, p.detail),
                Some(self.location.clone()),
            ));
        }
        diagnostics
    }

    /// One suite named after the spec's file: its warnings, then a case per promise.
    fn suite(&self) -> Suite {
        let mut cases: Vec<Case> = self.warnings.iter().map(junit::finding_case).collect();
        for p in &self.verdict.promises {
            let result = match p.holds {
                Some(true) => CaseResult::PassedWith(p.detail.clone()),
                Some(false) => {
                    let message = format!("promise `{}` broken: {}", p.id, p.detail);
                    CaseResult::Failed {
                        text: format!(
                            "{}:{}:{}: {message}",
                            self.location.file, self.location.line, self.location.column
                        ),
                        message,
                    }
                }
                None => CaseResult::Skipped(p.detail.clone()),
            };
            cases.push(Case {
                name: p.id.to_string(),
                classname: format!("check.{}", self.name),
                result,
            });
        }
        Suite {
            name: self.location.file.clone(),
            cases,
        }
    }
}
