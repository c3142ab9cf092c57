//! The YAML parser's errors in words a new user can act on: what was expected there and
//! the fix, and the place moved to where the mistake is (the start of a wrongly indented
//! key, the tab, the bracket left open). The parser's own message and place are kept:
//! readers of YAML other than the spec loader quote them as they are.
//!
//! The parser (`granit_parser`, serde-saphyr's) reports a machine-readable kind and a
//! place; the sentence is chosen by the kind, and the lines around the place say which of
//! the usual mistakes it is (a key indented too deep, a value containing `: `, a missing
//! space after `:`). Only the error's line and the lines above it are read.

use super::node::{Explained, Span, SyntaxError};
use serde_saphyr::granit_parser::{ErrorKind, ScanError};

/// The parser's error `e` on `input`, explained.
pub(super) fn explain(e: &ScanError, input: &str) -> SyntaxError {
    let original = e.info();
    let line_no = e.marker().line();
    let column = e.marker().col() + 1;
    let lines: Vec<&str> = input.lines().take(line_no).collect();
    let line = lines
        .get(line_no.wrapping_sub(1))
        .copied()
        .unwrap_or_default();
    let above = lines
        .iter()
        .take(line_no.saturating_sub(1))
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .copied();
    let at = |column: usize| Span::at(line_no, column);
    let start_of_line = at(indent(line) + 1);
    let (message, help, span) = match e.kind() {
        ErrorKind::MappingValueNotAllowed => mapping_value(line, above, column, &at),
        ErrorKind::ExpectedBlockMappingKey => {
            let message = "this line does not line up with the keys of the mapping it is in";
            let help = if line.trim_start().starts_with("- ") {
                "a list item (`- ...`) cannot stand among the keys of a mapping: put the list under a key, indented below it (`ports:` then `  - port: 80`), and align every item's `-`".to_string()
            } else {
                format!(
                    "indent this line exactly like the other keys of its mapping{}",
                    above.map_or(String::new(), |a| format!(
                        " (the line above starts at column {})",
                        indent(a) + 1
                    ))
                )
            };
            (message.to_string(), help, start_of_line)
        }
        ErrorKind::ExpectedBlockSequenceEntry => (
            "expected another `- ` list item, aligned with the items above".into(),
            "align this line's `-` with the other items of the list, or indent it below the item it belongs to".into(),
            start_of_line,
        ),
        ErrorKind::ExpectedFlowMappingSeparator => {
            flow_separator(&lines, line_no, column, '{', "mapping", ("entry", "entries"), &at)
        }
        ErrorKind::ExpectedFlowSequenceSeparator => {
            flow_separator(&lines, line_no, column, '[', "list", ("item", "items"), &at)
        }
        ErrorKind::UnclosedFlowCollection { open } => (
            format!("the `{open}` opened here is never closed"),
            format!("add the `{}` that ends it", closing(*open)),
            at(column),
        ),
        ErrorKind::MismatchedFlowCollectionEnd { open, close } => (
            format!("the `{open}` opened here is closed by `{close}`"),
            format!("close it with `{}`", closing(*open)),
            at(column),
        ),
        ErrorKind::MisplacedFlowCollectionEnd => (
            "this closing bracket has no opening one".into(),
            "remove it, or add the `[` or `{` it closes".into(),
            at(column),
        ),
        ErrorKind::UnclosedQuotedScalar => {
            let quote = line.chars().nth(column.saturating_sub(1)).unwrap_or('"');
            let inner = if quote == '\'' {
                "inside single quotes a quote is written twice (`''`)"
            } else {
                "inside double quotes a quote is written `\\\"`"
            };
            (
                "this quoted value has no closing quote".into(),
                format!("end the value with `{quote}`; {inner}"),
                at(column),
            )
        }
        ErrorKind::InvalidTrailingDoubleQuotedScalar
        | ErrorKind::InvalidTrailingSingleQuotedScalar => (
            "text follows the closing quote of this value".into(),
            "put the whole value inside the quotes, or remove what follows them".into(),
            at(column),
        ),
        ErrorKind::TabInBlockIndentation | ErrorKind::TabInIndentation | ErrorKind::TabNotAllowed => (
            "a tab indents this line; YAML indentation is spaces only".into(),
            "replace the tab with spaces".into(),
            at(line.find('\t').map_or(column, |i| line[..i].chars().count() + 1)),
        ),
        ErrorKind::UnknownAnchor => {
            let alias: String = line
                .chars()
                .skip(column.saturating_sub(1))
                .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
                .collect();
            let name = alias.trim_start_matches('*');
            (
                format!("the alias `{alias}` refers to no anchor `&{name}` above it in this document"),
                format!("mark the node to repeat with `&{name}` before this line, or write the value out"),
                at(column),
            )
        }
        ErrorKind::SimpleKeyExpected | ErrorKind::InvalidSimpleKey => (
            "expected `:` after this key".into(),
            "write `key: value` on one line (a key cannot span lines or exceed 1024 characters)".into(),
            at(column),
        ),
        ErrorKind::InvalidMappingValueWhitespace => (
            "`:` must be followed by a space".into(),
            "write `key: value`, with a space after the colon".into(),
            at(column),
        ),
        ErrorKind::BlockSequenceEntryNotAllowed | ErrorKind::BlockEntryInFlowCollection => (
            "a `- ` list item cannot start here".into(),
            "start the list on its own line below its key (`key:` then `  - item`), or write it as `[a, b]`".into(),
            start_of_line,
        ),
        ErrorKind::UnexpectedEofFlowMapping
        | ErrorKind::UnexpectedEofFlowSequence
        | ErrorKind::UnexpectedEofImplicitFlowMapping => (
            "the file ends inside a `{...}` or `[...]`".into(),
            "close every `{` with `}` and every `[` with `]`".into(),
            at(column),
        ),
        _ => return SyntaxError::new(original, at(column)),
    };
    SyntaxError {
        message: original,
        span: at(column),
        explained: Some(Box::new(Explained {
            message,
            help,
            span,
        })),
    }
}

/// "mapping values are not allowed in this context": a `key:` where a key cannot start.
fn mapping_value(
    line: &str,
    above: Option<&str>,
    column: usize,
    at: &dyn Fn(usize) -> Span,
) -> (String, String, Span) {
    let key_start = indent(line);
    let before: String = line.chars().take(column.saturating_sub(1)).collect();
    let key = before[key_start.min(before.len())..].trim();
    let key_text = key.trim_start_matches("- ").to_string();
    if let Some((name, _)) = key_text.split_once(": ") {
        // `name: a: b`: the value holds `: `; the fix quotes all of it.
        let after_key = key_start + name.chars().count() + 2;
        let value: String = line.chars().skip(after_key).collect();
        let value = value.split(" #").next().unwrap_or_default().trim();
        let value_column = after_key
            + 1
            + (line
                .chars()
                .skip(after_key)
                .take_while(|c| *c == ' ')
                .count());
        return (
            format!("the value of `{name}` contains `: `, which YAML reads as another key"),
            format!("quote the value: `{name}: \"{value}\"`"),
            at(value_column),
        );
    }
    if let Some(above) = above
        && let Some(glued) = glued_colon(above)
    {
        return (
            format!(
                "`{key_text}` cannot start a key here: the line above, `{}`, has no space after its `:`, so it is one long text that goes on into this line",
                above.trim()
            ),
            format!("write `{glued}` (a space after the `:`)"),
            at(key_start + 1),
        );
    }
    let message = match above {
        Some(a) if indent(a) < key_start => format!(
            "`{key_text}` is indented deeper than the line above, whose key already has a value, so it cannot start a key there"
        ),
        _ => format!("`{key_text}` cannot start a key here"),
    };
    let help = match above {
        Some(a) => format!(
            "indent `{key_text}` like the keys beside it (the line above starts at column {}), or, if it belongs under the key above, put nothing after that key's `:`",
            indent(a) + 1
        ),
        None => format!("indent `{key_text}` like the keys beside it"),
    };
    (message, help, at(key_start + 1))
}

/// "did not find expected ',' or '}'": a missing comma, or a collection left open on an
/// earlier line (then the help names that line).
fn flow_separator(
    lines: &[&str],
    line_no: usize,
    column: usize,
    open: char,
    what: &str,
    (part, parts): (&str, &str),
    at: &dyn Fn(usize) -> Span,
) -> (String, String, Span) {
    let close = closing(open);
    let line = lines
        .get(line_no.wrapping_sub(1))
        .copied()
        .unwrap_or_default();
    let before: String = line.chars().take(column.saturating_sub(1)).collect();
    let opened_here = before.contains(open);
    let opened_at = (!opened_here)
        .then(|| {
            (0..line_no.saturating_sub(1))
                .rev()
                .find(|&i| lines[i].matches(open).count() > lines[i].matches(close).count())
        })
        .flatten();
    if let Some(i) = opened_at {
        // Point at the bracket left open, where the fix goes.
        let open_column = unclosed(lines[i], open).map_or(column, |c| c + 1);
        return (
            format!("the {what} `{open}` opened on line {} is not closed", i + 1),
            format!("end line {}'s {what} with `{close}`", i + 1),
            Span::at(i + 1, open_column),
        );
    }
    // `{name: a namespace: b}`: the last word before the `:` starts the entry that lacks
    // its comma.
    let segment_start = before.rfind([open, ',']).map_or(0, |i| i + 1);
    let segment = &before[segment_start..];
    if let Some((_, value)) = segment.split_once(": ")
        && let Some(space) = value.trim_end().rfind(' ')
    {
        let word_at = segment_start + segment.len() - value.len() + space + 1;
        let word = before[word_at..].trim_end();
        return (
            format!(
                "expected `,` before the next {part} or `{close}` to close the {what} `{open}...{close}`"
            ),
            format!("add `,` before `{word}`"),
            at(before[..word_at].chars().count() + 1),
        );
    }
    (
        format!(
            "expected `,` before the next {part} or `{close}` to close the {what} `{open}...{close}`"
        ),
        format!("separate the {parts} with `, ` and close the {what} with `{close}`"),
        at(column),
    )
}

/// The character column (0-based) of the last `open` bracket of `line` left unclosed.
fn unclosed(line: &str, open: char) -> Option<usize> {
    let close = closing(open);
    let mut stack = Vec::new();
    for (i, c) in line.chars().enumerate() {
        if c == open {
            stack.push(i);
        } else if c == close {
            stack.pop();
        }
    }
    stack.pop()
}

/// `name:a` on a line (a colon glued to its value), rewritten `name: a`.
fn glued_colon(line: &str) -> Option<String> {
    let text = line.trim();
    let (key, value) = text.split_once(':')?;
    let simple = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    (simple && !value.is_empty() && !value.starts_with([' ', '\t', '/']))
        .then(|| format!("{key}: {value}"))
}

/// Leading spaces of a line (characters).
fn indent(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

fn closing(open: char) -> char {
    if open == '[' { ']' } else { '}' }
}
