//! The KRM function's own contract through the binary (kpt drives the item path in
//! `tests/gitops.rs`): a `LoadBalancer` given as `functionConfig` (how kustomize runs an
//! exec generator) is rendered too, a ConfigMap `functionConfig` sets provider and
//! namespace, and stdin that is not a ResourceList is refused.

mod common;

use assert_cmd::Command;
use serde_json::Value;

fn krm(stdin: &str) -> (Option<i32>, Value, String) {
    let out = Command::new(common::binary())
        .arg("krm")
        .write_stdin(stdin)
        .output()
        .expect("run");
    let list = serde_saphyr::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap_or(Value::Null);
    (
        out.status.code(),
        list,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_loadbalancer_function_config_is_rendered_like_an_item() {
    let input = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: keep, namespace: web}}\nfunctionConfig:\n  apiVersion: lbgen.dev/v1alpha1\n  kind: LoadBalancer\n  metadata:\n    name: shop\n    namespace: web\n    annotations:\n      config.kubernetes.io/function: \"exec:\\n  path: ./lbgen-krm\\n\"\n  spec: {provider: huawei, exposure: service, loadBalancer: {id: lb-1}, selector: {app: shop}, ports: [{port: 80}]}\n";
    let (code, list, stderr) = krm(input);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(common::item_kinds(&list), ["ConfigMap", "Service"]);
    let annotations = &list["items"][1]["metadata"]["annotations"];
    assert_eq!(annotations["kubernetes.io/elb.id"], "lb-1");
    assert!(
        annotations.get("config.kubernetes.io/function").is_none(),
        "orchestrator annotations are not copied"
    );
    assert_eq!(
        list["functionConfig"]["kind"], "LoadBalancer",
        "functionConfig is returned as given"
    );
}

#[test]
fn a_configmap_function_config_sets_provider_and_namespace() {
    let input = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n  - apiVersion: lbgen.dev/v1alpha1\n    kind: LoadBalancer\n    metadata:\n      name: shop\n      annotations: {config.kubernetes.io/path: apps/shop.yaml, config.kubernetes.io/index: \"0\"}\n    spec: {exposure: service, loadBalancer: {id: lb-1}, selector: {app: shop}, ports: [{port: 80}]}\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: lbgen}\n  data: {provider: huawei, namespace: team-a}\n";
    let (code, list, stderr) = krm(input);
    assert_eq!(code, Some(0), "{stderr}");
    let service = &list["items"][0];
    assert_eq!(service["kind"], "Service");
    assert_eq!(service["metadata"]["namespace"], "team-a");
    assert_eq!(
        service["metadata"]["annotations"]["config.kubernetes.io/path"],
        "apps/service_shop.yaml"
    );
}

#[test]
fn errors_become_results_and_leave_the_items_alone() {
    let input = "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n  - apiVersion: lbgen.dev/v1alpha1\n    kind: LoadBalancer\n    metadata:\n      name: shop\n      annotations: {config.kubernetes.io/path: shop.yaml}\n    spec: {provider: huawei, exposure: service, selector: {app: shop}, ports: [{port: 80}], stickiness: {mode: source-ip, timeout: 2h}}\n";
    let (code, list, _) = krm(input);
    assert_eq!(code, Some(1));
    assert_eq!(list["items"][0]["kind"], "LoadBalancer", "items unchanged");
    let results = list["results"].as_array().expect("results");
    let error = results
        .iter()
        .find(|r| r["severity"] == "error")
        .expect("an error result");
    assert_eq!(error["field"]["path"], "spec.stickiness.timeout");
    assert_eq!(error["file"]["path"], "shop.yaml");
    assert_eq!(error["resourceRef"]["name"], "shop");
}

#[test]
fn stdin_that_is_not_a_resource_list_is_refused() {
    let (code, _, stderr) = krm("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("expected a ResourceList"), "{stderr}");
}
