//! The `spec.<provider>` blocks: settings only one cloud has, each typed by its provider's
//! pack and reached only through the provider registry (the spec itself names no
//! provider).
//!
//! The typed spec rejects unknown fields, so the loader lifts the blocks out of the tree
//! before reading the spec, puts them back (diagnostics still point into them), and hands
//! each block to its pack. A spec that still uses a field a pack moved into its block gets
//! an error naming the new place.

use crate::diag::{Diagnostic, Location};
use crate::provider::catalogue_fields::{self, ProviderField};
use crate::provider::{ProviderId, catalogue, registry};
use crate::yaml::node::{Node, NodeValue, Span};
use serde_json::Value;
use std::collections::BTreeMap;

/// Blocks lifted out of a spec's tree: each entry with its index in the `spec` mapping.
pub(super) struct Lifted(Vec<(usize, (Node, Node))>);

/// Takes the `spec.<provider id>` entries out of `root`, keeping their places.
pub(super) fn lift(root: &mut Node) -> Lifted {
    let mut lifted = Vec::new();
    if let Some(entries) = spec_entries(root) {
        let mut index = 0;
        while index < entries.len() {
            let is_block = entries[index]
                .0
                .as_str()
                .is_some_and(|k| ProviderId::parse(k).is_some());
            if is_block {
                lifted.push((index + lifted.len(), entries.remove(index)));
            } else {
                index += 1;
            }
        }
    }
    Lifted(lifted)
}

/// Puts lifted blocks back where they were.
pub(super) fn put_back(root: &mut Node, lifted: Lifted) {
    if let Some(entries) = spec_entries(root) {
        for (index, entry) in lifted.0 {
            entries.insert(index.min(entries.len()), entry);
        }
    }
}

fn spec_entries(root: &mut Node) -> Option<&mut Vec<(Node, Node)>> {
    let NodeValue::Map(entries) = &mut root.value else {
        return None;
    };
    let (_, spec) = entries
        .iter_mut()
        .find(|(k, _)| k.as_str() == Some("spec"))?;
    match &mut spec.value {
        NodeValue::Map(spec_entries) => Some(spec_entries),
        _ => None,
    }
}

/// The blocks of a spec, each read through its pack, with the typed provider fields of
/// their `service` and `ingress` groups.
#[derive(Debug, Default)]
pub(super) struct Blocks {
    /// Each block's settings, every field present.
    pub(super) settings: BTreeMap<ProviderId, Value>,
    /// Each block's typed provider fields, in source order.
    pub(super) fields: BTreeMap<ProviderId, Vec<ProviderField>>,
}

/// Reads every block of `root` through its pack, in source order. The `service` and
/// `ingress` groups are the catalogue's (`provider::catalogue_fields`): taken out before
/// the pack reads the rest.
pub(super) fn read(root: &Node, file: &str) -> Result<Blocks, Diagnostic> {
    let mut blocks = Blocks::default();
    let Some(NodeValue::Map(entries)) = root.get("spec").map(|s| &s.value) else {
        return Ok(blocks);
    };
    let at = |span: Span| {
        Some(Location {
            file: file.to_string(),
            line: span.line(),
            column: span.column(),
        })
    };
    for (key, block) in entries {
        let Some(id) = key.as_str().and_then(ProviderId::parse) else {
            continue;
        };
        let (groups, rest) = split_groups(block);
        if !groups.is_empty() {
            let catalogue = catalogue::catalogue_of(id.as_str()).ok().flatten();
            let fields = match catalogue {
                Some(catalogue) => catalogue_fields::read(catalogue, &groups),
                None => Err(catalogue_fields::FieldError {
                    message: format!(
                        "spec.{id}: {id} has no annotation catalogue, so no typed provider fields"
                    ),
                    span: groups[0].0.span,
                }),
            };
            let fields =
                fields.map_err(|e| Diagnostic::error("load/spec", e.message, at(e.span)))?;
            blocks.fields.insert(id, fields);
        }
        let value = (id.pack().settings().read)(Some(&rest)).map_err(|e| {
            let span = e.span.unwrap_or(block.span);
            Diagnostic::error("load/spec", format!("spec.{id}: {}", e.message), at(span))
        })?;
        blocks.settings.insert(id, value);
    }
    Ok(blocks)
}

/// The catalogue's groups of a block, and the block without them.
fn split_groups(block: &Node) -> (Vec<(&Node, &Node)>, Node) {
    let NodeValue::Map(entries) = &block.value else {
        return (Vec::new(), block.clone());
    };
    let is_group = |k: &Node| {
        catalogue_fields::GROUPS
            .iter()
            .any(|(g, _)| k.as_str() == Some(g))
    };
    let groups = entries
        .iter()
        .filter(|(k, _)| is_group(k))
        .map(|(k, v)| (k, v))
        .collect();
    let rest = Node {
        span: block.span,
        value: NodeValue::Map(
            entries
                .iter()
                .filter(|(k, _)| !is_group(k))
                .cloned()
                .collect(),
        ),
    };
    (groups, rest)
}

/// An error at the first field of `root` that a pack moved into its block.
pub(super) fn moved_field(root: &Node, file: &str) -> Option<Diagnostic> {
    registry().packs().find_map(|pack| {
        pack.settings().moved.iter().find_map(|moved| {
            let mut path = moved.from.split('.');
            let first = root.entry(path.next()?)?;
            let (key, value) = path.try_fold(first, |(_, node), k| node.entry(k))?;
            let example = value
                .as_str()
                .filter(|v| v.len() <= 20 && v.bytes().all(|b| b.is_ascii_alphanumeric()))
                .unwrap_or("...");
            let (block, field) = moved.to.strip_prefix("spec.")?.split_once('.')?;
            Some(Diagnostic::error(
                "load/spec",
                format!(
                    "`{}` moved to `{}`, the block of settings only {} has; write `spec: {{{block}: {{{field}: {example}}}}}` instead",
                    moved.from,
                    moved.to,
                    pack.id()
                ),
                Some(Location {
                    file: file.to_string(),
                    line: key.span.line(),
                    column: key.span.column(),
                }),
            ))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::node::parse_stream;

    #[test]
    fn lifted_blocks_go_back_where_they_were() {
        let ids = registry().ids();
        let text = format!(
            "spec:\n  a: 1\n  {}: {{}}\n  b: 2\n  {}: {{}}\n  c: 3\n",
            ids[0],
            ids[ids.len() - 1]
        );
        let mut root = parse_stream(&text).unwrap().remove(0).unwrap();
        let original = root.clone();
        let lifted = lift(&mut root);
        let keys: Vec<_> = match &root.get("spec").unwrap().value {
            NodeValue::Map(entries) => entries.iter().map(|(k, _)| k.as_str().unwrap()).collect(),
            _ => unreachable!(),
        };
        assert_eq!(keys, ["a", "b", "c"]);
        put_back(&mut root, lifted);
        assert_eq!(root, original);
    }
}
