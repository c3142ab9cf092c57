//! Provider packs: a plan becomes template contexts with the provider's annotations.
//!
//! The mapping here is only what differs between clouds (annotation keys, value
//! spellings, units). What every provider shares lives once in this module: object
//! metadata, lbgen's managed-by label, merging the user's annotations (a key lbgen sets
//! itself is an error), and Service port / Ingress rule layout. Which packs exist, and
//! everything else the rest of lbgen knows about them, is the `registry`'s.

mod alibaba;
pub mod changes;
mod huawei;
mod id;
pub mod registry;
mod tencent;

pub use changes::{annotation_ownership, change_rules};
pub use id::ProviderId;
pub use registry::{Pack, Registry, registry};

use crate::diag::{Diagnostic, Severity};
use crate::plan::{Plan, RoutePlan};
use crate::spec::model::{PathMatch, Protocol, TrafficPolicy};
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
/// once from `serde_json::Value`, never concatenated.
#[derive(Debug, Default)]
pub(crate) struct Annotations(BTreeMap<String, String>);

impl Annotations {
    pub(crate) fn set(&mut self, key: &str, value: impl Into<String>) {
        self.0.insert(key.to_string(), value.into());
    }

    pub(crate) fn set_json(&mut self, key: &str, value: &Value) {
        self.0.insert(key.to_string(), value.to_string());
    }
}

/// Object metadata shared by every provider: name, namespace, the spec's labels plus the
/// managed-by label, the pack's annotations plus the user's. A user annotation whose key
/// the pack sets is an error (the escape hatch never overrides lbgen).
pub(crate) fn metadata(plan: &Plan, annotations: Annotations, out: &mut Vec<Diagnostic>) -> Value {
    let labels = labels(plan);
    let mut merged = annotations.0;
    for (key, value) in &plan.annotations {
        if merged.contains_key(key) {
            out.push(Diagnostic {
                severity: Severity::Error,
                rule: "provider/annotation-conflict".into(),
                message: format!(
                    "annotation `{key}` is set by lbgen from the spec; remove it from metadata.annotations and use the spec field instead (`kubectl lbgen explain` lists them)"
                ),
                field: Some(format!("metadata.annotations[\"{key}\"]")),
                provider: Some(plan.provider.as_str().into()),
                location: None,
            });
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

/// The Ingress `pathType` for a match mode; `None` for modes the API has no type for
/// (the provider then says how it spells them).
pub(crate) fn path_type(m: PathMatch) -> Option<&'static str> {
    match m {
        PathMatch::Prefix => Some("Prefix"),
        PathMatch::Exact => Some("Exact"),
        PathMatch::Regex => None,
    }
}

/// Ingress rules (`{host, http: {paths}}`, no host for a catch-all): one per host in order
/// of first appearance, paths in spec order. Each path's backend and extra fields come from
/// the provider (`path_of`).
pub(crate) fn ingress_rules(
    routes: &[RoutePlan],
    mut path_of: impl FnMut(usize, &RoutePlan) -> Value,
) -> Vec<Value> {
    let mut hosts: Vec<Option<&str>> = Vec::new();
    let mut paths: Vec<Vec<Value>> = Vec::new();
    for (i, route) in routes.iter().enumerate() {
        let host = route.host.as_deref();
        let slot = match hosts.iter().position(|h| *h == host) {
            Some(s) => s,
            None => {
                hosts.push(host);
                paths.push(Vec::new());
                hosts.len() - 1
            }
        };
        paths[slot].push(path_of(i, route));
    }
    hosts
        .into_iter()
        .zip(paths)
        .map(|(host, paths)| {
            let mut rule = json!({"http": {"paths": paths}});
            if let Some(h) = host {
                rule["host"] = json!(h);
            }
            rule
        })
        .collect()
}

/// The backend of an Ingress path: the route's one Service, or, when the route splits
/// traffic, the synthetic `action` backend with port name `use-annotation` whose
/// annotation holds the split (the pattern of Huawei's and Alibaba's controllers). A plain
/// route without Service and port (refused by the common rules) renders a null backend,
/// which the typed check then rejects: nothing is invented.
pub(crate) fn path_backend(route: &RoutePlan, action: &str) -> Value {
    if route.split {
        return json!({"service": {"name": action, "port": {"name": "use-annotation"}}});
    }
    match route
        .backends
        .first()
        .and_then(|b| Some((b.service.as_deref()?, b.port.as_ref()?)))
    {
        Some((name, port)) => service_backend(name, port),
        None => Value::Null,
    }
}

/// A plain Ingress backend for a Service port given by number or name.
pub(crate) fn service_backend(name: &str, port: &crate::spec::values::PortRef) -> Value {
    use crate::spec::values::PortRef;
    let port = match port {
        PortRef::Number(n) => json!({"number": n.0}),
        PortRef::Name(n) => json!({"name": n}),
    };
    json!({"service": {"name": name, "port": port}})
}
