//! `kubectl lbgen krm`: run as a KRM function (`kpt fn eval --exec`, kustomize exec
//! generators): ResourceList on stdin, ResourceList on stdout; exit 1 when a result is an
//! error (the orchestrator then shows the results), 2 when stdin is not a ResourceList.

use super::outcome::{Ended, Failure, differs_if};
use std::io::Read;

pub(crate) fn execute() -> Ended {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| Failure::error("krm/input", format!("cannot read stdin: {e}")))?;
    let policies = lbgen::policy::builtin()?;
    let renderer = lbgen::render::Renderer::new(None);
    let outcome = lbgen::krm::run(&input, &policies, &renderer)?;
    let text = serde_saphyr::to_string(&outcome.resource_list)
        .map_err(|e| Failure::error("krm/output", format!("cannot write the ResourceList: {e}")))?;
    super::output::stdout_plain(&text)?;
    differs_if(!outcome.ok)
}
