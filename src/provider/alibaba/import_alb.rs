//! An ALB Ingress's companions read back into the neutral spec (`kubectl lbgen import`):
//! the Ingress's class -> the IngressClass of the input with that name (controller
//! `ingress.k8s.alibabacloud/alb`) -> its `spec.parameters` AlbConfig, whose fields are
//! the inverse of `ingress.rs` `alb_objects` (existing ALB or creation parameters, zone
//! mappings, listeners with certificates, ACLs, timeouts, HTTP/2, X-Forwarded-For), and
//! the routes' listener ports and certificates from `listen-ports`. The import stage
//! consumes the two objects only when the spec renders both back exactly; otherwise they
//! pass through and the class is named as the platform's (`loadBalancer.ingressClass`).
//! A class the input does not hold is the platform's too.

use super::import_albconfig::{AlbConfig, read_albconfig};
use super::import_ingress::{field, route_path};
use super::types::ALB_LISTEN_PORTS;
use crate::provider::import::{Companions, Inputs, SharedField, ingress_class};
use crate::spec::values::DnsLabel;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The ALB controller's IngressClass `spec.controller` (docs/usage.md, IngressClass).
pub(super) const CONTROLLER: &str = "ingress.k8s.alibabacloud/alb";

/// Stands for a certificate the ALB controller finds itself: with a platform-owned class
/// lbgen writes no AlbConfig, the certificate is discovered by the `spec.tls` hosts and
/// `tls.certificateId` is not rendered (rule `alibaba/ingress-class-platform-tls`).
const DISCOVERED: &str = "discovered-by-tls-host";

/// What the companions of `object` say (nothing for a Service).
pub(super) fn companions(
    object: &Value,
    annotations: &BTreeMap<String, String>,
    spec: &Value,
    inputs: &Inputs<'_>,
) -> Companions {
    let mut out = Companions::default();
    if object.get("kind").and_then(Value::as_str) != Some("Ingress") {
        return out;
    }
    let Some(class) = ingress_class(object) else {
        return out;
    };
    let platform: Vec<SharedField> = DnsLabel::parse(class)
        .is_ok()
        .then(|| field(&[], "loadBalancer.ingressClass", json!(class)))
        .into_iter()
        .collect();
    let Some((class_index, class_object)) = inputs
        .find("IngressClass", class)
        .filter(|(_, c)| c.pointer("/spec/controller").and_then(Value::as_str) == Some(CONTROLLER))
    else {
        // The platform's class: not in the input.
        out.fields = platform;
        out.fields.extend(routes(object, annotations, spec, None));
        let placeholder = out
            .fields
            .iter()
            .any(|f| f.value.get("certificateId") == Some(&json!(DISCOVERED)));
        if placeholder {
            out.approximated.push((
                "spec.tls".into(),
                format!("with the platform's class the ALB controller picks each certificate by the spec.tls hosts, so routes[].tls.certificateId is the placeholder `{DISCOVERED}` (not rendered): set the real id before rendering for another provider"),
            ));
        }
        return out;
    };
    let subject = format!("IngressClass {class}");
    let parameters = class_object.pointer("/spec/parameters");
    let named = parameters
        .filter(|p| p.get("kind").and_then(Value::as_str) == Some("AlbConfig"))
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str);
    let config = named.and_then(|n| inputs.find("AlbConfig", n));
    let users = inputs.ingresses_of_class(class);
    let as_platform = if platform.is_empty() {
        format!("`{class}` is no DNS-1035 label, so spec.loadBalancer.ingressClass cannot name it")
    } else {
        "the spec names it as the platform's class (spec.loadBalancer.ingressClass)".to_string()
    };
    match (config, named) {
        (None, name) => {
            let what = match name {
                Some(n) => format!("names AlbConfig `{n}`, which is not in the input"),
                None => "names no AlbConfig (spec.parameters)".to_string(),
            };
            out.notes.push((
                subject,
                format!("{what}: passed through untouched; {as_platform}"),
            ));
            out.fields = platform;
            out.fields.extend(routes(object, annotations, spec, None));
        }
        (Some((_, albconfig)), Some(name)) if users > 1 => {
            let certificates = read_albconfig(albconfig, name).certificates;
            out.notes.push((
                subject,
                format!("shared by {users} Ingresses of the input, with AlbConfig `{name}`: passed through untouched (lbgen renders one ALB per spec); {as_platform}"),
            ));
            out.fields = platform;
            out.fields
                .extend(routes(object, annotations, spec, Some(&certificates)));
        }
        (Some((config_index, albconfig)), name) => {
            let AlbConfig {
                fields,
                certificates,
                read,
                unexpressed,
            } = read_albconfig(albconfig, name.unwrap_or_default());
            out.objects = vec![class_index, config_index];
            // Kept, a class the spec cannot name as the platform's still gives the spec
            // what the AlbConfig says: its render then writes an AlbConfig of the same
            // name, which the render of the import refuses as a duplicate (pick one).
            out.instead = if platform.is_empty() {
                out.if_kept = Some(format!(
                    "{as_platform}: the spec keeps the AlbConfig's fields and renders its own `{class}`, so remove one of the two before rendering"
                ));
                fields.clone()
            } else {
                out.if_kept = Some(as_platform);
                platform
            };
            // What `ingress.rs` `class_name` calls the objects it renders.
            let text = |p: &str| {
                object
                    .pointer(p)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            };
            let own = format!("{}.{}", text("/metadata/namespace"), text("/metadata/name"));
            if own != class {
                out.if_kept = out.if_kept.map(|more| {
                    format!("lbgen names the IngressClass and AlbConfig it renders for this Ingress `{own}`; {more}")
                });
            }
            out.instead
                .extend(routes(object, annotations, spec, Some(&certificates)));
            out.fields = fields;
            out.fields
                .extend(routes(object, annotations, spec, Some(&certificates)));
            out.read = read;
            out.read.push((subject, "spec (rendered from it)".into()));
            out.unexpressed = unexpressed;
        }
    }
    out
}

/// The routes' listener port and TLS from `listen-ports` (`[{"HTTP":80},{"HTTPS":443}]`;
/// absent: HTTPS:443 for the routes of a `spec.tls` host, which is the listener the
/// controller derives from the tls hosts (alibaba-load-balancer-controller docs/usage.md,
/// "Redirect HTTP requests to HTTPS"), else HTTP:80), the inverse of `ingress_listeners`: the listeners
/// come in order of the routes that first use them, so route `i` takes listener `i` and
/// the routes after the last listener's first one take the last. An HTTPS route's
/// certificate is its listener's default certificate in the AlbConfig, the others its SNI
/// certificates; without an AlbConfig the controller discovers it (`DISCOVERED`).
fn routes(
    object: &Value,
    annotations: &BTreeMap<String, String>,
    spec: &Value,
    certificates: Option<&BTreeMap<u64, Vec<String>>>,
) -> Vec<SharedField> {
    let listed = annotations.get(ALB_LISTEN_PORTS);
    let tls_hosts: Vec<&str> = object
        .pointer("/spec/tls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|t| t.get("secretName").is_none())
        .filter_map(|t| t.get("hosts").and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let listeners: Option<Vec<(u64, bool)>> = match listed {
        None => Some(vec![(80, false)]),
        Some(text) => serde_json::from_str::<Value>(text)
            .ok()
            .and_then(|v| v.as_array().cloned())
            .and_then(|items| {
                items
                    .iter()
                    .map(|item| {
                        let (word, port) = item.as_object()?.iter().next()?;
                        let tls = match word.as_str() {
                            "HTTP" => false,
                            "HTTPS" => true,
                            _ => return None,
                        };
                        Some((port.as_u64()?, tls))
                    })
                    .collect()
            }),
    };
    let Some(listeners) = listeners.filter(|l| !l.is_empty()) else {
        return Vec::new();
    };
    let keys: Vec<&str> = listed.map(|_| ALB_LISTEN_PORTS).into_iter().collect();
    let count = spec
        .pointer("/spec/routes")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let host_of = |i: usize| {
        spec.pointer(&format!("/spec/routes/{i}/host"))
            .and_then(Value::as_str)
    };
    let mut out = Vec::new();
    for i in 0..count {
        let (port, tls) = match listed {
            None if host_of(i).is_some_and(|h| tls_hosts.contains(&h)) => (443, true),
            _ => listeners[i.min(listeners.len() - 1)],
        };
        if tls {
            let ids = certificates.and_then(|c| c.get(&port));
            let mut value = json!({
                "certificateId": ids.and_then(|c| c.first()).map_or(DISCOVERED, String::as_str)
            });
            if let Some(sni) = ids.and_then(|c| c.get(1..)).filter(|s| !s.is_empty()) {
                value["sniCertificateIds"] = json!(sni);
            }
            out.push(field(&keys, route_path(i, "tls"), value));
        }
        if port != if tls { 443 } else { 80 } {
            out.push(field(&keys, route_path(i, "port"), json!(port)));
        }
    }
    out
}
