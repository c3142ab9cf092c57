//! Typed provider fields: every documented annotation that no shared spec field sets is
//! reachable as a typed field of its provider's block, `spec.<provider>.service.<field>` or
//! `spec.<provider>.ingress.<field>`, generated from the catalogue.
//!
//! Users otherwise hand-write these as strings in `metadata.annotations`: JSON inside a YAML
//! string, seconds where they thought minutes, `True` where the controller compares with
//! `true`. Here a boolean is a YAML boolean spelled as the controller reads it, a duration
//! is `30s` converted to the annotation's unit, a list is a YAML list joined with the
//! documented separator (an item that holds the separator is refused), a JSON value is
//! YAML that lbgen serialises, and every value is checked against the catalogue's type,
//! range and spellings where it is written, with its line and column. The shared spec stays
//! neutral: a setting of one cloud never becomes a shared field.

use super::annotation_check::value_problem;
use super::catalogue::{Catalogue, Entry, Handling, ValueType, Writer};
use crate::spec::values::Duration;
use crate::yaml::node::{Node, NodeValue, Span, resolve_plain};
use serde_json::Value;
use std::collections::BTreeMap;

mod schema;

pub use schema::schema;

/// The block groups and the object kind each one's fields go on.
pub const GROUPS: [(&str, &str); 2] = [("service", "Service"), ("ingress", "Ingress")];

/// One typed provider field as read: the annotation it sets and the spec path that set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderField {
    /// `Service` or `Ingress`: the kind its group applies to.
    pub kind: &'static str,
    /// The annotation key (a pattern's placeholder filled in).
    pub key: String,
    /// The annotation value, in the controller's spelling.
    pub value: String,
    /// The spec path (`spec.alibaba.service.aclId`, `spec.huawei.ingress.conditions.web`).
    pub field: String,
}

/// A typed-field read error: the message and the node it blames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// What is wrong and how to fix it.
    pub message: String,
    /// The key or value at fault.
    pub span: Span,
}

impl FieldError {
    /// The error with the field's path in front.
    fn at(self, path: &str) -> FieldError {
        FieldError {
            message: format!("{path}: {}", self.message),
            span: self.span,
        }
    }
}

/// Whether `entry` is offered as a typed provider field: documented, written by users,
/// neither written from a shared spec field nor refused, and on a kind a group sets (a Pod
/// annotation is no field of the `service` or `ingress` group).
pub fn offered(entry: &Entry) -> bool {
    entry.documented
        && entry.writer == Writer::User
        && entry.lbgen == Handling::None
        && entry
            .kinds
            .iter()
            .any(|kind| GROUPS.iter().any(|(_, group_kind)| group_kind == kind))
}

/// The field name of `entry`: the catalogue's `field`, else the key after its provider
/// prefix in lowerCamelCase (`kubernetes.io/elb.acl-id` is `aclId`; a pattern keeps the
/// part before its placeholder: `kubernetes.io/elb.conditions.<svc>` is `conditions`).
pub fn field_name(catalogue: &Catalogue, entry: &Entry) -> String {
    if let Some(name) = &entry.field {
        return name.clone();
    }
    let name = entry.name();
    let name = name.split('<').next().unwrap_or(name);
    let prefix = catalogue
        .prefixes
        .iter()
        .filter(|p| name.starts_with(p.as_str()) && name.len() > p.len())
        .max_by_key(|p| p.len());
    let rest = match prefix {
        Some(p) => &name[p.len()..],
        None => name.rsplit('/').next().unwrap_or(name),
    };
    camel(rest)
}

fn camel(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text
        .split(['-', '_', '.', '/'])
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.extend(first.to_lowercase());
            } else {
                out.extend(first.to_uppercase());
            }
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The offered entries whose kinds include `kind`, by field name (the first entry wins a
/// name two would share; the catalogue tests refuse such a pair).
pub fn fields<'a>(catalogue: &'a Catalogue, kind: &str) -> BTreeMap<String, &'a Entry> {
    let mut out = BTreeMap::new();
    for entry in catalogue.entries.iter().filter(|e| offered(e)) {
        if entry.kinds.iter().any(|k| k == kind) {
            out.entry(field_name(catalogue, entry)).or_insert(entry);
        }
    }
    out
}

/// The spec path of `entry`'s field in `kind`'s group.
pub fn spec_path(catalogue: &Catalogue, entry: &Entry, kind: &str) -> Option<String> {
    let (group, _) = GROUPS.iter().find(|(_, k)| *k == kind)?;
    Some(format!(
        "spec.{}.{group}.{}",
        catalogue.provider,
        field_name(catalogue, entry)
    ))
}

/// Reads the `service` and `ingress` groups of a provider block (`group` nodes by name).
pub fn read(
    catalogue: &Catalogue,
    groups: &[(&Node, &Node)],
) -> Result<Vec<ProviderField>, FieldError> {
    let mut out = Vec::new();
    for (name, node) in groups {
        let Some((group, kind)) = GROUPS.iter().find(|(g, _)| name.as_str() == Some(g)) else {
            continue;
        };
        let NodeValue::Map(entries) = &node.value else {
            return Err(FieldError {
                message: format!(
                    "spec.{}.{group}: expected a mapping of fields (`kubectl lbgen catalogue --provider {}` lists them)",
                    catalogue.provider, catalogue.provider
                ),
                span: node.span,
            });
        };
        let known = fields(catalogue, kind);
        for (key, value) in entries {
            let field = key.as_str().unwrap_or_default();
            let Some(entry) = known.get(field) else {
                return Err(unknown_field(catalogue, group, kind, field, key.span));
            };
            let path = format!("spec.{}.{group}.{field}", catalogue.provider);
            match &entry.pattern {
                Some(pattern) => {
                    let NodeValue::Map(named) = &value.value else {
                        return Err(FieldError {
                            message: format!(
                                "{path}: expected a mapping from the name in `{pattern}` to its value"
                            ),
                            span: value.span,
                        });
                    };
                    for (name, item) in named {
                        let name_text = placeholder(name)?;
                        let key = fill(pattern, name_text);
                        let field = format!("{path}.{name_text}");
                        let value = convert(&entry.value, item).map_err(|e| e.at(&field))?;
                        out.push(ProviderField {
                            kind,
                            key,
                            value,
                            field,
                        });
                    }
                }
                None => out.push(ProviderField {
                    kind,
                    key: entry.name().to_string(),
                    value: convert(&entry.value, value).map_err(|e| e.at(&path))?,
                    field: path,
                }),
            }
        }
    }
    Ok(out)
}

fn unknown_field(
    catalogue: &Catalogue,
    group: &str,
    kind: &str,
    field: &str,
    span: Span,
) -> FieldError {
    let known = fields(catalogue, kind);
    let hint = crate::suggest::nearest(field, known.keys().map(String::as_str))
        .map(|m| format!("did you mean `{m}`? "))
        .unwrap_or_default();
    let provider = &catalogue.provider;
    FieldError {
        message: format!(
            "`{field}` is not a field of spec.{provider}.{group} (the {kind}'s {provider} annotations); {hint}`kubectl lbgen catalogue --provider {provider}` lists every field with its annotation"
        ),
        span,
    }
}

/// A pattern's placeholder value: a DNS-style name, so it cannot change the key's shape.
fn placeholder(name: &Node) -> Result<&str, FieldError> {
    let text = name.as_str().unwrap_or_default();
    let fits = !text.is_empty()
        && text.len() <= 253
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !text.starts_with(['-', '.'])
        && !text.ends_with(['-', '.']);
    if fits {
        Ok(text)
    } else {
        Err(FieldError {
            message: format!(
                "`{}` cannot be part of an annotation key: use a lower-case name of letters, digits, `-` and `.` (a Service's name)",
                text.escape_debug()
            ),
            span: name.span,
        })
    }
}

fn fill(pattern: &str, name: &str) -> String {
    match (pattern.find('<'), pattern.rfind('>')) {
        (Some(open), Some(close)) => format!("{}{name}{}", &pattern[..open], &pattern[close + 1..]),
        _ => pattern.to_string(),
    }
}

/// The annotation text of `node` for value type `ty`, checked against the type.
fn convert(ty: &ValueType, node: &Node) -> Result<String, FieldError> {
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
fn in_unit(seconds: u64, unit: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::catalogue::catalogues;

    #[test]
    fn names_are_camel_case_after_the_prefix() {
        assert_eq!(camel("acl-id"), "aclId");
        assert_eq!(camel("keepalive_timeout"), "keepaliveTimeout");
        assert_eq!(camel("internetChargeType"), "internetChargeType");
        assert_eq!(camel("conditions."), "conditions");
        assert_eq!(in_unit(90, "minutes"), None);
        assert_eq!(in_unit(120, "minutes").as_deref(), Some("2"));
        assert_eq!(in_unit(2, "ms").as_deref(), Some("2000"));
    }

    #[test]
    fn no_two_offered_entries_share_a_field_name() {
        for catalogue in catalogues().unwrap() {
            for (_, kind) in GROUPS {
                let mut seen = BTreeMap::new();
                for entry in catalogue.entries.iter().filter(|e| offered(e)) {
                    if !entry.kinds.iter().any(|k| k == kind) {
                        continue;
                    }
                    let name = field_name(catalogue, entry);
                    if let Some(other) = seen.insert(name.clone(), entry.name().to_string()) {
                        panic!(
                            "{} {kind}: `{}` and `{other}` are both field `{name}`; give one a `field:` in the catalogue",
                            catalogue.provider,
                            entry.name()
                        );
                    }
                }
            }
        }
    }
}
