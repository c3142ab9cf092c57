//! The built-in provider registry is the one list of providers: `--provider`'s values,
//! the JSON Schema's `Provider` enum and the pack folders all name exactly its ids, in
//! its order (read from the binary's own output and the repository, not from the registry).

mod common;

use lbgen::provider::Registry;
use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(common::binary())
        .args(args)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{args:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn provider_values_of_every_subcommand_are_the_registry_ids() {
    let ids = Registry::builtin().ids();
    let expected = format!("[possible values: {}]", ids.join(", "));
    for subcommand in ["render", "validate", "explain", "diff", "check"] {
        let out = Command::new(common::binary())
            .args([subcommand, "--provider", "no-such-cloud", "spec"])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&expected), "{subcommand}: {stderr}");
    }
    let help = run(&["render", "--help"]);
    for pack in Registry::builtin().packs() {
        let line = format!("- {}:", pack.id());
        let described = help
            .lines()
            .any(|l| l.trim_start().starts_with(&line) && l.ends_with(pack.display_name()));
        assert!(described, "{line} {} in\n{help}", pack.display_name());
    }
}

#[test]
fn the_schema_enum_is_the_registry_ids() {
    let schema: serde_json::Value = serde_json::from_str(&run(&["schema"])).expect("JSON");
    let consts: Vec<&str> = schema["$defs"]["Provider"]["oneOf"]
        .as_array()
        .expect("oneOf")
        .iter()
        .map(|c| c["const"].as_str().expect("const"))
        .collect();
    assert_eq!(consts, Registry::builtin().ids());
}

#[test]
fn every_template_folder_and_rule_file_belongs_to_a_registered_pack() {
    let mut ids = Registry::builtin().ids();
    ids.sort_unstable();
    let mut folders: Vec<String> = std::fs::read_dir(common::root().join("templates"))
        .expect("templates/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    assert_eq!(folders, ids);
    let mut rule_files: Vec<String> = std::fs::read_dir(common::root().join("policies"))
        .expect("policies/")
        .filter_map(|e| {
            let name = e.expect("entry").file_name().to_string_lossy().into_owned();
            name.strip_suffix(".yaml").map(str::to_string)
        })
        .filter(|n| n != "common")
        .collect();
    rule_files.sort();
    assert_eq!(rule_files, ids);
}
