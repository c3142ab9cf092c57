//! The provider pack registry: every provider is one [`Pack`], registered once.
//!
//! Everything outside `src/provider/` that needs to know the providers (the spec's
//! `provider` values, `--provider`, the JSON Schema, messages that list the providers,
//! templates, rule files, custom kinds and their checks, `diff`'s change rules and
//! annotation ownership) reads the running registry, never a list of its own. Adding a
//! provider is its folder below `src/provider/` plus one line in [`Registry::builtin`].
//!
//! The running registry is process-wide: the built-in packs on first use, or what
//! [`Registry::install`] put there before (a test's extra pack, later a plugin loader).
//! A pack lives as long as the process, so everything it hands out is `'static`.

use super::Mapped;
use super::changes::{ChangeRule, ControllerRewrite};
use super::settings::SettingsKind;
use crate::plan::Plan;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The files embedded from `templates/<pack>/` and `policies/` by `build.rs`.
pub(crate) mod assets {
    include!(concat!(env!("OUT_DIR"), "/builtin_assets.rs"));

    /// The embedded rule file of this name (`policies/common.yaml`).
    pub(crate) fn rule_file(name: &str) -> Option<(&'static str, &'static str)> {
        RULE_FILES.iter().copied().find(|(n, _)| *n == name)
    }

    /// The embedded annotation catalogue of this name (`catalogues/huawei.yaml`).
    pub(crate) fn catalogue(name: &str) -> Option<(&'static str, &'static str)> {
        CATALOGUES.iter().copied().find(|(n, _)| *n == name)
    }
}

/// One embedded file: its name (`huawei/service.yaml`, `policies/huawei.yaml`) and text.
pub type Asset = (&'static str, &'static str);

/// The annotation keys a pack writes, and what its cloud's controller writes itself (see
/// [`super::changes::AnnotationOwnership`], the merge over all packs).
#[derive(Debug, Clone, Copy, Default)]
pub struct Ownership {
    /// Key prefixes the pack writes.
    pub prefixes: &'static [&'static str],
    /// Keys under those prefixes that the cloud's controller writes, never lbgen.
    pub written_by_controller: &'static [&'static str],
    /// Values the controller writes over lbgen's, meaning the same thing.
    pub rewritten_by_controller: &'static [ControllerRewrite],
}

/// Where objects of a pack's kind go in the output stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmitRank {
    /// A provider configuration object the load balancer reads (`AlbConfig`): after
    /// IngressClasses, before workloads, Services and Ingresses; packs in registry order.
    Configuration,
    /// A Kubernetes kind the pack checks its own way (an old Ingress version, a workload
    /// patch): emitted where Kubernetes puts that kind.
    Kubernetes,
}

/// A kind a pack emits that `k8s-openapi` does not model, with its typed check.
#[derive(Debug, Clone, Copy)]
pub struct CustomKind {
    /// API group (`alibabacloud.com`): file names below `--out-dir` leave it out.
    pub group: &'static str,
    /// Only objects of this version (`v1beta1`); `None`: any version.
    pub version: Option<&'static str>,
    /// The kind.
    pub kind: &'static str,
    /// Where it goes in the output.
    pub rank: EmitRank,
    /// Reads the object into the pack's type and back; `Err` names the offending field.
    pub check: fn(&Value) -> Result<(), String>,
}

impl CustomKind {
    /// Whether an object of `api_version` and `kind` is of this custom kind.
    pub fn matches(&self, api_version: &str, kind: &str) -> bool {
        self.kind == kind
            && self.version.is_none_or(|v| {
                api_version
                    .strip_suffix(v)
                    .is_some_and(|g| g.ends_with('/'))
            })
    }
}

/// A field a pack's controller reads on a Kubernetes kind that the upstream type lacks
/// (CCE's Ingress path `property`): removed from a copy before the round-trip check, kept
/// in the output.
#[derive(Debug, Clone, Copy)]
pub struct ExtensionField {
    /// The Kubernetes kind it is on.
    pub kind: &'static str,
    /// Removes the field from a copy of the object.
    pub strip: fn(&mut Value),
}

/// Everything lbgen knows about one provider. Object-safe: the registry holds
/// `Box<dyn Pack>`, and a pack can be built from data (the test-only fourth pack).
pub trait Pack: Send + Sync {
    /// The spelling in specs, `--provider`, rule files and template names (`huawei`).
    fn id(&self) -> &'static str;
    /// For people (`--help`, the JSON Schema): "Huawei Cloud CCE (ELB)".
    fn display_name(&self) -> &'static str;
    /// A plan's objects, findings and workload patches.
    fn map(&self, plan: &Plan) -> Mapped;
    /// Changes the cloud cannot apply in place, for `diff`.
    fn change_rules(&self) -> &'static [ChangeRule] {
        &[]
    }
    /// The annotations the pack owns on the objects it renders, for `diff`.
    fn ownership(&self) -> Ownership {
        Ownership::default()
    }
    /// Its templates, named `<id>/<kind>.yaml`: by default the files embedded from
    /// `templates/<id>/`.
    fn templates(&self) -> Vec<Asset> {
        let prefix = format!("{}/", self.id());
        assets::TEMPLATES
            .iter()
            .copied()
            .filter(|(name, _)| name.starts_with(&prefix))
            .collect()
    }
    /// Its rule file: by default `policies/<id>.yaml`, embedded.
    fn rule_file(&self) -> Option<Asset> {
        assets::rule_file(&format!("policies/{}.yaml", self.id()))
    }
    /// Its annotation catalogue: by default `catalogues/<id>.yaml`, embedded (see
    /// [`super::catalogue`]).
    fn catalogue(&self) -> Option<Asset> {
        assets::catalogue(&format!("catalogues/{}.yaml", self.id()))
    }
    /// The kinds it emits that need a check of their own.
    fn custom_kinds(&self) -> &'static [CustomKind] {
        &[]
    }
    /// Fields its controller reads on Kubernetes kinds beyond the upstream types.
    fn extension_fields(&self) -> &'static [ExtensionField] {
        &[]
    }
    /// The load-balancer family the plan renders for, where the provider has several whose
    /// controllers read different annotations (catalogue `families`, `by_family`).
    fn family(&self, _plan: &Plan) -> Option<&'static str> {
        None
    }
    /// Its `spec.<id>` block: how it is read, described and sampled (see
    /// [`super::settings`]). By default a pack has none and accepts only an empty block.
    fn settings(&self) -> SettingsKind {
        SettingsKind::NONE
    }
    /// How its annotations read back into the spec (`kubectl lbgen import`); `None`: only
    /// its typed provider fields and raw annotations are imported.
    fn import(&self) -> Option<&'static dyn super::import::PackImport> {
        None
    }
}

/// Why [`Registry::install`] refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstallError {
    /// The running registry was read (or installed) before.
    #[error("the provider registry is already in use; install packs before the first use")]
    InUse,
    /// Two packs share an id.
    #[error("provider `{0}` is registered twice")]
    Duplicate(&'static str),
}

/// The provider packs, in a fixed order (the order of `--help`, the schema and messages).
pub struct Registry {
    packs: Vec<Box<dyn Pack>>,
    templates: BTreeMap<&'static str, &'static str>,
}

static RUNNING: OnceLock<Registry> = OnceLock::new();

/// The running registry: the built-in packs unless [`Registry::install`] came first.
pub fn registry() -> &'static Registry {
    RUNNING.get_or_init(Registry::builtin)
}

impl Registry {
    /// The packs compiled into lbgen, one line each.
    pub fn builtin() -> Registry {
        Registry::from_packs(vec![
            Box::new(super::huawei::pack::Huawei),
            Box::new(super::alibaba::pack::Alibaba),
            Box::new(super::tencent::pack::Tencent),
        ])
    }

    fn from_packs(packs: Vec<Box<dyn Pack>>) -> Registry {
        let templates = packs.iter().flat_map(|p| p.templates()).collect();
        Registry { packs, templates }
    }

    /// This registry with `pack` after the others.
    pub fn with(mut self, pack: Box<dyn Pack>) -> Registry {
        self.packs.push(pack);
        Registry::from_packs(self.packs)
    }

    /// Makes this the running registry. Fails when the running registry was already
    /// used (its packs are fixed from the first read on) or when two packs share an id.
    pub fn install(self) -> Result<(), InstallError> {
        for (i, pack) in self.packs.iter().enumerate() {
            if self.packs[..i].iter().any(|p| p.id() == pack.id()) {
                return Err(InstallError::Duplicate(pack.id()));
            }
        }
        RUNNING.set(self).map_err(|_| InstallError::InUse)
    }

    /// The packs in registry order.
    pub fn packs(&self) -> impl Iterator<Item = &dyn Pack> {
        self.packs.iter().map(|p| p.as_ref())
    }

    /// The pack of `id`.
    pub fn get(&self, id: &str) -> Option<&dyn Pack> {
        self.packs().find(|p| p.id() == id)
    }

    /// The ids in registry order.
    pub fn ids(&self) -> Vec<&'static str> {
        self.packs().map(|p| p.id()).collect()
    }

    /// The ids for a sentence: `huawei, alibaba or tencent`.
    pub fn ids_sentence(&self) -> String {
        match self.ids().split_last() {
            None => String::new(),
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        }
    }

    /// The built-in template of this name, from any pack.
    pub fn template(&self, name: &str) -> Option<&'static str> {
        self.templates.get(name).copied()
    }

    /// The custom kind an object of `api_version` and `kind` is of, if a pack has one.
    pub fn custom_kind(&self, api_version: &str, kind: &str) -> Option<&'static CustomKind> {
        self.packs()
            .flat_map(|p| p.custom_kinds())
            .find(|k| k.matches(api_version, kind))
    }

    /// Every pack's custom kinds, in registry order.
    pub fn custom_kinds(&self) -> impl Iterator<Item = &'static CustomKind> {
        self.packs().flat_map(|p| p.custom_kinds())
    }

    /// Every pack's extension fields on `kind`.
    pub fn extension_fields(&self, kind: &str) -> impl Iterator<Item = &'static ExtensionField> {
        self.packs()
            .flat_map(|p| p.extension_fields())
            .filter(move |f| f.kind == kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_packs_have_their_templates_and_rule_files() {
        let registry = Registry::builtin();
        assert_eq!(registry.ids(), ["huawei", "alibaba", "tencent"]);
        assert_eq!(registry.ids_sentence(), "huawei, alibaba or tencent");
        for pack in registry.packs() {
            let (name, text) = pack.rule_file().expect("a rule file");
            assert_eq!(name, format!("policies/{}.yaml", pack.id()));
            assert!(text.contains(&format!("provider: {}", pack.id())), "{name}");
            assert!(!pack.templates().is_empty(), "{}", pack.id());
        }
        assert!(registry.template("huawei/service.yaml").is_some());
        assert!(registry.template("policies/common.yaml").is_none());
        assert!(assets::rule_file("policies/common.yaml").is_some());
    }

    #[test]
    fn custom_kinds_match_their_version_only() {
        let registry = Registry::builtin();
        let alb = registry.custom_kind("alibabacloud.com/v1", "AlbConfig");
        assert_eq!(alb.map(|k| k.group), Some("alibabacloud.com"));
        assert!(
            registry
                .custom_kind("networking.k8s.io/v1beta1", "Ingress")
                .is_some()
        );
        assert!(
            registry
                .custom_kind("networking.k8s.io/v1", "Ingress")
                .is_none()
        );
    }

    #[test]
    fn a_duplicate_id_is_refused() {
        let twice = Registry::builtin().with(Box::new(super::super::huawei::pack::Huawei));
        assert_eq!(
            twice.install().err(),
            Some(InstallError::Duplicate("huawei"))
        );
    }
}
