//! `KUBECTL_EXTERNAL_DIFF`: the two directories kubectl hands to an external diff program,
//! one file per object named as kubectl names them, the live side normalised.

use super::Report;
use crate::emit::{self, EmitError};
use std::path::Path;

/// Writes `LIVE` and `MERGED` trees: every compared object's normalised live YAML and its
/// rendered YAML; an absent side is an empty file (as kubectl writes it). Secrets, never
/// read, are left out.
pub fn write_trees(report: &Report, live_dir: &Path, merged_dir: &Path) -> Result<(), EmitError> {
    for o in report
        .objects
        .iter()
        .filter(|o| o.state != super::State::NotRead)
    {
        let name = o.file_name();
        for (dir, object) in [(live_dir, &o.live), (merged_dir, &o.rendered)] {
            let text = object
                .as_ref()
                .map(emit::to_yaml)
                .transpose()?
                .unwrap_or_default();
            let path = dir.join(&name);
            // `create_new`: two objects never share a file unnoticed.
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
                .map_err(|source| EmitError::Io { path, source })?;
        }
    }
    Ok(())
}
