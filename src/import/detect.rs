//! Which provider's controller reads an object: its annotation prefixes (catalogue
//! `prefixes` and `legacy_prefixes`) and its Ingress class (a pack's class name, or an
//! IngressClass of the input whose controller is the pack's), each pack's own data. Two
//! providers on one object is an error at the object; none is an object lbgen cannot
//! import (passed through, reported), unless `--provider` names one.

use super::Options;
use crate::diag::{Diagnostic, Help};
use crate::provider::catalogue::catalogue_of;
use crate::provider::{ProviderId, registry};
use crate::spec::load::Document;
use serde_json::Value;
use std::collections::BTreeMap;

/// The Ingress class annotation every provider reads beside `spec.ingressClassName`.
pub(super) const INGRESS_CLASS: &str = "kubernetes.io/ingress.class";

/// What detection found.
pub(super) enum Detected {
    /// Import as this provider's.
    Provider(ProviderId),
    /// No load balancer (a ClusterIP Service, no provider): passed through, with why.
    NotALoadBalancer(String),
    /// Another controller's dialect under a provider's prefixes: passed through, with why.
    Foreign(String),
}

/// The provider of `object`.
pub(super) fn provider(
    object: &Value,
    annotations: &BTreeMap<String, String>,
    options: &Options,
    doc: &Document,
    controllers: &BTreeMap<String, String>,
) -> Result<Detected, Diagnostic> {
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let service_type = object
        .pointer("/spec/type")
        .and_then(Value::as_str)
        .unwrap_or("ClusterIP");
    if kind == "Service" && service_type != "LoadBalancer" {
        return Ok(Detected::NotALoadBalancer(format!(
            "on a `{service_type}` Service no load-balancer controller reads it: it does nothing (set `type: LoadBalancer` to import it)"
        )));
    }
    let class = annotations
        .get(INGRESS_CLASS)
        .map(String::as_str)
        .or_else(|| {
            object
                .pointer("/spec/ingressClassName")
                .and_then(Value::as_str)
        });
    let mut found: Vec<(ProviderId, String)> = Vec::new();
    for pack in registry().packs() {
        let Some(id) = ProviderId::parse(pack.id()) else {
            continue;
        };
        let by_class = pack.import().zip(class).is_some_and(|(i, c)| {
            i.ingress_classes().contains(&c)
                || controllers
                    .get(c)
                    .is_some_and(|ctl| i.ingress_controllers().contains(&ctl.as_str()))
        });
        let catalogue = catalogue_of(pack.id()).ok().flatten();
        let by_key = annotations
            .keys()
            .filter(|k| *k != INGRESS_CLASS)
            .find(|key| {
                catalogue.is_some_and(|c| {
                    c.prefixes.iter().any(|p| key.starts_with(p.as_str()))
                        || c.legacy_prefixes.iter().any(|l| key.starts_with(&l.prefix))
                })
            });
        if by_class {
            found.push((id, format!("Ingress class `{}`", class.unwrap_or_default())));
        } else if let Some(key) = by_key {
            found.push((id, format!("annotation `{key}`")));
        }
    }
    if let [(_, first), (_, second), ..] = found.as_slice() {
        let names: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        return Err(Diagnostic::error(
            "import/mixed-providers",
            format!(
                "this {kind} carries annotations of several providers ({}: {first}, {second}); no single controller reads them all",
                names.join(", ")
            ),
            Some(doc.locate("metadata.annotations")),
        )
        .with_help(Help::new(
            "remove the other clouds' annotations (or split the object per cloud), then import again",
        )));
    }
    let detected = found.first().map(|(p, _)| *p);
    let provider = match (options.provider, detected) {
        (Some(asked), Some(seen)) if asked != seen => {
            return Err(Diagnostic::error(
                "import/provider-conflict",
                format!(
                    "--provider {} but this {kind}'s annotations are {}'s",
                    asked.as_str(),
                    seen.as_str()
                ),
                Some(doc.locate("metadata.annotations")),
            )
            .with_help(Help::new(
                "leave --provider out (each object's provider is detected), or import this object separately",
            )));
        }
        (Some(p), _) | (None, Some(p)) => p,
        (None, None) => {
            return Ok(Detected::NotALoadBalancer(format!(
                "no provider annotation or Ingress class says which cloud reads this {kind}; name one with --provider ({})",
                registry().ids_sentence()
            )));
        }
    };
    let foreign = registry()
        .get(provider.as_str())
        .and_then(|p| p.import())
        .and_then(|i| i.foreign_dialect(annotations));
    Ok(match foreign {
        Some(why) => Detected::Foreign(why),
        None => Detected::Provider(provider),
    })
}
