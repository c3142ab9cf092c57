//! Alibaba Cloud ACK: CLB/NLB Services for the cloud controller manager and ALB Ingresses.
//!
//! Keys, spellings and units come from shared/seeds 003 (ALB forward groups) and
//! providers.md "Alibaba Cloud ACK" (read from `kubernetes/cloud-provider-alibaba-cloud`
//! `pkg/controller/service/reconcile/annotation/annotations.go` and the ACK docs). Every
//! value is a string; switches are "on"/"off" except force-override-listeners and the ALB
//! booleans ("true"/"false"). Checks live in `policies/alibaba.yaml`.

use super::changes::{ChangeRule, Field, Impact, Trigger};
use super::{
    Annotations, Manifest, Mapped, ingress_rules, metadata, path_backend, path_type,
    service_manifest,
};
use crate::diag::Diagnostic;
use crate::plan::{BackendPlan, HealthPlan, Plan};
use crate::spec::model::{
    Algorithm, ChargeMode, Exposure, HealthProtocol, LbType, Network, Protocol, StickyMode,
};
use crate::spec::values::PortRef;
use serde_json::{Map, Value, json};

/// The CCM's annotation prefix (`P-` in providers.md).
const P: &str = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-";
/// The ALB Ingress controller's annotation prefix.
const ALB: &str = "alb.ingress.kubernetes.io/";
/// ENI backends: note the missing `alibaba-cloud-loadbalancer-` part (providers.md).
const BACKEND_TYPE: &str = "service.beta.kubernetes.io/backend-type";

/// Every annotation this pack writes starts with one of these.
pub(crate) const OWNED_PREFIXES: &[&str] = &[P, ALB, BACKEND_TYPE];

const SERVICE: &[&str] = &["Service"];

/// Changes the CCM cannot apply to an existing LB (providers.md "Cannot change after
/// creation"; `clbv1/loadbalancer.go`), and a risky one.
pub(crate) const CHANGE_RULES: &[ChangeRule] = &[
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Annotation(
            "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type",
        ),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "the CCM cannot change an existing CLB between internet and intranet; delete and recreate the Service",
        source: "providers.md Alibaba: address type cannot change after creation (clbv1/loadbalancer.go)",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Annotation(
            "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-ip-version",
        ),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "the IP version of an existing CLB cannot change; delete and recreate the Service",
        source: "providers.md Alibaba: IP version cannot change after creation",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Annotation(
            "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-master-zoneid",
        ),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "the zones of an existing CLB cannot change; delete and recreate the Service",
        source: "providers.md Alibaba: master/slave zone cannot change after creation",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Annotation(
            "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-slave-zoneid",
        ),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "the zones of an existing CLB cannot change; delete and recreate the Service",
        source: "providers.md Alibaba: master/slave zone cannot change after creation",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Annotation("service.beta.kubernetes.io/alibaba-cloud-loadbalancer-zone-maps"),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "the zones of an existing NLB are fixed by lbgen's zone maps; changing them needs a new Service",
        source: "providers.md Alibaba: zones cannot change after creation",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Annotation("service.beta.kubernetes.io/alibaba-cloud-loadbalancer-id"),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "a Service cannot move to another CLB in place; delete and recreate it",
        source: "providers.md Alibaba: loadBalancer.id row",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Pointer("/spec/loadBalancerClass"),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "loadBalancerClass cannot change: CLB and NLB cannot be converted into each other; delete and recreate the Service",
        source: "ACK NLB docs (loadBalancerClass cannot be changed)",
    },
];

/// Maps a plan to a CLB/NLB Service, or to an ALB Ingress (with its AlbConfig and
/// IngressClass unless the platform owns them).
pub(super) fn map(plan: &Plan) -> Mapped {
    let mut diagnostics = Vec::new();
    let manifests = match plan.exposure {
        Exposure::Service => vec![service(plan, &mut diagnostics)],
        Exposure::Ingress => ingress(plan, &mut diagnostics),
    };
    Mapped {
        manifests,
        diagnostics,
        patches: Vec::new(),
    }
}

fn key(name: &str) -> String {
    format!("{P}{name}")
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

fn service(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) -> Manifest {
    let lb = &plan.load_balancer;
    let nlb = lb.lb_type == LbType::Nlb;
    let mut a = Annotations::default();
    if let Some(id) = &lb.id {
        a.set(&key("id"), id.clone());
        a.set(
            &key("force-override-listeners"),
            lb.override_listeners.to_string(),
        );
    } else if let Some(create) = &lb.create {
        a.set(
            &key("address-type"),
            match plan.network {
                Network::Public => "internet",
                Network::Internal => "intranet",
            },
        );
        if nlb {
            // NLB zone maps "zone:vsw,zone:vsw" (ACK "Configure NLB through annotations").
            let maps: Vec<String> = create
                .zones
                .iter()
                .zip(&create.subnet_ids)
                .map(|(z, v)| format!("{z}:{v}"))
                .collect();
            a.set(&key("zone-maps"), maps.join(","));
        } else {
            if let (Network::Internal, Some(vsw)) = (plan.network, &create.subnet_id) {
                a.set(&key("vswitch-id"), vsw.clone());
            }
            if let Some(spec) = &create.l4_flavor {
                a.set(&key("spec"), spec.clone());
            }
            if let Some(z) = create.zones.first() {
                a.set(&key("master-zoneid"), z.clone());
            }
            if let Some(z) = create.zones.get(1) {
                a.set(&key("slave-zoneid"), z.clone());
            }
        }
        if let Some(name) = &create.name {
            a.set(&key("name"), name.clone());
        }
        if let Some(bw) = &create.bandwidth {
            let by_bandwidth = bw.charge_mode == Some(ChargeMode::Bandwidth);
            if let Some(mode) = bw.charge_mode {
                let charge = match mode {
                    ChargeMode::Bandwidth => "paybybandwidth",
                    ChargeMode::Traffic => "paybytraffic",
                };
                a.set(&key("charge-type"), charge);
            }
            if let (true, Network::Public, Some(size)) = (by_bandwidth, plan.network, bw.size) {
                a.set(&key("bandwidth"), size.to_string());
            }
        }
    }
    // Local needs wrr (providers.md, trafficPolicy row); the policy refuses other choices.
    a.set(&key("scheduler"), scheduler(plan.algorithm, nlb));
    let l7 = plan
        .listeners
        .iter()
        .any(|l| matches!(l.protocol, Protocol::Http | Protocol::Https));
    if let Some(s) = &plan.stickiness {
        let seconds = s.timeout_seconds.unwrap_or_default().to_string();
        match s.mode {
            StickyMode::SourceIp => a.set(&key("persistence-timeout"), seconds),
            StickyMode::Cookie => {
                a.set(&key("sticky-session"), "on");
                a.set(&key("sticky-session-type"), "insert");
                a.set(&key("cookie-timeout"), seconds);
            }
        }
    }
    if let Some(h) = &plan.health_check {
        let l4 = plan
            .listeners
            .iter()
            .any(|l| matches!(l.protocol, Protocol::Tcp | Protocol::Udp));
        health(h, l4, l7, &mut a);
    }
    if l7 {
        // "https:443,http:80": every port with its lower-case protocol (providers.md).
        let protocol_port: Vec<String> = plan
            .listeners
            .iter()
            .map(|l| format!("{}:{}", l.protocol.as_str().to_ascii_lowercase(), l.port))
            .collect();
        a.set(&key("protocol-port"), protocol_port.join(","));
    }
    if let Some(cert) = plan.listeners.iter().find_map(|l| l.certificate_id.clone()) {
        a.set(&key("cert-id"), cert);
    }
    if plan.targets == crate::spec::model::Targets::Pods {
        a.set(BACKEND_TYPE, "eni");
    }
    let groups: Vec<String> = plan
        .backends
        .iter()
        .filter_map(|b| Some(format!("{}:{}", b.server_group.as_ref()?, b.port.as_ref()?)))
        .collect();
    if !groups.is_empty() {
        a.set(&key("vgroup-port"), groups.join(","));
        if let Some(w) = plan.backends.iter().find_map(|b| b.weight) {
            a.set(&key("weight"), w.to_string());
        }
    }
    if let (true, Some(host)) = (plan.pass_through, &lb.hostname) {
        a.set(&key("hostname"), host.clone());
    }
    let mut manifest = service_manifest(plan, "alibaba/service.yaml", a, diagnostics);
    let class = if nlb {
        json!("alibabacloud.com/nlb")
    } else {
        Value::Null
    };
    manifest.context["loadBalancerClass"] = class;
    manifest
}

/// CLB spells schedulers in lower case; NLB capitalises them (providers.md, algorithm row).
fn scheduler(algorithm: Algorithm, nlb: bool) -> &'static str {
    match (algorithm, nlb) {
        (Algorithm::RoundRobin, false) => "wrr",
        (Algorithm::LeastConnections, false) => "wlc",
        (Algorithm::SourceIp, false) => "sch",
        (Algorithm::RoundRobin, true) => "Wrr",
        (Algorithm::SourceIp, true) => "Sch",
        // refused by the policy (NLB has no least-connections scheduler)
        (Algorithm::LeastConnections, true) => "Wrr",
    }
}

/// CLB health checks: the L4 switch and the L7 flag are different keys (providers.md).
fn health(h: &HealthPlan, l4: bool, l7: bool, a: &mut Annotations) {
    if l4 {
        a.set(&key("health-check-switch"), on_off(h.enabled));
    }
    if l7 {
        a.set(&key("health-check-flag"), on_off(h.enabled));
    }
    if !h.enabled {
        return;
    }
    let http = h.protocol == Some(HealthProtocol::Http);
    if h.protocol.is_some() {
        a.set(&key("health-check-type"), if http { "http" } else { "tcp" });
    }
    if let Some(path) = &h.path {
        a.set(&key("health-check-uri"), path.clone());
    }
    if let Some(port) = h.port {
        a.set(&key("health-check-connect-port"), port.to_string());
    }
    if let Some(i) = h.interval_seconds {
        a.set(&key("health-check-interval"), i.to_string());
    }
    if let Some(t) = h.timeout_seconds {
        let which = if http {
            "health-check-timeout"
        } else {
            "health-check-connect-timeout"
        };
        a.set(&key(which), t.to_string());
    }
    if let Some(r) = h.retries {
        a.set(&key("healthy-threshold"), r.to_string());
        a.set(&key("unhealthy-threshold"), r.to_string());
    }
}

/// The synthetic backend name of a forward action: `forward` as in seed 003 when one route
/// needs an action, `forward-<route index>` when several do, so names never collide within
/// an Ingress (the annotation is matched per Ingress).
fn action_name(plan: &Plan, route: usize) -> String {
    if plan.routes.iter().filter(|r| r.split).count() == 1 {
        "forward".into()
    } else {
        format!("forward-{route}")
    }
}

/// `[{"type":"ForwardGroup","ForwardConfig":{"ServerGroups":[...]}}]` (seed 003), numbers
/// as JSON numbers; cookie stickiness across the groups (providers.md).
fn forward_group(backends: &[BackendPlan], sticky: Option<u64>) -> Value {
    let groups: Vec<Value> = backends
        .iter()
        .map(|b| match (&b.service, &b.server_group) {
            (Some(name), _) => {
                let port = match &b.port {
                    Some(PortRef::Number(p)) => json!(p.0),
                    Some(PortRef::Name(n)) => json!(n),
                    None => Value::Null,
                };
                json!({"ServiceName": name, "ServicePort": port, "Weight": b.effective_weight})
            }
            (None, id) => json!({"ServerGroupID": id, "Weight": b.effective_weight}),
        })
        .collect();
    let mut config = Map::new();
    config.insert("ServerGroups".into(), Value::Array(groups));
    if let Some(timeout) = sticky {
        config.insert(
            "ServerGroupStickySession".into(),
            json!({"Enabled": true, "Timeout": timeout}),
        );
    }
    json!([{"type": "ForwardGroup", "ForwardConfig": config}])
}

/// The cluster-scoped name of the AlbConfig and IngressClass lbgen owns for an Ingress.
fn class_name(plan: &Plan) -> String {
    let name = format!("{}-{}", plan.namespace, plan.name);
    name.chars()
        .take(63)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

fn ingress(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) -> Vec<Manifest> {
    let mut a = Annotations::default();
    let mut ports: Vec<(u16, bool)> = Vec::new();
    for r in &plan.routes {
        let tls = r.certificate_id.is_some();
        if !ports.contains(&(r.port, tls)) {
            ports.push((r.port, tls));
        }
    }
    let listen: Vec<Value> = ports
        .iter()
        .map(|(p, tls)| json!({ if *tls { "HTTPS" } else { "HTTP" }: p }))
        .collect();
    // The controller's default listener is HTTP 80: written only when the routes need others.
    if ports != [(80, false)] {
        a.set_json(&format!("{ALB}listen-ports"), &Value::Array(listen));
    }
    // Its default changed between controller releases: always written (providers.md).
    let health_on = plan.health_check.as_ref().is_none_or(|h| h.enabled);
    a.set(&format!("{ALB}healthcheck-enabled"), health_on.to_string());
    if let Some(h) = plan.health_check.as_ref().filter(|h| h.enabled) {
        if let Some(p) = h.protocol {
            a.set(
                &format!("{ALB}healthcheck-protocol"),
                if p == HealthProtocol::Http {
                    "HTTP"
                } else {
                    "TCP"
                },
            );
        }
        if let Some(path) = &h.path {
            a.set(&format!("{ALB}healthcheck-path"), path.clone());
        }
        if let Some(port) = h.port {
            a.set(&format!("{ALB}healthcheck-connect-port"), port.to_string());
        }
        if let Some(i) = h.interval_seconds {
            a.set(&format!("{ALB}healthcheck-interval-seconds"), i.to_string());
        }
        if let Some(t) = h.timeout_seconds {
            a.set(&format!("{ALB}healthcheck-timeout-seconds"), t.to_string());
        }
        if let Some(r) = h.retries {
            a.set(&format!("{ALB}healthy-threshold-count"), r.to_string());
            a.set(&format!("{ALB}unhealthy-threshold-count"), r.to_string());
        }
    }
    let cookie = plan
        .stickiness
        .as_ref()
        .filter(|s| s.mode == StickyMode::Cookie);
    if let Some(s) = cookie {
        a.set(&format!("{ALB}sticky-session"), "true");
        a.set(&format!("{ALB}sticky-session-type"), "Insert");
        if let Some(t) = s.timeout_seconds {
            a.set(&format!("{ALB}cookie-timeout"), t.to_string());
        }
    }
    // wrr is the controller's default (providers.md); the others are written.
    match plan.algorithm {
        Algorithm::RoundRobin => {}
        Algorithm::LeastConnections => a.set(&format!("{ALB}backend-scheduler"), "wlc"),
        Algorithm::SourceIp => a.set(&format!("{ALB}backend-scheduler"), "sch"),
    }
    for (i, route) in plan.routes.iter().enumerate() {
        if route.split {
            let sticky = cookie.and_then(|s| s.timeout_seconds);
            a.set_json(
                &format!("{ALB}actions.{}", action_name(plan, i)),
                &forward_group(&route.backends, sticky),
            );
        }
    }
    let rules = ingress_rules(&plan.routes, |i, route| {
        let backend = path_backend(route, &action_name(plan, i));
        json!({"path": route.path, "pathType": path_type(route.path_match).unwrap_or("ImplementationSpecific"), "backend": backend})
    });
    let mut tls_hosts: Vec<&str> = plan
        .routes
        .iter()
        .filter(|r| r.certificate_id.is_some())
        .filter_map(|r| r.host.as_deref())
        .collect();
    tls_hosts.dedup();
    let class = plan
        .load_balancer
        .ingress_class
        .clone()
        .unwrap_or_else(|| class_name(plan));
    let metadata = metadata(plan, a, diagnostics);
    let mut out = vec![Manifest {
        template: "alibaba/ingress.yaml".into(),
        context: json!({
            "metadata": metadata,
            "ingressClassName": class,
            "rules": rules,
            "tls": if tls_hosts.is_empty() { Value::Null } else { json!([{"hosts": tls_hosts}]) },
        }),
    }];
    if plan.load_balancer.ingress_class.is_none() {
        out.extend(alb_objects(plan, &class, &ports));
    }
    out
}

/// The `AlbConfig` and `IngressClass` the ALB controller needs (providers.md, Ingress).
fn alb_objects(plan: &Plan, class: &str, ports: &[(u16, bool)]) -> Vec<Manifest> {
    let lb = &plan.load_balancer;
    let config = match (&lb.id, &lb.create) {
        (Some(id), _) => json!({"id": id, "forceOverride": lb.override_listeners}),
        (None, create) => {
            let create = create.clone().unwrap_or_default();
            let mut c = Map::new();
            if let Some(name) = &create.name {
                c.insert("name".into(), json!(name));
            }
            c.insert(
                "addressType".into(),
                json!(match plan.network {
                    Network::Public => "Internet",
                    Network::Internal => "Intranet",
                }),
            );
            c.insert(
                "edition".into(),
                json!(create.l7_flavor.as_deref().unwrap_or("Standard")),
            );
            let mappings: Vec<Value> = create
                .subnet_ids
                .iter()
                .map(|v| json!({"vSwitchId": v}))
                .collect();
            c.insert("zoneMappings".into(), Value::Array(mappings));
            Value::Object(c)
        }
    };
    let certificate = plan.routes.iter().find_map(|r| r.certificate_id.clone());
    let listeners: Vec<Value> = ports
        .iter()
        .map(|(port, tls)| match (tls, &certificate) {
            (true, Some(cert)) => json!({"port": port, "protocol": "HTTPS", "certificates": [{"CertificateId": cert, "IsDefault": true}]}),
            _ => json!({"port": port, "protocol": "HTTP"}),
        })
        .collect();
    let labels = super::labels(plan);
    vec![
        Manifest {
            template: "alibaba/albconfig.yaml".into(),
            context: json!({"name": class, "labels": labels, "config": config, "listeners": listeners}),
        },
        Manifest {
            template: "alibaba/ingressclass.yaml".into(),
            context: json!({"name": class, "labels": labels}),
        },
    ]
}
