//! The custom kind ACK's ALB Ingresses come with: `alibabacloud.com/v1` `AlbConfig`, as a
//! typed struct, so a rendered AlbConfig gets the same round-trip check as Services and
//! Ingresses (k8s-openapi has no type for it). Every struct denies unknown fields;
//! optional fields are skipped when absent.

use crate::provider::registry::{CustomKind, EmitRank};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// ACK's custom kinds, for the registry.
pub(super) const CUSTOM_KINDS: &[CustomKind] = &[CustomKind {
    group: "alibabacloud.com",
    version: None,
    kind: "AlbConfig",
    rank: EmitRank::Configuration,
    check: crate::render::round_trip::<AlbConfig>,
}];

/// Object metadata of a cluster-scoped custom object.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClusterMeta {
    name: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    labels: BTreeMap<String, String>,
}

/// `alibabacloud.com/v1` `AlbConfig` (ACK "ALB Ingress configuration dictionary").
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AlbConfig {
    api_version: String,
    kind: String,
    metadata: ClusterMeta,
    spec: AlbConfigSpec,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlbConfigSpec {
    config: AlbInstance,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    listeners: Vec<AlbListener>,
}

/// An existing ALB (`id`, `forceOverride`) or creation parameters.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AlbInstance {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    force_override: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address_type: Option<String>,
    /// `IPv4` or `DualStack` (LoadBalancerSpec `addressIpVersion`).
    #[serde(skip_serializing_if = "Option::is_none")]
    address_ip_version: Option<String>,
    /// The IPv6 address's `Internet` or `Intranet` (LoadBalancerSpec `ipv6AddressType`).
    #[serde(skip_serializing_if = "Option::is_none")]
    ipv6_address_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edition: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zone_mappings: Option<Vec<ZoneMapping>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<AlbTag>>,
}

/// A resource tag of the ALB (`LoadBalancerSpec.tags`: `key`, `value`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlbTag {
    key: String,
    value: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ZoneMapping {
    v_switch_id: String,
    /// "Automatically specified" by the controller when absent (AlbConfig fields, ZoneMapping).
    #[serde(skip_serializing_if = "Option::is_none")]
    zone_id: Option<String>,
    /// The EIP of this zone (AlbConfig fields, ZoneMapping: "The ID of the EIP").
    #[serde(skip_serializing_if = "Option::is_none")]
    allocation_id: Option<String>,
}

/// The `ListenerSpec` fields lbgen writes (docs/usage.md, "ListenerSpec"): timeouts in
/// whole seconds, `http2Enabled` on HTTPS listeners.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AlbListener {
    port: u16,
    protocol: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    certificates: Option<Vec<AlbCertificate>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    idle_timeout: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_timeout: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    http2_enabled: Option<bool>,
    /// The TLS security policy of an HTTPS listener (docs/usage.md, Specify a TLS security
    /// policy).
    #[serde(rename = "securityPolicyId", skip_serializing_if = "Option::is_none")]
    security_policy_id: Option<String>,
    #[serde(rename = "aclConfig", skip_serializing_if = "Option::is_none")]
    acl_config: Option<AlbAclConfig>,
    #[serde(
        rename = "xForwardedForConfig",
        skip_serializing_if = "Option::is_none"
    )]
    x_forwarded_for_config: Option<AlbXForwardedForConfig>,
}

/// The headers a listener adds (docs/usage.md, "XForwardedForConfig"): PascalCase keys
/// as albconfig_types.go spells them; lbgen writes `XForwardedForEnabled` and the three
/// header switches of `spec.listener.forwardedHeaders`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct AlbXForwardedForConfig {
    x_forwarded_for_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    x_forwarded_for_proto_enabled: Option<bool>,
    #[serde(
        rename = "XForwardedForSLBPortEnabled",
        skip_serializing_if = "Option::is_none"
    )]
    x_forwarded_for_slb_port_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    x_forwarded_for_client_src_port_enabled: Option<bool>,
}

/// A listener's access control by existing ACL ids (`ListenerSpec.aclConfig`; `aclIds`
/// from ALB Ingress controller v2.7.0).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AlbAclConfig {
    acl_ids: Vec<String>,
    /// `White` or `Black`.
    acl_type: String,
}

/// Capitalised keys, as the ALB controller reads them.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct AlbCertificate {
    certificate_id: String,
    is_default: bool,
}
