//! What every spec-reading subcommand shares: `-f` sources, `--provider`, `-n` and
//! `--policy-dir`, read and loaded the same way for render, validate and the rest.

use super::outcome::Failure;
use super::report;
use clap::Args;
use lbgen::plan::Overrides;
use lbgen::policy::engine::PolicySet;
use lbgen::provider::ProviderId;
use lbgen::render::Renderer;
use lbgen::spec::load::{Source, read_inputs};
use lbgen::spec::values::Namespace;
use std::path::PathBuf;

/// Spec inputs and the flags that change how they are read.
#[derive(Debug, Args)]
pub(crate) struct SpecInputs {
    /// Spec files or directories (recursive *.yaml, *.yml), or - for stdin; repeatable.
    #[arg(short = 'f', long = "filename", value_name = "PATH|DIR|-")]
    pub(crate) files: Vec<String>,
    /// More spec files or directories, as arguments (what pre-commit passes).
    #[arg(value_name = "FILE", hide_short_help = true)]
    pub(crate) paths: Vec<String>,
    /// Ignore documents that are not lbgen specs instead of passing them through (for hooks
    /// that hand over every YAML file).
    #[arg(long)]
    pub(crate) specs_only: bool,
    /// Provider for every spec, overriding spec.provider.
    #[arg(long, value_parser = provider_parser())]
    pub(crate) provider: Option<ProviderId>,
    /// Namespace for specs that do not set metadata.namespace (default: "default").
    #[arg(short = 'n', long, value_parser = |s: &str| Namespace::parse(s))]
    pub(crate) namespace: Option<Namespace>,
    /// Directory of extra rule files (*.yaml), judged beside the built-in rules; repeatable.
    #[arg(long = "policy-dir", value_name = "DIR")]
    pub(crate) policy_dirs: Vec<PathBuf>,
}

/// `--provider`: the registered providers' ids, with their display names in `--help`.
pub(crate) fn provider_parser() -> impl clap::builder::TypedValueParser<Value = ProviderId> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    let values = lbgen::provider::registry()
        .packs()
        .map(|p| PossibleValue::new(p.id()).help(p.display_name()));
    PossibleValuesParser::new(values)
        .try_map(|id| ProviderId::parse(&id).ok_or("not a registered provider"))
}

/// Everything a subcommand needs to run the pipeline.
pub(crate) struct Loaded {
    pub(crate) sources: Vec<Source>,
    pub(crate) policies: PolicySet,
    pub(crate) overrides: Overrides,
}

/// Where a compilation's warnings go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Warnings {
    /// Reported on stderr as they are found, before any output.
    ToStderr,
    /// Left in [`lbgen::Compiled::diagnostics`] for a report on stdout (`-o sarif`).
    Kept,
}

impl Loaded {
    /// Runs the whole pipeline; warnings are reported on stderr as they are found (before
    /// any output), and any error is the subcommand's failure (exit 2, nothing else done).
    pub(crate) fn compile(self, renderer: &Renderer) -> Result<lbgen::Compiled, Failure> {
        self.compile_with(renderer, Warnings::ToStderr)
    }

    /// [`Loaded::compile`], with the warnings sent where `warnings` says.
    pub(crate) fn compile_with(
        self,
        renderer: &Renderer,
        warnings: Warnings,
    ) -> Result<lbgen::Compiled, Failure> {
        match lbgen::compile(&self.sources, &self.overrides, &self.policies, renderer) {
            Ok(compiled) => {
                if warnings == Warnings::ToStderr {
                    report::to_stderr(&compiled.diagnostics, &self.sources);
                }
                Ok(compiled)
            }
            Err(diagnostics) => Err(Failure::invalid(diagnostics)
                .with_rules(self.policies.rule_summaries())
                .quoting(self.sources)),
        }
    }
}

impl SpecInputs {
    /// Loads rules first (a broken rule is reported before any spec is judged), then the
    /// sources. Notes about skipped files go to stderr; an unreadable file or a broken
    /// rule is the failure.
    pub(crate) fn load(&self) -> Result<Loaded, Failure> {
        let policies = lbgen::policy::load(&self.policy_dirs).map_err(lbgen::diag::sorted)?;
        let files: Vec<String> = self.files.iter().chain(&self.paths).cloned().collect();
        let mut inputs = read_inputs(&files, &mut std::io::stdin())?;
        super::kustomize::original_config(&mut inputs.sources, |v| std::env::var(v).ok());
        if !inputs.notes.is_empty() {
            report::to_stderr(&inputs.notes, &[]);
        }
        Ok(Loaded {
            sources: inputs.sources,
            policies,
            overrides: Overrides {
                provider: self.provider,
                namespace: self.namespace.as_ref().map(|n| n.0.clone()),
                specs_only: self.specs_only,
            },
        })
    }
}
