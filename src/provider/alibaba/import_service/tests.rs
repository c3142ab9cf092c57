//! Each inverse of `import_service` on the values its writer writes (the documented
//! examples of the CLB and NLB annotation pages), and on hostile ones: wrong words, wrong
//! shapes, numbers out of range. A value that does not read proposes nothing (the key stays
//! a raw annotation); nothing panics.

use super::*;

mod created;

const P: &str = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-";

fn read_with(pairs: &[(&str, &str)], before: Vec<SharedField>) -> Vec<SharedField> {
    let annotations: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (format!("{P}{k}"), v.to_string()))
        .collect();
    let mut out = before;
    let spec = json!({"spec": {"ports": [{"port": 53, "protocol": "UDP"}]}});
    service_fields(&annotations, &spec, &mut out);
    out
}

fn read(pairs: &[(&str, &str)]) -> Vec<SharedField> {
    read_with(pairs, Vec::new())
}

/// The value proposed for `path`, and the keys (without the prefix) it accounts for.
fn at(fields: &[SharedField], path: &str) -> Option<(Value, Vec<String>)> {
    let f = fields.iter().rev().find(|f| f.path == path)?;
    let keys = f.keys.iter().map(|k| k.replace(P, "")).collect();
    Some((f.value.clone(), keys))
}

fn value(pairs: &[(&str, &str)], path: &str) -> Option<Value> {
    at(&read(pairs), path).map(|(v, _)| v)
}

#[test]
fn listener_keys_read_back_as_listener_fields() {
    let l = read(&[
        ("http2-enabled", "on"),
        ("idle-timeout", "30"),
        ("request-timeout", "120"),
        ("tls-cipher-policy", "tls_cipher_policy_1_2"),
        ("forward-port", "80:443,8080:443"),
    ]);
    assert_eq!(at(&l, "listener.http2").map(|x| x.0), Some(json!(true)));
    assert_eq!(
        at(&l, "listener.idleTimeout").map(|x| x.0),
        Some(json!("30s"))
    );
    assert_eq!(
        at(&l, "listener.backendTimeout").map(|x| x.0),
        Some(json!("2m"))
    );
    let policy = at(&l, "listener.tlsPolicy").map(|x| x.0);
    assert_eq!(policy, Some(json!("tls_cipher_policy_1_2")));
    let redirect = at(&l, "listener.redirectHttpToHttps");
    assert_eq!(redirect, Some((json!(true), vec!["forward-port".into()])));
    assert_eq!(
        value(&[("established-timeout", "900")], "listener.idleTimeout"),
        Some(json!("15m"))
    );
    for (key, bad) in [
        ("http2-enabled", "true"),
        ("idle-timeout", "30s"),
        ("request-timeout", "-1"),
        ("tls-cipher-policy", ""),
    ] {
        assert!(read(&[(key, bad)]).is_empty(), "{key}: {bad}");
    }
    for bad in ["80", "80:https", "80:443,", "80:443:1", "70000:443", ""] {
        assert!(
            value(&[("forward-port", bad)], "listener.redirectHttpToHttps").is_none(),
            "{bad}"
        );
    }
}

#[test]
fn the_client_address_reads_from_proxy_protocol_or_preservation() {
    let proxy = at(&read(&[("proxy-protocol", "on")]), "listener.clientAddress");
    assert_eq!(
        proxy,
        Some((json!("proxy-protocol"), vec!["proxy-protocol".into()]))
    );
    // An NLB TLS port beside proxy protocol turns preservation off (listener.rs).
    let both = read(&[("proxy-protocol", "on"), ("preserve-client-ip", "off")]);
    let keys = vec!["proxy-protocol".to_string(), "preserve-client-ip".into()];
    assert_eq!(
        at(&both, "listener.clientAddress"),
        Some((json!("proxy-protocol"), keys))
    );
    assert_eq!(
        value(&[("preserve-client-ip", "on")], "listener.clientAddress"),
        Some(json!("preserve"))
    );
    assert_eq!(
        value(&[("preserve-client-ip", "off")], "listener.clientAddress"),
        Some(json!("none"))
    );
    for (key, bad) in [
        ("proxy-protocol", "off"),
        ("proxy-protocol", "On"),
        ("preserve-client-ip", "true"),
    ] {
        assert!(read(&[(key, bad)]).is_empty(), "{key}: {bad}");
    }
}

#[test]
fn forwarded_header_switches_read_back_as_the_list() {
    let l = read(&[
        ("xforwardedfor-proto", "on"),
        ("xforwardedfor-slbport", "on"),
        ("xforwardedfor-clientsrcport", "off"),
    ]);
    let (headers, keys) = at(&l, "listener.forwardedHeaders").expect("headers");
    assert_eq!(headers, json!(["protocol", "listener-port"]));
    assert_eq!(keys, ["xforwardedfor-proto", "xforwardedfor-slbport"]);
    assert!(read(&[("xforwardedfor-proto", "yes")]).is_empty());
}

#[test]
fn access_control_needs_all_three_keys_in_their_words() {
    let acl = [
        ("acl-status", "on"),
        ("acl-id", "acl-a,acl-b"),
        ("acl-type", "black"),
    ];
    let (v, keys) = at(&read(&acl), "accessControl").expect("acl");
    assert_eq!(v, json!({"mode": "deny", "aclIds": ["acl-a", "acl-b"]}));
    assert_eq!(keys.len(), 3);
    let white = [
        ("acl-status", "on"),
        ("acl-id", "acl-a"),
        ("acl-type", "white"),
    ];
    assert_eq!(
        value(&white, "accessControl").map(|v| v["mode"].clone()),
        Some(json!("allow"))
    );
    for bad in [
        [
            ("acl-status", "off"),
            ("acl-id", "acl-a"),
            ("acl-type", "white"),
        ],
        [
            ("acl-status", "on"),
            ("acl-id", "acl-a,"),
            ("acl-type", "white"),
        ],
        [
            ("acl-status", "on"),
            ("acl-id", "acl-a"),
            ("acl-type", "allow"),
        ],
    ] {
        assert!(value(&bad, "accessControl").is_none(), "{bad:?}");
    }
    assert!(
        value(
            &[("acl-id", "acl-a"), ("acl-type", "white")],
            "accessControl"
        )
        .is_none()
    );
}

#[test]
fn tags_read_back_as_a_map() {
    let tags = value(
        &[("additional-resource-tags", "Key1=Value1,Key2=a=b")],
        "loadBalancer.tags",
    );
    assert_eq!(tags, Some(json!({"Key1": "Value1", "Key2": "a=b"})));
    for bad in ["Key1", "=v", "a=1,a=2", "a=1,,b=2", ""] {
        assert!(
            value(&[("additional-resource-tags", bad)], "loadBalancer.tags").is_none(),
            "{bad}"
        );
    }
}

#[test]
fn stickiness_by_the_server_cookie() {
    let on = [
        ("sticky-session", "on"),
        ("sticky-session-type", "server"),
        ("cookie", "PHPSESSID"),
    ];
    let (v, keys) = at(&read(&on), "stickiness").expect("stickiness");
    assert_eq!(v, json!({"mode": "app-cookie", "cookieName": "PHPSESSID"}));
    assert_eq!(keys, ["sticky-session", "sticky-session-type", "cookie"]);
    for (kind, name) in [
        ("server", "a b"),
        ("server", "a;b"),
        ("server", ""),
        ("Server", "x"),
    ] {
        let pairs = [
            ("sticky-session", "on"),
            ("sticky-session-type", kind),
            ("cookie", name),
        ];
        assert!(value(&pairs, "stickiness").is_none(), "{kind} {name}");
    }
}

#[test]
fn server_groups_with_the_first_backends_weight() {
    let one = [("vgroup-port", "rsp-a:8080,rsp-b:9090"), ("weight", "60")];
    let (v, keys) = at(&read(&one), "backends").expect("backends");
    let expected = json!([
        {"serverGroup": "rsp-a", "port": 8080, "weight": 60},
        {"serverGroup": "rsp-b", "port": 9090}
    ]);
    assert_eq!(v, expected);
    assert_eq!(keys, ["vgroup-port", "weight"]);
    for (groups, weight) in [
        ("rsp-a", "1"),
        ("rsp-a:http", "1"),
        (":80", "1"),
        ("rsp-a:80", "101"),
        ("rsp-a:80", "x"),
    ] {
        let pairs = [("vgroup-port", groups), ("weight", weight)];
        assert!(value(&pairs, "backends").is_none(), "{groups} {weight}");
    }
}

#[test]
fn draining_with_and_without_its_timeout() {
    let d = [
        ("connection-drain", "on"),
        ("connection-drain-timeout", "60"),
    ];
    assert_eq!(value(&d, "draining"), Some(json!({"timeout": "1m"})));
    assert_eq!(
        value(&[("connection-drain", "on")], "draining"),
        Some(json!({}))
    );
    assert!(value(&[("connection-drain", "off")], "draining").is_none());
    let bad = [
        ("connection-drain", "on"),
        ("connection-drain-timeout", "1m"),
    ];
    assert!(value(&bad, "draining").is_none());
}

#[test]
fn http_health_check_details() {
    let h = read(&[
        ("health-check-httpcode", "http_2xx,http_3xx"),
        ("health-check-method", "head"),
        ("health-check-domain", "shop.example.com"),
        ("health-check-connect-port", "8080"),
    ]);
    assert_eq!(
        at(&h, "healthCheck.successCodes").map(|x| x.0),
        Some(json!(["2xx", "3xx"]))
    );
    assert_eq!(
        at(&h, "healthCheck.method").map(|x| x.0),
        Some(json!("HEAD"))
    );
    assert_eq!(
        at(&h, "healthCheck.host").map(|x| x.0),
        Some(json!("shop.example.com"))
    );
    assert_eq!(at(&h, "healthCheck.port").map(|x| x.0), Some(json!(8080)));
    for bad in ["2xx", "http_6xx", "http_2xx,", "HTTP_2XX"] {
        assert!(
            value(
                &[("health-check-httpcode", bad)],
                "healthCheck.successCodes"
            )
            .is_none(),
            "{bad}"
        );
    }
    assert!(read(&[("health-check-method", "GET")]).is_empty());
}
