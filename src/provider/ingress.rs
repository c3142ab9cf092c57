//! What every pack's Ingress shares: rules grouped by host, paths with their `pathType`,
//! and the one builder of path backends (plain Service, split action, `v1` or `v1beta1`
//! spelling) and of a split route's weighted shares. Nothing here invents a value: a route
//! without Service and port gets a null backend, which the typed check refuses.

use crate::plan::{BackendPlan, RoutePlan};
use crate::spec::model::PathMatch;
use crate::spec::values::PortRef;
use serde_json::{Value, json};

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
    use super::{IngressApi, path_backend, plain_backend};
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
            when: None,
            condition_values: 0,
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
}
