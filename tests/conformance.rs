//! The conformance corpus: examples quoted from the providers' own documents, each with the
//! spec that must reproduce it. This is the independent oracle for annotation values (the
//! golden snapshots only guard against regressions of lbgen's own output).
//!
//! A case is one file `tests/conformance/<provider>/<case>.yaml`, a YAML stream of:
//! 1. the case header (`kind: ConformanceCase`): `source` (URL or seed and section,
//!    required), optional `follows` (which source the case follows where two disagree, and
//!    why), `extra` (annotations lbgen writes that the example lacks, each with its reason),
//!    `ignore` (annotations of the example lbgen does not write, each with its reason),
//!    `rename` (expected object name -> rendered name, for names lbgen derives) and
//!    `compare` (more JSON pointers to compare, beyond the defaults below);
//! 2. the `lbgen.dev/v1alpha1` spec, plus any passed-through document it needs, marked
//!    with a leading `# input` comment line;
//! 3. the manifests as the page prints them, one document each.
//!
//! Each expected object is matched to the rendered object of the same kind and name. Its
//! annotations are compared one by one, JSON-valued ones by value and JSON type (a JSON
//! string `"5"` is not the number `5`); every rendered annotation must be in the example or
//! in `extra`. Beyond annotations the defaults compare `spec.type`,
//! `spec.externalTrafficPolicy` and `spec.loadBalancerClass` of a Service,
//! `spec.ingressClassName` of an Ingress and the whole `spec` of every other kind, each only
//! where the example sets it.

mod common;

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The fewest published examples each provider's corpus must hold.
const MIN_CASES_PER_PROVIDER: usize = 15;

#[derive(Debug)]
struct Case {
    path: PathBuf,
    header: Map<String, Value>,
    spec_documents: String,
    expected: Vec<Value>,
}

fn cases(provider: &str) -> Vec<Case> {
    let dir = common::root().join("tests/conformance").join(provider);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths.iter().map(|p| read_case(p)).collect()
}

/// Splits a case file into its header, the spec documents (kept as text, so the loader
/// sees them as a user would write them) and the expected manifests.
fn read_case(path: &Path) -> Case {
    let text = std::fs::read_to_string(path).expect("case file");
    let documents = split_documents(&text);
    let mut header = None;
    let mut spec_documents = Vec::new();
    let mut expected = Vec::new();
    for document in documents {
        let value: Value = serde_saphyr::from_str(&document)
            .unwrap_or_else(|e| panic!("{}: a document does not parse: {e}", path.display()));
        if value.is_null() {
            continue;
        }
        let kind = value["kind"].as_str().unwrap_or_default();
        if kind == "ConformanceCase" && header.is_none() {
            header = value.as_object().cloned();
        } else if value["apiVersion"] == "lbgen.dev/v1alpha1" || is_marked_input(&document) {
            spec_documents.push(document);
        } else {
            expected.push(value);
        }
    }
    let header = header.unwrap_or_else(|| panic!("{}: no ConformanceCase header", path.display()));
    assert!(
        header
            .get("source")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty()),
        "{}: the header must name its `source`",
        path.display()
    );
    assert!(!spec_documents.is_empty(), "{}: no spec", path.display());
    assert!(
        !expected.is_empty(),
        "{}: no expected manifest",
        path.display()
    );
    Case {
        path: path.to_path_buf(),
        header,
        spec_documents: spec_documents.join("---\n"),
        expected,
    }
}

/// A document other than a spec is an expected manifest, unless a leading comment line
/// says `# input`: a passed-through object the spec needs (a workload to patch, say).
fn is_marked_input(document: &str) -> bool {
    document
        .lines()
        .take_while(|l| l.starts_with('#') || l.trim().is_empty())
        .any(|l| l.trim() == "# input")
}

fn split_documents(text: &str) -> Vec<String> {
    let mut documents = vec![String::new()];
    for line in text.lines() {
        if line.trim_end() == "---" {
            documents.push(String::new());
        } else {
            let current = documents.last_mut().expect("one document");
            current.push_str(line);
            current.push('\n');
        }
    }
    documents
}

/// A JSON-valued annotation parsed, so key order and spacing do not count; any other
/// value stays the string it is.
fn annotation_value(value: &Value) -> Value {
    match value
        .as_str()
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
    {
        Some(parsed) if parsed.is_array() || parsed.is_object() => parsed,
        _ => value.clone(),
    }
}

fn string_map(header: &Map<String, Value>, field: &str) -> BTreeMap<String, String> {
    header
        .get(field)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn default_pointers(kind: &str) -> Vec<String> {
    match kind {
        "Service" => vec![
            "/spec/type",
            "/spec/externalTrafficPolicy",
            "/spec/loadBalancerClass",
        ],
        "Ingress" => vec!["/spec/ingressClassName"],
        _ => vec!["/spec"],
    }
    .into_iter()
    .map(String::from)
    .collect()
}

/// Every difference between one case's rendering and its document, as readable lines.
fn check(case: &Case) -> Vec<String> {
    let name = case.path.display().to_string();
    let rendered = match common::compile_sources(&[(name.as_str(), case.spec_documents.as_str())]) {
        Ok((stream, _warnings)) => common::objects(&stream),
        Err(diagnostics) => {
            return vec![format!(
                "{name}: the spec does not render: {diagnostics:#?}"
            )];
        }
    };
    let extra = string_map(&case.header, "extra");
    let ignore = string_map(&case.header, "ignore");
    let rename = string_map(&case.header, "rename");
    let mut more_pointers: Vec<String> = case
        .header
        .get("compare")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    more_pointers.sort();
    let mut problems = Vec::new();
    for expected in &case.expected {
        let kind = expected["kind"].as_str().unwrap_or_default();
        let expected_name = expected["metadata"]["name"].as_str().unwrap_or_default();
        let wanted = rename
            .get(expected_name)
            .map_or(expected_name, String::as_str);
        let Some(ours) = rendered
            .iter()
            .find(|o| o["kind"] == kind && o["metadata"]["name"] == wanted)
        else {
            problems.push(format!("{name}: no rendered {kind} `{wanted}`"));
            continue;
        };
        let theirs_annotations = expected["metadata"]["annotations"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        let ours_annotations = ours["metadata"]["annotations"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        for (key, value) in &theirs_annotations {
            if ignore.contains_key(key) {
                continue;
            }
            match ours_annotations.get(key) {
                None => problems.push(format!("{name}: {kind} {wanted}: annotation `{key}` is missing (the page has {value})")),
                Some(got) if annotation_value(got) != annotation_value(value) => problems.push(format!(
                    "{name}: {kind} {wanted}: annotation `{key}`: the page has {value}, lbgen wrote {got}"
                )),
                Some(_) => {}
            }
        }
        for key in ours_annotations.keys() {
            if !theirs_annotations.contains_key(key) && !extra.contains_key(key) {
                problems.push(format!(
                    "{name}: {kind} {wanted}: lbgen writes annotation `{key}`, which the page's example lacks (list it under `extra` with the reason if that is right)"
                ));
            }
        }
        for pointer in default_pointers(kind).iter().chain(&more_pointers) {
            let Some(theirs) = expected.pointer(pointer) else {
                continue;
            };
            let got = ours.pointer(pointer);
            if got != Some(theirs) {
                problems.push(format!(
                    "{name}: {kind} {wanted}: `{pointer}`: the page has {theirs}, lbgen wrote {}",
                    got.map_or("nothing".to_string(), Value::to_string)
                ));
            }
        }
    }
    for (key, reason) in extra.iter().chain(&ignore) {
        if reason.trim().is_empty() {
            problems.push(format!(
                "{name}: `{key}` is listed under extra/ignore without a reason"
            ));
        }
    }
    problems
}

fn run_provider(provider: &str) {
    let cases = cases(provider);
    let problems: Vec<String> = cases.iter().flat_map(check).collect();
    assert!(
        problems.is_empty(),
        "{} conformance problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        cases.len() >= MIN_CASES_PER_PROVIDER,
        "{provider}: {} conformance cases, at least {MIN_CASES_PER_PROVIDER} wanted",
        cases.len()
    );
}

#[test]
fn huawei_documented_examples_reproduce() {
    run_provider("huawei");
}

#[test]
fn alibaba_documented_examples_reproduce() {
    run_provider("alibaba");
}

#[test]
fn tencent_documented_examples_reproduce() {
    run_provider("tencent");
}

/// The harness itself must be able to fail: a wrong value, a missing and an unlisted
/// annotation are each reported.
#[test]
fn the_harness_reports_every_kind_of_difference() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("case.yaml");
    std::fs::write(
        &path,
        "kind: ConformanceCase\nsource: test\n---\n\
         apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: web}\n\
         spec:\n  provider: huawei\n  exposure: service\n  loadBalancer: {id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0}\n  \
         selector: {app: web}\n  ports: [{port: 80}]\n  algorithm: least-connections\n---\n\
         apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    \
         kubernetes.io/elb.lb-algorithm: ROUND_ROBIN\n    kubernetes.io/elb.pass-through: 'true'\n",
    )
    .expect("write");
    let problems = check(&read_case(&path));
    let text = problems.join("\n");
    assert!(
        text.contains("`kubernetes.io/elb.lb-algorithm`: the page has"),
        "{text}"
    );
    assert!(
        text.contains("`kubernetes.io/elb.pass-through` is missing"),
        "{text}"
    );
    assert!(
        text.contains("lbgen writes annotation `kubernetes.io/elb.id`"),
        "{text}"
    );
}
