//! `kubectl lbgen import` of CCE manifests through the real binary: the inverses of the
//! Huawei pack that `tests/import.rs`'s round trip does not pin one by one (a user's own
//! `elb.listen-ports`, regex paths) and hostile values of the structured ones (an
//! `elb.autocreate` of the wrong JSON types, health-check options naming a port the
//! Service does not have): reported with why, kept out of the spec, never a panic.

mod common;

use std::path::Path;
use std::process::Output;

fn import(fixture: &str, extra: &[&str]) -> Output {
    let input =
        std::fs::read_to_string(Path::new("tests/fixtures/import").join(fixture)).expect("fixture");
    let args: Vec<&str> = ["import", "-f", "-"].iter().chain(extra).copied().collect();
    common::run_with_stdin(&args, Some(&input))
}

fn render(spec: &str) -> (bool, String) {
    let out = common::run_with_stdin(&["render", "-f", "-"], Some(spec));
    (out.status.success(), text(&out.stdout))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_users_own_listen_ports_stays_raw_and_regex_paths_read_back() {
    let out = import("huawei-ingress-listeners.yaml", &[]);
    assert!(out.status.success());
    let (report, spec) = (text(&out.stderr), text(&out.stdout));
    for line in [
        "kubernetes.io/elb.listen-ports: kept as raw annotation (no spec field reads it back)",
        "kubernetes.io/elb.port: mapped -> spec.routes",
        "spec.rules[].http.paths[].pathType: mapped -> spec.routes[].match (ImplementationSpecific with the provider's match mode: `regex`)",
        "spec.rules[].http.paths[].pathType: approximated -> spec.routes[].match (ImplementationSpecific read as prefix)",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }
    assert!(
        spec.contains("match: regex\n    path: /first/(.*)/end"),
        "{spec}"
    );
    // Rendered back: the list as written, elb.port beside it, the regex property.
    let (ok, rendered) = render(&spec);
    assert!(ok, "{rendered}");
    for line in [
        r#"kubernetes.io/elb.listen-ports: "[{\"HTTP\": 80},{\"HTTPS\": 443}]""#,
        r#"kubernetes.io/elb.port: "80""#,
        "ingress.beta.kubernetes.io/url-match-mode: REGEX",
    ] {
        assert!(rendered.contains(line), "{line}\n{rendered}");
    }
    assert_eq!(rendered.matches("url-match-mode").count(), 1, "{rendered}");
}

#[test]
fn an_autocreate_of_the_wrong_types_is_reported_field_by_field() {
    let out = import("huawei-autocreate-wrong-types.yaml", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (report, spec) = (text(&out.stderr), text(&out.stdout));
    assert!(
        report.contains(r#"kubernetes.io/elb.autocreate: unsupported on target (not read back: `available_zone: "az1"` (expected a list of Strings), `bandwidth_size: "5"` (expected an Integer);"#),
        "{report}"
    );
    // Neither read into the spec nor kept as a raw annotation the render would refuse.
    assert!(
        !spec.contains("create:") && !spec.contains("elb.autocreate"),
        "{spec}"
    );
    let strict = import("huawei-autocreate-wrong-types.yaml", &["--strict"]);
    assert_eq!(strict.status.code(), Some(2));
}

#[test]
fn health_options_naming_a_port_the_service_lacks_are_reported() {
    let out = import("huawei-health-options-unknown-port.yaml", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (report, spec) = (text(&out.stderr), text(&out.stdout));
    assert!(
        // Its values are valid CCE spellings (`UDP_CONNECT`), so it stays a raw annotation.
        report.contains("kubernetes.io/elb.health-check-options: kept as raw annotation (entry 0 names `UDP:54`, which is not a port of the Service (UDP:53);"),
        "{report}"
    );
    assert!(
        report.contains("kubernetes.io/elb.health-check-flag: kept as raw annotation (read back with kubernetes.io/elb.health-check-options, which does not read:"),
        "{report}"
    );
    assert!(!spec.contains("healthCheck"), "{spec}");
    // The flag and the options kept raw render as they were; the Service still renders.
    let (ok, rendered) = render(&spec);
    assert!(ok, "{rendered}");
    assert!(rendered.contains("UDP:54"), "{rendered}");
    assert!(
        rendered.contains(r#"kubernetes.io/elb.health-check-flag: "on""#),
        "{rendered}"
    );
}
