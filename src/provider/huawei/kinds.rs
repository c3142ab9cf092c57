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
    fn an_ingress_with_property_passes_the_check_once_it_is_set_aside() {
        use k8s_openapi::api::networking::v1::Ingress;
        let ing = json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "a"},
            "spec": {"rules": [{"http": {"paths": [{"path": "/", "pathType": "ImplementationSpecific",
            "backend": {"service": {"name": "s", "port": {"number": 80}}},
            "property": {"ingress.beta.kubernetes.io/url-match-mode": "REGEX"}}]}}]}});
        assert!(crate::render::round_trip::<Ingress>(&ing).is_err());
        let mut copy = ing.clone();
        (super::EXTENSION_FIELDS[0].strip)(&mut copy);
        assert!(crate::render::round_trip::<Ingress>(&copy).is_ok());
    }

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
