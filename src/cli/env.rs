//! Every flag's environment twin, as helm-diff's `HELM_DIFF_*`: `--policy-dir` is also
//! `LBGEN_POLICY_DIR`, `--warnings-as-errors` `LBGEN_WARNINGS_AS_ERRORS`, and so on, so a CI
//! job or an Argo CD sidecar sets a flag once for every invocation. A flag given on the
//! command line wins over its variable; `--help` shows each variable beside its flag.
//!
//! The twins are added to the clap definition in one pass over every subcommand, so a new
//! flag gets its variable without anyone remembering to write it.

use clap::{Arg, Command};

/// The prefix of every flag's variable.
const PREFIX: &str = "LBGEN_";

/// `command` and all its subcommands with an `LBGEN_<FLAG>` variable on every long flag
/// (`--help` and `--version` aside).
pub(crate) fn with_env_twins(command: Command) -> Command {
    command.mut_args(twin).mut_subcommands(with_env_twins)
}

/// The variable of one flag: `--request-timeout` is `LBGEN_REQUEST_TIMEOUT`.
fn twin(arg: Arg) -> Arg {
    match arg.get_long() {
        Some(long) if !matches!(long, "help" | "version") => {
            let name = format!("{PREFIX}{}", long.to_ascii_uppercase().replace('-', "_"));
            arg.env(name)
        }
        _ => arg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_long_flag_gets_its_variable_and_help_none() {
        let cmd = with_env_twins(
            Command::new("t")
                .arg(Arg::new("request-timeout").long("request-timeout"))
                .subcommand(Command::new("s").arg(Arg::new("x").long("policy-dir"))),
        );
        let arg = cmd
            .get_arguments()
            .find(|a| a.get_id() == "request-timeout");
        assert_eq!(
            arg.and_then(Arg::get_env).and_then(|e| e.to_str()),
            Some("LBGEN_REQUEST_TIMEOUT")
        );
        let sub = cmd.find_subcommand("s").expect("subcommand");
        let nested = sub.get_arguments().find(|a| a.get_id() == "x");
        assert_eq!(
            nested.and_then(Arg::get_env).and_then(|e| e.to_str()),
            Some("LBGEN_POLICY_DIR")
        );
    }
}
