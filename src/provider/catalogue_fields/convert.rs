//! A typed provider field's YAML value turned into its annotation's text, by the value type
//! the catalogue gives the key: the one place where a boolean gets its controller's
//! spelling, a duration its unit, a list its separator and a JSON value its serialisation,
//! each checked against the catalogue's type before it is written.

use super::FieldError;
use crate::provider::annotation_check::value_problem;
use crate::provider::catalogue::ValueType;
use crate::spec::values::Duration;
use crate::yaml::node::{Node, NodeValue, resolve_plain};
use serde_json::Value;

/// The annotation text of `node` for value type `ty`, checked against the type.
pub(super) fn convert(ty: &ValueType, node: &Node) -> Result<String, FieldError> {
    let fail = |message: String| FieldError {
        message,
        span: node.span,
    };
    let scalar = match &node.value {
        NodeValue::Scalar { text, plain } => Some((text.to_string(), *plain)),
        _ => None,
    };
    let resolved = scalar.as_ref().map(|(text, plain)| {
        if *plain {
            resolve_plain(text)
        } else {
            Value::String(text.clone())
        }
    });
    let text = if let Some(spellings) = &ty.bool {
        let wanted = match resolved {
            Some(Value::Bool(true)) => spellings.first(),
            Some(Value::Bool(false)) => spellings.get(1),
            _ => None,
        };
        wanted.cloned().ok_or_else(|| {
            fail(match spellings.get(1) {
                Some(_) => "expected `true` or `false`".into(),
                None => "expected `true`: only the true value is documented (leave the field out for the default)".into(),
            })
        })?
    } else if let Some(range) = &ty.duration {
        let unit = range.unit.as_deref().unwrap_or("seconds");
        let Some((text, _)) = scalar.filter(|_| !matches!(resolved, Some(Value::Number(_)))) else {
            return Err(fail(format!(
                "expected a duration with its unit such as `30s` or `5m` (the annotation takes {unit}; lbgen converts)"
            )));
        };
        let seconds = Duration::parse(&text).map_err(fail)?.0;
        in_unit(seconds, unit).ok_or_else(|| {
            fail(format!(
                "`{text}` is not a whole number of {unit}, the annotation's unit"
            ))
        })?
    } else if ty.integer.is_some() {
        match resolved {
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            _ => return Err(fail("expected a whole number".into())),
        }
    } else if let Some(list) = &ty.list {
        return convert_list(list, node);
    } else if ty.json.is_some() {
        if matches!(node.value, NodeValue::Scalar { .. })
            && !matches!(resolved, Some(Value::Number(_) | Value::Bool(_)))
        {
            return Err(fail(
                "expected the JSON value written as YAML (a mapping or a list); lbgen serialises it".into(),
            ));
        }
        node.to_json().to_string()
    } else {
        match (scalar, resolved) {
            (_, Some(Value::Null)) | (None, _) => {
                return Err(fail("expected a value (a string)".into()));
            }
            (Some((text, _)), _) => text,
        }
    };
    match value_problem(ty, &text) {
        Some(problem) => Err(fail(problem)),
        None => Ok(text),
    }
}

fn convert_list(list: &Value, node: &Node) -> Result<String, FieldError> {
    let separator = list.get("separator").and_then(Value::as_str).unwrap_or(",");
    let item_type: ValueType = list
        .get("item")
        .and_then(|i| serde_json::from_value(i.clone()).ok())
        .unwrap_or_default();
    let NodeValue::Seq(items) = &node.value else {
        return Err(FieldError {
            message: format!("expected a YAML list (lbgen joins the items with `{separator}`)"),
            span: node.span,
        });
    };
    let mut texts = Vec::with_capacity(items.len());
    for item in items {
        let holds_separator =
            matches!(&item.value, NodeValue::Scalar { text, .. } if text.contains(separator));
        if holds_separator {
            return Err(FieldError {
                message: format!("a list item cannot hold `{separator}`, the list's separator"),
                span: item.span,
            });
        }
        let text = match item_type.name() {
            Some(_) => convert(&item_type, item)?,
            None => match &item.value {
                NodeValue::Scalar { text, .. } => text.to_string(),
                _ => String::new(),
            },
        };
        if text.is_empty() || text.contains(separator) {
            return Err(FieldError {
                message: format!(
                    "a list item must be non-empty and cannot hold `{separator}`, the list's separator"
                ),
                span: item.span,
            });
        }
        texts.push(text);
    }
    let joined = texts.join(separator);
    let whole = ValueType {
        list: Some(list.clone()),
        ..ValueType::default()
    };
    match value_problem(&whole, &joined) {
        Some(problem) => Err(FieldError {
            message: problem,
            span: node.span,
        }),
        None => Ok(joined),
    }
}

/// `seconds` in `unit`, when it is a whole number of them.
pub(super) fn in_unit(seconds: u64, unit: &str) -> Option<String> {
    let unit = unit.to_ascii_lowercase();
    let n = if unit.starts_with("ms") || unit.starts_with("milli") {
        seconds.checked_mul(1000)?
    } else if unit.starts_with("min") {
        seconds.is_multiple_of(60).then_some(seconds / 60)?
    } else if unit.starts_with('h') {
        seconds.is_multiple_of(3600).then_some(seconds / 3600)?
    } else {
        seconds
    };
    Some(n.to_string())
}

/// The inverse of `convert` (beside it): the YAML value of a typed provider field that writes the
/// annotation text `text` of value type `ty` (`kubectl lbgen import`). `Err` says why the
/// text has no such value (it is then kept as a raw annotation). The import checks the
/// result by rendering it again, so only an exact inverse survives.
pub fn invert(ty: &ValueType, text: &str) -> Result<Value, String> {
    if let Some(spellings) = &ty.bool {
        return match spellings.iter().position(|s| s == text) {
            Some(0) => Ok(Value::Bool(true)),
            Some(1) => Ok(Value::Bool(false)),
            _ => Err(format!(
                "`{text}` is not one of the documented spellings {spellings:?}"
            )),
        };
    }
    if let Some(range) = &ty.duration {
        let unit = range
            .unit
            .as_deref()
            .unwrap_or("seconds")
            .to_ascii_lowercase();
        let n: u64 = text
            .parse()
            .map_err(|_| format!("`{text}` is not a whole number of {unit}"))?;
        let seconds = if unit.starts_with("ms") || unit.starts_with("milli") {
            n.is_multiple_of(1000)
                .then_some(n / 1000)
                .ok_or_else(|| format!("{n} ms is not a whole number of seconds"))?
        } else if unit.starts_with("min") {
            n.checked_mul(60).ok_or("out of range")?
        } else if unit.starts_with('h') {
            n.checked_mul(3600).ok_or("out of range")?
        } else {
            n
        };
        return Ok(Value::String(crate::provider::import::duration_text(
            seconds,
        )));
    }
    if ty.integer.is_some() {
        return text
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("`{text}` is not a whole number"));
    }
    if let Some(list) = &ty.list {
        let separator = list.get("separator").and_then(Value::as_str).unwrap_or(",");
        let item_type: ValueType = list
            .get("item")
            .and_then(|i| serde_json::from_value(i.clone()).ok())
            .unwrap_or_default();
        let items: Result<Vec<Value>, String> = text
            .split(separator)
            .map(|item| match item_type.name() {
                Some(_) => invert(&item_type, item),
                None => Ok(Value::String(item.to_string())),
            })
            .collect();
        return items.map(Value::Array);
    }
    if ty.json.is_some() {
        return serde_json::from_str(text).map_err(|e| format!("the value is not JSON: {e}"));
    }
    Ok(Value::String(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::node::parse_stream;

    fn ty(yaml: &str) -> ValueType {
        let docs = parse_stream(yaml).expect("yaml");
        let node = docs.into_iter().flatten().next().expect("node");
        crate::yaml::de::from_node(&node).expect("value type")
    }

    /// `invert` then `convert` gives the annotation text back, for every value type.
    #[test]
    fn invert_is_the_inverse_of_convert() {
        for (value_type, text) in [
            ("bool: [\"on\", \"off\"]", "off"),
            ("duration: {unit: minutes}", "5"),
            ("duration: {unit: ms}", "3000"),
            ("integer: {min: 1}", "42"),
            ("list: {separator: \",\"}", "a,b,c"),
            ("json: {}", "{\"a\":[1,\"x\"]}"),
            ("string: {}", "sg-123"),
        ] {
            let t = ty(value_type);
            let value = invert(&t, text).expect(value_type);
            let yaml = serde_json::to_string(&value).expect("json");
            let docs = parse_stream(&yaml).expect("yaml");
            let node = docs.into_iter().flatten().next().expect("node");
            assert_eq!(convert(&t, &node).expect(value_type), text, "{value_type}");
        }
    }

    #[test]
    fn texts_without_an_inverse_say_why() {
        assert!(invert(&ty("bool: [\"on\", \"off\"]"), "On").is_err());
        assert!(invert(&ty("duration: {unit: ms}"), "1500").is_err());
        assert!(invert(&ty("integer: {}"), "1.5").is_err());
        let json = invert(&ty("json: {}"), "{\"a\": ").unwrap_err();
        assert!(json.starts_with("the value is not JSON"), "{json}");
    }
}
