//! Embeds the built-in templates (`templates/<pack>/*.yaml`), rule files
//! (`policies/*.yaml`) and annotation catalogues (`catalogues/*.yaml`) by directory: a file added there is in the binary without a line of
//! Rust. Writes `$OUT_DIR/builtin_assets.rs` with one `(name, include_str!(path))` row per
//! file, sorted by name so the binary is reproducible. Only `std` is used (no build
//! dependency): minijinja-embed would cover the templates but not the rule files.

// Cargo reads a build script's instructions from its stdout.
#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=policies");
    println!("cargo:rerun-if-changed=catalogues");
    let mut code = String::new();
    // Templates one directory deep: `<pack>/<kind>.yaml`.
    let mut templates = Vec::new();
    for pack in sorted_entries(&root.join("templates")) {
        if pack.is_dir() {
            templates.extend(yaml_files(&pack, &root.join("templates")));
        }
    }
    table(&mut code, "TEMPLATES", &templates);
    // Rule files at the top of `policies/` only (`policies/tests/` holds their tests).
    let rules = yaml_files(&root.join("policies"), &root);
    table(&mut code, "RULE_FILES", &rules);
    // Annotation catalogues: `catalogues/<pack>.yaml`.
    let catalogues = yaml_files(&root.join("catalogues"), &root);
    table(&mut code, "CATALOGUES", &catalogues);
    std::fs::write(out.join("builtin_assets.rs"), code).expect("OUT_DIR is writable");
}

/// `(name relative to base, absolute path)` of the `*.yaml` files directly in `dir`.
fn yaml_files(dir: &Path, base: &Path) -> Vec<(String, PathBuf)> {
    sorted_entries(dir)
        .into_iter()
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| {
            let name = p
                .strip_prefix(base)
                .expect("below base")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (name, p)
        })
        .collect()
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("readable directory entry").path())
        .collect();
    entries.sort();
    entries
}

fn table(code: &mut String, name: &str, files: &[(String, PathBuf)]) {
    let _ = writeln!(code, "pub(crate) const {name}: &[(&str, &str)] = &[");
    for (file, path) in files {
        let _ = writeln!(
            code,
            "    ({file:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    let _ = writeln!(code, "];");
}
