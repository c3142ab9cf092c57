//! serde deserialisation of typed values straight from a [`Node`] tree.
//!
//! Every error is stamped with the span of the innermost node that produced it, so an
//! unknown field points at its key, a bad enum value at the value, and a missing field at
//! the mapping that lacks it; it also records the way from the root to that node
//! ([`Step`]s) and what kind of error it is ([`DeErrorKind`]), so a caller can drop the
//! offending entry and read again to find the next independent error, and suggest the
//! nearest spelling. Scalars are read by the type asked for: a `String` field takes the
//! text as written (`0755` stays `0755`), a number field parses it, and a quoted number in
//! a number field is an error that says to drop the quotes.

pub use super::de_error::{DeError, DeErrorKind, Skipped, Step};
use super::node::{Node, NodeValue, resolve_plain};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

/// Deserialises `T` from `node`.
pub fn from_node<'de, T: serde::Deserialize<'de>>(node: &'de Node) -> Result<T, DeError> {
    read(node, None)
}

/// Deserialises `T` from `node` as if the `skipped` mapping entries and list items were
/// not there: how a caller reads on past an error without copying or changing the tree
/// (so every location and index stays the source's).
pub fn from_node_skipping<'de, T: serde::Deserialize<'de>>(
    node: &'de Node,
    skipped: &'de Skipped,
) -> Result<T, DeError> {
    read(node, Some(skipped))
}

fn read<'de, T: serde::Deserialize<'de>>(
    node: &'de Node,
    skip: Option<&'de Skipped>,
) -> Result<T, DeError> {
    T::deserialize(NodeDeserializer { node, skip }).map_err(|e| {
        let mut e = e.at(node.span);
        e.trail.reverse();
        e
    })
}

/// A serde deserializer over one node.
#[derive(Clone, Copy)]
pub struct NodeDeserializer<'a> {
    node: &'a Node,
    skip: Option<&'a Skipped>,
}

impl<'a> NodeDeserializer<'a> {
    fn scalar(&self, expected: &str) -> Result<(&'a str, bool), DeError> {
        match &self.node.value {
            NodeValue::Scalar { text, plain } => Ok((text.as_str(), *plain)),
            NodeValue::Seq(_) => Err(de::Error::custom(format!(
                "expected {expected}, found a list"
            ))),
            NodeValue::Map(_) => Err(de::Error::custom(format!(
                "expected {expected}, found a mapping"
            ))),
        }
    }

    fn number<T: std::str::FromStr>(&self, expected: &str) -> Result<T, DeError> {
        let (text, plain) = self.scalar(expected)?;
        match text.parse::<T>() {
            Ok(n) if plain => Ok(n),
            Ok(_) => Err(de::Error::custom(format!(
                "expected {expected}, found the string \"{text}\"; remove the quotes"
            ))),
            Err(_) => Err(de::Error::custom(format!(
                "expected {expected}, found `{text}`"
            ))),
        }
    }

    fn stamp<T>(&self, r: Result<T, DeError>) -> Result<T, DeError> {
        r.map_err(|e| e.at(self.node.span))
    }
}

macro_rules! deserialize_number {
    ($($method:ident => $visit:ident : $ty:ty, $what:expr;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
            let n = self.stamp(self.number::<$ty>($what))?;
            self.stamp(visitor.$visit(n))
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDeserializer<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let r = match &self.node.value {
            NodeValue::Scalar { text, plain: false } => visitor.visit_str(text),
            NodeValue::Scalar { text, plain: true } => match resolve_plain(text) {
                serde_json::Value::Null => visitor.visit_unit(),
                serde_json::Value::Bool(b) => visitor.visit_bool(b),
                serde_json::Value::Number(n) => {
                    if let Some(u) = n.as_u64() {
                        visitor.visit_u64(u)
                    } else if let Some(i) = n.as_i64() {
                        visitor.visit_i64(i)
                    } else {
                        visitor.visit_f64(n.as_f64().unwrap_or_default())
                    }
                }
                _ => visitor.visit_str(text),
            },
            NodeValue::Seq(items) => visitor.visit_seq(SeqAccess {
                items: items.iter().enumerate(),
                skip: self.skip,
            }),
            NodeValue::Map(entries) => visitor.visit_map(MapAccess {
                entries: entries.iter().enumerate(),
                value: None,
                skip: self.skip,
            }),
        };
        self.stamp(r)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let (text, plain) = self.stamp(self.scalar("true or false"))?;
        let r = match (text, plain) {
            ("true", true) => visitor.visit_bool(true),
            ("false", true) => visitor.visit_bool(false),
            _ => Err(de::Error::custom(format!(
                "expected true or false, found `{text}`; write true or false without quotes"
            ))),
        };
        self.stamp(r)
    }

    deserialize_number! {
        deserialize_i8 => visit_i8: i8, "a small integer";
        deserialize_i16 => visit_i16: i16, "an integer";
        deserialize_i32 => visit_i32: i32, "an integer";
        deserialize_i64 => visit_i64: i64, "an integer";
        deserialize_u8 => visit_u8: u8, "an integer from 0 to 255";
        deserialize_u16 => visit_u16: u16, "an integer from 0 to 65535";
        deserialize_u32 => visit_u32: u32, "a non-negative integer";
        deserialize_u64 => visit_u64: u64, "a non-negative integer";
        deserialize_f32 => visit_f32: f32, "a number";
        deserialize_f64 => visit_f64: f64, "a number";
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let (text, _) = self.stamp(self.scalar("a string"))?;
        self.stamp(visitor.visit_str(text))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            NodeValue::Scalar { text, plain: true } if resolve_plain(text).is_null() => {
                self.stamp(visitor.visit_none())
            }
            _ => self.stamp(visitor.visit_some(self)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.stamp(visitor.visit_unit())
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.stamp(visitor.visit_newtype_struct(self))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            NodeValue::Seq(items) => self.stamp(visitor.visit_seq(SeqAccess {
                items: items.iter().enumerate(),
                skip: self.skip,
            })),
            _ => Err(DeError::new(
                "expected a list (`- item` lines or `[a, b]`)".into(),
                DeErrorKind::Other,
            )
            .at(self.node.span)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.node.value {
            NodeValue::Map(entries) => self.stamp(visitor.visit_map(MapAccess {
                entries: entries.iter().enumerate(),
                value: None,
                skip: self.skip,
            })),
            _ => Err(DeError::new(
                "expected a mapping (`key: value` lines or `{key: value}`)".into(),
                DeErrorKind::Other,
            )
            .at(self.node.span)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let (text, _) = self.stamp(self.scalar("one of the listed values"))?;
        let inner: de::value::StrDeserializer<'_, DeError> = text.into_deserializer();
        self.stamp(visitor.visit_enum(inner))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

struct SeqAccess<'a> {
    items: std::iter::Enumerate<std::slice::Iter<'a, Node>>,
    skip: Option<&'a Skipped>,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let skip = self.skip;
        let next = self
            .items
            .find(|(_, node)| skip.is_none_or(|s| !s.contains(node)));
        match next {
            Some((index, node)) => seed
                .deserialize(NodeDeserializer { node, skip })
                .map(Some)
                .map_err(|e| e.at(node.span).step(Step::Item(index))),
            None => Ok(None),
        }
    }
}

struct MapAccess<'a> {
    entries: std::iter::Enumerate<std::slice::Iter<'a, (Node, Node)>>,
    /// The value of the entry whose key was read last, with the entry's index.
    value: Option<(usize, &'a Node)>,
    skip: Option<&'a Skipped>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let skip = self.skip;
        let next = self
            .entries
            .find(|(_, (key, _))| skip.is_none_or(|s| !s.contains(key)));
        match next {
            Some((index, (key, value))) => {
                self.value = Some((index, value));
                seed.deserialize(NodeDeserializer { node: key, skip })
                    .map(Some)
                    .map_err(|e| e.at(key.span).step(Step::Key(index)))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let (index, node) = self
            .value
            .take()
            .ok_or_else(|| <DeError as de::Error>::custom("value without a key"))?;
        seed.deserialize(NodeDeserializer {
            node,
            skip: self.skip,
        })
        .map_err(|e| e.at(node.span).step(Step::Value(index)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::node::{Span, parse_stream};
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct T {
        port: u16,
        name: Option<String>,
        flag: Option<bool>,
    }

    fn read(y: &str) -> Result<T, DeError> {
        let docs = parse_stream(y).unwrap();
        from_node(docs[0].as_ref().unwrap())
    }

    #[test]
    fn unknown_field_points_at_its_key() {
        let e = read("port: 1\nnmae: x\n").unwrap_err();
        assert_eq!(e.span, Some(Span { line: 2, column: 1 }));
        assert!(e.message.contains("unknown field `nmae`"), "{}", e.message);
    }

    #[test]
    fn quoted_number_says_drop_the_quotes() {
        let e = read("port: \"80\"\n").unwrap_err();
        assert_eq!(e.span, Some(Span { line: 1, column: 7 }));
        assert!(e.message.contains("remove the quotes"));
    }

    #[test]
    fn strings_keep_their_text() {
        let t = read("port: 1\nname: 0755\nflag: ~\n").unwrap();
        assert_eq!(t.port, 1);
        assert_eq!(t.name.as_deref(), Some("0755"));
        assert_eq!(t.flag, None);
    }

    #[test]
    fn missing_field_points_at_the_mapping() {
        let e = read("name: x\n").unwrap_err();
        assert!(e.message.contains("missing required field `port`"));
        assert_eq!(e.span, Some(Span { line: 1, column: 1 }));
    }
}
