//! The `spec.<provider>` blocks: settings only one cloud has, each typed by its provider's
//! pack and reached only through the provider registry (the spec itself names no
//! provider).
//!
//! The typed spec rejects unknown fields, so the loader lifts the blocks out of the tree
//! before reading the spec, puts them back (diagnostics still point into them), and hands
//! each block to its pack. A spec that still uses a field a pack moved into its block gets
//! an error naming the new place.

use crate::diag::{Diagnostic, Location};
use crate::provider::{ProviderId, registry};
use crate::yaml::node::{Node, NodeValue};
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

/// Reads every block of `root` through its pack, in source order.
pub(super) fn read(root: &Node, file: &str) -> Result<BTreeMap<ProviderId, Value>, Diagnostic> {
    let mut blocks = BTreeMap::new();
    let Some(NodeValue::Map(entries)) = root.get("spec").map(|s| &s.value) else {
        return Ok(blocks);
    };
    for (key, block) in entries {
        let Some(id) = key.as_str().and_then(ProviderId::parse) else {
            continue;
        };
        let value = (id.pack().settings().read)(Some(block)).map_err(|e| {
            let span = e.span.unwrap_or(block.span);
            Diagnostic::error(
                "load/spec",
                format!("spec.{id}: {}", e.message),
                Some(Location {
                    file: file.to_string(),
                    line: span.line(),
                    column: span.column(),
                }),
            )
        })?;
        blocks.insert(id, value);
    }
    Ok(blocks)
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
