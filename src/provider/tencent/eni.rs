//! The patch that makes a workload's pods ENI pods, for direct access in a GlobalRouter
//! cluster with VPC-CNI added (seed 004; providers.md "Direct access: what the pods need").
//!
//! lbgen does not own the workload, so it emits a strategic-merge patch: a partial object
//! of the workload's kind and name holding only the pod-template annotation
//! `tke.cloud.tencent.com/networks: tke-route-eni` and the `tke.cloud.tencent.com/eni-ip: "1"`
//! request and limit on one container. The same document works as a kustomize `patches:`
//! entry and as `kubectl patch --type strategic --patch-file`. Containers merge by name,
//! so the container is `spec.workload.container`, else the workload's own name (the name
//! `kubectl create deployment` gives its container). The readiness gate is injected by TKE
//! itself and never added here.

use crate::plan::Plan;
use crate::provider::Manifest;
use crate::spec::model::{Targets, WorkloadKind};
use serde_json::json;

/// The patch, when direct access names the pods' owner.
pub(super) fn patch(plan: &Plan) -> Option<Manifest> {
    let workload = plan
        .workload
        .as_ref()
        .filter(|_| plan.targets == Targets::Pods)?;
    let kind = match workload.kind {
        WorkloadKind::Deployment => "Deployment",
        WorkloadKind::StatefulSet => "StatefulSet",
        WorkloadKind::DaemonSet => "DaemonSet",
    };
    let container = workload.container.as_ref().unwrap_or(&workload.name);
    Some(Manifest {
        template: "tencent/eni-patch.yaml".into(),
        context: json!({
            "kind": kind,
            "name": workload.name.0,
            "namespace": plan.namespace,
            "container": container.0,
        }),
    })
}
