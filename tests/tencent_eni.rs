//! The ENI patch of direct access (seed 004) through the real tools it is made for: the
//! patch lbgen renders for the seed's Deployment, handed to `kubectl kustomize` as a
//! `patches:` entry and to `kubectl patch --local --type strategic`, gives exactly the
//! seed's ENI Deployment.

mod common;

use common::{object, yaml};
use std::process::Command;

/// Seed 004's Deployment sample with the ENI settings, the result the patch must give.
const SEED_DEPLOYMENT: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: nginx
  name: nginx-deployment-eni
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      annotations:
        tke.cloud.tencent.com/networks: tke-route-eni
      labels:
        app: nginx
    spec:
      containers:
      - image: nginx
        name: nginx
        resources:
          requests:
            tke.cloud.tencent.com/eni-ip: "1"
          limits:
            tke.cloud.tencent.com/eni-ip: "1"
"#;

/// Renders the direct-access example into a directory and returns the patch file.
fn rendered_patch(dir: &std::path::Path) -> std::path::PathBuf {
    let out = Command::new(common::binary())
        .current_dir(common::root())
        .args([
            "render",
            "-f",
            "examples/tencent/service-direct-access.yaml",
            "--out-dir",
        ])
        .arg(dir.join("out"))
        .output()
        .expect("render");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let patch = dir.join("out/default/deployment-nginx-deployment-eni.yaml");
    assert!(patch.exists(), "the patch is a file of its own");
    patch
}

fn seed_deployment_without_eni() -> String {
    let mut d = yaml(SEED_DEPLOYMENT);
    d["spec"]["template"]["metadata"]
        .as_object_mut()
        .expect("metadata")
        .remove("annotations");
    d["spec"]["template"]["spec"]["containers"][0]
        .as_object_mut()
        .expect("container")
        .remove("resources");
    serde_json::to_string(&d).expect("json")
}

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .expect("kubectl is installed (scripts/test checks)");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn real_kustomize_applies_the_eni_patch_to_the_seed_deployment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let patch = rendered_patch(dir.path());
    std::fs::write(
        dir.path().join("deployment.yaml"),
        seed_deployment_without_eni(),
    )
    .expect("write");
    std::fs::copy(&patch, dir.path().join("eni-patch.yaml")).expect("copy");
    std::fs::write(
        dir.path().join("kustomization.yaml"),
        "resources: [deployment.yaml]\npatches:\n  - path: eni-patch.yaml\n",
    )
    .expect("write");
    let built = run(Command::new("kubectl").arg("kustomize").arg(dir.path()));
    assert_eq!(yaml(&built), yaml(SEED_DEPLOYMENT));
}

#[test]
fn kubectl_patch_applies_the_same_patch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let patch = rendered_patch(dir.path());
    let deployment = dir.path().join("deployment.yaml");
    std::fs::write(&deployment, seed_deployment_without_eni()).expect("write");
    let patched = run(Command::new("kubectl")
        .args([
            "patch",
            "--local",
            "--type",
            "strategic",
            "-o",
            "yaml",
            "-f",
        ])
        .arg(&deployment)
        .arg("--patch-file")
        .arg(&patch));
    let mut expected = yaml(SEED_DEPLOYMENT);
    expected["metadata"]["namespace"] = "default".into();
    assert_eq!(yaml(&patched), expected);
}

#[test]
fn the_container_defaults_to_the_workload_name() {
    let text = concat!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\n",
        "metadata: {name: web}\nspec:\n  provider: tencent\n  exposure: service\n  network: public\n  selector: {app: web}\n  ports: [{port: 80}]\n  targets: pods\n  workload: {kind: StatefulSet, name: web-db}\n",
    );
    let (out, _) = common::compile(text).expect("compiles");
    let patch = object(&out, "StatefulSet");
    assert_eq!(
        patch["spec"]["template"]["spec"]["containers"][0]["name"],
        "web-db"
    );
}
