//! Reads a YAML stream into [`Node`] trees from the parser's event stream.
//!
//! The reader is where hostile YAML is stopped: what aliases add is budgeted in nodes and
//! bytes derived from the input's size and checked before anything is copied; comments are
//! not captured; keys are checked for duplicates in linear time; unknown tags are errors;
//! it recurses only on nesting (at most [`MAX_DEPTH`]), never on the input's length.

use super::limits::AliasBudget;
use super::node::{Node, NodeValue, Span, SyntaxError, Text, resolve_plain};
use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, Tag};
use std::collections::HashMap;

/// A document of a stream: its root node (`None` for an empty document).
pub type Document = Option<Node>;

/// The deepest nesting accepted; no Kubernetes object comes close. The reader recurses
/// only on nesting, never on the input's length.
pub const MAX_DEPTH: usize = 128;

/// Parses a YAML stream into documents. What aliases may add is budgeted by
/// [`AliasBudget::for_input`]; unknown tags are errors.
pub fn parse_stream(input: &str) -> Result<Vec<Document>, SyntaxError> {
    let mut builder = Builder {
        input,
        anchors: HashMap::new(),
        budget: AliasBudget::for_input(input.len()),
        limit: AliasBudget::for_input(input.len()),
        nodes_left: super::limits::max_nodes(input.len()),
        nodes_limit: super::limits::max_nodes(input.len()),
    };
    let mut docs = Vec::new();
    // Comments are presentation, not data: not capturing them keeps a huge comment from
    // costing memory, and keeps the parser from refusing many comments between two keys.
    let mut options = serde_saphyr::granit_parser::Options::default();
    options.set_emit_comments(false);
    let mut parser = Parser::new_from_str_with_options(input, options);
    loop {
        let (event, _) = next(&mut parser, input)?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart(..) => {
                builder.anchors.clear();
                let (first, first_span) = next(&mut parser, input)?;
                if matches!(first, Event::DocumentEnd) {
                    docs.push(None);
                    continue;
                }
                let (root, _) = builder.node(&mut parser, first, first_span, 0)?;
                let (end, end_span) = next(&mut parser, input)?;
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
fn next<'a>(parser: &mut YamlParser<'a>, input: &str) -> Result<Marked<'a>, SyntaxError> {
    loop {
        match parser.next_event() {
            // Comments are presentation, not data.
            Some(Ok((Event::Comment(..), _))) => continue,
            Some(Ok(ev)) => return Ok(ev),
            Some(Err(e)) => return Err(super::syntax::explain(&e, input)),
            None => return Err(syntax("unexpected end of input", Span::default())),
        }
    }
}

fn to_span(s: &RawSpan) -> Span {
    Span::at(s.start.line(), s.start.col() + 1)
}

fn syntax(message: &str, span: Span) -> SyntaxError {
    SyntaxError::new(message, span)
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

struct Builder<'a> {
    /// The text being read (for explaining the parser's errors).
    input: &'a str,
    /// Anchored nodes of the current document, with their cost.
    anchors: HashMap<usize, (Node, Cost)>,
    /// What aliases may still add.
    budget: AliasBudget,
    /// What they could add at the start (for the message).
    limit: AliasBudget,
    /// Nodes the stream may still hold, aliases aside.
    nodes_left: usize,
    /// How many it could hold at the start (for the message).
    nodes_limit: usize,
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
    tag_reading(tag).ok_or_else(|| SyntaxError::new(
        format!(
            "unsupported YAML tag `{}`; Kubernetes objects use no tags: remove it (only !!str, !!int, !!float, !!bool, !!null, !!map and !!seq are read)",
            tag.map(Tag::original).unwrap_or_default()
        ),
        span,
    ))
}

/// A 64-bit hash of a key, for linear-time duplicate detection.
fn key_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default()
        .hash_one(text)
}

impl Builder<'_> {
    fn spend(&mut self, span: Span, cost: Cost) -> Result<(), SyntaxError> {
        if cost.nodes > self.budget.nodes || cost.bytes > self.budget.bytes {
            return Err(SyntaxError::new(
                format!(
                    "YAML aliases expand this input beyond its budget (alias bomb?): aliases may add {} nodes and {} bytes to an input of this size; expand the aliases by hand, or raise the budget with {} and {}",
                    self.limit.nodes,
                    self.limit.bytes,
                    super::limits::ENV_ALIAS_NODES,
                    super::limits::ENV_ALIAS_BYTES
                ),
                span,
            ));
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
        if !matches!(event, Event::Alias(_)) {
            if self.nodes_left == 0 {
                return Err(SyntaxError::new(
                    format!(
                        "the input holds more than {} YAML nodes, too many for its size; split it into smaller files, or raise the limit with {}",
                        self.nodes_limit,
                        super::limits::ENV_MAX_NODES
                    ),
                    span,
                ));
            }
            self.nodes_left -= 1;
        }
        let mut cost = Cost { nodes: 1, bytes: 0 };
        let (value, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let resolvable = check_tag(tag.as_deref(), span)?;
                let plain = matches!(style, ScalarStyle::Plain) && resolvable;
                cost.bytes = text.len();
                let text = match text {
                    std::borrow::Cow::Borrowed(t) => Text::from(t),
                    std::borrow::Cow::Owned(t) => Text::from(t),
                };
                (NodeValue::Scalar { text, plain }, anchor)
            }
            Event::SequenceStart(_, anchor, tag) => {
                check_tag(tag.as_deref(), span)?;
                let mut items = Vec::new();
                loop {
                    let (ev, sp) = next(parser, self.input)?;
                    if matches!(ev, Event::SequenceEnd) {
                        break;
                    }
                    let (item, c) = self.node(parser, ev, sp, depth + 1)?;
                    cost.add(c);
                    items.push(item);
                }
                // Growth leaves up to half a long list's buffer unused: give it back.
                items.shrink_to_fit();
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
            let (ev, sp) = next(parser, self.input)?;
            if matches!(ev, Event::MappingEnd) {
                break;
            }
            let (key, kc) = self.node(parser, ev, sp, depth + 1)?;
            let Some(key_text) = key.as_str() else {
                return Err(syntax("mapping keys must be plain strings", key.span));
            };
            let slot = seen.entry(key_hash(key_text)).or_default();
            if let Some(&first) = slot
                .iter()
                .find(|&&i| entries[i].0.as_str() == Some(key_text))
            {
                let message = format!("duplicate key `{key_text}`; remove one of them");
                let help = format!(
                    "a mapping holds each key once, and `{key_text}` is already set on line {}: keep the one you mean",
                    entries[first].0.span.line
                );
                return Err(SyntaxError {
                    explained: Some(Box::new(super::node::Explained {
                        message: message.clone(),
                        help,
                        span: key.span,
                    })),
                    ..SyntaxError::new(message, key.span)
                });
            }
            slot.push(entries.len());
            let (ev, sp) = next(parser, self.input)?;
            let (value, vc) = self.node(parser, ev, sp, depth + 1)?;
            cost.add(kc);
            cost.add(vc);
            entries.push((key, value));
        }
        entries.shrink_to_fit();
        Ok((entries, cost))
    }
}
