//! CLB and NLB Services: the annotations the CCM reads when it builds the load balancer,
//! its listeners and its (v)server groups.
//!
//! CLB: `pkg/controller/service/clbv1/` (loadbalancer.go, listeners.go, vgroups.go) and the
//! CCM's docs/usage.md; NLB (TCPSSL listeners for TLS ports, with extended certificates):
//! `pkg/controller/service/nlbv2/server_groups.go`
//! (`setServerGroupAttributeFromAnno`) and the ACK page "Configure NLB instances by using
//! annotations". Ids and zones reach delimited annotations (`zone-maps`, `vgroup-port`)
//! only after `policies/alibaba.yaml` has checked their shape, so no value can add a field.

use super::types::{
    ACL_ID, ACL_STATUS, ACL_TYPE, ADDITIONAL_CERT_IDS, ADDITIONAL_TAGS, ADDRESS_TYPE,
    AlibabaSettings, BACKEND_TYPE, BANDWIDTH, CACERT, CACERT_ID, CERT_ID, CHARGE_TYPE,
    CONNECTION_DRAIN, CONNECTION_DRAIN_TIMEOUT, COOKIE_TIMEOUT, FORCE_OVERRIDE,
    HEALTH_CHECK_CONNECT_PORT, HEALTH_CHECK_CONNECT_TIMEOUT, HEALTH_CHECK_DOMAIN,
    HEALTH_CHECK_FLAG, HEALTH_CHECK_HTTPCODE, HEALTH_CHECK_INTERVAL, HEALTH_CHECK_METHOD,
    HEALTH_CHECK_SWITCH, HEALTH_CHECK_TIMEOUT, HEALTH_CHECK_TYPE, HEALTH_CHECK_URI,
    HEALTHY_THRESHOLD, HOSTNAME, INSTANCE_CHARGE_TYPE, IP_VERSION, IPV6_ADDRESS_TYPE, LB_ID, LB_IP,
    LB_NAME, LoadBalancerType, MASTER_ZONE, NLB_CLASS, PERSISTENCE_TIMEOUT, PROTOCOL_PORT,
    SCHEDULER, SERVER_COOKIE, SERVER_GROUP_TYPE, SLAVE_ZONE, SPEC, STICKY_SESSION,
    STICKY_SESSION_TYPE, TLS_CIPHER_POLICY, UNHEALTHY_THRESHOLD, VGROUP_PORT, VSWITCH_ID, WEIGHT,
    ZONE_MAPS, http_codes,
};
use crate::diag::Diagnostic;
use crate::plan::{HealthPlan, Plan};
use crate::provider::{
    Annotations, Manifest, bandwidth, key_value_list, service_manifest, settings,
};
use crate::spec::model::{
    AccessMode, Algorithm, Billing, ChargeMode, HealthMethod, HealthProtocol, IpVersion, Network,
    Protocol, StickyMode, Targets,
};
use serde_json::{Value, json};

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

/// Whether the plan's Service is an NLB (`spec.alibaba.loadBalancerType: nlb`).
pub(super) fn is_nlb(plan: &Plan) -> bool {
    settings::of::<AlibabaSettings>(plan).load_balancer_type == Some(LoadBalancerType::Nlb)
}

/// The Service of a plan with `exposure: service`.
pub(super) fn service(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) -> Manifest {
    let nlb = is_nlb(plan);
    let mut a = Annotations::default();
    load_balancer(plan, nlb, &mut a);
    if !nlb {
        clb_access_control(plan, &mut a);
    }
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
            // CCM-DOC 11. (server cookie): CLB rewrites the application's cookie; no
            // cookie-timeout (the policy refuses a timeout, and the name's alphabet).
            StickyMode::AppCookie => {
                a.set(STICKY_SESSION, "on");
                a.set(STICKY_SESSION_TYPE, "server");
                if let Some(name) = &s.cookie_name {
                    a.set(SERVER_COOKIE, name.clone());
                }
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
    protocol_port(plan, nlb, &mut a);
    if let Some(cert) = plan.listeners.iter().find_map(|l| l.certificate_id.clone()) {
        a.set(CERT_ID, cert);
    }
    super::listener::service(plan, nlb, &mut a);
    // NLB extended certificates of the TCPSSL listeners (NLB annotation page, Configure
    // Extended Certificates); ids checked by `alibaba/sni-certificate-id` (no ',').
    if let Some(l) = plan
        .listeners
        .iter()
        .find(|l| nlb && l.protocol == Protocol::Tls && !l.sni_certificate_ids.is_empty())
    {
        a.set(ADDITIONAL_CERT_IDS, l.sni_certificate_ids.join(","));
    }
    // CLB HTTPS and NLB TCPSSL listeners (CLB page, Configure a security policy for the
    // listener; NLB page, Configure TLS Security Policy); `alibaba/tls-policy-values`.
    if let Some(policy) = &plan.listener.tls_policy {
        a.set(TLS_CIPHER_POLICY, policy.clone());
    }
    // NLB mutual authentication on the TCPSSL listeners (NLB page, Enable Mutual
    // Authentication: cacert "on" with cacert-id); CLB refuses it (`alibaba/clb-no-ca-certificate`).
    if let Some(ca) = plan
        .listeners
        .iter()
        .find_map(|l| l.ca_certificate_id.clone())
        .filter(|_| nlb)
    {
        a.set(CACERT, "on");
        a.set(CACERT_ID, ca);
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
    manifest.context["loadBalancerClass"] = if nlb { json!(NLB_CLASS) } else { Value::Null };
    manifest
}

/// `protocol-port`: protocol words from the enum and port numbers only, so nothing
/// user-written reaches the delimiters. CLB: every port once any is HTTP/HTTPS,
/// "https:443,http:80" (docs/usage.md, 20. forward port). NLB: the TLS ports only,
/// "tcpssl:443" (NLB annotation page, Create a TCP/SSL Listener: the TCP port beside it is
/// not listed).
fn protocol_port(plan: &Plan, nlb: bool, a: &mut Annotations) {
    let listed: Vec<String> = plan
        .listeners
        .iter()
        .filter_map(|l| {
            let word = match (nlb, l.protocol) {
                (true, Protocol::Tls) => "tcpssl",
                (true, _) => return None,
                (false, Protocol::Tcp) => "tcp",
                (false, Protocol::Udp) => "udp",
                (false, Protocol::Http) => "http",
                (false, Protocol::Https) => "https",
                // refused by `alibaba/clb-no-tls` (nearest: NLB)
                (false, Protocol::Tls) => return None,
            };
            Some(format!("{word}:{}", l.port))
        })
        .collect();
    let needed = plan.listeners.iter().any(|l| match l.protocol {
        Protocol::Http | Protocol::Https => !nlb,
        Protocol::Tls => nlb,
        Protocol::Tcp | Protocol::Udp => false,
    });
    if needed {
        a.set(PROTOCOL_PORT, listed.join(","));
    }
}

/// `ip-version`: a CLB takes `ipv4` | `ipv6`, an NLB `ipv4` | `DualStack` (CCM docs/usage.md,
/// 24. Create IPv6 LoadBalancer; NLB page, Create a Dual-Stack NLB); the other version of
/// each family is refused (`alibaba/clb-no-dual-stack`, `alibaba/nlb-alb-no-ipv6-only`). A
/// public dual-stack NLB makes its IPv6 address public too (`ipv6-address-type: internet`;
/// the CCM's default is intranet: NLB page, Specify IPv6 Public or Private Network Type).
fn ip_version(plan: &Plan, nlb: bool, version: IpVersion, a: &mut Annotations) {
    match (nlb, version) {
        (_, IpVersion::Ipv4) => a.set(IP_VERSION, "ipv4"),
        (false, IpVersion::Ipv6) => a.set(IP_VERSION, "ipv6"),
        (true, IpVersion::DualStack) => {
            a.set(IP_VERSION, "DualStack");
            if plan.network == Network::Public {
                a.set(IPV6_ADDRESS_TYPE, "internet");
            }
        }
        (false, IpVersion::DualStack) | (true, IpVersion::Ipv6) => {}
    }
}

/// An existing LB, or the creation parameters of a new one.
fn load_balancer(plan: &Plan, nlb: bool, a: &mut Annotations) {
    let lb = &plan.load_balancer;
    if !lb.tags.is_empty() {
        // "k1=v1,k2=v2" (CLB and NLB pages; the CCM tags a reused instance too, from v2.10.0).
        a.set(ADDITIONAL_TAGS, key_value_list(&lb.tags));
    }
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
    if let Some(version) = create.ip_version {
        ip_version(plan, nlb, version, a);
    }
    if nlb {
        // "zone:vsw,zone:vsw" (NLB annotation page, zone-maps); zones and vSwitch ids are
        // checked against their documented shapes first (`alibaba/zone-id`, `/vswitch-id`).
        // An EIP per zone is the fourth part, after an empty private address
        // ("zone:vsw::eip-...", nlbv2 parseZoneMappings; shape `alibaba/eip-id`).
        let maps: Vec<String> = create
            .zones
            .iter()
            .zip(&create.subnet_ids)
            .enumerate()
            .map(|(i, (z, v))| match create.eip_ids.get(i) {
                Some(eip) => format!("{z}:{v}::{eip}"),
                None => format!("{z}:{v}"),
            })
            .collect();
        a.set(ZONE_MAPS, maps.join(","));
    } else {
        if let Some(vsw) = &create.subnet_id {
            a.set(VSWITCH_ID, vsw.clone());
        }
        if let Some(ip) = &create.address {
            // An IP address, checked while the spec is read; intranet with a vSwitch only
            // (`alibaba/clb-address-intranet`).
            a.set(LB_IP, ip.0.clone());
        }
        if let Some(spec) = &create.l4_flavor {
            a.set(SPEC, spec.clone());
        }
        // A spec needs pay-by-spec: an empty instance-charge-type means PayByCLCU
        // (pkg/model/load_balancer.go `IsPayByCLCU`), which takes no spec; PayBySpec without
        // a spec gets the CCM's default spec (clbv1/loadbalancer.go). pay-by-usage with a
        // spec is refused (`alibaba/clb-usage-billing-no-spec`).
        match (create.billing, create.l4_flavor.is_some()) {
            (Some(Billing::PayByUsage), _) => a.set(INSTANCE_CHARGE_TYPE, "PayByCLCU"),
            (Some(Billing::PayBySpec), _) | (None, true) => {
                a.set(INSTANCE_CHARGE_TYPE, "PayBySpec")
            }
            (None, false) => {}
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

/// CLB listener access control (docs/usage.md, 18. Create LoadBalancer with acl: all three
/// annotations are mandatory): one ACL id, which the policy checks has the `acl-` shape
/// (`alibaba/clb-acl-id`), so no value can reach the CCM's ',' split of the id. NLB has no
/// ACL (`alibaba/nlb-no-acl`).
fn clb_access_control(plan: &Plan, a: &mut Annotations) {
    let Some(acl) = &plan.access_control else {
        return;
    };
    a.set(ACL_STATUS, "on");
    a.set(ACL_ID, acl.acl_ids.join(","));
    a.set(
        ACL_TYPE,
        match acl.mode {
            AccessMode::Allow => "white",
            AccessMode::Deny => "black",
        },
    );
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
