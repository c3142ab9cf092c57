//! Robustness cases the hostile corpus cannot express (its files are UTF-8 text without
//! symlinks): bytes that are not UTF-8, symlinked files and folders, symlink loops, a
//! mapping of 100,000 distinct keys, and SARIF logs of broken inputs checked against the
//! SARIF 2.1.0 schema.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use std::time::{Duration, Instant};

const SPEC: &str = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n";

fn lbgen(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(common::binary());
    cmd.current_dir(dir).env("NO_COLOR", "1");
    cmd
}

#[test]
fn invalid_utf8_is_located_at_its_first_bad_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("in.yaml"),
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \xc3\xa9t\xe9}\n",
    )
    .expect("write");
    lbgen(dir.path())
        .args(["render", "-f", "in.yaml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("in.yaml:3:20")
                .and(predicate::str::contains("byte 0xE9"))
                .and(predicate::str::contains("save the file as UTF-8")),
        );
}

#[cfg(unix)]
#[test]
fn symlinked_files_and_folders_are_followed_once() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    let real = dir.path().join("real");
    std::fs::create_dir_all(real.join("team")).expect("mkdir");
    std::fs::write(real.join("team/web.yaml"), SPEC).expect("write");
    std::fs::create_dir(dir.path().join("specs")).expect("mkdir");
    // a symlinked folder, a symlinked file to the same spec, and a loop back to the root
    symlink(real.join("team"), dir.path().join("specs/linked-team")).expect("symlink");
    symlink(
        real.join("team/web.yaml"),
        dir.path().join("specs/web.yaml"),
    )
    .expect("symlink");
    symlink(dir.path().join("specs"), dir.path().join("specs/loop")).expect("symlink");
    let out = lbgen(dir.path())
        .args(["render", "-f", "specs"])
        .timeout(Duration::from_secs(30))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    // read once although reached three ways; the loop is reported, not followed forever
    assert_eq!(stdout.matches("kind: Service").count(), 1, "{stdout}");
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("[load/skipped]"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_is_reported_not_silently_skipped() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("specs")).expect("mkdir");
    std::fs::write(dir.path().join("specs/web.yaml"), SPEC).expect("write");
    symlink(
        dir.path().join("gone.yaml"),
        dir.path().join("specs/old.yaml"),
    )
    .expect("symlink");
    lbgen(dir.path())
        .args(["render", "-f", "specs"])
        .assert()
        .success()
        .stderr(
            predicate::str::contains("old.yaml").and(predicate::str::contains("[load/skipped]")),
        );
}

#[test]
fn duplicate_keys_are_found_in_linear_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n");
    for i in 0..100_000 {
        text.push_str(&format!("  k{i}: v\n"));
    }
    text.push_str("  k99999: again\n");
    std::fs::write(dir.path().join("in.yaml"), &text).expect("write");
    let started = Instant::now();
    lbgen(dir.path())
        .args(["render", "-f", "in.yaml"])
        .timeout(Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("duplicate key `k99999`")
                .and(predicate::str::contains("in.yaml:100005:3")),
        );
    // quadratic took 46 s for these keys in a release build; linear is well under this
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
}

fn check_sarif(log: &[u8]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("log.sarif.json");
    std::fs::write(&file, log).expect("write");
    common::check_jsonschema(
        &common::root().join("tests/fixtures/sarif-2.1.0.json"),
        std::slice::from_ref(&file),
    );
}

#[test]
fn sarif_of_broken_inputs_is_valid_sarif_with_uri_references() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("my specs")).expect("mkdir");
    std::fs::write(
        dir.path().join("my specs/a #1.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n",
    )
    .expect("write");
    let out = lbgen(dir.path())
        .args(["validate", "-f", "my specs/a #1.yaml", "-o", "sarif"])
        .assert()
        .code(2);
    let log = out.get_output().stdout.clone();
    let json: serde_json::Value = serde_json::from_slice(&log).expect("JSON");
    assert_eq!(
        json["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20specs/a%20%231.yaml"
    );
    check_sarif(&log);
    // a file that cannot be read is a result too, in a valid log
    let out = lbgen(dir.path())
        .args(["validate", "-f", "missing.yaml", "-o", "sarif"])
        .assert()
        .code(2);
    let log = out.get_output().stdout.clone();
    let json: serde_json::Value = serde_json::from_slice(&log).expect("JSON");
    assert_eq!(json["runs"][0]["results"][0]["ruleId"], "load/input");
    check_sarif(&log);
}
