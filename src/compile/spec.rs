//! One run of items through the stages: an object passed through is kept with its origin;
//! a `LoadBalancer` is planned, judged, mapped and rendered, and its diagnostics get their
//! locations here, while its document is at hand.

use super::{CompiledSpec, Origin};
use crate::diag::{self, Diagnostic, Severity};
use crate::emit::Object;
use crate::patch;
use crate::plan::{self, Overrides, Plan, PlanError};
use crate::policy::engine::PolicySet;
use crate::provider;
use crate::render::{self, Renderer};
use crate::spec::load::{Document, Item};
use crate::spec::model::LoadBalancerDoc;

/// What compiling a run of items gives: objects with their origins (spec indices local to
/// the run), the specs' plans, diagnostics, and rendered patches of objects lbgen does not
/// own.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) objects: Vec<(Object, Origin)>,
    pub(super) specs: Vec<CompiledSpec>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) patches: Vec<patch::Rendered>,
}

/// Compiles a run of items: passthrough objects as they are, specs through the pipeline.
pub(super) fn compile_items(
    items: Vec<Item>,
    overrides: &Overrides,
    policies: &PolicySet,
    renderer: Option<&Renderer>,
) -> Batch {
    let mut batch = Batch::default();
    for item in items {
        match item {
            Item::Passthrough(value, doc) => {
                batch.keep(Object(value), &doc, None);
            }
            Item::LoadBalancer(lb, doc) => {
                let Some(plan) = plan_of(&lb, &doc, overrides, &mut batch.diagnostics) else {
                    continue;
                };
                let (produced, ps) =
                    compile_one(&plan, &doc, policies, renderer, &mut batch.diagnostics);
                let index = batch.specs.len();
                for object in produced {
                    batch.keep(object, &doc, Some(index));
                }
                batch.patches.extend(ps);
                batch.specs.push(CompiledSpec {
                    plan,
                    location: doc.locate("metadata.name"),
                    decorate: lb.spec.decorate.clone(),
                });
            }
        }
    }
    batch
}

impl Batch {
    /// Keeps an object with where it came from. Its identity becomes file names and URLs:
    /// it must be valid (`emit::ObjectId`), blamed at the offending field of its document.
    fn keep(&mut self, object: Object, doc: &Document, spec: Option<usize>) {
        if let Err(e) = object.id() {
            self.diagnostics.push(Diagnostic::error(
                "load/identity",
                e.message,
                Some(doc.locate(e.field)),
            ));
        }
        let location = doc.locate("metadata.name");
        self.objects.push((object, Origin { location, spec }));
    }
}

/// The plan of one `LoadBalancer`, or its error at `spec.provider`.
fn plan_of(
    lb: &LoadBalancerDoc,
    doc: &Document,
    overrides: &Overrides,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Plan> {
    plan::build(lb, overrides)
        .map_err(|e| {
            // A missing field is blamed where the block's entries start, as the loader
            // blames the fields it requires.
            let mut location = doc.locate(e.field());
            if let Some(block) = doc
                .root
                .get(e.field())
                .filter(|_| e == PlanError::NoExposure)
            {
                location.line = block.span.line();
                location.column = block.span.column();
            }
            diagnostics.push(Diagnostic::error(e.rule(), e.to_string(), Some(location)));
        })
        .ok()
}

/// Judge, map and render one planned `LoadBalancer`.
fn compile_one(
    plan: &Plan,
    doc: &Document,
    policies: &PolicySet,
    renderer: Option<&Renderer>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Object>, Vec<patch::Rendered>) {
    let decorating = doc
        .root
        .get("spec")
        .and_then(|s| s.get("decorate"))
        .is_some();
    let locate = |mut d: Diagnostic| {
        let field = d.field.clone().unwrap_or_else(|| "metadata.name".into());
        d.location.get_or_insert_with(|| doc.locate(&field));
        d
    };
    let findings: Vec<Diagnostic> = policies
        .evaluate(plan)
        .into_iter()
        .chain(provider::annotation_check::check(plan))
        .map(locate)
        .collect();
    let blocked = diag::has_errors(&findings);
    diagnostics.extend(findings);
    if blocked {
        return (Vec::new(), Vec::new());
    }
    let mapped = provider::map(plan);
    let mapping_failed = diag::has_errors(&mapped.diagnostics);
    diagnostics.extend(mapped.diagnostics.into_iter().map(locate));
    let Some(renderer) = renderer.filter(|_| !mapping_failed) else {
        return (Vec::new(), Vec::new());
    };
    let render_error = |e: render::RenderError| Diagnostic {
        help: None,
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
                required: decorating,
            }),
            Err(e) => diagnostics.push(render_error(e)),
        }
    }
    (out, patches)
}
