//! Tencent TKE end to end: seed 004's manifests reproduced from specs (Service, Ingress in
//! `networking.k8s.io/v1` and, for an old cluster, `v1beta1`), the ENI patch applied to the
//! seed's Deployment by real `kubectl kustomize` and `kubectl patch`, the TkeServiceConfig
//! read back with unknown fields rejected, and the warnings with their lines.

mod common;

use common::{object, yaml};
use lbgen::diag::Severity;
use serde_json::Value;
use std::process::Command;

/// Drops lbgen's managed-by label: the one thing lbgen adds to every object.
fn without_managed_by(mut o: Value) -> Value {
    let labels = o["metadata"]["labels"].as_object_mut().expect("labels");
    labels.remove("app.kubernetes.io/managed-by");
    if labels.is_empty() {
        o["metadata"]
            .as_object_mut()
            .expect("metadata")
            .remove("labels");
    }
    o
}

fn spec(body: &str) -> String {
    format!("apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\n{body}")
}

/// Seed 004's Service sample, with `namespace: default` made explicit.
const SEED_SERVICE: &str = r#"
apiVersion: v1
kind: Service
metadata:
  annotations:
    service.cloud.tencent.com/direct-access: "true"
  labels:
    app: nginx
  name: nginx-service-eni
  namespace: default
spec:
  externalTrafficPolicy: Cluster
  ports:
  - name: 80-80-no
    port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: nginx
  sessionAffinity: None
  type: LoadBalancer
"#;

/// Seed 004's Ingress sample, exactly (networking.k8s.io/v1beta1).
const SEED_INGRESS: &str = r#"
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  annotations:
    ingress.cloud.tencent.com/direct-access: "true"
    kubernetes.io/ingress.class: qcloud
  name: test-ingress
  namespace: default
spec:
  rules:
  - http:
      paths:
      - backend:
          serviceName: nginx
          servicePort: 80
        path: /
"#;

const SEED_INGRESS_SPEC: &str = "metadata: {name: test-ingress, namespace: default}\nspec:\n  provider: tencent\n  exposure: ingress\n  network: public\n  targets: pods\n  routes: [{path: /, backends: [{service: nginx, port: 80}]}]\n";

#[test]
fn seed_service_is_reproduced() {
    let text =
        std::fs::read_to_string(common::root().join("examples/tencent/service-direct-access.yaml"))
            .expect("example");
    let (out, _) = common::compile(&text).expect("compiles");
    assert_eq!(
        without_managed_by(object(&out, "Service")),
        yaml(SEED_SERVICE)
    );
}

#[test]
fn seed_ingress_is_reproduced_in_v1beta1_for_old_clusters() {
    let old = SEED_INGRESS_SPEC.replace(
        "network: public\n",
        "network: public\n  cluster: {version: v1.18.4}\n",
    );
    let (out, _) = common::compile(&spec(&old)).expect("compiles");
    assert_eq!(
        without_managed_by(object(&out, "Ingress")),
        yaml(SEED_INGRESS)
    );
}

#[test]
fn seed_ingress_in_v1_form_has_the_class_annotation_and_no_class_name() {
    let (out, _) = common::compile(&spec(SEED_INGRESS_SPEC)).expect("compiles");
    let mut expected = yaml(SEED_INGRESS);
    expected["apiVersion"] = "networking.k8s.io/v1".into();
    expected["spec"]["rules"][0]["http"]["paths"][0] = serde_json::json!({
        "backend": {"service": {"name": "nginx", "port": {"number": 80}}},
        "path": "/",
        "pathType": "Prefix",
    });
    let ingress = without_managed_by(object(&out, "Ingress"));
    assert_eq!(ingress, expected);
    assert!(ingress["spec"].get("ingressClassName").is_none());
}

#[test]
fn the_tke_service_config_is_named_referenced_and_typed() {
    let text = std::fs::read_to_string(
        common::root().join("examples/tencent/service-tke-service-config.yaml"),
    )
    .expect("example");
    let (out, _) = common::compile(&text).expect("compiles");
    let config = object(&out, "TkeServiceConfig");
    let name = config["metadata"]["name"].as_str().expect("name");
    assert_eq!(name, "orders-lbgen-svc");
    assert!(!name.ends_with("-auto-service-config") && !name.ends_with("-auto-ingress-config"));
    let service = object(&out, "Service");
    let annotations = &service["metadata"]["annotations"];
    assert_eq!(
        annotations["service.cloud.tencent.com/tke-service-config"],
        name
    );
    assert!(
        annotations
            .get("service.cloud.tencent.com/tke-service-config-auto")
            .is_none()
    );
    let listener = &config["spec"]["loadBalancer"]["l4Listeners"][0];
    assert_eq!(listener["scheduler"], "LEAST_CONN");
    assert_eq!(
        listener["session"],
        serde_json::json!({"enable": true, "sessionExpireTime": 600})
    );
    assert_eq!(listener["healthCheck"]["enable"], true);
}

#[test]
fn a_template_typo_in_the_tke_service_config_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("tencent")).expect("mkdir");
    let builtin =
        std::fs::read_to_string(common::root().join("templates/tencent/tke-service-config.yaml"))
            .expect("template");
    let typo = format!("{builtin}status: {{ready: true}}\n");
    assert_ne!(typo, builtin);
    std::fs::write(dir.path().join("tencent/tke-service-config.yaml"), typo).expect("write");
    let out = Command::new(common::binary())
        .current_dir(common::root())
        .args([
            "render",
            "-f",
            "examples/tencent/service-tke-service-config.yaml",
            "--template-dir",
        ])
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("render");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown field `status`"), "{stderr}");
}

#[test]
fn warnings_name_their_line() {
    let cases = [
        (
            "  targets: pods\n",
            10,
            "tencent/direct-access-no-workload",
            "VPC-CNI",
        ),
        (
            "  targets: pods\n  workload: {kind: Deployment, name: web}\n",
            11,
            "tencent/direct-access-eni-patch",
            "is not in the input, so lbgen emits no partial object",
        ),
        (
            "  healthCheck: {protocol: TCP}\n",
            10,
            "tencent/service-health-fields-unverified",
            "unverified",
        ),
        (
            "  passThrough: true\n",
            10,
            "tencent/prevent-loopback-kube-proxy",
            "kube-proxy",
        ),
        (
            "  targets: pods\n  trafficPolicy: local\n",
            11,
            "tencent/local-with-direct-access",
            "not needed",
        ),
        (
            "  workload: {kind: Deployment, name: web}\n",
            10,
            "tencent/workload-unused",
            "ignored",
        ),
    ];
    for (extra, line, rule, fragment) in cases {
        let text = spec(&format!(
            "metadata: {{name: shop}}\nspec:\n  provider: tencent\n  exposure: service\n  network: public\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n{extra}"
        ));
        let (_, warnings) = common::compile(&text).unwrap_or_else(|d| panic!("{rule}: {d:?}"));
        assert!(
            warnings.iter().any(|w| w.severity == Severity::Warning
                && w.rule == rule
                && w.message.contains(fragment)
                && w.location.as_ref().is_some_and(|l| l.line == line)),
            "{rule} at line {line}: {warnings:?}"
        );
    }
    let others = [
        // Ingress lines 1-7, routes at 8; the ingress-nodeport warning blames `spec` (4)
        // when `targets` is absent.
        (
            "  exposure: ingress\n  network: public\n  routes: [{path: /, backends: [{service: web, port: 80}]}]\n",
            4,
            "tencent/ingress-nodeport-backends",
            "E4047",
        ),
        (
            "  exposure: ingress\n  network: public\n  targets: pods\n  routes: [{path: /, backends: [{service: web, port: 80}]}]\n  passThrough: true\n",
            10,
            "tencent/ingress-keepalive",
            "keepaliveEnable: 1",
        ),
        (
            "  exposure: service\n  network: public\n  selector: {app: web}\n  ports: [{port: 80, protocol: HTTP}]\n",
            9,
            "tencent/service-l7-default-domain-unverified",
            "unverified",
        ),
    ];
    for (body, line, rule, fragment) in others {
        let text = spec(&format!(
            "metadata: {{name: shop}}\nspec:\n  provider: tencent\n{body}"
        ));
        let (_, warnings) = common::compile(&text).unwrap_or_else(|d| panic!("{rule}: {d:?}"));
        assert!(
            warnings.iter().any(|w| w.rule == rule
                && w.message.contains(fragment)
                && w.location.as_ref().is_some_and(|l| l.line == line)),
            "{rule} at line {line}: {warnings:?}"
        );
    }
    let long_path = spec(&format!(
        "metadata: {{name: shop}}\nspec:\n  provider: tencent\n  exposure: ingress\n  network: public\n  targets: pods\n  routes:\n    - path: /{}\n      backends: [{{service: web, port: 80}}]\n",
        "a".repeat(200)
    ));
    let (_, warnings) = common::compile(&long_path).expect("a warning only");
    assert!(
        warnings
            .iter()
            .any(|w| w.rule == "tencent/route-path-length"
                && w.message.starts_with("unverified")
                && w.location.as_ref().is_some_and(|l| l.line == 10)),
        "{warnings:?}"
    );
    let tls = spec(
        "metadata: {name: shop, namespace: web}\nspec:\n  provider: tencent\n  exposure: ingress\n  network: public\n  targets: pods\n  routes:\n    - {host: a.example.com, path: /, tls: {certificateId: abc12345}, backends: [{service: a, port: 80}]}\n",
    );
    let (out, warnings) = common::compile(&tls).expect("compiles");
    let secret = warnings
        .iter()
        .find(|w| w.rule == "tencent/tls-secret")
        .expect("secret warning");
    assert_eq!(secret.location.as_ref().map(|l| l.line), Some(10));
    assert!(secret.message.contains(
        "kubectl create secret generic qcloud-cert-abc12345 -n web --from-literal=qcloud_cert_id=abc12345"
    ));
    assert_eq!(
        object(&out, "Ingress")["spec"]["tls"],
        serde_json::json!([{"hosts": ["a.example.com"], "secretName": "qcloud-cert-abc12345"}])
    );
}

/// Hardening: a certificate id that is shell syntax never reaches a suggested command; it
/// is refused where it is written (Tencent ids are 8 letters and digits, 457/45738).
#[test]
fn a_certificate_id_outside_tencents_shape_is_refused_where_it_is_written() {
    let cases = [
        (
            "  exposure: ingress\n  routes:\n    - {host: a.example.com, tls: {certificateId: \"x;touch /tmp/pwned;#\"}, backends: [{service: a, port: 80}]}\n",
            "tencent/route-certificate-id-format",
            "spec.routes[0].tls.certificateId",
        ),
        (
            "  exposure: service\n  selector: {app: web}\n  ports: [{port: 443, protocol: HTTPS, certificateId: \"$(touch /tmp/pwned)\"}]\n",
            "tencent/port-certificate-id-format",
            "spec.ports[0].certificateId",
        ),
    ];
    for (body, rule, field) in cases {
        let text = spec(&format!(
            "metadata: {{name: shop}}\nspec:\n  provider: tencent\n  network: public\n{body}"
        ));
        let errors = common::compile(&text).expect_err("refused");
        let error = errors
            .iter()
            .find(|d| d.rule == rule)
            .unwrap_or_else(|| panic!("{rule}: {errors:?}"));
        assert_eq!(error.severity, Severity::Error);
        assert_eq!(error.field.as_deref(), Some(field));
        assert!(
            error.location.as_ref().is_some_and(|l| l.line == 9),
            "{error:?}"
        );
        assert!(error.message.contains("8 letters and digits"));
        assert!(errors.iter().all(|d| d.rule != "tencent/tls-secret"));
    }
}

/// intl doc 457/43504: HTTP and HTTPS rules on one Ingress, each listed in the rule set of
/// its protocol, the port a JSON string; the same route on both protocols is one path.
#[test]
fn http_and_https_routes_on_one_ingress_render_the_documented_rule_mix() {
    let text = spec(
        "metadata: {name: sample-ingress}\nspec:\n  provider: tencent\n  exposure: ingress\n  network: public\n  routes:\n    - {host: www.tencent.com, path: /, backends: [{service: sample-service, port: 80}]}\n    - {host: www.tencent.com, path: /, tls: {certificateId: Xq0yKcZt}, backends: [{service: sample-service, port: 80}]}\n    - {path: /api, backends: [{service: api, port: http}]}\n",
    );
    let (out, _) = common::compile(&text).expect("renders");
    let ingress = object(&out, "Ingress");
    let a = &ingress["metadata"]["annotations"];
    assert_eq!(a["kubernetes.io/ingress.rule-mix"], "true");
    let rules = |key: &str| -> serde_json::Value {
        serde_json::from_str(a[key].as_str().expect("a JSON string")).expect("JSON")
    };
    assert_eq!(
        rules("kubernetes.io/ingress.http-rules"),
        serde_json::json!([
            {"host": "www.tencent.com", "path": "/", "backend": {"serviceName": "sample-service", "servicePort": "80"}},
            {"path": "/api", "backend": {"serviceName": "api", "servicePort": "http"}}
        ])
    );
    assert_eq!(
        rules("kubernetes.io/ingress.https-rules"),
        serde_json::json!([
            {"host": "www.tencent.com", "path": "/", "backend": {"serviceName": "sample-service", "servicePort": "80"}}
        ])
    );
    let paths = &ingress["spec"]["rules"][0]["http"]["paths"];
    assert_eq!(paths.as_array().map(Vec::len), Some(1), "{paths}");
    // One protocol only: no rule-mix annotations.
    let plain = spec(
        "metadata: {name: web}\nspec:\n  provider: tencent\n  exposure: ingress\n  network: public\n  routes:\n    - {path: /, backends: [{service: web, port: 80}]}\n",
    );
    let (out, _) = common::compile(&plain).expect("renders");
    let a = &object(&out, "Ingress")["metadata"]["annotations"];
    assert!(a.get("kubernetes.io/ingress.rule-mix").is_none(), "{a}");
}

#[test]
fn health_check_codes_method_and_host_reach_the_l7_rule() {
    // The field names as the TkeServiceConfig sample of 457/37015 prints them in a rule's
    // healthCheck (httpCheckDomain: "sample.tencent.com", httpCheckMethod: HEAD); httpCode
    // as the CLB API (214/30694 HealthCheck.HttpCode) defines it: 2 = 2xx, 4 = 3xx, 8 = 4xx,
    // 16 = 5xx, summed. A repeated class counts once.
    let text = spec(
        "metadata: {name: shop, namespace: default}\nspec:\n  provider: tencent\n  exposure: ingress\n  network: public\n  routes: [{host: sample.tencent.com, path: /, backends: [{service: web, port: 80}]}]\n  healthCheck: {protocol: HTTP, path: /checkHealth, successCodes: [5xx, 2xx, 2xx], method: HEAD, host: sample.tencent.com}\n",
    );
    let (out, _) = common::compile(&text).expect("compiles");
    let config = object(&out, "TkeServiceConfig");
    let rule = &config["spec"]["loadBalancer"]["l7Listeners"][0]["domains"][0]["rules"][0];
    assert_eq!(
        rule["healthCheck"],
        serde_json::json!({
            "enable": true,
            "httpCheckPath": "/checkHealth",
            "httpCode": 18,
            "httpCheckDomain": "sample.tencent.com",
            "httpCheckMethod": "HEAD",
        })
    );
}
