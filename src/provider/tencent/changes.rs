//! What `diff` must know about TKE objects, as data: the annotation keys this pack owns
//! (the keys TKE's controllers write themselves are the catalogue's `writer: controller`).

use crate::provider::changes::ChangeRule;

/// Every annotation this pack writes starts with one of these (providers.md, Tencent).
pub(crate) const OWNED_PREFIXES: &[&str] = super::keys::PREFIXES;

/// TKE's rules all concern one annotation each, so they are the catalogue's `in_place`
/// ([`crate::provider::changes::change_rules`]): the CLB an object is bound to and its
/// network are fixed once TKE created or attached it.
pub(crate) const CHANGE_RULES: &[ChangeRule] = &[];
