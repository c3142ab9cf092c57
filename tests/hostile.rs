//! The hostile-input corpus: bad and malicious inputs run through the real binary, each
//! with the exit code, message and location it must produce. One data-driven test, and a
//! check that every built-in rule of `policies/*.yaml` is tripped by some case.
//!
//! Cases live in `tests/hostile/*.yaml`, one file per category, each a YAML list of cases:
//!
//! ```yaml
//! - name: out-dir-namespace-dotdot          # unique within the file
//!   about: a passed-through namespace `..` must not write outside --out-dir
//!   args: [render, -f, in.yaml, --out-dir, out]
//!   files:                                  # written into the case's working directory
//!     in.yaml: |
//!       apiVersion: v1
//!       ...
//!   stdin: "..."                            # optional; default: none (closed)
//!   env: {LBGEN_X: "1"}                     # optional
//!   exit: 2                                 # the exit code wanted
//!   stderr: ["namespace", "DNS-1123"]       # fragments stderr must contain
//!   location: "in.yaml:3:14"                # optional: a fragment stderr must contain
//!   stdout: empty                           # empty (default when exit != 0) | any | a fragment
//!   absent: [../escaped, out]               # optional: paths that must not exist afterwards
//!   present: [out/default]                  # optional: paths that must exist afterwards
//!   timeout: 20                             # optional: seconds before the run counts as a hang
//!   memory_mb: 512                          # optional: address-space limit (prlimit --as)
//! ```
//!
//! `{{big:N:TEXT}}` anywhere in a file's content, `stdin` or an argument expands to TEXT
//! repeated N times, so a case can be huge on disk without being huge in the corpus.
//!
//! The working directory is a fresh `work/` inside a temporary directory, so a path that
//! escapes it (`../escaped`) still lands somewhere the test can look.

mod common;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    about: String,
    args: Vec<String>,
    #[serde(default)]
    files: BTreeMap<String, String>,
    stdin: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    exit: i32,
    #[serde(default)]
    stderr: Vec<String>,
    location: Option<String>,
    stdout: Option<String>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    present: Vec<String>,
    timeout: Option<u64>,
    memory_mb: Option<u64>,
}

/// Expands `{{big:N:TEXT}}` markers (TEXT may not contain `}}`).
fn expand(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{big:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 6..];
        let end = after.find("}}").expect("a {{big:N:TEXT}} marker is closed");
        let (count, body) = after[..end].split_once(':').expect("{{big:N:TEXT}}");
        let count: usize = count.parse().expect("N in {{big:N:TEXT}}");
        out.push_str(&body.replace("\\n", "\n").repeat(count));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn load_cases() -> Vec<(String, Case)> {
    let dir = common::root().join("tests/hostile");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/hostile")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let mut cases = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("case file");
        let file_cases: Vec<Case> =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let category = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        let mut names = std::collections::BTreeSet::new();
        for case in file_cases {
            assert!(
                names.insert(case.name.clone()),
                "{category}: duplicate case `{}`",
                case.name
            );
            assert!(
                !case.about.trim().is_empty(),
                "{category}/{}: say what it is about",
                case.name
            );
            cases.push((category.clone(), case));
        }
    }
    cases
}

/// A case's file names stay inside its working directory.
fn is_plain_relative(path: &str) -> bool {
    Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
}

/// Runs one case; returns what went wrong, if anything.
fn run(category: &str, case: &Case) -> Option<String> {
    let id = format!("{category}/{}", case.name);
    let temp = tempfile::tempdir().expect("temp dir");
    let work = temp.path().join("work");
    std::fs::create_dir(&work).expect("work dir");
    for (name, content) in &case.files {
        assert!(
            is_plain_relative(name),
            "{id}: file name `{name}` must be a plain relative path"
        );
        let path = work.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("parent");
        }
        std::fs::write(&path, expand(content)).expect("write case file");
    }
    let args: Vec<String> = case.args.iter().map(|a| expand(a)).collect();
    let mut command = match case.memory_mb {
        Some(mb) => {
            let mut c = Command::new("prlimit");
            c.arg(format!("--as={}", mb * 1024 * 1024))
                .arg("--")
                .arg(common::binary());
            c
        }
        None => Command::new(common::binary()),
    };
    command
        .args(&args)
        .current_dir(&work)
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .envs(&case.env)
        .stdin(if case.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("spawn the binary");
    if let Some(stdin) = &case.stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        let data = expand(stdin);
        // The binary may refuse the input before reading it all: a broken pipe is fine.
        std::thread::spawn(move || {
            let _ = pipe.write_all(data.as_bytes());
        });
    }
    let limit = Duration::from_secs(case.timeout.unwrap_or(20));
    let started = Instant::now();
    let mut stdout_pipe = child.stdout.take().expect("stdout");
    let mut stderr_pipe = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout_pipe, &mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr_pipe, &mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Some(format!("{id}: still running after {limit:?} (a hang)"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().expect("stdout reader")).to_string();
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr reader")).to_string();
    let mut problems = Vec::new();
    match status.code() {
        Some(code) if code == case.exit => {}
        Some(code) => problems.push(format!("exit {code}, wanted {}", case.exit)),
        None => problems.push(format!(
            "killed by a signal ({status}), wanted exit {}",
            case.exit
        )),
    }
    for fragment in case.stderr.iter().chain(&case.location) {
        if !stderr.contains(fragment.as_str()) {
            problems.push(format!("stderr lacks `{fragment}`"));
        }
    }
    let stdout_rule = case.stdout.clone().unwrap_or_else(|| {
        if case.exit == 0 {
            "any".into()
        } else {
            "empty".into()
        }
    });
    match stdout_rule.as_str() {
        "any" => {}
        "empty" if !stdout.is_empty() => problems.push("stdout is not empty".into()),
        "empty" => {}
        fragment if !stdout.contains(fragment) => {
            problems.push(format!("stdout lacks `{fragment}`"))
        }
        _ => {}
    }
    for path in &case.absent {
        if work.join(path).symlink_metadata().is_ok() {
            problems.push(format!("`{path}` exists afterwards"));
        }
    }
    for path in &case.present {
        if work.join(path).symlink_metadata().is_err() {
            problems.push(format!("`{path}` is missing afterwards"));
        }
    }
    (!problems.is_empty()).then(|| {
        format!(
            "{id} ({}): {}\n  stderr: {}\n  stdout: {}",
            case.about,
            problems.join("; "),
            stderr.chars().take(800).collect::<String>(),
            stdout.chars().take(300).collect::<String>()
        )
    })
}

/// The corpus must stay a corpus: at least this many cases across all categories.
const MIN_CASES: usize = 400;

#[test]
fn every_hostile_input_fails_cleanly() {
    let cases = load_cases();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(2);
    let chunks: Vec<&[(String, Case)]> =
        cases.chunks(cases.len().div_ceil(workers).max(1)).collect();
    let problems: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .filter_map(|(cat, case)| run(cat, case))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("worker"))
            .collect()
    });
    assert!(
        problems.is_empty(),
        "{} of {} hostile cases failed:\n{}",
        problems.len(),
        cases.len(),
        problems.join("\n")
    );
    assert!(
        cases.len() >= MIN_CASES,
        "{} hostile cases, at least {MIN_CASES} wanted",
        cases.len()
    );
}

#[test]
fn the_marker_expands_and_the_runner_can_fail() {
    assert_eq!(expand("a{{big:3:xy}}b"), "axyxyxyb");
    let wrong = Case {
        name: "wrong".into(),
        about: "a valid spec does not exit 2".into(),
        args: vec!["render".into(), "-f".into(), "in.yaml".into()],
        files: BTreeMap::from([(
            "in.yaml".to_string(),
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n".to_string(),
        )]),
        stdin: None,
        env: BTreeMap::new(),
        exit: 2,
        stderr: vec!["never printed".into()],
        location: None,
        stdout: None,
        absent: vec!["in.yaml".into()],
        present: vec!["nothing-here".into()],
        timeout: None,
        memory_mb: None,
    };
    let report = run("self-test", &wrong).expect("the runner reports a wrong case");
    for fragment in [
        "exit 0, wanted 2",
        "stderr lacks",
        "stdout is not empty",
        "`in.yaml` exists",
        "`nothing-here` is missing",
    ] {
        assert!(report.contains(fragment), "{fragment} in {report}");
    }
}

/// The ids of the built-in rules: the `id` of each entry under `rules:` in `policies/*.yaml`.
fn builtin_rule_ids() -> Vec<String> {
    let dir = common::root().join("policies");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("policies")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    let mut ids = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("policy file");
        let policy: serde_json::Value =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let rules = policy["rules"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: a `rules:` list", path.display()));
        for rule in rules {
            let id = rule["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: a rule without an `id`", path.display()));
            ids.push(id.to_string());
        }
    }
    ids
}

#[test]
fn every_builtin_rule_is_tripped_by_a_case() {
    let ids = builtin_rule_ids();
    assert!(!ids.is_empty(), "no built-in rules found in policies/");
    let cases = load_cases();
    let missing: Vec<&String> = ids
        .iter()
        .filter(|id| {
            let tag = format!("[{id}]");
            !cases
                .iter()
                .any(|(_, case)| case.stderr.iter().any(|f| f.contains(&tag)))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} built-in rules are tripped by no hostile case (no `[<id>]` in any case's stderr):\n{}",
        missing.len(),
        ids.len(),
        missing
            .iter()
            .map(|id| format!("  {id}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
