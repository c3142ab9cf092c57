//! The CI smoke run of the fuzz targets: the bodies libFuzzer runs (`fuzz/src/lib.rs`,
//! included here, so both check exactly the same invariants) fed every seed (examples,
//! fixtures, the hostile corpus and its case files, `fuzz/seeds`) and then a fixed number
//! of deterministic mutations of them, byte-level and structure-aware. Needs no extra
//! toolchain and takes seconds; the long coverage-guided runs are `fuzz/run` (README
//! "Fuzzing").

#[allow(unreachable_pub, dead_code)]
#[path = "../fuzz/src/lib.rs"]
mod targets;

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

/// Mutated inputs per target on every `cargo test`.
const MUTATIONS: usize = 250;

/// A small deterministic generator (xorshift64*), so every run tries the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that YAML readers and lbgen's fields react to.
const TOKENS: &[&str] = &[
    "&a ",
    "*a",
    "<<: *a\n",
    "!!binary ",
    "!!str ",
    "!custom ",
    "? ",
    ": ",
    "- ",
    "---\n",
    "...\n",
    "{",
    "}",
    "[",
    "]",
    ",",
    "\"",
    "'",
    "|\n  ",
    ">-\n  ",
    "#",
    "\t",
    "\n",
    "\r\n",
    "\u{feff}",
    "\u{0}",
    "\u{85}",
    "\u{2028}",
    "~",
    "null",
    "yes",
    "0x1F",
    "1e400",
    "-1",
    "65536",
    "99999999999999999999",
    ".inf",
    ".nan",
    "0o17",
    "1_000",
    "v1.999.999-r99",
    "..",
    "../../etc",
    "a/b",
    "*",
    "%",
    "é",
    "\u{202e}",
    "apiVersion: lbgen.dev/v1alpha1\n",
    "kind: LoadBalancer\n",
    "kind: List\nitems:\n",
    "metadata: {name: x}\n",
    "spec: {}\n",
    "provider: huawei",
    "provider: alibaba",
    "provider: tencent",
    "weight: 0",
    "port: 0",
    "backends: []",
    "routes: []",
    "exposure: ingress",
    "exposure: service",
];

/// Values a structure-aware mutation puts in place of a leaf.
fn interesting(rng: &mut Rng) -> serde_json::Value {
    use serde_json::json;
    let pick = [
        json!(null),
        json!(""),
        json!(0),
        json!(-1),
        json!(65536),
        json!(u64::MAX),
        json!(1.5),
        json!(true),
        json!("yes"),
        json!(".."),
        json!("a/b"),
        json!("UPPER_case"),
        json!("x".repeat(300)),
        json!([]),
        json!({}),
        json!(["a", 1, null]),
        json!({"unknown": 1}),
        json!("0"),
        json!("80"),
        json!("http"),
        json!("30m"),
        json!("-5s"),
        json!("v1.19.0"),
        json!("\u{0}\n\t\"'"),
    ];
    pick[rng.below(pick.len())].clone()
}

/// Every `*.yaml`, `*.yml` and `*.json` file below `dir`, sorted.
fn files_below(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            files_below(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        ) {
            out.push(path);
        }
    }
}

/// The seed corpus: the files themselves, and every hostile case's files and stdin.
fn seeds() -> Vec<String> {
    let root = common::root();
    let mut paths = Vec::new();
    for dir in ["examples", "tests/fixtures", "tests/hostile", "fuzz/seeds"] {
        files_below(&root.join(dir), &mut paths);
    }
    let mut out = Vec::new();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if path.starts_with(root.join("tests/hostile")) {
            let cases: Vec<serde_json::Value> =
                serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for case in cases {
                let files = case.get("files").and_then(|f| f.as_object());
                for content in files.into_iter().flat_map(|f| f.values()) {
                    out.extend(content.as_str().map(unbig));
                }
                out.extend(case.get("stdin").and_then(|s| s.as_str()).map(unbig));
            }
        }
        out.push(text);
    }
    assert!(
        out.len() > 40,
        "the seed corpus is there ({} seeds)",
        out.len()
    );
    out
}

/// `{{big:N:TEXT}}` markers of the hostile corpus, kept small (N capped at 200).
fn unbig(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{big:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 6..];
        let Some(end) = after.find("}}") else { break };
        if let Some((count, body)) = after[..end].split_once(':') {
            let count = count.parse::<usize>().unwrap_or(1).min(200);
            out.push_str(&body.replace("\\n", "\n").repeat(count));
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// A char boundary at or before `i`.
fn boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One byte-level (text) mutation.
fn mutate_text(text: &str, rng: &mut Rng) -> String {
    let len = text.len();
    let a = boundary(text, rng.below(len + 1));
    let b = boundary(text, a + rng.below(64));
    let mut out = String::with_capacity(len + 64);
    match rng.below(6) {
        0 => {
            out.push_str(&text[..a]);
            out.push_str(&text[b..]);
        }
        1 => {
            out.push_str(&text[..b]);
            out.push_str(&text[a..b]);
            out.push_str(&text[a..]);
        }
        2 => {
            let mut lines: Vec<&str> = text.lines().collect();
            if lines.len() > 1 {
                let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
                lines.swap(i, j);
            }
            out = lines.join("\n");
        }
        3 => {
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            if !lines.is_empty() {
                let i = rng.below(lines.len());
                lines[i] = format!("{}{}", " ".repeat(rng.below(5)), lines[i].trim_start());
            }
            out = lines.join("\n");
        }
        4 => out.push_str(&text[..a]),
        _ => {
            out.push_str(&text[..a]);
            out.push_str(TOKENS[rng.below(TOKENS.len())]);
            out.push_str(&text[a..]);
        }
    }
    out
}

/// Every path to a node of `value`, as JSON pointers.
fn pointers(value: &serde_json::Value, here: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{here}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(here);
}

/// One structure-aware mutation: a document read as a value, one node replaced, removed
/// or duplicated, written back as YAML. `None` when the text is not a YAML mapping.
fn mutate_tree(text: &str, rng: &mut Rng) -> Option<String> {
    let docs = lbgen::yaml::node::parse_stream(text).ok()?;
    let mut values: Vec<serde_json::Value> = docs.iter().flatten().map(|d| d.to_json()).collect();
    if values.is_empty() {
        return None;
    }
    let doc = rng.below(values.len());
    let mut paths = Vec::new();
    pointers(&values[doc], String::new(), &mut paths);
    let path = paths[rng.below(paths.len())].clone();
    let (parent, key) = path.rsplit_once('/').unwrap_or(("", ""));
    match rng.below(3) {
        0 if !path.is_empty() => match values[doc].pointer_mut(parent) {
            Some(serde_json::Value::Object(map)) => {
                map.remove(&key.replace("~1", "/").replace("~0", "~"));
            }
            Some(serde_json::Value::Array(items)) => {
                if let Ok(i) = key.parse::<usize>() {
                    items.remove(i.min(items.len().saturating_sub(1)));
                }
            }
            _ => {}
        },
        1 => {
            let node = values[doc].pointer(&path)?.clone();
            if let Some(serde_json::Value::Array(items)) = values[doc].pointer_mut(parent) {
                items.push(node);
            } else if let Some(target) = values[doc].pointer_mut(&path) {
                *target = serde_json::json!([node.clone(), node]);
            }
        }
        _ => *values[doc].pointer_mut(&path)? = interesting(rng),
    }
    let parts: Vec<String> = values
        .iter()
        .map(|v| serde_saphyr::to_string(v).expect("a value serialises"))
        .collect();
    Some(parts.join("---\n"))
}

/// Runs `body` on one input; a panic is reported with the input.
fn check(name: &str, body: fn(&[u8]), input: &str) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| body(input.as_bytes()))).map_err(|e| {
        let message = e
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        let shown: String = input.chars().take(400).collect();
        format!(
            "{name}: {message}\n  input ({} bytes): {shown:?}",
            input.len()
        )
    })
}

/// Mutated inputs per target: [`MUTATIONS`], or `LBGEN_FUZZ_MUTATIONS` for a longer run
/// (with `LBGEN_FUZZ_SEED` to try other inputs than CI does).
fn mutations() -> usize {
    std::env::var("LBGEN_FUZZ_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(MUTATIONS)
}

/// The generator of one target's mutations.
fn rng_for(target: usize) -> Rng {
    let seed = std::env::var("LBGEN_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x9E37_79B9_7F4A_7C15_u64);
    Rng((seed ^ (target as u64 + 1).wrapping_mul(0x1234_5678_9ABC)) | 1)
}

/// One mutated seed: one to three mutations stacked, a third of them structure-aware.
fn mutant(seeds: &[String], rng: &mut Rng) -> String {
    let mut input = seeds[rng.below(seeds.len())].clone();
    for _ in 0..=rng.below(3) {
        input = match rng.below(3) {
            0 => mutate_tree(&input, rng).unwrap_or_else(|| mutate_text(&input, rng)),
            _ => mutate_text(&input, rng),
        };
    }
    input
}

fn smoke(name: &str) {
    let (index, (_, body)) = targets::TARGETS
        .iter()
        .enumerate()
        .find(|(_, (n, _))| *n == name)
        .expect("a target of that name");
    let seeds = seeds();
    let mut rng = rng_for(index);
    let mut failures = Vec::new();
    let count = mutations();
    for i in 0..seeds.len() + count {
        let input = match seeds.get(i) {
            Some(seed) => seed.clone(),
            None => mutant(&seeds, &mut rng),
        };
        if let Err(report) = check(name, *body, &input) {
            // Kept whole for `fuzz/run replay` or a hostile case.
            let dir = std::env::temp_dir().join("lbgen-fuzz-smoke");
            let path = dir.join(format!("{name}-{i}.yaml"));
            let saved = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, &input));
            failures.push(format!("{report}\n  saved: {} ({saved:?})", path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} inputs failed:\n{}",
        failures.len(),
        seeds.len() + count,
        failures.join("\n")
    );
}

#[test]
fn yaml_node_survives_the_corpus() {
    smoke("yaml_node");
}

#[test]
fn spec_load_survives_the_corpus() {
    smoke("spec_load");
}

#[test]
fn render_survives_the_corpus() {
    smoke("render");
}

#[test]
fn krm_survives_the_corpus() {
    smoke("krm");
}

#[test]
fn live_snapshot_survives_the_corpus() {
    smoke("live_snapshot");
}

#[test]
fn the_harness_is_deterministic_and_can_fail() {
    let seeds = seeds();
    let run = |mut rng: Rng| {
        (0..MUTATIONS)
            .map(|_| mutant(&seeds, &mut rng))
            .collect::<Vec<_>>()
    };
    let (a, b) = (run(rng_for(2)), run(rng_for(2)));
    assert_eq!(a, b, "the same seed gives the same inputs");
    assert_ne!(a, run(rng_for(3)), "each target gets its own inputs");
    let changed = a.iter().filter(|m| !seeds.contains(m)).count();
    assert!(
        changed > MUTATIONS / 2,
        "mutations change the input ({changed})"
    );
    let trees = (0..50)
        .filter_map(|i| mutate_tree(&seeds[i % seeds.len()], &mut Rng(i as u64 + 7)))
        .count();
    assert!(trees > 10, "structure-aware mutations happen ({trees})");
    let report = check("self-test", |_| panic!("boom"), "input").expect_err("a panic fails");
    assert!(
        report.contains("boom") && report.contains("(5 bytes): \"input\""),
        "{report}"
    );
    let report = check("self-test", targets::render, "a: b").err();
    assert_eq!(report, None, "a harmless input passes");
}
