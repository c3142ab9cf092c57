//! The listener settings and access control the pack writes on a Service and an Ingress
//! alike, read back: the forwarded-header switches (`elb.x-forwarded-*`, cce_10_0865 and
//! cce_10_0867) into `listener.forwardedHeaders`, the access-control keys (`elb.acl-id`,
//! `elb.acl-status`, `elb.acl-type`, cce_10_0385 / cce_10_0695) into `accessControl`, and
//! a Service's SNI and CA certificates (`elb.tls-certificate-ids`, cce_10_0841;
//! `elb.client-ca-cert-id`, cce_10_0683) into its HTTPS ports.

use super::field;
use crate::provider::huawei::keys::{
    ELB_ACL_ID, ELB_ACL_STATUS, ELB_ACL_TYPE, ELB_CLIENT_CA_CERT_ID, ELB_PROTOCOL_PORT,
    ELB_TLS_CERTIFICATES, ELB_X_FORWARDED_FOR_PORT, ELB_X_FORWARDED_HOST, ELB_X_FORWARDED_PORT,
};
use crate::provider::import::SharedField;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The header switches, in the spec's words; the pack writes each `"true"`.
const HEADERS: [(&str, &str); 3] = [
    (ELB_X_FORWARDED_PORT, "listener-port"),
    (ELB_X_FORWARDED_FOR_PORT, "client-port"),
    (ELB_X_FORWARDED_HOST, "host"),
];

/// The shared fields of both kinds.
pub(super) fn fields(annotations: &BTreeMap<String, String>) -> Vec<SharedField> {
    let mut out = Vec::new();
    let on: Vec<(&str, &str)> = HEADERS
        .into_iter()
        .filter(|(key, _)| annotations.get(*key).map(String::as_str) == Some("true"))
        .collect();
    if !on.is_empty() {
        out.push(SharedField {
            keys: on.iter().map(|(k, _)| k.to_string()).collect(),
            path: "listener.forwardedHeaders",
            value: on.iter().map(|(_, word)| *word).collect::<Vec<_>>().into(),
        });
    }
    let mode = match annotations.get(ELB_ACL_TYPE).map(String::as_str) {
        Some("white") => Some("allow"),
        Some("black") => Some("deny"),
        _ => None,
    };
    let status_on = annotations.get(ELB_ACL_STATUS).map(String::as_str) == Some("on");
    if let (Some(mode), Some(ids), true) = (mode, annotations.get(ELB_ACL_ID), status_on) {
        let ids: Vec<&str> = ids.split(',').collect();
        if ids.iter().all(|id| !id.is_empty()) {
            out.push(SharedField {
                keys: [ELB_ACL_ID, ELB_ACL_STATUS, ELB_ACL_TYPE]
                    .map(str::to_string)
                    .to_vec(),
                path: "accessControl",
                value: json!({"mode": mode, "aclIds": ids}),
            });
        }
    }
    out
}

/// A Service's SNI and CA certificates on each of its `https:` ports of
/// `elb.protocol-port` (the policies give every HTTPS port the same ones).
pub(super) fn service_certificates(
    annotations: &BTreeMap<String, String>,
    spec: &Value,
) -> Vec<SharedField> {
    let Some(ports) = spec.pointer("/spec/ports").and_then(Value::as_array) else {
        return Vec::new();
    };
    let https: Vec<u64> = annotations
        .get(ELB_PROTOCOL_PORT)
        .map(|listed| {
            listed
                .split(',')
                .filter_map(|pair| pair.strip_prefix("https:")?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let on_https = |name: &str, value: Value| -> Option<Value> {
        let entries: Vec<Value> = ports
            .iter()
            .map(|p| {
                let number = p.get("port").and_then(Value::as_u64);
                if number.is_some_and(|n| https.contains(&n)) {
                    json!({ name: value })
                } else {
                    json!({})
                }
            })
            .collect();
        entries
            .iter()
            .any(|e| e.get(name).is_some())
            .then_some(Value::Array(entries))
    };
    let mut out = Vec::new();
    let sni = annotations.get(ELB_TLS_CERTIFICATES).map(|ids| {
        ids.split(',')
            .map(|id| Value::String(id.to_string()))
            .collect::<Vec<_>>()
    });
    if let Some(ports) = sni
        .filter(|ids| {
            ids.iter()
                .all(|id| id.as_str().is_some_and(|s| !s.is_empty()))
        })
        .and_then(|ids| on_https("sniCertificateIds", Value::Array(ids)))
    {
        out.push(field(ELB_TLS_CERTIFICATES, "ports", ports));
    }
    if let Some(ports) = annotations
        .get(ELB_CLIENT_CA_CERT_ID)
        .filter(|id| !id.is_empty())
        .and_then(|id| on_https("caCertificateId", id.as_str().into()))
    {
        out.push(field(ELB_CLIENT_CA_CERT_ID, "ports", ports));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn header_switches_and_access_control_read_back_in_the_packs_spellings() {
        let got = fields(&map(&[
            (ELB_X_FORWARDED_HOST, "true"),
            (ELB_X_FORWARDED_PORT, "true"),
            (ELB_X_FORWARDED_FOR_PORT, "false"),
            (ELB_ACL_ID, "a,b"),
            (ELB_ACL_STATUS, "on"),
            (ELB_ACL_TYPE, "black"),
        ]));
        assert_eq!(got[0].value, json!(["listener-port", "host"]));
        assert_eq!(got[0].keys, [ELB_X_FORWARDED_PORT, ELB_X_FORWARDED_HOST]);
        assert_eq!(got[1].value, json!({"mode": "deny", "aclIds": ["a", "b"]}));
        // Switched off, a type the pack never writes, an empty id: not read.
        for acl in [
            [
                (ELB_ACL_ID, "a"),
                (ELB_ACL_STATUS, "off"),
                (ELB_ACL_TYPE, "white"),
            ],
            [
                (ELB_ACL_ID, "a"),
                (ELB_ACL_STATUS, "on"),
                (ELB_ACL_TYPE, "allow"),
            ],
            [
                (ELB_ACL_ID, "a,"),
                (ELB_ACL_STATUS, "on"),
                (ELB_ACL_TYPE, "white"),
            ],
        ] {
            assert!(fields(&map(&acl)).is_empty(), "{acl:?}");
        }
    }

    #[test]
    fn service_certificates_go_to_the_https_ports() {
        let spec = json!({"spec": {"ports": [{"port": 80}, {"port": 443}]}});
        let got = service_certificates(
            &map(&[
                (ELB_PROTOCOL_PORT, "http:80,https:443"),
                (ELB_TLS_CERTIFICATES, "s1,s2"),
                (ELB_CLIENT_CA_CERT_ID, "ca"),
            ]),
            &spec,
        );
        assert_eq!(
            got[0].value,
            json!([{}, {"sniCertificateIds": ["s1", "s2"]}])
        );
        assert_eq!(got[1].value, json!([{}, {"caCertificateId": "ca"}]));
        // No HTTPS port: nothing to put them on.
        let none = service_certificates(&map(&[(ELB_TLS_CERTIFICATES, "s1")]), &spec);
        assert!(none.is_empty());
    }
}
