//! A decorating spec completed from the object it decorates, before it is planned: the
//! exposure follows from the kind, a Service's selector and ports and an Ingress's routes
//! from the object, so policies and packs see the whole load balancer. What the spec does
//! say must agree with the object; a contradiction is an error at the spec's field that
//! names the object's field (file:line:col of both).

use super::Target;
use crate::diag::Diagnostic;
use crate::spec::load::Document;
use crate::spec::model::{DecoratedKind, LoadBalancerDoc, Protocol, ServicePort, TrafficPolicy};
use crate::spec::values::{DnsLabel, Port, PortRef};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Where the spec and the object are, for the messages.
pub(super) struct Sides<'a> {
    spec: &'a Document,
    target: &'a Target,
    errors: Vec<Diagnostic>,
}

impl Sides<'_> {
    /// A contradiction: the spec's `field` against the object's `object_field`.
    pub(super) fn contradiction(&mut self, field: &str, object_field: &str, what: String) {
        let at = self.target.document.locate(object_field);
        self.errors.push(Diagnostic {
            field: Some(field.into()),
            ..Diagnostic::error(
                "decorate/contradiction",
                format!(
                    "{what}, but {} says otherwise at {}:{}:{} (`{object_field}`); make the spec agree with the object or leave the field out (a decorating spec takes it from the object)",
                    self.target.describe(),
                    at.file,
                    at.line,
                    at.column
                ),
                Some(self.spec.locate(field)),
            )
        });
    }

    /// The object cannot be decorated as it is: `object_field` is `what`.
    pub(super) fn unusable(&mut self, object_field: &str, what: &str) {
        let at = self.target.document.locate(object_field);
        self.errors.push(Diagnostic {
            field: Some("spec.decorate".into()),
            ..Diagnostic::error(
                "decorate/target",
                format!(
                    "{} cannot be decorated: `{object_field}` at {}:{}:{} {what}; fix the generator's output or decorate another object",
                    self.target.describe(),
                    at.file,
                    at.line,
                    at.column
                ),
                Some(self.spec.locate("spec.decorate")),
            )
        });
    }

    /// Whether the user wrote `field` (a defaulted field is not a statement).
    pub(super) fn written(&self, field: &str) -> bool {
        self.spec.root.find(field) != self.spec.root.find(parent(field))
    }
}

fn parent(field: &str) -> &str {
    field.rsplit_once('.').map_or("", |(p, _)| p)
}

/// The spec completed from `target`, or every contradiction found.
pub(super) fn complete(
    lb: &LoadBalancerDoc,
    spec: &Document,
    target: &Target,
) -> Result<LoadBalancerDoc, Vec<Diagnostic>> {
    let mut sides = Sides {
        spec,
        target,
        errors: Vec::new(),
    };
    let mut out = lb.clone();
    out.metadata.name = DnsLabel(target.name.clone());
    let exposure = target.kind.exposure();
    if let Some(given) = lb.spec.exposure.filter(|e| *e != exposure) {
        sides.contradiction(
            "spec.exposure",
            "kind",
            format!("spec.exposure is `{}`", given.as_str()),
        );
    }
    out.spec.exposure = Some(exposure);
    match target.kind {
        DecoratedKind::Service => complete_service(&mut out, &target.value, &mut sides),
        DecoratedKind::Ingress => {
            super::routes::complete_ingress(&mut out, &target.value, &mut sides)
        }
    }
    if sides.errors.is_empty() {
        Ok(out)
    } else {
        Err(sides.errors)
    }
}

fn complete_service(lb: &mut LoadBalancerDoc, object: &Value, sides: &mut Sides) {
    if object.pointer("/spec/type").and_then(Value::as_str) == Some("ExternalName") {
        sides.unusable(
            "spec.type",
            "is ExternalName (a DNS alias, which no load balancer can front)",
        );
        return;
    }
    let selector: BTreeMap<String, String> = object
        .pointer("/spec/selector")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), text(v))).collect())
        .unwrap_or_default();
    if lb.spec.selector.is_empty() {
        lb.spec.selector = selector;
    } else if lb.spec.selector != selector {
        sides.contradiction(
            "spec.selector",
            "spec.selector",
            format!("spec.selector is {:?}", lb.spec.selector),
        );
    }
    let ports = object_ports(object, sides);
    let by_number: HashMap<u16, usize> = ports
        .iter()
        .enumerate()
        .map(|(i, p)| (p.port.0, i))
        .collect();
    let mut given: HashMap<u16, ServicePort> = HashMap::new();
    for (i, port) in lb.spec.ports.iter().enumerate() {
        let field = format!("spec.ports[{i}]");
        let Some(&j) = by_number.get(&port.port.0) else {
            let numbers: Vec<String> = ports.iter().map(|p| p.port.0.to_string()).collect();
            sides.contradiction(
                &format!("{field}.port"),
                "spec.ports",
                format!(
                    "port {} is not a port of the Service (its ports: {})",
                    port.port.0,
                    numbers.join(", ")
                ),
            );
            continue;
        };
        let theirs = &ports[j];
        let object_field = format!("spec.ports[{j}]");
        if crate::provider::transport(port.protocol) != crate::provider::transport(theirs.protocol)
        {
            sides.contradiction(
                &format!("{field}.protocol"),
                &format!("{object_field}.protocol"),
                format!(
                    "port {} is {} (a {} Service port)",
                    port.port.0,
                    port.protocol.as_str(),
                    crate::provider::transport(port.protocol)
                ),
            );
        }
        if let Some(tp) = port
            .target_port
            .as_ref()
            .filter(|tp| Some(*tp) != theirs.target_port.as_ref())
        {
            sides.contradiction(
                &format!("{field}.targetPort"),
                &format!("{object_field}.targetPort"),
                format!("port {} has targetPort {}", port.port.0, port_text(tp)),
            );
        }
        if let (Some(mine), Some(their)) = (&port.name, &theirs.name)
            && mine != their
        {
            sides.contradiction(
                &format!("{field}.name"),
                &format!("{object_field}.name"),
                format!("port {} is named `{mine}`", port.port.0),
            );
        }
        let mut merged = port.clone();
        merged.name = merged.name.or_else(|| theirs.name.clone());
        merged.target_port = theirs.target_port.clone();
        given.insert(port.port.0, merged);
    }
    lb.spec.ports = ports
        .into_iter()
        .map(|p| given.remove(&p.port.0).unwrap_or(p))
        .collect();
    let local = object
        .pointer("/spec/externalTrafficPolicy")
        .and_then(Value::as_str)
        == Some("Local");
    if local && !sides.written("spec.trafficPolicy") {
        lb.spec.traffic_policy = TrafficPolicy::Local;
    }
}

/// The object's ports as spec ports (protocol TCP or UDP, targetPort defaulted to the
/// port, as the API server defaults them).
fn object_ports(object: &Value, sides: &mut Sides) -> Vec<ServicePort> {
    let items = object
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut out = Vec::new();
    for (j, p) in items.iter().enumerate() {
        let Some(port) = p["port"]
            .as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| *n > 0)
        else {
            sides.unusable(
                &format!("spec.ports[{j}].port"),
                "is not a port number (1 to 65535)",
            );
            continue;
        };
        let protocol = match p.get("protocol").map(|v| v.as_str()) {
            None | Some(Some("TCP")) => Protocol::Tcp,
            Some(Some("UDP")) => Protocol::Udp,
            Some(_) => {
                sides.unusable(
                    &format!("spec.ports[{j}].protocol"),
                    "is not TCP or UDP, the transports lbgen's load balancers listen on",
                );
                continue;
            }
        };
        let target_port = match p.get("targetPort") {
            None => PortRef::Number(Port(port)),
            given => {
                let Some(tp) = port_ref(given) else {
                    sides.unusable(
                        &format!("spec.ports[{j}].targetPort"),
                        "is neither a port number nor a port name",
                    );
                    continue;
                };
                tp
            }
        };
        out.push(ServicePort {
            name: p.get("name").and_then(Value::as_str).map(str::to_string),
            port: Port(port),
            target_port: Some(target_port),
            protocol,
            certificate_id: None,
            sni_certificate_ids: Vec::new(),
            ca_certificate_id: None,
            health_check: None,
        });
    }
    out
}

pub(super) fn port_ref(value: Option<&Value>) -> Option<PortRef> {
    match value? {
        Value::Number(n) => n
            .as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .filter(|n| *n > 0)
            .map(|n| PortRef::Number(Port(n))),
        Value::String(s) => Some(PortRef::Name(s.clone())),
        _ => None,
    }
}

pub(super) fn port_text(p: &PortRef) -> String {
    match p {
        PortRef::Number(n) => n.0.to_string(),
        PortRef::Name(s) => s.clone(),
    }
}

fn text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}
