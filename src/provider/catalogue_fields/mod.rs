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

use super::catalogue::{Catalogue, Entry, Handling, Writer};
use crate::yaml::node::{Node, NodeValue, Span};
use convert::convert;
pub use convert::invert;
use std::collections::BTreeMap;

mod convert;
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
        assert_eq!(convert::in_unit(90, "minutes"), None);
        assert_eq!(convert::in_unit(120, "minutes").as_deref(), Some("2"));
        assert_eq!(convert::in_unit(2, "ms").as_deref(), Some("2000"));
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
