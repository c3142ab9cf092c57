//! Decorate mode (`spec.decorate`) through `render`: a Helm-style chart output
//! (`tests/fixtures/decorate/chart.yaml`) decorated for each provider. The expectations
//! are independent of lbgen's code: the annotations of the decorated objects are the ones
//! the conformance corpus quotes from each provider's documents for the equivalent spec,
//! and every other field of every chart object is the chart's, byte for byte in value.
//! The golden outputs (`<provider>/expected.yaml`) only guard against regressions.

mod common;

use serde_json::{Map, Value};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const PROVIDERS: [&str; 3] = ["huawei", "alibaba", "tencent"];

fn fixture(name: &str) -> PathBuf {
    common::root().join("tests/fixtures/decorate").join(name)
}

fn lbgen(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(common::binary())
        .args(args)
        .current_dir(common::root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lbgen");
    let text = stdin.unwrap_or_default().to_string();
    let mut pipe = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = pipe.write_all(text.as_bytes());
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    out
}

fn render(provider: &str) -> String {
    let specs = format!("tests/fixtures/decorate/{provider}/specs.yaml");
    let out = lbgen(
        &[
            "render",
            "-f",
            "tests/fixtures/decorate/chart.yaml",
            "-f",
            &specs,
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn find<'a>(objects: &'a [Value], kind: &str, name: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

/// The annotations a conformance case's page prints for `kind`, and the keys its header
/// allows beside them (`extra`) or lets lbgen leave out (`ignore`).
fn conformance(case: &str, kind: &str) -> (Map<String, Value>, Vec<String>, Vec<String>) {
    let text =
        std::fs::read_to_string(common::root().join("tests/conformance").join(case)).expect("case");
    let documents: Vec<Value> = text
        .split("\n---")
        .filter_map(|d| serde_saphyr::from_str::<Value>(d).ok())
        .collect();
    let keys = |field: &str| -> Vec<String> {
        documents[0][field]
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let page = documents
        .iter()
        .rev()
        .find(|d| d["kind"] == kind && d["apiVersion"] != "lbgen.dev/v1alpha1")
        .expect("the page's object");
    let annotations = page["metadata"]["annotations"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    (annotations, keys("extra"), keys("ignore"))
}

/// Which case each decorated object is equivalent to.
fn cases(provider: &str) -> [(&'static str, &'static str, &'static str); 2] {
    match provider {
        "huawei" => [
            ("Service", "shop-web", "huawei/seed001-existing-lb.yaml"),
            (
                "Ingress",
                "shop",
                "huawei/page-0252-existing-lb-ingress-v1.yaml",
            ),
        ],
        "alibaba" => [
            (
                "Service",
                "shop-web",
                "alibaba/clb-07-existing-override.yaml",
            ),
            ("Ingress", "shop", "alibaba/alb-01-domain-name.yaml"),
        ],
        _ => [
            ("Service", "shop-web", "tencent/direct-access-service.yaml"),
            ("Ingress", "shop", "tencent/ingress-existing-clb.yaml"),
        ],
    }
}

#[test]
fn each_provider_decorates_the_chart_as_its_documents_say() {
    let chart = common::objects(&std::fs::read_to_string(fixture("chart.yaml")).expect("chart"));
    for provider in PROVIDERS {
        let text = render(provider);
        let golden =
            std::fs::read_to_string(fixture(&format!("{provider}/expected.yaml"))).expect("golden");
        assert_eq!(text, golden, "{provider}: golden output");
        let out = common::objects(&text);
        for (kind, name, case) in cases(provider) {
            let decorated = find(&out, kind, name);
            let original = find(&chart, kind, name);
            let (mut page, extra, ignore) = conformance(case, kind);
            // The page's placeholders for the existing load balancer are the fixture's id and address.
            for value in page.values_mut() {
                if value == "<your_elb_id>" {
                    *value = Value::String("5083f225-9bf8-48fa-9c8b-67bd9693c4c0".into());
                }
                if value == "<your_elb_ip>" {
                    *value = Value::String("192.168.10.10".into());
                }
            }
            let mine = decorated["metadata"]["annotations"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            for (key, value) in &page {
                if !ignore.contains(key) {
                    assert_eq!(
                        mine.get(key),
                        Some(value),
                        "{provider} {kind}: {key} ({case})"
                    );
                }
            }
            let theirs = original["metadata"]["annotations"].as_object();
            for key in mine.keys() {
                let chart_had = theirs.is_some_and(|a| a.contains_key(key));
                assert!(
                    chart_had || page.contains_key(key) || extra.contains(key),
                    "{provider} {kind}: {key} is in neither the page nor the case's extra"
                );
            }
            // Everything but the owned fields is the chart's.
            let strip = |v: &Value| {
                let mut v = v.clone();
                v["metadata"]
                    .as_object_mut()
                    .map(|m| m.remove("annotations"));
                if let Some(spec) = v["spec"].as_object_mut() {
                    for owned in [
                        "type",
                        "externalTrafficPolicy",
                        "loadBalancerClass",
                        "ingressClassName",
                    ] {
                        spec.remove(owned);
                    }
                }
                v
            };
            assert_eq!(
                strip(decorated),
                strip(original),
                "{provider} {kind} {name}"
            );
            if kind == "Service" {
                assert_eq!(decorated["spec"]["type"], "LoadBalancer");
            }
        }
        let decorated: Vec<(&str, &str)> = vec![("Service", "shop-web"), ("Ingress", "shop")];
        for object in &chart {
            let id = (
                object["kind"].as_str().unwrap_or_default(),
                object["metadata"]["name"].as_str().unwrap_or_default(),
            );
            let patched = provider == "tencent" && id == ("Deployment", "shop-web");
            if !decorated.contains(&id) && !patched {
                assert_eq!(
                    find(&out, id.0, id.1),
                    object,
                    "{provider}: {id:?} untouched"
                );
            }
        }
        assert!(
            out.iter().all(|o| o["metadata"]["name"] != "shop-web-lb"
                && o["metadata"]["name"] != "shop-ingress"),
            "{provider}: no object of the specs' own names"
        );
    }
}

#[test]
fn the_eni_patch_changes_the_charts_deployment_in_place() {
    let out = common::objects(&render("tencent"));
    let chart = common::objects(&std::fs::read_to_string(fixture("chart.yaml")).expect("chart"));
    let deployment = find(&out, "Deployment", "shop-web");
    let before = find(&chart, "Deployment", "shop-web");
    let template = &deployment["spec"]["template"];
    // providers.md / seed 004: the pod annotation and the eni-ip request and limit.
    assert_eq!(
        template["metadata"]["annotations"]["tke.cloud.tencent.com/networks"],
        "tke-route-eni"
    );
    let container = &template["spec"]["containers"][0];
    assert_eq!(
        container["resources"]["requests"]["tke.cloud.tencent.com/eni-ip"],
        "1"
    );
    assert_eq!(
        container["resources"]["limits"]["tke.cloud.tencent.com/eni-ip"],
        "1"
    );
    assert_eq!(
        container["resources"]["limits"]["cpu"], "500m",
        "the chart's limit stays"
    );
    assert_eq!(
        container["image"],
        before["spec"]["template"]["spec"]["containers"][0]["image"]
    );
    assert_eq!(deployment["spec"]["replicas"], 2);
    let count = out
        .iter()
        .filter(|o| o["kind"] == "Deployment" && o["metadata"]["name"] == "shop-web")
        .count();
    assert_eq!(count, 1, "no partial copy beside it");
    // Without the Deployment in the input, a decorating spec fails instead.
    let chart_text = std::fs::read_to_string(fixture("chart.yaml")).expect("chart");
    let without: String = chart_text
        .split("\n---")
        .filter(|d| !d.contains("deployment-web.yaml"))
        .collect::<Vec<_>>()
        .join("\n---");
    let specs = std::fs::read_to_string(fixture("tencent/specs.yaml")).expect("specs");
    let out = lbgen(
        &[
            "render",
            "-f",
            "-",
            "-f",
            "tests/fixtures/decorate/tencent/specs.yaml",
        ],
        Some(&without),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.contains("Deployment default/shop-web is not in it")
            && err.contains("tencent/specs.yaml:13:3"),
        "{err}\n{specs}"
    );
}

#[test]
fn a_helm_post_renderer_reads_stdin_and_writes_stdout_or_nothing() {
    // helm install --post-renderer kubectl-lbgen --post-renderer-args render
    //   --post-renderer-args=-f --post-renderer-args=- --post-renderer-args=-f
    //   --post-renderer-args=specs.yaml: the manifests on stdin, the stream on stdout.
    let chart = std::fs::read_to_string(fixture("chart.yaml")).expect("chart");
    for provider in PROVIDERS {
        let specs = format!("tests/fixtures/decorate/{provider}/specs.yaml");
        let out = lbgen(&["render", "-f", "-", "-f", &specs], Some(&chart));
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(String::from_utf8_lossy(&out.stdout), render(provider));
    }
    let bad = chart.replace("metadata:\n  name: shop\n", "metadata:\n  name: shop-v2\n");
    let out = lbgen(
        &[
            "render",
            "-f",
            "-",
            "-f",
            "tests/fixtures/decorate/huawei/specs.yaml",
        ],
        Some(&bad),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on stdout on error");
}

/// One decorating spec against the chart; the error text.
fn refused(spec: &str) -> String {
    let path = std::env::temp_dir().join(format!("lbgen-decorate-{}.yaml", std::process::id()));
    let chart = std::fs::read_to_string(fixture("chart.yaml")).expect("chart");
    let spec = format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: lb}}\nspec:\n  provider: huawei\n  loadBalancer: {{id: elb-1}}\n{spec}"
    );
    std::fs::write(&path, &spec).expect("write");
    let out = lbgen(
        &["render", "-f", "-", "-f", &path.display().to_string()],
        Some(&chart),
    );
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(2), "{spec}");
    assert!(out.stdout.is_empty());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_contradiction_names_the_spec_and_the_object() {
    // (spec lines, the spec's line:col, what the message says, the object's line:col)
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "  decorate: {kind: Service, name: shop-web}\n  ports: [{port: 443}]\n",
            ":8:",
            "port 443 is not a port of the Service (its ports: 80)",
            "<stdin>:27:3",
        ),
        (
            "  decorate: {kind: Service, name: shop-web}\n  ports: [{port: 80, protocol: UDP}]\n",
            ":8:",
            "port 80 is UDP (a UDP Service port), but Service default/shop-web says otherwise",
            "<stdin>:30:17",
        ),
        (
            "  decorate: {kind: Service, name: shop-web}\n  ports: [{port: 80, targetPort: 8080}]\n",
            ":8:",
            "port 80 has targetPort 8080",
            "<stdin>:29:19",
        ),
        (
            "  decorate: {kind: Service, name: shop-web}\n  selector: {app: web}\n",
            ":8:",
            "spec.selector is {\"app\": \"web\"}",
            "<stdin>:32:3",
        ),
        (
            "  decorate: {kind: Service, name: shop-web}\n  exposure: ingress\n",
            ":8:13",
            "spec.exposure is `ingress`",
            "<stdin>:15:7",
        ),
        (
            "  decorate: {kind: Ingress, name: shop}\n  routes: [{host: shop.example.com, path: /cart, backends: [{service: shop-web}]}]\n",
            ":8:",
            "route shop.example.com /cart is not a path of the Ingress's rules",
            "<stdin>:132:3",
        ),
        (
            "  decorate: {kind: Ingress, name: shop}\n  routes: [{host: shop.example.com, path: /api, backends: [{service: shop-web, port: 80}]}]\n",
            ":8:",
            "route /api sends traffic to Service shop-web:80",
            "<stdin>:145:13",
        ),
        (
            "  decorate: {kind: Ingress, name: shop}\n  routes: [{host: shop.example.com, path: /, match: exact}]\n",
            ":8:",
            "route / matches by exact",
            "<stdin>:137:23",
        ),
        (
            "  decorate: {kind: Service, name: shop-wbe}\n",
            ":7:35",
            "Service default/shop-wbe is not in the input",
            "",
        ),
    ];
    for (spec, at, message, object) in cases {
        let err = refused(spec);
        assert!(err.contains(message), "{spec}: {err}");
        assert!(err.contains(at), "{spec}: spec location {at}: {err}");
        assert!(
            err.contains(object),
            "{spec}: object location {object}: {err}"
        );
    }
}

#[test]
fn an_annotation_the_chart_sets_is_taken_over_only_when_the_spec_says_so() {
    let chart = std::fs::read_to_string(fixture("chart.yaml"))
        .expect("chart")
        .replace(
            "meta.helm.sh/release-name: shop\n",
            "meta.helm.sh/release-name: shop\n    kubernetes.io/elb.id: elb-old\n",
        );
    let spec = |take_over: &str| {
        format!(
            "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: lb}}\nspec:\n  provider: huawei\n  loadBalancer: {{id: elb-1}}\n  decorate: {{kind: Service, name: shop-web{take_over}}}\n"
        )
    };
    let run = |spec: String| {
        let text = format!("{chart}\n---\n{spec}");
        lbgen(&["render", "-f", "-"], Some(&text))
    };
    let out = run(spec(""));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("already sets `metadata.annotations[\"kubernetes.io/elb.id\"]` to \"elb-old\" at <stdin>:25:27")
            && err.contains("list `kubernetes.io/elb.id` in spec.decorate.takeOver"),
        "{err}"
    );
    let out = run(spec(", takeOver: [kubernetes.io/elb.id]"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let objects = common::objects(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        find(&objects, "Service", "shop-web")["metadata"]["annotations"]["kubernetes.io/elb.id"],
        "elb-1"
    );
}

#[test]
fn an_owned_field_the_chart_sets_is_taken_over_only_when_the_spec_says_so() {
    let chart = std::fs::read_to_string(fixture("chart.yaml"))
        .expect("chart")
        .replace(
            "spec:\n  rules:\n",
            "spec:\n  ingressClassName: nginx\n  rules:\n",
        );
    let spec = |take_over: &str| {
        format!(
            "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: lb}}\nspec:\n  provider: huawei\n  loadBalancer: {{id: elb-1}}\n  decorate: {{kind: Ingress, name: shop{take_over}}}\n"
        )
    };
    let run = |spec: String| {
        lbgen(
            &["render", "-f", "-"],
            Some(&format!("{chart}\n---\n{spec}")),
        )
    };
    let out = run(spec(""));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Ingress default/shop already sets `spec.ingressClassName` to \"nginx\" at <stdin>:132:21, and the spec would set \"cce\""),
        "{err}"
    );
    let out = run(spec(", takeOver: [spec.ingresClassName]"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("takeOver names `spec.ingresClassName`, which lbgen does not write on Ingress default/shop")
            && err.contains("spec.ingressClassName [decorate/take-over]"),
        "a misspelt entry is an error: {err}"
    );
    let out = run(spec(", takeOver: [spec.ingressClassName]"));
    let objects = common::objects(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(
        find(&objects, "Ingress", "shop")["spec"]["ingressClassName"],
        "cce"
    );
}

#[test]
fn diff_takes_a_decorated_object_like_a_rendered_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let live = dir.path().join("live");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        a.extend(
            [
                "-f",
                "tests/fixtures/decorate/chart.yaml",
                "-f",
                "tests/fixtures/decorate/huawei/specs.yaml",
            ]
            .map(String::from),
        );
        a
    };
    let live_arg = live.display().to_string();
    let run = |a: Vec<String>| lbgen(&a.iter().map(String::as_str).collect::<Vec<_>>(), None);
    assert!(
        run(args(&["render", "--out-dir", &live_arg]))
            .status
            .success()
    );
    let out = run(args(&["diff", "--live-dir", &live_arg]));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 changed, 7 unchanged"));
    let file = live.join("_cluster/service-shop-web.yaml");
    let text = std::fs::read_to_string(&file).expect("rendered");
    std::fs::write(&file, text.replace("ROUND_ROBIN", "LEAST_CONNECTIONS")).expect("write");
    let out = run(args(&["diff", "--live-dir", &live_arg]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("~ Service shop-web: changed")
            && stdout.contains("+    kubernetes.io/elb.lb-algorithm: ROUND_ROBIN"),
        "{stdout}"
    );
}

#[test]
fn a_hook_that_sees_only_specs_warns_instead_of_failing() {
    let out = lbgen(
        &[
            "validate",
            "--specs-only",
            "-f",
            "tests/fixtures/decorate/huawei/specs.yaml",
            "-f",
            "tests/fixtures/decorate/chart.yaml",
        ],
        None,
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: with --specs-only the Service it decorates is not read"),
        "{err}"
    );
}

#[test]
fn a_path_field_the_provider_needs_is_an_error_not_silently_lost() {
    // Huawei reads a regex match from the path's `property` (seed 000); a decoration
    // never rewrites the rules, so the chart's path must carry it.
    let chart = std::fs::read_to_string(fixture("chart.yaml")).expect("chart");
    let at = chart.find("- path: /api").expect("the /api path");
    let chart = format!(
        "{}{}",
        &chart[..at],
        chart[at..].replacen("pathType: Prefix", "pathType: ImplementationSpecific", 1)
    );
    let spec = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: lb}\nspec:\n  provider: huawei\n  loadBalancer: {id: elb-1, tier: dedicated}\n  decorate: {kind: Ingress, name: shop}\n  routes: [{host: shop.example.com, path: /api, match: regex}]\n";
    let out = lbgen(
        &["render", "-f", "-"],
        Some(&format!("{chart}\n---\n{spec}")),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains("needs `property: {\"ingress.beta.kubernetes.io/url-match-mode\":\"REGEX\"}` in the path /api of Ingress default/shop (<stdin>:143:13"),
        "{err}"
    );
    let with_property = chart.replacen(
        "pathType: ImplementationSpecific",
        "pathType: ImplementationSpecific\n            property: {ingress.beta.kubernetes.io/url-match-mode: REGEX}",
        1,
    );
    let out = lbgen(
        &["render", "-f", "-"],
        Some(&format!("{with_property}\n---\n{spec}")),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_object_that_cannot_be_decorated_says_which_field_and_why() {
    let cases = [
        (
            "ports: [{port: 70000}]",
            "`spec.ports[0].port` at <stdin>:5:18 is not a port number",
        ),
        (
            "ports: [{port: 80, protocol: SCTP}]",
            "`spec.ports[0].protocol` at <stdin>:5:32 is not TCP or UDP",
        ),
        (
            "ports: [{port: 80, targetPort: [1]}]",
            "`spec.ports[0].targetPort` at <stdin>:5:22 is neither",
        ),
        (
            "type: ExternalName",
            "`spec.type` at <stdin>:5:9 is ExternalName",
        ),
        (
            "{ports: [{port: 80}], selector: {a: b}}\nmetadata: {name: web, annotations: str}",
            "`metadata.annotations` at <stdin>:3:36 that is not a mapping",
        ),
    ];
    for (body, message) in cases {
        let (spec_body, metadata) = body
            .split_once('\n')
            .unwrap_or((body, "metadata: {name: web}"));
        let spec_line = if spec_body.starts_with('{') {
            format!("spec: {spec_body}")
        } else {
            format!("spec:\n  {spec_body}")
        };
        let text = format!(
            "apiVersion: v1\nkind: Service\n{metadata}\n{spec_line}\n---\napiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: lb}}\nspec: {{provider: huawei, loadBalancer: {{id: e}}, decorate: {{kind: Service, name: web}}}}\n"
        );
        let out = lbgen(&["render", "-f", "-"], Some(&text));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(out.stdout.is_empty());
        assert!(err.contains(message), "{text}\n{err}");
    }
}

#[test]
fn check_judges_a_decorating_spec_from_what_it_decorates() {
    let chart = std::fs::read_to_string(fixture("chart.yaml")).expect("chart");
    // One spec: `check` judges one load balancer at a time. Its ports come from the
    // chart's Service, so the simulation has a listener to send requests to.
    let spec = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: lb}\nspec:\n  provider: huawei\n  loadBalancer: {id: elb-1}\n  decorate: {kind: Service, name: shop-web}\n";
    let out = lbgen(
        &["check", "-f", "-"],
        Some(&format!("{chart}\n---\n{spec}")),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("check shop-web: round-robin") && stdout.contains("every promise holds"),
        "{stdout}"
    );
}
