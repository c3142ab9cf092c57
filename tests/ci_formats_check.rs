//! `check -o github|gitlab|junit` through the binary, each output read back by the
//! independent readers of `ci_readers`: on an example (simulated, every promise holds) and
//! against a loopback endpoint that breaks the spec's promise. Exit codes stay those of
//! `-o text` (1 for a broken promise, 2 for bad input).

mod ci_readers;
mod common;

use ci_readers::{lbgen, stdout};

use std::process::Output;

/// Simulated requests: enough for every promise to be judged, few enough to be quick.
const REQUESTS: &str = "5000";

/// `check -f example -o format`.
fn check(example: &str, format: &str, extra: &[&str]) -> Output {
    let mut args = vec!["check", "-f", example, "-o", format];
    if !extra.contains(&"--target") {
        args.extend(["--requests", REQUESTS]);
    }
    args.extend(extra);
    lbgen(&args)
}

#[test]
fn check_junit_has_a_case_per_promise_and_github_only_the_warnings_when_all_hold() {
    let example = "examples/huawei/service-existing-lb.yaml";
    let json = check(example, "json", &[]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let promises: Vec<String> = report["promises"]
        .as_array()
        .expect("promises")
        .iter()
        .map(|p| p["id"].as_str().expect("id").to_string())
        .collect();
    assert!(!promises.is_empty());

    let junit = check(example, "junit", &[]);
    assert_eq!(junit.status.code(), Some(0));
    let cases = ci_readers::junit_cases(&stdout(&junit));
    let judged: Vec<&str> = cases
        .iter()
        .filter(|c| c.classname == "check.nginx")
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(judged, promises, "{cases:?}");
    assert!(
        cases
            .iter()
            .all(|c| c.status == "passed" && c.suite == example)
    );

    let github = check(example, "github", &[]);
    assert_eq!(github.status.code(), Some(0));
    let commands = ci_readers::github_commands(&stdout(&github));
    assert!(!commands.is_empty() && commands.iter().all(|c| c.level == "warning"));
    let gitlab = check(example, "gitlab", &[]);
    assert!(
        ci_readers::gitlab_issues(&gitlab.stdout)
            .iter()
            .all(|i| i["severity"] == "minor")
    );
}

/// A loopback endpoint that names `tea-svc` as the backend of every request, until the
/// test ends (each connection answered once, then closed).
fn one_backend_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nx-lbgen-backend: tea-svc\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            );
        }
    });
    url
}

#[test]
fn a_broken_promise_is_an_error_at_the_spec_and_a_failed_case() {
    let fixture = "tests/fixtures/check/weighted-80-20.yaml";
    let url = one_backend_server();
    let extra = [
        "--target",
        url.as_str(),
        "--requests",
        "200",
        "--concurrency",
        "1",
    ];
    let github = check(fixture, "github", &extra);
    assert_eq!(
        github.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&github.stderr)
    );
    let commands = ci_readers::github_commands(&stdout(&github));
    let shares = commands
        .iter()
        .find(|c| c.properties["title"] == "check/shares")
        .unwrap_or_else(|| panic!("{commands:?}"));
    assert_eq!(shares.level, "error");
    assert_eq!(shares.properties["file"], fixture);
    assert_eq!(
        shares.properties["line"], "5",
        "metadata: {{name: cafe}} is line 5"
    );

    let junit = check(fixture, "junit", &extra);
    assert_eq!(junit.status.code(), Some(1));
    let cases = ci_readers::junit_cases(&stdout(&junit));
    assert!(
        cases.iter().any(|c| c.name == "shares"
            && c.status == "failed"
            && c.message.starts_with("promise `shares` broken")),
        "{cases:?}"
    );

    let gitlab = check(fixture, "gitlab", &extra);
    assert_eq!(gitlab.status.code(), Some(1));
    let issues = ci_readers::gitlab_issues(&gitlab.stdout);
    assert!(
        issues
            .iter()
            .any(|i| i["check_name"] == "check/shares" && i["severity"] == "major")
    );
}

#[test]
fn check_input_errors_are_reported_in_the_format_asked_for() {
    let example = "examples/huawei/service-existing-lb.yaml";
    for format in ["github", "gitlab", "junit"] {
        let out = check(example, format, &["--fail", "nosuch@5"]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        let text = stdout(&out);
        match format {
            "github" => assert!(
                ci_readers::github_commands(&text)
                    .iter()
                    .any(|c| c.level == "error" && c.properties["title"] == "check/input"),
                "{text}"
            ),
            "gitlab" => assert!(
                ci_readers::gitlab_issues(&out.stdout)
                    .iter()
                    .any(|i| i["check_name"] == "check/input"),
                "{text}"
            ),
            _ => assert!(
                ci_readers::junit_cases(&text)
                    .iter()
                    .any(|c| c.status == "failed" && c.classname == "check/input"),
                "{text}"
            ),
        }
    }
}
