//! Typed shapes of the Tencent objects that k8s-openapi does not model: the
//! `TkeServiceConfig` CRD, the `networking.k8s.io/v1beta1` Ingress of clusters older than
//! 1.19, and the strategic-merge patch that makes a workload's pods ENI pods.
//!
//! The mapping builds the TkeServiceConfig spec from these structs (so the output has one
//! spelling), and the renderer reads every rendered object of these kinds back into them
//! with `deny_unknown_fields`: a misspelt field in a template is an error, not a field
//! TKE silently ignores (providers.md: "Field spelling is `enable` (not `enabled`)").

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
