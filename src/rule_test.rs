//! The rule test harness behind `validate --test DIR`, in the spirit of `kyverno test` and
//! `opa test`: each case is a spec and the rule ids that must fire (`expect`) and must not
//! (`pass`), so teams can test their own rules the way the built-in ones are tested.
//!
//! It runs whole validations (`crate::compile::validate`), so it lives beside the pipeline rather
//! than in `policy`, which the pipeline calls and which must not call back into it.

use crate::diag::{Diagnostic, Location};
use crate::plan::Overrides;
use crate::policy::engine::PolicySet;
use crate::spec::load::Source;
use crate::yaml::de::from_node;
use crate::yaml::node::parse_stream;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

/// A test file: `cases:`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    /// The cases.
    pub cases: Vec<TestCase>,
}

/// One case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestCase {
    /// What the case shows.
    pub name: String,
    /// The spec (a YAML stream), inline.
    pub spec: String,
    /// Rule ids that must fire.
    #[serde(default)]
    pub expect: Vec<String>,
    /// Rule ids that must not fire.
    #[serde(default)]
    pub pass: Vec<String>,
}

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseResult {
    /// `file: name`.
    pub name: String,
    /// Expected ids that did not fire.
    pub missing: Vec<String>,
    /// Ids listed under `pass` that fired.
    pub unexpected: Vec<String>,
    /// Ids that fired.
    pub fired: BTreeSet<String>,
    /// Why the spec could not be judged at all (it does not load or plan), unless the case
    /// expects exactly that: a case whose spec is broken proves nothing about a rule.
    pub broken: Vec<String>,
}

impl CaseResult {
    /// Whether the case holds.
    pub fn passed(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty() && self.broken.is_empty()
    }
}

/// Runs every `*.yaml` test file in `dir` (sorted) against `policies`. A test file that
/// cannot be read is an error diagnostic at its location.
pub fn run_dir(dir: &Path, policies: &PolicySet) -> Result<Vec<CaseResult>, Vec<Diagnostic>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| {
            vec![Diagnostic::error(
                "test/io",
                format!("cannot read `{}`: {e}", dir.display()),
                None,
            )]
        })?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
        })
        .collect();
    files.sort();
    let mut results = Vec::new();
    let mut errors = Vec::new();
    for path in files {
        let name = path.display().to_string();
        let file = match read(&path, &name) {
            Ok(f) => f,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for case in file.cases {
            results.push(run_case(&name, &case, policies));
        }
    }
    if errors.is_empty() {
        Ok(results)
    } else {
        Err(errors)
    }
}

fn read(path: &Path, name: &str) -> Result<TestFile, Diagnostic> {
    let at = |message: String, line: usize, column: usize| {
        Diagnostic::error(
            "test/syntax",
            message,
            Some(Location {
                file: name.to_string(),
                line,
                column,
            }),
        )
    };
    let text = crate::spec::load::read_file(path)
        .map_err(|e| Diagnostic {
            rule: "test/io".into(),
            ..e
        })?
        .text;
    let docs = parse_stream(&text).map_err(|e| at(e.message, e.span.line(), e.span.column()))?;
    let Some(Some(root)) = docs.first() else {
        return Err(at("empty test file: expected `cases:`".into(), 1, 1));
    };
    from_node(root).map_err(|e| {
        let span = e.span.unwrap_or(root.span);
        at(e.message, span.line(), span.column())
    })
}

fn run_case(file: &str, case: &TestCase, policies: &PolicySet) -> CaseResult {
    let source = Source {
        name: format!("{file}: {}", case.name),
        text: case.spec.clone(),
    };
    let diagnostics = crate::compile::validate(&[source], &Overrides::default(), policies);
    let judged_nothing = |rule: &str| {
        ["load/", "plan/", "policy/", "render/"]
            .iter()
            .any(|p| rule.starts_with(p))
    };
    let broken = diagnostics
        .iter()
        .filter(|d| judged_nothing(&d.rule) && !case.expect.contains(&d.rule))
        .map(|d| match &d.location {
            Some(l) => format!("{}:{}: {} [{}]", l.line, l.column, d.message, d.rule),
            None => format!("{} [{}]", d.message, d.rule),
        })
        .collect();
    let fired: BTreeSet<String> = diagnostics.into_iter().map(|d| d.rule).collect();
    CaseResult {
        name: format!("{file}: {}", case.name),
        missing: case
            .expect
            .iter()
            .filter(|id| !fired.contains(*id))
            .cloned()
            .collect(),
        unexpected: case
            .pass
            .iter()
            .filter(|id| fired.contains(*id))
            .cloned()
            .collect(),
        fired,
        broken,
    }
}
