//! Reading `service.cloud.tencent.com/specify-protocol` back into the Service's `ports[]`
//! (`kubectl lbgen import`): the inverse of `service::specify_protocol`, which keys each
//! HTTP/HTTPS/TLS port (and every port when TCP and UDP mix) by its number with a
//! one-word `protocol` list and, for HTTPS and TCP_SSL, the certificate Secret it names
//! from the certificate id (`certificate_secret`). What the pack never writes (two
//! protocols on one port, `hosts`, a Secret it did not name, an unknown word) leaves the
//! key a raw annotation; the import stage checks the rest by rendering and comparing.

use super::certificate_of_secret;
use crate::provider::import::SharedField;
use serde_json::Value;

/// The annotation's protocol words and the spec's protocols; whether each takes a
/// certificate Secret in `tls`.
const WORDS: &[(&str, &str, bool)] = &[
    ("TCP", "TCP", false),
    ("UDP", "UDP", false),
    ("HTTP", "HTTP", false),
    ("HTTPS", "HTTPS", true),
    ("TCP_SSL", "TLS", true),
];

/// The spec's `ports` with each listed port's protocol and certificate, accounting for
/// `key`; `None` when an entry is not one the pack writes or names no port of `spec`.
pub(super) fn specify_protocol(key: &str, text: &str, spec: &Value) -> Option<SharedField> {
    let Value::Object(by_port) = serde_json::from_str::<Value>(text).ok()? else {
        return None;
    };
    let mut ports = spec.pointer("/spec/ports")?.as_array()?.clone();
    for (port, entry) in &by_port {
        let entry = entry.as_object()?;
        if entry.keys().any(|k| k != "protocol" && k != "tls") {
            return None;
        }
        let [word] = entry.get("protocol")?.as_array()?.as_slice() else {
            return None;
        };
        let (_, protocol, secured) = WORDS.iter().find(|(w, _, _)| Some(*w) == word.as_str())?;
        let certificate = match (entry.get("tls"), secured) {
            (Some(secret), true) => Some(certificate_of_secret(secret.as_str()?)?),
            (None, false) => None,
            _ => return None,
        };
        let port: u64 = port.parse().ok()?;
        let slot = ports
            .iter_mut()
            .find(|p| p.get("port").and_then(Value::as_u64) == Some(port))?;
        slot["protocol"] = (*protocol).into();
        if let Some(id) = certificate {
            slot["certificateId"] = id.into();
        }
    }
    Some(SharedField {
        keys: vec![key.to_string()],
        path: "ports",
        value: Value::Array(ports),
    })
}

#[cfg(test)]
mod tests {
    use super::specify_protocol;
    use serde_json::{Value, json};

    const KEY: &str = "service.cloud.tencent.com/specify-protocol";

    fn spec() -> Value {
        json!({"spec": {"ports": [
            {"name": "https", "port": 443, "targetPort": 8080, "protocol": "TCP"},
            {"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"},
        ]}})
    }

    fn ports(text: &str) -> Option<Value> {
        specify_protocol(KEY, text, &spec()).map(|f| {
            assert_eq!(
                (f.keys.as_slice(), f.path),
                ([KEY.to_string()].as_slice(), "ports")
            );
            f.value
        })
    }

    #[test]
    fn the_written_protocols_and_certificates_read_back_into_ports() {
        // The form `service::specify_protocol` writes (example service-https-specify-protocol).
        assert_eq!(
            ports(
                r#"{"443":{"protocol":["HTTPS"],"tls":"qcloud-cert-xq0ykczt-a0855bed"},"80":{"protocol":["HTTP"]}}"#
            ),
            Some(json!([
                {"name": "https", "port": 443, "targetPort": 8080, "protocol": "HTTPS", "certificateId": "Xq0yKcZt"},
                {"name": "http", "port": 80, "targetPort": 8080, "protocol": "HTTP"},
            ]))
        );
        // TCP_SSL is the spec's TLS; mixed TCP/UDP names each port's transport (457/39141).
        let tls = ports(r#"{"443":{"protocol":["TCP_SSL"],"tls":"qcloud-cert-abc123"}}"#);
        assert_eq!(tls.as_ref().map(|p| &p[0]["protocol"]), Some(&json!("TLS")));
        assert_eq!(
            tls.map(|p| p[0]["certificateId"].clone()),
            Some(json!("abc123"))
        );
        let mixed = ports(r#"{"443":{"protocol":["TCP"]},"80":{"protocol":["UDP"]}}"#);
        assert_eq!(mixed.map(|p| p[1]["protocol"].clone()), Some(json!("UDP")));
    }

    #[test]
    fn hostile_values_read_back_to_nothing() {
        for text in [
            "",
            "not json",
            r#"["443"]"#,
            r#"{"443":"HTTPS"}"#,
            r#"{"443":{"protocol":"HTTPS","tls":"qcloud-cert-abc123"}}"#,
            r#"{"443":{"protocol":[]}}"#,
            r#"{"443":{"protocol":["TCP","UDP"]}}"#,
            r#"{"443":{"protocol":[443]}}"#,
            r#"{"443":{"protocol":["QUIC"]}}"#,
            r#"{"443":{"protocol":["https"],"tls":"qcloud-cert-abc123"}}"#,
            // HTTPS without its Secret, a Secret lbgen did not name, a Secret on HTTP.
            r#"{"443":{"protocol":["HTTPS"]}}"#,
            r#"{"443":{"protocol":["HTTPS"],"tls":"my-tls"}}"#,
            r#"{"443":{"protocol":["HTTPS"],"tls":7}}"#,
            r#"{"80":{"protocol":["HTTP"],"tls":"qcloud-cert-abc123"}}"#,
            r#"{"443":{"protocol":["HTTPS"],"hosts":{"a.example.com":{"tls":"s"}}}}"#,
            // A port the Service does not have, or no port at all.
            r#"{"8443":{"protocol":["HTTP"]}}"#,
            r#"{"-1":{"protocol":["HTTP"]}}"#,
            r#"{"http":{"protocol":["HTTP"]}}"#,
        ] {
            assert_eq!(ports(text), None, "{text}");
        }
        let no_ports = json!({"spec": {}});
        assert!(specify_protocol(KEY, r#"{"80":{"protocol":["HTTP"]}}"#, &no_ports).is_none());
    }
}
