//! `explain`: what a spec field means, its limits for a provider and what it becomes.
//!
//! Nothing here is written twice: the meaning is the field's doc comment (the JSON Schema
//! description), the limits are the messages of the rules that blame the field, and what
//! it becomes is the provider rule file's `fields` table.

use crate::policy::rules::LoadedRuleFile;
use crate::spec::schema::{field_schema, spec_schema};
use serde_json::Value;

/// Everything known about one field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    /// The field path as asked for.
    pub field: String,
    /// The doc comment.
    pub description: String,
    /// Type, allowed values and limits from the schema.
    pub shape: String,
    /// Sub-fields, for objects.
    pub fields: Vec<String>,
    /// What the field becomes for the provider.
    pub becomes: Vec<String>,
    /// Rules that judge the field: `(id, severity, message)`.
    pub rules: Vec<(String, String, String)>,
}

/// Explains `field` (`spec.stickiness.timeout`) for `provider` (all providers when `None`).
pub fn explain(
    field: &str,
    provider: Option<&str>,
    files: &[LoadedRuleFile],
) -> Option<Explanation> {
    let field = field.trim_start_matches('.');
    let schema = spec_schema();
    let node = field_schema(&schema, field)?;
    let description = node
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let applies = |p: &Option<String>| match (p, provider) {
        (None, _) | (_, None) => true,
        (Some(p), Some(want)) => p == want,
    };
    let mut becomes = Vec::new();
    let mut rules = Vec::new();
    for file in files.iter().filter(|f| applies(&f.content.provider)) {
        let who = file
            .content
            .provider
            .clone()
            .unwrap_or_else(|| "all".into());
        if let Some(text) = file.content.fields.get(field) {
            becomes.push(format!("{who}: {text}"));
        }
        for rule in &file.content.rules {
            if rule.field.as_deref().map(normalise).as_deref() == Some(field) {
                let severity = format!("{:?}", rule.severity).to_lowercase();
                rules.push((rule.id.clone(), severity, rule.message.clone()));
            }
        }
    }
    let fields = node
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .or_else(|| {
            node.get("items")
                .and_then(|i| field_schema(i, ""))
                .and_then(|i| i.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
        })
        .unwrap_or_default();
    Some(Explanation {
        field: field.to_string(),
        description,
        shape: shape(node),
        fields,
        becomes,
        rules,
    })
}

/// `spec.ports[{index}].protocol` -> `spec.ports.protocol`: rule paths name elements.
fn normalise(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// A one-line summary of a schema node: type, enum values, limits, pattern.
fn shape(node: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(t) = node.get("type") {
        parts.push(match t {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
    }
    let values: Vec<String> = node
        .get("enum")
        .and_then(Value::as_array)
        .map(|v| v.iter().map(|x| x.to_string()).collect())
        .or_else(|| {
            node.get("oneOf").and_then(Value::as_array).map(|v| {
                v.iter()
                    .filter_map(|x| x.get("const").map(|c| c.to_string()))
                    .collect()
            })
        })
        .unwrap_or_default();
    if !values.is_empty() {
        parts.push(format!("one of {}", values.join(", ")));
    }
    for (key, label) in [
        ("minimum", "min"),
        ("maximum", "max"),
        ("maxLength", "max length"),
        ("pattern", "pattern"),
        ("default", "default"),
    ] {
        if let Some(v) = node.get(key) {
            parts.push(format!("{label} {v}"));
        }
    }
    parts.join("; ")
}
