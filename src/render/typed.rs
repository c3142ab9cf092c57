//! The round trip through `k8s-openapi` that proves a rendered object has the API's shape.
//!
//! k8s-openapi silently drops fields it does not know, so the object is read into its
//! type, written back, and compared with what the template produced: any difference is
//! a field the API server would not store. A field a pack's controller reads beyond the
//! upstream type (its registered extension fields) is set aside before the check and kept.
//! Kinds k8s-openapi does not model are checked by the pack that registered them, with its
//! own structs (`deny_unknown_fields`), the same way.

use crate::provider::registry;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::api::networking::v1::{Ingress, IngressClass};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// Checks `object` against the type of its kind and returns it unchanged.
pub(super) fn check(object: Value) -> Result<Value, String> {
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let api_version = object
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if let Some(custom) = registry().custom_kind(api_version, kind) {
        (custom.check)(&object)?;
        return Ok(object);
    }
    match kind {
        "Service" => round_trip::<Service>(&object)?,
        "Ingress" => round_trip::<Ingress>(&without_extension_fields(&object, kind))?,
        "IngressClass" => round_trip::<IngressClass>(&object)?,
        other => return Err(format!("lbgen does not know how to check kind `{other}`")),
    }
    Ok(object)
}

/// A copy of `object` without the fields packs read beyond the upstream type of `kind`.
fn without_extension_fields(object: &Value, kind: &str) -> Value {
    let mut copy = object.clone();
    for field in registry().extension_fields(kind) {
        (field.strip)(&mut copy);
    }
    copy
}

/// Reads `object` into `T` and back; `Err` names the first field that did not survive.
pub(crate) fn round_trip<T: DeserializeOwned + Serialize>(object: &Value) -> Result<(), String> {
    let typed: T = serde_json::from_value(object.clone()).map_err(|e| e.to_string())?;
    let back = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    match first_difference(object, &back, String::new()) {
        None => Ok(()),
        Some(path) => Err(format!(
            "field `{path}` is not part of the Kubernetes object (misspelt or misplaced in the template)"
        )),
    }
}

/// The first path where `a` has something `b` lacks or holds differently.
fn first_difference(a: &Value, b: &Value, path: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.iter().find_map(|(k, v)| match y.get(k) {
            Some(w) => first_difference(v, w, format!("{path}.{k}")),
            None if v.is_null() => None,
            None => Some(format!("{path}.{k}").trim_start_matches('.').to_string()),
        }),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, format!("{path}[{i}]"))),
        _ if a == b => None,
        _ => Some(path.trim_start_matches('.').to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_are_caught() {
        let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}, "spec": {"typo": 1}});
        assert_eq!(
            check(svc).unwrap_err(),
            "field `spec.typo` is not part of the Kubernetes object (misspelt or misplaced in the template)"
        );
    }
}
