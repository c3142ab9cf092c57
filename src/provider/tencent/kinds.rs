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

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    #[test]
    fn tke_service_config_rejects_unknown_fields() {
        let config = |health: Value| {
            json!({"apiVersion": "cloud.tencent.com/v1alpha1", "kind": "TkeServiceConfig",
                "metadata": {"name": "a-lbgen-svc", "namespace": "default"},
                "spec": {"loadBalancer": {"l4Listeners": [{"protocol": "TCP", "port": 80,
                "healthCheck": health}]}}})
        };
        let check = super::CUSTOM_KINDS[0].check;
        assert!(check(&config(json!({"enable": true, "intervalTime": 10}))).is_ok());
        let err = check(&config(json!({"enabled": true}))).unwrap_err();
        assert!(err.contains("unknown field `enabled`"), "{err}");
    }
}
