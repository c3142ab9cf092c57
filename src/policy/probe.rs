//! Load-time checks of rules that CEL's parser cannot make: an expression that yields no
//! boolean, or that reads a plan field that does not exist (`lb.stickness`).
//!
//! CEL here is dynamically typed, so each rule is evaluated once against sample plans in
//! which every optional field is set and every list has an element: a type slip or a
//! misspelt field shows up as a non-boolean result or a "no such key" error, reported at
//! the rule's own file:line:column before any spec is judged.
//!
//! The sample is a plan, written field by field (a field added to `Plan` does not compile
//! here until the probe sets it), and provider-neutral: rules are probed whatever provider
//! they are for, so it carries the first registered provider and no rule depends on which.

use crate::plan::{
    BackendPlan, ClusterFacts, DrainingPlan, HealthPlan, IngressListener, Listener, ListenerPlan,
    LoadBalancerPlan, Plan, RoutePlan, SlowStartPlan, StickinessPlan,
};
use crate::provider::{ProviderId, registry};
use crate::spec::model::{
    AccessControl, AccessMode, Algorithm, BackendProtocol, Bandwidth, Billing, ChargeMode, Create,
    Exposure, HealthMethod, HealthProtocol, IpVersion, Network, PathMatch, Protocol, StatusClass,
    StickyMode, Targets, Tier, TrafficPolicy, Workload, WorkloadKind,
};
use crate::spec::routing::{Cidr, HttpMethod, MatchName, MatchValue, RouteConditions, ValueMatch};
use crate::spec::values::{DnsLabel, IpAddress, Port, PortRef, VersionText};
use std::collections::BTreeMap;

/// Route conditions with one entry of every kind.
fn probe_conditions() -> RouteConditions {
    let entry = || ValueMatch {
        name: MatchName("x-probe".into()),
        values: vec![MatchValue("on".into())],
    };
    RouteConditions {
        methods: vec![HttpMethod::Get],
        headers: vec![entry()],
        cookies: BTreeMap::from([(MatchName("probe".into()), MatchValue("on".into()))]),
        query: vec![entry()],
        source_ranges: vec![Cidr("10.0.0.0/8".into())],
    }
}

fn text(s: &str) -> Option<String> {
    Some(s.to_string())
}

fn map(key: &str, value: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(key.to_string(), value.to_string())])
}

/// A health check with every field set.
fn health() -> HealthPlan {
    HealthPlan {
        enabled: true,
        protocol: Some(HealthProtocol::Http),
        port: Some(8081),
        path: text("/healthz"),
        interval_seconds: Some(5),
        timeout_seconds: Some(3),
        retries: Some(3),
        success_codes: Some(vec![StatusClass::Success, StatusClass::Redirect]),
        method: Some(HealthMethod::Get),
        host: text("health.example.com"),
    }
}

fn backend(route: usize, index: usize, service: bool) -> BackendPlan {
    BackendPlan {
        route,
        index,
        service: service.then(|| "web".to_string()),
        server_group: (!service).then(|| "sg-1".to_string()),
        port: Some(PortRef::Number(Port(80))),
        weight: Some(50),
        effective_weight: 50,
    }
}

/// A Service plan with every field set; `None` only without a registered provider.
fn service_plan() -> Option<Plan> {
    let provider = ProviderId::parse(registry().ids().first()?)?;
    let route_backends = vec![backend(0, 0, true), backend(0, 1, false)];
    Some(Plan {
        name: "probe".into(),
        namespace: "probe".into(),
        labels: map("a", "b"),
        annotations: map("a/b", "c"),
        unchecked_annotations: vec!["a/b".into()],
        provider_fields: Vec::new(),
        provider,
        cluster: ClusterFacts {
            version: Some(VersionText("v1.30.1-r0".into())),
        },
        exposure: Exposure::Service,
        network: Network::Public,
        load_balancer: LoadBalancerPlan {
            id: text("lb-1"),
            tier: Tier::Dedicated,
            create: Some(Create {
                name: text("probe"),
                bandwidth: Some(Bandwidth {
                    name: text("bw"),
                    size: Some(5),
                    charge_mode: Some(ChargeMode::Traffic),
                    share_type: text("PER"),
                }),
                eip_type: text("5_bgp"),
                zones: vec!["z1".into()],
                l4_flavor: text("l4"),
                l7_flavor: text("l7"),
                subnet_id: text("s1"),
                subnet_ids: vec!["s1".into()],
                backend_subnet_ids: vec!["s2".into()],
                address: Some(IpAddress("192.168.0.10".into())),
                billing: Some(Billing::PayBySpec),
                eip_ids: vec!["eip-1".into()],
                ip_version: Some(IpVersion::DualStack),
            }),
            override_listeners: true,
            hostname: text("probe.example.com"),
            ingress_class: text("probe"),
            tags: map("team", "probe"),
        },
        selector: map("app", "probe"),
        listeners: vec![Listener {
            name: "https".into(),
            port: 443,
            target_port: PortRef::Number(Port(8443)),
            protocol: Protocol::Https,
            certificate_id: text("c1"),
            sni_certificate_ids: vec!["c2".into()],
            ca_certificate_id: text("ca1"),
            health_check: Some(health()),
            health_check_fields: vec!["interval"],
        }],
        // Not visible to rules (`#[serde(skip)]`), set for completeness.
        ingress_listeners: vec![IngressListener {
            port: 443,
            tls: true,
        }],
        routes: vec![RoutePlan {
            host: text("probe.example.com"),
            path: "/".into(),
            path_match: PathMatch::Prefix,
            port: 443,
            certificate_id: text("c1"),
            sni_certificate_ids: vec!["c2".into()],
            action: text("probe-r0"),
            when: Some(probe_conditions()),
            condition_values: 5,
            backends: route_backends.clone(),
            split: true,
        }],
        backends: vec![BackendPlan {
            weight: Some(10),
            effective_weight: 10,
            server_group: text("sg-2"),
            service: None,
            ..backend(0, 0, false)
        }],
        route_backends,
        targets: Targets::Pods,
        ip_targets: true,
        algorithm: Algorithm::LeastConnections,
        weighted: true,
        stickiness: Some(StickinessPlan {
            mode: StickyMode::Cookie,
            cookie_name: text("probe-cookie"),
            timeout_seconds: Some(1800),
        }),
        health_check: Some(health()),
        draining: Some(DrainingPlan {
            timeout_seconds: Some(30),
        }),
        slow_start: Some(SlowStartPlan {
            duration_seconds: 30,
        }),
        listener: ListenerPlan {
            tls_policy: text("probe-policy"),
            redirect_http_to_https: true,
            idle_timeout_seconds: Some(60),
            client_timeout_seconds: Some(60),
            backend_timeout_seconds: Some(60),
            http2: Some(true),
            backend_protocol: Some(BackendProtocol::Https),
            client_address: Some(crate::spec::model::ClientAddress::ProxyProtocol),
            forwarded_headers: vec![crate::spec::model::ForwardedHeader::ClientPort],
        },
        pass_through: true,
        traffic_policy: TrafficPolicy::Local,
        workload: Some(Workload {
            kind: WorkloadKind::Deployment,
            name: DnsLabel("web".into()),
            container: Some(DnsLabel("app".into())),
        }),
        access_control: Some(AccessControl {
            mode: AccessMode::Deny,
            acl_ids: vec!["acl-1".into()],
        }),
        // Every pack's block, so a pack's rules find `lb.<id>` whichever pack is probed.
        settings: registry()
            .packs()
            .map(|p| (p.id().to_string(), (p.settings().sample)()))
            .collect(),
    })
}

/// The sample plans rules are probed against (Service and Ingress exposure).
pub(super) fn sample_plans() -> Vec<Plan> {
    let Some(service) = service_plan() else {
        return Vec::new();
    };
    let mut ingress = service.clone();
    ingress.exposure = Exposure::Ingress;
    vec![service, ingress]
}

#[cfg(test)]
mod tests {
    #[test]
    fn samples_set_every_optional_field() {
        let plans = super::sample_plans();
        assert_eq!(plans.len(), 2);
        let lb = serde_json::to_value(&plans[0]).expect("a plan serialises");
        fn nulls(v: &serde_json::Value, at: &str, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Null => out.push(at.to_string()),
                serde_json::Value::Object(m) => m
                    .iter()
                    .for_each(|(k, v)| nulls(v, &format!("{at}.{k}"), out)),
                serde_json::Value::Array(a) if a.is_empty() => out.push(format!("{at}[]")),
                serde_json::Value::Array(a) => a.iter().for_each(|v| nulls(v, at, out)),
                _ => {}
            }
        }
        let mut unset = Vec::new();
        nulls(&lb, "lb", &mut unset);
        // A backend is a Service or a server group, never both.
        unset.retain(|p| !p.ends_with(".service") && !p.ends_with(".serverGroup"));
        assert!(unset.is_empty(), "unset in the probe: {unset:?}");
        let ingress = serde_json::to_value(&plans[1]).expect("a plan serialises");
        assert_eq!(ingress["exposure"], "ingress");
    }
}
