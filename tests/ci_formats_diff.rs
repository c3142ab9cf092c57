//! `diff -o github|gitlab|junit` through the binary, each output read back by the
//! independent readers of `ci_readers`, against a directory snapshot (`--live-dir`) of a
//! rendered example edited as a cluster would hold it. Exit codes stay those of `-o diff`
//! (`--fail-on` included); failures come in the format asked for.

mod ci_readers;
mod common;

use ci_readers::{lbgen, stdout};

use std::path::{Path, PathBuf};
use std::process::Output;

/// An internal Alibaba CLB: changing its address type needs a new load balancer (an NLB's
/// changes in place).
const CLB: &str = "examples/alibaba/service-clb-internal-fixed-address.yaml";
const CLB_EDIT: (&str, &str) = (
    "alibaba-cloud-loadbalancer-address-type: intranet",
    "alibaba-cloud-loadbalancer-address-type: internet",
);
/// The CCE pass-through example: a live `Cluster` policy switching to `Local` is risky.
const PASS_THROUGH: &str = "examples/huawei/service-pass-through.yaml";
const PASS_THROUGH_EDIT: (&str, &str) = (
    "externalTrafficPolicy: Local",
    "externalTrafficPolicy: Cluster",
);

/// `example` rendered into a snapshot directory, `from` replaced by `to` in the one live
/// file that holds it (no edit when `from` is empty).
fn live_snapshot(example: &str, (from, to): (&str, &str)) -> tempfile::TempDir {
    let live = tempfile::tempdir().expect("tempdir");
    let dir = live.path().to_str().expect("utf-8 path");
    let out = lbgen(&["render", "-f", example, "--out-dir", dir]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if from.is_empty() {
        return live;
    }
    let mut edited = 0;
    for file in yaml_files(live.path()) {
        let text = std::fs::read_to_string(&file).expect("read");
        if text.contains(from) {
            std::fs::write(&file, text.replace(from, to)).expect("write");
            edited += 1;
        }
    }
    assert_eq!(edited, 1, "{from} is in one rendered object");
    live
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(yaml_files(&path));
        } else if path.extension().is_some_and(|e| e == "yaml") {
            files.push(path);
        }
    }
    files
}

fn diff(example: &str, live: &Path, format: &str, extra: &[&str]) -> Output {
    let live = live.to_str().expect("utf-8 path");
    let mut args = vec!["diff", "-f", example, "--live-dir", live, "-o", format];
    args.extend(extra);
    lbgen(&args)
}

/// The 1-based line and column of `metadata.name`'s value in `example` (block style).
fn name_location(example: &str, name: &str) -> (String, String) {
    let text = std::fs::read_to_string(common::root().join(example)).expect("example");
    let needle = format!("  name: {name}");
    let (index, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with(&needle))
        .expect("metadata.name");
    let column = line.find(name).expect("name") + 1;
    ((index + 1).to_string(), column.to_string())
}

#[test]
fn diff_github_annotates_the_spec_with_the_change_class_and_its_warning() {
    let live = live_snapshot(CLB, CLB_EDIT);
    let out = diff(CLB, live.path(), "github", &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a difference exits 1 as with -o diff"
    );
    let commands = ci_readers::github_commands(&stdout(&out));
    let (line, col) = name_location(CLB, "ledger");
    assert_eq!(commands.len(), 2, "{commands:?}");
    for c in &commands {
        assert_eq!(c.properties["file"], CLB);
        assert_eq!((&c.properties["line"], &c.properties["col"]), (&line, &col));
    }
    assert_eq!(commands[0].level, "error");
    assert_eq!(commands[0].properties["title"], "diff/changed");
    assert!(
        commands[0]
            .message
            .starts_with("Service finance/ledger: changed, recreates the load balancer"),
        "{commands:?}"
    );
    assert_eq!(commands[1].level, "warning");
    assert_eq!(commands[1].properties["title"], "diff/not-in-place");
    assert!(
        commands[1]
            .message
            .contains("alibaba-cloud-loadbalancer-address-type")
    );
}

#[test]
fn diff_fail_on_decides_error_or_warning_and_the_exit_code_together() {
    let live = live_snapshot(PASS_THROUGH, PASS_THROUGH_EDIT);
    for (fail_on, code, level, status) in [
        ("recreate", 0, "warning", "passed"),
        ("risky", 1, "error", "failed"),
        ("any", 1, "error", "failed"),
    ] {
        let extra = ["--fail-on", fail_on];
        let github = diff(PASS_THROUGH, live.path(), "github", &extra);
        assert_eq!(github.status.code(), Some(code), "--fail-on {fail_on}");
        let commands = ci_readers::github_commands(&stdout(&github));
        assert_eq!(commands[0].properties["title"], "diff/changed");
        assert_eq!(
            commands[0].level, level,
            "--fail-on {fail_on}: {commands:?}"
        );
        assert!(
            commands[0].message.contains("(class risky)"),
            "{commands:?}"
        );

        let gitlab = diff(PASS_THROUGH, live.path(), "gitlab", &extra);
        assert_eq!(gitlab.status.code(), Some(code));
        let issues = ci_readers::gitlab_issues(&gitlab.stdout);
        let severity = if code == 1 { "major" } else { "minor" };
        assert_eq!(issues[0]["severity"], severity, "{issues:?}");
        assert_eq!(issues[0]["location"]["path"], PASS_THROUGH);

        let junit = diff(PASS_THROUGH, live.path(), "junit", &extra);
        assert_eq!(junit.status.code(), Some(code));
        let cases = ci_readers::junit_cases(&stdout(&junit));
        let service: Vec<_> = cases.iter().filter(|c| c.classname == "diff").collect();
        assert_eq!(service.len(), 1, "one case per compared object: {cases:?}");
        assert_eq!(service[0].name, "Service default/nginx-passthrough");
        assert_eq!(service[0].suite, PASS_THROUGH);
        assert_eq!(service[0].status, status, "--fail-on {fail_on}");
        assert!(
            service[0]
                .text
                .contains("-  externalTrafficPolicy: Cluster")
                && service[0].text.contains("+  externalTrafficPolicy: Local"),
            "the case carries the unified diff: {:?}",
            service[0].text
        );
    }
}

#[test]
fn diff_junit_has_a_case_per_object_and_a_clean_run_passes_them_all() {
    let example = "examples/huawei/ingress-weighted.yaml";
    let same = live_snapshot(example, ("", ""));
    let out = diff(example, same.path(), "junit", &[]);
    assert_eq!(out.status.code(), Some(0));
    let cases = ci_readers::junit_cases(&stdout(&out));
    let rendered = lbgen(&["render", "-f", example]);
    let objects = common::objects(&stdout(&rendered));
    let objects_cases: Vec<_> = cases.iter().filter(|c| c.classname == "diff").collect();
    assert_eq!(objects_cases.len(), objects.len(), "{cases:?}");
    assert!(
        objects_cases.iter().all(|c| c.status == "passed"),
        "{cases:?}"
    );
    for format in ["github", "gitlab"] {
        let out = diff(example, same.path(), format, &[]);
        assert_eq!(out.status.code(), Some(0), "{format}");
        let errors = if format == "github" {
            ci_readers::github_commands(&stdout(&out))
                .iter()
                .filter(|c| c.level == "error")
                .count()
        } else {
            ci_readers::gitlab_issues(&out.stdout)
                .iter()
                .filter(|i| i["severity"] == "major")
                .count()
        };
        assert_eq!(errors, 0, "{format}: {}", stdout(&out));
    }

    let empty = tempfile::tempdir().expect("tempdir");
    let out = diff(example, empty.path(), "junit", &[]);
    assert_eq!(out.status.code(), Some(1));
    let cases = ci_readers::junit_cases(&stdout(&out));
    let added: Vec<_> = cases.iter().filter(|c| c.classname == "diff").collect();
    assert_eq!(added.len(), objects.len());
    assert!(
        added
            .iter()
            .all(|c| c.status == "failed" && c.message.starts_with("added, applied in place")),
        "{cases:?}"
    );
}

#[test]
fn diff_failures_are_reported_in_the_format_asked_for() {
    let not_a_dir = tempfile::NamedTempFile::new().expect("file");
    let out = diff(CLB, not_a_dir.path(), "junit", &[]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "an unreadable snapshot is exit 3"
    );
    let cases = ci_readers::junit_cases(&stdout(&out));
    assert!(
        matches!(cases.as_slice(), [c] if c.status == "failed" && c.classname == "live/snapshot"),
        "{cases:?}"
    );
    let out = diff(CLB, not_a_dir.path(), "github", &[]);
    assert_eq!(out.status.code(), Some(3));
    let commands = ci_readers::github_commands(&stdout(&out));
    assert!(
        matches!(commands.as_slice(), [c] if c.level == "error" && c.properties["title"] == "live/snapshot"),
        "{commands:?}"
    );
    let out = diff(CLB, not_a_dir.path(), "gitlab", &[]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(ci_readers::gitlab_issues(&out.stdout).len(), 1);
}

#[test]
fn live_content_cannot_break_out_of_the_junit_case_that_quotes_its_diff() {
    let hostile = "]]></failure></testcase><testcase name=\"forged\"/>\r&#10;";
    let quoted = serde_json::to_string(hostile).expect("json");
    let live = live_snapshot(
        CLB,
        (
            CLB_EDIT.0,
            &format!("alibaba-cloud-loadbalancer-address-type: {quoted}"),
        ),
    );
    let out = diff(CLB, live.path(), "junit", &[]);
    assert_eq!(out.status.code(), Some(1));
    let cases = ci_readers::junit_cases(&stdout(&out));
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert_eq!(cases[0].name, "Service finance/ledger");
    assert!(
        cases[0].text.contains("</testcase><testcase name="),
        "{cases:?}"
    );
    let commands = ci_readers::github_commands(&stdout(&diff(CLB, live.path(), "github", &[])));
    assert_eq!(commands.len(), 2, "{commands:?}");
}

#[test]
fn a_load_balancer_prune_would_remove_fails_even_under_fail_on_recreate() {
    // The live directory holds the existing-LB Service and the pass-through one, both
    // rendered by lbgen (its managed-by label); the specs now render only the first.
    let example = "examples/huawei/service-existing-lb.yaml";
    let live = live_snapshot(example, ("", ""));
    let gone = live_snapshot(PASS_THROUGH, ("", ""));
    for file in yaml_files(gone.path()) {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        std::fs::write(
            live.path().join(format!("gone-{name}")),
            std::fs::read(&file).expect("read"),
        )
        .expect("write");
    }
    let extra = ["--prune", "--fail-on", "recreate"];
    let junit = diff(example, live.path(), "junit", &extra);
    assert_eq!(
        junit.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&junit.stderr)
    );
    let cases = ci_readers::junit_cases(&stdout(&junit));
    let removed = cases
        .iter()
        .find(|c| c.name == "Service default/nginx-passthrough")
        .unwrap_or_else(|| panic!("{cases:?}"));
    assert_eq!(removed.suite, "(cluster)", "no spec renders it any more");
    assert_eq!(removed.status, "failed");
    assert!(
        removed
            .message
            .starts_with("would be removed, removes the load balancer"),
        "{removed:?}"
    );
    let kept = cases
        .iter()
        .find(|c| c.name == "Service default/nginx")
        .unwrap_or_else(|| panic!("{cases:?}"));
    assert_eq!(
        (kept.suite.as_str(), kept.status.as_str()),
        (example, "passed")
    );

    let github = diff(example, live.path(), "github", &extra);
    assert_eq!(github.status.code(), Some(1));
    let commands = ci_readers::github_commands(&stdout(&github));
    let removal = commands
        .iter()
        .find(|c| c.properties["title"] == "diff/would-be-removed")
        .unwrap_or_else(|| panic!("{commands:?}"));
    assert_eq!(removal.level, "error");
    assert!(
        !removal.properties.contains_key("file"),
        "no spec to point at: {removal:?}"
    );
}
