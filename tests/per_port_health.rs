//! A port's own health check (`spec.ports[].healthCheck`), rendered: on CCE as the per-port
//! `kubernetes.io/elb.health-check-options` entries of cce_10_0684, on TKE as the port's own
//! TkeServiceConfig listener entry. The expectations are the pages' shapes, not lbgen's
//! output.

mod common;

use common::object;
use serde_json::{Value, json};

fn spec(provider: &str, lb: &str) -> String {
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: nginx, namespace: default}}\nspec:\n  provider: {provider}\n  exposure: service\n{lb}  selector: {{app: nginx}}\n  healthCheck: {{protocol: TCP, interval: 5s, timeout: 10s, retries: 3, port: 22}}\n  ports:\n    - {{name: cce-service-0, port: 1, targetPort: 1}}\n    - name: cce-service-1\n      port: 2\n      targetPort: 2\n      healthCheck: {{protocol: HTTP, path: /}}\n"
    )
}

#[test]
fn cce_lists_each_port_with_its_own_check_merged_over_the_services() {
    let (out, _) = common::compile(&spec(
        "huawei",
        "  loadBalancer: {id: <your_elb_id>, tier: shared}\n",
    ))
    .expect("compiles");
    let annotations = &object(&out, "Service")["metadata"]["annotations"];
    assert_eq!(annotations["kubernetes.io/elb.health-check-flag"], "on");
    assert!(
        annotations
            .get("kubernetes.io/elb.health-check-option")
            .is_none()
    );
    let options: Value = serde_json::from_str(
        annotations["kubernetes.io/elb.health-check-options"]
            .as_str()
            .expect("a JSON string"),
    )
    .expect("JSON");
    // cce_10_0684, Procedure: the example's two entries (without its expected_codes, which
    // Table 1 does not document), every value a string.
    assert_eq!(
        options,
        json!([
            {"protocol": "TCP", "delay": "5", "timeout": "10", "max_retries": "3",
             "target_service_port": "TCP:1", "monitor_port": "22"},
            {"protocol": "HTTP", "delay": "5", "timeout": "10", "max_retries": "3", "path": "/",
             "target_service_port": "TCP:2", "monitor_port": "22"},
        ])
    );
}

#[test]
fn tke_gives_each_l4_listener_its_own_check() {
    let text = spec(
        "tencent",
        "  network: public\n  loadBalancer: {id: lb-6c8w2k1a}\n",
    )
    .replace("interval: 5s, timeout: 10s", "interval: 10s, timeout: 5s");
    let (out, _) = common::compile(&text).expect("compiles");
    let config = object(&out, "TkeServiceConfig");
    let listeners = &config["spec"]["loadBalancer"]["l4Listeners"];
    // 457/36834: l4Listeners matched by protocol and port, healthCheck per entry.
    assert_eq!(listeners[0]["port"], 1);
    assert_eq!(listeners[0]["healthCheck"]["checkType"], "TCP");
    assert!(listeners[0]["healthCheck"].get("httpCheckPath").is_none());
    assert_eq!(listeners[1]["port"], 2);
    assert_eq!(listeners[1]["healthCheck"]["checkType"], "HTTP");
    assert_eq!(listeners[1]["healthCheck"]["httpCheckPath"], "/");
    assert_eq!(listeners[1]["healthCheck"]["intervalTime"], 10);
    assert_eq!(listeners[1]["healthCheck"]["checkPort"], 22);
}
