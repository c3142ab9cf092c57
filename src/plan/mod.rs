//! Spec -> Plan: defaults applied, names generated, durations in seconds.
//!
//! The plan is provider-neutral and is all that policies, providers and the data plane
//! see: they never re-read the spec. It serialises (camelCase, every field present, `null`
//! when unset) to the `lb` variable of policy rules, so its field names are part of the
//! rule language.

use crate::spec::model::{
    AccessControl, Algorithm, Create, Exposure, LoadBalancerDoc, Network, PathMatch, Protocol,
    ProviderId, RouteConditions, StickyMode, Targets, Tier, TrafficPolicy, Workload,
};
use crate::spec::values::{Duration, PortRef, VersionText};
use derived::{backends, ingress_listeners};
use serde::Serialize;
use std::collections::BTreeMap;

mod derived;
mod error;
mod health;
mod lifecycle;
mod listener;

pub use error::{Overrides, PlanError};
pub use health::HealthPlan;
pub use lifecycle::{DrainingPlan, SlowStartPlan};
pub use listener::ListenerPlan;

/// One load balancer, ready for policies and rendering.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// Name of the emitted objects.
    pub name: String,
    /// Namespace of the emitted objects.
    pub namespace: String,
    /// Labels from the spec (lbgen's managed-by label is added at render time).
    pub labels: BTreeMap<String, String>,
    /// The user's extra annotations.
    pub annotations: BTreeMap<String, String>,
    /// Keys of `annotations` the spec lets through unchecked (newer than the catalogue).
    pub unchecked_annotations: Vec<String>,
    /// The typed provider fields of the provider's own block (`spec.<id>.service|ingress`),
    /// as annotations; not part of the rule language (rules see the catalogue's checks).
    #[serde(skip)]
    pub provider_fields: Vec<crate::provider::catalogue_fields::ProviderField>,
    /// The cloud.
    pub provider: ProviderId,
    /// Target-cluster facts.
    pub cluster: ClusterFacts,
    /// Service or Ingress.
    pub exposure: Exposure,
    /// Internal or public.
    pub network: Network,
    /// Existing LB or creation parameters.
    pub load_balancer: LoadBalancerPlan,
    /// Pods behind a Service.
    pub selector: BTreeMap<String, String>,
    /// Service listeners, in spec order.
    pub listeners: Vec<Listener>,
    /// Ingress routes, in spec order.
    pub routes: Vec<RoutePlan>,
    /// The listeners an Ingress's routes need, derived once here for every pack. Not part
    /// of the rule language (the rules see `routes[].port` and `certificateId`).
    #[serde(skip)]
    pub ingress_listeners: Vec<IngressListener>,
    /// A Service's extra backends.
    pub backends: Vec<BackendPlan>,
    /// Every backend of every route, flattened, for rules that look at all of them.
    pub route_backends: Vec<BackendPlan>,
    /// Nodes or pods.
    pub targets: Targets,
    /// Backends registered by IP.
    pub ip_targets: bool,
    /// Scheduling algorithm.
    pub algorithm: Algorithm,
    /// Whether any backend has an explicit weight.
    pub weighted: bool,
    /// Stickiness, when asked for.
    pub stickiness: Option<StickinessPlan>,
    /// Health check, when configured.
    pub health_check: Option<HealthPlan>,
    /// Listener behaviour (always present; unset fields `null`, no redirect by default).
    pub listener: ListenerPlan,
    /// Connection draining, when asked for.
    pub draining: Option<DrainingPlan>,
    /// Slow start, when asked for: its duration in seconds.
    pub slow_start: Option<SlowStartPlan>,
    /// In-cluster traffic through the LB.
    pub pass_through: bool,
    /// externalTrafficPolicy.
    pub traffic_policy: TrafficPolicy,
    /// The pods' owner.
    pub workload: Option<Workload>,
    /// Source-address access control, when asked for.
    pub access_control: Option<AccessControl>,
    /// The settings of the provider's own `spec.<id>` block, every field present: to rules
    /// as `lb.<id>` (`lb.<id>.<field>`), to the pack through
    /// `provider::settings::of`. Keyed by the provider's id (only the plan's own provider,
    /// except in the rule probe, which carries every pack's sample).
    #[serde(flatten)]
    pub settings: BTreeMap<String, serde_json::Value>,
}

/// Cluster facts (all optional: rules that need one skip when it is unknown).
#[derive(Debug, Clone, Serialize)]
pub struct ClusterFacts {
    /// `v1.28.15-r20`.
    pub version: Option<VersionText>,
}

/// Existing or created LB.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerPlan {
    /// Existing LB id.
    pub id: Option<String>,
    /// Shared or dedicated.
    pub tier: Tier,
    /// Creation parameters (present when `id` is absent, possibly all empty).
    pub create: Option<Create>,
    /// With an existing LB: own the listeners of the Service's ports.
    pub override_listeners: bool,
    /// The LB's published DNS name (pass-through).
    pub hostname: Option<String>,
    /// A platform-owned IngressClass.
    pub ingress_class: Option<String>,
    /// Resource tags, by key.
    pub tags: BTreeMap<String, String>,
}

/// A Service listener.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Listener {
    /// Port name (given or `<protocol>-<port>`).
    pub name: String,
    /// Listener port.
    pub port: u16,
    /// Container port (number or name).
    pub target_port: PortRef,
    /// Listener protocol.
    pub protocol: Protocol,
    /// Certificate for HTTPS and TLS.
    pub certificate_id: Option<String>,
    /// SNI certificates beside it.
    pub sni_certificate_ids: Vec<String>,
    /// CA certificate of mutual TLS.
    pub ca_certificate_id: Option<String>,
    /// The port's own health check, merged over the Service's (`null` when the port sets
    /// none and the Service's applies).
    pub health_check: Option<HealthPlan>,
    /// The spec names of the health-check fields the port itself sets, to blame them at
    /// the port. Not part of the rule language.
    #[serde(skip)]
    pub health_check_fields: Vec<&'static str>,
}

/// An Ingress route.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoutePlan {
    /// Host, `None` = any.
    pub host: Option<String>,
    /// Path, default `/`.
    pub path: String,
    /// Match mode.
    #[serde(rename = "match")]
    pub path_match: PathMatch,
    /// Listener port (80, or 443 with TLS, by default).
    pub port: u16,
    /// Certificate when TLS terminates here.
    pub certificate_id: Option<String>,
    /// SNI certificates beside it.
    pub sni_certificate_ids: Vec<String>,
    /// The forward action's name, when the spec gives one.
    pub action: Option<String>,
    /// Request conditions, when the route has any.
    pub when: Option<RouteConditions>,
    /// Values in `when` (methods, header and query values, cookies, source ranges).
    pub condition_values: usize,
    /// Backends, in spec order.
    pub backends: Vec<BackendPlan>,
    /// Whether the route splits traffic: several backends, any weight or any server group.
    /// Providers then render a forward action instead of a plain path backend.
    pub split: bool,
}

/// A listener an Ingress needs: a port its routes use, and whether those routes carry a
/// certificate (HTTPS) or not (HTTP). One per distinct pair, in order of first appearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IngressListener {
    /// Listener port.
    pub port: u16,
    /// Whether its routes terminate TLS (HTTPS) or not (HTTP).
    pub tls: bool,
}

/// A backend.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackendPlan {
    /// Index of the route it belongs to (ingress), for blaming it.
    pub route: usize,
    /// Index within its list.
    pub index: usize,
    /// An in-cluster Service.
    pub service: Option<String>,
    /// An external server group.
    pub server_group: Option<String>,
    /// Port of the Service or group.
    pub port: Option<PortRef>,
    /// Explicit weight.
    pub weight: Option<u8>,
    /// The weight in effect: explicit, or an equal share (100 split evenly).
    pub effective_weight: u8,
}

/// Stickiness.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StickinessPlan {
    /// source-ip, cookie or app-cookie.
    pub mode: StickyMode,
    /// The application cookie's name (`app-cookie`), when given.
    pub cookie_name: Option<String>,
    /// Timeout, when given.
    pub timeout_seconds: Option<u64>,
}

/// Builds the plan of one spec.
pub fn build(doc: &LoadBalancerDoc, overrides: &Overrides) -> Result<Plan, PlanError> {
    let spec = &doc.spec;
    let provider = overrides
        .provider
        .or(spec.provider)
        .ok_or(PlanError::NoProvider)?;
    let exposure = spec
        .exposure
        .or(spec.decorate.as_ref().map(|d| d.kind.exposure()))
        .ok_or(PlanError::NoExposure)?;
    let namespace = doc
        .metadata
        .namespace
        .as_ref()
        .map(|n| n.0.clone())
        .or_else(|| overrides.namespace.clone())
        .unwrap_or_else(|| "default".into());
    let listeners = spec
        .ports
        .iter()
        .map(|p| Listener {
            name: p.name.clone().unwrap_or_else(|| {
                format!("{}-{}", p.protocol.as_str().to_ascii_lowercase(), p.port.0)
            }),
            port: p.port.0,
            target_port: p.target_port.clone().unwrap_or(PortRef::Number(p.port)),
            protocol: p.protocol,
            certificate_id: p.certificate_id.clone(),
            sni_certificate_ids: p.sni_certificate_ids.clone(),
            ca_certificate_id: p.ca_certificate_id.clone(),
            health_check: p
                .health_check
                .as_ref()
                .map(|own| health::plan(&health::merged(spec.health_check.as_ref(), own))),
            health_check_fields: p
                .health_check
                .as_ref()
                .map(health::given_fields)
                .unwrap_or_default(),
        })
        .collect();
    let routes: Vec<RoutePlan> = spec
        .routes
        .iter()
        .enumerate()
        .map(|(ri, r)| RoutePlan {
            host: r.host.clone(),
            path: r.path.clone().unwrap_or_else(|| "/".into()),
            path_match: r.path_match,
            port: r
                .port
                .map(|p| p.0)
                .unwrap_or(if r.tls.is_some() { 443 } else { 80 }),
            certificate_id: r.tls.as_ref().map(|t| t.certificate_id.clone()),
            sni_certificate_ids: r
                .tls
                .as_ref()
                .map(|t| t.sni_certificate_ids.clone())
                .unwrap_or_default(),
            action: r.action.as_ref().map(|a| a.0.clone()),
            when: r.when.clone(),
            condition_values: r.when.as_ref().map_or(0, RouteConditions::value_count),
            backends: backends(&r.backends, ri),
            split: r.backends.len() > 1
                || r.backends
                    .iter()
                    .any(|b| b.weight.is_some() || b.server_group.is_some()),
        })
        .collect();
    let ingress_listeners = ingress_listeners(&routes);
    let extra = backends(&spec.backends, 0);
    let route_backends: Vec<BackendPlan> = routes.iter().flat_map(|r| r.backends.clone()).collect();
    let weighted = extra
        .iter()
        .chain(&route_backends)
        .any(|b| b.weight.is_some());
    let load_balancer = match &spec.load_balancer {
        Some(lb) => LoadBalancerPlan {
            id: lb.id.clone(),
            tier: lb.tier,
            create: match (&lb.id, &lb.create) {
                (None, None) => Some(Create::default()),
                (_, c) => c.clone(),
            },
            override_listeners: lb.override_listeners.unwrap_or(true),
            hostname: lb.hostname.clone(),
            ingress_class: lb.ingress_class.as_ref().map(|c| c.0.clone()),
            tags: lb.tags.clone(),
        },
        None => LoadBalancerPlan {
            id: None,
            tier: Tier::Shared,
            create: Some(Create::default()),
            override_listeners: true,
            hostname: None,
            ingress_class: None,
            tags: BTreeMap::new(),
        },
    };
    let health_check = spec.health_check.as_ref().map(health::plan);
    let listener = listener::plan(spec.listener.as_ref());
    let cluster = spec.cluster.clone().unwrap_or_default();
    let settings = match spec.settings.get(&provider) {
        Some(given) => given.clone(),
        // An absent block reads as its defaults; a pack's reader cannot fail on nothing.
        None => (provider.pack().settings().read)(None).unwrap_or_default(),
    };
    Ok(Plan {
        name: doc.metadata.name.0.clone(),
        namespace,
        labels: doc.metadata.labels.clone(),
        annotations: doc.metadata.annotations.clone(),
        unchecked_annotations: spec.unchecked_annotations.clone(),
        provider_fields: spec
            .provider_fields
            .get(&provider)
            .cloned()
            .unwrap_or_default(),
        provider,
        cluster: ClusterFacts {
            version: cluster.version,
        },
        exposure,
        network: spec.network,
        load_balancer,
        selector: spec.selector.clone(),
        listeners,
        routes,
        ingress_listeners,
        backends: extra,
        route_backends,
        targets: spec.targets,
        ip_targets: spec.ip_targets,
        algorithm: spec.algorithm,
        weighted,
        stickiness: spec.stickiness.as_ref().map(|s| StickinessPlan {
            mode: s.mode,
            cookie_name: s.cookie_name.as_ref().map(|c| c.0.clone()),
            timeout_seconds: s.timeout.map(|Duration(d)| d),
        }),
        health_check,
        listener,
        draining: spec.draining.as_ref().map(|d| DrainingPlan {
            timeout_seconds: d.timeout.map(|Duration(t)| t),
        }),
        slow_start: spec.slow_start.as_ref().map(|s| SlowStartPlan {
            duration_seconds: s.duration.0,
        }),
        pass_through: spec.pass_through,
        traffic_policy: spec.traffic_policy,
        workload: spec.workload.clone(),
        access_control: spec.access_control.clone(),
        settings: BTreeMap::from([(provider.as_str().to_string(), settings)]),
    })
}
