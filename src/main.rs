//! `kubectl-lbgen`: parse the command line, run the library, map the outcome to the exit
//! codes of SPEC.md (0 ok, 1 differences, 2 invalid input, 3 cluster/target unreachable).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
