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

/// Runs the function over the text of a ResourceList.
pub fn run(input: &str, policies: &PolicySet, renderer: &Renderer) -> Result<Outcome, InputError> {
    let docs = crate::spec::node::parse_stream(input).map_err(|e| {
        InputError(format!(
            "stdin is not YAML: {} at line {}",
            e.message, e.span.line
        ))
    })?;
    let list = docs
        .into_iter()
        .flatten()
        .next()
        .map(|n| n.to_json())
        .ok_or_else(|| {
            InputError("stdin is empty: expected a config.kubernetes.io/v1 ResourceList".into())
        })?;
    if list.get("kind").and_then(Value::as_str) != Some("ResourceList") {
        return Err(InputError(
            "expected a ResourceList (apiVersion: config.kubernetes.io/v1) on stdin".into(),
        ));
    }
    let items = list
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let config = list.get("functionConfig").cloned().unwrap_or(Value::Null);
    let overrides = overrides_from(&config);

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
        match crate::compile(&sources, &overrides, policies, renderer) {
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
    let mut out = Map::new();
    out.insert("apiVersion".into(), json!("config.kubernetes.io/v1"));
    out.insert("kind".into(), json!("ResourceList"));
    out.insert("items".into(), Value::Array(out_items));
    if !config.is_null() {
        out.insert("functionConfig".into(), config);
    }
    if !results.is_empty() {
        out.insert("results".into(), Value::Array(results));
    }
    Ok(Outcome {
        resource_list: Value::Object(out),
        ok,
    })
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

/// `provider` and `namespace` from a ConfigMap-style functionConfig (`data:`), if any.
fn overrides_from(config: &Value) -> Overrides {
    let data = |k: &str| {
        config
            .pointer(&format!("/data/{k}"))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    Overrides {
        provider: data("provider").and_then(|p| {
            <crate::spec::model::Provider as clap::ValueEnum>::from_str(&p, true).ok()
        }),
        namespace: data("namespace"),
        specs_only: false,
    }
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
