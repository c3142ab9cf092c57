//! Normalising a live object before it is compared: keep only what lbgen owns.
//!
//! What the API server and controllers write (status, bookkeeping metadata, assigned
//! cluster IPs and node ports, defaults) would otherwise show as a difference on every
//! object. The rule mirrors what `kubectl apply` would touch: a live field is compared
//! when the rendered object sets it, when the last applied configuration set it (so a
//! field lbgen stopped setting shows as removed), or when it is an annotation lbgen's
//! provider packs own on an object lbgen manages. Everything else is left out.
//! JSON-valued annotations are re-serialised the way lbgen writes them, so key order and
//! whitespace never show as a change.

use super::annotations::{
    canonicalise_json_annotations, drop_controller_annotations, keep_owned_annotations,
    undo_controller_rewrites,
};
use crate::emit::Object;
use crate::provider::MANAGED_BY;
use crate::provider::changes::AnnotationOwnership;
use serde_json::{Map, Value};

/// kubectl's record of what the last client-side apply set.
pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Metadata only the API server writes.
const SERVER_METADATA: &[&str] = &[
    "managedFields",
    "resourceVersion",
    "uid",
    "creationTimestamp",
    "generation",
    "selfLink",
];

/// Service spec fields the API server assigns when nobody sets them.
const SERVICE_ASSIGNED: &[&str] = &["clusterIP", "clusterIPs", "healthCheckNodePort"];

/// How much of a live object is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// What lbgen owns: what the rendered object sets, what the last apply recorded, the
    /// annotations the provider packs own (client-side diff).
    Owned,
    /// Everything but server bookkeeping: the other side is what the API server would
    /// store (`--server-side`), defaults and other managers' fields included.
    Stored,
}

/// `object` without what only the API server writes: `status`, bookkeeping metadata and
/// the last-applied record.
pub fn strip(object: &Object) -> Object {
    let mut value = object.0.clone();
    take_last_applied(&mut value);
    strip_bookkeeping(&mut value);
    Object(value)
}

fn strip_bookkeeping(value: &mut Value) {
    if let Some(map) = value.as_object_mut() {
        map.remove("status");
        if let Some(meta) = map.get_mut("metadata").and_then(Value::as_object_mut) {
            for field in SERVER_METADATA {
                meta.remove(*field);
            }
        }
    }
}

/// The live object as it should be compared with `desired` (the rendered object, or with
/// `Extent::Stored` what the server would store), or, when nothing is desired for it, as
/// it would be removed.
pub fn normalise(
    live: &Object,
    desired: Option<&Object>,
    ownership: &AnnotationOwnership,
    extent: Extent,
) -> Object {
    let mut value = live.0.clone();
    let applied = take_last_applied(&mut value);
    strip_bookkeeping(&mut value);
    let Some(desired) = desired else {
        strip_assigned(&mut value);
        drop_empty_metadata_maps(&mut value);
        return Object(value);
    };
    let mut out = match extent {
        Extent::Stored => value,
        Extent::Owned => {
            let mut out = project(&value, &desired.0, applied.as_ref());
            if live_is_managed(live) {
                keep_owned_annotations(&value, &mut out, ownership);
            }
            drop_controller_annotations(&mut out, &desired.0, ownership);
            undo_controller_rewrites(&mut out, &desired.0, ownership);
            out
        }
    };
    canonicalise_json_annotations(&mut out, &desired.0);
    drop_empty_metadata_maps(&mut out);
    Object(out)
}

/// Whether the live object carries lbgen's managed-by label.
pub fn live_is_managed(live: &Object) -> bool {
    live.0
        .pointer("/metadata/labels")
        .and_then(|l| l.get(MANAGED_BY.0))
        .and_then(Value::as_str)
        == Some(MANAGED_BY.1)
}

/// Removes the last-applied annotation and returns what it recorded (when it parses).
fn take_last_applied(value: &mut Value) -> Option<Value> {
    let annotations = super::annotations::annotations_of_mut(value)?;
    let text = annotations.remove(LAST_APPLIED)?;
    serde_json::from_str(text.as_str()?).ok()
}

/// Drops what the API server assigns to a Service (cluster IPs, node ports).
fn strip_assigned(value: &mut Value) {
    if value.get("kind").and_then(Value::as_str) != Some("Service") {
        return;
    }
    let Some(spec) = value.get_mut("spec").and_then(Value::as_object_mut) else {
        return;
    };
    for field in SERVICE_ASSIGNED {
        spec.remove(*field);
    }
    if let Some(Value::Array(ports)) = spec.get_mut("ports") {
        for port in ports.iter_mut().filter_map(Value::as_object_mut) {
            port.remove("nodePort");
        }
    }
}

/// The part of `live` that `rendered` or `applied` sets, recursively. Array elements are
/// matched by position (how Kubernetes lists of ports and rules are written); live
/// elements beyond both are kept whole, since applying would remove them.
fn project(live: &Value, rendered: &Value, applied: Option<&Value>) -> Value {
    match (live, rendered) {
        (Value::Object(l), Value::Object(r)) => {
            let a = applied.and_then(Value::as_object);
            let kept: Map<String, Value> = l
                .iter()
                .filter_map(|(key, lv)| {
                    let av = a.and_then(|a| a.get(key));
                    match (r.get(key), av) {
                        (Some(rv), _) => Some((key.clone(), project(lv, rv, av))),
                        (None, Some(av)) => Some((key.clone(), project(lv, av, None))),
                        (None, None) => None,
                    }
                })
                .collect();
            Value::Object(kept)
        }
        (Value::Array(l), Value::Array(r)) => {
            let a = applied.and_then(Value::as_array);
            let elements = l.iter().enumerate().map(|(i, lv)| {
                let av = a.and_then(|a| a.get(i));
                match (r.get(i), av) {
                    (Some(rv), _) => project(lv, rv, av),
                    (None, Some(av)) => project(lv, av, None),
                    (None, None) => lv.clone(),
                }
            });
            Value::Array(elements.collect())
        }
        _ => live.clone(),
    }
}

/// `labels: {}` and `annotations: {}` left after stripping say nothing.
fn drop_empty_metadata_maps(value: &mut Value) {
    if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.retain(|k, v| {
            !(matches!(k.as_str(), "labels" | "annotations")
                && v.as_object().is_some_and(Map::is_empty))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The ownership data of a made-up pack: normalising reads only this data.
    fn ownership() -> AnnotationOwnership {
        AnnotationOwnership {
            prefixes: vec!["example.com/lb."],
            written_by_controller: vec!["example.com/lb.mark"],
            rewritten_by_controller: vec![crate::provider::changes::ControllerRewrite {
                key: "example.com/lb.pass-through",
                rendered: "true",
                live: "onlyLocal",
                source: "test",
            }],
        }
    }

    #[test]
    fn a_controller_rewrite_of_a_rendered_value_is_no_difference() {
        let managed = json!({"app.kubernetes.io/managed-by": "kubectl-lbgen"});
        let rendered = Object(json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "a", "labels": managed,
                "annotations": {"example.com/lb.pass-through": "true"}},
            "spec": {"externalTrafficPolicy": "Local"},
        }));
        let mut live = rendered.clone();
        live.0["metadata"]["annotations"]["example.com/lb.pass-through"] = json!("onlyLocal");
        assert_eq!(
            normalise(&live, Some(&rendered), &ownership(), Extent::Owned),
            rendered
        );
        // Any other live value is still a difference.
        live.0["metadata"]["annotations"]["example.com/lb.pass-through"] = json!("false");
        assert_ne!(
            normalise(&live, Some(&rendered), &ownership(), Extent::Owned),
            rendered
        );
    }

    #[test]
    fn server_fields_and_defaults_are_dropped() {
        let rendered = Object(json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "a", "namespace": "web", "labels": {"app.kubernetes.io/managed-by": "kubectl-lbgen"}},
            "spec": {"type": "LoadBalancer", "ports": [{"port": 80, "protocol": "TCP"}]},
        }));
        let live = Object(json!({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "a", "namespace": "web", "uid": "u", "resourceVersion": "9",
                "labels": {"app.kubernetes.io/managed-by": "kubectl-lbgen"},
                "annotations": {"example.com/lb.mark": "0",
                    LAST_APPLIED: r#"{"metadata":{"annotations":{"example.com/lb.mark":"0"}}}"#},
                "managedFields": [{}], "creationTimestamp": "2024-01-01T00:00:00Z"},
            "spec": {"type": "LoadBalancer", "clusterIP": "10.0.0.1", "clusterIPs": ["10.0.0.1"],
                "sessionAffinity": "None",
                "ports": [{"port": 80, "protocol": "TCP", "nodePort": 31000}]},
            "status": {"loadBalancer": {}},
        }));
        assert_eq!(
            normalise(&live, Some(&rendered), &ownership(), Extent::Owned),
            rendered
        );
    }

    #[test]
    fn owned_annotation_no_longer_rendered_stays_visible() {
        let rendered = Object(json!({
            "kind": "Service",
            "metadata": {"name": "a", "labels": {"app.kubernetes.io/managed-by": "kubectl-lbgen"}},
        }));
        let live = Object(json!({
            "kind": "Service",
            "metadata": {"name": "a", "labels": {"app.kubernetes.io/managed-by": "kubectl-lbgen"},
                "annotations": {"example.com/lb.health-check-flag": "on", "other.io/x": "y"}},
        }));
        let out = normalise(&live, Some(&rendered), &ownership(), Extent::Owned);
        assert_eq!(
            out.0.pointer("/metadata/annotations"),
            Some(&json!({"example.com/lb.health-check-flag": "on"}))
        );
    }

    #[test]
    fn last_applied_fields_are_compared() {
        let rendered = Object(json!({"kind": "Service", "metadata": {"name": "a"}, "spec": {}}));
        let applied = json!({"spec": {"loadBalancerIP": "1.2.3.4"}}).to_string();
        let live = Object(json!({
            "kind": "Service",
            "metadata": {"name": "a", "annotations": {LAST_APPLIED: applied}},
            "spec": {"loadBalancerIP": "1.2.3.4", "clusterIP": "10.0.0.1"},
        }));
        let out = normalise(&live, Some(&rendered), &ownership(), Extent::Owned);
        assert_eq!(
            out.0.pointer("/spec"),
            Some(&json!({"loadBalancerIP": "1.2.3.4"}))
        );
    }

    #[test]
    fn json_annotations_compare_by_meaning() {
        let key = "example.com/lb.health-check-option";
        let rendered =
            Object(json!({"metadata": {"annotations": {key: r#"{"delay":"5","timeout":"10"}"#}}}));
        let same = Object(
            json!({"metadata": {"annotations": {key: r#"{ "timeout": "10",  "delay": "5" }"#}}}),
        );
        let other = Object(
            json!({"metadata": {"annotations": {key: r#"{"timeout": "10", "delay": "6"}"#}}}),
        );
        assert_eq!(
            normalise(&same, Some(&rendered), &ownership(), Extent::Owned),
            rendered
        );
        let out = normalise(&other, Some(&rendered), &ownership(), Extent::Owned);
        assert_eq!(
            out.0
                .pointer("/metadata/annotations")
                .and_then(|a| a.get(key)),
            Some(&json!(r#"{"delay":"6","timeout":"10"}"#))
        );
    }
}
