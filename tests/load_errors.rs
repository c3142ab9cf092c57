//! Load errors a new user can act on, through the binary (`validate -f -`, no colour):
//! every independent error of a spec in one run, "did you mean" for misspelt fields and
//! values, the YAML parser's messages explained with the fix, missing fields that name
//! their mapping, carets under exactly the offending token, the per-document cap, and the
//! suggestion in `-o json` and `-o sarif`. Expected texts are written out in full.

mod common;

use assert_cmd::Command;
use serde_json::Value;

/// `validate -f -` on `spec` (plus `args`): exit code, stdout, stderr.
fn validate(spec: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(common::binary())
        .args(["validate", "-f", "-"])
        .args(args)
        .env("NO_COLOR", "1")
        .write_stdin(spec)
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The stderr of a spec that must fail with exit code 2.
fn errors_of(spec: &str) -> String {
    let (code, stdout, stderr) = validate(spec, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stdout, "", "nothing is written");
    stderr
}

/// Lines 1-7 of a Service spec; a case's lines start at line 8.
fn svc(extra: &str) -> String {
    format!(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: shop}}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {{app: web}}\n{extra}"
    )
}

/// Lines 1-4 with block metadata; a case's lines start at line 5.
fn meta(extra: &str) -> String {
    format!("apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: shop\n{extra}")
}

const SPEC_FIELDS: &str = "`provider`, `cluster`, `exposure`, `decorate`, `network`, `loadBalancer`, `selector`, `ports`, `routes`, `backends`, `targets`, `ipTargets`, `algorithm`, `stickiness`, `healthCheck`, `listener`, `draining`, `slowStart`, `passThrough`, `trafficPolicy`, `workload`, `accessControl`, `uncheckedAnnotations`";

#[test]
fn three_independent_mistakes_are_three_errors_at_their_lines() {
    let spec = svc(
        "  algoritm: round-robin\n  ports:\n    - port: 80\n      protocol: tcp\n  stickiness:\n    mode: cookie\n    timeout: 5 minutes\n",
    );
    let want = format!(
        "error: unknown field `algoritm`, expected one of {SPEC_FIELDS}; remove it or fix its spelling [load/spec]
 --> <stdin>:8:3
  |
8 |   algoritm: round-robin
  |   ^^^^^^^^
  |
  = help: did you mean `algorithm`?
error: unknown value `tcp`; expected one of `TCP`, `UDP`, `HTTP`, `HTTPS`, `TLS` [load/spec]
  --> <stdin>:11:17
   |
11 |       protocol: tcp
   |                 ^^^
   |
   = help: did you mean `TCP`?
error: `5 minutes` is not a duration: write a whole number followed by a unit s, m or h, e.g. `30s`, `5m`, `1h` or `1h30m` [load/spec]
  --> <stdin>:14:14
   |
14 |     timeout: 5 minutes
   |              ^^^^^^^^^
3 errors found; nothing was written
"
    );
    assert_eq!(errors_of(&spec), want);
}

#[test]
fn errors_of_several_documents_and_files_are_all_reported_in_file_and_line_order() {
    let dir = tempfile::tempdir().expect("tmp");
    let two_docs = format!(
        "{}---\n{}",
        svc("  ports: [{port: 80}]\n  targets: pod\n"),
        svc("  ports: [{port: 80}]\n  netwrok: public\n")
    );
    std::fs::write(dir.path().join("b.yaml"), two_docs).expect("write");
    std::fs::write(
        dir.path().join("a.yaml"),
        svc("  ports: [{port: 0}]\n  trafficPolicy: Local\n"),
    )
    .expect("write");
    let out = Command::new(common::binary())
        .current_dir(dir.path())
        .args(["validate", "-f", "b.yaml", "-f", "a.yaml"])
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let places: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .collect();
    assert_eq!(
        places,
        ["a.yaml:8:18", "a.yaml:9:18", "b.yaml:9:12", "b.yaml:19:3"],
        "{stderr}"
    );
    assert!(
        stderr.ends_with("4 errors found; nothing was written\n"),
        "{stderr}"
    );
}

#[test]
fn a_misspelt_key_does_not_also_report_the_field_it_stood_for_as_missing() {
    let stderr = errors_of(&svc("  ports: [{port: 80}]\n  stickiness: {mod: cookie}\n"));
    assert_eq!(
        stderr,
        "error: unknown field `mod`, expected one of `mode`, `cookieName`, `timeout`; remove it or fix its spelling [load/spec]
 --> <stdin>:9:16
  |
9 |   stickiness: {mod: cookie}
  |                ^^^
  |
  = help: did you mean `mode`?
1 error found; nothing was written
"
    );
}

#[test]
fn misspelt_top_level_keys_and_kind_get_suggestions() {
    let stderr = errors_of(
        "apiversion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetdata: {name: shop}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n",
    );
    assert_eq!(
        stderr,
        "error: unknown field `apiversion`, expected one of `apiVersion`, `kind`, `metadata`, `spec`; remove it or fix its spelling [load/spec]
 --> <stdin>:1:1
  |
1 | apiversion: lbgen.dev/v1alpha1
  | ^^^^^^^^^^
  |
  = help: did you mean `apiVersion`?
error: unknown field `metdata`, expected one of `apiVersion`, `kind`, `metadata`, `spec`; remove it or fix its spelling [load/spec]
 --> <stdin>:3:1
  |
3 | metdata: {name: shop}
  | ^^^^^^^
  |
  = help: did you mean `metadata`?
2 errors found; nothing was written
"
    );
    let stderr = errors_of(
        &svc("  ports: [{port: 80}]\n").replace("kind: LoadBalancer", "kind: LoadBalancr"),
    );
    assert_eq!(
        stderr,
        "error: unknown kind `LoadBalancr` in lbgen.dev/v1alpha1; expected `LoadBalancer` [load/spec]
 --> <stdin>:2:7
  |
2 | kind: LoadBalancr
  |       ^^^^^^^^^^^
  |
  = help: did you mean `LoadBalancer`?
1 error found; nothing was written
"
    );
}

#[test]
fn values_get_the_nearest_spelling_only_when_it_is_close() {
    // edit distance, and a set of values known only at run time (the provider registry)
    let stderr =
        errors_of(&svc("  ports: [{port: 80}]\n").replace("provider: huawei", "provider: huwei"));
    assert!(
        stderr.contains("unknown value `huwei`; expected one of `huawei`, `alibaba`, `tencent` [load/spec]\n --> <stdin>:5:13\n")
            && stderr.contains("  = help: did you mean `huawei`?\n"),
        "{stderr}"
    );
    // case first: `Local` is `local`
    let stderr = errors_of(&svc("  ports: [{port: 80}]\n  trafficPolicy: Local\n"));
    assert!(
        stderr.contains("  = help: did you mean `local`?\n"),
        "{stderr}"
    );
    // too far from `nodes` and `pods` to guess
    let stderr = errors_of(&svc("  ports: [{port: 80}]\n  targets: vms\n"));
    assert_eq!(
        stderr,
        "error: unknown value `vms`; expected one of `nodes`, `pods` [load/spec]
 --> <stdin>:9:12
  |
9 |   targets: vms
  |            ^^^
1 error found; nothing was written
"
    );
}

#[test]
fn a_missing_field_names_the_mapping_that_lacks_it() {
    let stderr = errors_of(&svc(
        "  ports:\n    - port: 80\n    - protocol: UDP\n  workload:\n    name: web\n",
    ));
    assert_eq!(
        stderr,
        "error: `spec.ports[1]`: missing required field `port`; add it to this mapping [load/spec]
  --> <stdin>:10:7
   |
10 |     - protocol: UDP
   |       ^^^^^^^^
error: `spec.workload`: missing required field `kind`; add it to this mapping [load/spec]
  --> <stdin>:12:5
   |
12 |     name: web
   |     ^^^^
2 errors found; nothing was written
"
    );
    // an empty flow mapping: at the key that holds it
    let stderr = errors_of(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec:\n  provider: huawei\n  exposure: ingress\n  routes:\n    - path: /\n      tls: {}\n      backends: [{service: web, port: 80}]\n",
    );
    assert_eq!(
        stderr,
        "error: `spec.routes[0].tls`: missing required field `certificateId`; add it to this mapping [load/spec]
 --> <stdin>:9:7
  |
9 |       tls: {}
  |       ^^^
1 error found; nothing was written
"
    );
}

/// The caret line of the first diagnostic, with the quoted line above it.
fn quoted_and_caret(stderr: &str, line: usize) -> (String, String) {
    let lines: Vec<&str> = stderr.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(&format!("{line} | ")))
        .unwrap_or_else(|| panic!("line {line} quoted: {stderr}"));
    (lines[at].to_string(), lines[at + 1].to_string())
}

#[test]
fn carets_underline_exactly_the_offending_token_in_block_and_flow_style() {
    let stderr = errors_of(&svc(
        "  ports: [{port: 80}]\n  stickiness: {mode: cokie, timeout: 5 minutes}\n  healthCheck:\n    interval: 5 seconds\n    protocol: \"tcp\"\n",
    ));
    let flow = stderr.lines().filter(|l| l.starts_with("9 | ")).count();
    assert_eq!(flow, 2, "two errors on line 9: {stderr}");
    let carets: Vec<&str> = stderr.lines().filter(|l| l.contains('^')).collect();
    assert_eq!(
        carets,
        [
            "  |                      ^^^^^", // cokie, without the comma
            "  |                                      ^^^^^^^^^", // 5 minutes, without the brace
            "   |               ^^^^^^^^^",   // 5 seconds, whole
            "   |               ^^^^^",       // "tcp" with its quotes
        ],
        "{stderr}"
    );
    let (quoted, caret) = quoted_and_caret(&stderr, 11);
    assert_eq!(quoted, "11 |     interval: 5 seconds");
    assert_eq!(caret.find('^'), quoted.find('5'));
    // a key is underlined without its colon
    let stderr = errors_of(&svc("  ports: [{port: 80}]\n  helthCheck: {}\n"));
    let (quoted, caret) = quoted_and_caret(&stderr, 9);
    assert_eq!(
        (quoted.as_str(), caret.as_str()),
        ("9 |   helthCheck: {}", "  |   ^^^^^^^^^^")
    );
}

#[test]
fn the_yaml_parsers_errors_say_what_was_expected_and_the_fix() {
    // (input, message, place, caret line, help); the parser's own words follow as a note.
    let cases: Vec<(String, &str, &str, &str, &str)> = vec![
        (
            meta("    namespace: web\n"),
            "`namespace` is indented deeper than the line above, whose key already has a value, so it cannot start a key there",
            "<stdin>:5:5",
            "  |     ^^^^^^^^^",
            "indent `namespace` like the keys beside it (the line above starts at column 3), or, if it belongs under the key above, put nothing after that key's `:`",
        ),
        (
            "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n    name: shop\n  namespace: web\n".into(),
            "this line does not line up with the keys of the mapping it is in",
            "<stdin>:5:3",
            "  |   ^^^^^^^^^",
            "indent this line exactly like the other keys of its mapping (the line above starts at column 5)",
        ),
        (
            meta("  - web\n"),
            "this line does not line up with the keys of the mapping it is in",
            "<stdin>:5:3",
            "  |   ^^^^^",
            "a list item (`- ...`) cannot stand among the keys of a mapping: put the list under a key, indented below it (`ports:` then `  - port: 80`), and align every item's `-`",
        ),
        (
            "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name:shop\n  namespace: web\n".into(),
            "`namespace` cannot start a key here: the line above, `name:shop`, has no space after its `:`, so it is one long text that goes on into this line",
            "<stdin>:5:3",
            "  |   ^^^^^^^^^",
            "write `name: shop` (a space after the `:`)",
        ),
        (
            meta("  namespace: a: b\n"),
            "the value of `namespace` contains `: `, which YAML reads as another key",
            "<stdin>:5:14",
            "  |              ^",
            "quote the value: `namespace: \"a: b\"`",
        ),
        (
            meta("  namespace: \"web\nspec: {}\n"),
            "this quoted value has no closing quote",
            "<stdin>:5:14",
            "  |              ^^^^",
            "end the value with `\"`; inside double quotes a quote is written `\\\"`",
        ),
        (
            meta("  namespace: 'web\n"),
            "this quoted value has no closing quote",
            "<stdin>:5:14",
            "  |              ^^^^",
            "end the value with `'`; inside single quotes a quote is written twice (`''`)",
        ),
        (
            "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop\nspec: {provider: huawei}\n".into(),
            "the mapping `{` opened on line 3 is not closed",
            "<stdin>:3:11",
            "  |           ^^^^^^^^^^^",
            "end line 3's mapping with `}`",
        ),
        (
            "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop namespace: web}\n".into(),
            "expected `,` before the next entry or `}` to close the mapping `{...}`",
            "<stdin>:3:23",
            "  |                       ^^^^^^^^^",
            "add `,` before `namespace`",
        ),
        (
            meta("spec:\n  ports: [80, 81\n"),
            "the `[` opened here is never closed",
            "<stdin>:6:10",
            "  |          ^^^^^^^",
            "add the `]` that ends it",
        ),
        (
            meta("spec:\n  ports: [{port: 80}}\n"),
            "the `[` opened here is closed by `}`",
            "<stdin>:6:10",
            "  |          ^^^^^^^^^^^^",
            "close it with `]`",
        ),
        (
            meta("spec:\n\tprovider: huawei\n"),
            "a tab indents this line; YAML indentation is spaces only",
            "<stdin>:6:1",
            "  | ^^^^",
            "replace the tab with spaces",
        ),
        (
            meta("spec: *base\n"),
            "the alias `*base` refers to no anchor `&base` above it in this document",
            "<stdin>:5:7",
            "  |       ^^^^^",
            "mark the node to repeat with `&base` before this line, or write the value out",
        ),
        (
            meta("  namespace: \"web\" prod\n"),
            "text follows the closing quote of this value",
            "<stdin>:5:20",
            "  |                    ^^^^",
            "put the whole value inside the quotes, or remove what follows them",
        ),
    ];
    for (input, message, place, caret, help) in cases {
        let stderr = errors_of(&input);
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(
            lines[0],
            format!("error: invalid YAML: {message} [load/yaml]"),
            "{stderr}"
        );
        assert_eq!(lines[1].trim_start(), format!("--> {place}"), "{stderr}");
        assert_eq!(lines[4], caret, "{stderr}");
        assert!(
            lines[6].starts_with("  = note: the YAML parser says: "),
            "{stderr}"
        );
        assert_eq!(lines[7], format!("  = help: {help}"), "{stderr}");
        assert_eq!(lines[8], "1 error found; nothing was written", "{stderr}");
    }
}

#[test]
fn a_duplicate_key_names_the_line_of_the_first() {
    assert_eq!(
        errors_of(&meta("  name: cafe\n")),
        "error: invalid YAML: duplicate key `name`; remove one of them [load/yaml]
 --> <stdin>:5:3
  |
5 |   name: cafe
  |   ^^^^
  |
  = help: a mapping holds each key once, and `name` is already set on line 4: keep the one you mean
1 error found; nothing was written
"
    );
}

#[test]
fn the_parsers_own_message_is_kept_as_a_note() {
    let stderr = errors_of(&meta("    namespace: web\n"));
    assert!(
        stderr.contains(
            "  = note: the YAML parser says: mapping values are not allowed in this context\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_document_reports_at_most_twenty_errors_and_says_it_stopped() {
    let bad: String = (0..25).map(|i| format!("  bad{i}: 1\n")).collect();
    let stderr = errors_of(&svc(&format!("  ports: [{{port: 80}}]\n{bad}")));
    let errors = stderr.lines().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(errors, 20, "{stderr}");
    assert!(stderr.contains("bad19"), "{stderr}");
    assert!(!stderr.contains("bad21"), "{stderr}");
    assert!(
        stderr.contains(
            "warning: lbgen stopped reading this document after 20 errors; more follow from here: fix these and run again [load/spec]\n  --> <stdin>:29:3\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("20 errors found; nothing was written\n"),
        "{stderr}"
    );
}

#[test]
fn json_and_sarif_carry_the_suggestion() {
    let spec = svc("  ports: [{port: 80}]\n  stickiness: {mode: cokie}\n");
    let (code, stdout, _) = validate(&spec, &["-o", "json"]);
    assert_eq!(code, Some(2));
    let report: Value = serde_json::from_str(&stdout).expect("json");
    let d = &report["diagnostics"][0];
    assert_eq!(
        d["message"],
        "unknown value `cokie`; expected one of `source-ip`, `cookie`, `app-cookie`"
    );
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(9), Some(22))
    );
    assert_eq!(d["help"], "did you mean `cookie`?");
    assert_eq!(
        d["replacement"],
        serde_json::json!({"text": "cookie", "columns": 5})
    );
    assert_eq!(report["summary"]["errors"], 1);

    let (code, stdout, _) = validate(&spec, &["-o", "sarif"]);
    assert_eq!(code, Some(2));
    // the fix is a valid SARIF 2.1.0 fix object
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("log.sarif.json");
    std::fs::write(&file, &stdout).expect("write");
    common::check_jsonschema(
        &common::root().join("tests/fixtures/sarif-2.1.0.json"),
        &[file],
    );
    let log: Value = serde_json::from_str(&stdout).expect("sarif");
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["properties"]["help"], "did you mean `cookie`?");
    let fix = &result["fixes"][0];
    assert_eq!(fix["description"]["text"], "did you mean `cookie`?");
    let replacement = &fix["artifactChanges"][0]["replacements"][0];
    assert_eq!(
        replacement["deletedRegion"],
        serde_json::json!({"startLine": 9, "startColumn": 22, "endColumn": 27})
    );
    assert_eq!(replacement["insertedContent"]["text"], "cookie");
    // a record without a fix keeps exactly its former fields
    let (_, stdout, _) = validate(
        &svc("  ports: [{port: 80}]\n  targets: vms\n"),
        &["-o", "json"],
    );
    let report: Value = serde_json::from_str(&stdout).expect("json");
    let keys: Vec<&String> = report["diagnostics"][0]
        .as_object()
        .expect("record")
        .keys()
        .collect();
    assert_eq!(
        keys,
        [
            "column", "field", "file", "line", "message", "provider", "rule", "severity"
        ]
    );
}

/// The output docs/spec.md shows under `$ kubectl lbgen validate -f NAME`.
fn documented_output(name: &str) -> String {
    let doc = std::fs::read_to_string(common::root().join("docs/spec.md")).expect("docs/spec.md");
    let start = doc
        .find(&format!("$ kubectl lbgen validate -f {name}\n"))
        .unwrap_or_else(|| panic!("{name} in docs/spec.md"));
    let block = &doc[start..];
    let block = &block[block.find('\n').expect("line") + 1..];
    let end = block
        .find("\n\n")
        .into_iter()
        .chain(block.find("```"))
        .min()
        .expect("end");
    format!("{}\n", block[..end].trim_end())
}

#[test]
fn the_documented_examples_are_what_lbgen_prints() {
    let dir = tempfile::tempdir().expect("tmp");
    let shop = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports:\n    - port: 80\n      protocol: tcp\n  stickiness: {mode: cookie, timeout: 5 minutes}\n  helthCheck: {interval: 5s}\n";
    let indent = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata:\n  name: shop\n    namespace: web\n";
    for (name, text) in [("shop.yaml", shop), ("indent.yaml", indent)] {
        std::fs::write(dir.path().join(name), text).expect("write");
        let out = Command::new(common::binary())
            .current_dir(dir.path())
            .args(["validate", "-f", name])
            .env("NO_COLOR", "1")
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            documented_output(name),
            "{name}"
        );
    }
}

#[test]
fn every_required_field_a_mapping_lacks_is_named_at_once() {
    assert_eq!(
        errors_of("kind: LoadBalancer\n"),
        "error: the document: missing required fields `apiVersion`, `metadata`, `spec`; add them to this mapping [load/spec]
 --> <stdin>:1:1
  |
1 | kind: LoadBalancer
  | ^^^^
1 error found; nothing was written
"
    );
    // `metdata` stands for `metadata`, which is not reported missing; `spec` still is
    let stderr =
        errors_of("apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetdata: {name: a}\n");
    let messages: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(
        messages,
        [
            "error: the document: missing required field `spec`; add it to this mapping [load/spec]",
            "error: unknown field `metdata`, expected one of `apiVersion`, `kind`, `metadata`, `spec`; remove it or fix its spelling [load/spec]",
        ],
        "{stderr}"
    );
}

/// The issue-15 fields through the binary: a bad address, an ACL id that would split the
/// comma-separated `kubernetes.io/elb.acl-id` and a tag that would split `elb.tags` all stop
/// the run with exit code 2, each at its own file:line:column with the fix.
#[test]
fn access_address_and_tag_values_are_refused_where_they_are_written() {
    let dir = tempfile::tempdir().expect("tmp");
    let spec = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec:\n  provider: huawei\n  exposure: service\n  selector: {app: web}\n  ports: [{port: 80}]\n  loadBalancer:\n    create: {address: 10.0.0.300}\n    tags: {team: 'a,b'}\n  accessControl: {mode: allow, aclIds: ['5c20fdad-7288-11eb-b817-0255ac10158b,x']}\n";
    std::fs::write(dir.path().join("shop.yaml"), spec).expect("write");
    let run = || {
        Command::new(common::binary())
            .current_dir(dir.path())
            .args(["validate", "-f", "shop.yaml"])
            .env("NO_COLOR", "1")
            .output()
            .expect("run")
    };
    let out = run();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "`10.0.0.300` is not an IP address: write an IPv4 address such as `192.168.0.10`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--> shop.yaml:10:23"), "{stderr}");
    // With the address fixed, the rules judge the tag and the ACL id.
    std::fs::write(
        dir.path().join("shop.yaml"),
        spec.replace("10.0.0.300", "10.0.0.30"),
    )
    .expect("write");
    let out = run();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("[common/tag-text]"), "{stderr}");
    assert!(stderr.contains("--> shop.yaml:11:5"), "{stderr}");
    assert!(
        stderr.contains("an ELB IP address group id is a lowercase UUID"),
        "{stderr}"
    );
    assert!(stderr.contains("--> shop.yaml:12:41"), "{stderr}");
}

#[test]
fn route_conditions_refuse_what_could_reach_an_annotation_unchecked() {
    let stderr = errors_of(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec:\n  provider: alibaba\n  exposure: ingress\n  routes:\n    - path: /\n      when:\n        methods: [get]\n        headers: [{name: \"x canary\", values: [\"a b\"]}]\n        cookies: {\"bad,name\": v}\n        sourceRanges: [10.0.0.0/33]\n        heders: []\n      backends: [{service: web, port: 80}]\n",
    );
    assert_eq!(
        stderr,
        "error: unknown value `get`; expected one of `GET`, `POST`, `PUT`, `DELETE`, `PATCH`, `HEAD`, `OPTIONS` [load/spec]
  --> <stdin>:10:19
   |
10 |         methods: [get]
   |                   ^^^
   |
   = help: did you mean `GET`?
error: `x canary` is not a header, cookie or query name: use 1 to 100 letters, digits and !#$%&'*+-.^_`|~ (an HTTP token; no spaces, quotes, ':' or ','), e.g. `x-canary` [load/spec]
  --> <stdin>:11:26
   |
11 |         headers: [{name: \"x canary\", values: [\"a b\"]}]
   |                          ^^^^^^^^^^
error: `a b` is not a match value: use 1 to 128 visible ASCII characters (no spaces, tabs, line breaks or non-ASCII), e.g. `always` [load/spec]
  --> <stdin>:11:47
   |
11 |         headers: [{name: \"x canary\", values: [\"a b\"]}]
   |                                               ^^^^^
error: `bad,name` is not a header, cookie or query name: use 1 to 100 letters, digits and !#$%&'*+-.^_`|~ (an HTTP token; no spaces, quotes, ':' or ','), e.g. `x-canary` [load/spec]
  --> <stdin>:12:19
   |
12 |         cookies: {\"bad,name\": v}
   |                   ^^^^^^^^^^
error: `10.0.0.0/33` is not a CIDR block: write an address and a prefix length, e.g. `192.168.0.0/16` or `2020:50::44/127` [load/spec]
  --> <stdin>:13:24
   |
13 |         sourceRanges: [10.0.0.0/33]
   |                        ^^^^^^^^^^^
error: unknown field `heders`, expected one of `methods`, `headers`, `cookies`, `query`, `sourceRanges`; remove it or fix its spelling [load/spec]
  --> <stdin>:14:9
   |
14 |         heders: []
   |         ^^^^^^
   |
   = help: did you mean `headers`?
6 errors found; nothing was written
"
    );
}

#[test]
fn a_header_route_on_tke_is_a_capability_error_naming_the_alternative() {
    let stderr = errors_of(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec:\n  provider: tencent\n  exposure: ingress\n  network: public\n  routes:\n    - path: /\n      when: {headers: [{name: x-canary, values: [always]}]}\n      backends: [{service: web, port: 80}]\n",
    );
    assert!(
        stderr.contains("error: a TKE CLB Ingress routes by host and path only: it has no header, cookie, query, method or source-address conditions; nearest: give the canary a host or path of its own (e.g. canary.example.com), or one Service in front of both Deployments for a share by replicas [tencent/route-no-conditions]\n  --> <stdin>:10:7\n"),
        "{stderr}"
    );
}

#[test]
fn huawei_conditions_are_gated_by_cluster_version() {
    let spec = |version: &str| {
        format!(
            "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {{name: shop}}\nspec:\n  provider: huawei\n  exposure: ingress\n  cluster: {{version: {version}}}\n  loadBalancer: {{id: lb-1, tier: dedicated}}\n  routes:\n    - path: /\n      when: {{cookies: {{canary: always}}}}\n      backends: [{{service: web, port: 80}}]\n"
        )
    };
    let stderr = errors_of(&spec("v1.27.15-r0"));
    assert!(
        stderr.contains("[huawei/route-conditions-version]\n  --> <stdin>:11:7\n"),
        "{stderr}"
    );
    let (code, _, stderr) = validate(&spec("v1.27.16-r0"), &[]);
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn a_misspelt_route_field_lists_the_route_fields_with_when() {
    let stderr = errors_of(
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec:\n  provider: huawei\n  exposure: ingress\n  routes: [{path: /, wen: {}, backends: [{service: web, port: 80}]}]\n",
    );
    assert!(
        stderr.starts_with("error: unknown field `wen`, expected one of `host`, `path`, `match`, `port`, `tls`, `action`, `when`, `backends`; remove it or fix its spelling [load/spec]\n --> <stdin>:7:22\n"),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean `when`?"), "{stderr}");
}

/// The fields of `spec.healthCheck`, in the order docs/spec.md lists them.
const HEALTH_CHECK_FIELDS: &str = "`enabled`, `protocol`, `port`, `path`, `interval`, `timeout`, `retries`, `successCodes`, `method`, `host`";

#[test]
fn a_misspelt_health_check_field_lists_the_fields_and_the_nearest() {
    let spec =
        svc("  ports: [{port: 80}]\n  healthCheck:\n    protocol: HTTP\n    sucessCodes: [2xx]\n");
    let want = format!(
        "error: unknown field `sucessCodes`, expected one of {HEALTH_CHECK_FIELDS}; remove it or fix its spelling [load/spec]
  --> <stdin>:11:5
   |
11 |     sucessCodes: [2xx]
   |     ^^^^^^^^^^^
   |
   = help: did you mean `successCodes`?
1 error found; nothing was written
"
    );
    assert_eq!(errors_of(&spec), want);
}

/// The fields of `spec.loadBalancer.create`, with `eipIds`: a misspelt one names them all and
/// the nearest.
#[test]
fn a_misspelt_create_field_lists_the_create_fields_with_eip_ids() {
    let stderr = errors_of(&svc(
        "  ports: [{port: 80}]\n  network: public\n  loadBalancer:\n    create:\n      eipId: 88c197a1-cb85-4b38-b672-1d60dc5d00db\n",
    ));
    assert!(
        stderr.contains("error: unknown field `eipId`, expected one of `name`, `bandwidth`, `eipType`, `zones`, `l4Flavor`, `l7Flavor`, `subnetId`, `subnetIds`, `backendSubnetIds`, `address`, `billing`, `eipIds`, `ipVersion`; remove it or fix its spelling [load/spec]\n  --> <stdin>:12:7\n"),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean `eipIds`?"), "{stderr}");
}

/// Bound EIPs through the binary: an id that would add an entry to ACK's `zone-maps`
/// (`zone:vsw::eip,...`) stops the run at its own list item; a CLB, TKE and an old CCE
/// cluster each get the capability or version error with the nearest alternative.
#[test]
fn eip_ids_are_refused_where_they_cannot_be_bound() {
    let nlb = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec:\n  provider: alibaba\n  exposure: service\n  network: public\n  selector: {app: web}\n  ports: [{port: 80}]\n  alibaba: {loadBalancerType: nlb}\n  loadBalancer:\n    create:\n      zones: [cn-hangzhou-k, cn-hangzhou-j]\n      subnetIds: [vsw-i123456, vsw-j654321]\n      eipIds: [eip-bp1a2b3c, 'eip-1,cn-hangzhou-x:vsw-y']\n";
    let stderr = errors_of(nlb);
    assert!(
        stderr.contains("error: an EIP id is eip- and lower-case letters or digits, e.g. eip-bp1a2b3c4d5e (no ',' or ':', which separate zone-maps entries) [alibaba/eip-id]\n  --> <stdin>:15:30\n"),
        "{stderr}"
    );
    let clb = nlb.replace("  alibaba: {loadBalancerType: nlb}\n", "").replace(
        "      zones: [cn-hangzhou-k, cn-hangzhou-j]\n      subnetIds: [vsw-i123456, vsw-j654321]\n      eipIds: [eip-bp1a2b3c, 'eip-1,cn-hangzhou-x:vsw-y']\n",
        "      eipIds: [eip-bp1a2b3c]\n",
    );
    let stderr = errors_of(&clb);
    assert!(
        stderr.contains("the CCM binds no existing EIP to a CLB (an Internet CLB owns its public address); nearest: alibaba.loadBalancerType: nlb with create.eipIds (one EIP per zone), or a CLB created beforehand and attached by loadBalancer.id, whose address outlives the Service [alibaba/clb-no-eip-ids]\n  --> <stdin>:12:7\n"),
        "{stderr}"
    );
    let tke = clb.replace("provider: alibaba", "provider: tencent");
    let stderr = errors_of(&tke);
    assert!(
        stderr.contains("[tencent/no-eip-ids]\n  --> <stdin>:12:7\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "nearest: create the CLB once in the CLB console and attach it with loadBalancer.id"
        ),
        "{stderr}"
    );
    let cce = svc(
        "  ports: [{port: 80}]\n  cluster: {version: v1.27.9-r0}\n  network: public\n  loadBalancer:\n    create:\n      bandwidth: {name: bw, size: 5, shareType: PER}\n      eipType: 5_bgp\n      eipIds: [88c197a1-cb85-4b38-b672-1d60dc5d00db]\n",
    );
    let stderr = errors_of(&cce);
    assert!(
        stderr.contains("error: a custom EIP (kubernetes.io/elb.custom-eip-id) needs CCE v1.23.18-r0, v1.25.13-r0, v1.27.10-r0, v1.28.8-r0, v1.29.4-r0, v1.30.1-r0 or a later minor; upgrade, or drop create.eipIds and keep the EIP CCE creates [huawei/eip-ids-version]\n  --> <stdin>:15:7\n"),
        "{stderr}"
    );
    let internal = svc(
        "  ports: [{port: 80}]\n  loadBalancer:\n    create: {eipIds: [88c197a1-cb85-4b38-b672-1d60dc5d00db]}\n",
    );
    let stderr = errors_of(&internal);
    assert!(
        stderr.contains("error: create.eipIds binds public addresses: it needs network: public, and names each EIP once [common/eip-ids]\n  --> <stdin>:10:14\n"),
        "{stderr}"
    );
}
