//! Reading back the CLB/NLB Service annotations that `service.rs` and `listener.rs` write
//! from shared fields beyond those `import.rs` reads: listener behaviour (timeouts, HTTP/2,
//! TLS policy, redirect, the client's address, forwarded headers), access control, tags,
//! billing, CLB zones, the IP version, the server cookie, vServer groups, draining, the
//! HTTP health check's codes, method and domain, and the NLB TLS ports' extended and CA
//! certificates. Apart from `import.rs` so each module stays one reader of one writer; each
//! function inverts exactly what its writer writes, and the import stage renders and
//! compares every guess (a value that does not read here, or does not render back, stays
//! a raw annotation).

use super::keys::{
    ACL_ID, ACL_STATUS, ACL_TYPE, ADDITIONAL_CERT_IDS, ADDITIONAL_TAGS, CACERT, CACERT_ID,
    CONNECTION_DRAIN, CONNECTION_DRAIN_TIMEOUT, ESTABLISHED_TIMEOUT, FORWARD_PORT,
    HEALTH_CHECK_CONNECT_PORT, HEALTH_CHECK_DOMAIN, HEALTH_CHECK_HTTPCODE, HEALTH_CHECK_METHOD,
    HEALTH_CHECK_SWITCH, HEALTH_CHECK_TYPE, HTTP2_ENABLED, IDLE_TIMEOUT, INSTANCE_CHARGE_TYPE,
    IP_VERSION, IPV6_ADDRESS_TYPE, LB_ID, MASTER_ZONE, PRESERVE_CLIENT_IP, PROXY_PROTOCOL,
    REQUEST_TIMEOUT, SERVER_COOKIE, SLAVE_ZONE, SPEC, STICKY_SESSION, STICKY_SESSION_TYPE,
    TLS_CIPHER_POLICY, VGROUP_PORT, WEIGHT, XFF_CLIENTSRCPORT, XFF_PROTO, XFF_SLBPORT, ZONE_MAPS,
};
use crate::provider::import::{Inverse, Read, SharedField, duration_text, table_fields};
use crate::spec::model::CookieName;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const SERVICE: Option<&str> = Some("Service");

/// One key, one field (`listener.rs` and `service.rs` write each value as it stands).
const TABLE: &[Inverse] = &[
    Inverse {
        key: HTTP2_ENABLED,
        kind: SERVICE,
        path: "listener.http2",
        read: Read::Flag("on", "off"),
    },
    // CLB HTTP/HTTPS listeners and every NLB listener; CLB TCP listeners: established-timeout.
    Inverse {
        key: IDLE_TIMEOUT,
        kind: SERVICE,
        path: "listener.idleTimeout",
        read: Read::Seconds,
    },
    Inverse {
        key: ESTABLISHED_TIMEOUT,
        kind: SERVICE,
        path: "listener.idleTimeout",
        read: Read::Seconds,
    },
    Inverse {
        key: REQUEST_TIMEOUT,
        kind: SERVICE,
        path: "listener.backendTimeout",
        read: Read::Seconds,
    },
    Inverse {
        key: TLS_CIPHER_POLICY,
        kind: SERVICE,
        path: "listener.tlsPolicy",
        read: Read::Text,
    },
    Inverse {
        key: HEALTH_CHECK_METHOD,
        kind: SERVICE,
        path: "healthCheck.method",
        read: Read::Words(&[("get", "GET"), ("head", "HEAD")]),
    },
    Inverse {
        key: HEALTH_CHECK_DOMAIN,
        kind: SERVICE,
        path: "healthCheck.host",
        read: Read::Text,
    },
    Inverse {
        key: HEALTH_CHECK_CONNECT_PORT,
        kind: SERVICE,
        path: "healthCheck.port",
        read: Read::Number,
    },
];

/// Appends the shared fields of a Service's `annotations` this module reads to `out`
/// (after `import.rs`'s own, whose `ports` reading the TLS certificates build on).
pub(super) fn service_fields(
    annotations: &BTreeMap<String, String>,
    spec: &Value,
    out: &mut Vec<SharedField>,
) {
    let get = |key: &str| annotations.get(key).map(String::as_str);
    let mut found = table_fields(TABLE, "Service", annotations);
    found.extend(udp_health_check(&get, spec));
    found.extend(access_control(&get));
    found.extend(tags(&get));
    found.extend(redirect(&get));
    found.extend(server_cookie(&get));
    found.extend(server_groups(&get));
    found.extend(draining(&get));
    found.extend(success_codes(&get));
    found.extend(client_address(&get));
    found.extend(forwarded_headers(&get));
    if get(LB_ID).is_none() {
        found.extend(create_parameters(&get));
    }
    found.extend(tls_ports(&get, out.as_slice()));
    out.extend(found);
}

fn field(keys: &[&str], path: &'static str, value: Value) -> SharedField {
    SharedField {
        keys: keys.iter().map(|k| k.to_string()).collect(),
        path,
        value,
    }
}

/// A CLB writes no `health-check-type` for a UDP check (`clb_health`): a switched-on L4
/// check without a type on a Service whose ports are all UDP is the UDP check.
fn udp_health_check<'a>(
    get: &impl Fn(&str) -> Option<&'a str>,
    spec: &Value,
) -> Option<SharedField> {
    if get(HEALTH_CHECK_SWITCH) != Some("on") || get(HEALTH_CHECK_TYPE).is_some() {
        return None;
    }
    let ports = spec.pointer("/spec/ports")?.as_array()?;
    let udp = |p: &Value| p.get("protocol").and_then(Value::as_str) == Some("UDP");
    (!ports.is_empty() && ports.iter().all(udp))
        .then(|| field(&[HEALTH_CHECK_SWITCH], "healthCheck.protocol", "UDP".into()))
}

/// `acl-status: on`, the ids joined with ',', `white`/`black` (`clb_access_control`).
fn access_control<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Option<SharedField> {
    let (Some("on"), Some(ids), Some(kind)) = (get(ACL_STATUS), get(ACL_ID), get(ACL_TYPE)) else {
        return None;
    };
    let mode = match kind {
        "white" => "allow",
        "black" => "deny",
        _ => return None,
    };
    let ids: Vec<&str> = ids.split(',').collect();
    if ids.iter().any(|id| id.is_empty()) {
        return None;
    }
    let value = json!({"mode": mode, "aclIds": ids});
    Some(field(
        &[ACL_STATUS, ACL_ID, ACL_TYPE],
        "accessControl",
        value,
    ))
}

/// `k1=v1,k2=v2` (`key_value_list`; a key once).
fn tags<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Option<SharedField> {
    let mut tags = Map::new();
    for pair in get(ADDITIONAL_TAGS)?.split(',') {
        let (key, value) = pair.split_once('=').filter(|(k, _)| !k.is_empty())?;
        if tags.insert(key.into(), value.into()).is_some() {
            return None;
        }
    }
    Some(field(
        &[ADDITIONAL_TAGS],
        "loadBalancer.tags",
        Value::Object(tags),
    ))
}

/// `80:443`: the HTTP ports forwarded to the HTTPS one (`listener.rs`).
fn redirect<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Option<SharedField> {
    let ports = |pair: &str| {
        pair.split_once(':')
            .is_some_and(|(from, to)| from.parse::<u16>().is_ok() && to.parse::<u16>().is_ok())
    };
    get(FORWARD_PORT)?.split(',').all(ports).then(|| {
        field(
            &[FORWARD_PORT],
            "listener.redirectHttpToHttps",
            Value::Bool(true),
        )
    })
}

/// `sticky-session: on`, `sticky-session-type: server` and the application's `cookie`.
fn server_cookie<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Option<SharedField> {
    if get(STICKY_SESSION) != Some("on") || get(STICKY_SESSION_TYPE) != Some("server") {
        return None;
    }
    let name = CookieName::parse(get(SERVER_COOKIE)?).ok()?;
    let value = json!({"mode": "app-cookie", "cookieName": name.0});
    let keys = [STICKY_SESSION, STICKY_SESSION_TYPE, SERVER_COOKIE];
    Some(field(&keys, "stickiness", value))
}

/// `rsp-...:<port>` pairs and the one `weight`, which the render takes from the first
/// weighted backend (so it is read back onto the first).
fn server_groups<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Option<SharedField> {
    let mut backends = Vec::new();
    for pair in get(VGROUP_PORT)?.split(',') {
        let (group, port) = pair.split_once(':').filter(|(g, _)| !g.is_empty())?;
        let port: u16 = port.parse().ok()?;
        backends.push(json!({"serverGroup": group, "port": port}));
    }
    let mut keys = vec![VGROUP_PORT];
    if let Some(weight) = get(WEIGHT) {
        let weight: u8 = weight.parse().ok().filter(|w| *w <= 100)?;
        backends[0]["weight"] = weight.into();
        keys.push(WEIGHT);
    }
    Some(field(&keys, "backends", Value::Array(backends)))
}

/// `connection-drain: on` with the timeout in seconds, when there is one.
fn draining<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Option<SharedField> {
    if get(CONNECTION_DRAIN)? != "on" {
        return None;
    }
    match get(CONNECTION_DRAIN_TIMEOUT) {
        None => Some(field(&[CONNECTION_DRAIN], "draining", json!({}))),
        Some(t) => {
            let timeout = duration_text(t.parse().ok()?);
            let keys = [CONNECTION_DRAIN, CONNECTION_DRAIN_TIMEOUT];
            Some(field(&keys, "draining", json!({"timeout": timeout})))
        }
    }
}

/// `http_2xx,http_3xx` (`types::http_codes`).
fn success_codes<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Option<SharedField> {
    let classes: Vec<&str> = get(HEALTH_CHECK_HTTPCODE)?
        .split(',')
        .map(|c| {
            c.strip_prefix("http_")
                .filter(|c| ["2xx", "3xx", "4xx", "5xx"].contains(c))
        })
        .collect::<Option<_>>()?;
    let value = json!(classes);
    Some(field(
        &[HEALTH_CHECK_HTTPCODE],
        "healthCheck.successCodes",
        value,
    ))
}

/// `proxy-protocol: on` (beside an NLB TLS port with `preserve-client-ip: off`), or the
/// NLB's `preserve-client-ip` alone: `on` preserves, `off` withholds.
fn client_address<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Option<SharedField> {
    let path = "listener.clientAddress";
    match (get(PROXY_PROTOCOL), get(PRESERVE_CLIENT_IP)) {
        (Some("on"), Some("off")) => Some(field(
            &[PROXY_PROTOCOL, PRESERVE_CLIENT_IP],
            path,
            "proxy-protocol".into(),
        )),
        (Some("on"), _) => Some(field(&[PROXY_PROTOCOL], path, "proxy-protocol".into())),
        (None, Some("on")) => Some(field(&[PRESERVE_CLIENT_IP], path, "preserve".into())),
        (None, Some("off")) => Some(field(&[PRESERVE_CLIENT_IP], path, "none".into())),
        _ => None,
    }
}

/// The `xforwardedfor-*` switches set `on`.
fn forwarded_headers<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Option<SharedField> {
    let switches = [
        (XFF_PROTO, "protocol"),
        (XFF_SLBPORT, "listener-port"),
        (XFF_CLIENTSRCPORT, "client-port"),
    ];
    let on: Vec<(&str, &str)> = switches
        .into_iter()
        .filter(|(key, _)| get(key) == Some("on"))
        .collect();
    if on.is_empty() {
        return None;
    }
    let keys: Vec<&str> = on.iter().map(|(k, _)| *k).collect();
    let headers: Vec<&str> = on.iter().map(|(_, h)| *h).collect();
    Some(field(&keys, "listener.forwardedHeaders", json!(headers)))
}

/// What only a created LB has: the billing (`instance-charge-type`), a CLB's master and
/// slave zones, and the IP version (with the public IPv6 address of a dual-stack NLB).
fn create_parameters<'a>(get: &impl Fn(&str) -> Option<&'a str>) -> Vec<SharedField> {
    let mut out = Vec::new();
    let billing = match get(INSTANCE_CHARGE_TYPE) {
        Some("PayByCLCU") => Some("pay-by-usage"),
        // With a spec, PayBySpec is what the render writes when the spec names no billing.
        Some("PayBySpec") if get(SPEC).is_none() => Some("pay-by-spec"),
        _ => None,
    };
    if let Some(billing) = billing {
        let path = "loadBalancer.create.billing";
        out.push(field(&[INSTANCE_CHARGE_TYPE], path, billing.into()));
    }
    // An NLB names its zones in zone-maps (`import.rs`); a CLB has a master, then a slave.
    if let (Some(master), None) = (get(MASTER_ZONE), get(ZONE_MAPS)) {
        let mut zones = vec![master];
        let mut keys = vec![MASTER_ZONE];
        if let Some(slave) = get(SLAVE_ZONE) {
            zones.push(slave);
            keys.push(SLAVE_ZONE);
        }
        out.push(field(&keys, "loadBalancer.create.zones", json!(zones)));
    }
    let version = match get(IP_VERSION) {
        Some("ipv4") => Some("ipv4"),
        Some("ipv6") => Some("ipv6"),
        Some("DualStack") => Some("dual-stack"),
        _ => None,
    };
    if let Some(version) = version {
        let mut keys = vec![IP_VERSION];
        if version == "dual-stack" && get(IPV6_ADDRESS_TYPE) == Some("internet") {
            keys.push(IPV6_ADDRESS_TYPE);
        }
        out.push(field(
            &keys,
            "loadBalancer.create.ipVersion",
            version.into(),
        ));
    }
    out
}

/// The NLB TLS ports' extended certificates (`additional-cert-ids`, one list for every TLS
/// port) and CA certificate (`cacert: on` with `cacert-id`), on the `ports` that
/// `protocol-port` read back (`import.rs`): one field with both readings' keys, so either
/// falls back with the other.
fn tls_ports<'a>(
    get: &impl Fn(&str) -> Option<&'a str>,
    found: &[SharedField],
) -> Option<SharedField> {
    let base = found.iter().find(|f| f.path == "ports")?;
    let sni: Option<Vec<&str>> = get(ADDITIONAL_CERT_IDS)
        .map(|ids| ids.split(',').collect())
        .filter(|ids: &Vec<&str>| ids.iter().all(|id| !id.is_empty()));
    let ca = get(CACERT_ID).filter(|id| !id.is_empty() && get(CACERT) == Some("on"));
    if sni.is_none() && ca.is_none() {
        return None;
    }
    let mut ports = base.value.clone();
    let mut any = false;
    for port in ports.as_array_mut()? {
        if port.get("protocol").and_then(Value::as_str) != Some("TLS") {
            continue;
        }
        any = true;
        if let Some(ids) = &sni {
            port["sniCertificateIds"] = json!(ids);
        }
        if let Some(ca) = ca {
            port["caCertificateId"] = ca.into();
        }
    }
    let mut keys = base.keys.clone();
    keys.extend(sni.map(|_| ADDITIONAL_CERT_IDS.to_string()));
    keys.extend(
        ca.map(|_| [CACERT.to_string(), CACERT_ID.to_string()])
            .into_iter()
            .flatten(),
    );
    any.then_some(SharedField {
        keys,
        path: "ports",
        value: ports,
    })
}

#[cfg(test)]
mod tests;
