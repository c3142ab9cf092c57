//! The objects a spec refers to beside its own load balancer: the Service or Ingress of
//! the input it decorates, and the pods' owner a provider may need to patch. Split from
//! `model` so each module stays one screenful of types.

use super::choices::Exposure;
use super::values::DnsLabel;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The existing object a spec decorates (same namespace as the spec).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Decorate {
    /// `Service` or `Ingress`.
    pub kind: DecoratedKind,
    /// Its `metadata.name`.
    pub name: DnsLabel,
    /// Annotation or label keys, or the owned fields `spec.ingressClassName`,
    /// `spec.loadBalancerClass`, `spec.externalTrafficPolicy`, that lbgen may overwrite
    /// where the object already sets another value (otherwise that is an error).
    #[serde(default)]
    pub take_over: Vec<String>,
}

/// Kinds of objects a spec can decorate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
pub enum DecoratedKind {
    /// v1 Service.
    Service,
    /// networking.k8s.io Ingress.
    Ingress,
}

impl DecoratedKind {
    /// The `kind` of the object.
    pub fn as_str(self) -> &'static str {
        match self {
            DecoratedKind::Service => "Service",
            DecoratedKind::Ingress => "Ingress",
        }
    }

    /// The exposure the kind stands for.
    pub fn exposure(self) -> Exposure {
        match self {
            DecoratedKind::Service => Exposure::Service,
            DecoratedKind::Ingress => Exposure::Ingress,
        }
    }
}

/// The pods' owner.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Deployment, StatefulSet, DaemonSet.
    pub kind: WorkloadKind,
    /// Its name.
    pub name: DnsLabel,
    /// The container that takes per-pod resources a provider needs (an ENI IP request);
    /// default: the workload's name.
    pub container: Option<DnsLabel>,
}

/// Kinds of pod owners lbgen can patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum WorkloadKind {
    /// apps/v1 Deployment.
    Deployment,
    /// apps/v1 StatefulSet.
    StatefulSet,
    /// apps/v1 DaemonSet.
    DaemonSet,
}
