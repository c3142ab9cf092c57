//! Evaluates compiled rules (`compile`) over plans.
//!
//! One CEL root context holds Kubernetes' CEL libraries (kube-cel) and lbgen's own
//! functions; each plan gets an inner scope with `lb` bound, each `forEach` element a
//! scope with `item` and `index`. Users' expressions are compiled when the rules are
//! loaded, so a broken rule is reported at its own file:line:column before any spec is
//! judged; built-in ones when first needed (`compile`), and a rule whose `match` is
//! decided false without CEL (`gate`) is skipped. Judging a plan (`judge`) recalls a
//! rule's findings from the thread's memory when the rule has seen the same values at the
//! paths it reads (`memo`).

use super::builtin::BuiltinFile;
use super::compile::{CompiledRule, bad_rule, compile_rules};
use super::context::{element_scope, plan_scope, root_context};
use super::rules::LoadedRuleFile;
use super::watchdog;
use crate::diag::{Diagnostic, Location, Severity};
use crate::plan::Plan;
use kube_cel::cel;

/// What a report needs to know about a loaded rule.
#[derive(Debug, Clone)]
pub struct RuleSummary {
    /// Rule id.
    pub id: String,
    /// Default severity.
    pub severity: Severity,
    /// Its message.
    pub message: String,
    /// The field it blames.
    pub field: Option<String>,
    /// Provider it applies to (`None`: all).
    pub provider: Option<String>,
    /// Where its fact comes from.
    pub source: Option<String>,
}

/// Compiled rules, ready to judge plans.
pub struct PolicySet {
    pub(super) root: cel::Context<'static>,
    /// Built-in files not read yet (the lazy set, without rules of the user's).
    pub(super) builtin: Vec<BuiltinFile>,
    /// The rules read at load time: users', and with them the built-in ones.
    pub(super) rules: Vec<CompiledRule>,
    pub(super) gates: bool,
    /// Whether rule results are remembered by footprint (`memo`).
    pub(super) memo: bool,
    /// This set's identity for the per-thread memory of results.
    pub(super) id: u64,
}

/// Gives every rule set its own [`PolicySet::id`].
fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl PolicySet {
    /// Compiles and probes every rule of `files`; all broken rules are reported together.
    pub fn compile(files: &[LoadedRuleFile]) -> Result<PolicySet, Vec<Diagnostic>> {
        Self::compile_trusting(files, 0)
    }

    /// As [`PolicySet::compile`], but the rules of the first `trusted` files (the built-in
    /// ones, which the test suite compiles and probes) are parsed when first evaluated.
    pub fn compile_trusting(
        files: &[LoadedRuleFile],
        trusted: usize,
    ) -> Result<PolicySet, Vec<Diagnostic>> {
        let (rules, mut errors) = compile_rules(files, trusted);
        let mut seen = std::collections::HashMap::new();
        for r in &rules {
            if let Some(first) = seen.insert(r.rule.id.clone(), r.locations.expression.clone()) {
                errors.push(bad_rule(
                    &r.rule.id,
                    format!(
                        "the id is already used at {}:{}; rule ids must be unique",
                        first.file, first.line
                    ),
                    &r.locations.expression,
                ));
            }
        }
        let set = PolicySet {
            root: root_context(),
            builtin: Vec::new(),
            rules,
            gates: true,
            memo: true,
            id: next_id(),
        };
        if set.rules.iter().any(|r| r.checked) {
            errors.extend(set.probe(&super::probe::sample_plans()));
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(errors)
        }
    }

    /// The built-in rules alone, each file read when a plan of its provider is first
    /// judged (their ids are unique, checked by the test suite).
    pub(crate) fn builtin_lazily(sources: Vec<super::BuiltinSource>) -> PolicySet {
        PolicySet {
            root: root_context(),
            builtin: sources.into_iter().map(BuiltinFile::new).collect(),
            rules: Vec::new(),
            gates: true,
            memo: true,
            id: next_id(),
        }
    }

    /// Every rule, reading the built-in files not read yet; a broken one is an error.
    fn all_rules(&self) -> Result<Vec<&CompiledRule>, &Diagnostic> {
        let mut all = Vec::new();
        for file in &self.builtin {
            all.extend(file.rules()?);
        }
        all.extend(&self.rules);
        Ok(all)
    }

    /// Evaluates every rule once against fully populated sample plans (see `probe`):
    /// non-boolean results and reads of fields the plan does not have are rule errors.
    fn probe(&self, samples: &[Plan]) -> Vec<Diagnostic> {
        // One scope per sample, built once: converting a plan into CEL values costs more
        // than judging a rule, and every run pays for the probe at start-up.
        let scopes: Vec<cel::Context<'_>> = samples
            .iter()
            .filter_map(|plan| serde_json::to_value(plan).ok())
            .map(|v| plan_scope(&self.root, &v))
            .collect();
        self.rules
            .iter()
            .filter(|rule| rule.checked)
            .filter_map(|rule| {
                let (message, at) = scopes.iter().find_map(|scope| {
                    watchdog::bounded(&rule.id, &rule.locations.expression, || {
                        rule.probe_one(scope)
                    })
                })?;
                Some(bad_rule(&rule.rule.id, message, at))
            })
            .collect()
    }

    /// The same rules with every `match` left to CEL: the reference the gates are tested
    /// against (`tests/policies.rs`).
    #[doc(hidden)]
    pub fn without_gates(self) -> PolicySet {
        PolicySet {
            gates: false,
            ..self
        }
    }

    /// The same rules with every rule evaluated on every plan, none recalled by its
    /// footprint (`memo`): the reference the memory is tested against.
    #[doc(hidden)]
    pub fn without_memo(self) -> PolicySet {
        PolicySet {
            memo: false,
            ..self
        }
    }

    /// One line per loaded rule, for reports that list the rules (SARIF, explain).
    pub fn rule_summaries(&self) -> Vec<RuleSummary> {
        self.all_rules()
            .unwrap_or_default()
            .into_iter()
            .map(|r| RuleSummary {
                id: r.rule.id.clone(),
                severity: r.rule.severity.into(),
                message: r.rule.message.clone(),
                field: r.rule.field.clone(),
                provider: r.provider.clone(),
                source: r.rule.source.clone(),
            })
            .collect()
    }

    /// How many rules are loaded.
    pub fn len(&self) -> usize {
        self.all_rules().map_or(0, |rules| rules.len())
    }

    /// Whether no rule is loaded.
    pub fn is_empty(&self) -> bool {
        self.builtin.is_empty() && self.rules.is_empty()
    }

    /// Judges one plan: a finding per rule (and element) whose expression is false. The
    /// diagnostics carry the blamed field; the caller resolves it to a location.
    pub fn evaluate(&self, plan: &Plan) -> Vec<Diagnostic> {
        super::per_port::evaluate(plan, |p| self.judge_plan(p))
    }
}

impl CompiledRule {
    /// The first problem of this rule on one sample plan, with where to report it.
    fn probe_one(&self, scope: &cel::Context<'_>) -> Option<(String, &Location)> {
        let loc = &self.locations;
        let inner_scope;
        let scope = match &self.for_each {
            None => scope,
            Some(p) => match p.program().ok()?.execute(scope) {
                Ok(cel::Value::List(items)) => {
                    inner_scope = match items.first() {
                        Some(first) => element_scope(scope, first, 0),
                        None => scope.new_inner_scope(),
                    };
                    &inner_scope
                }
                Ok(other) => {
                    return Some((
                        format!("forEach must give a list, got {:?}", other.type_of()),
                        &loc.for_each,
                    ));
                }
                Err(e) => return probe_error(e, &loc.for_each),
            },
        };
        let checks = [
            (self.when.as_ref(), &loc.when, "match"),
            (Some(&self.expression), &loc.expression, "expression"),
        ];
        for (program, at, what) in checks {
            let Some(program) = program else { continue };
            match program.program().ok()?.execute(scope) {
                Ok(cel::Value::Bool(_)) => {}
                Ok(other) => {
                    return Some((
                        format!(
                            "{what} must give true or false, but gives a {:?}",
                            other.type_of()
                        ),
                        at,
                    ));
                }
                Err(e) => {
                    if let Some(p) = probe_error(e, at) {
                        return Some(p);
                    }
                }
            }
        }
        if let Some(p) = &self.message_expression {
            match p.program().ok()?.execute(scope) {
                Ok(cel::Value::String(_)) => {}
                Ok(other) => {
                    return Some((
                        format!(
                            "messageExpression must give a string, but gives a {:?}",
                            other.type_of()
                        ),
                        &loc.message_expression,
                    ));
                }
                Err(e) => return probe_error(e, &loc.message_expression),
            }
        }
        None
    }
}

/// Errors that prove a rule wrong whatever the spec: a field the plan does not have, or an
/// operator applied to the wrong types. Other runtime errors may depend on the spec.
fn probe_error(e: cel::ExecutionError, at: &Location) -> Option<(String, &Location)> {
    let text = e.to_string();
    let definite = [
        "No such key",
        "no such key",
        "Unsupported binary operator",
        "UnsupportedBinaryOperator",
        "NoSuchOverload",
        "no such overload",
    ];
    definite.iter().any(|d| text.contains(d)).then(|| {
        (
            format!("{text} (lb has the fields listed in README.md, \"Policy rules\")"),
            at,
        )
    })
}
