//! Tencent TKE's registration in the provider registry: id, name, mapping, what `diff`
//! must know and the kinds TKE objects need checked by lbgen's own types.

use crate::plan::Plan;
use crate::provider::Mapped;
use crate::provider::changes::ChangeRule;
use crate::provider::registry::{CustomKind, Ownership, Pack};

/// The Tencent Cloud TKE pack.
pub(crate) struct Tencent;

impl Pack for Tencent {
    fn id(&self) -> &'static str {
        "tencent"
    }

    fn display_name(&self) -> &'static str {
        "Tencent Cloud TKE (CLB)"
    }

    fn map(&self, plan: &Plan) -> Mapped {
        super::map(plan)
    }

    fn change_rules(&self) -> &'static [ChangeRule] {
        super::changes::CHANGE_RULES
    }

    fn ownership(&self) -> Ownership {
        Ownership {
            prefixes: super::changes::OWNED_PREFIXES,
            written_by_controller: &[],
            ..Ownership::default()
        }
    }

    fn custom_kinds(&self) -> &'static [CustomKind] {
        super::kinds::CUSTOM_KINDS
    }

    fn import(&self) -> Option<&'static dyn crate::provider::import::PackImport> {
        Some(&super::import::TencentImport)
    }
}
