//! The start-up shortcuts of the rule engine against the plain engine: built-in rules are
//! parsed when first needed and rules whose `match` is decided without CEL are skipped, so
//! every built-in rule must still compile and pass the probe, and judging with the gates
//! must give exactly the diagnostics of judging every `match` with CEL.

mod common;

use lbgen::plan::Overrides;
use lbgen::policy::engine::PolicySet;
use lbgen::rule_test::TestFile;
use lbgen::spec::load::Source;

#[test]
fn every_builtin_rule_compiles_and_passes_the_probe() {
    let files = lbgen::policy::load_files(&[]).expect("built-in rule files parse");
    let rules: usize = files.iter().map(|f| f.content.rules.len()).sum();
    let set = PolicySet::compile(&files).unwrap_or_else(|e| panic!("broken built-in rules: {e:?}"));
    assert_eq!(set.len(), rules);
    assert!(rules > 100, "{rules} rules");
}

/// Every spec of the rule test cases, the examples and the bad specs.
fn specs() -> Vec<Source> {
    let root = common::root();
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root.join("policies/tests"))
        .expect("policies/tests")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read");
        let tests: TestFile = serde_saphyr::from_str(&text).expect("a test file");
        for case in tests.cases {
            out.push(Source {
                name: case.name,
                text: case.spec,
            });
        }
    }
    for dir in [
        "examples/huawei",
        "examples/alibaba",
        "examples/tencent",
        "tests/bad_specs",
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.is_file()) {
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push(Source {
                    name: path.display().to_string(),
                    text,
                });
            }
        }
    }
    out
}

#[test]
fn the_gates_change_no_diagnostic() {
    let gated = lbgen::policy::builtin().expect("built-in rules");
    let plain = lbgen::policy::builtin()
        .expect("built-in rules")
        .without_gates();
    let specs = specs();
    assert!(specs.len() > 300, "{} specs", specs.len());
    let mut fired = 0;
    for spec in &specs {
        let one = std::slice::from_ref(spec);
        let a = lbgen::validate(one, &Overrides::default(), &gated);
        let b = lbgen::validate(one, &Overrides::default(), &plain);
        assert_eq!(a, b, "{}", spec.name);
        fired += a.len();
    }
    assert!(fired > 300, "{fired} diagnostics");
}

/// Rule results recalled by what each rule reads of the plan (`policy::memo`) must be the
/// results CEL gives: every spec judged twice by one rule set (the second time from
/// memory), then all of them as one stream, against the plain engine.
#[test]
fn recalled_results_are_what_cel_gives() {
    let fast = lbgen::policy::builtin().expect("built-in rules");
    let plain = lbgen::policy::builtin()
        .expect("built-in rules")
        .without_gates()
        .without_memo();
    let specs = specs();
    let mut fired = 0;
    for spec in &specs {
        let one = std::slice::from_ref(spec);
        let want = lbgen::validate(one, &Overrides::default(), &plain);
        for round in ["first", "recalled"] {
            let got = lbgen::validate(one, &Overrides::default(), &fast);
            same(&got, &want, &format!("{} ({round})", spec.name));
        }
        fired += want.len();
    }
    assert!(fired > 300, "{fired} diagnostics");
    let stream = [Source {
        name: "all.yaml".into(),
        text: specs
            .iter()
            .filter(|s| s.text.contains("lbgen.dev/") && !s.name.contains("bad_specs"))
            .map(|s| s.text.trim_start_matches("---\n").to_string())
            .collect::<Vec<_>>()
            .join("\n---\n"),
    }];
    let want = lbgen::validate(&stream, &Overrides::default(), &plain);
    let got = lbgen::validate(&stream, &Overrides::default(), &fast);
    assert!(want.len() > 300, "{} diagnostics", want.len());
    same(&got, &want, "all specs in one stream");
}

/// Users' rules are recalled the same way: the example rule files over every spec.
#[test]
fn users_rules_are_recalled_as_cel_gives_them() {
    let dirs = [common::root().join("examples/policies")];
    let fast = lbgen::policy::load(&dirs).expect("example rules");
    let plain = lbgen::policy::load(&dirs)
        .expect("example rules")
        .without_gates()
        .without_memo();
    let mut fired = 0;
    for spec in &specs() {
        let one = std::slice::from_ref(spec);
        let want = lbgen::validate(one, &Overrides::default(), &plain);
        for round in ["first", "recalled"] {
            let got = lbgen::validate(one, &Overrides::default(), &fast);
            same(&got, &want, &format!("{} ({round})", spec.name));
        }
        fired += want.iter().filter(|d| d.rule.starts_with("acme/")).count();
    }
    assert!(fired > 50, "{fired} findings of the example rules");
}

/// Fails with the first diagnostic that differs (the lists run to thousands).
fn same(got: &[lbgen::diag::Diagnostic], want: &[lbgen::diag::Diagnostic], what: &str) {
    if let Some(i) = (0..got.len().max(want.len())).find(|&i| got.get(i) != want.get(i)) {
        panic!(
            "{what}: diagnostic {i} differs:\n recalled: {:?}\n CEL:      {:?}",
            got.get(i),
            want.get(i)
        );
    }
}
