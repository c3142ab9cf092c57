//! The inverse of `conditions`: the JSON rule blocks of a route's conditions annotation
//! (Huawei `kubernetes.io/elb.conditions.<name>`, Alibaba
//! `alb.ingress.kubernetes.io/conditions.<name>`) read back into a spec `when`, for
//! `kubectl lbgen import`. Only the blocks and fields `condition_blocks` writes are read;
//! anything else gives `None` (the annotation stays raw). The values are not validated
//! here: the import stage compiles the spec (the spec's types refuse hostile text) and
//! renders it back, so a block in another order or spelling is taken back.

use super::conditions::QueryForm;
use serde_json::{Map, Value, json};

/// `when` (spec JSON) of the blocks `text`, in `query`'s form of query-string blocks.
pub(crate) fn route_conditions(text: &str, query: QueryForm) -> Option<Value> {
    let blocks: Value = serde_json::from_str(text).ok()?;
    let mut when = Map::new();
    let push = |when: &mut Map<String, Value>, field: &str, item: Value| {
        if let Value::Array(list) = when.entry(field).or_insert_with(|| json!([])) {
            list.push(item);
        }
    };
    for block in blocks.as_array().filter(|b| !b.is_empty())? {
        let block = block.as_object().filter(|b| b.len() == 2)?;
        match block.get("type")?.as_str()? {
            "Method" if !when.contains_key("methods") => {
                when.insert("methods".into(), values(config(block, "methodConfig")?)?);
            }
            "Header" => {
                let header = key_values(config(block, "headerConfig")?)?;
                push(&mut when, "headers", header);
            }
            "Cookie" if !when.contains_key("cookies") => {
                let mut cookies = Map::new();
                for (key, value) in pairs(config(block, "cookieConfig")?)? {
                    cookies.insert(key, value.into()).is_none().then_some(())?;
                }
                when.insert("cookies".into(), Value::Object(cookies));
            }
            "QueryString" => {
                let config = config(block, "queryStringConfig")?;
                let entry = match query {
                    QueryForm::KeyAndValues => key_values(config)?,
                    QueryForm::Pairs => {
                        let pairs = pairs(config)?;
                        let name = pairs.first()?.0.clone();
                        let same = pairs.iter().all(|(k, _)| *k == name);
                        let values: Vec<String> = pairs.into_iter().map(|(_, v)| v).collect();
                        same.then(|| json!({"name": name, "values": values}))?
                    }
                };
                push(&mut when, "query", entry);
            }
            "SourceIp" if !when.contains_key("sourceRanges") => {
                when.insert(
                    "sourceRanges".into(),
                    values(config(block, "sourceIpConfig")?)?,
                );
            }
            _ => return None,
        }
    }
    Some(Value::Object(when))
}

/// The block's config object.
fn config<'a>(block: &'a Map<String, Value>, name: &str) -> Option<&'a Map<String, Value>> {
    block.get(name)?.as_object()
}

/// `{"values": ["a", ...]}`: a non-empty list of Strings.
fn values(config: &Map<String, Value>) -> Option<Value> {
    let list = config.get("values")?.as_array()?;
    let strings = config.len() == 1 && !list.is_empty() && list.iter().all(Value::is_string);
    strings.then(|| Value::Array(list.clone()))
}

/// `{"key": k, "values": [...]}` as a spec `{name, values}`.
fn key_values(config: &Map<String, Value>) -> Option<Value> {
    let key = config.get("key")?.as_str()?;
    let rest: Map<String, Value> = config
        .iter()
        .filter(|(k, _)| *k != "key")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Some(json!({"name": key, "values": values(&rest)?}))
}

/// `{"values": [{"key": k, "value": v}, ...]}`.
fn pairs(config: &Map<String, Value>) -> Option<Vec<(String, String)>> {
    if config.len() != 1 {
        return None;
    }
    let list = config.get("values")?.as_array().filter(|l| !l.is_empty())?;
    list.iter()
        .map(|pair| {
            let pair = pair.as_object().filter(|p| p.len() == 2)?;
            Some((
                pair.get("key")?.as_str()?.to_string(),
                pair.get("value")?.as_str()?.to_string(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::conditions::condition_blocks;
    use crate::spec::routing::RouteConditions;

    /// Every block kind, written by `condition_blocks` in both forms, reads back.
    #[test]
    fn the_written_blocks_read_back_to_the_same_conditions() {
        let when = json!({
            "methods": ["GET", "POST"],
            "headers": [{"name": "x-canary", "values": ["always", "beta"]}],
            "cookies": {"a": "1", "b": "2"},
            "query": [{"name": "q", "values": ["x", "y"]}],
            "sourceRanges": ["10.0.0.0/8"]
        });
        let typed: RouteConditions = serde_json::from_value(when.clone()).expect("when");
        for form in [QueryForm::KeyAndValues, QueryForm::Pairs] {
            let text = serde_json::to_string(&condition_blocks(&typed, form)).expect("json");
            assert_eq!(route_conditions(&text, form), Some(when.clone()), "{text}");
        }
    }

    #[test]
    fn blocks_lbgen_never_writes_are_not_read() {
        for text in [
            "[]",
            "{}",
            r#"[{"type":"Method","methodConfig":{"values":[]}}]"#,
            r#"[{"type":"Method","methodConfig":{"values":[1]}}]"#,
            r#"[{"type":"Method","methodConfig":{"values":["GET"]}},{"type":"Method","methodConfig":{"values":["PUT"]}}]"#,
            r#"[{"type":"Header","headerConfig":{"key":"x","values":["a"],"extra":1}}]"#,
            r#"[{"type":"Cookie","cookieConfig":{"values":[{"key":"a","value":"1"},{"key":"a","value":"2"}]}}]"#,
            r#"[{"type":"Path","pathConfig":{"values":["/"]}}]"#,
            r#"[{"type":"SourceIp","sourceIpConfig":{"values":["10.0.0.0/8"]},"x":1}]"#,
        ] {
            assert_eq!(
                route_conditions(text, QueryForm::KeyAndValues),
                None,
                "{text}"
            );
        }
        // A Pairs query block naming two parameters is two spec entries lbgen never merges.
        let two = r#"[{"type":"QueryString","queryStringConfig":{"values":[{"key":"a","value":"1"},{"key":"b","value":"2"}]}}]"#;
        assert_eq!(route_conditions(two, QueryForm::Pairs), None);
    }
}
