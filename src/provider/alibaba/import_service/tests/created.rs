//! The inverses of what only a created LB and an NLB TLS port carry (billing, zones, IP
//! version; extended and CA certificates) and the UDP health check, on documented and
//! hostile values; split from `tests.rs` to keep each file short.

use super::*;

#[test]
fn create_parameters_only_without_an_existing_lb() {
    let c = read(&[
        ("instance-charge-type", "PayByCLCU"),
        ("master-zoneid", "cn-hangzhou-k"),
        ("slave-zoneid", "cn-hangzhou-j"),
        ("ip-version", "ipv6"),
    ]);
    assert_eq!(
        at(&c, "loadBalancer.create.billing").map(|x| x.0),
        Some(json!("pay-by-usage"))
    );
    let zones = at(&c, "loadBalancer.create.zones").map(|x| x.0);
    assert_eq!(zones, Some(json!(["cn-hangzhou-k", "cn-hangzhou-j"])));
    assert_eq!(
        at(&c, "loadBalancer.create.ipVersion").map(|x| x.0),
        Some(json!("ipv6"))
    );
    let spec = value(
        &[("instance-charge-type", "PayBySpec")],
        "loadBalancer.create.billing",
    );
    assert_eq!(spec, Some(json!("pay-by-spec")));
    // With a spec, PayBySpec is the render's own default: no billing is read.
    let implied = [
        ("instance-charge-type", "PayBySpec"),
        ("spec", "slb.s1.small"),
    ];
    assert!(value(&implied, "loadBalancer.create.billing").is_none());
    let dual = read(&[
        ("ip-version", "DualStack"),
        ("ipv6-address-type", "internet"),
    ]);
    let (v, keys) = at(&dual, "loadBalancer.create.ipVersion").expect("dual stack");
    assert_eq!((v, keys.len()), (json!("dual-stack"), 2));
    let existing = read(&[
        ("id", "lb-x"),
        ("instance-charge-type", "PayByCLCU"),
        ("master-zoneid", "z"),
    ]);
    assert!(existing.is_empty());
    for (key, bad) in [
        ("instance-charge-type", "paybyclcu"),
        ("ip-version", "IPv6"),
        ("ip-version", "dual-stack"),
    ] {
        assert!(read(&[(key, bad)]).is_empty(), "{key}: {bad}");
    }
    assert!(read(&[("slave-zoneid", "z")]).is_empty());
    assert!(
        value(
            &[("master-zoneid", "z"), ("zone-maps", "z:v")],
            "loadBalancer.create.zones"
        )
        .is_none()
    );
}

#[test]
fn tls_ports_take_the_extended_and_ca_certificates() {
    let ports = || {
        vec![SharedField {
            keys: vec![format!("{P}protocol-port")],
            path: "ports",
            value: json!([{"port": 1883, "protocol": "TCP"}, {"port": 8883, "protocol": "TLS"}]),
        }]
    };
    let pairs = [
        ("additional-cert-ids", "a-cn-hangzhou,b-cn-hangzhou"),
        ("cacert", "on"),
        ("cacert-id", "ca-1"),
    ];
    let (v, keys) = at(&read_with(&pairs, ports()), "ports").expect("ports");
    assert_eq!(v[0], json!({"port": 1883, "protocol": "TCP"}));
    assert_eq!(
        v[1]["sniCertificateIds"],
        json!(["a-cn-hangzhou", "b-cn-hangzhou"])
    );
    assert_eq!(v[1]["caCertificateId"], json!("ca-1"));
    assert_eq!(
        keys,
        [
            "protocol-port",
            "additional-cert-ids",
            "cacert",
            "cacert-id"
        ]
    );
    // Without protocol-port's ports, or with hostile values, nothing is proposed.
    assert!(read(&pairs).is_empty());
    for bad in [
        [
            ("additional-cert-ids", "a,"),
            ("cacert", "off"),
            ("cacert-id", "ca-1"),
        ],
        [
            ("additional-cert-ids", ""),
            ("cacert", "on"),
            ("cacert-id", ""),
        ],
    ] {
        assert_eq!(read_with(&bad, ports()).len(), 1, "{bad:?}");
    }
}

#[test]
fn a_typeless_switched_on_check_of_udp_ports_is_udp() {
    let udp = value(&[("health-check-switch", "on")], "healthCheck.protocol");
    assert_eq!(udp, Some(json!("UDP")));
    let typed = [("health-check-switch", "on"), ("health-check-type", "tcp")];
    assert_ne!(value(&typed, "healthCheck.protocol"), Some(json!("UDP")));
    assert!(value(&[("health-check-switch", "off")], "healthCheck.protocol").is_none());
    let annotations = BTreeMap::from([(format!("{P}health-check-switch"), "on".to_string())]);
    for ports in [
        json!([]),
        json!([{"port": 53, "protocol": "UDP"}, {"port": 53}]),
        json!("x"),
    ] {
        let mut out = Vec::new();
        service_fields(&annotations, &json!({"spec": {"ports": ports}}), &mut out);
        assert!(out.is_empty(), "{ports}");
    }
}
