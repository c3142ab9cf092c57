//! `spec.listener` through the binary: bad values exit 2 at their own key with the fix, the
//! capability errors name the nearest alternative, the version gates and ranges cite the
//! provider's numbers, and the AlbConfig carries the listener fields as the ALB
//! controller's `ListenerSpec` types them (integers, a boolean). Expected texts are the
//! providers' documented values, written out.

mod common;

use assert_cmd::Command;

/// `validate -f -` on `spec`: exit code and stderr.
fn validate(spec: &str) -> (Option<i32>, String) {
    let out = Command::new(common::binary())
        .args(["validate", "-f", "-"])
        .env("NO_COLOR", "1")
        .write_stdin(spec)
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The stderr of a spec that must fail with exit code 2.
fn errors_of(spec: &str) -> String {
    let (code, stderr) = validate(spec);
    assert_eq!(code, Some(2), "{stderr}");
    stderr
}

/// Lines 1-4; a case's lines start at line 5.
fn spec(body: &str) -> String {
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: shop}}\nspec:\n{body}"
    )
}

/// A CCE Service on port 80 (lines 5-8); the listener block starts at line 9.
fn huawei_service(listener: &str) -> String {
    spec(&format!(
        "  provider: huawei\n  exposure: service\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n{listener}"
    ))
}

#[test]
fn bad_listener_values_are_reported_at_their_keys_with_the_fix() {
    let err = errors_of(&huawei_service(
        "  listener: {idleTimeout: 5 minutes, backendProtocol: h2, redirectHttpToHTTPS: true}\n",
    ));
    assert!(err.contains("error: `5 minutes` is not a duration: write a whole number followed by a unit s, m or h, e.g. `30s`, `5m`, `1h` or `1h30m` [load/spec]\n --> <stdin>:9:27\n"), "{err}");
    assert!(err.contains("error: unknown value `h2`; expected one of `http`, `https`, `grpc` [load/spec]\n --> <stdin>:9:55\n"), "{err}");
    assert!(err.contains("unknown field `redirectHttpToHTTPS`, expected one of `redirectHttpToHttps`, `idleTimeout`, `clientTimeout`, `backendTimeout`, `http2`, `backendProtocol`"), "{err}");
    assert!(err.contains("--> <stdin>:9:59\n"), "{err}");
    assert!(
        err.contains("= help: did you mean `redirectHttpToHttps`?"),
        "{err}"
    );
    assert!(
        err.ends_with("3 errors found; nothing was written\n"),
        "{err}"
    );
}

#[test]
fn a_service_redirect_on_cce_is_a_capability_error_naming_the_ingress() {
    let err = errors_of(&huawei_service("  listener: {redirectHttpToHttps: true}\n"));
    assert!(err.starts_with("error: huawei redirects HTTP to HTTPS only on an Ingress (kubernetes.io/elb.ssl-redirect); nearest: exposure: ingress with tls routes and listener.redirectHttpToHttps [huawei/redirect-ingress-only]\n --> <stdin>:9:35\n"), "{err}");
}

#[test]
fn cce_idle_timeout_on_a_tcp_listener_is_10_to_4000_seconds() {
    // cce_10_0385 Timeout: TCP listeners 10..4000 s; 1h10m is 4200 s.
    let err = errors_of(&huawei_service("  listener:\n    idleTimeout: 1h10m\n"));
    assert!(
        err.contains("[huawei/idle-timeout-range]\n  --> <stdin>:10:18\n"),
        "{err}"
    );
    let err = errors_of(&huawei_service("  listener:\n    idleTimeout: 5s\n"));
    assert!(err.contains("[huawei/idle-timeout-range]"), "{err}");
    let (code, err) = validate(&huawei_service("  listener:\n    idleTimeout: 10s\n"));
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn the_cce_redirect_is_gated_by_cluster_version_and_lb_tier() {
    let ingress = |tier: &str, version: &str| {
        spec(&format!(
            "  provider: huawei\n  exposure: ingress\n  cluster: {{version: {version}}}\n  loadBalancer: {{id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0, tier: {tier}}}\n  routes: [{{tls: {{certificateId: 17e3b4f4bc40471c86741dc3aa211379}}, backends: [{{service: web, port: 80}}]}}]\n  listener: {{redirectHttpToHttps: true}}\n"
        ))
    };
    // cce_10_0771: dedicated from v1.28.4-r0 on the v1.28 train; shared from v1.28.15-r40.
    let err = errors_of(&ingress("dedicated", "v1.28.3-r0"));
    assert!(err.contains("needs CCE v1.23.14-r0, v1.25.9-r0, v1.27.6-r0, v1.28.4-r0 or a later minor; upgrade or drop listener.redirectHttpToHttps [huawei/redirect-version]"), "{err}");
    assert!(validate(&ingress("dedicated", "v1.28.4-r0")).0 == Some(0));
    let err = errors_of(&ingress("shared", "v1.28.15-r30"));
    assert!(err.contains("[huawei/redirect-shared-version]"), "{err}");
    assert!(validate(&ingress("shared", "v1.28.15-r40")).0 == Some(0));
}

#[test]
fn a_redirect_needs_every_route_on_tls() {
    let err = errors_of(&spec(
        "  provider: tencent\n  exposure: ingress\n  routes: [{path: /, backends: [{service: web, port: 80}]}]\n  listener: {redirectHttpToHttps: true}\n",
    ));
    assert!(err.contains("so no route is served there: give every route tls (on a port other than 80), or drop the redirect [common/redirect-routes-tls]"), "{err}");
}

#[test]
fn clouds_without_a_setting_refuse_it_with_the_nearest_alternative() {
    let tencent = errors_of(&spec(
        "  provider: tencent\n  exposure: service\n  network: public\n  selector: {app: web}\n  ports: [{port: 80}]\n  listener: {idleTimeout: 60s}\n",
    ));
    assert!(tencent.contains("nearest: leave listener timeouts out (the CLB's defaults apply) and set them on the CLB listener in the console, which TKE leaves alone [tencent/listener-timeouts-unavailable]"), "{tencent}");
    let nlb = errors_of(&spec(
        "  provider: alibaba\n  exposure: service\n  alibaba: {loadBalancerType: nlb}\n  selector: {app: web}\n  ports: [{port: 80}]\n  listener: {redirectHttpToHttps: true}\n",
    ));
    assert!(nlb.contains("nearest: alibaba.loadBalancerType: clb with an HTTP and an HTTPS port, or an ALB Ingress [alibaba/redirect-nlb]"), "{nlb}");
    let clb = errors_of(&spec(
        "  provider: alibaba\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  listener: {clientTimeout: 30s}\n",
    ));
    assert!(
        clb.contains("nearest: listener.idleTimeout [alibaba/client-timeout-unavailable]"),
        "{clb}"
    );
}

#[test]
fn clb_idle_timeout_ranges_follow_the_listener_protocol() {
    // CLB page: idle-timeout [1, 60] s on HTTP/HTTPS, established-timeout [10, 900] s on TCP.
    let clb = |ports: &str, idle: &str| {
        spec(&format!(
            "  provider: alibaba\n  exposure: service\n  selector: {{app: web}}\n  ports: {ports}\n  listener: {{idleTimeout: {idle}}}\n"
        ))
    };
    let http = "[{port: 80, protocol: HTTP}]";
    let tcp = "[{port: 80}]";
    assert!(errors_of(&clb(http, "61s")).contains("[alibaba/clb-idle-timeout-http-range]"));
    assert_eq!(validate(&clb(http, "60s")).0, Some(0));
    assert!(errors_of(&clb(tcp, "9s")).contains("[alibaba/clb-idle-timeout-tcp-range]"));
    assert_eq!(validate(&clb(tcp, "15m")).0, Some(0));
}

#[test]
fn the_albconfig_carries_the_redirect_listener_and_typed_listener_fields() {
    let out = Command::new(common::binary())
        .current_dir(common::root())
        .args([
            "render",
            "-f",
            "examples/alibaba/ingress-alb-listener.yaml",
            "-o",
            "json",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let items = list["items"].as_array().expect("items");
    let config = items
        .iter()
        .find(|i| i["kind"] == "AlbConfig")
        .expect("AlbConfig");
    let listeners = config["spec"]["listeners"].as_array().expect("listeners");
    // The controller's ssl-redirect listener (HTTP:80) first, then the routes' HTTPS:443.
    assert_eq!(
        listeners[0],
        serde_json::json!({"port": 80, "protocol": "HTTP", "idleTimeout": 45, "requestTimeout": 180,
            "xForwardedForConfig": {"XForwardedForEnabled": true, "XForwardedForProtoEnabled": true}})
    );
    // forwardedHeaders: [protocol] on every listener, X-Forwarded-For kept on beside it
    // (alibaba-load-balancer-controller docs/usage.md, XForwardedForConfig).
    assert_eq!(
        listeners[1]["xForwardedForConfig"],
        serde_json::json!({"XForwardedForEnabled": true, "XForwardedForProtoEnabled": true})
    );
    assert_eq!(listeners[1]["protocol"], "HTTPS");
    assert_eq!(listeners[1]["http2Enabled"], true);
    assert_eq!(listeners[1]["idleTimeout"], 45);
    let ingress = items
        .iter()
        .find(|i| i["kind"] == "Ingress")
        .expect("Ingress");
    let a = &ingress["metadata"]["annotations"];
    assert_eq!(a["alb.ingress.kubernetes.io/ssl-redirect"], "true");
    assert_eq!(a["alb.ingress.kubernetes.io/backend-protocol"], "grpc");
}
