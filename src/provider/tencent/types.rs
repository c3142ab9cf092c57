//! TKE's annotation keys and typed values, in one place, and the typed shapes of the
//! Tencent objects that k8s-openapi does not model: the `TkeServiceConfig` CRD, the
//! `networking.k8s.io/v1beta1` Ingress of clusters older than 1.19, and the
//! strategic-merge patch that makes a workload's pods ENI pods.
//!
//! The annotation keys are spelt once, in catalogues/tencent.yaml, and re-exported here
//! from `keys`: the mapping (`service`, `ingress`) and the change rules (`changes`) spell
//! keys only through them; every JSON annotation value is one of the `*Value` structs,
//! serialised once by `Annotations::set_json`.
//!
//! The mapping builds the TkeServiceConfig spec from these structs (so the output has one
//! spelling), and the renderer reads every rendered object of these kinds back into them
//! with `deny_unknown_fields`: a misspelt field in a template is an error, not a field
//! TKE silently ignores (providers.md: "Field spelling is `enable` (not `enabled`)").

use crate::spec::values::ClusterVersion;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The annotation keys the pack names, spelt once in its catalogue (`rust:` entries).
pub(super) use super::keys::*;
// Written by TKE's controllers, never by lbgen (providers.md "never emit").

/// The keys of the rows that a Service and an Ingress spell differently (providers.md,
/// "What a spec becomes"): which of the consts above an object's annotations use.
pub(super) struct Keys {
    pub existing_lb: &'static str,
    pub subnet: &'static str,
    pub charge_type: &'static str,
    pub bandwidth: &'static str,
    pub extensive: &'static str,
    pub direct_access: &'static str,
    pub service_config: &'static str,
}

pub(super) const SERVICE_KEYS: Keys = Keys {
    existing_lb: SERVICE_EXISTING_LB,
    subnet: SERVICE_SUBNET,
    charge_type: SERVICE_CHARGE_TYPE,
    bandwidth: SERVICE_BANDWIDTH,
    extensive: SERVICE_EXTENSIVE,
    direct_access: SERVICE_DIRECT_ACCESS,
    service_config: SERVICE_CONFIG,
};

pub(super) const INGRESS_KEYS: Keys = Keys {
    existing_lb: INGRESS_EXISTING_LB,
    subnet: INGRESS_SUBNET,
    charge_type: INGRESS_CHARGE_TYPE,
    bandwidth: INGRESS_BANDWIDTH,
    extensive: INGRESS_EXTENSIVE,
    direct_access: INGRESS_DIRECT_ACCESS,
    service_config: INGRESS_CONFIG,
};

/// TKE serves `networking.k8s.io/v1` Ingresses from Kubernetes 1.19; older clusters get
/// the `v1beta1` form (seed 004's sample).
pub(super) const FIRST_V1_INGRESS_VERSION: ClusterVersion = ClusterVersion {
    major: 1,
    minor: 19,
    patch: 0,
    release: 0,
};

/// `extensiveParameters`: keys of the CLB CreateLoadBalancer API (providers.md, "other
/// create parameters"); written only when one is set.
#[derive(Debug, Serialize)]
pub(super) struct ExtensiveValue<'a> {
    #[serde(rename = "LoadBalancerName", skip_serializing_if = "Option::is_none")]
    pub load_balancer_name: Option<&'a str>,
    #[serde(rename = "ZoneId", skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<&'a str>,
    /// CreateLoadBalancer `Vip`: the fixed address of the new CLB.
    #[serde(rename = "Vip", skip_serializing_if = "Option::is_none")]
    pub vip: Option<&'a str>,
    /// CreateLoadBalancer `Tags`: `[{"TagKey", "TagValue"}]`.
    #[serde(rename = "Tags", skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<TagInfo<'a>>,
    /// CreateLoadBalancer `AddressIPVersion`: `IPV6` for an IPv6 (NAT64) CLB (457/39142).
    #[serde(rename = "AddressIPVersion", skip_serializing_if = "Option::is_none")]
    pub address_ip_version: Option<&'static str>,
}

/// A CLB resource tag (CreateLoadBalancer `TagInfo`).
#[derive(Debug, Serialize)]
pub(super) struct TagInfo<'a> {
    #[serde(rename = "TagKey")]
    pub key: &'a str,
    #[serde(rename = "TagValue")]
    pub value: &'a str,
}

impl ExtensiveValue<'_> {
    /// Whether any parameter is set (the annotation is written only then).
    pub(super) fn is_empty(&self) -> bool {
        self.load_balancer_name.is_none()
            && self.zone_id.is_none()
            && self.vip.is_none()
            && self.tags.is_empty()
            && self.address_ip_version.is_none()
    }
}

/// One port's entry of `specify-protocol` (keyed by the port as a string): `protocol` a
/// one-element list, `tls` the certificate Secret's name for HTTPS (Tencent 457/39141).
#[derive(Debug, Serialize)]
pub(super) struct SpecifyProtocolValue {
    pub protocol: [&'static str; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<String>,
}

/// One entry of `http-rules` / `https-rules` (457/45693 "Ingress mixed HTTP and HTTPS"):
/// no `host` for a route without one (the controller then matches the CLB's VIP).
#[derive(Debug, Serialize)]
pub(super) struct MixRuleValue<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<&'a str>,
    pub path: &'a str,
    /// `null` only for a route without Service and port, which the common rules refuse.
    pub backend: Option<MixBackendValue<'a>>,
}

/// The backend of a mixed-protocol rule: the port a JSON string, as in the page's format
/// and example (`"servicePort":"80"`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct MixBackendValue<'a> {
    pub service_name: &'a str,
    pub service_port: String,
}

/// `cloud.tencent.com/v1alpha1` `TkeServiceConfig` (providers.md, TkeServiceConfig;
/// tencentcloud.com/document/product/457/36834 and 37015).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct TkeServiceConfig {
    api_version: String,
    kind: String,
    metadata: ObjectMeta,
    spec: TkeServiceConfigSpec,
}

/// `spec`: only `loadBalancer` is documented.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct TkeServiceConfigSpec {
    pub(crate) load_balancer: LoadBalancerConfig,
}

/// Listener settings, matched by TKE to existing listeners by protocol and port.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct LoadBalancerConfig {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) l4_listeners: Vec<L4Listener>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) l7_listeners: Vec<L7Listener>,
}

/// `l4Listeners[]` of a Service.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct L4Listener {
    pub(crate) protocol: String,
    pub(crate) port: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scheduler: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) session: Option<Session>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) health_check: Option<HealthCheck>,
}

/// `session`: source-IP persistence at L4, cookie-based at L7.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct Session {
    pub(crate) enable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) session_expire_time: Option<u64>,
}

/// `healthCheck`; fields left out keep TKE's defaults.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct HealthCheck {
    pub(crate) enable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) interval_time: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) timeout: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) health_num: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) un_health_num: Option<u32>,
    /// L4 only, *unverified* (providers.md): newer controllers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) check_type: Option<String>,
    /// L4 only, *unverified*.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) check_port: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) http_check_path: Option<String>,
    /// Healthy status classes as a bit mask: 1 = 1xx, 2 = 2xx, 4 = 3xx, 8 = 4xx, 16 = 5xx,
    /// summed (1..31, default 31).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) http_code: Option<u8>,
    /// The Host of the HTTP check (1..80 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) http_check_domain: Option<String>,
    /// `HEAD` (default) or `GET`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) http_check_method: Option<String>,
}

/// `l7Listeners[]`: HTTP/HTTPS listeners, rules matched by domain and url.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct L7Listener {
    pub(crate) protocol: String,
    pub(crate) port: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) keepalive_enable: Option<u8>,
    pub(crate) domains: Vec<Domain>,
}

/// `domains[]`: `""` is the CLB's default domain (its VIP).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct Domain {
    pub(crate) domain: String,
    pub(crate) rules: Vec<L7Rule>,
}

/// `rules[]`: one forwarding path.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct L7Rule {
    pub(crate) url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) scheduler: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) session: Option<Session>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) health_check: Option<HealthCheck>,
    /// The backend protocol, `HTTP` or `HTTPS` (457/37015, Ingress example).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) forward_type: Option<String>,
}

/// An `extensions`/`networking.k8s.io/v1beta1` Ingress: k8s-openapi has only `v1`, and
/// TKE clusters older than 1.19 serve only this form (seed 004's sample).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct IngressV1beta1 {
    api_version: String,
    kind: String,
    metadata: ObjectMeta,
    spec: IngressSpecV1beta1,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IngressSpecV1beta1 {
    rules: Vec<IngressRuleV1beta1>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tls: Vec<k8s_openapi::api::networking::v1::IngressTLS>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IngressRuleV1beta1 {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    host: Option<String>,
    http: HttpRuleV1beta1,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HttpRuleV1beta1 {
    paths: Vec<PathV1beta1>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PathV1beta1 {
    path: String,
    backend: BackendV1beta1,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct BackendV1beta1 {
    service_name: String,
    service_port: IntOrString,
}

/// A strategic-merge patch of a workload's pod template (seed 004): only the fields it
/// sets, so it is no valid object on its own and k8s-openapi cannot read it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct WorkloadPatch {
    api_version: String,
    kind: String,
    metadata: PatchMetadata,
    spec: PatchSpec,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchMetadata {
    name: String,
    namespace: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchSpec {
    template: PatchTemplate,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchTemplate {
    metadata: PatchTemplateMetadata,
    spec: PatchPodSpec,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchTemplateMetadata {
    annotations: BTreeMap<String, String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchPodSpec {
    containers: Vec<PatchContainer>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchContainer {
    name: String,
    resources: PatchResources,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchResources {
    requests: BTreeMap<String, String>,
    limits: BTreeMap<String, String>,
}
