//! docs/walkthrough.md as a tested document: every `sh` block is run AS PRINTED with bash,
//! in order, in a throwaway `$HOME`, with the real kubectl, kpt and pre-commit, and what
//! each block produces is checked (objects, files, exit codes). The clone comes from the
//! tree under test through git's `url.<base>.insteadOf` (no network); `cargo install` is
//! checked for its flags and stood in for by the built binary in `~/.cargo/bin` (building
//! again would cost minutes); the cluster is the loopback fake API server in
//! `~/.kube/config`. Steps that need a real Argo CD or CI runner are run at their contract:
//! the plugin's and the workflow files' own commands, in the directory they would run in.

mod common;
mod diff_support;
mod fake_api;
mod walkthrough_support;

use walkthrough_support::{
    assert_ran, cluster, commands, machine, plugin_command, readme_block, run_ci_doc_snippets,
    run_ci_files, steps, text,
};

#[test]
#[allow(clippy::print_stderr)]
fn the_walkthrough_runs_as_printed() {
    let doc = std::fs::read_to_string(common::root().join("docs/walkthrough.md")).expect("doc");
    let steps = steps(&doc);
    let names: Vec<&str> = steps.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "prerequisites",
            "clone",
            "install",
            "installed",
            "render",
            "tests",
            "app",
            "flux",
            "argocd",
            "kpt",
            "kustomize",
            "pre-commit",
            "ci",
            "cluster"
        ],
        "every step of the walkthrough has its check below"
    );
    let clone = &steps[1].1;
    let machine = machine(clone);
    let api = cluster(&machine);
    let clone_dir = machine.home().join("kubectl-lbgen");
    for (name, block) in &steps {
        eprintln!("walkthrough step {name}");
        let started = std::time::Instant::now();
        let checked_only = matches!(name.as_str(), "install" | "tests");
        let out = if checked_only {
            None
        } else {
            let dir = if name == "prerequisites" || name == "clone" {
                machine.home().to_path_buf()
            } else {
                clone_dir.clone()
            };
            let out = machine.bash(block, &dir);
            assert_ran(name, &out);
            Some(out)
        };
        let stdout = out.as_ref().map(|o| text(&o.stdout)).unwrap_or_default();
        let stderr = out.as_ref().map(|o| text(&o.stderr)).unwrap_or_default();
        match name.as_str() {
            "prerequisites" => {
                assert!(
                    stdout.contains("cargo ") && stdout.contains("git version"),
                    "{stdout}"
                );
                assert!(stdout.contains("Client Version"), "{stdout}");
            }
            "clone" => {
                let ci = std::fs::read_to_string(common::root().join("deploy/ci/gitlab-ci.yml"))
                    .expect("gitlab-ci");
                let installed_from = machine.clone_url.trim_end_matches(".git");
                assert!(
                    ci.contains(&format!("--git {installed_from} ")),
                    "the walkthrough clones what the CI files install: {}",
                    machine.clone_url
                );
                assert!(
                    clone_dir.join("Cargo.lock").is_file(),
                    "cloned into ~/kubectl-lbgen"
                );
                assert!(clone_dir.join("docs/walkthrough.md").is_file());
            }
            "install" => {
                assert_eq!(commands(block), ["cargo install --locked --path ."]);
                assert!(
                    readme_block("## Install", "sh").contains("cargo install --locked --path ."),
                    "README installs the same way"
                );
                // Where cargo install puts it ($CARGO_HOME/bin, by default ~/.cargo/bin).
                let bin = machine.home().join(".cargo/bin");
                std::fs::create_dir_all(&bin).expect("mkdir");
                std::os::unix::fs::symlink(common::binary(), bin.join("kubectl-lbgen"))
                    .expect("symlink");
            }
            "installed" => {
                let installed = machine.home().join(".cargo/bin/kubectl-lbgen");
                let installed = installed.display().to_string();
                assert_eq!(stdout.lines().next(), Some(installed.as_str()), "{stdout}");
                assert!(
                    stdout.contains(&format!("kubectl-lbgen {}", env!("CARGO_PKG_VERSION"))),
                    "kubectl dispatches to the plugin: {stdout}"
                );
                assert!(
                    stdout.lines().filter(|l| *l == installed).count() == 2,
                    "kubectl plugin list shows it: {stdout}"
                );
            }
            "render" => {
                let service = common::object(&stdout, "Service");
                assert_eq!(
                    service["metadata"]["annotations"]["kubernetes.io/elb.id"],
                    "5083f225-9bf8-48fa-9c8b-67bd9693c4c0"
                );
                assert!(stderr.contains("warning"), "{stderr}");
            }
            "tests" => {
                assert_eq!(commands(block), ["bash scripts/test"]);
                assert!(readme_block("# kubectl-lbgen", "sh").contains("bash scripts/test"));
                let script = std::fs::read_to_string(common::root().join("scripts/test"))
                    .expect("scripts/test");
                let last = script.lines().rev().find(|l| !l.trim().is_empty());
                assert!(
                    last.is_some_and(|l| l.starts_with("cargo test --locked")),
                    "{last:?}"
                );
            }
            "app" => {
                assert!(machine.demo().join("specs/shop.yaml").is_file());
                assert!(machine.demo().join(".git").is_dir());
            }
            "flux" => {
                assert!(
                    stdout.contains("rendered/default/service-nginx.yaml"),
                    "{stdout}"
                );
                assert!(stdout.contains("rendered/ is current"), "{stdout}");
            }
            "argocd" => {
                let lines = commands(block);
                assert_eq!(lines[0], plugin_command("discover"));
                assert!(
                    lines[1].ends_with(&plugin_command("generate")),
                    "{}",
                    lines[1]
                );
                let (discovered, manifests) = stdout.split_once('\n').expect("two outputs");
                assert_eq!(discovered, "shop.yaml", "discover names the spec");
                let service = common::object(manifests, "Service");
                assert_eq!(service["metadata"]["name"], "nginx");
                assert!(
                    stderr.contains("warning"),
                    "warnings on stderr only: {stderr}"
                );
            }
            "kpt" => {
                let pkg = machine.demo().join("pkg");
                assert!(pkg.join("service_nginx.yaml").is_file(), "{stdout}{stderr}");
                assert!(!pkg.join("shop.yaml").exists(), "the spec is replaced");
            }
            "kustomize" => {
                let service = common::object(&stdout, "Service");
                assert_eq!(service["metadata"]["namespace"], "web", "{stdout}");
                assert_eq!(
                    service["metadata"]["annotations"]["kubernetes.io/elb.session-affinity-mode"],
                    "SOURCE_IP"
                );
            }
            "pre-commit" => {
                let config = block
                    .split_once("<<'EOF'\n")
                    .and_then(|(_, rest)| rest.split_once("EOF\n"))
                    .expect("the configuration")
                    .0;
                assert_eq!(
                    config,
                    readme_block("### pre-commit", "yaml"),
                    "the README's configuration"
                );
                for hook in ["lbgen validate", "lbgen render check"] {
                    assert!(
                        stdout
                            .lines()
                            .any(|l| l.starts_with(hook) && l.ends_with("Passed")),
                        "{hook}: {stdout}"
                    );
                }
            }
            "ci" => {
                assert!(machine.demo().join(".github/workflows/lbgen.yml").is_file());
                assert!(machine.demo().join(".gitlab-ci.yml").is_file());
                run_ci_files(&machine);
                let sarif = std::fs::read_to_string(machine.demo().join("lbgen.sarif"))
                    .expect("the workflow's SARIF file");
                let sarif: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF");
                assert_eq!(sarif["version"], "2.1.0");
            }
            "cluster" => {
                assert_eq!(stdout.lines().next(), Some("walkthrough"), "{stdout}");
                let codes: Vec<&str> = stdout
                    .lines()
                    .filter_map(|l| l.strip_prefix("exit code "))
                    .collect();
                assert_eq!(codes, ["1", "0", "1"], "{stdout}");
                assert!(
                    stdout.contains("~ Service default/nginx: changed"),
                    "{stdout}"
                );
                assert!(
                    stdout
                        .contains("::error file=specs/shop.yaml,line=6,col=9,title=diff/changed::"),
                    "{stdout}"
                );
                run_ci_doc_snippets(&machine);
                diff_support::assert_read_only(&api);
            }
            other => panic!("no check for step {other}"),
        }
        eprintln!(
            "walkthrough step {name}: ok in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
}
