//! The text of a YAML scalar, stored inline when it is short.
//!
//! A YAML tree of one-letter list items is mostly scalars, and a `String` per scalar costs
//! 24 bytes plus a heap block of at least 32: a file of `[a,a,a,...]` cost ten times its
//! size in strings alone. Almost every Kubernetes scalar (keys, names, ports, label values)
//! is short, so text of up to [`INLINE`] bytes lives inside the node and only longer text
//! is a heap allocation of exactly its length. Safe code only: the inline bytes are always
//! a whole UTF-8 string, copied from a `&str`.

use std::fmt;
use std::ops::Deref;

/// The longest text kept inline, in bytes (the value is 24 bytes, like a `String`).
pub const INLINE: usize = 22;

/// A scalar's text: immutable, inline up to [`INLINE`] bytes, on the heap beyond.
#[derive(Clone)]
pub struct Text(Repr);

#[derive(Clone)]
enum Repr {
    /// `len` bytes of `bytes`, always a whole UTF-8 string; the rest are zero.
    Inline { len: u8, bytes: [u8; INLINE] },
    /// Longer text, allocated at its exact length.
    Heap(Box<str>),
}

impl Text {
    /// The text as a string slice.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // The bytes were copied from a `&str` and cut at its end, so they are UTF-8;
            // the check costs nothing next to the lookups that call this.
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Heap(text) => text,
        }
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= INLINE => {
                let mut bytes = [0; INLINE];
                bytes[..text.len()].copy_from_slice(text.as_bytes());
                Text(Repr::Inline { len, bytes })
            }
            _ => Text(Repr::Heap(text.into())),
        }
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        if text.len() <= INLINE {
            Text::from(text.as_str())
        } else {
            Text(Repr::Heap(text.into_boxed_str()))
        }
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_text_read_back_unchanged() {
        for s in [
            "",
            "a",
            "héllo wörld ✓",
            &"x".repeat(INLINE),
            &"é".repeat(40),
        ] {
            assert_eq!(Text::from(s).as_str(), s);
            assert_eq!(Text::from(s.to_string()).as_str(), s);
        }
    }

    #[test]
    fn short_text_is_inline_and_the_value_is_as_small_as_a_string() {
        assert!(matches!(Text::from("apiVersion").0, Repr::Inline { .. }));
        assert!(matches!(
            Text::from("x".repeat(INLINE + 1)).0,
            Repr::Heap(_)
        ));
        assert_eq!(std::mem::size_of::<Text>(), std::mem::size_of::<String>());
    }

    #[test]
    fn equality_is_by_text_whatever_the_storage() {
        let long = "y".repeat(INLINE + 5);
        assert_eq!(Text::from(long.as_str()), Text::from(long.clone()));
        assert_ne!(Text::from("a"), Text::from("b"));
        assert_eq!(Text::from("a"), "a");
    }
}
