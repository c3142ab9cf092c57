//! A fourth provider, built in the test from the data in `tests/fixtures/fourth-pack/`
//! (templates, rule file, annotation table) and installed beside the three built-in packs:
//! a spec with `provider: fourth` renders, validates (its rule fires on a bad spec),
//! explains and diffs, with nothing of it in `src/`.

use lbgen::diag::Severity;
use lbgen::diff::{Options, State, compare};
use lbgen::emit::Object;
use lbgen::plan::{Overrides, Plan};
use lbgen::provider::changes::{ChangeRule, ControllerRewrite, Field, Impact, Trigger};
use lbgen::provider::registry::{Asset, Ownership};
use lbgen::provider::{MANAGED_BY, Manifest, Mapped, Pack, ProviderId, Registry};
use lbgen::render::Renderer;
use lbgen::spec::load::Source;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Once;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fourth-pack");

/// `pack.yaml`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PackData {
    id: String,
    display_name: String,
    annotations: BTreeMap<String, String>,
    owned_prefixes: Vec<String>,
    written_by_controller: Vec<String>,
    not_in_place: Vec<NotInPlace>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NotInPlace {
    key: String,
    message: String,
    source: String,
}

/// A pack lives as long as the process (the registry hands out `'static` data).
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn leak_all(v: Vec<String>) -> &'static [&'static str] {
    Box::leak(
        v.into_iter()
            .map(leak)
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    )
}

/// The fourth pack: everything from the fixture's files.
struct FourthPack {
    id: &'static str,
    display_name: &'static str,
    annotations: Vec<(String, String)>,
    ownership: Ownership,
    change_rules: &'static [ChangeRule],
    templates: Vec<Asset>,
    rule_file: Asset,
}

impl FourthPack {
    fn from_fixture(dir: &Path) -> FourthPack {
        let read = |p: &str| std::fs::read_to_string(dir.join(p)).expect("fixture file");
        let data: PackData = serde_saphyr::from_str(&read("pack.yaml")).expect("pack.yaml");
        let id = leak(data.id);
        let change_rules = data
            .not_in_place
            .into_iter()
            .map(|r| ChangeRule {
                provider: id,
                kinds: std::borrow::Cow::Borrowed(&["Service"]),
                field: Field::Annotation(leak(r.key)),
                trigger: Trigger::AnyChange,
                impact: Impact::NotInPlace,
                message: leak(r.message).into(),
                source: leak(r.source),
                unless: None,
            })
            .collect::<Vec<_>>();
        let templates = std::fs::read_dir(dir.join("templates"))
            .expect("templates")
            .map(|e| {
                let path = e.expect("entry").path();
                let file = path.file_name().expect("name").to_string_lossy();
                let text = std::fs::read_to_string(&path).expect("template");
                (leak(format!("{id}/{file}")), leak(text))
            })
            .collect();
        let rule_name = format!("policies/{id}.yaml");
        FourthPack {
            id,
            display_name: leak(data.display_name),
            annotations: data.annotations.into_iter().collect(),
            ownership: Ownership {
                prefixes: leak_all(data.owned_prefixes),
                written_by_controller: leak_all(data.written_by_controller),
                rewritten_by_controller: &[] as &[ControllerRewrite],
            },
            change_rules: Box::leak(change_rules.into_boxed_slice()),
            templates,
            rule_file: (leak(rule_name.clone()), leak(read(&rule_name))),
        }
    }
}

impl Pack for FourthPack {
    fn id(&self) -> &'static str {
        self.id
    }
    fn display_name(&self) -> &'static str {
        self.display_name
    }
    /// A Service whose annotations come from the table: plan field -> annotation key.
    fn map(&self, plan: &Plan) -> Mapped {
        let lb = serde_json::to_value(plan).expect("a plan serialises");
        let annotations: BTreeMap<&str, Value> = self
            .annotations
            .iter()
            .filter_map(|(pointer, key)| match lb.pointer(pointer) {
                Some(Value::String(s)) => Some((key.as_str(), json!(s))),
                _ => None,
            })
            .collect();
        let mut labels = plan.labels.clone();
        labels.insert(MANAGED_BY.0.into(), MANAGED_BY.1.into());
        let ports: Vec<Value> = plan
            .listeners
            .iter()
            .map(|l| json!({"name": l.name, "port": l.port}))
            .collect();
        Mapped {
            manifests: vec![Manifest {
                template: format!("{}/service.yaml", self.id),
                context: json!({
                    "metadata": {"name": plan.name, "namespace": plan.namespace,
                        "labels": labels, "annotations": annotations},
                    "selector": plan.selector,
                    "ports": ports,
                }),
            }],
            ..Mapped::default()
        }
    }
    fn change_rules(&self) -> &'static [ChangeRule] {
        self.change_rules
    }
    fn ownership(&self) -> Ownership {
        self.ownership
    }
    fn templates(&self) -> Vec<Asset> {
        self.templates.clone()
    }
    fn rule_file(&self) -> Option<Asset> {
        Some(self.rule_file)
    }
}

/// Installs the built-in packs plus the fourth, once per test process, before any use.
fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let fourth = FourthPack::from_fixture(Path::new(FIXTURE));
        Registry::builtin()
            .with(Box::new(fourth))
            .install()
            .expect("the registry is unused so far");
    });
}

fn spec(extra: &str) -> Vec<Source> {
    vec![Source {
        name: "fourth.yaml".into(),
        text: format!(
            "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: shop, namespace: web}}\nspec:\n  provider: fourth\n  exposure: service\n  network: public\n  selector: {{app: shop}}\n  ports: [{{port: 80}}]\n{extra}"
        ),
    }]
}

fn rendered(sources: &[Source]) -> Vec<Object> {
    let policies = lbgen::policy::builtin().expect("built-in rules with the fourth's");
    lbgen::compile(
        sources,
        &Overrides::default(),
        &policies,
        &Renderer::new(None),
    )
    .expect("compiles")
    .objects
}

#[test]
fn the_fourth_provider_is_registered_beside_the_built_in_ones() {
    install();
    let ids = lbgen::provider::registry().ids();
    assert_eq!(ids, ["huawei", "alibaba", "tencent", "fourth"]);
    assert_eq!(
        ProviderId::parse("fourth").map(ProviderId::as_str),
        Some("fourth")
    );
    assert!(
        Registry::builtin().install().is_err(),
        "a registry in use stays"
    );
    let schema = serde_json::to_value(schemars::schema_for!(lbgen::spec::model::LoadBalancerDoc))
        .expect("schema");
    let consts: Vec<&str> = schema["$defs"]["Provider"]["oneOf"]
        .as_array()
        .expect("oneOf")
        .iter()
        .filter_map(|c| c["const"].as_str())
        .collect();
    assert_eq!(consts, ids);
}

#[test]
fn a_fourth_provider_spec_renders_with_the_packs_template_and_annotations() {
    install();
    let objects = rendered(&spec("  algorithm: least-connections\n"));
    let [service] = objects.as_slice() else {
        panic!("one object: {objects:?}");
    };
    assert_eq!(
        service.0,
        json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {
                "name": "shop",
                "namespace": "web",
                "labels": {"app.kubernetes.io/managed-by": "kubectl-lbgen"},
                "annotations": {
                    "lb.fourth.example/algorithm": "least-connections",
                    "lb.fourth.example/network": "public",
                },
            },
            "spec": {
                "type": "LoadBalancer",
                "selector": {"app": "shop"},
                "ports": [{"name": "tcp-80", "port": 80, "protocol": "TCP"}],
            },
        })
    );
}

#[test]
fn the_fourth_providers_rules_judge_its_specs_only() {
    install();
    let policies = lbgen::policy::builtin().expect("rules");
    let bad = lbgen::validate(
        &spec("  algorithm: source-ip\n"),
        &Overrides::default(),
        &policies,
    );
    let errors: Vec<(&str, Option<&str>)> = bad
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.rule.as_str(), d.field.as_deref()))
        .collect();
    assert_eq!(errors, [("fourth/no-source-ip", Some("spec.algorithm"))]);
    // The same spec for a built-in provider is not judged by the fourth's rules.
    let huawei = Overrides {
        provider: ProviderId::parse("huawei"),
        ..Overrides::default()
    };
    let other = lbgen::validate(&spec("  algorithm: source-ip\n"), &huawei, &policies);
    assert!(
        other.iter().all(|d| !d.rule.starts_with("fourth/")),
        "{other:?}"
    );
}

#[test]
fn a_spec_naming_an_unregistered_provider_lists_the_fourth_too() {
    install();
    let policies = lbgen::policy::builtin().expect("rules");
    let mut sources = spec("");
    sources[0].text = sources[0]
        .text
        .replace("provider: fourth", "provider: fifth");
    let diagnostics = lbgen::validate(&sources, &Overrides::default(), &policies);
    assert_eq!(
        diagnostics.first().map(|d| d.message.as_str()),
        Some("unknown value `fifth`; expected one of `huawei`, `alibaba`, `tencent`, `fourth`")
    );
}

#[test]
fn explain_shows_what_a_field_becomes_for_the_fourth_provider() {
    install();
    let files = lbgen::policy::load_files(&[]).expect("rule files");
    let e = lbgen::explain::explain("spec.algorithm", Some("fourth"), &files).expect("a field");
    assert_eq!(
        e.becomes,
        ["fourth: lb.fourth.example/algorithm (round-robin | least-connections)"]
    );
    let rules: Vec<&str> = e.rules.iter().map(|(id, _, _)| id.as_str()).collect();
    assert!(rules.contains(&"fourth/no-source-ip"), "{rules:?}");
    assert!(!rules.iter().any(|r| r.starts_with("huawei/")), "{rules:?}");
}

#[test]
fn diff_uses_the_fourth_packs_change_rules_and_ownership() {
    install();
    let desired = rendered(&spec(""));
    let mut live = desired[0].0.clone();
    let annotations = &mut live["metadata"]["annotations"];
    annotations["lb.fourth.example/network"] = json!("internal");
    // Owned by the pack but gone from the rendering: a removal to show.
    annotations["lb.fourth.example/id"] = json!("lb-old");
    // Written by the fourth cloud's controller: never a difference.
    annotations["lb.fourth.example/status"] = json!("ready");
    let options = Options {
        context_lines: 3,
        prune: false,
        scopes: Vec::new(),
        rules: lbgen::provider::change_rules(),
        ownership: lbgen::provider::annotation_ownership(),
        server_side: false,
    };
    let report = compare(&desired, &[Object(live)], &options).expect("compares");
    let [object] = report.objects.as_slice() else {
        panic!("one object");
    };
    assert_eq!(object.state, State::Changed);
    let warnings: Vec<(&str, &str)> = object
        .warnings
        .iter()
        .map(|w| (w.provider.as_str(), w.field.as_str()))
        .collect();
    assert_eq!(warnings, [("fourth", "lb.fourth.example/network")]);
    assert!(
        object.diff.contains("-    lb.fourth.example/id: lb-old"),
        "{}",
        object.diff
    );
    assert!(
        object
            .diff
            .contains("+    lb.fourth.example/network: public"),
        "{}",
        object.diff
    );
    assert!(
        !object.diff.contains("lb.fourth.example/status"),
        "{}",
        object.diff
    );
}
