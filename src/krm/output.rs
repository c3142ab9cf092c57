//! Writing the output ResourceList: the items, the `functionConfig`, and one `results`
//! entry per diagnostic (severity, resource, field, file); rendered objects get a path
//! beside their spec, and patches are merged into the items they target.

use super::input::Origin;
use crate::diag::{Diagnostic, Severity};
use serde_json::{Map, Value, json};

/// The output ResourceList.
pub(super) fn resource_list(items: Vec<Value>, config: Value, results: Vec<Value>) -> Value {
    let mut out = Map::new();
    out.insert("apiVersion".into(), json!("config.kubernetes.io/v1"));
    out.insert("kind".into(), json!("ResourceList"));
    out.insert("items".into(), Value::Array(items));
    if !config.is_null() {
        out.insert("functionConfig".into(), config);
    }
    if !results.is_empty() {
        out.insert("results".into(), Value::Array(results));
    }
    Value::Object(out)
}

/// A `results` entry of severity error about a field of the ResourceList.
pub(super) fn error_result(message: String, field: &str) -> Value {
    json!({"message": message, "severity": "error", "field": {"path": field}})
}

/// Merges each pending patch into the item it targets, in place (the item keeps its
/// orchestrator annotations); a patch applied here drops its "not in the input" warning.
/// A patch that cannot apply is an error result (and the function fails).
pub(super) fn patch_items(
    patches: Vec<crate::patch::Pending>,
    mut diagnostics: Vec<Diagnostic>,
    items: &mut [Value],
    namespace: &str,
) -> (Vec<Diagnostic>, bool) {
    let mut ok = true;
    for p in patches {
        match crate::patch::apply_to(&p.object, p.first_container, items, namespace) {
            Ok(false) => {}
            Ok(true) => diagnostics.retain(|d| *d != p.warning),
            Err(message) => {
                ok = false;
                diagnostics.retain(|d| *d != p.warning);
                diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    message,
                    ..p.warning
                });
            }
        }
    }
    (diagnostics, ok)
}

/// Gives a rendered object a file beside its spec: `<dir>/<kind>_<name>.yaml`.
pub(super) fn with_path(mut object: Value, dir: &str) -> Value {
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let path = format!("{dir}{kind}_{name}.yaml");
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
        if let Some(a) = annotations.as_object_mut() {
            a.insert("config.kubernetes.io/path".into(), json!(path));
            a.insert("internal.config.kubernetes.io/path".into(), json!(path));
        }
    }
    object
}

/// The `results` entry of one diagnostic, naming the spec it blames when known.
pub(super) fn result(d: &Diagnostic, origin: Option<&Origin>) -> Value {
    let mut r = json!({
        "message": format!("{} [{}]", d.message, d.rule),
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
    });
    if let Some(o) = origin {
        r["resourceRef"] = o.reference.clone();
        if let Some(p) = &o.path {
            r["file"] = json!({"path": p, "index": o.index.unwrap_or(0)});
        }
    }
    if let Some(f) = &d.field {
        r["field"] = json!({"path": f});
    }
    r
}
