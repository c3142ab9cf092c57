//! Reading CCE annotations back into the neutral spec (`kubectl lbgen import`): the
//! inverse of this pack's mapping for the simple shared fields (tier, algorithm, ids,
//! stickiness, timeouts, listener protocols) here, the health check (`health`), the
//! auto-created load balancer (`autocreate`) and the Ingress listener and paths
//! (`ingress`) beside it, and the open-source Huawei cloud controller's dialect, which
//! CCE does not read. Every inverse is checked by the import stage, which renders the
//! imported spec and compares (a wrong one is un-mapped).

mod autocreate;
mod health;
mod ingress;

use super::keys::{
    ELB_AFFINITY_MODE, ELB_AFFINITY_OPTION, ELB_ALGORITHM, ELB_AUTOCREATE, ELB_CERT_ID, ELB_CLASS,
    ELB_CLIENT_TIMEOUT, ELB_HEALTH_OPTION, ELB_HTTP2, ELB_ID, ELB_IP_TARGET, ELB_KEEPALIVE_TIMEOUT,
    ELB_MEMBER_TIMEOUT, ELB_PASS_THROUGH, ELB_PROTOCOL_PORT,
};
use crate::provider::import::{
    Inverse, PackImport, Read, SharedField, duration_text, listener_ports,
};
use serde_json::Value;
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
        if kind == "Service" {
            out.extend(health::fields(annotations, spec));
        }
        out.extend(autocreate::fields(annotations));
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
        if kind == "Ingress" {
            out.extend(ingress::fields(annotations, spec));
        }
        out
    }

    fn unread(
        &self,
        kind: &str,
        annotations: &BTreeMap<String, String>,
        spec: &Value,
    ) -> Vec<(String, String)> {
        let mut out = autocreate::unread(annotations);
        if kind == "Service" {
            out.extend(health::unread(annotations, spec));
        }
        out
    }

    fn path_match(&self, path: &Value) -> Option<&'static str> {
        ingress::path_match(path)
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
