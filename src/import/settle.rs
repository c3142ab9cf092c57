//! What one render of an imported spec means: the spec built from the proposals still
//! standing (`build`), the proposals and raw annotations its errors blame (`blame`), and
//! the report items of every annotation once settled (`describe`). `verify` runs the
//! rounds; this is the judgement of each.

use super::annotations::{Classified, Mapping};
use super::report::{ObjectReport, Outcome};
use super::spec_path;
use crate::diag::Diagnostic;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The spec: the base, the active proposals, and the other annotations raw.
pub(super) fn build(
    base: &Value,
    classified: &Classified,
    removed: &BTreeMap<String, String>,
) -> Value {
    let mut spec = base.clone();
    let claimed: Vec<&String> = classified
        .mappings
        .iter()
        .filter(|m| m.active)
        .flat_map(|m| &m.keys)
        .collect();
    for m in classified.mappings.iter().filter(|m| m.active) {
        spec_path::set(&mut spec, &m.path, m.value.clone());
    }
    let raw: Map<String, Value> = classified
        .raw
        .iter()
        .filter(|(k, _)| !claimed.contains(k) && !removed.contains_key(*k))
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    if !raw.is_empty() {
        spec_path::set(
            &mut spec,
            &["metadata".into(), "annotations".into()],
            Value::Object(raw),
        );
    }
    spec
}

/// Takes back what the errors blame: a raw annotation is removed (unsupported), a proposal
/// whose field is blamed is taken back. Whether anything changed.
pub(super) fn blame(
    errors: &[Diagnostic],
    classified: &mut Classified,
    removed: &mut BTreeMap<String, String>,
    why: &mut BTreeMap<String, String>,
) -> bool {
    let mut changed = false;
    for error in errors {
        let Some(field) = &error.field else { continue };
        if let Some(key) = field
            .strip_prefix("metadata.annotations[\"")
            .and_then(|k| k.strip_suffix("\"]"))
        {
            let claimed = classified
                .mappings
                .iter()
                .any(|m| m.active && m.keys.iter().any(|k| k == key));
            if classified.raw.contains_key(key) && !claimed && !removed.contains_key(key) {
                removed.insert(key.to_string(), error.message.clone());
                changed = true;
            }
            continue;
        }
        for m in classified.mappings.iter_mut().filter(|m| m.active) {
            // `spec` itself (a missing required field) blames no proposal in particular.
            let hit = field.starts_with(&m.target) || m.target.starts_with(field.as_str());
            if hit && field.starts_with("spec.") && field.contains('.') {
                m.active = false;
                changed = true;
                for k in &m.keys {
                    why.insert(k.clone(), format!("{}: {}", m.target, error.message));
                }
            }
        }
    }
    changed
}

/// Whether a rendered annotation value says what the input's does: the same text, or, for
/// a JSON object or list, the same JSON (controllers parse it, so spacing and the order of
/// an object's keys carry nothing; a number is still not its string).
pub(super) fn same_value(rendered: Option<&String>, input: Option<&String>) -> bool {
    match (rendered, input) {
        (Some(a), Some(b)) if a != b => {
            let json = |t: &str| {
                serde_json::from_str::<Value>(t)
                    .ok()
                    .filter(|v| v.is_object() || v.is_array())
            };
            json(a).is_some_and(|a| Some(a) == json(b))
        }
        (a, b) => a == b,
    }
}

/// The report items of every annotation, and of what the render adds.
pub(super) fn describe(
    classified: &Classified,
    removed: &BTreeMap<String, String>,
    why: &BTreeMap<String, String>,
    rendered: &BTreeMap<String, String>,
    report: &mut ObjectReport,
) {
    for (key, value) in &classified.raw {
        let current = classified.current.get(key).unwrap_or(key);
        let legacy =
            (current != key).then(|| format!("legacy prefix: rendering writes `{current}`"));
        let noted = |why: String| match classified.notes.get(key) {
            Some(note) => format!("{note}; {why}"),
            None => why,
        };
        if let Some(message) = removed.get(key) {
            // A key the render writes itself from the spec, with the input's value.
            if same_value(rendered.get(current), Some(value)) {
                report.push(
                    key,
                    Outcome::Mapped,
                    Some("written by the render from the spec".into()),
                    legacy,
                );
            } else {
                // A mapping taken back first (the render's value differs): say so too.
                let message = match why.get(key) {
                    Some(first) => format!("{first}; kept raw, then: {message}"),
                    None => message.clone(),
                };
                report.push(key, Outcome::Unsupported, None, Some(noted(message)));
            }
            continue;
        }
        let active: Vec<&Mapping> = classified
            .mappings
            .iter()
            .filter(|m| m.active && m.keys.contains(key))
            .collect();
        if !active.is_empty() {
            let target = active
                .iter()
                .map(|m| m.target.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            if target == "spec.cluster.version" {
                // A key that only some clusters get says the cluster is in a range: the
                // version read back is a guess inside it.
                let how = "inferred: the pack writes this key only for clusters this old; set spec.cluster.version to the cluster's own".to_string();
                report.push(key, Outcome::Approximated, Some(target), Some(how));
            } else {
                let respelt = (rendered.get(current) != Some(value)).then(|| {
                    "the same JSON value; the render writes it compactly, in its own key order"
                        .to_string()
                });
                report.push(key, Outcome::Mapped, Some(target), legacy.or(respelt));
            }
        } else if same_value(rendered.get(key), Some(value)) && !rendered.is_empty() {
            let because = why
                .get(key)
                .cloned()
                .unwrap_or_else(|| "no spec field reads it back".into());
            report.push(key, Outcome::KeptRaw, None, Some(noted(because)));
        } else {
            let because = why
                .get(key)
                .cloned()
                .unwrap_or_else(|| "not reproduced by the render".into());
            report.push(key, Outcome::KeptRaw, None, Some(noted(because)));
        }
    }
    for m in classified.mappings.iter().filter(|m| m.active) {
        if let Some(field) = &m.field {
            report.claim(field, &m.target);
        }
    }
    let input_current: Vec<&String> = classified.current.values().collect();
    for (key, value) in rendered {
        if !input_current.contains(&key) && !classified.raw.contains_key(key) {
            report.push(
                key,
                Outcome::Approximated,
                None,
                Some(format!("the render adds `{value}` (the pack's default, or what the imported fields imply)")),
            );
        }
    }
}

/// Every distinct error message, in order, joined.
pub(super) fn messages(errors: &[Diagnostic]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for e in errors {
        if !seen.contains(&e.message.as_str()) {
            seen.push(&e.message);
        }
    }
    if seen.is_empty() {
        return first_message(errors);
    }
    seen.join("; ")
}

/// The first error's message (what a refused render is reported by).
pub(super) fn first_message(errors: &[Diagnostic]) -> String {
    errors
        .first()
        .map_or_else(|| "no object rendered".to_string(), |d| d.message.clone())
}
