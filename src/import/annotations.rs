//! Each annotation of an object, looked up in its provider's catalogue: a key a typed
//! provider field sets becomes `spec.<provider>.service|ingress.<field>` (its value read
//! back by `catalogue_fields::invert`), a key a shared field writes becomes that field
//! where the pack can invert it (`Pack::import`), a controller-written key is dropped, and
//! everything else stays a raw annotation. Keys under a legacy prefix are read as their
//! current spelling. These are proposals: `verify` keeps only what renders back exactly.

use super::report::{ObjectReport, Outcome};
use super::spec_path::segments;
use crate::provider::ProviderId;
use crate::provider::catalogue::{Writer, catalogue_of};
use crate::provider::catalogue_fields::{GROUPS, field_name, invert, offered};
use crate::provider::import::shared_fields;
use crate::provider::registry;
use serde_json::Value;
use std::collections::BTreeMap;

/// One proposed spec field and the annotations it accounts for.
#[derive(Debug, Clone)]
pub(super) struct Mapping {
    /// The input keys it accounts for (as spelt in the input).
    pub keys: Vec<String>,
    /// Its path from the document root.
    pub path: Vec<String>,
    /// Its value.
    pub value: Value,
    /// The spec field, for the report (`spec.loadBalancer.tier`).
    pub target: String,
    /// Still proposed (false once `verify` took it back).
    pub active: bool,
    /// The object field it reads, when it reads one instead of annotations
    /// (`spec.loadBalancerClass`).
    pub field: Option<String>,
    /// Read from a companion object: `Some(true)` while the companions are consumed,
    /// `Some(false)` for what stands for them once they are not (`companions`).
    pub companion: Option<bool>,
}

/// An object's annotations, classified.
#[derive(Debug, Clone, Default)]
pub(super) struct Classified {
    /// Every proposal.
    pub mappings: Vec<Mapping>,
    /// Every annotation that is not controller-written, by input key.
    pub raw: BTreeMap<String, String>,
    /// The current spelling of each input key (itself unless legacy).
    pub current: BTreeMap<String, String>,
    /// Why the pack did not read a key it can read back, by input key (`PackImport::unread`).
    pub notes: BTreeMap<String, String>,
}

/// The annotations of an object, as strings (a non-string value as its JSON text).
pub(super) fn of(object: &Value) -> BTreeMap<String, String> {
    let Some(Value::Object(map)) = object.pointer("/metadata/annotations") else {
        return BTreeMap::new();
    };
    map.iter()
        .map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), text)
        })
        .collect()
}

/// Classifies `annotations` of a `kind` object for `provider`.
pub(super) fn classify(
    provider: ProviderId,
    kind: &str,
    annotations: &BTreeMap<String, String>,
    object: &Value,
    base: &Value,
    report: &mut ObjectReport,
) -> Result<Classified, &'static str> {
    let mut out = Classified::default();
    let Some(catalogue) = catalogue_of(provider.as_str())? else {
        out.raw = annotations.clone();
        return Ok(out);
    };
    let group = GROUPS.iter().find(|(_, k)| *k == kind).map(|(g, _)| *g);
    let mut by_current = BTreeMap::new();
    for (key, text) in annotations {
        let current = catalogue
            .current_spelling(key)
            .unwrap_or_else(|| key.clone());
        out.current.insert(key.clone(), current.clone());
        let entry = catalogue
            .entries
            .iter()
            .filter(|e| e.matches(&current))
            .find(|e| e.kinds.iter().any(|k| k == kind))
            .or_else(|| catalogue.entries.iter().find(|e| e.matches(&current)));
        if entry.is_some_and(|e| e.writer == Writer::Controller) {
            report.push(
                key,
                Outcome::ControllerWritten,
                None,
                Some(format!(
                    "{}'s controller writes it itself; a user-set value is refused",
                    provider.as_str()
                )),
            );
            continue;
        }
        out.raw.insert(key.clone(), text.clone());
        by_current.insert(current.clone(), key.clone());
        let (Some(entry), Some(group)) = (entry, group) else {
            continue;
        };
        if !offered(entry) || !entry.kinds.iter().any(|k| k == kind) {
            continue;
        }
        let Ok(value) = invert(&entry.value, text) else {
            continue;
        };
        let mut path = vec![
            "spec".to_string(),
            provider.as_str().to_string(),
            group.to_string(),
            field_name(catalogue, entry),
        ];
        if let Some(pattern) = &entry.pattern {
            let (open, close) = (
                pattern.find('<').unwrap_or(0),
                pattern.rfind('>').unwrap_or(0),
            );
            let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
            let name = &current[head.len()..current.len() - tail.len()];
            path.push(name.to_string());
        }
        out.mappings.push(Mapping {
            keys: vec![key.clone()],
            target: path.join("."),
            path,
            value,
            active: true,
            field: None,
            companion: None,
        });
    }
    let current_annotations: BTreeMap<String, String> = out
        .raw
        .iter()
        .map(|(k, v)| (out.current[k].clone(), v.clone()))
        .collect();
    if let Some(import) = registry().get(provider.as_str()).and_then(|p| p.import()) {
        let class = object
            .pointer("/spec/loadBalancerClass")
            .and_then(Value::as_str);
        if let Some(shared) = class
            .filter(|_| kind == "Service")
            .and_then(|c| import.service_class(c))
        {
            let target = format!("spec.{}", shared.path);
            out.mappings.push(Mapping {
                keys: Vec::new(),
                path: segments(&target),
                target,
                value: shared.value,
                active: true,
                field: Some("spec.loadBalancerClass".into()),
                companion: None,
            });
        }
        for (key, why) in import.unread(kind, &current_annotations, base) {
            if let Some(input) = by_current.get(&key) {
                out.notes.insert(input.clone(), why);
            }
        }
        for shared in shared_fields(import, kind, &current_annotations, base) {
            let keys: Vec<String> = shared
                .keys
                .iter()
                .filter_map(|k| by_current.get(k).cloned())
                .collect();
            let target = format!("spec.{}", shared.path);
            out.mappings.push(Mapping {
                keys,
                path: segments(&target),
                target,
                value: shared.value,
                active: true,
                field: None,
                companion: None,
            });
        }
    }
    Ok(out)
}
