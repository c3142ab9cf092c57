//! Provider packs: a plan becomes template contexts with the provider's annotations.
//!
//! The mapping here is only what differs between clouds (annotation keys, value
//! spellings, units). What every provider shares lives once in this module: object
//! metadata, lbgen's managed-by label, merging the user's annotations (a key lbgen sets
//! itself is an error), Service ports, and (in `ingress`) Ingress rules and backends.
//! Which packs exist, and everything else the rest of lbgen knows about them, is the
//! `registry`'s.

mod alibaba;
pub mod annotation_check;
mod annotation_relations;
pub mod catalogue;
pub mod catalogue_fields;
mod catalogue_json;
mod catalogue_load;
pub mod changes;
mod conditions;
pub(crate) mod conditions_read;
mod huawei;
mod id;
pub mod import;
mod ingress;
pub mod registry;
pub mod settings;
mod tencent;

pub use changes::{annotation_ownership, change_rules};
pub(crate) use conditions::{QueryForm, condition_blocks, conditions_key_name};
pub use id::ProviderId;
pub(crate) use ingress::{
    IngressApi, ingress_path, ingress_rules, path_backend, plain_backend, route_service,
    split_shares,
};
pub use registry::{Pack, Registry, registry};

use crate::diag::{Diagnostic, Severity};
use crate::plan::Plan;
use crate::spec::model::{ChargeMode, Create, Protocol, TrafficPolicy};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The label every emitted object carries, so `diff --prune` can find lbgen's objects.
pub const MANAGED_BY: (&str, &str) = ("app.kubernetes.io/managed-by", "kubectl-lbgen");

/// One object to render: the template (`<provider>/<kind>.yaml`) and its context.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Template name, e.g. `huawei/service.yaml`.
    pub template: String,
    /// Values the template interpolates (each one JSON-escaped on the way out).
    pub context: Value,
}

/// What a provider pack makes of a plan.
#[derive(Debug, Default)]
pub struct Mapped {
    /// Objects to render.
    pub manifests: Vec<Manifest>,
    /// Findings made while mapping (blame fields of the spec).
    pub diagnostics: Vec<Diagnostic>,
    /// Changes to objects lbgen does not own (a workload's pod template): never emitted as
    /// objects of their own; see `crate::patch`.
    pub patches: Vec<Patch>,
}

/// A strategic-merge patch of an object lbgen does not own, and what to say about it.
#[derive(Debug)]
pub struct Patch {
    /// Renders the patch: a partial object of the target's kind, name and namespace.
    pub manifest: Manifest,
    /// The spec named no container, so the patch's container is a guess: applied in
    /// place it goes to the target's first container instead.
    pub first_container: bool,
    /// The spec field that asks for the patch (diagnostics blame it).
    pub field: String,
    /// The rule id of diagnostics about the patch.
    pub rule: String,
    /// Why the target needs the patch, one clause for the messages.
    pub reason: String,
}

/// Maps a plan with its provider's pack.
pub fn map(plan: &Plan) -> Mapped {
    plan.provider.pack().map(plan)
}

/// Annotations a provider pack sets, in a sorted map; JSON-valued ones are serialised
/// once from a typed value (`types.rs` of each pack), never concatenated.
#[derive(Debug, Default)]
pub(crate) struct Annotations(BTreeMap<String, String>);

impl Annotations {
    pub(crate) fn set(&mut self, key: &str, value: impl Into<String>) {
        self.0.insert(key.to_string(), value.into());
    }

    /// Sets `key` to the compact JSON of `value`. It goes through `serde_json::Value`
    /// first, so object keys come out sorted whatever the struct's field order (the
    /// spelling lbgen has always written). The packs' annotation values are plain structs
    /// of strings, numbers and lists, which always serialise; were one ever to fail, the
    /// value would be `null`, which the providers' policies and controllers refuse.
    pub(crate) fn set_json(&mut self, key: &str, value: &impl Serialize) {
        let value = serde_json::to_value(value).unwrap_or(Value::Null);
        self.0.insert(key.to_string(), value.to_string());
    }
}

/// Object metadata shared by every provider: name, namespace, the spec's labels plus the
/// managed-by label, the pack's annotations plus the typed provider fields' and the user's.
/// A key set twice is an error: the escape hatch never overrides lbgen, and a typed
/// provider field never overrides a shared spec field.
pub(crate) fn metadata(plan: &Plan, annotations: Annotations, out: &mut Vec<Diagnostic>) -> Value {
    let labels = labels(plan);
    let mut merged = annotations.0;
    let pack_keys: Vec<String> = merged.keys().cloned().collect();
    let conflict = |field: String, message: String| Diagnostic {
        help: None,
        severity: Severity::Error,
        rule: "provider/annotation-conflict".into(),
        message,
        field: Some(field),
        provider: Some(plan.provider.as_str().into()),
        location: None,
    };
    let kind = plan.exposure.kind();
    for typed in plan.provider_fields.iter().filter(|f| f.kind == kind) {
        if pack_keys.contains(&typed.key) {
            out.push(conflict(
                typed.field.clone(),
                format!(
                    "annotation `{}` is set by lbgen from a shared spec field; remove {} (`kubectl lbgen explain {}` names the field)",
                    typed.key, typed.field, typed.key
                ),
            ));
        } else {
            merged.insert(typed.key.clone(), typed.value.clone());
        }
    }
    for (key, value) in &plan.annotations {
        if let Some(typed) = plan.provider_fields.iter().find(|f| &f.key == key) {
            out.push(conflict(
                format!("metadata.annotations[\"{key}\"]"),
                format!(
                    "annotation `{key}` is set by {} too; keep one of them (the typed field)",
                    typed.field
                ),
            ));
        } else if merged.contains_key(key) {
            out.push(conflict(
                format!("metadata.annotations[\"{key}\"]"),
                format!(
                    "annotation `{key}` is set by lbgen from the spec; remove it from metadata.annotations and use the spec field instead (`kubectl lbgen explain` lists them)"
                ),
            ));
        } else {
            merged.insert(key.clone(), value.clone());
        }
    }
    json!({
        "name": plan.name,
        "namespace": plan.namespace,
        "labels": labels,
        "annotations": merged,
    })
}

/// The LoadBalancer Service every pack renders: the pack's template and annotations, the
/// spec's selector and ports, and its externalTrafficPolicy.
pub(crate) fn service_manifest(
    plan: &Plan,
    template: &str,
    annotations: Annotations,
    diagnostics: &mut Vec<Diagnostic>,
) -> Manifest {
    let metadata = metadata(plan, annotations, diagnostics);
    Manifest {
        template: template.into(),
        context: json!({
            "metadata": metadata,
            "selector": plan.selector,
            "ports": service_ports(plan),
            "externalTrafficPolicy": match plan.traffic_policy {
                TrafficPolicy::Cluster => "Cluster",
                TrafficPolicy::Local => "Local",
            },
        }),
    }
}

/// The public bandwidth of a new load balancer as two plain annotations (Alibaba's and
/// Tencent's form): the charge mode in the pack's spelling (`charge`) under `charge_key`,
/// the size in Mbit/s under `size_key`, each only when the spec gives it.
pub(crate) fn bandwidth(
    a: &mut Annotations,
    create: &Create,
    (charge_key, size_key): (&str, &str),
    charge: impl Fn(ChargeMode) -> &'static str,
) {
    let Some(bw) = &create.bandwidth else {
        return;
    };
    if let Some(mode) = bw.charge_mode {
        a.set(charge_key, charge(mode));
    }
    if let Some(size) = bw.size {
        a.set(size_key, size.to_string());
    }
}

/// Resource tags as one `key=value,key=value` annotation value (Huawei's `elb.tags`,
/// Alibaba's `additional-resource-tags`), in key order. The policies refuse `,` and `=` in
/// keys and values (`common/tag-text`), so no tag can add or split an entry.
pub(crate) fn key_value_list(tags: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join(",")
}

/// The labels of every emitted object: the spec's plus lbgen's managed-by label.
pub(crate) fn labels(plan: &Plan) -> BTreeMap<String, String> {
    let mut labels = plan.labels.clone();
    labels.insert(MANAGED_BY.0.into(), MANAGED_BY.1.into());
    labels
}

/// A Service port as the API expects it: HTTP/HTTPS listeners are TCP on the Service
/// (the provider annotations make them L7).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ServicePortContext {
    name: String,
    port: u16,
    target_port: Value,
    protocol: &'static str,
}

pub(crate) fn service_ports(plan: &Plan) -> Vec<ServicePortContext> {
    plan.listeners
        .iter()
        .map(|l| ServicePortContext {
            name: l.name.clone(),
            port: l.port,
            target_port: serde_json::to_value(&l.target_port).unwrap_or(Value::Null),
            protocol: transport(l.protocol),
        })
        .collect()
}

/// The transport protocol under a listener protocol.
pub(crate) fn transport(p: Protocol) -> &'static str {
    match p {
        Protocol::Udp => "UDP",
        _ => "TCP",
    }
}

#[cfg(test)]
mod tests {
    use super::Annotations;

    #[test]
    fn json_values_come_out_with_sorted_keys_whatever_the_field_order() {
        #[derive(serde::Serialize)]
        struct Unsorted {
            zeta: u8,
            alpha: &'static str,
        }
        let mut a = Annotations::default();
        a.set_json(
            "k",
            &[Unsorted {
                zeta: 1,
                alpha: "x",
            }],
        );
        assert_eq!(a.0["k"], r#"[{"alpha":"x","zeta":1}]"#);
    }
}
