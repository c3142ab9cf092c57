//! Provider packs: a plan becomes template contexts with the provider's annotations.
//!
//! The mapping here is only what differs between clouds (annotation keys, value
//! spellings, units). What every provider shares lives once in this module: object
//! metadata, lbgen's managed-by label, merging the user's annotations (a key lbgen sets
//! itself is an error), and Service port / Ingress rule layout.

mod alibaba;
pub mod changes;
mod huawei;
pub(crate) mod tencent;

pub use changes::{annotation_ownership, change_rules};

use crate::diag::{Diagnostic, Severity};
use crate::plan::{BackendPlan, Plan, RoutePlan};
use crate::spec::model::{ChargeMode, Create, PathMatch, Protocol, Provider, TrafficPolicy};
use crate::spec::values::PortRef;
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
    match plan.provider {
        Provider::Huawei => huawei::map(plan),
        Provider::Alibaba => alibaba::map(plan),
        Provider::Tencent => tencent::map(plan),
    }
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

/// The Ingress `pathType` for a match mode: the API's types, `ImplementationSpecific` for
/// modes it has none for (the provider then says how it spells them).
pub(crate) fn path_type(m: PathMatch) -> &'static str {
    match m {
        PathMatch::Prefix => "Prefix",
        PathMatch::Exact => "Exact",
        PathMatch::Regex => "ImplementationSpecific",
    }
}

/// A `networking.k8s.io/v1` Ingress path: the route's path and `pathType`, and `backend`.
pub(crate) fn ingress_path(route: &RoutePlan, backend: Value) -> Value {
    json!({"path": route.path, "pathType": path_type(route.path_match), "backend": backend})
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

/// The one Service a plain route forwards to: its first backend's Service and port. `None`
/// when that backend lacks either (the common rules refuse such a route, so a mapping
/// never sees one): callers render a null backend then, never an invented name or port.
pub(crate) fn route_service(route: &RoutePlan) -> Option<(&str, &PortRef)> {
    let backend = route.backends.first()?;
    Some((backend.service.as_deref()?, backend.port.as_ref()?))
}

/// How an Ingress spells a Service backend: `networking.k8s.io/v1`, or the `v1beta1` form
/// older clusters serve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IngressApi {
    /// `{service: {name, port: {number | name}}}`.
    V1,
    /// `{serviceName, servicePort}`.
    V1beta1,
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
    plain_backend(route, IngressApi::V1)
}

/// The backend of a route that never splits (its pack's policy refuses splits), in the
/// given API's spelling; a null backend when the route names no Service and port.
pub(crate) fn plain_backend(route: &RoutePlan, api: IngressApi) -> Value {
    match (route_service(route), api) {
        (Some((name, port)), IngressApi::V1) => service_backend(name, port),
        (Some((name, port)), IngressApi::V1beta1) => {
            json!({"serviceName": name, "servicePort": port})
        }
        (None, _) => Value::Null,
    }
}

/// The shares of a split route in a pack's spelling of its forward action: `service(name,
/// port, weight)` for an in-cluster Service, `group(id, weight)` for an external server
/// group, each with the backend's effective weight, in spec order.
pub(crate) fn split_shares<'a, T>(
    backends: &'a [BackendPlan],
    service: impl Fn(&'a str, Option<&'a PortRef>, u8) -> T,
    group: impl Fn(Option<&'a str>, u8) -> T,
) -> Vec<T> {
    backends
        .iter()
        .map(|b| match &b.service {
            Some(name) => service(name, b.port.as_ref(), b.effective_weight),
            None => group(b.server_group.as_deref(), b.effective_weight),
        })
        .collect()
}

/// A plain `networking.k8s.io/v1` Ingress backend for a Service port given by number or
/// name.
pub(crate) fn service_backend(name: &str, port: &PortRef) -> Value {
    let port = match port {
        PortRef::Number(n) => json!({"number": n.0}),
        PortRef::Name(n) => json!({"name": n}),
    };
    json!({"service": {"name": name, "port": port}})
}

#[cfg(test)]
mod tests {
    use super::{Annotations, IngressApi, path_backend, plain_backend};
    use crate::plan::{BackendPlan, RoutePlan};
    use crate::spec::model::PathMatch;
    use crate::spec::values::{Port, PortRef};
    use serde_json::json;

    fn route(service: Option<&str>, port: Option<PortRef>, split: bool) -> RoutePlan {
        RoutePlan {
            host: None,
            path: "/".into(),
            path_match: PathMatch::Prefix,
            port: 80,
            certificate_id: None,
            sni_certificate_ids: Vec::new(),
            action: None,
            backends: vec![BackendPlan {
                route: 0,
                index: 0,
                service: service.map(String::from),
                server_group: None,
                port,
                weight: None,
                effective_weight: 100,
            }],
            split,
        }
    }

    #[test]
    fn backends_are_spelt_per_api_and_never_invented() {
        let named = route(Some("web"), Some(PortRef::Name("http".into())), false);
        let numbered = route(Some("web"), Some(PortRef::Number(Port(8080))), false);
        assert_eq!(
            plain_backend(&named, IngressApi::V1),
            json!({"service": {"name": "web", "port": {"name": "http"}}})
        );
        assert_eq!(
            plain_backend(&numbered, IngressApi::V1beta1),
            json!({"serviceName": "web", "servicePort": 8080})
        );
        let split = route(Some("web"), Some(PortRef::Number(Port(80))), true);
        assert_eq!(
            path_backend(&split, "act"),
            json!({"service": {"name": "act", "port": {"name": "use-annotation"}}})
        );
        // No Service or no port: a null backend, not `""` or `http`.
        for api in [IngressApi::V1, IngressApi::V1beta1] {
            assert!(
                plain_backend(&route(None, Some(PortRef::Number(Port(80))), false), api).is_null()
            );
            assert!(plain_backend(&route(Some("web"), None, false), api).is_null());
        }
    }

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
