//! The structural check of an import: the proposed spec is rendered with the normal
//! compile and the rendered object's annotations are compared with the input's. A
//! proposal whose keys do not come back byte for byte is taken back (its keys become raw
//! annotations again); a raw annotation the render refuses (a key the spec's fields write
//! with another value) is unsupported; keys the render adds are approximations. Repeated
//! until nothing changes, so `render(import(m))` never changes an annotation's value.

use super::annotations::Classified;
use super::companions::{self, Expected};
use super::report::{ObjectReport, Outcome};
use super::settle::{blame, build, describe, first_message, messages, same_value};
use crate::diag::{Diagnostic, Severity};
use crate::plan::Overrides;
use crate::policy::engine::PolicySet;
use crate::render::Renderer;
use crate::spec::load::Source;
use serde_json::Value;
use std::collections::BTreeMap;

/// Rounds before an object whose proposals keep changing is imported with raw
/// annotations only.
const MAX_ROUNDS: usize = 8;

/// Objects settled together (see [`Checker::settle_all`]).
const SETTLE_BATCH: usize = 256;

/// The compile every import is checked with: the built-in rules and templates.
pub(super) struct Checker {
    policies: PolicySet,
    renderer: Renderer,
}

/// One object's render: its annotations, the other objects of its spec, its `spec.tls`.
type RenderedObject = (BTreeMap<String, String>, Vec<Value>, Option<Value>);

/// How one render went.
enum Rendered {
    /// The rendered object's annotations, and the other objects rendered with it when
    /// companions are expected.
    Annotations(BTreeMap<String, String>, Vec<Value>, Option<Value>),
    /// The errors.
    Refused(Vec<Diagnostic>),
}

/// One object being settled.
pub(super) struct Pending {
    base: Value,
    classified: Classified,
    kind: String,
    name: String,
    why: BTreeMap<String, String>,
    removed: BTreeMap<String, String>,
    round: usize,
    /// The settled spec and its rendered annotations.
    settled: Option<(Value, BTreeMap<String, String>)>,
    /// Why the spec does not compile even with raw annotations only.
    refused: Option<String>,
    /// The first round whose errors blamed no proposal: its spec, errors and which
    /// proposals stood. When raw annotations only fail too, the proposals were not the
    /// cause: that round is the import, with its own errors as the reason.
    unblamed: Option<(Value, String, Vec<bool>)>,
    /// The companion objects read and whether they are consumed.
    companions: Expected,
    /// The input's Ingress `spec.tls`, and the settled render's.
    tls: (Option<Value>, Option<Value>),
}

impl Pending {
    /// An object to settle: its core spec and classified annotations.
    pub(super) fn new(
        base: Value,
        classified: Classified,
        input: &Value,
        companions: Expected,
    ) -> Pending {
        let text = |p: &str| {
            input
                .pointer(p)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        Pending {
            base,
            classified,
            kind: text("/kind"),
            name: text("/metadata/name"),
            why: BTreeMap::new(),
            removed: BTreeMap::new(),
            round: 0,
            settled: None,
            refused: None,
            unblamed: None,
            companions,
            tls: (input.pointer("/spec/tls").cloned(), None),
        }
    }

    /// The companions read, and whether they were consumed.
    pub(super) fn companions(&self) -> &Expected {
        &self.companions
    }

    /// The spec of this round (the last round with raw annotations only).
    fn spec(&mut self) -> Value {
        if self.round + 1 >= MAX_ROUNDS {
            if self.companions.consumed {
                self.companions.consumed = false;
                self.companions.why = Some("the import did not settle".into());
            }
            for m in &mut self.classified.mappings {
                m.active = false;
            }
        }
        build(&self.base, &self.classified, &self.removed)
    }

    /// One round's outcome; whether the object is settled.
    fn step(&mut self, spec: Value, rendered: Rendered) -> bool {
        self.round += 1;
        match rendered {
            Rendered::Refused(errors) => {
                let changed = blame(
                    &errors,
                    &mut self.classified,
                    &mut self.removed,
                    &mut self.why,
                );
                if !changed && self.companions.consumed {
                    let why = format!(
                        "the imported spec does not compile with them: {}",
                        first_message(&errors)
                    );
                    self.companions.keep(&mut self.classified, why);
                } else if !changed {
                    let standing: Vec<bool> =
                        self.classified.mappings.iter().map(|m| m.active).collect();
                    if !standing.contains(&true) {
                        let (spec, message) = match self.unblamed.take() {
                            Some((spec, message, standing)) => {
                                // The proposals were not the cause: they stand again.
                                for (m, active) in self.classified.mappings.iter_mut().zip(standing)
                                {
                                    m.active = active;
                                    m.keys.iter().for_each(|k| {
                                        self.why.remove(k);
                                    });
                                }
                                (spec, message)
                            }
                            None => (spec, messages(&errors)),
                        };
                        self.refused = Some(message);
                        self.settled = Some((spec, BTreeMap::new()));
                        return true;
                    }
                    if self.unblamed.is_none() {
                        self.unblamed = Some((spec.clone(), messages(&errors), standing));
                    }
                    for m in self.classified.mappings.iter_mut().filter(|m| m.active) {
                        m.active = false;
                        for k in &m.keys {
                            self.why.insert(k.clone(), first_message(&errors));
                        }
                    }
                }
            }
            Rendered::Annotations(rendered, others, tls) => {
                let mut changed = false;
                let classified = &mut self.classified;
                for m in classified.mappings.iter_mut().filter(|m| m.active) {
                    let wrong = m.keys.iter().find(|k| {
                        let current = classified.current.get(*k).unwrap_or(k);
                        !same_value(rendered.get(current), classified.raw.get(*k))
                    });
                    if let Some(k) = wrong {
                        let current = classified.current.get(k).unwrap_or(k);
                        let gives = rendered
                            .get(current)
                            .map_or("nothing".into(), |v| format!("`{v}`"));
                        for key in &m.keys {
                            self.why.insert(
                                key.clone(),
                                format!(
                                    "{} renders {gives} for `{current}`, not the input's value",
                                    m.target
                                ),
                            );
                        }
                        m.active = false;
                        changed = true;
                    }
                }
                if !changed
                    && self.companions.consumed
                    && let Some(why) = self.companions.difference(&others)
                {
                    self.companions.keep(&mut self.classified, why);
                    changed = true;
                }
                if !changed {
                    self.settled = Some((spec, rendered));
                    self.tls.1 = tls;
                    return true;
                }
            }
        }
        if self.round >= MAX_ROUNDS {
            self.settled = Some((spec, BTreeMap::new()));
            return true;
        }
        false
    }

    /// The settled spec, and the report of every annotation.
    pub(super) fn finish(self, report: &mut ObjectReport) -> Value {
        let (spec, rendered) = self.settled.unwrap_or_else(|| {
            (
                build(&self.base, &self.classified, &self.removed),
                BTreeMap::new(),
            )
        });
        if let Some(message) = &self.refused {
            report.push(
                "spec",
                Outcome::Unsupported,
                None,
                Some(format!("the imported spec does not compile: {message}")),
            );
        }
        describe(
            &self.classified,
            &self.removed,
            &self.why,
            &rendered,
            report,
        );
        companions::describe(&self.companions, report);
        // TLS entries no pack reads back that the render writes again from the routes'
        // certificates (CCE's and ALB's Ingresses) are no loss.
        if self.tls.0.is_some() && self.tls.0 == self.tls.1 {
            for item in report.items.iter_mut() {
                if item.subject.starts_with("spec.tls") && item.outcome == Outcome::Unsupported {
                    item.outcome = Outcome::Mapped;
                    item.target = Some("spec.routes[].tls".into());
                    item.why = Some(
                        "the render writes the same spec.tls from the routes' certificates".into(),
                    );
                }
            }
        }
        report.imported = true;
        spec
    }
}

impl Checker {
    /// The built-in rules (a broken built-in rule file is lbgen's bug, reported).
    pub(super) fn new() -> Result<Checker, Vec<Diagnostic>> {
        Ok(Checker {
            policies: crate::policy::load(&[])?,
            renderer: Renderer::new(None),
        })
    }

    /// The rules the specs are judged by.
    pub(super) fn policies(&self) -> &PolicySet {
        &self.policies
    }

    /// Settles every object: all of a round's specs are compiled together (one compile
    /// call per round, not per object).
    pub(super) fn settle_all(&self, pending: &mut [Pending]) {
        // In batches: one compile holds a batch's specs and objects at once, and a batch
        // with a refused spec is rendered again without it, so smaller batches bound both
        // the peak memory and the work a refusal repeats.
        for batch in pending.chunks_mut(SETTLE_BATCH) {
            self.settle(batch);
        }
    }

    /// Settles one batch, round by round.
    fn settle(&self, pending: &mut [Pending]) {
        loop {
            let open: Vec<usize> = (0..pending.len())
                .filter(|i| pending[*i].settled.is_none())
                .collect();
            if open.is_empty() {
                return;
            }
            let specs: Vec<(usize, Value)> =
                open.iter().map(|i| (*i, pending[*i].spec())).collect();
            let results = self.render_all(&specs, pending);
            for ((i, spec), rendered) in specs.into_iter().zip(results) {
                pending[i].step(spec, rendered);
            }
        }
    }

    /// Renders `specs` (index into `pending`, spec) together; the objects whose specs
    /// fail are told their errors, the others are rendered again without them.
    fn render_all(&self, specs: &[(usize, Value)], pending: &[Pending]) -> Vec<Rendered> {
        let name_of = |i: usize| format!("<import:{i}>");
        let sources: Vec<Source> = specs
            .iter()
            .map(|(i, spec)| Source {
                name: name_of(*i),
                text: serde_json::to_string(spec).unwrap_or_default(),
            })
            .collect();
        match crate::compile(
            &sources,
            &Overrides::default(),
            &self.policies,
            &self.renderer,
        ) {
            Ok(compiled) => {
                let mut out: BTreeMap<String, RenderedObject> = BTreeMap::new();
                for (j, spec) in compiled.specs.iter().enumerate() {
                    let Some(i) = spec
                        .location
                        .file
                        .strip_prefix("<import:")
                        .and_then(|r| r.strip_suffix('>'))
                        .and_then(|n| n.parse::<usize>().ok())
                    else {
                        continue;
                    };
                    let Some(p) = pending.get(i) else { continue };
                    let object = compiled
                        .objects_of(j)
                        .find(|o| o.kind() == p.kind && o.name() == p.name);
                    let others: Vec<Value> = if p.companions.objects.is_empty() {
                        Vec::new()
                    } else {
                        compiled
                            .objects_of(j)
                            .filter(|o| o.kind() != p.kind || o.name() != p.name)
                            .map(|o| o.0.clone())
                            .collect()
                    };
                    let tls = object.and_then(|o| o.0.pointer("/spec/tls").cloned());
                    out.insert(
                        spec.location.file.clone(),
                        (annotations_of(object), others, tls),
                    );
                }
                specs
                    .iter()
                    .map(|(i, _)| {
                        let (annotations, others, tls) =
                            out.remove(&name_of(*i)).unwrap_or_default();
                        Rendered::Annotations(annotations, others, tls)
                    })
                    .collect()
            }
            Err(diagnostics) if specs.len() > 1 => {
                let mut errors: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
                for d in diagnostics
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                {
                    let file = d
                        .location
                        .as_ref()
                        .map(|l| l.file.clone())
                        .unwrap_or_default();
                    errors.entry(file).or_default().push(d);
                }
                let clean: Vec<(usize, Value)> = specs
                    .iter()
                    .filter(|(i, _)| !errors.contains_key(&name_of(*i)))
                    .cloned()
                    .collect();
                // Errors no spec owns (none expected): every spec on its own.
                if clean.len() == specs.len() {
                    return specs
                        .iter()
                        .map(|s| self.render_all(std::slice::from_ref(s), pending).remove(0))
                        .collect();
                }
                let mut again = self.render_all(&clean, pending).into_iter();
                specs
                    .iter()
                    .map(|(i, _)| match errors.remove(&name_of(*i)) {
                        Some(e) => Rendered::Refused(e),
                        None => again.next().unwrap_or(Rendered::Refused(Vec::new())),
                    })
                    .collect()
            }
            Err(diagnostics) => vec![Rendered::Refused(
                diagnostics
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect(),
            )],
        }
    }
}

fn annotations_of(object: Option<&crate::emit::Object>) -> BTreeMap<String, String> {
    object
        .and_then(|o| o.0.pointer("/metadata/annotations"))
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}
