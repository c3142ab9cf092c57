//! `spec.loadBalancer.create.ipVersion` end to end: what each provider writes for each
//! version (expectations from the providers' pages, cited per case), that an unset field
//! writes nothing, and that a wrong spelling or a version the cloud lacks stops the run with
//! exit code 2 at the field's file:line:column with the fix.

mod common;

use assert_cmd::Command;
use serde_json::Value;

/// An Alibaba spec: a CLB or NLB Service, or an ALB Ingress, created with `create`.
fn alibaba(exposure: &str, nlb: bool, network: &str, create: &str) -> String {
    let family = if nlb {
        "  alibaba: {loadBalancerType: nlb}\n"
    } else {
        ""
    };
    let body = if exposure == "service" {
        "  selector: {app: web}\n  ports: [{port: 80}]\n"
    } else {
        "  routes: [{path: /, backends: [{service: web, port: 80}]}]\n"
    };
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: shop}}\nspec:\n  provider: alibaba\n  exposure: {exposure}\n  network: {network}\n{family}  loadBalancer:\n    create: {create}\n{body}"
    )
}

const ZONES: &str = "zones: [cn-hangzhou-k, cn-hangzhou-j], subnetIds: [vsw-a1, vsw-b2]";

fn annotations(stream: &str, kind: &str) -> serde_json::Map<String, Value> {
    common::object(stream, kind)["metadata"]["annotations"]
        .as_object()
        .cloned()
        .unwrap_or_default()
}

fn rendered(text: &str) -> String {
    match common::compile(text) {
        Ok((stream, _)) => stream,
        Err(diagnostics) => panic!("does not render: {diagnostics:#?}"),
    }
}

const IP_VERSION: &str = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-ip-version";
const IPV6_TYPE: &str = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-ipv6-address-type";

#[test]
fn alibaba_services_take_the_spelling_of_their_family() {
    // CCM docs/usage.md "24. Create IPv6 LoadBalancer": ip-version "ipv6" on a CLB.
    let clb = annotations(
        &rendered(&alibaba("service", false, "public", "{ipVersion: ipv6}")),
        "Service",
    );
    assert_eq!(clb[IP_VERSION], "ipv6");
    assert!(!clb.contains_key(IPV6_TYPE));
    // NLB page, "Create a Dual-Stack NLB": "DualStack"; an internal NLB keeps the default
    // intranet IPv6 address, a public one gets "internet" ("Specify IPv6 Public or Private
    // Network Type").
    for (network, ipv6_type) in [("internal", None), ("public", Some("internet"))] {
        let nlb = annotations(
            &rendered(&alibaba(
                "service",
                true,
                network,
                &format!("{{{ZONES}, ipVersion: dual-stack}}"),
            )),
            "Service",
        );
        assert_eq!(nlb[IP_VERSION], "DualStack", "{network}");
        assert_eq!(
            nlb.get(IPV6_TYPE).and_then(Value::as_str),
            ipv6_type,
            "{network}"
        );
    }
    // Explicit ipv4 is written in the family's own spelling (both "ipv4").
    let nlb4 = annotations(
        &rendered(&alibaba(
            "service",
            true,
            "public",
            &format!("{{{ZONES}, ipVersion: ipv4}}"),
        )),
        "Service",
    );
    assert_eq!(nlb4[IP_VERSION], "ipv4");
    // Without the field nothing is written (the CCM's default ipv4 applies).
    let unset = annotations(
        &rendered(&alibaba("service", false, "public", "{name: shop-lb}")),
        "Service",
    );
    assert!(!unset.contains_key(IP_VERSION) && !unset.contains_key(IPV6_TYPE));
}

#[test]
fn an_alb_is_dual_stack_through_its_albconfig() {
    // alibaba-load-balancer-controller docs/usage.md, LoadBalancerSpec: addressIpVersion
    // "IPv4" or "DualStack", ipv6AddressType "Internet" or "Intranet" (default Intranet).
    for (network, ipv6_type) in [("public", Some("Internet")), ("internal", None)] {
        let stream = rendered(&alibaba(
            "ingress",
            false,
            network,
            &format!("{{{ZONES}, ipVersion: dual-stack}}"),
        ));
        let config = &common::object(&stream, "AlbConfig")["spec"]["config"];
        assert_eq!(config["addressIpVersion"], "DualStack", "{network}");
        assert_eq!(config["ipv6AddressType"].as_str(), ipv6_type, "{network}");
    }
    let stream = rendered(&alibaba(
        "ingress",
        false,
        "public",
        &format!("{{{ZONES}}}"),
    ));
    let config = &common::object(&stream, "AlbConfig")["spec"]["config"];
    assert!(config.get("addressIpVersion").is_none() && config.get("ipv6AddressType").is_none());
}

/// Runs `validate -f shop.yaml` on `spec`: exit code and stderr.
fn validate(spec: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("shop.yaml"), spec).expect("write");
    let out = Command::new(common::binary())
        .current_dir(dir.path())
        .args(["validate", "-f", "shop.yaml"])
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_wrong_spelling_or_a_missing_capability_exits_2_at_the_field() {
    let (code, stderr) = validate(&alibaba("service", false, "public", "{ipVersion: IPv6}"));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("expected one of `ipv4`, `ipv6`, `dual-stack`"),
        "{stderr}"
    );
    assert!(stderr.contains("--> shop.yaml:9:25"), "{stderr}");

    // A CLB has no dual stack: the error names the NLB as the nearest alternative.
    let (code, stderr) = validate(&alibaba(
        "service",
        false,
        "public",
        "{ipVersion: dual-stack}",
    ));
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("[alibaba/clb-no-dual-stack]"), "{stderr}");
    assert!(
        stderr.contains("nearest: an NLB (spec.alibaba.loadBalancerType: nlb)"),
        "{stderr}"
    );
    assert!(stderr.contains("--> shop.yaml:9:25"), "{stderr}");

    // CCE: a shared ELB has no IPv6, and the IPv6 subnet must be named.
    let cce = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  loadBalancer:\n    create: {ipVersion: dual-stack}\n";
    let (code, stderr) = validate(cce);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("[huawei/dual-stack-dedicated]"), "{stderr}");
    assert!(
        stderr.contains("[huawei/dual-stack-network-id]"),
        "{stderr}"
    );
    assert!(stderr.contains("--> shop.yaml:10:25"), "{stderr}");
}
