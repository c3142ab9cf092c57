//! Which files of an `--out-dir` lbgen wrote, so that a re-render removes exactly those
//! that are no longer rendered and never touches anything else.
//!
//! A Flux or Argo CD directory that keeps the file of a deleted Service keeps the Service
//! alive, so stale renderings must go; but the directory is also the user's (a
//! `kustomization.yaml`, a README, hand-written manifests beside ours), so only files lbgen
//! can prove it wrote are removed. Proof is either of:
//! - the inventory `.lbgen-files` that every rendering writes beside its files (one
//!   relative path a line), which also covers passed-through objects and patch files, which
//!   carry no label of lbgen's;
//! - lbgen's managed-by label inside a `*.yaml`/`*.json` file, for directories rendered
//!   before the inventory existed.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The inventory's file name, at the top of the out-dir (hidden, so tools that read
/// `*.yaml` never see it).
pub(super) const FILE: &str = ".lbgen-files";

/// An inventory larger than this is not ours to trust (a rendering of 100,000 objects
/// has about 5 MB of paths); it is ignored and only labels count.
const MAX_INVENTORY_BYTES: u64 = 16 * 1024 * 1024;

/// How much of a file is read to look for the label: lbgen writes the label in the
/// metadata, which comes first.
const LABEL_WINDOW: u64 = 64 * 1024;

/// The inventory text for a rendering: its paths, sorted, one a line.
pub(super) fn render(files: &[(PathBuf, String)]) -> String {
    let paths: BTreeSet<String> = files
        .iter()
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .collect();
    let mut text = String::from(
        "# Files kubectl-lbgen wrote here; the next --out-dir run replaces exactly these.\n",
    );
    for p in paths {
        text.push_str(&p);
        text.push('\n');
    }
    text
}

/// The paths an earlier rendering listed. Lines that are not plain relative paths are
/// ignored: the file sits in a directory anyone can commit to.
pub(super) fn read(dir: &Path) -> BTreeSet<PathBuf> {
    let mut text = String::new();
    let read = std::fs::File::open(dir.join(FILE))
        .and_then(|f| f.take(MAX_INVENTORY_BYTES + 1).read_to_string(&mut text));
    if read.is_err() || text.len() as u64 > MAX_INVENTORY_BYTES {
        return BTreeSet::new();
    }
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.components().all(|c| matches!(c, Component::Normal(_))))
        .collect()
}

/// Whether lbgen wrote the file at `path` (relative path `rel`) in an earlier run.
pub(super) fn is_ours(rel: &Path, path: &Path, listed: &BTreeSet<PathBuf>) -> bool {
    if rel == Path::new(FILE) || listed.contains(rel) {
        return true;
    }
    let name = rel.to_string_lossy();
    if !(name.ends_with(".yaml") || name.ends_with(".json")) {
        return false;
    }
    let mut head = String::new();
    let read =
        std::fs::File::open(path).and_then(|f| f.take(LABEL_WINDOW).read_to_string(&mut head));
    read.is_ok() && carries_label(&head)
}

/// lbgen's managed-by label as the YAML and JSON writers spell it.
fn carries_label(text: &str) -> bool {
    let (key, value) = super::super::provider::MANAGED_BY;
    text.contains(&format!("{key}: {value}")) || text.contains(&format!("\"{key}\": \"{value}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inventory_round_trips_and_refuses_paths_that_climb_out() {
        let tmp = tempfile::tempdir().expect("tmp");
        let files = vec![
            (PathBuf::from("web/service-a.yaml"), String::new()),
            (PathBuf::from("_cluster/ingressclass-b.yaml"), String::new()),
        ];
        std::fs::write(
            tmp.path().join(FILE),
            render(&files) + "../escape\n/etc/passwd\n",
        )
        .expect("write");
        let listed = read(tmp.path());
        assert_eq!(
            listed,
            BTreeSet::from([
                PathBuf::from("_cluster/ingressclass-b.yaml"),
                PathBuf::from("web/service-a.yaml")
            ])
        );
    }

    #[test]
    fn a_labelled_file_is_ours_and_a_hand_written_one_is_not() {
        let tmp = tempfile::tempdir().expect("tmp");
        let ours = tmp.path().join("a.yaml");
        let theirs = tmp.path().join("b.yaml");
        std::fs::write(
            &ours,
            "metadata:\n  labels:\n    app.kubernetes.io/managed-by: kubectl-lbgen\n",
        )
        .expect("w");
        std::fs::write(&theirs, "metadata:\n  labels:\n    app: web\n").expect("w");
        let none = BTreeSet::new();
        assert!(is_ours(Path::new("a.yaml"), &ours, &none));
        assert!(!is_ours(Path::new("b.yaml"), &theirs, &none));
        assert!(is_ours(
            Path::new("b.yaml"),
            &theirs,
            &BTreeSet::from([PathBuf::from("b.yaml")])
        ));
        assert!(!is_ours(Path::new("README.md"), &theirs, &none));
    }
}
