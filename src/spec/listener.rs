//! The neutral `spec.listener` block: how the LB's listeners behave (redirects, timeouts),
//! kept apart from the routes and backends they serve. Its own module so the spec's main
//! model stays readable; the packs map each field (docs/spec.md, "spec.listener").

use super::values::Duration;
use schemars::JsonSchema;
use serde::Deserialize;

/// Listener behaviour: the settings of the LB's listeners themselves rather than of their
/// routes or backends. Each provider maps a field to its own annotation (or capability
/// error); `kubectl lbgen explain spec.listener.<field> --provider P` shows which.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListenerSettings {
    /// Answer every plain-HTTP request on port 80 with a redirect to the same host and path
    /// over HTTPS, on the HTTPS listener of the TLS routes (Ingress) or ports (Service);
    /// nothing reaches a backend over plain HTTP. Default false.
    #[serde(default)]
    pub redirect_http_to_https: bool,
    /// How long a client connection may stay idle (no request, no data) before the LB
    /// closes it (`60s`, `15m`). Providers take whole seconds and their own ranges.
    pub idle_timeout: Option<Duration>,
    /// How long the LB waits for a client to send a request's headers or body before it
    /// gives up on the request (`60s`).
    pub client_timeout: Option<Duration>,
    /// How long the LB waits for a backend to answer a request before it answers the client
    /// with 504 itself (`60s`).
    pub backend_timeout: Option<Duration>,
}
