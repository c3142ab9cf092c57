//! Passed-through documents mean to kubectl what they meant before lbgen: real kubectl
//! (`kubectl label --local -o json`, which reads YAML exactly as `kubectl apply` does and
//! needs no cluster) reads the input and lbgen's output of it, and the two readings are
//! the same. Plain scalars where YAML 1.1 (Kubernetes' reader) and YAML 1.2 disagree are
//! the point: `0644`, `1e3`, `yes`, `1_000`, `0x1F`, big integers.

mod common;

use std::path::Path;
use std::process::Command;

const INPUT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, labels: {app: web, tier: \"yes\"}}
spec:
  replicas: 1e0
  revisionHistoryLimit: 1_0
  progressDeadlineSeconds: 0x258
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}, annotations: {quoted: '0644', plain-date: 2024-01-02}}
    spec:
      terminationGracePeriodSeconds: 030
      hostNetwork: no
      enableServiceLinks: on
      containers:
        - name: app
          image: nginx
          args: [-x, 1.50, 18446744073709551615, 08, .5, ~, 'on']
      volumes:
        - name: cfg
          configMap: {name: settings, defaultMode: 0644}
";

/// kubectl's reading of a YAML file, as JSON.
fn kubectl_reads(dir: &Path, file: &Path) -> serde_json::Value {
    let out = Command::new("kubectl")
        .env("HOME", dir)
        .env("KUBECONFIG", dir.join("no-kubeconfig"))
        .args(["label", "--local", "-o", "json", "-f"])
        .arg(file)
        .arg("oracle=kubectl")
        .output()
        .expect("kubectl runs");
    assert!(
        out.status.success(),
        "kubectl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("kubectl prints JSON")
}

#[test]
fn kubectl_reads_lbgens_passthrough_as_it_reads_the_input() {
    let dir = tempfile::tempdir().expect("tmp");
    let input = dir.path().join("input.yaml");
    std::fs::write(&input, INPUT).expect("write");
    let render = Command::new(common::binary())
        .args(["render", "-f"])
        .arg(&input)
        .output()
        .expect("lbgen runs");
    assert!(
        render.status.success(),
        "{}",
        String::from_utf8_lossy(&render.stderr)
    );
    let output = dir.path().join("output.yaml");
    std::fs::write(&output, &render.stdout).expect("write");
    let before = kubectl_reads(dir.path(), &input);
    let after = kubectl_reads(dir.path(), &output);
    assert_eq!(
        after,
        before,
        "lbgen wrote:\n{}",
        String::from_utf8_lossy(&render.stdout)
    );
    // The readings are the YAML 1.1 ones, so the test cannot pass by both being strings.
    let volume = &before["spec"]["template"]["spec"]["volumes"][0]["configMap"];
    assert_eq!(volume["defaultMode"], 420, "0644 is octal to kubectl");
    assert_eq!(before["spec"]["template"]["spec"]["hostNetwork"], false);
}
