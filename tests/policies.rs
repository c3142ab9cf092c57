//! User policies end to end: `validate` (text, JSON, SARIF), `--policy-dir` on render,
//! broken rule files, the rule test harness, the generated JSON Schema and `explain`.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::collections::BTreeSet;

fn lbgen() -> Command {
    let mut cmd = Command::new(common::binary());
    cmd.current_dir(common::root()).env("NO_COLOR", "1");
    cmd
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("JSON on stdout")
}

#[test]
fn builtin_rules_pass_their_own_test_cases() {
    lbgen()
        .args(["validate", "--test", "policies/tests"])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"(?m)^\d+ passed, 0 failed$").expect("regex"));
}

/// The YAML file at `path` (relative to the repository) as JSON.
fn yaml_file(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(common::root().join(path)).expect("read");
    serde_saphyr::from_str(&text).expect("yaml")
}

/// The strings under `key` of every entry of the list `list` in each of `files`.
fn ids(files: &[&str], list: &str, key: &str) -> BTreeSet<String> {
    files
        .iter()
        .flat_map(|f| yaml_file(f)[list].as_array().cloned().expect("list"))
        .flat_map(|entry| match &entry[key] {
            serde_json::Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        })
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// The common rule file and every registered provider's.
fn rule_file_stems() -> Vec<&'static str> {
    let mut stems = vec!["common"];
    stems.extend(lbgen::provider::Registry::builtin().ids());
    stems
}

#[test]
fn every_builtin_rule_has_a_failing_and_a_passing_case() {
    let stems = rule_file_stems();
    let rules: Vec<String> = stems.iter().map(|p| format!("policies/{p}.yaml")).collect();
    let tests: Vec<String> = stems
        .iter()
        .map(|p| format!("policies/tests/{p}.yaml"))
        .collect();
    let rules: Vec<&str> = rules.iter().map(String::as_str).collect();
    let tests: Vec<&str> = tests.iter().map(String::as_str).collect();
    let rule_ids = ids(&rules, "rules", "id");
    let expect = ids(&tests, "cases", "expect");
    let pass = ids(&tests, "cases", "pass");
    let no_failing: Vec<_> = rule_ids.difference(&expect).collect();
    let no_passing: Vec<_> = rule_ids.difference(&pass).collect();
    assert!(
        no_failing.is_empty(),
        "rules without a failing case: {no_failing:?}"
    );
    assert!(
        no_passing.is_empty(),
        "rules without a passing case: {no_passing:?}"
    );
    assert!(rule_ids.len() >= 110);
}

#[test]
fn a_wrong_expectation_fails_the_harness() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("t.yaml"),
        "cases:\n  - name: clean spec\n    expect: [huawei/session-timeout-range]\n    spec: |\n      apiVersion: lbgen.dev/v1alpha1\n      kind: LoadBalancer\n      metadata: {name: a}\n      spec: {provider: huawei, exposure: service, selector: {a: b}, ports: [{port: 80}]}\n",
    )
    .expect("write");
    lbgen()
        .args(["validate", "--test"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("FAIL")
                .and(predicate::str::contains(
                    "expected to fire: huawei/session-timeout-range",
                ))
                .and(predicate::str::contains("0 passed, 1 failed")),
        );
}

#[test]
fn user_rules_judge_specs_beside_the_builtin_ones() {
    let out = lbgen()
        .args([
            "validate",
            "-f",
            "examples/huawei",
            "--policy-dir",
            "examples/policies",
            "-o",
            "json",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let report = json(&out.stdout);
    let records = report["diagnostics"].as_array().expect("diagnostics");
    let team = records
        .iter()
        .find(|r| r["rule"] == "acme/team-label")
        .expect("user rule fired");
    for key in [
        "rule", "severity", "message", "file", "line", "column", "field", "provider",
    ] {
        assert!(team.get(key).is_some(), "{key} in the JSON schema");
    }
    assert_eq!(team["severity"], "error");
    assert!(team["line"].as_u64().expect("line") > 0);
    assert!(report["summary"]["errors"].as_u64().expect("errors") >= 1);
    // render refuses to emit on a user rule's error
    lbgen()
        .args([
            "render",
            "-f",
            "examples/huawei/service-existing-lb.yaml",
            "--policy-dir",
            "examples/policies",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("acme/team-label"));
}

#[test]
fn warnings_pass_unless_they_count_as_errors() {
    lbgen()
        .args(["validate", "-f", "examples/huawei/service-existing-lb.yaml"])
        .assert()
        .success();
    lbgen()
        .args([
            "validate",
            "-f",
            "examples/huawei/service-existing-lb.yaml",
            "--warnings-as-errors",
        ])
        .assert()
        .code(2);
}

#[test]
fn a_broken_rule_file_is_reported_at_its_own_locations() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("bad.yaml"),
        "rules:\n  - id: x/non-bool\n    severity: error\n    expression: \"lb.name\"\n    message: m\n  - id: x/typo\n    severity: error\n    expression: \"lb.stickness == null\"\n    message: m\n  - id: x/syntax\n    severity: error\n    expression: \"lb.name ==== 'a'\"\n    message: m\n  - id: x/variable\n    severity: error\n    expression: \"spec.name == 'a'\"\n    message: m\n",
    )
    .expect("write");
    let file = dir.path().join("bad.yaml").display().to_string();
    lbgen()
        .args(["validate", "-f", "examples/huawei", "--policy-dir"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains(format!("{file}:4:17"))
                .and(predicate::str::contains("must give true or false"))
                .and(predicate::str::contains(format!("{file}:8:17")))
                .and(predicate::str::contains("stickness"))
                .and(predicate::str::contains(format!("{file}:12:17")))
                .and(predicate::str::contains(format!("{file}:16:17")))
                .and(predicate::str::contains("unknown variable `spec`")),
        );
    std::fs::write(
        dir.path().join("bad.yaml"),
        "rules:\n  - id: x\n    severty: error\n",
    )
    .expect("write");
    lbgen()
        .args(["validate", "-f", "examples/huawei", "--policy-dir"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(format!("{file}:3:5"))
                .and(predicate::str::contains("unknown field `severty`")),
        );
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let out = lbgen()
        .args([
            "validate",
            "-f",
            "examples/huawei",
            "--policy-dir",
            "examples/policies",
            "-o",
            "sarif",
        ])
        .output()
        .expect("run");
    let log = json(&out.stdout);
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "acme/team-label" && r["level"] == "error")
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("out.sarif.json");
    std::fs::write(&file, &out.stdout).expect("write");
    common::check_jsonschema(
        &common::root().join("tests/fixtures/sarif-2.1.0.json"),
        &[file],
    );
}

#[test]
fn every_example_validates_against_the_generated_schemas() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (args, name) in [
        (vec!["schema"], "spec.json"),
        (vec!["schema", "--policy"], "policy.json"),
    ] {
        let out = lbgen().args(&args).output().expect("schema");
        assert!(out.status.success());
        std::fs::write(dir.path().join(name), &out.stdout).expect("write");
    }
    let list = |d: &str| -> Vec<std::path::PathBuf> {
        let mut v: Vec<_> = std::fs::read_dir(common::root().join(d))
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        v.sort();
        v
    };
    let mut examples = list("examples/huawei");
    examples.extend(list("examples/alibaba"));
    examples.extend(list("examples/tencent"));
    assert!(examples.len() >= 22);
    // check-jsonschema reads one document a file: every spec document of a stream (an
    // example may carry the workload it patches) becomes a file of its own.
    let mut specs = Vec::new();
    for example in &examples {
        let text = std::fs::read_to_string(example).expect("example");
        let values: Vec<serde_json::Value> = serde_saphyr::from_multiple(&text).expect("YAML");
        for (i, value) in values.iter().enumerate() {
            if value["apiVersion"] == "lbgen.dev/v1alpha1" {
                let stem = example.file_stem().expect("stem").to_string_lossy();
                let one = dir.path().join(format!("{stem}-{i}.json"));
                std::fs::write(&one, value.to_string()).expect("write");
                specs.push(one);
            }
        }
    }
    assert!(specs.len() >= examples.len());
    common::check_jsonschema(&dir.path().join("spec.json"), &specs);
    let mut rules = list("examples/policies");
    rules.extend(list("policies"));
    common::check_jsonschema(&dir.path().join("policy.json"), &rules);
    // the schema can fail: a misspelt field is refused
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: a}\nspec: {exposure: service, algoritm: x}\n").expect("write");
    let out = std::process::Command::new("check-jsonschema")
        .arg("--schemafile")
        .arg(dir.path().join("spec.json"))
        .arg(&bad)
        .output()
        .expect("check-jsonschema");
    assert!(!out.status.success());
}

#[test]
fn explain_uses_the_schema_rules_and_provider_table() {
    lbgen()
        .args(["explain", "spec.stickiness.timeout", "--provider", "huawei"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("How long a client stays on its backend")
                .and(predicate::str::contains("huawei/session-timeout-range"))
                .and(predicate::str::contains(
                    "kubernetes.io/elb.session-affinity-option",
                )),
        );
    lbgen()
        .args(["explain", "spec.nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no field `spec.nope`"));
    lbgen()
        .args(["explain", "spec.algorithm"])
        .assert()
        .success()
        .stdout(predicate::str::contains("least-connections"));
}
