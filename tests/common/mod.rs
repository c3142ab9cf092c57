//! Helpers shared by the integration tests: compile YAML through the library exactly as
//! the binary does, and find the built binary.
#![allow(dead_code, unreachable_pub)]

use lbgen::diag::Diagnostic;
use lbgen::plan::Overrides;
use lbgen::render::Renderer;
use lbgen::spec::load::Source;

/// Compiles named sources with the built-in policies and templates; returns the YAML
/// stream or every diagnostic.
pub fn compile_sources(
    sources: &[(&str, &str)],
) -> Result<(String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let sources: Vec<Source> = sources
        .iter()
        .map(|(name, text)| Source {
            name: name.to_string(),
            text: text.to_string(),
        })
        .collect();
    let renderer = Renderer::new(None);
    let compiled = lbgen::compile(&sources, &Overrides::default(), policies(), &renderer)?;
    let text = lbgen::emit::to_stream(&compiled.objects, lbgen::emit::Format::Yaml).expect("emit");
    Ok((text, compiled.diagnostics))
}

/// The built-in rules, loaded once per test binary.
pub fn policies() -> &'static lbgen::policy::engine::PolicySet {
    static POLICIES: std::sync::OnceLock<lbgen::policy::engine::PolicySet> =
        std::sync::OnceLock::new();
    POLICIES.get_or_init(|| lbgen::policy::builtin().expect("built-in policies compile"))
}

/// Compiles one spec named `spec.yaml`.
pub fn compile(text: &str) -> Result<(String, Vec<Diagnostic>), Vec<Diagnostic>> {
    compile_sources(&[("spec.yaml", text)])
}

/// The built binary.
pub fn binary() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_BIN_EXE_kubectl-lbgen"))
}

/// The subcommands the binary's top-level `--help` lists (`help` aside): what every
/// per-subcommand check iterates, so a new subcommand is checked without a list to update.
pub fn subcommands() -> Vec<String> {
    let out = std::process::Command::new(binary())
        .arg("--help")
        .output()
        .expect("run --help");
    let top = String::from_utf8_lossy(&out.stdout).into_owned();
    top.split("Commands:")
        .nth(1)
        .and_then(|s| s.split("\n\n").next())
        .expect("a Commands section")
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// The repository root.
pub fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The objects of a YAML stream.
pub fn objects(stream: &str) -> Vec<serde_json::Value> {
    serde_saphyr::from_multiple(stream).expect("YAML stream")
}

/// The one object of `kind` in `stream`.
pub fn object(stream: &str, kind: &str) -> serde_json::Value {
    let mut found: Vec<serde_json::Value> = objects(stream)
        .into_iter()
        .filter(|o| o["kind"] == kind)
        .collect();
    assert_eq!(found.len(), 1, "one {kind} in\n{stream}");
    found.remove(0)
}

/// One YAML document as JSON.
pub fn yaml(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).expect("YAML")
}

/// Validates `files` against a JSON Schema with the real `check-jsonschema` (scripts/test
/// installs it); a failure prints what it said.
pub fn check_jsonschema(schema: &std::path::Path, files: &[std::path::PathBuf]) {
    let out = std::process::Command::new("check-jsonschema")
        .arg("--schemafile")
        .arg(schema)
        .args(files)
        .output()
        .expect(
            "check-jsonschema is installed (pip install check-jsonschema; scripts/test does it)",
        );
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The kinds of a ResourceList's items, in order.
pub fn item_kinds(list: &serde_json::Value) -> Vec<String> {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Runs the built binary with `args`, `stdin` written to its standard input (closed
/// when `None`), and waits for it.
pub fn run_with_stdin(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(binary())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).expect("write stdin");
    }
    drop(input);
    child.wait_with_output().expect("binary ends")
}

/// The bundled examples of the three built-in providers, sorted.
pub fn provider_examples() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = ["alibaba", "huawei", "tencent"]
        .iter()
        .flat_map(|p| std::fs::read_dir(root().join("examples").join(p)).expect("examples"))
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
}
