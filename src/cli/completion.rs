//! `kubectl lbgen completion SHELL` and `kubectl lbgen man`: generated from the clap
//! definition, so they never drift from the real flags.

use super::Cli;
use super::outcome::{Ended, Failure, Success};
use clap::{Args, CommandFactory};

#[derive(Debug, Args)]
pub(crate) struct CompletionArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub(crate) fn completion(args: CompletionArgs) -> Ended {
    let mut cmd = Cli::command();
    // Completes the binary name kubectl runs (`kubectl-lbgen`); kubectl >= 1.26 hands
    // `kubectl lbgen <TAB>` to a `kubectl_complete-lbgen` script (see README).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "kubectl-lbgen", &mut script);
    super::output::stdout_plain(&String::from_utf8_lossy(&script))?;
    Ok(Success::Clean)
}

pub(crate) fn man() -> Ended {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|e| Failure::error("man/render", format!("cannot render the man page: {e}")))?;
    super::output::stdout_plain(&String::from_utf8_lossy(&page))?;
    Ok(Success::Clean)
}
