//! `kubectl lbgen schema`: the JSON Schema of the spec (or, with `--policy`, of rule
//! files), generated from the Rust types, for editors and CI.

use super::outcome::{Ended, Success};
use clap::Args;

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Print the schema of policy rule files instead of specs.
    #[arg(long)]
    policy: bool,
}

pub(crate) fn execute(args: SchemaArgs) -> Ended {
    let schema = if args.policy {
        lbgen::policy::rules::rule_file_schema()
    } else {
        lbgen::spec::schema::spec_schema()
    };
    let text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    super::output::stdout_plain(&format!("{text}\n"))?;
    Ok(Success::Clean)
}
