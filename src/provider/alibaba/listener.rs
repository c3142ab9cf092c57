//! `spec.listener` on ACK: the CCM annotations of CLB and NLB listeners (redirect,
//! timeouts, HTTP/2, the client's address), the ALB Ingress annotations (redirect, backend protocol) and the
//! AlbConfig listener fields (timeouts, HTTP/2). Apart from `service` and `ingress` because
//! the same neutral fields land on three products with different keys and listener kinds.
//!
//! Sources: kubernetes/cloud-provider-alibaba-cloud docs/usage.md ("20. Create LoadBalancer
//! with forward port") and the ACK CLB annotation page (idle-timeout, established-timeout,
//! request-timeout, http2-enabled); the ACK NLB annotation page (idle-timeout);
//! alibaba/alibaba-load-balancer-controller docs/usage.md ("Redirect HTTP requests to
//! HTTPS", "Configure the HTTPS or gRPC protocol for backend services", "ListenerSpec").
//! Ranges, listener kinds and capability errors are `policies/alibaba.yaml`'s.

use super::types::{
    ALB_BACKEND_PROTOCOL, ALB_SSL_REDIRECT, ESTABLISHED_TIMEOUT, FORWARD_PORT, HTTP2_ENABLED,
    IDLE_TIMEOUT, PRESERVE_CLIENT_IP, PROXY_PROTOCOL, REQUEST_TIMEOUT, XFF_CLIENTSRCPORT,
    XFF_PROTO, XFF_SLBPORT,
};
use crate::plan::Plan;
use crate::provider::Annotations;
use crate::spec::model::{ClientAddress, ForwardedHeader, Protocol};
use serde_json::{Map, Value, json};

/// The CLB or NLB annotations of a Service's `spec.listener`.
pub(super) fn service(plan: &Plan, nlb: bool, a: &mut Annotations) {
    let l = &plan.listener;
    let has = |p: Protocol| plan.listeners.iter().any(|x| x.protocol == p);
    let l7 = has(Protocol::Http) || has(Protocol::Https);
    client_address(l.client_address, nlb, has(Protocol::Tls), a);
    if nlb {
        // NLB-PAGE "Configure Listener Connection Idle Timeout": every NLB listener.
        if let Some(idle) = l.idle_timeout_seconds {
            a.set(IDLE_TIMEOUT, idle.to_string());
        }
        return;
    }
    if l.redirect_http_to_https
        && let Some(https) = plan
            .listeners
            .iter()
            .find(|x| x.protocol == Protocol::Https)
    {
        // "80:443": every HTTP port forwards to the one HTTPS port
        // (alibaba/redirect-service-ports). Port numbers only, never user text, so no
        // entry can carry the list's ',' or ':'.
        let pairs: Vec<String> = plan
            .listeners
            .iter()
            .filter(|x| x.protocol == Protocol::Http)
            .map(|x| format!("{}:{}", x.port, https.port))
            .collect();
        a.set(FORWARD_PORT, pairs.join(","));
    }
    if let Some(idle) = l.idle_timeout_seconds {
        // CLB-PAGE: idle-timeout for HTTP/HTTPS listeners, established-timeout (the
        // connection timeout of an idle TCP connection) for TCP listeners.
        if l7 {
            a.set(IDLE_TIMEOUT, idle.to_string());
        }
        if has(Protocol::Tcp) {
            a.set(ESTABLISHED_TIMEOUT, idle.to_string());
        }
    }
    if let Some(backend) = l.backend_timeout_seconds.filter(|_| l7) {
        a.set(REQUEST_TIMEOUT, backend.to_string());
    }
    if let Some(http2) = l.http2.filter(|_| has(Protocol::Https)) {
        a.set(HTTP2_ENABLED, if http2 { "on" } else { "off" });
    }
    // CLB page, "Configure additional request headers for the listener" (HTTP/HTTPS
    // listeners; `on`); X-Forwarded-Host has no switch (`alibaba/forwarded-host`).
    for header in &l.forwarded_headers {
        let key = match header {
            ForwardedHeader::Protocol => XFF_PROTO,
            ForwardedHeader::ListenerPort => XFF_SLBPORT,
            ForwardedHeader::ClientPort => XFF_CLIENTSRCPORT,
            ForwardedHeader::Host => continue,
        };
        a.set(key, "on");
    }
}

/// `spec.listener.clientAddress` of an L4 Service. CLB: its Layer 4 listeners pass the
/// client's address anyway, so `preserve` writes nothing; `proxy-protocol` is the CLB page's
/// "Configure Proxy Protocol for TCP and UDP listeners" (`on`; clbv1/listeners.go sets
/// EnableProxyProtocolV2 on TCP/UDP listeners). NLB: the server groups' client IP
/// preservation (NLB page, "Configure client IP preservation", `on`/`off`; nlbv2
/// compares with EqualFold "on") or the listeners' proxy protocol ("Configure Proxy
/// Protocol"). A TCPSSL listener cannot use a server group that preserves the address,
/// which is on by default, so proxy protocol beside TLS ports also turns preservation off
/// (SLB "Obtain client IP addresses" for NLB, scenario 2). What a family lacks is refused
/// by `policies/alibaba.yaml`.
fn client_address(given: Option<ClientAddress>, nlb: bool, tls: bool, a: &mut Annotations) {
    match given {
        Some(ClientAddress::ProxyProtocol) => {
            a.set(PROXY_PROTOCOL, "on");
            if nlb && tls {
                a.set(PRESERVE_CLIENT_IP, "off");
            }
        }
        Some(ClientAddress::Preserve) if nlb => a.set(PRESERVE_CLIENT_IP, "on"),
        Some(ClientAddress::Withheld) if nlb => a.set(PRESERVE_CLIENT_IP, "off"),
        _ => {}
    }
}

/// The ALB Ingress annotations of `spec.listener`.
pub(super) fn ingress(plan: &Plan, a: &mut Annotations) {
    let l = &plan.listener;
    if l.redirect_http_to_https {
        a.set(ALB_SSL_REDIRECT, "true");
    }
    if let Some(protocol) = l.backend_protocol {
        a.set(ALB_BACKEND_PROTOCOL, protocol.as_str());
    }
}

/// The AlbConfig `ListenerSpec` fields of `spec.listener` for one listener: whole seconds
/// as JSON integers; `http2Enabled` only on an HTTPS listener.
pub(super) fn albconfig_listener(plan: &Plan, tls: bool, listener: &mut Map<String, Value>) {
    let l = &plan.listener;
    if let Some(idle) = l.idle_timeout_seconds {
        listener.insert("idleTimeout".into(), json!(idle));
    }
    if let Some(request) = l.backend_timeout_seconds {
        listener.insert("requestTimeout".into(), json!(request));
    }
    if let Some(http2) = l.http2.filter(|_| tls) {
        listener.insert("http2Enabled".into(), json!(http2));
    }
    if !l.forwarded_headers.is_empty() {
        listener.insert(
            "xForwardedForConfig".into(),
            xff_config(&l.forwarded_headers),
        );
    }
}

/// The AlbConfig listener's `xForwardedForConfig` (alibaba-load-balancer-controller
/// docs/usage.md, "XForwardedForConfig"). Its booleans are not optional in the controller
/// (albconfig_types.go): the whole object replaces the listener's, so
/// `XForwardedForEnabled` is written `true` beside the asked headers, or the listener
/// would stop sending X-Forwarded-For.
fn xff_config(headers: &[ForwardedHeader]) -> Value {
    let mut config = Map::new();
    config.insert("XForwardedForEnabled".into(), json!(true));
    for header in headers {
        let field = match header {
            ForwardedHeader::Protocol => "XForwardedForProtoEnabled",
            ForwardedHeader::ListenerPort => "XForwardedForSLBPortEnabled",
            ForwardedHeader::ClientPort => "XForwardedForClientSrcPortEnabled",
            ForwardedHeader::Host => continue,
        };
        config.insert(field.into(), json!(true));
    }
    Value::Object(config)
}
