//! The `spec.<provider>` blocks: settings only one cloud has, typed by its pack. Old specs
//! that still use a moved field get an error naming the new place; a block is checked
//! whatever provider renders, and changes the output only for its own provider.

mod common;

use std::io::Write;
use std::process::{Command, Output};

fn run(args: &[&str], spec: &str) -> Output {
    let mut child = Command::new(common::binary())
        .args(args)
        .args(["-f", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(spec.as_bytes())
        .expect("write");
    child.wait_with_output().expect("wait")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const HEAD: &str =
    "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec:\n";

fn alibaba(extra: &str) -> String {
    format!(
        "{HEAD}  provider: alibaba\n  exposure: service\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n  loadBalancer: {{id: nlb-wb7r6dlwetvt5j}}\n{extra}"
    )
}

#[test]
fn a_moved_field_names_its_new_place_at_its_own_key() {
    for (spec, line, col, new) in [
        (
            alibaba("").replace(
                "{id: nlb-wb7r6dlwetvt5j}",
                "{id: nlb-wb7r6dlwetvt5j, type: nlb}",
            ),
            9,
            42,
            "`spec.loadBalancer.type` moved to `spec.alibaba.loadBalancerType`",
        ),
        (
            format!(
                "{HEAD}  provider: huawei\n  cluster:\n    version: v1.28.15-r20\n    flavor: turbo\n  exposure: service\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n"
            ),
            8,
            5,
            "`spec.cluster.flavor` moved to `spec.huawei.clusterFlavor`",
        ),
    ] {
        let out = run(&["validate"], &spec);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let text = stderr(&out);
        assert!(text.contains(new), "{text}");
        assert!(text.contains(&format!("<stdin>:{line}:{col}")), "{text}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_block_value_is_checked_with_its_allowed_spellings_and_location() {
    let out = run(
        &["validate"],
        &alibaba("  alibaba: {loadBalancerType: nbl}\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    let text = stderr(&out);
    assert!(text.contains("expected one of `clb`, `nlb`"), "{text}");
    assert!(text.contains(":10:31"), "{text}");
    let out = run(
        &["validate"],
        &alibaba("  alibaba: {loadbalancerType: nlb}\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown field `loadbalancerType`"),
        "{}",
        stderr(&out)
    );
    // A provider without settings takes only an empty block.
    let out = run(&["validate"], &alibaba("  tencent: {anything: 1}\n"));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown field `anything`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_block_changes_only_its_own_providers_output() {
    let clb = |extra: &str| alibaba(extra).replace("nlb-wb7r6dlwetvt5j", "lb-bp1abc");
    let plain = run(&["render"], &clb(""));
    assert!(plain.status.success(), "{}", stderr(&plain));
    let nlb = run(
        &["render"],
        &alibaba("  alibaba: {loadBalancerType: nlb}\n"),
    );
    assert!(nlb.status.success(), "{}", stderr(&nlb));
    let service = common::object(&String::from_utf8_lossy(&nlb.stdout), "Service");
    // ACK "Configure NLB instances by using annotations": an NLB Service is picked by class.
    assert_eq!(service["spec"]["loadBalancerClass"], "alibabacloud.com/nlb");
    let classic = common::object(&String::from_utf8_lossy(&plain.stdout), "Service");
    assert!(
        classic["spec"].get("loadBalancerClass").is_none(),
        "{classic}"
    );
    // Another provider's block is checked but does not change this provider's output.
    let with_other = run(
        &["render"],
        &clb("  huawei: {clusterFlavor: turbo}\n  tencent: {}\n"),
    );
    assert!(with_other.status.success(), "{}", stderr(&with_other));
    assert_eq!(with_other.stdout, plain.stdout);
}

#[test]
fn rules_read_the_plans_own_block() {
    let pods = format!(
        "{HEAD}  provider: huawei\n  exposure: service\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n  loadBalancer: {{id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0, tier: dedicated}}\n  targets: pods\n"
    );
    let without = run(&["validate"], &pods);
    assert_eq!(without.status.code(), Some(2));
    assert!(stderr(&without).contains("[huawei/pod-targets-need-turbo-dedicated]"));
    let turbo = run(
        &["validate"],
        &format!("{pods}  huawei: {{clusterFlavor: turbo}}\n"),
    );
    assert!(
        !stderr(&turbo).contains("[huawei/pod-targets-need-turbo-dedicated]"),
        "{}",
        stderr(&turbo)
    );
}

#[test]
fn the_schema_describes_every_block() {
    let out = Command::new(common::binary())
        .arg("schema")
        .output()
        .expect("schema");
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let spec = &schema["$defs"]["Spec"]["properties"];
    for id in ["huawei", "alibaba", "tencent"] {
        let reference = spec[id]["$ref"].as_str().expect("a block per provider");
        let block = schema
            .pointer(reference.trim_start_matches('#'))
            .expect("the reference resolves");
        assert!(
            block["description"]
                .as_str()
                .expect("described")
                .contains(id)
        );
    }
    let flavor = schema["$defs"]["ClusterFlavor"].to_string();
    assert!(
        flavor.contains("\"turbo\"") && flavor.contains("\"standard\""),
        "{flavor}"
    );
    assert_eq!(
        schema["$defs"]["tencent-settings"]["additionalProperties"],
        false
    );
    assert!(
        spec.get("cluster").is_some()
            && schema["$defs"]["Cluster"]["properties"]
                .get("flavor")
                .is_none()
    );
}
