//! The annotation catalogues: every pack has one, every entry is well formed and sourced,
//! every key lbgen renders is in its provider's catalogue as written, and a user's raw
//! provider annotation is checked against it (unknown keys with the nearest known one,
//! values by type, controller-written keys refused, newer keys only when listed).

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn lbgen(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(common::binary())
        .current_dir(common::root())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .expect("write");
    drop(input);
    child.wait_with_output().expect("wait")
}

fn entries() -> Vec<serde_json::Value> {
    let out = lbgen(&["catalogue", "-o", "json"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("a JSON array")
}

#[test]
fn every_provider_has_a_sourced_catalogue() {
    let entries = entries();
    let providers: BTreeSet<&str> = entries
        .iter()
        .map(|e| e["provider"].as_str().expect("provider"))
        .collect();
    assert_eq!(
        providers,
        BTreeSet::from(["alibaba", "huawei", "tencent"]),
        "one catalogue a pack"
    );
    for e in &entries {
        for field in [
            "key",
            "provider",
            "kinds",
            "handling",
            "source",
            "valueType",
        ] {
            assert!(!e[field].is_null(), "{field} of {e}");
        }
        assert!(e.get("specField").is_some(), "specField (or null) of {e}");
        assert!(
            !e["source"].as_str().unwrap_or_default().trim().is_empty(),
            "{e}"
        );
    }
    // A key may have an entry per kind (its rules differ), never two for one kind.
    let mut seen = BTreeSet::new();
    for e in &entries {
        for kind in e["kinds"].as_array().expect("kinds") {
            let id = (
                e["provider"].to_string(),
                e["key"].to_string(),
                kind.to_string(),
            );
            assert!(seen.insert(id.clone()), "twice: {id:?}");
        }
    }
}

/// Every annotation key of every object rendered from the examples, with the provider that
/// rendered it and the object's kind.
fn rendered_keys() -> BTreeSet<(String, String, String)> {
    let mut keys = BTreeSet::new();
    for dir in ["examples/huawei", "examples/alibaba", "examples/tencent"] {
        let provider = dir.rsplit('/').next().unwrap().to_string();
        let out = lbgen(&["render", "-f", dir, "-o", "json"], None);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        for item in list["items"].as_array().expect("items") {
            if let Some(a) = item["metadata"]["annotations"].as_object() {
                let kind = item["kind"].as_str().unwrap_or_default().to_string();
                keys.extend(
                    a.keys()
                        .map(|k| (provider.clone(), kind.clone(), k.clone())),
                );
            }
        }
    }
    keys
}

#[test]
fn every_key_lbgen_renders_is_catalogued_as_written() {
    let entries = entries();
    let matches = |provider: &str, kind: &str, key: &str| {
        entries.iter().find(|e| {
            e["provider"] == provider
                && e["kinds"]
                    .as_array()
                    .is_some_and(|k| k.iter().any(|k| k == kind))
                && {
                    let name = e["key"].as_str().unwrap();
                    match (name.find('<'), name.rfind('>')) {
                        (Some(o), Some(c)) => {
                            key.starts_with(&name[..o]) && key.ends_with(&name[c + 1..])
                        }
                        _ => name == key,
                    }
                }
        })
    };
    let mut missing = Vec::new();
    for (provider, kind, key) in rendered_keys() {
        match matches(&provider, &kind, &key) {
            Some(e) if e["lbgen"] == "written" => {}
            Some(e) => missing.push(format!(
                "{provider} {kind} {key}: catalogued as {}",
                e["lbgen"]
            )),
            None if key.starts_with("app.kubernetes.io/") => {}
            None => missing.push(format!("{provider} {kind} {key}: not catalogued")),
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

const SPEC: &str = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: shop\n  annotations:\n    {ANNOTATION}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n{EXTRA}";

fn validate(annotation: &str, extra: &str) -> Output {
    let spec = SPEC
        .replace("{ANNOTATION}", annotation)
        .replace("{EXTRA}", extra);
    lbgen(&["validate", "-f", "-"], Some(&spec))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_misspelt_provider_annotation_exits_2_with_the_nearest_key() {
    let out = validate("kubernetes.io/elb.session-affinity-mod: SOURCE_IP", "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("[annotations/unknown]"), "{text}");
    assert!(
        text.contains("did you mean `kubernetes.io/elb.session-affinity-mode`"),
        "{text}"
    );
    assert!(text.contains("<stdin>:6:"), "{text}");
}

#[test]
fn a_wrong_value_names_the_allowed_ones() {
    let out = validate("kubernetes.io/elb.lb-algorithm: round_robin", "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stderr(&out);
    assert!(text.contains("[annotations/value]"), "{text}");
    assert!(text.contains("`ROUND_ROBIN`"), "{text}");
}

#[test]
fn a_key_newer_than_the_catalogue_passes_only_when_listed_and_visibly() {
    let key = "kubernetes.io/elb.some-future-feature";
    let refused = validate(&format!("{key}: \"on\""), "");
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let listed = validate(
        &format!("{key}: \"on\""),
        &format!("  uncheckedAnnotations: [{key}]\n"),
    );
    assert_eq!(listed.status.code(), Some(0), "{}", stderr(&listed));
    assert!(
        stderr(&listed).contains("[annotations/unchecked]"),
        "{}",
        stderr(&listed)
    );
}

#[test]
fn another_providers_annotation_is_refused() {
    let out = validate(
        "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-spec: slb.s1.small",
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("[annotations/other-provider]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_controller_written_key_is_refused() {
    let out = validate(
        "kubernetes.io/elb.eip-id: 8560972c-2cc5-4699-94d6-e46f146eb73d",
        "",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("[annotations/controller-written]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_key_gated_above_the_cluster_version_is_refused() {
    // cce_10_0385, Blocklist/Trustlist: elb.acl-id from v1.23.12-r0 (and per later train).
    let old = validate(
        "kubernetes.io/elb.acl-id: 4a6d1dcd",
        "  cluster: {version: v1.23.5-r0}\n",
    );
    assert_eq!(old.status.code(), Some(2), "{}", stderr(&old));
    assert!(
        stderr(&old).contains("[annotations/version]"),
        "{}",
        stderr(&old)
    );
    let new = validate(
        "kubernetes.io/elb.acl-id: 4a6d1dcd",
        "  cluster: {version: v1.28.2-r0}\n",
    );
    assert!(
        !stderr(&new).contains("[annotations/version]"),
        "{}",
        stderr(&new)
    );
}

#[test]
fn a_key_for_the_other_kind_is_refused() {
    // cce_10_0695: elb.listen-ports is an Ingress annotation; this spec renders a Service.
    let out = validate("kubernetes.io/elb.listen-ports: '[{\"HTTP\":80}]'", "");
    let text = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("[annotations/kind]"), "{text}");
    assert!(
        text.contains("goes on Ingress, not on the Service"),
        "{text}"
    );
}

#[test]
fn a_legacy_prefix_is_read_as_the_current_one_with_a_warning() {
    // CCM annotations.go: every key is also read under the legacy alicloud- prefix.
    let spec = |value: &str| {
        format!(
            "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: shop\n  annotations:\n    service.beta.kubernetes.io/alicloud-loadbalancer-acl-status: \"{value}\"\nspec:\n  provider: alibaba\n  exposure: service\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n"
        )
    };
    let good = lbgen(&["validate", "-f", "-"], Some(&spec("off")));
    assert_eq!(good.status.code(), Some(0), "{}", stderr(&good));
    assert!(
        stderr(&good).contains("[annotations/legacy-prefix]"),
        "{}",
        stderr(&good)
    );
    assert!(
        stderr(&good).contains("service.beta.kubernetes.io/alibaba-cloud-loadbalancer-acl-status")
    );
    let bad = lbgen(&["validate", "-f", "-"], Some(&spec("maybe")));
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    assert!(
        stderr(&bad).contains("expected one of `on`, `off`"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn explain_describes_an_annotation_from_its_catalogue() {
    let out = lbgen(&["explain", "kubernetes.io/elb.lb-algorithm"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("PROVIDER:   huawei"), "{text}");
    assert!(
        text.contains("TYPE:       one of \"ROUND_ROBIN\", \"LEAST_CONNECTIONS\", \"SOURCE_IP\""),
        "{text}"
    );
    assert!(
        text.contains("HANDLING:   typed spec field (spec.algorithm)"),
        "{text}"
    );
    // A short source name is spelt out.
    assert!(
        text.contains("cce_10_0385: https://support.huaweicloud.com/"),
        "{text}"
    );
    let miss = lbgen(&["explain", "kubernetes.io/elb.lb-algoritm"], None);
    assert_eq!(miss.status.code(), Some(2));
    assert!(
        stderr(&miss).contains("did you mean `kubernetes.io/elb.lb-algorithm`"),
        "{}",
        stderr(&miss)
    );
    assert!(miss.stdout.is_empty());
}

#[test]
fn every_typed_key_names_a_spec_field_that_exists() {
    let mut fields = BTreeSet::new();
    for e in entries() {
        let typed = e["handling"] == "typed spec field" || e["handling"] == "typed provider field";
        assert_eq!(typed, e["specField"].is_string(), "{e}");
        if let Some(list) = e["specField"].as_str() {
            fields.extend(list.split(", ").map(|f| f.replace("[]", "")));
        }
    }
    for field in fields {
        let out = lbgen(&["explain", &field], None);
        assert!(
            out.status.success(),
            "specField `{field}`: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_list_value_is_checked_for_empty_items_and_its_length() {
    // cce_10_0385, Blocklist/Trustlist: elb.acl-id is a comma-separated list of at most 5.
    let five = validate("kubernetes.io/elb.acl-id: a,b,c,d,e", "");
    assert!(
        !stderr(&five).contains("[annotations/value]"),
        "{}",
        stderr(&five)
    );
    let six = validate("kubernetes.io/elb.acl-id: a,b,c,d,e,f", "");
    assert_eq!(six.status.code(), Some(2), "{}", stderr(&six));
    assert!(stderr(&six).contains("at most 5 items"), "{}", stderr(&six));
    let gap = validate("kubernetes.io/elb.acl-id: a,,b", "");
    assert!(
        stderr(&gap).contains("without empty items"),
        "{}",
        stderr(&gap)
    );
}

#[test]
fn the_text_listing_totals_agree_with_the_entries() {
    let entries = entries();
    let out = lbgen(&["catalogue"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    for provider in ["huawei", "alibaba", "tencent"] {
        let (len, [shared, provider_fields, raw, controller, refused]) =
            handling_counts(&entries, provider);
        let line = format!(
            "{shared} typed spec fields, {provider_fields} typed provider fields, {raw} checked raw annotations, {controller} controller-written, {refused} refused"
        );
        let section = text
            .split("\n\n")
            .find(|s| s.starts_with(&provider.to_uppercase()))
            .expect("a section per provider");
        assert!(section.contains(&format!("  {len} entries (")), "{section}");
        assert!(section.contains(&line), "{line} in {section}");
    }
}

#[test]
fn listing_a_catalogued_key_as_unchecked_is_a_warning_to_remove_it() {
    let out = validate(
        "kubernetes.io/elb.lb-algorithm: round_robin",
        "  uncheckedAnnotations: [kubernetes.io/elb.lb-algorithm]\n",
    );
    let text = stderr(&out);
    assert!(text.contains("[annotations/unchecked]"), "{text}");
    assert!(
        text.contains("remove it from spec.uncheckedAnnotations"),
        "{text}"
    );
    assert!(!text.contains("[annotations/value]"), "{text}");
}

#[test]
fn the_readme_coverage_table_is_the_catalogues_output() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README");
    let entries = entries();
    for provider in ["huawei", "alibaba", "tencent"] {
        let (len, [shared, provider_fields, raw, controller, refused]) =
            handling_counts(&entries, provider);
        let row = format!(
            "| {provider} | {len} | {shared} | {provider_fields} | {raw} | {controller} | {refused} |"
        );
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}

/// A provider's entry count, and its entries by handling: typed spec field, typed provider
/// field, checked raw annotation, controller-written, refused.
fn handling_counts(entries: &[serde_json::Value], provider: &str) -> (usize, [usize; 5]) {
    let mine: Vec<_> = entries
        .iter()
        .filter(|e| e["provider"] == provider)
        .collect();
    let count = |h: &str| mine.iter().filter(|e| e["handling"] == h).count();
    (
        mine.len(),
        [
            count("typed spec field"),
            count("typed provider field"),
            count("checked raw annotation"),
            count("controller-written (refused)"),
            count("refused"),
        ],
    )
}

/// A typed provider field (`spec.<provider>.service|ingress.<field>`) is converted and
/// checked when the spec is read, before the load balancer's family is known, so it uses
/// the entry's own value type. No such entry may carry a family's own value type (the
/// catalogue's `by_family.<family>.value`): one that did would be checked against the
/// wrong type for that family. Today every family override is on a key a shared field
/// writes, which the pack checks per family.
#[test]
fn no_typed_provider_field_has_a_family_value_type() {
    let overridden: Vec<String> = entries()
        .iter()
        .filter(|e| e["handling"] == "typed provider field")
        .filter(|e| {
            e["by_family"]
                .as_object()
                .is_some_and(|f| f.values().any(|v| v.get("value").is_some()))
        })
        .map(|e| e["key"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(overridden, Vec::<String>::new());
    // The check can fail: family value types exist, on shared-field keys.
    assert!(entries().iter().any(|e| {
        e["handling"] == "typed spec field"
            && e["by_family"]
                .as_object()
                .is_some_and(|f| f.values().any(|v| v.get("value").is_some()))
    }));
}

/// CCE's UDP health check is spelt `UDP_CONNECT` by seed 001 (what lbgen writes) and `UDP`
/// by cce_10_0385 and cce_10_0684: a raw value may be either (the catalogue's
/// `disagreement`), and any other is refused with both named.
#[test]
fn both_documented_spellings_of_the_udp_check_pass_as_raw_values() {
    let option = |protocol: &str| {
        format!(
            "kubernetes.io/elb.health-check-option: '{{\"delay\":\"5\",\"timeout\":\"10\",\"max_retries\":\"3\",\"protocol\":\"{protocol}\"}}'"
        )
    };
    for ok in ["UDP_CONNECT", "UDP", "TCP"] {
        let out = validate(&option(ok), "");
        assert_eq!(out.status.code(), Some(0), "{ok}: {}", stderr(&out));
    }
    let out = validate(&option("UDP_X"), "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(r#""UDP", "UDP_CONNECT""#),
        "{}",
        stderr(&out)
    );
}
