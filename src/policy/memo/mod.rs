//! Rule results remembered by what the rule reads of the plan.
//!
//! At monorepo scale most of a render is rule evaluation, and the cel crate copies every
//! value it selects, so one rule on one plan costs tens of thousands of instructions. But a
//! rule reads only a few paths of the plan (`lb.exposure`, `lb.listeners`,
//! `lb.healthCheck.interval`), and thousands of specs written from a few templates agree
//! on most of them. So each rule's expressions are read once for their *footprint*: every
//! chain of field selections that starts at `lb`. A rule's findings are a function of what
//! those chains give (and of the provider), because CEL is deterministic and the chains are
//! all it can see of `lb`: `item` and `index` come from its `forEach`, which is part of the
//! footprint too. The outcome of each chain (the value, the key that is missing, or the
//! `false` that cel 0.13 gives when a selection meets a non-map) is written into a key; a
//! rule whose key was seen before on this thread gets the same findings without CEL.
//!
//! Keys are compared whole (never by hash alone), so a crafted spec cannot borrow another
//! spec's findings. A rule that uses `lb` other than through selections (`lb` as an
//! argument, `lb[...]`, a comprehension variable named `lb`) has no footprint and is always
//! evaluated, and so is a rule whose keys rarely repeat: memory stays bounded by
//! [`MAX_BYTES`] a thread.

use super::ast;
use kube_cel::cel;
use kube_cel::cel::common::ast::{ComprehensionExpr, Expr, IdedExpr, LiteralValue};
use serde_json::Value;

/// The variable a rule's plan is bound to.
pub(super) const PLAN: &str = "lb";

/// The variable a `forEach` element is bound to.
pub(super) const ITEM: &str = "item";

/// What of the plan a rule reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Footprint {
    /// Something not a selection chain: the result may depend on anything.
    Whole,
    /// The selection chains from the variable, sorted; none under a chain whose whole
    /// value is read.
    Paths(Vec<Read>),
}

/// One selection chain and what the rule makes of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Read {
    /// The steps (`lb.a.b` → `[a, b]`; `lb.a.all(x, x.b)` → `[a, each, b]`).
    pub(super) path: Vec<Step>,
    /// What of its value matters.
    pub(super) what: Reads,
}

/// One step of a chain.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Step {
    /// Selecting a field.
    Field(String),
    /// Every element of a list a comprehension (`all`, `exists`, `map`, ...) runs over.
    Each,
}

/// What of a chain's value a rule can tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reads {
    /// Everything.
    Value,
    /// Only whether it is null (`x == null`, `x != null`: cel's `==` with `null` is true
    /// for null alone).
    Nullness,
    /// Only its size (`x.size()`, `size(x)`), for a string, list or map.
    Size,
}

impl Footprint {
    /// What `programs` (a rule's `forEach`, `match`, expression and `messageExpression`)
    /// read of the variable `var`, with `extra` chains read outside CEL (the
    /// `{item.<field>}` of a `field` template).
    pub(super) fn of<'a>(
        var: &str,
        programs: impl IntoIterator<Item = &'a cel::Program>,
        extra: Vec<Vec<String>>,
    ) -> Footprint {
        let mut reads: Vec<Read> = extra
            .into_iter()
            .map(|path| Read {
                path: path.into_iter().map(Step::Field).collect(),
                what: Reads::Value,
            })
            .collect();
        for program in programs {
            if !collect(var, program.expression(), &mut reads) {
                return Footprint::Whole;
            }
        }
        reads.sort();
        reads.dedup();
        // What is under a chain whose whole value is recorded is decided by that value.
        let whole: Vec<Vec<Step>> = reads
            .iter()
            .filter(|r| r.what == Reads::Value)
            .map(|r| r.path.clone())
            .collect();
        reads.retain(|r| {
            !whole.iter().any(|w| {
                r.path.starts_with(w) && (r.path.len() > w.len() || r.what != Reads::Value)
            })
        });
        Footprint::Paths(reads)
    }

    /// Appends to `key` what the chains give on `value`; `None` for [`Footprint::Whole`].
    pub(super) fn key(&self, value: &Value, key: &mut Vec<u8>) -> Option<()> {
        let Footprint::Paths(reads) = self else {
            return None;
        };
        for read in reads {
            key.push(0);
            outcome(value, read, key);
        }
        Some(())
    }
}

/// Records the chains from `var` of `expr` in `reads`; false when `var` is used
/// otherwise (or bound again by a comprehension).
fn collect(var: &str, expr: &IdedExpr, reads: &mut Vec<Read>) -> bool {
    if let Some(read) = narrow_read(var, expr) {
        reads.push(read);
        return true;
    }
    let all = |exprs: &mut dyn Iterator<Item = &IdedExpr>, reads: &mut Vec<Read>| {
        for e in exprs {
            if !collect(var, e, reads) {
                return false;
            }
        }
        true
    };
    match &expr.expr {
        Expr::Ident(name) => name != var,
        Expr::Comprehension(c) => {
            let binds =
                c.iter_var == var || c.accu_var == var || c.iter_var2.as_deref() == Some(var);
            if binds {
                return false;
            }
            let body = [&c.accu_init, &c.loop_cond, &c.loop_step, &c.result];
            if let Some(each) = elements_read(var, c) {
                reads.extend(each);
                return all(&mut body.into_iter(), reads);
            }
            all(&mut std::iter::once(&c.iter_range).chain(body), reads)
        }
        _ => match chain(var, expr) {
            Some(path) => {
                reads.push(Read {
                    path,
                    what: Reads::Value,
                });
                true
            }
            None => all(&mut ast::children(expr).into_iter(), reads),
        },
    }
}

/// What a comprehension over a chain from `var` reads of each element (`lb.routes.all(r,
/// r.tls != null)` reads null-ness at `[routes, each, tls]`), when its variable is used
/// through chains only.
fn elements_read(var: &str, c: &ComprehensionExpr) -> Option<Vec<Read>> {
    let range = chain(var, &c.iter_range)?;
    if c.iter_var2.is_some() || c.iter_var == c.accu_var {
        return None;
    }
    let mut each = Vec::new();
    // The element is bound while the loop runs; the result reads the accumulator only,
    // but reading it there too is merely more than needed. An element used otherwise
    // than through chains is read whole.
    for e in [&c.loop_cond, &c.loop_step, &c.result] {
        if !collect(&c.iter_var, e, &mut each) {
            each = vec![Read {
                path: Vec::new(),
                what: Reads::Value,
            }];
            break;
        }
    }
    Some(
        each.into_iter()
            .map(|r| Read {
                path: range
                    .iter()
                    .cloned()
                    .chain([Step::Each])
                    .chain(r.path)
                    .collect(),
                what: r.what,
            })
            .collect(),
    )
}

/// A chain compared with `null` or measured with `size`, which tells apart less than
/// the chain's whole value.
fn narrow_read(var: &str, expr: &IdedExpr) -> Option<Read> {
    let Expr::Call(call) = &expr.expr else {
        return None;
    };
    let is_null = |e: &IdedExpr| matches!(e.expr, Expr::Literal(LiteralValue::Null));
    let (operand, what) = match (
        call.func_name.as_str(),
        call.target.as_deref(),
        &call.args[..],
    ) {
        ("_==_" | "_!=_", None, [a, b]) if is_null(b) => (a, Reads::Nullness),
        ("_==_" | "_!=_", None, [a, b]) if is_null(a) => (b, Reads::Nullness),
        ("size", Some(t), []) => (t, Reads::Size),
        ("size", None, [a]) => (a, Reads::Size),
        _ => return None,
    };
    let path = chain(var, operand)?;
    Some(Read { path, what })
}

/// The selection chain pointed at `var` (`lb.a.b` → `[a, b]`; `has(lb.a.b)` too, which
/// reads whether `b` is there), or `None` when it starts elsewhere.
fn chain(var: &str, expr: &IdedExpr) -> Option<Vec<Step>> {
    let mut fields = Vec::new();
    let mut at = expr;
    loop {
        match &at.expr {
            Expr::Select(select) => {
                fields.push(Step::Field(select.field.clone()));
                at = &select.operand;
            }
            Expr::Ident(name) if name == var => {
                fields.reverse();
                return Some(fields);
            }
            _ => return None,
        }
    }
}

/// What selecting the chain from `root` gives, as cel 0.13 evaluates it (a value; a
/// missing key, an error naming it; or, once a selection meets anything but a map,
/// `false`), reduced to what the rule tells apart.
fn outcome(root: &Value, read: &Read, key: &mut Vec<u8>) {
    walk(root, &read.path, read.what, 0, key);
}

/// [`outcome`] from `at`, `depth` steps down the chain.
fn walk(at: &Value, steps: &[Step], what: Reads, depth: usize, key: &mut Vec<u8>) {
    match steps.split_first() {
        None => finish(at, what, key),
        Some((Step::Field(field), rest)) => match at {
            Value::Object(map) => match map.get(field) {
                Some(v) => walk(v, rest, what, depth + 1, key),
                None => {
                    key.push(b'm');
                    key.extend_from_slice(&depth.to_le_bytes());
                }
            },
            _ => key.push(b'f'),
        },
        Some((Step::Each, rest)) => match at {
            Value::Array(items) => {
                key.push(b'a');
                key.extend_from_slice(&items.len().to_le_bytes());
                for item in items {
                    key.push(1);
                    walk(item, rest, what, depth + 1, key);
                }
            }
            // A map iterates its keys, anything else is an error: the whole value decides.
            _ => finish(at, Reads::Value, key),
        },
    }
}

/// The end of a chain, reduced to what the rule tells apart.
fn finish(at: &Value, what: Reads, key: &mut Vec<u8>) {
    match (what, at) {
        (Reads::Nullness, Value::Null) => key.push(b'n'),
        (Reads::Nullness, _) => key.push(b'N'),
        // Bytes and characters both: which one `size` counts is the CEL library's.
        (Reads::Size, Value::String(s)) => {
            key.push(b's');
            key.extend_from_slice(&s.len().to_le_bytes());
            key.extend_from_slice(&s.chars().count().to_le_bytes());
        }
        (Reads::Size, Value::Array(items)) => {
            key.push(b'l');
            key.extend_from_slice(&items.len().to_le_bytes());
        }
        (Reads::Size, Value::Object(map)) => {
            key.push(b'o');
            key.extend_from_slice(&map.len().to_le_bytes());
        }
        (Reads::Value | Reads::Size, _) => {
            key.push(b'v');
            // Writing JSON into a Vec cannot fail; the value came from serializing a plan.
            let _ = serde_json::to_writer(&mut *key, at);
        }
    }
}

mod store;
#[cfg(test)]
mod tests;

pub(super) use store::{GO_ON, MATCHED, STOP, first_sight, recall};

/// How a rule with `forEach: lb.<path>` is remembered element by element: each element's
/// findings are a function of the element (what the rule reads of `item`), its index and
/// what the rule's other expressions read of `lb`.
#[derive(Debug)]
pub(super) struct Elements {
    /// The chain the `forEach` is (fields only).
    pub(super) list: Vec<Step>,
    /// What the `match`, expression and `messageExpression` read of `lb`.
    pub(super) plan: Footprint,
    /// What they and the `field` template read of `item`.
    pub(super) item: Footprint,
    /// What the `match` alone reads of `lb` and of `item`, when there is one.
    pub(super) when: Option<(Footprint, Footprint)>,
}

impl Elements {
    /// The element-wise memory of a rule, when its `forEach` is a chain from `lb` and its
    /// other expressions read `lb` and `item` through chains only.
    pub(super) fn of(
        for_each: &cel::Program,
        when: Option<&cel::Program>,
        others: &[&cel::Program],
        field: Option<&str>,
    ) -> Option<Elements> {
        let list = chain(PLAN, for_each.expression()).filter(|p| !p.is_empty())?;
        let all = || when.into_iter().chain(others.iter().copied());
        let plan = Footprint::of(PLAN, all(), Vec::new());
        let item = Footprint::of(ITEM, all(), template_fields(field));
        let paths = |f: &Footprint| matches!(f, Footprint::Paths(_));
        let when = when
            .map(|w| {
                (
                    Footprint::of(PLAN, [w], Vec::new()),
                    Footprint::of(ITEM, [w], Vec::new()),
                )
            })
            .filter(|(p, i)| paths(p) && paths(i));
        (paths(&plan) && paths(&item)).then_some(Elements {
            list,
            plan,
            item,
            when,
        })
    }
}

/// The `{item.<field>}` placeholders of a `field` template, each one key (as
/// `context::fill` reads it).
fn template_fields(field: Option<&str>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = field.unwrap_or("");
    while let Some(start) = rest.find("{item.") {
        let after = &rest[start + "{item.".len()..];
        let Some(end) = after.find('}') else { break };
        out.push(vec![after[..end].to_string()]);
        rest = &after[end..];
    }
    out
}

/// The value at `path` when every step is a field of a map holding it (else CEL decides).
pub(super) fn select<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |at, step| match step {
        Step::Field(field) => at.as_object().and_then(|m| m.get(field)),
        Step::Each => None,
    })
}
