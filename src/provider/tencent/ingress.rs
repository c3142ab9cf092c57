//! The TKE CLB Ingress: class `qcloud` by annotation only, `networking.k8s.io/v1` from
//! Kubernetes 1.19 and the `v1beta1` form (seed 004's sample) for older clusters.
//!
//! providers.md, Ingress column: the annotation `kubernetes.io/ingress.class: qcloud` and
//! never also `spec.ingressClassName` (the API server rejects both together). TLS is
//! `spec.tls[].secretName` naming an Opaque Secret with `qcloud_cert_id`, not a
//! `kubernetes.io/tls` Secret; lbgen names the Secret and warns that it must exist.
//!
//! An Ingress is all HTTP or, once it has TLS, all HTTPS, unless it mixes them the
//! documented way (intl.cloud.tencent.com/document/product/457/43504, cloud.tencent.com/
//! document/product/457/45693 "Ingress mixed HTTP and HTTPS"): `kubernetes.io/ingress.rule-mix:
//! "true"` and every rule listed in `kubernetes.io/ingress.http-rules` or `.../https-rules`.

use super::{certificate_secret, secret_warning};
use crate::diag::Diagnostic;
use crate::plan::{Plan, RoutePlan};
use crate::provider::{Annotations, Manifest, ingress_rules, metadata, path_type, service_backend};
use crate::spec::values::{ClusterVersion, PortRef};
use serde_json::{Value, json};

const INGRESS_CLASS: &str = "kubernetes.io/ingress.class";
const RULE_MIX: &str = "kubernetes.io/ingress.rule-mix";
const HTTP_RULES: &str = "kubernetes.io/ingress.http-rules";
const HTTPS_RULES: &str = "kubernetes.io/ingress.https-rules";

/// Whether the cluster predates `networking.k8s.io/v1` Ingress (1.19). Unknown versions
/// get `v1`.
fn legacy(plan: &Plan) -> bool {
    let v1 = ClusterVersion::parse("v1.19");
    plan.cluster
        .version
        .as_ref()
        .zip(v1.ok())
        .is_some_and(|(v, v1)| v.version() < v1)
}

/// The route's single Service backend (the policy refuses splits and server groups).
fn backend(route: &RoutePlan) -> (&str, PortRef) {
    let b = route.backends.first();
    (
        b.and_then(|b| b.service.as_deref()).unwrap_or_default(),
        b.and_then(|b| b.port.clone())
            .unwrap_or(PortRef::Name("http".into())),
    )
}

/// Whether the routes mix HTTP (no TLS) and HTTPS (TLS) rules.
fn mixed(plan: &Plan) -> bool {
    let tls = plan
        .routes
        .iter()
        .filter(|r| r.certificate_id.is_some())
        .count();
    tls > 0 && tls < plan.routes.len()
}

/// One entry of `http-rules` / `https-rules`: `{"host","path","backend":{"serviceName",
/// "servicePort"}}`, the port a JSON string as in the page's format and example
/// (`"servicePort":"80"`); no `host` for a route without one (the controller then
/// matches the CLB's VIP, "Host defaults to VIP").
fn mix_rule(route: &RoutePlan) -> Value {
    let (service, port) = backend(route);
    let port = match port {
        PortRef::Number(n) => n.0.to_string(),
        PortRef::Name(n) => n,
    };
    let mut rule = json!({
        "path": route.path,
        "backend": {"serviceName": service, "servicePort": port},
    });
    if let Some(host) = &route.host {
        rule["host"] = json!(host);
    }
    rule
}

/// The mixed-protocol annotations: each route goes to the rule set of its protocol (a
/// rule the controller finds in neither set would go to HTTPS, so every route is listed).
fn rule_mix(plan: &Plan, a: &mut Annotations) {
    let (https, http): (Vec<&RoutePlan>, Vec<&RoutePlan>) =
        plan.routes.iter().partition(|r| r.certificate_id.is_some());
    let list = |routes: Vec<&RoutePlan>| Value::Array(routes.into_iter().map(mix_rule).collect());
    a.set(RULE_MIX, "true");
    a.set_json(HTTP_RULES, &list(http));
    a.set_json(HTTPS_RULES, &list(https));
}

/// A route served on both protocols is two spec routes with the same host, path and
/// backend; `spec.rules` lists that path once, as the page's example does.
fn without_repeated_paths(rules: &mut [Value]) {
    for rule in rules {
        if let Some(paths) = rule
            .pointer_mut("/http/paths")
            .and_then(Value::as_array_mut)
        {
            let mut seen: Vec<Value> = Vec::new();
            paths.retain(|p| {
                let new = !seen.contains(p);
                if new {
                    seen.push(p.clone());
                }
                new
            });
        }
    }
}

/// `spec.tls`: one entry per certificate (its Secret), with the hosts of the routes that
/// use it in order of first appearance; a warning per Secret the user must create.
fn tls(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) -> Vec<Value> {
    let mut entries: Vec<(String, Vec<String>)> = Vec::new();
    for (i, route) in plan.routes.iter().enumerate() {
        let Some(id) = &route.certificate_id else {
            continue;
        };
        let secret = certificate_secret(id);
        let at = match entries.iter().position(|(s, _)| *s == secret) {
            Some(at) => at,
            None => {
                diagnostics.push(secret_warning(
                    plan,
                    id,
                    format!("spec.routes[{i}].tls.certificateId"),
                ));
                entries.push((secret, Vec::new()));
                entries.len() - 1
            }
        };
        if let Some(host) = &route.host
            && !entries[at].1.contains(host)
        {
            entries[at].1.push(host.clone());
        }
    }
    entries
        .into_iter()
        .map(|(secret, hosts)| {
            if hosts.is_empty() {
                json!({"secretName": secret})
            } else {
                json!({"hosts": hosts, "secretName": secret})
            }
        })
        .collect()
}

/// The Ingress manifest; `a` already holds the load-balancer annotations.
pub(super) fn ingress(
    plan: &Plan,
    mut a: Annotations,
    diagnostics: &mut Vec<Diagnostic>,
) -> Manifest {
    a.set(INGRESS_CLASS, "qcloud");
    let mixed = mixed(plan);
    if mixed {
        rule_mix(plan, &mut a);
    }
    let legacy = legacy(plan);
    let mut rules = ingress_rules(&plan.routes, |_, route| {
        let (service, port) = backend(route);
        if legacy {
            // v1beta1 backend; no pathType (the policy refuses `exact` here).
            let port = match port {
                PortRef::Number(n) => json!(n.0),
                PortRef::Name(n) => json!(n),
            };
            json!({"path": route.path, "backend": {"serviceName": service, "servicePort": port}})
        } else {
            json!({
                "path": route.path,
                "pathType": path_type(route.path_match).unwrap_or("ImplementationSpecific"),
                "backend": service_backend(service, &port),
            })
        }
    });
    if mixed {
        without_repeated_paths(&mut rules);
    }
    let tls = tls(plan, diagnostics);
    let metadata = metadata(plan, a, diagnostics);
    Manifest {
        template: "tencent/ingress.yaml".into(),
        context: json!({
            "apiVersion": if legacy { "networking.k8s.io/v1beta1" } else { "networking.k8s.io/v1" },
            "metadata": metadata,
            "rules": rules,
            "tls": tls,
        }),
    }
}
