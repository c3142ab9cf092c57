//! The annotations of a live object, normalised for comparison with what lbgen rendered:
//! which ones lbgen's provider packs own, what the cloud's controller wrote or rewrote,
//! and JSON values compared by meaning rather than by text.

use crate::provider::changes::AnnotationOwnership;
use serde_json::{Map, Value};

/// Puts back the live annotations lbgen's packs own that the projection dropped (lbgen
/// stopped setting them, and nothing recorded that it once did).
pub(super) fn keep_owned_annotations(
    live: &Value,
    out: &mut Value,
    ownership: &AnnotationOwnership,
) {
    let Some(live_annotations) = annotations_of(live) else {
        return;
    };
    let owned: Vec<(String, Value)> = live_annotations
        .iter()
        .filter(|(k, _)| ownership.owns(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if owned.is_empty() {
        return;
    }
    let Some(meta) = out.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    let annotations = meta
        .entry("annotations")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(annotations) = annotations.as_object_mut() {
        for (k, v) in owned {
            annotations.entry(k).or_insert(v);
        }
    }
}

/// An object's `metadata.annotations`, if it has any.
pub(super) fn annotations_of(object: &Value) -> Option<&serde_json::Map<String, Value>> {
    object.pointer("/metadata/annotations")?.as_object()
}

/// An object's `metadata.annotations`, to change in place.
pub(super) fn annotations_of_mut(
    object: &mut Value,
) -> Option<&mut serde_json::Map<String, Value>> {
    object.pointer_mut("/metadata/annotations")?.as_object_mut()
}

/// What the cloud's controller writes is never a difference, even when a last applied
/// configuration recorded it (someone applied a live object back).
pub(super) fn drop_controller_annotations(
    out: &mut Value,
    rendered: &Value,
    ownership: &AnnotationOwnership,
) {
    let rendered = annotations_of(rendered);
    if let Some(annotations) = annotations_of_mut(out) {
        annotations.retain(|k, _| {
            !ownership.written_by_controller.contains(&k.as_str())
                || rendered.is_some_and(|r| r.contains_key(k))
        });
    }
}

/// A value the controller wrote over lbgen's with the same meaning (a pack declares them:
/// `onlyLocal` for a rendered `"true"`, say) is shown as lbgen rendered it: not a difference to apply back.
pub(super) fn undo_controller_rewrites(
    out: &mut Value,
    rendered: &Value,
    ownership: &AnnotationOwnership,
) {
    let rendered = annotations_of(rendered);
    let Some(live) = annotations_of_mut(out) else {
        return;
    };
    for rewrite in &ownership.rewritten_by_controller {
        let rendered_value = rendered
            .and_then(|r| r.get(rewrite.key))
            .and_then(Value::as_str);
        if let Some(value) = live.get_mut(rewrite.key)
            && value.as_str() == Some(rewrite.live)
            && rendered_value == Some(rewrite.rendered)
        {
            *value = Value::String(rewrite.rendered.to_string());
        }
    }
}

/// A live annotation whose value and whose rendered counterpart both parse as JSON is
/// written as lbgen writes JSON (sorted keys, no spaces): the rendered text itself when
/// the two mean the same, so only a change of meaning is a difference.
pub(super) fn canonicalise_json_annotations(out: &mut Value, rendered: &Value) {
    let Some(rendered) = annotations_of(rendered) else {
        return;
    };
    let Some(live) = annotations_of_mut(out) else {
        return;
    };
    for (key, value) in live.iter_mut() {
        let (Some(live_text), Some(rendered_text)) =
            (value.as_str(), rendered.get(key).and_then(Value::as_str))
        else {
            continue;
        };
        let (Ok(l), Ok(r)) = (
            serde_json::from_str::<Value>(live_text),
            serde_json::from_str::<Value>(rendered_text),
        ) else {
            continue;
        };
        *value = Value::String(if l == r {
            rendered_text.to_string()
        } else {
            l.to_string()
        });
    }
}
