//! The Alibaba pack against the providers' own contracts, one test per defect of the
//! fidelity pass: each asserts what the document says the controller reads (sources in the
//! test comments), so it fails if lbgen drifts from the document, not from itself.

mod common;

use serde_json::Value;

const P: &str = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-";

fn spec(body: &str) -> String {
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: web, namespace: shop}}\nspec:\n  provider: alibaba\n{body}"
    )
}

fn render(body: &str) -> String {
    let text = spec(body);
    match common::compile(&text) {
        Ok((stream, _)) => stream,
        Err(d) => panic!("{text}\n{d:#?}"),
    }
}

fn annotations(stream: &str, kind: &str) -> serde_json::Map<String, Value> {
    common::object(stream, kind)["metadata"]["annotations"]
        .as_object()
        .cloned()
        .unwrap_or_default()
}

fn errors(body: &str) -> Vec<lbgen::diag::Diagnostic> {
    match common::compile(&spec(body)) {
        Ok((stream, _)) => panic!("rendered, expected errors:\n{stream}"),
        Err(d) => d,
    }
}

/// ACK CLB page, "Configure UDP health checks"; clbv1/listeners.go applies
/// health-check-type to TCP listeners only: a UDP check is the switch plus its settings.
#[test]
fn a_udp_health_check_on_udp_ports_has_no_type() {
    let stream = render(
        "  exposure: service\n  selector: {app: dns}\n  ports: [{port: 53, protocol: UDP}]\n  healthCheck: {protocol: UDP, port: 53, interval: 3s, timeout: 8s, retries: 4}\n",
    );
    let a = annotations(&stream, "Service");
    assert_eq!(a[&format!("{P}health-check-switch")], "on");
    assert_eq!(a[&format!("{P}health-check-connect-timeout")], "8");
    assert_eq!(a[&format!("{P}health-check-interval")], "3");
    assert_eq!(a[&format!("{P}health-check-connect-port")], "53");
    assert_eq!(a[&format!("{P}healthy-threshold")], "4");
    assert!(!a.contains_key(&format!("{P}health-check-type")), "{a:#?}");
    assert!(!a.contains_key(&format!("{P}health-check-flag")), "{a:#?}");
}

/// A UDP check on a TCP port would be checked with TCP by the CLB: refused, located.
#[test]
fn a_udp_health_check_on_a_tcp_port_is_refused() {
    let d = errors(
        "  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  healthCheck: {protocol: UDP}\n",
    );
    let e = d
        .iter()
        .find(|d| d.rule == "alibaba/health-protocol")
        .expect("health-protocol");
    let at = e.location.as_ref().expect("located");
    assert_eq!(at.line, 9, "{e:#?}");
}

/// pkg/model/load_balancer.go `IsPayByCLCU`: an empty instance-charge-type is PayByCLCU,
/// which takes no spec; the spec needs PayBySpec beside it.
#[test]
fn a_clb_spec_comes_with_pay_by_spec() {
    let stream = render(
        "  exposure: service\n  network: public\n  selector: {app: web}\n  ports: [{port: 80}]\n  loadBalancer: {create: {l4Flavor: slb.s2.small}}\n",
    );
    let a = annotations(&stream, "Service");
    assert_eq!(a[&format!("{P}spec")], "slb.s2.small");
    assert_eq!(a[&format!("{P}instance-charge-type")], "PayBySpec");
    let without = render(
        "  exposure: service\n  network: public\n  selector: {app: web}\n  ports: [{port: 80}]\n",
    );
    assert!(!annotations(&without, "Service").contains_key(&format!("{P}instance-charge-type")));
}

/// NLB annotation page: wlc is a scheduler; health checks are read by
/// nlbv2/server_groups.go (flag "on", type tcp|http, uri, connect port and timeout, ...).
#[test]
fn nlb_takes_wlc_and_http_health_checks() {
    let stream = render(
        "  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  alibaba: {loadBalancerType: nlb}\n  loadBalancer: {create: {zones: [cn-hangzhou-k, cn-hangzhou-j], subnetIds: [vsw-i123456, vsw-j654321]}}\n  algorithm: least-connections\n  healthCheck: {protocol: HTTP, path: /test/index.html, port: 8080, interval: 5s, timeout: 10s, retries: 4}\n",
    );
    let a = annotations(&stream, "Service");
    assert_eq!(a[&format!("{P}scheduler")], "wlc");
    assert_eq!(a[&format!("{P}health-check-flag")], "on");
    assert_eq!(a[&format!("{P}health-check-type")], "http");
    assert_eq!(a[&format!("{P}health-check-uri")], "/test/index.html");
    assert_eq!(a[&format!("{P}health-check-connect-port")], "8080");
    // NLB waits with connect-timeout for HTTP checks too (nlb-usage.md HTTP example).
    assert_eq!(a[&format!("{P}health-check-connect-timeout")], "10");
    assert!(!a.contains_key(&format!("{P}health-check-timeout")));
    assert!(!a.contains_key(&format!("{P}health-check-switch")));
    assert_eq!(a[&format!("{P}healthy-threshold")], "4");
    assert_eq!(a[&format!("{P}unhealthy-threshold")], "4");
    let off = render(
        "  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  alibaba: {loadBalancerType: nlb}\n  loadBalancer: {create: {zones: [cn-hangzhou-k, cn-hangzhou-j], subnetIds: [vsw-i123456, vsw-j654321]}}\n  healthCheck: {enabled: false, interval: 5s}\n",
    );
    let a = annotations(&off, "Service");
    assert_eq!(a[&format!("{P}health-check-flag")], "off");
    assert!(!a.contains_key(&format!("{P}health-check-interval")));
}

/// The CCM's NLB e2e tests (test/e2e/testcase/service/nlbv2/backend.go) check UDP ports
/// with `health-check-type: udp`; unlike a CLB, the type is written.
#[test]
fn nlb_checks_udp_ports_with_udp() {
    let stream = render(
        "  exposure: service\n  selector: {app: dns}\n  ports: [{port: 53, protocol: UDP}]\n  alibaba: {loadBalancerType: nlb}\n  loadBalancer: {create: {zones: [cn-hangzhou-k, cn-hangzhou-j], subnetIds: [vsw-i123456, vsw-j654321]}}\n  healthCheck: {protocol: UDP, timeout: 5s, interval: 5s, retries: 4}\n",
    );
    let a = annotations(&stream, "Service");
    assert_eq!(a[&format!("{P}health-check-flag")], "on");
    assert_eq!(a[&format!("{P}health-check-type")], "udp");
    assert_eq!(a[&format!("{P}health-check-connect-timeout")], "5");
}

/// NLB annotation page, "Configure Server Group Type": `Ip` server groups register
/// backends by address, the one IP-target mode of the pack; a CLB has none.
#[test]
fn ip_targets_are_an_nlb_server_group_type() {
    let stream = render(
        "  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  alibaba: {loadBalancerType: nlb}\n  loadBalancer: {create: {zones: [cn-hangzhou-k, cn-hangzhou-j], subnetIds: [vsw-i123456, vsw-j654321]}}\n  ipTargets: true\n",
    );
    assert_eq!(
        annotations(&stream, "Service")[&format!("{P}server-group-type")],
        "Ip"
    );
    let d = errors(
        "  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  ipTargets: true\n",
    );
    assert!(
        d.iter().any(|d| d.rule == "alibaba/ip-targets-unsupported"),
        "{d:#?}"
    );
}

/// NLB annotation page, "Reuse an Existing Server Group" (existing NLB only), read by
/// nlbv2/server_groups.go as `sgp-...:<port>` pairs with one weight.
#[test]
fn an_existing_nlb_reuses_server_groups() {
    let stream = render(
        "  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  alibaba: {loadBalancerType: nlb}\n  loadBalancer: {id: nlb-wb7r6dlwetvt5j}\n  backends: [{serverGroup: sgp-2ze6j4phkw2xxxx, port: 80, weight: 60}]\n",
    );
    let a = annotations(&stream, "Service");
    assert_eq!(a[&format!("{P}vgroup-port")], "sgp-2ze6j4phkw2xxxx:80");
    assert_eq!(a[&format!("{P}weight")], "60");
}

/// ACK ALB dictionary: healthcheck-enabled defaults to false; lbgen writes only what the
/// spec says: nothing without healthCheck, "false" for enabled: false.
#[test]
fn alb_health_checks_follow_the_spec() {
    let route = "  exposure: ingress\n  loadBalancer: {ingressClass: alb}\n  routes: [{path: /, backends: [{service: web, port: 80}]}]\n";
    let none = annotations(&render(route), "Ingress");
    assert!(!none.keys().any(|k| k.contains("healthcheck")), "{none:#?}");
    let off = annotations(
        &render(&format!("{route}  healthCheck: {{enabled: false}}\n")),
        "Ingress",
    );
    assert_eq!(
        off["alb.ingress.kubernetes.io/healthcheck-enabled"],
        "false"
    );
    let on = annotations(
        &render(&format!("{route}  healthCheck: {{protocol: TCP}}\n")),
        "Ingress",
    );
    assert_eq!(on["alb.ingress.kubernetes.io/healthcheck-enabled"], "true");
    assert_eq!(on["alb.ingress.kubernetes.io/healthcheck-protocol"], "TCP");
}

const TWO_CERTS: &str = "  exposure: ingress\n  network: public\n  loadBalancer: {create: {subnetIds: [vsw-i123456, vsw-j654321]}}\n  routes:\n    - {host: a.example.com, path: /, tls: {certificateId: 111-cn-hangzhou}, backends: [{service: a, port: 80}]}\n    - {host: b.example.com, path: /, tls: {certificateId: 222-cn-hangzhou}, backends: [{service: b, port: 80}]}\n    - {host: a.example.com, path: /x, tls: {certificateId: 111-cn-hangzhou}, backends: [{service: a, port: 80}]}\n";

/// AlbConfig Certificate: every certificate of a listener, one default.
#[test]
fn every_certificate_reaches_the_albconfig_listener() {
    let stream = render(TWO_CERTS);
    let config = common::object(&stream, "AlbConfig");
    let listeners = config["spec"]["listeners"].as_array().expect("listeners");
    assert_eq!(listeners.len(), 1, "{listeners:#?}");
    assert_eq!(
        listeners[0]["certificates"],
        serde_json::json!([
            {"CertificateId": "111-cn-hangzhou", "IsDefault": true},
            {"CertificateId": "222-cn-hangzhou", "IsDefault": false}
        ])
    );
}

/// TLS hosts each once, in order of first appearance, however the routes interleave.
#[test]
fn tls_hosts_are_deduplicated_in_order() {
    let stream = render(TWO_CERTS);
    let ingress = common::object(&stream, "Ingress");
    assert_eq!(
        ingress["spec"]["tls"],
        serde_json::json!([{"hosts": ["a.example.com", "b.example.com"]}])
    );
}

/// The cluster-scoped AlbConfig / IngressClass names of `a-b/c` and `a/b-c` differ.
#[test]
fn cluster_scoped_names_never_collide() {
    let body = "spec:\n  provider: alibaba\n  exposure: ingress\n  loadBalancer: {create: {subnetIds: [vsw-i123456, vsw-j654321]}}\n  routes: [{path: /, backends: [{service: web, port: 80}]}]\n";
    let one = |ns: &str, name: &str| {
        let text = format!(
            "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: {name}, namespace: {ns}}}\n{body}"
        );
        let (stream, _) = common::compile(&text).expect("renders");
        let class = common::object(&stream, "IngressClass")["metadata"]["name"].clone();
        let config = common::object(&stream, "AlbConfig")["metadata"]["name"].clone();
        let used = common::object(&stream, "Ingress")["spec"]["ingressClassName"].clone();
        assert_eq!(class, config);
        assert_eq!(class, used);
        class
    };
    let first = one("a-b", "c");
    let second = one("a", "b-c");
    assert_ne!(first, second);
    assert_eq!(first, "a-b.c");
    // The longest names still fit a DNS-1123 subdomain without being cut.
    let long = one(&"n".repeat(63), &format!("x{}", "y".repeat(62)));
    assert_eq!(long.as_str().map(str::len), Some(127));
}

/// A zone `cn-hangzhou-k:vsw-x,cn-hangzhou-j` would add a zone map to `zone-maps`; refused
/// at its own location, as is a vServer group id with a `,` for `vgroup-port`.
#[test]
fn delimiters_in_ids_are_refused_where_they_are_written() {
    let d = errors(
        "  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  alibaba: {loadBalancerType: nlb}\n  loadBalancer:\n    create:\n      zones: ['cn-hangzhou-k:vsw-x,cn-hangzhou-j', cn-hangzhou-j]\n      subnetIds: [vsw-i123456, vsw-j654321]\n",
    );
    let zone = d
        .iter()
        .find(|d| d.rule == "alibaba/zone-id")
        .expect("zone-id");
    assert_eq!(
        zone.field.as_deref(),
        Some("spec.loadBalancer.create.zones[0]")
    );
    let at = zone.location.as_ref().expect("located");
    assert_eq!((at.line, at.column), (12, 15), "{zone:#?}");
    let d = errors(
        "  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  loadBalancer: {id: lb-2zeo2m4j7rg5y0jv2xxxx}\n  backends: [{serverGroup: 'rsp-a:443,rsp-b', port: 80, weight: 60}]\n",
    );
    assert!(d.iter().any(|d| d.rule == "alibaba/server-group-id"
        && d.field.as_deref() == Some("spec.backends[0].serverGroup")
        && d.location.is_some()));
}

/// Nothing the spec says is dropped: fields the pack does not write are errors.
#[test]
fn unwritten_create_fields_are_errors() {
    for (body, rule) in [
        (
            "  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  loadBalancer: {create: {zones: [cn-hangzhou-k, cn-hangzhou-j, cn-hangzhou-h]}}\n",
            "alibaba/clb-create-fields",
        ),
        (
            "  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  loadBalancer: {create: {eipType: 5_bgp}}\n",
            "alibaba/create-fields-unused",
        ),
        (
            "  exposure: ingress\n  loadBalancer: {ingressClass: alb, create: {name: my-alb}}\n  routes: [{path: /, backends: [{service: web, port: 80}]}]\n",
            "alibaba/ingress-class-owns-the-alb",
        ),
    ] {
        let d = errors(body);
        assert!(d.iter().any(|d| d.rule == rule), "{rule}: {d:#?}");
    }
}

/// ACK NLB page, "Specify the NLB EIP instance ID" (zone-maps `{zone}:{vSwitchID}:{private
/// IP}:{EIP ID}`, e.g. `cn-hangzhou-k:vsw-i123456::eip-12345`, CCM v2.12.1); nlbv2
/// `parseZoneMappings` reads the fourth `:` part of each `,` entry as the zone's EIP.
#[test]
fn nlb_eips_are_the_fourth_part_of_each_zone_map() {
    let stream = render(
        "  exposure: service\n  network: public\n  alibaba: {loadBalancerType: nlb}\n  selector: {app: web}\n  ports: [{port: 80}]\n  loadBalancer:\n    create: {zones: [cn-hangzhou-k, cn-hangzhou-j], subnetIds: [vsw-i123456, vsw-j654321], eipIds: [eip-12345, eip-67890]}\n",
    );
    let a = annotations(&stream, "Service");
    assert_eq!(
        a[&format!("{P}zone-maps")],
        "cn-hangzhou-k:vsw-i123456::eip-12345,cn-hangzhou-j:vsw-j654321::eip-67890"
    );
}

/// ACK "Configure ALB instances with AlbConfig", Create an AlbConfig: each zoneMappings
/// entry takes the vSwitch and, optionally, `allocationId: eip-...` (the controller's
/// ZoneMapping `allocationId`, "The ID of the EIP").
#[test]
fn alb_eips_are_the_allocation_ids_of_the_zone_mappings() {
    let stream = render(
        "  exposure: ingress\n  network: public\n  routes: [{path: /, backends: [{service: web, port: 80}]}]\n  loadBalancer:\n    create: {subnetIds: [vsw-uf6ccg2a9g71hx8go1234, vsw-uf6nun9tql5t8nh151234], eipIds: [eip-asdfas1234, eip-dpfmss1234]}\n",
    );
    let config = &common::object(&stream, "AlbConfig")["spec"]["config"];
    assert_eq!(
        config["zoneMappings"],
        serde_json::json!([
            {"vSwitchId": "vsw-uf6ccg2a9g71hx8go1234", "allocationId": "eip-asdfas1234"},
            {"vSwitchId": "vsw-uf6nun9tql5t8nh151234", "allocationId": "eip-dpfmss1234"}
        ])
    );
    assert_eq!(config["addressType"], "Internet");
}

/// Without eipIds the zone maps and zone mappings are as before the field existed.
#[test]
fn without_eip_ids_the_zone_maps_carry_no_eip_part() {
    let stream = render(
        "  exposure: service\n  network: public\n  alibaba: {loadBalancerType: nlb}\n  selector: {app: web}\n  ports: [{port: 80}]\n  loadBalancer:\n    create: {zones: [cn-hangzhou-k, cn-hangzhou-j], subnetIds: [vsw-i123456, vsw-j654321]}\n",
    );
    let a = annotations(&stream, "Service");
    assert_eq!(
        a[&format!("{P}zone-maps")],
        "cn-hangzhou-k:vsw-i123456,cn-hangzhou-j:vsw-j654321"
    );
}
