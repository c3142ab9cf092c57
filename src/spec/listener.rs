//! The neutral `spec.listener` block: how the LB's listeners behave (redirects, timeouts),
//! kept apart from the routes and backends they serve. Its own module so the spec's main
//! model stays readable; the packs map each field (docs/spec.md, "spec.listener").

use super::values::Duration;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    /// Offer HTTP/2 to clients on the HTTPS listeners (`true`) or only HTTP/1.1 (`false`);
    /// absent means the provider's default (which differs between clouds).
    pub http2: Option<bool>,
    /// The protocol the LB speaks to the backends: `http` (default), `https` (TLS to the
    /// pods, which then serve a certificate) or `grpc`.
    pub backend_protocol: Option<BackendProtocol>,
    /// The TLS security policy (protocol versions and cipher suites) of the HTTPS and TLS
    /// listeners, a system policy in the provider's spelling: huawei `tls-1-2`, alibaba
    /// `tls_cipher_policy_1_2`; each provider's rules list the allowed names
    /// (`kubectl lbgen explain spec.listener.tlsPolicy`). Absent: the provider's default.
    pub tls_policy: Option<String>,
    /// How the backends learn the client's address on the L4 listeners (TCP, UDP and TLS
    /// ports of a Service): `preserve` (the packets reach the pod with the client's own
    /// source address; needs `trafficPolicy: local` or `targets: pods`, because a node that
    /// forwards to another node's pod replaces it), `proxy-protocol` (the LB prepends a
    /// PROXY protocol v2 header to every connection, which the backend must parse, e.g.
    /// nginx `listen ... proxy_protocol`; works with any traffic policy) or `none` (the
    /// backends see the LB's address). HTTP/HTTPS listeners and Ingresses always pass it in
    /// `X-Forwarded-For`. Absent: the provider's default (`kubectl lbgen explain
    /// spec.listener.clientAddress --provider <id>`).
    pub client_address: Option<ClientAddress>,
    /// Request headers the HTTP/HTTPS listeners add for the backends beside
    /// `X-Forwarded-For` (which every provider always adds): `protocol` (the listener's
    /// protocol, `X-Forwarded-Proto`), `listener-port` (the LB listener's port),
    /// `client-port` (the client's source port) and `host` (`X-Forwarded-Host` set from the
    /// request's Host). The header names differ between providers (docs/spec.md,
    /// "Forwarded headers"). Default: none of them.
    #[serde(default)]
    pub forwarded_headers: Vec<ForwardedHeader>,
}

/// A request header an L7 listener can add for the backends.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
pub enum ForwardedHeader {
    /// The listener's protocol (`http`, `https`): X-Forwarded-Proto.
    #[serde(rename = "protocol")]
    Protocol,
    /// The load balancer listener's port.
    #[serde(rename = "listener-port")]
    ListenerPort,
    /// The client's source port.
    #[serde(rename = "client-port")]
    ClientPort,
    /// X-Forwarded-Host, rewritten from the request's Host header.
    #[serde(rename = "host")]
    Host,
}

/// How the backends learn the client's address on L4 listeners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum ClientAddress {
    /// The client's address stays the packets' source address.
    #[serde(rename = "preserve")]
    Preserve,
    /// A PROXY protocol (v2) header before each connection's data carries it.
    #[serde(rename = "proxy-protocol")]
    ProxyProtocol,
    /// Not passed: the backends see the load balancer's address.
    #[serde(rename = "none")]
    Withheld,
}

/// The protocol between the LB and the backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BackendProtocol {
    /// Plain HTTP/1.1.
    Http,
    /// HTTP over TLS.
    Https,
    /// gRPC (HTTP/2).
    Grpc,
}

impl BackendProtocol {
    /// The spelling in the spec and in the rules (`lb.listener.backendProtocol`).
    pub fn as_str(self) -> &'static str {
        match self {
            BackendProtocol::Http => "http",
            BackendProtocol::Https => "https",
            BackendProtocol::Grpc => "grpc",
        }
    }
}
