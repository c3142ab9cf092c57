//! Shared by the `diff` integration tests: specs, rendered objects made "live" as the
//! API server would hold them, and running the binary against a fake API server.
#![allow(dead_code, unreachable_pub)]

use super::common;
use super::fake_api::FakeApi;
use assert_cmd::Command;
use serde_json::{Value, json};
use std::path::Path;
use std::time::Duration;

pub const SERVICE_SPEC: &str = "\
apiVersion: lbgen.dev/v1alpha1
kind: LoadBalancer
metadata: {name: shop, namespace: web}
spec:
  provider: huawei
  exposure: service
  selector: {app: shop}
  ports: [{port: 80, targetPort: 8080}]
  healthCheck: {protocol: HTTP, path: /healthz, interval: 5s, timeout: 10s, retries: 3}
";

/// An Ingress that renders without warnings (so stderr holds only what diff says).
pub const INGRESS_SPEC: &str = "\
apiVersion: lbgen.dev/v1alpha1
kind: LoadBalancer
metadata: {name: cafe, namespace: shop}
spec:
  provider: huawei
  exposure: ingress
  loadBalancer: {id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0}
  routes: [{host: cafe.example.com, path: /tea, backends: [{service: tea-svc, port: 80}]}]
";

/// The objects lbgen renders for `text` (one file), as JSON values.
pub fn rendered(text: &str) -> Vec<Value> {
    let (yaml, _) = common::compile(text).expect("spec compiles");
    lbgen::yaml::node::parse_stream(&yaml)
        .expect("rendered YAML parses")
        .into_iter()
        .flatten()
        .map(|n| n.to_json())
        .collect()
}

/// What the API server would hold after applying `object`: bookkeeping metadata, status,
/// assigned IPs and node ports, defaults, and a CCE-written annotation.
pub fn as_live(mut object: Value) -> Value {
    let meta = &mut object["metadata"];
    meta["uid"] = json!("6f1c3a1e-2f55-4a8e-9d7e-0c1b2a3d4e5f");
    meta["resourceVersion"] = json!("48211");
    meta["creationTimestamp"] = json!("2026-11-20T08:00:00Z");
    meta["generation"] = json!(1);
    meta["managedFields"] =
        json!([{"manager": "kubectl-client-side-apply", "operation": "Update"}]);
    meta["annotations"]["kubernetes.io/elb.mark"] = json!("0");
    if object["kind"] == "Service" {
        let spec = &mut object["spec"];
        spec["clusterIP"] = json!("10.247.12.8");
        spec["clusterIPs"] = json!(["10.247.12.8"]);
        spec["sessionAffinity"] = json!("None");
        spec["ipFamilies"] = json!(["IPv4"]);
        spec["ipFamilyPolicy"] = json!("SingleStack");
        spec["internalTrafficPolicy"] = json!("Cluster");
        spec["allocateLoadBalancerNodePorts"] = json!(true);
        if let Some(ports) = spec["ports"].as_array_mut() {
            for (i, p) in ports.iter_mut().enumerate() {
                p["nodePort"] = json!(31000 + i);
            }
        }
        object["status"] = json!({"loadBalancer": {"ingress": [{"ip": "192.168.0.10"}]}});
    }
    object
}

pub fn set_annotation(object: &mut Value, key: &str, value: &str) {
    object["metadata"]["annotations"][key] = json!(value);
}

pub fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// `kubectl lbgen diff -f <spec> --server <url>` with no kubeconfig around.
pub fn diff(spec: &Path, server: &str, extra: &[&str]) -> Command {
    let home = spec.parent().expect("dir");
    let mut cmd = Command::new(common::binary());
    cmd.env("HOME", home)
        .env_remove("KUBECONFIG")
        .env_remove("KUBECTL_EXTERNAL_DIFF")
        .env("NO_COLOR", "1")
        .args(["diff", "-f"])
        .arg(spec)
        .args(["--server", server])
        .args(extra)
        .timeout(Duration::from_secs(60));
    cmd
}

pub fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Only GET, never a Secret.
pub fn assert_read_only(api: &FakeApi) {
    for r in api.requests() {
        assert_eq!(r.method, "GET", "{r:?}");
        assert!(!r.path.contains("secrets"), "read a Secret: {r:?}");
    }
}
