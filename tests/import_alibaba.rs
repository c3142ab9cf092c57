//! `kubectl lbgen import` of ALB Ingresses with their companions, through the real binary:
//! an Ingress's class -> the IngressClass of the input -> its AlbConfig, read into the spec
//! and consumed only when the spec renders both back exactly; shared, missing, partly
//! inexpressible and hostile companions (tests/fixtures/import/alibaba-*.yaml).

mod common;

use std::path::Path;
use std::process::Output;

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    common::run_with_stdin(args, stdin)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn render(stream: &str) -> Output {
    run(&["render", "-f", "-"], Some(stream))
}

fn import(stream: &str) -> Output {
    run(&["import", "-f", "-"], Some(stream))
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new("tests/fixtures/import").join(name)).expect("fixture")
}

fn kinds(stream: &str) -> Vec<String> {
    common::objects(stream)
        .iter()
        .map(|o| o["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn rendered_example(name: &str) -> String {
    let spec = std::fs::read_to_string(Path::new("examples/alibaba").join(name)).expect("example");
    let out = render(&spec);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn a_rendered_albconfig_and_class_are_read_into_the_spec_and_consumed() {
    let first = rendered_example("ingress-alb-access-control.yaml");
    assert_eq!(kinds(&first), ["IngressClass", "AlbConfig", "Ingress"]);
    let out = import(&first);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let specs = text(&out.stdout);
    // Consumed: the spec alone renders them.
    assert_eq!(kinds(&specs), ["LoadBalancer"], "{specs}");
    let spec = common::object(&specs, "LoadBalancer");
    assert_eq!(
        spec["spec"]["loadBalancer"]["create"]["subnetIds"],
        serde_json::json!(["vsw-uf6ccg2a9g71hx8go1", "vsw-uf6nun9tql5t8nh15n"])
    );
    assert_eq!(spec["spec"]["accessControl"]["mode"], "deny");
    assert_eq!(
        spec["spec"]["loadBalancer"]["tags"]["cost-centre"], "4711",
        "{specs}"
    );
    assert_eq!(
        spec["spec"]["routes"][1]["tls"]["certificateId"],
        "1234567-cn-hangzhou"
    );
    let report = text(&out.stderr);
    assert!(
        report.contains("IngressClass web.shop: mapped -> spec (rendered from it)"),
        "{report}"
    );
    assert!(
        report.contains(
            "AlbConfig web.shop spec.listeners[].aclConfig: mapped -> spec.accessControl"
        ),
        "{report}"
    );
    let second = render(&specs);
    assert_eq!(text(&second.stdout), first);
}

#[test]
fn an_ingress_whose_class_is_an_alb_ingressclass_of_the_input_is_detected() {
    // No annotation says ALB: the IngressClass's controller does.
    let first = rendered_example("ingress-alb-dual-stack.yaml");
    assert!(!first.contains("alb.ingress.kubernetes.io/"));
    let out = import(&first);
    let specs = text(&out.stdout);
    assert_eq!(kinds(&specs), ["LoadBalancer"], "{specs}");
    assert!(specs.contains("ipVersion: dual-stack"), "{specs}");
    assert!(text(&out.stderr).contains("imported as alibaba"));
}

#[test]
fn a_shared_albconfig_passes_through_and_every_ingress_names_its_class() {
    let input = fixture("alibaba-shared-albconfig.yaml");
    let out = import(&input);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let output = text(&out.stdout);
    assert_eq!(
        kinds(&output),
        ["IngressClass", "AlbConfig", "LoadBalancer", "LoadBalancer"],
        "{output}"
    );
    assert_eq!(
        output.matches("ingressClass: shared-alb").count(),
        2,
        "{output}"
    );
    let report = text(&out.stderr);
    assert_eq!(
        report
            .matches("IngressClass shared-alb: kept as raw annotation (shared by 2 Ingresses of the input, with AlbConfig `shared-alb`: passed through untouched")
            .count(),
        2,
        "{report}"
    );
    // Rendered, both Ingresses use the one ALB, which is the input's AlbConfig untouched.
    let rendered = render(&output);
    assert!(rendered.status.success(), "{}", text(&rendered.stderr));
    let rendered = text(&rendered.stdout);
    assert_eq!(
        kinds(&rendered),
        ["IngressClass", "AlbConfig", "Ingress", "Ingress"],
        "{rendered}"
    );
    assert_eq!(rendered.matches("ingressClassName: shared-alb").count(), 2);
    assert_eq!(
        common::object(&rendered, "AlbConfig"),
        common::object(&input, "AlbConfig")
    );
}

#[test]
fn an_ingressclass_naming_a_missing_albconfig_is_reported_and_the_ingress_imported() {
    let out = import(&fixture("alibaba-missing-albconfig.yaml"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stderr);
    assert!(report.contains("IngressClass alb-demo: kept as raw annotation (names AlbConfig `alb-demo`, which is not in the input: passed through untouched; the spec names it as the platform's class (spec.loadBalancer.ingressClass))"), "{report}");
    let output = text(&out.stdout);
    assert_eq!(kinds(&output), ["IngressClass", "LoadBalancer"], "{output}");
    assert!(output.contains("ingressClass: alb-demo"), "{output}");
    assert!(output.contains("service: tea"), "{output}");
    assert!(render(&output).status.success());
}

#[test]
fn an_albconfig_field_the_spec_cannot_say_is_reported_and_the_objects_kept() {
    let first = rendered_example("ingress-alb-created.yaml");
    let input = first.replace(
        "    edition: Standard\n",
        "    edition: Standard\n    deletionProtectionEnabled: true\n",
    );
    assert_ne!(input, first);
    let out = import(&input);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stderr);
    assert!(report.contains("AlbConfig shop.cafe spec.config.deletionProtectionEnabled: unsupported on target (lbgen does not write this AlbConfig field, so no spec field says it)"), "{report}");
    assert!(
        report.contains("AlbConfig shop.cafe: kept as raw annotation (passed through untouched: it holds what the spec cannot say"),
        "{report}"
    );
    let output = text(&out.stdout);
    assert_eq!(
        kinds(&output),
        ["IngressClass", "AlbConfig", "LoadBalancer"],
        "{output}"
    );
    // Passed through untouched, the field included.
    assert_eq!(
        common::object(&output, "AlbConfig"),
        common::object(&input, "AlbConfig")
    );
    // The spec keeps what the AlbConfig says, and its annotations stay mapped.
    assert!(output.contains("- vsw-k1234"), "{output}");
    assert!(
        report.contains("alb.ingress.kubernetes.io/backend-scheduler: mapped -> spec.algorithm"),
        "{report}"
    );
    // Rendering both is refused as a duplicate, at a location: the user picks one.
    let rendered = render(&output);
    assert_eq!(rendered.status.code(), Some(2));
    assert!(text(&rendered.stderr).contains("[load/duplicate]"));
}

#[test]
fn an_albconfig_of_the_wrong_types_is_reported_never_a_panic() {
    let out = import(&fixture("alibaba-hostile-albconfig.yaml"));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = text(&out.stderr);
    for line in [
        "AlbConfig shop.web spec.config.addressType: unsupported on target",
        "AlbConfig shop.web spec.config.zoneMappings: unsupported on target (expected a list of {vSwitchId, zoneId, allocationId}",
        "AlbConfig shop.web spec.config.tags: unsupported on target (expected a list of {key, value} text pairs)",
        "AlbConfig shop.web spec.listeners: unsupported on target (expected a list of listeners)",
        "alb.ingress.kubernetes.io/actions.forward: unsupported on target (`alb.ingress.kubernetes.io/actions.forward: {\"a\":`: expected JSON",
        "AlbConfig shop.web: kept as raw annotation (passed through untouched",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }
    let output = text(&out.stdout);
    assert_eq!(
        kinds(&output),
        ["IngressClass", "AlbConfig", "LoadBalancer", "AlbConfig"],
        "{output}"
    );
    assert!(output.contains("spec: just text"), "{output}");
}

#[test]
fn a_platform_class_https_route_gets_a_placeholder_certificate_said_so() {
    let spec = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: demo, namespace: default}\nspec:\n  provider: alibaba\n  exposure: ingress\n  loadBalancer: {ingressClass: alb}\n  routes:\n    - host: demo.example.com\n      tls: {certificateId: 123-cn-hangzhou}\n      backends: [{service: demo, port: 80}]\n";
    let first = render(spec);
    let first = text(&first.stdout);
    // The platform's AlbConfig holds the certificate: the Ingress does not name it.
    assert!(!first.contains("123-cn-hangzhou"), "{first}");
    let out = import(&first);
    let specs = text(&out.stdout);
    assert!(
        specs.contains("certificateId: discovered-by-tls-host"),
        "{specs}"
    );
    assert!(specs.contains("ingressClass: alb"), "{specs}");
    assert!(
        text(&out.stderr).contains("spec.tls: approximated (with the platform's class the ALB controller picks each certificate by the spec.tls hosts"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(text(&render(&specs).stdout), first);
}

#[test]
fn an_existing_alb_with_listener_settings_round_trips_through_its_albconfig() {
    let first = render(&fixture("alibaba-alb-existing.spec.yaml"));
    assert!(first.status.success(), "{}", text(&first.stderr));
    let first = text(&first.stdout);
    assert_eq!(kinds(&first), ["IngressClass", "AlbConfig", "Ingress"]);
    let out = import(&first);
    let specs = text(&out.stdout);
    assert_eq!(kinds(&specs), ["LoadBalancer"], "{specs}");
    let spec = common::object(&specs, "LoadBalancer");
    assert_eq!(spec["spec"]["loadBalancer"]["id"], "alb-123abc");
    assert_eq!(spec["spec"]["loadBalancer"]["overrideListeners"], false);
    assert_eq!(
        spec["spec"]["listener"]["forwardedHeaders"],
        serde_json::json!(["client-port", "protocol"])
    );
    assert_eq!(spec["spec"]["routes"][0]["port"], 8080);
    assert_eq!(
        spec["spec"]["routes"][1]["tls"]["sniCertificateIds"],
        serde_json::json!(["c-2"])
    );
    assert_eq!(
        spec["spec"]["routes"][1]["when"]["query"][0]["values"],
        serde_json::json!(["1", "2"])
    );
    assert_eq!(text(&render(&specs).stdout), first);
}
