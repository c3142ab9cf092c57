//! Huawei Cloud CCE (ELB): the annotation dialect CCE's closed-source controller reads.
//!
//! Every key, spelling, unit and JSON type comes from Huawei's CCE user guide: "LoadBalancer"
//! (tables 1-5), "Configuring IP Addresses as Backend Servers for a LoadBalancer Ingress",
//! "Configuring Passthrough Networking for a LoadBalancer Service", and the pages
//! cce_10_0385, cce_10_0684, cce_10_0687, cce_10_0695 and cce_10_0949 on
//! support.huaweicloud.com; the page is cited beside the code. Never the
//! `cloud-provider-huaweicloud` dialect (`elb.class: shared|dedicated`, numeric JSON):
//! CCE ignores it. Checks live in `policies/huawei.yaml`; this module assumes they passed.

mod changes;
mod kinds;
pub(super) mod pack;

use super::{
    Annotations, Manifest, Mapped, ingress_rules, metadata, path_backend, path_type,
    service_manifest, transport,
};
use crate::plan::{BackendPlan, HealthPlan, Plan};
use crate::spec::model::{
    Algorithm, ChargeMode, Exposure, HealthProtocol, Network, Protocol, StickyMode, Tier,
};
use crate::spec::values::{ClusterVersion, PortRef};
pub(crate) use changes::{CHANGE_RULES, OWNED_PREFIXES, REWRITTEN_BY_CCE, WRITTEN_BY_CCE};
use serde_json::{Map, Value, json};

const ELB_ID: &str = "kubernetes.io/elb.id";
const ELB_CLASS: &str = "kubernetes.io/elb.class";
const ELB_AUTOCREATE: &str = "kubernetes.io/elb.autocreate";
const ELB_IP_TARGET: &str = "kubernetes.io/elb.ip-target-enabled";
const ELB_ALGORITHM: &str = "kubernetes.io/elb.lb-algorithm";
const ELB_AFFINITY_MODE: &str = "kubernetes.io/elb.session-affinity-mode";
const ELB_AFFINITY_OPTION: &str = "kubernetes.io/elb.session-affinity-option";
const ELB_HEALTH_FLAG: &str = "kubernetes.io/elb.health-check-flag";
const ELB_HEALTH_OPTION: &str = "kubernetes.io/elb.health-check-option";
const ELB_HEALTH_OPTIONS: &str = "kubernetes.io/elb.health-check-options";
const ELB_PROTOCOL_PORT: &str = "kubernetes.io/elb.protocol-port";
const ELB_CERT_ID: &str = "kubernetes.io/elb.cert-id";
const ELB_PASS_THROUGH: &str = "kubernetes.io/elb.pass-through";
const ELB_PORT: &str = "kubernetes.io/elb.port";
const ELB_TLS_CERTIFICATES: &str = "kubernetes.io/elb.tls-certificate-ids";
const ELB_ACTIONS: &str = "kubernetes.io/elb.actions.";
const INGRESS_CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
/// From v1.22 CCE Ingresses name their class in `spec.ingressClassName`; before, by annotation
/// (cce_10_0252 and cce_10_0695: `kubernetes.io/ingress.class: cce` only for clusters
/// of v1.21 or earlier).
const FIRST_CLASS_NAME_VERSION: ClusterVersion = ClusterVersion {
    major: 1,
    minor: 22,
    patch: 0,
    release: 0,
};

/// The CCE-only path field (seed 000): not in the upstream Ingress schema.
pub(crate) const URL_MATCH_MODE: &str = "ingress.beta.kubernetes.io/url-match-mode";

/// Maps a plan to a CCE Service or Ingress.
pub(super) fn map(plan: &Plan) -> Mapped {
    let mut diagnostics = Vec::new();
    let manifest = match plan.exposure {
        Exposure::Service => service(plan, &mut diagnostics),
        Exposure::Ingress => ingress(plan, &mut diagnostics),
    };
    Mapped {
        manifests: vec![manifest],
        diagnostics,
        patches: Vec::new(),
    }
}

/// `elb.id` or `elb.autocreate`, `elb.class`, `elb.ip-target-enabled`: the same on a
/// Service and an Ingress (seed 001 tables 1 and 5; seed 000).
fn load_balancer(plan: &Plan, a: &mut Annotations) {
    let lb = &plan.load_balancer;
    // seed 001 table 1: union = shared (default), performance = dedicated.
    a.set(
        ELB_CLASS,
        match lb.tier {
            Tier::Shared => "union",
            Tier::Dedicated => "performance",
        },
    );
    if let Some(id) = &lb.id {
        a.set(ELB_ID, id.clone());
    } else if let Some(create) = &lb.create {
        // seed 001 table 5: strings except bandwidth_size (Integer) and the two arrays.
        let mut o = Map::new();
        if let Some(name) = &create.name {
            o.insert("name".into(), json!(name));
        }
        o.insert(
            "type".into(),
            json!(match plan.network {
                Network::Public => "public",
                Network::Internal => "inner",
            }),
        );
        if let Some(bw) = &create.bandwidth {
            if let Some(name) = &bw.name {
                o.insert("bandwidth_name".into(), json!(name));
            }
            let mode = match bw.charge_mode.unwrap_or(ChargeMode::Bandwidth) {
                ChargeMode::Bandwidth => "bandwidth",
                ChargeMode::Traffic => "traffic",
            };
            o.insert("bandwidth_chargemode".into(), json!(mode));
            if let Some(size) = bw.size {
                o.insert("bandwidth_size".into(), json!(size));
            }
            if let Some(share) = &bw.share_type {
                o.insert("bandwidth_sharetype".into(), json!(share));
            }
        }
        if let Some(eip) = &create.eip_type {
            o.insert("eip_type".into(), json!(eip));
        }
        if let Some(subnet) = &create.subnet_id {
            o.insert("vip_subnet_cidr_id".into(), json!(subnet));
        }
        if !create.zones.is_empty() {
            o.insert("available_zone".into(), json!(create.zones));
        }
        if let Some(f) = &create.l4_flavor {
            o.insert("l4_flavor_name".into(), json!(f));
        }
        if let Some(f) = &create.l7_flavor {
            o.insert("l7_flavor_name".into(), json!(f));
        }
        if !create.backend_subnet_ids.is_empty() {
            o.insert("elb_virsubnet_ids".into(), json!(create.backend_subnet_ids));
        }
        a.set_json(ELB_AUTOCREATE, &Value::Object(o));
    }
    if plan.ip_targets {
        // seed 000 table 1: only "true" is supported.
        a.set(ELB_IP_TARGET, "true");
    }
}

/// `{"persistence_timeout":"<minutes>"}`: a String of minutes, default 60 (seed 001 table 2).
fn persistence_option(timeout_seconds: Option<u64>) -> Value {
    let minutes = timeout_seconds.map_or(60, |s| s / 60);
    json!({"persistence_timeout": minutes.to_string()})
}

/// The health-check fields of seed 001 table 3; every value a String. Fields the spec
/// leaves out are left out, so CCE's defaults apply.
fn health_fields(h: &HealthPlan) -> Map<String, Value> {
    let mut o = Map::new();
    if let Some(i) = h.interval_seconds {
        o.insert("delay".into(), json!(i.to_string()));
    }
    if let Some(t) = h.timeout_seconds {
        o.insert("timeout".into(), json!(t.to_string()));
    }
    if let Some(r) = h.retries {
        o.insert("max_retries".into(), json!(r.to_string()));
    }
    if let Some(p) = h.protocol {
        let protocol = match p {
            HealthProtocol::Tcp => "TCP",
            HealthProtocol::Udp => "UDP_CONNECT",
            HealthProtocol::Http => "HTTP",
        };
        o.insert("protocol".into(), json!(protocol));
    }
    if let Some(path) = &h.path {
        o.insert("path".into(), json!(path));
    }
    o
}

fn service(plan: &Plan, diagnostics: &mut Vec<crate::diag::Diagnostic>) -> Manifest {
    let mut a = Annotations::default();
    load_balancer(plan, &mut a);
    a.set(
        ELB_ALGORITHM,
        match plan.algorithm {
            Algorithm::RoundRobin => "ROUND_ROBIN",
            Algorithm::LeastConnections => "LEAST_CONNECTIONS",
            Algorithm::SourceIp => "SOURCE_IP",
        },
    );
    if let Some(s) = &plan.stickiness {
        let mode = match s.mode {
            StickyMode::SourceIp => "SOURCE_IP",
            StickyMode::Cookie => "HTTP_COOKIE",
        };
        a.set(ELB_AFFINITY_MODE, mode);
        a.set_json(ELB_AFFINITY_OPTION, &persistence_option(s.timeout_seconds));
    }
    if let Some(h) = &plan.health_check {
        if !h.enabled {
            a.set(ELB_HEALTH_FLAG, "off");
        } else if let Some(monitor) = h.port {
            // cce_10_0684 "Configuring Health Check on Multiple LoadBalancer Service
            // Ports": one object per Service port, keyed by "<PROTOCOL>:<port>", with the
            // monitor port; never together with the single-port option. CCE's check is off
            // by default (seed 001 table 1), and the page's example sets the flag beside
            // the options: without it the check stays off.
            // target_service_port is built from the listener's transport and port number
            // only (no user text), so it can never carry an extra ':' or ','.
            a.set(ELB_HEALTH_FLAG, "on");
            let per_port: Vec<Value> = plan
                .listeners
                .iter()
                .map(|l| {
                    let mut o = health_fields(h);
                    o.insert(
                        "target_service_port".into(),
                        json!(format!("{}:{}", transport(l.protocol), l.port)),
                    );
                    o.insert("monitor_port".into(), json!(monitor.to_string()));
                    Value::Object(o)
                })
                .collect();
            a.set_json(ELB_HEALTH_OPTIONS, &Value::Array(per_port));
        } else {
            a.set(ELB_HEALTH_FLAG, "on");
            a.set_json(ELB_HEALTH_OPTION, &Value::Object(health_fields(h)));
        }
    }
    // seed 001 "Enabling HTTP for Services": "https:443,http:80", in port order. Only
    // fixed protocol words and port numbers go in, never user text, so no entry can carry
    // the list's ',' or ':' delimiters.
    let l7: Vec<String> = plan
        .listeners
        .iter()
        .filter_map(|l| match l.protocol {
            Protocol::Http => Some(format!("http:{}", l.port)),
            Protocol::Https => Some(format!("https:{}", l.port)),
            _ => None,
        })
        .collect();
    if !l7.is_empty() {
        a.set(ELB_PROTOCOL_PORT, l7.join(","));
    }
    if let Some(cert) = plan
        .listeners
        .iter()
        .find(|l| l.protocol == Protocol::Https)
        .and_then(|l| l.certificate_id.clone())
    {
        a.set(ELB_CERT_ID, cert);
    }
    if plan.pass_through {
        // "Configuring Passthrough Networking for a LoadBalancer Service" (seed 002, and
        // seed 001's fix for externalTrafficPolicy: Local): both examples write "true",
        // also with Local. The prose says CCE itself turns the value into onlyLocal with
        // node-level affinity; the examples are what users write, so lbgen writes "true".
        a.set(ELB_PASS_THROUGH, "true");
    }
    service_manifest(plan, "huawei/service.yaml", a, diagnostics)
}

/// The synthetic backend name of a forward action: the route's `action` when the spec
/// names one (the policies keep it unique, short enough and unlike any backend Service),
/// else one derived from the Ingress, unique per route and short enough that
/// `kubernetes.io/elb.actions.<name>` stays a valid annotation key (name part <= 63).
fn action_name(plan: &Plan, route: usize) -> String {
    if let Some(action) = plan.routes.get(route).and_then(|r| r.action.clone()) {
        return action;
    }
    let ingress = &plan.name;
    let suffix = format!("-r{route}");
    let room = 63 - "elb.actions.".len() - suffix.len();
    let base: String = ingress.chars().take(room).collect();
    format!("{}{suffix}", base.trim_end_matches('-'))
}

/// `[{"type":"ForwardPool","forwardConfig":[...]}]`, lower-case keys, numbers as JSON
/// numbers (cce_10_0949, "Forward to a custom backend server group").
fn forward_action(backends: &[BackendPlan]) -> Value {
    let config: Vec<Value> = backends
        .iter()
        .map(|b| match (&b.service, &b.server_group) {
            (Some(service), _) => {
                let port = match &b.port {
                    Some(PortRef::Number(p)) => json!(p.0),
                    Some(PortRef::Name(n)) => json!(n),
                    None => Value::Null,
                };
                json!({"type": "service", "serviceName": service, "servicePort": port, "weight": b.effective_weight})
            }
            (None, group) => json!({"type": "pool", "poolID": group, "weight": b.effective_weight}),
        })
        .collect();
    json!([{"type": "ForwardPool", "forwardConfig": config}])
}

fn ingress(plan: &Plan, diagnostics: &mut Vec<crate::diag::Diagnostic>) -> Manifest {
    let mut a = Annotations::default();
    load_balancer(plan, &mut a);
    let port = plan.routes.first().map_or(80, |r| r.port);
    // cce_10_0695: the listener port, a String.
    a.set(ELB_PORT, port.to_string());
    if let Some(route) = plan.routes.iter().find(|r| r.certificate_id.is_some()) {
        // cce_10_0687 "Configuring an HTTPS Certificate for a LoadBalancer Ingress", "Using
        // kubectl to Configure a Certificate Created on the ELB Console": a comma-separated
        // list of ELB certificate ids, the server certificate first, then the SNI
        // certificates. The policies (huawei/ingress-certificate-id-format,
        // huawei/ingress-sni-certificate-id-format) admit only 32 hex digits, so an id can
        // never smuggle a ',' into the list; all routes carry the same list
        // (huawei/ingress-single-certificate).
        let ids: Vec<&str> = route
            .certificate_id
            .iter()
            .chain(&route.sni_certificate_ids)
            .map(String::as_str)
            .collect();
        a.set(ELB_TLS_CERTIFICATES, ids.join(","));
    }
    if let Some(s) = &plan.stickiness {
        // cce_10_0736 (session-affinity-mode HTTP_COOKIE on an Ingress; policy forbids source-ip).
        a.set(ELB_AFFINITY_MODE, "HTTP_COOKIE");
        a.set_json(ELB_AFFINITY_OPTION, &persistence_option(s.timeout_seconds));
    }
    for (i, route) in plan.routes.iter().enumerate() {
        if route.split {
            let key = format!("{ELB_ACTIONS}{}", action_name(plan, i));
            a.set_json(&key, &forward_action(&route.backends));
        }
    }
    let rules = ingress_rules(&plan.routes, |i, route| {
        let backend = path_backend(route, &action_name(plan, i));
        match path_type(route.path_match) {
            Some(t) => json!({"path": route.path, "pathType": t, "backend": backend}),
            // seed 000: the CCE-only `property` field carries the match mode.
            None => json!({
                "path": route.path,
                "pathType": "ImplementationSpecific",
                "backend": backend,
                "property": {URL_MATCH_MODE: "REGEX"},
            }),
        }
    });
    // cce_10_0252: the class annotation only for clusters of v1.21 or earlier.
    let legacy_class = plan
        .cluster
        .version
        .as_ref()
        .is_some_and(|v| v.version() < FIRST_CLASS_NAME_VERSION);
    if legacy_class {
        a.set(INGRESS_CLASS_ANNOTATION, "cce");
    }
    let metadata = metadata(plan, a, diagnostics);
    Manifest {
        template: "huawei/ingress.yaml".into(),
        context: json!({
            "metadata": metadata,
            "ingressClassName": if legacy_class { Value::Null } else { json!("cce") },
            "rules": rules,
        }),
    }
}
