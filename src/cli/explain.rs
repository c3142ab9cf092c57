//! `kubectl lbgen explain FIELD [--provider P]`: the field's meaning, shape, what it
//! becomes for the provider and the rules that judge it (like `kubectl explain`).

use super::outcome::{Ended, Failure, Success};
use clap::Args;
use lbgen::provider::ProviderId;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// Field path, e.g. spec.stickiness.timeout, or a provider annotation key, e.g.
    /// kubernetes.io/elb.lb-algorithm.
    field: String,
    /// Only this provider's mapping and rules.
    #[arg(long, value_parser = super::inputs::provider_parser())]
    provider: Option<ProviderId>,
    /// Also show the rules in these directories.
    #[arg(long = "policy-dir", value_name = "DIR")]
    policy_dirs: Vec<PathBuf>,
}

pub(crate) fn execute(args: ExplainArgs) -> Ended {
    if super::explain_annotation::is_annotation(&args.field) {
        return super::explain_annotation::execute(&args.field, args.provider);
    }
    let files = lbgen::policy::load_files(&args.policy_dirs)?;
    let provider = args.provider.map(ProviderId::as_str);
    let Some(e) = lbgen::explain::explain(&args.field, provider, &files) else {
        return Err(Failure::error(
            "explain/field",
            format!(
                "no field `{}` in lbgen.dev/v1alpha1; try `kubectl lbgen explain spec`",
                args.field
            ),
        ));
    };
    let mut text = format!(
        "FIELD:    {}\nTYPE:     {}\n\nDESCRIPTION:\n",
        e.field, e.shape
    );
    for line in e.description.lines() {
        text.push_str(&format!("    {line}\n"));
    }
    if !e.fields.is_empty() {
        text.push_str(&format!("\nFIELDS:\n    {}\n", e.fields.join("\n    ")));
    }
    if !e.becomes.is_empty() {
        text.push_str("\nBECOMES:\n");
        for b in &e.becomes {
            text.push_str(&format!("    {b}\n"));
        }
    }
    if !e.rules.is_empty() {
        text.push_str("\nRULES:\n");
        for (id, severity, message) in &e.rules {
            text.push_str(&format!("    {id} ({severity}): {message}\n"));
        }
    }
    super::output::stdout_plain(&text)?;
    Ok(Success::Clean)
}
