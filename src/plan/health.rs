//! The health checks of a plan: the Service's (`spec.healthCheck`) and each port's own
//! (`spec.ports[].healthCheck`), which overrides the Service's field by field. Merged here
//! once, so that rules and packs see each listener's effective check and never merge again.

use crate::spec::model::{HealthCheck, HealthMethod, HealthProtocol, StatusClass};
use serde::Serialize;

/// Health check.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthPlan {
    /// On or off.
    pub enabled: bool,
    /// Protocol, when given.
    pub protocol: Option<HealthProtocol>,
    /// Port, when it differs from the traffic port.
    pub port: Option<u16>,
    /// HTTP path (default `/` for HTTP).
    pub path: Option<String>,
    /// Interval.
    pub interval_seconds: Option<u64>,
    /// Timeout.
    pub timeout_seconds: Option<u64>,
    /// Retries.
    pub retries: Option<u32>,
    /// HTTP status classes counted healthy, in ascending order without repeats (`null` when
    /// not given; an empty list stays empty, for the rule that refuses it).
    pub success_codes: Option<Vec<StatusClass>>,
    /// HTTP method.
    pub method: Option<HealthMethod>,
    /// HTTP Host header.
    pub host: Option<String>,
}

/// The plan of one health-check block: defaults applied, durations in seconds, success
/// classes sorted and each once.
pub(super) fn plan(h: &HealthCheck) -> HealthPlan {
    HealthPlan {
        enabled: h.enabled.unwrap_or(true),
        protocol: h.protocol,
        port: h.port.map(|p| p.0),
        path: h
            .path
            .clone()
            .or_else(|| (h.protocol == Some(HealthProtocol::Http)).then(|| "/".to_string())),
        interval_seconds: h.interval.map(|d| d.0),
        timeout_seconds: h.timeout.map(|d| d.0),
        retries: h.retries,
        success_codes: h.success_codes.as_ref().map(|codes| {
            let mut codes = codes.clone();
            codes.sort_by_key(|c| c.as_str());
            codes.dedup();
            codes
        }),
        method: h.method,
        host: h.host.clone(),
    }
}

/// A port's own block over the Service's: each field the port sets wins, the others are
/// inherited.
pub(super) fn merged(service: Option<&HealthCheck>, own: &HealthCheck) -> HealthCheck {
    let Some(base) = service else {
        return own.clone();
    };
    HealthCheck {
        enabled: own.enabled.or(base.enabled),
        protocol: own.protocol.or(base.protocol),
        port: own.port.or(base.port),
        path: own.path.clone().or_else(|| base.path.clone()),
        interval: own.interval.or(base.interval),
        timeout: own.timeout.or(base.timeout),
        retries: own.retries.or(base.retries),
        success_codes: own
            .success_codes
            .clone()
            .or_else(|| base.success_codes.clone()),
        method: own.method.or(base.method),
        host: own.host.clone().or_else(|| base.host.clone()),
    }
}

/// The spec names of the fields a block sets (`interval`, `successCodes`), to blame a
/// port's own value rather than the inherited one.
pub(super) fn given_fields(h: &HealthCheck) -> Vec<&'static str> {
    [
        ("enabled", h.enabled.is_some()),
        ("protocol", h.protocol.is_some()),
        ("port", h.port.is_some()),
        ("path", h.path.is_some()),
        ("interval", h.interval.is_some()),
        ("timeout", h.timeout.is_some()),
        ("retries", h.retries.is_some()),
        ("successCodes", h.success_codes.is_some()),
        ("method", h.method.is_some()),
        ("host", h.host.is_some()),
    ]
    .into_iter()
    .filter_map(|(name, given)| given.then_some(name))
    .collect()
}
