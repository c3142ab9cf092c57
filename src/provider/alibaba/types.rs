//! ACK's annotation keys and the typed JSON values some of them carry, in one place: the
//! mapping (`service`, `ingress`) and the change rules (`changes`) spell keys only through
//! these consts, and every JSON value is one of these structs, serialised once by
//! `Annotations::set_json`.
//!
//! CCM keys from `kubernetes/cloud-provider-alibaba-cloud`
//! `pkg/controller/service/reconcile/annotation/annotations.go` (`AnnotationPrefix` +
//! `loadbalancer-`); ALB keys from the ACK "ALB Ingress GlobalConfiguration dictionary"
//! (`alibaba/alibaba-load-balancer-controller` docs/usage.md) and seed 003.

use crate::provider::settings::{Block, MovedField};
use crate::spec::model::StatusClass;
use crate::spec::values::PortRef;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A CCM Service key: the prefix `service.beta.kubernetes.io/alibaba-cloud-loadbalancer-`
/// and the key's own part.
macro_rules! ccm {
    ($name:literal) => {
        concat!(
            "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-",
            $name
        )
    };
}

/// An ALB Ingress key: the prefix `alb.ingress.kubernetes.io/` and the key's own part.
macro_rules! alb {
    ($name:literal) => {
        concat!("alb.ingress.kubernetes.io/", $name)
    };
}

/// What every CCM key starts with.
pub(super) const CCM_PREFIX: &str = ccm!("");
/// What every ALB Ingress key starts with.
pub(super) const ALB_PREFIX: &str = alb!("");
/// ENI backends: no `alibaba-cloud-loadbalancer-` part (`helper.BackendType`; CCM
/// docs/usage.md, 23. Add pod eni to slb backend in terway network mode).
pub(super) const BACKEND_TYPE: &str = "service.beta.kubernetes.io/backend-type";

// The load balancer (CLB and NLB).
pub(super) const LB_ID: &str = ccm!("id");
pub(super) const FORCE_OVERRIDE: &str = ccm!("force-override-listeners");
pub(super) const ADDRESS_TYPE: &str = ccm!("address-type");
/// Never written by lbgen (IPv4 is the CCM's default); watched by `diff`.
pub(super) const IP_VERSION: &str = ccm!("ip-version");
pub(super) const ZONE_MAPS: &str = ccm!("zone-maps");
pub(super) const VSWITCH_ID: &str = ccm!("vswitch-id");
pub(super) const SPEC: &str = ccm!("spec");
pub(super) const INSTANCE_CHARGE_TYPE: &str = ccm!("instance-charge-type");
pub(super) const MASTER_ZONE: &str = ccm!("master-zoneid");
pub(super) const SLAVE_ZONE: &str = ccm!("slave-zoneid");
pub(super) const LB_NAME: &str = ccm!("name");
pub(super) const CHARGE_TYPE: &str = ccm!("charge-type");
pub(super) const BANDWIDTH: &str = ccm!("bandwidth");
pub(super) const HOSTNAME: &str = ccm!("hostname");

// Listeners and server groups.
pub(super) const SCHEDULER: &str = ccm!("scheduler");
pub(super) const PERSISTENCE_TIMEOUT: &str = ccm!("persistence-timeout");
pub(super) const STICKY_SESSION: &str = ccm!("sticky-session");
pub(super) const STICKY_SESSION_TYPE: &str = ccm!("sticky-session-type");
pub(super) const COOKIE_TIMEOUT: &str = ccm!("cookie-timeout");
pub(super) const PROTOCOL_PORT: &str = ccm!("protocol-port");
pub(super) const CERT_ID: &str = ccm!("cert-id");
pub(super) const SERVER_GROUP_TYPE: &str = ccm!("server-group-type");
pub(super) const VGROUP_PORT: &str = ccm!("vgroup-port");
pub(super) const WEIGHT: &str = ccm!("weight");
pub(super) const CONNECTION_DRAIN: &str = ccm!("connection-drain");
pub(super) const CONNECTION_DRAIN_TIMEOUT: &str = ccm!("connection-drain-timeout");

// Health checks.
pub(super) const HEALTH_CHECK_SWITCH: &str = ccm!("health-check-switch");
pub(super) const HEALTH_CHECK_FLAG: &str = ccm!("health-check-flag");
pub(super) const HEALTH_CHECK_TYPE: &str = ccm!("health-check-type");
pub(super) const HEALTH_CHECK_TIMEOUT: &str = ccm!("health-check-timeout");
pub(super) const HEALTH_CHECK_CONNECT_TIMEOUT: &str = ccm!("health-check-connect-timeout");
pub(super) const HEALTH_CHECK_URI: &str = ccm!("health-check-uri");
pub(super) const HEALTH_CHECK_CONNECT_PORT: &str = ccm!("health-check-connect-port");
pub(super) const HEALTH_CHECK_INTERVAL: &str = ccm!("health-check-interval");
pub(super) const HEALTHY_THRESHOLD: &str = ccm!("healthy-threshold");
pub(super) const UNHEALTHY_THRESHOLD: &str = ccm!("unhealthy-threshold");
pub(super) const HEALTH_CHECK_HTTPCODE: &str = ccm!("health-check-httpcode");
pub(super) const HEALTH_CHECK_METHOD: &str = ccm!("health-check-method");
pub(super) const HEALTH_CHECK_DOMAIN: &str = ccm!("health-check-domain");

// The ALB Ingress.
pub(super) const ALB_LISTEN_PORTS: &str = alb!("listen-ports");
pub(super) const ALB_HEALTH_ENABLED: &str = alb!("healthcheck-enabled");
pub(super) const ALB_HEALTH_PROTOCOL: &str = alb!("healthcheck-protocol");
pub(super) const ALB_HEALTH_PATH: &str = alb!("healthcheck-path");
pub(super) const ALB_HEALTH_PORT: &str = alb!("healthcheck-connect-port");
pub(super) const ALB_HEALTH_INTERVAL: &str = alb!("healthcheck-interval-seconds");
pub(super) const ALB_HEALTH_TIMEOUT: &str = alb!("healthcheck-timeout-seconds");
pub(super) const ALB_HEALTHY_THRESHOLD: &str = alb!("healthy-threshold-count");
pub(super) const ALB_UNHEALTHY_THRESHOLD: &str = alb!("unhealthy-threshold-count");
pub(super) const ALB_HEALTH_HTTPCODE: &str = alb!("healthcheck-httpcode");
pub(super) const ALB_HEALTH_METHOD: &str = alb!("healthcheck-method");
pub(super) const ALB_STICKY_SESSION: &str = alb!("sticky-session");
pub(super) const ALB_STICKY_SESSION_TYPE: &str = alb!("sticky-session-type");
pub(super) const ALB_COOKIE_TIMEOUT: &str = alb!("cookie-timeout");
pub(super) const ALB_BACKEND_SCHEDULER: &str = alb!("backend-scheduler");
/// Followed by the forward action's name (seed 003).
pub(super) const ALB_ACTIONS: &str = alb!("actions.");

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
