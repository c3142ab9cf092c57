//! `kubectl lbgen catalogue [--provider P] [-o text|json]`: every annotation key the
//! providers document, with how lbgen handles it (written from a typed spec field, refused,
//! or passed through unchecked), and the totals: the coverage of the catalogues, printed.

use super::outcome::{Ended, Failure, Success};
use clap::{Args, ValueEnum};
use lbgen::provider::ProviderId;
use lbgen::provider::catalogue::{Catalogue, Entry, catalogues};
use serde_json::json;

#[derive(Debug, Args)]
pub(crate) struct CatalogueArgs {
    /// Only this provider's catalogue.
    #[arg(long, value_parser = super::inputs::provider_parser())]
    provider: Option<ProviderId>,
    /// Output: a table with totals, or a JSON array of entries.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = CatalogueFormat::Text)]
    output: CatalogueFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CatalogueFormat {
    /// One line a key, totals per provider.
    Text,
    /// An array of entries (`key`, `provider`, `kinds`, `handling`, `source`, ...).
    Json,
}

pub(crate) fn execute(args: CatalogueArgs) -> Ended {
    let all = catalogues().map_err(|e| Failure::error("catalogue/builtin", e))?;
    let chosen: Vec<&Catalogue> = all
        .into_iter()
        .filter(|c| args.provider.is_none_or(|p| p.as_str() == c.provider))
        .collect();
    let text = match args.output {
        CatalogueFormat::Json => {
            let entries: Vec<serde_json::Value> = chosen
                .iter()
                .flat_map(|c| c.entries.iter().map(move |e| as_json(c, e)))
                .collect();
            let mut text = serde_json::to_string_pretty(&entries).unwrap_or_default();
            text.push('\n');
            text
        }
        CatalogueFormat::Text => chosen.iter().map(|c| table(c)).collect(),
    };
    super::output::stdout_plain(&text)?;
    Ok(Success::Clean)
}

/// What a reader needs of an entry, with `handling` spelt for people and machines alike.
fn as_json(catalogue: &Catalogue, entry: &Entry) -> serde_json::Value {
    let mut value = serde_json::to_value(entry).unwrap_or_default();
    if let Some(o) = value.as_object_mut() {
        o.insert("provider".into(), json!(catalogue.provider));
        o.insert("key".into(), json!(entry.name()));
        o.insert("handling".into(), json!(entry.handling()));
        o.insert("valueType".into(), json!(entry.value.name()));
        let fields = catalogue.spec_fields(entry);
        o.insert(
            "specField".into(),
            json!((!fields.is_empty()).then(|| fields.join(", "))),
        );
        o.insert("sourceRefs".into(), json!(catalogue.references(entry)));
    }
    value
}

/// One provider's keys and totals.
fn table(catalogue: &Catalogue) -> String {
    let mut out = format!("{}\n", catalogue.provider.to_uppercase());
    let width = catalogue
        .entries
        .iter()
        .map(|e| e.name().len())
        .max()
        .unwrap_or(0);
    for entry in &catalogue.entries {
        out.push_str(&format!(
            "  {:width$}  {:16}  {:8}  {}\n",
            entry.name(),
            entry.kinds.join(","),
            entry.value.name().unwrap_or_default(),
            entry.handling(),
        ));
    }
    let count = |h: &str| {
        catalogue
            .entries
            .iter()
            .filter(|e| e.handling() == h)
            .count()
    };
    let documented = catalogue.entries.iter().filter(|e| e.documented).count();
    let (shared, provider) = (count("typed spec field"), count("typed provider field"));
    let user_documented = catalogue
        .entries
        .iter()
        .filter(|e| e.documented && e.writer == lbgen::provider::catalogue::Writer::User)
        .count();
    out.push_str(&format!(
        "  {} entries ({documented} documented, the rest read by the controller's code): {shared} typed spec fields, {provider} typed provider fields, {} checked raw annotations, {} controller-written, {} refused\n",
        catalogue.entries.len(),
        count("checked raw annotation"),
        count("controller-written (refused)"),
        count("refused"),
    ));
    out.push_str(&format!(
        "  typed: {} of {user_documented} documented user-written keys ({}%)\n\n",
        shared + provider,
        percent(shared + provider, user_documented),
    ));
    out
}

/// `part` of `whole` in whole percent, rounded down (0 of nothing is 0).
fn percent(part: usize, whole: usize) -> usize {
    (part * 100).checked_div(whole).unwrap_or(0)
}
