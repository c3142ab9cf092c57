//! Whole-input checks on the compiled objects: two documents may not produce the same
//! object, nor two objects that `--out-dir` would write to one file.

use super::Origin;
use crate::diag::{Diagnostic, Location};
use crate::emit::{self, Object};
use std::collections::HashMap;

/// Two documents may not produce the same object (group, kind, namespace, name), nor two
/// objects that `--out-dir` would write to one file (`ConfigMap` and `Configmap`).
pub(super) fn reject_duplicates(objects: &[(Object, Origin)], diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<_, &Location> = HashMap::new();
    let mut files: HashMap<std::path::PathBuf, (&Object, &Location)> = HashMap::new();
    for (object, origin) in objects {
        let here = &origin.location;
        if let Ok(valid) = object.id() {
            let file = emit::file_name(&valid, emit::Format::Yaml);
            match files.get(&file) {
                Some((first, at)) if first.identity() != object.identity() => {
                    diagnostics.push(Diagnostic::error(
                        "load/file-collision",
                        format!(
                            "{} and {} (at {}:{}:{}) would both be written to `{}` by --out-dir; rename one of them",
                            object.describe(),
                            first.describe(),
                            at.file,
                            at.line,
                            at.column,
                            file.display()
                        ),
                        Some(here.clone()),
                    ));
                }
                Some(_) => {}
                None => {
                    files.insert(file, (object, here));
                }
            }
        }
        let id = object.identity();
        match seen.get(&id) {
            Some(first) => {
                let (first, second) = if *first <= here {
                    (*first, here)
                } else {
                    (here, *first)
                };
                diagnostics.push(Diagnostic::error(
                    "load/duplicate",
                    format!(
                        "{} {}/{} is also produced by {}:{}:{}; rename one of them",
                        id.1, id.2, id.3, first.file, first.line, first.column
                    ),
                    Some(second.clone()),
                ));
            }
            None => {
                seen.insert(id, here);
            }
        }
    }
}
