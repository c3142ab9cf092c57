//! The errors of typed reads from a YAML tree (`yaml::de`): what went wrong, where, the
//! way from the root to the node that failed, and serde's stock messages with their fix.
//!
//! The kind and the way are data, not text, so a caller can suggest the nearest spelling
//! of an unknown field or value, and pass over the offending entry ([`Skipped`]) to read
//! on to the next independent error.

use super::node::{Node, Span};
use serde::de;

/// A typed-read error with the location of the node that caused it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DeError {
    /// What was expected and, where possible, how to fix it.
    pub message: String,
    /// The node that failed; `None` only until the failing node stamps it.
    pub span: Option<Span>,
    /// What went wrong, for suggestions and for reading on past the error.
    pub kind: DeErrorKind,
    /// The way from the root to the node that failed, root first (once [`super::de::from_node`]
    /// returns; innermost first while the error travels up).
    pub trail: Vec<Step>,
}

/// The kinds of typed-read errors a caller treats specially.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeErrorKind {
    /// A required field is missing from the mapping the trail leads to.
    MissingField(&'static str),
    /// A key that the mapping does not allow; the trail ends at the key.
    UnknownField {
        /// The key as written.
        field: String,
        /// The keys allowed there.
        expected: Vec<String>,
    },
    /// A value outside a closed set of spellings; the trail ends at the value.
    UnknownVariant {
        /// The value as written.
        value: String,
        /// The spellings allowed there.
        expected: Vec<String>,
    },
    /// Anything else: a bad value at the node the trail ends at.
    Other,
}

/// One step from a node to a child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The key of the mapping entry at this index.
    Key(usize),
    /// The value of the mapping entry at this index.
    Value(usize),
    /// The sequence item at this index.
    Item(usize),
}

impl DeError {
    pub(super) fn new(message: String, kind: DeErrorKind) -> Self {
        DeError {
            message,
            span: None,
            kind,
            trail: Vec::new(),
        }
    }

    /// Stamps the span of the node that failed, unless an inner node stamped it already.
    pub(super) fn at(mut self, span: Span) -> Self {
        self.span.get_or_insert(span);
        self
    }

    /// Records one step of the way back to the root.
    pub(super) fn step(mut self, step: Step) -> Self {
        self.trail.push(step);
        self
    }
}

impl de::Error for DeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        let message = msg.to_string();
        // Types with a dynamic set of values (the provider ids) use serde's wording.
        let kind = variant_of(&message).unwrap_or(DeErrorKind::Other);
        DeError::new(polish(&message), kind)
    }

    fn missing_field(field: &'static str) -> Self {
        DeError::new(
            polish(&format!("missing field `{field}`")),
            DeErrorKind::MissingField(field),
        )
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        let stock = if expected.is_empty() {
            format!("unknown field `{field}`, there are no fields")
        } else {
            format!("unknown field `{field}`, expected {}", one_of(expected))
        };
        DeError::new(
            polish(&stock),
            DeErrorKind::UnknownField {
                field: field.to_string(),
                expected: expected.iter().map(|s| s.to_string()).collect(),
            },
        )
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let stock = if expected.is_empty() {
            format!("unknown variant `{variant}`, there are no variants")
        } else {
            format!("unknown variant `{variant}`, expected {}", one_of(expected))
        };
        DeError::new(
            polish(&stock),
            DeErrorKind::UnknownVariant {
                value: variant.to_string(),
                expected: expected.iter().map(|s| s.to_string()).collect(),
            },
        )
    }
}

/// serde's list of expected names: "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
fn one_of(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        _ => format!("one of {}", quoted.join(", ")),
    }
}

/// The value and allowed spellings of serde's "unknown variant `v`, expected one of `a`,
/// `b`" (as types with a dynamic set of values word it).
fn variant_of(message: &str) -> Option<DeErrorKind> {
    let rest = message.strip_prefix("unknown variant `")?;
    let (value, expected) = rest.rsplit_once("`, expected one of ")?;
    let expected = expected
        .split(", ")
        .map(|name| name.trim_matches('`').to_string())
        .collect();
    Some(DeErrorKind::UnknownVariant {
        value: value.to_string(),
        expected,
    })
}

/// Adds the fix to serde's stock messages.
fn polish(message: &str) -> String {
    if let Some(field) = message.strip_prefix("missing field ") {
        format!("missing required field {field}; add it to this mapping")
    } else if message.starts_with("unknown field") {
        format!("{message}; remove it or fix its spelling")
    } else if let Some(rest) = message.strip_prefix("unknown variant ") {
        // serde says "expected `a` or `b`" for two values and "expected one of `a`, `b`,
        // `c`" for more: one spelling for users and tests.
        let (value, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = expected
            .strip_prefix("one of ")
            .unwrap_or(expected)
            .replace("` or `", "`, `");
        format!("unknown value {value}; expected one of {expected}")
    } else {
        message.to_string()
    }
}

/// Mapping entries (by their key node) and list items (by their node) a read passes over,
/// identified by address: the tree is borrowed, unchanged, for as long as the set is used.
#[derive(Debug, Default)]
pub struct Skipped(std::collections::HashSet<usize>);

impl Skipped {
    /// Passes over `node` (a mapping entry's key, or a list item) from now on.
    pub fn insert(&mut self, node: &Node) {
        self.0.insert(std::ptr::from_ref(node) as usize);
    }

    pub(super) fn contains(&self, node: &Node) -> bool {
        self.0.contains(&(std::ptr::from_ref(node) as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::de::{from_node, from_node_skipping};
    use crate::yaml::node::{NodeValue, parse_stream};
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct T {
        port: u16,
    }

    #[test]
    fn errors_record_the_way_to_the_node_and_skipped_entries_are_passed_over() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Outer {
            items: Vec<T>,
        }
        let docs = parse_stream("items:\n  - port: 1\n  - port: 2\n    nmae: x\n").unwrap();
        let root = docs[0].as_ref().unwrap();
        let e = from_node::<Outer>(root).unwrap_err();
        assert_eq!(e.trail, [Step::Value(0), Step::Item(1), Step::Key(1)]);
        assert!(matches!(&e.kind, DeErrorKind::UnknownField { field, .. } if field == "nmae"));
        // pass over the unknown key: the rest reads, indices stay the source's
        let NodeValue::Map(entries) = &root.value else {
            panic!()
        };
        let NodeValue::Seq(items) = &entries[0].1.value else {
            panic!()
        };
        let NodeValue::Map(second) = &items[1].value else {
            panic!()
        };
        let mut skipped = Skipped::default();
        skipped.insert(&second[1].0);
        let outer = from_node_skipping::<Outer>(root, &skipped).unwrap();
        assert_eq!(outer.items[1].port, 2);
    }
}
