//! `kubectl lbgen diff` of 1,000 live objects (scripts/gen-specs: Services and weighted
//! Ingresses over 50 namespaces) against the loopback fake API server, as a fresh process
//! each time, as CI runs it. Criterion reports the wall time; this file prints the HTTP
//! requests each diff made (one LIST per kind and namespace: 100 here), and the same for
//! one `--server-side` run (plus one dry-run PATCH per object).
//!
//!   cargo bench --bench diff
// The request counts are figures for a person, printed beside criterion's own output.
#![allow(clippy::print_stdout, missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/diff_support/mod.rs"]
mod diff_support;
#[path = "../tests/fake_api/mod.rs"]
mod fake_api;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;
use std::time::{Duration, Instant};

const OBJECTS: usize = 1000;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tmp");
    let generated = std::process::Command::new("python3")
        .arg(common::root().join("scripts/gen-specs"))
        .arg(OBJECTS.to_string())
        .output()
        .expect("scripts/gen-specs runs");
    let specs = String::from_utf8(generated.stdout).expect("UTF-8");
    let spec = diff_support::write(dir.path(), "specs.yaml", &specs);
    // Every tenth object differs in the cluster (a changed annotation), the rest only in
    // what the API server adds.
    let live: Vec<Value> = diff_support::rendered(&specs)
        .into_iter()
        .map(diff_support::as_live)
        .enumerate()
        .map(|(i, mut o)| {
            if i % 10 == 0 {
                diff_support::set_annotation(&mut o, "kubernetes.io/elb.port", "8080");
            }
            o
        })
        .collect();
    assert_eq!(live.len(), OBJECTS);
    let api = fake_api::FakeApi::start(live, Vec::new());
    let run_with = |extra: &[&str]| {
        let out = std::process::Command::new(common::binary())
            .env("HOME", dir.path())
            .env_remove("KUBECONFIG")
            .env_remove("KUBECTL_EXTERNAL_DIFF")
            .args(["diff", "-o", "json", "-f"])
            .arg(&spec)
            .args(["--server", &api.url])
            .args(extra)
            .output()
            .expect("run");
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout.len()
    };
    let run = || run_with(&[]);
    for (label, extra) in [
        ("client-side", &[][..]),
        ("--server-side", &["--server-side"][..]),
    ] {
        let before = api.requests().len();
        let start = Instant::now();
        let bytes = run_with(extra);
        let wall = start.elapsed();
        let requests = api.requests()[before..].to_vec();
        let gets = requests.iter().filter(|r| r.method == "GET").count();
        println!(
            "diff ({label}) of {OBJECTS} live objects: {:.3}s wall (one cold run), {} HTTP requests ({gets} GET/LIST, {} dry-run PATCH), {bytes} bytes of JSON report",
            wall.as_secs_f64(),
            requests.len(),
            requests.len() - gets,
        );
    }
    let mut group = c.benchmark_group("diff");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("1000 live objects, process", |b| b.iter(run));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
