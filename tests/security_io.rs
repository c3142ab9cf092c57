//! Security and lost-output faults the data-driven corpus cannot express: a full stdout,
//! a closed pipe, a full or read-only file system under `--out-dir` (tmpfs mounts), a run
//! killed mid-write, a template symlink leading out, and `diff` against a fake API server
//! given identities that once became Secret LISTs or a real (not dry-run) apply.

mod common;
mod diff_support;
mod fake_api;

use diff_support::*;
use fake_api::FakeApi;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Stdio};

fn lbgen() -> Command {
    let mut cmd = Command::new(common::binary());
    cmd.current_dir(common::root()).env("NO_COLOR", "1");
    cmd
}

#[test]
fn a_full_stdout_is_exit_2_with_a_message() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let out = lbgen()
        .args(["render", "-f", "examples/huawei"])
        .stdout(full)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot write to stdout"), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
}

#[test]
fn every_subcommand_reports_a_full_stdout() {
    for args in [
        &["schema"][..],
        &["explain", "spec.stickiness"][..],
        &["completion", "bash"][..],
        &["man"][..],
        &["validate", "-f", "examples/huawei", "-o", "json"][..],
        &["render", "-f", "examples/tencent", "-o", "json"][..],
        &[
            "diff",
            "-f",
            "examples/huawei/service-existing-lb.yaml",
            "--live-dir",
            "examples/huawei",
        ][..],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let out = lbgen().args(args).stdout(full).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to stdout"),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn a_closed_pipe_is_success() {
    let mut child = lbgen()
        .args(["render", "-f", "examples/huawei"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    assert_eq!(child.wait().expect("wait").code(), Some(0));
}

/// Runs `f` with a fresh tmpfs of `size` mounted at a temporary directory, or returns
/// false (with the reason on stderr) when mounting is impossible (not root, no
/// CAP_SYS_ADMIN in a container).
#[allow(clippy::print_stderr)]
fn with_tmpfs(size: &str, f: impl FnOnce(&Path)) -> bool {
    let dir = tempfile::tempdir().expect("tmp");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(dir.path())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)");
        return false;
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(dir.path())));
    let _ = Command::new("umount").arg(dir.path()).status();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
    true
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_full_disk_leaves_the_old_rendering_and_no_temporary_directory() {
    with_tmpfs("256k", |mnt| {
        let out = mnt.join("out");
        let first = lbgen()
            .args(["render", "-f", "examples/huawei", "--out-dir"])
            .arg(&out)
            .output()
            .expect("run");
        assert!(first.status.success());
        let before = entries(&out.join("default"));
        let work = tempfile::tempdir().expect("tmp");
        let big = work.path().join("big.yaml");
        let blob = "x".repeat(400 * 1024);
        std::fs::write(
            &big,
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big, namespace: default}}\ndata: {{a: {blob}}}\n"),
        )
        .expect("write");
        let second = lbgen()
            .args(["render", "-f", "examples/huawei", "-f"])
            .arg(&big)
            .arg("--out-dir")
            .arg(&out)
            .output()
            .expect("run");
        assert_eq!(second.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&second.stderr);
        assert!(stderr.contains("No space left on device"), "{stderr}");
        assert!(second.stdout.is_empty());
        assert_eq!(
            entries(&out.join("default")),
            before,
            "the old rendering is whole"
        );
        assert_eq!(entries(mnt), ["out"], "no temporary directory is left");
    });
}

#[test]
fn a_read_only_target_fails_and_keeps_the_old_rendering() {
    with_tmpfs("1m", |mnt| {
        let out = mnt.join("out");
        let first = lbgen()
            .args(["render", "-f", "examples/huawei", "--out-dir"])
            .arg(&out)
            .output()
            .expect("run");
        assert!(first.status.success());
        let before = entries(&out.join("default"));
        let remounted = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(mnt)
            .status()
            .expect("mount");
        assert!(remounted.success());
        let second = lbgen()
            .args(["render", "-f", "examples/alibaba", "--out-dir"])
            .arg(&out)
            .output()
            .expect("run");
        assert_eq!(second.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&second.stderr);
        assert!(stderr.contains("Read-only file system"), "{stderr}");
        assert_eq!(entries(&out.join("default")), before);
        assert_eq!(entries(mnt), ["out"]);
    });
}

/// A run killed mid-write (here by SIGXFSZ: the file size limit is hit while writing)
/// leaves the old rendering, and the next run removes what it left.
#[test]
fn a_run_killed_while_writing_is_invisible_and_cleaned_by_the_next() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    let ok = lbgen()
        .args(["render", "-f", "examples/huawei", "--out-dir"])
        .arg(&out)
        .output()
        .expect("run");
    assert!(ok.status.success());
    let before = entries(&out.join("default"));
    let killed = Command::new("prlimit")
        .arg("--fsize=1024")
        .arg("--")
        .arg(common::binary())
        .args(["render", "-f", "examples/tencent", "--out-dir"])
        .arg(&out)
        .current_dir(common::root())
        .output()
        .expect("prlimit");
    assert_ne!(
        killed.status.code(),
        Some(0),
        "the limited run must not succeed"
    );
    assert_eq!(entries(&out.join("default")), before);
    let again = lbgen()
        .args(["render", "-f", "examples/huawei", "--out-dir"])
        .arg(&out)
        .output()
        .expect("run");
    assert!(again.status.success());
    assert_eq!(entries(tmp.path()), ["out"], "the leftover is gone");
}

#[cfg(unix)]
#[test]
fn a_template_symlink_out_of_the_directory_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(tmp.path().join("tpl/huawei")).expect("mkdir");
    std::fs::write(tmp.path().join("secret.yaml"), "password: hunter2\n").expect("write");
    std::os::unix::fs::symlink(
        tmp.path().join("secret.yaml"),
        tmp.path().join("tpl/huawei/service.yaml"),
    )
    .expect("symlink");
    let out = lbgen()
        .args([
            "render",
            "-f",
            "examples/huawei/service-existing-lb.yaml",
            "--template-dir",
        ])
        .arg(tmp.path().join("tpl"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("leads outside --template-dir"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(out.stdout.is_empty());
}

fn config_map(namespace: &str, name: &str) -> String {
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\n  namespace: {}\n",
        json!(name),
        json!(namespace)
    )
}

#[test]
fn diff_never_pastes_a_namespace_into_a_url() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(
        dir.path(),
        "cm.yaml",
        &config_map("default/secrets?x=", "x"),
    );
    let secret = json!({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "s", "namespace": "default",
            "labels": {"app.kubernetes.io/managed-by": "kubectl-lbgen"}},
        "data": {"password": "aHVudGVyMg=="}});
    let api = FakeApi::start(vec![secret], Vec::new());
    let out = diff(&spec, &api.url, &["--prune"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("cm.yaml:5:14"),
        "{}",
        stderr_of(&out)
    );
    assert!(stdout_of(&out).is_empty());
    assert!(api.requests().is_empty(), "{:?}", api.requests());
}

#[test]
fn server_side_diff_never_sends_a_name_that_cuts_the_dry_run() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(
        dir.path(),
        "cm.yaml",
        &config_map("web", "x?fieldManager=evil#"),
    );
    let api = FakeApi::start(Vec::new(), Vec::new());
    let out = diff(&spec, &api.url, &["--server-side"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("cm.yaml:4:9"),
        "{}",
        stderr_of(&out)
    );
    assert!(api.requests().iter().all(|r| r.method == "GET"));
}

#[test]
fn prune_never_reads_or_prints_a_labelled_secret() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(dir.path(), "spec.yaml", SERVICE_SPEC);
    let mut live: Vec<Value> = rendered(SERVICE_SPEC).into_iter().map(as_live).collect();
    live.push(json!({"apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": "s", "namespace": "web",
            "labels": {"app.kubernetes.io/managed-by": "kubectl-lbgen"}},
        "data": {"password": "aHVudGVyMg=="}}));
    let api = FakeApi::start(live, Vec::new());
    for output in [&["--prune"][..], &["--prune", "-o", "json"][..]] {
        let out = diff(&spec, &api.url, output).output().expect("run");
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}",
            stderr_of(&out)
        );
        assert!(
            !stdout_of(&out).contains("aHVudGVyMg"),
            "{}",
            stdout_of(&out)
        );
    }
    assert!(api.requests().iter().all(|r| !r.path.contains("secrets")));
    // Pages are asked for with a bounded size.
    assert!(api.requests().iter().all(|r| r.query.contains("limit=500")));
}

#[cfg(unix)]
#[test]
fn check_dir_does_not_follow_a_symlink_loop() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join("default")).expect("mkdir");
    std::os::unix::fs::symlink(&out, out.join("default/loop")).expect("symlink");
    let run = lbgen()
        .args(["render", "-f", "examples/huawei", "--check-dir"])
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("missing:"));
}

/// A server that answers every request with an empty ServiceList and a fresh `continue`
/// token full of URL metacharacters, forever; returns its URL and the request lines.
fn endless_pager() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            record.lock().expect("lock").push(line.trim().to_string());
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).map_or(true, |n| n == 0) || header == "\r\n" {
                    break;
                }
            }
            let body = json!({"apiVersion": "v1", "kind": "ServiceList",
                "metadata": {"continue": format!("tok {n}/../secrets?x=#")}, "items": []})
            .to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, seen)
}

#[test]
fn endless_paging_is_cut_off_and_tokens_are_encoded() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = write(dir.path(), "spec.yaml", SERVICE_SPEC);
    let (url, seen) = endless_pager();
    let out = diff(&spec, &url, &[]).output().expect("run");
    assert_eq!(out.status.code(), Some(3), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("still paging after 200 pages"),
        "{}",
        stderr_of(&out)
    );
    assert!(stdout_of(&out).is_empty());
    let lines = seen.lock().expect("lock").clone();
    assert_eq!(lines.len(), 200, "{:?}", lines.first());
    assert_eq!(
        lines[1],
        "GET /api/v1/namespaces/web/services?limit=500&continue=tok%200%2F..%2Fsecrets%3Fx%3D%23 HTTP/1.1"
    );
    assert!(lines.iter().all(|l| !l.contains("/secrets")));
}
