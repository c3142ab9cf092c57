//! Source-address access control, a spec block of its own (kept out of `model.rs` so that
//! module stays under its size limit); re-exported by `model`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::choices::AccessMode;

/// Source-address access control of the load balancer's listeners.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AccessControl {
    /// `allow`: only the addresses of the lists may connect; `deny`: all but them.
    pub mode: AccessMode,
    /// Ids of existing access-control lists (IP address groups) of the provider, at least
    /// one; how many a provider takes and their shape: `kubectl lbgen explain
    /// spec.accessControl --provider <id>`.
    pub acl_ids: Vec<String>,
}
