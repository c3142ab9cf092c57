//! The command line: clap definitions, one file per subcommand, and the one place where
//! outcomes become exit codes.

mod diff;
mod diff_external;
mod render;
mod report;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Compile one load-balancer spec into the provider-annotated Service/Ingress YAML of
/// Huawei CCE, Alibaba ACK and Tencent TKE.
#[derive(Debug, Parser)]
#[command(name = "kubectl-lbgen", bin_name = "kubectl lbgen", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render specs into Kubernetes objects (stdout or --out-dir).
    Render(render::RenderArgs),
    /// Show what applying the rendered objects would change in the cluster.
    Diff(diff::DiffArgs),
}

/// How a subcommand ended, in SPEC.md's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// 0: success, no difference.
    Success,
    /// 1: `diff` found differences.
    Differences,
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
            Outcome::Differences => ExitCode::from(1),
            Outcome::Invalid => ExitCode::from(2),
            Outcome::Unreachable => ExitCode::from(3),
            Outcome::DiffProgram(code) => ExitCode::from(code),
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
    let outcome = match cli.command {
        Command::Render(args) => render::execute(args),
        Command::Diff(args) => diff::execute(args),
    };
    outcome.into()
}
