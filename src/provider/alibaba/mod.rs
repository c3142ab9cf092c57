//! Alibaba Cloud ACK: CLB/NLB Services for the cloud controller manager (CCM) and ALB
//! Ingresses. Checks live in `policies/alibaba.yaml`; this module assumes they passed.
//!
//! The pack's shape is every pack's: `service` (CLB and NLB) and `ingress` (ALB with its
//! AlbConfig and IngressClass) map a plan, `types` holds the keys and typed JSON values,
//! `changes` what `diff` must know (what the CCM cannot change in place, the keys this pack
//! owns). A Service and an Ingress share no annotation here: each product reads its own.
//!
//! Sources: annotation keys from `kubernetes/cloud-provider-alibaba-cloud`
//! `pkg/controller/service/reconcile/annotation/annotations.go`; how the CCM reads them from
//! `pkg/controller/service/clbv1/` and `pkg/controller/service/nlbv2/`; the ALB rows from
//! the ACK pages "Customize the routing rules of an ALB Ingress" and the "ALB Ingress
//! GlobalConfiguration dictionary" (`alibaba/alibaba-load-balancer-controller` docs/usage.md)
//! and the forward groups of ALB seed 003. Every value is a string; CCM switches are
//! "on"/"off" except force-override-listeners and the ALB booleans ("true"/"false").

pub(crate) mod changes;
mod import;
mod import_alb;
mod import_albconfig;
mod import_ingress;
mod import_nlb;
mod import_service;
mod ingress;
mod keys;
mod kinds;
mod listener;
pub(super) mod pack;
mod service;
mod types;

pub(crate) use changes::{CHANGE_RULES, OWNED_PREFIXES};

use super::Mapped;
use crate::plan::Plan;
use crate::spec::model::Exposure;

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
