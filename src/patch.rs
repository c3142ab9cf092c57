//! Patches of objects lbgen does not own (a workload's pod template), and where they go.
//!
//! A partial object in the output stream would be applied by `kubectl apply` or Argo CD
//! as if it were the whole object (or refused for missing fields), so a patch is never an
//! object of the stream. When its target is in the input (a passed-through document of
//! the same `-f` inputs, or an item of a KRM `ResourceList`), lbgen merges it into that
//! object in place, with strategic-merge semantics for what a patch holds: maps merge key
//! by key, lists of named items (`containers`) merge by `name`, other values replace.
//! Otherwise it stays *pending*: a warning says exactly what to run, and `render
//! --out-dir` also writes it as `<namespace>/patches/<kind>-<name>.yaml`, a file that
//! `kubectl patch --type strategic --patch-file` and kustomize `patches:` take. A spec
//! that decorates (`spec.decorate`) reads a generator's whole output, so there a missing
//! target is an error instead.

use crate::diag::{Diagnostic, Location, Severity};
use crate::emit::{Format, Object};
use crate::provider::Patch;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// A patch whose target was not in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    /// The rendered patch.
    pub object: Object,
    /// Whether, applied in place, it goes to the target's first container.
    pub first_container: bool,
    /// The warning that says it was not applied and what to run (also in the
    /// diagnostics of the compilation).
    pub warning: Diagnostic,
}

/// A rendered patch with what the provider said about it.
pub(crate) struct Rendered {
    pub(crate) object: Object,
    pub(crate) patch: Patch,
    pub(crate) location: Location,
    /// The provider whose pack asked for the patch (named in diagnostics).
    pub(crate) provider: String,
    /// The spec decorates a chart's output, which holds its workloads: a target missing
    /// from the input is an error, not a pending patch.
    pub(crate) required: bool,
}

/// The identity a target must have: group, kind, namespace (an object without one is in
/// `default_namespace`), name. Read in place: inputs can hold thousands of objects.
fn same_target(patch: &Object, object: &Value, default_namespace: &str) -> bool {
    let field = |pointer: &str| {
        object
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let ns = match field("/metadata/namespace") {
        "" => default_namespace,
        ns => ns,
    };
    let group = field("/apiVersion").split_once('/').map_or("", |(g, _)| g);
    let (pg, pk, pn, pname) = patch.identity();
    pg == group && pk == field("/kind") && pn == ns && pname == field("/metadata/name")
}

/// Merges `patch` into the first of `objects` it targets. `Ok(false)`: no target there.
pub fn apply_to(
    patch: &Object,
    first_container: bool,
    objects: &mut [Value],
    default_namespace: &str,
) -> Result<bool, String> {
    let Some(target) = objects
        .iter_mut()
        .find(|o| same_target(patch, o, default_namespace))
    else {
        return Ok(false);
    };
    let mut body = patch.0.clone();
    if let Some(b) = body.as_object_mut() {
        // Identity is the target's own; only the body merges.
        for key in ["apiVersion", "kind", "metadata"] {
            b.remove(key);
        }
    }
    let containers: Vec<String> = target
        .pointer("/spec/template/spec/containers")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .map(|c| c["name"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    let what = format!("{} {}", patch.kind(), patch.name());
    let wanted = body
        .pointer_mut("/spec/template/spec/containers/0/name")
        .ok_or_else(|| format!("the patch of {what} names no container"))?;
    if first_container {
        let first = containers
            .first()
            .ok_or_else(|| format!("{what} in the input has no containers to patch"))?;
        *wanted = Value::String(first.clone());
    } else if !containers
        .iter()
        .any(|c| Some(c.as_str()) == wanted.as_str())
    {
        return Err(format!(
            "{what} in the input has no container {wanted} (its containers: {}); set spec.workload.container to one of them",
            containers.join(", ")
        ));
    }
    merge(target, &body);
    Ok(true)
}

/// Strategic merge of what a patch holds: maps key by key, named lists by `name`.
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => merge_maps(t, p),
        (Value::Array(t), Value::Array(p)) if named(t) && named(p) => {
            for item in p {
                match t.iter_mut().find(|x| x["name"] == item["name"]) {
                    Some(existing) => merge(existing, item),
                    None => t.push(item.clone()),
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

fn merge_maps(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        match target.get_mut(key) {
            Some(existing) if !existing.is_null() => merge(existing, value),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

fn named(items: &[Value]) -> bool {
    items
        .iter()
        .all(|i| i.get("name").is_some_and(Value::is_string))
}

/// The file a pending patch is written to below `--out-dir`.
pub fn file_name(id: &crate::emit::ObjectId, format: Format) -> PathBuf {
    let plain = crate::emit::file_name(id, format);
    let dir = plain.parent().unwrap_or(Path::new(""));
    let file = plain.file_name().map(PathBuf::from).unwrap_or_default();
    dir.join("patches").join(file)
}

/// The patch's body as compact JSON, for `kubectl patch -p`.
fn body_json(object: &Object) -> String {
    let mut body = object.0.clone();
    if let Some(b) = body.as_object_mut() {
        b.retain(|k, _| k == "spec");
    }
    body.to_string()
}

/// The warning for a patch whose target is not in the input: what to run, every value
/// shell-quoted.
pub(crate) fn pending(rendered: Rendered) -> Pending {
    let object = rendered.object;
    let kind = object.kind().to_ascii_lowercase();
    let body = body_json(&object);
    let command = crate::shell::command([
        "kubectl",
        "patch",
        &kind,
        object.name(),
        "-n",
        object.namespace(),
        "--type",
        "strategic",
        "-p",
        &body,
    ]);
    // The patch is built from the spec's validated names, so its identity is valid; the
    // fallback only keeps the message whole if that ever changed.
    let file = object.id().map_or_else(
        |_| PathBuf::from("<namespace>/patches"),
        |id| file_name(&id, Format::Yaml),
    );
    let container = if rendered.patch.first_container {
        let name = object
            .0
            .pointer("/spec/template/spec/containers/0/name")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        format!(
            " The patch names container `{name}`; if yours is called otherwise, set spec.workload.container."
        )
    } else {
        String::new()
    };
    let warning = Diagnostic {
        help: None,
        severity: Severity::Warning,
        rule: rendered.patch.rule.clone(),
        message: format!(
            "{}; {} {}/{} is not in the input, so lbgen emits no partial object for it: run {command} (render --out-dir also writes this patch to {}), or pass the {} in the same inputs and lbgen patches it in place.{container}",
            rendered.patch.reason,
            object.kind(),
            object.namespace(),
            object.name(),
            file.display(),
            object.kind(),
        ),
        field: Some(rendered.patch.field.clone()),
        provider: Some(rendered.provider),
        location: Some(rendered.location),
    };
    Pending {
        object,
        first_container: rendered.patch.first_container,
        warning,
    }
}

#[cfg(test)]
mod tests {
    use super::{apply_to, merge};
    use crate::emit::Object;
    use serde_json::json;

    /// A provider-neutral workload patch: an annotation and a per-pod resource.
    fn patch(container: &str) -> Object {
        Object(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"template": {
                "metadata": {"annotations": {"example.com/networks": "route-eni"}},
                "spec": {"containers": [{"name": container, "resources": {
                    "requests": {"example.com/eni-ip": "1"},
                    "limits": {"example.com/eni-ip": "1"}}}]}}}
        }))
    }

    fn deployment() -> serde_json::Value {
        json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {"replicas": 2, "template": {
                "metadata": {"labels": {"app": "web"}, "annotations": {"keep": "me"}},
                "spec": {"containers": [
                    {"name": "app", "image": "nginx", "resources": {"limits": {"cpu": "1"}}},
                    {"name": "sidecar", "image": "envoy"}]}}}
        })
    }

    #[test]
    fn merges_into_the_first_container_without_clobbering() {
        let mut objects = vec![deployment()];
        assert_eq!(
            apply_to(&patch("web"), true, &mut objects, "default"),
            Ok(true)
        );
        let d = &objects[0];
        assert_eq!(d["spec"]["replicas"], 2);
        let t = &d["spec"]["template"];
        assert_eq!(t["metadata"]["annotations"]["keep"], "me");
        assert_eq!(
            t["metadata"]["annotations"]["example.com/networks"],
            "route-eni"
        );
        let c = &t["spec"]["containers"];
        assert_eq!(c.as_array().map(Vec::len), Some(2));
        assert_eq!(c[0]["image"], "nginx");
        assert_eq!(c[0]["resources"]["limits"]["cpu"], "1");
        assert_eq!(c[0]["resources"]["limits"]["example.com/eni-ip"], "1");
        assert_eq!(c[0]["resources"]["requests"]["example.com/eni-ip"], "1");
        assert!(c[1].get("resources").is_none());
    }

    #[test]
    fn a_named_container_must_exist_and_gets_the_resources() {
        let mut objects = vec![deployment()];
        assert_eq!(
            apply_to(&patch("sidecar"), false, &mut objects, "default"),
            Ok(true)
        );
        let c = &objects[0]["spec"]["template"]["spec"]["containers"];
        assert_eq!(c[1]["resources"]["limits"]["example.com/eni-ip"], "1");
        assert!(
            c[0]["resources"]["limits"]
                .get("example.com/eni-ip")
                .is_none()
        );
        let err = apply_to(&patch("nope"), false, &mut [deployment()], "default");
        assert!(
            err.is_err_and(|e| e.contains("no container \"nope\"") && e.contains("app, sidecar"))
        );
    }

    #[test]
    fn only_the_same_kind_name_and_namespace_is_a_target() {
        let mut other_ns = deployment();
        other_ns["metadata"]["namespace"] = json!("prod");
        let mut statefulset = deployment();
        statefulset["kind"] = json!("StatefulSet");
        let mut objects = vec![other_ns, statefulset];
        assert_eq!(
            apply_to(&patch("web"), true, &mut objects, "default"),
            Ok(false)
        );
        assert_eq!(
            apply_to(&patch("web"), true, &mut [deployment()], "prod"),
            Ok(false)
        );
    }

    #[test]
    fn scalars_replace_and_new_keys_are_added() {
        let mut t = json!({"a": 1, "b": {"c": [1, 2]}});
        merge(&mut t, &json!({"a": 2, "b": {"c": [3], "d": null}}));
        assert_eq!(t, json!({"a": 2, "b": {"c": [3], "d": null}}));
    }
}
