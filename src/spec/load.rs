//! Splitting sources into documents: every `LoadBalancer` document is read into the typed
//! spec; documents of other kinds pass through unchanged (`spec::files` reads the files).

pub use super::files::{Inputs, Source, read_file, read_inputs, read_sources, spec_files_in, utf8};
use super::model::{API_VERSION, KIND, LoadBalancerDoc};
use super::screen::{control_character, near};
use super::settings;
use super::typed::read_spec;
use crate::diag::{Diagnostic, Help, Location};
use crate::suggest::nearest;
use crate::yaml::node::{Node, NodeValue, Span, SyntaxError, parse_stream};
use std::sync::Arc;

/// A document of a source, with its parsed tree (shared: every object a spec produces
/// keeps its document, to locate diagnostics).
#[derive(Debug, Clone)]
pub struct Document {
    /// The file's display name.
    pub file: String,
    /// The root node (a mapping).
    pub root: Arc<Node>,
}

impl Document {
    /// The location of `field` in this document (or of its nearest existing ancestor).
    pub fn locate(&self, field: &str) -> Location {
        let span = self.root.find(field);
        Location {
            file: self.file.clone(),
            line: span.line(),
            column: span.column(),
        }
    }
}

/// A document of the input stream.
#[derive(Debug, Clone)]
pub enum Item {
    /// A `lbgen.dev/v1alpha1` `LoadBalancer`, typed.
    LoadBalancer(Box<LoadBalancerDoc>, Document),
    /// Any other Kubernetes object, passed through unchanged (or decorated). The document
    /// keeps only [`IDENTITY_FIELDS`], all its diagnostics point at, except for a Service
    /// or an Ingress, whose decoration may blame any field.
    Passthrough(serde_json::Value, Document),
}

/// The fields of a passed-through document that diagnostics locate (`emit::ObjectId`).
pub const IDENTITY_FIELDS: [&str; 3] = ["apiVersion", "kind", "metadata"];

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
                errors.push(yaml_error(source, e));
                continue;
            }
        };
        for root in docs.into_iter().flatten() {
            let doc = Document {
                file: source.name.clone(),
                root: Arc::new(root),
            };
            if specs_only && !is_lbgen(&doc.root) {
                continue;
            }
            match classify(doc) {
                Ok(item) => items.push(item),
                Err(e) => errors.extend(e),
            }
        }
    }
    (items, errors)
}

/// A YAML syntax error of a source: explained where lbgen can (with the parser's own
/// words as a note), else as the parser says it.
fn yaml_error(source: &Source, e: SyntaxError) -> Diagnostic {
    let at = |span: Span| {
        Some(Location {
            file: source.name.clone(),
            line: span.line(),
            column: span.column(),
        })
    };
    match e.explained {
        Some(x) => {
            let note =
                (x.message != e.message).then(|| format!("the YAML parser says: {}", e.message));
            Diagnostic::error(
                "load/yaml",
                format!("invalid YAML: {}", x.message),
                at(x.span),
            )
            .with_help(Help {
                note,
                ..Help::new(x.help)
            })
        }
        None => Diagnostic::error(
            "load/yaml",
            format!("invalid YAML: {}", e.message),
            at(e.span),
        ),
    }
}

/// Whether a document claims to be an lbgen spec (by apiVersion group or kind).
fn is_lbgen(root: &Node) -> bool {
    root.get("apiVersion")
        .and_then(Node::as_str)
        .is_some_and(|v| v.starts_with("lbgen.dev/"))
        || root.get("kind").and_then(Node::as_str) == Some(KIND)
}

fn classify(doc: Document) -> Result<Item, Vec<Diagnostic>> {
    let here = |field: &str, message: String| {
        Diagnostic::error("load/spec", message, Some(doc.locate(field)))
    };
    if !matches!(doc.root.value, NodeValue::Map(_)) {
        return Err(vec![here(
            "",
            "expected a Kubernetes object (a mapping with apiVersion and kind)".into(),
        )]);
    }
    let api_version = doc.root.get("apiVersion").and_then(Node::as_str);
    let kind = doc.root.get("kind").and_then(Node::as_str);
    if !is_lbgen(&doc.root) {
        if near(api_version, API_VERSION, 3) || near(kind, KIND, 2) {
            return Err(vec![here(
                "apiVersion",
                format!(
                    "`apiVersion: {}` with `kind: {}` is neither an lbgen spec nor a Kubernetes object; did you mean {API_VERSION} {KIND}? Fix the spelling (a spec with typos would otherwise pass through unread)",
                    api_version.unwrap_or_default(),
                    kind.unwrap_or_default()
                ),
            )]);
        }
        if api_version.is_none() || kind.is_none() {
            return Err(vec![here(
                "",
                "every document needs apiVersion and kind; add `apiVersion: lbgen.dev/v1alpha1` and `kind: LoadBalancer`".into(),
            )]);
        }
        let value = doc.root.to_kubernetes_json();
        // A Service or Ingress may be decorated: its contradictions point into its body.
        if matches!(kind, Some("Service" | "Ingress")) {
            return Ok(Item::Passthrough(value, doc));
        }
        let root = Arc::new(doc.root.with_only(&IDENTITY_FIELDS));
        return Ok(Item::Passthrough(value, Document { root, ..doc }));
    }
    // Every independent error of the document: the identity's, then the typed read's (a
    // missing or misspelt `apiVersion`/`kind` key is the typed read's to report).
    let mut errors = Vec::new();
    if let Some(api_version) = api_version.filter(|v| *v != API_VERSION) {
        errors.push(here(
            "apiVersion",
            format!("unsupported apiVersion `{api_version}`; expected `{API_VERSION}`"),
        ));
    }
    if let Some(kind) = kind.filter(|k| *k != KIND) {
        let d = here(
            "kind",
            format!("unknown kind `{kind}` in {API_VERSION}; expected `{KIND}`"),
        );
        errors.push(match nearest(kind, [KIND]) {
            Some(meant) => d.with_help(Help::did_you_mean(meant, kind.chars().count())),
            None => d,
        });
    }
    if let Some((span, message)) = control_character(&doc.root) {
        errors.push(Diagnostic::error(
            "load/spec",
            message,
            Some(Location {
                file: doc.file.clone(),
                line: span.line(),
                column: span.column(),
            }),
        ));
    }
    // A field a pack moved into its block is reported once, at its key, with its new place
    // (not also as the typed read's unknown field there).
    let moved = settings::moved_field(&doc.root, &doc.file);
    let mut doc = doc;
    // The `spec.<provider>` blocks are the packs' to read: lifted out for the typed read,
    // put back so diagnostics still point into them.
    let lifted = settings::lift(Arc::make_mut(&mut doc.root));
    let typed = read_spec(&doc);
    settings::put_back(Arc::make_mut(&mut doc.root), lifted);
    let blocks = settings::read(&doc.root, &doc.file);
    match (typed, blocks) {
        (Ok(mut lb), Ok(blocks)) if errors.is_empty() && moved.is_none() => {
            lb.spec.settings = blocks.settings;
            lb.spec.provider_fields = blocks.fields;
            Ok(Item::LoadBalancer(Box::new(lb), doc))
        }
        (typed, blocks) => {
            let at = moved.as_ref().and_then(|m| m.location.clone());
            errors.extend(moved);
            errors.extend(
                typed
                    .err()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|d| at.is_none() || d.location != at),
            );
            errors.extend(blocks.err());
            Err(errors)
        }
    }
}
