//! One AlbConfig (`alibabacloud.com/v1`) read back into spec fields: the inverse of
//! `ingress.rs` `alb_objects` field by field. `spec.config`: an existing ALB (`id`,
//! `forceOverride`) or the creation parameters (name, address type and IP version,
//! edition, zone mappings with their EIPs, tags); `spec.listeners[]`: certificates (per
//! port, for the routes), TLS policy, ACL, idle and request timeouts, HTTP/2 and the
//! X-Forwarded-For switches. A field lbgen does not write, or a value of another type
//! than the controller's, is reported as something the spec cannot say (the AlbConfig then
//! passes through): never read by guess, never a panic.

use super::import_ingress::field;
use crate::provider::import::{SharedField, duration_text};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// What an AlbConfig says.
#[derive(Debug, Default)]
pub(super) struct AlbConfig {
    /// The spec fields read.
    pub fields: Vec<SharedField>,
    /// The certificate ids of each listener port, the default first.
    pub certificates: BTreeMap<u64, Vec<String>>,
    /// `(subject, spec field)` of each field read.
    pub read: Vec<(String, String)>,
    /// `(subject, why)` of each field the spec cannot say.
    pub unexpressed: Vec<(String, String)>,
}

impl AlbConfig {
    fn unexpressed(&mut self, subject: String, why: &str) {
        self.unexpressed.push((subject, why.to_string()));
    }
}

/// What the spec cannot say about a field lbgen does not write.
const NOT_WRITTEN: &str = "lbgen does not write this AlbConfig field, so no spec field says it";

/// Reads `albconfig` (named `name`).
pub(super) fn read_albconfig(albconfig: &Value, name: &str) -> AlbConfig {
    let mut out = AlbConfig::default();
    let at = |path: &str| format!("AlbConfig {name} {path}");
    let Some(spec) = albconfig.get("spec").and_then(Value::as_object) else {
        out.unexpressed(at("spec"), "expected a mapping with config and listeners");
        return out;
    };
    for (key, value) in spec {
        match key.as_str() {
            "config" => config(value, &at, &mut out),
            "listeners" => listeners(value, &at, &mut out),
            _ => out.unexpressed(at(&format!("spec.{key}")), NOT_WRITTEN),
        }
    }
    out
}

type At<'a> = &'a dyn Fn(&str) -> String;

fn config(value: &Value, at: At<'_>, out: &mut AlbConfig) {
    let Some(config) = value.as_object() else {
        out.unexpressed(at("spec.config"), "expected a mapping");
        return;
    };
    let mut create = Map::new();
    let read = |out: &mut AlbConfig, key: &str, target: &str| {
        out.read
            .push((at(&format!("spec.config.{key}")), target.to_string()));
    };
    for (key, value) in config {
        let subject = at(&format!("spec.config.{key}"));
        let text = value.as_str();
        match (key.as_str(), text) {
            ("id", Some(id)) => {
                out.fields.push(field(&[], "loadBalancer.id", json!(id)));
                read(out, key, "spec.loadBalancer.id");
            }
            ("forceOverride", _) if value.is_boolean() => {
                out.fields
                    .push(field(&[], "loadBalancer.overrideListeners", value.clone()));
                read(out, key, "spec.loadBalancer.overrideListeners");
            }
            ("name", Some(n)) => {
                create.insert("name".into(), json!(n));
                read(out, key, "spec.loadBalancer.create.name");
            }
            ("edition", Some(e)) => {
                create.insert("l7Flavor".into(), json!(e));
                read(out, key, "spec.loadBalancer.create.l7Flavor");
            }
            ("addressType", Some(t @ ("Internet" | "Intranet"))) => {
                let network = if t == "Internet" { "public" } else { "internal" };
                out.fields.push(field(&[], "network", json!(network)));
                read(out, key, "spec.network");
            }
            ("addressIpVersion", Some(v @ ("IPv4" | "DualStack"))) => {
                let version = if v == "IPv4" { "ipv4" } else { "dual-stack" };
                create.insert("ipVersion".into(), json!(version));
                read(out, key, "spec.loadBalancer.create.ipVersion");
            }
            // Written for a public dual-stack ALB; the render checks that it is one.
            ("ipv6AddressType", Some("Internet")) => {
                read(out, key, "spec.loadBalancer.create.ipVersion and spec.network");
            }
            ("zoneMappings", _) => match zone_mappings(value) {
                Some(fields) => {
                    create.extend(fields);
                    read(
                        out,
                        key,
                        "spec.loadBalancer.create.subnetIds, zones, eipIds",
                    );
                }
                None => out.unexpressed(
                    subject,
                    "expected a list of {vSwitchId, zoneId, allocationId} with text values, the zones and EIPs given for a leading run of entries",
                ),
            },
            ("tags", _) => match tags(value) {
                Some(tags) => {
                    out.fields.push(field(&[], "loadBalancer.tags", tags));
                    read(out, key, "spec.loadBalancer.tags");
                }
                None => out.unexpressed(subject, "expected a list of {key, value} text pairs"),
            },
            (
                "id" | "name" | "edition" | "addressType" | "addressIpVersion" | "ipv6AddressType"
                | "forceOverride",
                _,
            ) => out.unexpressed(subject, "a value lbgen does not write here (see the AlbConfig reference: text, Internet|Intranet, IPv4|DualStack, a boolean)"),
            _ => out.unexpressed(subject, NOT_WRITTEN),
        }
    }
    if !create.is_empty() {
        out.fields
            .push(field(&[], "loadBalancer.create", Value::Object(create)));
    }
}

/// `[{vSwitchId, zoneId?, allocationId?}]` as `subnetIds`, `zones`, `eipIds` (zones and
/// EIPs, when given, must be a leading run: the render writes them by position).
fn zone_mappings(value: &Value) -> Option<Map<String, Value>> {
    let (mut subnets, mut zones, mut eips) = (Vec::new(), Vec::new(), Vec::new());
    for mapping in value.as_array()? {
        let mapping = mapping.as_object()?;
        if mapping
            .keys()
            .any(|k| !matches!(k.as_str(), "vSwitchId" | "zoneId" | "allocationId"))
        {
            return None;
        }
        subnets.push(mapping.get("vSwitchId")?.as_str()?);
        for (key, list) in [("zoneId", &mut zones), ("allocationId", &mut eips)] {
            match mapping.get(key) {
                Some(v) if list.len() + 1 == subnets.len() => list.push(v.as_str()?),
                Some(_) => return None,
                None => {}
            }
        }
    }
    let mut out = Map::new();
    out.insert("subnetIds".into(), json!(subnets));
    if !zones.is_empty() {
        out.insert("zones".into(), json!(zones));
    }
    if !eips.is_empty() {
        out.insert("eipIds".into(), json!(eips));
    }
    Some(out)
}

/// `[{key, value}]` as a tag map (the render writes them in key order).
fn tags(value: &Value) -> Option<Value> {
    let mut out = Map::new();
    for tag in value.as_array()? {
        let key = tag.get("key")?.as_str()?;
        out.insert(key.into(), tag.get("value")?.as_str()?.into());
    }
    Some(Value::Object(out))
}

/// Every listener: its certificates by port; the first value of each shared setting
/// (the render writes the same on every listener, and checks it).
fn listeners(value: &Value, at: At<'_>, out: &mut AlbConfig) {
    let Some(list) = value.as_array() else {
        out.unexpressed(at("spec.listeners"), "expected a list of listeners");
        return;
    };
    let mut listener = Map::new();
    let mut access = None;
    for (i, item) in list.iter().enumerate() {
        let subject = |key: &str| at(&format!("spec.listeners[{i}].{key}"));
        let Some(item) = item.as_object() else {
            out.unexpressed(at(&format!("spec.listeners[{i}]")), "expected a mapping");
            continue;
        };
        let port = item.get("port").and_then(Value::as_u64);
        for (key, value) in item {
            let ok = match key.as_str() {
                "port" => port.is_some(),
                "protocol" => matches!(value.as_str(), Some("HTTP" | "HTTPS")),
                "certificates" => match (port, certificates(value)) {
                    (Some(p), Some(ids)) => {
                        out.certificates.insert(p, ids);
                        true
                    }
                    _ => false,
                },
                "securityPolicyId" => {
                    set(&mut listener, "tlsPolicy", value.as_str().map(Value::from))
                }
                "idleTimeout" => set(&mut listener, "idleTimeout", seconds(value)),
                "requestTimeout" => set(&mut listener, "backendTimeout", seconds(value)),
                "http2Enabled" => set(&mut listener, "http2", value.as_bool().map(Value::from)),
                "xForwardedForConfig" => set(&mut listener, "forwardedHeaders", forwarded(value)),
                "aclConfig" => {
                    let acl = acl(value);
                    let ok = acl.is_some();
                    access = access.or(acl);
                    ok
                }
                _ => {
                    out.unexpressed(subject(key), NOT_WRITTEN);
                    continue;
                }
            };
            if !ok {
                out.unexpressed(subject(key), "a value of another type or spelling than lbgen writes (AlbConfig ListenerSpec)");
            }
        }
    }
    if !listener.is_empty() {
        out.read
            .push((at("spec.listeners[] settings"), "spec.listener".into()));
        out.fields
            .push(field(&[], "listener", Value::Object(listener)));
    }
    if let Some(acl) = access {
        out.read.push((
            at("spec.listeners[].aclConfig"),
            "spec.accessControl".into(),
        ));
        out.fields.push(field(&[], "accessControl", acl));
    }
    if !out.certificates.is_empty() {
        out.read.push((
            at("spec.listeners[].certificates"),
            "spec.routes[].tls".into(),
        ));
    }
}

/// Sets `key` once (the first listener's); whether `value` read.
fn set(listener: &mut Map<String, Value>, key: &str, value: Option<Value>) -> bool {
    match value {
        Some(v) => {
            listener.entry(key).or_insert(v);
            true
        }
        None => false,
    }
}

fn seconds(value: &Value) -> Option<Value> {
    value.as_u64().map(|s| Value::from(duration_text(s)))
}

/// `[{CertificateId, IsDefault}]`, the default first and only first.
fn certificates(value: &Value) -> Option<Vec<String>> {
    let list = value.as_array()?;
    let mut ids = Vec::new();
    for (i, c) in list.iter().enumerate() {
        if c.get("IsDefault")?.as_bool()? != (i == 0) {
            return None;
        }
        ids.push(c.get("CertificateId")?.as_str()?.to_string());
    }
    Some(ids)
}

/// `xForwardedForConfig`: `XForwardedForEnabled: true` and the headers switched on.
fn forwarded(value: &Value) -> Option<Value> {
    let config = value.as_object()?;
    let mut headers = Vec::new();
    for (key, on) in config {
        if on.as_bool() != Some(true) {
            return None;
        }
        match key.as_str() {
            "XForwardedForEnabled" => {}
            "XForwardedForProtoEnabled" => headers.push("protocol"),
            "XForwardedForSLBPortEnabled" => headers.push("listener-port"),
            "XForwardedForClientSrcPortEnabled" => headers.push("client-port"),
            _ => return None,
        }
    }
    headers.sort_unstable();
    Some(json!(headers))
}

/// `aclConfig {aclIds, aclType: White|Black}` as `accessControl`.
fn acl(value: &Value) -> Option<Value> {
    let mode = match value.get("aclType")?.as_str()? {
        "White" => "allow",
        "Black" => "deny",
        _ => return None,
    };
    let ids: Option<Vec<&str>> = value
        .get("aclIds")?
        .as_array()?
        .iter()
        .map(Value::as_str)
        .collect();
    Some(json!({"mode": mode, "aclIds": ids?}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_albconfig_reads_back_into_spec_fields() {
        let albconfig = json!({"spec": {
            "config": {"addressType": "Intranet", "name": "alb", "zoneMappings": [
                {"vSwitchId": "vsw-a", "zoneId": "z-a", "allocationId": "eip-a"},
                {"vSwitchId": "vsw-b", "zoneId": "z-b"}]},
            "listeners": [{"port": 443, "protocol": "HTTPS", "idleTimeout": 60,
                "certificates": [{"CertificateId": "c1", "IsDefault": true},
                                 {"CertificateId": "c2", "IsDefault": false}]}]}});
        let read = read_albconfig(&albconfig, "x");
        assert!(read.unexpressed.is_empty(), "{:?}", read.unexpressed);
        let fields: BTreeMap<&str, &Value> =
            read.fields.iter().map(|f| (f.path, &f.value)).collect();
        assert_eq!(fields["network"], &json!("internal"));
        assert_eq!(
            fields["loadBalancer.create"],
            &json!({"name": "alb", "subnetIds": ["vsw-a", "vsw-b"], "zones": ["z-a", "z-b"], "eipIds": ["eip-a"]})
        );
        assert_eq!(fields["listener"], &json!({"idleTimeout": "1m"}));
        assert_eq!(read.certificates[&443], vec!["c1", "c2"]);
    }

    #[test]
    fn wrong_types_and_unknown_fields_are_reported_not_read() {
        let albconfig = json!({"spec": {
            "config": {"zoneMappings": "vsw-a", "addressType": 7, "deletionProtectionEnabled": true},
            "listeners": [{"port": "443", "certificates": {"CertificateId": "c"}}, 5],
            "extra": {}}});
        let read = read_albconfig(&albconfig, "x");
        let subjects: Vec<&str> = read.unexpressed.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            subjects,
            [
                "AlbConfig x spec.config.addressType",
                "AlbConfig x spec.config.deletionProtectionEnabled",
                "AlbConfig x spec.config.zoneMappings",
                "AlbConfig x spec.extra",
                "AlbConfig x spec.listeners[0].certificates",
                "AlbConfig x spec.listeners[0].port",
                "AlbConfig x spec.listeners[1]",
            ]
        );
        assert!(read.fields.is_empty());
        assert!(read_albconfig(&json!({"spec": []}), "x").unexpressed.len() == 1);
    }
}
