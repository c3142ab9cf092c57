//! The KRM function (`kubectl lbgen krm`): a `config.kubernetes.io/v1` `ResourceList` in,
//! the same list out with every `LoadBalancer` replaced by its rendered objects.
//!
//! Follows the KRM Functions Specification (kpt, kustomize): other items pass through
//! untouched (their `config.kubernetes.io/*` annotations included), a `LoadBalancer` given
//! as `functionConfig` (how kustomize runs an exec generator) is rendered too, rendered
//! objects get a `config.kubernetes.io/path` beside their spec, and every diagnostic becomes
//! a `results` entry with severity, resource, field and file.

use crate::diag::{Diagnostic, Severity};
use crate::plan::Overrides;
use crate::policy::engine::PolicySet;
use crate::render::Renderer;
use crate::spec::load::Source;
use crate::spec::model::{API_VERSION, KIND};
use serde_json::{Map, Value, json};

/// Annotation prefixes that belong to the orchestrator, not to the spec.
const ORCHESTRATOR_PREFIXES: &[&str] = &[
    "config.kubernetes.io/",
    "internal.config.kubernetes.io/",
    "config.k8s.io/",
];

/// The output ResourceList, and whether the function succeeded (exit 0) or not (exit 1).
pub struct Outcome {
    /// The ResourceList to print (YAML).
    pub resource_list: Value,
    /// False when any error was found: items are then returned unchanged.
    pub ok: bool,
}

/// Why the input could not be read at all.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InputError(String);

/// Where a spec came from in the input: its file annotation and the object it names.
struct Origin {
    path: Option<String>,
    index: Option<i64>,
    reference: Value,
}

/// The ResourceList as JSON: lbgen's own specs (and the functionConfig) as its loader reads
/// a spec file (YAML 1.2), every other item as Kubernetes reads YAML, because it passes
/// through to kubectl (`Node::to_kubernetes_json`: `0644` is 420 there).
fn list_to_json(list: &crate::spec::node::Node) -> Value {
    use crate::spec::node::NodeValue;
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

/// Runs the function over the text of a ResourceList.
pub fn run(input: &str, policies: &PolicySet, renderer: &Renderer) -> Result<Outcome, InputError> {
    let docs = crate::spec::node::parse_stream(input).map_err(|e| {
        InputError(format!(
            "stdin is not YAML: {} at line {}",
            e.message, e.span.line
        ))
    })?;
    let mut documents = docs.into_iter().flatten();
    let list = documents.next().map(|n| list_to_json(&n)).ok_or_else(|| {
        InputError("stdin is empty: expected a config.kubernetes.io/v1 ResourceList".into())
    })?;
    // The KRM functions spec: stdin is exactly one ResourceList. A second document would
    // be dropped from the output, and the orchestrator would delete what it held.
    if documents.next().is_some() {
        return Err(InputError(
            "stdin holds more than one YAML document: a KRM function reads exactly one ResourceList (apiVersion: config.kubernetes.io/v1); put every resource in its `items`".into(),
        ));
    }
    let api_version = list.get("apiVersion").and_then(Value::as_str);
    // kpt and kustomize send `config.kubernetes.io/v1`; the KRM functions spec's older
    // examples show `v1beta1`, which kustomize still accepts.
    let known_version = matches!(
        api_version,
        Some("config.kubernetes.io/v1" | "config.kubernetes.io/v1beta1")
    );
    if list.get("kind").and_then(Value::as_str) != Some("ResourceList") || !known_version {
        return Err(InputError(format!(
            "expected a ResourceList (apiVersion: config.kubernetes.io/v1) on stdin, not {} {}",
            api_version.unwrap_or("(no apiVersion)"),
            list.get("kind")
                .and_then(Value::as_str)
                .unwrap_or("(no kind)")
        )));
    }
    let config = list.get("functionConfig").cloned().unwrap_or(Value::Null);
    let (items, mut refused) = match list.get("items") {
        Some(Value::Array(items)) => (items.clone(), Vec::new()),
        None | Some(Value::Null) => (Vec::new(), Vec::new()),
        Some(other) => (
            Vec::new(),
            vec![error_result(
                format!(
                    "`items` must be a list of resources, not {}; nothing was rendered",
                    kind_of(other)
                ),
                "items",
            )],
        ),
    };
    let overrides = match overrides_from(&config) {
        Ok(o) => o,
        Err(r) => {
            refused.push(r);
            Overrides::default()
        }
    };
    if !refused.is_empty() {
        // The KRM spec: an error is a `results` entry of severity error and a non-zero
        // exit; the items go back unchanged.
        return Ok(Outcome {
            resource_list: resource_list(items, config, refused),
            ok: false,
        });
    }

    let mut kept = Vec::new();
    let mut sources = Vec::new();
    let mut origins = Vec::new();
    let specs = items
        .iter()
        .map(|i| (i, false))
        .chain(is_spec(&config).then_some((&config, true)));
    for (item, from_config) in specs {
        if !is_spec(item) {
            kept.push(item.clone());
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
        origins.push(Origin {
            path: path.clone(),
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
            format!("items[{}]", origins.len() - 1)
        };
        let text = serde_saphyr::to_string(&without_orchestrator_annotations(item))
            .map_err(|e| InputError(e.to_string()))?;
        sources.push(Source { name, text });
    }
    // Rendered objects are given a path beside their spec's: a spec's path that is not a
    // plain relative one would make the orchestrator write them anywhere (`kpt fn sink`).
    let bad_paths: Vec<Value> = origins
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
        .collect();
    if !bad_paths.is_empty() {
        return Ok(Outcome {
            resource_list: resource_list(items, config, bad_paths),
            ok: false,
        });
    }
    let source_origin = |file: &str| -> Option<&Origin> {
        match file {
            "functionConfig" => origins.last(),
            f => f
                .strip_prefix("items[")
                .and_then(|r| r.strip_suffix(']'))
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| origins.get(i)),
        }
    };
    let (objects, diagnostics, ok) = if sources.is_empty() {
        (Vec::new(), Vec::new(), true)
    } else {
        match crate::compile::compile(&sources, &overrides, policies, renderer) {
            Ok(c) => {
                let namespace = overrides.namespace.as_deref().unwrap_or("default");
                let (diagnostics, ok) = patch_items(c.patches, c.diagnostics, &mut kept, namespace);
                (c.objects, diagnostics, ok)
            }
            Err(d) => (Vec::new(), d, false),
        }
    };
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| result(d, d.location.as_ref().and_then(|l| source_origin(&l.file))))
        .collect();
    let out_items: Vec<Value> = if ok {
        let dir = origins
            .first()
            .and_then(|o| o.path.as_deref())
            .and_then(|p| p.rsplit_once('/'))
            .map(|(d, _)| format!("{d}/"))
            .unwrap_or_default();
        kept.into_iter()
            .chain(objects.into_iter().map(|o| with_path(o.0, &dir)))
            .collect()
    } else {
        items
    };
    Ok(Outcome {
        resource_list: resource_list(out_items, config, results),
        ok,
    })
}

/// The output ResourceList.
fn resource_list(items: Vec<Value>, config: Value, results: Vec<Value>) -> Value {
    let mut out = Map::new();
    out.insert("apiVersion".into(), json!("config.kubernetes.io/v1"));
    out.insert("kind".into(), json!("ResourceList"));
    out.insert("items".into(), Value::Array(items));
    if !config.is_null() {
        out.insert("functionConfig".into(), config);
    }
    if !results.is_empty() {
        out.insert("results".into(), Value::Array(results));
    }
    Value::Object(out)
}

/// A `results` entry of severity error about a field of the ResourceList.
fn error_result(message: String, field: &str) -> Value {
    json!({"message": message, "severity": "error", "field": {"path": field}})
}

fn kind_of(v: &Value) -> &'static str {
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

/// Merges each pending patch into the item it targets, in place (the item keeps its
/// orchestrator annotations); a patch applied here drops its "not in the input" warning.
/// A patch that cannot apply is an error result (and the function fails).
fn patch_items(
    patches: Vec<crate::patch::Pending>,
    mut diagnostics: Vec<Diagnostic>,
    items: &mut [Value],
    namespace: &str,
) -> (Vec<Diagnostic>, bool) {
    let mut ok = true;
    for p in patches {
        match crate::patch::apply_to(&p.object, p.first_container, items, namespace) {
            Ok(false) => {}
            Ok(true) => diagnostics.retain(|d| *d != p.warning),
            Err(message) => {
                ok = false;
                diagnostics.retain(|d| *d != p.warning);
                diagnostics.push(Diagnostic {
                    severity: Severity::Error,
                    message,
                    ..p.warning
                });
            }
        }
    }
    (diagnostics, ok)
}

fn is_spec(v: &Value) -> bool {
    v.get("apiVersion").and_then(Value::as_str) == Some(API_VERSION)
        && v.get("kind").and_then(Value::as_str) == Some(KIND)
}

/// `provider` and `namespace` from a ConfigMap-style functionConfig (`data:`), if any,
/// each checked: an unknown provider or a namespace that is not a DNS-1123 label is a
/// `results` error, never ignored or emitted.
fn overrides_from(config: &Value) -> Result<Overrides, Value> {
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
            <crate::spec::model::Provider as clap::ValueEnum>::from_str(&p, true).map_err(
                |_| {
                    error_result(
                        format!(
                            "functionConfig `data.provider: {}` is not a provider; use huawei, alibaba or tencent",
                            p.escape_debug()
                        ),
                        "data.provider",
                    )
                },
            )?,
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

/// Gives a rendered object a file beside its spec: `<dir>/<kind>_<name>.yaml`.
fn with_path(mut object: Value, dir: &str) -> Value {
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = object
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let path = format!("{dir}{kind}_{name}.yaml");
    if let Some(meta) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        let annotations = meta.entry("annotations").or_insert_with(|| json!({}));
        if let Some(a) = annotations.as_object_mut() {
            a.insert("config.kubernetes.io/path".into(), json!(path));
            a.insert("internal.config.kubernetes.io/path".into(), json!(path));
        }
    }
    object
}

fn result(d: &Diagnostic, origin: Option<&Origin>) -> Value {
    let mut r = json!({
        "message": format!("{} [{}]", d.message, d.rule),
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
    });
    if let Some(o) = origin {
        r["resourceRef"] = o.reference.clone();
        if let Some(p) = &o.path {
            r["file"] = json!({"path": p, "index": o.index.unwrap_or(0)});
        }
    }
    if let Some(f) = &d.field {
        r["field"] = json!({"path": f});
    }
    r
}
