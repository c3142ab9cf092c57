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

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `(step name, block)` for every `sh` block of the walkthrough; each must follow a
/// `<!-- step: NAME -->` line.
fn steps(doc: &str) -> Vec<(String, String)> {
    let mut steps = Vec::new();
    let mut name: Option<String> = None;
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("<!-- step: ") {
            name = Some(rest.trim_end_matches(" -->").trim().to_string());
        } else if line == "```sh" {
            let step = name
                .take()
                .expect("every sh block follows a <!-- step: NAME --> line");
            let block: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            steps.push((step, block.join("\n") + "\n"));
        } else if !line.trim().is_empty() {
            name = None;
        }
    }
    steps
}

/// The throwaway machine: `$HOME`, the git configuration that serves the clone locally,
/// and the environment a user's terminal would have.
struct Machine {
    home: tempfile::TempDir,
    _source: tempfile::TempDir,
    /// The URL the walkthrough clones (the one the CI files install from).
    clone_url: String,
}

impl Machine {
    fn home(&self) -> &Path {
        self.home.path()
    }

    fn demo(&self) -> PathBuf {
        self.home().join("lbgen-demo")
    }

    /// PATH as after `export PATH="$HOME/.cargo/bin:$PATH"`, then the test's own (kubectl,
    /// kpt, pre-commit, cargo).
    fn path(&self) -> String {
        format!(
            "{}:{}",
            self.home().join(".cargo/bin").display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    /// A bash like the user's terminal (no profile, `$HOME` the throwaway one, going on
    /// after a failing command, as a terminal does) with `pipefail`, and an ERR trap that
    /// names every command that failed on stderr ([`FAILED`]), for [`assert_ran`].
    fn bash(&self, script: &str, dir: &Path) -> Output {
        let traced = format!("trap 'echo \"{FAILED}$BASH_COMMAND (exit $?)\" >&2' ERR\n{script}");
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-o", "pipefail", "-c", &traced])
            .current_dir(dir)
            .env_clear()
            .env("HOME", self.home())
            .env("PATH", self.path())
            .env("NO_COLOR", "1")
            .env("TERM", "dumb")
            .env("LANG", "C.UTF-8")
            .env("GIT_CONFIG_NOSYSTEM", "1");
        // Toolchain managers find their state through $HOME unless told: keep the real one.
        let real_home = std::env::var_os("HOME").map(PathBuf::from);
        for (variable, default) in [("RUSTUP_HOME", ".rustup"), ("PYENV_ROOT", ".pyenv")] {
            let value = std::env::var_os(variable)
                .map(PathBuf::from)
                .or_else(|| real_home.as_ref().map(|h| h.join(default)));
            if let Some(value) = value.filter(|v| v.exists()) {
                command.env(variable, value);
            }
        }
        command.output().expect("bash runs")
    }
}

/// A git repository holding the tree under test as a fresh clone would see it (tracked
/// and new, not ignored, files), one commit.
fn source_repository() -> tempfile::TempDir {
    let root = common::root();
    let listed = Command::new("git")
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .current_dir(&root)
        .output()
        .expect("git ls-files");
    assert!(
        listed.status.success(),
        "the tree under test is a git checkout"
    );
    let source = tempfile::tempdir().expect("tempdir");
    for file in listed.stdout.split(|b| *b == 0).filter(|f| !f.is_empty()) {
        let relative = String::from_utf8_lossy(file).into_owned();
        let from = root.join(&relative);
        if !from.is_file() {
            continue; // deleted in the work tree
        }
        let to = source.path().join(&relative);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&from, &to).expect("copy");
    }
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.email=ci@example.com", "-c", "user.name=ci"])
            .args(["-c", "init.defaultBranch=main"])
            .args(args)
            .current_dir(source.path())
            .output()
            .expect("git");
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "the tree under test"]);
    source
}

fn machine(clone_block: &str) -> Machine {
    let clone_url = clone_block
        .split_whitespace()
        .skip_while(|w| *w != "clone")
        .nth(1)
        .expect("git clone URL")
        .to_string();
    let source = source_repository();
    let home = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        home.path().join(".gitconfig"),
        format!(
            "[url \"file://{}\"]\n\tinsteadOf = {clone_url}\n[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n",
            source.path().display()
        ),
    )
    .expect("write .gitconfig");
    Machine {
        home,
        _source: source,
        clone_url,
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The lines of a block that are commands (no `cd`, no comments).
fn commands(block: &str) -> Vec<&str> {
    block
        .lines()
        .map(|l| l.split(" #").next().unwrap_or(l).trim())
        .filter(|l| !l.is_empty() && !l.starts_with("cd "))
        .collect()
}

/// The fake cluster: the demo's Service as the API server would hold it, with another
/// algorithm (an in-place change), and `~/.kube/config` pointing at it.
fn cluster(machine: &Machine) -> fake_api::FakeApi {
    let example =
        std::fs::read_to_string(common::root().join("examples/huawei/service-existing-lb.yaml"))
            .expect("example");
    let mut live = diff_support::as_live(diff_support::rendered(&example).remove(0));
    diff_support::set_annotation(
        &mut live,
        "kubernetes.io/elb.lb-algorithm",
        "LEAST_CONNECTIONS",
    );
    let api = fake_api::FakeApi::start(vec![live], Vec::new());
    let kube = machine.home().join(".kube");
    std::fs::create_dir_all(&kube).expect("mkdir");
    std::fs::write(
        kube.join("config"),
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: walkthrough\nclusters:\n- name: fake\n  cluster: {{server: '{}'}}\nusers:\n- name: dev\n  user: {{token: t0ken}}\ncontexts:\n- name: walkthrough\n  context: {{cluster: fake, user: dev, namespace: default}}\n",
            api.url
        ),
    )
    .expect("write kubeconfig");
    api
}

/// What the ERR trap writes before a command that failed.
const FAILED: &str = "walkthrough: failed: ";

/// The block ended well and no command in it failed, except those the walkthrough expects
/// to (`diff` exits 1 on a difference, and the block prints its exit code).
fn assert_ran(step: &str, out: &Output) {
    let stderr = text(&out.stderr);
    let unexpected: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix(FAILED))
        .filter(|command| !(step == "cluster" && command.starts_with("kubectl lbgen diff ")))
        .collect();
    assert!(
        unexpected.is_empty(),
        "step {step}: {unexpected:?} failed\nstdout:\n{}\nstderr:\n{stderr}",
        text(&out.stdout)
    );
    assert!(
        out.status.success(),
        "step {step} failed ({:?})\nstdout:\n{}\nstderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    );
}

/// The first fenced `lang` block after `heading` in README.md.
fn readme_block(heading: &str, lang: &str) -> String {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README");
    let after = readme.split_once(heading).expect("README section").1;
    let block = after
        .split_once(&format!("```{lang}\n"))
        .expect("a fenced block")
        .1;
    block
        .split_once("```")
        .expect("the block ends")
        .0
        .to_string()
}

/// The `command` list of deploy/argocd/plugin.yaml's `step` (`discover` or `generate`).
fn plugin_command(step: &str) -> String {
    let text = std::fs::read_to_string(common::root().join("deploy/argocd/plugin.yaml"))
        .expect("plugin.yaml");
    let plugin: serde_json::Value = serde_saphyr::from_str(&text).expect("yaml");
    let command = if step == "generate" {
        &plugin["spec"]["generate"]["command"]
    } else {
        &plugin["spec"]["discover"]["find"]["command"]
    };
    let words: Vec<&str> = command
        .as_array()
        .expect("command")
        .iter()
        .map(|w| w.as_str().expect("word"))
        .collect();
    words.join(" ")
}

/// Runs each `kubectl-lbgen` command of the CI files in the demo, as their runners would
/// (GitHub: each `run:` under `bash -eo pipefail`; GitLab: each script line), except the
/// `cargo install` (checked for `--locked`) and GitHub's diff step (it needs the secret).
fn run_ci_files(machine: &Machine) {
    let root = common::root();
    let github: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root.join("deploy/ci/github-actions.yml")).expect("workflow"),
    )
    .expect("yaml");
    let gitlab: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root.join("deploy/ci/gitlab-ci.yml")).expect("gitlab-ci"),
    )
    .expect("yaml");
    let mut scripts: Vec<String> = github["jobs"]["lbgen"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter(|s| s["if"].is_null())
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .collect();
    scripts.extend(
        gitlab["lbgen"]["script"]
            .as_array()
            .expect("script")
            .iter()
            .map(|l| l.as_str().expect("line").to_string()),
    );
    let mut ran = 0;
    for script in scripts {
        if script.contains("cargo install") {
            assert!(script.contains("--locked"), "{script}");
            continue;
        }
        let out = machine.bash(&format!("set -e\n{script}"), &machine.demo());
        assert_ran(&format!("ci file command `{script}`"), &out);
        ran += usize::from(script.contains("kubectl-lbgen"));
    }
    assert!(ran >= 4, "the CI files' lbgen commands ran: {ran}");
}

/// Runs every `kubectl-lbgen` command of docs/ci.md's pipeline snippets (`- run: ...` and
/// GitLab `script:` lines) in the demo, against the walkthrough's cluster: each must exit 0
/// there (the cluster's one difference is in place, below `--fail-on recreate`), and each
/// report it writes to a file must be one.
fn run_ci_doc_snippets(machine: &Machine) {
    let doc = std::fs::read_to_string(common::root().join("docs/ci.md")).expect("docs/ci.md");
    let mut ran = 0;
    for block in doc.split("```yaml\n").skip(1) {
        let block = block.split_once("```").expect("the block ends").0;
        for line in block.lines().map(str::trim) {
            let Some(command) = line
                .strip_prefix("- run: ")
                .or_else(|| line.strip_prefix("- "))
                .filter(|c| c.starts_with("kubectl-lbgen "))
            else {
                continue;
            };
            let out = machine.bash(&format!("set -e\n{command}"), &machine.demo());
            assert_ran(&format!("docs/ci.md `{command}`"), &out);
            if let Some((_, file)) = command.split_once(" > ") {
                let report = std::fs::read_to_string(machine.demo().join(file)).expect(file);
                if file.ends_with(".json") {
                    serde_json::from_str::<serde_json::Value>(&report).expect("a JSON report");
                } else {
                    assert!(report.contains("<testsuites"), "{report}");
                }
            }
            ran += 1;
        }
    }
    assert!(ran >= 4, "docs/ci.md's commands ran: {ran}");
}

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
