//! Public bandwidth of an auto-created load balancer: its own module so that the spec's
//! main file stays a readable size; re-exported by `model`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Public bandwidth of an auto-created LB.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Bandwidth {
    /// Bandwidth name.
    pub name: Option<String>,
    /// Mbit/s.
    pub size: Option<u32>,
    /// `bandwidth` or `traffic`.
    pub charge_mode: Option<ChargeMode>,
    /// Sharing mode, e.g. `PER`.
    pub share_type: Option<String>,
}

/// How public bandwidth is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChargeMode {
    /// By bandwidth.
    Bandwidth,
    /// By traffic.
    Traffic,
}
