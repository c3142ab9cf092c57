//! Policies: provider capabilities, ranges, version gates and users' rules, as data.
//!
//! Reads the Plan only (never rendered objects). The built-in rule files under
//! `policies/` (the common one and each provider pack's) are compiled into the binary.

mod compile;
mod context;
pub mod engine;
mod gate;
pub mod guard;
mod per_port;
mod probe;
pub mod rules;
pub mod watchdog;

use crate::diag::Diagnostic;
use engine::PolicySet;
use rules::{LoadedRuleFile, parse_rule_file};
use std::path::PathBuf;

/// The built-in rule files: `policies/common.yaml`, then each registered pack's, in
/// registry order (embedded at build time by directory, see `build.rs`).
fn builtin_sources() -> Vec<(&'static str, &'static str)> {
    crate::provider::registry::assets::rule_file("policies/common.yaml")
        .into_iter()
        .chain(
            crate::provider::registry()
                .packs()
                .filter_map(|p| p.rule_file()),
        )
        .collect()
}

/// The built-in rule files, parsed.
pub fn builtin_files() -> Result<Vec<LoadedRuleFile>, Vec<Diagnostic>> {
    builtin_sources()
        .into_iter()
        .map(|(name, text)| parse_rule_file(name, text).map_err(|e| vec![e]))
        .collect()
}

/// The built-in rules, compiled.
pub fn builtin() -> Result<PolicySet, Vec<Diagnostic>> {
    load(&[])
}

/// The built-in rules plus every `*.yaml`/`*.yml` rule file in `dirs` (sorted by path),
/// compiled and probed; all broken rules are reported together.
pub fn load(dirs: &[PathBuf]) -> Result<PolicySet, Vec<Diagnostic>> {
    // The built-in rules come first; they are parsed when a plan first needs them.
    PolicySet::compile_trusting(&load_files(dirs)?, builtin_sources().len())
}

/// The built-in rule files plus the users', parsed but not compiled.
pub fn load_files(dirs: &[PathBuf]) -> Result<Vec<LoadedRuleFile>, Vec<Diagnostic>> {
    let mut files = builtin_files()?;
    let mut errors = Vec::new();
    for path in user_rule_files(dirs)? {
        // The size limit and the UTF-8 check of spec files apply to rule files too.
        match crate::spec::load::read_file(&path) {
            Ok(source) => match parse_rule_file(&source.name, &source.text) {
                Ok(f) => files.push(f),
                Err(e) => errors.push(e),
            },
            Err(e) => errors.push(Diagnostic {
                rule: "policy/io".into(),
                ..e
            }),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

fn user_rule_files(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            vec![Diagnostic::error(
                "policy/io",
                format!(
                    "cannot read policy directory `{}`: {e}; check --policy-dir",
                    dir.display()
                ),
                None,
            )]
        })?;
        for entry in entries.flatten() {
            let path = entry.path();
            let yaml = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
            if yaml && path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}
