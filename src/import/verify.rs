//! The structural check of an import: the proposed spec is rendered with the normal
//! compile and the rendered object's annotations are compared with the input's. A
//! proposal whose keys do not come back byte for byte is taken back (its keys become raw
//! annotations again); a raw annotation the render refuses (a key the spec's fields write
//! with another value) is unsupported; keys the render adds are approximations. Repeated
//! until nothing changes, so `render(import(m))` never changes an annotation's value.

use super::annotations::{Classified, Mapping};
use super::report::{ObjectReport, Outcome};
use super::spec_path;
use crate::diag::{Diagnostic, Severity};
use crate::plan::Overrides;
use crate::policy::engine::PolicySet;
use crate::render::Renderer;
use crate::spec::load::Source;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Rounds before an object whose proposals keep changing is imported with raw
/// annotations only.
const MAX_ROUNDS: usize = 8;

/// The compile every import is checked with: the built-in rules and templates.
pub(super) struct Checker {
    policies: PolicySet,
    renderer: Renderer,
}

/// How one render went.
enum Rendered {
    /// The rendered object's annotations.
    Annotations(BTreeMap<String, String>),
    /// The errors.
    Refused(Vec<Diagnostic>),
}

impl Checker {
    /// The built-in rules (a broken built-in rule file is lbgen's bug, reported).
    pub(super) fn new() -> Result<Checker, Vec<Diagnostic>> {
        Ok(Checker {
            policies: crate::policy::load(&[])?,
            renderer: Renderer::new(None),
        })
    }

    /// The spec of `base` with the proposals of `classified` that survive rendering, and
    /// the report of every annotation.
    pub(super) fn settle(
        &self,
        base: Value,
        mut classified: Classified,
        input: &Value,
        report: &mut ObjectReport,
    ) -> Value {
        let kind = input
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let name = input
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut why: BTreeMap<String, String> = BTreeMap::new();
        let mut removed: BTreeMap<String, String> = BTreeMap::new();
        let mut last = None;
        for round in 0..MAX_ROUNDS {
            if round + 1 == MAX_ROUNDS {
                for m in &mut classified.mappings {
                    m.active = false;
                }
            }
            let spec = build(&base, &classified, &removed);
            match self.render(&spec, kind, name) {
                Rendered::Refused(errors) => {
                    let changed = blame(&errors, &mut classified, &mut removed, &mut why);
                    if !changed {
                        for m in classified.mappings.iter_mut().filter(|m| m.active) {
                            m.active = false;
                            for k in &m.keys {
                                why.insert(k.clone(), first_message(&errors));
                            }
                        }
                        if classified.mappings.iter().all(|m| !m.active) && round > 0 {
                            report.push(
                                "spec",
                                Outcome::Unsupported,
                                None,
                                Some(format!(
                                    "the imported spec does not compile: {}",
                                    first_message(&errors)
                                )),
                            );
                            last = Some((spec, BTreeMap::new()));
                            break;
                        }
                    }
                }
                Rendered::Annotations(rendered) => {
                    let mut changed = false;
                    for m in classified.mappings.iter_mut().filter(|m| m.active) {
                        let wrong = m.keys.iter().find(|k| {
                            let current = classified.current.get(*k).unwrap_or(k);
                            rendered.get(current) != classified.raw.get(*k)
                        });
                        if let Some(k) = wrong {
                            let current = classified.current.get(k).unwrap_or(k);
                            let gives = rendered
                                .get(current)
                                .map_or("nothing".into(), |v| format!("`{v}`"));
                            for key in &m.keys {
                                why.insert(
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
                    if !changed {
                        last = Some((spec, rendered));
                        break;
                    }
                }
            }
        }
        let (spec, rendered) =
            last.unwrap_or_else(|| (build(&base, &classified, &removed), BTreeMap::new()));
        describe(&classified, &removed, &why, &rendered, report);
        report.imported = true;
        spec
    }

    fn render(&self, spec: &Value, kind: &str, name: &str) -> Rendered {
        let source = Source {
            name: "<import>".into(),
            text: serde_json::to_string(spec).unwrap_or_default(),
        };
        match crate::compile(
            &[source],
            &Overrides::default(),
            &self.policies,
            &self.renderer,
        ) {
            Err(diagnostics) => Rendered::Refused(
                diagnostics
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect(),
            ),
            Ok(compiled) => {
                let object = compiled
                    .objects
                    .iter()
                    .find(|o| o.kind() == kind && o.name() == name);
                let annotations = object
                    .and_then(|o| o.0.pointer("/metadata/annotations"))
                    .and_then(Value::as_object)
                    .map(|m| {
                        m.iter()
                            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                            .collect()
                    })
                    .unwrap_or_default();
                Rendered::Annotations(annotations)
            }
        }
    }
}

fn first_message(errors: &[Diagnostic]) -> String {
    errors
        .first()
        .map_or_else(|| "no object rendered".to_string(), |d| d.message.clone())
}

/// The spec: the base, the active proposals, and the other annotations raw.
fn build(base: &Value, classified: &Classified, removed: &BTreeMap<String, String>) -> Value {
    let mut spec = base.clone();
    let claimed: Vec<&String> = classified
        .mappings
        .iter()
        .filter(|m| m.active)
        .flat_map(|m| &m.keys)
        .collect();
    for m in classified.mappings.iter().filter(|m| m.active) {
        spec_path::set(&mut spec, &m.path, m.value.clone());
    }
    let raw: Map<String, Value> = classified
        .raw
        .iter()
        .filter(|(k, _)| !claimed.contains(k) && !removed.contains_key(*k))
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    if !raw.is_empty() {
        spec_path::set(
            &mut spec,
            &["metadata".into(), "annotations".into()],
            Value::Object(raw),
        );
    }
    spec
}

/// Takes back what the errors blame: a raw annotation is removed (unsupported), a proposal
/// whose field is blamed is taken back. Whether anything changed.
fn blame(
    errors: &[Diagnostic],
    classified: &mut Classified,
    removed: &mut BTreeMap<String, String>,
    why: &mut BTreeMap<String, String>,
) -> bool {
    let mut changed = false;
    for error in errors {
        let Some(field) = &error.field else { continue };
        if let Some(key) = field
            .strip_prefix("metadata.annotations[\"")
            .and_then(|k| k.strip_suffix("\"]"))
        {
            let claimed = classified
                .mappings
                .iter()
                .any(|m| m.active && m.keys.iter().any(|k| k == key));
            if classified.raw.contains_key(key) && !claimed && !removed.contains_key(key) {
                removed.insert(key.to_string(), error.message.clone());
                changed = true;
            }
            continue;
        }
        for m in classified.mappings.iter_mut().filter(|m| m.active) {
            let hit = field.starts_with(&m.target) || m.target.starts_with(field.as_str());
            if hit && field.starts_with("spec.") {
                m.active = false;
                changed = true;
                for k in &m.keys {
                    why.insert(k.clone(), format!("{}: {}", m.target, error.message));
                }
            }
        }
    }
    changed
}

/// The report items of every annotation, and of what the render adds.
fn describe(
    classified: &Classified,
    removed: &BTreeMap<String, String>,
    why: &BTreeMap<String, String>,
    rendered: &BTreeMap<String, String>,
    report: &mut ObjectReport,
) {
    for (key, value) in &classified.raw {
        let current = classified.current.get(key).unwrap_or(key);
        let legacy =
            (current != key).then(|| format!("legacy prefix: rendering writes `{current}`"));
        if let Some(message) = removed.get(key) {
            // A key the render writes itself from the spec, with the input's value.
            if rendered.get(current) == Some(value) {
                report.push(
                    key,
                    Outcome::Mapped,
                    Some("written by the render from the spec".into()),
                    legacy,
                );
            } else {
                report.push(key, Outcome::Unsupported, None, Some(message.clone()));
            }
            continue;
        }
        let active: Vec<&Mapping> = classified
            .mappings
            .iter()
            .filter(|m| m.active && m.keys.contains(key))
            .collect();
        if !active.is_empty() {
            let target = active
                .iter()
                .map(|m| m.target.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            report.push(key, Outcome::Mapped, Some(target), legacy);
        } else if rendered.get(key) == Some(value) && !rendered.is_empty() {
            let because = why
                .get(key)
                .cloned()
                .unwrap_or_else(|| "no spec field reads it back".into());
            report.push(key, Outcome::KeptRaw, None, Some(because));
        } else {
            let because = why
                .get(key)
                .cloned()
                .unwrap_or_else(|| "not reproduced by the render".into());
            report.push(key, Outcome::KeptRaw, None, Some(because));
        }
    }
    let input_current: Vec<&String> = classified.current.values().collect();
    for (key, value) in rendered {
        if !input_current.contains(&key) && !classified.raw.contains_key(key) {
            report.push(
                key,
                Outcome::Approximated,
                None,
                Some(format!("the render adds `{value}` (the pack's default, or what the imported fields imply)")),
            );
        }
    }
}
