//! `kubectl lbgen import`: existing provider-annotated Services and Ingresses read back
//! into `lbgen.dev/v1alpha1` specs, with a report of what became of every annotation.
//!
//! The stage runs one way like the rest (spec load -> import -> compile): the input is
//! read by the spec loader (same budgets, same located errors), each object's provider is
//! detected from its annotation prefixes and Ingress class (`detect`), its core fields
//! become spec fields (`core`), its annotations are classified by the provider's catalogue
//! and pack (`annotations`), and the result is checked by rendering it with the normal
//! compile and comparing (`verify`): an annotation the render does not reproduce exactly
//! goes back to a raw annotation, so `render(import(m))` never changes a value. What
//! happened to each field and annotation is the `report`.

mod annotations;
mod core;
mod detect;
pub mod report;
mod spec_path;
mod verify;

use crate::diag::{Diagnostic, Location};
use crate::emit::{Object, ObjectId};
use crate::provider::ProviderId;
use crate::spec::load::{Document, Item, Source, parse_sources};
pub use report::{ObjectReport, Outcome, Report, ReportItem};
use serde_json::Value;

/// What `import` is told beyond its input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Import every load balancer as this provider's (`--provider`); `None`: detect.
    pub provider: Option<ProviderId>,
    /// Namespace of objects that name none (`-n`).
    pub namespace: Option<String>,
}

/// One output document.
#[derive(Debug, Clone)]
pub struct Output {
    /// The spec, or the input object passed through untouched.
    pub object: Object,
    /// Whether it is an imported spec (else passed through).
    pub imported: bool,
    /// The input object's identity (file names below `--out-dir`).
    pub id: Option<ObjectId>,
}

/// What an import gives: the documents in input order and the report.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// Specs and passed-through objects, in input order.
    pub outputs: Vec<Output>,
    /// Per object and annotation, what became of it.
    pub report: Report,
}

/// Imports every Service and Ingress of `sources`. A YAML or structure error of the input,
/// or an object whose annotations name two providers, is an error with its location.
pub fn import(sources: &[Source], options: &Options) -> Result<Imported, Vec<Diagnostic>> {
    let (items, mut errors) = parse_sources(sources, false);
    let checker = verify::Checker::new()?;
    let mut imported = Imported::default();
    for item in items {
        let (value, doc) = match item {
            Item::LoadBalancer(_, doc) => {
                // Already a spec: passed through as written.
                let value = doc.root.to_kubernetes_json();
                imported.outputs.push(passthrough(value));
                continue;
            }
            Item::Passthrough(value, doc) => (value, doc),
        };
        match import_object(&value, &doc, options, &checker) {
            Ok((spec, object_report)) => {
                let id = ObjectId::of(&value).ok();
                imported.outputs.push(match spec {
                    Some(spec) => Output {
                        object: Object(spec),
                        imported: true,
                        id,
                    },
                    None => passthrough(value),
                });
                imported.report.objects.extend(object_report);
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(crate::diag::sorted(errors));
    }
    imported.report.total();
    Ok(imported)
}

fn passthrough(value: Value) -> Output {
    Output {
        id: ObjectId::of(&value).ok(),
        object: Object(value),
        imported: false,
    }
}

/// What became of one input object: its spec (`None`: passed through untouched) and its
/// report (`None`: nothing to say, an object that is no load balancer).
type ObjectResult = (Option<Value>, Option<ObjectReport>);

/// One object.
fn import_object(
    value: &Value,
    doc: &Document,
    options: &Options,
    checker: &verify::Checker,
) -> Result<ObjectResult, Diagnostic> {
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !matches!(kind, "Service" | "Ingress") {
        return Ok((None, None));
    }
    let annotations = annotations::of(value);
    let location = doc.locate("metadata");
    let mut object = ObjectReport::new(value, location.clone());
    let provider = match detect::provider(value, &annotations, options, doc)? {
        detect::Detected::Provider(p) => p,
        detect::Detected::NotALoadBalancer(why) => {
            object.keep_all(&annotations, &why);
            return Ok((None, object.worth_reporting()));
        }
        detect::Detected::Foreign(why) => {
            object.unsupported_all(&annotations, &why);
            return Ok((None, Some(object)));
        }
    };
    object.provider = Some(provider.as_str().to_string());
    let base = core::spec(value, kind, provider, options, &mut object);
    let plan = annotations::classify(provider, kind, &annotations, &mut object)
        .map_err(|e| broken(e, &location))?;
    let spec = checker.settle(base, plan, value, &mut object);
    Ok((Some(spec), Some(object)))
}

fn broken(e: &str, location: &Location) -> Diagnostic {
    Diagnostic::error(
        "catalogue/builtin",
        format!("lbgen's built-in annotation catalogue is broken ({e}); please report it"),
        Some(location.clone()),
    )
}
