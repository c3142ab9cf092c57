//! How a subcommand ends: `Ok(Success)` or `Err(Failure)`, and the one place where that
//! becomes what the user sees and the exit code (docs/spec.md: 0 ok, 1 differences,
//! 2 invalid input, 3 cluster/target unreachable).
//!
//! Subcommands never report a failure themselves: every library error converts into a
//! [`Failure`] holding a diagnostic (located where the error knows where) and the error
//! itself as its cause, and `cli::main` reports it once, in the format the subcommand's
//! `-o` picks ([`ReportFormat`]).

use super::{ci_report, junit, output, report, sarif};
use lbgen::dataplane::probe::ProbeError;
use lbgen::diag::Diagnostic;
use lbgen::emit::EmitError;
use lbgen::live::{LiveError, ScopeError};
use lbgen::policy::engine::RuleSummary;
use lbgen::spec::load::Source;
use std::error::Error;
use std::process::ExitCode;

/// How a subcommand that did its work ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Success {
    /// 0: success, no difference.
    Clean,
    /// 1: differences found, a promise broken, or a rule test failed.
    Differs,
    /// An external diff program's own failure code (above 1), passed on as kubectl does.
    DiffProgram(u8),
}

/// Why a subcommand could not do its work, in the terms of docs/spec.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// 2: invalid input, policy violation or capability error; nothing written.
    Invalid,
    /// 3: cannot reach or read the cluster or target.
    Unreachable,
}

/// How a failure reads as text on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextStyle {
    /// Each diagnostic with its source line and a caret, then the error count (`report`).
    Snippets,
    /// One line per diagnostic, `error: <first line of the message>` (what `diff` prints
    /// for a cluster or snapshot it cannot use, as kubectl does).
    Line,
    /// One line per diagnostic with its rule: `error: <message> [<rule>]`.
    LineWithRule,
}

/// What the failure reports are written as: the `-o` vocabulary shared by every
/// subcommand that prints diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportFormat {
    /// For people (diagnostics on stderr, with the spec line and a caret).
    Text,
    /// A stable JSON document on stdout.
    Json,
    /// SARIF 2.1.0 on stdout, for code-scanning annotations in pull requests.
    Sarif,
    /// GitHub Actions workflow commands on stdout: annotations on the pull request's lines.
    Github,
    /// A GitLab Code Quality report (JSON) on stdout, for the merge request widget.
    Gitlab,
    /// JUnit XML on stdout, for CI test reports (docs/ci.md: what a test case is).
    Junit,
}

/// A subcommand that could not do its work: what to tell, and how it exits.
#[derive(Debug)]
pub(crate) struct Failure {
    exit: Exit,
    diagnostics: Vec<Diagnostic>,
    /// The sources the diagnostics' locations point into (to quote their lines).
    sources: Vec<Source>,
    /// The rules a SARIF report describes (default: the built-in ones).
    rules: Option<Vec<RuleSummary>>,
    style: TextStyle,
    cause: Option<Box<dyn Error + Send + Sync>>,
}

/// What every subcommand returns.
pub(crate) type Ended = Result<Success, Failure>;

impl Failure {
    /// Exit 2 with these diagnostics (every error and warning found, sorted).
    pub(crate) fn invalid(diagnostics: Vec<Diagnostic>) -> Self {
        Failure {
            exit: Exit::Invalid,
            diagnostics,
            sources: Vec::new(),
            rules: None,
            style: TextStyle::Snippets,
            cause: None,
        }
    }

    /// Exit 2 with one error of `rule`, no location.
    pub(crate) fn error(rule: &str, message: impl Into<String>) -> Self {
        Failure::invalid(vec![Diagnostic::error(rule, message, None)])
    }

    /// A failure caused by a library error: its diagnostic (rule `rule`, the error's
    /// message) and the error kept as the cause.
    fn caused_by(exit: Exit, rule: &str, cause: impl Error + Send + Sync + 'static) -> Self {
        let message = cause.to_string();
        Failure {
            exit,
            cause: Some(Box::new(cause)),
            ..Failure::error(rule, message)
        }
    }

    /// The sources the locations point into, to quote their lines in text.
    pub(crate) fn quoting(mut self, sources: Vec<Source>) -> Self {
        self.sources = sources;
        self
    }

    /// The rules a SARIF report describes.
    pub(crate) fn with_rules(mut self, rules: Vec<RuleSummary>) -> Self {
        self.rules = Some(rules);
        self
    }

    /// Read as text in one line per diagnostic (`TextStyle::Line`).
    pub(crate) fn in_one_line(mut self) -> Self {
        self.style = TextStyle::Line;
        self
    }

    /// With the warnings found before the failure (the ones a report on stdout carries).
    pub(crate) fn after(mut self, warnings: &[Diagnostic]) -> Self {
        if !warnings.is_empty() {
            let errors = std::mem::take(&mut self.diagnostics);
            self.diagnostics =
                lbgen::diag::sorted(warnings.iter().cloned().chain(errors).collect());
        }
        self
    }

    /// Every diagnostic under rule `rule` instead.
    pub(crate) fn named(mut self, rule: &str) -> Self {
        for d in &mut self.diagnostics {
            d.rule = rule.to_string();
        }
        self
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let messages: Vec<String> = self.diagnostics.iter().map(|d| d.to_string()).collect();
        f.write_str(&messages.join("\n"))
    }
}

impl Error for Failure {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.cause.as_deref().map(|c| c as &(dyn Error + 'static))
    }
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        Failure::invalid(diagnostics)
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure::invalid(vec![d])
    }
}

impl From<LiveError> for Failure {
    fn from(e: LiveError) -> Self {
        let rule = match &e {
            LiveError::Kubeconfig(_) => "live/kubeconfig",
            LiveError::Client { .. } => "live/client",
            LiveError::List { .. } => "live/list",
            LiveError::DryRun { .. } => "live/dry-run",
            LiveError::Snapshot { .. } => "live/snapshot",
        };
        Failure::caused_by(Exit::Unreachable, rule, e)
    }
}

impl From<ScopeError> for Failure {
    fn from(e: ScopeError) -> Self {
        Failure::caused_by(Exit::Invalid, "live/scope", e)
    }
}

impl From<EmitError> for Failure {
    fn from(e: EmitError) -> Self {
        Failure::caused_by(Exit::Invalid, "emit/io", e)
    }
}

impl From<ProbeError> for Failure {
    fn from(e: ProbeError) -> Self {
        match e {
            ProbeError::BadUrl { .. } => Failure::caused_by(Exit::Invalid, "check/input", e),
            ProbeError::Unreachable { .. } => {
                Failure::caused_by(Exit::Unreachable, "check/unreachable", e)
            }
        }
    }
}

impl From<lbgen::krm::InputError> for Failure {
    fn from(e: lbgen::krm::InputError) -> Self {
        Failure::caused_by(Exit::Invalid, "krm/input", e)
    }
}

impl From<output::WriteError> for Failure {
    fn from(e: output::WriteError) -> Self {
        let mut failure = Failure::caused_by(Exit::Invalid, "output/stdout", e);
        failure.style = TextStyle::LineWithRule;
        failure
    }
}

/// Reports how a subcommand ended (a failure in `format`) and gives its exit code.
pub(crate) fn finish(ended: Ended, format: ReportFormat) -> ExitCode {
    match ended {
        Ok(Success::Clean) => ExitCode::SUCCESS,
        Ok(Success::Differs) => ExitCode::from(1),
        Ok(Success::DiffProgram(code)) => ExitCode::from(code),
        Err(failure) => {
            let code = match failure.exit {
                Exit::Invalid => 2,
                Exit::Unreachable => 3,
            };
            match report_failure(&failure, format) {
                Ok(()) => ExitCode::from(code),
                Err(unwritten) => {
                    report_failure(&unwritten, ReportFormat::Text).ok();
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// Writes a failure's diagnostics in `format` ([`print_findings`]), or as the one-line
/// text its style asks for.
fn report_failure(failure: &Failure, format: ReportFormat) -> Result<(), Failure> {
    let diagnostics = &failure.diagnostics;
    match (format, failure.style) {
        (ReportFormat::Text, TextStyle::Line) => report::lines_to_stderr(diagnostics, false),
        (ReportFormat::Text, TextStyle::LineWithRule) => report::lines_to_stderr(diagnostics, true),
        _ => print_findings(
            format,
            diagnostics,
            &failure.sources,
            failure.rules.as_deref(),
        )
        .map_err(Failure::from)?,
    }
    Ok(())
}

/// Diagnostics in one format of the shared `-o` vocabulary: text (with source snippets
/// from `sources`) on stderr, every other format on stdout. SARIF describes `rules`, or the
/// built-in rules when none are given; JUnit has a suite for each of `sources`.
pub(crate) fn print_findings(
    format: ReportFormat,
    diagnostics: &[Diagnostic],
    sources: &[Source],
    rules: Option<&[RuleSummary]>,
) -> Result<(), output::WriteError> {
    let file_names = || sources.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    match format {
        ReportFormat::Text => {
            report::to_stderr(diagnostics, sources);
            Ok(())
        }
        ReportFormat::Json => report::print_json(&report::json(diagnostics)),
        ReportFormat::Sarif => {
            let builtin = || {
                lbgen::policy::builtin()
                    .map(|p| p.rule_summaries())
                    .unwrap_or_default()
            };
            let rules = rules.map_or_else(builtin, <[RuleSummary]>::to_vec);
            report::print_json(&sarif::log(diagnostics, &rules))
        }
        ReportFormat::Github => output::stdout_plain(&ci_report::github(diagnostics)),
        ReportFormat::Gitlab => output::stdout_plain(&ci_report::gitlab(diagnostics)),
        ReportFormat::Junit => output::stdout_plain(&junit::xml_report(&junit::suites_by_file(
            diagnostics,
            &file_names(),
        ))),
    }
}

/// `Ok(Success::Differs)` when `differs`, else `Ok(Success::Clean)`.
pub(crate) fn differs_if(differs: bool) -> Ended {
    Ok(if differs {
        Success::Differs
    } else {
        Success::Clean
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_library_error_keeps_its_cause_and_exit() {
        let live = LiveError::Snapshot {
            path: "snap".into(),
            reason: "not a directory".into(),
        };
        let failure = Failure::from(live).in_one_line();
        assert_eq!(failure.exit, Exit::Unreachable);
        assert_eq!(failure.diagnostics[0].rule, "live/snapshot");
        assert_eq!(
            failure.diagnostics[0].message,
            "cannot read live state from `snap`: not a directory"
        );
        let cause = failure.source().expect("the cause is kept");
        assert!(matches!(
            cause.downcast_ref::<LiveError>(),
            Some(LiveError::Snapshot { .. })
        ));
        let bad_url = ProbeError::BadUrl {
            url: "ftp://x".into(),
            reason: "not http",
        };
        assert_eq!(Failure::from(bad_url).exit, Exit::Invalid);
    }

    #[test]
    fn warnings_found_before_a_failure_join_it_in_order() {
        let warning = Diagnostic {
            severity: lbgen::diag::Severity::Warning,
            ..Diagnostic::error(
                "w",
                "late",
                Some(lbgen::diag::Location {
                    file: "a".into(),
                    line: 2,
                    column: 1,
                }),
            )
        };
        let failure = Failure::error("e", "boom").after(std::slice::from_ref(&warning));
        let rules: Vec<&str> = failure
            .diagnostics
            .iter()
            .map(|d| d.rule.as_str())
            .collect();
        assert_eq!(rules, ["e", "w"]);
    }
}
