//! The command line: clap definitions, one file per subcommand, and the one place where
//! outcomes become exit codes.

mod check;
mod check_view;
mod cmp;
mod completion;
mod diff;
mod diff_external;
mod explain;
mod help;
mod inputs;
mod krm;
mod output;
mod render;
mod report;
mod sarif;
mod schema;
mod validate;

use clap::{Parser, Subcommand};
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
    #[command(after_help = help::RENDER)]
    Render(render::RenderArgs),
    /// Check specs against the built-in and your rules; render nothing.
    #[command(after_help = help::VALIDATE)]
    Validate(validate::ValidateArgs),
    /// Print the JSON Schema of lbgen.dev/v1alpha1 (or of rule files with --policy).
    #[command(after_help = help::SCHEMA)]
    Schema(schema::SchemaArgs),
    /// Explain a spec field: meaning, limits per provider, what it becomes.
    #[command(after_help = help::EXPLAIN)]
    Explain(explain::ExplainArgs),
    /// Argo CD config-management plugin steps (discover, generate).
    #[command(after_help = help::CMP)]
    Cmp(cmp::CmpArgs),
    /// Run as a KRM function: ResourceList on stdin, rendered ResourceList on stdout.
    #[command(after_help = help::KRM)]
    Krm,
    /// Print shell completions (bash, zsh, fish, elvish, powershell, kubectl).
    #[command(after_help = help::COMPLETION)]
    Completion(completion::CompletionArgs),
    /// Print the man page (roff), or write every page with --dir.
    #[command(after_help = help::MAN)]
    Man(completion::ManArgs),
    /// Candidates for kubectl's plugin completion (the `kubectl_complete-lbgen` helper).
    #[command(name = "__complete", hide = true)]
    Complete(completion::CompleteArgs),
    /// Show what applying the rendered objects would change in the cluster.
    #[command(after_help = help::DIFF)]
    Diff(diff::DiffArgs),
    /// Check that traffic flows as the spec promises: simulated, or against --target.
    #[command(after_help = help::CHECK)]
    Check(check::CheckArgs),
}

/// How a subcommand ended, in the terms of docs/spec.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// 0: success, no difference.
    Success,
    /// 1: differences found, a promise broken, or a rule test failed.
    Differs,
    /// 2: invalid input, policy violation or capability error; nothing written.
    Invalid,
    /// 3: cannot reach or read the cluster or target.
    Unreachable,
    /// An external diff program's own failure code (above 1), passed on as kubectl does.
    DiffProgram(u8),
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Differs => ExitCode::from(1),
            Outcome::Invalid => ExitCode::from(2),
            Outcome::Unreachable => ExitCode::from(3),
            Outcome::DiffProgram(code) => ExitCode::from(code),
        }
    }
}

pub(crate) fn main() -> ExitCode {
    completion::answer_shell();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let outcome = match cli.command {
        Command::Render(args) => render::execute(args),
        Command::Validate(args) => validate::execute(args),
        Command::Schema(args) => schema::execute(args),
        Command::Explain(args) => explain::execute(args),
        Command::Cmp(args) => cmp::execute(args),
        Command::Krm => krm::execute(),
        Command::Completion(args) => completion::completion(args),
        Command::Man(args) => completion::man(args),
        Command::Complete(args) => completion::complete(args),
        Command::Diff(args) => diff::execute(args),
        Command::Check(args) => check::execute(args),
    };
    outcome.into()
}
