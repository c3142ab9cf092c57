//! The user's raw annotations (`metadata.annotations`) checked against the catalogues: a
//! key under a provider's prefixes must be one that provider documents, with a value of
//! its type, not one its controller writes, and not gated above the cluster's version.
//!
//! This is the silent failure lbgen exists to prevent: a cloud controller ignores a key it
//! does not know. A key newer than the catalogue is let through only when the spec lists
//! it in `spec.uncheckedAnnotations`, and then with a warning, never by default.

use super::catalogue::{
    Catalogue, Entry, GateOf, Handling, ValueType, Writer, catalogue_of, catalogues,
};
use crate::diag::{Diagnostic, Severity};
use crate::plan::Plan;
use crate::spec::version::ClusterVersion;

/// Every finding about the plan's raw annotations, each blaming its key.
pub fn check(plan: &Plan) -> Vec<Diagnostic> {
    // Most specs carry no raw annotations: they never pay for reading the catalogues.
    if plan.annotations.is_empty() && plan.provider_fields.is_empty() {
        return Vec::new();
    }
    let broken = |e: &str| {
        vec![Diagnostic::error(
            "catalogue/builtin",
            format!("lbgen's built-in annotation catalogue is broken ({e}); please report it"),
            None,
        )]
    };
    // Embedded data that does not read is lbgen's bug; say so rather than check nothing.
    let own = match catalogue_of(plan.provider.as_str()) {
        Ok(own) => own,
        Err(e) => return broken(e),
    };
    // The other providers' catalogues are read only for a key outside the own prefixes.
    let mut others: Option<Vec<&Catalogue>> = None;
    let mut out = typed_fields(own, plan);
    if let Some(catalogue) = own {
        out.extend(super::annotation_relations::check(catalogue, plan));
    }
    for (key, value) in &plan.annotations {
        let field = format!("metadata.annotations[\"{key}\"]");
        let finding =
            |severity, rule: &str, message: String| finding(plan, &field, severity, rule, message);
        let unchecked = plan.unchecked_annotations.iter().any(|k| k == key);
        let kind = plan.exposure.kind();
        // A legacy spelling the controller still reads is judged as its current one.
        let current = own.and_then(|c| c.current_spelling(key));
        if let Some(current) = &current {
            out.push(finding(
                Severity::Warning,
                "annotations/legacy-prefix",
                format!("`{key}` uses a legacy prefix the controller still reads as `{current}`; write `{current}` (it wins when both are set)"),
            ));
        }
        let key = current.as_deref().unwrap_or(key);
        match own.filter(|c| under(c, key)) {
            Some(catalogue) => match entry_for(catalogue, key, kind) {
                Err(kinds) if !unchecked => out.push(finding(
                    Severity::Error,
                    "annotations/kind",
                    format!("`{key}` goes on {kinds}, not on the {kind} this spec renders; remove it, or change spec.exposure"),
                )),
                Err(_) => {}
                Ok(Some(entry)) if !unchecked => {
                    if let Some((rule, message)) = judge(entry, key, value, plan) {
                        out.push(finding(Severity::Error, rule, message));
                    } else if !entry.documented {
                        out.push(finding(
                            Severity::Warning,
                            "annotations/undocumented",
                            format!("`{key}` is read by the controller's code, but no {} page documents it: it may change without notice ({})", catalogue.provider, entry.source),
                        ));
                    }
                }
                Ok(Some(_)) => out.push(finding(
                    Severity::Warning,
                    "annotations/unchecked",
                    format!("`{key}` is in the {} catalogue: remove it from spec.uncheckedAnnotations so its value is checked", catalogue.provider),
                )),
                Ok(None) if unchecked => out.push(finding(
                    Severity::Warning,
                    "annotations/unchecked",
                    format!("`{key}` is not in lbgen's {} catalogue; passed through unchecked (spec.uncheckedAnnotations)", catalogue.provider),
                )),
                Ok(None) => out.push(finding(Severity::Error, "annotations/unknown", unknown(catalogue, key))),
            },
            None => {
                let all = match &others {
                    Some(all) => all,
                    None => match catalogues() {
                        Ok(all) => others.insert(all),
                        Err(e) => return broken(e),
                    },
                };
                if let Some(other) = all.iter().find(|c| under(c, key) && own.is_none_or(|o| o.provider != c.provider)) {
                    out.push(finding(
                        Severity::Error,
                        "annotations/other-provider",
                        format!(
                            "`{key}` is a {} annotation, but this spec renders for {}, whose controller ignores it; remove it (or render for {})",
                            other.provider, plan.provider, other.provider
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// A finding about the annotation set at `field` (its location is found later, from the
/// field, while the spec's document is at hand).
pub(super) fn finding(
    plan: &Plan,
    field: &str,
    severity: Severity,
    rule: &str,
    message: String,
) -> Diagnostic {
    Diagnostic {
        help: None,
        severity,
        rule: rule.into(),
        message,
        field: Some(field.to_string()),
        provider: Some(plan.provider.as_str().into()),
        location: None,
    }
}

/// The entry of `key` for `kind`; `Err` with the kinds it goes on when it is documented
/// for other kinds only.
pub(super) fn entry_for<'a>(
    catalogue: &'a Catalogue,
    key: &str,
    kind: &str,
) -> Result<Option<&'a Entry>, String> {
    let matching: Vec<&Entry> = catalogue
        .entries
        .iter()
        .filter(|e| e.matches(key))
        .collect();
    match matching.iter().find(|e| e.kinds.iter().any(|k| k == kind)) {
        Some(entry) => Ok(Some(entry)),
        None if matching.is_empty() => Ok(None),
        None => Err(matching
            .iter()
            .flat_map(|e| e.kinds.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" and ")),
    }
}

/// Whether `key` is under one of the catalogue's prefixes.
fn under(catalogue: &Catalogue, key: &str) -> bool {
    catalogue
        .prefixes
        .iter()
        .any(|p| key.starts_with(p.as_str()))
}

/// An unknown key's message, with the nearest documented key when one is close.
fn unknown(catalogue: &Catalogue, key: &str) -> String {
    let hint = catalogue
        .nearest(key)
        .map(|k| format!("did you mean `{k}`? "))
        .unwrap_or_default();
    format!(
        "`{key}` is not an annotation {} documents, so its controller would ignore it; {hint}fix the key, or list it in spec.uncheckedAnnotations if it is newer than lbgen's catalogue (`kubectl lbgen catalogue --provider {}` lists the known ones)",
        catalogue.provider, catalogue.provider
    )
}

/// The rule and message when `value` breaks the entry's contract.
fn judge(entry: &Entry, key: &str, value: &str, plan: &Plan) -> Option<(&'static str, String)> {
    if entry.writer == Writer::Controller {
        return Some((
            "annotations/controller-written",
            format!("`{key}` is written by the cloud's controller, never by users; remove it"),
        ));
    }
    let family = plan.provider.pack().family(plan);
    if let Some(finding) = family_problem(entry, key, family) {
        return Some(finding);
    }
    if let Some(problem) = value_problem(&entry.value_for(family), value) {
        let written = match (entry.lbgen, &entry.spec_field) {
            (Handling::Written, Some(field)) => {
                format!("; lbgen writes this key itself from {field}, so leave it out")
            }
            (Handling::Written, None) => {
                "; lbgen writes this key itself from the spec, so leave it out".into()
            }
            _ => String::new(),
        };
        return Some((
            "annotations/value",
            format!("`{key}: {value}`: {problem}{written}"),
        ));
    }
    gate_problem(entry, key, plan, "annotation")
}

/// The finding when the controller does not read `key` for the plan's load-balancer family.
fn family_problem(
    entry: &Entry,
    key: &str,
    family: Option<&str>,
) -> Option<(&'static str, String)> {
    let family = family.filter(|f| !entry.read_for(Some(f)))?;
    Some((
        "annotations/family",
        format!(
            "`{key}` is read for {} load balancers only, and this spec renders a {family} load balancer; its controller would ignore it: remove it, or change the load-balancer type",
            entry.families.join(" and ")
        ),
    ))
}

/// The version-gate finding of `key` when the spec's cluster is older than its gate.
fn gate_problem(
    entry: &Entry,
    key: &str,
    plan: &Plan,
    what: &str,
) -> Option<(&'static str, String)> {
    let gate = entry.gate.as_ref().filter(|g| g.of == GateOf::Cluster)?;
    let have = plan.cluster.version.as_ref()?.version();
    let trains: Vec<ClusterVersion> = match gate.min_version.as_ref()? {
        serde_json::Value::String(one) => vec![ClusterVersion::parse(one).ok()?],
        serde_json::Value::Array(list) => list
            .iter()
            .filter_map(|v| ClusterVersion::parse(v.as_str()?).ok())
            .collect(),
        _ => return None,
    };
    let met = match trains.as_slice() {
        [] => true,
        [one] => have >= *one,
        many => have.in_trains(many),
    };
    let wanted = gate.min_version.as_ref()?.to_string();
    (!met).then(|| {
        (
            "annotations/version",
            format!("`{key}` needs cluster version {wanted} or later; the spec's cluster.version is older: upgrade, or remove the {what}"),
        )
    })
}

/// Findings about the typed provider fields (their values were checked as they were read):
/// a group for the other kind, and version gates.
fn typed_fields(own: Option<&Catalogue>, plan: &Plan) -> Vec<Diagnostic> {
    let kind = plan.exposure.kind();
    let mut out = Vec::new();
    for typed in &plan.provider_fields {
        let finding = |rule: &str, message: String| {
            finding(plan, &typed.field, Severity::Error, rule, message)
        };
        if typed.kind != kind {
            out.push(finding(
                "annotations/kind",
                format!(
                    "{} sets `{}` on a {}, but this spec renders a {kind}; move it to the {} group, or remove it",
                    typed.field,
                    typed.key,
                    typed.kind,
                    kind.to_ascii_lowercase()
                ),
            ));
            continue;
        }
        let entry = own.and_then(|c| entry_for(c, &typed.key, kind).ok().flatten());
        let family = plan.provider.pack().family(plan);
        let problem = entry.and_then(|e| {
            family_problem(e, &typed.key, family)
                .or_else(|| gate_problem(e, &typed.key, plan, "field"))
        });
        if let Some((rule, message)) = problem {
            out.push(finding(rule, message));
        }
    }
    out
}

/// What is wrong with `value` for `ty`, if anything.
pub(super) fn value_problem(ty: &ValueType, value: &str) -> Option<String> {
    let one_of = |allowed: &[String]| {
        (!allowed.iter().any(|a| a == value)).then(|| {
            let list: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
            let meant = crate::suggest::nearest(value, allowed.iter().map(String::as_str))
                .map(|m| format!(" (did you mean `{m}`?)"))
                .unwrap_or_default();
            format!("expected one of {}{meant}", list.join(", "))
        })
    };
    if let Some(allowed) = ty.one_of.as_ref().or(ty.bool.as_ref()) {
        return one_of(allowed);
    }
    if let Some(range) = ty.integer.as_ref().or(ty.duration.as_ref()) {
        let unit = range
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        let Ok(n) = value.trim().parse::<i64>() else {
            return Some(format!("expected a whole number{unit}"));
        };
        let (lo, hi) = (range.min.unwrap_or(i64::MIN), range.max.unwrap_or(i64::MAX));
        return (!(lo..=hi).contains(&n)).then(|| {
            format!(
                "expected {}..{}{unit}",
                range.min.unwrap_or(n),
                range.max.unwrap_or(n)
            )
        });
    }
    if let Some(list) = &ty.list {
        let separator = list
            .get("separator")
            .and_then(|s| s.as_str())
            .unwrap_or(",");
        let items: Vec<&str> = value.split(separator).collect();
        if items.iter().any(|i| i.trim().is_empty()) {
            return Some(format!(
                "expected a list separated by `{separator}` without empty items"
            ));
        }
        let max = list.get("max_items").and_then(serde_json::Value::as_u64);
        return max
            .filter(|&m| items.len() as u64 > m)
            .map(|m| format!("expected at most {m} items separated by `{separator}`"));
    }
    if let Some(json) = &ty.json {
        return match serde_json::from_str::<serde_json::Value>(value) {
            Err(e) => Some(format!("expected JSON: {e}")),
            Ok(parsed) => json
                .get("schema")
                .and_then(|schema| super::catalogue_json::problem(schema, &parsed)),
        };
    }
    let pattern = ty.string.as_ref()?.get("pattern")?.as_str()?;
    let re = regex::Regex::new(pattern).ok()?;
    (!re.is_match(value)).then(|| format!("expected text matching `{pattern}`"))
}
