//! Decorate mode through the GitOps entry points, each under the real client: the KRM
//! function under `kpt fn eval --exec`, the kustomize exec plugin listed under
//! `transformers:` in real `kubectl kustomize`, and the Argo CD plugin's `generate`. Each
//! must give what `render -f chart.yaml -f specs.yaml` gives (`tests/decorate.rs` checks
//! that against the providers' documents) and return every other resource.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const PROVIDERS: [&str; 3] = ["huawei", "alibaba", "tencent"];

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/decorate").join(name)
}

fn path_with_binary() -> String {
    let dir = common::binary().parent().expect("dir").to_path_buf();
    format!("{}:/usr/local/bin:/usr/bin:/bin", dir.display())
}

/// A directory holding the chart's output and one provider's specs.
fn package(provider: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(fixture("chart.yaml"), dir.path().join("chart.yaml")).expect("copy");
    std::fs::copy(
        fixture(&format!("{provider}/specs.yaml")),
        dir.path().join("lb.yaml"),
    )
    .expect("copy");
    dir
}

/// Objects by kind and name, without the orchestrators' bookkeeping annotations.
fn by_id(objects: Vec<Value>) -> Vec<(String, String, Value)> {
    let mut out: Vec<(String, String, Value)> = objects
        .into_iter()
        .map(|mut o| {
            if let Some(a) = o["metadata"]["annotations"].as_object_mut() {
                a.retain(|k, _| {
                    !k.starts_with("config.kubernetes.io/")
                        && !k.starts_with("internal.config.kubernetes.io/")
                        && !k.starts_with("config.k8s.io/")
                });
                if a.is_empty() {
                    o["metadata"]
                        .as_object_mut()
                        .map(|m| m.remove("annotations"));
                }
            }
            let kind = o["kind"].as_str().unwrap_or_default().to_string();
            let name = o["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            (kind, name, o)
        })
        .collect();
    out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    out
}

fn expected(provider: &str) -> Vec<(String, String, Value)> {
    let text =
        std::fs::read_to_string(fixture(&format!("{provider}/expected.yaml"))).expect("golden");
    by_id(common::objects(&text))
}

fn yaml_files(dir: &Path) -> Vec<Value> {
    let mut objects = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "yaml") {
            objects.extend(common::objects(
                &std::fs::read_to_string(&path).expect("read"),
            ));
        }
    }
    objects
}

#[test]
fn kpt_fn_eval_decorates_the_charts_items_in_place() {
    for provider in PROVIDERS {
        let dir = package(provider);
        let out = Command::new("kpt")
            .args(["fn", "eval", ".", "--exec"])
            .arg(format!("{} krm", common::binary().display()))
            .current_dir(dir.path())
            .output()
            .expect("kpt is installed");
        let log = String::from_utf8_lossy(&out.stderr).into_owned()
            + &String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{provider}: {log}");
        assert!(
            !dir.path().join("lb.yaml").exists(),
            "the specs are consumed"
        );
        let chart = std::fs::read_to_string(dir.path().join("chart.yaml")).expect("chart");
        assert!(
            chart.contains("# Source: shop/templates/service-web.yaml"),
            "in its file"
        );
        assert_eq!(
            by_id(yaml_files(dir.path())),
            expected(provider),
            "{provider}"
        );
    }
}

#[test]
fn kubectl_kustomize_transformers_decorate_and_return_every_resource() {
    for provider in PROVIDERS {
        let dir = package(provider);
        let plugins = dir
            .path()
            .join("xdg/kustomize/plugin/lbgen.dev/v1alpha1/loadbalancer");
        std::fs::create_dir_all(&plugins).expect("mkdir");
        std::fs::copy(
            common::root().join("deploy/kustomize/LoadBalancer"),
            plugins.join("LoadBalancer"),
        )
        .expect("copy plugin");
        // kustomize runs a transformer once per document: one spec a file.
        let specs = std::fs::read_to_string(dir.path().join("lb.yaml")).expect("specs");
        let mut names = Vec::new();
        for (i, spec) in specs.split("\n---\n").enumerate() {
            let name = format!("lb-{i}.yaml");
            std::fs::write(dir.path().join(&name), spec).expect("write");
            names.push(name);
        }
        std::fs::remove_file(dir.path().join("lb.yaml")).expect("rm");
        std::fs::write(
            dir.path().join("kustomization.yaml"),
            format!(
                "resources: [chart.yaml]\ntransformers: [{}]\n",
                names.join(", ")
            ),
        )
        .expect("write");
        let run = || {
            Command::new("kubectl")
                .args(["kustomize", "--enable-alpha-plugins", "."])
                .current_dir(dir.path())
                .env("XDG_CONFIG_HOME", dir.path().join("xdg"))
                .env("PATH", path_with_binary())
                .output()
                .expect("kubectl kustomize")
        };
        let out = run();
        assert!(
            out.status.success(),
            "{provider}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let objects = common::objects(&String::from_utf8_lossy(&out.stdout));
        assert_eq!(by_id(objects), expected(provider), "{provider}");
        // An error points at the user's file, not kustomize's temporary copy.
        let first = dir.path().join(&names[0]);
        let text = std::fs::read_to_string(&first).expect("read");
        std::fs::write(&first, text.replace("name: shop-web}", "name: shop-wbe}")).expect("write");
        let out = run();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        let at = format!("{}:", first.display());
        assert!(
            err.contains("Service default/shop-wbe is not in the input") && err.contains(&at),
            "{provider}: {err}"
        );
    }
}

#[test]
fn argocd_generate_decorates_a_directory_that_mixes_chart_output_and_specs() {
    for provider in PROVIDERS {
        let dir = package(provider);
        let out = Command::new(common::binary())
            .args(["cmp", "generate"])
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", path_with_binary())
            .output()
            .expect("generate");
        assert!(
            out.status.success(),
            "{provider}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let golden =
            std::fs::read_to_string(fixture(&format!("{provider}/expected.yaml"))).expect("golden");
        assert_eq!(String::from_utf8_lossy(&out.stdout), golden, "{provider}");
    }
}

#[test]
fn the_krm_function_returns_every_item_in_its_place_with_its_annotations() {
    let list = r#"apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
      annotations: {config.kubernetes.io/path: chart.yaml, config.kubernetes.io/index: "0"}
  - apiVersion: v1
    kind: Service
    metadata:
      name: web
      annotations: {config.kubernetes.io/path: chart.yaml, config.kubernetes.io/index: "1"}
    spec:
      selector: {app: web}
      ports: [{port: 80}]
  - apiVersion: lbgen.dev/v1alpha1
    kind: LoadBalancer
    metadata:
      name: web-lb
      annotations: {config.kubernetes.io/path: lb.yaml}
    spec:
      provider: huawei
      decorate: {kind: Service, name: web}
      loadBalancer: {id: elb-1}
"#;
    let mut child = Command::new(common::binary())
        .arg("krm")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("krm");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(list.as_bytes()).expect("write");
    }
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let list: Value = serde_saphyr::from_str(&String::from_utf8_lossy(&out.stdout)).expect("yaml");
    let items = list["items"].as_array().expect("items");
    let kinds: Vec<&str> = items.iter().filter_map(|i| i["kind"].as_str()).collect();
    assert_eq!(
        kinds,
        ["ConfigMap", "Service"],
        "in place, the spec consumed"
    );
    let annotations = &items[1]["metadata"]["annotations"];
    assert_eq!(annotations["config.kubernetes.io/path"], "chart.yaml");
    assert_eq!(annotations["config.kubernetes.io/index"], "1");
    assert_eq!(annotations["kubernetes.io/elb.id"], "elb-1");
    assert_eq!(items[1]["spec"]["type"], "LoadBalancer");
}
