//! The one way subcommands write to stdout: the whole text in one go, flushed, with the
//! error looked at.
//!
//! A closed pipe (`lbgen render | head`) is the reader's choice and counts as success;
//! any other failure (a full disk, `/dev/full`, a revoked terminal) is exit 2 with a
//! message, because the output a CI job or Argo CD reads would be cut short. Subcommands
//! build their whole output before calling this, so nothing is printed on an error found
//! while building it.

use super::Outcome;
use std::io::{ErrorKind, Write};

/// Writes `text` to stdout (colour stripped by anstream where the terminal rules say so)
/// and returns `ok` on success or a broken pipe, exit 2 on any other error.
pub(crate) fn stdout(text: &str, ok: Outcome) -> Outcome {
    let mut out = anstream::stdout().lock();
    finish(
        out.write_all(text.as_bytes()).and_then(|()| out.flush()),
        ok,
    )
}

/// Writes bytes to stdout unstyled (YAML, JSON), same rules as `stdout`.
pub(crate) fn stdout_plain(text: &str, ok: Outcome) -> Outcome {
    let mut out = std::io::stdout().lock();
    finish(
        out.write_all(text.as_bytes()).and_then(|()| out.flush()),
        ok,
    )
}

fn finish(result: std::io::Result<()>, ok: Outcome) -> Outcome {
    match result {
        Ok(()) => ok,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => ok,
        Err(e) => {
            const ERROR: anstyle::Style = anstyle::AnsiColor::Red.on_default().bold();
            let _ = writeln!(
                anstream::stderr(),
                "{ERROR}error{ERROR:#}: cannot write to stdout: {e}; the output is incomplete (free space or fix the redirection, then run again) [output/stdout]"
            );
            Outcome::Invalid
        }
    }
}
