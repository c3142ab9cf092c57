//! Property test of the import round trip: every bundled example, with a random choice of
//! the shared fields users set most (algorithm, stickiness, health check, traffic policy,
//! draining) laid over it, renders, imports and renders again to the same bytes, whenever
//! the varied spec compiles at all (a combination the provider refuses is skipped: it has
//! no rendered manifest to import).

mod common;

use proptest::prelude::*;
use serde_json::{Value, json};

/// `render(import(render(spec)))` of a spec that compiles (`None`: it does not), or why
/// the import does not compile.
fn round_trip(spec: &str) -> Option<(String, Result<String, String>)> {
    let (first, _) = common::compile(spec).ok()?;
    let source = lbgen::spec::load::Source {
        name: "rendered".into(),
        text: first.clone(),
    };
    let second = match lbgen::import::import(std::slice::from_ref(&source), &Default::default()) {
        Ok(imported) => {
            let objects: Vec<lbgen::emit::Object> =
                imported.outputs.iter().map(|o| o.object.clone()).collect();
            let stream = lbgen::emit::to_stream(&objects, lbgen::emit::Format::Yaml).expect("emit");
            common::compile(&stream)
                .map(|(s, _)| s)
                .map_err(|e| format!("the import does not compile: {e:?}\n{stream}"))
        }
        Err(e) => Err(format!("import: {e:?}")),
    };
    Some((first, second))
}

/// The examples with one spec each, as JSON, whose own round trip is byte-identical
/// (tests/import.rs pins which; the others are docs/import.md's known differences).
fn examples() -> Vec<(String, Value)> {
    static EXAMPLES: std::sync::OnceLock<Vec<(String, Value)>> = std::sync::OnceLock::new();
    EXAMPLES.get_or_init(read_examples).clone()
}

fn read_examples() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for file in common::provider_examples() {
        let text = std::fs::read_to_string(&file).expect("example");
        if text.contains("\n---") {
            continue;
        }
        let identical = round_trip(&text).is_some_and(|(a, b)| b.as_ref() == Ok(&a));
        if identical {
            let spec: Value = serde_saphyr::from_str(&text).expect("example YAML");
            out.push((file.display().to_string(), spec));
        }
    }
    out
}

/// What is laid over an example's `spec`: `None` leaves the example's own value.
#[derive(Debug, Clone)]
struct Overlay {
    algorithm: Option<&'static str>,
    stickiness: Option<Value>,
    health_check: Option<Value>,
    traffic_policy: Option<&'static str>,
    draining: Option<Value>,
}

fn overlay() -> impl Strategy<Value = Overlay> {
    let algorithm = prop::option::of(prop::sample::select(vec![
        "round-robin",
        "least-connections",
        "source-ip",
    ]));
    let stickiness = prop::option::of(prop::sample::select(vec![
        json!({"mode": "source-ip", "timeout": "10m"}),
        json!({"mode": "cookie", "timeout": "30m"}),
        json!({"mode": "cookie", "timeout": "1h"}),
    ]));
    let health_check = prop::option::of(prop::sample::select(vec![
        json!({"protocol": "TCP", "interval": "5s", "timeout": "5s", "retries": 3}),
        json!({"protocol": "TCP", "interval": "10s", "timeout": "3s", "retries": 2}),
        json!({"protocol": "HTTP", "path": "/healthz", "interval": "5s", "timeout": "5s", "retries": 3}),
    ]));
    let traffic_policy = prop::option::of(Just("local"));
    let draining = prop::option::of(prop::sample::select(vec![
        json!({}),
        json!({"timeout": "60s"}),
    ]));
    (
        algorithm,
        stickiness,
        health_check,
        traffic_policy,
        draining,
    )
        .prop_map(
            |(algorithm, stickiness, health_check, traffic_policy, draining)| Overlay {
                algorithm,
                stickiness,
                health_check,
                traffic_policy,
                draining,
            },
        )
}

fn apply(mut spec: Value, o: &Overlay) -> Value {
    let body = &mut spec["spec"];
    if let Some(a) = o.algorithm {
        body["algorithm"] = a.into();
    }
    if let Some(s) = &o.stickiness {
        body["stickiness"] = s.clone();
    }
    if let Some(h) = &o.health_check {
        body["healthCheck"] = h.clone();
    }
    if body["exposure"] == "service" {
        if let Some(t) = o.traffic_policy {
            body["trafficPolicy"] = t.into();
        }
        if let Some(d) = &o.draining {
            body["draining"] = d.clone();
        }
    }
    spec
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn varied_examples_round_trip_byte_identical(
        example in prop::sample::select(examples()),
        o in overlay(),
    ) {
        let (name, spec) = example;
        let varied = serde_json::to_string(&apply(spec, &o)).expect("JSON");
        // `None`: the provider refuses this combination, so there is nothing to import.
        if let Some((first, second)) = round_trip(&varied) {
            prop_assert_eq!(second, Ok(first), "{} {:?}", name, o);
        }
    }
}

#[test]
fn most_examples_take_part() {
    assert!(examples().len() >= 45, "{}", examples().len());
}
