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
mod companions;
mod core;
mod detect;
pub mod report;
mod settle;
mod spec_path;
mod translate;
mod verify;

use crate::diag::{Diagnostic, Location};
use crate::emit::{Object, ObjectId};
use crate::provider::{ProviderId, registry};
use crate::spec::load::{Document, Item, Source, parse_sources};
pub use report::{ObjectReport, Outcome, Report, ReportItem};
use serde_json::Value;
use std::collections::BTreeSet;

/// What `import` is told beyond its input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Import every load balancer as this provider's (`--provider`); `None`: detect.
    pub provider: Option<ProviderId>,
    /// Namespace of objects that name none (`-n`).
    pub namespace: Option<String>,
    /// Translate every imported spec to this provider (`--to`).
    pub to: Option<ProviderId>,
    /// The target cluster's version for every imported spec (`--cluster-version`).
    pub cluster_version: Option<String>,
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
    // Every object first: the companions an object refers to may come after it.
    let mut items: Vec<(Value, Option<Document>)> = items
        .into_iter()
        .map(|item| match item {
            // Already a spec: passed through as written.
            Item::LoadBalancer(_, doc) => (doc.root.to_kubernetes_json(), None),
            Item::Passthrough(value, doc) => (value, Some(doc)),
        })
        .collect();
    let context = companions::Context::new(items.iter().map(|(v, _)| v).collect());
    // Per input document (by its input index): passed through, or an index into
    // `pending`.
    let mut order: Vec<Result<usize, (usize, usize)>> = Vec::new();
    let mut pending = Vec::new();
    let mut reports: Vec<Option<ObjectReport>> = Vec::new();
    for (index, (value, doc)) in items.iter().enumerate() {
        let Some(doc) = doc else {
            order.push(Ok(index));
            continue;
        };
        match import_object(value, doc, options, &context) {
            Ok(Planned::Pass(report)) => {
                if let Some(report) = report {
                    reports.push(Some(report));
                }
                order.push(Ok(index));
            }
            Ok(Planned::Import(settling, report)) => {
                order.push(Err((pending.len(), index)));
                pending.push((*settling, reports.len()));
                reports.push(Some(report));
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(crate::diag::sorted(errors));
    }
    let (mut settling, slots): (Vec<verify::Pending>, Vec<usize>) = pending.into_iter().unzip();
    checker.settle_all(&mut settling);
    let consumed =
        companions::consumed(&settling.iter().map(|p| p.companions()).collect::<Vec<_>>());
    let mut specs = Vec::new();
    // Translated, the source's companion objects are not carried to the target's output
    // (the spec holds what could be read from them): left out and reported.
    let (mut left_behind, mut dropped) = (BTreeSet::new(), Vec::new());
    for (one, slot) in settling.into_iter().zip(slots) {
        if let (Some(to), Some(r)) = (options.to, reports[slot].as_ref())
            && r.provider.as_deref() != Some(to.as_str())
        {
            let kept = one.companions().objects.iter();
            for (index, kind, name, _) in kept.filter(|(i, ..)| !consumed.contains(i)) {
                left_behind.insert(*index);
                dropped.push((format!("{kind} {name}"), r.provider.clone()));
            }
        }
        let spec = reports[slot].as_mut().map(|r| {
            let spec = one.finish(r);
            for (subject, source) in dropped.drain(..) {
                // Not passed through after all: what the report said of it is replaced.
                r.items
                    .retain(|i| i.subject != subject || i.outcome != Outcome::KeptRaw);
                let source = source.as_deref().unwrap_or("source");
                let to = options.to.map_or("", |t| t.as_str());
                let why = format!("a {source} object: not carried to {to}");
                r.push(&subject, Outcome::Unsupported, None, Some(why));
            }
            match options.to {
                Some(to) => translate::translate(spec, to, checker.policies(), r),
                None => spec,
            }
        });
        specs.push(spec.unwrap_or(Value::Null));
    }
    drop(context);
    let mut imported = Imported::default();
    for entry in order {
        imported.outputs.push(match entry {
            Ok(index) if consumed.contains(&index) || left_behind.contains(&index) => continue,
            Ok(index) => passthrough(std::mem::take(&mut items[index].0)),
            Err((slot, index)) => Output {
                object: Object(std::mem::take(&mut specs[slot])),
                imported: true,
                id: ObjectId::of(&items[index].0).ok(),
            },
        });
    }
    imported.report.objects = reports.into_iter().flatten().collect();
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

/// What becomes of one input object.
enum Planned {
    /// Passed through untouched (with a report when it carries annotations that do nothing).
    Pass(Option<ObjectReport>),
    /// Imported: its proposals, settled with every other object's.
    Import(Box<verify::Pending>, ObjectReport),
}

/// One object.
fn import_object(
    value: &Value,
    doc: &Document,
    options: &Options,
    context: &companions::Context<'_>,
) -> Result<Planned, Diagnostic> {
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !matches!(kind, "Service" | "Ingress") {
        return Ok(Planned::Pass(None));
    }
    let annotations = annotations::of(value);
    let location = doc.locate("metadata");
    let mut object = ObjectReport::new(value, location.clone());
    let provider = match detect::provider(value, &annotations, options, doc, &context.controllers)?
    {
        detect::Detected::Provider(p) => p,
        detect::Detected::NotALoadBalancer(why) => {
            object.keep_all(&annotations, &why);
            return Ok(Planned::Pass(object.worth_reporting()));
        }
        detect::Detected::Foreign(why) => {
            object.unsupported_all(&annotations, &why);
            return Ok(Planned::Pass(Some(object)));
        }
    };
    object.provider = Some(provider.as_str().to_string());
    let base = core::spec(value, kind, provider, options, &mut object);
    let mut plan = annotations::classify(provider, kind, &annotations, value, &base, &mut object)
        .map_err(|e| broken(e, &location))?;
    let expected = match registry().get(provider.as_str()).and_then(|p| p.import()) {
        Some(import) => companions::read(
            import,
            value,
            &annotations,
            &base,
            context,
            &mut plan,
            &mut object,
        ),
        None => companions::Expected::default(),
    };
    Ok(Planned::Import(
        Box::new(verify::Pending::new(base, plan, value, expected)),
        object,
    ))
}

fn broken(e: &str, location: &Location) -> Diagnostic {
    Diagnostic::error(
        "catalogue/builtin",
        format!("lbgen's built-in annotation catalogue is broken ({e}); please report it"),
        Some(location.clone()),
    )
}
