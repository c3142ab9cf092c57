//! Decorate mode in a ResourceList: when a spec decorates (`spec.decorate`), the items it
//! may change (Services, Ingresses, and the workloads a provider patches) go through the
//! compilation beside the specs, and come back in their own place, decorated or as they
//! were, with their orchestrator annotations: a transformer returns every item.

use crate::emit::Object;
use crate::spec::load::Source;
use serde_json::Value;
use std::collections::HashMap;

/// Kinds a decoration or a workload patch may change.
const TARGET_KINDS: &[&str] = &[
    "Service",
    "Ingress",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
];

/// Whether any spec (an item or the `functionConfig`) decorates an object.
pub(super) fn decorating(items: &[Value], config: &Value) -> bool {
    items
        .iter()
        .chain(std::iter::once(config))
        .any(|i| super::input::is_spec(i) && i.pointer("/spec/decorate").is_some())
}

/// The kept items a decoration may change, as sources (one each, named after the item),
/// and their indices in `kept`.
pub(super) fn as_sources(
    kept: &[Value],
) -> Result<(Vec<Source>, Vec<usize>), serde_saphyr::SerializeError> {
    let mut sources = Vec::new();
    let mut indices = Vec::new();
    for (i, item) in kept.iter().enumerate() {
        let kind = item.get("kind").and_then(Value::as_str).unwrap_or_default();
        if !TARGET_KINDS.contains(&kind) {
            continue;
        }
        let object = Object(item.clone());
        sources.push(Source {
            name: format!("resource {}", object.describe()),
            text: serde_saphyr::to_string(item)?,
        });
        indices.push(i);
    }
    Ok((sources, indices))
}

/// Puts each compiled object that is one of the `passed` items back in its place in
/// `kept`; the others (rendered by specs) are returned, in emit order.
pub(super) fn put_back(kept: &mut [Value], passed: &[usize], objects: Vec<Object>) -> Vec<Object> {
    let places: HashMap<_, usize> = passed
        .iter()
        .map(|&i| (Object(kept[i].clone()).identity(), i))
        .collect();
    let mut rendered = Vec::new();
    for object in objects {
        match places.get(&object.identity()) {
            Some(&i) => kept[i] = object.0,
            None => rendered.push(object),
        }
    }
    rendered
}
