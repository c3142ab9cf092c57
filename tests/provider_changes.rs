//! `diff` warns about changes the clouds cannot apply in place, and ignores what their
//! controllers rewrite with the same meaning, from the data the packs expose (a committed
//! snapshot stands in for the cluster).

mod common;

use std::process::Command;

/// Renders `example` into a snapshot, edits the live copy, and diffs against it.
fn diff_after_live_edit(example: &str, from: &str, to: &str) -> (Option<i32>, serde_json::Value) {
    diff_after_live_edit_with(example, from, to, &[])
}

/// As `diff_after_live_edit`, with more `diff` arguments.
fn diff_after_live_edit_with(
    example: &str,
    from: &str,
    to: &str,
    extra: &[&str],
) -> (Option<i32>, serde_json::Value) {
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
        .args(extra)
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
        // an internal CLB: a public LB takes the CCM's default and writes none
        "examples/alibaba/service-clb-internal-fixed-address.yaml",
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

/// The NLB page documents the address type as changeable ("you can modify address-type
/// to change between internal-facing and Internet-facing"; the catalogue's `by_family`):
/// the CLB rule does not fire for an NLB Service.
#[test]
fn an_nlb_address_type_changes_in_place() {
    let (code, report) = diff_after_live_edit(
        "examples/alibaba/service-nlb.yaml",
        "alibaba-cloud-loadbalancer-address-type: intranet",
        "alibaba-cloud-loadbalancer-address-type: internet",
    );
    assert_eq!(code, Some(1), "{report}");
    assert_eq!(
        warnings(&report),
        Vec::<(String, String, String)>::new(),
        "{report}"
    );
}

#[test]
fn alibaba_ip_version_cannot_change_in_place() {
    // CCM clbv1/loadbalancer.go and nlbv2: the IP version of an existing LB cannot change.
    let (code, report) = diff_after_live_edit(
        "examples/alibaba/service-nlb-dual-stack.yaml",
        "alibaba-cloud-loadbalancer-ip-version: DualStack",
        "alibaba-cloud-loadbalancer-ip-version: ipv4",
    );
    assert_eq!(code, Some(1));
    assert!(warnings(&report).contains(&(
        "alibaba".into(),
        "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-ip-version".into(),
        "not-in-place".into()
    )));
    // The ALB's, in its AlbConfig (creation-only on the AlbConfig page).
    let (code, report) = diff_after_live_edit(
        "examples/alibaba/ingress-alb-dual-stack.yaml",
        "addressIpVersion: DualStack",
        "addressIpVersion: IPv4",
    );
    assert_eq!(code, Some(1));
    assert!(
        warnings(&report).iter().any(|(p, f, i)| p == "alibaba"
            && f.contains("addressIpVersion")
            && i == "not-in-place"),
        "{report:#}"
    );
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

/// The classes of the changed objects in a JSON report.
fn classes(report: &serde_json::Value) -> Vec<String> {
    report["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .filter_map(|o| o["class"].as_str().map(str::to_string))
        .collect()
}

/// Exit codes of the same live edit under `--fail-on` recreate, risky and any.
fn fail_on_codes(example: &str, from: &str, to: &str) -> Vec<Option<i32>> {
    ["recreate", "risky", "any"]
        .iter()
        .map(|class| diff_after_live_edit_with(example, from, to, &["--fail-on", class]).0)
        .collect()
}

#[test]
fn a_change_that_needs_a_new_load_balancer_is_classed_recreate() {
    let (edit_from, edit_to) = (
        "alibaba-cloud-loadbalancer-address-type: intranet",
        "alibaba-cloud-loadbalancer-address-type: internet",
    );
    let example = "examples/alibaba/service-clb-internal-fixed-address.yaml";
    let (_, report) = diff_after_live_edit(example, edit_from, edit_to);
    assert_eq!(classes(&report), ["recreate"]);
    assert_eq!(
        fail_on_codes(example, edit_from, edit_to),
        [Some(1), Some(1), Some(1)]
    );
}

#[test]
fn a_side_effect_is_classed_risky_and_fails_only_from_risky_down() {
    // CCE pass-through renders Local; a live Cluster switching to it is risky.
    let example = "examples/huawei/service-pass-through.yaml";
    let (edit_from, edit_to) = (
        "externalTrafficPolicy: Local",
        "externalTrafficPolicy: Cluster",
    );
    let (_, report) = diff_after_live_edit(example, edit_from, edit_to);
    assert_eq!(classes(&report), ["risky"]);
    assert_eq!(
        fail_on_codes(example, edit_from, edit_to),
        [Some(0), Some(1), Some(1)]
    );
}

#[test]
fn auto_create_parameters_changed_later_are_ignored_after_create() {
    let example = "examples/huawei/service-autocreate-shared.yaml";
    let (edit_from, edit_to) = ("\\\"bandwidth_size\\\":5", "\\\"bandwidth_size\\\":6");
    let (code, report) = diff_after_live_edit(example, edit_from, edit_to);
    assert_eq!(code, Some(1), "still a difference");
    assert!(warnings(&report).contains(&(
        "huawei".into(),
        "kubernetes.io/elb.autocreate".into(),
        "ignored-after-create".into()
    )));
    assert_eq!(classes(&report), ["ignored-after-create"]);
    assert_eq!(
        fail_on_codes(example, edit_from, edit_to),
        [Some(0), Some(0), Some(1)]
    );
}

#[test]
fn a_plain_change_is_in_place() {
    let example = "examples/huawei/service-existing-lb.yaml";
    let (edit_from, edit_to) = ("app: nginx", "app: nginx-old");
    let (_, report) = diff_after_live_edit(example, edit_from, edit_to);
    assert_eq!(classes(&report), ["in-place"]);
    assert_eq!(
        fail_on_codes(example, edit_from, edit_to),
        [Some(0), Some(0), Some(1)]
    );
}

/// CCE writes `kubernetes.io/elb.eip-id` onto a Service whose ELB has an EIP, and
/// `kubernetes.io/elb.mark` (the catalogue's `writer: controller`, cce_10_0385): a live
/// object that carries them is no difference, although the keys are under the prefix
/// lbgen owns.
#[test]
fn controller_written_keys_from_the_catalogue_are_no_difference() {
    let from = "kubernetes.io/elb.class: union\n";
    let to = "kubernetes.io/elb.class: union\n    kubernetes.io/elb.eip-id: 8560972c-2cc5-4699-94d6-e46f146eb73d\n    kubernetes.io/elb.mark: \"0\"\n";
    let (code, report) = diff_after_live_edit("examples/huawei/service-existing-lb.yaml", from, to);
    assert_eq!(code, Some(0), "{report}");
}

/// The catalogue's `in_place: not-removable` (cce_10_0865/0867: deleting a header switch
/// leaves the setting on the ELB): a live switch the rendered object drops is risky, with
/// the catalogue's source.
#[test]
fn a_header_switch_dropped_from_the_rendered_object_is_risky() {
    let from = "kubernetes.io/elb.class: union\n";
    let to = "kubernetes.io/elb.class: union\n    kubernetes.io/elb.x-forwarded-host: \"true\"\n";
    let example = "examples/huawei/service-existing-lb.yaml";
    let (code, report) = diff_after_live_edit(example, from, to);
    assert_eq!(code, Some(1), "{report}");
    assert!(
        warnings(&report).contains(&(
            "huawei".into(),
            "kubernetes.io/elb.x-forwarded-host".into(),
            "risky".into()
        )),
        "{report}"
    );
    assert_eq!(classes(&report), ["risky"]);
    assert_eq!(
        fail_on_codes(example, from, to),
        [Some(0), Some(1), Some(1)]
    );
}

/// The catalogue's `in_place: at-creation` (457/40675: the charge type is read only when
/// TKE creates the CLB): a later change is accepted and does nothing.
#[test]
fn a_tencent_charge_type_changed_later_is_ignored_after_create() {
    let (code, report) = diff_after_live_edit(
        "examples/tencent/ingress-per-rule-settings.yaml",
        "kubernetes.io/ingress.internetChargeType: TRAFFIC_POSTPAID_BY_HOUR",
        "kubernetes.io/ingress.internetChargeType: BANDWIDTH_POSTPAID_BY_HOUR",
    );
    assert_eq!(code, Some(1), "still a difference");
    assert!(
        warnings(&report).contains(&(
            "tencent".into(),
            "kubernetes.io/ingress.internetChargeType".into(),
            "ignored-after-create".into()
        )),
        "{report}"
    );
}

/// `explain <key>` says what the catalogue's `in_place` says, through the binary: a key
/// that forces recreation with its own sentence, one read only at creation, and one that
/// changes in place (no ON CHANGE line).
#[test]
fn explain_prints_whether_a_change_applies_in_place() {
    let explain = |key: &str| {
        let out = Command::new(common::binary())
            .current_dir(common::root())
            .args(["explain", key])
            .output()
            .expect("explain");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let class = explain("kubernetes.io/elb.class");
    assert!(
        class.contains("IN PLACE:   no (the object must be recreated)\n"),
        "{class}"
    );
    assert!(
        class.contains("ON CHANGE:  CCE cannot change the load balancer type (shared/dedicated) of an existing object; delete and recreate it\n"),
        "{class}"
    );
    let tags = explain("kubernetes.io/elb.tags");
    assert!(tags.contains("IN PLACE:   no (read only when the load balancer is created; a later change is ignored)\n"), "{tags}");
    assert!(!tags.contains("ON CHANGE:"), "{tags}");
    let header = explain("kubernetes.io/elb.x-forwarded-host");
    assert!(
        header
            .contains("IN PLACE:   yes, but removing it leaves the setting on the load balancer\n"),
        "{header}"
    );
}
