//! The `TkeServiceConfig` lbgen emits beside a Service or Ingress: TKE has no plain
//! annotations for the scheduler, session persistence or the health check (providers.md,
//! "What a spec becomes": algorithm, stickiness, healthCheck rows).
//!
//! TKE matches entries to listeners it created from the Service or Ingress: by protocol and
//! port, and for L7 by domain and url. So every entry here mirrors a listener the Service or
//! Ingress declares; nothing here creates one. Ranges are checked in `policies/tencent.yaml`.

use super::types::{
    Domain, HealthCheck, L4Listener, L7Listener, L7Rule, LoadBalancerConfig, Session,
    TkeServiceConfigSpec,
};
use crate::plan::{HealthPlan, Plan};
use crate::provider::transport;
use crate::spec::model::{Algorithm, Exposure, Protocol, StatusClass};

/// Whether the plan asks for anything only a TkeServiceConfig can carry.
pub(super) fn needed(plan: &Plan) -> bool {
    plan.algorithm != Algorithm::RoundRobin
        || plan.stickiness.is_some()
        || plan.health_check.is_some()
        || plan.listeners.iter().any(|l| l.health_check.is_some())
        || (plan.exposure == Exposure::Ingress
            && (plan.pass_through || plan.listener.backend_protocol.is_some()))
}

/// A deterministic name per object. Service and Ingress get different names, so a Service
/// and an Ingress of the same name never share a config; neither can end in TKE's reserved
/// `-auto-service-config` / `-auto-ingress-config` (providers.md, TkeServiceConfig).
pub(super) fn name(plan: &Plan) -> String {
    let kind = match plan.exposure {
        Exposure::Service => "svc",
        Exposure::Ingress => "ing",
    };
    format!("{}-lbgen-{kind}", plan.name)
}

/// The scheduler spelling: `WRR` | `LEAST_CONN` | `IP_HASH` (IP_HASH at L7 only; the
/// policy refuses `source-ip` on a Service).
fn scheduler(a: Algorithm) -> String {
    match a {
        Algorithm::RoundRobin => "WRR",
        Algorithm::LeastConnections => "LEAST_CONN",
        Algorithm::SourceIp => "IP_HASH",
    }
    .to_string()
}

/// `session`: source-IP at L4, cookie at L7; the policy has matched the mode to the layer.
fn session(plan: &Plan) -> Option<Session> {
    plan.stickiness.as_ref().map(|s| Session {
        enable: true,
        session_expire_time: s.timeout_seconds,
    })
}

/// `healthCheck`: both thresholds from `retries`. The L4-only fields `checkType`,
/// `checkPort` and the HTTP fields (path, codes, domain, method) on an L4 listener are
/// *unverified* (the policy warns).
fn health(h: &HealthPlan, l4: bool) -> HealthCheck {
    if !h.enabled {
        return HealthCheck::default();
    }
    HealthCheck {
        enable: true,
        interval_time: h.interval_seconds,
        timeout: h.timeout_seconds,
        health_num: h.retries,
        un_health_num: h.retries,
        check_type: h.protocol.filter(|_| l4).map(|p| p.as_str().to_string()),
        check_port: h.port.filter(|_| l4),
        http_check_path: h.path.clone(),
        http_code: h.success_codes.as_deref().map(http_code),
        http_check_domain: h.host.clone(),
        http_check_method: h.method.map(|m| m.as_str().to_string()),
    }
}

/// `httpCode`'s bit for each healthy class: 2 = 2xx, 4 = 3xx, 8 = 4xx, 16 = 5xx (CLB API
/// 214/30694 `HealthCheck.HttpCode`, 1..31; the TkeServiceConfig reference, 457/36834,
/// takes the same field). The one table the mapping and the import (`import_config`) read.
pub(super) const HTTP_CODE_BITS: [(StatusClass, u8); 4] = [
    (StatusClass::Success, 2),
    (StatusClass::Redirect, 4),
    (StatusClass::ClientError, 8),
    (StatusClass::ServerError, 16),
];

/// `httpCode`: the sum of the classes' bits. The plan holds each class once.
fn http_code(codes: &[StatusClass]) -> u8 {
    HTTP_CODE_BITS
        .iter()
        .filter(|(class, _)| codes.contains(class))
        .map(|(_, bit)| bit)
        .sum()
}

/// One L7 rule carrying the plan's settings and the health check `check`.
fn rule(plan: &Plan, url: &str, check: Option<&HealthPlan>) -> L7Rule {
    L7Rule {
        url: url.to_string(),
        scheduler: Some(scheduler(plan.algorithm)),
        session: session(plan),
        health_check: check.map(|h| health(h, false)),
        // 457/37015: HTTP or HTTPS; grpc is refused by tencent/backend-protocol-grpc.
        forward_type: plan
            .listener
            .backend_protocol
            .filter(|_| plan.exposure == Exposure::Ingress)
            .map(|p| p.as_str().to_ascii_uppercase()),
    }
}

/// The L7 protocol of a Service port, if it is one.
fn l7_protocol(p: Protocol) -> Option<&'static str> {
    match p {
        Protocol::Http => Some("HTTP"),
        Protocol::Https => Some("HTTPS"),
        // TLS (TCP_SSL) never reaches a config: `tencent/tls-port-no-service-config`.
        Protocol::Tcp | Protocol::Udp | Protocol::Tls => None,
    }
}

/// The config of a Service: an `l4Listeners` entry per TCP/UDP port; HTTP/HTTPS ports
/// (made L7 by specify-protocol, without hosts) get an `l7Listeners` entry for the
/// default domain `""` and url `/` (*unverified* for Services: the policy warns).
pub(super) fn service_spec(plan: &Plan) -> TkeServiceConfigSpec {
    let mut lb = LoadBalancerConfig::default();
    for l in &plan.listeners {
        // A port's own check (merged in the plan) wins over the Service's: TKE matches each
        // entry to its listener by protocol and port (457/36834).
        let check = l.health_check.as_ref().or(plan.health_check.as_ref());
        match l7_protocol(l.protocol) {
            None => lb.l4_listeners.push(L4Listener {
                protocol: transport(l.protocol).to_string(),
                port: l.port,
                scheduler: Some(scheduler(plan.algorithm)),
                session: session(plan),
                health_check: check.map(|h| health(h, true)),
            }),
            Some(protocol) => lb.l7_listeners.push(L7Listener {
                protocol: protocol.to_string(),
                port: l.port,
                keepalive_enable: None,
                domains: vec![Domain {
                    domain: String::new(),
                    rules: vec![rule(plan, "/", check)],
                }],
            }),
        }
    }
    TkeServiceConfigSpec { load_balancer: lb }
}

/// The config of an Ingress: one `l7Listeners` entry per listener (HTTPS:443 when the
/// routes carry TLS, else HTTP:80), `domains[]` by host in order of first appearance
/// (`""` for routes without a host), one rule per route path. `passThrough` becomes
/// `keepaliveEnable: 1` (providers.md, passThrough row, Ingress column).
pub(super) fn ingress_spec(plan: &Plan) -> TkeServiceConfigSpec {
    let mut listeners: Vec<L7Listener> = plan
        .ingress_listeners
        .iter()
        .map(|l| L7Listener {
            protocol: if l.tls { "HTTPS" } else { "HTTP" }.to_string(),
            port: l.port,
            keepalive_enable: plan.pass_through.then_some(1),
            domains: Vec::new(),
        })
        .collect();
    for route in &plan.routes {
        // The plan holds every route's listener.
        let listener = route.listener();
        let Some(at) = plan.ingress_listeners.iter().position(|l| *l == listener) else {
            continue;
        };
        let domains = &mut listeners[at].domains;
        let host = route.host.clone().unwrap_or_default();
        let slot = match domains.iter().position(|d| d.domain == host) {
            Some(i) => i,
            None => {
                domains.push(Domain {
                    domain: host,
                    rules: Vec::new(),
                });
                domains.len() - 1
            }
        };
        domains[slot]
            .rules
            .push(rule(plan, &route.path, plan.health_check.as_ref()));
    }
    TkeServiceConfigSpec {
        load_balancer: LoadBalancerConfig {
            l4_listeners: Vec::new(),
            l7_listeners: listeners,
        },
    }
}
