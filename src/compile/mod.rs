//! The pipeline as one call: sources in, one typed product out ([`Compiled`]).
//!
//! `compile` loads every document, plans, judges, maps and renders each `LoadBalancer`,
//! passes other objects through, and hands back per spec its plan and location and per
//! object where it came from, so the subcommands (`check`, `krm`, `diff`) read the product
//! instead of parsing the sources again or rebuilding plans. `validate` is the same run
//! stopped after the policies. Whole-input checks live in `identity`, patch merging in
//! `patches`, one spec's stages in `spec`.

mod decorate;
mod identity;
mod patches;
mod spec;

use crate::diag::{self, Diagnostic, Location};
use crate::emit::{self, Object};
use crate::patch;
use crate::plan::{Overrides, Plan};
use crate::policy::engine::PolicySet;
use crate::render::Renderer;
use crate::spec::load::{Item, Source, parse_sources};

/// What a successful compilation gives.
#[derive(Debug)]
pub struct Compiled {
    /// Every object, in emit order: rendered ones and passed-through ones.
    pub objects: Vec<Object>,
    /// Where each of `objects` came from (same index).
    pub origins: Vec<Origin>,
    /// Every `LoadBalancer` of the input, in input order, with its plan.
    pub specs: Vec<CompiledSpec>,
    /// Warnings (never errors), sorted by location.
    pub diagnostics: Vec<Diagnostic>,
    /// Patches of objects lbgen does not own whose target was not in the input (each has
    /// its warning among `diagnostics`); never part of `objects` (see `patch`).
    pub patches: Vec<patch::Pending>,
}

/// One `LoadBalancer` of the input, compiled.
#[derive(Debug)]
pub struct CompiledSpec {
    /// Its plan (defaults applied, provider decided).
    pub plan: Plan,
    /// Where the document is (its `metadata.name`).
    pub location: Location,
    /// The object of the input it decorates (`spec.decorate`), if any.
    pub decorate: Option<crate::spec::model::Decorate>,
}

/// Where an object of [`Compiled::objects`] came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The `metadata.name` of the document it came from.
    pub location: Location,
    /// The index in [`Compiled::specs`] of the spec that rendered it, or that decorated
    /// it (then `location` is the spec's too); `None` for an object passed through.
    pub spec: Option<usize>,
}

impl Compiled {
    /// The objects spec `index` rendered, in emit order.
    pub fn objects_of(&self, index: usize) -> impl Iterator<Item = &Object> {
        self.objects
            .iter()
            .zip(&self.origins)
            .filter(move |(_, o)| o.spec == Some(index))
            .map(|(object, _)| object)
    }

    /// The objects passed through unchanged, in emit order, with their origins.
    pub fn passthrough(&self) -> impl Iterator<Item = (&Object, &Origin)> {
        self.objects
            .iter()
            .zip(&self.origins)
            .filter(|(_, o)| o.spec.is_none())
    }
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
    let (mut items, mut diagnostics) = parse_sources(sources, overrides.specs_only);
    let default_namespace = overrides.namespace.as_deref().unwrap_or("default");
    let targets = decorate::complete_specs(&mut items, overrides, &mut diagnostics);
    // Specs are independent: judge and render them on every core, in contiguous chunks,
    // then merge in input order (the output is sorted afterwards anyway).
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(workers).max(64);
    let results: Vec<spec::Batch> = std::thread::scope(|scope| {
        let handles: Vec<_> = into_chunks(items, chunk)
            .into_iter()
            .map(|part| {
                // Rules are evaluated recursively (policy::guard bounds the depth): give
                // the workers the stack a main thread has, not the 2 MiB default.
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK)
                    .spawn_scoped(scope, move || {
                        spec::compile_items(part, overrides, policies, renderer)
                    })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                Err(e) => spec::Batch {
                    diagnostics: vec![Diagnostic::error(
                        "load/thread",
                        format!("cannot start a worker thread: {e}"),
                        None,
                    )],
                    ..spec::Batch::default()
                },
            })
            .collect()
    });
    let mut objects: Vec<(Object, Origin)> = Vec::new();
    let mut specs = Vec::new();
    let mut rendered_patches = Vec::new();
    for batch in results {
        let offset = specs.len();
        objects.extend(batch.objects.into_iter().map(|(object, mut origin)| {
            origin.spec = origin.spec.map(|i| i + offset);
            (object, origin)
        }));
        specs.extend(batch.specs);
        diagnostics.extend(batch.diagnostics);
        rendered_patches.extend(batch.patches);
    }
    decorate::apply(
        &targets,
        &mut objects,
        &specs,
        default_namespace,
        &mut diagnostics,
    );
    identity::reject_duplicates(&objects, &mut diagnostics);
    let pending =
        patches::apply_patches(rendered_patches, &mut objects, overrides, &mut diagnostics);
    let diagnostics = diag::sorted(diagnostics);
    if diag::has_errors(&diagnostics) {
        return Err(diagnostics);
    }
    emit::sort_by(&mut objects, |(object, _)| object);
    let (objects, origins) = objects.into_iter().unzip();
    Ok(Compiled {
        objects,
        origins,
        specs,
        diagnostics,
        patches: pending,
    })
}

/// Splits `items` into runs of `size` (the last shorter), moving them.
fn into_chunks(mut items: Vec<Item>, size: usize) -> Vec<Vec<Item>> {
    let mut chunks = Vec::new();
    while items.len() > size {
        let rest = items.split_off(size);
        chunks.push(std::mem::replace(&mut items, rest));
    }
    if !items.is_empty() {
        chunks.push(items);
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two specs for the first two registered providers, and a ConfigMap passed through.
    fn specs() -> String {
        let ids = crate::provider::registry().ids();
        SPECS
            .replace("{first}", ids[0])
            .replace("{second}", ids[ids.len().min(2) - 1])
    }

    const SPECS: &str = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: web}
---
apiVersion: lbgen.dev/v1alpha1
kind: LoadBalancer
metadata: {name: web}
spec:
  provider: {first}
  exposure: service
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: lbgen.dev/v1alpha1
kind: LoadBalancer
metadata: {name: shop}
spec:
  provider: {second}
  exposure: service
  selector: {app: shop}
  ports: [{port: 443}]
";

    #[test]
    fn the_product_carries_each_specs_plan_objects_and_location() {
        let sources = [Source {
            name: "in.yaml".into(),
            text: specs(),
        }];
        let policies = crate::policy::builtin().expect("built-in rules");
        let compiled = compile(
            &sources,
            &Overrides::default(),
            &policies,
            &Renderer::new(None),
        )
        .expect("compiles");
        assert_eq!(compiled.origins.len(), compiled.objects.len());
        let names: Vec<(&str, usize)> = compiled
            .specs
            .iter()
            .map(|s| (s.plan.name.as_str(), s.location.line))
            .collect();
        assert_eq!(
            names,
            [("web", 7), ("shop", 16)],
            "input order, at metadata.name"
        );
        for (index, spec) in compiled.specs.iter().enumerate() {
            let objects: Vec<&Object> = compiled.objects_of(index).collect();
            assert!(!objects.is_empty(), "{} rendered something", spec.plan.name);
            assert!(objects.iter().all(|o| o.name() == spec.plan.name));
        }
        let passed: Vec<(&str, usize)> = compiled
            .passthrough()
            .map(|(o, origin)| (o.name(), origin.location.line))
            .collect();
        assert_eq!(passed, [("settings", 3)]);
    }

    #[test]
    fn chunks_keep_every_item_in_order() {
        let sources = [Source {
            name: "in.yaml".into(),
            text: specs(),
        }];
        let (items, _) = parse_sources(&sources, false);
        let sizes: Vec<usize> = into_chunks(items, 2).iter().map(Vec::len).collect();
        assert_eq!(sizes, [2, 1]);
        assert!(into_chunks(Vec::new(), 2).is_empty());
    }
}
