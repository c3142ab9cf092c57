//! Policies: provider capabilities, ranges, version gates and users' rules, as data.
//!
//! Reads the Plan only (never rendered objects). The built-in rule files under
//! `policies/` (the common one and each provider pack's) are compiled into the binary.

mod ast;
mod builtin;
mod compile;
mod context;
pub mod engine;
mod gate;
pub mod guard;
mod judge;
mod memo;
mod per_port;
mod probe;
pub mod rules;
pub mod watchdog;

use crate::diag::Diagnostic;
use engine::PolicySet;
use rules::{LoadedRuleFile, parse_rule_file};
use std::path::PathBuf;

/// The built-in rule files: `policies/common.yaml`, then each registered pack's, in
/// registry order (embedded at build time by directory, see `build.rs`), each with the
/// provider whose plans it judges (`None`: every provider's).
fn builtin_sources() -> Vec<BuiltinSource> {
    let common =
        crate::provider::registry::assets::rule_file("policies/common.yaml").map(|(name, text)| {
            BuiltinSource {
                name,
                text,
                provider: None,
            }
        });
    let packs = crate::provider::registry().packs().filter_map(|p| {
        p.rule_file().map(|(name, text)| BuiltinSource {
            name,
            text,
            provider: Some(p.id()),
        })
    });
    common.into_iter().chain(packs).collect()
}

/// One embedded rule file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BuiltinSource {
    /// Its display name (`policies/huawei.yaml`).
    pub(crate) name: &'static str,
    /// Its text.
    pub(crate) text: &'static str,
    /// The registered provider it belongs to (`None` for the common file).
    pub(crate) provider: Option<&'static str>,
}

/// The built-in rule files, parsed.
pub fn builtin_files() -> Result<Vec<LoadedRuleFile>, Vec<Diagnostic>> {
    builtin_sources()
        .into_iter()
        .map(|s| parse_rule_file(s.name, s.text).map_err(|e| vec![e]))
        .collect()
}

/// The built-in rules, compiled.
pub fn builtin() -> Result<PolicySet, Vec<Diagnostic>> {
    load(&[])
}

/// The built-in rules plus every `*.yaml`/`*.yml` rule file in `dirs` (sorted by path),
/// compiled and probed; all broken rules are reported together.
///
/// Without rule files of the user's, a built-in file is read only when a plan of its
/// provider is first judged: a spec pays for its own provider's rules and the common ones.
/// With them, every built-in file is read at once, so that a user's rule id that repeats a
/// built-in one is an error whatever providers the input has.
pub fn load(dirs: &[PathBuf]) -> Result<PolicySet, Vec<Diagnostic>> {
    let users = user_files(dirs)?;
    if users.is_empty() {
        return Ok(PolicySet::builtin_lazily(builtin_sources()));
    }
    let mut files = builtin_files()?;
    let trusted = files.len();
    files.extend(users);
    PolicySet::compile_trusting(&files, trusted)
}

/// The built-in rule files plus the users', parsed but not compiled.
pub fn load_files(dirs: &[PathBuf]) -> Result<Vec<LoadedRuleFile>, Vec<Diagnostic>> {
    let mut files = builtin_files()?;
    files.extend(user_files(dirs)?);
    Ok(files)
}

/// The users' rule files in `dirs`, parsed; every unreadable or broken file is reported.
fn user_files(dirs: &[PathBuf]) -> Result<Vec<LoadedRuleFile>, Vec<Diagnostic>> {
    let mut files = Vec::new();
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
