//! Reading `service.kubernetes.io/service.extensiveParameters` and
//! `kubernetes.io/ingress.extensiveParameters` back into the spec (`kubectl lbgen import`):
//! the inverse of the CreateLoadBalancer parameters `load_balancer` writes from
//! `loadBalancer.create` and `loadBalancer.tags` (`ExtensiveValue`). A member the pack does
//! not write (`VipIsp`, `IPv6FullChain`, ...) or a value of the wrong JSON type leaves the
//! whole key a raw annotation: the inverse is all or nothing, and the import stage checks
//! it by rendering and comparing the value byte for byte.

use crate::provider::import::SharedField;
use serde_json::{Map, Value, json};

/// The spec fields of an `extensiveParameters` value, each accounting for `key`; empty when
/// a member is not one the pack writes or does not read.
pub(super) fn create_parameters(key: &str, text: &str) -> Vec<SharedField> {
    let Ok(Value::Object(members)) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, value) in &members {
        let Some((path, value)) = member(name, value) else {
            return Vec::new();
        };
        out.push(SharedField {
            keys: vec![key.to_string()],
            path,
            value,
        });
    }
    out
}

/// One member as a spec path and value.
fn member(name: &str, value: &Value) -> Option<(&'static str, Value)> {
    let text = value.as_str();
    match name {
        "LoadBalancerName" => Some((
            "loadBalancer.create.name",
            text.filter(|t| !t.is_empty())?.into(),
        )),
        "ZoneId" => Some((
            "loadBalancer.create.zones",
            json!([text.filter(|t| !t.is_empty())?]),
        )),
        // The spec's address is the canonical spelling (`IpAddress`): only that reads back.
        "Vip" => {
            let vip = text?;
            let canonical = vip.parse::<std::net::IpAddr>().ok()?.to_string();
            (canonical == vip).then(|| ("loadBalancer.create.address", vip.into()))
        }
        // Only IPv6 (NAT64) is written: IPv4 is CreateLoadBalancer's default.
        "AddressIPVersion" => {
            (text? == "IPV6").then(|| ("loadBalancer.create.ipVersion", "ipv6".into()))
        }
        "Tags" => Some(("loadBalancer.tags", Value::Object(tags(value)?))),
        _ => None,
    }
}

/// `[{"TagKey": k, "TagValue": v}]` as the spec's `key: value` map; `None` for an entry of
/// another shape or a repeated key.
fn tags(value: &Value) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    for tag in value.as_array()? {
        let tag = tag.as_object()?;
        if tag.len() != 2 {
            return None;
        }
        let key = tag.get("TagKey")?.as_str()?;
        let value = tag.get("TagValue")?.as_str()?;
        if out.insert(key.to_string(), value.into()).is_some() {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::create_parameters;
    use serde_json::{Value, json};

    const KEY: &str = "service.kubernetes.io/service.extensiveParameters";

    fn fields(text: &str) -> Vec<(&'static str, Value)> {
        create_parameters(KEY, text)
            .into_iter()
            .map(|f| {
                assert_eq!(f.keys, [KEY]);
                (f.path, f.value)
            })
            .collect()
    }

    #[test]
    fn the_written_parameters_read_back_to_their_fields() {
        // The pages' examples (457/39142 NAT64, 457/40675 ZoneId) and the pack's own form.
        assert_eq!(
            fields(r#"{"AddressIPVersion":"IPV6"}"#),
            [("loadBalancer.create.ipVersion", json!("ipv6"))]
        );
        assert_eq!(
            fields(r#"{"ZoneId":"ap-guangzhou-1"}"#),
            [("loadBalancer.create.zones", json!(["ap-guangzhou-1"]))]
        );
        assert_eq!(
            fields(
                r#"{"LoadBalancerName":"shop","Vip":"10.0.1.20","Tags":[{"TagKey":"cost-centre","TagValue":"4711"},{"TagKey":"team","TagValue":"finance"}]}"#
            ),
            [
                ("loadBalancer.create.name", json!("shop")),
                (
                    "loadBalancer.tags",
                    json!({"cost-centre": "4711", "team": "finance"})
                ),
                ("loadBalancer.create.address", json!("10.0.1.20")),
            ]
        );
        assert!(fields("{}").is_empty());
    }

    #[test]
    fn hostile_values_read_back_to_nothing() {
        for text in [
            "",
            "not json",
            "[]",
            r#""IPV6""#,
            r#"{"AddressIPVersion":"IPv6FullChain"}"#,
            r#"{"AddressIPVersion":6}"#,
            r#"{"VipIsp":"CTCC"}"#,
            r#"{"LoadBalancerName":5}"#,
            r#"{"LoadBalancerName":""}"#,
            r#"{"ZoneId":["ap-guangzhou-1"]}"#,
            r#"{"Vip":"10.0.1.020"}"#,
            r#"{"Vip":"2408:4005:03ff::10"}"#,
            r#"{"Vip":"10.0.1.0/24"}"#,
            r#"{"Tags":{"team":"finance"}}"#,
            r#"{"Tags":[{"TagKey":"team"}]}"#,
            r#"{"Tags":[{"TagKey":"team","TagValue":1}]}"#,
            r#"{"Tags":[{"TagKey":"a","TagValue":"b","Extra":"c"}]}"#,
            r#"{"Tags":[{"TagKey":"a","TagValue":"b"},{"TagKey":"a","TagValue":"c"}]}"#,
            // A known member beside an unknown one: the whole key stays raw.
            r#"{"ZoneId":"ap-guangzhou-1","VipIsp":"CTCC"}"#,
        ] {
            assert!(fields(text).is_empty(), "{text}");
        }
    }
}
