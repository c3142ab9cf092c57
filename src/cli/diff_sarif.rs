//! `diff -o sarif`: what the diff has to say as SARIF 2.1.0, for code-scanning annotations
//! on the spec a pull request changes: the compilation's warnings, and every change the
//! cloud cannot apply in place (or that is risky) as a warning at the `metadata.name` of
//! the spec that renders the object (`Compiled::origins`). Whether anything differs is the
//! exit code, as with `-o diff`.

use lbgen::Compiled;
use lbgen::diag::{Diagnostic, Location, Severity};
use lbgen::diff::Report;
use lbgen::policy::engine::RuleSummary;
use lbgen::provider::changes::Impact;
use std::collections::HashMap;

/// An object's kind, namespace and name.
type Identity = (String, String, String);

/// Where each compiled object came from, by kind, namespace and name.
pub(crate) fn locations(compiled: &Compiled) -> HashMap<Identity, Location> {
    compiled
        .objects
        .iter()
        .zip(&compiled.origins)
        .map(|(o, origin)| {
            let id = (
                o.kind().to_string(),
                o.namespace().to_string(),
                o.name().to_string(),
            );
            (id, origin.location.clone())
        })
        .collect()
}

/// The SARIF log: `warnings` of the compilation, then one result per change warning.
pub(crate) fn log(
    report: &Report,
    warnings: &[Diagnostic],
    located: &HashMap<Identity, Location>,
    rules: &[RuleSummary],
) -> serde_json::Value {
    let mut diagnostics = warnings.to_vec();
    for o in &report.objects {
        let id = (o.kind.clone(), o.namespace.clone(), o.name.clone());
        let ns = if o.namespace.is_empty() {
            String::new()
        } else {
            format!("{}/", o.namespace)
        };
        for w in &o.warnings {
            let rule = match w.impact {
                Impact::NotInPlace => "diff/not-in-place",
                Impact::Risky => "diff/risky",
                Impact::IgnoredAfterCreate => "diff/ignored-after-create",
            };
            diagnostics.push(Diagnostic {
                help: None,
                severity: Severity::Warning,
                rule: rule.into(),
                message: format!("{} {ns}{}: {}: {}", o.kind, o.name, w.field, w.message),
                field: Some(w.field.clone()),
                provider: Some(w.provider.clone()),
                location: located.get(&id).cloned(),
            });
        }
    }
    super::sarif::log(&diagnostics, rules)
}
