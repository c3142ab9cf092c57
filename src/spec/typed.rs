//! Reading a spec document into the typed spec, with every independent error in one run.
//!
//! serde stops at the first error. So after a failed read the offending entry (the unknown
//! key, the key whose value is bad, the list item that is wrong) is passed over and the
//! document read again, up to [`MAX_ERRORS`] errors a document: each read costs one pass
//! over the document, so the work stays bounded by that many passes. A `missing required
//! field` that only follows from an entry passed over (a misspelt key, a bad value) is
//! not reported. The tree is never copied or changed (`yaml::de::Skipped`), so locations
//! and list indices stay the source's.

use super::load::Document;
use super::model::LoadBalancerDoc;
use crate::diag::{Diagnostic, Help, Location, Severity};
use crate::suggest::nearest;
use crate::yaml::de::{DeError, DeErrorKind, Skipped, Step, from_node, from_node_skipping};
use crate::yaml::node::{Node, NodeValue, Span};

/// The most errors reported for one document; past it, a warning at the next error says
/// the reading stopped there.
pub(super) const MAX_ERRORS: usize = 20;

/// The most reads of one document: the reported errors and the dependent ones they cause
/// (a bound that hostile input cannot raise).
const MAX_PASSES: usize = MAX_ERRORS * 8;

/// The typed spec of `doc`, or every independent error found in it.
pub(super) fn read_spec(doc: &Document) -> Result<LoadBalancerDoc, Vec<Diagnostic>> {
    let root: &Node = &doc.root;
    let mut error = match from_node::<LoadBalancerDoc>(root) {
        Ok(lb) => return Ok(lb),
        Err(e) => e,
    };
    let mut skipped = Skipped::default();
    // (the mapping an entry was passed over in, a field name that entry stood for)
    let mut passed_over: Vec<(Span, String)> = Vec::new();
    let mut errors = Vec::new();
    // Each pass passes over one more node; a reported error may cost a few more passes for
    // the mappings it leaves without a required field, never more than the model's depth.
    for _ in 0..MAX_PASSES {
        // A missing field is reported with every other required field the mapping lacks,
        // unless an entry passed over stood for it.
        let missing = match &error.kind {
            DeErrorKind::MissingField(first) => {
                let stood_for = |field: &str| {
                    passed_over
                        .iter()
                        .any(|(map, key)| Some(*map) == error.span && key == field)
                };
                let mut all = missing_fields(root, &error.trail, first);
                all.retain(|f| !stood_for(f));
                Some(all)
            }
            _ => None,
        };
        if missing.as_ref().is_none_or(|m| !m.is_empty()) {
            if errors.len() == MAX_ERRORS {
                errors.push(stopped(doc, &error));
                break;
            }
            errors.push(diagnostic(doc, &error, missing.as_deref()));
        }
        if !pass_over(root, &error, &mut skipped, &mut passed_over) {
            break;
        }
        match from_node_skipping::<LoadBalancerDoc>(root, &skipped) {
            Ok(_) => break,
            Err(e) => error = e,
        }
    }
    Err(errors)
}

/// The node the trail leads to, with the mapping holding it and the entry's key when the
/// last step is into a mapping entry.
struct Target<'a> {
    node: &'a Node,
    /// The mapping or list the last step left, and the key or item passed over to skip it.
    parent: Option<(&'a Node, &'a Node)>,
}

fn follow<'a>(root: &'a Node, trail: &[Step]) -> Option<Target<'a>> {
    let mut target = Target {
        node: root,
        parent: None,
    };
    for step in trail {
        let holder = target.node;
        target = match (step, &holder.value) {
            (Step::Key(i), NodeValue::Map(entries)) => {
                let (key, _) = entries.get(*i)?;
                Target {
                    node: key,
                    parent: Some((holder, key)),
                }
            }
            (Step::Value(i), NodeValue::Map(entries)) => {
                let (key, value) = entries.get(*i)?;
                Target {
                    node: value,
                    parent: Some((holder, key)),
                }
            }
            (Step::Item(i), NodeValue::Seq(items)) => {
                let item = items.get(*i)?;
                Target {
                    node: item,
                    parent: Some((holder, item)),
                }
            }
            _ => return None,
        };
    }
    Some(target)
}

/// Passes over the entry or item that caused `error` (for a missing field, the mapping
/// that lacks it); false when there is nothing left to pass over (the error is the
/// document's own).
fn pass_over(
    root: &Node,
    error: &DeError,
    skipped: &mut Skipped,
    passed_over: &mut Vec<(Span, String)>,
) -> bool {
    let Some(Target {
        parent: Some((holder, handle)),
        ..
    }) = follow(root, &error.trail)
    else {
        return false;
    };
    skipped.insert(handle);
    if matches!(holder.value, NodeValue::Map(_))
        && let Some(key) = handle.as_str()
    {
        passed_over.push((holder.span, key.to_string()));
        // A misspelt key stood for the field it resembles: its absence is no news.
        if let DeErrorKind::UnknownField { field, expected } = &error.kind
            && let Some(meant) = nearest(field, expected.iter().map(String::as_str))
        {
            passed_over.push((holder.span, meant.to_string()));
        }
    }
    true
}

/// One step of a trail as the source spells it: a mapping key or a list index.
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// The keys and indices the trail walks through, root first, as far as the tree has them.
fn segments<'a>(root: &'a Node, trail: &[Step]) -> Vec<Segment<'a>> {
    let mut out = Vec::new();
    let mut node = root;
    for step in trail {
        match (step, &node.value) {
            (Step::Value(i), NodeValue::Map(entries)) => {
                let Some((key, value)) = entries.get(*i) else {
                    break;
                };
                out.push(Segment::Key(key.as_str().unwrap_or_default()));
                node = value;
            }
            (Step::Item(i), NodeValue::Seq(items)) => {
                let Some(item) = items.get(*i) else { break };
                out.push(Segment::Index(*i));
                node = item;
            }
            _ => break,
        }
    }
    out
}

/// The field path of the trail's node: `spec.routes[0].backends[1]`.
fn path_of(root: &Node, trail: &[Step]) -> String {
    let mut path = String::new();
    for segment in segments(root, trail) {
        match segment {
            Segment::Key(key) if key.contains(['.', '[', ']']) => {
                path.push_str(&format!("[\"{key}\"]"));
            }
            Segment::Key(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Segment::Index(i) => path.push_str(&format!("[{i}]")),
        }
    }
    path
}

fn at(doc: &Document, span: Span) -> Option<Location> {
    Some(Location {
        file: doc.file.clone(),
        line: span.line(),
        column: span.column(),
    })
}

/// Characters a scalar takes in the source (its text, plus quotes when quoted).
fn columns(node: &Node) -> usize {
    let text = node.as_str().unwrap_or_default();
    let quotes = match node.value {
        NodeValue::Scalar { plain: false, .. } => 2,
        _ => 0,
    };
    text.chars().count() + quotes
}

/// Every required field the mapping at `trail` lacks, in the schema's order (`first`, the
/// one serde names, among them).
fn missing_fields(root: &Node, trail: &[Step], first: &str) -> Vec<String> {
    let schema = super::schema::spec_schema();
    let present: Vec<&str> = match follow(root, trail).map(|t| &t.node.value) {
        Some(NodeValue::Map(entries)) => entries.iter().filter_map(|(k, _)| k.as_str()).collect(),
        _ => Vec::new(),
    };
    let mut all: Vec<String> = super::schema::required_at(&schema, &keys_of(root, trail))
        .into_iter()
        .filter(|f| !present.contains(&f.as_str()))
        .collect();
    if !all.iter().any(|f| f == first) {
        all = vec![first.to_string()];
    }
    all
}

/// The trail's keys as a dotted path without list indices (`spec.ports`), as the schema
/// is walked.
fn keys_of(root: &Node, trail: &[Step]) -> String {
    let keys: Vec<&str> = segments(root, trail)
        .into_iter()
        .filter_map(|s| match s {
            Segment::Key(key) => Some(key),
            Segment::Index(_) => None,
        })
        .collect();
    keys.join(".")
}

fn diagnostic(doc: &Document, error: &DeError, missing: Option<&[String]>) -> Diagnostic {
    let root: &Node = &doc.root;
    let target = follow(root, &error.trail);
    let span = error.span.unwrap_or(root.span);
    let error_at =
        |span: Span, message: String| Diagnostic::error("load/spec", message, at(doc, span));
    match &error.kind {
        DeErrorKind::MissingField(_) => {
            let path = path_of(root, &error.trail);
            let mapping = target.as_ref().map(|t| t.node);
            // The mapping's first key, else the key that holds the (empty) mapping.
            let place = match mapping.map(|m| &m.value) {
                Some(NodeValue::Map(entries)) if !entries.is_empty() => entries[0].0.span,
                _ => target
                    .as_ref()
                    .and_then(|t| t.parent)
                    .map_or(span, |(_, handle)| handle.span),
            };
            let whose = if path.is_empty() {
                "the document".to_string()
            } else {
                format!("`{path}`")
            };
            let message = match missing {
                Some([one]) => format!("missing required field `{one}`; add it to this mapping"),
                Some(several) if !several.is_empty() => format!(
                    "missing required fields {}; add them to this mapping",
                    several
                        .iter()
                        .map(|f| format!("`{f}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => error.message.clone(),
            };
            error_at(place, format!("{whose}: {message}"))
        }
        DeErrorKind::UnknownField { field, expected } => {
            let d = error_at(span, error.message.clone());
            match (nearest(field, expected.iter().map(String::as_str)), target) {
                (Some(meant), Some(t)) => d.with_help(Help::did_you_mean(meant, columns(t.node))),
                _ => d,
            }
        }
        DeErrorKind::UnknownVariant { value, expected } => {
            let d = error_at(span, error.message.clone());
            match (nearest(value, expected.iter().map(String::as_str)), target) {
                (Some(meant), Some(t)) => d.with_help(Help::did_you_mean(meant, columns(t.node))),
                _ => d,
            }
        }
        DeErrorKind::Other => error_at(span, error.message.clone()),
    }
}

/// The warning that says reading stopped at [`MAX_ERRORS`], where the next error is.
fn stopped(doc: &Document, next: &DeError) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        ..Diagnostic::error(
            "load/spec",
            format!(
                "lbgen stopped reading this document after {MAX_ERRORS} errors; more follow from here: fix these and run again"
            ),
            at(doc, next.span.unwrap_or(doc.root.span)),
        )
    }
}
