//! `kubectl lbgen completion SHELL`, the hidden `__complete` that kubectl's plugin
//! completion calls, and `kubectl lbgen man`: all generated from the clap definition, so
//! they never drift from the real flags.
//!
//! The shell scripts complete the binary `kubectl-lbgen` dynamically: each TAB runs
//! `LBGEN_COMPLETE=<shell> kubectl-lbgen -- <words>` (clap_complete's engine, answered in
//! [`answer_shell`] before any parsing). clap_complete's static bash script cannot be used:
//! for a binary whose name has a `-` it names each subcommand's case differently from the
//! word matcher, so nothing after the first word completes. `kubectl lbgen <TAB>` is
//! kubectl's own completion (kubectl >= 1.26): it runs an executable named
//! `kubectl_complete-lbgen` with the words typed after `lbgen` and reads candidates in
//! cobra's protocol (one per line, `value<TAB>help`, then `:<directive>`);
//! `completion kubectl` prints that helper, which calls `__complete`.

use super::Cli;
use super::outcome::{Ended, Failure, Success};
use clap::{Args, CommandFactory, ValueEnum};
use std::ffi::OsString;
use std::path::PathBuf;

/// The name completions and man pages are generated for: what kubectl runs and what is on
/// PATH (`kubectl lbgen` is two words, which the scripts cannot match on).
const BINARY: &str = "kubectl-lbgen";

/// The environment variable through which the shell scripts ask for candidates.
const COMPLETE_VAR: &str = "LBGEN_COMPLETE";

/// Cobra's `ShellCompDirectiveNoFileComp`: the candidates are complete, files included.
const NO_FILE_COMPLETION: u8 = 4;

#[derive(Debug, Args)]
pub(crate) struct CompletionArgs {
    /// The shell to complete in, or `kubectl` for the `kubectl_complete-lbgen` helper.
    #[arg(value_enum)]
    shell: Target,
}

/// What `completion` prints a script for.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Target {
    /// bash (`source <(kubectl-lbgen completion bash)`).
    Bash,
    /// zsh.
    Zsh,
    /// fish.
    Fish,
    /// elvish.
    Elvish,
    /// PowerShell.
    Powershell,
    /// The `kubectl_complete-lbgen` helper for `kubectl lbgen <TAB>` (kubectl >= 1.26).
    Kubectl,
}

/// The helper kubectl runs for `kubectl lbgen <TAB>`.
const KUBECTL_HELPER: &str = "#!/bin/sh\n# kubectl >= 1.26 runs this for `kubectl lbgen <TAB>`: save it as an executable named\n# kubectl_complete-lbgen on PATH (beside kubectl-lbgen).\nexec kubectl-lbgen __complete \"$@\"\n";

/// The clap definition with the binary's own name, so every generated name agrees.
fn command() -> clap::Command {
    super::env::with_env_twins(Cli::command())
        .bin_name(BINARY)
        .name(BINARY)
}

/// Answers a shell script's completion request and exits, when `LBGEN_COMPLETE` says this
/// run is one; otherwise returns at once.
pub(crate) fn answer_shell() {
    clap_complete::CompleteEnv::with_factory(command)
        .var(COMPLETE_VAR)
        .bin(BINARY)
        .completer(BINARY)
        .complete();
}

pub(crate) fn completion(args: CompletionArgs) -> Ended {
    let name = match args.shell {
        Target::Bash => "bash",
        Target::Zsh => "zsh",
        Target::Fish => "fish",
        Target::Elvish => "elvish",
        Target::Powershell => "powershell",
        Target::Kubectl => {
            super::output::stdout_plain(KUBECTL_HELPER)?;
            return Ok(Success::Clean);
        }
    };
    let shells = clap_complete::env::Shells::builtins();
    let mut script = Vec::new();
    let written = shells
        .completer(name)
        .map(|shell| shell.write_registration(COMPLETE_VAR, BINARY, BINARY, BINARY, &mut script));
    match written {
        Some(Ok(())) => {
            super::output::stdout_plain(&String::from_utf8_lossy(&script))?;
            Ok(Success::Clean)
        }
        _ => Err(Failure::error(
            "completion/script",
            format!("cannot write the {name} completion script"),
        )),
    }
}

#[derive(Debug, Args)]
pub(crate) struct CompleteArgs {
    /// The words after `kubectl lbgen`, the last one being completed (may be empty).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    words: Vec<OsString>,
}

/// Prints the candidates for the last word in cobra's protocol: `value<TAB>help` lines,
/// then the directive line.
pub(crate) fn complete(args: CompleteArgs) -> Ended {
    let mut words = vec![OsString::from(BINARY)];
    words.extend(args.words);
    if words.len() == 1 {
        words.push(OsString::new());
    }
    let index = words.len() - 1;
    let dir = std::env::current_dir().ok();
    // No candidates (an unparsable line) is an empty answer, as cobra's protocol allows.
    let candidates = clap_complete::engine::complete(&mut command(), words, index, dir.as_deref())
        .unwrap_or_default();
    let mut out = String::new();
    for candidate in candidates.iter().filter(|c| !c.is_hide_set()) {
        let value = candidate.get_value().to_string_lossy();
        // A tab or newline in a value would break the protocol's lines; none of lbgen's
        // flags or values has one, but file names may.
        if value.contains(['\t', '\n']) {
            continue;
        }
        out.push_str(&value);
        if let Some(help) = candidate.get_help() {
            let help = help.to_string();
            let first = help.lines().next().unwrap_or_default();
            if !first.is_empty() {
                out.push('\t');
                out.push_str(first);
            }
        }
        out.push('\n');
    }
    out.push_str(&format!(":{NO_FILE_COMPLETION}\n"));
    super::output::stdout_plain(&out)?;
    Ok(Success::Clean)
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write every page (`kubectl-lbgen.1` and one per subcommand, as the top page's SEE
    /// ALSO names them) into this directory instead of printing the top page.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    dir: Option<PathBuf>,
}

/// The definition the man pages describe: without clap's `help` subcommand, for which
/// clap_mangen writes no page (the top page would name a page that does not exist).
fn man_command() -> clap::Command {
    command().disable_help_subcommand(true)
}

pub(crate) fn man(args: ManArgs) -> Ended {
    if let Some(dir) = args.dir {
        clap_mangen::generate_to(man_command(), &dir).map_err(|e| {
            Failure::error(
                "man/write",
                format!(
                    "cannot write the man pages into `{}`: {e}; create the directory or pick a writable one",
                    dir.display()
                ),
            )
        })?;
        return Ok(Success::Clean);
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(man_command())
        .render(&mut page)
        .map_err(|e| Failure::error("man/render", format!("cannot render the man page: {e}")))?;
    super::output::stdout_plain(&String::from_utf8_lossy(&page))?;
    Ok(Success::Clean)
}
