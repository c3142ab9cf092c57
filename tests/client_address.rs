//! `spec.listener.clientAddress` and `forwardedHeaders` through the binary: what each value
//! writes where the documented examples do not reach (a dedicated CCE ELB writes nothing,
//! `none` on a shared one writes "false", proxy protocol beside NLB TCPSSL ports turns the
//! server groups' preservation off), and a bad header name at its own key. Expected values
//! are the providers' documented spellings, written out.

mod common;

use assert_cmd::Command;
use serde_json::Value;

/// `render -o json` of `spec`: the annotations of its Service or Ingress.
fn annotations(spec: &str) -> Value {
    let out = Command::new(common::binary())
        .args(["render", "-f", "-", "-o", "json"])
        .write_stdin(spec)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: Value = serde_json::from_slice(&out.stdout).expect("json");
    let items = list["items"].as_array().expect("items").clone();
    let object = items
        .into_iter()
        .find(|i| i["kind"] == "Service" || i["kind"] == "Ingress")
        .expect("Service or Ingress");
    object["metadata"]["annotations"].clone()
}

fn spec(body: &str) -> String {
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: shop}}\nspec:\n{body}"
    )
}

const TRANSPARENT: &str = "kubernetes.io/elb.transparent-client-ip";
const PRESERVE: &str = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-preserve-client-ip";
const PROXY: &str = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-proxy-protocol";

fn cce(tier: &str, value: &str) -> String {
    spec(&format!(
        "  provider: huawei\n  exposure: service\n  loadBalancer: {{id: 0b9a6c4d-bd8b-45cc-bfc8-ff0f9da54e95, tier: {tier}}}\n  selector: {{app: web}}\n  trafficPolicy: local\n  ports: [{{port: 80}}]\n  listener: {{clientAddress: {value}}}\n"
    ))
}

#[test]
fn cce_writes_the_switch_on_shared_elbs_only() {
    // cce_10_0916: 'true' turns it on, 'false' off; dedicated ELBs always pass it.
    assert_eq!(annotations(&cce("shared", "preserve"))[TRANSPARENT], "true");
    assert_eq!(annotations(&cce("shared", "none"))[TRANSPARENT], "false");
    assert_eq!(
        annotations(&cce("dedicated", "preserve"))[TRANSPARENT],
        Value::Null
    );
}

fn nlb(ports: &str, value: &str) -> String {
    spec(&format!(
        "  provider: alibaba\n  exposure: service\n  network: public\n  alibaba: {{loadBalancerType: nlb}}\n  loadBalancer: {{create: {{zones: [cn-hangzhou-k, cn-hangzhou-j], subnetIds: [vsw-i123456, vsw-j654321]}}}}\n  selector: {{app: web}}\n  trafficPolicy: local\n  ports: {ports}\n  listener: {{clientAddress: {value}}}\n"
    ))
}

#[test]
fn nlb_proxy_protocol_beside_tcpssl_turns_preservation_off() {
    let tcp = "[{port: 80}]";
    let tls = "[{port: 443, protocol: TLS, certificateId: 123-cn-hangzhou}]";
    let plain = annotations(&nlb(tcp, "proxy-protocol"));
    assert_eq!(plain[PROXY], "on");
    assert_eq!(
        plain[PRESERVE],
        Value::Null,
        "the NLB page's example keeps the default"
    );
    let with_tls = annotations(&nlb(tls, "proxy-protocol"));
    assert_eq!(with_tls[PROXY], "on");
    assert_eq!(with_tls[PRESERVE], "off");
    assert_eq!(annotations(&nlb(tcp, "none"))[PRESERVE], "off");
    assert_eq!(annotations(&nlb(tcp, "preserve"))[PRESERVE], "on");
}

#[test]
fn clb_preserve_writes_nothing_and_an_unknown_header_is_refused_at_its_key() {
    let clb = spec(
        "  provider: alibaba\n  exposure: service\n  network: public\n  selector: {app: web}\n  trafficPolicy: local\n  ports: [{port: 80}]\n  listener: {clientAddress: preserve}\n",
    );
    let a = annotations(&clb);
    assert_eq!(a[PRESERVE], Value::Null);
    assert_eq!(a[PROXY], Value::Null);
    let bad = spec(
        "  provider: alibaba\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 80, protocol: HTTP}]\n  listener: {forwardedHeaders: [x-forwarded-proto]}\n",
    );
    let out = Command::new(common::binary())
        .args(["validate", "-f", "-"])
        .env("NO_COLOR", "1")
        .write_stdin(bad)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("unknown value `x-forwarded-proto`; expected one of `protocol`, `listener-port`, `client-port`, `host` [load/spec]\n --> <stdin>:9:33\n"), "{err}");
}

/// cce_10_0938's header-writing action, as its example prints it, passes through the
/// catalogue's check of `kubernetes.io/elb.actions.<svc>`; an undocumented type does not.
#[test]
fn the_documented_insert_header_action_is_accepted_as_a_raw_annotation() {
    let with = |action: &str| {
        spec(
            "  provider: huawei\n  exposure: ingress\n  cluster: {version: v1.28.15-r20}\n  loadBalancer: {id: 034baaf0-40e8-4e39-b0d9-bf6e5b883cf9, tier: dedicated}\n  routes:\n    - {path: /, backends: [{service: test-service, port: 80}]}\n",
        )
        .replace(
            "metadata: {name: shop}",
            &format!("metadata:\n  name: shop\n  annotations:\n    kubernetes.io/elb.actions.test-service: '[{{\"type\": \"{action}\", \"InsertHeaderConfig\": {{\"key\": \"aa\", \"value_type\": \"USER_DEFINED\", \"value\": \"aa\"}}}}]'"),
        )
    };
    let run = |spec: String| {
        Command::new(common::binary())
            .args(["validate", "-f", "-"])
            .write_stdin(spec)
            .output()
            .expect("run")
    };
    let ok = run(with("InsertHeader"));
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let bad = run(with("InsertHeaders"));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{err}");
    assert!(
        err.contains("$[0] matches none of the documented forms"),
        "{err}"
    );
}
