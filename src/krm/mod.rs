//! The KRM function (`kubectl lbgen krm`): a `config.kubernetes.io/v1` `ResourceList` in,
//! the same list out with every `LoadBalancer` replaced by its rendered objects.
//!
//! Follows the KRM Functions Specification (kpt, kustomize): other items pass through
//! untouched (their `config.kubernetes.io/*` annotations included), a `LoadBalancer` given
//! as `functionConfig` (how kustomize runs an exec generator) is rendered too, rendered
//! objects get a `config.kubernetes.io/path` beside their spec, and every diagnostic becomes
//! a `results` entry with severity, resource, field and file. Reading the list is `input`,
//! writing it `output`.

mod input;
mod output;
mod targets;

use crate::plan::Overrides;
use crate::policy::engine::PolicySet;
use crate::render::Renderer;
use input::{Origin, Specs};
use output::{error_result, resource_list};
use serde_json::Value;

/// The output ResourceList, and whether the function succeeded (exit 0) or not (exit 1).
pub struct Outcome {
    /// The ResourceList to print (YAML).
    pub resource_list: Value,
    /// False when any error was found: items are then returned unchanged.
    pub ok: bool,
}

/// Why the input could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// Stdin is not YAML.
    #[error("stdin is not YAML: {message} at line {line}")]
    NotYaml {
        /// The parser's message.
        message: String,
        /// Where it stopped.
        line: usize,
    },
    /// Stdin holds no document.
    #[error("stdin is empty: expected a config.kubernetes.io/v1 ResourceList")]
    Empty,
    /// Stdin holds more than the one ResourceList.
    #[error(
        "stdin holds more than one YAML document: a KRM function reads exactly one ResourceList (apiVersion: config.kubernetes.io/v1); put every resource in its `items`"
    )]
    SeveralDocuments,
    /// The document is something else.
    #[error(
        "expected a ResourceList (apiVersion: config.kubernetes.io/v1) on stdin, not {api_version} {kind}"
    )]
    NotResourceList {
        /// Its apiVersion, or `(no apiVersion)`.
        api_version: String,
        /// Its kind, or `(no kind)`.
        kind: String,
    },
    /// A spec item could not be written back as YAML for the loader.
    #[error("{0}")]
    Spec(#[from] serde_saphyr::SerializeError),
}

/// Runs the function over the text of a ResourceList.
pub fn run(input: &str, policies: &PolicySet, renderer: &Renderer) -> Result<Outcome, InputError> {
    let list = input::read_list(input)?;
    let config = list.get("functionConfig").cloned().unwrap_or(Value::Null);
    let (items, mut refused) = match list.get("items") {
        Some(Value::Array(items)) => (items.clone(), Vec::new()),
        None | Some(Value::Null) => (Vec::new(), Vec::new()),
        Some(other) => (
            Vec::new(),
            vec![error_result(
                format!(
                    "`items` must be a list of resources, not {}; nothing was rendered",
                    input::kind_of(other)
                ),
                "items",
            )],
        ),
    };
    let overrides = input::overrides_from(&config).unwrap_or_else(|r| {
        refused.push(r);
        Overrides::default()
    });
    if !refused.is_empty() {
        // The KRM spec: an error is a `results` entry of severity error and a non-zero
        // exit; the items go back unchanged.
        return Ok(refuse(items, config, refused));
    }
    let Specs {
        mut kept,
        mut sources,
        origins,
    } = input::specs(&items, &config)?;
    // Decorated items are compiled with the specs and put back in place (`targets`).
    let passed = if targets::decorating(&items, &config) {
        let (more, passed) = targets::as_sources(&kept)?;
        sources.extend(more);
        passed
    } else {
        Vec::new()
    };
    // Rendered objects are given a path beside their spec's: a spec's path that is not a
    // plain relative one would make the orchestrator write them anywhere (`kpt fn sink`).
    let bad_paths = input::bad_paths(&origins);
    if !bad_paths.is_empty() {
        return Ok(refuse(items, config, bad_paths));
    }
    let (objects, diagnostics, ok) = if sources.is_empty() {
        (Vec::new(), Vec::new(), true)
    } else {
        match crate::compile::compile(&sources, &overrides, policies, renderer) {
            Ok(c) => {
                let namespace = overrides.namespace.as_deref().unwrap_or("default");
                let (diagnostics, ok) =
                    output::patch_items(c.patches, c.diagnostics, &mut kept, namespace);
                let rendered = targets::put_back(&mut kept, &passed, c.objects);
                (rendered, diagnostics, ok)
            }
            Err(d) => (Vec::new(), d, false),
        }
    };
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let origin = d
                .location
                .as_ref()
                .and_then(|l| origin_of(&origins, &l.file));
            output::result(d, origin)
        })
        .collect();
    let out_items: Vec<Value> = if ok {
        let dir = origins
            .first()
            .and_then(|o| o.path.as_deref())
            .and_then(|p| p.rsplit_once('/'))
            .map(|(d, _)| format!("{d}/"))
            .unwrap_or_default();
        kept.into_iter()
            .chain(objects.into_iter().map(|o| output::with_path(o.0, &dir)))
            .collect()
    } else {
        items
    };
    Ok(Outcome {
        resource_list: resource_list(out_items, config, results),
        ok,
    })
}

/// The items back unchanged, with the results that say why.
fn refuse(items: Vec<Value>, config: Value, results: Vec<Value>) -> Outcome {
    Outcome {
        resource_list: resource_list(items, config, results),
        ok: false,
    }
}

/// The spec a diagnostic's file (`items[N]`, `functionConfig`) names.
fn origin_of<'a>(origins: &'a [Origin], file: &str) -> Option<&'a Origin> {
    match file {
        "functionConfig" => origins.last(),
        f => f
            .strip_prefix("items[")
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| origins.get(i)),
    }
}
