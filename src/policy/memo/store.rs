//! One thread's memory of rule findings (see the parent module): looked up by rule and
//! key, bounded in size, and given up for a rule whose keys rarely repeat.

use crate::diag::Diagnostic;
use std::cell::RefCell;
use std::collections::HashMap;

/// Every thread's memory budget for remembered results.
pub(in crate::policy) const MAX_BYTES: usize = 32 * 1024 * 1024;

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
    results: HashMap<Vec<u8>, (Vec<Diagnostic>, u8)>,
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

/// Runs `f` on this thread's memory of the rule set `owner` (another set's is dropped).
fn with_store<T>(owner: u64, f: impl FnOnce(&mut Store) -> T) -> T {
    STORE.with(|store| {
        let mut store = store.borrow_mut();
        if store.owner != owner {
            *store = Store {
                owner,
                ..Store::default()
            };
        }
        f(&mut store)
    })
}

/// Whether rule `rule` (of the rule set `owner`) is judged on this thread for the first
/// time (and from now on, not).
pub(in crate::policy) fn first_sight(owner: u64, rule: usize) -> bool {
    with_store(owner, |store| {
        let mut first = false;
        store.rules.entry(rule).or_insert_with(|| {
            first = true;
            RuleMemory::default()
        });
        first
    })
}

/// What a judgement says of the rule's next step: go on with its next element.
pub(in crate::policy) const GO_ON: u8 = 0;
/// Stop the rule here (it could not be evaluated).
pub(in crate::policy) const STOP: u8 = 1;
/// Its `match` is true: judge the expression.
pub(in crate::policy) const MATCHED: u8 = 2;

/// The findings of rule `rule` (of the rule set `owner`) for `key`, from memory, or from
/// `judge` (which appends them to `out`) and then remembered; with what `judge` said of
/// the next step ([`GO_ON`], [`STOP`], [`MATCHED`]).
pub(in crate::policy) fn recall(
    owner: u64,
    rule: usize,
    key: &[u8],
    out: &mut Vec<Diagnostic>,
    judge: impl FnOnce(&mut Vec<Diagnostic>) -> u8,
) -> u8 {
    // Ok: the findings remembered; Err: judge, and remember them if true.
    let found = with_store(owner, |store| {
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
