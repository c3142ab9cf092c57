//! The TKE LoadBalancer Service: `specify-protocol` for HTTP/HTTPS/TLS ports (and for every
//! port when TCP and UDP mix), loopback prevention for pass-through, and binding only
//! nodes with pods under `externalTrafficPolicy: Local` (providers.md; Tencent 457/39141).

use super::types::{
    GRACE_SHUTDOWN, LOCAL_BIND, PREVENT_LOOPBACK, SPECIFY_PROTOCOL, SpecifyProtocolValue,
};
use super::{certificate_secret, secret_warning};
use crate::diag::Diagnostic;
use crate::plan::Plan;
use crate::provider::{Annotations, Manifest, service_manifest};
use crate::spec::model::{Protocol, TrafficPolicy};
use serde_json::json;
use std::collections::BTreeMap;

/// `service.cloud.tencent.com/specify-protocol` for HTTP/HTTPS/TLS (TCP_SSL) ports: keyed by
/// the port as a string, `protocol` a list, `tls` the Secret's name (providers.md; Tencent
/// 457/39141).
/// No `hosts`: a spec port has none, so the CLB's default domain serves it (*unverified*:
/// the policy warns).
///
/// TCP and UDP ports on one Service (direct access only; the policy refuses them in
/// NodePort mode) follow the page's example (457/39141 "Case description"): every Service
/// port is declared TCP, because Kubernetes' service controller takes one protocol per
/// LoadBalancer Service, and specify-protocol names each port's real protocol.
fn specify_protocol(
    plan: &Plan,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, SpecifyProtocolValue> {
    let mut by_port = BTreeMap::new();
    let mut warned: Vec<&str> = Vec::new();
    let mixed = mixed_transports(plan);
    for (i, l) in plan.listeners.iter().enumerate() {
        let entry = match l.protocol {
            Protocol::Tcp if mixed => protocol("TCP", None),
            Protocol::Udp if mixed => protocol("UDP", None),
            Protocol::Http => protocol("HTTP", None),
            // TCP_SSL takes its certificate Secret in `tls` like HTTPS (457/39141).
            Protocol::Https | Protocol::Tls => {
                let id = l.certificate_id.as_deref().unwrap_or_default();
                if !warned.contains(&id) {
                    warned.push(id);
                    diagnostics.push(secret_warning(
                        plan,
                        id,
                        format!("spec.ports[{i}].certificateId"),
                    ));
                }
                let name = if l.protocol == Protocol::Tls {
                    "TCP_SSL"
                } else {
                    "HTTPS"
                };
                protocol(name, Some(certificate_secret(id)))
            }
            Protocol::Tcp | Protocol::Udp => continue,
        };
        by_port.insert(l.port.to_string(), entry);
    }
    by_port
}

fn protocol(name: &'static str, tls: Option<String>) -> SpecifyProtocolValue {
    SpecifyProtocolValue {
        protocol: [name],
        tls,
    }
}

/// Whether the Service has UDP ports beside TCP (or HTTP/HTTPS) ones.
fn mixed_transports(plan: &Plan) -> bool {
    let udp = plan
        .listeners
        .iter()
        .filter(|l| l.protocol == Protocol::Udp)
        .count();
    udp > 0 && udp < plan.listeners.len()
}

/// The Service manifest; `a` already holds the load-balancer annotations.
pub(super) fn service(
    plan: &Plan,
    mut a: Annotations,
    diagnostics: &mut Vec<Diagnostic>,
) -> Manifest {
    let by_port = specify_protocol(plan, diagnostics);
    if !by_port.is_empty() {
        a.set_json(SPECIFY_PROTOCOL, &by_port);
    }
    if plan.pass_through {
        a.set(PREVENT_LOOPBACK, "true");
    }
    if plan.draining.is_some() {
        // 457/39142 and 457/42070 (Service graceful shutdown): in direct-access mode a
        // terminating pod gets CLB weight 0 instead of being unbound, so its connections
        // drain until the pod is gone (its terminationGracePeriodSeconds); the policy
        // requires `targets: pods` and refuses a timeout of its own.
        a.set(GRACE_SHUTDOWN, "true");
    }
    if plan.traffic_policy == TrafficPolicy::Local {
        a.set(LOCAL_BIND, "true");
    }
    let mut manifest = service_manifest(plan, "tencent/service.yaml", a, diagnostics);
    if mixed_transports(plan)
        && let Some(ports) = manifest.context["ports"].as_array_mut()
    {
        for port in ports {
            port["protocol"] = json!("TCP");
        }
    }
    manifest
}
