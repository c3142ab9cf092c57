//! What the plan stage takes from the command line (`Overrides`) and how it fails
//! (`PlanError`): the only inputs besides the typed spec, and the only errors, of building
//! a plan.

use crate::spec::model::ProviderId;

/// Options from the command line that change how specs are read and completed.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--provider`.
    pub provider: Option<ProviderId>,
    /// `--namespace`: the default namespace when a spec has none.
    pub namespace: Option<String>,
    /// `--specs-only`: ignore documents that are not lbgen specs instead of passing them
    /// through (hooks that hand over every YAML file of a commit).
    pub specs_only: bool,
}

/// Why a spec cannot become a plan.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// Neither the spec nor `--provider` names a provider.
    #[error("no provider: set spec.provider ({}) or pass --provider", crate::provider::registry().ids_sentence())]
    NoProvider,
    /// A spec that decorates nothing does not say what it exposes.
    #[error(
        "missing required field `exposure`: set spec.exposure (service or ingress), or spec.decorate to decorate an existing Service or Ingress"
    )]
    NoExposure,
}

impl PlanError {
    /// The spec field the error is about (for a missing one, the block that lacks it).
    pub fn field(&self) -> &'static str {
        match self {
            PlanError::NoProvider => "spec.provider",
            PlanError::NoExposure => "spec",
        }
    }

    /// The rule id of the error.
    pub fn rule(&self) -> &'static str {
        match self {
            PlanError::NoProvider => "plan/provider",
            PlanError::NoExposure => "load/spec",
        }
    }
}
