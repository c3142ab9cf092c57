//! Walking a parsed CEL expression (the cel crate's AST).

use kube_cel::cel::common::ast::{EntryExpr, Expr, IdedEntryExpr, IdedExpr};

/// The direct subexpressions of `expr`, in source order.
pub(super) fn children(expr: &IdedExpr) -> Vec<&IdedExpr> {
    match &expr.expr {
        Expr::Call(call) => call
            .target
            .as_deref()
            .into_iter()
            .chain(&call.args)
            .collect(),
        Expr::Comprehension(c) => vec![
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ],
        Expr::List(list) => list.elements.iter().collect(),
        Expr::Map(map) => entries(&map.entries),
        Expr::Struct(s) => entries(&s.entries),
        Expr::Select(select) => vec![&select.operand],
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => Vec::new(),
    }
}

/// The expressions of a map or message literal's entries.
fn entries(entries: &[IdedEntryExpr]) -> Vec<&IdedExpr> {
    entries
        .iter()
        .flat_map(|e| match &e.expr {
            EntryExpr::MapEntry(m) => vec![&m.key, &m.value],
            EntryExpr::StructField(f) => vec![&f.value],
        })
        .collect()
}

/// A part of `expr` the cel crate cannot evaluate (it panics on them): a message literal
/// (`Type{field: value}`) or an unspecified expression, with what to write instead.
pub(super) fn unsupported(expr: &IdedExpr) -> Option<&'static str> {
    match &expr.expr {
        Expr::Struct(_) => Some(
            "message literals (`Type{field: value}`) are not supported; use a map literal (`{'field': value}`)",
        ),
        Expr::Unspecified => Some("the expression has an empty part; complete it"),
        _ => children(expr).into_iter().find_map(unsupported),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kube_cel::cel;

    #[test]
    fn message_literals_are_found_wherever_they_are() {
        let find = |s: &str| unsupported(cel::Program::compile(s).expect("parses").expression());
        assert!(find("Foo{a: 1} == null").is_some());
        assert!(find("[1].all(x, x == Foo{a: x})").is_some());
        assert!(find("{'a': 1}.a == 1 && lb.x.exists(y, y > 0)").is_none());
    }
}
