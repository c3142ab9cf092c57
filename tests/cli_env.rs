//! Every flag's `LBGEN_*` environment twin: listed in each subcommand's `--help` beside the
//! flag, and really read (a value, a boolean, a bad value), with the command line winning.

mod common;

use std::process::{Command, Output};

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(common::binary());
    command.args(args).current_dir(common::root());
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run")
}

#[test]
fn every_long_flag_shows_its_variable_in_help() {
    let mut checked = 0;
    for name in common::subcommands() {
        let help = String::from_utf8_lossy(&run(&[&name, "--help"], &[]).stdout).into_owned();
        let options = help.split("Options:").nth(1).unwrap_or_default();
        let options = options.split("Examples").next().unwrap_or_default();
        // Each option's block runs from its flag line to the next one.
        let mut blocks: Vec<String> = Vec::new();
        for line in options.lines() {
            let t = line.trim_start();
            if t.starts_with('-') && line.starts_with("  ") && !line.starts_with("          ") {
                blocks.push(String::new());
            }
            if let Some(b) = blocks.last_mut() {
                b.push_str(line);
                b.push('\n');
            }
        }
        for block in blocks {
            let long = block
                .split_whitespace()
                .find(|w| w.starts_with("--"))
                .map(|w| w.trim_end_matches(',').to_string())
                .expect("a long flag");
            if long == "--help" || long == "--version" {
                continue;
            }
            let variable = format!(
                "[env: LBGEN_{}=",
                long.trim_start_matches("--")
                    .to_uppercase()
                    .replace('-', "_")
            );
            assert!(
                block.contains(&variable),
                "`{name} {long}` lacks {variable}]: {block}"
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} flags seen");
}

#[test]
fn variables_are_read_and_the_command_line_wins() {
    let example = "examples/huawei/service-existing-lb.yaml";
    let json = run(&["render", "-f", example], &[("LBGEN_OUTPUT", "json")]);
    assert!(json.status.success());
    assert!(
        String::from_utf8_lossy(&json.stdout).starts_with('{'),
        "JSON from LBGEN_OUTPUT"
    );

    let flag = run(
        &["render", "-f", example, "-o", "yaml"],
        &[("LBGEN_OUTPUT", "json")],
    );
    assert!(
        !String::from_utf8_lossy(&flag.stdout).starts_with('{'),
        "-o beats the variable"
    );

    let bad = run(&["render", "-f", example], &[("LBGEN_OUTPUT", "xml")]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(bad.stdout.is_empty());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("xml"));

    // This example sets no namespace, so the variable's namespace is the objects'.
    let example = "examples/alibaba/ingress-multiple-services.yaml";
    let namespaced = run(
        &["render", "-f", example],
        &[("LBGEN_NAMESPACE", "from-env")],
    );
    let text = String::from_utf8_lossy(&namespaced.stdout);
    assert!(text.contains("namespace: from-env"), "{text}");
}

#[test]
fn a_boolean_variable_turns_its_flag_on_and_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Source-IP stickiness on CCE warns (pods must spread over nodes): a warning-only spec.
    std::fs::write(
        dir.path().join("s.yaml"),
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop, namespace: web}\nspec:\n  provider: huawei\n  exposure: service\n  loadBalancer: {id: lb-1}\n  selector: {app: shop}\n  ports: [{name: http, port: 80}]\n  stickiness: {mode: source-ip, timeout: 30m}\n",
    )
    .expect("write");
    let file = dir.path().join("s.yaml");
    let file = file.to_str().expect("utf-8");
    let plain = run(&["validate", "-f", file], &[]);
    assert_eq!(plain.status.code(), Some(0), "warnings only");
    let strict = run(
        &["validate", "-f", file],
        &[("LBGEN_WARNINGS_AS_ERRORS", "true")],
    );
    assert_eq!(strict.status.code(), Some(2));
    let off = run(
        &["validate", "-f", file],
        &[("LBGEN_WARNINGS_AS_ERRORS", "false")],
    );
    assert_eq!(off.status.code(), Some(0));
}
