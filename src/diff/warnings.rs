//! Applying the provider packs' change rules to one live/rendered pair.

use crate::provider::changes::{ChangeRule, Field, Impact, Trigger};
use serde::Serialize;
use serde_json::Value;

/// A change the cloud cannot apply in place, or applies with a side effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The watched field: an annotation key or a dotted path.
    pub field: String,
    /// Recreate, or plan for a side effect.
    pub impact: Impact,
    /// What happens and what to do.
    pub message: String,
    /// The provider whose rule this is.
    pub provider: String,
    /// Where the fact comes from.
    pub source: String,
}

/// The warnings `rules` raise for changing `live` into `rendered` (both present).
pub(crate) fn check(
    rules: &[ChangeRule],
    kind: &str,
    live: &Value,
    rendered: &Value,
) -> Vec<Warning> {
    rules
        .iter()
        .filter(|rule| rule.kinds.contains(&kind))
        .filter(|rule| {
            rule.unless.is_none_or(|(field, value)| {
                read(live, field).as_deref() != Some(value)
                    && read(rendered, field).as_deref() != Some(value)
            })
        })
        .filter(|rule| {
            let (before, after) = (read(live, rule.field), read(rendered, rule.field));
            match rule.trigger {
                Trigger::AnyChange => !same_meaning(before.as_deref(), after.as_deref()),
                Trigger::ChangedOrRemoved => {
                    before.is_some() && !same_meaning(before.as_deref(), after.as_deref())
                }
                Trigger::AddedOrRemoved => before.is_some() != after.is_some(),
                Trigger::Switch {
                    from,
                    to,
                    absent_is_from,
                } => {
                    let before = before.as_deref().or(absent_is_from.then_some(from));
                    before == Some(from) && after.as_deref() == Some(to)
                }
            }
        })
        .map(|rule| Warning {
            field: match rule.field {
                Field::Annotation(key) => key.to_string(),
                Field::Pointer(p) => p.trim_start_matches('/').replace('/', "."),
            },
            impact: rule.impact,
            message: rule.message.to_string(),
            provider: rule.provider.to_string(),
            source: rule.source.to_string(),
        })
        .collect()
}

/// The watched value as text (numbers and booleans as their JSON spelling).
fn read(object: &Value, field: Field) -> Option<String> {
    let value = match field {
        Field::Annotation(key) => object.pointer("/metadata/annotations")?.get(key)?,
        Field::Pointer(p) => object.pointer(p)?,
    };
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Equal, or both JSON meaning the same thing.
fn same_meaning(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) if a != b => matches!(
            (serde_json::from_str::<Value>(a), serde_json::from_str::<Value>(b)),
            (Ok(x), Ok(y)) if x == y
        ),
        (a, b) => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Rules of a made-up pack: the checks are the diff's, whatever pack the rules are from.
    fn rule(field: Field, trigger: Trigger) -> ChangeRule {
        ChangeRule {
            provider: "example",
            kinds: std::borrow::Cow::Borrowed(&["Service"]),
            field,
            trigger,
            impact: Impact::NotInPlace,
            message: "recreates the load balancer".into(),
            source: "test",
            unless: None,
        }
    }

    fn warned(live: Value, rendered: Value) -> Vec<String> {
        let rules = [
            rule(
                Field::Annotation("example.com/lb.class"),
                Trigger::AnyChange,
            ),
            rule(
                Field::Annotation("example.com/lb.create"),
                Trigger::AnyChange,
            ),
            rule(
                Field::Annotation("example.com/lb.ip-targets"),
                Trigger::AddedOrRemoved,
            ),
            rule(
                Field::Annotation("example.com/lb.gzip"),
                Trigger::ChangedOrRemoved,
            ),
            rule(
                Field::Pointer("/spec/externalTrafficPolicy"),
                Trigger::Switch {
                    from: "Cluster",
                    to: "Local",
                    absent_is_from: true,
                },
            ),
        ];
        check(&rules, "Service", &live, &rendered)
            .into_iter()
            .map(|w| w.field)
            .collect()
    }

    fn annotated(pairs: &[(&str, &str)]) -> Value {
        let map: serde_json::Map<String, Value> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        json!({"metadata": {"annotations": map}, "spec": {}})
    }

    #[test]
    fn class_change_is_flagged_and_reordered_json_is_not() {
        let live = annotated(&[
            ("example.com/lb.class", "union"),
            ("example.com/lb.create", r#"{"type":"inner","name":"a"}"#),
        ]);
        let rendered = annotated(&[
            ("example.com/lb.class", "performance"),
            ("example.com/lb.create", r#"{"name":"a","type":"inner"}"#),
        ]);
        assert_eq!(warned(live, rendered), ["example.com/lb.class"]);
    }

    #[test]
    fn an_added_value_is_flagged() {
        let live = annotated(&[]);
        let rendered = annotated(&[("example.com/lb.ip-targets", "true")]);
        assert_eq!(warned(live, rendered), ["example.com/lb.ip-targets"]);
    }

    #[test]
    fn a_switch_fires_one_way_only_and_absent_counts_as_its_default() {
        let with = |p: Option<&str>| json!({"spec": {"externalTrafficPolicy": p}});
        assert_eq!(
            warned(with(None), with(Some("Local"))),
            ["spec.externalTrafficPolicy"]
        );
        assert_eq!(
            warned(with(Some("Cluster")), with(Some("Local"))),
            ["spec.externalTrafficPolicy"]
        );
        assert!(warned(with(Some("Local")), with(Some("Cluster"))).is_empty());
    }

    #[test]
    fn a_setting_that_sticks_is_flagged_when_removed_or_changed_but_not_when_added() {
        let on = annotated(&[("example.com/lb.gzip", "true")]);
        let off = annotated(&[]);
        assert_eq!(warned(on.clone(), off.clone()), ["example.com/lb.gzip"]);
        let changed = annotated(&[("example.com/lb.gzip", "false")]);
        assert_eq!(warned(on.clone(), changed), ["example.com/lb.gzip"]);
        assert!(warned(off, on.clone()).is_empty());
        assert!(warned(on.clone(), on).is_empty());
    }

    #[test]
    fn a_rule_does_not_fire_for_the_family_it_excepts() {
        let mut rule = rule(
            Field::Annotation("example.com/lb.class"),
            Trigger::AnyChange,
        );
        rule.unless = Some((Field::Pointer("/spec/loadBalancerClass"), "example.com/l4"));
        let object = |class: Option<&str>, value: &str| {
            json!({"metadata": {"annotations": {"example.com/lb.class": value}},
                   "spec": {"loadBalancerClass": class}})
        };
        let fired =
            |live, rendered| check(std::slice::from_ref(&rule), "Service", &live, &rendered).len();
        assert_eq!(fired(object(None, "a"), object(None, "b")), 1);
        assert_eq!(
            fired(
                object(Some("example.com/l4"), "a"),
                object(Some("example.com/l4"), "b")
            ),
            0
        );
        // Either side of that family is enough (a class change has its own rule).
        assert_eq!(
            fired(object(None, "a"), object(Some("example.com/l4"), "b")),
            0
        );
    }
}
