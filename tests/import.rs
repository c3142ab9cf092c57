//! `kubectl lbgen import` through the real binary: the round trip over the bundled
//! examples (`render(import(render(spec)))` against `render(spec)`), every dialect
//! fixture of tests/fixtures/import/, hostile inputs and `--strict`.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(common::binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    if let Some(text) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().expect("binary ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn render(spec: &str) -> Option<String> {
    let out = run(&["render", "-f", "-"], Some(spec));
    out.status.success().then(|| text(&out.stdout))
}

fn import(manifests: &str, extra: &[&str]) -> Output {
    let mut args = vec!["import", "-f", "-"];
    args.extend_from_slice(extra);
    run(&args, Some(manifests))
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new("tests/fixtures/import").join(name)).expect("fixture")
}

/// The examples whose round trip is byte-identical (the others are listed in
/// docs/import.md with why; the test below pins both lists).
const IDENTICAL: &[&str] = &[
    "alibaba/service-clb-internal-fixed-address.yaml",
    "alibaba/service-clb-redirect.yaml",
    "alibaba/service-clb-vgroup.yaml",
    "huawei/ingress-canary.yaml",
    "huawei/ingress-ip-targets.yaml",
    "huawei/service-access-control.yaml",
    "huawei/service-autocreate-dedicated.yaml",
    "huawei/service-autocreate-shared.yaml",
    "huawei/service-existing-lb.yaml",
    "huawei/service-pass-through.yaml",
    "huawei/service-timeouts.yaml",
    "huawei/service-tls-sni.yaml",
    "tencent/ingress-direct-access.yaml",
    "tencent/service-direct-access-workload.yaml",
    "tencent/service-direct-access.yaml",
    "tencent/service-fixed-address-tags.yaml",
    "tencent/service-https-specify-protocol.yaml",
    "tencent/service-tke-service-config.yaml",
    "tencent/service-tls.yaml",
];

#[test]
fn round_trip_over_the_examples() {
    let mut identical = Vec::new();
    for provider in ["alibaba", "huawei", "tencent"] {
        let mut files: Vec<_> = std::fs::read_dir(Path::new("examples").join(provider))
            .expect("examples")
            .map(|e| e.expect("entry").path())
            .collect();
        files.sort();
        for file in files {
            let spec = std::fs::read_to_string(&file).expect("example");
            let name = format!("{provider}/{}", file.file_name().unwrap().to_string_lossy());
            let first = render(&spec).unwrap_or_else(|| panic!("{name} renders"));
            let imported = import(&first, &["-o", "json"]);
            assert!(
                imported.status.success(),
                "{name}: {}",
                text(&imported.stderr)
            );
            let list: serde_json::Value =
                serde_json::from_slice(&imported.stdout).expect("JSON output");
            // Every annotation the report calls mapped comes back with its value.
            let back = run(&["import", "-f", "-"], Some(&first));
            let Some(second) = render(&text(&back.stdout)) else {
                continue;
            };
            for object in list["report"]["objects"].as_array().expect("objects") {
                for item in object["items"].as_array().expect("items") {
                    let key = item["subject"].as_str().unwrap();
                    if item["outcome"] == "mapped" && key.contains('/') {
                        let line = first
                            .lines()
                            .find(|l| l.trim_start().starts_with(&format!("{key}:")));
                        if let Some(line) = line {
                            assert!(
                                second.contains(line),
                                "{name}: mapped `{key}` changed: {line}"
                            );
                        }
                    }
                }
            }
            if first == second {
                identical.push(name);
            }
        }
    }
    assert_eq!(identical, IDENTICAL);
}

#[test]
fn the_legacy_alibaba_prefix_is_imported_and_rendered_current() {
    let out = import(&fixture("alibaba-legacy-prefix.yaml"), &[]);
    assert!(out.status.success());
    let report = text(&out.stderr);
    assert!(report.contains("service.beta.kubernetes.io/alicloud-loadbalancer-scheduler: mapped -> spec.algorithm (legacy prefix: rendering writes `service.beta.kubernetes.io/alibaba-cloud-loadbalancer-scheduler`)"), "{report}");
    let rendered = render(&text(&out.stdout)).expect("renders");
    assert!(
        rendered.contains("service.beta.kubernetes.io/alibaba-cloud-loadbalancer-scheduler: wlc"),
        "{rendered}"
    );
}

#[test]
fn old_tencent_ingresses_with_the_qcloud_class_are_imported() {
    let out = import(&fixture("tencent-qcloud-v1beta1.yaml"), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let specs = text(&out.stdout);
    assert_eq!(specs.matches("kind: LoadBalancer").count(), 2, "{specs}");
    assert!(specs.contains("targets: pods"), "{specs}");
    assert!(specs.contains("service: api"), "{specs}");
    assert!(text(&out.stderr).contains("a `extensions/v1beta1` Ingress renders as"));
    let rendered = render(&specs).expect("renders");
    assert!(rendered.contains("kubernetes.io/ingress.class: qcloud"));
    assert!(rendered.contains("name: old"));
}

#[test]
fn the_open_source_huawei_dialect_is_not_imported_as_cce() {
    let input = fixture("huawei-oss-dialect.yaml");
    let out = import(&input, &[]);
    assert!(out.status.success());
    let report = text(&out.stderr);
    assert!(
        report.contains("Service default/oss (<stdin>:5:1): passed through untouched"),
        "{report}"
    );
    assert!(
        report.contains("CCE reads union or performance and ignores it"),
        "{report}"
    );
    let output = text(&out.stdout);
    assert!(!output.contains("lbgen.dev/v1alpha1"), "{output}");
    assert!(
        output.contains("kubernetes.io/elb.class: dedicated"),
        "{output}"
    );
}

#[test]
fn annotations_on_a_clusterip_service_are_said_to_do_nothing() {
    let out = import(&fixture("clusterip-annotations.yaml"), &[]);
    assert!(out.status.success());
    let report = text(&out.stderr);
    assert!(report.contains("kubernetes.io/elb.class: kept as raw annotation (on a `ClusterIP` Service no load-balancer controller reads it: it does nothing"), "{report}");
    let output = text(&out.stdout);
    assert!(
        output.contains("kind: Deployment") && !output.contains("LoadBalancer\n"),
        "{output}"
    );
}

#[test]
fn json_that_does_not_parse_is_reported_with_object_and_annotation() {
    let out = import(&fixture("bad-json.yaml"), &[]);
    assert!(out.status.success());
    let report = text(&out.stderr);
    assert!(report.contains("Service web/broken"), "{report}");
    assert!(
        report.contains("kubernetes.io/elb.session-affinity-option: unsupported on target"),
        "{report}"
    );
    assert!(report.contains("expected JSON"), "{report}");
}

#[test]
fn two_providers_on_one_object_is_an_error_at_it() {
    let out = run(
        &["import", "-f", "tests/fixtures/import/mixed-providers.yaml"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("--> tests/fixtures/import/mixed-providers.yaml:5:3"),
        "{err}"
    );
    assert!(err.contains("[import/mixed-providers]"), "{err}");
}

#[test]
fn strict_exits_2_after_writing_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.json");
    let out = run(
        &[
            "import",
            "-f",
            "tests/fixtures/import/bad-json.yaml",
            "--strict",
            "--report",
            report.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report written"))
            .expect("JSON");
    assert_eq!(json["totals"]["mapped"], 3);
    assert_eq!(json["totals"]["unsupported on target"], 1);
    let clean = import(
        &render(&std::fs::read_to_string("examples/huawei/service-existing-lb.yaml").unwrap())
            .unwrap(),
        &["--strict"],
    );
    assert!(clean.status.success(), "{}", text(&clean.stderr));
}

#[test]
fn out_dir_gets_one_file_per_spec_named_from_namespace_and_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_dir = dir.path().join("specs");
    let out = run(
        &[
            "import",
            "-f",
            "tests/fixtures/import/tencent-qcloud-v1beta1.yaml",
            "--out-dir",
            out_dir.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(out_dir.join("web/loadbalancer-ingress-old.yaml").is_file());
    assert!(
        out_dir
            .join("web/loadbalancer-ingress-older.yaml")
            .is_file()
    );
    // A name that tries to leave the directory is refused where it is read.
    let escape = "apiVersion: v1\nkind: Service\nmetadata:\n  name: ../../etc\n  annotations: {kubernetes.io/elb.class: union}\nspec: {type: LoadBalancer, ports: [{port: 80}]}\n";
    let out = run(
        &["import", "-f", "-", "--out-dir", out_dir.to_str().unwrap()],
        Some(escape),
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(!dir.path().join("etc").exists());
    assert!(
        out_dir.join("web/loadbalancer-ingress-old.yaml").is_file(),
        "the old files stay"
    );
}

#[test]
fn hostile_yaml_is_refused_with_a_location() {
    let deep = format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: x}}\nspec: {}{}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let out = import(&deep, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("<stdin>:"),
        "{}",
        text(&out.stderr)
    );
    let bomb = "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\n";
    let out = import(bomb, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    // A key that tries to change a spec path is only ever a raw annotation, checked.
    let tricky = "apiVersion: v1\nkind: Service\nmetadata:\n  name: t\n  annotations:\n    kubernetes.io/elb.class: union\n    'kubernetes.io/elb.conditions.a\"].spec': x\nspec: {type: LoadBalancer, selector: {app: t}, ports: [{port: 80}]}\n";
    let out = import(tricky, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("spec: x"));
}
