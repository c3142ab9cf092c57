//! Typed provider fields (`spec.<provider>.service|ingress.<field>`), through the binary.
//!
//! The expectations are computed here from the catalogue's own description of each key
//! (`kubectl lbgen catalogue -o json`: value type, spellings, range, unit, separator), not
//! from lbgen's rendering code: every offered key of every provider is set once with a
//! value chosen from its type, and the rendered annotation must be exactly that value in
//! the controller's spelling and unit.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn lbgen(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(common::binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lbgen");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .expect("write stdin");
    drop(input);
    child.wait_with_output().expect("lbgen exits")
}

fn entries() -> Vec<Value> {
    let out = lbgen(&["catalogue", "-o", "json"], None);
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).expect("catalogue JSON")
}

/// A value of `ty` as YAML, and the annotation text it must become.
fn sample(ty: &Value) -> Option<(String, String)> {
    if let Some(allowed) = ty["enum"].as_array() {
        let first = allowed[0].as_str()?;
        return Some((format!("{first:?}"), first.to_string()));
    }
    if let Some(spellings) = ty["bool"].as_array() {
        return Some(("true".into(), spellings[0].as_str()?.to_string()));
    }
    if ty["integer"].is_object() {
        let n = ty["integer"]["min"]
            .as_i64()
            .unwrap_or_else(|| ty["integer"]["max"].as_i64().unwrap_or(1).min(1));
        return Some((n.to_string(), n.to_string()));
    }
    if ty["duration"].is_object() {
        let unit = ty["duration"]["unit"].as_str().unwrap_or("seconds");
        assert_eq!(unit, "seconds", "a new duration unit needs a case here");
        let n = ty["duration"]["min"].as_i64().unwrap_or(1).max(1);
        // Written in minutes where that is whole, so the conversion is what is tested.
        let yaml = if n % 60 == 0 {
            format!("{}m", n / 60)
        } else {
            format!("{n}s")
        };
        return Some((yaml, n.to_string()));
    }
    if ty["list"].is_object() {
        let separator = ty["list"]["separator"].as_str().unwrap_or(",");
        let item = &ty["list"]["item"];
        let (a, b) = match item["enum"].as_array() {
            Some(allowed) if allowed.len() > 1 => (
                allowed[0].as_str()?.to_string(),
                allowed[1].as_str()?.to_string(),
            ),
            _ => {
                let one = string_sample(&item["string"]);
                (one.clone(), one)
            }
        };
        return Some((format!("[{a:?}, {b:?}]"), format!("{a}{separator}{b}")));
    }
    if !ty["json"].is_null() {
        // The documented example (JSON is YAML flow syntax), written back compact.
        let example = ty["json"]["example"].as_str().unwrap_or("{}");
        let parsed: Value = serde_json::from_str(example).expect("a JSON example");
        return Some((parsed.to_string(), parsed.to_string()));
    }
    let example = string_sample(&ty["string"]);
    Some((format!("{example:?}"), example))
}

/// A string of a documented shape: its example (every pattern has one, which
/// `every_documented_string_shape_has_an_example_that_fits_it` checks), else `x1`.
fn string_sample(ty: &Value) -> String {
    ty["example"].as_str().unwrap_or("x1").to_string()
}

fn spec(provider: &str, kind: &str, group: &str, fields: &str) -> String {
    spec_for(provider, kind, group, "", fields)
}

/// A spec whose load balancer is of `family` (`nlb`: an Alibaba NLB in two zones; `""`:
/// the provider's default).
fn spec_for(provider: &str, kind: &str, group: &str, family: &str, fields: &str) -> String {
    let body = match kind {
        "Service" => {
            "  exposure: service\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n"
        }
        _ => {
            "  exposure: ingress\n  routes: [{host: a.example.com, backends: [{service: web, port: 80}]}]\n"
        }
    };
    // A new ALB needs two zones' vSwitches (a platform-owned class needs nothing more); an
    // internal TKE CLB needs a subnet (a public one nothing more).
    let body = match (provider, kind) {
        ("alibaba", "Ingress") => format!("{body}  loadBalancer: {{ingressClass: platform-alb}}\n"),
        ("tencent", _) => format!("{body}  network: public\n"),
        _ => body.to_string(),
    };
    let (body, block) = match family {
        "nlb" => (
            format!(
                "{body}  loadBalancer: {{create: {{zones: [cn-hangzhou-k, cn-hangzhou-j], subnetIds: [vsw-a1, vsw-b2]}}}}\n"
            ),
            "    loadBalancerType: nlb\n",
        ),
        _ => (body, ""),
    };
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: web, namespace: default}}\nspec:\n  provider: {provider}\n{body}  {provider}:\n{block}    {group}:\n{fields}"
    )
}

/// One field's YAML line, the annotation key it sets and the text it must have.
type FieldCase = (String, String, String);

#[test]
fn every_offered_key_renders_from_its_typed_field_in_the_controllers_spelling() {
    let mut groups: BTreeMap<(String, String, String, String), Vec<FieldCase>> = BTreeMap::new();
    for e in entries() {
        if e["handling"] != "typed provider field" {
            continue;
        }
        // A key read for some load-balancer families only goes on one of those (the
        // default family where it is among them), with that family's value type.
        let families: Vec<&str> = e["families"]
            .as_array()
            .map(|f| f.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let family = match families.first() {
            Some(first) if !families.contains(&"clb") => first.to_string(),
            _ => String::new(),
        };
        // Keys documented as exclusive with others are set in a spec of their own.
        let alone = e["conflicts"].as_array().is_some_and(|c| !c.is_empty());
        let batch = if alone {
            e["key"].as_str().unwrap().to_string()
        } else {
            String::new()
        };
        let ty = match e["by_family"][&family]["value"].is_object() {
            true => &e["by_family"][&family]["value"],
            false => &e["value"],
        };
        let (yaml, text) = sample(ty).expect("a sample value");
        let key = e["key"].as_str().unwrap().to_string();
        let pattern = key.contains('<');
        for field in e["specField"].as_str().unwrap().split(", ") {
            let parts: Vec<&str> = field.split('.').collect();
            let (provider, group, name) = (parts[1], parts[2], parts[3]);
            let (line, key) = if pattern {
                let open = key.find('<').unwrap();
                let close = key.rfind('>').unwrap();
                (
                    format!("      {name}: {{web-b: {yaml}}}\n"),
                    format!("{}web-b{}", &key[..open], &key[close + 1..]),
                )
            } else {
                (format!("      {name}: {yaml}\n"), key.clone())
            };
            let kind = if group == "service" {
                "Service"
            } else {
                "Ingress"
            };
            groups
                .entry((
                    provider.to_string(),
                    kind.to_string(),
                    family.clone(),
                    batch.clone(),
                ))
                .or_default()
                .push((line, key, text.clone()));
        }
    }
    assert!(groups.len() >= 5, "{:?}", groups.keys());
    for ((provider, kind, family, _), fields) in groups {
        let group = kind.to_ascii_lowercase();
        let lines: String = fields.iter().map(|(l, _, _)| l.as_str()).collect();
        let text = spec_for(&provider, &kind, &group, &family, &lines);
        let out = lbgen(&["render", "-f", "-", "-o", "json"], Some(&text));
        assert!(
            out.status.success(),
            "{provider} {kind}:\n{}\n{text}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rendered: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
        let items = rendered["items"]
            .as_array()
            .cloned()
            .unwrap_or_else(|| vec![rendered.clone()]);
        let object = items
            .iter()
            .find(|o| o["kind"] == kind.as_str())
            .unwrap_or_else(|| panic!("{provider}: no {kind} in {rendered}"));
        let got = &object["metadata"]["annotations"];
        for (_, key, want) in &fields {
            assert_eq!(
                got[key].as_str(),
                Some(want.as_str()),
                "{provider} {kind} `{key}` in {got}"
            );
        }
    }
}

fn render_error(text: &str) -> String {
    let out = lbgen(&["render", "-f", "-"], Some(text));
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_wrong_value_is_an_error_at_its_line_and_column_with_the_fix() {
    let cases = [
        // (field line, expected message part, line:col)
        (
            "      modificationProtection: ConsoleProtectio\n",
            "expected one of `ConsoleProtection`, `NonProtection` (did you mean `ConsoleProtection`?)",
            ":11:31",
        ),
        (
            "      modificationProtecton: NonProtection\n",
            "did you mean `modificationProtection`?",
            ":11:7",
        ),
        (
            "      deleteProtection: true\n",
            "expected one of `on`, `off`",
            ":11:25",
        ),
        (
            "      backendLabel: [a=b, \"c,d\"]\n",
            "cannot hold `,`",
            ":11:27",
        ),
        (
            "      backendLabel: a=b\n",
            "expected a YAML list",
            ":11:21",
        ),
    ];
    for (line, message, at) in cases {
        let text = spec("alibaba", "Service", "service", line);
        let err = render_error(&text);
        assert!(err.contains(message), "{line}: {err}");
        assert!(
            err.contains(&format!("<stdin>{at}")),
            "{line} at {at}: {err}"
        );
    }
}

#[test]
fn durations_convert_to_the_annotations_unit_or_say_why_not() {
    // Alibaba CLB connection-drain-timeout: seconds (CLB-PAGE, 10..900).
    let entries = entries();
    let drain = entries.iter().find(|e| {
        e["key"] == "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-connection-drain-timeout"
    });
    let Some(drain) = drain.filter(|e| e["handling"] == "typed provider field") else {
        return; // set by a shared spec field instead; its own tests cover the unit
    };
    let name = drain["specField"]
        .as_str()
        .unwrap()
        .rsplit('.')
        .next()
        .unwrap()
        .to_string();
    let text = spec(
        "alibaba",
        "Service",
        "service",
        &format!("      {name}: 2m\n"),
    );
    let out = lbgen(&["render", "-f", "-", "-o", "json"], Some(&text));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"120\""));
    let bare = render_error(&spec(
        "alibaba",
        "Service",
        "service",
        &format!("      {name}: 120\n"),
    ));
    assert!(bare.contains("expected a duration with its unit"), "{bare}");
}

#[test]
fn a_group_for_the_other_kind_and_a_key_set_twice_are_errors() {
    let text = spec("huawei", "Service", "ingress", "      subnetId: abc\n");
    let err = render_error(&text);
    assert!(err.contains("[annotations/kind]"), "{err}");
    assert!(err.contains("move it to the service group"), "{err}");
    let twice = spec("huawei", "Service", "service", "      subnetId: abc\n").replace(
        "metadata: {name: web, namespace: default}",
        "metadata: {name: web, namespace: default, annotations: {kubernetes.io/elb.subnet-id: abc}}",
    );
    let err = render_error(&twice);
    assert!(
        err.contains("is set by spec.huawei.service.subnetId too"),
        "{err}"
    );
}

#[test]
fn a_pattern_field_takes_names_that_cannot_change_the_key() {
    let entries = entries();
    let Some(pattern) = entries.iter().find(|e| {
        e["handling"] == "typed provider field" && e["key"].as_str().unwrap().contains('<')
    }) else {
        return;
    };
    let field = pattern["specField"]
        .as_str()
        .unwrap()
        .split(", ")
        .next()
        .unwrap();
    let parts: Vec<&str> = field.split('.').collect();
    let kind = if parts[2] == "service" {
        "Service"
    } else {
        "Ingress"
    };
    let (yaml, _) = sample(&pattern["value"]).unwrap();
    let text = spec(
        parts[1],
        kind,
        parts[2],
        &format!("      {}: {{\"a/b\": {yaml}}}\n", parts[3]),
    );
    let err = render_error(&text);
    assert!(err.contains("cannot be part of an annotation key"), "{err}");
}

#[test]
fn the_schema_describes_every_typed_provider_field() {
    let out = lbgen(&["schema"], None);
    let schema: Value = serde_json::from_slice(&out.stdout).expect("schema JSON");
    for e in entries()
        .iter()
        .filter(|e| e["handling"] == "typed provider field")
    {
        for field in e["specField"].as_str().unwrap().split(", ") {
            let parts: Vec<&str> = field.split('.').collect();
            let node = &schema["$defs"][format!("{}-settings", parts[1])]["properties"][parts[2]]["properties"]
                [parts[3]];
            let description = node["description"].as_str().unwrap_or_default();
            assert!(
                description.contains(e["key"].as_str().unwrap()),
                "{field}: {node}"
            );
        }
    }
}

#[test]
fn every_documented_string_shape_has_an_example_that_fits_it() {
    fn walk(ty: &Value, key: &str) {
        if let Some(pattern) = ty["string"]["pattern"].as_str() {
            let example = ty["string"]["example"].as_str();
            let re = regex::Regex::new(pattern).expect("a valid pattern");
            assert!(
                example.is_some_and(|e| re.is_match(e)),
                "`{key}`: pattern `{pattern}` needs an example that fits it, got {example:?}"
            );
        }
        if ty["list"].is_object() {
            walk(&ty["list"]["item"], key);
        }
    }
    for e in entries() {
        walk(&e["value"], e["key"].as_str().unwrap());
    }
}

#[test]
fn the_documented_limits_of_the_conformance_keys_are_errors_at_their_line() {
    // Each value breaks a limit the page of a conformance case states (tests/conformance/),
    // so the corpus's values sit inside limits that are enforced, not just written down.
    let cases = [
        // (provider, kind, group, field line, expected message part, line:col)
        (
            // Older copies of the ACK CLB page write key:value; the CCM splits on `=`
            // (catalogue disagreement on alibaba-cloud-loadbalancer-backend-label).
            "alibaba",
            "Service",
            "service",
            "      backendLabel: [\"failure-domain.beta.kubernetes.io/zone:ap-southeast-5a\"]\n",
            "expected text matching `^[^=,]+=[^,]*$`",
            ":11:22",
        ),
        (
            // CLB-PAGE usage notes: annotation values are case-sensitive.
            "alibaba",
            "Service",
            "service",
            "      modificationProtection: consoleProtection\n",
            "(did you mean `ConsoleProtection`?)",
            ":11:31",
        ),
        (
            // NLB-PAGE, Configure Listener New Connection Rate Limit (CPS): [0, 1000000].
            "alibaba",
            "Service",
            "service",
            "      cps: 1000001\n",
            "expected 0..1000000",
            ":11:12",
        ),
        (
            // NLB-PAGE, Configure Listener Port Range: one range:port a list item.
            "alibaba",
            "Service",
            "service",
            "      listenerPortRange: [\"80-100:80,400-500:443\"]\n",
            "cannot hold `,`",
            ":11:27",
        ),
        (
            // ALB-DICT, Priorities: 1~1000.
            "alibaba",
            "Ingress",
            "ingress",
            "      order: 1001\n",
            "expected 1..1000",
            ":11:14",
        ),
        (
            "alibaba",
            "Ingress",
            "ingress",
            "      order: 0\n",
            "expected 1..1000",
            ":11:14",
        ),
        (
            // cce_10_0939 Table 1: 1 to 1000.
            "huawei",
            "Ingress",
            "ingress",
            "      ingressOrder: 1001\n",
            "expected 1..1000",
            ":10:21",
        ),
        (
            // cce_10_0939 Table 1: rule-priority-enabled can only be set to true.
            "huawei",
            "Ingress",
            "ingress",
            "      rulePriorityEnabled: false\n",
            "expected one of `true`",
            ":10:28",
        ),
    ];
    for (provider, kind, group, line, message, at) in cases {
        let err = render_error(&spec(provider, kind, group, line));
        assert!(err.contains(message), "{line}: {err}");
        assert!(
            err.contains(&format!("<stdin>{at}")),
            "{line} at {at}: {err}"
        );
    }
}

#[test]
fn a_json_value_is_checked_against_its_documented_shape() {
    // cce_10_0949: a header rule's key is 1..40 letters, digits, `_` and `-`.
    let text = spec(
        "huawei",
        "Ingress",
        "ingress",
        "      headers: {web: {key: \"bad key\", values: [a]}}\n",
    );
    let err = render_error(&text);
    assert!(
        err.contains("$.key is \"bad key\"; expected text matching"),
        "{err}"
    );
    assert!(err.contains("<stdin>:10:22"), "{err}");
    // cce_10_0937: listen-ports is a list of one-key objects, HTTP or HTTPS, port 1..65535;
    // a raw annotation is checked against the same shape.
    let raw = spec("huawei", "Ingress", "ingress", "      {}\n").replace(
        "metadata: {name: web, namespace: default}",
        "metadata: {name: web, namespace: default, annotations: {kubernetes.io/elb.listen-ports: '[{\"HTTPS\": 70000}]'}}",
    );
    let err = render_error(&raw);
    assert!(err.contains("$[0].HTTPS is 70000"), "{err}");
}

#[test]
fn the_documented_example_renders_as_docs_spec_md_says() {
    let doc = std::fs::read_to_string(common::root().join("docs/spec.md")).expect("docs/spec.md");
    let section = doc
        .split("### Typed provider fields")
        .nth(1)
        .expect("the section");
    let example = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("its example");
    let out = lbgen(&["render", "-f", "-", "-o", "json"], Some(example));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rendered: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let service = rendered["items"]
        .as_array()
        .and_then(|items| items.iter().find(|o| o["kind"] == "Service"))
        .expect("a Service");
    let got = &service["metadata"]["annotations"];
    let p = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-";
    // What the section's comments promise, spelled as the CLB page documents the keys.
    assert_eq!(got[format!("{p}delete-protection")], "on", "{got}");
    assert_eq!(
        got[format!("{p}modification-protection")],
        "ConsoleProtection",
        "{got}"
    );
    assert_eq!(got[format!("{p}backend-label")], "node-pool=web", "{got}");
}

/// The first catalogue entry that `pick` accepts.
fn entry_where(pick: impl Fn(&Value) -> bool) -> Value {
    entries()
        .into_iter()
        .find(|e| pick(e))
        .expect("the catalogue has such an entry")
}

fn validate_stderr(text: &str) -> (Option<i32>, String) {
    let out = lbgen(&["validate", "-f", "-"], Some(text));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn families_conflicts_companions_and_undocumented_keys_are_judged_from_the_catalogue() {
    let with_annotations = |provider: &str, kind: &str, family: &str, annotations: &str| {
        spec_for(
            provider,
            kind,
            &kind.to_ascii_lowercase(),
            family,
            "      {}\n",
        )
        .replace(
            "metadata: {name: web, namespace: default}",
            &format!("metadata: {{name: web, namespace: default, annotations: {{{annotations}}}}}"),
        )
    };
    let sample_of = |e: &Value| sample(&e["value"]).expect("a sample").1;
    // A key the catalogue says only CLB reads, on an NLB Service.
    let clb_only = entry_where(|e| {
        e["provider"] == "alibaba"
            && e["families"] == serde_json::json!(["clb"])
            && e["handling"] == "typed provider field"
            && !e["key"].as_str().unwrap().contains('<')
    });
    let key = clb_only["key"].as_str().unwrap();
    let (code, err) = validate_stderr(&with_annotations(
        "alibaba",
        "Service",
        "nlb",
        &format!("{key}: {:?}", sample_of(&clb_only)),
    ));
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("[annotations/family]") && err.contains(key),
        "{err}"
    );
    // A key the controller's code reads but no page documents: accepted, with a warning.
    let undocumented = entry_where(|e| {
        e["provider"] == "alibaba"
            && e["documented"] == false
            && e["kinds"] == serde_json::json!(["Service"])
            && e["families"]
                .as_array()
                .is_none_or(|f| f.iter().any(|x| x == "clb"))
    });
    let key = undocumented["key"].as_str().unwrap();
    let (code, err) = validate_stderr(&with_annotations(
        "alibaba",
        "Service",
        "",
        &format!("{key}: {:?}", sample_of(&undocumented)),
    ));
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains("[annotations/undocumented]") && err.contains(key),
        "{err}"
    );
    // Two keys documented as exclusive.
    let exclusive = entry_where(|e| {
        e["provider"] == "tencent"
            && e["kinds"] == serde_json::json!(["Ingress"])
            && e["conflicts"].as_array().is_some_and(|c| !c.is_empty())
            && e["handling"] == "typed provider field"
    });
    let other = exclusive["conflicts"][0].as_str().unwrap().to_string();
    let other_entry = entry_where(|e| e["provider"] == "tencent" && e["key"] == other.as_str());
    let (code, err) = validate_stderr(&with_annotations(
        "tencent",
        "Ingress",
        "",
        &format!(
            "{}: {:?}, {other}: {:?}",
            exclusive["key"].as_str().unwrap(),
            sample_of(&exclusive),
            sample_of(&other_entry)
        ),
    ));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("[annotations/conflict]"), "{err}");
    // A key documented to go with another that the spec leaves out: a warning naming the
    // typed field to set (cce_10_0939: ingress-order with rule-priority-enabled).
    let needs =
        entry_where(|e| e["provider"] == "huawei" && e["key"] == "kubernetes.io/elb.ingress-order");
    let (code, err) = validate_stderr(&spec(
        "huawei",
        "Ingress",
        "ingress",
        &format!(
            "      ingressOrder: {}\n",
            sample(&needs["value"]).expect("a sample").0
        ),
    ));
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("[annotations/companion]"), "{err}");
    assert!(
        err.contains("set spec.huawei.ingress.rulePriorityEnabled"),
        "{err}"
    );
}
