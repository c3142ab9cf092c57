//! `kubectl lbgen krm`: run as a KRM function (`kpt fn eval --exec`, kustomize exec
//! generators): ResourceList on stdin, ResourceList on stdout; exit 1 when a result is an
//! error (the orchestrator then shows the results), 2 when stdin is not a ResourceList.

use super::{Outcome, report};
use lbgen::diag::Diagnostic;
use std::io::Read;

pub(crate) fn execute() -> Outcome {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        report::to_stderr(
            &[Diagnostic::error(
                "krm/input",
                format!("cannot read stdin: {e}"),
                None,
            )],
            &[],
        );
        return Outcome::Invalid;
    }
    let policies = match lbgen::policy::builtin() {
        Ok(p) => p,
        Err(d) => {
            report::to_stderr(&d, &[]);
            return Outcome::Invalid;
        }
    };
    let renderer = lbgen::render::Renderer::new(None);
    let outcome = match lbgen::krm::run(&input, &policies, &renderer) {
        Ok(o) => o,
        Err(e) => {
            report::to_stderr(&[Diagnostic::error("krm/input", e.to_string(), None)], &[]);
            return Outcome::Invalid;
        }
    };
    let text = match serde_saphyr::to_string(&outcome.resource_list) {
        Ok(t) => t,
        Err(e) => {
            report::to_stderr(
                &[Diagnostic::error(
                    "krm/output",
                    format!("cannot write the ResourceList: {e}"),
                    None,
                )],
                &[],
            );
            return Outcome::Invalid;
        }
    };
    let ok = if outcome.ok {
        Outcome::Success
    } else {
        Outcome::Differs
    };
    super::output::stdout_plain(&text, ok)
}
