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

use crate::diag::Diagnostic;
use kube_cel::cel;
use kube_cel::cel::common::ast::{EntryExpr, Expr, IdedExpr};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;

/// The variable a rule's plan is bound to.
pub(super) const PLAN: &str = "lb";

/// The variable a `forEach` element is bound to.
pub(super) const ITEM: &str = "item";

/// What of the plan a rule reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Footprint {
    /// Something not a selection chain: the result may depend on anything.
    Whole,
    /// The selection chains from `lb`, sorted, none a prefix of another.
    Paths(Vec<Vec<String>>),
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
        let mut paths = extra;
        for program in programs {
            if !collect(var, program.expression(), &mut paths) {
                return Footprint::Whole;
            }
        }
        paths.sort();
        paths.dedup();
        // A chain whose prefix is recorded is decided by the prefix's value.
        let mut kept: Vec<Vec<String>> = Vec::new();
        for path in paths {
            if !kept.last().is_some_and(|k| path.starts_with(k)) {
                kept.push(path);
            }
        }
        Footprint::Paths(kept)
    }

    /// Appends to `key` what the chains give on `value`; `None` for [`Footprint::Whole`].
    pub(super) fn key(&self, value: &Value, key: &mut Vec<u8>) -> Option<()> {
        let Footprint::Paths(paths) = self else {
            return None;
        };
        for path in paths {
            key.push(0);
            outcome(value, path, key);
        }
        Some(())
    }
}

/// Records the chains from `var` of `expr` in `paths`; false when `var` is used
/// otherwise (or bound again by a comprehension).
fn collect(var: &str, expr: &IdedExpr, paths: &mut Vec<Vec<String>>) -> bool {
    let mut all = |exprs: &mut dyn Iterator<Item = &IdedExpr>| {
        for e in exprs {
            if !collect(var, e, paths) {
                return false;
            }
        }
        true
    };
    match &expr.expr {
        Expr::Ident(name) => name != var,
        Expr::Select(select) => match chain(var, expr) {
            Some(path) => {
                paths.push(path);
                true
            }
            None => collect(var, &select.operand, paths),
        },
        Expr::Call(call) => all(&mut call.target.as_deref().into_iter().chain(&call.args)),
        Expr::Comprehension(c) => {
            let binds =
                c.iter_var == var || c.accu_var == var || c.iter_var2.as_deref() == Some(var);
            !binds
                && all(&mut [
                    &c.iter_range,
                    &c.accu_init,
                    &c.loop_cond,
                    &c.loop_step,
                    &c.result,
                ]
                .into_iter())
        }
        Expr::List(list) => all(&mut list.elements.iter()),
        Expr::Map(map) => all(&mut map.entries.iter().flat_map(|e| entry(&e.expr))),
        Expr::Struct(s) => all(&mut s.entries.iter().flat_map(|e| entry(&e.expr))),
        Expr::Literal(_) | Expr::Unspecified => true,
    }
}

/// The expressions of a map or struct literal's entry.
fn entry(e: &EntryExpr) -> Vec<&IdedExpr> {
    match e {
        EntryExpr::MapEntry(m) => vec![&m.key, &m.value],
        EntryExpr::StructField(f) => vec![&f.value],
    }
}

/// The selection chain pointed at `var` (`lb.a.b` → `[a, b]`; `has(lb.a.b)` too, which
/// reads whether `b` is there), or `None` when it starts elsewhere.
fn chain(var: &str, expr: &IdedExpr) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut at = expr;
    loop {
        match &at.expr {
            Expr::Select(select) => {
                fields.push(select.field.clone());
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

/// What selecting `path` from `lb` gives, as cel 0.13 evaluates it: the value; a missing
/// key (an error naming it); or, once a selection meets anything but a map, `false`.
fn outcome(lb: &Value, path: &[String], key: &mut Vec<u8>) {
    let mut at = lb;
    for (depth, field) in path.iter().enumerate() {
        match at {
            Value::Object(map) => match map.get(field) {
                Some(v) => at = v,
                None => {
                    key.push(b'm');
                    key.extend_from_slice(&depth.to_le_bytes());
                    return;
                }
            },
            _ => {
                key.push(b'f');
                return;
            }
        }
    }
    key.push(b'v');
    // Writing JSON into a Vec cannot fail; the value came from serializing the plan.
    let _ = serde_json::to_writer(&mut *key, at);
}

/// Every thread's memory budget for remembered results.
pub(super) const MAX_BYTES: usize = 32 * 1024 * 1024;

/// The most results remembered of one rule a thread: a rule whose keys keep changing
/// stops filling memory.
const MAX_RESULTS: usize = 1024;

/// After this many lookups of one rule, a rule that hit less than a quarter of the time is
/// no longer remembered (its keys hold names or ids unique to each spec).
const TRIAL: u32 = 64;

/// What one thread remembers of one rule.
#[derive(Default)]
struct RuleMemory {
    lookups: u32,
    hits: u32,
    results: HashMap<Vec<u8>, (Vec<Diagnostic>, bool)>,
}

/// One thread's remembered results, for one rule set (`owner`).
#[derive(Default)]
struct Store {
    owner: u64,
    rules: HashMap<usize, RuleMemory>,
    bytes: usize,
}

thread_local! {
    static STORE: RefCell<Store> = RefCell::default();
}

/// The findings of rule `rule` (of the rule set `owner`) for `key`, from memory, or from
/// `judge` (which appends them to `out`) and then remembered; with what `judge` gave
/// (whether to go on with the rule's next element).
pub(super) fn recall(
    owner: u64,
    rule: usize,
    key: &[u8],
    out: &mut Vec<Diagnostic>,
    judge: impl FnOnce(&mut Vec<Diagnostic>) -> bool,
) -> bool {
    // Ok: the findings remembered; Err: judge, and remember them if true.
    let found = STORE.with(|store| {
        let mut store = store.borrow_mut();
        if store.owner != owner {
            *store = Store {
                owner,
                ..Store::default()
            };
        }
        let full = store.bytes >= MAX_BYTES;
        let memory = store.rules.entry(rule).or_default();
        let full = full || memory.results.len() >= MAX_RESULTS;
        if memory.lookups >= TRIAL && memory.hits < memory.lookups / 4 {
            return Err(false);
        }
        memory.lookups = memory.lookups.saturating_add(1);
        match memory.results.get(key) {
            Some(findings) => {
                memory.hits = memory.hits.saturating_add(1);
                Ok(findings.clone())
            }
            None => Err(!full),
        }
    });
    match found {
        Ok((findings, go_on)) => {
            out.extend(findings);
            go_on
        }
        Err(remember) => {
            let start = out.len();
            let go_on = judge(out);
            if remember {
                let findings = out[start..].to_vec();
                STORE.with(|store| {
                    let mut store = store.borrow_mut();
                    // What a finding holds is a few short strings.
                    store.bytes += key.len() + findings.len() * 256;
                    if let Some(memory) = store.rules.get_mut(&rule) {
                        memory.results.insert(key.to_vec(), (findings, go_on));
                    }
                });
            }
            go_on
        }
    }
}

/// How a rule with `forEach: lb.<path>` is remembered element by element: each element's
/// findings are a function of the element (what the rule reads of `item`), its index and
/// what the rule's other expressions read of `lb`.
#[derive(Debug)]
pub(super) struct Elements {
    /// The chain the `forEach` is.
    pub(super) list: Vec<String>,
    /// What the `match`, expression and `messageExpression` read of `lb`.
    pub(super) plan: Footprint,
    /// What they and the `field` template read of `item`.
    pub(super) item: Footprint,
}

impl Elements {
    /// The element-wise memory of a rule, when its `forEach` is a chain from `lb` and its
    /// other expressions read `lb` and `item` through chains only.
    pub(super) fn of(
        for_each: &cel::Program,
        others: &[&cel::Program],
        field: Option<&str>,
    ) -> Option<Elements> {
        let list = chain(PLAN, for_each.expression()).filter(|p| !p.is_empty())?;
        let plan = Footprint::of(PLAN, others.iter().copied(), Vec::new());
        let item = Footprint::of(ITEM, others.iter().copied(), template_fields(field));
        let paths = |f: &Footprint| matches!(f, Footprint::Paths(_));
        (paths(&plan) && paths(&item)).then_some(Elements { list, plan, item })
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

/// The value at `path` when every step is a map holding the key (else CEL decides).
pub(super) fn select<'a>(value: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter()
        .try_fold(value, |at, field| at.as_object().and_then(|m| m.get(field)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn footprint(var: &str, sources: &[&str]) -> Footprint {
        let programs: Vec<cel::Program> = sources
            .iter()
            .map(|s| cel::Program::compile(s).expect("parses"))
            .collect();
        Footprint::of(var, &programs, Vec::new())
    }

    fn paths(list: &[&[&str]]) -> Footprint {
        Footprint::Paths(
            list.iter()
                .map(|p| p.iter().map(|s| s.to_string()).collect())
                .collect(),
        )
    }

    #[test]
    fn chains_from_the_variable_are_the_footprint() {
        assert_eq!(
            footprint(
                PLAN,
                &[
                    "lb.exposure == 'ingress' && has(lb.healthCheck.path)",
                    "lb.listeners.all(l, l.port > 0) && item.x == 1"
                ]
            ),
            paths(&[&["exposure"], &["healthCheck", "path"], &["listeners"]])
        );
        // A chain under a recorded prefix adds nothing.
        assert_eq!(
            footprint(PLAN, &["lb.a.b == 1 && lb.a != null"]),
            paths(&[&["a"]])
        );
        assert_eq!(
            footprint(ITEM, &["item.when.query.size() > index"]),
            paths(&[&["when", "query"]])
        );
    }

    #[test]
    fn any_other_use_of_the_variable_reads_the_whole() {
        for source in [
            "size(lb) > 0",
            "lb['exposure'] == 'x'",
            "[1].all(lb, lb.exposure == 1)",
            "lb.routes.exists(x, x == lb)",
            "{'a': lb}.a.exposure == 'x'",
        ] {
            assert_eq!(footprint(PLAN, &[source]), Footprint::Whole, "{source}");
        }
    }

    #[test]
    fn a_key_tells_values_missing_keys_and_non_maps_apart() {
        let f = paths(&[&["a", "b"]]);
        let key = |v: Value| {
            let mut k = Vec::new();
            f.key(&v, &mut k).expect("paths");
            k
        };
        let all = [
            key(json!({"a": {"b": 1}})),
            key(json!({"a": {"b": 1.0}})),
            key(json!({"a": {"b": "1"}})),
            key(json!({"a": {}})),
            key(json!({})),
            key(json!({"a": null})),
        ];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // What the rule cannot see does not matter: null and a number both give false.
        assert_eq!(key(json!({"a": null})), key(json!({"a": 5})));
        assert_eq!(
            key(json!({"a": {"b": 1, "c": 2}})),
            key(json!({"a": {"b": 1, "c": 3}}))
        );
    }

    #[test]
    fn element_wise_memory_needs_a_chain_to_iterate() {
        let compile = |s: &str| cel::Program::compile(s).expect("parses");
        let (each, other) = (
            compile("lb.routes"),
            compile("item.host != '' && lb.exposure == 'ingress'"),
        );
        let el = Elements::of(&each, &[&other], Some("spec.routes[{index}].{item.name}"))
            .expect("chains");
        assert_eq!(el.list, ["routes"]);
        assert_eq!(el.plan, paths(&[&["exposure"]]));
        assert_eq!(el.item, paths(&[&["host"], &["name"]]));
        let ternary = compile("lb.a == null ? [] : lb.a.ids");
        assert!(Elements::of(&ternary, &[&other], None).is_none());
        assert!(Elements::of(&each, &[&compile("item == 1")], None).is_none());
    }
}
