//! `kubectl lbgen explain <annotation-key> [--provider P]`: what the catalogue says of one
//! provider annotation (kinds, value type with range and unit, default, gate, who writes
//! it, whether a change applies in place, how lbgen handles it, its source), so a user who
//! meets a key in a chart can look it up the way `explain` looks up a spec field.

use super::outcome::{Ended, Failure, Success};
use lbgen::provider::ProviderId;
use lbgen::provider::catalogue::{Catalogue, Entry, InPlace, ValueType, catalogues};

/// Whether `field` names an annotation rather than a spec field (keys have a `/`).
pub(crate) fn is_annotation(field: &str) -> bool {
    field.contains('/')
}

pub(crate) fn execute(key: &str, provider: Option<ProviderId>) -> Ended {
    let all = catalogues().map_err(|e| Failure::error("catalogue/builtin", e))?;
    let found: Vec<(&Catalogue, &Entry)> = all
        .iter()
        .copied()
        .filter(|c| provider.is_none_or(|p| p.as_str() == c.provider))
        .flat_map(|c| c.entries.iter().map(move |e| (c, e)))
        .filter(|(_, e)| e.matches(key) || e.name() == key)
        .collect();
    if found.is_empty() {
        let hint = all
            .iter()
            .filter(|c| c.prefixes.iter().any(|p| key.starts_with(p.as_str())))
            .find_map(|c| c.nearest(key))
            .map(|k| format!("; did you mean `{k}`?"))
            .unwrap_or_default();
        return Err(Failure::error(
            "explain/annotation",
            format!(
                "no provider documents the annotation `{key}` in lbgen's catalogues{hint} (`kubectl lbgen catalogue` lists them)"
            ),
        ));
    }
    let text: Vec<String> = found.iter().map(|(p, e)| describe(p, e)).collect();
    super::output::stdout_plain(&text.join("\n"))?;
    Ok(Success::Clean)
}

fn describe(catalogue: &Catalogue, e: &Entry) -> String {
    let mut out = format!(
        "ANNOTATION: {}\nPROVIDER:   {}\nKINDS:      {}\nTYPE:       {}\n",
        e.name(),
        catalogue.provider,
        e.kinds.join(", "),
        type_of(&e.value)
    );
    if let Some(default) = &e.default {
        out.push_str(&format!("DEFAULT:    {default}\n"));
    }
    if let Some(gate) = &e.gate {
        let version = gate
            .min_version
            .as_ref()
            .map(|v| v.to_string())
            .unwrap_or_default();
        let of = serde_json::to_value(gate.of).unwrap_or_default();
        let note = gate
            .note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "GATE:       {} {version}{note}\n",
            of.as_str().unwrap_or_default()
        ));
    }
    let in_place = match e.in_place {
        InPlace::True => "yes",
        InPlace::False => "no (the object must be recreated)",
        InPlace::AtCreation => {
            "no (read only when the load balancer is created; a later change is ignored)"
        }
        InPlace::NotRemovable => "yes, but removing it leaves the setting on the load balancer",
        InPlace::Disruptive => "yes, by replacing the listener (a short interruption)",
        InPlace::Unknown => "not documented",
    };
    let writer = serde_json::to_value(e.writer).unwrap_or_default();
    let fields = catalogue.spec_fields(e);
    let handling = match fields.is_empty() {
        false => format!("{} ({})", e.handling(), fields.join(", ")),
        true => e.handling().to_string(),
    };
    out.push_str(&format!(
        "WRITER:     {}\nIN PLACE:   {in_place}\n",
        writer.as_str().unwrap_or_default()
    ));
    if let Some(change) = &e.change {
        out.push_str(&format!("ON CHANGE:  {change}\n"));
    }
    out.push_str(&format!(
        "HANDLING:   {handling}\nSOURCE:     {}\n",
        e.source
    ));
    if let Some(d) = &e.disagreement {
        out.push_str(&format!("DISAGREES:  {d}\n"));
    }
    for (short, full) in catalogue.references(e) {
        out.push_str(&format!("            {short}: {full}\n"));
    }
    out.push_str(&format!("\nSUMMARY:\n    {}\n", e.summary));
    out
}

/// The value type in words: spellings, range and unit.
fn type_of(v: &ValueType) -> String {
    let quoted = |list: &[String]| {
        list.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let range = |r: &lbgen::provider::catalogue::Range| {
        let span = match (r.min, r.max) {
            (Some(lo), Some(hi)) => format!(" {lo}..{hi}"),
            (Some(lo), None) => format!(" at least {lo}"),
            (None, Some(hi)) => format!(" at most {hi}"),
            (None, None) => String::new(),
        };
        let unit = r
            .unit
            .as_deref()
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        format!("{span}{unit}")
    };
    if let Some(list) = &v.one_of {
        return format!("one of {}", quoted(list));
    }
    if let Some(list) = &v.bool {
        return format!("boolean, spelt {}", quoted(list));
    }
    if let Some(r) = &v.integer {
        return format!("integer{}", range(r));
    }
    if let Some(r) = &v.duration {
        return format!("duration{}", range(r));
    }
    if let Some(list) = &v.list {
        let separator = list
            .get("separator")
            .and_then(|s| s.as_str())
            .unwrap_or(",");
        return format!("list separated by {separator:?}");
    }
    if v.json.is_some() {
        return "JSON".into();
    }
    match v
        .string
        .as_ref()
        .and_then(|s| s.get("pattern"))
        .and_then(|p| p.as_str())
    {
        Some(pattern) => format!("text matching {pattern}"),
        None => "text".into(),
    }
}
