//! A route's request conditions as the JSON array of typed rule blocks that Huawei's
//! `kubernetes.io/elb.conditions.<name>` and Alibaba's
//! `alb.ingress.kubernetes.io/conditions.<name>` both read: one block per header and
//! query entry, one block for the methods, the cookies and the source ranges, in that
//! order. The two clouds spell the blocks alike except the query string, so the pack
//! passes its `QueryForm`. Built as serde values: no name or value can change the
//! structure (they are validated HTTP tokens and visible ASCII besides).

use crate::plan::RoutePlan;
use crate::spec::routing::{HttpMethod, RouteConditions, ValueMatch};
use serde::Serialize;

/// How a provider spells a query-string block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryForm {
    /// `{"key": name, "values": [...]}` (Huawei cce_10_0949 Table 4).
    KeyAndValues,
    /// `{"values": [{"key": name, "value": v}, ...]}` (Alibaba ALB QueryStringConfig).
    Pairs,
}

/// One rule block.
#[derive(Debug, Serialize)]
#[serde(tag = "type")]
pub(crate) enum Condition<'a> {
    /// Any of the methods.
    Method {
        #[serde(rename = "methodConfig")]
        config: Values<&'a HttpMethod>,
    },
    /// One header, any of its values.
    Header {
        #[serde(rename = "headerConfig")]
        config: KeyValues<'a>,
    },
    /// Any of the cookie pairs.
    Cookie {
        #[serde(rename = "cookieConfig")]
        config: Values<Pair<'a>>,
    },
    /// One query parameter, any of its values (Huawei's form).
    #[serde(rename = "QueryString")]
    QueryKeyValues {
        #[serde(rename = "queryStringConfig")]
        config: KeyValues<'a>,
    },
    /// One query parameter, any of its values (Alibaba's form).
    #[serde(rename = "QueryString")]
    QueryPairs {
        #[serde(rename = "queryStringConfig")]
        config: Values<Pair<'a>>,
    },
    /// Any of the source CIDR blocks.
    SourceIp {
        #[serde(rename = "sourceIpConfig")]
        config: Values<&'a str>,
    },
}

/// `{"values": [...]}`.
#[derive(Debug, Serialize)]
pub(crate) struct Values<T> {
    values: Vec<T>,
}

/// `{"key": ..., "values": [...]}`.
#[derive(Debug, Serialize)]
pub(crate) struct KeyValues<'a> {
    key: &'a str,
    values: Vec<&'a str>,
}

/// `{"key": ..., "value": ...}`.
#[derive(Debug, Serialize)]
pub(crate) struct Pair<'a> {
    key: &'a str,
    value: &'a str,
}

fn key_values(entry: &ValueMatch) -> KeyValues<'_> {
    KeyValues {
        key: &entry.name.0,
        values: entry.values.iter().map(|v| v.0.as_str()).collect(),
    }
}

/// The rule blocks of `when`, in the fixed order methods, headers, cookies, query,
/// source ranges (the order of both clouds' documented examples).
pub(crate) fn condition_blocks(when: &RouteConditions, query: QueryForm) -> Vec<Condition<'_>> {
    let mut blocks = Vec::new();
    if !when.methods.is_empty() {
        blocks.push(Condition::Method {
            config: Values {
                values: when.methods.iter().collect(),
            },
        });
    }
    blocks.extend(when.headers.iter().map(|h| Condition::Header {
        config: key_values(h),
    }));
    if !when.cookies.is_empty() {
        let values = when
            .cookies
            .iter()
            .map(|(name, value)| Pair {
                key: &name.0,
                value: &value.0,
            })
            .collect();
        blocks.push(Condition::Cookie {
            config: Values { values },
        });
    }
    blocks.extend(when.query.iter().map(|q| {
        match query {
            QueryForm::KeyAndValues => Condition::QueryKeyValues {
                config: key_values(q),
            },
            QueryForm::Pairs => Condition::QueryPairs {
                config: Values {
                    values: q
                        .values
                        .iter()
                        .map(|v| Pair {
                            key: &q.name.0,
                            value: &v.0,
                        })
                        .collect(),
                },
            },
        }
    }));
    if !when.source_ranges.is_empty() {
        blocks.push(Condition::SourceIp {
            config: Values {
                values: when.source_ranges.iter().map(|c| c.0.as_str()).collect(),
            },
        });
    }
    blocks
}

/// The name a route's conditions annotation is keyed by: the path backend's name, i.e.
/// the split route's synthetic action backend or the plain route's one Service. `None`
/// for a route without conditions (or, refused by the rules, without a Service).
pub(crate) fn conditions_key_name<'a>(route: &'a RoutePlan, action: &'a str) -> Option<&'a str> {
    route.when.as_ref()?;
    if route.split {
        Some(action)
    } else {
        route.backends.first()?.service.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::{QueryForm, condition_blocks};
    use crate::spec::routing::RouteConditions;
    use serde_json::{Value, json};

    fn when(yaml: Value) -> RouteConditions {
        serde_json::from_value(yaml).expect("conditions")
    }

    #[test]
    fn query_blocks_follow_the_provider_form() {
        let w = when(json!({"query": [{"name": "q", "values": ["a", "b"]}]}));
        let huawei = serde_json::to_value(condition_blocks(&w, QueryForm::KeyAndValues));
        let alibaba = serde_json::to_value(condition_blocks(&w, QueryForm::Pairs));
        assert_eq!(
            huawei.ok(),
            Some(
                json!([{"type": "QueryString", "queryStringConfig": {"key": "q", "values": ["a", "b"]}}])
            )
        );
        assert_eq!(
            alibaba.ok(),
            Some(
                json!([{"type": "QueryString", "queryStringConfig": {"values": [
                {"key": "q", "value": "a"}, {"key": "q", "value": "b"}]}}])
            )
        );
    }

    #[test]
    fn a_value_that_looks_like_json_stays_one_string() {
        let w =
            when(json!({"headers": [{"name": "x", "values": ["a\"}]},{\"type\":\"SourceIp\""]}]}));
        let text = serde_json::to_string(&condition_blocks(&w, QueryForm::Pairs)).expect("json");
        let back: Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(back.as_array().map(Vec::len), Some(1), "{text}");
        assert_eq!(
            back[0]["headerConfig"]["values"][0],
            json!("a\"}]},{\"type\":\"SourceIp\"")
        );
    }

    #[test]
    fn hostile_text_cannot_be_read() {
        // The validated types refuse what could break out of a JSON string.
        assert!(
            serde_json::from_value::<RouteConditions>(
                json!({"headers": [{"name": "a\"b", "values": ["x"]}]})
            )
            .is_err()
        );
        assert!(
            serde_json::from_value::<RouteConditions>(json!({"cookies": {"a": "x y"}})).is_err()
        );
        assert!(serde_json::from_value::<RouteConditions>(json!({"methods": ["get"]})).is_err());
        assert!(
            serde_json::from_value::<RouteConditions>(json!({"sourceRanges": ["10.0.0.0/8\"]"]}))
                .is_err()
        );
    }
}
