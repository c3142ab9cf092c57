//! `kubectl lbgen validate`: load, plan and judge every spec with the built-in and the
//! user's rules; render nothing. Exit 0 when clean or warnings only, 2 on any error.

use super::inputs::{Loaded, SpecInputs};
use super::outcome::{Ended, Failure, ReportFormat, Success, differs_if};
use clap::Args;
use lbgen::diag::Severity;
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

impl ValidateArgs {
    /// The format findings (and failures) are reported in.
    pub(crate) fn report_format(&self) -> ReportFormat {
        self.output
    }
}

pub(crate) fn execute(args: ValidateArgs) -> Ended {
    if let Some(dir) = &args.test {
        return run_tests(dir, &args.inputs);
    }
    // An unreadable file or a broken rule is a finding like any other: reported in the
    // format asked for, so CI that reads stdout sees it.
    let Loaded {
        sources,
        policies,
        overrides,
    } = args.inputs.load()?;
    let mut diagnostics = lbgen::validate(&sources, &overrides, &policies);
    if args.warnings_as_errors {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    let rules = policies.rule_summaries();
    if lbgen::diag::has_errors(&diagnostics) {
        return Err(Failure::invalid(diagnostics)
            .quoting(sources)
            .with_rules(rules));
    }
    super::outcome::print_findings(args.output, &diagnostics, &sources, Some(&rules))?;
    Ok(Success::Clean)
}

/// `validate --test DIR`: one line per case, failures explained, then `N passed, M failed`.
/// Exit 0 when every case holds, 1 when one does not (as `kyverno test` and `opa test`).
fn run_tests(dir: &std::path::Path, inputs: &SpecInputs) -> Ended {
    let policies = lbgen::policy::load(&inputs.policy_dirs).map_err(lbgen::diag::sorted)?;
    let results = lbgen::rule_test::run_dir(dir, &policies)?;
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
    super::output::stdout_plain(&out)?;
    differs_if(failed != 0)
}
