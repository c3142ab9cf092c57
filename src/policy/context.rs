//! The CEL environment rules run in: lbgen's functions on top of Kubernetes' CEL libraries,
//! plans as CEL values, and the `{index}`/`{item.<field>}` templates of a rule's `field`.

use crate::spec::values::ClusterVersion;
use kube_cel::{KubeCelExt, cel};
use std::sync::Arc;

/// Fills `{index}` and `{item.<field>}` in a field path, in one pass over the template:
/// inserted text is never scanned again (a value holding `{item.x}` stays as it is).
pub(super) fn fill(template: &str, item: Option<(usize, &cel::Value)>) -> String {
    let Some((index, item)) = item else {
        return template.to_string();
    };
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(len) = after.find('}') else {
            out.push_str(after);
            return out;
        };
        let placeholder = &after[1..len];
        if placeholder == "index" {
            out.push_str(&index.to_string());
        } else if let Some(key) = placeholder.strip_prefix("item.") {
            let value = match item {
                cel::Value::Map(m) => m
                    .map
                    .get(&cel::objects::Key::String(Arc::new(key.to_string())))
                    .cloned(),
                _ => None,
            };
            match value {
                Some(cel::Value::Int(i)) => out.push_str(&i.to_string()),
                Some(cel::Value::UInt(u)) => out.push_str(&u.to_string()),
                Some(cel::Value::String(s)) => out.push_str(&s),
                _ => {}
            }
        } else {
            out.push_str(&after[..=len]);
        }
        rest = &after[len + 1..];
    }
    out.push_str(rest);
    out
}

/// JSON to CEL with every integer an `int`, so rules compare against literals freely.
pub(super) fn json_to_cel(v: &serde_json::Value) -> cel::Value {
    use serde_json::Value as J;
    match v {
        J::Null => cel::Value::Null,
        J::Bool(b) => cel::Value::Bool(*b),
        J::Number(n) => n
            .as_i64()
            .map(cel::Value::Int)
            .unwrap_or_else(|| cel::Value::Float(n.as_f64().unwrap_or_default())),
        J::String(s) => cel::Value::String(Arc::new(s.clone())),
        J::Array(items) => cel::Value::List(Arc::new(items.iter().map(json_to_cel).collect())),
        J::Object(map) => cel::Value::Map(cel::objects::Map {
            map: Arc::new(
                map.iter()
                    .map(|(k, v)| {
                        (
                            cel::objects::Key::String(Arc::new(k.clone())),
                            json_to_cel(v),
                        )
                    })
                    .collect(),
            ),
        }),
    }
}

/// `root`'s child with the plan `lb` (as JSON) bound: the scope every rule of a plan runs in.
pub(super) fn plan_scope<'a>(
    root: &'a cel::Context<'static>,
    lb: &serde_json::Value,
) -> cel::Context<'a> {
    let mut scope = root.new_inner_scope();
    scope.add_variable_from_value("lb", json_to_cel(lb));
    scope
}

/// `scope`'s child with one `forEach` element bound as `item` and its position as `index`.
pub(super) fn element_scope<'a>(
    scope: &'a cel::Context<'_>,
    item: &cel::Value,
    index: usize,
) -> cel::Context<'a> {
    let mut inner = scope.new_inner_scope();
    inner.add_variable_from_value("item", item.clone());
    inner.add_variable_from_value("index", cel::Value::Int(index as i64));
    inner
}

/// The shared root context: Kubernetes' CEL libraries plus lbgen's version functions.
pub(super) fn root_context() -> cel::Context<'static> {
    let mut ctx = cel::Context::default();
    ctx.register_all();
    // cel's own `matches` compiles its pattern on every call, which dominated the cost of
    // judging a spec; patterns in rules are literals, so each is compiled once here.
    ctx.add_function("matches", cached_matches);
    // versionAtLeast('v1.28.15-r20', 'v1.21'): provider-style versions, compared by
    // major, minor, patch and -rN release.
    ctx.add_function(
        "versionAtLeast",
        |v: Arc<String>, min: Arc<String>| -> Result<cel::Value, cel::ExecutionError> {
            let v = parse_version(&v)?;
            let min = parse_version(&min)?;
            Ok(cel::Value::Bool(v >= min))
        },
    );
    // versionInTrains(v, ['v1.25.16-r30', 'v1.27.16-r30']): at or after the listed patch
    // of its own minor, or any later minor (vendor release trains).
    ctx.add_function(
        "versionInTrains",
        |v: Arc<String>, trains: Arc<Vec<cel::Value>>| -> Result<cel::Value, cel::ExecutionError> {
            let v = parse_version(&v)?;
            let trains = trains
                .iter()
                .map(|t| match t {
                    cel::Value::String(s) => parse_version(s),
                    _ => Err(cel::ExecutionError::function_error(
                        "versionInTrains",
                        "trains must be strings",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(cel::Value::Bool(v.in_trains(&trains)))
        },
    );
    ctx
}

thread_local! {
    static REGEXES: std::cell::RefCell<std::collections::HashMap<String, regex::Regex>> =
        std::cell::RefCell::default();
}

/// `string.matches(pattern)` with each pattern compiled once per thread.
fn cached_matches(
    ftx: &cel::FunctionContext,
    cel::extractors::This(this): cel::extractors::This<Arc<String>>,
    pattern: Arc<String>,
) -> Result<cel::Value, cel::ExecutionError> {
    REGEXES.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.contains_key(pattern.as_str()) {
            let re = regex::Regex::new(&pattern)
                .map_err(|e| ftx.error(format!("'{pattern}' is not a valid regex: {e}")))?;
            cache.insert(pattern.to_string(), re);
        }
        Ok(cel::Value::Bool(cache[pattern.as_str()].is_match(&this)))
    })
}

fn parse_version(s: &str) -> Result<ClusterVersion, cel::ExecutionError> {
    ClusterVersion::parse(s).map_err(|e| cel::ExecutionError::function_error("version", e))
}
