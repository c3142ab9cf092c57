//! `elb.autocreate` read back: every field the pack writes from `network`,
//! `loadBalancer.create` and `spec.huawei.ipv6NetworkId` (cce_10_0385 Table 15, cce_10_0681),
//! and the two keys written beside it only for a load balancer CCE creates
//! (`elb.custom-eip-id`, `elb.tags`). A field of the wrong JSON type is not read, so the
//! render does not reproduce the annotation and the import stage keeps it as it was.

use super::field;
use crate::provider::huawei::keys::{ELB_AUTOCREATE, ELB_CUSTOM_EIP_ID, ELB_TAGS};
use crate::provider::import::SharedField;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The fields of `elb.autocreate` (a JSON object) and its companions.
pub(super) fn fields(annotations: &BTreeMap<String, String>) -> Vec<SharedField> {
    let mut out = Vec::new();
    let Some(Value::Object(o)) = annotations
        .get(ELB_AUTOCREATE)
        .and_then(|t| serde_json::from_str::<Value>(t).ok())
    else {
        return out;
    };
    let text = |name: &str| o.get(name).and_then(Value::as_str).map(str::to_string);
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
        if let Some(list) = o.get(from).and_then(strings) {
            create.insert(to.into(), list);
        }
    }
    // Written only for a dual-stack ELB, from spec.huawei.ipv6NetworkId (cce_10_0681).
    if let Some(network) = text("ipv6_vip_virsubnet_id") {
        create.insert("ipVersion".into(), "dual-stack".into());
        out.push(field(
            ELB_AUTOCREATE,
            "huawei.ipv6NetworkId",
            network.into(),
        ));
    }
    let mut bandwidth = Map::new();
    for (from, to) in [
        ("bandwidth_name", "name"),
        ("bandwidth_sharetype", "shareType"),
        ("bandwidth_chargemode", "chargeMode"),
    ] {
        if let Some(v) = text(from) {
            bandwidth.insert(to.into(), v.into());
        }
    }
    if let Some(size) = o.get("bandwidth_size").filter(|v| v.is_u64()) {
        bandwidth.insert("size".into(), size.clone());
    }
    if !bandwidth.is_empty() {
        create.insert("bandwidth".into(), Value::Object(bandwidth));
    }
    out.push(field(ELB_AUTOCREATE, "loadBalancer.create", json!(create)));
    // cce_10_0924: one EIP id, written from create.eipIds.
    if let Some(eip) = annotations.get(ELB_CUSTOM_EIP_ID).filter(|e| !e.is_empty()) {
        out.push(field(
            ELB_CUSTOM_EIP_ID,
            "loadBalancer.create",
            json!({"eipIds": [eip]}),
        ));
    }
    // cce_10_0385 "Resource Tags": key=value,key=value, written from loadBalancer.tags.
    if let Some(tags) = annotations.get(ELB_TAGS).and_then(|t| tags(t)) {
        out.push(field(ELB_TAGS, "loadBalancer.tags", tags));
    }
    out
}

/// Why `elb.autocreate` does not read back whole: each field of another JSON type than
/// the one the pack writes (cce_10_0385 Table 15: Strings, `bandwidth_size` an Integer,
/// the zones and subnets lists of Strings) or that the pack never writes. JSON that does
/// not parse is the catalogue check's to report.
pub(super) fn unread(annotations: &BTreeMap<String, String>) -> Vec<(String, String)> {
    let Some(Ok(Value::Object(o))) = annotations
        .get(ELB_AUTOCREATE)
        .map(|t| serde_json::from_str::<Value>(t))
    else {
        return Vec::new();
    };
    let mut wrong = Vec::new();
    for (name, value) in &o {
        let (fits, expected) = match name.as_str() {
            "type" => (
                matches!(value.as_str(), Some("public" | "inner")),
                "\"public\" or \"inner\"",
            ),
            "bandwidth_size" => (value.is_u64(), "an Integer"),
            "available_zone" | "elb_virsubnet_ids" => {
                (strings(value).is_some(), "a list of Strings")
            }
            "name"
            | "bandwidth_name"
            | "bandwidth_chargemode"
            | "bandwidth_sharetype"
            | "eip_type"
            | "vip_subnet_cidr_id"
            | "vip_address"
            | "l4_flavor_name"
            | "l7_flavor_name"
            | "ipv6_vip_virsubnet_id" => (value.is_string(), "a String"),
            _ => (false, "no field lbgen writes"),
        };
        if !fits {
            wrong.push(format!("`{name}: {value}` (expected {expected})"));
        }
    }
    if wrong.is_empty() {
        return Vec::new();
    }
    vec![(
        ELB_AUTOCREATE.to_string(),
        format!("not read back: {}", wrong.join(", ")),
    )]
}

/// A JSON array of strings, as it is; anything else is not read.
fn strings(list: &Value) -> Option<Value> {
    let items = list.as_array()?;
    items.iter().all(Value::is_string).then(|| list.clone())
}

/// `key=value,key=value` as an object; `None` when a pair has no `=` or a key repeats.
fn tags(text: &str) -> Option<Value> {
    let mut out = Map::new();
    for pair in text.split(',') {
        let (key, value) = pair.split_once('=')?;
        if key.is_empty() || out.insert(key.into(), value.into()).is_some() {
            return None;
        }
    }
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(autocreate: &str) -> Vec<(String, Value)> {
        let annotations = BTreeMap::from([(ELB_AUTOCREATE.to_string(), autocreate.to_string())]);
        fields(&annotations)
            .into_iter()
            .map(|f| (f.path.to_string(), f.value))
            .collect()
    }

    #[test]
    fn every_written_field_reads_back_and_dual_stack_names_its_network() {
        let got = read(
            r#"{"available_zone":[""],"bandwidth_chargemode":"traffic","bandwidth_name":"bw","bandwidth_sharetype":"PER","bandwidth_size":5,"eip_type":"5_bgp","elb_virsubnet_ids":["s2"],"ipv6_vip_virsubnet_id":"v6","l4_flavor_name":"L4","l7_flavor_name":"L7","name":"lb","type":"public","vip_address":"192.168.0.10","vip_subnet_cidr_id":"s1"}"#,
        );
        assert_eq!(
            got,
            vec![
                ("network".into(), json!("public")),
                ("huawei.ipv6NetworkId".into(), json!("v6")),
                (
                    "loadBalancer.create".into(),
                    json!({"name": "lb", "eipType": "5_bgp", "subnetId": "s1",
                        "address": "192.168.0.10", "l4Flavor": "L4", "l7Flavor": "L7",
                        "zones": [""], "backendSubnetIds": ["s2"], "ipVersion": "dual-stack",
                        "bandwidth": {"name": "bw", "shareType": "PER", "chargeMode": "traffic", "size": 5}})
                ),
            ]
        );
    }

    #[test]
    fn fields_of_the_wrong_type_are_not_read() {
        // A size as a String, zones as a String, a number in a list, a numeric name.
        let got = read(
            r#"{"type":"inner","bandwidth_size":"5","available_zone":"az1","elb_virsubnet_ids":[1],"name":7}"#,
        );
        assert_eq!(
            got,
            vec![
                ("network".into(), json!("internal")),
                ("loadBalancer.create".into(), json!({})),
            ]
        );
        assert!(read("[1,2]").is_empty());
        assert!(read("{not json").is_empty());
    }

    #[test]
    fn each_field_of_the_wrong_type_is_named() {
        let annotations = BTreeMap::from([(
            ELB_AUTOCREATE.to_string(),
            r#"{"type":"outer","bandwidth_size":"5","available_zone":"az1","l4_flavor_name":"L4","extra":1}"#.to_string(),
        )]);
        let got = unread(&annotations);
        assert_eq!(got.len(), 1);
        assert_eq!(
            got[0].1,
            r#"not read back: `available_zone: "az1"` (expected a list of Strings), `bandwidth_size: "5"` (expected an Integer), `extra: 1` (expected no field lbgen writes), `type: "outer"` (expected "public" or "inner")"#
        );
        let fine = BTreeMap::from([(
            ELB_AUTOCREATE.to_string(),
            r#"{"type":"inner"}"#.to_string(),
        )]);
        assert!(unread(&fine).is_empty());
        let broken = BTreeMap::from([(ELB_AUTOCREATE.to_string(), "{".to_string())]);
        assert!(unread(&broken).is_empty());
    }

    #[test]
    fn tags_read_only_as_key_value_pairs() {
        assert_eq!(tags("a=1,b=2"), Some(json!({"a": "1", "b": "2"})));
        assert_eq!(tags("a=1,a=2"), None);
        assert_eq!(tags("a"), None);
        assert_eq!(tags("=1"), None);
    }
}
