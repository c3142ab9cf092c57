//! `kubectl-lbgen`: parse the command line, run the library, map the outcome to the exit
//! codes of docs/spec.md (0 ok, 1 differences, 2 invalid input, 3 cluster/target unreachable).

// As in the library: a `Diagnostic` is the error value of input paths, returned once.
#![allow(clippy::result_large_err)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
