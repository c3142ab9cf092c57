//! Golden files: every bundled example rendered through the binary, byte for byte
//! (stdout, stderr and exit code), so any change to rendered output is reviewed.

mod common;

use std::process::Command;

fn examples() -> Vec<std::path::PathBuf> {
    // One examples folder per registered provider.
    let mut files: Vec<_> = lbgen::provider::Registry::builtin()
        .ids()
        .into_iter()
        .flat_map(|id| {
            std::fs::read_dir(common::root().join("examples").join(id)).expect("examples dir")
        })
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_example_renders_to_its_golden_file() {
    let files = examples();
    assert!(
        files.len() >= 14,
        "one example per scenario of the Huawei and Tencent documents"
    );
    for file in files {
        let rel = file.strip_prefix(common::root()).expect("under root");
        let out = Command::new(common::binary())
            .current_dir(common::root())
            .args(["render", "-f"])
            .arg(rel)
            .env("NO_COLOR", "1")
            .output()
            .expect("run binary");
        let name = rel.to_string_lossy().replace(['/', '.'], "_");
        let text = format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn json_output_is_a_list_of_the_same_objects() {
    let run = |fmt: &str| {
        Command::new(common::binary())
            .current_dir(common::root())
            .args(["render", "-f", "examples/huawei", "-o", fmt])
            .output()
            .expect("run binary")
    };
    let yaml = run("yaml");
    let json = run("json");
    assert!(yaml.status.success() && json.status.success());
    let list: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON output");
    assert_eq!(list["kind"], "List");
    let docs: Vec<serde_json::Value> =
        serde_saphyr::from_multiple(&String::from_utf8_lossy(&yaml.stdout)).expect("YAML output");
    assert_eq!(list["items"].as_array().expect("items"), &docs);
}
