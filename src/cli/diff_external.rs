//! Running `KUBECTL_EXTERNAL_DIFF` as kubectl does: two temporary directories, `LIVE-*`
//! and `MERGED-*`, one file per object, then `<program> [args] LIVE MERGED` with our
//! stdout and stderr; its exit code is ours (0 same, 1 different, above 1 its failure).

use super::diff::fail;
use super::outcome::{Ended, Failure, Success};
use lbgen::diff::{Report, external};
use std::io::Write;

pub(crate) fn run(report: &Report, program: &[String]) -> Ended {
    let refused = |message: String| fail(Failure::error("diff/external", message));
    let dirs = tempfile::Builder::new()
        .prefix("LIVE-")
        .tempdir()
        .and_then(|live| Ok((live, tempfile::Builder::new().prefix("MERGED-").tempdir()?)));
    let (live, merged) = dirs.map_err(|e| {
        refused(format!(
            "cannot create the directories for KUBECTL_EXTERNAL_DIFF: {e}"
        ))
    })?;
    external::write_trees(report, live.path(), merged.path())
        .map_err(|e| fail(Failure::from(e).named("diff/external")))?;
    // The warnings are not in the files: say them on stderr so they are not lost.
    let mut err = anstream::stderr();
    for o in &report.objects {
        for w in &o.warnings {
            let _ = writeln!(
                err,
                "warning: {} {}/{}: {}: {}",
                o.kind, o.namespace, o.name, w.field, w.message
            );
        }
    }
    let Some((name, args)) = program.split_first() else {
        return Err(refused("KUBECTL_EXTERNAL_DIFF is empty".into()));
    };
    let status = std::process::Command::new(name)
        .args(args)
        .arg(live.path())
        .arg(merged.path())
        .status();
    match status {
        Ok(s) => match s.code() {
            Some(0) => Ok(Success::Clean),
            Some(1) => Ok(Success::Differs),
            Some(code) => Ok(Success::DiffProgram(u8::try_from(code).unwrap_or(u8::MAX))),
            None => Err(refused(format!(
                "KUBECTL_EXTERNAL_DIFF program `{name}` was killed by a signal"
            ))),
        },
        Err(e) => Err(refused(format!(
            "cannot run KUBECTL_EXTERNAL_DIFF program `{name}`: {e}"
        ))),
    }
}
