//! Companion objects: the cluster-scoped objects of the input that a Service or Ingress
//! refers to (its IngressClass and the class's parameters object). Read before the
//! per-object import so that a class served through an IngressClass of the input
//! detects its provider, and each pack can read the companions of its objects into the
//! spec (`PackImport::companions`). A companion is consumed (left out of the output) only
//! when the imported spec renders it back exactly and every object reading it does; any
//! other companion passes through untouched, and the report says why.

use super::annotations::{Classified, Mapping};
use super::report::{ObjectReport, Outcome};
use super::spec_path::segments;
use crate::provider::import::{Inputs, PackImport};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Every object of the input, and the controller of each IngressClass among them.
pub(super) struct Context<'a> {
    /// The input objects, indexed (companion indices point into them).
    pub inputs: Inputs<'a>,
    /// IngressClass name -> its `spec.controller`.
    pub controllers: BTreeMap<String, String>,
}

impl<'a> Context<'a> {
    /// The context of `inputs`.
    pub(super) fn new(inputs: Vec<&'a Value>) -> Context<'a> {
        let controllers = inputs
            .iter()
            .filter(|v| v.get("kind").and_then(Value::as_str) == Some("IngressClass"))
            .filter_map(|v| {
                let name = v.pointer("/metadata/name").and_then(Value::as_str)?;
                let controller = v.pointer("/spec/controller").and_then(Value::as_str)?;
                Some((name.to_string(), controller.to_string()))
            })
            .collect();
        Context {
            inputs: Inputs::new(inputs),
            controllers,
        }
    }
}

/// One object's companions while it settles.
#[derive(Debug, Clone, Default)]
pub(super) struct Expected {
    /// `(input index, kind, name, the object)` of each companion read.
    pub objects: Vec<(usize, String, String, Value)>,
    /// Whether the companions are still proposed as consumed.
    pub consumed: bool,
    /// Why they are not (once they are not).
    pub why: Option<String>,
    /// The companion fields read, `(subject, spec field)`.
    pub read: Vec<(String, String)>,
    /// What the report adds when they pass through.
    pub if_kept: Option<String>,
}

impl Expected {
    /// Gives up consuming the companions: their fields are taken back and the fields that
    /// stand for them proposed instead.
    pub(super) fn keep(&mut self, classified: &mut Classified, why: String) {
        self.consumed = false;
        self.why = Some(why);
        for m in &mut classified.mappings {
            match m.companion {
                Some(true) => m.active = false,
                Some(false) => m.active = true,
                None => {}
            }
        }
    }

    /// Why the rendered objects `rendered` do not reproduce the companions, if they do not.
    pub(super) fn difference(&self, rendered: &[Value]) -> Option<String> {
        for (_, kind, name, want) in &self.objects {
            let got = rendered.iter().find(|r| {
                r.get("kind").and_then(Value::as_str) == Some(kind.as_str())
                    && r.pointer("/metadata/name").and_then(Value::as_str) == Some(name.as_str())
            });
            let Some(got) = got else {
                return Some(format!("the imported spec renders no {kind} `{name}`"));
            };
            if let Some(at) = first_difference(want, got, String::new()) {
                return Some(format!(
                    "the imported spec renders {kind} `{name}` differently at `{}`",
                    if at.is_empty() { "/" } else { at.as_str() }
                ));
            }
        }
        None
    }
}

/// The first JSON pointer where `a` and `b` differ.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                (Some(p), Some(q)) => first_difference(p, q, format!("{at}/{k}")),
                _ => Some(format!("{at}/{k}")),
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{at}/{i}"))),
        _ => (a != b).then_some(at),
    }
}

/// Reads the companions of `object` through its pack: their fields become proposals
/// (`companion: Some(true)`), the fields standing for them proposals held back
/// (`Some(false)`); what they hold that the spec cannot say, and the pack's notes, are
/// reported.
pub(super) fn read(
    import: &dyn PackImport,
    object: &Value,
    annotations: &BTreeMap<String, String>,
    base: &Value,
    context: &Context<'_>,
    classified: &mut Classified,
    report: &mut ObjectReport,
) -> Expected {
    let found = import.companions(object, annotations, base, &context.inputs);
    let mut expected = Expected {
        consumed: !found.objects.is_empty(),
        read: found.read,
        if_kept: found.if_kept,
        ..Expected::default()
    };
    for index in found.objects {
        let Some(value) = context.inputs.objects().get(index) else {
            continue;
        };
        let text = |p: &str| {
            value
                .pointer(p)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        expected.objects.push((
            index,
            text("/kind"),
            text("/metadata/name"),
            (*value).clone(),
        ));
    }
    // The pack names keys in their current spelling; the mappings name the input's.
    let input_key: BTreeMap<String, String> = classified
        .current
        .iter()
        .map(|(input, current)| (current.clone(), input.clone()))
        .collect();
    let held = |fields: Vec<crate::provider::import::SharedField>, companion: Option<bool>| {
        let input_key = &input_key;
        fields.into_iter().map(move |shared| {
            let target = format!("spec.{}", shared.path);
            Mapping {
                keys: shared
                    .keys
                    .iter()
                    .filter_map(|k| input_key.get(k).cloned())
                    .collect(),
                path: segments(&target),
                target,
                value: shared.value,
                active: companion != Some(false),
                field: None,
                companion,
            }
        })
    };
    let direct = if expected.objects.is_empty() {
        None
    } else {
        Some(true)
    };
    classified.mappings.extend(held(found.fields, direct));
    classified
        .mappings
        .extend(held(found.instead, direct.map(|_| false)));
    for (subject, why) in &found.unexpressed {
        report.push(subject, Outcome::Unsupported, None, Some(why.clone()));
    }
    for (subject, how) in &found.approximated {
        report.push(subject, Outcome::Approximated, None, Some(how.clone()));
    }
    for (subject, why) in &found.notes {
        report.push(subject, Outcome::KeptRaw, None, Some(why.clone()));
    }
    if expected.consumed && !found.unexpressed.is_empty() {
        expected.keep(
            classified,
            "it holds what the spec cannot say (listed above)".into(),
        );
    }
    expected
}

/// The report lines of the companions once settled: each field read `mapped` when they
/// are consumed, else each object kept with why.
pub(super) fn describe(expected: &Expected, report: &mut ObjectReport) {
    if expected.objects.is_empty() {
        return;
    }
    if expected.consumed {
        for (subject, target) in &expected.read {
            report.push(subject, Outcome::Mapped, Some(target.clone()), None);
        }
        return;
    }
    let mut why = expected.why.clone().unwrap_or_default();
    if let Some(more) = &expected.if_kept {
        why = format!("{why}; {more}");
    }
    for (_, kind, name, _) in &expected.objects {
        report.push(
            &format!("{kind} {name}"),
            Outcome::KeptRaw,
            None,
            Some(format!("passed through untouched: {why}")),
        );
    }
}

/// The input indices every reader consumed (a companion read by several objects is
/// consumed only when each of them renders it back).
pub(super) fn consumed(all: &[&Expected]) -> BTreeSet<usize> {
    let mut readers: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for e in all {
        for (index, ..) in &e.objects {
            let entry = readers.entry(*index).or_default();
            entry.0 += 1;
            if e.consumed {
                entry.1 += 1;
            }
        }
    }
    readers
        .into_iter()
        .filter(|(_, (read, kept))| read == kept)
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_first_difference_is_located() {
        let a = json!({"spec": {"listeners": [{"port": 80}, {"port": 443}]}});
        let b = json!({"spec": {"listeners": [{"port": 80}, {"port": 444}]}});
        assert_eq!(
            first_difference(&a, &b, String::new()),
            Some("/spec/listeners/1/port".into())
        );
        assert_eq!(first_difference(&a, &a, String::new()), None);
        let c = json!({"spec": {"listeners": [{"port": 80}]}});
        assert_eq!(
            first_difference(&a, &c, String::new()),
            Some("/spec/listeners".into())
        );
    }

    #[test]
    fn a_shared_companion_is_consumed_only_when_every_reader_reproduces_it() {
        let object = |i: usize| (i, "ParamsConfig".to_string(), "a".to_string(), json!({}));
        let yes = Expected {
            objects: vec![object(1), object(2)],
            consumed: true,
            ..Expected::default()
        };
        let no = Expected {
            objects: vec![object(2)],
            consumed: false,
            ..Expected::default()
        };
        assert_eq!(consumed(&[&yes, &no]), BTreeSet::from([1]));
        assert_eq!(consumed(&[&yes]), BTreeSet::from([1, 2]));
    }
}
