//! `diff` warns about changes the clouds cannot apply in place, and ignores what their
//! controllers rewrite with the same meaning, from the data the packs expose (a committed
//! snapshot stands in for the cluster).

mod common;

use std::process::Command;

/// Renders `example` into a snapshot, edits the live copy, and diffs against it.
fn diff_after_live_edit(example: &str, from: &str, to: &str) -> (Option<i32>, serde_json::Value) {
    let live = tempfile::tempdir().expect("tempdir");
    let render = Command::new(common::binary())
        .current_dir(common::root())
        .args(["render", "-f", example, "--out-dir"])
        .arg(live.path())
        .output()
        .expect("render");
    assert!(
        render.status.success(),
        "{}",
        String::from_utf8_lossy(&render.stderr)
    );
    let mut edited = 0;
    for dir in std::fs::read_dir(live.path()).expect("dir") {
        let dir = dir.expect("entry").path();
        // Namespace folders only (the out-dir also holds lbgen's inventory file).
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(dir).expect("dir") {
            let path = file.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("read");
            if text.contains(from) {
                std::fs::write(&path, text.replace(from, to)).expect("write");
                edited += 1;
            }
        }
    }
    assert_eq!(edited, 1, "{from} is in one rendered object");
    let out = Command::new(common::binary())
        .current_dir(common::root())
        .args(["diff", "-f", example, "-o", "json", "--live-dir"])
        .arg(live.path())
        .output()
        .expect("diff");
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).expect("json report"),
    )
}

fn warnings(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .flat_map(|o| o["warnings"].as_array().cloned().unwrap_or_default())
        .map(|w| {
            let s = |k: &str| w[k].as_str().unwrap_or_default().to_string();
            (s("provider"), s("field"), s("impact"))
        })
        .collect()
}

#[test]
fn alibaba_address_type_cannot_change_in_place() {
    let (code, report) = diff_after_live_edit(
        // the internal NLB example: a public LB takes the CCM's default and writes none
        "examples/alibaba/service-nlb.yaml",
        "alibaba-cloud-loadbalancer-address-type: intranet",
        "alibaba-cloud-loadbalancer-address-type: internet",
    );
    assert_eq!(code, Some(1));
    assert!(warnings(&report).contains(&(
        "alibaba".into(),
        "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type".into(),
        "not-in-place".into()
    )));
}

#[test]
fn tencent_clb_binding_cannot_change_in_place() {
    let (code, report) = diff_after_live_edit(
        "examples/tencent/service-https-specify-protocol.yaml",
        "tke-existed-lbid: lb-",
        "tke-existed-lbid: lb-other-",
    );
    assert_eq!(code, Some(1));
    assert!(warnings(&report).contains(&(
        "tencent".into(),
        "service.kubernetes.io/tke-existed-lbid".into(),
        "not-in-place".into()
    )));
}

#[test]
fn unchanged_objects_raise_no_warning() {
    let (code, report) = diff_after_live_edit(
        "examples/alibaba/service-nlb.yaml",
        "loadBalancerClass: alibabacloud.com/nlb",
        "loadBalancerClass: alibabacloud.com/nlb",
    );
    assert_eq!(code, Some(0));
    assert!(warnings(&report).is_empty());
}

/// CCE writes `onlyLocal` over the rendered pass-through `"true"` when traffic stays
/// local (seed 002): through the binary, `diff --live-dir` shows no difference, while
/// any other live value still is one.
#[test]
fn cce_only_local_pass_through_is_no_difference() {
    let example = "examples/huawei/service-pass-through.yaml";
    let from = "kubernetes.io/elb.pass-through: \"true\"";
    let (code, report) =
        diff_after_live_edit(example, from, "kubernetes.io/elb.pass-through: onlyLocal");
    assert_eq!(code, Some(0), "{report}");
    let (code, _) = diff_after_live_edit(example, from, "kubernetes.io/elb.pass-through: 'false'");
    assert_eq!(code, Some(1), "a real change is still a difference");
}
