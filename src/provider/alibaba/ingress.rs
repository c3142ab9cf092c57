//! ALB Ingresses: the Ingress with its `alb.ingress.kubernetes.io/` annotations and, unless
//! the platform owns the class, the cluster-scoped `AlbConfig` and `IngressClass` it uses.
//!
//! Sources: the ACK pages "Customize the routing rules of an ALB Ingress" and the "ALB
//! Ingress GlobalConfiguration dictionary" (`alibaba/alibaba-load-balancer-controller`
//! docs/usage.md: health checks, session persistence, backend-scheduler, listen-ports,
//! AlbConfig fields) and seed 003 (forward groups with a `use-annotation` backend).

use super::types::{
    ALB_ACTIONS, ALB_BACKEND_SCHEDULER, ALB_CONDITIONS, ALB_COOKIE_TIMEOUT, ALB_HEALTH_ENABLED,
    ALB_HEALTH_HTTPCODE, ALB_HEALTH_INTERVAL, ALB_HEALTH_METHOD, ALB_HEALTH_PATH, ALB_HEALTH_PORT,
    ALB_HEALTH_PROTOCOL, ALB_HEALTH_TIMEOUT, ALB_HEALTHY_THRESHOLD, ALB_LISTEN_PORTS,
    ALB_STICKY_SESSION, ALB_STICKY_SESSION_TYPE, ALB_UNHEALTHY_THRESHOLD, ForwardConfig,
    ForwardGroup, GroupStickySession, ListenPort, ServerGroup, http_codes,
};
use crate::diag::Diagnostic;
use crate::plan::{BackendPlan, HealthPlan, IngressListener, Plan};
use crate::provider::{
    Annotations, Manifest, QueryForm, condition_blocks, conditions_key_name, ingress_path,
    ingress_rules, labels, metadata, path_backend, split_shares,
};
use crate::spec::model::{
    AccessControl, AccessMode, Algorithm, HealthProtocol, IpVersion, Network, StickyMode,
};
use serde_json::{Map, Value, json};

/// The controller's default listener (docs/usage.md, "Configure custom listening ports").
const DEFAULT_LISTENER: IngressListener = IngressListener {
    port: 80,
    tls: false,
};

/// The Ingress of a plan with `exposure: ingress`, then its AlbConfig and IngressClass.
pub(super) fn ingress(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) -> Vec<Manifest> {
    let mut a = Annotations::default();
    // Written only when the routes need other listeners than the default.
    if plan.ingress_listeners != [DEFAULT_LISTENER] {
        let listen: Vec<ListenPort> = plan
            .ingress_listeners
            .iter()
            .map(|l| {
                if l.tls {
                    ListenPort::Https(l.port)
                } else {
                    ListenPort::Http(l.port)
                }
            })
            .collect();
        a.set_json(ALB_LISTEN_PORTS, &listen);
    }
    if let Some(h) = &plan.health_check {
        health(h, &mut a);
    }
    super::listener::ingress(plan, &mut a);
    let cookie = plan
        .stickiness
        .as_ref()
        .filter(|s| s.mode == StickyMode::Cookie);
    if let Some(s) = cookie {
        a.set(ALB_STICKY_SESSION, "true");
        a.set(ALB_STICKY_SESSION_TYPE, "Insert");
        if let Some(t) = s.timeout_seconds {
            a.set(ALB_COOKIE_TIMEOUT, t.to_string());
        }
    }
    // wrr is the controller's default (dictionary, "Load balancing"); the others are written.
    match plan.algorithm {
        Algorithm::RoundRobin => {}
        Algorithm::LeastConnections => a.set(ALB_BACKEND_SCHEDULER, "wlc"),
        Algorithm::SourceIp => a.set(ALB_BACKEND_SCHEDULER, "sch"),
    }
    for (i, route) in plan.routes.iter().enumerate() {
        if route.split {
            let sticky = cookie.and_then(|s| s.timeout_seconds);
            a.set_json(
                &format!("{ALB_ACTIONS}{}", action_name(plan, i)),
                &forward_group(&route.backends, sticky),
            );
        }
        // "Customize the routing rules of an ALB Ingress", Forwarding conditions: keyed by
        // the path backend's name; blocks AND-ed, values within a block OR-ed.
        let action = action_name(plan, i);
        if let (Some(name), Some(when)) = (conditions_key_name(route, &action), &route.when) {
            let blocks = condition_blocks(when, QueryForm::Pairs);
            a.set_json(&format!("{ALB_CONDITIONS}{name}"), &blocks);
        }
    }
    let rules = ingress_rules(&plan.routes, |i, route| {
        let backend = path_backend(route, &action_name(plan, i));
        ingress_path(route, backend)
    });
    let tls_hosts = tls_hosts(plan);
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
        out.extend(alb_objects(plan, &class));
    }
    out
}

/// Health checks as the spec says them: with no `healthCheck` nothing is written and the
/// controller's default holds (off in the current ACK dictionary; the open-source
/// controller's docs/usage.md says on), so lbgen never switches checks on by itself.
fn health(h: &HealthPlan, a: &mut Annotations) {
    a.set(ALB_HEALTH_ENABLED, h.enabled.to_string());
    if !h.enabled {
        return;
    }
    match h.protocol {
        Some(HealthProtocol::Http) => a.set(ALB_HEALTH_PROTOCOL, "HTTP"),
        Some(HealthProtocol::Tcp) => a.set(ALB_HEALTH_PROTOCOL, "TCP"),
        // refused by `alibaba/health-protocol` (HTTP, HTTPS, TCP or GRPC on ALB)
        Some(HealthProtocol::Udp) | None => {}
    }
    if let Some(path) = &h.path {
        a.set(ALB_HEALTH_PATH, path.clone());
    }
    if let Some(port) = h.port {
        a.set(ALB_HEALTH_PORT, port.to_string());
    }
    if let Some(i) = h.interval_seconds {
        a.set(ALB_HEALTH_INTERVAL, i.to_string());
    }
    if let Some(t) = h.timeout_seconds {
        a.set(ALB_HEALTH_TIMEOUT, t.to_string());
    }
    if let Some(r) = h.retries {
        a.set(ALB_HEALTHY_THRESHOLD, r.to_string());
        a.set(ALB_UNHEALTHY_THRESHOLD, r.to_string());
    }
    // ALB dictionary, Health checks: healthcheck-httpcode http_2xx..http_5xx, comma-separated;
    // healthcheck-method "HEAD", "POST", "GET" (upper case). The host is refused by
    // `alibaba/alb-health-no-host`.
    if let Some(codes) = &h.success_codes {
        a.set(ALB_HEALTH_HTTPCODE, http_codes(codes));
    }
    if let Some(method) = h.method {
        a.set(ALB_HEALTH_METHOD, method.as_str());
    }
}

/// The TLS hosts of the routes with a certificate, each once, in order of first appearance.
fn tls_hosts(plan: &Plan) -> Vec<&str> {
    let mut hosts: Vec<&str> = Vec::new();
    for host in plan
        .routes
        .iter()
        .filter(|r| r.certificate_id.is_some())
        .filter_map(|r| r.host.as_deref())
    {
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    hosts
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

/// `[{"type":"ForwardGroup","ForwardConfig":{"ServerGroups":[...]}}]` (seed 003); cookie
/// stickiness across the groups when `sticky` gives a timeout.
fn forward_group(backends: &[BackendPlan], sticky: Option<u64>) -> [ForwardGroup<'_>; 1] {
    let server_groups = split_shares(
        backends,
        |name, port, weight| ServerGroup::Service { name, port, weight },
        |id, weight| ServerGroup::Group { id, weight },
    );
    [ForwardGroup {
        kind: "ForwardGroup",
        forward_config: ForwardConfig {
            server_groups,
            server_group_sticky_session: sticky.map(|timeout| GroupStickySession {
                enabled: true,
                timeout,
            }),
        },
    }]
}

/// The cluster-scoped name of the AlbConfig and IngressClass lbgen owns for an Ingress:
/// `<namespace>.<name>`. Both parts are DNS labels (no dots), so the dot separates them
/// unambiguously and two different specs never share a name (`a-b/c` is `a-b.c`, `a/b-c`
/// is `a.b-c`); at most 127 characters, a valid DNS-1123 subdomain, so nothing is cut.
pub(super) fn class_name(plan: &Plan) -> String {
    format!("{}.{}", plan.namespace, plan.name)
}

/// The `AlbConfig` and `IngressClass` the ALB controller needs (AlbConfig fields in the
/// dictionary; IngressClass from "Associate an AlbConfig object with an Ingress").
fn alb_objects(plan: &Plan, class: &str) -> Vec<Manifest> {
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
            // AlbConfig LoadBalancerSpec addressIpVersion IPv4 | DualStack (ipv6 alone is
            // refused: `alibaba/nlb-alb-no-ipv6-only`) and, for a public dual-stack ALB, a public
            // IPv6 address too (ipv6AddressType; the controller's default is Intranet).
            match create.ip_version {
                Some(IpVersion::Ipv4) => {
                    c.insert("addressIpVersion".into(), json!("IPv4"));
                }
                Some(IpVersion::DualStack) => {
                    c.insert("addressIpVersion".into(), json!("DualStack"));
                    if plan.network == Network::Public {
                        c.insert("ipv6AddressType".into(), json!("Internet"));
                    }
                }
                Some(IpVersion::Ipv6) | None => {}
            }
            // Absent: the controller's default edition (Standard).
            if let Some(edition) = &create.l7_flavor {
                c.insert("edition".into(), json!(edition));
            }
            let mappings: Vec<Value> = create
                .subnet_ids
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let mut mapping = json!({"vSwitchId": v});
                    if let Some(zone) = create.zones.get(i) {
                        mapping["zoneId"] = json!(zone);
                    }
                    // ZoneMapping.allocationId: the EIP of this zone (docs/usage.md).
                    if let Some(eip) = create.eip_ids.get(i) {
                        mapping["allocationId"] = json!(eip);
                    }
                    mapping
                })
                .collect();
            c.insert("zoneMappings".into(), Value::Array(mappings));
            if !lb.tags.is_empty() {
                // LoadBalancerSpec.tags: [{key, value}], in key order.
                let tags: Vec<Value> = lb
                    .tags
                    .iter()
                    .map(|(key, value)| json!({"key": key, "value": value}))
                    .collect();
                c.insert("tags".into(), Value::Array(tags));
            }
            Value::Object(c)
        }
    };
    // With the redirect, the controller adds an HTTP:80 listener of its own
    // (ComputeIngressListenPorts); the AlbConfig declares it first, as every listener an
    // Ingress uses.
    let redirect = plan
        .listener
        .redirect_http_to_https
        .then_some(DEFAULT_LISTENER);
    let listeners: Vec<Value> = redirect
        .iter()
        .chain(&plan.ingress_listeners)
        .map(|&IngressListener { port, tls }| {
            let certificates = certificates(plan, port);
            let mut listener = match (tls, certificates.is_empty()) {
                (true, false) => {
                    let mut listener =
                        json!({"port": port, "protocol": "HTTPS", "certificates": certificates});
                    // docs/usage.md, Specify a TLS security policy (securityPolicyId).
                    if let Some(policy) = &plan.listener.tls_policy {
                        listener["securityPolicyId"] = json!(policy);
                    }
                    listener
                }
                _ => json!({"port": port, "protocol": "HTTP"}),
            };
            if let Some(acl) = &plan.access_control {
                listener["aclConfig"] = acl_config(acl);
            }
            if let Some(fields) = listener.as_object_mut() {
                super::listener::albconfig_listener(plan, tls, fields);
            }
            listener
        })
        .collect();
    let labels = labels(plan);
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

/// A listener's `aclConfig` (configure-acl-access-control-through-albconfig, "Associate an
/// existing ACL by using aclIds"): the ids as a YAML list, `White` (allow) or `Black` (deny).
fn acl_config(acl: &AccessControl) -> Value {
    json!({
        "aclIds": acl.acl_ids,
        "aclType": match acl.mode {
            AccessMode::Allow => "White",
            AccessMode::Deny => "Black",
        },
    })
}

/// Every certificate of the HTTPS routes on `port`, each once in route order, a route's
/// SNI certificates after its own; the first is the listener's default (`IsDefault`: one
/// default per listener, docs/usage.md "Specify a certificate for HTTPS connections"), the
/// others extension certificates the ALB picks by the client's SNI.
fn certificates(plan: &Plan, port: u16) -> Vec<Value> {
    let mut ids: Vec<&str> = Vec::new();
    for id in plan
        .routes
        .iter()
        .filter(|r| r.port == port && r.certificate_id.is_some())
        .flat_map(|r| r.certificate_id.iter().chain(&r.sni_certificate_ids))
        .map(String::as_str)
    {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids.iter()
        .enumerate()
        .map(|(i, id)| json!({"CertificateId": id, "IsDefault": i == 0}))
        .collect()
}
