//! SARIF 2.1.0 output, so CI systems (GitHub code scanning, GitLab) annotate the lines of
//! a pull request. One run, the tool's rules as the driver's rule list, one result per
//! diagnostic with its physical location.

use lbgen::diag::{Diagnostic, Severity};
use lbgen::policy::engine::RuleSummary;
use serde_json::{Value, json};

/// A SARIF log of `diagnostics`; `rules` describes every loaded rule.
pub(crate) fn log(diagnostics: &[Diagnostic], rules: &[RuleSummary]) -> Value {
    let rule_list: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": {"text": r.message},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"source": r.source, "provider": r.provider},
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut result = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": {"text": d.message},
                "properties": {"field": d.field, "provider": d.provider},
            });
            if let Some(l) = &d.location {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": {"uri": l.file},
                        "region": {"startLine": l.line, "startColumn": l.column},
                    }
                }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kubectl-lbgen",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/kubectl-lbgen/kubectl-lbgen",
                "rules": rule_list,
            }},
            "results": results,
        }],
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}
