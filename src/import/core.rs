//! The core fields of a Service or Ingress as spec fields: name, namespace and labels;
//! a `type: LoadBalancer` Service's ports, selector and traffic policy; an Ingress's rules
//! (`networking.k8s.io/v1` and the old `v1beta1` backends) as routes. A field the spec has
//! no place for is reported, never silently dropped.

use super::Options;
use super::report::{ObjectReport, Outcome};
use crate::provider::import::PackImport;
use crate::provider::{MANAGED_BY, ProviderId, registry};
use serde_json::{Map, Value, json};

/// Service fields the spec has no field for (the rendered Service lacks them).
const SERVICE_EXTRAS: &[&str] = &[
    "loadBalancerClass",
    "loadBalancerSourceRanges",
    "loadBalancerIP",
    "sessionAffinity",
    "sessionAffinityConfig",
    "externalIPs",
    "ipFamilies",
    "ipFamilyPolicy",
    "healthCheckNodePort",
    "allocateLoadBalancerNodePorts",
    "publishNotReadyAddresses",
    "internalTrafficPolicy",
];

/// The spec of `object` without its annotations (those are `annotations`' to read).
pub(super) fn spec(
    object: &Value,
    kind: &str,
    provider: ProviderId,
    options: &Options,
    report: &mut ObjectReport,
) -> Value {
    let mut metadata = Map::new();
    let meta = object.get("metadata");
    if let Some(name) = meta.and_then(|m| m.get("name")) {
        metadata.insert("name".into(), name.clone());
    }
    let namespace = meta
        .and_then(|m| m.get("namespace"))
        .cloned()
        .or_else(|| options.namespace.clone().map(Value::String));
    if let Some(ns) = namespace {
        metadata.insert("namespace".into(), ns);
    }
    if let Some(Value::Object(labels)) = meta.and_then(|m| m.get("labels")) {
        let mut labels = labels.clone();
        // lbgen's own label: the render puts it back.
        if labels.get(MANAGED_BY.0).and_then(Value::as_str) == Some(MANAGED_BY.1) {
            labels.remove(MANAGED_BY.0);
        }
        if !labels.is_empty() {
            metadata.insert("labels".into(), Value::Object(labels));
        }
    }
    let mut spec = Map::new();
    spec.insert("provider".into(), provider.as_str().into());
    let body = object.get("spec").cloned().unwrap_or(Value::Null);
    let import = registry().get(provider.as_str()).and_then(|p| p.import());
    cluster(&mut spec, kind, import, options, report);
    match kind {
        "Service" => service(&body, &mut spec, report),
        _ => ingress(&body, &mut spec, import, report),
    }
    json!({
        "apiVersion": crate::spec::model::API_VERSION,
        "kind": crate::spec::model::KIND,
        "metadata": metadata,
        "spec": spec,
    })
}

/// `spec.cluster.version`: `--cluster-version`, else what the object's apiVersion implies
/// (`PackImport::implied_cluster_version`, a guess reported as such). A given version
/// newer than the one the form implies renders the newer form: reported too.
fn cluster(
    spec: &mut Map<String, Value>,
    kind: &str,
    import: Option<&dyn PackImport>,
    options: &Options,
    report: &mut ObjectReport,
) {
    let implied = import.and_then(|i| i.implied_cluster_version(kind, &report.api_version));
    let api = report.api_version.clone();
    match (&options.cluster_version, implied) {
        (Some(given), implied) => {
            spec.insert("cluster".into(), json!({"version": given}));
            let newer = |implied: &str| {
                let v = |t: &str| crate::spec::version::ClusterVersion::parse(t).ok();
                v(given).zip(v(implied)).is_some_and(|(g, i)| g > i)
            };
            if let Some(implied) = implied.filter(|i| newer(i)) {
                let how = format!(
                    "`{api}` is rendered only for clusters up to {implied}; --cluster-version {given} renders the pack's newer Ingress form"
                );
                report.push(
                    "apiVersion",
                    Outcome::Approximated,
                    Some("spec.cluster.version".into()),
                    Some(how),
                );
            }
        }
        (None, Some(version)) => {
            spec.insert("cluster".into(), json!({"version": version}));
            let how = format!(
                "inferred from `{api}`: the pack renders its old Ingress form only for clusters this old; set spec.cluster.version (or --cluster-version) to the cluster's own"
            );
            report.push(
                "apiVersion",
                Outcome::Approximated,
                Some("spec.cluster.version".into()),
                Some(how),
            );
        }
        (None, None) => {}
    }
}

fn service(body: &Value, spec: &mut Map<String, Value>, report: &mut ObjectReport) {
    spec.insert("exposure".into(), "service".into());
    if let Some(selector) = body.get("selector").filter(|s| s.is_object()) {
        spec.insert("selector".into(), selector.clone());
    }
    match body.get("externalTrafficPolicy").and_then(Value::as_str) {
        Some("Local") => {
            spec.insert("trafficPolicy".into(), "local".into());
            mapped(report, "spec.externalTrafficPolicy", "spec.trafficPolicy");
        }
        Some("Cluster") => mapped(report, "spec.externalTrafficPolicy", "spec.trafficPolicy"),
        _ => {}
    }
    let mut ports = Vec::new();
    for (i, port) in body
        .get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let mut out = Map::new();
        for field in ["name", "port", "targetPort"] {
            if let Some(v) = port.get(field) {
                out.insert(field.into(), v.clone());
            }
        }
        match port.get("protocol").and_then(Value::as_str) {
            None | Some("TCP") => {}
            Some("UDP") => {
                out.insert("protocol".into(), "UDP".into());
            }
            Some(other) => report.push(
                &format!("spec.ports[{i}].protocol"),
                Outcome::Unsupported,
                None,
                Some(format!(
                    "a `{other}` port has no spec protocol; imported as TCP"
                )),
            ),
        }
        if port.get("nodePort").is_some() {
            report.push(
                &format!("spec.ports[{i}].nodePort"),
                Outcome::Unsupported,
                None,
                Some("the cluster allocates node ports; the rendered Service leaves it to the cluster".into()),
            );
        }
        ports.push(Value::Object(out));
    }
    if !ports.is_empty() {
        mapped(report, "spec.ports", "spec.ports");
    }
    spec.insert("ports".into(), Value::Array(ports));
    for field in SERVICE_EXTRAS {
        // Kubernetes' own default (what a pack may render explicitly) loses nothing.
        let default = *field == "sessionAffinity" && body.get(*field) == Some(&Value::from("None"));
        if body.get(*field).is_some() && !default {
            report.push(
                &format!("spec.{field}"),
                Outcome::Unsupported,
                None,
                Some("the spec has no field for it: the rendered Service lacks it (keep it with a decorate spec over the original Service)".into()),
            );
        }
    }
}

fn ingress(
    body: &Value,
    spec: &mut Map<String, Value>,
    import: Option<&dyn PackImport>,
    report: &mut ObjectReport,
) {
    spec.insert("exposure".into(), "ingress".into());
    if report.api_version.ends_with("v1beta1") && !spec.contains_key("cluster") {
        report.push(
            "apiVersion",
            Outcome::Approximated,
            Some("spec.exposure".into()),
            Some(format!("a `{}` Ingress renders as the pack's Ingress version (networking.k8s.io/v1 unless the pack renders v1beta1)", report.api_version)),
        );
    }
    let mut routes = Vec::new();
    for rule in body
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        // An empty host is no host (every host), as CCE's pages write it (`host: ''`).
        let host = rule
            .get("host")
            .and_then(Value::as_str)
            .filter(|h| !h.is_empty());
        let paths = rule.pointer("/http/paths").and_then(Value::as_array);
        for path in paths.into_iter().flatten() {
            let mut route = Map::new();
            if let Some(h) = host {
                route.insert("host".into(), h.into());
            }
            if let Some(p) = path.get("path") {
                route.insert("path".into(), p.clone());
            }
            let pack_match = import.and_then(|i| i.path_match(path));
            match (path.get("pathType").and_then(Value::as_str), pack_match) {
                (Some("Exact"), _) => {
                    route.insert("match".into(), "exact".into());
                }
                (Some("ImplementationSpecific"), Some(word)) => {
                    route.insert("match".into(), word.into());
                    report.push(
                        "spec.rules[].http.paths[].pathType",
                        Outcome::Mapped,
                        Some("spec.routes[].match".into()),
                        Some(format!(
                            "ImplementationSpecific with the provider's match mode: `{word}`"
                        )),
                    );
                }
                (Some("ImplementationSpecific"), None) => report.push(
                    "spec.rules[].http.paths[].pathType",
                    Outcome::Approximated,
                    Some("spec.routes[].match".into()),
                    Some("ImplementationSpecific read as prefix".into()),
                ),
                _ => {}
            }
            let backend = path.get("backend").cloned().unwrap_or(Value::Null);
            // networking.k8s.io/v1 `service: {name, port}`, v1beta1 `serviceName`/`servicePort`.
            let service = backend
                .pointer("/service/name")
                .or_else(|| backend.get("serviceName"))
                .cloned();
            let port = backend
                .pointer("/service/port/number")
                .or_else(|| backend.pointer("/service/port/name"))
                .or_else(|| backend.get("servicePort"))
                .cloned();
            let mut b = Map::new();
            if let Some(s) = service {
                b.insert("service".into(), s);
            }
            if let Some(p) = port {
                b.insert("port".into(), p);
            }
            route.insert("backends".into(), json!([b]));
            routes.push(Value::Object(route));
        }
    }
    if !routes.is_empty() {
        mapped(report, "spec.rules", "spec.routes");
    }
    tls(body, &mut routes, import, report);
    spec.insert("routes".into(), Value::Array(routes));
    for (field, why) in [
        (
            "defaultBackend",
            "the spec has no default backend: add a route without host and path",
        ),
        (
            "backend",
            "the spec has no default backend: add a route without host and path",
        ),
    ] {
        if body.get(field).is_some() {
            report.push(
                &format!("spec.{field}"),
                Outcome::Unsupported,
                None,
                Some(why.into()),
            );
        }
    }
}

/// `spec.tls`: each entry whose Secret the pack names from a certificate id gives that id
/// to the routes of its hosts (an entry without hosts: the routes without a host); any
/// other entry is reported, since the spec names certificate ids, not Secrets.
fn tls(
    body: &Value,
    routes: &mut [Value],
    import: Option<&dyn PackImport>,
    report: &mut ObjectReport,
) {
    let Some(entries) = body.get("tls").and_then(Value::as_array) else {
        if body.get("tls").is_some() {
            report.push(
                "spec.tls",
                Outcome::Unsupported,
                None,
                Some("not a list of TLS entries".into()),
            );
        }
        return;
    };
    for (i, entry) in entries.iter().enumerate() {
        let subject = format!("spec.tls[{i}]");
        let secret = entry.get("secretName").and_then(Value::as_str);
        let Some(id) = secret.and_then(|s| import.and_then(|p| p.tls_certificate(s))) else {
            report.push(&subject, Outcome::Unsupported, None, Some("the spec names the provider's certificate id (spec.routes[].tls.certificateId), not a Secret: set it by hand".into()));
            continue;
        };
        let hosts: Vec<&str> = entry
            .get("hosts")
            .and_then(Value::as_array)
            .map(|h| h.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut used = false;
        for route in routes.iter_mut().filter(|r| r.get("tls").is_none()) {
            let host = route.get("host").and_then(Value::as_str);
            let covered = match host {
                Some(h) => hosts.contains(&h),
                None => hosts.is_empty(),
            };
            if covered {
                route["tls"] = json!({"certificateId": id});
                used = true;
            }
        }
        if used {
            mapped(report, &subject, "spec.routes[].tls.certificateId");
        } else {
            report.push(
                &subject,
                Outcome::Unsupported,
                None,
                Some(
                    "no rule of the Ingress has its hosts: the spec gives certificates to routes"
                        .into(),
                ),
            );
        }
    }
}

fn mapped(report: &mut ObjectReport, subject: &str, target: &str) {
    report.push(subject, Outcome::Mapped, Some(target.into()), None);
}
