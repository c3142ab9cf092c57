//! `spec.listener` -> the plan's `listener`: durations in seconds, the redirect off by
//! default. Always present in the plan, so rules can read `lb.listener.<field>` without a
//! null check on the block.

use crate::spec::model::{BackendProtocol, ClientAddress, ForwardedHeader, ListenerSettings};
use serde::Serialize;

/// Listener behaviour, durations in seconds.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListenerPlan {
    /// Plain HTTP on port 80 redirects to HTTPS.
    pub redirect_http_to_https: bool,
    /// Idle timeout of client connections.
    pub idle_timeout_seconds: Option<u64>,
    /// Wait for a client's request.
    pub client_timeout_seconds: Option<u64>,
    /// Wait for a backend's response.
    pub backend_timeout_seconds: Option<u64>,
    /// HTTP/2 on the HTTPS listeners, when the spec says.
    pub http2: Option<bool>,
    /// Protocol to the backends, when the spec says.
    pub backend_protocol: Option<BackendProtocol>,
    /// TLS security policy of the HTTPS and TLS listeners, in the provider's spelling.
    pub tls_policy: Option<String>,
    /// How L4 backends learn the client's address, when the spec says.
    pub client_address: Option<ClientAddress>,
    /// Extra request headers of the L7 listeners, sorted, each once.
    pub forwarded_headers: Vec<ForwardedHeader>,
}

/// The listener plan of a spec's (possibly absent) `listener` block.
pub(super) fn plan(given: Option<&ListenerSettings>) -> ListenerPlan {
    let Some(l) = given else {
        return ListenerPlan::default();
    };
    ListenerPlan {
        redirect_http_to_https: l.redirect_http_to_https,
        idle_timeout_seconds: l.idle_timeout.map(|d| d.0),
        client_timeout_seconds: l.client_timeout.map(|d| d.0),
        backend_timeout_seconds: l.backend_timeout.map(|d| d.0),
        http2: l.http2,
        backend_protocol: l.backend_protocol,
        tls_policy: l.tls_policy.clone(),
        client_address: l.client_address,
        forwarded_headers: {
            let mut headers = l.forwarded_headers.clone();
            headers.sort();
            headers.dedup();
            headers
        },
    }
}
