//! The CCE Ingress's listener read back, the inverse of `ingress::ingress`: the server
//! and SNI certificates (`elb.tls-certificate-ids`, one list for every route,
//! cce_10_0687) into `routes[].tls`, the redirect's two listeners (`elb.listen-ports`
//! with `elb.ssl-redirect`, cce_10_0771) into `listener.redirectHttpToHttps`, and the
//! listener port (`elb.port`, or the redirect's HTTPS port) into `routes[].port` where it
//! is not the route's default (443 with tls, else 80). A user's own `elb.listen-ports`
//! without the redirect is no spec field's: it stays a raw annotation, and `elb.port`
//! beside it still reads back. Also the regex `property` of a path (seed 000), and the
//! class annotation, which the pack writes instead of `ingressClassName` only for clusters
//! before `FIRST_CLASS_NAME_VERSION` (cce_10_0252, "For clusters of v1.21 or earlier").

use super::field;
use crate::provider::catalogue::GateOf;
use crate::provider::huawei::keys::{
    ELB_LISTEN_PORTS, ELB_PORT, ELB_SSL_REDIRECT, ELB_TLS_CERTIFICATES, INGRESS_CLASS_ANNOTATION,
    URL_MATCH_MODE,
};
use crate::provider::huawei::types::FIRST_CLASS_NAME_VERSION;
use crate::provider::import::SharedField;
use crate::spec::version::ClusterVersion;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The listener fields of an Ingress's annotations, against the routes of `spec`.
pub(super) fn fields(annotations: &BTreeMap<String, String>, spec: &Value) -> Vec<SharedField> {
    let mut out = Vec::new();
    // A version given (`--cluster-version`) stands: the render then says whether it writes
    // the class annotation.
    let versioned = spec.pointer("/spec/cluster/version").is_some();
    if annotations
        .get(INGRESS_CLASS_ANNOTATION)
        .map(String::as_str)
        == Some("cce")
        && !versioned
    {
        out.push(field(
            INGRESS_CLASS_ANNOTATION,
            "cluster.version",
            newest_class_annotation_version().to_string().into(),
        ));
    }
    let Some(routes) = spec.pointer("/spec/routes").and_then(Value::as_array) else {
        return out;
    };
    let tls = annotations
        .get(ELB_TLS_CERTIFICATES)
        .and_then(|ids| certificates(ids))
        .filter(|_| !routes.is_empty());
    if let Some(tls) = &tls {
        out.push(field(
            ELB_TLS_CERTIFICATES,
            "routes",
            Value::Array(vec![json!({"tls": tls}); routes.len()]),
        ));
    }
    let redirect = redirect_port(annotations);
    let (port, keys) = match redirect {
        Some(port) => {
            let keys = vec![ELB_LISTEN_PORTS.to_string(), ELB_SSL_REDIRECT.to_string()];
            out.push(SharedField {
                keys,
                path: "listener.redirectHttpToHttps",
                value: true.into(),
            });
            (Some(port), vec![ELB_LISTEN_PORTS.to_string()])
        }
        None => (
            annotations
                .get(ELB_PORT)
                .and_then(|p| p.parse::<u16>().ok()),
            vec![ELB_PORT.to_string()],
        ),
    };
    if let Some(port) = port {
        // Every route on the one listener port (huawei/ingress-single-port); the port
        // named only where it is not the default, so that elb.port always reads back.
        let default = if tls.is_some() { 443 } else { 80 };
        let entry = if port == default {
            json!({})
        } else {
            json!({ "port": port })
        };
        out.push(SharedField {
            keys,
            path: "routes",
            value: Value::Array(vec![entry; routes.len()]),
        });
    }
    out
}

/// The cluster version an Ingress with the class annotation was rendered for: the newest
/// before `FIRST_CLASS_NAME_VERSION` that a cluster gate of the catalogue names (so every
/// key documented for those clusters passes its gate; `v1.21.15-r0` today), else `v1.21`.
/// The import reports it as inferred.
fn newest_class_annotation_version() -> ClusterVersion {
    let fallback = ClusterVersion {
        major: 1,
        minor: 21,
        patch: 0,
        release: 0,
    };
    let Ok(Some(catalogue)) = crate::provider::catalogue_load::catalogue_of("huawei") else {
        return fallback;
    };
    catalogue
        .entries
        .iter()
        .filter_map(|e| e.gate.as_ref().filter(|g| g.of == GateOf::Cluster))
        .filter_map(|g| g.min_version.as_ref())
        .flat_map(|v| match v {
            Value::Array(list) => list.clone(),
            one => vec![one.clone()],
        })
        .filter_map(|v| ClusterVersion::parse(v.as_str()?).ok())
        .filter(|v| *v < FIRST_CLASS_NAME_VERSION)
        .max()
        .unwrap_or(fallback)
}

/// `elb.tls-certificate-ids`: the server certificate, then the SNI ones.
fn certificates(ids: &str) -> Option<Value> {
    let mut ids = ids.split(',');
    let server = ids.next().filter(|id| !id.is_empty())?;
    let sni: Vec<&str> = ids.collect();
    if sni.iter().any(|id| id.is_empty()) {
        return None;
    }
    let mut tls = Map::new();
    tls.insert("certificateId".into(), server.into());
    if !sni.is_empty() {
        tls.insert("sniCertificateIds".into(), sni.into());
    }
    Some(Value::Object(tls))
}

/// The HTTPS port of the redirect's listeners, as the pack writes them:
/// `[{"HTTP":80},{"HTTPS":<port>}]` with `elb.ssl-redirect: "true"`.
fn redirect_port(annotations: &BTreeMap<String, String>) -> Option<u16> {
    if annotations.get(ELB_SSL_REDIRECT).map(String::as_str) != Some("true") {
        return None;
    }
    let listed: Vec<BTreeMap<String, u16>> =
        serde_json::from_str(annotations.get(ELB_LISTEN_PORTS)?).ok()?;
    match listed.as_slice() {
        [http, https] if http.len() == 1 && http.get("HTTP") == Some(&80) && https.len() == 1 => {
            https.get("HTTPS").copied()
        }
        _ => None,
    }
}

/// `regex` for a path whose only provider property is the REGEX match mode the pack
/// writes (seed 000: `property: {ingress.beta.kubernetes.io/url-match-mode: REGEX}`).
pub(super) fn path_match(path: &Value) -> Option<&'static str> {
    let property = path.get("property")?.as_object()?;
    let regex = property.len() == 1
        && property.get(URL_MATCH_MODE).and_then(Value::as_str) == Some("REGEX")
        && path.get("pathType").and_then(Value::as_str) == Some("ImplementationSpecific");
    regex.then_some("regex")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(annotations: &[(&str, &str)], routes: usize) -> Vec<(Vec<String>, String, Value)> {
        let annotations: BTreeMap<String, String> = annotations
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let spec = json!({"spec": {"routes": vec![json!({"path": "/"}); routes]}});
        fields(&annotations, &spec)
            .into_iter()
            .map(|f| (f.keys, f.path.to_string(), f.value))
            .collect()
    }

    #[test]
    fn certificates_give_every_route_tls_and_443_is_then_the_default() {
        let got = read(&[(ELB_TLS_CERTIFICATES, "a1,b2"), (ELB_PORT, "443")], 2);
        let tls = json!({"tls": {"certificateId": "a1", "sniCertificateIds": ["b2"]}});
        assert_eq!(got[0].2, json!([tls, tls]));
        assert_eq!(
            got[1],
            (vec![ELB_PORT.to_string()], "routes".into(), json!([{}, {}]))
        );
    }

    #[test]
    fn another_port_is_named_on_every_route() {
        let got = read(&[(ELB_PORT, "88")], 2);
        assert_eq!(
            got,
            vec![(
                vec![ELB_PORT.to_string()],
                "routes".into(),
                json!([{"port": 88}, {"port": 88}])
            )]
        );
        // Not a port number: not read (the import stage keeps it raw and reports it).
        assert!(read(&[(ELB_PORT, "http")], 1).is_empty());
        assert!(read(&[(ELB_PORT, "70000")], 1).is_empty());
        assert!(read(&[(ELB_TLS_CERTIFICATES, "a1,,b2")], 1).is_empty());
        assert!(read(&[(ELB_TLS_CERTIFICATES, "")], 1).is_empty());
    }

    #[test]
    fn the_redirects_listeners_read_back_and_a_users_own_list_does_not() {
        let redirect = [
            (ELB_LISTEN_PORTS, r#"[{"HTTP":80},{"HTTPS":8443}]"#),
            (ELB_SSL_REDIRECT, "true"),
            (ELB_TLS_CERTIFICATES, "a1"),
        ];
        let got = read(&redirect, 1);
        assert_eq!(got[1].1, "listener.redirectHttpToHttps");
        assert_eq!(
            got[2],
            (
                vec![ELB_LISTEN_PORTS.to_string()],
                "routes".into(),
                json!([{"port": 8443}])
            )
        );
        // cce_10_0937's list without the redirect: only elb.port beside it reads.
        let own = [
            (ELB_LISTEN_PORTS, r#"[{"HTTP": 80},{"HTTPS": 443}]"#),
            (ELB_PORT, "80"),
        ];
        assert_eq!(
            read(&own, 1),
            vec![(vec![ELB_PORT.to_string()], "routes".into(), json!([{}]))]
        );
        for list in [
            r#"[{"HTTPS":443}]"#,
            r#"[{"HTTP":81},{"HTTPS":443}]"#,
            r#"[{"HTTP":80,"HTTPS":443},{"HTTPS":443}]"#,
            "[1]",
        ] {
            let hostile = [(ELB_LISTEN_PORTS, list), (ELB_SSL_REDIRECT, "true")];
            assert!(read(&hostile, 1).is_empty(), "{list}");
        }
    }

    #[test]
    fn only_the_packs_regex_property_is_a_regex_match() {
        let path =
            |property: Value| json!({"pathType": "ImplementationSpecific", "property": property});
        assert_eq!(
            path_match(&path(json!({URL_MATCH_MODE: "REGEX"}))),
            Some("regex")
        );
        assert_eq!(
            path_match(&path(json!({URL_MATCH_MODE: "STARTS_WITH"}))),
            None
        );
        assert_eq!(
            path_match(&path(json!({URL_MATCH_MODE: "REGEX", "x": "y"}))),
            None
        );
        assert_eq!(path_match(&path(json!("REGEX"))), None);
        assert_eq!(
            path_match(&json!({"pathType": "Prefix", "property": {URL_MATCH_MODE: "REGEX"}})),
            None
        );
    }
}
