//! Cluster faults end as exit 3 with one clear line, never a hang or a panic: connection
//! refused, timeout, 401, 403, 404 on a kind, 500 and a truncated body.

mod common;
mod diff_support;
mod fake_api;

use diff_support::*;
use fake_api::{FakeApi, Fault, refused_url, truncating_server};
use std::time::Duration;

/// Runs diff against `server` and checks the fault ends as exit 3 with one line naming it.
fn assert_fault(server: &str, extra: &[&str], expected: &str) {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(
        dir.path(),
        "spec.yaml",
        &format!("{SERVICE_SPEC}---\n{INGRESS_SPEC}"),
    );
    let out = diff(&spec, server, extra).output().expect("run");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("cannot list"), "{stderr}");
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in: {stderr}"
    );
    assert!(out.stdout.is_empty(), "no partial diff");
}

#[test]
fn connection_refused_exits_3() {
    assert_fault(&refused_url(), &[], "connection refused");
}

#[test]
fn slow_server_times_out_with_exit_3() {
    let api = FakeApi::start(Vec::new(), vec![Fault::Delay(Duration::from_secs(30))]);
    assert_fault(&api.url, &["--request-timeout", "1s"], "timed out");
}

#[test]
fn unauthorized_exits_3() {
    let api = FakeApi::start(
        Vec::new(),
        vec![Fault::Status {
            resource: "*",
            code: 401,
        }],
    );
    assert_fault(&api.url, &[], "unauthorized (401)");
}

#[test]
fn forbidden_exits_3() {
    let api = FakeApi::start(
        Vec::new(),
        vec![Fault::Status {
            resource: "*",
            code: 403,
        }],
    );
    assert_fault(&api.url, &[], "forbidden (403)");
}

#[test]
fn unknown_kind_exits_3() {
    let api = FakeApi::start(
        Vec::new(),
        vec![Fault::Status {
            resource: "ingresses",
            code: 404,
        }],
    );
    assert_fault(
        &api.url,
        &[],
        "ingresses (networking.k8s.io/v1) in namespace \"shop\"",
    );
    assert_fault(&api.url, &[], "not found (404)");
}

#[test]
fn server_error_exits_3() {
    let api = FakeApi::start(
        Vec::new(),
        vec![Fault::Status {
            resource: "*",
            code: 500,
        }],
    );
    assert_fault(&api.url, &[], "the server answered 500");
}

#[test]
fn truncated_body_exits_3() {
    assert_fault(
        &truncating_server(4),
        &[],
        "closed before the whole answer arrived",
    );
}

#[test]
fn unreadable_kubeconfig_exits_3_with_one_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(dir.path(), "spec.yaml", SERVICE_SPEC);
    let config = write(
        dir.path(),
        "kubeconfig",
        "apiVersion: v1\nclusters: [\n  bad\n",
    );
    let out = assert_cmd::Command::new(common::binary())
        .env("HOME", dir.path())
        .env("KUBECONFIG", &config)
        .args(["diff", "-f"])
        .arg(&spec)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: cannot load the kubeconfig"),
        "{stderr}"
    );
}
