//! The typed `lbgen.dev/v1alpha1` `LoadBalancer` document, exactly as docs/spec.md defines it.
//!
//! Every struct rejects unknown fields: a misspelt field is an error at its key, never a
//! silently ignored setting. Enums list their allowed spellings in the error.

pub use super::access::AccessControl;
pub use super::bandwidth::{Bandwidth, ChargeMode};
pub use super::choices::{
    AccessMode, Algorithm, Billing, Exposure, HealthMethod, HealthProtocol, IpVersion, Network,
    PathMatch, Protocol, StatusClass, StickyMode, Targets, Tier, TrafficPolicy,
};
pub use super::listener::{BackendProtocol, ClientAddress, ForwardedHeader, ListenerSettings};
pub use super::objects::{Decorate, DecoratedKind, Workload, WorkloadKind};
pub use super::routing::RouteConditions;
pub use super::stickiness::{CookieName, Stickiness};
use super::values::{DnsLabel, Duration, IpAddress, Namespace, Port, PortRef, VersionText, Weight};
pub use crate::provider::ProviderId;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The API version lbgen reads.
pub const API_VERSION: &str = "lbgen.dev/v1alpha1";
/// The kind lbgen compiles; other kinds pass through.
pub const KIND: &str = "LoadBalancer";

/// One load balancer.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LoadBalancerDoc {
    /// Always `lbgen.dev/v1alpha1`.
    #[schemars(extend("const" = "lbgen.dev/v1alpha1"))]
    pub api_version: String,
    /// Always `LoadBalancer`.
    #[schemars(extend("const" = "LoadBalancer"))]
    pub kind: String,
    /// Name, namespace, labels, annotations.
    pub metadata: Metadata,
    /// What to expose and how.
    pub spec: Spec,
}

/// Object metadata.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// Name of the emitted Service/Ingress.
    pub name: DnsLabel,
    /// Default: `--namespace`, else `default`.
    pub namespace: Option<Namespace>,
    /// Copied onto every emitted object.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Copied verbatim onto the emitted Service/Ingress (a key lbgen sets is an error).
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

/// The load-balancer spec.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Spec {
    /// The cloud whose controller reads the output (a registered provider; `kubectl lbgen
    /// explain spec.provider` lists them). `--provider` overrides it.
    pub provider: Option<ProviderId>,
    /// Facts about the target cluster (its version) that gate version-dependent features;
    /// rules that need a fact skip when it is not given.
    pub cluster: Option<Cluster>,
    /// How the application is exposed: `service` renders an L4/L7 LoadBalancer Service,
    /// `ingress` an L7 Ingress. Required, except when decorating (the kind decides).
    pub exposure: Option<Exposure>,
    /// Decorate an existing Service or Ingress of the input (a chart's output) instead of
    /// emitting a new one: lbgen adds the provider annotations and the fields it owns to
    /// that object and leaves the rest as it was (docs/spec.md, "Decorate mode").
    pub decorate: Option<Decorate>,
    /// Whether the load balancer's address is private (`internal`, the default) or public.
    /// With an existing LB its own address decides.
    #[serde(default)]
    pub network: Network,
    /// Which load balancer: an existing one (`id`) or the parameters to create one
    /// (`create`), and its tier. Without it the provider's default LB is created.
    pub load_balancer: Option<LoadBalancer>,
    /// Labels of the pods behind a Service (`exposure: service`, required).
    #[serde(default)]
    pub selector: BTreeMap<String, String>,
    /// The Service's listeners (`exposure: service`, at least one).
    #[serde(default)]
    pub ports: Vec<ServicePort>,
    /// The Ingress's routes (`exposure: ingress`, at least one): host, path, listener port,
    /// TLS and weighted backends.
    #[serde(default)]
    pub routes: Vec<Route>,
    /// Extra backends of a Service beside the selected pods, e.g. an existing server group of
    /// machines outside the cluster, with weights.
    #[serde(default)]
    pub backends: Vec<Backend>,
    /// Where the LB sends traffic: `nodes` (default, via the NodePort) or `pods` (straight to
    /// pod IPs; the provider may need ENI pods).
    #[serde(default)]
    pub targets: Targets,
    /// Register backends by IP address rather than by instance (where the provider has the
    /// mode; it may need a dedicated LB and may never be turned off again).
    #[serde(default)]
    pub ip_targets: bool,
    /// How the LB picks a backend: weighted `round-robin` (default), weighted
    /// `least-connections`, or `source-ip` hashing (ignores weights).
    #[serde(default)]
    pub algorithm: Algorithm,
    /// Keep a client on one backend (`source-ip`, `cookie`, or `app-cookie` with the
    /// application's `cookieName`) for `timeout`; absent means no stickiness.
    pub stickiness: Option<Stickiness>,
    /// How the LB checks backends; absent means the provider's default.
    pub health_check: Option<HealthCheck>,
    /// How the LB's listeners behave towards clients and backends (redirects, timeouts);
    /// absent means the provider's defaults.
    pub listener: Option<ListenerSettings>,
    /// Connection draining: a backend that leaves (a pod going away, a node removed) gets no
    /// new connections, and its open ones may finish for up to `timeout` before the LB cuts
    /// them; absent means the provider's default (usually cut at once).
    pub draining: Option<Draining>,
    /// Slow start: a backend that joins (a new pod) gets a share of requests that grows from
    /// nothing to its full weight over `duration`, instead of its full share at once.
    pub slow_start: Option<SlowStart>,
    /// Send in-cluster traffic to the LB's address through the LB instead of letting
    /// kube-proxy short-circuit it (fixes access with `trafficPolicy: local`).
    #[serde(default)]
    pub pass_through: bool,
    /// The Service's externalTrafficPolicy: `cluster` (default; any node forwards) or
    /// `local` (only nodes with a pod; keeps the client address).
    #[serde(default)]
    pub traffic_policy: TrafficPolicy,
    /// The pods' owner (kind and name), for providers that need changes to the pods (direct
    /// access to pods may need pods on ENIs).
    pub workload: Option<Workload>,
    /// Which client addresses may reach the listeners: the cloud's own access-control
    /// lists (IP address groups), created beforehand and named by id, as an allow list or a
    /// deny list. Absent: lbgen leaves the load balancer's access control alone.
    pub access_control: Option<AccessControl>,
    /// Annotation keys of `metadata.annotations` under a provider's prefixes that lbgen's
    /// catalogue does not know yet (newer than it): passed through unchecked, each with a
    /// warning. Without this, an unknown provider annotation is an error (its controller
    /// would ignore it silently).
    #[serde(default)]
    pub unchecked_annotations: Vec<String>,
    /// The `spec.<provider>` blocks: settings only one cloud has, typed by its pack (not a
    /// field of its own: the loader reads them through the provider registry).
    #[serde(skip)]
    #[schemars(skip)]
    pub settings: BTreeMap<ProviderId, serde_json::Value>,
    /// The typed provider fields of the blocks' `service` and `ingress` groups (read with
    /// the blocks: annotations generated from each provider's catalogue).
    #[serde(skip)]
    #[schemars(skip)]
    pub provider_fields:
        BTreeMap<ProviderId, Vec<crate::provider::catalogue_fields::ProviderField>>,
}

/// Target-cluster facts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    /// Provider-style version such as `v1.28.15-r20`.
    pub version: Option<VersionText>,
}

/// An existing LB or the parameters to create one.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LoadBalancer {
    /// Attach to an existing LB.
    pub id: Option<String>,
    /// Shared (default) or dedicated.
    #[serde(default)]
    pub tier: Tier,
    /// Auto-create parameters.
    pub create: Option<Create>,
    /// With an existing LB: let lbgen own the listeners of the Service's ports, replacing
    /// listeners already there on those ports (default true), where the provider asks.
    pub override_listeners: Option<bool>,
    /// Pass-through: the DNS name the controller publishes for the LB, so that kube-proxy
    /// stops short-circuiting in-cluster traffic to its address (providers that publish one).
    pub hostname: Option<String>,
    /// Ingress: an IngressClass the platform team owns; lbgen then emits no LB
    /// configuration object and no IngressClass of its own.
    pub ingress_class: Option<DnsLabel>,
    /// Resource tags of the load balancer, `key: value` (cost centre, owner), for billing
    /// and search in the cloud console; keys and values may not contain `,` or `=`. Some
    /// providers tag only a load balancer they create (`kubectl lbgen explain
    /// spec.loadBalancer.tags --provider <id>`).
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// Auto-create parameters.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Create {
    /// LB name.
    pub name: Option<String>,
    /// Public bandwidth.
    pub bandwidth: Option<Bandwidth>,
    /// Public IP (EIP) type, in the provider's spelling.
    pub eip_type: Option<String>,
    /// Availability zones.
    #[serde(default)]
    pub zones: Vec<String>,
    /// L4 flavour (dedicated).
    pub l4_flavor: Option<String>,
    /// L7 flavour (dedicated).
    pub l7_flavor: Option<String>,
    /// Subnet of the LB's VIP.
    pub subnet_id: Option<String>,
    /// One subnet (vSwitch) per entry of `zones`, in the same order (zone mappings of LBs
    /// that take a subnet per zone).
    #[serde(default)]
    pub subnet_ids: Vec<String>,
    /// Backend subnets.
    #[serde(default)]
    pub backend_subnet_ids: Vec<String>,
    /// A fixed private address (VIP) for the new LB, inside its subnet (`subnetId`);
    /// absent: the cloud picks one. Only read when the LB is created.
    pub address: Option<IpAddress>,
    /// How the new LB instance is billed: `pay-by-spec` (a fixed specification, the
    /// flavour) or `pay-by-usage` (capacity units used). Absent: the provider's default,
    /// or what `l4Flavor` implies.
    pub billing: Option<Billing>,
    /// Existing elastic public IPs (EIPs) of the account, by id, that the new public LB
    /// uses instead of addresses the cloud allocates, so its public address survives
    /// re-creating the LB and can be allow-listed: one for an LB with one address, one per
    /// zone (in the order of `subnetIds`) for an LB with one address per zone.
    #[serde(default)]
    pub eip_ids: Vec<String>,
    /// The IP version of the new LB's address: `ipv4` (every provider's default), `ipv6`, or
    /// `dual-stack` (an IPv4 and an IPv6 address). Fixed when the LB is created.
    pub ip_version: Option<IpVersion>,
}

/// A Service port.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ServicePort {
    /// Default `<protocol>-<port>` in lower case.
    pub name: Option<String>,
    /// The listener port.
    pub port: Port,
    /// Container port, number or name; default = port.
    pub target_port: Option<PortRef>,
    /// TCP (default), UDP, HTTP, HTTPS, or TLS (an L4 listener that terminates TLS and
    /// forwards plain TCP to the pods).
    #[serde(default)]
    pub protocol: Protocol,
    /// The server certificate (the provider's certificate id); required for HTTPS and TLS.
    pub certificate_id: Option<String>,
    /// More certificates of an HTTPS or TLS port, each for the domain names it contains,
    /// chosen by the client's SNI (`certificateId` answers the rest), where the provider has
    /// SNI on Service listeners.
    #[serde(default)]
    pub sni_certificate_ids: Vec<String>,
    /// Mutual TLS: the CA certificate (the provider's id) that client certificates must be
    /// issued by, on an HTTPS or TLS port; clients without one are refused.
    pub ca_certificate_id: Option<String>,
    /// A health check for this listener only (same fields as `spec.healthCheck`): each field
    /// it sets overrides the Service's, the others are inherited; where the provider can
    /// check each listener differently.
    pub health_check: Option<HealthCheck>,
}

/// An Ingress route.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Host name; absent = any.
    pub host: Option<String>,
    /// Default `/`.
    pub path: Option<String>,
    /// prefix (default), exact, regex.
    #[serde(default, rename = "match")]
    pub path_match: PathMatch,
    /// Listener port; default 80 (443 with tls).
    pub port: Option<Port>,
    /// TLS termination.
    pub tls: Option<Tls>,
    /// The name of the synthetic backend that carries a split route's forward action, for
    /// providers that name one (it is part of an annotation key); default: the provider's.
    pub action: Option<DnsLabel>,
    /// Request conditions (headers, cookies, query, methods, source ranges) the route's
    /// traffic must meet; absent = every request of its host and path.
    pub when: Option<RouteConditions>,
    /// At least one backend.
    #[serde(default)]
    pub backends: Vec<Backend>,
}

/// TLS settings of a route.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Tls {
    /// The provider's certificate id.
    pub certificate_id: String,
    /// More certificates, each for the domain names it contains, chosen by the client's SNI
    /// (the server certificate `certificateId` answers the rest), where the provider has SNI.
    #[serde(default)]
    pub sni_certificate_ids: Vec<String>,
}

/// A backend: an in-cluster Service or an external server group.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Backend {
    /// An in-cluster Service.
    pub service: Option<DnsLabel>,
    /// An external server group id.
    pub server_group: Option<String>,
    /// The Service's port or the group's port.
    pub port: Option<PortRef>,
    /// Share of traffic, 0..100 (0 drains the backend); default: equal shares of what the
    /// weighted backends leave.
    pub weight: Option<Weight>,
}

/// Slow start of new backends.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlowStart {
    /// How long a new backend takes to reach its full share (`30s`, `2m`).
    pub duration: Duration,
}

/// Connection draining.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Draining {
    /// How long a leaving backend's open connections may go on (`30s`, `5m`); absent means
    /// the provider's own limit (where it has one).
    pub timeout: Option<Duration>,
}

/// Health check settings.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HealthCheck {
    /// Default true when the block is present.
    pub enabled: Option<bool>,
    /// TCP, HTTP, UDP.
    pub protocol: Option<HealthProtocol>,
    /// Port to check when it is not the traffic port (e.g. a metrics or health port).
    pub port: Option<Port>,
    /// Path of an HTTP check; default `/`.
    pub path: Option<String>,
    /// Time between two checks of one backend (`5s`).
    pub interval: Option<Duration>,
    /// How long one check may take before it counts as failed (`3s`).
    pub timeout: Option<Duration>,
    /// Consecutive results before a backend is marked down (or up again).
    pub retries: Option<u32>,
    /// HTTP check: the status classes that count as healthy, e.g. `[2xx, 3xx]`; absent
    /// means the provider's default (usually 2xx only).
    pub success_codes: Option<Vec<StatusClass>>,
    /// HTTP check: the request method, `GET` or `HEAD`; absent means the provider's default.
    pub method: Option<HealthMethod>,
    /// HTTP check: the Host header (a DNS name such as `health.example.com`); absent means
    /// the provider's default (the backend's IP address, or the rule's domain).
    pub host: Option<String>,
}
