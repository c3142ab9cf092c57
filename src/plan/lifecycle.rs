//! How backends leave and join: connection draining (a leaving backend's connections may
//! finish) and slow start (a new backend's share grows), as the plan carries them.

use serde::Serialize;

/// Connection draining.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrainingPlan {
    /// The drain timeout, when given.
    pub timeout_seconds: Option<u64>,
}

/// Slow start.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SlowStartPlan {
    /// The ramp-up time.
    pub duration_seconds: u64,
}
