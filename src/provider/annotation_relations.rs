//! Companions and conflicts among the annotations a spec sets itself (raw in
//! `metadata.annotations`, or through typed provider fields), from the catalogue's
//! `companions` and `conflicts`.
//!
//! A key documented to need another (an ACL id without its status) is usually a setting
//! that does nothing; two keys documented as exclusive make the controller pick one. Only
//! keys the user sets are compared: a companion lbgen writes from a shared field is never
//! missing, so only companions the user would set (typed provider fields) are asked for.

use super::annotation_check::{entry_for, finding};
use super::catalogue::Catalogue;
use super::catalogue_fields::{offered, spec_path};
use crate::diag::{Diagnostic, Severity};
use crate::plan::Plan;

/// Findings about companions missing and conflicts present among the spec's own keys.
pub(super) fn check(catalogue: &Catalogue, plan: &Plan) -> Vec<Diagnostic> {
    let kind = plan.exposure.kind();
    // Every key the user sets, with the spec field that sets it.
    let mut set: Vec<(String, String)> = plan
        .annotations
        .keys()
        .map(|k| {
            let current = catalogue.current_spelling(k).unwrap_or_else(|| k.clone());
            (current, format!("metadata.annotations[\"{k}\"]"))
        })
        .collect();
    set.extend(
        plan.provider_fields
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| (f.key.clone(), f.field.clone())),
    );
    let is_set = |name: &str| {
        set.iter().any(|(k, _)| {
            k == name
                || catalogue
                    .entries
                    .iter()
                    .any(|e| e.name() == name && e.matches(k))
        })
    };
    let mut out = Vec::new();
    for (key, field) in &set {
        let Ok(Some(entry)) = entry_for(catalogue, key, kind) else {
            continue;
        };
        let finding =
            |severity, rule: &str, message: String| finding(plan, field, severity, rule, message);
        for other in entry.conflicts.iter().filter(|c| is_set(c) && key < *c) {
            out.push(finding(
                Severity::Error,
                "annotations/conflict",
                format!(
                    "`{key}` cannot go with `{other}` (the controller takes one of them; {}): keep one",
                    entry.source
                ),
            ));
        }
        for companion in entry.companions.iter().filter(|c| !is_set(c)) {
            let Ok(Some(needed)) = entry_for(catalogue, companion, kind) else {
                continue;
            };
            if !offered(needed) {
                continue;
            }
            let how = spec_path(catalogue, needed, kind).unwrap_or_else(|| companion.clone());
            out.push(finding(
                Severity::Warning,
                "annotations/companion",
                format!(
                    "`{key}` is documented to go with `{companion}`, which this spec does not set: set {how}, or check that the controller's default is what you mean"
                ),
            ));
        }
    }
    out
}
