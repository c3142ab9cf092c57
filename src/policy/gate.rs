//! A rule's `match`, read for conditions decidable without CEL, so a rule that cannot
//! apply to a plan is skipped before anything of it is compiled or evaluated.
//!
//! Most built-in rules apply to one exposure or to a block the spec may leave out
//! (`lb.exposure == 'ingress' && ...`, `lb.healthCheck != null && ...`). When a `match` is
//! a chain of `&&` (no `||`, no `?`) and one of its top-level conjuncts is such a
//! comparison of a plan path with a string literal or `null`, that conjunct is checked on
//! the plan's JSON directly. CEL's `&&` is false as soon as one side is false, whatever
//! the other side gives (even an error), so a conjunct that is false there makes the whole
//! `match` false: skipping the rule gives exactly what evaluating it would. A conjunct
//! that cannot be decided (a missing key, another type) decides nothing.

use serde_json::Value;

/// One decidable conjunct: `lb.<path> == '<literal>'` or `lb.<path> != null`.
#[derive(Debug, Clone, PartialEq)]
struct Condition {
    path: Vec<String>,
    /// `Some(literal)` for `== 'literal'`, `None` for `!= null`.
    equals: Option<String>,
}

/// The decidable conjuncts of one `match`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Gate(Vec<Condition>);

impl Gate {
    /// The gate of a rule's `match` (no `match`: a gate that never closes).
    pub(super) fn of(when: Option<&str>) -> Gate {
        when.and_then(conjuncts)
            .map(|parts| Gate(parts.into_iter().filter_map(condition).collect()))
            .unwrap_or_default()
    }

    /// Whether the `match` is certainly false for the plan `lb` (as JSON).
    pub(super) fn closed(&self, lb: &Value) -> bool {
        self.0.iter().any(|c| c.is_false(lb))
    }
}

impl Condition {
    fn is_false(&self, lb: &Value) -> bool {
        let mut at = lb;
        for key in &self.path {
            match at {
                Value::Object(map) => match map.get(key) {
                    Some(v) => at = v,
                    None => return false,
                },
                _ => return false,
            }
        }
        match (&self.equals, at) {
            (None, Value::Null) => true,
            (Some(_), Value::Null) => true,
            (Some(literal), Value::String(s)) => s != literal,
            _ => false,
        }
    }
}

/// The top-level `&&` operands of `source`, or `None` when it has `||` or `?` (where a
/// false operand need not make the whole false) or brackets that do not balance.
fn conjuncts(source: &str) -> Option<Vec<&str>> {
    let bytes = source.as_bytes();
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 1;
            } else if b == q {
                quote = None;
            }
        } else {
            match b {
                b'\'' | b'"' => quote = Some(b),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.checked_sub(1)?,
                b'?' => return None,
                b'|' if bytes.get(i + 1) == Some(&b'|') => return None,
                b'&' if depth == 0 && bytes.get(i + 1) == Some(&b'&') => {
                    parts.push(source[start..i].trim());
                    i += 1;
                    start = i + 1;
                }
                _ => {}
            }
        }
        i += 1;
    }
    if quote.is_some() || depth != 0 {
        return None;
    }
    parts.push(source[start..].trim());
    Some(parts)
}

/// `lb.a.b == 'x'` or `lb.a.b != null`, exactly (anything else: `None`).
fn condition(part: &str) -> Option<Condition> {
    let (lhs, equals) = if let Some((lhs, rhs)) = part.split_once(" == ") {
        let rhs = rhs.trim();
        let inner = rhs
            .strip_prefix('\'')
            .and_then(|r| r.strip_suffix('\''))
            .or_else(|| rhs.strip_prefix('"').and_then(|r| r.strip_suffix('"')))?;
        let plain = |c: char| c.is_ascii_alphanumeric() || "_-./".contains(c);
        if !inner.chars().all(plain) {
            return None;
        }
        (lhs, Some(inner.to_string()))
    } else {
        let (lhs, rhs) = part.split_once(" != ")?;
        if rhs.trim() != "null" {
            return None;
        }
        (lhs, None)
    };
    let mut names = lhs.trim().split('.');
    if names.next() != Some("lb") {
        return None;
    }
    let path: Vec<String> = names.map(str::to_string).collect();
    let ident = |n: &String| {
        n.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    (!path.is_empty() && path.iter().all(ident)).then_some(Condition { path, equals })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn closed(when: &str, lb: Value) -> bool {
        Gate::of(Some(when)).closed(&lb)
    }

    #[test]
    fn a_false_leading_or_later_conjunct_closes_the_gate() {
        let lb = json!({"exposure": "service", "healthCheck": null, "listener": {"tls": null}});
        assert!(closed("lb.exposure == 'ingress'", lb.clone()));
        assert!(closed(
            "lb.exposure == \"ingress\" && item.x > 1",
            lb.clone()
        ));
        assert!(closed("item.x > 1 && lb.healthCheck != null", lb.clone()));
        assert!(closed("lb.listener.tls != null && f(a, b)", lb.clone()));
        assert!(!closed("lb.exposure == 'service' && item.when != null", lb));
    }

    #[test]
    fn what_cel_alone_decides_leaves_the_gate_open() {
        let lb = json!({"exposure": "service", "n": 3, "healthCheck": null});
        // `||`, `?` and conjuncts inside brackets: a false part need not make it false.
        assert!(!closed("lb.exposure == 'ingress' || true", lb.clone()));
        assert!(!closed("x ? lb.exposure == 'ingress' : true", lb.clone()));
        assert!(!closed("!(lb.exposure == 'ingress')", lb.clone()));
        assert!(!closed("f(a && lb.exposure == 'ingress' && b)", lb.clone()));
        assert!(!closed(
            "'&&' == 'x' && lb.healthCheck == 'x' || true",
            lb.clone()
        ));
        // Missing keys and other types are CEL's to judge (errors, overloads).
        assert!(!closed("lb.missing != null", lb.clone()));
        assert!(!closed("lb.exposure.x != null", lb.clone()));
        assert!(!closed("lb.n == '3'", lb.clone()));
        assert!(!closed("lb.exposure == 'a\\'b'", lb.clone()));
        assert!(!closed("lb.exposure != 'ingress'", lb.clone()));
        assert!(!closed("lb.exposure == 'ingress' == false", lb));
    }

    #[test]
    fn a_string_with_operators_is_one_literal() {
        assert_eq!(
            conjuncts("lb.a == 'x && y' && lb.b != null"),
            Some(vec!["lb.a == 'x && y'", "lb.b != null"])
        );
        assert_eq!(conjuncts("lb.a == 'x ? y'"), Some(vec!["lb.a == 'x ? y'"]));
        assert_eq!(conjuncts("(a"), None);
    }
}
