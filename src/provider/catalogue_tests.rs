//! The catalogues as data: what build.rs generated from them agrees with what the parser
//! reads.

use super::*;

include!(concat!(env!("OUT_DIR"), "/catalogue_keys_all.rs"));

/// build.rs reads the catalogues with a line scanner; this is what the real parser
/// reads: the same `rust:` names for the same keys (a pattern's const is its head).
#[test]
fn the_generated_key_consts_are_the_catalogues_own() {
    let mut parsed = Vec::new();
    for catalogue in catalogues().unwrap() {
        for entry in &catalogue.entries {
            if let Some(name) = &entry.rust {
                let key = entry.name().split('<').next().unwrap_or_default();
                parsed.push((catalogue.provider.clone(), name.clone(), key.to_string()));
            }
        }
    }
    let mut generated: Vec<(String, String, String)> = NAMED_KEYS
        .iter()
        .map(|(p, n, k)| (p.to_string(), n.to_string(), k.to_string()))
        .collect();
    generated.sort();
    parsed.sort();
    assert_eq!(generated, parsed);
    assert!(generated.len() > 80, "{}", generated.len());
}
