//! A YAML document as a tree of nodes that remember where they came from.
//!
//! serde-saphyr's `Spanned<T>` loses its location inside untagged or flattened types, and
//! the typed spec needs both: precise locations for every field (diagnostics blame
//! `file:line:col`) and typed values. So each document is first read into this tree from
//! the parser's event stream (serde-saphyr's own parser, `granit_parser`), keeping every
//! scalar's raw text and quoting style; `spec::de` then deserialises typed values from the
//! tree and `Node::find` maps a field path back to its location.

use super::limits::AliasBudget;
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Tag};
use std::collections::HashMap;

/// A position in a source file, both 1-based, as editors and compilers print them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

/// One YAML node with its location.
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
        text: String,
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
    /// What went wrong.
    pub message: String,
    /// Where.
    pub span: Span,
}

/// A document of a stream: its root node (`None` for an empty document).
pub type Document = Option<Node>;

/// The deepest nesting accepted; no Kubernetes object comes close. The reader recurses
/// only on nesting, never on the input's length.
const MAX_DEPTH: usize = 128;

/// Parses a YAML stream into documents. What aliases may add is budgeted by
/// [`AliasBudget::for_input`]; unknown tags are errors.
pub fn parse_stream(input: &str) -> Result<Vec<Document>, SyntaxError> {
    let mut builder = Builder {
        anchors: HashMap::new(),
        budget: AliasBudget::for_input(input.len()),
        limit: AliasBudget::for_input(input.len()),
    };
    let mut docs = Vec::new();
    // Comments are presentation, not data: not capturing them keeps a huge comment from
    // costing memory, and keeps the parser from refusing many comments between two keys.
    let mut options = serde_saphyr::granit_parser::Options::default();
    options.set_emit_comments(false);
    let mut parser = Parser::new_from_str_with_options(input, options);
    loop {
        let (event, _) = next(&mut parser)?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart(..) => {
                builder.anchors.clear();
                let (first, first_span) = next(&mut parser)?;
                if matches!(first, Event::DocumentEnd) {
                    docs.push(None);
                    continue;
                }
                let (root, _) = builder.node(&mut parser, first, first_span, 0)?;
                let (end, end_span) = next(&mut parser)?;
                if !matches!(end, Event::DocumentEnd) {
                    return Err(syntax(
                        "expected the end of the document",
                        to_span(&end_span),
                    ));
                }
                // `---` followed by nothing is an empty document, not a null object.
                let empty = matches!(&root.value, NodeValue::Scalar { text, plain: true } if resolve_plain(text).is_null());
                docs.push((!empty).then_some(root));
            }
            _ => {}
        }
    }
    Ok(docs)
}

type RawSpan = serde_saphyr::granit_parser::Span;
type Marked<'a> = (Event<'a>, RawSpan);
type YamlParser<'a> = Parser<'a, serde_saphyr::granit_parser::StrInput<'a>>;

/// The next event that is not a comment (a loop: a file of comments must not recurse).
fn next<'a>(parser: &mut YamlParser<'a>) -> Result<Marked<'a>, SyntaxError> {
    loop {
        match parser.next_event() {
            // Comments are presentation, not data.
            Some(Ok((Event::Comment(..), _))) => continue,
            Some(Ok(ev)) => return Ok(ev),
            Some(Err(e)) => {
                return Err(SyntaxError {
                    message: e.info(),
                    span: Span {
                        line: e.marker().line(),
                        column: e.marker().col() + 1,
                    },
                });
            }
            None => return Err(syntax("unexpected end of input", Span::default())),
        }
    }
}

fn to_span(s: &RawSpan) -> Span {
    Span {
        line: s.start.line(),
        column: s.start.col() + 1,
    }
}

fn syntax(message: &str, span: Span) -> SyntaxError {
    SyntaxError {
        message: message.to_string(),
        span,
    }
}

/// The size of a subtree: nodes and bytes of scalar text.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    nodes: usize,
    bytes: usize,
}

impl Cost {
    fn add(&mut self, other: Cost) {
        self.nodes = self.nodes.saturating_add(other.nodes);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

struct Builder {
    /// Anchored nodes of the current document, with their cost.
    anchors: HashMap<usize, (Node, Cost)>,
    /// What aliases may still add.
    budget: AliasBudget,
    /// What they could add at the start (for the message).
    limit: AliasBudget,
}

/// Whether a tag lets YAML resolution apply to a plain scalar: `Some(false)` for `!!str`,
/// `Some(true)` for the other YAML core tags and no tag; `None` for anything else.
fn tag_reading(tag: Option<&Tag>) -> Option<bool> {
    let Some(tag) = tag else { return Some(true) };
    match tag.core_suffix() {
        Some("str") => Some(false),
        Some("int" | "float" | "bool" | "null" | "map" | "seq") => Some(true),
        _ => None,
    }
}

fn check_tag(tag: Option<&Tag>, span: Span) -> Result<bool, SyntaxError> {
    tag_reading(tag).ok_or_else(|| SyntaxError {
        message: format!(
            "unsupported YAML tag `{}`; Kubernetes objects use no tags: remove it (only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are read)",
            tag.map(Tag::original).unwrap_or_default()
        ),
        span,
    })
}

/// A 64-bit hash of a key, for linear-time duplicate detection.
fn key_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
        .hash_one(text)
}

impl Builder {
    fn spend(&mut self, span: Span, cost: Cost) -> Result<(), SyntaxError> {
        if cost.nodes > self.budget.nodes || cost.bytes > self.budget.bytes {
            return Err(SyntaxError {
                message: format!(
                    "YAML aliases expand this input beyond its budget (alias bomb?): aliases may add {} nodes and {} bytes to an input of this size; expand the aliases by hand, or raise the budget with {} and {}",
                    self.limit.nodes,
                    self.limit.bytes,
                    super::limits::ENV_ALIAS_NODES,
                    super::limits::ENV_ALIAS_BYTES
                ),
                span,
            });
        }
        self.budget.nodes -= cost.nodes;
        self.budget.bytes -= cost.bytes;
        Ok(())
    }

    fn node<'a>(
        &mut self,
        parser: &mut YamlParser<'a>,
        event: Event<'a>,
        raw_span: RawSpan,
        depth: usize,
    ) -> Result<(Node, Cost), SyntaxError> {
        let span = to_span(&raw_span);
        if depth > MAX_DEPTH {
            return Err(syntax("the document is nested too deeply", span));
        }
        let mut cost = Cost { nodes: 1, bytes: 0 };
        let (value, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let resolvable = check_tag(tag.as_deref(), span)?;
                let plain = matches!(style, ScalarStyle::Plain) && resolvable;
                cost.bytes = text.len();
                let text = text.into_owned();
                (NodeValue::Scalar { text, plain }, anchor)
            }
            Event::SequenceStart(_, anchor, tag) => {
                check_tag(tag.as_deref(), span)?;
                let mut items = Vec::new();
                loop {
                    let (ev, sp) = next(parser)?;
                    if matches!(ev, Event::SequenceEnd) {
                        break;
                    }
                    let (item, c) = self.node(parser, ev, sp, depth + 1)?;
                    cost.add(c);
                    items.push(item);
                }
                (NodeValue::Seq(items), anchor)
            }
            Event::MappingStart(_, anchor, tag) => {
                check_tag(tag.as_deref(), span)?;
                let (entries, c) = self.entries(parser, depth)?;
                cost.add(c);
                (NodeValue::Map(entries), anchor)
            }
            Event::Alias(id) => {
                let target_cost = self
                    .anchors
                    .get(&id)
                    .map(|(_, c)| *c)
                    .ok_or_else(|| syntax("alias to an unknown anchor", span))?;
                // The budget is checked before anything is copied.
                self.spend(span, target_cost)?;
                let value = self
                    .anchors
                    .get(&id)
                    .map(|(t, _)| t.value.clone())
                    .ok_or_else(|| syntax("alias to an unknown anchor", span))?;
                return Ok((Node { span, value }, target_cost));
            }
            _ => return Err(syntax("unexpected YAML event", span)),
        };
        let node = Node { span, value };
        if anchor != 0 {
            // Keeping the anchored subtree is a copy too: it counts against the budget.
            self.spend(span, cost)?;
            self.anchors.insert(anchor, (node.clone(), cost));
        }
        Ok((node, cost))
    }

    /// A mapping's entries up to its end; duplicate keys are found in linear time (key
    /// hash to entry indices; a hash collision falls back to comparing the texts).
    fn entries<'a>(
        &mut self,
        parser: &mut YamlParser<'a>,
        depth: usize,
    ) -> Result<(Vec<(Node, Node)>, Cost), SyntaxError> {
        let mut cost = Cost::default();
        let mut entries: Vec<(Node, Node)> = Vec::new();
        let mut seen: HashMap<u64, Vec<usize>> = HashMap::new();
        loop {
            let (ev, sp) = next(parser)?;
            if matches!(ev, Event::MappingEnd) {
                break;
            }
            let (key, kc) = self.node(parser, ev, sp, depth + 1)?;
            let Some(key_text) = key.as_str() else {
                return Err(syntax("mapping keys must be plain strings", key.span));
            };
            let slot = seen.entry(key_hash(key_text)).or_default();
            if slot
                .iter()
                .any(|&i| entries[i].0.as_str() == Some(key_text))
            {
                return Err(SyntaxError {
                    message: format!("duplicate key `{key_text}`; remove one of them"),
                    span: key.span,
                });
            }
            slot.push(entries.len());
            let (ev, sp) = next(parser)?;
            let (value, vc) = self.node(parser, ev, sp, depth + 1)?;
            cost.add(kc);
            cost.add(vc);
            entries.push((key, value));
        }
        Ok((entries, cost))
    }
}

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
    /// (`true`, `3`, `1.5`, `null`); everything else stays a string. Used for documents
    /// lbgen passes through untouched.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            NodeValue::Scalar { text, plain: false } => Value::String(text.clone()),
            NodeValue::Scalar { text, plain: true } => resolve_plain(text),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v.to_json()))
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
/// segment in brackets and quotes (`annotations["kubernetes.io/elb.id"]`) is one key.
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
        let docs =
            parse_stream("metadata:\n  annotations:\n    kubernetes.io/elb.id: x\n").unwrap();
        let root = docs[0].as_ref().unwrap();
        assert_eq!(
            root.find("metadata.annotations[\"kubernetes.io/elb.id\"]"),
            Span {
                line: 3,
                column: 27
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
    fn streams_keep_empty_documents() {
        let docs = parse_stream("---\n---\na: 1\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert!(docs[0].is_none());
    }
}
