//! The bodies of the fuzz targets, one function per input reader. Each takes arbitrary
//! bytes and panics when an invariant breaks: libFuzzer (`fuzz/fuzz_targets/*`) reports
//! the panic as a crash, and the CI smoke run (`tests/fuzz_smoke.rs`, which includes this
//! file) fails. Kept in one file so both run exactly the same checks.
//!
//! Invariants, for every input: no panic, no abort, at most [`TIME_LIMIT`] per input,
//! every error located inside the input; for render also the same bytes on a second run
//! and every emitted object reading back, as YAML, as the same value.

use lbgen::diag::{Diagnostic, Severity};
use lbgen::emit::{self, Format, Object};
use lbgen::live::normalize::{Extent, normalise, strip};
use lbgen::policy::engine::PolicySet;
use lbgen::render::Renderer;
use lbgen::spec::load::{Source, parse_sources};
use lbgen::yaml::node::{Node, NodeValue, parse_stream};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The longest any one input may take (debug builds, instrumented, on a busy machine).
pub const TIME_LIMIT: Duration = Duration::from_secs(5);

/// [`TIME_LIMIT`], or `LBGEN_FUZZ_TIME_LIMIT_SECS` where a niced fuzzer shares its cores
/// and is starved for seconds at a time (pass libFuzzer a larger `-timeout` too).
fn time_limit() -> Duration {
    static LIMIT: OnceLock<Duration> = OnceLock::new();
    *LIMIT.get_or_init(|| {
        std::env::var("LBGEN_FUZZ_TIME_LIMIT_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(TIME_LIMIT, Duration::from_secs)
    })
}

/// The file name every fuzz input is given.
const FILE: &str = "fuzz.yaml";

/// A target body: one input in, a panic when an invariant breaks.
pub type Target = fn(&[u8]);

/// The targets by name, as `fuzz/run` and the smoke run call them.
pub const TARGETS: &[(&str, Target)] = &[
    ("yaml_node", yaml_node),
    ("spec_load", spec_load),
    ("render", render),
    ("krm", krm),
    ("live_snapshot", live_snapshot),
];

fn policies() -> &'static PolicySet {
    static SET: OnceLock<PolicySet> = OnceLock::new();
    SET.get_or_init(|| lbgen::policy::builtin().expect("the built-in policies compile"))
}

fn renderer() -> &'static Renderer {
    static RENDERER: OnceLock<Renderer> = OnceLock::new();
    RENDERER.get_or_init(|| Renderer::new(None))
}

/// Runs `body` and fails when it takes longer than [`time_limit`] twice in a row (one slow
/// run may be a starved thread on a busy machine; a slow input is slow every time).
fn timed(what: &str, input: &str, body: impl Fn()) {
    let run = || {
        let started = Instant::now();
        body();
        started.elapsed()
    };
    let limit = time_limit();
    let took = run();
    if took > limit {
        let again = run();
        assert!(
            again <= limit,
            "{what}: {took:?}, then {again:?} for {} bytes (limit {limit:?})",
            input.len()
        );
    }
}

/// The input as text; the CLI refuses non-UTF-8 before any reader sees it.
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// A reported position must be inside the input (1-based; one past the last line for
/// "unexpected end").
fn assert_inside(input: &str, line: usize, column: usize, what: &str) {
    assert_within(yaml_lines(input), line, column, what);
}

/// Lines as the YAML reader counts them: a lone `\r` ends a line too (YAML 1.2 `b-break`),
/// as the error snippets do (the fixed finding `lone-cr-shifts-locations`).
fn yaml_lines(input: &str) -> usize {
    input.matches('\n').count() + input.matches('\r').count() - input.matches("\r\n").count()
}

/// [`assert_inside`] for an input of `lines` lines.
fn assert_within(lines: usize, line: usize, column: usize, what: &str) {
    let lines = lines.max(1) + 1;
    assert!(
        line >= 1 && line <= lines && column >= 1,
        "{what}: position {line}:{column} outside an input of {lines} lines"
    );
}

/// Every error names where it is, inside the input.
fn assert_located(input: &str, diagnostics: &[Diagnostic]) {
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        let location = d
            .location
            .as_ref()
            .unwrap_or_else(|| panic!("error without a location: {} {}", d.rule, d.message));
        if location.file == FILE {
            assert_inside(input, location.line, location.column, &d.message);
        }
    }
}

/// Walks a parsed tree: every node's span inside the input.
fn walk(lines: usize, node: &Node, depth: usize) {
    assert!(depth <= 200, "a tree deeper than the parser's own limit");
    assert_within(lines, node.span.line(), node.span.column(), "node span");
    match &node.value {
        NodeValue::Map(entries) => {
            for (key, value) in entries {
                walk(lines, key, depth + 1);
                walk(lines, value, depth + 1);
            }
        }
        NodeValue::Seq(items) => {
            for item in items {
                walk(lines, item, depth + 1);
            }
        }
        _ => {}
    }
}

/// The spanned YAML reader (`yaml::node`): a tree or a located syntax error.
pub fn yaml_node(data: &[u8]) {
    let Some(input) = text(data) else { return };
    timed("parse_stream", input, || match parse_stream(input) {
        Ok(docs) => {
            let lines = yaml_lines(input);
            for doc in docs.iter().flatten() {
                walk(lines, doc, 0);
                for path in [
                    "",
                    "metadata.name",
                    "spec.routes.0.backends.1.port",
                    "a.b.c.d",
                ] {
                    let _ = doc.find(path);
                }
                let first_key = match &doc.value {
                    NodeValue::Map(entries) => entries.first().and_then(|(k, _)| k.as_str()),
                    _ => None,
                };
                if let Some(key) = first_key {
                    let _ = (doc.get(key), doc.entry(key), doc.find(key));
                }
                let _ = serde_json::to_string(&doc.to_json()).expect("a tree is JSON");
            }
        }
        Err(e) => assert_inside(input, e.span.line(), e.span.column(), &e.message),
    });
}

/// The spec loader (`spec::load::parse_sources`), with and without `--specs-only`.
pub fn spec_load(data: &[u8]) {
    let Some(input) = text(data) else { return };
    let sources = [Source {
        name: FILE.into(),
        text: input.into(),
    }];
    timed("parse_sources", input, || {
        for specs_only in [false, true] {
            let (_, diagnostics) = parse_sources(&sources, specs_only);
            assert_located(input, &diagnostics);
        }
    });
}

/// What one compilation gives, as bytes to compare.
fn compiled(sources: &[Source]) -> (Result<String, String>, Vec<Object>) {
    let overrides = lbgen::plan::Overrides::default();
    match lbgen::compile(sources, &overrides, policies(), renderer()) {
        Ok(c) => {
            let yaml = emit::to_stream(&c.objects, Format::Yaml).map_err(|e| e.to_string());
            let json = emit::to_stream(&c.objects, Format::Json).map_err(|e| e.to_string());
            let text = yaml.and_then(|y| json.map(|j| format!("{y}\n{j}\n{:?}", c.diagnostics)));
            (text, c.objects)
        }
        Err(diagnostics) => (Err(format!("{diagnostics:?}")), Vec::new()),
    }
}

/// Render (`lbgen::compile` with the built-in policies and templates): deterministic,
/// located errors, and every emitted object reads back as YAML to the same value.
pub fn render(data: &[u8]) {
    let Some(input) = text(data) else { return };
    let sources = [Source {
        name: FILE.into(),
        text: input.into(),
    }];
    timed("compile", input, || {
        let (first, objects) = compiled(&sources);
        let (second, _) = compiled(&sources);
        assert_eq!(first, second, "two renders of one input differ");
        if let Err(text) = &first {
            let overrides = lbgen::plan::Overrides::default();
            if let Err(diagnostics) = lbgen::compile(&sources, &overrides, policies(), renderer()) {
                assert_located(input, &diagnostics);
            } else {
                panic!("emit failed on objects that compiled: {text}");
            }
        }
        for object in &objects {
            let yaml = emit::to_yaml(object).expect("emitted above");
            let back: serde_json::Value = serde_saphyr::from_str(&yaml)
                .unwrap_or_else(|e| panic!("emitted YAML does not parse: {e}\n{yaml}"));
            assert_eq!(
                back, object.0,
                "emitted YAML reads back differently:\n{yaml}"
            );
            let ours = parse_stream(&yaml)
                .unwrap_or_else(|e| panic!("lbgen cannot read its own output: {e:?}\n{yaml}"));
            assert_eq!(ours.len(), 1, "one object, one document:\n{yaml}");
        }
    });
}

/// The KRM function (`lbgen::krm::run`): deterministic, and the ResourceList it returns
/// is YAML that reads back to the same value.
pub fn krm(data: &[u8]) {
    let Some(input) = text(data) else { return };
    timed("krm::run", input, || {
        let once = || match lbgen::krm::run(input, policies(), renderer()) {
            Ok(outcome) => {
                let yaml = serde_saphyr::to_string(&outcome.resource_list)
                    .expect("a ResourceList serialises");
                let back: serde_json::Value = serde_saphyr::from_str(&yaml)
                    .unwrap_or_else(|e| panic!("the ResourceList does not parse: {e}\n{yaml}"));
                assert_eq!(
                    back, outcome.resource_list,
                    "ResourceList reads back differently"
                );
                Ok((yaml, outcome.ok))
            }
            Err(e) => Err(e.to_string()),
        };
        assert_eq!(once(), once(), "two KRM runs of one input differ");
    });
}

/// The objects the snapshot is diffed against: every example, rendered once.
fn rendered_examples() -> &'static [Object] {
    static OBJECTS: OnceLock<Vec<Object>> = OnceLock::new();
    OBJECTS.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = if root.join("examples").is_dir() {
            root.to_path_buf()
        } else {
            root.join("..")
        };
        let mut objects = Vec::new();
        for provider in ["huawei", "alibaba", "tencent"] {
            let dir = root.join("examples").join(provider);
            let mut paths: Vec<_> = std::fs::read_dir(&dir)
                .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
                .unwrap_or_default();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let sources = [Source {
                    name: path.display().to_string(),
                    text,
                }];
                let overrides = lbgen::plan::Overrides::default();
                if let Ok(c) = lbgen::compile(&sources, &overrides, policies(), renderer()) {
                    objects.extend(c.objects);
                }
            }
        }
        objects
    })
}

/// A directory for snapshot inputs, one per thread.
fn snapshot_dir() -> std::path::PathBuf {
    thread_local! {
        static DIR: tempfile::TempDir = tempfile::tempdir().expect("a temporary directory");
    }
    DIR.with(|d| d.path().to_path_buf())
}

/// The live-snapshot reader (`live::read_dir`) and normalisation, then a diff against the
/// rendered examples (the `diff --live-dir` path).
pub fn live_snapshot(data: &[u8]) {
    let Some(input) = text(data) else { return };
    let dir = snapshot_dir();
    std::fs::write(dir.join("live.yaml"), input).expect("write the snapshot");
    timed("live::read_dir", input, || {
        let live = match lbgen::live::read_dir(&dir) {
            Ok(objects) => objects,
            Err(e) => {
                let _ = e.to_string();
                return;
            }
        };
        let ownership = lbgen::provider::annotation_ownership();
        for object in &live {
            let _ = strip(object);
            let _ = normalise(object, None, &ownership, Extent::Owned);
            for extent in [Extent::Owned, Extent::Stored] {
                let _ = normalise(object, Some(object), &ownership, extent);
            }
        }
        let rendered = rendered_examples();
        let options = lbgen::diff::Options {
            context_lines: 3,
            prune: true,
            // The rendered examples have valid identities; a failure here is a finding.
            scopes: lbgen::live::scopes(rendered, &[]).expect("the examples' scopes"),
            rules: lbgen::provider::change_rules(),
            ownership,
            server_side: false,
        };
        let first = lbgen::diff::compare(rendered, &live, &options).map(|r| format!("{r:?}"));
        let second = lbgen::diff::compare(rendered, &live, &options).map(|r| format!("{r:?}"));
        assert_eq!(
            first.map_err(|e| e.to_string()),
            second.map_err(|e| e.to_string()),
            "two diffs of one snapshot differ"
        );
    });
}
