//! The import report: per object and per field or annotation, what became of it
//! (`mapped` to a spec field, `approximated`, `kept as raw annotation`, `unsupported on
//! target`, `controller-written (dropped)`), with totals. The CLI prints it as text on
//! stderr and as JSON (`-o json`, `--report FILE`); `--strict` fails on anything but
//! `mapped`.

use crate::diag::Location;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write;

/// What became of one field or annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Outcome {
    /// A spec field reproduces it exactly.
    #[serde(rename = "mapped")]
    Mapped,
    /// A spec field reproduces it, but not byte for byte (or the render adds to it).
    #[serde(rename = "approximated")]
    Approximated,
    /// Kept under the spec's `metadata.annotations`, copied verbatim on render.
    #[serde(rename = "kept as raw annotation")]
    KeptRaw,
    /// Nothing in the spec can carry it; it is not in the rendered output.
    #[serde(rename = "unsupported on target")]
    Unsupported,
    /// Written by the cloud's controller, never by users: left out of the spec.
    #[serde(rename = "controller-written (dropped)")]
    ControllerWritten,
}

impl Outcome {
    /// The words the report uses.
    pub fn words(self) -> &'static str {
        match self {
            Outcome::Mapped => "mapped",
            Outcome::Approximated => "approximated",
            Outcome::KeptRaw => "kept as raw annotation",
            Outcome::Unsupported => "unsupported on target",
            Outcome::ControllerWritten => "controller-written (dropped)",
        }
    }
}

/// One field or annotation of an object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportItem {
    /// The annotation key, or the object's field (`spec.loadBalancerClass`).
    pub subject: String,
    /// What became of it.
    pub outcome: Outcome,
    /// The spec field it became, when it became one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Why, or how it was approximated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// One input object's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectReport {
    /// `Service web/nginx`.
    pub object: String,
    /// Where it is in the input.
    pub location: Location,
    /// The provider it was imported as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Whether a spec was written for it (else it passed through untouched).
    pub imported: bool,
    /// The input object's apiVersion.
    #[serde(skip)]
    pub api_version: String,
    /// Its fields and annotations, in key order.
    pub items: Vec<ReportItem>,
}

/// The whole report.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Every object with something to say, in input order.
    pub objects: Vec<ObjectReport>,
    /// How many items had each outcome.
    pub totals: BTreeMap<&'static str, usize>,
}

impl ObjectReport {
    /// An empty report of `object`.
    pub fn new(object: &Value, location: Location) -> ObjectReport {
        let text = |pointer: &str| object.pointer(pointer).and_then(Value::as_str);
        let kind = text("/kind").unwrap_or("object");
        let name = text("/metadata/name").unwrap_or("(unnamed)");
        let object = match text("/metadata/namespace") {
            Some(ns) => format!("{kind} {ns}/{name}"),
            None => format!("{kind} {name}"),
        };
        ObjectReport {
            object,
            location,
            provider: None,
            imported: false,
            api_version: text("/apiVersion").unwrap_or_default().to_string(),
            items: Vec::new(),
        }
    }

    /// Adds one item.
    pub fn push(
        &mut self,
        subject: &str,
        outcome: Outcome,
        target: Option<String>,
        why: Option<String>,
    ) {
        self.items.push(ReportItem {
            subject: subject.to_string(),
            outcome,
            target,
            why,
        });
    }

    /// Marks the object field `subject`, reported as having no spec field, as mapped to
    /// `target` (a pack's reading of it).
    pub(super) fn claim(&mut self, subject: &str, target: &str) {
        for item in self.items.iter_mut().filter(|i| i.subject == subject) {
            item.outcome = Outcome::Mapped;
            item.target = Some(target.to_string());
            item.why = None;
        }
    }

    /// Every annotation kept as it is (the object passes through), with why.
    pub(super) fn keep_all(&mut self, annotations: &BTreeMap<String, String>, why: &str) {
        for key in annotations.keys().filter(|k| is_provider_key(k)) {
            self.push(key, Outcome::KeptRaw, None, Some(why.to_string()));
        }
    }

    /// Every annotation unsupported (the object passes through), with why.
    pub(super) fn unsupported_all(&mut self, annotations: &BTreeMap<String, String>, why: &str) {
        for key in annotations.keys() {
            self.push(key, Outcome::Unsupported, None, Some(why.to_string()));
        }
    }

    /// The report, when it has items.
    pub(super) fn worth_reporting(self) -> Option<ObjectReport> {
        (!self.items.is_empty()).then_some(self)
    }
}

/// Whether `key` is under any provider's catalogue prefixes (or is the Ingress class).
fn is_provider_key(key: &str) -> bool {
    key == super::detect::INGRESS_CLASS
        || crate::provider::catalogue::catalogues().is_ok_and(|all| {
            all.iter().any(|c| {
                c.prefixes.iter().any(|p| key.starts_with(p.as_str()))
                    || c.legacy_prefixes.iter().any(|l| key.starts_with(&l.prefix))
            })
        })
}

impl Report {
    /// Counts the items.
    pub(super) fn total(&mut self) {
        self.totals.clear();
        for item in self.objects.iter().flat_map(|o| &o.items) {
            *self.totals.entry(item.outcome.words()).or_default() += 1;
        }
    }

    /// Whether anything is not `mapped` (`--strict`).
    pub fn has_unmapped(&self) -> bool {
        self.objects
            .iter()
            .flat_map(|o| &o.items)
            .any(|i| i.outcome != Outcome::Mapped)
    }

    /// The report for people: one block per object, one line per item, then the totals.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for object in &self.objects {
            let as_what = match (&object.provider, object.imported) {
                (Some(p), true) => format!("imported as {p}"),
                (_, _) => "passed through untouched".to_string(),
            };
            let l = &object.location;
            let _ = writeln!(
                out,
                "{} ({}:{}:{}): {as_what}",
                object.object, l.file, l.line, l.column
            );
            for item in &object.items {
                let _ = write!(out, "  {}: {}", item.subject, item.outcome.words());
                if let Some(target) = &item.target {
                    let _ = write!(out, " -> {target}");
                }
                if let Some(why) = &item.why {
                    let _ = write!(out, " ({why})");
                }
                out.push('\n');
            }
        }
        let totals: Vec<String> = self
            .totals
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        let _ = writeln!(
            out,
            "import: {} object{} reported; {}",
            self.objects.len(),
            if self.objects.len() == 1 { "" } else { "s" },
            if totals.is_empty() {
                "nothing to report".to_string()
            } else {
                totals.join(", ")
            }
        );
        out
    }
}
