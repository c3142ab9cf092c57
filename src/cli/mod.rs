//! The command line: clap definitions, one file per subcommand, and the one place where
//! outcomes become exit codes.

mod check;
mod check_view;
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
    /// Check that traffic flows as the spec promises: simulated, or against --target.
    Check(check::CheckArgs),
}

/// How a subcommand ended, in SPEC.md's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// 0: success, no difference.
    Success,
    /// 1: `check` found the data plane off its promise.
    Broken,
    /// 2: invalid input, policy violation or capability error; nothing written.
    Invalid,
    /// 3: the cluster or target cannot be reached or read.
    Unreachable,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Broken => ExitCode::from(1),
            Outcome::Invalid => ExitCode::from(2),
            Outcome::Unreachable => ExitCode::from(3),
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
        Command::Check(args) => check::execute(args),
    };
    outcome.into()
}
