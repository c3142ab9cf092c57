//! The kinds TKE output needs checked by lbgen's own types (k8s-openapi models none of
//! them): the `TkeServiceConfig` CRD, the `v1beta1` Ingress of clusters before v1.19,
//! and the workload patches that make pods ENI pods (partial objects, so no valid
//! Deployment on their own). The structs live in `types.rs`.

use super::types::{IngressV1beta1, TkeServiceConfig, WorkloadPatch};
use crate::provider::registry::{CustomKind, EmitRank};
use crate::render::round_trip;

const fn workload_patch(kind: &'static str) -> CustomKind {
    CustomKind {
        group: "apps",
        version: None,
        kind,
        rank: EmitRank::Kubernetes,
        check: round_trip::<WorkloadPatch>,
    }
}

/// TKE's custom kinds, for the registry.
pub(super) const CUSTOM_KINDS: &[CustomKind] = &[
    CustomKind {
        group: "cloud.tencent.com",
        version: None,
        kind: "TkeServiceConfig",
        rank: EmitRank::Configuration,
        check: round_trip::<TkeServiceConfig>,
    },
    CustomKind {
        group: "networking.k8s.io",
        version: Some("v1beta1"),
        kind: "Ingress",
        rank: EmitRank::Kubernetes,
        check: round_trip::<IngressV1beta1>,
    },
    workload_patch("Deployment"),
    workload_patch("StatefulSet"),
    workload_patch("DaemonSet"),
];
