//! Changes a cloud cannot apply in place, or applies with a side effect, as data.
//!
//! `diff` warns about these without knowing any provider: each pack's catalogue says, key
//! by key, whether a change applies in place (`in_place`, `change`), and the pack adds
//! rules for what is not an annotation or needs a finer trigger (DESIGN.md "who may use
//! whom": `diff/` sees providers only through data they expose).

use std::borrow::Cow;

use super::catalogue::{Catalogue, Entry, InPlace, Writer};

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
    /// A live value that the rendered object changes or removes (adding it is fine).
    ChangedOrRemoved,
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRule {
    /// Provider this rule comes from (for the report).
    pub provider: &'static str,
    /// Kinds the rule applies to.
    pub kinds: Cow<'static, [&'static str]>,
    /// The watched value.
    pub field: Field,
    /// The change that triggers it.
    pub trigger: Trigger,
    /// Recreate or plan for a side effect.
    pub impact: Impact,
    /// What happens and what to do, for a person.
    pub message: Cow<'static, str>,
    /// Where the fact comes from (providers.md row or page).
    pub source: &'static str,
    /// The rule does not apply to an object (live or rendered) whose field has this value:
    /// a family of the provider that documents the change as applied in place.
    pub unless: Option<(Field, &'static str)>,
}

/// Every provider's change rules, in registry order: the pack's own, then one for each
/// catalogue key whose change does not simply apply and that the pack's rules do not watch.
pub fn change_rules() -> Vec<ChangeRule> {
    let mut rules = Vec::new();
    for pack in super::registry().packs() {
        let own = pack.change_rules();
        rules.extend(own.iter().cloned());
        let Ok(Some(catalogue)) = super::catalogue_load::catalogue_of(pack.id()) else {
            continue;
        };
        let watched = |key: &str| {
            own.iter()
                .any(|r| matches!(r.field, Field::Annotation(k) if k == key))
        };
        rules.extend(
            catalogue_rules(pack.id(), pack.display_name(), catalogue)
                .filter(|rule| !matches!(rule.field, Field::Annotation(k) if watched(k))),
        );
    }
    rules
}

/// The rules a catalogue's `in_place` values imply. Patterns and controller-written keys
/// have none (a pattern's keys are the user's own names; the controller's keys are never
/// lbgen's to change), nor have keys whose `in_place` depends on the load balancer's
/// family (`by_family`): the pack states those itself.
fn catalogue_rules(
    provider: &'static str,
    display: &'static str,
    catalogue: &'static Catalogue,
) -> impl Iterator<Item = ChangeRule> {
    catalogue.entries.iter().filter_map(move |entry| {
        let key = entry.key.as_deref()?;
        if entry.writer != Writer::User || family_dependent(entry) {
            return None;
        }
        let (trigger, impact, generic) = match entry.in_place {
            InPlace::True | InPlace::Unknown => return None,
            InPlace::False => (
                Trigger::AnyChange,
                Impact::NotInPlace,
                "cannot change it on an existing object; delete and recreate the object",
            ),
            InPlace::AtCreation => (
                Trigger::AnyChange,
                Impact::IgnoredAfterCreate,
                "reads it only when it creates the load balancer; a later change does nothing unless the object is recreated",
            ),
            InPlace::NotRemovable => (
                Trigger::ChangedOrRemoved,
                Impact::Risky,
                "keeps the setting on the load balancer when the annotation is removed or switched off; change it on the load balancer itself",
            ),
            InPlace::Disruptive => (
                Trigger::AnyChange,
                Impact::Risky,
                "applies a change by replacing the listener; expect a short interruption",
            ),
        };
        let message = match &entry.change {
            Some(change) => Cow::Borrowed(change.as_str()),
            None => Cow::Owned(format!("{display} {generic} ({})", entry.summary)),
        };
        Some(ChangeRule {
            provider,
            kinds: Cow::Owned(entry.kinds.iter().map(String::as_str).collect()),
            field: Field::Annotation(key),
            trigger,
            impact,
            message,
            source: entry.source.as_str(),
            unless: None,
        })
    })
}

/// Whether a family of the provider documents its own `in_place` for the key.
fn family_dependent(entry: &Entry) -> bool {
    entry
        .by_family
        .as_ref()
        .and_then(|families| families.as_object())
        .is_some_and(|families| families.values().any(|f| f.get("in_place").is_some()))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Each user-written key whose catalogue entry says a change does not simply apply has
    /// exactly the warning its `in_place` stands for (or the pack's own rule for the key),
    /// and no key the catalogue says changes in place is watched at all.
    #[test]
    fn every_catalogue_in_place_value_has_its_rule() {
        let rules = change_rules();
        for pack in crate::provider::registry().packs() {
            let catalogue = super::super::catalogue_load::catalogue_of(pack.id())
                .expect("catalogue parses")
                .expect("every built-in pack has a catalogue");
            for entry in &catalogue.entries {
                let Some(key) = entry.key.as_deref() else {
                    continue;
                };
                let watching: Vec<&ChangeRule> = rules
                    .iter()
                    .filter(|r| r.provider == pack.id() && r.field == Field::Annotation(key))
                    // a key documented once per kind has an entry (and a rule) per kind
                    .filter(|r| entry.kinds.iter().any(|k| r.kinds.contains(&k.as_str())))
                    .collect();
                let own = pack
                    .change_rules()
                    .iter()
                    .any(|r| r.field == Field::Annotation(key));
                let expected = match entry.in_place {
                    _ if entry.writer == Writer::Controller => None,
                    _ if own => continue,
                    InPlace::True | InPlace::Unknown => None,
                    _ if family_dependent(entry) => None,
                    InPlace::False => Some(Impact::NotInPlace),
                    InPlace::AtCreation => Some(Impact::IgnoredAfterCreate),
                    InPlace::NotRemovable | InPlace::Disruptive => Some(Impact::Risky),
                };
                match expected {
                    None => assert!(watching.is_empty(), "{key}: {watching:?}"),
                    Some(impact) => {
                        assert!(!watching.is_empty(), "{key} has no rule");
                        assert!(
                            watching.iter().all(|r| r.impact == impact
                                && r.source == entry.source
                                && entry.kinds.iter().all(|k| r.kinds.contains(&k.as_str()))),
                            "{key}: {watching:?}"
                        );
                    }
                }
            }
        }
    }
}
