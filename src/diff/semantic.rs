//! Field-by-field changes inside JSON-valued annotations (a pack's auto-create parameters,
//! health-check options, forward actions, and any other value that parses as JSON), so a
//! reviewer sees `lb.health-check-option.delay: "5" -> "10"` instead of two long one-line
//! strings.

use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// One changed field inside a JSON-valued annotation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The annotation key.
    pub annotation: String,
    /// The field inside the value, as `name.field[index]`, `name` being the key's part
    /// after its `/` (`lb.health-check-option.delay`).
    pub field: String,
    /// The live value (`None`: absent).
    pub from: Option<Value>,
    /// The rendered value (`None`: absent).
    pub to: Option<Value>,
}

impl fmt::Display for FieldChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: &Option<Value>| v.as_ref().map_or("(absent)".to_string(), Value::to_string);
        write!(
            f,
            "{}: {} -> {}",
            self.field,
            show(&self.from),
            show(&self.to)
        )
    }
}

/// The field changes between two annotation values, when both parse as JSON; empty
/// when either does not, or when they mean the same.
pub fn annotation_changes(key: &str, live: &str, rendered: &str) -> Vec<FieldChange> {
    let (Ok(l), Ok(r)) = (
        serde_json::from_str::<Value>(live),
        serde_json::from_str::<Value>(rendered),
    ) else {
        return Vec::new();
    };
    let name = key.rsplit_once('/').map_or(key, |(_, n)| n);
    json_patch::diff(&l, &r)
        .0
        .iter()
        .map(|op| {
            let pointer = match op {
                json_patch::PatchOperation::Add(o) => o.path.to_string(),
                json_patch::PatchOperation::Remove(o) => o.path.to_string(),
                json_patch::PatchOperation::Replace(o) => o.path.to_string(),
                json_patch::PatchOperation::Move(o) => o.path.to_string(),
                json_patch::PatchOperation::Copy(o) => o.path.to_string(),
                json_patch::PatchOperation::Test(o) => o.path.to_string(),
            };
            FieldChange {
                annotation: key.to_string(),
                field: format!("{name}{}", dotted(&l, &r, &pointer)),
                from: l.pointer(&pointer).cloned(),
                to: r.pointer(&pointer).cloned(),
            }
        })
        .collect()
}

/// A JSON pointer as `.key` and `[index]` steps (arrays known from either value).
fn dotted(live: &Value, rendered: &Value, pointer: &str) -> String {
    let mut out = String::new();
    let mut l = Some(live);
    let mut r = Some(rendered);
    for raw in pointer.split('/').skip(1) {
        let token = raw.replace("~1", "/").replace("~0", "~");
        let is_array = l.is_some_and(Value::is_array) || r.is_some_and(Value::is_array);
        if is_array {
            out.push_str(&format!("[{token}]"));
            let i = token.parse::<usize>().ok();
            l = l.and_then(|v| i.and_then(|i| v.get(i)));
            r = r.and_then(|v| i.and_then(|i| v.get(i)));
        } else {
            out.push('.');
            out.push_str(&token);
            l = l.and_then(|v| v.get(&token));
            r = r.and_then(|v| v.get(&token));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reordered_keys_and_whitespace_are_no_change() {
        let changes = annotation_changes(
            "example.com/lb.health-check-option",
            r#"{ "timeout":"10", "delay":"5" }"#,
            r#"{"delay":"5","timeout":"10"}"#,
        );
        assert_eq!(changes, Vec::new());
    }

    #[test]
    fn a_changed_field_is_named() {
        let changes = annotation_changes(
            "example.com/lb.health-check-option",
            r#"{"delay":"5","timeout":"10"}"#,
            r#"{"delay":"10","timeout":"10"}"#,
        );
        let shown: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["lb.health-check-option.delay: \"5\" -> \"10\""]);
    }

    #[test]
    fn array_steps_and_absent_values() {
        let changes = annotation_changes(
            "example.com/lb.actions.cafe-r0",
            r#"[{"forwardConfig":[{"weight":70},{"weight":30}]}]"#,
            r#"[{"forwardConfig":[{"weight":80},{"weight":20,"poolID":"p"}]}]"#,
        );
        let shown: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert!(shown.contains(&"lb.actions.cafe-r0[0].forwardConfig[0].weight: 70 -> 80".into()));
        assert!(
            shown.contains(
                &"lb.actions.cafe-r0[0].forwardConfig[1].poolID: (absent) -> \"p\"".into()
            )
        );
    }

    #[test]
    fn non_json_values_have_no_field_changes() {
        assert_eq!(annotation_changes("a/b", "on", "off"), Vec::new());
    }
}
