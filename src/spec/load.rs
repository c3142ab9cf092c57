//! Reading the user's files: `-f` paths, directories and stdin, split into documents.
//!
//! Directories are walked recursively for `*.yaml`/`*.yml`, hidden folders and git-ignored
//! paths skipped, and the file list is sorted, so the file system's order never reaches the
//! output. Every `LoadBalancer` document is read into the typed spec; documents of other
//! kinds pass through unchanged.

use super::de::from_node;
use super::model::{API_VERSION, KIND, LoadBalancerDoc};
use super::node::{Node, NodeValue, parse_stream};
use crate::diag::{Diagnostic, Location};
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

/// A document of a source, with its parsed tree.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file's display name.
    pub file: String,
    /// The root node (a mapping).
    pub root: Node,
}

impl Document {
    /// The location of `field` in this document (or of its nearest existing ancestor).
    pub fn locate(&self, field: &str) -> Location {
        let span = self.root.find(field);
        Location {
            file: self.file.clone(),
            line: span.line,
            column: span.column,
        }
    }
}

/// A document of the input stream.
#[derive(Debug, Clone)]
pub enum Item {
    /// A `lbgen.dev/v1alpha1` `LoadBalancer`, typed.
    LoadBalancer(Box<LoadBalancerDoc>, Document),
    /// Any other Kubernetes object, passed through unchanged.
    Passthrough(serde_json::Value, Document),
}

/// Reads every `-f` argument (`-` is stdin) into sources, in a deterministic order.
pub fn read_sources(args: &[String], stdin: &mut dyn Read) -> Result<Vec<Source>, Diagnostic> {
    let mut sources = Vec::new();
    let mut stdin_used = false;
    for arg in args {
        if arg == "-" {
            if stdin_used {
                continue;
            }
            stdin_used = true;
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .map_err(|e| input_error(format!("cannot read standard input: {e}")))?;
            sources.push(Source {
                name: "<stdin>".into(),
                text,
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
            spec_files_in(path)?
        } else {
            vec![path.to_path_buf()]
        };
        for file in files {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| input_error(format!("cannot read `{}`: {e}", file.display())))?;
            sources.push(Source {
                name: file.display().to_string(),
                text,
            });
        }
    }
    if sources.is_empty() {
        return Err(input_error(
            "no input: give one or more -f FILE|DIR|- (a directory holds no *.yaml or *.yml)"
                .into(),
        ));
    }
    Ok(sources)
}

/// The `*.yaml`/`*.yml` files below `dir`, sorted; hidden and git-ignored paths skipped.
pub fn spec_files_in(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut files = Vec::new();
    for entry in ignore::WalkBuilder::new(dir).threads(1).build() {
        let entry =
            entry.map_err(|e| input_error(format!("cannot walk `{}`: {e}", dir.display())))?;
        let path = entry.path();
        let is_yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        if is_yaml && entry.file_type().is_some_and(|t| t.is_file()) {
            files.push(path.to_path_buf());
        }
    }
    files.sort();
    Ok(files)
}

fn input_error(message: String) -> Diagnostic {
    Diagnostic::error("load/input", message, None)
}

/// Splits the sources into typed documents. All errors of all documents are returned, not
/// just the first, so one run shows everything to fix.
///
/// With `specs_only`, documents that are not lbgen specs are dropped rather than passed
/// through or refused, and a file with a YAML error is reported only if it mentions lbgen.
pub fn parse_sources(sources: &[Source], specs_only: bool) -> (Vec<Item>, Vec<Diagnostic>) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for source in sources {
        let docs = match parse_stream(&source.text) {
            Ok(d) => d,
            Err(_) if specs_only && !source.text.contains("lbgen.dev/") => continue,
            Err(e) => {
                errors.push(Diagnostic::error(
                    "load/yaml",
                    format!("invalid YAML: {}", e.message),
                    Some(Location {
                        file: source.name.clone(),
                        line: e.span.line,
                        column: e.span.column,
                    }),
                ));
                continue;
            }
        };
        for root in docs.into_iter().flatten() {
            let doc = Document {
                file: source.name.clone(),
                root,
            };
            if specs_only && !is_lbgen(&doc.root) {
                continue;
            }
            match classify(doc) {
                Ok(item) => items.push(item),
                Err(e) => errors.push(e),
            }
        }
    }
    (items, errors)
}

/// Whether a document claims to be an lbgen spec (by apiVersion group or kind).
fn is_lbgen(root: &Node) -> bool {
    root.get("apiVersion")
        .and_then(Node::as_str)
        .is_some_and(|v| v.starts_with("lbgen.dev/"))
        || root.get("kind").and_then(Node::as_str) == Some(KIND)
}

fn classify(doc: Document) -> Result<Item, Diagnostic> {
    let here = |field: &str, message: String| {
        Diagnostic::error("load/spec", message, Some(doc.locate(field)))
    };
    if !matches!(doc.root.value, NodeValue::Map(_)) {
        return Err(here(
            "",
            "expected a Kubernetes object (a mapping with apiVersion and kind)".into(),
        ));
    }
    let api_version = doc.root.get("apiVersion").and_then(Node::as_str);
    let kind = doc.root.get("kind").and_then(Node::as_str);
    if !is_lbgen(&doc.root) {
        if api_version.is_none() || kind.is_none() {
            return Err(here(
                "",
                "every document needs apiVersion and kind; add `apiVersion: lbgen.dev/v1alpha1` and `kind: LoadBalancer`".into(),
            ));
        }
        return Ok(Item::Passthrough(doc.root.to_json(), doc));
    }
    if api_version != Some(API_VERSION) {
        return Err(here(
            "apiVersion",
            format!(
                "unsupported apiVersion `{}`; expected `{API_VERSION}`",
                api_version.unwrap_or_default()
            ),
        ));
    }
    if kind != Some(KIND) {
        return Err(here(
            "kind",
            format!(
                "unknown kind `{}` in {API_VERSION}; expected `{KIND}`",
                kind.unwrap_or_default()
            ),
        ));
    }
    match from_node::<LoadBalancerDoc>(&doc.root) {
        Ok(lb) => Ok(Item::LoadBalancer(Box::new(lb), doc)),
        Err(e) => {
            let span = e.span.unwrap_or(doc.root.span);
            Err(Diagnostic::error(
                "load/spec",
                e.message,
                Some(Location {
                    file: doc.file.clone(),
                    line: span.line,
                    column: span.column,
                }),
            ))
        }
    }
}
