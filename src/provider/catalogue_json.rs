//! JSON-valued annotations checked against the shape their catalogue entry documents
//! (`value: {json: {schema: ...}}`).
//!
//! A controller that cannot read a JSON annotation's field ignores it, as it ignores an
//! unknown key: `[{"HTTP": 0}]` or a health option's `"delay": "99"` is the same silent
//! failure as a misspelt key. The catalogues describe shapes in a small vocabulary that
//! follows the pages: JSON Schema words (`type`, `enum`, `const`, `items`, `properties`,
//! `required`, `additionalProperties`, `propertyNames`, `minimum`/`maximum`, `pattern`,
//! `oneOf`, length and count limits) and the pages' own (`fields` for an object's fields,
//! a field's `required: true`, `values` for a map's values, `integer: {min, max}` for a
//! number written as a string, `min`/`max`, `max_items`). A mapping whose keys are not such
//! words is the object's fields themselves (`{key: ..., statefulSets: ...}`). Only what a
//! shape states is enforced: a field the shape does not list is refused only where it says
//! `additionalProperties: false`.

use serde_json::{Map, Value};

/// The first way `value` breaks `schema`, with the JSON path to the offending part.
pub(super) fn problem(schema: &Value, value: &Value) -> Option<String> {
    check(schema, value, "$")
}

const WORDS: &[&str] = &[
    "type",
    "enum",
    "const",
    "items",
    "properties",
    "fields",
    "required",
    "additionalProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "min",
    "max",
    "minimum",
    "maximum",
    "pattern",
    "min_length",
    "max_length",
    "minLength",
    "maxLength",
    "max_items",
    "maxItems",
    "min_items",
    "minItems",
    "integer",
    "note",
    "default",
    "example",
    "unit",
    "optional",
    "keys",
    "values",
    "oneOf",
    "gate",
];

/// Whether `schema` is made of the vocabulary's words (rather than being a map of fields).
/// `type` is a word only with a type name: `{type: {enum: [...]}}` is a field named `type`.
fn is_words(schema: &Map<String, Value>) -> bool {
    schema
        .iter()
        .all(|(k, v)| WORDS.contains(&k.as_str()) && (k != "type" || v.is_string() || v.is_array()))
}

fn check(schema: &Value, value: &Value, path: &str) -> Option<String> {
    let schema = match schema {
        Value::Object(o) => o,
        // A page's one-word type (`"string (type service)"`).
        Value::String(s) => return type_problem(s.split_whitespace().next()?, value, path),
        _ => return None,
    };
    if !is_words(schema) {
        return fields_problem(schema, &[], None, value, path);
    }
    if let Some(forms) = schema.get("oneOf").and_then(Value::as_array)
        && !forms.iter().any(|f| check(f, value, path).is_none())
    {
        // A form the value names (its `type` is that form's `const`) is the one it meant:
        // say what is wrong inside it rather than that no form matched.
        let named: Vec<&Value> = forms.iter().filter(|f| names_form(f, value)).collect();
        if let [form] = named.as_slice() {
            return check(form, value, path);
        }
        return Some(format!("{path} matches none of the documented forms"));
    }
    if let Some(want) = schema.get("const")
        && want != value
    {
        return Some(format!("{path} must be {want}"));
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
        return Some(format!(
            "{path} is {value}; expected one of {}",
            list.join(", ")
        ));
    }
    if let Some(t) = schema.get("type") {
        let names: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !names.is_empty() && names.iter().all(|n| type_problem(n, value, path).is_some()) {
            return type_problem(names[0], value, path);
        }
    }
    number_problem(schema, value, path)
        .or_else(|| string_problem(schema, value, path))
        .or_else(|| array_problem(schema, value, path))
        .or_else(|| object_problem(schema, value, path))
}

fn type_problem(name: &str, value: &Value, path: &str) -> Option<String> {
    let fits = match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" | "bool" => value.is_boolean(),
        _ => true,
    };
    (!fits).then(|| format!("{path} is {value}; expected a JSON {name}"))
}

fn bound(schema: &Map<String, Value>, words: &[&str]) -> Option<f64> {
    words
        .iter()
        .find_map(|w| schema.get(*w).and_then(Value::as_f64))
}

fn range_problem(schema: &Map<String, Value>, n: f64, path: &str, unit: &str) -> Option<String> {
    let (lo, hi) = (
        bound(schema, &["min", "minimum"]),
        bound(schema, &["max", "maximum"]),
    );
    let outside = lo.is_some_and(|lo| n < lo) || hi.is_some_and(|hi| n > hi);
    outside.then(|| {
        let show = |b: Option<f64>| b.map(|b| b.to_string()).unwrap_or_default();
        format!("{path} is {n}; expected {}..{}{unit}", show(lo), show(hi))
    })
}

fn number_problem(schema: &Map<String, Value>, value: &Value, path: &str) -> Option<String> {
    // A number the page writes as a string: `"delay": "5"` with `integer: {min, max}`.
    if let (Some(Value::Object(limits)), Value::String(text)) = (schema.get("integer"), value) {
        let Ok(n) = text.trim().parse::<i64>() else {
            return Some(format!(
                "{path} is {value}; expected a whole number written as a string"
            ));
        };
        let unit = limits
            .get("unit")
            .and_then(Value::as_str)
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        return range_problem(limits, n as f64, path, &unit);
    }
    range_problem(schema, value.as_f64()?, path, "")
}

fn string_problem(schema: &Map<String, Value>, value: &Value, path: &str) -> Option<String> {
    let text = value.as_str()?;
    let len = text.chars().count() as f64;
    if bound(schema, &["min_length", "minLength"]).is_some_and(|m| len < m)
        || bound(schema, &["max_length", "maxLength"]).is_some_and(|m| len > m)
    {
        return Some(format!(
            "{path} has {len} characters, outside its documented length"
        ));
    }
    let pattern = schema.get("pattern").and_then(Value::as_str)?;
    let re = regex::Regex::new(pattern).ok()?;
    (!re.is_match(text)).then(|| format!("{path} is {value}; expected text matching `{pattern}`"))
}

fn array_problem(schema: &Map<String, Value>, value: &Value, path: &str) -> Option<String> {
    let items = value.as_array()?;
    let n = items.len() as f64;
    if bound(schema, &["max_items", "maxItems"]).is_some_and(|m| n > m)
        || bound(schema, &["min_items", "minItems"]).is_some_and(|m| n < m)
    {
        return Some(format!(
            "{path} has {n} items, outside its documented count"
        ));
    }
    let each = schema.get("items")?;
    items
        .iter()
        .enumerate()
        .find_map(|(i, item)| check(each, item, &format!("{path}[{i}]")))
}

fn object_problem(schema: &Map<String, Value>, value: &Value, path: &str) -> Option<String> {
    let object = value.as_object()?;
    let n = object.len() as f64;
    if bound(schema, &["maxProperties"]).is_some_and(|m| n > m)
        || bound(schema, &["minProperties"]).is_some_and(|m| n < m)
    {
        return Some(format!(
            "{path} has {n} fields, outside its documented count"
        ));
    }
    if let Some(names) = schema.get("propertyNames")
        && let Some(p) = object
            .keys()
            .find_map(|k| check(names, &Value::String(k.clone()), &format!("{path} key")))
    {
        return Some(p);
    }
    if let Some(each) = schema.get("values")
        && let Some(p) = object
            .iter()
            .find_map(|(k, v)| check(each, v, &format!("{path}.{k}")))
    {
        return Some(p);
    }
    let fields = schema
        .get("properties")
        .or_else(|| schema.get("fields"))
        .and_then(Value::as_object);
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let closed = schema.get("additionalProperties");
    match fields {
        Some(fields) => fields_problem(fields, &required, closed, value, path),
        None => {
            let rest = closed.filter(|c| c.is_object())?;
            object
                .iter()
                .find_map(|(k, v)| check(rest, v, &format!("{path}.{k}")))
        }
    }
}

/// Whether `value` carries the discriminating constant of `form`: a field whose shape is a
/// `const` (`{type: {const: InsertHeader}, ...}`) with exactly that value.
fn names_form(form: &Value, value: &Value) -> bool {
    let Some(form) = form.as_object() else {
        return false;
    };
    let fields = match is_words(form) {
        true => form.get("fields").and_then(Value::as_object),
        false => Some(form),
    };
    fields.is_some_and(|fields| {
        fields.iter().any(|(name, shape)| {
            shape
                .get("const")
                .is_some_and(|want| value.get(name) == Some(want))
        })
    })
}

/// An object against its documented fields: required ones present, each present one of its
/// shape, and others refused or checked as `closed` says.
fn fields_problem(
    fields: &Map<String, Value>,
    required: &[&str],
    closed: Option<&Value>,
    value: &Value,
    path: &str,
) -> Option<String> {
    let Some(object) = value.as_object() else {
        return Some(format!("{path} is {value}; expected a JSON object"));
    };
    for (name, field) in fields {
        let marked = field.get("required").and_then(Value::as_bool) == Some(true);
        if (marked || required.contains(&name.as_str())) && !object.contains_key(name) {
            return Some(format!("{path} lacks the required field `{name}`"));
        }
    }
    for (name, v) in object {
        let at = format!("{path}.{name}");
        match (fields.get(name), closed) {
            (Some(field), _) => {
                if let Some(p) = check(field, v, &at) {
                    return Some(p);
                }
            }
            (None, Some(Value::Bool(false))) => {
                let known: Vec<&str> = fields.keys().map(String::as_str).collect();
                let hint = crate::suggest::nearest(name, known.iter().copied())
                    .map(|m| format!(" (did you mean `{m}`?)"))
                    .unwrap_or_default();
                return Some(format!(
                    "{at} is not a documented field{hint}; the documented ones are {}",
                    known.join(", ")
                ));
            }
            (None, Some(rest @ Value::Object(_))) => {
                if let Some(p) = check(rest, v, &at) {
                    return Some(p);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn words_and_fields_read_as_the_pages_write_them() {
        let listen = json!({"type": "array", "items": {"type": "object", "minProperties": 1, "maxProperties": 1,
            "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 65535},
            "propertyNames": {"enum": ["HTTP", "HTTPS", "QUIC"]}}});
        assert_eq!(
            problem(&listen, &json!([{"HTTP": 80}, {"HTTPS": 443}])),
            None
        );
        assert!(
            problem(&listen, &json!([{"HTTP": 0}]))
                .unwrap()
                .contains("$[0].HTTP")
        );
        assert!(
            problem(&listen, &json!([{"TCP": 80}]))
                .unwrap()
                .contains("expected one of")
        );
        assert!(problem(&listen, &json!([{"HTTP": 80, "HTTPS": 443}])).is_some());
        // A field named `type` (Huawei's conditions) is a field, not the keyword.
        let conditions =
            json!({"type": "array", "items": {"type": {"enum": ["Header", "Cookie"]}}});
        assert_eq!(problem(&conditions, &json!([{"type": "Header"}])), None);
        assert!(problem(&conditions, &json!([{"type": "Host"}])).is_some());
        // A number written as a string, with its range.
        let option = json!({"type": "object", "fields": {"delay": {"type": "string", "integer": {"min": 1, "max": 50, "unit": "seconds"}},
            "protocol": {"type": "string", "required": true}}});
        assert_eq!(
            problem(&option, &json!({"delay": "5", "protocol": "TCP"})),
            None
        );
        assert!(
            problem(&option, &json!({"delay": "99", "protocol": "TCP"}))
                .unwrap()
                .contains("1..50 seconds")
        );
        assert!(
            problem(&option, &json!({"delay": 5, "protocol": "TCP"}))
                .unwrap()
                .contains("JSON string")
        );
        assert!(
            problem(&option, &json!({"delay": "5"}))
                .unwrap()
                .contains("`protocol`")
        );
        // Unlisted fields pass unless the shape is closed.
        assert_eq!(
            problem(&option, &json!({"protocol": "TCP", "extra": 1})),
            None
        );
        let closed = json!({"type": "object", "fields": {"HTTP": {"type": "integer"}}, "additionalProperties": false});
        assert!(
            problem(&closed, &json!({"HTPP": 80}))
                .unwrap()
                .contains("did you mean `HTTP`")
        );
    }

    #[test]
    fn a_value_that_names_a_form_is_judged_by_that_form() {
        let schema = json!({"oneOf": [
            {"fields": {"type": {"const": "ForwardPool"}, "forwardConfig": {"type": "array"}}, "additionalProperties": false},
            {"fields": {"type": {"const": "InsertHeader"}, "InsertHeaderConfig": {"key": "string"}}, "additionalProperties": false},
        ]});
        let misspelt = json!({"type": "InsertHeader", "InsertHeaderConfg": {"key": "X-A"}});
        let p = problem(&schema, &misspelt).expect("misspelt field");
        assert!(p.contains("did you mean `InsertHeaderConfig`"), "{p}");
        let good = json!({"type": "InsertHeader", "InsertHeaderConfig": {"key": "X-A"}});
        assert_eq!(problem(&schema, &good), None);
        let unknown = json!({"type": "RemoveHeader"});
        assert_eq!(
            problem(&schema, &unknown).as_deref(),
            Some("$ matches none of the documented forms")
        );
    }
}
