//! CLB and NLB Services: the annotations the CCM reads when it builds the load balancer,
//! its listeners and its (v)server groups.
//!
//! CLB: `pkg/controller/service/clbv1/` (loadbalancer.go, listeners.go, vgroups.go) and the
//! CCM's docs/usage.md; NLB: `pkg/controller/service/nlbv2/server_groups.go`
//! (`setServerGroupAttributeFromAnno`) and the ACK page "Configure NLB instances by using
//! annotations". Ids and zones reach delimited annotations (`zone-maps`, `vgroup-port`)
//! only after `policies/alibaba.yaml` has checked their shape, so no value can add a field.

use super::types::{
    ADDRESS_TYPE, AlibabaSettings, BACKEND_TYPE, BANDWIDTH, CERT_ID, CHARGE_TYPE, CONNECTION_DRAIN,
    CONNECTION_DRAIN_TIMEOUT, COOKIE_TIMEOUT, FORCE_OVERRIDE, HEALTH_CHECK_CONNECT_PORT,
    HEALTH_CHECK_CONNECT_TIMEOUT, HEALTH_CHECK_DOMAIN, HEALTH_CHECK_FLAG, HEALTH_CHECK_HTTPCODE,
    HEALTH_CHECK_INTERVAL, HEALTH_CHECK_METHOD, HEALTH_CHECK_SWITCH, HEALTH_CHECK_TIMEOUT,
    HEALTH_CHECK_TYPE, HEALTH_CHECK_URI, HEALTHY_THRESHOLD, HOSTNAME, INSTANCE_CHARGE_TYPE, LB_ID,
    LB_NAME, LoadBalancerType, MASTER_ZONE, PERSISTENCE_TIMEOUT, PROTOCOL_PORT, SCHEDULER,
    SERVER_GROUP_TYPE, SLAVE_ZONE, SPEC, STICKY_SESSION, STICKY_SESSION_TYPE, UNHEALTHY_THRESHOLD,
    VGROUP_PORT, VSWITCH_ID, WEIGHT, ZONE_MAPS, http_codes,
};
use crate::diag::Diagnostic;
use crate::plan::{HealthPlan, Plan};
use crate::provider::{Annotations, Manifest, bandwidth, service_manifest, settings};
use crate::spec::model::{
    Algorithm, ChargeMode, HealthMethod, HealthProtocol, Network, Protocol, StickyMode, Targets,
};
use serde_json::{Value, json};

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

/// The Service of a plan with `exposure: service`.
pub(super) fn service(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) -> Manifest {
    let nlb =
        settings::of::<AlibabaSettings>(plan).load_balancer_type == Some(LoadBalancerType::Nlb);
    let mut a = Annotations::default();
    load_balancer(plan, nlb, &mut a);
    // Always written: the CCM sets a scheduler only when the annotation names one
    // (clbv1/listeners.go `isNeedUpdate`, nlbv2/server_groups.go), so leaving it out
    // would never undo an earlier choice.
    a.set(SCHEDULER, scheduler(plan.algorithm));
    if let Some(s) = &plan.stickiness {
        let seconds = s.timeout_seconds.unwrap_or_default().to_string();
        match s.mode {
            StickyMode::SourceIp => a.set(PERSISTENCE_TIMEOUT, seconds),
            StickyMode::Cookie => {
                a.set(STICKY_SESSION, "on");
                a.set(STICKY_SESSION_TYPE, "insert");
                a.set(COOKIE_TIMEOUT, seconds);
            }
        }
    }
    if let Some(h) = &plan.health_check {
        if nlb {
            nlb_health(h, &mut a);
        } else {
            clb_health(plan, h, &mut a);
        }
    }
    if let Some(d) = &plan.draining {
        // CLB page, Configure connection draining for the listener, and the NLB page,
        // Configure connection draining: "on" plus the timeout in seconds (CLB TCP/UDP
        // listeners only, 10..900; NLB 0..900: `policies/alibaba.yaml`).
        a.set(CONNECTION_DRAIN, "on");
        if let Some(t) = d.timeout_seconds {
            a.set(CONNECTION_DRAIN_TIMEOUT, t.to_string());
        }
    }
    let l7 = plan
        .listeners
        .iter()
        .any(|l| matches!(l.protocol, Protocol::Http | Protocol::Https));
    if l7 {
        // "https:443,http:80" (docs/usage.md, 20. forward port): protocols from the enum,
        // ports are numbers, so nothing user-written reaches the delimiters.
        let protocol_port: Vec<String> = plan
            .listeners
            .iter()
            .map(|l| format!("{}:{}", l.protocol.as_str().to_ascii_lowercase(), l.port))
            .collect();
        a.set(PROTOCOL_PORT, protocol_port.join(","));
    }
    if let Some(cert) = plan.listeners.iter().find_map(|l| l.certificate_id.clone()) {
        a.set(CERT_ID, cert);
    }
    if plan.targets == Targets::Pods {
        a.set(BACKEND_TYPE, "eni");
    }
    if nlb && plan.ip_targets {
        // NLB server groups of type Ip register nodes and ENIs by address (NLB annotation
        // page, "Configure Server Group Type"; nlbv2/server_groups.go `IpServerGroupType`).
        a.set(SERVER_GROUP_TYPE, "Ip");
    }
    // "rsp-...:<port>" pairs (clbv1/listeners.go `vgroup`); the policy checks the ids
    // (`alibaba/server-group-id`) and that each port is a number.
    let groups: Vec<String> = plan
        .backends
        .iter()
        .filter_map(|b| Some(format!("{}:{}", b.server_group.as_ref()?, b.port.as_ref()?)))
        .collect();
    if !groups.is_empty() {
        a.set(VGROUP_PORT, groups.join(","));
        if let Some(w) = plan.backends.iter().find_map(|b| b.weight) {
            a.set(WEIGHT, w.to_string());
        }
    }
    if let (true, Some(host)) = (plan.pass_through, &plan.load_balancer.hostname) {
        a.set(HOSTNAME, host.clone());
    }
    let mut manifest = service_manifest(plan, "alibaba/service.yaml", a, diagnostics);
    manifest.context["loadBalancerClass"] = if nlb {
        json!("alibabacloud.com/nlb")
    } else {
        Value::Null
    };
    manifest
}

/// An existing LB, or the creation parameters of a new one.
fn load_balancer(plan: &Plan, nlb: bool, a: &mut Annotations) {
    let lb = &plan.load_balancer;
    if let Some(id) = &lb.id {
        a.set(LB_ID, id.clone());
        a.set(FORCE_OVERRIDE, lb.override_listeners.to_string());
        return;
    }
    let Some(create) = &lb.create else {
        return;
    };
    // The CCM's default is internet (annotations.go `DefaultValue`), so only an internal LB
    // needs the annotation; the address type cannot change after creation either way.
    if plan.network == Network::Internal {
        a.set(ADDRESS_TYPE, "intranet");
    }
    if nlb {
        // "zone:vsw,zone:vsw" (NLB annotation page, zone-maps); zones and vSwitch ids are
        // checked against their documented shapes first (`alibaba/zone-id`, `/vswitch-id`).
        let maps: Vec<String> = create
            .zones
            .iter()
            .zip(&create.subnet_ids)
            .map(|(z, v)| format!("{z}:{v}"))
            .collect();
        a.set(ZONE_MAPS, maps.join(","));
    } else {
        if let Some(vsw) = &create.subnet_id {
            a.set(VSWITCH_ID, vsw.clone());
        }
        if let Some(spec) = &create.l4_flavor {
            // A spec needs pay-by-spec: an empty instance-charge-type means PayByCLCU
            // (pkg/model/load_balancer.go `IsPayByCLCU`), which takes no spec.
            a.set(SPEC, spec.clone());
            a.set(INSTANCE_CHARGE_TYPE, "PayBySpec");
        }
        if let Some(z) = create.zones.first() {
            a.set(MASTER_ZONE, z.clone());
        }
        if let Some(z) = create.zones.get(1) {
            a.set(SLAVE_ZONE, z.clone());
        }
    }
    if let Some(name) = &create.name {
        a.set(LB_NAME, name.clone());
    }
    bandwidth(a, create, (CHARGE_TYPE, BANDWIDTH), |mode| match mode {
        ChargeMode::Bandwidth => "paybybandwidth",
        ChargeMode::Traffic => "paybytraffic",
    });
}

/// CLB (docs/usage.md, 17. Setting scheduler) and NLB (NLB annotation page, "Specify the
/// scheduling algorithm") spell the schedulers alike, in lower case.
fn scheduler(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::RoundRobin => "wrr",
        Algorithm::LeastConnections => "wlc",
        Algorithm::SourceIp => "sch",
    }
}

/// CLB health checks: TCP/UDP listeners switch with `health-check-switch`, HTTP/HTTPS
/// listeners with `health-check-flag` (annotations.go comments). The type is for TCP
/// listeners (clbv1/listeners.go applies it to TCP only): a UDP check has none ("Configure
/// UDP health checks" on the ACK CLB annotation page).
fn clb_health(plan: &Plan, h: &HealthPlan, a: &mut Annotations) {
    let l4 = plan
        .listeners
        .iter()
        .any(|l| matches!(l.protocol, Protocol::Tcp | Protocol::Udp));
    let l7 = plan
        .listeners
        .iter()
        .any(|l| matches!(l.protocol, Protocol::Http | Protocol::Https));
    if l4 {
        a.set(HEALTH_CHECK_SWITCH, on_off(h.enabled));
    }
    if l7 {
        a.set(HEALTH_CHECK_FLAG, on_off(h.enabled));
    }
    if !h.enabled {
        return;
    }
    let http = h.protocol == Some(HealthProtocol::Http);
    match h.protocol {
        Some(HealthProtocol::Http) => a.set(HEALTH_CHECK_TYPE, "http"),
        Some(HealthProtocol::Tcp) => a.set(HEALTH_CHECK_TYPE, "tcp"),
        Some(HealthProtocol::Udp) | None => {}
    }
    // An HTTP check waits with health-check-timeout, TCP and UDP ones with
    // health-check-connect-timeout (docs/usage.md, 16. a and b).
    let timeout = if http {
        HEALTH_CHECK_TIMEOUT
    } else {
        HEALTH_CHECK_CONNECT_TIMEOUT
    };
    probe_settings(h, timeout, a);
}

/// NLB server-group health checks (nlbv2/server_groups.go reads the flag as `on`, then the
/// type `tcp`/`http`/`udp`, uri, connect port, connect timeout, interval and thresholds).
fn nlb_health(h: &HealthPlan, a: &mut Annotations) {
    a.set(HEALTH_CHECK_FLAG, on_off(h.enabled));
    if !h.enabled {
        return;
    }
    // tcp and http (nlb-usage.md); udp for UDP ports (test/e2e/testcase/service/nlbv2/backend.go)
    let kind = match h.protocol {
        Some(HealthProtocol::Http) => Some("http"),
        Some(HealthProtocol::Tcp) => Some("tcp"),
        Some(HealthProtocol::Udp) => Some("udp"),
        None => None,
    };
    if let Some(kind) = kind {
        a.set(HEALTH_CHECK_TYPE, kind);
    }
    probe_settings(h, HEALTH_CHECK_CONNECT_TIMEOUT, a);
}

/// The settings CLB and NLB share: uri, connect port, interval, timeout (under the key
/// `timeout_key`), thresholds, and the HTTP check's status codes, method and domain.
fn probe_settings(h: &HealthPlan, timeout_key: &str, a: &mut Annotations) {
    if let Some(path) = &h.path {
        a.set(HEALTH_CHECK_URI, path.clone());
    }
    if let Some(port) = h.port {
        a.set(HEALTH_CHECK_CONNECT_PORT, port.to_string());
    }
    if let Some(i) = h.interval_seconds {
        a.set(HEALTH_CHECK_INTERVAL, i.to_string());
    }
    if let Some(t) = h.timeout_seconds {
        a.set(timeout_key, t.to_string());
    }
    if let Some(r) = h.retries {
        a.set(HEALTHY_THRESHOLD, r.to_string());
        a.set(UNHEALTHY_THRESHOLD, r.to_string());
    }
    // CLB annotation page, Configure HTTP health checks: httpcode "http_4xx", domain
    // "www.aliyun.com", method "head"; NLB annotation page (and NLB-DOC's example, "head"):
    // the same keys. Lower case, as both pages' examples write the method.
    if let Some(codes) = &h.success_codes {
        a.set(HEALTH_CHECK_HTTPCODE, http_codes(codes));
    }
    if let Some(method) = h.method {
        a.set(
            HEALTH_CHECK_METHOD,
            match method {
                HealthMethod::Get => "get",
                HealthMethod::Head => "head",
            },
        );
    }
    if let Some(host) = &h.host {
        a.set(HEALTH_CHECK_DOMAIN, host.clone());
    }
}
