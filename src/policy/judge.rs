//! Judging one plan: every rule of its provider and the common ones, each recalled from
//! memory by what it reads of the plan (`memo`) or evaluated by CEL.

use super::compile::CompiledRule;
use super::context::{element_scope, fill, json_to_cel, plan_scope};
use super::engine::PolicySet;
use super::memo;
use super::watchdog;
use crate::diag::{Diagnostic, Severity};
use crate::plan::Plan;
use kube_cel::cel;

impl PolicySet {
    /// Judges one plan as it is (no per-port passes).
    pub(super) fn judge_plan(&self, plan: &Plan) -> Vec<Diagnostic> {
        let json = match serde_json::to_value(plan) {
            Ok(v) => v,
            Err(e) => return vec![Diagnostic::error("policy/eval", e.to_string(), None)],
        };
        // The plan as a CEL value, made when a rule is first evaluated: converting a plan
        // costs more than judging a rule, and a plan whose rules are all recalled needs none.
        let scope = std::cell::OnceCell::new();
        let scope = || scope.get_or_init(|| plan_scope(&self.root, &json));
        let provider = plan.provider.as_str();
        let mut out = Vec::new();
        let mut rules: Vec<&CompiledRule> = Vec::new();
        for file in self.builtin.iter().filter(|f| f.judges(provider)) {
            match file.rules() {
                Ok(read) => rules.extend(read),
                Err(broken) => out.push(broken.clone()),
            }
        }
        rules.extend(&self.rules);
        let mut key = Vec::new();
        for rule in rules {
            if rule.provider.as_deref().is_some_and(|p| p != provider) {
                continue;
            }
            let closed = self.gates && rule.gate.closed(&json);
            if closed && rule.for_each.is_none() {
                // What judging gives: a `match` known false, no list to check.
                continue;
            }
            let judge = |out: &mut Vec<Diagnostic>| {
                let judged = watchdog::bounded(&rule.id, &rule.locations.expression, || {
                    rule.judge(scope(), closed, provider, out)
                });
                if let Err(e) = judged {
                    out.push(unevaluated(rule, provider, e));
                }
                memo::GO_ON
            };
            // A rule lives as long as its set: its address names it within the set.
            let name = std::ptr::from_ref(rule) as usize;
            // A rule first judged on this thread is only evaluated: working out its
            // footprint parses all its expressions, which a one-spec run would not need.
            if !self.memo || memo::first_sight(self.id, name) {
                judge(&mut out);
            } else if let Some(elements) = rule.elements() {
                self.judge_elements(
                    (rule, name, closed),
                    elements,
                    (&json, &scope),
                    provider,
                    &mut out,
                    judge,
                );
            } else {
                key.clear();
                key.extend_from_slice(provider.as_bytes());
                key.push(0);
                match rule.footprint().key(&json, &mut key) {
                    Some(()) => {
                        memo::recall(self.id, name, &key, &mut out, judge);
                    }
                    None => {
                        judge(&mut out);
                    }
                }
            }
        }
        out
    }
}

impl PolicySet {
    /// Judges a rule with `forEach: lb.<path>` element by element, each element's findings
    /// recalled by what the rule reads of it and of the plan (`memo::Elements`); a list
    /// that is not there as a list is left to `judge`, which asks CEL.
    fn judge_elements<'s>(
        &self,
        (rule, name, closed): (&CompiledRule, usize, bool),
        elements: &memo::Elements,
        (json, scope): (&serde_json::Value, &dyn Fn() -> &'s cel::Context<'s>),
        provider: &str,
        out: &mut Vec<Diagnostic>,
        judge: impl FnOnce(&mut Vec<Diagnostic>) -> u8,
    ) {
        let items = match memo::select(json, &elements.list) {
            Some(serde_json::Value::Array(items)) => items,
            Some(serde_json::Value::Null) => return,
            _ => {
                judge(out);
                return;
            }
        };
        if closed {
            return;
        }
        // The provider ends at a 0: no provider id can then run into what follows.
        let mut key = provider.as_bytes().to_vec();
        key.push(0);
        if elements.plan.key(json, &mut key).is_none() {
            judge(out);
            return;
        }
        let base = key.len();
        let mut when_key = Vec::new();
        for (index, element) in items.iter().enumerate() {
            // The item as a CEL scope, made when an evaluation first needs it.
            let inner = std::cell::OnceCell::new();
            let inner = || {
                inner.get_or_init(|| {
                    let item = json_to_cel(element);
                    (element_scope(scope(), &item, index), item)
                })
            };
            // First the `match` alone, by what it reads: an element it leaves out has no
            // findings, whatever the expression reads (the ones of the rule's name + 1,
            // which no other rule's address is).
            let staged = rule.when.as_ref().zip(elements.when.as_ref());
            if let Some((when, (plan, item))) = staged {
                when_key.clear();
                when_key.extend_from_slice(provider.as_bytes());
                when_key.push(0);
                when_key.extend_from_slice(&index.to_le_bytes());
                if plan.key(json, &mut when_key).is_none()
                    || item.key(element, &mut when_key).is_none()
                {
                    judge(out);
                    return;
                }
                let verdict = memo::recall(self.id, name + 1, &when_key, out, |out| {
                    let matched = watchdog::bounded(&rule.id, &rule.locations.when, || {
                        truth(when.execute(&inner().0), "match")
                    });
                    match matched {
                        Ok(true) => memo::MATCHED,
                        Ok(false) => memo::GO_ON,
                        Err(e) => {
                            out.push(unevaluated(rule, provider, e));
                            memo::STOP
                        }
                    }
                });
                match verdict {
                    memo::MATCHED => {}
                    memo::STOP => return,
                    _ => continue,
                }
            }
            key.truncate(base);
            key.push(0);
            key.extend_from_slice(&index.to_le_bytes());
            if elements.item.key(element, &mut key).is_none() {
                judge(out);
                return;
            }
            let verdict = memo::recall(self.id, name, &key, out, |out| {
                let judged = watchdog::bounded(&rule.id, &rule.locations.expression, || {
                    let (scope, item) = inner();
                    if staged.is_some() {
                        rule.judge_matched(scope, Some((index, item)), provider, out)
                    } else {
                        rule.judge_one(scope, Some((index, item)), provider, out)
                    }
                });
                match judged {
                    Ok(()) => memo::GO_ON,
                    Err(e) => {
                        out.push(unevaluated(rule, provider, e));
                        memo::STOP
                    }
                }
            });
            if verdict == memo::STOP {
                return;
            }
        }
    }
}

/// The finding for a rule that could not be evaluated on a plan.
fn unevaluated(rule: &CompiledRule, provider: &str, e: String) -> Diagnostic {
    Diagnostic {
        help: None,
        severity: Severity::Error,
        rule: rule.rule.id.clone(),
        message: format!("the rule could not be evaluated: {e}; fix the rule"),
        field: None,
        provider: Some(provider.to_string()),
        location: None,
    }
}

impl CompiledRule {
    /// Judges the plan in `scope`; `closed`: its `match` is known to be false (the
    /// `forEach` list is still checked, as evaluating it would).
    fn judge(
        &self,
        scope: &cel::Context<'_>,
        closed: bool,
        provider: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), String> {
        let Some(for_each) = &self.for_each else {
            if closed {
                return Ok(());
            }
            return self.judge_one(scope, None, provider, out);
        };
        let list = match for_each.execute(scope)? {
            cel::Value::List(items) => items,
            cel::Value::Null => return Ok(()),
            other => {
                return Err(format!(
                    "forEach must give a list, got {:?}",
                    other.type_of()
                ));
            }
        };
        if closed {
            return Ok(());
        }
        for (index, item) in list.iter().enumerate() {
            let inner = element_scope(scope, item, index);
            self.judge_one(&inner, Some((index, item)), provider, out)?;
        }
        Ok(())
    }

    fn judge_one(
        &self,
        scope: &cel::Context<'_>,
        item: Option<(usize, &cel::Value)>,
        provider: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), String> {
        if let Some(when) = &self.when
            && !truth(when.execute(scope), "match")?
        {
            return Ok(());
        }
        self.judge_matched(scope, item, provider, out)
    }

    /// [`CompiledRule::judge_one`] once its `match` is known to be true.
    fn judge_matched(
        &self,
        scope: &cel::Context<'_>,
        item: Option<(usize, &cel::Value)>,
        provider: &str,
        out: &mut Vec<Diagnostic>,
    ) -> Result<(), String> {
        if truth(self.expression.execute(scope), "expression")? {
            return Ok(());
        }
        let message = match &self.message_expression {
            Some(p) => match p.execute(scope)? {
                cel::Value::String(s) => s.to_string(),
                _ => return Err("messageExpression must give a string".into()),
            },
            None => self.rule.message.clone(),
        };
        out.push(Diagnostic {
            help: None,
            severity: self.rule.severity.into(),
            rule: self.rule.id.clone(),
            message,
            field: self.rule.field.as_deref().map(|f| fill(f, item)),
            provider: Some(provider.to_string()),
            location: None,
        });
        Ok(())
    }
}

fn truth(r: Result<cel::Value, String>, what: &str) -> Result<bool, String> {
    match r? {
        cel::Value::Bool(b) => Ok(b),
        other => Err(format!(
            "{what} must give true or false, got {:?}",
            other.type_of()
        )),
    }
}
