//! What `diff` must know about ACK objects, as data: the annotation keys this pack owns and
//! the changes the Alibaba cloud controller manager cannot apply to an existing load
//! balancer, so `diff` can flag them before they are applied.

use std::borrow::Cow;

use super::types::{ADDRESS_TYPE, NLB_CLASS};
use crate::provider::changes::{ChangeRule, Field, Impact, Trigger};

/// Every annotation this pack writes starts with one of these.
pub(crate) const OWNED_PREFIXES: &[&str] = super::keys::PREFIXES;

const SERVICE: &[&str] = &["Service"];

/// Changes the CCM cannot apply to an existing LB that depend on more than one
/// annotation's catalogue entry: the address type is fixed for a CLB but not an NLB (the
/// catalogue's `by_family`), and the class is not an annotation. The other keys' rules come
/// from the catalogue's `in_place` ([`crate::provider::changes::change_rules`]).
pub(crate) const CHANGE_RULES: &[ChangeRule] = &[
    ChangeRule {
        provider: "alibaba",
        kinds: Cow::Borrowed(SERVICE),
        field: Field::Annotation(ADDRESS_TYPE),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: Cow::Borrowed(
            "the CCM cannot change an existing CLB between internet and intranet; delete and recreate the Service",
        ),
        source: "kubernetes/cloud-provider-alibaba-cloud pkg/controller/service/clbv1/loadbalancer.go (\"can not change LoadBalancer AddressType once created\")",
        // catalogues/alibaba.yaml address-type by_family nlb: in_place true (NLB-DOC,
        // "you can modify address-type to change between internal-facing and
        // Internet-facing").
        unless: Some((Field::Pointer("/spec/loadBalancerClass"), NLB_CLASS)),
    },
    ChangeRule {
        provider: "alibaba",
        kinds: Cow::Borrowed(SERVICE),
        field: Field::Pointer("/spec/loadBalancerClass"),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: Cow::Borrowed(
            "loadBalancerClass cannot change: CLB and NLB cannot be converted into each other; delete and recreate the Service",
        ),
        source: "https://www.alibabacloud.com/help/en/ack/ack-managed-and-ack-dedicated/user-guide/configure-nlb-instances-by-using-annotations (spec.loadBalancerClass is immutable)",
        unless: None,
    },
    ChangeRule {
        provider: "alibaba",
        kinds: Cow::Borrowed(&["AlbConfig"]),
        field: Field::Pointer("/spec/config/addressIpVersion"),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: Cow::Borrowed(
            "the IP version of an existing ALB (IPv4 or DualStack) is fixed at creation; a new AlbConfig (a new ALB) is needed",
        ),
        source: "https://www.alibabacloud.com/help/en/ack/distributed-cloud-container-platform-for-kubernetes/user-guide/configure-albconfig-objects (Key parameters: spec.config.addressIpVersion, creation-only: Yes)",
        unless: None,
    },
];
