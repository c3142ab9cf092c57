//! `kubectl lbgen validate`: load, plan and judge every spec with the built-in and the
//! user's rules; render nothing. Exit 0 when clean or warnings only, 2 on any error.

use super::inputs::{Loaded, SpecInputs};
use super::{Outcome, report, sarif};
use clap::{Args, ValueEnum};
use lbgen::diag::{Diagnostic, Severity};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    #[command(flatten)]
    inputs: SpecInputs,
    /// Report format.
    #[arg(short = 'o', long = "output", value_enum, default_value = "text")]
    output: ReportFormat,
    /// Treat warnings as errors (exit 2 when any rule warns).
    #[arg(long)]
    warnings_as_errors: bool,
    /// Run the rule test cases in DIR (*.yaml with `cases:`) instead of judging -f specs.
    #[arg(long, value_name = "DIR", conflicts_with = "files")]
    test: Option<PathBuf>,
}

/// How findings are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// For people: the spec line with a caret (stderr).
    Text,
    /// A stable JSON document on stdout.
    Json,
    /// SARIF 2.1.0 on stdout, for code-scanning annotations in pull requests.
    Sarif,
}

pub(crate) fn execute(args: ValidateArgs) -> Outcome {
    if let Some(dir) = &args.test {
        return run_tests(dir, &args.inputs);
    }
    let Loaded {
        sources,
        policies,
        overrides,
    } = match args.inputs.try_load() {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            // An unreadable file or a broken rule is a finding like any other: reported in
            // the format asked for, so CI that reads stdout sees it.
            let rules = lbgen::policy::builtin()
                .map(|p| p.rule_summaries())
                .unwrap_or_default();
            return match args.output {
                ReportFormat::Text => {
                    report::to_stderr(&diagnostics, &[]);
                    Outcome::Invalid
                }
                ReportFormat::Json => print(&json_report(&diagnostics), Outcome::Invalid),
                ReportFormat::Sarif => print(&sarif::log(&diagnostics, &rules), Outcome::Invalid),
            };
        }
    };
    let mut diagnostics = lbgen::validate(&sources, &overrides, &policies);
    if args.warnings_as_errors {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    let outcome = if lbgen::diag::has_errors(&diagnostics) {
        Outcome::Invalid
    } else {
        Outcome::Success
    };
    match args.output {
        ReportFormat::Text => {
            report::to_stderr(&diagnostics, &sources);
            outcome
        }
        ReportFormat::Json => print(&json_report(&diagnostics), outcome),
        ReportFormat::Sarif => print(
            &sarif::log(&diagnostics, &policies.rule_summaries()),
            outcome,
        ),
    }
}

/// Prints a JSON report; a failed stdout write is exit 2 (`output`).
fn print(value: &serde_json::Value, outcome: Outcome) -> Outcome {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    super::output::stdout_plain(&format!("{text}\n"), outcome)
}

/// The `-o json` schema: one flat record per finding plus counts. Field names are stable.
pub(crate) fn json_report(diagnostics: &[Diagnostic]) -> serde_json::Value {
    let records: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "rule": d.rule,
                "severity": d.severity,
                "message": d.message,
                "file": d.location.as_ref().map(|l| PathBuf::from(&l.file)),
                "line": d.location.as_ref().map(|l| l.line),
                "column": d.location.as_ref().map(|l| l.column),
                "field": d.field,
                "provider": d.provider,
            })
        })
        .collect();
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    serde_json::json!({
        "diagnostics": records,
        "summary": {"errors": errors, "warnings": diagnostics.len() - errors},
    })
}

/// `validate --test DIR`: one line per case, failures explained, then `N passed, M failed`.
/// Exit 0 when every case holds, 1 when one does not (as `kyverno test` and `opa test`).
fn run_tests(dir: &std::path::Path, inputs: &SpecInputs) -> Outcome {
    let policies = match lbgen::policy::load(&inputs.policy_dirs) {
        Ok(p) => p,
        Err(d) => {
            report::to_stderr(&lbgen::diag::sorted(d), &[]);
            return Outcome::Invalid;
        }
    };
    let results = match lbgen::rule_test::run_dir(dir, &policies) {
        Ok(r) => r,
        Err(d) => {
            report::to_stderr(&d, &[]);
            return Outcome::Invalid;
        }
    };
    let mut out = String::new();
    let failed = results.iter().filter(|r| !r.passed()).count();
    for r in &results {
        let _ = writeln!(
            out,
            "{} {}",
            if r.passed() { "ok  " } else { "FAIL" },
            r.name
        );
        if !r.missing.is_empty() {
            let _ = writeln!(out, "     expected to fire: {}", r.missing.join(", "));
        }
        if !r.unexpected.is_empty() {
            let _ = writeln!(
                out,
                "     fired but listed under pass: {}",
                r.unexpected.join(", ")
            );
        }
        for why in &r.broken {
            let _ = writeln!(out, "     the spec cannot be judged: {why}");
        }
        if !r.passed() {
            let fired: Vec<&str> = r.fired.iter().map(String::as_str).collect();
            let _ = writeln!(
                out,
                "     fired: {}",
                if fired.is_empty() {
                    "nothing".into()
                } else {
                    fired.join(", ")
                }
            );
        }
    }
    let _ = writeln!(out, "{} passed, {failed} failed", results.len() - failed);
    let outcome = if failed == 0 {
        Outcome::Success
    } else {
        Outcome::Differs
    };
    super::output::stdout_plain(&out, outcome)
}
