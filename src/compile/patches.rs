//! Patches of objects lbgen does not own (`patch`): merged into their target when the
//! input holds it, else kept pending with a warning.

use super::Origin;
use crate::diag::{Diagnostic, Severity};
use crate::emit::Object;
use crate::patch;
use crate::plan::Overrides;
use std::collections::HashMap;

/// Merges each patch into its target when the input holds it; the others stay pending,
/// each with its warning (`patch`). A patch that cannot apply is an error at its field.
pub(super) fn apply_patches(
    patches: Vec<patch::Rendered>,
    objects: &mut [(Object, Origin)],
    overrides: &Overrides,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<patch::Pending> {
    let default_namespace = overrides.namespace.as_deref().unwrap_or("default");
    let mut values: Vec<serde_json::Value> = objects
        .iter_mut()
        .map(|(o, _)| std::mem::take(&mut o.0))
        .collect();
    // Targets by identity (namespace defaulted), so that many patches over a large
    // input take one pass, not one scan each.
    let mut index: HashMap<(String, String, String, String), usize> = HashMap::new();
    if !patches.is_empty() {
        for (i, value) in values.iter().enumerate() {
            let field = |p: &str| {
                value
                    .pointer(p)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
            };
            let group = field("/apiVersion").split_once('/').map_or("", |(g, _)| g);
            let namespace = match field("/metadata/namespace") {
                "" => default_namespace,
                ns => ns,
            };
            let id = (group, field("/kind"), namespace, field("/metadata/name"));
            index
                .entry((id.0.into(), id.1.into(), id.2.into(), id.3.into()))
                .or_insert(i);
        }
    }
    let mut pending = Vec::new();
    for rendered in patches {
        let target = index
            .get(&rendered.object.identity())
            .map_or(&mut [][..], |&i| std::slice::from_mut(&mut values[i]));
        let applied = patch::apply_to(
            &rendered.object,
            rendered.patch.first_container,
            target,
            default_namespace,
        );
        match applied {
            Ok(true) => {}
            Ok(false) if rendered.required => diagnostics.push(Diagnostic {
                help: None,
                severity: Severity::Error,
                rule: rendered.patch.rule.clone(),
                message: format!(
                    "{}; the spec decorates a generator's output, but {} {}/{} is not in it: pass the manifests that hold it in the same inputs, or fix spec.workload",
                    rendered.patch.reason,
                    rendered.object.kind(),
                    rendered.object.namespace(),
                    rendered.object.name()
                ),
                field: Some(rendered.patch.field.clone()),
                provider: Some(rendered.provider),
                location: Some(rendered.location),
            }),
            Ok(false) => {
                let p = patch::pending(rendered);
                diagnostics.push(p.warning.clone());
                pending.push(p);
            }
            Err(message) => diagnostics.push(Diagnostic {
                help: None,
                severity: Severity::Error,
                rule: rendered.patch.rule.clone(),
                message,
                field: Some(rendered.patch.field.clone()),
                provider: Some(rendered.provider),
                location: Some(rendered.location),
            }),
        }
    }
    for ((object, _), value) in objects.iter_mut().zip(values) {
        object.0 = value;
    }
    pending
}
