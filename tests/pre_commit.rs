//! The pre-commit hooks, run by the real `pre-commit` (PyPI) in a throwaway git repository:
//! the `repo: local` configuration README.md prints (with the kubectl-lbgen under test on
//! PATH), this repository's `language: system` hooks through `pre-commit try-repo`, and its
//! building hooks (`scripts/pre-commit-hook`, which builds with the lock file; the build goes
//! to `target/pre-commit` so later runs only check it is fresh).

mod common;

use std::path::{Path, PathBuf};
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

/// PATH with the directory of the binary under test first, as an installed kubectl-lbgen.
fn path_with_binary() -> String {
    let bin = common::binary();
    let dir = bin.parent().expect("binary dir");
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Runs pre-commit; each run is named on stderr (shown with `--nocapture`), as the building
/// hooks may compile for minutes the first time.
fn pre_commit(dir: &Path, args: &[&str]) -> (Output, String) {
    pre_commit_with(dir, args, None)
}

/// Runs pre-commit, with its clone cache in `home` when given.
#[allow(clippy::print_stderr)]
fn pre_commit_with(dir: &Path, args: &[&str], home: Option<&Path>) -> (Output, String) {
    eprintln!("pre-commit {}", args.join(" "));
    let mut command = Command::new("pre-commit");
    if let Some(home) = home {
        command.env("PRE_COMMIT_HOME", home);
    }
    let out = command
        .args(args)
        .args(["--all-files", "--color", "never"])
        .current_dir(dir)
        .env("PATH", path_with_binary())
        .env("CARGO_TARGET_DIR", common::root().join("target/pre-commit"))
        .output()
        .expect("pre-commit is installed (pip install pre-commit; scripts/test does it)");
    let log =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out, log)
}

const SPEC: &str = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop, namespace: web}\nspec:\n  provider: huawei\n  exposure: service\n  loadBalancer: {id: lb-1}\n  selector: {app: shop}\n  ports: [{name: http, port: 80}]\n  stickiness: {mode: source-ip, timeout: 30m}\n";

/// A git repository with one valid spec, an unrelated YAML file and a current rendering.
fn repository() -> tempfile::TempDir {
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
    repo
}

/// Runs the validate and render-check hooks through `run` on a current, an invalid and a
/// stale repository, and checks each outcome.
fn exercise(run: impl Fn(&Path, &str) -> (Output, String), validate: &str, render: &str) {
    let repo = repository();
    let dir = repo.path();
    let (out, log) = run(dir, validate);
    assert!(
        out.status.success(),
        "valid specs (and unrelated YAML) pass: {log}"
    );
    let (out, log) = run(dir, render);
    assert!(out.status.success(), "a current rendering passes: {log}");

    std::fs::write(dir.join("specs/shop.yaml"), SPEC.replace("30m", "2h")).expect("write");
    git(dir, &["add", "-A"]);
    let (out, log) = run(dir, validate);
    assert!(!out.status.success(), "{log}");
    assert!(
        log.contains("huawei/session-timeout-range") && log.contains("specs/shop.yaml:10:"),
        "{log}"
    );

    std::fs::write(dir.join("specs/shop.yaml"), SPEC.replace("30m", "45m")).expect("write");
    git(dir, &["add", "-A"]);
    let (out, log) = run(dir, render);
    assert!(!out.status.success(), "{log}");
    assert!(
        log.contains("stale:") && log.contains("service-shop.yaml"),
        "{log}"
    );
}

/// The `repo: local` block of README.md's pre-commit section, exactly as printed.
fn readme_local_config() -> String {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let section = readme
        .split("### pre-commit")
        .nth(1)
        .expect("README has a pre-commit section");
    section
        .split("```yaml\n")
        .skip(1)
        .filter_map(|block| block.split("```").next())
        .find(|block| block.contains("repo: local"))
        .expect("README's pre-commit section shows a `repo: local` configuration")
        .to_string()
}

#[test]
fn readme_local_configuration_works_as_written() {
    let config = readme_local_config();
    let hook_id = |name: &str| {
        assert!(config.contains(&format!("id: {name}")), "{config}");
        name.to_string()
    };
    let (validate, render) = (hook_id("lbgen-validate"), hook_id("lbgen-render-check"));
    exercise(
        |dir, hook| {
            std::fs::write(dir.join(".pre-commit-config.yaml"), &config).expect("write");
            git(dir, &["add", "-A"]);
            pre_commit(dir, &["run", hook])
        },
        &validate,
        &render,
    );
}

fn try_repo(dir: &Path, hook: &str) -> (Output, String) {
    let root: PathBuf = common::root();
    let root = root.to_str().expect("utf-8 path");
    pre_commit(dir, &["try-repo", root, hook])
}

#[test]
fn system_hooks_use_the_installed_binary() {
    exercise(
        try_repo,
        "lbgen-validate-system",
        "lbgen-render-check-system",
    );
}

/// The building hooks through a `repo:` entry at this repository's HEAD commit, as a user
/// configures them. pre-commit clones the repository once into `PRE_COMMIT_HOME` (kept
/// under `target/`), so the hook compiles kubectl-lbgen on the first run only; `try-repo`
/// would clone it anew, and compile it again, for every run. Committed hooks are what is
/// tested here (CI runs on a clean checkout).
#[test]
fn building_hooks_build_with_the_lock_file() {
    let root = common::root();
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(&root)
        .output()
        .expect("git");
    let head = String::from_utf8_lossy(&head.stdout).trim().to_string();
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: lbgen-validate\n      - id: lbgen-render-check\n",
        root.display()
    );
    exercise(
        |dir, hook| {
            std::fs::write(dir.join(".pre-commit-config.yaml"), &config).expect("write");
            git(dir, &["add", "-A"]);
            pre_commit_cached(dir, &["run", hook])
        },
        "lbgen-validate",
        "lbgen-render-check",
    );
}

/// `pre_commit` with pre-commit's clone cache kept under `target/`.
fn pre_commit_cached(dir: &Path, args: &[&str]) -> (Output, String) {
    pre_commit_with(
        dir,
        args,
        Some(&common::root().join("target/pre-commit-home")),
    )
}
