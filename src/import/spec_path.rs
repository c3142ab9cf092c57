//! Setting a dotted field path (`spec.loadBalancer.tier`) in a JSON spec, merging
//! mappings into what is there: the one way imported values are placed.

use serde_json::{Map, Value};

/// Sets `path` (segments) in `root` to `value`; objects on the way are created, an
/// object value is merged into an object already there, and an array of objects as long
/// as an array of objects already there is merged element by element (a per-route or
/// per-port proposal names only the fields it reads back, so each stays separable). A
/// numeric segment on an array already there is an index into it (`spec.routes.1.when`);
/// past its end nothing is set.
pub(super) fn set(root: &mut Value, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut here = root;
    for segment in parents {
        if here.is_array() {
            let Some(item) = segment.parse::<usize>().ok().and_then(|i| here.get_mut(i)) else {
                return;
            };
            here = item;
            continue;
        }
        if !here.is_object() {
            *here = Value::Object(Map::new());
        }
        let Value::Object(map) = here else { return };
        here = map
            .entry(segment.clone())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if let (Value::Array(items), Ok(index)) = (&mut *here, last.parse::<usize>()) {
        if let Some(item) = items.get_mut(index) {
            *item = value;
        }
        return;
    }
    if !here.is_object() {
        *here = Value::Object(Map::new());
    }
    let Value::Object(map) = here else { return };
    match (map.get_mut(last), value) {
        (Some(Value::Object(old)), Value::Object(new)) => old.extend(new),
        (Some(Value::Array(old)), Value::Array(new)) if objects_alike(old, &new) => {
            for (old, new) in old.iter_mut().zip(new) {
                if let (Value::Object(old), Value::Object(new)) = (old, new) {
                    old.extend(new);
                }
            }
        }
        (_, value) => {
            map.insert(last.clone(), value);
        }
    }
}

/// Two arrays of objects of one length.
fn objects_alike(old: &[Value], new: &[Value]) -> bool {
    old.len() == new.len() && old.iter().chain(new).all(Value::is_object)
}

/// `spec.a.b` as its segments.
pub(super) fn segments(path: &str) -> Vec<String> {
    path.split('.').map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_merge_into_what_is_there() {
        let mut root = json!({"spec": {"loadBalancer": {"id": "x"}}});
        set(
            &mut root,
            &segments("spec.loadBalancer.tier"),
            json!("shared"),
        );
        set(
            &mut root,
            &segments("spec.loadBalancer"),
            json!({"create": {}}),
        );
        assert_eq!(
            root,
            json!({"spec": {"loadBalancer": {"id": "x", "tier": "shared", "create": {}}}})
        );
    }

    #[test]
    fn arrays_of_objects_merge_per_element_and_other_arrays_are_replaced() {
        let mut root =
            json!({"spec": {"routes": [{"path": "/a"}, {"path": "/b"}], "zones": ["x"]}});
        set(
            &mut root,
            &segments("spec.routes"),
            json!([{"port": 88}, {}]),
        );
        set(
            &mut root,
            &segments("spec.routes"),
            json!([{"tls": {"certificateId": "c"}}, {"tls": {"certificateId": "c"}}]),
        );
        set(&mut root, &segments("spec.zones"), json!(["y", "z"]));
        assert_eq!(
            root,
            json!({"spec": {
                "routes": [
                    {"path": "/a", "port": 88, "tls": {"certificateId": "c"}},
                    {"path": "/b", "tls": {"certificateId": "c"}}
                ],
                "zones": ["y", "z"]
            }})
        );
        // Another length: replaced, as any other value.
        set(&mut root, &segments("spec.routes"), json!([{"path": "/c"}]));
        assert_eq!(root["spec"]["routes"], json!([{"path": "/c"}]));
    }

    #[test]
    fn numeric_segments_index_arrays_already_there() {
        let mut root = json!({"spec": {"routes": [{"path": "/a"}, {"path": "/b"}]}});
        set(
            &mut root,
            &segments("spec.routes.1.when"),
            json!({"methods": ["GET"]}),
        );
        set(&mut root, &segments("spec.routes.0"), json!({"path": "/c"}));
        set(&mut root, &segments("spec.routes.7.when"), json!({}));
        assert_eq!(
            root,
            json!({"spec": {"routes": [{"path": "/c"}, {"path": "/b", "when": {"methods": ["GET"]}}]}})
        );
    }
}
