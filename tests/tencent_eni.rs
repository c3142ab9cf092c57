//! The ENI patch of direct access (seed 004) through the real tools it is made for: the
//! patch lbgen writes for the seed's Deployment, handed to `kubectl kustomize` as a
//! `patches:` entry and to `kubectl patch --local --type strategic`, gives exactly the
//! seed's ENI Deployment. And it never reaches the stream users apply: with the workload
//! in the input (the same `-f` inputs, or a KRM item under real kpt) lbgen patches that
//! object in place; without it, stdout holds no partial object and stderr says what to run.

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
    let patch = dir.join("out/default/patches/deployment-nginx-deployment-eni.yaml");
    assert!(
        patch.exists(),
        "the patch is a file of its own, beside no object"
    );
    assert!(
        !dir.join("out/default/deployment-nginx-deployment-eni.yaml")
            .exists(),
        "no partial Deployment among the objects"
    );
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
    let (out, warnings) = common::compile(text).expect("compiles");
    assert!(
        common::objects(&out)
            .iter()
            .all(|o| o["kind"] != "StatefulSet"),
        "no partial StatefulSet in the stream:\n{out}"
    );
    let warning = warnings
        .iter()
        .find(|w| w.rule == "tencent/direct-access-eni-patch")
        .expect("the patch warning");
    assert!(
        warning
            .message
            .contains("kubectl patch statefulset web-db -n default --type strategic -p '")
            && warning
                .message
                .contains(r#""containers":[{"name":"web-db""#),
        "{}",
        warning.message
    );
}

/// A spec and its workload in one file, the workload with fields the patch must keep.
const SPEC_AND_WORKLOAD: &str = r#"apiVersion: lbgen.dev/v1alpha1
kind: LoadBalancer
metadata: {name: nginx-service-eni, namespace: default}
spec:
  provider: tencent
  exposure: service
  network: public
  selector: {app: nginx}
  ports: [{port: 80}]
  targets: pods
  workload: {kind: Deployment, name: nginx-deployment-eni}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels: {app: nginx}
  name: nginx-deployment-eni
spec:
  replicas: 3
  selector: {matchLabels: {app: nginx}}
  template:
    metadata:
      annotations: {prometheus.io/scrape: "true"}
      labels: {app: nginx}
    spec:
      containers:
      - image: nginx
        name: nginx
        resources:
          limits: {cpu: 500m}
      - image: envoy
        name: sidecar
"#;

fn render(dir: &std::path::Path, text: &str, extra: &[&str]) -> std::process::Output {
    let file = dir.join("app.yaml");
    std::fs::write(&file, text).expect("write");
    Command::new(common::binary())
        .arg("render")
        .arg("-f")
        .arg(&file)
        .args(extra)
        .output()
        .expect("render")
}

#[test]
fn a_workload_in_the_input_is_patched_in_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = render(dir.path(), SPEC_AND_WORKLOAD, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("direct-access-eni-patch"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let deployment = object(&stdout, "Deployment");
    let mut expected = yaml(SEED_DEPLOYMENT);
    let template = &mut expected["spec"]["template"];
    template["metadata"]["annotations"]["prometheus.io/scrape"] = "true".into();
    template["spec"]["containers"][0]["resources"]["limits"]["cpu"] = "500m".into();
    template["spec"]["containers"]
        .as_array_mut()
        .expect("containers")
        .push(serde_json::json!({"image": "envoy", "name": "sidecar"}));
    assert_eq!(deployment, expected);
}

#[test]
fn without_the_workload_stdout_holds_no_partial_object_and_stderr_says_what_to_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = SPEC_AND_WORKLOAD.split("---").next().expect("spec");
    let out = render(dir.path(), spec, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let kinds: Vec<String> = common::objects(&String::from_utf8_lossy(&out.stdout))
        .iter()
        .map(|o| o["kind"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(kinds, ["Service"]);
    let start = "kubectl patch deployment nginx-deployment-eni -n default --type strategic -p '";
    let at = stderr.find(start).expect("the kubectl patch command") + start.len();
    let json = &stderr[at..at + stderr[at..].find('\'').expect("closing quote")];
    // The command's patch is the file's body: run it through kubectl on the seed's
    // Deployment without ENI settings and get the seed's ENI Deployment.
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
        .args(["-p", json]));
    // Without spec.workload.container the patch names the workload (`kubectl create
    // deployment`'s container name); the seed's container is `nginx`, so strategic merge
    // adds a container of that name: the warning says to set spec.workload.container.
    let got = yaml(&patched);
    assert_eq!(
        got["spec"]["template"]["metadata"]["annotations"]["tke.cloud.tencent.com/networks"],
        "tke-route-eni"
    );
    let added = got["spec"]["template"]["spec"]["containers"]
        .as_array()
        .expect("containers")
        .iter()
        .find(|c| c["name"] == "nginx-deployment-eni")
        .expect("the patch's container");
    assert_eq!(
        *added,
        serde_json::json!({"name": "nginx-deployment-eni", "resources": {
            "requests": {"tke.cloud.tencent.com/eni-ip": "1"},
            "limits": {"tke.cloud.tencent.com/eni-ip": "1"}}})
    );
    assert!(
        stderr.contains("set spec.workload.container"),
        "the warning names the container field: {stderr}"
    );
}

#[test]
fn a_named_container_missing_from_the_input_workload_is_a_located_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = SPEC_AND_WORKLOAD.replace(
        "name: nginx-deployment-eni}",
        "name: nginx-deployment-eni, container: app}",
    );
    let out = render(dir.path(), &text, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("app.yaml:11:")
            && stderr.contains("no container \"app\"")
            && stderr.contains("nginx, sidecar"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn the_krm_function_patches_a_workload_item_in_place_under_real_kpt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pkg = dir.path().join("pkg");
    std::fs::create_dir(&pkg).expect("mkdir");
    let (spec, workload) = SPEC_AND_WORKLOAD
        .split_once("---\n")
        .expect("two documents");
    std::fs::write(pkg.join("lb.yaml"), spec).expect("write");
    std::fs::write(
        pkg.join("deploy.yaml"),
        workload.replace(
            "  name: nginx-deployment-eni\n",
            "  name: nginx-deployment-eni\n  namespace: default\n",
        ),
    )
    .expect("write");
    let out = Command::new("kpt")
        .args(["fn", "eval", "pkg", "--exec"])
        .arg(format!("{} krm", common::binary().display()))
        .current_dir(dir.path())
        .output()
        .expect("kpt is installed");
    let log =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{log}");
    assert!(!log.contains("direct-access-eni-patch"), "{log}");
    let deploy = yaml(&std::fs::read_to_string(pkg.join("deploy.yaml")).expect("kept in its file"));
    let c = &deploy["spec"]["template"]["spec"]["containers"];
    assert_eq!(
        c[0]["resources"]["requests"]["tke.cloud.tencent.com/eni-ip"],
        "1"
    );
    assert_eq!(c[0]["resources"]["limits"]["cpu"], "500m");
    assert_eq!(
        deploy["spec"]["template"]["metadata"]["annotations"]["tke.cloud.tencent.com/networks"],
        "tke-route-eni"
    );
    let files: Vec<String> = std::fs::read_dir(&pkg)
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        files.iter().all(|f| !f.starts_with("deployment_")),
        "no second, partial Deployment: {files:?}"
    );
}

#[test]
fn the_krm_function_warns_and_emits_no_partial_item_without_the_workload() {
    let input = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n  - apiVersion: lbgen.dev/v1alpha1\n    kind: LoadBalancer\n    metadata: {name: web}\n    spec: {provider: tencent, exposure: service, network: public, selector: {app: web}, ports: [{port: 80}], targets: pods, workload: {kind: Deployment, name: web}}\n";
    let out = assert_cmd::Command::new(common::binary())
        .arg("krm")
        .write_stdin(input)
        .output()
        .expect("run");
    assert!(out.status.success());
    let list = yaml(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(common::item_kinds(&list), ["Service"]);
    let results = list["results"].as_array().expect("results");
    assert!(
        results.iter().any(|r| r["severity"] == "warning"
            && r["message"]
                .as_str()
                .is_some_and(|m| m.contains("kubectl patch deployment web"))),
        "{results:?}"
    );
}

/// `--check-dir` knows the patch files `--out-dir` writes: a fresh rendering is current,
/// and a deleted patch file is reported missing. With `-o json` the patch is JSON too.
#[test]
fn check_dir_covers_the_patch_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = SPEC_AND_WORKLOAD.split("---").next().expect("spec");
    let out_dir = dir.path().join("out");
    let rendered = render(
        dir.path(),
        spec,
        &["--out-dir", out_dir.to_str().expect("utf-8")],
    );
    assert!(rendered.status.success());
    let patch = out_dir.join("default/patches/deployment-nginx-deployment-eni.yaml");
    assert!(patch.exists());
    let check = render(
        dir.path(),
        spec,
        &["--check-dir", out_dir.to_str().expect("utf-8")],
    );
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    std::fs::remove_file(&patch).expect("rm");
    let check = render(
        dir.path(),
        spec,
        &["--check-dir", out_dir.to_str().expect("utf-8")],
    );
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stderr).contains("missing:"));
    let json_dir = dir.path().join("json");
    let rendered = render(
        dir.path(),
        spec,
        &["-o", "json", "--out-dir", json_dir.to_str().expect("utf-8")],
    );
    assert!(rendered.status.success());
    let text = std::fs::read_to_string(
        json_dir.join("default/patches/deployment-nginx-deployment-eni.json"),
    )
    .expect("the JSON patch file");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(
        value["spec"]["template"]["metadata"]["annotations"]["tke.cloud.tencent.com/networks"],
        "tke-route-eni"
    );
}
