//! What `diff` must know about TKE objects, as data: the annotation keys this pack owns,
//! the keys TKE's controllers write themselves, and changes the CLB cannot take in place.

use super::types::{
    INGRESS_EXISTING_LB, INGRESS_LB_ID, INGRESS_SUBNET, SERVICE_EXISTING_LB, SERVICE_LB_ID,
    SERVICE_LB_NAT_IPV6, SERVICE_SUBNET,
};
use crate::provider::changes::{ChangeRule, Field, Impact, Trigger};

/// Every annotation this pack writes starts with one of these (providers.md, Tencent).
pub(crate) const OWNED_PREFIXES: &[&str] = super::keys::PREFIXES;

/// Written by TKE's controllers, never by lbgen (providers.md "never emit").
pub(crate) const WRITTEN_BY_TKE: &[&str] = &[SERVICE_LB_ID, SERVICE_LB_NAT_IPV6, INGRESS_LB_ID];

const SERVICE: &[&str] = &["Service"];
const INGRESS: &[&str] = &["Ingress"];

/// The CLB an object is bound to, and its network type, are fixed once TKE created or
/// attached it (providers.md: only hand-made CLBs can be reused; a CLB's network type is
/// set at creation, CLB API CreateLoadBalancer `LoadBalancerType`).
pub(crate) const CHANGE_RULES: &[ChangeRule] = &[
    ChangeRule {
        provider: "tencent",
        kinds: SERVICE,
        field: Field::Annotation(SERVICE_EXISTING_LB),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "TKE does not move a Service to another CLB in place; delete and recreate the Service",
        source: "providers.md Tencent: loadBalancer.id row (tke-existed-lbid)",
    },
    ChangeRule {
        provider: "tencent",
        kinds: INGRESS,
        field: Field::Annotation(INGRESS_EXISTING_LB),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "TKE does not move an Ingress to another CLB in place; delete and recreate the Ingress",
        source: "providers.md Tencent: loadBalancer.id row (ingress.existLbId)",
    },
    ChangeRule {
        provider: "tencent",
        kinds: SERVICE,
        field: Field::Annotation(SERVICE_SUBNET),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "a CLB's network (public, or internal in a subnet) is fixed at creation; delete and recreate the Service",
        source: "CLB API CreateLoadBalancer (LoadBalancerType, SubnetId set at creation)",
    },
    ChangeRule {
        provider: "tencent",
        kinds: INGRESS,
        field: Field::Annotation(INGRESS_SUBNET),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "a CLB's network (public, or internal in a subnet) is fixed at creation; delete and recreate the Ingress",
        source: "CLB API CreateLoadBalancer (LoadBalancerType, SubnetId set at creation)",
    },
];
