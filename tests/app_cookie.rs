//! `stickiness.mode: app-cookie` with `cookieName` end to end: the values the providers'
//! pages print, bad names and misplaced fields (exit 2 at the field, with the fix), the
//! capability errors naming the nearest alternative, and what `check` simulates.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;

fn lbgen() -> Command {
    let mut cmd = Command::new(common::binary());
    cmd.current_dir(common::root()).env("NO_COLOR", "1");
    cmd
}

/// Lines 1-9 of a Huawei Ingress on a shared ELB; the stickiness line is line 10.
fn huawei_ingress(stickiness: &str) -> String {
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: web}}\nspec:\n  provider: huawei\n  exposure: ingress\n  loadBalancer: {{id: 0b8e1b5f-7b5e-4d0a-9a8e-0a1b2c3d4e5f, tier: shared}}\n  routes:\n    - {{path: /, backends: [{{service: nginx, port: 80}}]}}\n  stickiness: {stickiness}\n"
    )
}

/// Lines 1-9 of an Alibaba CLB Service with an HTTP port; the stickiness line is line 10.
fn alibaba_service(stickiness: &str) -> String {
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: nginx}}\nspec:\n  provider: alibaba\n  exposure: service\n  network: public\n  selector: {{run: nginx}}\n  ports: [{{port: 80, targetPort: 80, protocol: HTTP}}]\n  stickiness: {stickiness}\n"
    )
}

fn annotations(stream: &str, kind: &str) -> serde_json::Value {
    common::object(stream, kind)["metadata"]["annotations"].clone()
}

/// Renders `spec` from stdin: exit code and stderr.
fn render(spec: &str) -> (Option<i32>, String) {
    let out = lbgen()
        .args(["render", "-f", "-"])
        .write_stdin(spec)
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn huawei_writes_the_best_practice_pages_app_cookie_values() {
    // cce_bestpractice_00231, step 2: session-affinity-mode APP_COOKIE and
    // session-affinity-option '{"app_cookie_name":"test"}'.
    let (stream, _) =
        common::compile(&huawei_ingress("{mode: app-cookie, cookieName: test}")).expect("compiles");
    let a = annotations(&stream, "Ingress");
    assert_eq!(a["kubernetes.io/elb.session-affinity-mode"], "APP_COOKIE");
    let option = a["kubernetes.io/elb.session-affinity-option"]
        .as_str()
        .expect("a string");
    assert_eq!(option, r#"{"app_cookie_name":"test"}"#);
}

#[test]
fn alibaba_writes_the_ccm_server_cookie_example() {
    // kubernetes/cloud-provider-alibaba-cloud docs/usage.md, 11. (server cookie).
    let (stream, _) = common::compile(&alibaba_service(
        "{mode: app-cookie, cookieName: your-cookie}",
    ))
    .expect("compiles");
    let a = annotations(&stream, "Service");
    let key = |k: &str| format!("service.beta.kubernetes.io/alibaba-cloud-loadbalancer-{k}");
    assert_eq!(a[key("sticky-session")], "on");
    assert_eq!(a[key("sticky-session-type")], "server");
    assert_eq!(a[key("cookie")], "your-cookie");
    assert!(a.get(key("cookie-timeout")).is_none(), "{a}");
}

#[test]
fn a_cookie_name_that_could_break_a_value_is_refused_at_its_location() {
    for bad in [
        r#"'x","persistence_timeout":"1'"#,
        "'a;b'",
        "'a,b'",
        "'a b'",
        "'a=b'",
        "''",
    ] {
        let (code, err) = render(&huawei_ingress(&format!(
            "{{mode: app-cookie, cookieName: {bad}}}"
        )));
        assert_eq!(code, Some(2), "{bad}: {err}");
        assert!(err.contains("is not a cookie name"), "{bad}: {err}");
        assert!(err.contains("<stdin>:10:"), "{bad}: {err}");
        assert!(err.contains("e.g. `JSESSIONID`"), "{bad}: {err}");
    }
}

#[test]
fn cookie_name_goes_with_app_cookie_only_and_app_cookie_takes_no_timeout() {
    let cases = [
        (
            "{mode: app-cookie}",
            "common/app-cookie-needs-cookie-name",
            "cookieName: JSESSIONID",
        ),
        (
            "{mode: cookie, cookieName: JSESSIONID, timeout: 30m}",
            "common/cookie-name-needs-app-cookie",
            "remove cookieName",
        ),
        (
            "{mode: app-cookie, cookieName: JSESSIONID, timeout: 30m}",
            "common/app-cookie-no-timeout",
            "remove timeout",
        ),
    ];
    for (stickiness, rule, fix) in cases {
        let (code, err) = render(&huawei_ingress(stickiness));
        assert_eq!(code, Some(2), "{stickiness}: {err}");
        assert!(err.contains(&format!("[{rule}]")), "{stickiness}: {err}");
        assert!(err.contains(fix), "{stickiness}: {err}");
        assert!(err.contains("<stdin>:10:"), "{stickiness}: {err}");
    }
}

#[test]
fn where_a_cloud_cannot_name_the_cookie_the_error_names_the_nearest_alternative() {
    let huawei_service = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: web}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 80, protocol: HTTP}]\n  stickiness: {mode: app-cookie, cookieName: JSESSIONID}\n";
    let huawei_dedicated = huawei_ingress("{mode: app-cookie, cookieName: JSESSIONID}")
        .replace("tier: shared", "tier: dedicated");
    let alb = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: cafe}\nspec:\n  provider: alibaba\n  exposure: ingress\n  loadBalancer: {ingressClass: alb}\n  routes: [{path: /, backends: [{service: tea, port: 80}]}]\n  stickiness: {mode: app-cookie, cookieName: JSESSIONID}\n";
    let nlb = alibaba_service("{mode: app-cookie, cookieName: JSESSIONID}")
        .replace(
            "network: public",
            "network: public\n  alibaba: {loadBalancerType: nlb}\n  loadBalancer: {id: nlb-1}",
        )
        .replace("protocol: HTTP", "protocol: TCP");
    let tencent = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: web}\nspec:\n  provider: tencent\n  exposure: ingress\n  network: public\n  routes: [{path: /, backends: [{service: web, port: 80}]}]\n  stickiness: {mode: app-cookie, cookieName: JSESSIONID}\n";
    let cases = [
        (
            huawei_service.to_string(),
            "huawei/service-no-app-cookie",
            "nearest: exposure: ingress on a shared ELB",
        ),
        (
            huawei_dedicated,
            "huawei/app-cookie-shared-only",
            "nearest: stickiness.mode: cookie",
        ),
        (
            alb.to_string(),
            "alibaba/alb-no-app-cookie",
            "nearest: stickiness.mode: cookie",
        ),
        (
            nlb,
            "alibaba/nlb-unmodelled",
            "nearest: alibaba.loadBalancerType: clb",
        ),
        (
            tencent.to_string(),
            "tencent/no-app-cookie",
            "nearest: exposure: ingress with stickiness.mode: cookie",
        ),
    ];
    for (spec, rule, nearest) in cases {
        let (code, err) = render(&spec);
        assert_eq!(code, Some(2), "{rule}: {err}");
        assert!(err.contains(&format!("[{rule}]")), "{rule}: {err}");
        assert!(err.contains(nearest), "{rule}: {err}");
    }
}

#[test]
fn alibaba_refuses_a_name_outside_the_clb_alphabet() {
    let (code, err) = render(&alibaba_service(
        "{mode: app-cookie, cookieName: my.session}",
    ));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("[alibaba/app-cookie-name-alphabet]"), "{err}");
    assert!(err.contains("<stdin>:10:"), "{err}");
    // An RFC 6265 name CLB can take renders.
    let (code, err) = render(&alibaba_service(
        "{mode: app-cookie, cookieName: JSESSION_ID-2}",
    ));
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn check_simulates_app_cookie_sessions_that_last_as_long_as_the_run() {
    lbgen()
        .args(["check", "-f", "-"])
        .write_stdin(alibaba_service(
            "{mode: app-cookie, cookieName: your-cookie}",
        ))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("app-cookie stickiness (no timeout)").and(
                predicate::str::is_match(r"ok +sticky-inside-timeout +0 of \d+ request")
                    .expect("regex"),
            ),
        );
}
