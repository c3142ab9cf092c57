//! The rule file format: one YAML file of rules per provider (or for every provider).
//!
//! Rules are written in the style of Kubernetes ValidatingAdmissionPolicy: `expression`
//! is a CEL boolean that must hold for the spec to be valid; `match` (optional) says when
//! the rule applies at all; `forEach` (optional) runs the rule once per element of a list
//! with `item` and `index` bound. Built-in rules (`policies/*.yaml`, compiled into the
//! binary) and users' rules use the same format and the same engine.

use crate::diag::{Diagnostic, Location, Severity};
use crate::yaml::de::from_node;
use crate::yaml::node::parse_stream;
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;

/// A rule file.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// The provider the rules apply to; absent = every provider.
    pub provider: Option<String>,
    /// What each spec field becomes for this provider (annotation, unit), shown by
    /// `kubectl lbgen explain`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// One rule.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Rule {
    /// Stable id, `<provider>/<name>`.
    pub id: String,
    /// error or warning.
    pub severity: RuleSeverity,
    /// The spec field to blame; `{index}` and `{item.<field>}` are filled in per element.
    pub field: Option<String>,
    /// A CEL list: run the rule once per element, as `item` (position `index`).
    pub for_each: Option<String>,
    /// A CEL boolean: the rule applies only when it holds.
    #[serde(rename = "match")]
    pub when: Option<String>,
    /// A CEL boolean that must hold.
    pub expression: String,
    /// Shown when the expression is false.
    pub message: String,
    /// A CEL string shown instead of `message`, for messages that quote values.
    pub message_expression: Option<String>,
    /// Where the fact comes from (seed, providers.md row, documentation page).
    pub source: Option<String>,
}

/// Rule severity as written in rule files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleSeverity {
    /// Stops rendering.
    Error,
    /// Reported, does not stop.
    Warning,
}

impl From<RuleSeverity> for Severity {
    fn from(s: RuleSeverity) -> Self {
        match s {
            RuleSeverity::Error => Severity::Error,
            RuleSeverity::Warning => Severity::Warning,
        }
    }
}

/// A rule file as read, with the location of each rule for reporting broken rules.
#[derive(Debug, Clone)]
pub struct LoadedRuleFile {
    /// The file's display name.
    pub file: String,
    /// Its contents.
    pub content: RuleFile,
    /// Location of each rule's `expression` (same order as `content.rules`).
    pub locations: Vec<RuleLocations>,
}

/// Where a rule's parts are, so a bad expression is reported at its own line.
#[derive(Debug, Clone)]
pub struct RuleLocations {
    /// The rule's `expression`.
    pub expression: Location,
    /// The rule's `match`.
    pub when: Location,
    /// The rule's `forEach`.
    pub for_each: Location,
    /// The rule's `messageExpression`.
    pub message_expression: Location,
}

/// Parses a rule file.
pub fn parse_rule_file(file: &str, text: &str) -> Result<LoadedRuleFile, Diagnostic> {
    let err = |message: String, line: usize, column: usize| {
        Diagnostic::error(
            "policy/syntax",
            message,
            Some(Location {
                file: file.to_string(),
                line,
                column,
            }),
        )
    };
    let docs = parse_stream(text).map_err(|e| err(e.message, e.span.line(), e.span.column()))?;
    let root = docs
        .into_iter()
        .flatten()
        .next()
        .ok_or_else(|| err("empty rule file: expected `rules:`".into(), 1, 1))?;
    let content: RuleFile = from_node(&root).map_err(|e| {
        let span = e.span.unwrap_or(root.span);
        err(e.message, span.line(), span.column())
    })?;
    let at = |path: String| {
        let span = root.find(&path);
        Location {
            file: file.to_string(),
            line: span.line(),
            column: span.column(),
        }
    };
    let locations = (0..content.rules.len())
        .map(|i| RuleLocations {
            expression: at(format!("rules[{i}].expression")),
            when: at(format!("rules[{i}].match")),
            for_each: at(format!("rules[{i}].forEach")),
            message_expression: at(format!("rules[{i}].messageExpression")),
        })
        .collect();
    Ok(LoadedRuleFile {
        file: file.to_string(),
        content,
        locations,
    })
}

/// The JSON Schema of a rule file, generated from the types above.
pub fn rule_file_schema() -> serde_json::Value {
    schemars::schema_for!(RuleFile).to_value()
}
