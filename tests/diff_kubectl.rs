//! The fake API server is real enough for real kubectl, and a `kubectl get -o yaml` dump
//! of it diffs (`--live-dir`) exactly as the cluster itself does.

mod common;
mod fake_api;

use assert_cmd::Command;
use fake_api::FakeApi;
use serde_json::{Value, json};
use std::time::Duration;

const SPEC: &str = "\
apiVersion: lbgen.dev/v1alpha1
kind: LoadBalancer
metadata: {name: shop, namespace: web}
spec:
  provider: huawei
  exposure: service
  selector: {app: shop}
  ports: [{port: 80, targetPort: 8080}]
  stickiness: {mode: source-ip, timeout: 30m}
";

/// The rendered Service as the API server holds it, JSON annotation keys reordered.
fn live_service() -> Value {
    let (yaml, _) = common::compile(SPEC).expect("spec compiles");
    let mut service = lbgen::yaml::node::parse_stream(&yaml)
        .expect("YAML")
        .into_iter()
        .flatten()
        .next()
        .expect("one object")
        .to_json();
    service["metadata"]["uid"] = json!("0b7e6f0c-95b5-4d83-8c3a-2f1d2c3b4a59");
    service["metadata"]["resourceVersion"] = json!("48100");
    service["metadata"]["creationTimestamp"] = json!("2026-11-20T08:00:00Z");
    service["metadata"]["annotations"]["kubernetes.io/elb.autocreate"] =
        json!("{\"type\": \"inner\"}");
    service["spec"]["clusterIP"] = json!("10.247.3.4");
    service["spec"]["ports"][0]["nodePort"] = json!(30080);
    service["status"] = json!({"loadBalancer": {}});
    service
}

#[test]
fn kubectl_reads_the_fake_and_its_dump_diffs_like_the_cluster() {
    let dir = tempfile::tempdir().expect("tmp");
    let api = FakeApi::start(vec![live_service()], Vec::new());
    let kubeconfig = dir.path().join("empty-kubeconfig");
    std::fs::write(&kubeconfig, "").expect("write");
    let out = std::process::Command::new("kubectl")
        .env("HOME", dir.path())
        .env("KUBECONFIG", &kubeconfig)
        .args(["--server", &api.url, "--cache-dir"])
        .arg(dir.path().join("cache"))
        .args(["get", "svc", "-A", "-o", "yaml", "--request-timeout", "20s"])
        .output()
        .expect("kubectl runs");
    let dump = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dump.contains("kind: List"), "{dump}");
    assert!(dump.contains("name: shop"), "{dump}");
    assert!(dump.contains("clusterIP: 10.247.3.4"), "{dump}");
    let requests = api.requests();
    assert!(
        requests.iter().any(|r| r.path == "/api/v1/services"),
        "{requests:?}"
    );
    assert!(requests.iter().all(|r| r.method == "GET"));

    let spec = dir.path().join("spec.yaml");
    std::fs::write(&spec, SPEC).expect("write");
    let snapshot = dir.path().join("snapshot");
    std::fs::create_dir(&snapshot).expect("mkdir");
    std::fs::write(snapshot.join("services.yaml"), &dump).expect("write");
    let run = |source: &[&std::ffi::OsStr]| {
        Command::new(common::binary())
            .env("HOME", dir.path())
            .env_remove("KUBECONFIG")
            .env_remove("KUBECTL_EXTERNAL_DIFF")
            .arg("diff")
            .arg("-f")
            .arg(&spec)
            .args(source)
            .timeout(Duration::from_secs(60))
            .output()
            .expect("run")
    };
    let from_dump = run(&["--live-dir".as_ref(), snapshot.as_os_str()]);
    let from_cluster = run(&["--server".as_ref(), api.url.as_ref()]);
    assert_eq!(
        from_dump.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&from_dump.stdout)
    );
    assert_eq!(from_dump.stdout, from_cluster.stdout);
    assert_eq!(from_cluster.status.code(), Some(0));
}
