//! cce_10_0949's advanced forwarding read back: a split route's forward action (the
//! inverse of `ingress::forward_action`: the path whose backend is `<name>` on port
//! `use-annotation` and the `kubernetes.io/elb.actions.<name>` beside it,
//! `[{"type":"ForwardPool","forwardConfig":[...]}]`) becomes the route's weighted
//! `backends` (Services and ELB pools) and its `action` name; the conditions keyed by a
//! path backend's name (`kubernetes.io/elb.conditions.<name>`) become `when` of every
//! route with that backend (CCE applies them by backend). A config of another shape, or
//! a target or block the pack never writes, is not read (the annotation stays raw).

use crate::provider::QueryForm;
use crate::provider::conditions_read::route_conditions;
use crate::provider::huawei::ingress::default_action_name;
use crate::provider::huawei::keys::{ELB_ACTIONS, ELB_CONDITIONS};
use crate::provider::import::SharedField;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The port a split route's path backend names (cce_10_0949).
const USE_ANNOTATION: &str = "use-annotation";

/// One field per split route whose action reads back.
pub(super) fn fields(annotations: &BTreeMap<String, String>, spec: &Value) -> Vec<SharedField> {
    let Some(routes) = spec.pointer("/spec/routes").and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, route) in routes.iter().enumerate() {
        let Some([backend]) = route
            .get("backends")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        else {
            continue;
        };
        if backend.get("port").and_then(Value::as_str) != Some(USE_ANNOTATION) {
            continue;
        }
        let Some(name) = backend.get("service").and_then(Value::as_str) else {
            continue;
        };
        let key = format!("{ELB_ACTIONS}{name}");
        let Some(backends) = annotations.get(&key).and_then(|t| backends(t)) else {
            continue;
        };
        let mut entries = vec![json!({}); routes.len()];
        entries[i] = json!({"action": name, "backends": backends});
        // lbgen's own name for the route's action is the spec's default: left unset.
        let ingress = spec.pointer("/metadata/name").and_then(Value::as_str);
        let conditions = route.get("when").is_some();
        if ingress.is_some_and(|n| name == default_action_name(n, i, conditions)) {
            entries[i] = json!({ "backends": backends });
        }
        out.push(SharedField {
            keys: vec![key],
            path: "routes",
            value: Value::Array(entries),
        });
    }
    out.extend(conditions(annotations, routes));
    out
}

/// `elb.conditions.<name>` on every route whose path backend is `<name>`.
fn conditions(annotations: &BTreeMap<String, String>, routes: &[Value]) -> Vec<SharedField> {
    let backend_of = |route: &Value| {
        route
            .pointer("/backends/0/service")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let mut names: Vec<String> = routes.iter().filter_map(backend_of).collect();
    names.sort();
    names.dedup();
    let mut out = Vec::new();
    for name in names {
        let key = format!("{ELB_CONDITIONS}{name}");
        let Some(when) = annotations
            .get(&key)
            .and_then(|t| route_conditions(t, QueryForm::KeyAndValues))
        else {
            continue;
        };
        let entries = routes
            .iter()
            .map(|r| match backend_of(r) {
                Some(n) if n == name => json!({ "when": when }),
                _ => json!({}),
            })
            .collect();
        out.push(SharedField {
            keys: vec![key],
            path: "routes",
            value: Value::Array(entries),
        });
    }
    out
}

/// The weighted targets of one ForwardPool action, as spec backends.
fn backends(text: &str) -> Option<Value> {
    let parsed: Value = serde_json::from_str(text).ok()?;
    let [action] = parsed.as_array()?.as_slice() else {
        return None;
    };
    let action = action.as_object()?;
    if action.len() != 2 || action.get("type")?.as_str()? != "ForwardPool" {
        return None;
    }
    let targets = action.get("forwardConfig")?.as_array()?;
    let read: Option<Vec<Value>> = targets.iter().map(|t| target(t.as_object()?)).collect();
    read.filter(|b| !b.is_empty()).map(Value::Array)
}

/// `{"type":"service","serviceName","servicePort","weight"}` or
/// `{"type":"pool","poolID","weight"}`.
fn target(t: &Map<String, Value>) -> Option<Value> {
    let weight = t.get("weight")?.as_u64().filter(|w| *w <= 100)?;
    match (t.get("type")?.as_str()?, t.len()) {
        ("service", 4) => {
            let port = t
                .get("servicePort")
                .filter(|p| p.is_u64() || p.is_string())?;
            Some(json!({
                "service": t.get("serviceName")?.as_str()?,
                "port": port,
                "weight": weight,
            }))
        }
        ("pool", 3) => Some(json!({
            "serverGroup": t.get("poolID")?.as_str()?,
            "weight": weight,
        })),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(action: &str) -> Vec<SharedField> {
        let annotations = BTreeMap::from([(format!("{ELB_ACTIONS}cafe-r1"), action.to_string())]);
        let spec = json!({"spec": {"routes": [
            {"path": "/", "backends": [{"service": "web", "port": 80}]},
            {"path": "/tea", "backends": [{"service": "cafe-r1", "port": "use-annotation"}]},
        ]}});
        fields(&annotations, &spec)
    }

    #[test]
    fn a_forward_pool_becomes_the_routes_weighted_backends() {
        // examples/huawei/ingress-weighted.yaml's rendering.
        let got = read(
            r#"[{"forwardConfig":[{"serviceName":"tea-svc","servicePort":80,"type":"service","weight":80},{"poolID":"8d6d5e0f-7c3b-4a2e-9f1d-2b3c4d5e6f70","type":"pool","weight":20}],"type":"ForwardPool"}]"#,
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].keys, [format!("{ELB_ACTIONS}cafe-r1")]);
        assert_eq!(
            got[0].value,
            json!([{}, {"action": "cafe-r1", "backends": [
                {"service": "tea-svc", "port": 80, "weight": 80},
                {"serverGroup": "8d6d5e0f-7c3b-4a2e-9f1d-2b3c4d5e6f70", "weight": 20}
            ]}])
        );
    }

    #[test]
    fn conditions_go_to_every_route_of_their_backend() {
        let annotations = BTreeMap::from([(
            format!("{ELB_CONDITIONS}web"),
            r#"[{"headerConfig":{"key":"x-canary","values":["always"]},"type":"Header"}]"#
                .to_string(),
        )]);
        let spec = json!({"spec": {"routes": [
            {"path": "/a", "backends": [{"service": "web", "port": 80}]},
            {"path": "/b", "backends": [{"service": "api", "port": 80}]},
            {"path": "/c", "backends": [{"service": "web", "port": 80}]},
        ]}});
        let got = fields(&annotations, &spec);
        let when = json!({"when": {"headers": [{"name": "x-canary", "values": ["always"]}]}});
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].value, json!([when, {}, when]));
        // A block the pack never writes: not read.
        let other = BTreeMap::from([(
            format!("{ELB_CONDITIONS}web"),
            r#"[{"pathConfig":{"values":["/"]},"type":"Path"}]"#.to_string(),
        )]);
        assert!(fields(&other, &spec).is_empty());
    }

    #[test]
    fn actions_of_another_shape_are_not_read() {
        for action in [
            r#"[{"forwardConfig":[{"serviceName":"a","servicePort":80,"type":"service","weight":101}],"type":"ForwardPool"}]"#,
            r#"[{"forwardConfig":[{"serviceName":"a","servicePort":80,"type":"service"}],"type":"ForwardPool"}]"#,
            r#"[{"forwardConfig":[{"serviceName":"a","servicePort":80,"type":"service","weight":5,"x":1}],"type":"ForwardPool"}]"#,
            r#"[{"forwardConfig":[{"poolID":"p","type":"pool","weight":"5"}],"type":"ForwardPool"}]"#,
            r#"[{"forwardConfig":[],"type":"ForwardPool"}]"#,
            r#"[{"forwardConfig":[{"poolID":"p","type":"pool","weight":5}],"type":"Redirect"}]"#,
            r#"[{"forwardConfig":[{"poolID":"p","type":"pool","weight":5}],"type":"ForwardPool"},{"type":"ForwardPool"}]"#,
            r#"{"type":"ForwardPool"}"#,
            "[",
        ] {
            assert!(read(action).is_empty(), "{action}");
        }
    }
}
