//! Reading CCE annotations back into the neutral spec (`kubectl lbgen import`): the
//! inverse of this pack's mapping for the simple shared fields (tier, algorithm, ids,
//! stickiness, timeouts, listener protocols) here, the health check (`health`), the
//! auto-created load balancer (`autocreate`) and the Ingress listener and paths
//! (`ingress`) beside it, and the open-source Huawei cloud controller's dialect, which
//! CCE does not read. Every inverse is checked by the import stage, which renders the
//! imported spec and compares (a wrong one is un-mapped).

mod actions;
mod autocreate;
mod health;
mod ingress;
mod listener;

use super::keys::{
    ELB_AFFINITY_MODE, ELB_AFFINITY_OPTION, ELB_ALGORITHM, ELB_AUTOCREATE, ELB_CERT_ID, ELB_CLASS,
    ELB_CLIENT_TIMEOUT, ELB_HEALTH_OPTION, ELB_HTTP2, ELB_ID, ELB_IP_TARGET, ELB_KEEPALIVE_TIMEOUT,
    ELB_MEMBER_TIMEOUT, ELB_PASS_THROUGH, ELB_POOL_PROTOCOL, ELB_PROTOCOL_PORT, ELB_SLOWSTART,
    ELB_TLS_CIPHERS_POLICY, ELB_TRANSPARENT_CLIENT_IP,
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
        read: Read::Words(&[
            ("SOURCE_IP", "source-ip"),
            ("HTTP_COOKIE", "cookie"),
            ("APP_COOKIE", "app-cookie"),
        ]),
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
        key: ELB_TRANSPARENT_CLIENT_IP,
        kind: Some("Service"),
        path: "listener.clientAddress",
        read: Read::Words(&[("true", "preserve"), ("false", "none")]),
    },
    Inverse {
        key: ELB_TLS_CIPHERS_POLICY,
        kind: Some("Ingress"),
        path: "listener.tlsPolicy",
        read: Read::Text,
    },
    Inverse {
        key: ELB_POOL_PROTOCOL,
        kind: Some("Ingress"),
        path: "listener.backendProtocol",
        read: Read::Words(&[("https", "https")]),
    },
    Inverse {
        key: ELB_SLOWSTART,
        kind: Some("Ingress"),
        path: "slowStart.duration",
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
        // {"app_cookie_name":"<name>"} with APP_COOKIE (CCE configuration reference).
        if let Some(name) = json_of(ELB_AFFINITY_OPTION)
            .and_then(|o| Some(o.get("app_cookie_name")?.as_str()?.to_string()))
        {
            out.push(field(
                ELB_AFFINITY_OPTION,
                "stickiness.cookieName",
                name.into(),
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
        out.extend(listener::fields(annotations));
        if kind == "Service" {
            out.extend(listener::service_certificates(annotations, spec));
        }
        if kind == "Ingress" {
            out.extend(ingress::fields(annotations, spec));
            out.extend(actions::fields(annotations, spec));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::import::shared_fields;
    use serde_json::json;

    fn read(kind: &str, pairs: &[(&str, &str)]) -> Vec<(String, Value)> {
        let annotations: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let spec = json!({"spec": {"ports": [{"port": 443}], "routes": [{"path": "/"}]}});
        shared_fields(&HuaweiImport, kind, &annotations, &spec)
            .into_iter()
            .map(|f| (f.path.to_string(), f.value))
            .collect()
    }

    #[test]
    fn listener_keys_read_back_only_on_the_kind_the_pack_writes_them_on() {
        let ingress = read(
            "Ingress",
            &[
                (ELB_TLS_CIPHERS_POLICY, "tls-1-2-fs"),
                (ELB_POOL_PROTOCOL, "https"),
                (ELB_SLOWSTART, "30"),
                (ELB_TRANSPARENT_CLIENT_IP, "true"),
                (ELB_AFFINITY_MODE, "APP_COOKIE"),
                (ELB_AFFINITY_OPTION, r#"{"app_cookie_name":"JSESSIONID"}"#),
            ],
        );
        for expected in [
            ("listener.tlsPolicy", json!("tls-1-2-fs")),
            ("listener.backendProtocol", json!("https")),
            ("slowStart.duration", json!("30s")),
            ("stickiness.mode", json!("app-cookie")),
            ("stickiness.cookieName", json!("JSESSIONID")),
        ] {
            let expected = (expected.0.to_string(), expected.1);
            assert!(ingress.contains(&expected), "{expected:?}: {ingress:?}");
        }
        // transparent-client-ip is a Service key.
        assert!(!ingress.iter().any(|(p, _)| p == "listener.clientAddress"));
        let service = read(
            "Service",
            &[
                (ELB_TRANSPARENT_CLIENT_IP, "false"),
                (ELB_POOL_PROTOCOL, "https"),
            ],
        );
        assert_eq!(
            service,
            vec![("listener.clientAddress".into(), json!("none"))]
        );
        // Spellings the pack never writes are not read.
        assert!(
            read(
                "Ingress",
                &[(ELB_POOL_PROTOCOL, "HTTPS"), (ELB_SLOWSTART, "30s")]
            )
            .is_empty()
        );
    }
}
