//! Decorate mode (`spec.decorate`): a spec names a Service or Ingress of the input (a
//! chart's output) instead of describing a new one.
//!
//! Before planning, each decorating spec finds its target by key (kind, namespace, name:
//! one hash lookup, never a scan) and is completed from it (`complete`); after rendering,
//! the object the pack rendered for it is merged into the target (`merge`) and dropped,
//! so the target keeps its place and every field lbgen does not own. A target missing from
//! the input, or decorated twice, is an error at the spec.

mod complete;
mod merge;
mod routes;

use super::{CompiledSpec, Origin};
use crate::diag::{Diagnostic, Location, Severity};
use crate::emit::Object;
use crate::plan::Overrides;
use crate::spec::load::{Document, Item};
use crate::spec::model::DecoratedKind;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// What identifies a target: kind, namespace (defaulted), name.
type Key = (DecoratedKind, String, String);

/// The object a spec decorates, as the input holds it.
pub(super) struct Target {
    pub(super) kind: DecoratedKind,
    pub(super) namespace: String,
    pub(super) name: String,
    pub(super) value: Value,
    pub(super) document: Document,
    /// Where the spec names it (`spec.decorate`): what conflicts found after rendering
    /// point at.
    pub(super) named_at: Location,
}

impl Target {
    /// `Service web/api` for messages.
    pub(super) fn describe(&self) -> String {
        format!("{} {}/{}", self.kind.as_str(), self.namespace, self.name)
    }
}

/// The decoratable kind of a passed-through object: a core `Service`, an Ingress of
/// `networking.k8s.io` or `extensions` (a Knative `Service` is not one).
fn decoratable(value: &Value) -> Option<DecoratedKind> {
    let api = value.get("apiVersion").and_then(Value::as_str)?;
    let group = api.split_once('/').map_or("", |(g, _)| g);
    match (group, value.get("kind").and_then(Value::as_str)?) {
        ("", "Service") => Some(DecoratedKind::Service),
        ("networking.k8s.io" | "extensions", "Ingress") => Some(DecoratedKind::Ingress),
        _ => None,
    }
}

fn key_of(value: &Value, default_namespace: &str) -> Option<Key> {
    let kind = decoratable(value)?;
    let field = |p: &str| value.pointer(p).and_then(Value::as_str).unwrap_or_default();
    let namespace = match field("/metadata/namespace") {
        "" => default_namespace,
        ns => ns,
    };
    Some((
        kind,
        namespace.to_string(),
        field("/metadata/name").to_string(),
    ))
}

/// The targets found before planning, kept for the merge after rendering.
#[derive(Default)]
pub(super) struct Targets(HashMap<Key, Target>);

/// Completes every decorating spec of `items` from its target. A spec that cannot be
/// completed is dropped from `items` with its errors (the run fails).
pub(super) fn complete_specs(
    items: &mut Vec<Item>,
    overrides: &Overrides,
    diagnostics: &mut Vec<Diagnostic>,
) -> Targets {
    let default_namespace = overrides.namespace.as_deref().unwrap_or("default");
    let wanted = items.iter().any(|item| match item {
        Item::LoadBalancer(lb, _) => lb.spec.decorate.is_some(),
        Item::Passthrough(..) => false,
    });
    if !wanted {
        return Targets::default();
    }
    let index: HashMap<Key, usize> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match item {
            Item::Passthrough(value, _) => key_of(value, default_namespace).map(|k| (k, i)),
            Item::LoadBalancer(..) => None,
        })
        .collect();
    // A source that is not YAML may hold the target: its error says what to fix first.
    let unread = diagnostics.iter().any(|d| d.rule == "load/yaml");
    let mut targets = Targets::default();
    let mut claimed: HashMap<Key, Location> = HashMap::new();
    let mut dropped = HashSet::new();
    for i in 0..items.len() {
        let Item::LoadBalancer(lb, doc) = &items[i] else {
            continue;
        };
        let Some(decorate) = &lb.spec.decorate else {
            continue;
        };
        let namespace = lb
            .metadata
            .namespace
            .as_ref()
            .map_or(default_namespace, |n| n.0.as_str());
        let key: Key = (
            decorate.kind,
            namespace.to_string(),
            decorate.name.0.clone(),
        );
        let here = doc.locate("spec.decorate.name");
        let error = |message: String| Diagnostic {
            field: Some("spec.decorate".into()),
            ..Diagnostic::error("decorate/target", message, Some(here.clone()))
        };
        let Some(&t) = index.get(&key) else {
            dropped.insert(i);
            if unread {
                continue;
            }
            if overrides.specs_only {
                // A hook hands over spec files only: the target cannot be there.
                diagnostics.push(Diagnostic {
                    severity: Severity::Warning,
                    ..error(format!(
                        "with --specs-only the {} it decorates is not read, so only the spec's fields were checked; validate it with the generator's output (-f chart.yaml -f specs/) to judge it",
                        decorate.kind.as_str()
                    ))
                });
                continue;
            }
            diagnostics.push(error(format!(
                "{} {namespace}/{} is not in the input, so there is nothing to decorate; pass the chart's output in the same inputs (render -f chart.yaml -f specs/, or as a Helm post-renderer), or fix spec.decorate.name or metadata.namespace",
                decorate.kind.as_str(),
                decorate.name.0
            )));
            continue;
        };
        if let Some(first) = claimed.get(&key) {
            diagnostics.push(error(format!(
                "{} {namespace}/{} is already decorated by the spec at {}:{}:{}; one object takes one spec",
                decorate.kind.as_str(),
                decorate.name.0,
                first.file,
                first.line,
                first.column
            )));
            dropped.insert(i);
            continue;
        }
        claimed.insert(key.clone(), here.clone());
        let Item::Passthrough(value, document) = &items[t] else {
            continue;
        };
        let target = Target {
            kind: decorate.kind,
            namespace: namespace.to_string(),
            name: decorate.name.0.clone(),
            value: value.clone(),
            document: document.clone(),
            named_at: doc.locate("spec.decorate"),
        };
        match complete::complete(lb, doc, &target) {
            Ok(done) => {
                let doc = doc.clone();
                items[i] = Item::LoadBalancer(Box::new(done), doc);
                targets.0.insert(key, target);
            }
            Err(errors) => {
                diagnostics.extend(errors);
                dropped.insert(i);
            }
        }
    }
    if !dropped.is_empty() {
        let mut i = 0;
        items.retain(|_| {
            i += 1;
            !dropped.contains(&(i - 1))
        });
    }
    targets
}

/// Merges what each decorating spec rendered for its target into the target, in place,
/// and drops the rendered copy; the target's origin becomes its spec's.
pub(super) fn apply(
    targets: &Targets,
    objects: &mut Vec<(Object, Origin)>,
    specs: &[CompiledSpec],
    default_namespace: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if targets.0.is_empty() {
        return;
    }
    let positions: HashMap<Key, usize> = objects
        .iter()
        .enumerate()
        .filter(|(_, (_, origin))| origin.spec.is_none())
        .filter_map(|(i, (o, _))| key_of(&o.0, default_namespace).map(|k| (k, i)))
        .filter(|(k, _)| targets.0.contains_key(k))
        .collect();
    let mut rendered = Vec::new();
    for (i, (object, origin)) in objects.iter().enumerate() {
        let Some(spec) = origin.spec else { continue };
        let Some(decorate) = specs.get(spec).and_then(|s| s.decorate.as_ref()) else {
            continue;
        };
        let key = key_of(&object.0, default_namespace);
        let wanted = (
            decorate.kind,
            specs[spec].plan.namespace.clone(),
            decorate.name.0.clone(),
        );
        if key.as_ref() == Some(&wanted) {
            rendered.push((i, wanted, spec));
        }
    }
    let mut gone = HashSet::new();
    for (i, key, spec) in rendered {
        let (Some(&at), Some(target)) = (positions.get(&key), targets.0.get(&key)) else {
            continue;
        };
        let take_over = specs[spec]
            .decorate
            .as_ref()
            .map_or(&[][..], |d| d.take_over.as_slice());
        let merged = merge::merge(
            &objects[at].0.0,
            &objects[i].0.0,
            take_over,
            target,
            &target.named_at,
        );
        match merged {
            Ok(value) => {
                objects[at].0 = Object(value);
                objects[at].1 = Origin {
                    location: specs[spec].location.clone(),
                    spec: Some(spec),
                };
            }
            Err(errors) => diagnostics.extend(errors),
        }
        gone.insert(i);
    }
    let mut i = 0;
    objects.retain(|_| {
        i += 1;
        !gone.contains(&(i - 1))
    });
}

#[cfg(test)]
mod tests {
    use super::key_of;
    use crate::spec::model::DecoratedKind;
    use serde_json::json;

    #[test]
    fn only_core_services_and_ingresses_are_targets_keyed_in_their_namespace() {
        let service = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}});
        assert_eq!(
            key_of(&service, "shop"),
            Some((DecoratedKind::Service, "shop".into(), "web".into()))
        );
        let old = json!({"apiVersion": "extensions/v1beta1", "kind": "Ingress",
            "metadata": {"name": "web", "namespace": "prod"}});
        assert_eq!(
            key_of(&old, "shop"),
            Some((DecoratedKind::Ingress, "prod".into(), "web".into()))
        );
        let knative = json!({"apiVersion": "serving.knative.dev/v1", "kind": "Service",
            "metadata": {"name": "web"}});
        assert_eq!(key_of(&knative, "shop"), None);
        let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web"}});
        assert_eq!(key_of(&deployment, "shop"), None);
    }
}
