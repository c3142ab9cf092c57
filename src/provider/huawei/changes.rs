//! What CCE does to the objects lbgen renders after the fact, as data for `diff`: the
//! annotations this pack owns, what CCE writes over lbgen's values, and what it cannot
//! change in place. The keys CCE writes itself are the catalogue's (`writer: controller`
//! in `catalogues/huawei.yaml`), which `diff` reads through `annotation_ownership`.

use super::types::{ELB_AUTOCREATE, ELB_CLASS, ELB_ID, ELB_IP_TARGET, ELB_PASS_THROUGH};
use crate::provider::changes::{ChangeRule, ControllerRewrite, Field, Impact, Trigger};

const LB_KINDS: &[&str] = &["Service", "Ingress"];

/// Every annotation this pack writes starts with this.
pub(crate) const OWNED_PREFIXES: &[&str] = super::keys::PREFIXES;

/// What CCE writes over lbgen's values with the same meaning: seed 002 (Notes and
/// Constraints): with node-level affinity (`externalTrafficPolicy: Local`) CCE sets
/// `kubernetes.io/elb.pass-through` to `onlyLocal` itself, while every documented example
/// (seeds 001 and 002) writes `"true"`, which lbgen renders. `diff` shows no change there.
pub(crate) const REWRITTEN_BY_CCE: &[ControllerRewrite] = &[ControllerRewrite {
    key: ELB_PASS_THROUGH,
    rendered: "true",
    live: "onlyLocal",
    source: "CCE user guide \"Configuring Passthrough Networking for a LoadBalancer Service\" (seed 002), Notes and Constraints",
}];

/// What CCE cannot change in place, or changes with a side effect (each rule cites its
/// page); `diff` warns about each.
pub(crate) const CHANGE_RULES: &[ChangeRule] = &[
    ChangeRule {
        provider: "huawei",
        kinds: LB_KINDS,
        field: Field::Annotation(ELB_CLASS),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "CCE cannot change the load balancer type (shared/dedicated) of an existing object; delete and recreate it",
        source: "https://support.huaweicloud.com/intl/en-us/usermanual-cce/cce_10_0385.html (elb.class is fixed once the load balancer is associated); CCE user guide \"LoadBalancer\" (seed 001)",
    },
    ChangeRule {
        provider: "huawei",
        kinds: LB_KINDS,
        field: Field::Annotation(ELB_ID),
        trigger: Trigger::AnyChange,
        impact: Impact::NotInPlace,
        message: "CCE cannot move an existing object to another load balancer; delete and recreate it",
        source: "https://support.huaweicloud.com/intl/en-us/usermanual-cce/cce_10_0385.html (elb.id: the load balancer associated at creation); CCE user guide \"LoadBalancer\" (seed 001)",
    },
    ChangeRule {
        provider: "huawei",
        kinds: LB_KINDS,
        field: Field::Annotation(ELB_AUTOCREATE),
        trigger: Trigger::AnyChange,
        impact: Impact::IgnoredAfterCreate,
        message: "CCE reads the auto-create parameters only when it creates the load balancer; the change is ignored unless the object is recreated",
        source: "https://support.huaweicloud.com/intl/en-us/usermanual-cce/cce_10_0385.html (elb.autocreate: read when the load balancer is created); CCE user guide \"LoadBalancer\" (seed 001)",
    },
    ChangeRule {
        provider: "huawei",
        kinds: LB_KINDS,
        field: Field::Annotation(ELB_IP_TARGET),
        trigger: Trigger::AddedOrRemoved,
        impact: Impact::NotInPlace,
        message: "IP targets can be neither added to nor removed from an existing object; delete and recreate it",
        source: "CCE user guide \"Configuring IP Addresses as Backend Servers for a LoadBalancer Ingress\" (seed 000), Table 1 CAUTION",
    },
    ChangeRule {
        provider: "huawei",
        kinds: &["Service"],
        field: Field::Pointer("/spec/externalTrafficPolicy"),
        trigger: Trigger::Switch {
            from: "Cluster",
            to: "Local",
            absent_is_from: true,
        },
        impact: Impact::Risky,
        message: "switching externalTrafficPolicy from Cluster to Local leaves stale conntrack entries on the nodes; expect dropped connections until they expire",
        source: "CCE user guide \"LoadBalancer\" (seed 001), Notes and Constraints: the connection tracing table is not cleared when affinity switches from cluster to node level",
    },
];
