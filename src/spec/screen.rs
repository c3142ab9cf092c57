//! Checks the loader runs on a document before it is typed or passed through: a near miss
//! of the lbgen identity (so a misspelt spec is not passed through unread) and control
//! characters (blamed on the field that holds them, not on whatever template or object
//! they would break later).

use crate::suggest::edit_distance;
use crate::yaml::node::{Node, NodeValue};

/// Whether `value` is within `max` edits of `wanted` (ignoring case) without being it.
pub(crate) fn near(value: Option<&str>, wanted: &str, max: usize) -> bool {
    let Some(value) = value else { return false };
    value != wanted
        && edit_distance(&value.to_ascii_lowercase(), &wanted.to_ascii_lowercase()) <= max
}

/// Whether the value under `key` is a name: `name`, `*Name`, or a label value (under
/// `labels` or `selector`). Names end up in object names, label values and load-balancer
/// names, where no control character is valid; free text (annotation values, paths, ids)
/// is the provider's to judge and passes through as written.
fn names_its_value(key: &str, parent: Option<&str>) -> bool {
    key == "name" || key.ends_with("Name") || matches!(parent, Some("labels" | "selector"))
}

/// The first name or mapping key of a spec holding a control character (C0 other than
/// tab and line breaks, DEL, C1): reported at the field itself, not later at whatever
/// template or object it would break. Walks with an explicit stack (no recursion on the
/// input).
pub(crate) fn control_character(root: &Node) -> Option<(crate::yaml::node::Span, String)> {
    let bad = |text: &str| {
        text.chars()
            .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    };
    let report = |node: &Node, c: char| {
        (
            node.span,
            format!(
                "the name holds the control character U+{:04X}, which no Kubernetes name, label or key may contain; remove it",
                u32::from(c)
            ),
        )
    };
    // (node, whether it is a name, the key of the mapping holding it)
    let mut stack: Vec<(&Node, bool, Option<&str>)> = vec![(root, false, None)];
    while let Some((node, is_name, holder)) = stack.pop() {
        match &node.value {
            NodeValue::Scalar { text, .. } => {
                if is_name && let Some(c) = bad(text) {
                    return Some(report(node, c));
                }
            }
            NodeValue::Seq(items) => {
                stack.extend(items.iter().rev().map(|n| (n, is_name, holder)));
            }
            NodeValue::Map(entries) => {
                for (k, v) in entries.iter().rev() {
                    let key = k.as_str().unwrap_or_default();
                    stack.push((v, names_its_value(key, holder), Some(key)));
                    stack.push((k, true, holder));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::model::KIND;
    use super::*;

    #[test]
    fn near_misses_of_the_identity() {
        assert!(near(Some("LoadBalancr"), KIND, 2));
        assert!(!near(Some("ConfigMap"), KIND, 2));
        assert!(!near(Some(KIND), KIND, 2));
    }
}
