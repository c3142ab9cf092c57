//! Bounds on users' rule expressions, checked before the CEL parser sees them.
//!
//! The cel crate's parser recurses once per operator of a chain (`1+1+...`) and overflows
//! the stack long before its own recursion limit, so an expression's size and operator
//! count are bounded here, with an error at the rule instead of an abort. It also refuses
//! repeated unary operators (`!!x`, `- -x`): cel 0.13 reads any run of them as a single
//! one (`!!true` is false), see `visit_LogicalNot`/`visit_Negate` in its parser.

/// The longest expression accepted, in bytes (built-in rules stay under 500).
pub const MAX_EXPRESSION_BYTES: usize = 4096;

/// The most operators, member selections and brackets one expression may hold: an upper
/// bound on the depth of its syntax tree (built-in rules stay under 40).
pub const MAX_OPERATORS: usize = 64;

/// Why an expression is refused, and the 0-based character offset it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// What is wrong and how to fix it.
    pub message: String,
    /// Character offset in the expression.
    pub at: usize,
}

/// Checks `source` against the bounds above and the unary-operator workaround; gives the
/// number of operators counted.
pub fn check(source: &str) -> Result<usize, Refused> {
    check_with(source, MAX_OPERATORS)
}

fn check_with(source: &str, max_operators: usize) -> Result<usize, Refused> {
    if source.len() > MAX_EXPRESSION_BYTES {
        return Err(Refused {
            message: format!(
                "the expression is {} bytes, over the limit of {MAX_EXPRESSION_BYTES}; split the rule into smaller rules",
                source.len()
            ),
            at: 0,
        });
    }
    let chars: Vec<char> = source.chars().collect();
    let mut operators = 0usize;
    // Whether the previous significant token ends an operand (then `-` is binary).
    let mut after_operand = false;
    // Where the last unary operator was, if it is the previous significant token.
    let mut last_unary: Option<(usize, char)> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '\'' || c == '"' {
            i = skip_string(&chars, i);
            after_operand = true;
            last_unary = None;
            continue;
        }
        let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
        let unary = (c == '!' && two != "!=") || (c == '-' && !after_operand);
        if unary {
            if let Some((_, prev)) = last_unary {
                return Err(Refused {
                    message: format!(
                        "repeated unary `{prev}{c}` is not supported: the CEL library reads any run of them as a single `{prev}` (so `!!true` is false); drop both, or use parentheses: `{prev}({c}x)`"
                    ),
                    at: i,
                });
            }
            last_unary = Some((i, c));
            operators += 1;
            after_operand = false;
            i += 1;
        } else {
            last_unary = None;
            let op_len = match two.as_str() {
                "&&" | "||" | "==" | "!=" | "<=" | ">=" => 2,
                _ if "+-*/%<>?:.([{".contains(c) => 1,
                _ => 0,
            };
            if op_len > 0 {
                operators += 1;
                after_operand = false;
                i += op_len;
            } else {
                after_operand = c.is_alphanumeric() || c == '_' || ")]}".contains(c);
                i += 1;
            }
        }
        if operators > max_operators {
            return Err(Refused {
                message: format!(
                    "the expression has more than {max_operators} operators, member selections and brackets; split the rule into smaller rules or use a `forEach`"
                ),
                at: i.saturating_sub(1),
            });
        }
    }
    Ok(operators)
}

/// The index just after the string literal starting at `start` (quotes `'`, `"`, their
/// triple forms, backslash escapes); an unclosed literal runs to the end.
fn skip_string(chars: &[char], start: usize) -> usize {
    let quote = chars[start];
    let triple = chars.get(start + 1) == Some(&quote) && chars.get(start + 2) == Some(&quote);
    let mut i = start + if triple { 3 } else { 1 };
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            c if c == quote && !triple => return i + 1,
            c if c == quote
                && chars.get(i + 1) == Some(&quote)
                && chars.get(i + 2) == Some(&quote) =>
            {
                return i + 3;
            }
            _ => i += 1,
        }
    }
    chars.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_style_expressions_pass() {
        for ok in [
            "!item.name.matches('^(tcp|udp)-[0-9]+$')",
            "lb.x != null && !(lb.y > -1)",
            "a - -1 == 2",
            "'!!' + \"--\" == '!!--'",
            "!(!true)",
            "1 - 1 == 0",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn repeated_unary_operators_are_refused() {
        for (bad, at) in [("!!true", 1), ("! !x", 2), ("a == --1", 6), ("x && !!y", 6)] {
            let e = check(bad).unwrap_err();
            assert_eq!(e.at, at, "{bad}");
            assert!(e.message.contains("single"), "{}", e.message);
        }
    }

    #[test]
    fn size_and_operator_count_are_bounded() {
        let chain = vec!["1"; MAX_OPERATORS + 2].join("+");
        assert!(check(&chain).unwrap_err().message.contains("operators"));
        let at_limit = vec!["1"; MAX_OPERATORS + 1].join("+");
        assert_eq!(check(&at_limit), Ok(MAX_OPERATORS));
        let long = format!("'{}' == ''", "x".repeat(MAX_EXPRESSION_BYTES));
        assert!(check(&long).unwrap_err().message.contains("bytes"));
    }
}
