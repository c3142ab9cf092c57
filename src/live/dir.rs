//! The snapshot source: `kubectl get -o yaml` dumps in a directory (`--live-dir`), so CI
//! without cluster access can diff against a committed snapshot.
//!
//! Each `*.yaml`, `*.yml` or `*.json` file below the directory (sorted; hidden and
//! git-ignored paths skipped) holds single objects or `List`s (`kind: List` or any
//! `<Kind>List`), as kubectl prints them. Secrets in a dump are skipped unread.

use super::{LiveError, NEVER_READ};
use crate::emit::Object;
use crate::yaml::node::parse_stream;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Every object in the snapshot directory, in file order.
pub fn read_dir(dir: &Path) -> Result<Vec<Object>, LiveError> {
    let snapshot_error = |path: &Path, reason: String| LiveError::Snapshot {
        path: path.to_path_buf(),
        reason,
    };
    if !dir.is_dir() {
        return Err(snapshot_error(dir, "not a directory".into()));
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in ignore::WalkBuilder::new(dir).threads(1).build() {
        let entry = entry.map_err(|e| snapshot_error(dir, e.to_string()))?;
        let path = entry.path();
        let wanted = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml" | "json")
        );
        if wanted && entry.file_type().is_some_and(|t| t.is_file()) {
            files.push(path.to_path_buf());
        }
    }
    files.sort();
    let mut objects = Vec::new();
    for path in files {
        let text =
            std::fs::read_to_string(&path).map_err(|e| snapshot_error(&path, e.to_string()))?;
        let docs = parse_stream(&text).map_err(|e| {
            snapshot_error(
                &path,
                format!(
                    "{} at line {}, column {}",
                    e.message, e.span.line, e.span.column
                ),
            )
        })?;
        for doc in docs.into_iter().flatten() {
            flatten(doc.to_json(), &path, &mut objects)?;
        }
    }
    Ok(objects)
}

/// Adds an object, or the items of a list, to `out`.
fn flatten(value: Value, path: &Path, out: &mut Vec<Object>) -> Result<(), LiveError> {
    let kind = value
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if kind == "List" || (kind.ends_with("List") && value.get("items").is_some()) {
        // A typed list (`ServiceList`) leaves kind and apiVersion off its items.
        let item_kind = kind.strip_suffix("List").filter(|k| !k.is_empty());
        let list_version = value.get("apiVersion").cloned();
        let items = match value.get("items") {
            Some(Value::Array(items)) => items.clone(),
            Some(Value::Null) | None => Vec::new(),
            Some(_) => {
                return Err(LiveError::Snapshot {
                    path: path.to_path_buf(),
                    reason: format!("`items` of a {kind} is not a list"),
                });
            }
        };
        for mut item in items {
            if let (Some(k), Some(map)) = (item_kind, item.as_object_mut()) {
                map.entry("kind").or_insert_with(|| k.into());
                if let Some(v) = &list_version {
                    map.entry("apiVersion").or_insert_with(|| v.clone());
                }
            }
            flatten(item, path, out)?;
        }
        return Ok(());
    }
    let object = Object(value);
    if object.kind().is_empty() || object.api_version().is_empty() || object.name().is_empty() {
        return Err(LiveError::Snapshot {
            path: path.to_path_buf(),
            reason: "a document without apiVersion, kind or metadata.name; expected `kubectl get -o yaml` output".into(),
        });
    }
    if object.kind() != NEVER_READ {
        out.push(object);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_typed_lists_and_single_objects_are_read_and_secrets_skipped() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(
            dir.path().join("a.yaml"),
            "apiVersion: v1\nkind: ServiceList\nitems:\n- metadata: {name: a, namespace: web}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: web}\n",
        )
        .expect("write");
        std::fs::write(
            dir.path().join("b.json"),
            r#"{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"b"}}]}"#,
        )
        .expect("write");
        std::fs::write(dir.path().join("notes.txt"), "not read").expect("write");
        let objects = read_dir(dir.path()).expect("reads");
        let ids: Vec<_> = objects.iter().map(Object::identity).collect();
        assert_eq!(
            ids,
            [
                ("".into(), "Service".into(), "web".into(), "a".into()),
                (
                    "networking.k8s.io".into(),
                    "Ingress".into(),
                    "".into(),
                    "b".into()
                ),
            ]
        );
    }

    #[test]
    fn a_document_that_is_no_object_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::write(dir.path().join("x.yaml"), "just: text\n").expect("write");
        let err = read_dir(dir.path()).expect_err("refused").to_string();
        assert!(err.contains("x.yaml"), "{err}");
        assert!(err.contains("kubectl get -o yaml"), "{err}");
    }
}
