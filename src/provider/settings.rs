//! Per-provider spec settings: the `spec.<provider id>` block a pack owns.
//!
//! The shared spec holds only what every cloud can mean. A setting that exists on one cloud
//! alone (a cluster flavour, a load-balancer family) lives in its pack's block, typed by the
//! pack: `spec.huawei.clusterFlavor: turbo`. The loader hands each block to its pack
//! ([`super::Pack::settings`]), the JSON Schema takes each pack's schema, and the plan
//! carries the block of the provider it renders for (with every field present, `null` when
//! unset) as `lb.<id>` of the rule language. A block of another provider is still checked,
//! so one spec can carry the settings of each cloud it may be rendered for.

use crate::plan::Plan;
use crate::yaml::de::{DeError, DeErrorKind, from_node};
use crate::yaml::node::Node;
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A field that moved from the shared spec into a pack's block: a spec that still uses the
/// old place is an error that names the new one.
#[derive(Debug, Clone, Copy)]
pub struct MovedField {
    /// The old path (`spec.cluster.flavor`).
    pub from: &'static str,
    /// The new path (`spec.huawei.clusterFlavor`).
    pub to: &'static str,
}

/// A pack's block type: read from the spec, described in the schema, sampled for the rule
/// probe.
pub trait Block: DeserializeOwned + Serialize + Default + JsonSchema {
    /// Shared-spec fields that moved into this block.
    const MOVED: &'static [MovedField] = &[];
    /// Every optional field set, so probing rules reaches every field they may read.
    fn sample() -> Self;
}

/// How a pack's `spec.<id>` block is read, described and sampled: the registry's view of a
/// [`Block`] type (or of none).
#[derive(Clone, Copy)]
pub struct SettingsKind {
    /// Reads the block (`None`: not given) into its JSON form, every field present.
    pub read: fn(Option<&Node>) -> Result<Value, DeError>,
    /// The block's JSON Schema (a root schema: its own `$defs`).
    pub schema: fn() -> Value,
    /// The sample for the rule probe.
    pub sample: fn() -> Value,
    /// Fields that moved from the shared spec into the block.
    pub moved: &'static [MovedField],
}

impl SettingsKind {
    /// No settings: only an empty block (or none) is accepted.
    pub const NONE: SettingsKind = SettingsKind::of::<NoSettings>();

    /// The settings of block type `T`.
    pub const fn of<T: Block>() -> SettingsKind {
        SettingsKind {
            read: read::<T>,
            schema: schema::<T>,
            sample: sample::<T>,
            moved: T::MOVED,
        }
    }
}

/// The block of a pack that has no settings.
#[derive(Debug, Default, serde::Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(description = "This provider has no settings of its own.")]
pub struct NoSettings {}

impl Block for NoSettings {
    fn sample() -> Self {
        NoSettings {}
    }
}

/// Reads a block as `T`: its JSON form with every field present. `None` (no block) gives
/// `T::default()`, so rules always see the fields.
fn read<T: Block>(block: Option<&Node>) -> Result<Value, DeError> {
    let typed: T = match block {
        Some(node) => from_node(node)?,
        None => T::default(),
    };
    serde_json::to_value(typed).map_err(|e| DeError {
        message: e.to_string(),
        span: block.map(|n| n.span),
        kind: DeErrorKind::Other,
        trail: Vec::new(),
    })
}

fn schema<T: Block>() -> Value {
    let mut schema = schemars::schema_for!(T).to_value();
    if let Some(o) = schema.as_object_mut() {
        o.remove("$schema");
    }
    schema
}

fn sample<T: Block>() -> Value {
    serde_json::to_value(T::sample()).unwrap_or_default()
}

/// A pack's settings for `plan`, typed: what the loader read for the plan's provider. The
/// value was written from `T` itself, so it always reads back; a pack asking for another
/// type gets the defaults.
pub fn of<T: Block>(plan: &Plan) -> T {
    plan.settings
        .get(plan.provider.as_str())
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}
