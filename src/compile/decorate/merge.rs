//! What a decoration writes into the target: the fields lbgen owns, taken from the
//! object the pack rendered for the completed spec, and nothing else.
//!
//! Owned, on both kinds: every annotation the pack renders (the provider's and the spec's
//! `metadata.annotations`) and the spec's `metadata.labels` (not lbgen's managed-by label:
//! the object stays its generator's, and `diff --prune` never takes it for lbgen's).
//! A Service also gets `spec.type: LoadBalancer`, `spec.externalTrafficPolicy` and
//! `spec.loadBalancerClass` (as rendered: absent removes it); an Ingress gets
//! `spec.ingressClassName` (as rendered: a pack that names its class by annotation
//! removes it, since the API refuses both). Where the object already holds another
//! value, that is an error unless `spec.decorate.takeOver` lists the key or field.

use super::Target;
use crate::diag::{Diagnostic, Location};
use crate::provider::MANAGED_BY;
use crate::spec::model::DecoratedKind;
use serde_json::{Map, Value};

/// A field lbgen owns beside annotations and labels.
struct Owned {
    /// Its path, as `takeOver` and messages name it.
    field: &'static str,
    /// Its key under `spec`.
    key: &'static str,
    /// Another value on the object is lbgen's to replace without asking (`type`).
    always: bool,
    /// The API server's default: rendered where the object leaves the field out, it is
    /// not written (the object then says no more than it did).
    api_default: Option<&'static str>,
}

/// The owned fields of a kind beside annotations and labels.
fn owned_fields(kind: DecoratedKind) -> &'static [Owned] {
    const fn owned(
        field: &'static str,
        key: &'static str,
        always: bool,
        api_default: Option<&'static str>,
    ) -> Owned {
        Owned {
            field,
            key,
            always,
            api_default,
        }
    }
    const SERVICE: &[Owned] = &[
        owned("spec.type", "type", true, None),
        owned(
            "spec.externalTrafficPolicy",
            "externalTrafficPolicy",
            false,
            Some("Cluster"),
        ),
        owned("spec.loadBalancerClass", "loadBalancerClass", false, None),
    ];
    const INGRESS: &[Owned] = &[owned(
        "spec.ingressClassName",
        "ingressClassName",
        false,
        None,
    )];
    match kind {
        DecoratedKind::Service => SERVICE,
        DecoratedKind::Ingress => INGRESS,
    }
}

/// The target with the decoration merged in, or every conflict.
pub(super) fn merge(
    object: &Value,
    rendered: &Value,
    take_over: &[String],
    target: &Target,
    spec: &Location,
) -> Result<Value, Vec<Diagnostic>> {
    let mut out = object.clone();
    let mut errors = Vec::new();
    let conflict = |field: &str, theirs: &Value, ours: &Value| {
        let at = target.document.locate(field);
        Diagnostic {
            field: Some("spec.decorate.takeOver".into()),
            ..Diagnostic::error(
                "decorate/conflict",
                format!(
                    "{} already sets `{field}` to {theirs} at {}:{}:{}, and the spec would set {}; change it where the object is generated (the chart's values), or list `{}` in spec.decorate.takeOver to let lbgen replace it",
                    target.describe(),
                    at.file,
                    at.line,
                    at.column,
                    if ours.is_null() {
                        "none (the provider does not use it)".to_string()
                    } else {
                        ours.to_string()
                    },
                    field
                        .split_once("[\"")
                        .map_or(field, |(_, k)| k.trim_end_matches("\"]")),
                ),
                Some(spec.clone()),
            )
        }
    };
    unknown_take_over(rendered, take_over, target, spec, &mut errors);
    for (section, skip) in [("annotations", None), ("labels", Some(MANAGED_BY.0))] {
        let Some(wanted) = rendered
            .pointer(&format!("/metadata/{section}"))
            .and_then(Value::as_object)
        else {
            continue;
        };
        let wanted: Vec<(&String, &Value)> = wanted
            .iter()
            .filter(|(k, _)| Some(k.as_str()) != skip)
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let Some(map) = section_of(&mut out, section) else {
            let at = target.document.locate(&format!("metadata.{section}"));
            errors.push(Diagnostic::error(
                "decorate/conflict",
                format!(
                    "{} has `metadata.{section}` at {}:{}:{} that is not a mapping, so lbgen cannot add its {section} to it; fix the generator's output",
                    target.describe(),
                    at.file,
                    at.line,
                    at.column
                ),
                Some(spec.clone()),
            ));
            continue;
        };
        for (key, value) in wanted {
            match map.get(key) {
                Some(existing) if existing != value && !take_over.contains(key) => {
                    errors.push(conflict(
                        &format!("metadata.{section}[\"{key}\"]"),
                        existing,
                        value,
                    ));
                }
                _ => {
                    map.insert(key.clone(), value.clone());
                }
            }
        }
    }
    let spec_of = |v: &Value, key: &str| v.pointer(&format!("/spec/{key}")).cloned();
    for owned in owned_fields(target.kind) {
        let (field, key) = (owned.field, owned.key);
        let ours = spec_of(rendered, key);
        let theirs = spec_of(object, key);
        let defaulted = theirs.is_none()
            && owned.api_default.is_some()
            && ours.as_ref().and_then(Value::as_str) == owned.api_default;
        if ours == theirs || defaulted {
            continue;
        }
        if let Some(theirs) = &theirs
            && !owned.always
            && !take_over.iter().any(|t| t == field)
        {
            errors.push(conflict(
                field,
                theirs,
                ours.as_ref().unwrap_or(&Value::Null),
            ));
            continue;
        }
        // An object without a `spec` mapping has no ports or rules: its completion has
        // already failed the run.
        let Some(body) = out.get_mut("spec").and_then(Value::as_object_mut) else {
            continue;
        };
        match ours {
            Some(v) => body.insert(key.into(), v),
            None => body.remove(key),
        };
    }
    if target.kind == DecoratedKind::Ingress {
        super::routes::unowned_path_fields(object, rendered, target, spec, &mut errors);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// A `takeOver` entry that names nothing lbgen writes on the object would be a setting
/// that does nothing (a misspelt key): an error that lists what it may name.
fn unknown_take_over(
    rendered: &Value,
    take_over: &[String],
    target: &Target,
    spec: &Location,
    errors: &mut Vec<Diagnostic>,
) {
    let keys = |section: &str| -> Vec<String> {
        rendered
            .pointer(&format!("/metadata/{section}"))
            .and_then(Value::as_object)
            .map(|m| m.keys().filter(|k| *k != MANAGED_BY.0).cloned().collect())
            .unwrap_or_default()
    };
    let mut known = keys("annotations");
    known.extend(keys("labels"));
    known.extend(
        owned_fields(target.kind)
            .iter()
            .filter(|o| !o.always)
            .map(|o| o.field.to_string()),
    );
    for entry in take_over.iter().filter(|e| !known.contains(e)) {
        errors.push(Diagnostic {
            field: Some("spec.decorate.takeOver".into()),
            ..Diagnostic::error(
                "decorate/take-over",
                format!(
                    "spec.decorate.takeOver names `{entry}`, which lbgen does not write on {}; list only what it writes: {}",
                    target.describe(),
                    known.join(", ")
                ),
                Some(spec.clone()),
            )
        });
    }
}

/// `metadata.<section>` of `object` as a map, created when absent or null (`None` when
/// the object's metadata is not a mapping: its identity check has failed the run).
fn section_of<'a>(object: &'a mut Value, section: &str) -> Option<&'a mut Map<String, Value>> {
    let metadata = object
        .as_object_mut()?
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    let entry = metadata
        .as_object_mut()?
        .entry(section)
        .or_insert_with(|| Value::Object(Map::new()));
    if entry.is_null() {
        *entry = Value::Object(Map::new());
    }
    entry.as_object_mut()
}

#[cfg(test)]
mod tests {
    use super::merge;
    use crate::compile::decorate::Target;
    use crate::diag::Location;
    use crate::spec::load::Document;
    use crate::spec::model::DecoratedKind;
    use serde_json::{Value, json};

    fn target(value: &Value) -> Target {
        let text = serde_saphyr::to_string(value).expect("yaml");
        let root = crate::yaml::node::parse_stream(&text)
            .expect("parse")
            .into_iter()
            .flatten()
            .next()
            .expect("one document");
        Target {
            kind: DecoratedKind::Ingress,
            namespace: "default".into(),
            name: "web".into(),
            value: value.clone(),
            document: Document {
                file: "chart.yaml".into(),
                root: std::sync::Arc::new(root),
            },
            named_at: Location {
                file: "lb.yaml".into(),
                line: 7,
                column: 3,
            },
        }
    }

    #[test]
    fn a_class_named_by_annotation_removes_the_field_only_when_taken_over() {
        let object = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"ingressClassName": "nginx", "rules": [{"host": "a"}]}});
        let rendered = json!({"metadata": {
                "annotations": {"kubernetes.io/ingress.class": "qcloud"},
                "labels": {"app.kubernetes.io/managed-by": "kubectl-lbgen"}},
            "spec": {"rules": []}});
        let at = Location {
            file: "lb.yaml".into(),
            line: 1,
            column: 1,
        };
        let t = target(&object);
        let refused = merge(&object, &rendered, &[], &t, &at).expect_err("a conflict");
        assert!(
            refused[0]
                .message
                .contains("`spec.ingressClassName` to \"nginx\"")
        );
        let done = merge(
            &object,
            &rendered,
            &["spec.ingressClassName".into()],
            &t,
            &at,
        )
        .expect("taken over");
        assert_eq!(done["spec"].get("ingressClassName"), None);
        assert_eq!(done["spec"]["rules"], object["spec"]["rules"], "rules stay");
        assert_eq!(
            done["metadata"]["annotations"]["kubernetes.io/ingress.class"],
            "qcloud"
        );
        assert_eq!(
            done["metadata"]["labels"],
            json!({"app": "web"}),
            "no managed-by"
        );
    }
}
