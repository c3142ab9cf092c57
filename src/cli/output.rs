//! The one way subcommands write to stdout: the whole text in one go, flushed, with the
//! error looked at.
//!
//! A closed pipe (`lbgen render | head`) is the reader's choice and counts as success;
//! any other failure (a full disk, `/dev/full`, a revoked terminal) is a [`WriteError`]
//! (exit 2 with a message), because the output a CI job or Argo CD reads would be cut
//! short. Subcommands build their whole output before calling this, so nothing is printed
//! on an error found while building it.

use std::io::{ErrorKind, Write};

/// Stdout could not take the output.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot write to stdout: {0}; the output is incomplete (free space or fix the redirection, then run again)"
)]
pub(crate) struct WriteError(#[source] std::io::Error);

/// Writes `text` to stdout (colour stripped by anstream where the terminal rules say so);
/// a broken pipe is success.
pub(crate) fn stdout(text: &str) -> Result<(), WriteError> {
    let mut out = anstream::stdout().lock();
    finish(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// Writes bytes to stdout unstyled (YAML, JSON), same rules as `stdout`.
pub(crate) fn stdout_plain(text: &str) -> Result<(), WriteError> {
    let mut out = std::io::stdout().lock();
    finish(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

fn finish(result: std::io::Result<()>) -> Result<(), WriteError> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(WriteError(e)),
    }
}
