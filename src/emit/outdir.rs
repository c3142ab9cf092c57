//! `--out-dir` as one transaction: the whole rendering or the old one, never a mix.
//!
//! The new rendering is written into a hidden sibling directory (`.<dir>.lbgen-new-*`,
//! same parent, so renames are atomic), files the user keeps beside rendered objects are
//! copied into it (hidden entries, `kustomization.yaml`, and any file that is neither
//! `*.yaml` nor `*.json`), and then it is swapped in: the old directory is renamed away
//! (`.<dir>.lbgen-old-*`), the new one renamed in, the old one removed. Any failure before
//! the swap removes the new directory and leaves the old one untouched; a run killed
//! part-way (SIGINT, SIGTERM, a power cut) leaves at most a hidden sibling, which the next
//! run removes (or, if the target itself is missing, renames back first). Files are
//! created with mode 0666 and directories 0777, both masked by the process umask, as
//! every other tool does.

use super::{EmitError, inventory};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What names our sibling directories: `.<dir>.lbgen-new-<unique>` / `-old-`.
const NEW: &str = "lbgen-new-";
const OLD: &str = "lbgen-old-";

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> EmitError + '_ {
    move |source| EmitError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The parent and file name of `dir` (`out` is `./out`).
fn split(dir: &Path) -> Result<(PathBuf, String), EmitError> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| EmitError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "--out-dir must name a directory (not `.`, `..` or `/`)",
            ),
        })?;
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name.to_string()))
}

/// Creates a fresh sibling directory `.<name>.<tag><unique>` (mode 0777 & !umask).
fn fresh_sibling(parent: &Path, name: &str, tag: &str) -> Result<PathBuf, EmitError> {
    let pid = std::process::id();
    for attempt in 0u32..1000 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = parent.join(format!(".{name}.{tag}{pid}-{nanos:x}-{attempt}"));
        match std::fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(parent)(e)),
        }
    }
    Err(io(parent)(std::io::Error::other(
        "cannot find a free temporary directory name",
    )))
}

/// Removes what an interrupted earlier run left beside `dir`; if the target is missing
/// but an old rendering was renamed away, it is renamed back first.
fn recover(parent: &Path, name: &str, dir: &Path) -> Result<(), EmitError> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let mut leftovers: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.strip_prefix(&format!(".{name}."))
                    .is_some_and(|rest| rest.starts_with(NEW) || rest.starts_with(OLD))
            })
        })
        .collect();
    leftovers.sort();
    for path in leftovers {
        let is_old = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.contains(OLD));
        if is_old && dir.symlink_metadata().is_err() {
            std::fs::rename(&path, dir).map_err(io(dir))?;
            continue;
        }
        std::fs::remove_dir_all(&path).map_err(io(&path))?;
    }
    Ok(())
}

/// Copies the user's own entries of `old` (below `root`) into `new`, keeping relative
/// paths; files an earlier run of lbgen wrote are not carried (the new rendering replaces
/// them), and those the new rendering no longer has are added to `removed`.
fn carry_over(
    root: &Path,
    old: &Path,
    new: &Path,
    listed: &BTreeSet<PathBuf>,
    removed: &mut Vec<PathBuf>,
) -> Result<(), EmitError> {
    let entries = std::fs::read_dir(old).map_err(io(old))?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let meta = path.symlink_metadata().map_err(io(&path))?;
        let target = new.join(&name);
        if meta.is_dir() && !name.starts_with('.') {
            std::fs::create_dir_all(&target).map_err(io(&target))?;
            carry_over(root, &path, &target, listed, removed)?;
            // A directory of nothing but old renderings is not carried as an empty one.
            if std::fs::read_dir(&target).is_ok_and(|mut e| e.next().is_none()) {
                std::fs::remove_dir(&target).map_err(io(&target))?;
            }
        } else if meta.is_dir() {
            copy_tree(&path, &target)?;
        } else if meta.is_file() && inventory::is_ours(&rel, &path, listed) {
            if target.symlink_metadata().is_err() && rel != Path::new(inventory::FILE) {
                removed.push(rel);
            }
        } else if target.symlink_metadata().is_err() {
            copy_entry(&path, &target, &meta)?;
        }
    }
    Ok(())
}

fn copy_entry(from: &Path, to: &Path, meta: &std::fs::Metadata) -> Result<(), EmitError> {
    if meta.file_type().is_symlink() {
        let link = std::fs::read_link(from).map_err(io(from))?;
        #[cfg(unix)]
        std::os::unix::fs::symlink(&link, to).map_err(io(to))?;
        #[cfg(not(unix))]
        let _ = link;
        return Ok(());
    }
    std::fs::copy(from, to).map(|_| ()).map_err(io(to))
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), EmitError> {
    std::fs::create_dir_all(to).map_err(io(to))?;
    let entries = std::fs::read_dir(from).map_err(io(from))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let meta = path.symlink_metadata().map_err(io(&path))?;
        let target = to.join(entry.file_name());
        if meta.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            copy_entry(&path, &target, &meta)?;
        }
    }
    Ok(())
}

/// Writes every file into `new` (0666 & !umask, synced), on every core: each file's
/// `fsync` waits for the disk, so the waits overlap instead of adding up.
fn write_all(new: &Path, files: &[(PathBuf, String)]) -> Result<(), EmitError> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = files.len().div_ceil(workers).max(256);
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| scope.spawn(move || write_some(new, part)))
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    })?;
    let listing = new.join(inventory::FILE);
    std::fs::write(&listing, inventory::render(files)).map_err(io(&listing))
}

/// Writes `files` into `new` (see [`write_all`]); directories another thread makes at the
/// same time are no error (`create_dir_all`).
fn write_some(new: &Path, files: &[(PathBuf, String)]) -> Result<(), EmitError> {
    use std::io::Write;
    for (rel, text) in files {
        let target = new.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .map_err(io(&target))?;
        file.write_all(text.as_bytes()).map_err(io(&target))?;
        file.sync_all().map_err(io(&target))?;
    }
    Ok(())
}

/// Swaps `new` in for `dir` (see the module comment).
fn swap(parent: &Path, name: &str, dir: &Path, new: &Path) -> Result<(), EmitError> {
    if dir.symlink_metadata().is_err() {
        return std::fs::rename(new, dir).map_err(io(dir));
    }
    // The old name is reserved by creating it, then replaced by the rename (a directory
    // may be renamed over an empty one).
    let old = fresh_sibling(parent, name, OLD)?;
    std::fs::rename(dir, &old).map_err(io(dir))?;
    if let Err(e) = std::fs::rename(new, dir) {
        // Put the old rendering back; if even that fails, the next run does it.
        let _ = std::fs::rename(&old, dir);
        return Err(io(dir)(e));
    }
    // The new rendering is in place: an old copy that cannot be removed now is removed by
    // the next run (`recover`), and is no reason to report the write as failed.
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// Replaces `dir` with exactly `files` (plus the user's own files carried over), as one
/// transaction. On error the old directory is as it was and nothing new is left behind.
/// Returns the files of the old rendering that the new one no longer has (removed).
pub fn write_files(dir: &Path, files: &[(PathBuf, String)]) -> Result<Vec<PathBuf>, EmitError> {
    // A symlinked --out-dir is replaced where it points, and stays a symlink.
    let resolved;
    let dir = match dir.symlink_metadata() {
        Ok(m) if m.file_type().is_symlink() => {
            resolved = dir.canonicalize().map_err(io(dir))?;
            resolved.as_path()
        }
        _ => dir,
    };
    let (parent, name) = split(dir)?;
    if let Ok(meta) = std::fs::metadata(dir)
        && !meta.is_dir()
    {
        return Err(io(dir)(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "exists and is not a directory",
        )));
    }
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    recover(&parent, &name, dir)?;
    let new = fresh_sibling(&parent, &name, NEW)?;
    let mut removed = Vec::new();
    let result = write_all(&new, files)
        .and_then(|()| match dir.is_dir() {
            // The old directory's own mode (a chmod the user made) is kept.
            true => {
                carry_over(dir, dir, &new, &inventory::read(dir), &mut removed).and_then(|()| {
                    let mode = std::fs::metadata(dir).map_err(io(dir))?.permissions();
                    std::fs::set_permissions(&new, mode).map_err(io(dir))
                })
            }
            false => Ok(()),
        })
        .and_then(|()| swap(&parent, &name, dir, &new));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&new);
    }
    // Name the path the user knows, not the temporary one.
    result.map(|()| removed).map_err(|e| match e {
        EmitError::Io { path, source } => EmitError::Io {
            path: path
                .strip_prefix(&new)
                .map_or_else(|_| path.clone(), |rel| dir.join(rel)),
            source,
        },
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> Vec<(PathBuf, String)> {
        names
            .iter()
            .map(|n| (PathBuf::from(n), format!("{n}\n")))
            .collect()
    }

    fn siblings(parent: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(parent)
            .expect("read")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_rendering_replaces_the_old_one_and_keeps_the_users_files() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("out");
        write_files(&out, &files(&["a/x.yaml", "a/y.yaml"])).expect("first");
        std::fs::write(out.join("kustomization.yaml"), "k").expect("write");
        std::fs::write(out.join("a/README.md"), "r").expect("write");
        write_files(&out, &files(&["a/x.yaml", "b/z.yaml"])).expect("second");
        assert!(!out.join("a/y.yaml").exists(), "a stale rendering is gone");
        assert!(out.join("b/z.yaml").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("kustomization.yaml")).expect("k"),
            "k"
        );
        assert!(out.join("a/README.md").exists());
        assert_eq!(
            siblings(tmp.path()),
            ["out"],
            "no temporary directory is left"
        );
    }

    #[test]
    fn a_failure_leaves_the_old_rendering_and_no_temporary_directory() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("out");
        write_files(&out, &files(&["a/x.yaml"])).expect("first");
        // A file and a directory of one name: the second write fails.
        let bad = files(&["a", "a/x.yaml"]);
        assert!(write_files(&out, &bad).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("a/x.yaml")).expect("old"),
            "a/x.yaml\n"
        );
        assert_eq!(siblings(tmp.path()), ["out"]);
    }

    #[test]
    fn leftovers_of_an_interrupted_run_are_cleaned_or_restored() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(tmp.path().join(".out.lbgen-new-1/a")).expect("mk");
        std::fs::create_dir_all(tmp.path().join(".out.lbgen-old-1/a")).expect("mk");
        std::fs::write(tmp.path().join(".out.lbgen-old-1/a/keep.txt"), "k").expect("w");
        let out = tmp.path().join("out");
        write_files(&out, &files(&["b.yaml"])).expect("write");
        assert!(
            out.join("a/keep.txt").exists(),
            "the renamed-away old one came back"
        );
        assert_eq!(siblings(tmp.path()), ["out"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_out_dir_stays_a_symlink() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::create_dir(tmp.path().join("real")).expect("mkdir");
        std::os::unix::fs::symlink("real", tmp.path().join("out")).expect("symlink");
        write_files(&tmp.path().join("out"), &files(&["a/x.yaml"])).expect("write");
        let link = tmp.path().join("out").symlink_metadata().expect("meta");
        assert!(link.file_type().is_symlink());
        assert!(tmp.path().join("real/a/x.yaml").exists());
        assert_eq!(siblings(tmp.path()), ["out", "real"]);
    }

    #[cfg(unix)]
    #[test]
    fn files_follow_the_umask_not_0600() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("out");
        write_files(&out, &files(&["a/x.yaml"])).expect("write");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        let status = std::fs::read_to_string("/proc/self/status").expect("status");
        let umask = status
            .lines()
            .find_map(|l| l.strip_prefix("Umask:"))
            .and_then(|m| u32::from_str_radix(m.trim(), 8).ok())
            .expect("Umask line");
        assert_eq!(mode(&out.join("a/x.yaml")), 0o666 & !umask);
        assert_eq!(mode(&out), 0o777 & !umask);
        assert_eq!(mode(&out.join("a")), 0o777 & !umask);
    }
}
