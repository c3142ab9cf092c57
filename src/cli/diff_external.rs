//! Running `KUBECTL_EXTERNAL_DIFF` as kubectl does: two temporary directories, `LIVE-*`
//! and `MERGED-*`, one file per object, then `<program> [args] LIVE MERGED` with our
//! stdout and stderr; its exit code is ours (0 same, 1 different, above 1 its failure).

use super::Outcome;
use lbgen::diff::{Report, external};
use std::io::Write;

pub(crate) fn run(report: &Report, program: &[String]) -> Outcome {
    let fail = |message: String| super::diff::fail(&message, Outcome::Invalid);
    let dirs = tempfile::Builder::new()
        .prefix("LIVE-")
        .tempdir()
        .and_then(|live| Ok((live, tempfile::Builder::new().prefix("MERGED-").tempdir()?)));
    let (live, merged) = match dirs {
        Ok(d) => d,
        Err(e) => {
            return fail(format!(
                "cannot create the directories for KUBECTL_EXTERNAL_DIFF: {e}"
            ));
        }
    };
    if let Err(e) = external::write_trees(report, live.path(), merged.path()) {
        return fail(e.to_string());
    }
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
        return fail("KUBECTL_EXTERNAL_DIFF is empty".into());
    };
    let status = std::process::Command::new(name)
        .args(args)
        .arg(live.path())
        .arg(merged.path())
        .status();
    match status {
        Ok(s) => match s.code() {
            Some(0) => Outcome::Success,
            Some(1) => Outcome::Differs,
            Some(code) => Outcome::DiffProgram(u8::try_from(code).unwrap_or(u8::MAX)),
            None => fail(format!(
                "KUBECTL_EXTERNAL_DIFF program `{name}` was killed by a signal"
            )),
        },
        Err(e) => fail(format!(
            "cannot run KUBECTL_EXTERNAL_DIFF program `{name}`: {e}"
        )),
    }
}
