//! Annotation catalogues: every annotation a provider documents, as data
//! (`catalogues/<provider>.yaml`, embedded by `build.rs`), with its kinds, value type,
//! gates, who writes it, whether a change applies in place, and its source.
//!
//! The catalogue is what lbgen knows about a key it does not write itself: `catalogue`
//! prints it with how lbgen handles each key, and the loader of a pack's data checks that
//! every entry is well formed (one value type, a source, a key or a pattern) before any
//! spec is read. A catalogue that does not parse is lbgen's own bug, reported as such.

use super::registry::{Asset, registry};
use crate::yaml::de::from_node;
use crate::yaml::node::parse_stream;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// One provider's catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// The pack's id.
    pub provider: String,
    /// The short names entries cite (`CLB-PAGE`), with the full reference.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    /// The key prefixes its controllers read.
    pub prefixes: Vec<String>,
    /// Old prefixes the controller still reads as a current one.
    #[serde(default)]
    pub legacy_prefixes: Vec<LegacyPrefix>,
    /// Every documented key.
    pub entries: Vec<Entry>,
}

/// An old key prefix the controller still reads in place of a current one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegacyPrefix {
    /// The old prefix.
    pub prefix: String,
    /// The current prefix it stands for.
    pub reads_as: String,
    /// Where the fact comes from.
    pub source: String,
}

/// One documented annotation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The exact key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Or a pattern with one `<placeholder>` (`kubernetes.io/elb.actions.<name>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// The kinds it goes on.
    pub kinds: Vec<String>,
    /// Its value type.
    pub value: ValueType,
    /// The documented default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// A version gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<Gate>,
    /// Who writes it.
    pub writer: Writer,
    /// Whether a change applies in place.
    pub in_place: InPlace,
    /// Keys it needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub companions: Vec<String>,
    /// Keys it cannot go with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    /// The concept it expresses, when it has a name in lbgen's vocabulary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concept: Option<String>,
    /// How lbgen handles it today.
    pub lbgen: Handling,
    /// The spec field that sets it, when lbgen writes it.
    #[serde(
        default,
        rename = "spec_field",
        skip_serializing_if = "Option::is_none"
    )]
    pub spec_field: Option<String>,
    /// Where the facts come from.
    pub source: String,
    /// Where sources disagree, and what was chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disagreement: Option<String>,
    /// What it does, in one line.
    pub summary: String,
    /// The load-balancer families that read it, where a provider has several (`clb`, `nlb`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub families: Vec<String>,
    /// A family's own value, default, gate or source where it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_family: Option<serde_json::Value>,
    /// The name of its typed provider field (`spec.<provider>.service.<field>`) where the
    /// one derived from the key would be unclear or shared with another key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// False for a key the controller's code reads but no page documents.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub documented: bool,
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

/// A value type: exactly one of the fields is set (checked when the catalogue loads).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ValueType {
    /// Exact spellings.
    #[serde(rename = "enum", default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<String>>,
    /// The spellings of true and false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bool: Option<Vec<String>>,
    /// An integer with a range and unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integer: Option<Range>,
    /// A duration in a unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<Range>,
    /// Free text, with a documented pattern when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub string: Option<serde_json::Value>,
    /// A delimiter-joined list: `separator`, `item` (a value type), `max_items`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<serde_json::Value>,
    /// A JSON document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<serde_json::Value>,
}

impl ValueType {
    /// The name of the one type set, or `None` when none or several are.
    pub fn name(&self) -> Option<&'static str> {
        let set = [
            ("enum", self.one_of.is_some()),
            ("bool", self.bool.is_some()),
            ("integer", self.integer.is_some()),
            ("duration", self.duration.is_some()),
            ("string", self.string.is_some()),
            ("list", self.list.is_some()),
            ("json", self.json.is_some()),
        ];
        let mut names = set.iter().filter(|(_, on)| *on).map(|(n, _)| *n);
        match (names.next(), names.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }
}

/// A numeric range and its unit.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// Lowest allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Highest allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Unit (`seconds`, `minutes`, `Mbit/s`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// What else the source says about the range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A version gate.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// Whose version: only a `cluster` gate is compared with `spec.cluster.version`; a
    /// controller's or add-on's version is not in the spec, so it is only shown.
    #[serde(default = "GateOf::unstated")]
    pub of: GateOf,
    /// The lowest version that reads the key (`v1.19.16`), or one per release train
    /// (`[v1.25.16-r30, v1.27.16-r30]`: at or after the listed patch of its own minor, or a
    /// later minor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_version: Option<serde_json::Value>,
    /// What the gate is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Whose version a gate names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GateOf {
    /// The cluster's (`spec.cluster.version`).
    Cluster,
    /// The provider's load-balancer controller.
    Controller,
    /// An add-on (kube-proxy, CNI).
    Addon,
    /// Not stated by the source.
    Unstated,
}

impl GateOf {
    fn unstated() -> GateOf {
        GateOf::Unstated
    }
}

/// Who writes a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Writer {
    /// The user (through lbgen).
    User,
    /// The cloud's controller; users must not.
    Controller,
}

/// Whether a change of the value applies to an existing load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InPlace {
    /// It does.
    True,
    /// It needs a new load balancer or listener, or is ignored after creation.
    False,
    /// Not documented.
    Unknown,
}

/// How lbgen handles a key today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Handling {
    /// lbgen writes it from a typed spec field.
    Written,
    /// lbgen refuses it (a controller-written key, or a conflicting one).
    Refused,
    /// Neither: a typed provider field of the pack's block sets it
    /// ([`super::catalogue_fields`]), or, for a key no page documents, it passes through
    /// `metadata.annotations`, checked.
    None,
}

impl Entry {
    /// How lbgen handles the key now that raw annotations are checked: a key the
    /// controller writes is refused whatever the data says of today's handling.
    pub fn handling(&self) -> &'static str {
        match (self.writer, self.lbgen) {
            (Writer::Controller, _) => "controller-written (refused)",
            (_, Handling::Written) => "typed spec field",
            (_, Handling::Refused) => "refused",
            _ if super::catalogue_fields::offered(self) => "typed provider field",
            (_, Handling::None) => "checked raw annotation",
        }
    }

    /// The key or the pattern, for people.
    pub fn name(&self) -> &str {
        self.key
            .as_deref()
            .or(self.pattern.as_deref())
            .unwrap_or_default()
    }

    /// Whether `key` is this entry's key, or fits its pattern (the `<placeholder>` part
    /// non-empty).
    pub fn matches(&self, key: &str) -> bool {
        if let Some(exact) = &self.key {
            return exact == key;
        }
        let Some(pattern) = &self.pattern else {
            return false;
        };
        let (Some(open), Some(close)) = (pattern.find('<'), pattern.rfind('>')) else {
            return pattern == key;
        };
        let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
        key.len() > head.len() + tail.len() && key.starts_with(head) && key.ends_with(tail)
    }
}

impl Catalogue {
    /// The spec fields that set `entry`: its shared field, or its typed provider field in
    /// each kind's group.
    pub fn spec_fields(&self, entry: &Entry) -> Vec<String> {
        if let Some(field) = &entry.spec_field {
            return vec![field.clone()];
        }
        if !super::catalogue_fields::offered(entry) {
            return Vec::new();
        }
        entry
            .kinds
            .iter()
            .filter_map(|kind| super::catalogue_fields::spec_path(self, entry, kind))
            .collect()
    }

    /// The full references of the short source names `entry` cites.
    pub fn references(&self, entry: &Entry) -> BTreeMap<String, String> {
        self.sources
            .iter()
            .filter(|(short, _)| entry.source.contains(short.as_str()))
            .map(|(short, full)| (short.clone(), full.clone()))
            .collect()
    }

    /// `key` written with its current prefix, when it uses a legacy one.
    pub fn current_spelling(&self, key: &str) -> Option<String> {
        self.legacy_prefixes.iter().find_map(|l| {
            key.strip_prefix(l.prefix.as_str())
                .map(|rest| format!("{}{rest}", l.reads_as))
        })
    }

    /// The documented key nearest to a misspelt `key`, when one is close. Keys are compared
    /// after their shared prefix (the part a user can misspell).
    pub fn nearest(&self, key: &str) -> Option<String> {
        let prefix = self
            .prefixes
            .iter()
            .filter(|p| key.starts_with(p.as_str()))
            .max_by_key(|p| p.len())
            .map_or("", String::as_str);
        let suffixes = self
            .entries
            .iter()
            .filter_map(|e| e.name().strip_prefix(prefix));
        crate::suggest::nearest(&key[prefix.len()..], suffixes).map(|s| format!("{prefix}{s}"))
    }
}

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

/// Every registered pack's catalogue, in registry order (packs without one are left out).
pub fn catalogues() -> Result<&'static [Catalogue], &'static str> {
    static LOADED: OnceLock<Result<Vec<Catalogue>, String>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            registry()
                .packs()
                .filter_map(|p| p.catalogue())
                .map(parse)
                .collect()
        })
        .as_deref()
        .map_err(String::as_str)
}
