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

use super::types::{
    AUTO_REWRITE, FIRST_V1_INGRESS_VERSION, HTTP_RULES, HTTPS_RULES, INGRESS_CLASS,
    MixBackendValue, MixRuleValue, REWRITE_SUPPORT, RULE_MIX,
};
use super::{certificate_secret, secret_warning};
use crate::diag::Diagnostic;
use crate::plan::{Plan, RoutePlan};
use crate::provider::{
    Annotations, IngressApi, Manifest, ingress_path, ingress_rules, metadata, plain_backend,
    route_service,
};
use crate::spec::values::PortRef;
use serde_json::{Value, json};

/// Whether the cluster predates `networking.k8s.io/v1` Ingress (1.19). Unknown versions
/// get `v1`.
fn legacy(plan: &Plan) -> bool {
    plan.cluster
        .version
        .as_ref()
        .is_some_and(|v| v.version() < FIRST_V1_INGRESS_VERSION)
}

/// Whether the routes mix HTTP (no TLS) and HTTPS (TLS) rules: the plan's listeners hold
/// both kinds.
fn mixed(plan: &Plan) -> bool {
    let tls = |want: bool| plan.ingress_listeners.iter().any(|l| l.tls == want);
    tls(true) && tls(false)
}

/// One entry of `http-rules` / `https-rules`.
fn mix_rule(route: &RoutePlan) -> MixRuleValue<'_> {
    MixRuleValue {
        host: route.host.as_deref(),
        path: &route.path,
        backend: route_service(route).map(|(service_name, port)| MixBackendValue {
            service_name,
            service_port: match port {
                PortRef::Number(n) => n.0.to_string(),
                PortRef::Name(n) => n.clone(),
            },
        }),
    }
}

/// The mixed-protocol annotations: each route goes to the rule set of its protocol (a
/// rule the controller finds in neither set would go to HTTPS, so every route is listed).
fn rule_mix(plan: &Plan, a: &mut Annotations) {
    let (mut http, mut https): (Vec<MixRuleValue>, Vec<MixRuleValue>) = (Vec::new(), Vec::new());
    for route in &plan.routes {
        let rules = if route.certificate_id.is_some() {
            &mut https
        } else {
            &mut http
        };
        rules.push(mix_rule(route));
    }
    a.set(RULE_MIX, "true");
    a.set_json(HTTP_RULES, &http);
    a.set_json(HTTPS_RULES, &https);
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
    if plan.listener.redirect_http_to_https {
        // 457/40675 auto-rewrite and rewrite-support, 457/59096 "自动重定向": every HTTPS
        // rule gets a redirect rule on HTTP:80 (created if missing); rewrite-support lets
        // TKE manage those rules. The policies keep every route on HTTPS:443.
        a.set(AUTO_REWRITE, "true");
        a.set(REWRITE_SUPPORT, "true");
    }
    let legacy = legacy(plan);
    let mut rules = ingress_rules(&plan.routes, |_, route| {
        if legacy {
            // v1beta1 backend; no pathType (the policy refuses `exact` here).
            json!({"path": route.path, "backend": plain_backend(route, IngressApi::V1beta1)})
        } else {
            ingress_path(route, plain_backend(route, IngressApi::V1))
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
