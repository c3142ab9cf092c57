//! The CCE LoadBalancer Service: algorithm, session affinity, health checks (single-port
//! and per-port), L7 and TLS listeners by `elb.protocol-port` with their certificates (SNI:
//! cce_10_0841) and pass-through (seed 001, seed 002, cce_10_0684).

use super::types::{
    ELB_AFFINITY_MODE, ELB_AFFINITY_OPTION, ELB_ALGORITHM, ELB_CERT_ID, ELB_CLIENT_CA_CERT_ID,
    ELB_HEALTH_FLAG, ELB_HEALTH_OPTION, ELB_HEALTH_OPTIONS, ELB_PASS_THROUGH, ELB_PROTOCOL_PORT,
    ELB_TLS_CERTIFICATES, ELB_TRANSPARENT_CLIENT_IP, HealthOption,
};
use super::{listener_settings, load_balancer, persistence_option};
use crate::diag::Diagnostic;
use crate::plan::{HealthPlan, Plan};
use crate::provider::{Annotations, Manifest, service_manifest, transport};
use crate::spec::model::{Algorithm, ClientAddress, HealthProtocol, Protocol, StickyMode, Tier};

/// The health-check fields of seed 001 table 3; every value a String. Fields the spec
/// leaves out are left out, so CCE's defaults apply.
fn health_option(h: &HealthPlan) -> HealthOption {
    HealthOption {
        delay: h.interval_seconds.map(|i| i.to_string()),
        timeout: h.timeout_seconds.map(|t| t.to_string()),
        max_retries: h.retries.map(|r| r.to_string()),
        protocol: h.protocol.map(|p| match p {
            HealthProtocol::Tcp => "TCP",
            HealthProtocol::Udp => "UDP_CONNECT",
            HealthProtocol::Http => "HTTP",
        }),
        path: h.path.clone(),
        target_service_port: None,
        monitor_port: None,
    }
}

/// `elb.health-check-flag` and the single- or per-port options.
fn health(plan: &Plan, a: &mut Annotations) {
    let per_port = plan.listeners.iter().any(|l| l.health_check.is_some());
    let Some(h) = plan.health_check.as_ref().filter(|_| !per_port) else {
        if per_port {
            per_port_health(plan, a);
        }
        return;
    };
    if !h.enabled {
        a.set(ELB_HEALTH_FLAG, "off");
    } else if h.port.is_some() {
        per_port_health(plan, a);
    } else {
        a.set(ELB_HEALTH_FLAG, "on");
        a.set_json(ELB_HEALTH_OPTION, &health_option(h));
    }
}

/// cce_10_0684 "Configuring Health Check on Multiple LoadBalancer Service Ports": one
/// object per Service port, keyed by "<PROTOCOL>:<port>", with the monitor port; never
/// together with the single-port option. A port's own check (`spec.ports[].healthCheck`,
/// merged in the plan) wins over the Service's; a port with neither is not listed ("only
/// some ports may be listed"). CCE's check is off by default (seed 001 table 1), and the
/// page's example sets the flag beside the options: without it the check stays off (a
/// check switched off here is refused by `huawei/health-per-port-enabled`).
/// target_service_port is built from the listener's transport and port number only (no
/// user text), so it can never carry an extra ':' or ','.
fn per_port_health(plan: &Plan, a: &mut Annotations) {
    a.set(ELB_HEALTH_FLAG, "on");
    let per_port: Vec<HealthOption> = plan
        .listeners
        .iter()
        .filter_map(|l| {
            let h = l.health_check.as_ref().or(plan.health_check.as_ref())?;
            Some(HealthOption {
                target_service_port: Some(format!("{}:{}", transport(l.protocol), l.port)),
                monitor_port: h.port.map(|p| p.to_string()),
                ..health_option(h)
            })
        })
        .collect();
    a.set_json(ELB_HEALTH_OPTIONS, &per_port);
}

/// The Service of a plan with `exposure: service`.
pub(super) fn service(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) -> Manifest {
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
            // The Service pages document no APP_COOKIE: refused by
            // `huawei/service-no-app-cookie` (nearest: an Ingress on a shared ELB).
            StickyMode::AppCookie => "APP_COOKIE",
        };
        a.set(ELB_AFFINITY_MODE, mode);
        a.set_json(ELB_AFFINITY_OPTION, &persistence_option(s));
    }
    health(plan, &mut a);
    // seed 001 "Enabling HTTP for Services": "https:443,http:80", in port order. Only
    // fixed protocol words and port numbers go in, never user text, so no entry can carry
    // the list's ',' or ':' delimiters.
    let l7: Vec<String> = plan
        .listeners
        .iter()
        .filter_map(|l| match l.protocol {
            Protocol::Http => Some(format!("http:{}", l.port)),
            Protocol::Https => Some(format!("https:{}", l.port)),
            // cce_10_0683 Table 2: tls:<port>, an L4 TLS listener with elb.cert-id.
            Protocol::Tls => Some(format!("tls:{}", l.port)),
            Protocol::Tcp | Protocol::Udp => None,
        })
        .collect();
    if !l7.is_empty() {
        a.set(ELB_PROTOCOL_PORT, l7.join(","));
    }
    let terminating = plan
        .listeners
        .iter()
        .find(|l| matches!(l.protocol, Protocol::Https | Protocol::Tls));
    if let Some(cert) = terminating.and_then(|l| l.certificate_id.clone()) {
        a.set(ELB_CERT_ID, cert);
    }
    listener_settings(plan, &mut a);
    // cce_10_0841: the SNI certificates beside elb.cert-id, one list for the Service
    // (`huawei/service-sni-*` rules: the same list on every HTTPS port, 32 hex digits
    // each, so no id can add a ',').
    if let Some(l) = terminating.filter(|l| !l.sni_certificate_ids.is_empty()) {
        a.set(ELB_TLS_CERTIFICATES, l.sni_certificate_ids.join(","));
    }
    // cce_10_0683 Table 2: the CA certificate of two-way authentication, one per Service
    // (`huawei/service-ca-certificate-*` rules).
    if let Some(ca) = terminating.and_then(|l| l.ca_certificate_id.clone()) {
        a.set(ELB_CLIENT_CA_CERT_ID, ca);
    }
    // cce_10_0916: a shared ELB passes the client's address on TCP/UDP listeners with
    // elb.transparent-client-ip "true" (and stops with "false"); a dedicated ELB always
    // does, so nothing is written for it (`huawei/client-address-*` refuse the rest).
    if plan.load_balancer.tier == Tier::Shared {
        match plan.listener.client_address {
            Some(ClientAddress::Preserve) => a.set(ELB_TRANSPARENT_CLIENT_IP, "true"),
            Some(ClientAddress::Withheld) => a.set(ELB_TRANSPARENT_CLIENT_IP, "false"),
            Some(ClientAddress::ProxyProtocol) | None => {}
        }
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
