//! `import(render(spec))` is the same spec as `spec` up to defaults: both are planned (the
//! plan is the spec with every default filled in, what the rules and packs read) and the
//! plans compared field by field, for every bundled example and every conformance case's
//! spec, importing with the original's cluster version (`import --cluster-version`: no
//! manifest carries it). Where they differ the imported spec says the same thing another
//! way or the rendered objects do not carry it: `--nocapture` prints them, docs/import.md
//! says why, and the lower bound pinned here fails the test when one more appears.

mod common;

use lbgen::import::{Options, import};
use lbgen::plan::Overrides;
use lbgen::render::Renderer;
use lbgen::spec::load::Source;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The plans of `text`'s specs (JSON), and its rendered stream; `None` when it does not
/// compile.
fn plans(name: &str, text: &str) -> Option<(Vec<Value>, String)> {
    let sources = [Source {
        name: name.into(),
        text: text.into(),
    }];
    let compiled = lbgen::compile(
        &sources,
        &Overrides::default(),
        common::policies(),
        &Renderer::new(None),
    )
    .ok()?;
    let plans = compiled
        .specs
        .iter()
        .map(|s| serde_json::to_value(&s.plan).expect("plan as JSON"))
        .collect();
    let stream = lbgen::emit::to_stream(&compiled.objects, lbgen::emit::Format::Yaml).ok()?;
    Some((plans, stream))
}

/// The dotted paths where `a` and `b` differ.
fn differences(a: &Value, b: &Value, at: String, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                let (l, r) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                differences(l, r, format!("{at}.{k}"), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (l, r)) in x.iter().zip(y).enumerate() {
                differences(l, r, format!("{at}[{i}]"), out);
            }
        }
        _ if a != b => out.push(at),
        _ => {}
    }
}

/// Per input, the plan fields that differ after `import(render(spec))`.
fn round_trip(name: &str, spec: &str) -> Option<Vec<String>> {
    let (before, rendered) = plans(name, spec)?;
    let source = Source {
        name: "rendered".into(),
        text: rendered,
    };
    // The cluster's version is no manifest's: it is given, as `--cluster-version` does,
    // when every spec of the input names the same one.
    let versions: std::collections::BTreeSet<String> = before
        .iter()
        .map(|p| {
            p["cluster"]["version"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    let options = Options {
        cluster_version: versions
            .first()
            .filter(|v| versions.len() == 1 && !v.is_empty())
            .cloned(),
        ..Options::default()
    };
    let imported = import(std::slice::from_ref(&source), &options)
        .unwrap_or_else(|e| panic!("{name}: import: {e:?}"));
    let objects: Vec<lbgen::emit::Object> =
        imported.outputs.iter().map(|o| o.object.clone()).collect();
    let stream = lbgen::emit::to_stream(&objects, lbgen::emit::Format::Yaml).expect("emit");
    let Some((after, _)) = plans("imported", &stream) else {
        return Some(vec!["<does not compile>".into()]);
    };
    let mut out = Vec::new();
    if before.len() != after.len() {
        out.push(format!("<{} specs, then {}>", before.len(), after.len()));
        return Some(out);
    }
    for (b, a) in before.iter().zip(&after) {
        differences(b, a, String::new(), &mut out);
    }
    Some(out)
}

fn inputs() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for provider in ["alibaba", "huawei", "tencent"] {
        for dir in ["examples", "tests/conformance"] {
            let mut files: Vec<_> = std::fs::read_dir(Path::new(dir).join(provider))
                .expect("dir")
                .map(|e| e.expect("entry").path())
                .collect();
            files.sort();
            for file in files {
                let text = std::fs::read_to_string(&file).expect("read");
                let spec = if dir == "examples" {
                    text
                } else {
                    text.split("\n---")
                        .filter(|d| {
                            d.contains("lbgen.dev/") || d.trim_start().starts_with("# input")
                        })
                        .collect::<Vec<_>>()
                        .join("\n---\n")
                };
                out.push((file.display().to_string(), spec));
            }
        }
    }
    out
}

/// Every input whose imported spec plans differently, with the fields and why: what no
/// rendered object carries. docs/import.md ("Same spec, up to defaults") says the same.
const DIFFERENT: &[(&str, &str, &str)] = &[
    // The CCM takes an existing LB's address type from the LB: nothing is written.
    (
        "examples/alibaba/service-clb-server-cookie.yaml",
        ".network",
        "existing LB",
    ),
    // A cluster fact, as the version; and the pack's own default charge mode written out.
    (
        "examples/huawei/service-autocreate-dedicated.yaml",
        ".huawei.clusterFlavor, .loadBalancer.create.bandwidth.chargeMode",
        "cluster fact; pack default",
    ),
    // `workload` patches the Deployment; `clientAddress: preserve` writes nothing on TKE.
    (
        "examples/tencent/service-direct-access-workload.yaml",
        ".workload",
        "Deployment patch",
    ),
    (
        "examples/tencent/service-direct-access.yaml",
        ".listener.clientAddress, .workload",
        "TKE writes nothing; Deployment patch",
    ),
    (
        "examples/tencent/service-https-specify-protocol.yaml",
        ".network",
        "existing CLB",
    ),
    // PayBySpec beside a flavour renders as the pack's default does.
    (
        "tests/conformance/alibaba/ack-clb-01b-spec-billing.yaml",
        ".loadBalancer.create.billing",
        "same render",
    ),
    // A platform-class ALB's certificate is discovered by host: the id is never rendered.
    (
        "tests/conformance/alibaba/alb-05-ssl-redirect.yaml",
        ".routes[0].certificateId",
        "not rendered",
    ),
    (
        "tests/conformance/alibaba/alb-06-grpc-backend.yaml",
        ".routes[0].certificateId",
        "not rendered",
    ),
    (
        "tests/conformance/alibaba/clb-07-existing-override.yaml",
        ".network",
        "existing LB",
    ),
    (
        "tests/conformance/tencent/client-ip-local.yaml",
        ".listener.clientAddress",
        "TKE writes nothing",
    ),
    (
        "tests/conformance/tencent/seed004-service-direct-access-eni.yaml",
        ".workload",
        "Deployment patch",
    ),
];

#[test]
#[allow(clippy::print_stderr)]
fn imported_specs_plan_the_same_as_their_originals() {
    let mut differing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut total, mut same) = (0, 0);
    for (name, spec) in inputs() {
        let Some(diff) = round_trip(&name, &spec) else {
            continue;
        };
        total += 1;
        if diff.is_empty() {
            same += 1;
        } else {
            differing.insert(name, diff);
        }
    }
    for (name, diff) in &differing {
        eprintln!("{name}: {}", diff.join(", "));
    }
    eprintln!("{same} of {total} imported specs plan the same as their originals");
    assert!(total >= 150, "{total}");
    let got: Vec<(String, String)> = differing
        .iter()
        .map(|(n, d)| (n.clone(), d.join(", ")))
        .collect();
    let want: Vec<(String, String)> = DIFFERENT
        .iter()
        .map(|(n, d, _)| (n.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want);
}
