//! Turning loaded rule files into CEL programs: users' before any spec is judged, the
//! built-in ones when a plan first needs them.
//!
//! Every expression of a user's rule is bounded (`guard`), parsed (on a thread with a
//! larger stack when it is long) and checked for unknown variables, so a broken rule is
//! reported at its own file:line:column. Parsing is most of a one-spec run's cost (the CEL
//! parser is ANTLR-based), so the built-in rules, which the test suite compiles and probes
//! in full, are parsed one expression at a time when first evaluated: a spec pays only
//! for its own provider's rules and the common ones whose `match` can apply.

use super::gate::Gate;
use super::guard;
use super::memo::{Elements, Footprint, PLAN};
use super::rules::{LoadedRuleFile, Rule, RuleLocations};
use crate::diag::{Diagnostic, Location, Severity};
use kube_cel::cel;
use std::sync::{Arc, OnceLock};

/// Variables a rule may use.
const VARIABLES: &[&str] = &["lb", "item", "index"];

/// A rule with its expressions compiled.
pub(super) struct CompiledRule {
    /// The rule id, shared with the watchdog.
    pub(super) id: Arc<str>,
    pub(super) rule: Rule,
    pub(super) locations: RuleLocations,
    pub(super) provider: Option<String>,
    /// Whether its expressions were parsed and checked at load (users' rules): only those
    /// are probed at start-up.
    pub(super) checked: bool,
    /// What of its `match` is decided without CEL.
    pub(super) gate: Gate,
    pub(super) expression: Expr,
    pub(super) when: Option<Expr>,
    pub(super) for_each: Option<Expr>,
    pub(super) message_expression: Option<Expr>,
    /// What of the plan its expressions read, worked out when first needed.
    footprint: OnceLock<Footprint>,
    /// How it is remembered element by element, when it can be.
    elements: OnceLock<Option<Elements>>,
}

impl CompiledRule {
    /// What of the plan the rule reads (see `memo`); a rule that does not parse reads
    /// anything.
    pub(super) fn footprint(&self) -> &Footprint {
        self.footprint.get_or_init(|| {
            let exprs = [
                self.for_each.as_ref(),
                self.when.as_ref(),
                Some(&self.expression),
                self.message_expression.as_ref(),
            ];
            let programs: Result<Vec<&cel::Program>, String> =
                exprs.into_iter().flatten().map(Expr::program).collect();
            match programs {
                Ok(programs) => Footprint::of(PLAN, programs, Vec::new()),
                Err(_) => Footprint::Whole,
            }
        })
    }

    /// How the rule is remembered element by element (`forEach: lb.<path>`), if it can be.
    pub(super) fn elements(&self) -> Option<&Elements> {
        self.elements
            .get_or_init(|| {
                let for_each = self.for_each.as_ref()?.program().ok()?;
                let when = self.when.as_ref().map(Expr::program).transpose().ok()?;
                let others = [Some(&self.expression), self.message_expression.as_ref()];
                let others: Vec<&cel::Program> = others
                    .into_iter()
                    .flatten()
                    .map(Expr::program)
                    .collect::<Result<_, _>>()
                    .ok()?;
                Elements::of(for_each, when, &others, self.rule.field.as_deref())
            })
            .as_ref()
    }
}

/// One CEL expression of a rule: parsed at load, or at its first evaluation.
pub(super) struct Expr {
    source: String,
    program: OnceLock<Result<cel::Program, String>>,
}

impl Expr {
    fn parsed(program: cel::Program) -> Expr {
        Expr {
            source: String::new(),
            program: OnceLock::from(Ok(program)),
        }
    }

    fn deferred(source: &str) -> Expr {
        Expr {
            source: source.to_string(),
            program: OnceLock::new(),
        }
    }

    /// The program, parsed now if it was deferred.
    pub(super) fn program(&self) -> Result<&cel::Program, String> {
        self.program
            .get_or_init(|| parse(&self.source))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Runs the program in `scope`; a parse error is the evaluation's error.
    pub(super) fn execute(&self, scope: &cel::Context<'_>) -> Result<cel::Value, String> {
        self.program()?.execute(scope).map_err(|e| e.to_string())
    }
}

/// Parses and checks every rule of `files` but the first `deferred` files, whose rules
/// are parsed when first evaluated: the rules and the broken ones.
pub(super) fn compile_rules(
    files: &[LoadedRuleFile],
    deferred: usize,
) -> (Vec<CompiledRule>, Vec<Diagnostic>) {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for (n, file) in files.iter().enumerate() {
        for (rule, loc) in file.content.rules.iter().zip(&file.locations) {
            if n < deferred {
                rules.push(CompiledRule {
                    id: Arc::from(rule.id.as_str()),
                    rule: rule.clone(),
                    locations: loc.clone(),
                    provider: file.content.provider.clone(),
                    checked: false,
                    gate: Gate::of(rule.when.as_deref()),
                    expression: Expr::deferred(&rule.expression),
                    when: rule.when.as_deref().map(Expr::deferred),
                    for_each: rule.for_each.as_deref().map(Expr::deferred),
                    message_expression: rule.message_expression.as_deref().map(Expr::deferred),
                    footprint: OnceLock::new(),
                    elements: OnceLock::new(),
                });
                continue;
            }
            let mut compile = |source: &str, at: &Location| match parse(source) {
                Ok(p) => {
                    let references = p.references();
                    let unknown: Vec<&str> = references
                        .variables()
                        .into_iter()
                        .filter(|v| !VARIABLES.contains(v) && !bound_by_macros(source).contains(v))
                        .collect();
                    if unknown.is_empty() {
                        Some(p)
                    } else {
                        errors.push(bad_rule(
                            &rule.id,
                            format!(
                                "unknown variable `{}`; rules can use {}",
                                unknown.join("`, `"),
                                VARIABLES.join(", ")
                            ),
                            at,
                        ));
                        None
                    }
                }
                Err(message) => {
                    errors.push(bad_rule(&rule.id, message, at));
                    None
                }
            };
            let expression = compile(&rule.expression, &loc.expression);
            let when = rule.when.as_deref().map(|s| compile(s, &loc.when));
            let for_each = rule.for_each.as_deref().map(|s| compile(s, &loc.for_each));
            let message_expression = rule
                .message_expression
                .as_deref()
                .map(|s| compile(s, &loc.message_expression));
            let (Some(expression), Some(when), Some(for_each), Some(message_expression)) = (
                expression,
                when.map_or(Some(None), |w| w.map(Some)),
                for_each.map_or(Some(None), |w| w.map(Some)),
                message_expression.map_or(Some(None), |w| w.map(Some)),
            ) else {
                continue;
            };
            rules.push(CompiledRule {
                id: Arc::from(rule.id.as_str()),
                rule: rule.clone(),
                locations: loc.clone(),
                provider: file.content.provider.clone(),
                checked: true,
                gate: Gate::of(rule.when.as_deref()),
                expression: Expr::parsed(expression),
                when: when.map(Expr::parsed),
                for_each: for_each.map(Expr::parsed),
                message_expression: message_expression.map(Expr::parsed),
                footprint: OnceLock::new(),
                elements: OnceLock::new(),
            });
        }
    }
    (rules, errors)
}

/// Expressions with at most this many operators are parsed on the calling thread: the CEL
/// parser recurses about 150 KiB deep per operator of a chain in a debug build, so a main
/// thread's 8 MiB holds about 50 (built-in rules have up to 40).
const INLINE_OPERATORS: usize = 40;

/// The stack larger expressions (up to [`guard::MAX_OPERATORS`]) are parsed on. A thread
/// only for them: a thread that allocates gets a malloc arena of its own, and the address
/// space that reserves counts against a memory limit.
const PARSER_STACK: usize = 16 * 1024 * 1024;

/// Checks the bounds of [`guard`], then parses.
fn parse(source: &str) -> Result<cel::Program, String> {
    let operators = guard::check(source).map_err(|r| {
        format!(
            "{} (at character {} of the expression)",
            r.message,
            r.at + 1
        )
    })?;
    let compile = || {
        let program = cel::Program::compile(source).map_err(|e| {
            let first = e.errors.first().map(|e| e.msg.clone()).unwrap_or_default();
            format!("CEL syntax error: {first}")
        })?;
        // The cel crate panics evaluating these: refused here, at the rule's location.
        match super::ast::unsupported(program.expression()) {
            Some(why) => Err(why.to_string()),
            None => Ok(program),
        }
    };
    if operators <= INLINE_OPERATORS {
        return compile();
    }
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("cel-parser".into())
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, compile)
        {
            Ok(h) => h
                .join()
                .unwrap_or_else(|_| Err("the CEL parser failed; simplify the expression".into())),
            Err(e) => Err(format!("cannot start the CEL parser: {e}")),
        }
    })
}

/// A rule that cannot be used, at its own location.
pub(super) fn bad_rule(id: &str, message: String, at: &Location) -> Diagnostic {
    Diagnostic {
        help: None,
        severity: Severity::Error,
        rule: "policy/syntax".into(),
        message: format!("rule `{id}`: {message}"),
        field: None,
        provider: None,
        location: Some(at.clone()),
    }
}

/// Names bound by CEL's comprehension macros (`list.all(x, ...)`, `exists`,
/// `exists_one`, `map`, `filter`): the parser reports them as variables too.
fn bound_by_macros(source: &str) -> Vec<&str> {
    const MACROS: &[&str] = &[".all(", ".exists(", ".exists_one(", ".map(", ".filter("];
    let mut names = Vec::new();
    for m in MACROS {
        for (at, _) in source.match_indices(m) {
            let rest = &source[at + m.len()..];
            if let Some((name, _)) = rest.split_once(',') {
                let name = name.trim();
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    names.push(name);
                }
            }
        }
    }
    names
}
