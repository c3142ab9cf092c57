//! Reading ALB Ingress annotations back into the neutral spec (`kubectl lbgen import`):
//! the inverses of `ingress.rs` whose value is structured or spans several keys (health
//! thresholds and status codes, cookie stickiness, and the forward actions and forwarding
//! conditions keyed by a path backend's name, read back into the routes). Every inverse is
//! checked by the import stage by rendering and comparing.

use super::types::{
    ALB_ACTIONS, ALB_CONDITIONS, ALB_COOKIE_TIMEOUT, ALB_HEALTH_HTTPCODE, ALB_HEALTHY_THRESHOLD,
    ALB_STICKY_SESSION, ALB_STICKY_SESSION_TYPE, ALB_UNHEALTHY_THRESHOLD,
};
use crate::provider::import::{SharedField, duration_text};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The structured inverses of an ALB Ingress's annotations, against its core `spec`.
pub(super) fn structured(annotations: &BTreeMap<String, String>, spec: &Value) -> Vec<SharedField> {
    let mut out = Vec::new();
    let get = |key: &str| annotations.get(key).map(String::as_str);
    // healthy-threshold-count and unhealthy-threshold-count both carry `retries`.
    if let (Some(up), Some(down)) = (get(ALB_HEALTHY_THRESHOLD), get(ALB_UNHEALTHY_THRESHOLD))
        && up == down
        && let Ok(retries) = up.parse::<u32>()
    {
        out.push(field(
            &[ALB_HEALTHY_THRESHOLD, ALB_UNHEALTHY_THRESHOLD],
            "healthCheck.retries",
            json!(retries),
        ));
    }
    // "http_2xx,http_3xx" (`http_codes`).
    let codes: Option<Vec<&str>> = get(ALB_HEALTH_HTTPCODE).and_then(|list| {
        list.split(',')
            .map(|c| {
                c.strip_prefix("http_")
                    .filter(|c| matches!(*c, "2xx" | "3xx" | "4xx" | "5xx"))
            })
            .collect()
    });
    if let Some(codes) = codes {
        out.push(field(
            &[ALB_HEALTH_HTTPCODE],
            "healthCheck.successCodes",
            json!(codes),
        ));
    }
    // Cookie insertion: `true`, `Insert`, the timeout in seconds.
    if get(ALB_STICKY_SESSION) == Some("true") && get(ALB_STICKY_SESSION_TYPE) == Some("Insert") {
        let mut value = json!({"mode": "cookie"});
        if let Some(s) = get(ALB_COOKIE_TIMEOUT).and_then(|t| t.parse::<u64>().ok()) {
            value["timeout"] = duration_text(s).into();
        }
        out.push(field(
            &[
                ALB_STICKY_SESSION,
                ALB_STICKY_SESSION_TYPE,
                ALB_COOKIE_TIMEOUT,
            ],
            "stickiness",
            value,
        ));
    }
    let routes = spec
        .pointer("/spec/routes")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for (i, route) in routes.iter().enumerate() {
        let Some(name) = route.pointer("/backends/0/service").and_then(Value::as_str) else {
            continue;
        };
        let split =
            route.pointer("/backends/0/port").and_then(Value::as_str) == Some("use-annotation");
        let action = format!("{ALB_ACTIONS}{name}");
        if let Some(backends) = split
            .then(|| get(&action))
            .flatten()
            .and_then(forward_backends)
        {
            out.push(field(&[&action], route_path(i, "backends"), backends));
        }
        let conditions = format!("{ALB_CONDITIONS}{name}");
        if let Some(when) = get(&conditions).and_then(route_conditions) {
            out.push(field(&[&conditions], route_path(i, "when"), when));
        }
    }
    out
}

pub(super) fn field(keys: &[&str], path: &'static str, value: Value) -> SharedField {
    SharedField {
        keys: keys.iter().map(|k| (*k).to_string()).collect(),
        path,
        value,
    }
}

/// `routes.<i>.<name>` as the `'static` path a `SharedField` holds: each distinct path is
/// made once per process and kept (at most the largest Ingress's path count times the
/// few route fields read back), so importing many objects does not grow memory.
pub(super) fn route_path(i: usize, name: &str) -> &'static str {
    use std::collections::BTreeSet;
    use std::sync::{Mutex, OnceLock};
    static PATHS: OnceLock<Mutex<BTreeSet<&'static str>>> = OnceLock::new();
    let path = format!("routes.{i}.{name}");
    let mut paths = PATHS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(known) = paths.get(path.as_str()) {
        return known;
    }
    let made: &'static str = Box::leak(path.into_boxed_str());
    paths.insert(made);
    made
}

/// `[{"type":"ForwardGroup","ForwardConfig":{"ServerGroups":[...]}}]` as spec backends,
/// each with its weight; `None` for any other shape.
fn forward_backends(text: &str) -> Option<Value> {
    let parsed: Value = serde_json::from_str(text).ok()?;
    let [action] = parsed.as_array()?.as_slice() else {
        return None;
    };
    if action.get("type")?.as_str()? != "ForwardGroup" {
        return None;
    }
    let groups = action.pointer("/ForwardConfig/ServerGroups")?.as_array()?;
    let backends: Option<Vec<Value>> = groups
        .iter()
        .map(|g| {
            let weight = g.get("Weight")?.as_u64()?;
            match (g.get("ServiceName"), g.get("ServerGroupID")) {
                (Some(Value::String(name)), None) => {
                    let port = g
                        .get("ServicePort")
                        .filter(|p| p.is_u64() || p.is_string())?;
                    Some(json!({"service": name, "port": port, "weight": weight}))
                }
                (None, Some(Value::String(id))) => {
                    Some(json!({"serverGroup": id, "weight": weight}))
                }
                _ => None,
            }
        })
        .collect();
    backends.map(Value::Array)
}

/// The ALB rule blocks of a `conditions.<name>` annotation (`condition_blocks` with the
/// `Pairs` query form) as a route's `when`; `None` for any block it does not write.
fn route_conditions(text: &str) -> Option<Value> {
    let parsed: Value = serde_json::from_str(text).ok()?;
    let mut when = Map::new();
    let strings = |v: &Value| -> Option<Vec<Value>> {
        v.as_array()?
            .iter()
            .map(|s| s.as_str().map(Value::from))
            .collect()
    };
    let mut push = |name: &str, item: Value| {
        if let Value::Array(list) = when.entry(name).or_insert_with(|| json!([])) {
            list.push(item);
        }
    };
    let mut cookies = Map::new();
    for block in parsed.as_array()? {
        match block.get("type")?.as_str()? {
            "Method" => {
                for m in strings(block.pointer("/methodConfig/values")?)? {
                    push("methods", m);
                }
            }
            "Header" => {
                let key = block.pointer("/headerConfig/key")?.as_str()?;
                let values = strings(block.pointer("/headerConfig/values")?)?;
                push("headers", json!({"name": key, "values": values}));
            }
            "Cookie" => {
                for pair in block.pointer("/cookieConfig/values")?.as_array()? {
                    let key = pair.get("key")?.as_str()?;
                    cookies.insert(key.into(), pair.get("value")?.as_str()?.into());
                }
            }
            "QueryString" => {
                let pairs = block.pointer("/queryStringConfig/values")?.as_array()?;
                let name = pairs.first()?.get("key")?.as_str()?;
                let values: Option<Vec<Value>> = pairs
                    .iter()
                    .map(|p| {
                        (p.get("key")?.as_str()? == name).then_some(())?;
                        p.get("value")?.as_str().map(Value::from)
                    })
                    .collect();
                push("query", json!({"name": name, "values": values?}));
            }
            "SourceIp" => {
                for range in strings(block.pointer("/sourceIpConfig/values")?)? {
                    push("sourceRanges", range);
                }
            }
            _ => return None,
        }
    }
    if !cookies.is_empty() {
        when.insert("cookies".into(), Value::Object(cookies));
    }
    (!when.is_empty()).then_some(Value::Object(when))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_groups_read_back_as_weighted_backends() {
        let text = r#"[{"ForwardConfig":{"ServerGroups":[{"ServiceName":"tea","ServicePort":80,"Weight":80},{"ServerGroupID":"sgp-1","Weight":20}]},"type":"ForwardGroup"}]"#;
        assert_eq!(
            forward_backends(text),
            Some(json!([
                {"service": "tea", "port": 80, "weight": 80},
                {"serverGroup": "sgp-1", "weight": 20}
            ]))
        );
        assert_eq!(forward_backends(r#"[{"type":"Redirect"}]"#), None);
        assert_eq!(forward_backends("not json"), None);
        assert_eq!(
            forward_backends(
                r#"[{"type":"ForwardGroup","ForwardConfig":{"ServerGroups":[{"ServiceName":7,"Weight":1}]}}]"#
            ),
            None
        );
    }

    #[test]
    fn condition_blocks_read_back_as_a_when() {
        let text = r#"[{"methodConfig":{"values":["GET"]},"type":"Method"},{"headerConfig":{"key":"x","values":["a","b"]},"type":"Header"},{"cookieConfig":{"values":[{"key":"v","value":"2"}]},"type":"Cookie"},{"queryStringConfig":{"values":[{"key":"q","value":"1"}]},"type":"QueryString"},{"sourceIpConfig":{"values":["10.0.0.0/8"]},"type":"SourceIp"}]"#;
        assert_eq!(
            route_conditions(text),
            Some(json!({
                "methods": ["GET"],
                "headers": [{"name": "x", "values": ["a", "b"]}],
                "cookies": {"v": "2"},
                "query": [{"name": "q", "values": ["1"]}],
                "sourceRanges": ["10.0.0.0/8"]
            }))
        );
        assert_eq!(route_conditions(r#"[{"type":"ResponseHeader"}]"#), None);
        assert_eq!(route_conditions(r#"{"type":"Method"}"#), None);
    }
}
