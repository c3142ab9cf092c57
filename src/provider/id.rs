//! The provider a spec names: an id the registry knows, checked where it is read.
//!
//! Specs, `--provider`, KRM and Argo CD parameters all name a provider by its pack's id.
//! A [`ProviderId`] exists only for a registered pack, so the rest of lbgen never meets an
//! unknown provider; the spec's error at an unknown value lists the registry's ids, and
//! the JSON Schema's enum is the registry's.

use super::registry::registry;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserialize, Deserializer, EnumAccess, VariantAccess, Visitor};
use serde::{Serialize, Serializer};
use std::borrow::Cow;

/// The id of a registered provider pack (`huawei`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProviderId(&'static str);

impl ProviderId {
    /// The registered provider spelt exactly `id`.
    pub fn parse(id: &str) -> Option<ProviderId> {
        registry().get(id).map(|p| ProviderId(p.id()))
    }

    /// The registered provider spelt `id` in any case (`Huawei`), as `--provider` and the
    /// plugin parameters accept it.
    pub fn parse_ignore_case(id: &str) -> Option<ProviderId> {
        registry()
            .ids()
            .into_iter()
            .find(|known| known.eq_ignore_ascii_case(id))
            .map(ProviderId)
    }

    /// The spelling used in specs, policies and templates.
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// The provider's pack.
    pub fn pack(self) -> &'static dyn super::Pack {
        match registry().get(self.0) {
            Some(pack) => pack,
            // A ProviderId is only made from a registered pack, and packs are never removed.
            None => unreachable!("provider `{}` is not registered", self.0),
        }
    }
}

impl std::fmt::Debug for ProviderId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::fmt::Display for ProviderId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for ProviderId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

/// Read like an enum of the registry's ids: a scalar whose text is one of them.
impl<'de> Deserialize<'de> for ProviderId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_enum("Provider", &[], IdVisitor)
    }
}

struct IdVisitor;

impl<'de> Visitor<'de> for IdVisitor {
    type Value = ProviderId;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "one of {}", quoted_ids())
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<ProviderId, E> {
        ProviderId::parse(value).ok_or_else(|| {
            // serde's own wording for an unknown enum variant, with the registry's ids.
            E::custom(format_args!(
                "unknown variant `{value}`, expected one of {}",
                quoted_ids()
            ))
        })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<ProviderId, A::Error> {
        let (id, variant): (Cow<'de, str>, _) = data.variant()?;
        variant.unit_variant()?;
        self.visit_str(&id)
    }
}

fn quoted_ids() -> String {
    registry()
        .ids()
        .iter()
        .map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `Provider` in the schema: one `const` per registered pack, described by its name.
impl JsonSchema for ProviderId {
    fn schema_name() -> Cow<'static, str> {
        "Provider".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let choices: Vec<serde_json::Value> = registry()
            .packs()
            .map(|p| {
                serde_json::json!({
                    "const": p.id(),
                    "description": format!("{}.", p.display_name()),
                    "type": "string",
                })
            })
            .collect();
        json_schema!({
            "description": "The cloud whose controller reads the output.",
            "oneOf": choices,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::ProviderId;
    use crate::yaml::de::from_node;
    use crate::yaml::node::parse_stream;

    fn read(text: &str) -> Result<ProviderId, String> {
        let docs = parse_stream(text).map_err(|e| e.message)?;
        let Some(Some(root)) = docs.first() else {
            return Err("no document".into());
        };
        from_node::<ProviderId>(root).map_err(|e| e.message)
    }

    #[test]
    fn known_ids_read_and_unknown_ones_list_the_registry() {
        assert_eq!(read("tencent").map(ProviderId::as_str), Ok("tencent"));
        assert_eq!(
            read("aws").unwrap_err(),
            "unknown value `aws`; expected one of `huawei`, `alibaba`, `tencent`"
        );
        assert_eq!(
            read("{a: 1}").unwrap_err(),
            "expected one of the listed values, found a mapping"
        );
        assert_eq!(ProviderId::parse("Huawei"), None);
        assert_eq!(
            ProviderId::parse_ignore_case("Huawei").map(ProviderId::as_str),
            Some("huawei")
        );
    }
}
