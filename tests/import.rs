//! `kubectl lbgen import` through the real binary: the round trip over the bundled
//! examples (`render(import(render(spec)))` against `render(spec)`), every dialect
//! fixture of tests/fixtures/import/, hostile inputs and `--strict`.

mod common;

use std::path::Path;
use std::process::Output;

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    common::run_with_stdin(args, stdin)
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

#[test]
fn round_trip_over_the_examples() {
    let mut different = Vec::new();
    for file in common::provider_examples() {
        let spec = std::fs::read_to_string(&file).expect("example");
        let provider = file
            .parent()
            .and_then(|p| p.file_name())
            .unwrap()
            .to_string_lossy();
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
            different.push(format!("{name} (the import does not render)"));
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
        if first != second {
            different.push(name);
        }
    }
    // Every example, byte for byte (docs/import.md, "Round trip").
    assert_eq!(different, Vec::<String>::new());
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
fn alibaba_service_inverses_read_documented_values_and_keep_hostile_ones() {
    let out = import(&fixture("alibaba-service-inverses.yaml"), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stderr);
    let (hostile, good) = report.split_once("Service web/good").expect("two objects");
    let key = |k: &str| format!("service.beta.kubernetes.io/alibaba-cloud-loadbalancer-{k}: ");
    for k in ["acl-id", "acl-status", "acl-type"] {
        assert!(
            good.contains(&format!("{}mapped -> spec.accessControl", key(k))),
            "{report}"
        );
    }
    for k in ["connection-drain", "connection-drain-timeout"] {
        assert!(
            good.contains(&format!("{}mapped -> spec.draining", key(k))),
            "{report}"
        );
    }
    let tags = format!(
        "{}mapped -> spec.loadBalancer.tags",
        key("additional-resource-tags")
    );
    assert!(good.contains(&tags), "{report}");
    for k in [
        "acl-id",
        "forward-port",
        "vgroup-port",
        "connection-drain",
        "idle-timeout",
        "health-check-httpcode",
        "additional-resource-tags",
        "ip-version",
    ] {
        assert!(hostile.contains(&key(k)), "{k}: {report}");
        assert!(
            !hostile.contains(&format!("{}mapped", key(k))),
            "{k}: {report}"
        );
    }
    let specs = text(&out.stdout);
    assert!(
        specs.contains("mode: allow") && specs.contains("timeout: 1m"),
        "{specs}"
    );
    assert!(
        specs.contains("vgroup-port: rsp-2ze6j4phkw2xxxx:http"),
        "{specs}"
    );
    render(&specs).expect("the imported specs render");
}

#[test]
fn old_tencent_ingresses_with_the_qcloud_class_are_imported() {
    let out = import(&fixture("tencent-qcloud-v1beta1.yaml"), &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let specs = text(&out.stdout);
    assert_eq!(specs.matches("kind: LoadBalancer").count(), 2, "{specs}");
    assert!(specs.contains("targets: pods"), "{specs}");
    assert!(specs.contains("service: api"), "{specs}");
    assert!(
        text(&out.stderr).contains("inferred from `extensions/v1beta1`"),
        "{}",
        text(&out.stderr)
    );
    assert!(specs.contains("version: v1.18"), "{specs}");
    let rendered = render(&specs).expect("renders");
    assert!(
        rendered.contains("apiVersion: networking.k8s.io/v1beta1"),
        "{rendered}"
    );
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

/// Every conformance case file of the three providers, in a stable order.
fn conformance_cases() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = ["alibaba", "huawei", "tencent"]
        .iter()
        .flat_map(|p| std::fs::read_dir(Path::new("tests/conformance").join(p)).expect("corpus"))
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}

/// The providers' documented example manifests of the conformance corpus, imported: every
/// annotation the report says is mapped or kept comes back from the render with the
/// example's value; the share of annotations per outcome is printed (`--nocapture`).
#[test]
#[allow(clippy::print_stderr)]
fn conformance_examples_import_and_render_back_to_their_annotations() {
    use lbgen::import::{Options, Outcome, import};
    use lbgen::spec::load::Source;
    let files = conformance_cases();
    let (mut compiled, mut cases) = (0, 0);
    let mut shares: std::collections::BTreeMap<&str, usize> = Default::default();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("case");
        let examples: Vec<String> = text
            .split("\n---")
            .filter(|d| {
                let kind = d
                    .lines()
                    .find_map(|l| l.strip_prefix("kind: "))
                    .unwrap_or_default()
                    .trim();
                let input = d.trim_start().starts_with("# input");
                matches!(kind, "Service" | "Ingress") && !input && !d.contains("lbgen.dev/")
            })
            .map(str::to_string)
            .collect();
        if examples.is_empty() {
            continue;
        }
        cases += 1;
        let source = Source {
            name: file.display().to_string(),
            text: examples.join("\n---\n"),
        };
        let Ok(imported) = import(std::slice::from_ref(&source), &Options::default()) else {
            continue;
        };
        for item in imported.report.objects.iter().flat_map(|o| &o.items) {
            *shares.entry(item.outcome.words()).or_default() += 1;
        }
        let specs: Vec<lbgen::emit::Object> =
            imported.outputs.iter().map(|o| o.object.clone()).collect();
        let stream = lbgen::emit::to_stream(&specs, lbgen::emit::Format::Yaml).expect("emit");
        let rendered = match common::compile(&stream) {
            Ok((rendered, _)) => rendered,
            Err(errors) => {
                // Only what the page itself leaves open may stop it: a placeholder that is
                // no valid name or host (`<your_service_name>`, `example-Service`), or a
                // fragment without rules.
                let page = [
                    "load/spec",
                    "load/identity",
                    "common/route-host-format",
                    "common/ingress-needs-routes",
                ];
                let other: Vec<_> = errors
                    .iter()
                    .filter(|e| e.severity == lbgen::diag::Severity::Error)
                    .filter(|e| !page.contains(&e.rule.as_str()))
                    .collect();
                assert!(
                    other.is_empty(),
                    "{}: the import does not compile: {other:?}",
                    file.display()
                );
                continue;
            }
        };
        compiled += 1;
        let rendered: Vec<serde_json::Value> = rendered
            .split("\n---\n")
            .map(|d| {
                serde_json::to_value(serde_saphyr::from_str::<serde_json::Value>(d).expect("yaml"))
                    .expect("json")
            })
            .collect();
        for (object, report) in imported
            .outputs
            .iter()
            .filter(|o| o.imported)
            .zip(imported.report.objects.iter().filter(|o| o.imported))
        {
            let id = object.id.as_ref().expect("id");
            let back = rendered
                .iter()
                .find(|r| r["kind"] == id.api().kind() && r["metadata"]["name"] == id.name())
                .unwrap_or_else(|| panic!("{}: {} rendered", file.display(), report.object));
            let example = examples
                .iter()
                .map(|d| serde_saphyr::from_str::<serde_json::Value>(d).expect("yaml"))
                .find(|e| e["kind"] == id.api().kind() && e["metadata"]["name"] == id.name())
                .expect("example");
            for item in &report.items {
                if !matches!(item.outcome, Outcome::Mapped | Outcome::KeptRaw)
                    || !item.subject.contains('/')
                {
                    continue;
                }
                let key = &item.subject;
                let want = &example["metadata"]["annotations"][key.as_str()];
                let current = key.replace("alicloud-loadbalancer-", "alibaba-cloud-loadbalancer-");
                let got = &back["metadata"]["annotations"][current.as_str()];
                let want = want
                    .as_str()
                    .map(str::to_string)
                    .or(want.as_bool().map(|b| b.to_string()));
                // A JSON value the render writes compactly says the same (the report says so).
                let json = |t: &str| serde_json::from_str::<serde_json::Value>(t).ok();
                let same = match (got.as_str(), want.as_deref()) {
                    (Some(g), Some(w)) => g == w || json(g).is_some_and(|g| json(w) == Some(g)),
                    (g, w) => g == w,
                };
                assert!(
                    same,
                    "{}: {key} ({:?}): {got} vs {want:?}",
                    file.display(),
                    item.outcome
                );
            }
        }
    }
    eprintln!("conformance: {cases} cases, {compiled} imported specs render; outcomes {shares:?}");
    assert!(cases >= 100, "{cases}");
    assert!(compiled * 2 >= cases, "only {compiled} of {cases} render");
}

#[test]
fn translation_keeps_the_source_providers_annotations_out_of_the_target() {
    for (example, to) in [
        ("examples/huawei/service-timeouts.yaml", "tencent"),
        ("examples/huawei/service-autocreate-shared.yaml", "alibaba"),
        ("examples/alibaba/service-clb.yaml", "huawei"),
        ("examples/tencent/service-direct-access.yaml", "huawei"),
        (
            "examples/tencent/service-tke-service-config.yaml",
            "alibaba",
        ),
        ("examples/alibaba/service-nlb.yaml", "tencent"),
        ("examples/alibaba/ingress-alb-created.yaml", "huawei"),
        ("examples/huawei/ingress-https-sni.yaml", "alibaba"),
    ] {
        let manifests = render(&std::fs::read_to_string(example).unwrap()).expect("renders");
        let out = import(&manifests, &["--to", to]);
        assert!(out.status.success(), "{example}: {}", text(&out.stderr));
        let spec = text(&out.stdout);
        assert!(
            spec.contains(&format!("provider: {to}")),
            "{example}: {spec}"
        );
        let report = text(&out.stderr);
        let source = example.split('/').nth(1).unwrap();
        let prefix = match source {
            "huawei" => "kubernetes.io/elb.",
            "alibaba" => "service.beta.kubernetes.io/alibaba-cloud-",
            _ => "service.cloud.tencent.com/",
        };
        assert!(!spec.contains(prefix), "{example} -> {to}: {spec}");
        match render(&spec) {
            Some(rendered) => assert!(!rendered.contains(prefix), "{example} -> {to}: {rendered}"),
            // What the target refuses without a choice of the user's is said so.
            None => assert!(
                report.contains("not renderable for"),
                "{example} -> {to}: {report}"
            ),
        }
        assert!(
            report.contains("unsupported on target"),
            "{example}: {report}"
        );
    }
}

/// `render(import(render(spec)))` against `render(spec)` for the spec of every
/// conformance case: how many are byte-identical (a lower bound pinned; the others differ
/// where docs/import.md says).
#[test]
#[allow(clippy::print_stderr)]
fn round_trip_over_the_conformance_specs() {
    use lbgen::import::{Options, import};
    use lbgen::spec::load::Source;
    let files = conformance_cases();
    let (mut total, mut identical) = (0, 0);
    for file in files {
        let text = std::fs::read_to_string(&file).expect("case");
        let specs: Vec<&str> = text
            .split("\n---")
            .filter(|d| d.contains("lbgen.dev/") || d.trim_start().starts_with("# input"))
            .collect();
        let Ok((first, _)) = common::compile(&specs.join("\n---\n")) else {
            continue;
        };
        total += 1;
        let source = Source {
            name: "rendered".into(),
            text: first.clone(),
        };
        let imported = import(std::slice::from_ref(&source), &Options::default())
            .unwrap_or_else(|e| panic!("{}: {e:?}", file.display()));
        let objects: Vec<lbgen::emit::Object> =
            imported.outputs.iter().map(|o| o.object.clone()).collect();
        let stream = lbgen::emit::to_stream(&objects, lbgen::emit::Format::Yaml).expect("emit");
        if common::compile(&stream).is_ok_and(|(second, _)| second == first) {
            identical += 1;
        }
    }
    eprintln!("conformance specs: {identical} of {total} round-trip byte-identical");
    assert!(total >= 100, "{total}");
    assert_eq!(identical, total, "every conformance spec round-trips");
}

/// An Ingress TLS entry reads back to the certificate of its hosts' routes only when its
/// Secret is one the pack names from a certificate id; any other Secret, or a `tls` that
/// is not a list, is reported, never dropped silently.
#[test]
fn tls_secrets_read_back_only_when_the_pack_named_them() {
    let manifest = |tls: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\n  namespace: shop\n  annotations:\n    kubernetes.io/ingress.class: qcloud\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n  tls: {tls}\n"
        )
    };
    let named = import(
        &manifest("[{hosts: [shop.example.com], secretName: qcloud-cert-xq0ykczt-a0855bed}]"),
        &[],
    );
    assert!(named.status.success(), "{}", text(&named.stderr));
    assert!(
        text(&named.stdout).contains("certificateId: Xq0yKcZt"),
        "{}",
        text(&named.stdout)
    );
    assert!(text(&named.stderr).contains("spec.tls[0]: mapped -> spec.routes[].tls.certificateId"));
    let own = import(
        &manifest("[{hosts: [shop.example.com], secretName: shop-tls}]"),
        &[],
    );
    assert!(own.status.success(), "{}", text(&own.stderr));
    assert!(
        !text(&own.stdout).contains("certificateId"),
        "{}",
        text(&own.stdout)
    );
    assert!(
        text(&own.stderr).contains(
            "spec.tls[0]: unsupported on target (the spec names the provider's certificate id"
        ),
        "{}",
        text(&own.stderr)
    );
    let broken = import(&manifest("shop-tls"), &[]);
    assert!(
        text(&broken.stderr)
            .contains("spec.tls: unsupported on target (not a list of TLS entries)"),
        "{}",
        text(&broken.stderr)
    );
}

/// A documented fragment (an Ingress with only its class) does not compile as a spec: the
/// report gives its own reason, not one the import's guesses caused.
#[test]
fn a_spec_that_cannot_compile_is_reported_with_its_own_errors() {
    let out = import(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: test\n  annotations:\n    kubernetes.io/ingress.class: qcloud\n",
        &[],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stderr);
    assert!(
        report.contains("the imported spec does not compile: exposure: ingress needs at least one entry in spec.routes"),
        "{report}"
    );
    assert!(!report.contains("internal CLB"), "{report}");
    assert!(
        text(&out.stdout).contains("network: public"),
        "{}",
        text(&out.stdout)
    );
}

/// An Ingress `spec.tls` that the render writes again from the routes' certificates (every
/// example with TLS: CCE, ALB and TKE Ingresses) is reported mapped, never unsupported.
#[test]
fn rendered_tls_entries_are_reported_mapped() {
    let mut seen = 0;
    for provider in ["alibaba", "huawei", "tencent"] {
        for entry in std::fs::read_dir(Path::new("examples").join(provider)).expect("examples") {
            let file = entry.expect("entry").path();
            let first = render(&std::fs::read_to_string(&file).expect("example")).expect("renders");
            if !first.contains("\n  tls:\n") {
                continue;
            }
            seen += 1;
            let out = import(&first, &["-o", "json"]);
            let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
            for object in list["report"]["objects"].as_array().expect("objects") {
                for item in object["items"].as_array().expect("items") {
                    if item["subject"]
                        .as_str()
                        .is_some_and(|s| s.starts_with("spec.tls"))
                    {
                        assert_eq!(item["outcome"], "mapped", "{}: {item}", file.display());
                    }
                }
            }
        }
    }
    assert!(seen >= 5, "{seen}");
}

/// A cluster version given on the command line wins over the one an old Ingress form
/// implies, and the report says the render then writes the newer form.
#[test]
fn a_given_cluster_version_newer_than_the_ingress_form_is_reported() {
    let out = import(
        &fixture("tencent-qcloud-v1beta1.yaml"),
        &["--cluster-version", "v1.28.3"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let specs = text(&out.stdout);
    assert_eq!(specs.matches("version: v1.28.3").count(), 2, "{specs}");
    assert!(
        text(&out.stderr).contains(
            "apiVersion: approximated -> spec.cluster.version (`networking.k8s.io/v1beta1` is rendered only for clusters up to v1.18; --cluster-version v1.28.3 renders the pack's newer Ingress form)"
        ),
        "{}",
        text(&out.stderr)
    );
    let rendered = render(&specs).expect("renders");
    assert!(!rendered.contains("v1beta1"), "{rendered}");
}

/// CCE's pages write a rule without a host as `host: ''`: it imports as no host, and a
/// JSON annotation written with other spacing and key order than lbgen's is the same
/// value: mapped, and the report says the render respells it.
#[test]
fn an_empty_host_is_no_host_and_respelt_json_is_the_same_value() {
    let manifest = r#"apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: tea
  namespace: default
  annotations:
    alb.ingress.kubernetes.io/actions.forward: |
      [{ "type": "ForwardGroup",
         "ForwardConfig": { "ServerGroups": [
           { "ServiceName": "tea-svc", "Weight": 80, "ServicePort": 80 },
           { "ServiceName": "coffee-svc", "Weight": 20, "ServicePort": 80 } ] } }]
spec:
  ingressClassName: alb
  rules:
  - host: ''
    http:
      paths:
      - path: /path
        pathType: Prefix
        backend:
          service:
            name: forward
            port:
              name: use-annotation
"#;
    let out = import(manifest, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (spec, report) = (text(&out.stdout), text(&out.stderr));
    assert!(!spec.contains("host:"), "{spec}");
    assert!(spec.contains("service: coffee-svc"), "{spec}");
    assert!(
        report.contains("alb.ingress.kubernetes.io/actions.forward: mapped -> spec.routes.0.backends (the same JSON value; the render writes it compactly, in its own key order)"),
        "{report}"
    );
    assert!(render(&spec).is_some(), "{spec}");
}
