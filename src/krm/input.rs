//! Reading a ResourceList: the one document on stdin, its spec items as sources for the
//! loader (orchestrator annotations stripped, the item's file remembered), and the
//! ConfigMap-style `functionConfig` settings.

use super::InputError;
use super::output::error_result;
use crate::plan::Overrides;
use crate::spec::load::Source;
use crate::spec::model::{API_VERSION, KIND};
use crate::yaml::node::{Node, NodeValue};
use serde_json::{Value, json};

/// Annotation prefixes that belong to the orchestrator, not to the spec.
const ORCHESTRATOR_PREFIXES: &[&str] = &[
    "config.kubernetes.io/",
    "internal.config.kubernetes.io/",
    "config.k8s.io/",
];

/// Where a spec came from in the input: its file annotation and the object it names.
pub(super) struct Origin {
    pub(super) path: Option<String>,
    pub(super) index: Option<i64>,
    pub(super) reference: Value,
}

/// The items split: the ones kept as they are, and the specs as sources (`items[N]`,
/// `functionConfig`) with their origins (same order).
pub(super) struct Specs {
    pub(super) kept: Vec<Value>,
    pub(super) sources: Vec<Source>,
    pub(super) origins: Vec<Origin>,
}

/// The one ResourceList on stdin, as JSON.
pub(super) fn read_list(input: &str) -> Result<Value, InputError> {
    let docs = crate::yaml::node::parse_stream(input).map_err(|e| InputError::NotYaml {
        message: e.message,
        line: e.span.line(),
    })?;
    let mut documents = docs.into_iter().flatten();
    let list = documents
        .next()
        .map(|n| list_to_json(&n))
        .ok_or(InputError::Empty)?;
    // The KRM functions spec: stdin is exactly one ResourceList. A second document would
    // be dropped from the output, and the orchestrator would delete what it held.
    if documents.next().is_some() {
        return Err(InputError::SeveralDocuments);
    }
    let api_version = list.get("apiVersion").and_then(Value::as_str);
    // kpt and kustomize send `config.kubernetes.io/v1`; the KRM functions spec's older
    // examples show `v1beta1`, which kustomize still accepts.
    let known_version = matches!(
        api_version,
        Some("config.kubernetes.io/v1" | "config.kubernetes.io/v1beta1")
    );
    if list.get("kind").and_then(Value::as_str) != Some("ResourceList") || !known_version {
        return Err(InputError::NotResourceList {
            api_version: api_version.unwrap_or("(no apiVersion)").to_string(),
            kind: list
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or("(no kind)")
                .to_string(),
        });
    }
    Ok(list)
}

/// The ResourceList as JSON: lbgen's own specs (and the functionConfig) as its loader reads
/// a spec file (YAML 1.2), every other item as Kubernetes reads YAML, because it passes
/// through to kubectl (`Node::to_kubernetes_json`: `0644` is 420 there).
fn list_to_json(list: &Node) -> Value {
    let mut value = list.to_json();
    let item_nodes = match list.get("items").map(|n| &n.value) {
        Some(NodeValue::Seq(nodes)) => nodes,
        _ => return value,
    };
    if let Some(Value::Array(items)) = value.get_mut("items") {
        for (item, node) in items.iter_mut().zip(item_nodes) {
            if !is_spec(item) {
                *item = node.to_kubernetes_json();
            }
        }
    }
    value
}

/// Splits the items (and a spec given as `functionConfig`) into kept items and specs.
pub(super) fn specs(items: &[Value], config: &Value) -> Result<Specs, InputError> {
    let mut out = Specs {
        kept: Vec::new(),
        sources: Vec::new(),
        origins: Vec::new(),
    };
    let specs = items
        .iter()
        .map(|i| (i, false))
        .chain(is_spec(config).then_some((config, true)));
    for (item, from_config) in specs {
        if !is_spec(item) {
            out.kept.push(item.clone());
            continue;
        }
        let annotation = |key: &str| {
            item.pointer(&format!("/metadata/annotations/{}", key.replace('/', "~1")))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let path = annotation("internal.config.kubernetes.io/path")
            .or_else(|| annotation("config.kubernetes.io/path"));
        let index = annotation("internal.config.kubernetes.io/index")
            .or_else(|| annotation("config.kubernetes.io/index"))
            .and_then(|i| i.parse().ok());
        out.origins.push(Origin {
            path,
            index,
            reference: json!({
                "apiVersion": item.get("apiVersion"),
                "kind": item.get("kind"),
                "name": item.pointer("/metadata/name"),
                "namespace": item.pointer("/metadata/namespace"),
            }),
        });
        let name = if from_config {
            "functionConfig".to_string()
        } else {
            format!("items[{}]", out.origins.len() - 1)
        };
        let text = serde_saphyr::to_string(&without_orchestrator_annotations(item))?;
        out.sources.push(Source { name, text });
    }
    Ok(out)
}

/// An error result for every spec whose path is not a plain relative one.
pub(super) fn bad_paths(origins: &[Origin]) -> Vec<Value> {
    origins
        .iter()
        .filter_map(|o| o.path.as_deref())
        .filter(|p| !is_plain_relative(p))
        .map(|p| {
            error_result(
                format!(
                    "`config.kubernetes.io/path: {}` is not a plain relative path; rendered objects are written beside their spec, so it must stay inside the package (no `..`, no leading `/`)",
                    p.escape_debug()
                ),
                "metadata.annotations",
            )
        })
        .collect()
}

pub(super) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "a mapping",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Array(_) => "a list",
        Value::Null => "null",
    }
}

/// `a/b.yaml`, not `/a`, `../a`, `a/./b` or `a\\b`.
fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && std::path::Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

pub(super) fn is_spec(v: &Value) -> bool {
    v.get("apiVersion").and_then(Value::as_str) == Some(API_VERSION)
        && v.get("kind").and_then(Value::as_str) == Some(KIND)
}

/// `provider` and `namespace` from a ConfigMap-style functionConfig (`data:`), if any,
/// each checked: an unknown provider or a namespace that is not a DNS-1123 label is a
/// `results` error, never ignored or emitted.
pub(super) fn overrides_from(config: &Value) -> Result<Overrides, Value> {
    let data = |k: &str| -> Result<Option<String>, Value> {
        match config.pointer(&format!("/data/{k}")) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(error_result(
                format!(
                    "functionConfig `data.{k}` must be a string, not {}",
                    kind_of(other)
                ),
                &format!("data.{k}"),
            )),
        }
    };
    let provider = match data("provider")? {
        None => None,
        Some(p) => Some(
            crate::provider::ProviderId::parse_ignore_case(&p).ok_or_else(|| {
                error_result(
                    format!(
                        "functionConfig `data.provider: {}` is not a provider; use {}",
                        p.escape_debug(),
                        crate::provider::registry().ids_sentence()
                    ),
                    "data.provider",
                )
            })?,
        ),
    };
    let namespace = match data("namespace")? {
        None => None,
        Some(ns) => {
            crate::emit::check_namespace(&ns).map_err(|m| {
                error_result(
                    format!("functionConfig `data.namespace`: {m}"),
                    "data.namespace",
                )
            })?;
            Some(ns)
        }
    };
    Ok(Overrides {
        provider,
        namespace,
        specs_only: false,
    })
}

fn without_orchestrator_annotations(item: &Value) -> Value {
    let mut copy = item.clone();
    if let Some(a) = copy
        .pointer_mut("/metadata/annotations")
        .and_then(Value::as_object_mut)
    {
        a.retain(|k, _| !ORCHESTRATOR_PREFIXES.iter().any(|p| k.starts_with(p)));
    }
    let empty = copy
        .pointer("/metadata/annotations")
        .and_then(Value::as_object)
        .is_some_and(|a| a.is_empty());
    if let (true, Some(m)) = (
        empty,
        copy.get_mut("metadata").and_then(Value::as_object_mut),
    ) {
        m.remove("annotations");
    }
    copy
}
