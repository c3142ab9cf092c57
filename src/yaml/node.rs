//! A YAML document as a tree of nodes that remember where they came from.
//!
//! serde-saphyr's `Spanned<T>` loses its location inside untagged or flattened types, and
//! the typed spec needs both: precise locations for every field (diagnostics blame
//! `file:line:col`) and typed values. So each document is first read into this tree from
//! the parser's event stream (serde-saphyr's own parser, `granit_parser`), keeping every
//! scalar's raw text and quoting style (`yaml::reader`); `yaml::de` then deserialises typed
//! values from the tree and `Node::find` maps a field path back to its location.

pub use super::reader::parse_stream;
pub use super::text::Text;

/// A position in a source file, both 1-based, as editors and compilers print them.
/// 32-bit, because every node carries one: inputs are far below 4 GiB (`limits`), and a
/// position beyond saturates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl Span {
    /// The span at a line and column as the parser counts them (`usize`), saturating.
    pub fn at(line: usize, column: usize) -> Span {
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            line: narrow(line),
            column: narrow(column),
        }
    }

    /// The line as a `usize` (for diagnostics' locations).
    pub fn line(&self) -> usize {
        widen(self.line)
    }

    /// The column as a `usize` (for diagnostics' locations).
    pub fn column(&self) -> usize {
        widen(self.column)
    }
}

fn widen(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// One YAML node with its location: 40 bytes, short scalars included (a test guards it),
/// because a hostile file of one-letter list items is mostly nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node starts.
    pub span: Span,
    /// What the node holds.
    pub value: NodeValue,
}

/// The content of a node. Scalars keep their text so the consumer decides how to read it
/// (a label value `yes` stays the string `yes`; YAML 1.1 booleans never sneak in).
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// A scalar; `plain` is false when it was quoted or a block scalar (always a string).
    Scalar {
        /// The text after escapes are processed.
        text: Text,
        /// Written without quotes (so YAML resolution applies to it).
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping in source order; keys are scalars.
    Map(Vec<(Node, Node)>),
}

/// A YAML syntax error, or input over the size budget.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    /// What went wrong, as the parser (or the budget) words it.
    pub message: String,
    /// Where the parser stopped.
    pub span: Span,
    /// The same error for a person: what was expected, the fix, and the place of the
    /// mistake (which may be before where the parser stopped).
    pub explained: Option<Box<Explained>>,
}

/// A syntax error in words a new user can act on (`yaml::syntax`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    /// What is wrong and what was expected there.
    pub message: String,
    /// The fix.
    pub help: String,
    /// Where the mistake is.
    pub span: Span,
}

impl SyntaxError {
    /// An error whose message says it all.
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        SyntaxError {
            message: message.into(),
            span,
            explained: None,
        }
    }
}

pub use super::reader::Document;

impl Node {
    /// The scalar text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The value under `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and value node under `key`.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.value {
            NodeValue::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// A copy of this mapping with only the entries under `keys` (anything else as it is).
    /// A document passed through keeps only the fields diagnostics may point at, so its
    /// tree does not stay in memory beside the JSON read from it.
    pub fn with_only(&self, keys: &[&str]) -> Node {
        let value = match &self.value {
            NodeValue::Map(entries) => NodeValue::Map(
                entries
                    .iter()
                    .filter(|(k, _)| k.as_str().is_some_and(|k| keys.contains(&k)))
                    .cloned()
                    .collect(),
            ),
            other => other.clone(),
        };
        Node {
            span: self.span,
            value,
        }
    }

    /// The location of the field at `path` (`spec.ports[0].port`, `metadata.labels.team`),
    /// or of its nearest ancestor that exists in the source: a diagnostic about a defaulted
    /// field then points at the block that omitted it.
    pub fn find(&self, path: &str) -> Span {
        let mut node = self;
        let mut span = self.span;
        for segment in split_path(path) {
            let next = match segment {
                PathSegment::Key(key) => node.entry(key).map(|(k, v)| (k.span, v)),
                PathSegment::Index(i) => match &node.value {
                    NodeValue::Seq(items) => items.get(i).map(|n| (n.span, n)),
                    _ => None,
                },
            };
            match next {
                Some((s, n)) => {
                    span = if matches!(n.value, NodeValue::Scalar { .. }) {
                        n.span
                    } else {
                        s
                    };
                    node = n;
                }
                None => break,
            }
        }
        span
    }

    /// Reads the node as JSON, resolving plain scalars by the YAML 1.2 core schema
    /// (`true`, `3`, `1.5`, `null`); everything else stays a string. Used for YAML lbgen
    /// wrote itself (rendered templates) and for tests.
    pub fn to_json(&self) -> serde_json::Value {
        self.to_json_with(resolve_plain)
    }

    /// Reads the node as JSON the way Kubernetes reads YAML (`super::resolve`: `0644` is
    /// 420, `yes` is true). Used for documents lbgen passes through, so that what it
    /// writes means to kubectl what the input meant.
    pub fn to_kubernetes_json(&self) -> serde_json::Value {
        self.to_json_with(super::resolve::resolve_plain_kubernetes)
    }

    fn to_json_with(&self, resolve: fn(&str) -> serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            NodeValue::Scalar { text, plain: false } => Value::String(text.to_string()),
            NodeValue::Scalar { text, plain: true } => resolve(text),
            NodeValue::Seq(items) => {
                Value::Array(items.iter().map(|n| n.to_json_with(resolve)).collect())
            }
            NodeValue::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.as_str().unwrap_or_default().to_string(),
                            v.to_json_with(resolve),
                        )
                    })
                    .collect(),
            ),
        }
    }
}

/// YAML 1.2 core schema resolution of a plain scalar.
pub fn resolve_plain(text: &str) -> serde_json::Value {
    use serde_json::Value;
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let is_decimal = {
        let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    if is_decimal && let Ok(i) = text.parse::<i64>() {
        return Value::from(i);
    }
    // 2^63 to 2^64-1 stay exact integers too (not floats).
    if is_decimal && let Ok(u) = text.parse::<u64>() {
        return Value::from(u);
    }
    let looks_float = text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if looks_float
        && let Some(n) = text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
    {
        return Value::Number(n);
    }
    Value::String(text.to_string())
}

/// One step of a field path.
#[derive(Debug, PartialEq, Eq)]
enum PathSegment<'a> {
    Key(&'a str),
    Index(usize),
}

/// Splits `spec.ports[0].port` into keys and indices. Annotation keys contain dots, so a
/// segment in brackets and quotes (`annotations["example.com/lb.id"]`) is one key.
fn split_path(path: &str) -> Vec<PathSegment<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("[\"") {
            let end = r.find("\"]").unwrap_or(r.len());
            out.push(PathSegment::Key(&r[..end]));
            rest = r.get(end + 2..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            if let Ok(i) = r[..end].parse() {
                out.push(PathSegment::Index(i));
            }
            rest = r.get(end + 1..).unwrap_or("");
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            if end > 0 {
                out.push(PathSegment::Key(&r[..end]));
            }
            rest = &r[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_one_based_and_find_walks_paths() {
        let docs = parse_stream("a: 1\nspec:\n  ports:\n    - port: 80\n      name: x\n").unwrap();
        let root = docs[0].as_ref().unwrap();
        assert_eq!(
            root.find("spec.ports[0].name"),
            Span {
                line: 5,
                column: 13
            }
        );
        // a missing field points at its nearest existing ancestor's key
        assert_eq!(
            root.find("spec.ports[0].missing"),
            Span { line: 4, column: 7 }
        );
        assert_eq!(root.find("spec"), Span { line: 2, column: 1 });
    }

    #[test]
    fn bracketed_keys_may_contain_dots() {
        let docs = parse_stream("metadata:\n  annotations:\n    example.com/lb.id: x\n").unwrap();
        let root = docs[0].as_ref().unwrap();
        assert_eq!(
            root.find("metadata.annotations[\"example.com/lb.id\"]"),
            Span {
                line: 3,
                column: 24
            }
        );
    }

    #[test]
    fn quoted_scalars_are_never_resolved() {
        let docs = parse_stream("a: 'yes'\nb: 10\nc: \"10\"\nd: yes\n").unwrap();
        let json = docs[0].as_ref().unwrap().to_json();
        assert_eq!(json["a"], "yes");
        assert_eq!(json["b"], 10);
        assert_eq!(json["c"], "10");
        assert_eq!(json["d"], "yes");
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut y = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            y.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let err = parse_stream(&y).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{}", err.message);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse_stream("a: 1\na: 2\n").unwrap_err();
        assert_eq!(err.span, Span { line: 2, column: 1 });
    }

    #[test]
    fn with_only_keeps_the_named_entries_and_their_locations() {
        let docs = parse_stream("kind: A\nbig: [x, y]\nmetadata: {name: n}\n").unwrap();
        let root = docs[0].as_ref().unwrap();
        let kept = root.with_only(&["kind", "metadata"]);
        assert_eq!(
            kept.to_json(),
            serde_json::json!({"kind": "A", "metadata": {"name": "n"}})
        );
        assert_eq!(kept.find("metadata.name"), root.find("metadata.name"));
        assert_eq!(kept.find("big"), kept.span);
    }

    #[test]
    fn a_node_with_a_short_scalar_is_40_bytes() {
        assert_eq!(std::mem::size_of::<Node>(), 40);
        let docs = parse_stream("[a, 'b']\n").unwrap();
        let root = docs[0].as_ref().unwrap();
        assert_eq!(root.to_json(), serde_json::json!(["a", "b"]));
    }

    #[test]
    fn streams_keep_empty_documents() {
        let docs = parse_stream("---\n---\na: 1\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert!(docs[0].is_none());
    }
}
