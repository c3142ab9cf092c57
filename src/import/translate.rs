//! `import --to PROVIDER`: an imported spec moved to another cloud. The source provider's
//! own block (`spec.<provider>`) and raw annotations under its prefixes never reach the
//! target (each reported as `unsupported on target`); the spec is then judged by the
//! target's normal capability rules, and every field a rule refuses is taken out and
//! reported with the rule's message, which names the nearest alternative.

use super::report::{ObjectReport, Outcome};
use crate::plan::Overrides;
use crate::policy::engine::PolicySet;
use crate::provider::ProviderId;
use crate::provider::catalogue::catalogue_of;
use crate::spec::load::Source;
use serde_json::Value;

/// Rounds of taking refused fields out before the spec is reported as not translatable.
const MAX_ROUNDS: usize = 12;

/// `spec` (imported for its own provider) moved to `target`.
pub(super) fn translate(
    mut spec: Value,
    target: ProviderId,
    policies: &PolicySet,
    report: &mut ObjectReport,
) -> Value {
    let source = spec
        .pointer("/spec/provider")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if source == target.as_str() {
        return spec;
    }
    spec["spec"]["provider"] = target.as_str().into();
    if let Some(Value::Object(block)) = spec["spec"].as_object_mut().and_then(|s| s.remove(&source))
    {
        for (group, fields) in block {
            for field in fields
                .as_object()
                .map(|f| f.keys().cloned().collect::<Vec<_>>())
                .unwrap_or_default()
            {
                report.push(
                    &format!("spec.{source}.{group}.{field}"),
                    Outcome::Unsupported,
                    None,
                    Some(format!(
                        "a {source}-only setting; {} has no such field",
                        target.as_str()
                    )),
                );
            }
        }
    }
    let prefixes: Vec<String> = catalogue_of(&source)
        .ok()
        .flatten()
        .map(|c| {
            c.prefixes
                .iter()
                .cloned()
                .chain(c.legacy_prefixes.iter().map(|l| l.prefix.clone()))
                .collect()
        })
        .unwrap_or_default();
    if let Some(Value::Object(annotations)) = spec.pointer_mut("/metadata/annotations") {
        let theirs: Vec<String> = annotations
            .keys()
            .filter(|k| {
                prefixes.iter().any(|p| k.starts_with(p.as_str()))
                    || k.as_str() == super::detect::INGRESS_CLASS
            })
            .cloned()
            .collect();
        for key in theirs {
            annotations.remove(&key);
            report.push(&key, Outcome::Unsupported, None, Some(format!("a raw {source} annotation: {} does not read it (it never reaches the target's output)", target.as_str())));
        }
    }
    let empty = spec
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .is_some_and(|a| a.is_empty());
    if let Some(meta) = spec["metadata"].as_object_mut().filter(|_| empty) {
        meta.remove("annotations");
    }
    let renderer = crate::render::Renderer::new(None);
    for _ in 0..MAX_ROUNDS {
        let text = serde_json::to_string(&spec).unwrap_or_default();
        let sources = [Source {
            name: "<translate>".into(),
            text,
        }];
        let errors = match crate::compile(&sources, &Overrides::default(), policies, &renderer) {
            Ok(_) => return spec,
            Err(diagnostics) => diagnostics,
        };
        let blamed = errors
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .find_map(|d| {
                d.field
                    .clone()
                    .filter(|f| f.starts_with("spec.") && f != "spec")
                    .map(|f| (f, d.message.clone()))
            });
        let Some((field, message)) = blamed else {
            let message = errors
                .first()
                .map(|d| d.message.clone())
                .unwrap_or_default();
            report.push(
                "spec",
                Outcome::Unsupported,
                None,
                Some(format!("not renderable for {}: {message}", target.as_str())),
            );
            return spec;
        };
        let before = spec.clone();
        let removed = remove(&mut spec, &field);
        if spec == before {
            // A default the target refuses (nothing to take out): the user decides.
            report.push(
                &field,
                Outcome::Unsupported,
                None,
                Some(format!(
                    "not renderable for {} without a change: {message}",
                    target.as_str()
                )),
            );
            return spec;
        }
        report.push(&removed, Outcome::Unsupported, None, Some(message));
    }
    spec
}

/// Removes `field` (`spec.ports[0].protocol`) from `spec`, or its nearest existing parent;
/// the path removed.
fn remove(spec: &mut Value, field: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for segment in field.split('.') {
        match segment.split_once('[') {
            Some((name, rest)) => {
                parts.push(name.to_string());
                parts.push(format!("[{rest}"));
            }
            None => parts.push(segment.to_string()),
        }
    }
    let token = |p: &String| {
        p.strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .map_or_else(|| p.replace('~', "~0").replace('/', "~1"), str::to_string)
    };
    while parts.len() > 1 {
        let (last, parents) = parts
            .split_last()
            .map(|(l, p)| (l.clone(), p.to_vec()))
            .unwrap_or_default();
        let pointer: String = parents.iter().map(|p| format!("/{}", token(p))).collect();
        let index = last
            .strip_prefix('[')
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|n| n.parse::<usize>().ok());
        let gone = match (spec.pointer_mut(&pointer), index) {
            (Some(Value::Object(map)), None) => map.remove(&last).is_some(),
            (Some(Value::Array(list)), Some(i)) if i < list.len() => {
                list.remove(i);
                true
            }
            _ => false,
        };
        if gone {
            return parts.join(".").replace(".[", "[");
        }
        parts.pop();
    }
    field.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_blamed_field_or_its_nearest_parent_is_removed() {
        let mut spec = json!({"spec": {"stickiness": {"mode": "cookie"}, "ports": [{"port": 80, "protocol": "TLS"}]}});
        assert_eq!(
            remove(&mut spec, "spec.ports[0].protocol"),
            "spec.ports[0].protocol"
        );
        assert_eq!(
            remove(&mut spec, "spec.stickiness.timeout"),
            "spec.stickiness"
        );
        assert_eq!(spec, json!({"spec": {"ports": [{"port": 80}]}}));
    }
}
