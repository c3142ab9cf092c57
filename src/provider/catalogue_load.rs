//! Reading the embedded catalogues: each one parsed and checked on first use, once per
//! process, so a spec pays only for the catalogue of the provider it renders for (and the
//! others only when a raw annotation might be theirs).

use super::catalogue::Catalogue;
use super::registry::{Asset, registry};
use crate::yaml::de::from_node;
use crate::yaml::node::parse_stream;
use std::sync::OnceLock;

/// Reads one catalogue file, checking each entry; `Err` names the file, entry and fault.
pub fn parse(asset: Asset) -> Result<Catalogue, String> {
    let (name, text) = asset;
    let docs = parse_stream(text).map_err(|e| format!("{name}: {}", e.message))?;
    let root = docs
        .into_iter()
        .flatten()
        .next()
        .ok_or_else(|| format!("{name}: empty"))?;
    let catalogue: Catalogue = from_node(&root).map_err(|e| format!("{name}: {}", e.message))?;
    for (i, entry) in catalogue.entries.iter().enumerate() {
        let fault = if entry.key.is_some() == entry.pattern.is_some() {
            Some("needs exactly one of key and pattern")
        } else if entry.value.name().is_none() {
            Some("needs exactly one value type")
        } else if entry.source.trim().is_empty() {
            Some("needs a source")
        } else {
            None
        };
        if let Some(fault) = fault {
            return Err(format!("{name}: entry {i} ({}) {fault}", entry.name()));
        }
    }
    Ok(catalogue)
}

/// One pack's catalogue, parsed on first use: a spec pays only for its own provider's
/// (`Ok(None)`: no such pack, or a pack without a catalogue).
pub fn catalogue_of(id: &str) -> Result<Option<&'static Catalogue>, &'static str> {
    type Cell = OnceLock<Result<Catalogue, String>>;
    static EACH: OnceLock<Vec<(&'static str, Cell)>> = OnceLock::new();
    let each = EACH.get_or_init(|| {
        registry()
            .packs()
            .map(|p| (p.id(), OnceLock::new()))
            .collect()
    });
    let Some((_, cell)) = each.iter().find(|(i, _)| *i == id) else {
        return Ok(None);
    };
    let Some(asset) = registry().get(id).and_then(|p| p.catalogue()) else {
        return Ok(None);
    };
    cell.get_or_init(|| parse(asset))
        .as_ref()
        .map(Some)
        .map_err(String::as_str)
}

/// Every registered pack's catalogue, in registry order (packs without one are left out).
pub fn catalogues() -> Result<Vec<&'static Catalogue>, &'static str> {
    registry()
        .packs()
        .filter_map(|p| catalogue_of(p.id()).transpose())
        .collect()
}
