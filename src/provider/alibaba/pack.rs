//! Alibaba ACK's registration in the provider registry: id, name, mapping, what `diff`
//! must know and the `AlbConfig` kind its ALB Ingresses come with.

use crate::plan::Plan;
use crate::provider::Mapped;
use crate::provider::changes::ChangeRule;
use crate::provider::registry::{CustomKind, Ownership, Pack};
use crate::provider::settings::SettingsKind;

/// The Alibaba Cloud ACK pack.
pub(crate) struct Alibaba;

impl Pack for Alibaba {
    fn id(&self) -> &'static str {
        "alibaba"
    }

    fn display_name(&self) -> &'static str {
        "Alibaba Cloud ACK (CLB/NLB, ALB)"
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
            ..Ownership::default()
        }
    }

    fn custom_kinds(&self) -> &'static [CustomKind] {
        super::kinds::CUSTOM_KINDS
    }

    /// A Service is a CLB or an NLB (`spec.alibaba.loadBalancerType`); the ALB Ingress keys
    /// have no families.
    fn family(&self, plan: &Plan) -> Option<&'static str> {
        (plan.exposure == crate::spec::model::Exposure::Service).then(|| {
            if super::service::is_nlb(plan) {
                "nlb"
            } else {
                "clb"
            }
        })
    }

    fn settings(&self) -> SettingsKind {
        SettingsKind::of::<super::types::AlibabaSettings>()
    }

    fn import(&self) -> Option<&'static dyn crate::provider::import::PackImport> {
        Some(&super::import::AlibabaImport)
    }
}
