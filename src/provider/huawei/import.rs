//! Reading CCE annotations back into the neutral spec (`kubectl lbgen import`): the
//! inverse of this pack's mapping for the simple shared fields (tier, algorithm, ids,
//! stickiness, health check, timeouts, auto-create), and the open-source Huawei cloud
//! controller's dialect, which CCE does not read. Every inverse is checked by the import
//! stage, which renders the imported spec and compares (a wrong one is un-mapped).

use super::keys::{
    ELB_AFFINITY_MODE, ELB_AFFINITY_OPTION, ELB_ALGORITHM, ELB_AUTOCREATE, ELB_CERT_ID, ELB_CLASS,
    ELB_CLIENT_TIMEOUT, ELB_HEALTH_FLAG, ELB_HEALTH_OPTION, ELB_HTTP2, ELB_ID, ELB_IP_TARGET,
    ELB_KEEPALIVE_TIMEOUT, ELB_MEMBER_TIMEOUT, ELB_PASS_THROUGH, ELB_PROTOCOL_PORT,
    INGRESS_CLASS_ANNOTATION,
};
use crate::provider::import::{
    Inverse, PackImport, Read, SharedField, duration_text, listener_ports,
};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The CCE pack's import knowledge.
pub(crate) struct HuaweiImport;

/// The open-source controller's key for an EIP it creates
/// (kubernetes-sigs/cloud-provider-huaweicloud docs/usage-guide.md, "Service Annotations");
/// CCE documents no such key.
const OSS_EIP_OPTION: &str = "kubernetes.io/elb.eip-auto-create-option";

const TABLE: &[Inverse] = &[
    Inverse {
        key: ELB_CLASS,
        kind: None,
        path: "loadBalancer.tier",
        read: Read::Words(&[("union", "shared"), ("performance", "dedicated")]),
    },
    Inverse {
        key: ELB_ALGORITHM,
        kind: None,
        path: "algorithm",
        read: Read::Words(&[
            ("ROUND_ROBIN", "round-robin"),
            ("LEAST_CONNECTIONS", "least-connections"),
            ("SOURCE_IP", "source-ip"),
        ]),
    },
    Inverse {
        key: ELB_ID,
        kind: None,
        path: "loadBalancer.id",
        read: Read::Text,
    },
    Inverse {
        key: ELB_AFFINITY_MODE,
        kind: None,
        path: "stickiness.mode",
        read: Read::Words(&[("SOURCE_IP", "source-ip"), ("HTTP_COOKIE", "cookie")]),
    },
    Inverse {
        key: ELB_PASS_THROUGH,
        kind: Some("Service"),
        path: "passThrough",
        read: Read::True,
    },
    Inverse {
        key: ELB_IP_TARGET,
        kind: None,
        path: "ipTargets",
        read: Read::True,
    },
    Inverse {
        key: ELB_HTTP2,
        kind: None,
        path: "listener.http2",
        read: Read::Flag("true", "false"),
    },
    Inverse {
        key: ELB_KEEPALIVE_TIMEOUT,
        kind: None,
        path: "listener.idleTimeout",
        read: Read::Seconds,
    },
    Inverse {
        key: ELB_CLIENT_TIMEOUT,
        kind: None,
        path: "listener.clientTimeout",
        read: Read::Seconds,
    },
    Inverse {
        key: ELB_MEMBER_TIMEOUT,
        kind: None,
        path: "listener.backendTimeout",
        read: Read::Seconds,
    },
    Inverse {
        key: ELB_HEALTH_FLAG,
        kind: Some("Service"),
        path: "healthCheck.enabled",
        read: Read::Flag("on", "off"),
    },
    // The class annotation is rendered only below FIRST_CLASS_NAME_VERSION (cce_10_0252,
    // "For clusters of v1.21 or earlier"): the newest such version, reported as inferred.
    Inverse {
        key: INGRESS_CLASS_ANNOTATION,
        kind: Some("Ingress"),
        path: "cluster.version",
        read: Read::Words(&[("cce", "v1.21")]),
    },
];

impl PackImport for HuaweiImport {
    fn table(&self) -> &'static [Inverse] {
        TABLE
    }

    fn structured(
        &self,
        kind: &str,
        annotations: &BTreeMap<String, String>,
        spec: &Value,
    ) -> Vec<SharedField> {
        let mut out = Vec::new();
        let json_of = |key: &str| {
            annotations
                .get(key)
                .and_then(|t| serde_json::from_str::<Value>(t).ok())
        };
        // {"persistence_timeout":"<minutes>"} (seed 001 table 2).
        if let Some(minutes) = json_of(ELB_AFFINITY_OPTION)
            .and_then(|o| o.get("persistence_timeout")?.as_str()?.parse::<u64>().ok())
        {
            out.push(field(
                ELB_AFFINITY_OPTION,
                "stickiness.timeout",
                Value::String(duration_text(minutes * 60)),
            ));
        }
        // Seed 001 table 3: every value a String.
        if let (Some(Value::Object(o)), "Service") = (json_of(ELB_HEALTH_OPTION), kind) {
            let mut check = Map::new();
            let seconds = |name: &str| o.get(name)?.as_str()?.parse::<u64>().ok();
            if let Some(s) = seconds("delay") {
                check.insert("interval".into(), duration_text(s).into());
            }
            if let Some(s) = seconds("timeout") {
                check.insert("timeout".into(), duration_text(s).into());
            }
            if let Some(r) = seconds("max_retries") {
                check.insert("retries".into(), r.into());
            }
            let protocol = o
                .get("protocol")
                .and_then(Value::as_str)
                .and_then(|p| match p {
                    "TCP" => Some("TCP"),
                    "UDP_CONNECT" => Some("UDP"),
                    "HTTP" => Some("HTTP"),
                    _ => None,
                });
            if let Some(p) = protocol {
                check.insert("protocol".into(), p.into());
            }
            if let Some(path) = o.get("path").and_then(Value::as_str) {
                check.insert("path".into(), path.into());
            }
            out.push(field(
                ELB_HEALTH_OPTION,
                "healthCheck",
                Value::Object(check),
            ));
        }
        if let Some(Value::Object(o)) = json_of(ELB_AUTOCREATE) {
            out.extend(autocreate(&o));
        }
        // "https:443,http:80" (seed 001 "Enabling HTTP for Services"; cce_10_0683 tls:<port>).
        if let Some(listed) = annotations
            .get(ELB_PROTOCOL_PORT)
            .filter(|_| kind == "Service")
        {
            let cert = annotations.get(ELB_CERT_ID).map(String::as_str);
            let words = [("http", "HTTP"), ("https", "HTTPS"), ("tls", "TLS")];
            if let Some(ports) = listener_ports(spec, listed, &words, cert) {
                let mut keys = vec![ELB_PROTOCOL_PORT.to_string()];
                keys.extend(cert.map(|_| ELB_CERT_ID.to_string()));
                out.push(SharedField {
                    keys,
                    path: "ports",
                    value: ports,
                });
            }
        }
        out
    }

    fn ingress_classes(&self) -> &'static [&'static str] {
        &["cce"]
    }

    fn foreign_dialect(&self, annotations: &BTreeMap<String, String>) -> Option<String> {
        if let Some(class) = annotations
            .get(ELB_CLASS)
            .filter(|c| matches!(c.as_str(), "shared" | "dedicated" | "elasticity"))
        {
            return Some(format!(
                "`{ELB_CLASS}: {class}` is the open-source Huawei cloud controller's spelling (kubernetes-sigs/cloud-provider-huaweicloud docs/usage-guide.md); CCE reads union or performance and ignores it"
            ));
        }
        if annotations.contains_key(OSS_EIP_OPTION) {
            return Some(format!(
                "`{OSS_EIP_OPTION}` is the open-source Huawei cloud controller's key (kubernetes-sigs/cloud-provider-huaweicloud docs/usage-guide.md); CCE does not read it (it takes {ELB_AUTOCREATE})"
            ));
        }
        let numeric_health = annotations
            .get(ELB_HEALTH_OPTION)
            .and_then(|t| serde_json::from_str::<Value>(t).ok())
            .and_then(|o| o.as_object().cloned())
            .is_some_and(|o| o.values().any(Value::is_number));
        numeric_health.then(|| format!(
            "`{ELB_HEALTH_OPTION}` has numeric values: the open-source Huawei cloud controller's form; CCE reads every value as a string (seed 001 table 3)"
        ))
    }
}

fn field(key: &str, path: &'static str, value: Value) -> SharedField {
    SharedField {
        keys: vec![key.to_string()],
        path,
        value,
    }
}

/// `elb.autocreate`'s fields (cce_10_0385 Table 15) back into `network` and
/// `loadBalancer.create`.
fn autocreate(o: &Map<String, Value>) -> Vec<SharedField> {
    let text = |name: &str| o.get(name).and_then(Value::as_str).map(str::to_string);
    let mut out = Vec::new();
    match o.get("type").and_then(Value::as_str) {
        Some("public") => out.push(field(ELB_AUTOCREATE, "network", "public".into())),
        Some("inner") => out.push(field(ELB_AUTOCREATE, "network", "internal".into())),
        _ => {}
    }
    let mut create = Map::new();
    for (from, to) in [
        ("name", "name"),
        ("eip_type", "eipType"),
        ("vip_subnet_cidr_id", "subnetId"),
        ("vip_address", "address"),
        ("l4_flavor_name", "l4Flavor"),
        ("l7_flavor_name", "l7Flavor"),
    ] {
        if let Some(v) = text(from) {
            create.insert(to.into(), v.into());
        }
    }
    for (from, to) in [
        ("available_zone", "zones"),
        ("elb_virsubnet_ids", "backendSubnetIds"),
    ] {
        if let Some(list @ Value::Array(_)) = o.get(from) {
            create.insert(to.into(), list.clone());
        }
    }
    let mut bandwidth = Map::new();
    for (from, to) in [
        ("bandwidth_name", "name"),
        ("bandwidth_sharetype", "shareType"),
    ] {
        if let Some(v) = text(from) {
            bandwidth.insert(to.into(), v.into());
        }
    }
    if let Some(mode) = text("bandwidth_chargemode") {
        bandwidth.insert("chargeMode".into(), mode.into());
    }
    if let Some(size) = o.get("bandwidth_size").filter(|v| v.is_u64()) {
        bandwidth.insert("size".into(), size.clone());
    }
    if !bandwidth.is_empty() {
        create.insert("bandwidth".into(), Value::Object(bandwidth));
    }
    out.push(field(ELB_AUTOCREATE, "loadBalancer.create", json!(create)));
    out
}
