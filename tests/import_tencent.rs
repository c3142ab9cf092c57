//! `kubectl lbgen import` of TKE manifests with the `TkeServiceConfig` their
//! `tke-service-config` annotation names, through the real binary: the config is read
//! back into the spec (scheduler, session, health check, backend protocol) and consumed
//! only when the spec renders it back exactly; a config that is missing, in another
//! namespace, edited by hand beyond what lbgen writes, or internally inconsistent passes
//! through untouched with the annotation, and the report says why. `--cluster-version`
//! writes the cluster's version, which no manifest carries.

mod common;

use std::process::Output;

fn run(args: &[&str], stdin: &str) -> Output {
    common::run_with_stdin(args, Some(stdin))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The rendered Service example with its TkeServiceConfig (LEAST_CONN, 600 s sessions,
/// a check per port).
fn rendered() -> String {
    let spec = std::fs::read_to_string("examples/tencent/service-tke-service-config.yaml")
        .expect("example");
    let out = run(&["render", "-f", "-"], &spec);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

#[test]
fn lbgens_own_config_is_read_into_the_spec_and_consumed() {
    let out = run(&["import", "-f", "-"], &rendered());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (spec, report) = (text(&out.stdout), text(&out.stderr));
    assert!(!spec.contains("kind: TkeServiceConfig"), "{spec}");
    assert!(spec.contains("algorithm: least-connections"), "{spec}");
    assert!(spec.contains("mode: source-ip"), "{spec}");
    assert!(spec.contains("timeout: 10m"), "{spec}");
    assert!(!spec.contains("tke-service-config"), "{spec}");
    assert!(
        report.contains("TkeServiceConfig orders-lbgen-svc: mapped -> spec.algorithm"),
        "{report}"
    );
    // And it renders back the same objects.
    let back = run(&["render", "-f", "-"], &spec);
    assert_eq!(text(&back.stdout), rendered());
}

#[test]
fn a_config_not_in_the_input_or_in_another_namespace_is_not_read() {
    let full = rendered();
    let (config, service) = full.split_once("\n---\n").expect("two objects");
    for input in [
        service.to_string(),
        format!(
            "{}\n---\n{service}",
            config.replace("namespace: shop", "namespace: other")
        ),
    ] {
        let out = run(&["import", "-f", "-"], &input);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let (spec, report) = (text(&out.stdout), text(&out.stderr));
        assert!(
            report.contains("TkeServiceConfig orders-lbgen-svc: ")
                && report.contains("not in the input"),
            "{report}"
        );
        assert!(!spec.contains("least-connections"), "{spec}");
        assert!(
            spec.contains("service.cloud.tencent.com/tke-service-config: orders-lbgen-svc"),
            "{spec}"
        );
    }
}

#[test]
fn a_config_beyond_what_lbgen_writes_passes_through_with_why() {
    let full = rendered();
    for (edit, why) in [
        // A field lbgen never writes.
        (
            full.replacen(
                "      port: 9090\n",
                "      port: 9090\n      extra: 1\n",
                1,
            ),
            "not a config lbgen writes",
        ),
        // Two listeners with different schedulers: no one spec algorithm says that.
        (
            full.replacen("scheduler: LEAST_CONN", "scheduler: WRR", 1),
            "TkeServiceConfig orders-lbgen-svc scheduler",
        ),
        // Wrong JSON types.
        (
            full.replacen("sessionExpireTime: 600", "sessionExpireTime: [600]", 1),
            "not a config lbgen writes",
        ),
    ] {
        let out = run(&["import", "-f", "-"], &edit);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let (spec, report) = (text(&out.stdout), text(&out.stderr));
        assert!(report.contains(why), "{why}: {report}");
        assert!(report.contains("unsupported on target"), "{report}");
        assert!(
            spec.contains("kind: TkeServiceConfig"),
            "passed through: {spec}"
        );
    }
}

#[test]
fn the_cluster_version_is_given_on_the_command_line() {
    let out = run(
        &["import", "-f", "-", "--cluster-version", "v1.30.0"],
        &rendered(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("version: v1.30.0"),
        "{}",
        text(&out.stdout)
    );
    let bad = run(&["import", "-f", "-", "--cluster-version", "1.x"], "");
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad.stderr));
    assert!(
        text(&bad.stderr).contains("--cluster-version"),
        "{}",
        text(&bad.stderr)
    );
}

/// Translated, a config that would pass through is not carried to the other cloud's
/// output: it is left out and reported.
#[test]
fn a_kept_config_is_not_carried_to_another_provider() {
    let edited = rendered().replacen(
        "      port: 9090\n",
        "      port: 9090\n      extra: 1\n",
        1,
    );
    let out = run(&["import", "-f", "-", "--to", "alibaba"], &edited);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (spec, report) = (text(&out.stdout), text(&out.stderr));
    assert!(!spec.contains("TkeServiceConfig"), "{spec}");
    assert!(
        report.contains(
            "TkeServiceConfig orders-lbgen-svc: unsupported on target (a tencent object: not carried to alibaba)"
        ),
        "{report}"
    );
    assert!(!report.contains("passed through untouched"), "{report}");
    // Without --to it passes through as it was.
    let same = run(&["import", "-f", "-"], &edited);
    assert!(text(&same.stdout).contains("extra: 1"));
}
