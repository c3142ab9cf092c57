//! Policies: provider capabilities, ranges, version gates and users' rules, as data.
//!
//! Reads the Plan only (never rendered objects). The built-in rule files under
//! `policies/` are compiled into the binary.

pub mod engine;
pub mod rules;

use crate::diag::Diagnostic;
use engine::PolicySet;
use rules::{LoadedRuleFile, parse_rule_file};

/// The built-in rule files, embedded at build time.
const BUILTIN: &[(&str, &str)] = &[
    (
        "policies/common.yaml",
        include_str!("../../policies/common.yaml"),
    ),
    (
        "policies/huawei.yaml",
        include_str!("../../policies/huawei.yaml"),
    ),
];

/// The built-in rule files, parsed.
pub fn builtin_files() -> Result<Vec<LoadedRuleFile>, Vec<Diagnostic>> {
    BUILTIN
        .iter()
        .map(|(name, text)| parse_rule_file(name, text).map_err(|e| vec![e]))
        .collect()
}

/// The built-in rules, compiled.
pub fn builtin() -> Result<PolicySet, Vec<Diagnostic>> {
    PolicySet::compile(&builtin_files()?)
}
