//! What CCE does to the objects lbgen renders after the fact, as data for `diff`: the
//! annotations this pack owns, what CCE writes over lbgen's values, and what it cannot
//! change in place. The keys CCE writes itself are the catalogue's (`writer: controller`
//! in `catalogues/huawei.yaml`), which `diff` reads through `annotation_ownership`.

use std::borrow::Cow;

use super::types::ELB_PASS_THROUGH;
use crate::provider::changes::{ChangeRule, ControllerRewrite, Field, Impact, Trigger};

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

/// What CCE changes with a side effect that is not one annotation's (each rule cites its
/// page); the annotations' own rules come from the catalogue's `in_place`
/// ([`crate::provider::changes::change_rules`]). `diff` warns about each.
pub(crate) const CHANGE_RULES: &[ChangeRule] = &[ChangeRule {
    provider: "huawei",
    kinds: Cow::Borrowed(&["Service"]),
    field: Field::Pointer("/spec/externalTrafficPolicy"),
    trigger: Trigger::Switch {
        from: "Cluster",
        to: "Local",
        absent_is_from: true,
    },
    impact: Impact::Risky,
    message: Cow::Borrowed(
        "switching externalTrafficPolicy from Cluster to Local leaves stale conntrack entries on the nodes; expect dropped connections until they expire",
    ),
    source: "CCE user guide \"LoadBalancer\" (seed 001), Notes and Constraints: the connection tracing table is not cleared when affinity switches from cluster to node level",
    unless: None,
}];
