//! `kubectl lbgen cmp discover|generate`: the Argo CD config-management plugin (v2 sidecar).
//!
//! Argo CD runs these in the application's directory with a clean environment plus its
//! own variables (argo-cd docs, "Config Management Plugins"): `ARGOCD_APP_NAMESPACE`, the
//! Application's plugin env as `ARGOCD_ENV_<NAME>`, and plugin parameters as `PARAM_<NAME>`
//! (also all together as JSON in `ARGOCD_APP_PARAMETERS`). `generate` must print only
//! manifests on stdout: warnings go to stderr, and an error is exit 2 with nothing printed.

use super::inputs::SpecInputs;
use super::outcome::{Ended, Failure, Success};
use super::render::{self, RenderArgs};
use clap::{Args, Subcommand};
use lbgen::diag::Diagnostic;
use lbgen::provider::ProviderId;
use lbgen::spec::load::spec_files_in;
use lbgen::spec::values::Namespace;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub(crate) struct CmpArgs {
    #[command(subcommand)]
    step: Step,
}

#[derive(Debug, Subcommand)]
enum Step {
    /// Print the lbgen specs in the current directory (Argo CD uses the plugin if any).
    Discover,
    /// Render the current directory for Argo CD: manifests on stdout only.
    Generate,
}

pub(crate) fn execute(args: CmpArgs) -> Ended {
    let params = Params::from_env(|name| std::env::var(name).ok())?;
    let files = yaml_files(Path::new("."), params.policy_dir.as_deref())?;
    match args.step {
        Step::Discover => {
            let list: String = files
                .iter()
                .filter(|f| is_spec(f))
                .map(|f| format!("{}\n", f.display()))
                .collect();
            super::output::stdout_plain(&list)?;
            Ok(Success::Clean)
        }
        Step::Generate => {
            let provider = params.provider.as_deref().map(parse_provider).transpose()?;
            let namespace = params
                .namespace
                .as_deref()
                .map(Namespace::parse)
                .transpose()
                .map_err(|e| Failure::error("cmp/namespace", e))?;
            let inputs = SpecInputs {
                files: files.iter().map(|f| f.display().to_string()).collect(),
                paths: Vec::new(),
                specs_only: false,
                provider,
                namespace,
                policy_dirs: params.policy_dir.into_iter().collect(),
            };
            render::execute(RenderArgs::stream(inputs))
        }
    }
}

fn parse_provider(s: &str) -> Result<ProviderId, Diagnostic> {
    ProviderId::parse_ignore_case(s).ok_or_else(|| {
        Diagnostic::error(
            "cmp/provider",
            format!(
                "unknown provider `{s}` in the plugin parameters; use {}",
                lbgen::provider::registry().ids_sentence()
            ),
            None,
        )
    })
}

/// The plugin's settings, from the variables Argo CD sets. A parameter (`PARAM_*`, or
/// `ARGOCD_APP_PARAMETERS`) wins over the Application's env (`ARGOCD_ENV_LBGEN_*`); the
/// namespace falls back to the Application's destination namespace.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Params {
    provider: Option<String>,
    namespace: Option<String>,
    policy_dir: Option<PathBuf>,
}

impl Params {
    pub(crate) fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self, Diagnostic> {
        let json_params = match var("ARGOCD_APP_PARAMETERS") {
            Some(text) if !text.trim().is_empty() => json_parameters(&text)?,
            _ => Vec::new(),
        };
        let get = |param: &str, env: &str| {
            var(&format!("PARAM_{}", param.to_uppercase().replace('-', "_")))
                .or_else(|| {
                    json_params
                        .iter()
                        .find(|(n, _)| n == param)
                        .map(|(_, v)| v.clone())
                })
                .or_else(|| var(&format!("ARGOCD_ENV_{env}")))
                .filter(|v| !v.is_empty())
        };
        let policy_dir = get("policy-dir", "LBGEN_POLICY_DIR").map(PathBuf::from);
        if let Some(dir) = &policy_dir
            && !dir
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            return Err(Diagnostic::error(
                "cmp/policy-dir",
                format!(
                    "plugin parameter policy-dir `{}` is not a plain relative path inside the application's directory (no `..`, no leading `/`)",
                    dir.display()
                ),
                None,
            ));
        }
        Ok(Params {
            provider: get("provider", "LBGEN_PROVIDER"),
            namespace: get("namespace", "LBGEN_NAMESPACE")
                .or_else(|| var("ARGOCD_APP_NAMESPACE").filter(|v| !v.is_empty())),
            policy_dir,
        })
    }
}

/// The parameters lbgen reads from `ARGOCD_APP_PARAMETERS`, whose shape is Argo CD's
/// (argo-cd docs, "Config Management Plugins", "Using environment variables in your
/// plugin"): a JSON array of `{"name": ..., "string": ...}` (or `"array"`/`"map"`). Text
/// that is not that array is an error, not silently no parameters; so is a parameter
/// lbgen knows given as an array or a map. Unknown names are Argo CD's business.
fn json_parameters(text: &str) -> Result<Vec<(String, String)>, Diagnostic> {
    const KNOWN: &[&str] = &["provider", "namespace", "policy-dir"];
    let bad = |why: String| {
        Diagnostic::error(
            "cmp/parameters",
            format!(
                "ARGOCD_APP_PARAMETERS {why}; expected a JSON array like [{{\"name\":\"provider\",\"string\":\"{}\"}}]",
                lbgen::provider::registry()
                    .ids()
                    .first()
                    .copied()
                    .unwrap_or("PROVIDER")
            ),
            None,
        )
    };
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| bad(format!("is not JSON ({e})")))?;
    let Some(entries) = value.as_array() else {
        return Err(bad("is not a JSON array".into()));
    };
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let Some(name) = entry.get("name").and_then(serde_json::Value::as_str) else {
            return Err(bad(format!("entry {i} has no string `name`")));
        };
        match entry.get("string") {
            Some(serde_json::Value::String(v)) => out.push((name.to_string(), v.clone())),
            _ if !KNOWN.contains(&name) => {}
            _ => {
                return Err(bad(format!(
                    "parameter `{name}` (entry {i}) must have a `string` value"
                )));
            }
        }
    }
    Ok(out)
}

/// The files `-f DIR` would read (`spec_files_in`: `*.yaml`/`*.yml`, sorted, hidden and
/// git-ignored paths skipped), less the policy directory and `kustomization.yaml`, which
/// hold no objects.
fn yaml_files(dir: &Path, policy_dir: Option<&Path>) -> Result<Vec<PathBuf>, Diagnostic> {
    let policy_dir = policy_dir.map(|p| dir.join(p));
    Ok(spec_files_in(dir)?
        .into_iter()
        .filter(|p| {
            !matches!(
                p.file_name().and_then(|n| n.to_str()),
                Some("kustomization.yaml" | "kustomization.yml")
            )
        })
        .filter(|p| policy_dir.as_ref().is_none_or(|d| !p.starts_with(d)))
        .map(|p| p.strip_prefix(dir).map(Path::to_path_buf).unwrap_or(p))
        .collect())
}

/// Whether a file holds an lbgen spec (cheap text check; generate does the real parse).
fn is_spec(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|t| t.contains("lbgen.dev/v1alpha1"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn params(vars: &[(&str, &str)]) -> Params {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Params::from_env(|k| map.get(k).cloned()).expect("valid parameters")
    }

    #[test]
    fn malformed_parameters_are_errors_not_ignored() {
        for text in [
            "{not json",
            r#"{"name":"provider","string":"p1"}"#,
            r#"[{"string":"p1"}]"#,
            r#"[{"name":"provider","array":["p1"]}]"#,
        ] {
            let got =
                Params::from_env(|k| (k == "ARGOCD_APP_PARAMETERS").then(|| text.to_string()));
            assert!(got.is_err(), "{text}");
        }
        let other = r#"[{"name":"other","map":{"a":"b"}}]"#;
        assert!(Params::from_env(|k| (k == "ARGOCD_APP_PARAMETERS").then(|| other.into())).is_ok());
        let escape = |k: &str| (k == "PARAM_POLICY_DIR").then(|| "../../etc".to_string());
        assert!(Params::from_env(escape).is_err());
    }

    #[test]
    fn parameters_win_over_env_and_namespace_falls_back_to_the_app() {
        let p = params(&[
            ("PARAM_PROVIDER", "p1"),
            ("ARGOCD_ENV_LBGEN_PROVIDER", "p2"),
            ("ARGOCD_APP_NAMESPACE", "shop"),
            (
                "ARGOCD_APP_PARAMETERS",
                r#"[{"name":"policy-dir","string":"rules"}]"#,
            ),
        ]);
        assert_eq!(p.provider.as_deref(), Some("p1"));
        assert_eq!(p.namespace.as_deref(), Some("shop"));
        assert_eq!(p.policy_dir, Some(PathBuf::from("rules")));
        assert_eq!(
            params(&[("ARGOCD_ENV_LBGEN_PROVIDER", "p2")])
                .provider
                .as_deref(),
            Some("p2")
        );
        assert_eq!(params(&[]), Params::default());
    }
}
