//! The footprints and keys of `memo`.

use super::*;
use serde_json::json;

fn footprint(var: &str, sources: &[&str]) -> Footprint {
    let programs: Vec<cel::Program> = sources
        .iter()
        .map(|s| cel::Program::compile(s).expect("parses"))
        .collect();
    Footprint::of(var, &programs, Vec::new())
}

/// `*` is every element, anything else a field.
fn step(s: &str) -> Step {
    match s {
        "*" => Step::Each,
        field => Step::Field(field.to_string()),
    }
}

fn paths(list: &[&[&str]]) -> Footprint {
    reads(&list.iter().map(|p| (*p, Reads::Value)).collect::<Vec<_>>())
}

fn reads(list: &[(&[&str], Reads)]) -> Footprint {
    Footprint::Paths(
        list.iter()
            .map(|(p, what)| Read {
                path: p.iter().map(|s| step(s)).collect(),
                what: *what,
            })
            .collect(),
    )
}

#[test]
fn chains_from_the_variable_are_the_footprint() {
    assert_eq!(
        footprint(
            PLAN,
            &[
                "lb.exposure == 'ingress' && has(lb.healthCheck.path)",
                "lb.listeners.all(l, l.port > 0) && item.x == 1"
            ]
        ),
        paths(&[
            &["exposure"],
            &["healthCheck", "path"],
            &["listeners", "*", "port"]
        ])
    );
    // A comprehension's element used whole, or a map iterated: the elements are read.
    assert_eq!(
        footprint(
            PLAN,
            &["lb.a.exists(x, x == 1) && lb.b.all(k, k.c.size() > 0 && k.d == null)"]
        ),
        reads(&[
            (&["a", "*"], Reads::Value),
            (&["b", "*", "c"], Reads::Size),
            (&["b", "*", "d"], Reads::Nullness),
        ])
    );
    // A chain under a chain whose whole value is read adds nothing.
    assert_eq!(
        footprint(PLAN, &["lb.a.b == 1 && lb.a == lb.c"]),
        paths(&[&["a"], &["c"]])
    );
    // A comparison with null reads null-ness, `size` the size.
    assert_eq!(
        footprint(
            PLAN,
            &["lb.a != null && null == lb.b.c && lb.a.size() > 0 && size(lb.d) == 2"]
        ),
        reads(&[
            (&["a"], Reads::Nullness),
            (&["a"], Reads::Size),
            (&["b", "c"], Reads::Nullness),
            (&["d"], Reads::Size),
        ])
    );
    assert_eq!(
        footprint(ITEM, &["item.when.query.all(q, q != '') && index > 0"]),
        paths(&[&["when", "query", "*"]])
    );
}

#[test]
fn any_other_use_of_the_variable_reads_the_whole() {
    for source in [
        "lb == lb",
        "lb['exposure'] == 'x'",
        "[1].all(lb, lb.exposure == 1)",
        "lb.routes.exists(x, x == lb)",
        "{'a': lb}.a.exposure == 'x'",
    ] {
        assert_eq!(footprint(PLAN, &[source]), Footprint::Whole, "{source}");
    }
}

#[test]
fn a_key_tells_values_missing_keys_and_non_maps_apart() {
    let f = paths(&[&["a", "b"]]);
    let key = |v: Value| {
        let mut k = Vec::new();
        f.key(&v, &mut k).expect("paths");
        k
    };
    let all = [
        key(json!({"a": {"b": 1}})),
        key(json!({"a": {"b": 1.0}})),
        key(json!({"a": {"b": "1"}})),
        key(json!({"a": {}})),
        key(json!({})),
        key(json!({"a": null})),
    ];
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a, b);
        }
    }
    // What the rule cannot see does not matter: null and a number both give false.
    assert_eq!(key(json!({"a": null})), key(json!({"a": 5})));
    assert_eq!(
        key(json!({"a": {"b": 1, "c": 2}})),
        key(json!({"a": {"b": 1, "c": 3}}))
    );
}

#[test]
fn every_element_is_in_the_key_and_a_map_whole() {
    let f = reads(&[(&["a", "*", "b"], Reads::Nullness)]);
    let key = |v: Value| {
        let mut k = Vec::new();
        f.key(&v, &mut k).expect("paths");
        k
    };
    assert_eq!(
        key(json!({"a": [{"b": 1, "c": 1}]})),
        key(json!({"a": [{"b": 2, "c": 2}]}))
    );
    assert_ne!(
        key(json!({"a": [{"b": 1}]})),
        key(json!({"a": [{"b": 1}, {"b": 1}]}))
    );
    assert_ne!(
        key(json!({"a": [{"b": 1}]})),
        key(json!({"a": [{"b": null}]}))
    );
    assert_ne!(key(json!({"a": [{"b": 1}]})), key(json!({"a": [{}]})));
    // A map's comprehension runs over its keys: its whole value decides.
    assert_ne!(key(json!({"a": {"x": 1}})), key(json!({"a": {"y": 1}})));
}

#[test]
fn a_narrow_read_tells_apart_only_what_the_rule_can() {
    let key = |what: Reads, v: Value| {
        let mut k = Vec::new();
        Footprint::Paths(vec![Read {
            path: vec![step("a")],
            what,
        }])
        .key(&v, &mut k)
        .expect("paths");
        k
    };
    use Reads::{Nullness, Size};
    assert_eq!(
        key(Nullness, json!({"a": {"x": 1}})),
        key(Nullness, json!({"a": "y"}))
    );
    assert_ne!(
        key(Nullness, json!({"a": null})),
        key(Nullness, json!({"a": "y"}))
    );
    assert_ne!(key(Nullness, json!({"a": null})), key(Nullness, json!({})));
    assert_eq!(
        key(Size, json!({"a": "abc"})),
        key(Size, json!({"a": "xyz"}))
    );
    assert_eq!(
        key(Size, json!({"a": [1, 2]})),
        key(Size, json!({"a": [3, 4]}))
    );
    // Bytes and characters: both are in the key.
    assert_ne!(key(Size, json!({"a": "é"})), key(Size, json!({"a": "ab"})));
    assert_ne!(
        key(Size, json!({"a": "ab"})),
        key(Size, json!({"a": ["a", "b"]}))
    );
    // No size: the value itself decides (the error names it).
    assert_ne!(key(Size, json!({"a": 1})), key(Size, json!({"a": 2})));
}

#[test]
fn element_wise_memory_needs_a_chain_to_iterate() {
    let compile = |s: &str| cel::Program::compile(s).expect("parses");
    let (each, other) = (
        compile("lb.routes"),
        compile("item.host != '' && lb.exposure == 'ingress'"),
    );
    let el = Elements::of(
        &each,
        None,
        &[&other],
        Some("spec.routes[{index}].{item.name}"),
    )
    .expect("chains");
    assert_eq!(el.list, [step("routes")]);
    assert_eq!(el.plan, paths(&[&["exposure"]]));
    assert_eq!(el.item, paths(&[&["host"], &["name"]]));
    let ternary = compile("lb.a == null ? [] : lb.a.ids");
    assert!(Elements::of(&ternary, None, &[&other], None).is_none());
    assert!(Elements::of(&each, None, &[&compile("item == 1")], None).is_none());
    let when = compile("item.when != null");
    let el = Elements::of(&each, Some(&when), &[&other], None).expect("chains");
    let (plan, item) = el.when.expect("a match");
    assert_eq!(plan, Footprint::Paths(Vec::new()));
    assert_eq!(item, reads(&[(&["when"], Reads::Nullness)]));
}
