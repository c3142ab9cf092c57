//! What `diff` must know about ACK objects, as data: the annotation keys this pack owns and
//! the changes the Alibaba cloud controller manager cannot apply to an existing load
//! balancer, so `diff` can flag them before they are applied.

use super::types::{ADDRESS_TYPE, IP_VERSION, LB_ID, MASTER_ZONE, SLAVE_ZONE, ZONE_MAPS};
use crate::provider::changes::{ChangeRule, Field, Impact, Trigger};

/// Every annotation this pack writes starts with one of these.
pub(crate) const OWNED_PREFIXES: &[&str] = super::keys::PREFIXES;

const SERVICE: &[&str] = &["Service"];

/// Changes the CCM cannot apply to an existing LB (`clbv1/loadbalancer.go` refuses them).
pub(crate) const CHANGE_RULES: &[ChangeRule] = &[
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Annotation(ADDRESS_TYPE),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "the CCM cannot change an existing CLB between internet and intranet; delete and recreate the Service",
        source: "kubernetes/cloud-provider-alibaba-cloud pkg/controller/service/clbv1/loadbalancer.go (\"can not change LoadBalancer AddressType once created\")",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Annotation(IP_VERSION),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "the IP version of an existing CLB cannot change; delete and recreate the Service",
        source: "kubernetes/cloud-provider-alibaba-cloud pkg/controller/service/clbv1/loadbalancer.go (\"can not change LoadBalancer AddressIPVersion once created\")",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Annotation(MASTER_ZONE),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "the zones of an existing CLB cannot change; delete and recreate the Service",
        source: "kubernetes/cloud-provider-alibaba-cloud pkg/controller/service/clbv1/loadbalancer.go (\"can not change LoadBalancer master/slave zone id once created\")",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Annotation(SLAVE_ZONE),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "the zones of an existing CLB cannot change; delete and recreate the Service",
        source: "kubernetes/cloud-provider-alibaba-cloud pkg/controller/service/clbv1/loadbalancer.go (\"can not change LoadBalancer master/slave zone id once created\")",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Annotation(ZONE_MAPS),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "the zones of an existing NLB are fixed by lbgen's zone maps; changing them needs a new Service",
        source: "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/configure-nlb-instances-by-using-annotations (zone-maps)",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Annotation(LB_ID),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "a Service cannot move to another CLB in place; delete and recreate it",
        source: "kubernetes/cloud-provider-alibaba-cloud docs/usage.md, 6. Attach an exist LoadBalancer (a Service binds one CLB)",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: SERVICE,
        field: Field::Pointer("/spec/loadBalancerClass"),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "loadBalancerClass cannot change: CLB and NLB cannot be converted into each other; delete and recreate the Service",
        source: "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/configure-nlb-instances-by-using-annotations (spec.loadBalancerClass is immutable)",
    },
    ChangeRule {
        provider: "alibaba",
        kinds: &["AlbConfig"],
        field: Field::Pointer("/spec/config/addressIpVersion"),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "the IP version of an existing ALB (IPv4 or DualStack) is fixed at creation; a new AlbConfig (a new ALB) is needed",
        source: "https://www.alibabacloud.com/help/en/ack/distributed-cloud-container-platform-for-kubernetes/user-guide/configure-albconfig-objects (Key parameters: spec.config.addressIpVersion, creation-only: Yes)",
    },
];
