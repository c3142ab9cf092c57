//! `kubectl lbgen diff` against a loopback fake API server: what it reads (only GET/LIST,
//! one LIST per kind and namespace, never a Secret), what it reports, kubeconfig loading,
//! KUBECTL_EXTERNAL_DIFF and colour.

mod common;
mod diff_support;
mod fake_api;

use assert_cmd::Command;
use diff_support::*;
use fake_api::{FakeApi, refused_url};
use serde_json::{Value, json};
use std::time::Duration;
#[test]
fn unchanged_objects_exit_0_after_one_list_per_kind_and_namespace() {
    let dir = tempfile::tempdir().expect("tmp");
    let ingress =
        std::fs::read_to_string(common::root().join("examples/huawei/ingress-weighted.yaml"))
            .expect("example");
    let specs = format!(
        "{SERVICE_SPEC}---\n{ingress}---\napiVersion: v1\nkind: Secret\nmetadata: {{name: tls, namespace: web}}\nstringData: {{qcloud_cert_id: abc}}\n"
    );
    let spec = write(dir.path(), "spec.yaml", &specs);
    let mut live: Vec<Value> = rendered(SERVICE_SPEC).into_iter().map(as_live).collect();
    // Same meaning, other key order and spacing: never a difference.
    set_annotation(
        &mut live[0],
        "kubernetes.io/elb.health-check-option",
        r#"{ "timeout": "10", "protocol": "HTTP", "path": "/healthz", "max_retries": "3", "delay": "5" }"#,
    );
    live.extend(rendered(&ingress).into_iter().map(as_live));
    let api = FakeApi::start(live, Vec::new());
    let out = diff(&spec, &api.url, &[]).output().expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout_of(&out),
        stderr_of(&out)
    );
    let stdout = stdout_of(&out);
    assert!(stdout.contains("= Service web/shop: unchanged"), "{stdout}");
    assert!(
        stdout.contains("= Ingress shop/cafe: unchanged"),
        "{stdout}"
    );
    assert!(
        stdout.contains("? Secret web/tls: not compared"),
        "{stdout}"
    );
    assert_read_only(&api);
    let mut paths: Vec<String> = api.requests().into_iter().map(|r| r.path).collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/api/v1/namespaces/web/services",
            "/apis/networking.k8s.io/v1/namespaces/shop/ingresses"
        ]
    );
}

#[test]
fn changed_weight_exits_1_and_names_the_field() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(
        dir.path(),
        "spec.yaml",
        &std::fs::read_to_string(common::root().join("examples/huawei/ingress-weighted.yaml"))
            .expect("example"),
    );
    let mut live: Vec<Value> = rendered(&std::fs::read_to_string(&spec).expect("spec"))
        .into_iter()
        .map(as_live)
        .collect();
    let key = "kubernetes.io/elb.actions.cafe-r0";
    let action = live[0]["metadata"]["annotations"][key]
        .as_str()
        .expect("action")
        .replace("\"weight\":80", "\"weight\":70")
        .replace("\"weight\":20", "\"weight\":30");
    set_annotation(&mut live[0], key, &action);
    let api = FakeApi::start(live, Vec::new());
    let out = diff(&spec, &api.url, &[]).output().expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let stdout = stdout_of(&out);
    assert!(stdout.contains("~ Ingress shop/cafe: changed"), "{stdout}");
    assert!(
        stdout.contains("elb.actions.cafe-r0[0].forwardConfig[0].weight: 70 -> 80"),
        "{stdout}"
    );
    assert!(
        stdout.contains("elb.actions.cafe-r0[0].forwardConfig[1].weight: 30 -> 20"),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "NO_COLOR is set: {stdout}");
    assert_read_only(&api);
}

#[test]
fn immutable_change_is_warned_in_text_and_json() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(dir.path(), "spec.yaml", SERVICE_SPEC);
    let mut live: Vec<Value> = rendered(SERVICE_SPEC).into_iter().map(as_live).collect();
    set_annotation(&mut live[0], "kubernetes.io/elb.class", "performance");
    live[0]["spec"]["externalTrafficPolicy"] = json!("Local");
    let api = FakeApi::start(live, Vec::new());
    let out = diff(&spec, &api.url, &[]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = stdout_of(&out);
    assert!(
        stdout.contains("~ Service web/shop: changed, 1 warning"),
        "{stdout}"
    );
    assert!(
        stdout.contains("warning: kubernetes.io/elb.class (not applied in place)"),
        "{stdout}"
    );
    let out = diff(&spec, &api.url, &["-o", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["summary"]["changed"], 1);
    let warning = &report["objects"][0]["warnings"][0];
    assert_eq!(warning["field"], "kubernetes.io/elb.class");
    assert_eq!(warning["impact"], "not-in-place");
    assert_eq!(warning["provider"], "huawei");
}

#[test]
fn prune_reports_managed_leftovers_only_when_asked() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(dir.path(), "spec.yaml", SERVICE_SPEC);
    let mut live: Vec<Value> = rendered(SERVICE_SPEC).into_iter().map(as_live).collect();
    let mut old = live[0].clone();
    old["metadata"]["name"] = json!("old-shop");
    let mut foreign = live[0].clone();
    foreign["metadata"]["name"] = json!("not-ours");
    foreign["metadata"]["labels"] = json!({"app": "other"});
    live.extend([old, foreign]);
    let api = FakeApi::start(live, Vec::new());
    let out = diff(&spec, &api.url, &[]).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stdout_of(&out));
    assert!(!stdout_of(&out).contains("old-shop"));
    let out = diff(&spec, &api.url, &["--prune"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = stdout_of(&out);
    assert!(
        stdout.contains("- Service web/old-shop: would be removed (--prune)"),
        "{stdout}"
    );
    assert!(!stdout.contains("not-ours"), "{stdout}");
    assert!(
        !stdout.contains("clusterIP"),
        "assigned fields are not shown: {stdout}"
    );
    // A removal takes a load balancer away: it fails even `--fail-on recreate`.
    let out = diff(
        &spec,
        &api.url,
        &["--prune", "--fail-on", "recreate", "-o", "json"],
    )
    .output()
    .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let classes: Vec<&str> = report["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .filter_map(|o| o["class"].as_str())
        .collect();
    assert_eq!(classes, ["removes"], "the unchanged Service has no class");
}

#[test]
fn missing_object_is_added() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(dir.path(), "spec.yaml", SERVICE_SPEC);
    let api = FakeApi::start(Vec::new(), Vec::new());
    let out = diff(&spec, &api.url, &[]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = stdout_of(&out);
    assert!(stdout.contains("+ Service web/shop: added"), "{stdout}");
    assert!(stdout.contains("+kind: Service"), "{stdout}");
}

#[test]
fn kubeconfig_context_namespace_and_credentials_are_used() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec_text = SERVICE_SPEC.replace(", namespace: web", "");
    let spec = write(dir.path(), "spec.yaml", &spec_text);
    let api = FakeApi::start(Vec::new(), Vec::new());
    let kubeconfig = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: broken\nclusters:\n- name: fake\n  cluster: {{server: '{}'}}\n- name: gone\n  cluster: {{server: '{}'}}\nusers:\n- name: dev\n  user: {{token: t0ken}}\ncontexts:\n- name: fake\n  context: {{cluster: fake, user: dev, namespace: team-a}}\n- name: broken\n  context: {{cluster: gone, user: dev}}\n",
        api.url,
        refused_url()
    );
    let config = write(dir.path(), "kubeconfig", &kubeconfig);
    let run = |args: &[&str], via_env: bool| {
        let mut cmd = Command::new(common::binary());
        cmd.env("HOME", dir.path())
            .env_remove("KUBECONFIG")
            .env("NO_COLOR", "1");
        cmd.args(["diff", "-f"])
            .arg(&spec)
            .args(args)
            .timeout(Duration::from_secs(60));
        if via_env {
            cmd.env("KUBECONFIG", &config);
        } else {
            cmd.arg("--kubeconfig").arg(&config);
        }
        cmd.output().expect("run")
    };
    // The current context points at a closed port.
    assert_eq!(run(&[], true).status.code(), Some(3));
    let out = run(&["--context", "fake"], true);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("+ Service team-a/shop: added"));
    let out = run(&["--context", "fake", "-n", "web"], false);
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let requests = api.requests();
    assert_eq!(requests[0].path, "/api/v1/namespaces/team-a/services");
    assert_eq!(requests[1].path, "/api/v1/namespaces/web/services");
    assert!(
        requests
            .iter()
            .all(|r| r.authorization.as_deref() == Some("Bearer t0ken"))
    );
}

#[test]
fn external_diff_program_gets_kubectl_style_directories() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(dir.path(), "spec.yaml", SERVICE_SPEC);
    let mut live: Vec<Value> = rendered(SERVICE_SPEC).into_iter().map(as_live).collect();
    set_annotation(&mut live[0], "kubernetes.io/elb.class", "performance");
    let api = FakeApi::start(live, Vec::new());
    let out = diff(&spec, &api.url, &[])
        .env("KUBECTL_EXTERNAL_DIFF", "diff -u -N")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let stdout = stdout_of(&out);
    assert!(stdout.contains("/v1.Service.web.shop"), "{stdout}");
    assert!(
        stdout.contains("-    kubernetes.io/elb.class: performance"),
        "{stdout}"
    );
    assert!(
        stdout.contains("+    kubernetes.io/elb.class: union"),
        "{stdout}"
    );
    assert!(!stdout.contains("clusterIP"), "normalised: {stdout}");
    assert!(stderr_of(&out).contains("warning: Service web/shop: kubernetes.io/elb.class"));
    // An argument kubectl would refuse is dropped, as kubectl drops it.
    let out = diff(&spec, &api.url, &[])
        .env("KUBECTL_EXTERNAL_DIFF", "diff -q --label=/etc/x")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    assert!(stdout_of(&out).contains("differ"), "{}", stdout_of(&out));
}

#[test]
fn colour_follows_the_terminal_rules() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(dir.path(), "spec.yaml", SERVICE_SPEC);
    let api = FakeApi::start(Vec::new(), Vec::new());
    let out = diff(&spec, &api.url, &[])
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("run");
    assert!(
        stdout_of(&out).contains("\u{1b}[32m+kind: Service"),
        "{}",
        stdout_of(&out)
    );
    let out = diff(&spec, &api.url, &[])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("run");
    assert!(!stdout_of(&out).contains('\u{1b}'), "NO_COLOR wins");
}

#[test]
fn server_side_dry_run_never_persists_and_compares_what_would_be_stored() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(
        dir.path(),
        "spec.yaml",
        &format!("{SERVICE_SPEC}---\n{INGRESS_SPEC}"),
    );
    let mut live: Vec<Value> = rendered(SERVICE_SPEC).into_iter().map(as_live).collect();
    set_annotation(
        &mut live[0],
        "kubernetes.io/elb.health-check-option",
        r#"{"timeout":"10","protocol":"HTTP","path":"/healthz","max_retries":"3","delay":"5"}"#,
    );
    let api = FakeApi::start(live, Vec::new());
    let out = diff(&spec, &api.url, &["--server-side"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let stdout = stdout_of(&out);
    assert!(stdout.contains("= Service web/shop: unchanged"), "{stdout}");
    assert!(stdout.contains("+ Ingress shop/cafe: added"), "{stdout}");
    assert!(
        !stdout.contains("uid:"),
        "bookkeeping is stripped: {stdout}"
    );
    let requests = api.requests();
    let patches: Vec<_> = requests.iter().filter(|r| r.method != "GET").collect();
    assert_eq!(patches.len(), 2, "{requests:?}");
    for p in patches {
        assert_eq!(p.method, "PATCH");
        assert!(p.query.split('&').any(|q| q == "dryRun=All"), "{p:?}");
        assert!(
            p.query
                .split('&')
                .any(|q| q == "fieldManager=kubectl-lbgen"),
            "{p:?}"
        );
    }
    assert!(requests.iter().all(|r| !r.path.contains("secrets")));
}
