//! The patch that makes a workload's pods ENI pods, for direct access in a GlobalRouter
//! cluster with VPC-CNI added (seed 004; providers.md "Direct access: what the pods need").
//!
//! lbgen does not own the workload, so this is a strategic-merge patch: a partial object
//! of the workload's kind and name holding only the pod-template annotation
//! `tke.cloud.tencent.com/networks: tke-route-eni` and the `tke.cloud.tencent.com/eni-ip: "1"`
//! request and limit on one container. It is never an object of the output stream
//! (`crate::patch`): lbgen merges it into the workload when that is in the input, else
//! writes it as a patch file and says how to apply it. Containers merge by name, so the
//! container is `spec.workload.container`, else the workload's own name (the name
//! `kubectl create deployment` gives its container) for the file, and the first container
//! when patching in place. The readiness gate is injected by TKE itself and never added.

use crate::plan::Plan;
use crate::provider::{Manifest, Patch};
use crate::spec::model::{Targets, WorkloadKind};
use serde_json::json;

/// The patch, when direct access names the pods' owner.
pub(super) fn patch(plan: &Plan) -> Option<Patch> {
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
    Some(Patch {
        manifest: Manifest {
            template: "tencent/eni-patch.yaml".into(),
            context: json!({
                "kind": kind,
                "name": workload.name.0,
                "namespace": plan.namespace,
                "container": container.0,
            }),
        },
        first_container: workload.container.is_none(),
        field: if workload.container.is_some() {
            "spec.workload.container".into()
        } else {
            "spec.workload".into()
        },
        rule: "tencent/direct-access-eni-patch".into(),
        reason: "CLB-to-pod direct access in a GlobalRouter cluster with VPC-CNI needs ENI pods \
                 (seed 004: pod annotation tke.cloud.tencent.com/networks: tke-route-eni and \
                 tke.cloud.tencent.com/eni-ip: \"1\" in requests and limits; TKE adds the \
                 readiness gate itself)"
            .into(),
    })
}
