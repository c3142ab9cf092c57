//! The command line: clap definitions, one file per subcommand; every subcommand returns
//! how it ended (`outcome`), which `main` reports once and turns into the exit code.

mod check;
mod check_view;
mod cmp;
mod completion;
mod diff;
mod diff_external;
mod diff_sarif;
mod explain;
mod inputs;
mod krm;
mod outcome;
mod output;
mod render;
mod report;
mod sarif;
mod schema;
mod validate;

use clap::{Parser, Subcommand};
use outcome::ReportFormat;
use std::process::ExitCode;

/// Compile one load-balancer spec into the provider-annotated Service/Ingress YAML of
/// Huawei CCE, Alibaba ACK and Tencent TKE.
#[derive(Debug, Parser)]
#[command(name = "kubectl-lbgen", bin_name = "kubectl lbgen", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render specs into Kubernetes objects (stdout or --out-dir).
    Render(render::RenderArgs),
    /// Check specs against the built-in and your rules; render nothing.
    Validate(validate::ValidateArgs),
    /// Print the JSON Schema of lbgen.dev/v1alpha1 (or of rule files with --policy).
    Schema(schema::SchemaArgs),
    /// Explain a spec field: meaning, limits per provider, what it becomes.
    Explain(explain::ExplainArgs),
    /// Argo CD config-management plugin steps (discover, generate).
    Cmp(cmp::CmpArgs),
    /// Run as a KRM function: ResourceList on stdin, rendered ResourceList on stdout.
    Krm,
    /// Print shell completions (bash, zsh, fish, elvish, powershell).
    Completion(completion::CompletionArgs),
    /// Print the man page (roff).
    Man,
    /// Show what applying the rendered objects would change in the cluster.
    Diff(diff::DiffArgs),
    /// Check that traffic flows as the spec promises: simulated, or against --target.
    Check(check::CheckArgs),
}

impl Command {
    /// The format this invocation's `-o` asks failures to be reported in.
    fn report_format(&self) -> ReportFormat {
        match self {
            Command::Validate(args) => args.report_format(),
            Command::Diff(args) => args.report_format(),
            Command::Check(args) => args.report_format(),
            Command::Render(_)
            | Command::Schema(_)
            | Command::Explain(_)
            | Command::Cmp(_)
            | Command::Krm
            | Command::Completion(_)
            | Command::Man => ReportFormat::Text,
        }
    }
}

pub(crate) fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let format = cli.command.report_format();
    let ended = match cli.command {
        Command::Render(args) => render::execute(args),
        Command::Validate(args) => validate::execute(args),
        Command::Schema(args) => schema::execute(args),
        Command::Explain(args) => explain::execute(args),
        Command::Cmp(args) => cmp::execute(args),
        Command::Krm => krm::execute(),
        Command::Completion(args) => completion::completion(args),
        Command::Man => completion::man(),
        Command::Diff(args) => diff::execute(args),
        Command::Check(args) => check::execute(args),
    };
    outcome::finish(ended, format)
}
