//! Writing objects: a stable order, YAML or JSON, one stream or one file per object.
//!
//! Order is by kind (namespaces and config first, workloads next, Services, then
//! Ingresses), then namespace, then name, so the bytes never depend on file order. YAML
//! is written by serde-saphyr, which quotes every string a YAML 1.1 reader (kubectl,
//! Argo CD) would take for a boolean, number or null (`yes`, `on`, `0755`, `~`) and keeps
//! every value on one line. File names are built from validated identities (`id`), and
//! `--out-dir` is written as one transaction (`outdir`).

mod id;
mod inventory;
mod outdir;

pub use id::{ApiKind, IdError, ObjectId, check_namespace, is_namespace, is_subdomain};
pub use outdir::write_files;

use crate::provider::registry::EmitRank;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A Kubernetes object ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Object(pub Value);

impl Object {
    fn field(&self, pointer: &str) -> &str {
        self.0
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// `kind`.
    pub fn kind(&self) -> &str {
        self.field("/kind")
    }

    /// `metadata.namespace` (empty for cluster-scoped objects).
    pub fn namespace(&self) -> &str {
        self.field("/metadata/namespace")
    }

    /// `metadata.name`.
    pub fn name(&self) -> &str {
        self.field("/metadata/name")
    }

    /// `apiVersion`.
    pub fn api_version(&self) -> &str {
        self.field("/apiVersion")
    }

    /// The validated identity: what file names and URLs are built from.
    pub fn id(&self) -> Result<ObjectId, IdError> {
        ObjectId::of(&self.0)
    }

    /// `Kind namespace/name` as written (for messages about an invalid identity).
    pub fn describe(&self) -> String {
        match self.namespace() {
            "" => format!(
                "{} {}",
                self.kind().escape_debug(),
                self.name().escape_debug()
            ),
            ns => format!(
                "{} {}/{}",
                self.kind().escape_debug(),
                ns.escape_debug(),
                self.name().escape_debug()
            ),
        }
    }

    /// The identity two objects may not share: group/kind, namespace, name.
    pub fn identity(&self) -> (String, String, String, String) {
        let group = self.api_version().split_once('/').map_or("", |(g, _)| g);
        (
            group.to_string(),
            self.kind().to_string(),
            self.namespace().to_string(),
            self.name().to_string(),
        )
    }
}

/// Where a kind goes in the output: what others depend on comes first. The provider
/// packs' configuration kinds (`EmitRank::Configuration`) go after IngressClasses and
/// before workloads, in registry order.
fn kind_rank(kind: &str) -> usize {
    const BEFORE: &[&str] = &[
        "Namespace",
        "ServiceAccount",
        "Secret",
        "ConfigMap",
        "CustomResourceDefinition",
        "IngressClass",
    ];
    const AFTER: &[&str] = &[
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Service",
        "Ingress",
    ];
    if let Some(i) = BEFORE.iter().position(|k| *k == kind) {
        return i;
    }
    let configuration: Vec<&str> = crate::provider::registry()
        .custom_kinds()
        .filter(|k| k.rank == EmitRank::Configuration)
        .map(|k| k.kind)
        .collect();
    if let Some(i) = configuration.iter().position(|k| *k == kind) {
        return BEFORE.len() + i;
    }
    let after = BEFORE.len() + configuration.len();
    AFTER
        .iter()
        .position(|k| *k == kind)
        .map_or(after + AFTER.len(), |i| after + i)
}

/// Sorts objects into emit order (kind rank, kind, namespace, name, then the whole value
/// as a tie-break so even look-alike objects have one order).
pub fn sort(objects: &mut [Object]) {
    sort_by(objects, |o| o);
}

/// Sorts items that each hold an object into the emit order of their objects (`sort`).
pub fn sort_by<T>(items: &mut [T], object: impl Fn(&T) -> &Object) {
    items.sort_by_cached_key(|item| {
        let o = object(item);
        (
            kind_rank(o.kind()),
            o.kind().to_string(),
            o.namespace().to_string(),
            o.name().to_string(),
            o.0.to_string(),
        )
    });
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A `---` separated YAML stream.
    Yaml,
    /// A `v1` `List` (pretty JSON), as `kubectl get -o json` prints several objects.
    Json,
}

/// Why writing failed.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// serde-saphyr refused a value.
    #[error("cannot write YAML: {0}")]
    Yaml(#[from] serde_saphyr::SerializeError),
    /// serde_json refused a value.
    #[error("cannot write YAML: {0}")]
    Json(#[from] serde_json::Error),
    /// An object's apiVersion, kind, namespace or name cannot be a file name or URL part.
    #[error("{0}: {1}")]
    Identity(String, IdError),
    /// Two objects would be written to one file.
    #[error("{first} and {second} would both be written to `{path}`; rename one of them")]
    Collision {
        /// The shared relative path.
        path: PathBuf,
        /// The first object.
        first: String,
        /// The second object.
        second: String,
    },
    /// A file or directory could not be written.
    #[error("cannot write `{path}`: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

fn yaml_options() -> serde_saphyr::SerializerOptions {
    serde_saphyr::ser_options! { prefer_block_scalars: false }
}

/// One object as a YAML document (no `---`).
pub fn to_yaml(object: &Object) -> Result<String, EmitError> {
    serde_saphyr::to_string_with_options(&object.0, yaml_options()).map_err(EmitError::from)
}

/// All objects as one stream in `format`.
pub fn to_stream(objects: &[Object], format: Format) -> Result<String, EmitError> {
    match format {
        Format::Yaml => {
            let mut out = String::new();
            for (i, o) in objects.iter().enumerate() {
                if i > 0 {
                    out.push_str("---\n");
                }
                out.push_str(&to_yaml(o)?);
            }
            Ok(out)
        }
        Format::Json => {
            let list = serde_json::json!({
                "apiVersion": "v1",
                "kind": "List",
                "items": objects.iter().map(|o| &o.0).collect::<Vec<_>>(),
            });
            let mut s = serde_json::to_string_pretty(&list)?;
            s.push('\n');
            Ok(s)
        }
    }
}

/// The group a kind is written without in a file name: its usual group (for a provider
/// pack's configuration kind, the group it registered). Any other group
/// is spelled out (`service.serving.knative.dev-NAME.yaml` beside `service-NAME.yaml`), so
/// file names stay injective across groups and the names of lbgen's own output stay short.
fn usual_group(kind: &str) -> &'static str {
    match kind {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ControllerRevision" => "apps",
        "Ingress" | "IngressClass" | "NetworkPolicy" => "networking.k8s.io",
        "Job" | "CronJob" => "batch",
        "HorizontalPodAutoscaler" => "autoscaling",
        "PodDisruptionBudget" => "policy",
        "Role" | "RoleBinding" | "ClusterRole" | "ClusterRoleBinding" => {
            "rbac.authorization.k8s.io"
        }
        "CustomResourceDefinition" => "apiextensions.k8s.io",
        // A provider pack's own kind: its registered group.
        other => crate::provider::registry()
            .custom_kinds()
            .find(|k| k.kind == other && k.rank == EmitRank::Configuration)
            .map_or("", |k| k.group),
    }
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Yaml => "yaml",
        Format::Json => "json",
    }
}

/// The file an object is written to below an output directory:
/// `<namespace>/<kind>[.<group>]-<name>.<ext>` (`_cluster/` for cluster-scoped objects;
/// the group only when it is not the kind's usual one). Built from a validated identity
/// only, so no part can be `..`, absolute or hold a `/`.
pub fn file_name(id: &ObjectId, format: Format) -> PathBuf {
    let ns = id.namespace().unwrap_or("_cluster");
    let kind = id.api().kind().to_ascii_lowercase();
    let kind = if id.api().group() == usual_group(id.api().kind()) {
        kind
    } else {
        format!("{kind}.{}", id.api().group())
    };
    Path::new(ns).join(format!("{kind}-{}.{}", id.name(), extension(format)))
}

/// Every object rendered to its file's bytes, keyed by relative path, sorted. Two objects
/// that would share a file (`ConfigMap` and `Configmap` of one name) are an error.
pub fn to_files(objects: &[Object], format: Format) -> Result<Vec<(PathBuf, String)>, EmitError> {
    let mut seen: BTreeMap<PathBuf, ObjectId> = BTreeMap::new();
    let mut files = Vec::new();
    for o in objects {
        let id = o.id().map_err(|e| EmitError::Identity(o.describe(), e))?;
        let path = file_name(&id, format);
        if let Some(first) = seen.get(&path) {
            return Err(EmitError::Collision {
                path,
                first: first.to_string(),
                second: id.to_string(),
            });
        }
        let text = match format {
            Format::Yaml => to_yaml(o)?,
            Format::Json => {
                let mut s = serde_json::to_string_pretty(&o.0)?;
                s.push('\n');
                s
            }
        };
        seen.insert(path.clone(), id);
        files.push((path, text));
    }
    files.sort();
    Ok(files)
}

/// How a directory differs from a fresh rendering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The rendering has this file; the directory does not.
    Missing(PathBuf),
    /// Both have it, with different bytes.
    Stale(PathBuf),
    /// The directory has this file; the rendering does not (a spec was removed or renamed).
    Extra(PathBuf),
}

/// Compares `dir` with `files` (relative paths and contents, as from `to_files`). Hidden
/// files and `kustomization.yaml` (which Flux and kustomize users keep beside rendered
/// objects) are not lbgen's and are ignored; so are files of another extension.
pub fn compare_dir(
    dir: &Path,
    files: &[(PathBuf, String)],
    format: Format,
) -> Result<Vec<Drift>, EmitError> {
    let ext = extension(format);
    let mut on_disk = Vec::new();
    collect(dir, dir, ext, &mut on_disk)?;
    let mut drift = Vec::new();
    for (rel, text) in files {
        match std::fs::read(dir.join(rel)) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            Ok(_) => drift.push(Drift::Stale(rel.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                drift.push(Drift::Missing(rel.clone()))
            }
            Err(source) => {
                return Err(EmitError::Io {
                    path: dir.join(rel),
                    source,
                });
            }
        }
    }
    // Only a file lbgen wrote can be extra: the user's own manifests beside the rendering
    // are not drift (the same ownership test as the out-dir transaction).
    let listed = inventory::read(dir);
    for rel in on_disk {
        if !files.iter().any(|(r, _)| *r == rel)
            && inventory::is_ours(&rel, &dir.join(&rel), &listed)
        {
            drift.push(Drift::Extra(rel));
        }
    }
    Ok(drift)
}

fn collect(root: &Path, dir: &Path, ext: &str, out: &mut Vec<PathBuf>) -> Result<(), EmitError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && dir == root => return Ok(()),
        Err(source) => {
            return Err(EmitError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with('.')
            || matches!(
                name,
                "kustomization.yaml" | "kustomization.yml" | "Kustomization"
            )
        {
            continue;
        }
        // Symlinked directories are not followed: a link loop committed to the rendered
        // directory must not recurse forever.
        let is_dir = path.symlink_metadata().is_ok_and(|m| m.is_dir());
        if is_dir {
            collect(root, &path, ext, out)?;
        } else if path.extension().and_then(|e| e.to_str()) == Some(ext) {
            out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
