//! The GitOps and CI entry points, each through its real client where one runs here:
//! Argo CD's CMP generate (as the repo-server runs it), the KRM function through real
//! `kpt fn eval --exec`, kustomize's exec plugin through real `kubectl kustomize`, the Flux
//! `--check-dir` gate, the krew manifest and the GitHub Actions workflow (completions and
//! man pages: `tests/completion.rs`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin_dir() -> PathBuf {
    common::binary().parent().expect("dir").to_path_buf()
}

fn path_with_binary() -> String {
    format!("{}:/usr/local/bin:/usr/bin:/bin", bin_dir().display())
}

/// An application directory as Argo CD checks it out: a spec, a Deployment beside it, a
/// kustomization.yaml and a rule directory that are not manifests.
fn app_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("lb.yaml"),
        "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec:\n  exposure: service\n  loadBalancer: {id: lb-1}\n  selector: {app: shop}\n  ports: [{name: http, port: 80}]\n  stickiness: {mode: source-ip, timeout: 10m}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("deploy.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: shop}\nspec:\n  selector: {matchLabels: {app: shop}}\n  template:\n    metadata: {labels: {app: shop}}\n    spec: {containers: [{name: shop, image: nginx}]}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("kustomization.yaml"),
        "resources: [deploy.yaml]\n",
    )
    .expect("write");
    dir
}

/// The `generate` command of deploy/argocd/plugin.yaml.
fn plugin_command(step: &str) -> Vec<String> {
    let text = std::fs::read_to_string(common::root().join("deploy/argocd/plugin.yaml"))
        .expect("plugin.yaml");
    let plugin: serde_json::Value = serde_saphyr::from_str(&text).expect("yaml");
    assert_eq!(plugin["kind"], "ConfigManagementPlugin");
    let cmd = if step == "generate" {
        &plugin["spec"]["generate"]["command"]
    } else {
        &plugin["spec"]["discover"]["find"]["command"]
    };
    cmd.as_array()
        .expect("command")
        .iter()
        .map(|c| c.as_str().expect("str").to_string())
        .collect()
}

fn run_like_repo_server(dir: &Path, step: &str, env: &[(&str, &str)]) -> std::process::Output {
    let cmd = plugin_command(step);
    Command::new(&cmd[0])
        .args(&cmd[1..])
        .current_dir(dir)
        .env_clear()
        .env("PATH", path_with_binary())
        .envs(env.iter().copied())
        .output()
        .expect("run the plugin command")
}

#[test]
fn argocd_generate_prints_only_manifests() {
    let app = app_dir();
    let out = run_like_repo_server(
        app.path(),
        "generate",
        &[
            ("ARGOCD_APP_NAME", "shop"),
            ("ARGOCD_APP_NAMESPACE", "shop-prod"),
            ("ARGOCD_ENV_LBGEN_PROVIDER", "huawei"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs: Vec<serde_json::Value> =
        serde_saphyr::from_multiple(&String::from_utf8_lossy(&out.stdout)).expect("stdout is YAML");
    let kinds: Vec<&str> = docs
        .iter()
        .map(|d| d["kind"].as_str().expect("every document is an object"))
        .collect();
    assert_eq!(kinds, ["Deployment", "Service"]);
    for d in &docs {
        assert!(d["apiVersion"].is_string() && d["metadata"]["name"].is_string());
    }
    assert_eq!(
        docs[1]["metadata"]["namespace"], "shop-prod",
        "the Application's namespace is the default"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning"),
        "warnings go to stderr"
    );
    // a parameter names the policy directory; its rules then judge (and here refuse) the
    // spec, and the directory itself is not read as manifests
    std::fs::create_dir(app.path().join("rules")).expect("mkdir");
    std::fs::copy(
        common::root().join("examples/policies/ownership.yaml"),
        app.path().join("rules/ownership.yaml"),
    )
    .expect("copy");
    let out = run_like_repo_server(
        app.path(),
        "generate",
        &[("PARAM_PROVIDER", "huawei"), ("PARAM_POLICY_DIR", "rules")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on stdout on error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("acme/team-label"));
}

#[test]
fn argocd_discover_finds_specs_only_where_there_are_some() {
    let app = app_dir();
    let out = run_like_repo_server(app.path(), "discover", &[]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "lb.yaml");
    std::fs::remove_file(app.path().join("lb.yaml")).expect("rm");
    let out = run_like_repo_server(app.path(), "discover", &[]);
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "no output: Argo CD does not use the plugin"
    );
}

fn kpt_package() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let pkg = dir.path().join("pkg");
    std::fs::create_dir(&pkg).expect("mkdir");
    std::fs::copy(
        common::root().join("examples/huawei/service-existing-lb.yaml"),
        pkg.join("lb.yaml"),
    )
    .expect("copy");
    let app = app_dir();
    std::fs::copy(app.path().join("deploy.yaml"), pkg.join("deploy.yaml")).expect("copy");
    dir
}

fn kpt_eval(dir: &Path) -> std::process::Output {
    Command::new("kpt")
        .args(["fn", "eval", "pkg", "--exec"])
        .arg(format!("{} krm", common::binary().display()))
        .current_dir(dir)
        .output()
        .expect("kpt is installed")
}

#[test]
fn krm_function_under_real_kpt_replaces_specs_and_keeps_the_rest() {
    let dir = kpt_package();
    let out = kpt_eval(dir.path());
    let log =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{log}");
    assert!(
        log.contains("[warning]") && log.contains("spec.stickiness.mode"),
        "results reach kpt: {log}"
    );
    let pkg = dir.path().join("pkg");
    assert!(!pkg.join("lb.yaml").exists(), "the spec is replaced");
    let service = std::fs::read_to_string(pkg.join("service_nginx.yaml"))
        .expect("rendered Service written by kpt");
    assert!(service.contains("kubernetes.io/elb.session-affinity-mode: SOURCE_IP"));
    let deploy = std::fs::read_to_string(pkg.join("deploy.yaml")).expect("other items kept");
    assert!(deploy.contains("kind: Deployment"));
}

#[test]
fn krm_function_under_real_kpt_reports_errors_and_changes_nothing() {
    let dir = kpt_package();
    let lb = dir.path().join("pkg/lb.yaml");
    let bad = std::fs::read_to_string(&lb)
        .expect("read")
        .replace("timeout: 30m", "timeout: 2h");
    std::fs::write(&lb, &bad).expect("write");
    let out = kpt_eval(dir.path());
    let log =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{log}");
    assert!(
        log.contains("[error]")
            && log.contains("spec.stickiness.timeout")
            && log.contains("huawei/session-timeout-range"),
        "{log}"
    );
    assert_eq!(
        std::fs::read_to_string(&lb).expect("read"),
        bad,
        "the package is untouched"
    );
}

#[test]
fn kustomize_exec_plugin_through_real_kubectl_kustomize() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plugin_dir = dir
        .path()
        .join("xdg/kustomize/plugin/lbgen.dev/v1alpha1/loadbalancer");
    std::fs::create_dir_all(&plugin_dir).expect("mkdir");
    std::fs::copy(
        common::root().join("deploy/kustomize/LoadBalancer"),
        plugin_dir.join("LoadBalancer"),
    )
    .expect("copy plugin");
    let kust = dir.path().join("app");
    std::fs::create_dir(&kust).expect("mkdir");
    std::fs::copy(
        common::root().join("examples/huawei/service-existing-lb.yaml"),
        kust.join("lb.yaml"),
    )
    .expect("copy");
    std::fs::write(
        kust.join("kustomization.yaml"),
        "namespace: web\ncommonLabels: {env: prod}\ngenerators: [lb.yaml]\n",
    )
    .expect("write");
    let out = Command::new("kubectl")
        .args(["kustomize", "--enable-alpha-plugins"])
        .arg(&kust)
        .env("XDG_CONFIG_HOME", dir.path().join("xdg"))
        .env("PATH", path_with_binary())
        .output()
        .expect("kubectl kustomize");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value =
        serde_saphyr::from_str(&String::from_utf8_lossy(&out.stdout)).expect("yaml");
    assert_eq!(doc["kind"], "Service");
    assert_eq!(
        doc["metadata"]["namespace"], "web",
        "kustomize transforms the generated Service"
    );
    assert_eq!(doc["metadata"]["labels"]["env"], "prod");
    assert_eq!(
        doc["metadata"]["annotations"]["kubernetes.io/elb.session-affinity-mode"],
        "SOURCE_IP"
    );
}

#[test]
fn check_dir_gates_a_committed_rendering() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        Command::new(common::binary())
            .current_dir(common::root())
            .args(["render", "-f", "examples/huawei"])
            .args(args)
            .arg(dir.path())
            .output()
            .expect("run")
    };
    assert!(run(&["--out-dir"]).status.success());
    std::fs::write(dir.path().join("kustomization.yaml"), "resources: []\n").expect("write");
    let fresh = run(&["--check-dir"]);
    assert_eq!(
        fresh.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fresh.stderr)
    );
    assert!(fresh.stdout.is_empty());
    let svc = dir.path().join("default/service-nginx.yaml");
    let text = std::fs::read_to_string(&svc)
        .expect("read")
        .replace("ROUND_ROBIN", "LEAST_CONNECTIONS");
    std::fs::write(&svc, text).expect("write");
    // A file an earlier rendering wrote (it carries lbgen's label) that no spec renders now;
    // a hand-written file beside it is the user's and is not drift.
    std::fs::write(
        dir.path().join("default/service-gone.yaml"),
        "kind: Service\nmetadata:\n  labels:\n    app.kubernetes.io/managed-by: kubectl-lbgen\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("default/mine.yaml"), "kind: ConfigMap\n").expect("write");
    let stale = run(&["--check-dir"]);
    assert_eq!(stale.status.code(), Some(1));
    let err = String::from_utf8_lossy(&stale.stderr);
    assert!(
        err.contains("stale:") && err.contains("service-nginx.yaml"),
        "{err}"
    );
    assert!(
        err.contains("extra:") && err.contains("service-gone.yaml"),
        "{err}"
    );
    assert!(!err.contains("mine.yaml"), "{err}");
}

#[test]
fn krew_manifest_is_complete() {
    let text =
        std::fs::read_to_string(common::root().join("deploy/krew/lbgen.yaml")).expect("manifest");
    let m: serde_json::Value = serde_saphyr::from_str(&text).expect("yaml");
    assert_eq!(
        m["apiVersion"],
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(m["kind"], "Plugin");
    assert_eq!(
        m["metadata"]["name"], "lbgen",
        "kubectl-lbgen is invoked as `kubectl lbgen`"
    );
    for key in [
        "version",
        "shortDescription",
        "description",
        "caveats",
        "homepage",
    ] {
        assert!(m["spec"][key].is_string(), "{key}");
    }
    let platforms = m["spec"]["platforms"].as_array().expect("platforms");
    assert!(!platforms.is_empty());
    for p in platforms {
        assert_eq!(p["bin"], "kubectl-lbgen");
        let sha = p["sha256"].as_str().expect("sha256");
        assert!(
            sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()) && sha != "0".repeat(64)
        );
        assert!(
            p["uri"]
                .as_str()
                .expect("uri")
                .contains(m["spec"]["version"].as_str().expect("version"))
        );
        assert!(p["selector"]["matchLabels"]["os"].is_string());
    }
    let description = m["spec"]["description"].as_str().expect("description");
    let description = description.split_whitespace().collect::<Vec<_>>().join(" ");
    for cloud in provider_display_names() {
        assert!(
            description.contains(&cloud),
            "the krew description names every provider the CLI offers, not `{cloud}`: {description}"
        );
    }
}

/// The clouds `render --provider` offers, as its help names them (`Huawei Cloud CCE (ELB)`
/// gives `Huawei Cloud CCE`).
fn provider_display_names() -> Vec<String> {
    let out = Command::new(common::binary())
        .args(["render", "--help"])
        .output()
        .expect("run");
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    let values = help
        .split("--provider")
        .nth(1)
        .and_then(|s| s.split("Possible values:").nth(1))
        .expect("--provider lists its values");
    let names: Vec<String> = values
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| l.starts_with("- "))
        .filter_map(|l| l.split_once(':'))
        .map(|(_, name)| name.split(" (").next().unwrap_or(name).trim().to_string())
        .collect();
    assert!(names.len() >= 3, "{help}");
    names
}

#[test]
fn github_actions_reads_the_kubeconfig_from_a_secret_without_pasting_it() {
    let text = std::fs::read_to_string(common::root().join("deploy/ci/github-actions.yml"))
        .expect("workflow");
    let workflow: serde_json::Value = serde_saphyr::from_str(&text).expect("yaml");
    let steps = workflow["jobs"]["lbgen"]["steps"]
        .as_array()
        .expect("steps");
    let diff = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("kubectl-lbgen diff"))
        })
        .expect("a diff step");
    assert_eq!(
        diff["env"]["KUBECONFIG_B64"], "${{ secrets.KUBECONFIG_B64 }}",
        "the kubeconfig is an encrypted secret"
    );
    assert!(
        !text.contains("vars."),
        "no plain repository variable holds credentials"
    );
    for step in steps {
        if let Some(run) = step["run"].as_str() {
            assert!(
                !run.contains("${{"),
                "expressions are passed through env, never pasted into a script: {run}"
            );
        }
    }
}
