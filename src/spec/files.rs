//! Reading the user's files: `-f` paths, directories and stdin, into sources.
//!
//! Directories are walked recursively for `*.yaml`/`*.yml` (any case), symlinks followed
//! (loops detected), hidden and git-ignored paths skipped with a note that counts them; a
//! file named with `-f` is always read, and each file once. The file list is sorted, so the
//! file system's order never reaches the output. Inputs over the size limit and text that
//! is not UTF-8 are refused with a location.

use crate::diag::{Diagnostic, Location};
use crate::yaml::limits;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input file's text.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown in diagnostics: the path as given, or `<stdin>`.
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// What reading the `-f` arguments gives: the sources, and notes about files skipped.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Every file read, once, in a deterministic order.
    pub sources: Vec<Source>,
    /// Warnings (`load/skipped`): hidden or ignored files not read, symlink loops.
    pub notes: Vec<Diagnostic>,
}

/// Reads every `-f` argument (`-` is stdin) into sources, in a deterministic order.
pub fn read_sources(args: &[String], stdin: &mut dyn Read) -> Result<Vec<Source>, Diagnostic> {
    read_inputs(args, stdin).map(|i| i.sources)
}

/// Reads every `-f` argument (`-` is stdin) into sources, each canonical file once (the
/// same file named twice, or reached through a symlink, is read once). An explicitly named
/// file is always read; inside a directory, hidden and git-ignored files are skipped and
/// counted in a note.
pub fn read_inputs(args: &[String], stdin: &mut dyn Read) -> Result<Inputs, Diagnostic> {
    let mut inputs = Inputs::default();
    let mut stdin_used = false;
    let mut seen = std::collections::HashSet::new();
    for arg in args {
        if arg == "-" {
            if stdin_used {
                continue;
            }
            stdin_used = true;
            let limit = limits::max_input_bytes();
            let mut bytes = Vec::new();
            stdin
                .take(limit.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(|e| input_error(format!("cannot read standard input: {e}")))?;
            if bytes.len() as u64 > limit {
                return Err(input_error(limits::too_large(
                    "<stdin>",
                    bytes.len() as u64,
                )));
            }
            inputs.sources.push(Source {
                name: "<stdin>".into(),
                text: utf8(bytes, "<stdin>")?,
            });
            continue;
        }
        let path = Path::new(arg);
        let meta = std::fs::metadata(path).map_err(|e| {
            input_error(format!(
                "cannot read `{arg}`: {e}; check the path given to -f"
            ))
        })?;
        let files = if meta.is_dir() {
            let walk = walk_dir(path)?;
            inputs.notes.extend(walk.notes);
            walk.files
        } else {
            vec![path.to_path_buf()]
        };
        for file in files {
            let canonical = std::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
            if seen.insert(canonical) {
                inputs.sources.push(read_file(&file)?);
            }
        }
    }
    if inputs.sources.is_empty() {
        return Err(input_error(
            "no input: give one or more -f FILE|DIR|- (a directory holds no *.yaml or *.yml)"
                .into(),
        ));
    }
    Ok(inputs)
}

/// One file's text; refused when over the size limit (before reading) or not UTF-8 (at
/// the line and column of the first invalid byte).
pub fn read_file(file: &Path) -> Result<Source, Diagnostic> {
    let name = file.display().to_string();
    let cannot = |e: std::io::Error| input_error(format!("cannot read `{name}`: {e}"));
    let size = std::fs::metadata(file).map_err(cannot)?.len();
    if size > limits::max_input_bytes() {
        return Err(input_error(limits::too_large(&name, size)));
    }
    let bytes = std::fs::read(file).map_err(cannot)?;
    Ok(Source {
        text: utf8(bytes, &name)?,
        name,
    })
}

/// The text of `bytes`, or an error at the first byte that is not UTF-8.
pub fn utf8(bytes: Vec<u8>, name: &str) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let good = e.utf8_error().valid_up_to();
        let before = &bytes[..good];
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        // Columns count characters, as everywhere else; the prefix is valid UTF-8.
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        Diagnostic::error(
            "load/encoding",
            format!(
                "the file is not UTF-8: byte 0x{:02X} cannot start or continue a character; save the file as UTF-8",
                bytes.get(good).copied().unwrap_or_default()
            ),
            Some(Location {
                file: name.to_string(),
                line,
                column,
            }),
        )
    })
}

/// The `*.yaml`/`*.yml` files below `dir` (extension in any case, symlinks followed),
/// sorted; hidden and git-ignored paths skipped.
pub fn spec_files_in(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    walk_dir(dir).map(|w| w.files)
}

/// The deepest directory walked below a `-f DIR`: symlinks are followed, so a link to a
/// large tree must not turn one run into a walk of the whole disk.
const MAX_WALK_DEPTH: usize = 32;

/// Files found below a directory, and notes about what was skipped.
struct Walk {
    files: Vec<PathBuf>,
    notes: Vec<Diagnostic>,
}

fn is_yaml_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// The YAML files below `dir`, with or without the hidden/ignore filters. Symlinks are
/// followed; a symlink loop is reported in `notes` (the walker detects it) and skipped.
fn yaml_files(
    dir: &Path,
    filtered: bool,
    notes: &mut Vec<Diagnostic>,
) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut files = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .threads(1)
        .follow_links(true)
        .max_depth(Some(MAX_WALK_DEPTH))
        .standard_filters(filtered)
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) if e.is_io() || e.to_string().contains("loop") => {
                if filtered {
                    notes.push(skipped(format!("skipped `{}`: {e}", dir.display())));
                }
                continue;
            }
            Err(e) => return Err(input_error(format!("cannot walk `{}`: {e}", dir.display()))),
        };
        let path = entry.path();
        if is_yaml_name(path) && entry.file_type().is_some_and(|t| t.is_file()) {
            files.push(path.to_path_buf());
        }
    }
    files.sort();
    Ok(files)
}

fn walk_dir(dir: &Path) -> Result<Walk, Diagnostic> {
    let mut notes = Vec::new();
    let files = yaml_files(dir, true, &mut notes)?;
    let all = yaml_files(dir, false, &mut Vec::new())?;
    let hidden = all.len().saturating_sub(files.len());
    if hidden > 0 {
        notes.push(skipped(format!(
            "skipped {hidden} YAML file{} below `{}` that {} hidden or ignored (.gitignore, .ignore); name a file with -f to read it",
            if hidden == 1 { "" } else { "s" },
            dir.display(),
            if hidden == 1 { "is" } else { "are" },
        )));
    }
    Ok(Walk { files, notes })
}

fn skipped(message: String) -> Diagnostic {
    Diagnostic {
        severity: crate::diag::Severity::Warning,
        ..Diagnostic::error("load/skipped", message, None)
    }
}

fn input_error(message: String) -> Diagnostic {
    Diagnostic::error("load/input", message, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located() {
        let d = utf8(b"a: 1\nb: x\xffy\n".to_vec(), "f.yaml").unwrap_err();
        let l = d.location.unwrap();
        assert_eq!((l.line, l.column), (2, 5));
        assert!(d.message.contains("0xFF"), "{}", d.message);
    }
}
