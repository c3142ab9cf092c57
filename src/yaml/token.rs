//! The extent of the YAML token that starts at a place in a source line, so a diagnostic
//! underlines exactly the offending scalar or key: `5 minutes` whole, `cokie` in
//! `{mode: cokie, timeout: 5s}` without the comma, `algoritm` without its colon, a quoted
//! scalar with its quotes, a flow collection to its closing bracket.
//!
//! It reads one line only, so the cost is that line's length; a token that goes on past
//! the line (a multi-line scalar or collection) is underlined to the line's end.

/// The byte offset where the token starting at byte `start` of `line` ends (exclusive);
/// `start` itself when nothing starts there.
pub fn token_end(line: &str, start: usize) -> usize {
    let Some(rest) = line.get(start..) else {
        return start;
    };
    let in_flow = flow_depth(&line[..start]) > 0;
    let end = match rest.chars().next() {
        None => return start,
        Some(quote @ ('"' | '\'')) => quoted_end(rest, quote),
        Some('{' | '[') => bracket_end(rest),
        // A tab or spaces where a token was expected (indentation): the blanks themselves.
        Some(c) if c.is_whitespace() => rest.len() - rest.trim_start().len(),
        Some(_) => plain_end(rest, in_flow),
    };
    start + end
}

/// How many flow collections are open at the end of `prefix` (quotes skipped).
fn flow_depth(prefix: &str) -> usize {
    let mut depth: usize = 0;
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for c in prefix.chars() {
        match (quote, c) {
            (Some('"'), '"') if previous != '\\' => quote = None,
            (Some('\''), '\'') => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if matches!(previous, ' ' | '{' | '[' | ',' | ':') => {
                quote = Some(c);
            }
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => depth = depth.saturating_sub(1),
            (None, '#') if previous == ' ' => break,
            _ => {}
        }
        previous = c;
    }
    depth
}

/// After the closing quote (a `\"` escape or a `''` pair does not close), else the line.
fn quoted_end(rest: &str, quote: char) -> usize {
    let mut chars = rest.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                continue;
            }
            return i + c.len_utf8();
        }
    }
    rest.len()
}

/// After the bracket that closes the one at the start, else the line.
fn bracket_end(rest: &str) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, '}' | ']') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    rest.len()
}

/// A plain scalar ends before `: ` (it is a key), before ` #` (a comment), at the line's
/// end, and in a flow collection also before `,`, `]` and `}`; trailing blanks excluded.
fn plain_end(rest: &str, in_flow: bool) -> usize {
    let mut end = rest.len();
    let mut previous = ' ';
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        let ends_key = c == ':'
            && (next.is_none_or(|n| n == ' ' || n == '\t')
                || (in_flow && next.is_some_and(|n| matches!(n, ',' | ']' | '}'))));
        let comment = c == '#' && matches!(previous, ' ' | '\t');
        let flow_end = in_flow && matches!(c, ',' | ']' | '}');
        if ends_key || comment || flow_end {
            end = i;
            break;
        }
        previous = c;
    }
    rest[..end].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::token_end;

    /// The token at the first occurrence of `at` in `line`.
    fn token<'a>(line: &'a str, at: &str) -> &'a str {
        let start = line.find(at).expect("in the line");
        &line[start..token_end(line, start)]
    }

    #[test]
    fn block_scalars_and_keys() {
        assert_eq!(token("  timeout: 5 minutes", "5"), "5 minutes");
        assert_eq!(token("  timeout: 5 minutes  # why", "5"), "5 minutes");
        assert_eq!(token("  algoritm: round-robin", "algoritm"), "algoritm");
        assert_eq!(token("  name: a:b", "a:b"), "a:b");
        assert_eq!(token("- port: 80", "port"), "port");
        assert_eq!(token("  url: http://x/#frag", "http"), "http://x/#frag");
    }

    #[test]
    fn flow_scalars_stop_at_their_separator() {
        let line = "  stickiness: {mode: cokie, timeout: 5 minutes}";
        assert_eq!(token(line, "cokie"), "cokie");
        assert_eq!(token(line, "5 min"), "5 minutes");
        assert_eq!(token(line, "mode"), "mode");
        assert_eq!(token("  ports: [80, x y]", "x y"), "x y");
    }

    #[test]
    fn quoted_scalars_and_collections_whole() {
        assert_eq!(token(r#"  port: "80" # q"#, "\"80"), "\"80\"");
        assert_eq!(token(r#"  a: "x\"y", b"#, "\"x"), r#""x\"y""#);
        assert_eq!(token("  a: 'it''s' b", "'it"), "'it''s'");
        assert_eq!(token("  tls: {}", "{"), "{}");
        assert_eq!(
            token("  ports: [{port: 80}, {port: 81}]", "{port: 81"),
            "{port: 81}"
        );
        assert_eq!(token("  name: \"open", "\"open"), "\"open");
    }

    #[test]
    fn nothing_past_the_line() {
        assert_eq!(token_end("a: b", 4), 4);
        assert_eq!(token_end("a: b", 99), 99);
        assert_eq!(token("\tname: a", "\t"), "\t");
    }
}
