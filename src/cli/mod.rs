//! The command line: clap definitions, one file per subcommand; every subcommand returns
//! how it ended (`outcome`), which `main` reports once and turns into the exit code.

mod catalogue;
mod check;
mod check_findings;
mod check_view;
mod ci_report;
mod cmp;
mod completion;
mod diff;
mod diff_external;
mod diff_findings;
mod env;
mod explain;
mod explain_annotation;
mod help;
mod import;
mod inputs;
mod junit;
mod krm;
mod kustomize;
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

/// Compile one load-balancer spec into the provider-annotated Service/Ingress YAML each
/// cloud's controller reads (the providers: `about()`, from the registry).
#[derive(Debug, Parser)]
#[command(name = "kubectl-lbgen", bin_name = "kubectl lbgen", version, about = about(), long_about = None)]
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
    /// List every annotation the providers document, and how lbgen handles each.
    #[command(after_help = help::CATALOGUE)]
    Catalogue(catalogue::CatalogueArgs),
    /// Turn existing provider-annotated Services and Ingresses into lbgen specs, with a report.
    #[command(after_help = help::IMPORT)]
    Import(import::ImportArgs),
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
            | Command::Man(_)
            | Command::Complete(_)
            | Command::Catalogue(_)
            | Command::Import(_) => ReportFormat::Text,
        }
    }
}

pub(crate) fn main() -> ExitCode {
    completion::answer_shell();
    let parsed = env::with_env_twins(<Cli as clap::CommandFactory>::command())
        .try_get_matches()
        .and_then(|matches| <Cli as clap::FromArgMatches>::from_arg_matches(&matches));
    let cli = match parsed {
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
        Command::Man(args) => completion::man(args),
        Command::Complete(args) => completion::complete(args),
        Command::Diff(args) => diff::execute(args),
        Command::Check(args) => check::execute(args),
        Command::Catalogue(args) => catalogue::execute(args),
        Command::Import(args) => import::execute(args),
    };
    outcome::finish(ended, format)
}

/// The one-line description of `--help`: what lbgen is, with the registered providers.
fn about() -> String {
    let names: Vec<&str> = lbgen::provider::registry()
        .packs()
        .map(|p| p.display_name())
        .collect();
    let providers = match names.split_last() {
        None => String::new(),
        Some((last, [])) => format!(" of {last}"),
        Some((last, rest)) => format!(" of {} and {last}", rest.join(", ")),
    };
    format!(
        "Compile one load-balancer spec into the provider-annotated Service/Ingress YAML{providers}"
    )
}
