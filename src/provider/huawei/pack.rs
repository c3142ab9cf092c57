//! Huawei CCE's registration in the provider registry: id, name, mapping, what `diff`
//! must know and the Ingress field CCE reads beyond the upstream type.

use crate::plan::Plan;
use crate::provider::Mapped;
use crate::provider::changes::ChangeRule;
use crate::provider::registry::{ExtensionField, Ownership, Pack};
use crate::provider::settings::SettingsKind;

/// The Huawei Cloud CCE pack.
pub(crate) struct Huawei;

impl Pack for Huawei {
    fn id(&self) -> &'static str {
        "huawei"
    }

    fn display_name(&self) -> &'static str {
        "Huawei Cloud CCE (ELB)"
    }

    fn map(&self, plan: &Plan) -> Mapped {
        super::map(plan)
    }

    fn change_rules(&self) -> &'static [ChangeRule] {
        super::CHANGE_RULES
    }

    fn ownership(&self) -> Ownership {
        Ownership {
            prefixes: super::OWNED_PREFIXES,
            rewritten_by_controller: super::REWRITTEN_BY_CCE,
            ..Ownership::default()
        }
    }

    fn extension_fields(&self) -> &'static [ExtensionField] {
        super::kinds::EXTENSION_FIELDS
    }

    fn settings(&self) -> SettingsKind {
        SettingsKind::of::<super::types::HuaweiSettings>()
    }

    fn import(&self) -> Option<&'static dyn crate::provider::import::PackImport> {
        Some(&super::import::HuaweiImport)
    }
}
