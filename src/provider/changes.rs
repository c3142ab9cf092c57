//! Changes a cloud cannot apply in place, or applies with a side effect, as data.
//!
//! `diff` warns about these without knowing any provider: each pack lists its rules here
//! (DESIGN.md "who may use whom": `diff/` sees providers only through data they expose).

/// Where a watched value lives in a Kubernetes object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `metadata.annotations[<key>]`.
    Annotation(&'static str),
    /// A JSON pointer into the object, e.g. `/spec/externalTrafficPolicy`.
    Pointer(&'static str),
}

/// Which change of the watched value triggers the warning. `None` is "absent".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// Any difference between the live and the rendered value, including adding or
    /// removing it on an existing object.
    AnyChange,
    /// The value appears or disappears on an existing object.
    AddedOrRemoved,
    /// The value goes from exactly `from` to exactly `to` (absent counts as `from` when
    /// `absent_is_from`, because the API server defaults it to that value).
    Switch {
        /// The live value.
        from: &'static str,
        /// The rendered value.
        to: &'static str,
        /// Whether a live object without the field has `from` by default.
        absent_is_from: bool,
    },
}

/// How bad a flagged change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// The cloud refuses the change on an existing object: it must be deleted and
    /// recreated, and its load balancer with it.
    NotInPlace,
    /// Applied, but with a side effect the user should plan for.
    Risky,
    /// Accepted by the API server but read by the controller only when it creates the load
    /// balancer: the change silently does nothing until the object is recreated.
    IgnoredAfterCreate,
}

/// One rule: a watched field, what change of it matters, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeRule {
    /// Provider this rule comes from (for the report).
    pub provider: &'static str,
    /// Kinds the rule applies to.
    pub kinds: &'static [&'static str],
    /// The watched value.
    pub field: Field,
    /// The change that triggers it.
    pub trigger: Trigger,
    /// Recreate or plan for a side effect.
    pub impact: Impact,
    /// What happens and what to do, for a person.
    pub message: &'static str,
    /// Where the fact comes from (providers.md row or page).
    pub source: &'static str,
}

/// Every provider's change rules, in registry order.
pub fn change_rules() -> Vec<ChangeRule> {
    super::registry()
        .packs()
        .flat_map(|p| p.change_rules().iter().copied())
        .collect()
}

/// The annotation keys a pack writes. On a live object that carries lbgen's managed-by
/// label, a key under one of `prefixes` is lbgen's, so its absence from the rendered
/// object is a removal to show; the keys the cloud's controller writes itself are not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnnotationOwnership {
    /// Key prefixes the packs write, e.g. `kubernetes.io/elb.`.
    pub prefixes: Vec<&'static str>,
    /// Keys under those prefixes that the cloud's controller writes, never lbgen.
    pub written_by_controller: Vec<&'static str>,
    /// Values the cloud's controller writes over lbgen's, meaning the same thing.
    pub rewritten_by_controller: Vec<ControllerRewrite>,
}

/// The controller replaces the value lbgen rendered with another spelling of the same
/// setting: a live `live` where lbgen rendered `rendered` is no difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControllerRewrite {
    /// The annotation key.
    pub key: &'static str,
    /// What lbgen renders (what the provider's examples write).
    pub rendered: &'static str,
    /// What the controller writes in its place.
    pub live: &'static str,
    /// Where the fact comes from.
    pub source: &'static str,
}

impl AnnotationOwnership {
    /// Whether lbgen owns `key` on an object it manages.
    pub fn owns(&self, key: &str) -> bool {
        self.prefixes.iter().any(|p| key.starts_with(p))
            && !self.written_by_controller.contains(&key)
    }
}

/// Every provider's annotation ownership, merged in registry order.
pub fn annotation_ownership() -> AnnotationOwnership {
    let mut merged = AnnotationOwnership::default();
    for own in super::registry().packs().map(|p| p.ownership()) {
        merged.prefixes.extend(own.prefixes);
        merged
            .written_by_controller
            .extend(own.written_by_controller);
        merged
            .rewritten_by_controller
            .extend(own.rewritten_by_controller);
    }
    // The catalogues know more keys the controllers write (CCE's `elb.eip-id` once an EIP
    // is bound): a live value of one is the cloud's, never a difference to undo.
    if let Ok(catalogues) = super::catalogue::catalogues() {
        let controller_keys = catalogues
            .iter()
            .flat_map(|c| &c.entries)
            .filter(|e| e.writer == super::catalogue::Writer::Controller)
            .filter_map(|e| e.key.as_deref());
        for key in controller_keys {
            if !merged.written_by_controller.contains(&key) {
                merged.written_by_controller.push(key);
            }
        }
    }
    merged
}
