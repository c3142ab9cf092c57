//! CCE's annotation keys and the typed JSON values some of them carry, in one place: the
//! mapping (`service`, `ingress`) and the change rules (`changes`) spell keys only through
//! these consts, and every JSON value is one of these structs, serialised once by
//! `Annotations::set_json` (a field the spec leaves out is left out, so CCE's default
//! applies).
//!
//! Keys, JSON types and units from the CCE user guide "LoadBalancer" (seed 001, tables
//! 1-5) and cce_10_0684, cce_10_0687, cce_10_0695, cce_10_0949; each struct cites its table.

/// The annotation keys the pack names, spelt once in its catalogue (`rust:` entries).
pub(super) use super::keys::*;
use crate::provider::settings::{Block, MovedField};
use crate::spec::values::{ClusterVersion, PortRef};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// From v1.22 CCE Ingresses name their class in `spec.ingressClassName`; before, by
/// annotation (cce_10_0252 and cce_10_0695: `kubernetes.io/ingress.class: cce` only for
/// clusters of v1.21 or earlier).
pub(super) const FIRST_CLASS_NAME_VERSION: ClusterVersion = ClusterVersion {
    major: 1,
    minor: 22,
    patch: 0,
    release: 0,
};

/// `elb.autocreate` (seed 001 table 5): strings except `bandwidth_size` (Integer) and the
/// two arrays.
#[derive(Debug, Serialize)]
pub(super) struct Autocreate<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    /// `public` or `inner`.
    #[serde(rename = "type")]
    pub network: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_chargemode: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_size: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_sharetype: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eip_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vip_subnet_cidr_id: Option<&'a str>,
    /// The fixed private IPv4 address (cce_10_0385 Table 15 `vip_address`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vip_address: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub available_zone: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l4_flavor_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l7_flavor_name: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub elb_virsubnet_ids: &'a [String],
    /// The network ID of the IPv6-enabled subnet of a dual-stack dedicated ELB (cce_10_0681
    /// elb.autocreate table, `ipv6_vip_virsubnet_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipv6_vip_virsubnet_id: Option<&'a str>,
}

/// `elb.session-affinity-option`: `persistence_timeout`, a String of minutes (seed 001
/// table 2; HTTP_COOKIE and SOURCE_IP), or `app_cookie_name`, the application's cookie
/// (APP_COOKIE; CCE configuration reference, Ingress backend server group).
#[derive(Debug, Serialize)]
pub(super) struct PersistenceOption<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persistence_timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_cookie_name: Option<&'a str>,
}

/// `elb.health-check-option`, and each entry of `elb.health-check-options` with the two
/// per-port fields (seed 001 table 3, cce_10_0684); every value a String.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct HealthOption {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_retries: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `<PROTOCOL>:<port>` of the Service port (multi-port form only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_service_port: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitor_port: Option<String>,
}

/// One entry of `elb.actions.<name>` (cce_10_0949, "Forward to a custom backend server
/// group"): lower-case keys, numbers as JSON numbers.
#[derive(Debug, Serialize)]
pub(super) struct ForwardAction<'a> {
    /// Always `ForwardPool`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(rename = "forwardConfig")]
    pub forward_config: Vec<ForwardTarget<'a>>,
}

/// A weighted target of a forward action: an in-cluster Service or an ELB pool.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub(super) enum ForwardTarget<'a> {
    /// `{"type":"service","serviceName","servicePort","weight"}`.
    Service {
        #[serde(rename = "serviceName")]
        name: &'a str,
        /// `null` only for a backend without port, which the common rules refuse.
        #[serde(rename = "servicePort")]
        port: Option<&'a PortRef>,
        weight: u8,
    },
    /// `{"type":"pool","poolID","weight"}`.
    Pool {
        #[serde(rename = "poolID")]
        id: Option<&'a str>,
        weight: u8,
    },
}

// Source: CCE user guide "LoadBalancer" (seed 001), Notes and Constraints and "ELB
// Forwarding" (pods are backends only with a dedicated LB in a CCE Turbo cluster; Turbo
// clusters take only cluster-level service affinity).
/// `spec.huawei`: what only CCE has.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(super) struct HuaweiSettings {
    /// The cluster's type, `standard` or `turbo` (CCE Turbo: pods on ENIs, which
    /// `targets: pods` needs). Rules that need it skip when it is not given.
    pub cluster_flavor: Option<ClusterFlavor>,
    /// With `loadBalancer.create.ipVersion: dual-stack`: the **Network ID** (VPC console,
    /// the subnet's Summary tab) of the IPv6-enabled subnet a new dedicated ELB takes its
    /// IPv6 address from; a UUID.
    pub ipv6_network_id: Option<String>,
}

/// The type of a CCE cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(super) enum ClusterFlavor {
    /// A CCE standard cluster (pods behind node networking).
    Standard,
    /// A CCE Turbo cluster (pods on ENIs).
    Turbo,
}

impl Block for HuaweiSettings {
    const MOVED: &'static [MovedField] = &[MovedField {
        from: "spec.cluster.flavor",
        to: "spec.huawei.clusterFlavor",
    }];

    fn sample() -> HuaweiSettings {
        HuaweiSettings {
            cluster_flavor: Some(ClusterFlavor::Turbo),
            ipv6_network_id: Some("0b4f2e7d-1a2b-4c5d-8e9f-0123456789ab".into()),
        }
    }
}
