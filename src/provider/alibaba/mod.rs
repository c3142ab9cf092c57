//! Alibaba Cloud ACK: CLB/NLB Services for the cloud controller manager (CCM) and ALB
//! Ingresses. One module a product, because each reads its own annotations:
//! `service` (CLB and NLB), `ingress` (ALB with its AlbConfig and IngressClass) and
//! `changes` (what the CCM cannot change in place). Checks live in `policies/alibaba.yaml`.
//!
//! Sources: annotation keys from `kubernetes/cloud-provider-alibaba-cloud`
//! `pkg/controller/service/reconcile/annotation/annotations.go`; how the CCM reads them from
//! `pkg/controller/service/clbv1/` and `pkg/controller/service/nlbv2/`; the ALB rows from
//! the ACK pages "Customize the routing rules of an ALB Ingress" and the "ALB Ingress
//! GlobalConfiguration dictionary" (`alibaba/alibaba-load-balancer-controller` docs/usage.md)
//! and the forward groups of ALB seed 003. Every value is a string; CCM switches are
//! "on"/"off" except force-override-listeners and the ALB booleans ("true"/"false").

mod changes;
mod ingress;
mod kinds;
pub(super) mod pack;
mod service;

pub(crate) use changes::CHANGE_RULES;

use super::Mapped;
use crate::plan::Plan;
use crate::spec::model::Exposure;

/// The CCM's annotation prefix (`annotations.go`: `AnnotationPrefix` + `loadbalancer-`).
const P: &str = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-";
/// The ALB Ingress controller's annotation prefix.
const ALB: &str = "alb.ingress.kubernetes.io/";
/// ENI backends: no `alibaba-cloud-loadbalancer-` part (`helper.BackendType`; CCM
/// docs/usage.md, 23. Add pod eni to slb backend in terway network mode).
const BACKEND_TYPE: &str = "service.beta.kubernetes.io/backend-type";

/// Every annotation this pack writes starts with one of these.
pub(crate) const OWNED_PREFIXES: &[&str] = &[P, ALB, BACKEND_TYPE];

/// Maps a plan to a CLB/NLB Service, or to an ALB Ingress (with its AlbConfig and
/// IngressClass unless the platform owns them).
pub(super) fn map(plan: &Plan) -> Mapped {
    let mut diagnostics = Vec::new();
    let manifests = match plan.exposure {
        Exposure::Service => vec![service::service(plan, &mut diagnostics)],
        Exposure::Ingress => ingress::ingress(plan, &mut diagnostics),
    };
    Mapped {
        manifests,
        diagnostics,
        patches: Vec::new(),
    }
}
