//! Patches of objects lbgen does not own (`patch`): merged into their target when the
//! input holds it, else kept pending with a warning.

use super::Origin;
use crate::diag::{Diagnostic, Severity};
use crate::emit::Object;
use crate::patch;
use crate::plan::Overrides;

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
