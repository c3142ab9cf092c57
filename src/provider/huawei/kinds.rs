//! What CCE reads on Kubernetes kinds beyond the upstream types: the Ingress path
//! `property` (seed 000), a CCE-only field the round-trip check sets aside and keeps.

use crate::provider::registry::ExtensionField;
use serde_json::Value;

/// CCE's extension fields, for the registry.
pub(super) const EXTENSION_FIELDS: &[ExtensionField] = &[ExtensionField {
    kind: "Ingress",
    strip: strip_path_property,
}];

/// Removes `property` from every path of an Ingress.
fn strip_path_property(object: &mut Value) {
    let Some(rules) = object
        .pointer_mut("/spec/rules")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for rule in rules {
        if let Some(paths) = rule
            .pointer_mut("/http/paths")
            .and_then(Value::as_array_mut)
        {
            for path in paths {
                if let Some(p) = path.as_object_mut() {
                    p.remove("property");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn property_is_removed_from_every_path_only() {
        let mut ing = json!({"spec": {"rules": [{"http": {"paths": [
            {"path": "/", "property": {"a": "b"}}, {"path": "/x"}]}}]}});
        (super::EXTENSION_FIELDS[0].strip)(&mut ing);
        assert_eq!(
            ing,
            json!({"spec": {"rules": [{"http": {"paths": [{"path": "/"}, {"path": "/x"}]}}]}})
        );
    }
}
