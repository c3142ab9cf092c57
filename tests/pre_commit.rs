//! The pre-commit hooks of `.pre-commit-hooks.yaml`, run by the real `pre-commit` (PyPI)
//! in a throwaway git repository. `language: rust` makes pre-commit build kubectl-lbgen
//! from this repository with `cargo install`; its target directory is kept under
//! `target/pre-commit` so later runs only re-link.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(["-c", "user.email=ci@example.com", "-c", "user.name=ci"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

fn try_repo(dir: &Path, hook: &str) -> (Output, String) {
    let out = Command::new("pre-commit")
        .args(["try-repo"])
        .arg(common::root())
        .args([hook, "--all-files", "--color", "never"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", common::root().join("target/pre-commit"))
        .output()
        .expect("pre-commit is installed (pip install pre-commit; scripts/test does it)");
    let log =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out, log)
}

const SPEC: &str = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop, namespace: web}\nspec:\n  provider: huawei\n  exposure: service\n  loadBalancer: {id: lb-1}\n  selector: {app: shop}\n  ports: [{name: http, port: 80}]\n  stickiness: {mode: source-ip, timeout: 30m}\n";

#[test]
fn validate_and_render_check_hooks_under_real_pre_commit() {
    let repo = tempfile::tempdir().expect("tempdir");
    let dir = repo.path();
    git(dir, &["init", "-q"]);
    std::fs::create_dir(dir.join("specs")).expect("mkdir");
    std::fs::write(dir.join("specs/shop.yaml"), SPEC).expect("write");
    std::fs::write(dir.join("ci.yml"), "on: [push]\njobs: {}\n").expect("write");
    let rendered = Command::new(common::binary())
        .args(["render", "-f", "specs", "--out-dir", "rendered"])
        .current_dir(dir)
        .output()
        .expect("render");
    assert!(rendered.status.success());
    git(dir, &["add", "-A"]);

    let (out, log) = try_repo(dir, "lbgen-validate");
    assert!(
        out.status.success(),
        "valid specs (and unrelated YAML) pass: {log}"
    );
    let (out, log) = try_repo(dir, "lbgen-render-check");
    assert!(out.status.success(), "a current rendering passes: {log}");

    std::fs::write(dir.join("specs/shop.yaml"), SPEC.replace("30m", "2h")).expect("write");
    git(dir, &["add", "-A"]);
    let (out, log) = try_repo(dir, "lbgen-validate");
    assert!(!out.status.success(), "{log}");
    assert!(
        log.contains("huawei/session-timeout-range") && log.contains("specs/shop.yaml:10:"),
        "{log}"
    );

    std::fs::write(dir.join("specs/shop.yaml"), SPEC.replace("30m", "45m")).expect("write");
    git(dir, &["add", "-A"]);
    let (out, log) = try_repo(dir, "lbgen-render-check");
    assert!(!out.status.success(), "{log}");
    assert!(
        log.contains("stale:") && log.contains("service-shop.yaml"),
        "{log}"
    );
}
