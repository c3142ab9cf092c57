//! The TKE CLB Ingress: class `qcloud` by annotation only, `networking.k8s.io/v1` from
//! Kubernetes 1.19 and the `v1beta1` form (seed 004's sample) for older clusters.
//!
//! providers.md, Ingress column: the annotation `kubernetes.io/ingress.class: qcloud` and
//! never also `spec.ingressClassName` (the API server rejects both together). TLS is
//! `spec.tls[].secretName` naming an Opaque Secret with `qcloud_cert_id`, not a
//! `kubernetes.io/tls` Secret; lbgen names the Secret and warns that it must exist.

use super::{certificate_secret, secret_warning};
use crate::diag::Diagnostic;
use crate::plan::{Plan, RoutePlan};
use crate::provider::{Annotations, Manifest, ingress_rules, metadata, path_type, service_backend};
use crate::spec::values::{ClusterVersion, PortRef};
use serde_json::{Value, json};

const INGRESS_CLASS: &str = "kubernetes.io/ingress.class";

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
    let legacy = legacy(plan);
    let rules = ingress_rules(&plan.routes, |_, route| {
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
