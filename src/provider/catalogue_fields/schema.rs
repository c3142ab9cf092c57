//! The JSON Schema of the typed provider fields, generated from the catalogue entries they
//! come from: editors complete and check `spec.<provider>.service|ingress` like every other
//! field, with each field's annotation and source in its description.

use super::{GROUPS, fields};
use crate::provider::catalogue::{Catalogue, Entry, ValueType};
use serde_json::{Value, json};

/// The JSON Schema of a catalogue's groups: `{"service": {...}, "ingress": {...}}`.
pub fn schema(catalogue: &Catalogue) -> Value {
    let mut groups = serde_json::Map::new();
    for (group, kind) in GROUPS {
        let properties: serde_json::Map<String, Value> = fields(catalogue, kind)
            .into_iter()
            .map(|(name, entry)| (name, field_schema(entry)))
            .collect();
        if properties.is_empty() {
            continue;
        }
        groups.insert(
            group.into(),
            json!({
                "description": format!("Typed fields for the {kind}'s {} annotations that no shared field sets, generated from lbgen's catalogue (`kubectl lbgen catalogue --provider {}`).", catalogue.provider, catalogue.provider),
                "type": "object",
                "additionalProperties": false,
                "properties": properties,
            }),
        );
    }
    Value::Object(groups)
}

fn field_schema(entry: &Entry) -> Value {
    let mut schema = value_schema(&entry.value);
    let description = format!(
        "{} Sets `{}` ({}).",
        entry.summary,
        entry.name(),
        entry.source
    );
    if entry.pattern.is_some() {
        schema = json!({"type": "object", "additionalProperties": schema});
    }
    if let Some(o) = schema.as_object_mut() {
        o.insert("description".into(), description.into());
    }
    schema
}

fn value_schema(ty: &ValueType) -> Value {
    if let Some(allowed) = &ty.one_of {
        return json!({"type": "string", "enum": allowed});
    }
    if let Some(spellings) = &ty.bool {
        return match spellings.len() {
            1 => json!({"const": true}),
            _ => json!({"type": "boolean"}),
        };
    }
    if let Some(range) = &ty.integer {
        let mut s = json!({"type": "integer"});
        if let Some(min) = range.min {
            s["minimum"] = min.into();
        }
        if let Some(max) = range.max {
            s["maximum"] = max.into();
        }
        return s;
    }
    if ty.duration.is_some() {
        return json!({"type": "string", "pattern": "^([0-9]+(s|m|h))+$"});
    }
    if let Some(list) = &ty.list {
        let item = list
            .get("item")
            .and_then(|i| serde_json::from_value::<ValueType>(i.clone()).ok())
            .filter(|t| t.name().is_some())
            .map_or_else(|| json!({"type": "string"}), |t| value_schema(&t));
        return json!({"type": "array", "items": item});
    }
    if ty.json.is_some() {
        return json!({"type": ["object", "array"]});
    }
    json!({"type": "string"})
}
