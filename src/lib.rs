//! kubectl-lbgen as a library: one load-balancer spec in, provider-annotated Kubernetes
//! objects out.
//!
//! The pipeline runs one way (DESIGN.md): `spec` (load, with source spans) -> `plan`
//! (defaults, provider-neutral) -> `policy` (diagnostics; errors stop here) -> `provider`
//! + `render` (objects, checked against k8s-openapi types) -> `emit` (ordered output).
//!
//! The library never prints: it returns objects and diagnostics, and the binary decides
//! how to show them.
#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]
// A `Diagnostic` is the error value of every input path: made once per bad input and
// returned straight to the reporter, so boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod dataplane;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod explain;
pub mod krm;
pub mod live;
pub mod patch;
pub mod plan;
pub mod policy;
pub mod provider;
pub mod render;
pub mod rule_test;
pub mod shell;
pub mod spec;
pub mod yaml;

use diag::{Diagnostic, Location, Severity};
use emit::Object;
use plan::Overrides;
use policy::engine::PolicySet;
use render::Renderer;
use spec::load::{Document, Item, Source, parse_sources};
use std::collections::HashMap;

/// What a successful compilation gives.
#[derive(Debug)]
pub struct Compiled {
    /// Every object, in emit order: rendered ones and passed-through ones.
    pub objects: Vec<Object>,
    /// Warnings (never errors), sorted by location.
    pub diagnostics: Vec<Diagnostic>,
    /// Patches of objects lbgen does not own whose target was not in the input (each has
    /// its warning among `diagnostics`); never part of `objects` (see `patch`).
    pub patches: Vec<patch::Pending>,
}

/// Compiles sources into objects. On any error, every diagnostic found (errors and
/// warnings, sorted by location) is returned and nothing else.
pub fn compile(
    sources: &[Source],
    overrides: &Overrides,
    policies: &PolicySet,
    renderer: &Renderer,
) -> Result<Compiled, Vec<Diagnostic>> {
    run(sources, overrides, policies, Some(renderer))
}

/// Loads, plans and judges every spec without rendering (`validate`): every diagnostic,
/// errors and warnings, sorted by location.
pub fn validate(
    sources: &[Source],
    overrides: &Overrides,
    policies: &PolicySet,
) -> Vec<Diagnostic> {
    match run(sources, overrides, policies, None) {
        Ok(compiled) => compiled.diagnostics,
        Err(diagnostics) => diagnostics,
    }
}

/// The stack of each worker thread judging and rendering specs (address space only; what
/// is not used is never committed).
const WORKER_STACK: usize = 8 * 1024 * 1024;

/// The pipeline; without a renderer it stops after the policies.
fn run(
    sources: &[Source],
    overrides: &Overrides,
    policies: &PolicySet,
    renderer: Option<&Renderer>,
) -> Result<Compiled, Vec<Diagnostic>> {
    let (items, mut diagnostics) = parse_sources(sources, overrides.specs_only);
    // Specs are independent: judge and render them on every core, in contiguous chunks,
    // then merge in input order (the output is sorted afterwards anyway).
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(workers).max(64);
    let results: Vec<Batch> = std::thread::scope(|scope| {
        // Each worker owns its items, so passed-through values move into the output.
        let mut items = items.into_iter();
        let parts = std::iter::from_fn(|| {
            let part: Vec<Item> = items.by_ref().take(chunk).collect();
            (!part.is_empty()).then_some(part)
        });
        let handles: Vec<_> = parts
            .map(|part| {
                // Rules are evaluated recursively (policy::guard bounds the depth): give
                // the workers the stack a main thread has, not the 2 MiB default.
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, move || {
                        compile_items(part, overrides, policies, renderer)
                    })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                Err(e) => (
                    Vec::new(),
                    vec![Diagnostic::error(
                        "load/thread",
                        format!("cannot start a worker thread: {e}"),
                        None,
                    )],
                    Vec::new(),
                ),
            })
            .collect()
    });
    let mut objects: Vec<(Object, Document)> = Vec::new();
    let mut patches = Vec::new();
    for (objs, diags, ps) in results {
        objects.extend(objs);
        diagnostics.extend(diags);
        patches.extend(ps);
    }
    reject_bad_identities(&objects, &mut diagnostics);
    reject_duplicates(&objects, &mut diagnostics);
    let mut objects: Vec<Object> = objects.into_iter().map(|(o, _)| o).collect();
    let pending = apply_patches(patches, &mut objects, overrides, &mut diagnostics);
    let diagnostics = diag::sorted(diagnostics);
    if diag::has_errors(&diagnostics) {
        return Err(diagnostics);
    }
    emit::sort(&mut objects);
    Ok(Compiled {
        objects,
        diagnostics,
        patches: pending,
    })
}

/// Merges each patch into its target when the input holds it; the others stay pending,
/// each with its warning (`patch`). A patch that cannot apply is an error at its field.
fn apply_patches(
    patches: Vec<patch::Rendered>,
    objects: &mut [Object],
    overrides: &Overrides,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<patch::Pending> {
    let default_namespace = overrides.namespace.as_deref().unwrap_or("default");
    let mut values: Vec<serde_json::Value> = objects
        .iter_mut()
        .map(|o| std::mem::take(&mut o.0))
        .collect();
    let mut pending = Vec::new();
    for rendered in patches {
        let applied = patch::apply_to(
            &rendered.object,
            rendered.patch.first_container,
            &mut values,
            default_namespace,
        );
        match applied {
            Ok(true) => {}
            Ok(false) => {
                let p = patch::pending(rendered);
                diagnostics.push(p.warning.clone());
                pending.push(p);
            }
            Err(message) => diagnostics.push(Diagnostic {
                severity: Severity::Error,
                rule: rendered.patch.rule.clone(),
                message,
                field: Some(rendered.patch.field.clone()),
                provider: Some(rendered.provider),
                location: Some(rendered.location),
            }),
        }
    }
    for (object, value) in objects.iter_mut().zip(values) {
        object.0 = value;
    }
    pending
}

/// What compiling a run of items gives: objects with the document they came from,
/// diagnostics, and rendered patches of objects lbgen does not own.
type Batch = (
    Vec<(Object, Document)>,
    Vec<Diagnostic>,
    Vec<patch::Rendered>,
);

/// Compiles a run of items: passthrough objects as they are, specs through the pipeline.
fn compile_items(
    items: Vec<Item>,
    overrides: &Overrides,
    policies: &PolicySet,
    renderer: Option<&Renderer>,
) -> Batch {
    let mut objects = Vec::new();
    let mut diagnostics = Vec::new();
    let mut patches = Vec::new();
    for item in items {
        match item {
            Item::Passthrough(value, doc) => objects.push((Object(value), doc)),
            Item::LoadBalancer(lb, doc) => {
                let (produced, ps) =
                    compile_one(&lb, &doc, overrides, policies, renderer, &mut diagnostics);
                objects.extend(produced.into_iter().map(|o| (o, doc.clone())));
                patches.extend(ps);
            }
        }
    }
    (objects, diagnostics, patches)
}

/// Plan, judge, map and render one `LoadBalancer`; diagnostics get their locations here.
fn compile_one(
    lb: &spec::model::LoadBalancerDoc,
    doc: &Document,
    overrides: &Overrides,
    policies: &PolicySet,
    renderer: Option<&Renderer>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Object>, Vec<patch::Rendered>) {
    let locate = |mut d: Diagnostic| {
        let field = d.field.clone().unwrap_or_else(|| "metadata.name".into());
        d.location.get_or_insert_with(|| doc.locate(&field));
        d
    };
    let plan = match plan::build(lb, overrides) {
        Ok(p) => p,
        Err(e) => {
            diagnostics.push(Diagnostic::error(
                "plan/provider",
                e.to_string(),
                Some(doc.locate("spec.provider")),
            ));
            return (Vec::new(), Vec::new());
        }
    };
    let findings: Vec<Diagnostic> = policies.evaluate(&plan).into_iter().map(locate).collect();
    let blocked = diag::has_errors(&findings);
    diagnostics.extend(findings);
    if blocked {
        return (Vec::new(), Vec::new());
    }
    let mapped = provider::map(&plan);
    let mapping_failed = diag::has_errors(&mapped.diagnostics);
    diagnostics.extend(mapped.diagnostics.into_iter().map(locate));
    let Some(renderer) = renderer.filter(|_| !mapping_failed) else {
        return (Vec::new(), Vec::new());
    };
    let render_error = |e: render::RenderError| Diagnostic {
        severity: Severity::Error,
        rule: "render/template".into(),
        message: e.to_string(),
        field: None,
        provider: Some(plan.provider.as_str().into()),
        location: Some(doc.locate("metadata.name")),
    };
    let mut out = Vec::new();
    for manifest in &mapped.manifests {
        match renderer.render(manifest) {
            Ok(value) => out.push(Object(value)),
            Err(e) => diagnostics.push(render_error(e)),
        }
    }
    let mut patches = Vec::new();
    for patch in mapped.patches {
        match renderer.render(&patch.manifest) {
            Ok(value) => patches.push(patch::Rendered {
                object: Object(value),
                location: doc.locate(&patch.field),
                patch,
                provider: plan.provider.as_str().into(),
            }),
            Err(e) => diagnostics.push(render_error(e)),
        }
    }
    (out, patches)
}

/// Every object's identity becomes file names and URLs: it must be valid (`emit::ObjectId`),
/// blamed at the offending field of the document it came from.
fn reject_bad_identities(objects: &[(Object, Document)], diagnostics: &mut Vec<Diagnostic>) {
    for (object, doc) in objects {
        if let Err(e) = object.id() {
            diagnostics.push(Diagnostic::error(
                "load/identity",
                e.message,
                Some(doc.locate(e.field)),
            ));
        }
    }
}

/// Two documents may not produce the same object (group, kind, namespace, name), nor two
/// objects that `--out-dir` would write to one file (`ConfigMap` and `Configmap`).
fn reject_duplicates(objects: &[(Object, Document)], diagnostics: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<_, Location> = HashMap::new();
    let mut files: HashMap<std::path::PathBuf, (Object, Location)> = HashMap::new();
    for (object, doc) in objects {
        let here = doc.locate("metadata.name");
        if let Ok(valid) = object.id() {
            let file = emit::file_name(&valid, emit::Format::Yaml);
            match files.get(&file) {
                Some((first, at)) if first.identity() != object.identity() => {
                    diagnostics.push(Diagnostic::error(
                        "load/file-collision",
                        format!(
                            "{} and {} (at {}:{}:{}) would both be written to `{}` by --out-dir; rename one of them",
                            object.describe(),
                            first.describe(),
                            at.file,
                            at.line,
                            at.column,
                            file.display()
                        ),
                        Some(here.clone()),
                    ));
                }
                Some(_) => {}
                None => {
                    files.insert(file, (object.clone(), here.clone()));
                }
            }
        }
        let id = object.identity();
        match seen.get(&id) {
            Some(first) => {
                let (first, second) = if *first <= here {
                    (first.clone(), here)
                } else {
                    (here, first.clone())
                };
                diagnostics.push(Diagnostic::error(
                    "load/duplicate",
                    format!(
                        "{} {}/{} is also produced by {}:{}:{}; rename one of them",
                        id.1, id.2, id.3, first.file, first.line, first.column
                    ),
                    Some(second),
                ));
            }
            None => {
                seen.insert(id, here);
            }
        }
    }
}
