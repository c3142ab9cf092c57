//! What `diff` has to say in the formats CI systems read (`-o sarif|github|gitlab|junit`),
//! located at the `metadata.name` of the spec that renders each object
//! (`Compiled::origins`), so annotations land on the spec a pull request changes. Whether
//! anything differs stays the exit code, as with `-o diff` (`--fail-on` included).
//!
//! - SARIF: the compilation's warnings and every change the cloud cannot apply in place
//!   (or that is risky) as a warning.
//! - GitHub and GitLab: the same, and before each object's change warnings one finding for
//!   the object that differs, naming its change class: an error when `--fail-on` counts
//!   it (it makes the exit code 1), else a warning.
//! - JUnit: a suite per spec file, a test case per compared object, failed when
//!   `--fail-on` counts its difference (docs/ci.md).

use super::ci_report::{self, FindingsFormat};
use super::junit::{self, Case, CaseResult, Suite};
use super::output::WriteError;
use lbgen::Compiled;
use lbgen::diag::{Diagnostic, Location, Severity};
use lbgen::diff::{ChangeClass, ObjectDiff, Report, State};
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

/// Everything one report in a CI format needs.
pub(crate) struct Findings<'a> {
    pub(crate) report: &'a Report,
    /// The compilation's warnings.
    pub(crate) warnings: &'a [Diagnostic],
    pub(crate) located: &'a HashMap<Identity, Location>,
    /// The rules a SARIF log describes.
    pub(crate) rules: &'a [RuleSummary],
    /// Whether `--fail-on` counts a difference of this class.
    pub(crate) fails: &'a dyn Fn(ChangeClass) -> bool,
}

impl Findings<'_> {
    /// Prints the report in `format` (SARIF, GitHub, GitLab or JUnit) on stdout.
    pub(crate) fn print(&self, format: FindingsFormat) -> Result<(), WriteError> {
        match format {
            FindingsFormat::Github => {
                super::output::stdout_plain(&ci_report::github(&self.diagnostics(true)))
            }
            FindingsFormat::Gitlab => {
                super::output::stdout_plain(&ci_report::gitlab(&self.diagnostics(true)))
            }
            FindingsFormat::Junit => {
                super::output::stdout_plain(&junit::xml_report(&self.suites()))
            }
            FindingsFormat::Sarif => {
                let log = super::sarif::log(&self.diagnostics(false), self.rules);
                super::report::print_json(&log)
            }
        }
    }

    /// The compilation's warnings, then per object its change warnings, each preceded by
    /// the object's own finding when `with_objects`.
    fn diagnostics(&self, with_objects: bool) -> Vec<Diagnostic> {
        let mut diagnostics = self.warnings.to_vec();
        for o in &self.report.objects {
            let location = self.location_of(o);
            if with_objects {
                diagnostics.extend(self.object_finding(o, location.clone()));
            }
            diagnostics.extend(change_warnings(o, location));
        }
        diagnostics
    }

    fn location_of(&self, o: &ObjectDiff) -> Option<Location> {
        let id = (o.kind.clone(), o.namespace.clone(), o.name.clone());
        self.located.get(&id).cloned()
    }

    /// The object's difference as one finding (`diff/added`, `diff/changed`,
    /// `diff/would-be-removed`), none when it has none.
    fn object_finding(&self, o: &ObjectDiff, location: Option<Location>) -> Option<Diagnostic> {
        let class = o.class?;
        let rule = match o.state {
            State::Added => "diff/added",
            State::WouldBeRemoved => "diff/would-be-removed",
            State::Changed | State::Unchanged | State::NotRead => "diff/changed",
        };
        let severity = if (self.fails)(class) {
            Severity::Error
        } else {
            Severity::Warning
        };
        Some(Diagnostic {
            help: None,
            severity,
            rule: rule.into(),
            message: format!("{}: {}", object_name(o), class_text(o.state, class)),
            field: None,
            provider: None,
            location,
        })
    }

    /// A suite per spec file (in the order first met; `(cluster)` for objects only the
    /// cluster has), holding the file's compilation warnings and a case per object.
    fn suites(&self) -> Vec<Suite> {
        let mut suites: Vec<Suite> = Vec::new();
        let mut add = |file: &str, case: Case| {
            let name = if file.is_empty() { "(cluster)" } else { file };
            match suites.iter_mut().find(|s| s.name == name) {
                Some(suite) => suite.cases.push(case),
                None => suites.push(Suite {
                    name: name.into(),
                    cases: vec![case],
                }),
            }
        };
        for w in self.warnings {
            add(
                w.location.as_ref().map_or("", |l| l.file.as_str()),
                junit::finding_case(w),
            );
        }
        for o in &self.report.objects {
            let location = self.location_of(o);
            add(
                location.as_ref().map_or("", |l| l.file.as_str()),
                self.object_case(o),
            );
        }
        suites
    }

    /// One compared object as a test case: unchanged passes, a Secret is skipped (never
    /// read), a difference fails when `--fail-on` counts it and passes with its text when
    /// not. The text is the class, the change warnings and the unified diff.
    fn object_case(&self, o: &ObjectDiff) -> Case {
        let result = match o.class {
            None if o.state == State::NotRead => {
                CaseResult::Skipped("not compared: Secrets are never read".into())
            }
            None => CaseResult::Passed,
            Some(class) => {
                let message = class_text(o.state, class);
                let mut text = format!("{}: {message}\n", object_name(o));
                for w in &o.warnings {
                    text.push_str(&format!(
                        "warning: {} ({}): {}\n",
                        w.field,
                        impact_text(w.impact),
                        w.message
                    ));
                }
                text.push_str(&o.diff);
                if (self.fails)(class) {
                    CaseResult::Failed { message, text }
                } else {
                    CaseResult::PassedWith(text)
                }
            }
        };
        Case {
            name: object_name(o),
            classname: "diff".into(),
            result,
        }
    }
}

/// The change warnings of one object, at `location`.
fn change_warnings(o: &ObjectDiff, location: Option<Location>) -> Vec<Diagnostic> {
    o.warnings
        .iter()
        .map(|w| {
            let rule = match w.impact {
                Impact::NotInPlace => "diff/not-in-place",
                Impact::Risky => "diff/risky",
                Impact::IgnoredAfterCreate => "diff/ignored-after-create",
            };
            Diagnostic {
                help: None,
                severity: Severity::Warning,
                rule: rule.into(),
                message: format!("{}: {}: {}", object_name(o), w.field, w.message),
                field: Some(w.field.clone()),
                provider: Some(w.provider.clone()),
                location: location.clone(),
            }
        })
        .collect()
}

/// `Service web/shop` (no namespace part for a cluster-scoped object).
fn object_name(o: &ObjectDiff) -> String {
    if o.namespace.is_empty() {
        format!("{} {}", o.kind, o.name)
    } else {
        format!("{} {}/{}", o.kind, o.namespace, o.name)
    }
}

/// What applying the difference does, with its `--fail-on` class.
fn class_text(state: State, class: ChangeClass) -> String {
    let what = match state {
        State::Added => "added",
        State::WouldBeRemoved => "would be removed",
        State::Changed | State::Unchanged | State::NotRead => "changed",
    };
    let effect = match class {
        ChangeClass::InPlace => "applied in place (class in-place)",
        ChangeClass::IgnoredAfterCreate => {
            "ignored by the controller until the object is recreated (class ignored-after-create)"
        }
        ChangeClass::Risky => "applied with a side effect (class risky)",
        ChangeClass::Recreate => "recreates the load balancer (class recreate)",
        ChangeClass::Removes => "removes the load balancer (class removes)",
    };
    format!("{what}, {effect}")
}

fn impact_text(impact: Impact) -> &'static str {
    match impact {
        Impact::NotInPlace => "not applied in place",
        Impact::Risky => "risky",
        Impact::IgnoredAfterCreate => "ignored after create",
    }
}
