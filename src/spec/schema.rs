//! The JSON Schema of `lbgen.dev/v1alpha1`, generated from the Rust types (never written
//! by hand): descriptions are the types' doc comments, enums list their spellings, and
//! the checked value types carry the same limits their deserialisers enforce.

use super::model::LoadBalancerDoc;
use crate::provider::{catalogue, catalogue_fields, registry};
use serde_json::Value;

/// The schema of a `LoadBalancer` document.
pub fn spec_schema() -> serde_json::Value {
    let mut schema = schemars::schema_for!(LoadBalancerDoc).to_value();
    if let Some(o) = schema.as_object_mut() {
        o.insert("title".into(), "lbgen.dev/v1alpha1 LoadBalancer".into());
    }
    for pack in registry().packs() {
        add_settings_block(
            &mut schema,
            pack.id(),
            pack.display_name(),
            (pack.settings().schema)(),
        );
    }
    schema
}

/// Adds a pack's `spec.<id>` block: its definitions join the root's, its own schema goes
/// to `$defs/<id>-settings` and `spec.<id>` refers to it.
fn add_settings_block(schema: &mut Value, id: &str, name: &str, mut block: Value) {
    let defs = block
        .as_object_mut()
        .and_then(|b| b.remove("$defs"))
        .unwrap_or_default();
    if let Some(o) = block.as_object_mut() {
        o.remove("title");
        add_provider_fields(o, id);
        let description =
            format!("Settings only {name} has: used when rendering for `{id}`, checked always.");
        o.insert("description".into(), description.into());
    }
    let Some(root_defs) = schema.get_mut("$defs").and_then(Value::as_object_mut) else {
        return;
    };
    if let Value::Object(defs) = defs {
        root_defs.extend(defs);
    }
    let def = format!("{id}-settings");
    root_defs.insert(def.clone(), block);
    if let Some(properties) = root_defs
        .get_mut("Spec")
        .and_then(|s| s.get_mut("properties"))
        .and_then(Value::as_object_mut)
    {
        properties.insert(
            id.into(),
            serde_json::json!({"$ref": format!("#/$defs/{def}")}),
        );
    }
}

/// Adds the typed provider fields of `id`'s catalogue (`service`, `ingress`) to its block.
fn add_provider_fields(block: &mut serde_json::Map<String, Value>, id: &str) {
    let Some(catalogue) = catalogue::catalogue_of(id).ok().flatten() else {
        return;
    };
    let Value::Object(groups) = catalogue_fields::schema(catalogue) else {
        return;
    };
    if let Some(properties) = block
        .entry("properties")
        .or_insert_with(|| Value::Object(Default::default()))
        .as_object_mut()
    {
        properties.extend(groups);
    }
}

/// The node of `schema` that describes the field at a dotted path
/// (`spec.stickiness.timeout`; list items are entered transparently), following `$ref`s.
pub fn field_schema<'a>(
    schema: &'a serde_json::Value,
    path: &str,
) -> Option<&'a serde_json::Value> {
    let mut node = resolve(schema, schema);
    for key in path.split('.').filter(|k| !k.is_empty()) {
        node = resolve(schema, node);
        if let Some(items) = node.get("items") {
            node = resolve(schema, items);
        }
        node = resolve(schema, node.get("properties")?.get(key)?);
    }
    Some(node)
}

/// The required fields of the mapping at a dotted path (`""` for the document; list items
/// entered transparently, as in [`field_schema`]).
pub fn required_at(schema: &serde_json::Value, path: &str) -> Vec<String> {
    let node = if path.is_empty() {
        Some(resolve(schema, schema))
    } else {
        field_schema(schema, path)
    };
    let Some(mut node) = node else {
        return Vec::new();
    };
    if let Some(items) = node.get("items") {
        node = resolve(schema, items);
    }
    node.get("required")
        .and_then(|r| r.as_array())
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Follows a `$ref` (and a one-element `allOf`/`anyOf` with null, as Option<T> renders).
fn resolve<'a>(root: &'a serde_json::Value, node: &'a serde_json::Value) -> &'a serde_json::Value {
    if let Some(r) = node.get("$ref").and_then(|r| r.as_str()) {
        let target = r.strip_prefix('#').and_then(|p| root.pointer(p));
        return target.map_or(node, |t| resolve(root, t));
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = node.get(key).and_then(|v| v.as_array()) {
            let non_null: Vec<_> = options
                .iter()
                .filter(|o| o.get("type") != Some(&"null".into()))
                .collect();
            if let [only] = non_null.as_slice() {
                return resolve(root, only);
            }
        }
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_found_with_their_descriptions() {
        let s = spec_schema();
        let timeout = field_schema(&s, "spec.stickiness.timeout").expect("field");
        assert_eq!(timeout["pattern"], "^([0-9]+[smh])+$");
        let ports = field_schema(&s, "spec.ports.protocol").expect("list items are entered");
        assert!(ports.to_string().contains("HTTPS"));
        assert!(field_schema(&s, "spec.nope").is_none());
        assert_eq!(
            required_at(&s, ""),
            ["apiVersion", "kind", "metadata", "spec"]
        );
        assert_eq!(required_at(&s, "spec.ports"), ["port"]);
        assert_eq!(required_at(&s, "spec.workload"), ["kind", "name"]);
    }
}

#[cfg(test)]
mod block_tests {
    use super::*;

    #[test]
    fn pack_definitions_never_replace_another_definition() {
        let own = schemars::schema_for!(LoadBalancerDoc).to_value();
        let mut seen: std::collections::BTreeSet<String> = own["$defs"]
            .as_object()
            .expect("defs")
            .keys()
            .cloned()
            .collect();
        for pack in registry().packs() {
            let block = (pack.settings().schema)();
            for name in block
                .get("$defs")
                .and_then(Value::as_object)
                .into_iter()
                .flat_map(|d| d.keys())
            {
                assert!(seen.insert(name.clone()), "{} redefines {name}", pack.id());
            }
        }
    }
}
