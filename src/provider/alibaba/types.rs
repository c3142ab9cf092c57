//! ACK's annotation keys and the typed JSON values some of them carry, in one place: the
//! mapping (`service`, `ingress`) and the change rules (`changes`) spell keys only through
//! these consts, and every JSON value is one of these structs, serialised once by
//! `Annotations::set_json`.
//!
//! CCM keys from `kubernetes/cloud-provider-alibaba-cloud`
//! `pkg/controller/service/reconcile/annotation/annotations.go` (`AnnotationPrefix` +
//! `loadbalancer-`); ALB keys from the ACK "ALB Ingress GlobalConfiguration dictionary"
//! (`alibaba/alibaba-load-balancer-controller` docs/usage.md) and seed 003.

/// The annotation keys the pack names, spelt once in its catalogue (`rust:` entries).
pub(super) use super::keys::*;
use crate::provider::settings::{Block, MovedField};
use crate::spec::model::StatusClass;
use crate::spec::values::PortRef;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The Service `spec.loadBalancerClass` of an NLB (NLB annotation page, "Create an NLB
/// instance"): the mapping writes it, the change rules and the import read it.
pub(super) const NLB_CLASS: &str = "alibabacloud.com/nlb";

// Health checks.

// The ALB Ingress.

/// One entry of `listen-ports`: `{"HTTP": 80}` or `{"HTTPS": 443}` (docs/usage.md,
/// "Configure custom listening ports").
#[derive(Debug, Serialize)]
pub(super) enum ListenPort {
    #[serde(rename = "HTTP")]
    Http(u16),
    #[serde(rename = "HTTPS")]
    Https(u16),
}

/// The forward action of `actions.<name>`: `{"type":"ForwardGroup","ForwardConfig":{...}}`
/// (seed 003), numbers as JSON numbers.
#[derive(Debug, Serialize)]
pub(super) struct ForwardGroup<'a> {
    /// Always `ForwardGroup`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(rename = "ForwardConfig")]
    pub forward_config: ForwardConfig<'a>,
}

/// The weighted groups of a forward action, with cookie stickiness across them
/// (`ServerGroupStickySession`) when the spec asks for a timeout.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct ForwardConfig<'a> {
    pub server_groups: Vec<ServerGroup<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_group_sticky_session: Option<GroupStickySession>,
}

/// A weighted target: an in-cluster Service or an ALB server group.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(super) enum ServerGroup<'a> {
    /// `{"ServiceName","ServicePort","Weight"}`.
    Service {
        #[serde(rename = "ServiceName")]
        name: &'a str,
        /// `null` only for a backend without port, which the common rules refuse.
        #[serde(rename = "ServicePort")]
        port: Option<&'a PortRef>,
        #[serde(rename = "Weight")]
        weight: u8,
    },
    /// `{"ServerGroupID","Weight"}`.
    Group {
        #[serde(rename = "ServerGroupID")]
        id: Option<&'a str>,
        #[serde(rename = "Weight")]
        weight: u8,
    },
}

/// `ServerGroupStickySession`: on, with the cookie's timeout in seconds.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct GroupStickySession {
    pub enabled: bool,
    pub timeout: u64,
}

/// `spec.alibaba`: what only ACK has.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct AlibabaSettings {
    /// The family of a Service's load balancer: `clb` (the cloud controller manager's
    /// default) or `nlb` (network load balancer, `loadBalancerClass:
    /// alibabacloud.com/nlb`). An Ingress always uses ALB.
    pub load_balancer_type: Option<LoadBalancerType>,
}

/// The family of an ACK Service load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(super) enum LoadBalancerType {
    /// Classic Load Balancer.
    Clb,
    /// Network Load Balancer.
    Nlb,
}

impl Block for AlibabaSettings {
    const MOVED: &'static [MovedField] = &[MovedField {
        from: "spec.loadBalancer.type",
        to: "spec.alibaba.loadBalancerType",
    }];

    fn sample() -> AlibabaSettings {
        AlibabaSettings {
            load_balancer_type: Some(LoadBalancerType::Clb),
        }
    }
}

/// The healthy status classes as CLB, NLB and ALB all spell them: `http_2xx,http_3xx`
/// (CLB annotation page, Configure HTTP health checks; ALB dictionary, healthcheck-httpcode).
/// Every item comes from the spec's closed set, so no value can add a list item.
pub(super) fn http_codes(codes: &[StatusClass]) -> String {
    let items: Vec<String> = codes
        .iter()
        .map(|c| format!("http_{}", c.as_str()))
        .collect();
    items.join(",")
}
