//! Hostile strings in every free-text field come out as exactly the same strings, read
//! back by two independent YAML readers: serde-saphyr (YAML 1.2) and PyYAML (YAML 1.1, the
//! dialect of kubectl's and Argo CD's readers, which takes unquoted `yes`, `on`, `y`,
//! `0755`, `1e3`, `~` for booleans, numbers or null).

mod common;

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

const HOSTILE: &[&str] = &[
    "a\nb",
    "key: value",
    "\"double\" and 'single'",
    "{{ template }}",
    "{% raw %}",
    "&anchor",
    "*alias",
    "# comment",
    "value # comment",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Yes",
    "ON",
    "true",
    "null",
    "~",
    "0755",
    "0x1F",
    "1e3",
    "1_000",
    "12:30",
    ".inf",
    "-.5",
    "- item",
    "[a, b]",
    "{a: b}",
    "@at",
    "`tick`",
    "%percent",
    "!tag",
    "!!str x",
    "|",
    ">",
    " leading",
    "trailing ",
    "tab\there",
    "unicode ✓",
    "back\\slash",
    "---",
    "...",
    "\u{1b}[31mred",
];

/// A JSON-quoted YAML scalar holding `s` (JSON strings are YAML double-quoted scalars).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("string")
}

fn specs() -> String {
    let mut out = String::new();
    for (i, h) in HOSTILE.iter().enumerate() {
        let h = q(h);
        out.push_str(&format!(
            "---\napiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: existing-{i}\n  annotations: {{example.com/note: {h}}}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {{app: web}}\n  loadBalancer: {{id: {h}}}\n  ports: [{{port: 443, protocol: HTTPS, certificateId: 17e3b4f4bc40471c86741dc3aa211379}}]\n  healthCheck: {{protocol: HTTP, path: {h}}}\n"
        ));
        out.push_str(&format!(
            "---\napiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: created-{i}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {{app: web}}\n  ports: [{{port: 80}}]\n  loadBalancer:\n    tier: dedicated\n    create: {{zones: [{h}], l4Flavor: {h}, subnetId: {h}, backendSubnetIds: [{h}]}}\n"
        ));
        out.push_str(&format!(
            "---\napiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: ingress-{i}\n  annotations: {{example.com/note: {h}}}\nspec:\n  provider: huawei\n  exposure: ingress\n  loadBalancer: {{id: {h}}}\n  routes: [{{path: {h}, match: regex, tls: {{certificateId: 058cc023690d48a3867ad69dbe9cd6e5}}, backends: [{{service: web, port: 80}}]}}]\n"
        ));
    }
    out
}

/// The same hostile strings in the free-text fields of the Alibaba pack and in the
/// annotations of both (Tencent's ids and names have formats its rules enforce).
fn other_provider_specs() -> String {
    let mut out = String::new();
    for (i, raw) in HOSTILE.iter().enumerate() {
        let h = q(raw);
        let cert = q(alibaba_certificate(raw));
        out.push_str(&format!(
            "---\napiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: ali-{i}\n  annotations: {{example.com/note: {h}}}\nspec:\n  provider: alibaba\n  exposure: service\n  selector: {{app: web}}\n  loadBalancer: {{id: lb-2zeo2m4j7rg5y0jv2xxxx, hostname: {h}}}\n  passThrough: true\n  ports: [{{port: 443, protocol: HTTPS, certificateId: {cert}}}]\n  backends: [{{serverGroup: rsp-2ze6j4phkw2xxxx, port: 443, weight: 50}}]\n"
        ));
        out.push_str(&format!(
            "---\napiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: tke-{i}\n  annotations: {{example.com/note: {h}}}\nspec:\n  provider: tencent\n  exposure: service\n  selector: {{app: web}}\n  loadBalancer: {{id: lb-6c8w2k1a}}\n  ports: [{{port: 80}}]\n"
        ));
    }
    out
}

/// A hostile string as an Alibaba certificate id, unless the pack refuses it there (a
/// comma or surrounding spaces: `alibaba/certificate-id-delimiter`).
fn alibaba_certificate(h: &str) -> &str {
    if h.contains(',') || h.trim() != h {
        "1231579085529123-cn-hangzhou"
    } else {
        h
    }
}

/// The rendered stream as PyYAML (YAML 1.1) reads it, as JSON.
fn read_with_pyyaml(yaml: &str) -> Vec<Value> {
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin.read()))))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 with PyYAML (pip install pyyaml)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(yaml.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("pyyaml");
    assert!(out.status.success(), "PyYAML could not read the output");
    serde_json::from_slice(&out.stdout).expect("json")
}

fn check(docs: &[Value], reader: &str) {
    let by_name = |name: String| {
        docs.iter()
            .find(|d| d["metadata"]["name"] == name.as_str())
            .unwrap_or_else(|| panic!("{reader}: no object {name}"))
    };
    let json_annotation = |doc: &Value, key: &str| -> Value {
        let text = doc["metadata"]["annotations"][key]
            .as_str()
            .unwrap_or_else(|| panic!("{reader}: {key} is not a string"));
        serde_json::from_str(text).expect("JSON annotation")
    };
    for (i, h) in HOSTILE.iter().enumerate() {
        let h = Value::from(*h);
        let svc = by_name(format!("existing-{i}"));
        let a = &svc["metadata"]["annotations"];
        assert_eq!(a["example.com/note"], h, "{reader}: annotation");
        assert_eq!(a["kubernetes.io/elb.id"], h, "{reader}: elb.id");
        // Certificate ids are refused unless they are 32 hex digits (huawei policies), so
        // no hostile string reaches elb.cert-id or the elb.tls-certificate-ids list.
        assert_eq!(
            a["kubernetes.io/elb.cert-id"], "17e3b4f4bc40471c86741dc3aa211379",
            "{reader}: cert-id"
        );
        assert_eq!(
            json_annotation(svc, "kubernetes.io/elb.health-check-option")["path"],
            h,
            "{reader}: health path"
        );
        let created = by_name(format!("created-{i}"));
        let auto = json_annotation(created, "kubernetes.io/elb.autocreate");
        assert_eq!(auto["available_zone"][0], h, "{reader}: zone");
        assert_eq!(auto["l4_flavor_name"], h, "{reader}: flavor");
        assert_eq!(auto["vip_subnet_cidr_id"], h, "{reader}: subnet");
        assert_eq!(auto["elb_virsubnet_ids"][0], h, "{reader}: backend subnet");
        let ing = by_name(format!("ingress-{i}"));
        assert_eq!(
            ing["spec"]["rules"][0]["http"]["paths"][0]["path"], h,
            "{reader}: path"
        );
        assert_eq!(
            ing["metadata"]["annotations"]["kubernetes.io/elb.tls-certificate-ids"],
            "058cc023690d48a3867ad69dbe9cd6e5",
            "{reader}: tls"
        );
        assert_eq!(
            ing["metadata"]["annotations"]["example.com/note"], h,
            "{reader}: ingress annotation"
        );
    }
}

#[test]
fn hostile_strings_survive_yaml_1_2_and_1_1_readers() {
    let (yaml, _) = common::compile(&specs()).unwrap_or_else(|d| panic!("{d:#?}"));
    let saphyr: Vec<Value> =
        serde_saphyr::from_multiple(&yaml).expect("serde-saphyr reads the output");
    assert_eq!(saphyr.len(), HOSTILE.len() * 3);
    check(&saphyr, "serde-saphyr");
    let pyyaml = read_with_pyyaml(&yaml);
    check(&pyyaml, "PyYAML (YAML 1.1)");
}

#[test]
fn ambiguous_scalars_are_quoted_in_the_text() {
    for word in [
        "yes", "on", "y", "0755", "1e3", "~", "null", "0x1F", "NO", "Off",
    ] {
        let spec = format!(
            "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: shop\n  annotations: {{example.com/v: \"{word}\"}}\nspec: {{provider: huawei, exposure: service, selector: {{app: web}}, ports: [{{port: 80}}]}}\n"
        );
        let (yaml, _) = common::compile(&spec).expect("compiles");
        let line = yaml
            .lines()
            .find(|l| l.contains("example.com/v"))
            .expect("annotation line");
        let value = line.split_once(": ").expect("key: value").1;
        assert!(
            value == format!("\"{word}\"") || value == format!("'{word}'"),
            "{word} must be quoted, got {line:?}"
        );
    }
}

#[test]
fn hostile_strings_survive_in_the_alibaba_and_tencent_packs() {
    let (yaml, _) = common::compile(&other_provider_specs()).unwrap_or_else(|d| panic!("{d:#?}"));
    let saphyr: Vec<Value> =
        serde_saphyr::from_multiple(&yaml).expect("serde-saphyr reads the output");
    let pyyaml = read_with_pyyaml(&yaml);
    for (docs, reader) in [(&saphyr, "serde-saphyr"), (&pyyaml, "PyYAML (YAML 1.1)")] {
        for (i, h) in HOSTILE.iter().enumerate() {
            let find = |name: String| {
                docs.iter()
                    .find(|d| d["metadata"]["name"] == name.as_str())
                    .unwrap_or_else(|| panic!("{reader}: no object {name}"))
            };
            let h = Value::from(*h);
            let ali = &find(format!("ali-{i}"))["metadata"]["annotations"];
            let p = "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-";
            assert_eq!(ali[format!("{p}hostname")], h, "{reader}: hostname");
            assert_eq!(
                ali[format!("{p}cert-id")],
                Value::from(alibaba_certificate(h.as_str().unwrap_or_default())),
                "{reader}: cert-id"
            );
            assert_eq!(ali["example.com/note"], h, "{reader}: alibaba annotation");
            let tke = &find(format!("tke-{i}"))["metadata"]["annotations"];
            assert_eq!(tke["example.com/note"], h, "{reader}: tencent annotation");
        }
    }
}

/// Alibaba ids reach delimited annotations (`vgroup-port`, `zone-maps`): a hostile id is
/// refused by the pack's shape rules instead of being written (policies/alibaba.yaml).
#[test]
fn hostile_alibaba_ids_are_refused() {
    for h in HOSTILE {
        let h = q(h);
        let spec = format!(
            "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: ali}}\nspec:\n  provider: alibaba\n  exposure: service\n  selector: {{app: web}}\n  loadBalancer: {{id: {h}}}\n  ports: [{{port: 80}}]\n  backends: [{{serverGroup: {h}, port: 80, weight: 50}}]\n"
        );
        let errors = common::compile(&spec).expect_err("hostile ids are refused");
        for rule in ["alibaba/load-balancer-id", "alibaba/server-group-id"] {
            assert!(
                errors.iter().any(|d| d.rule == rule),
                "{h}: {rule}: {errors:#?}"
            );
        }
    }
}
