//! Writing objects: a stable order, YAML or JSON, one stream or one file per object.
//!
//! Order is by kind (namespaces and config first, workloads next, Services, then
//! Ingresses), then namespace, then name, so the bytes never depend on file order. YAML
//! is written by serde-saphyr, which quotes every string a YAML 1.1 reader (kubectl,
//! Argo CD) would take for a boolean, number or null (`yes`, `on`, `0755`, `~`) and keeps
//! every value on one line. Files are written to a temporary name and renamed, so a
//! reader never sees half a file.

use serde_json::Value;
use std::io::Write;
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

/// Where a kind goes in the output: what others depend on comes first.
fn kind_rank(kind: &str) -> usize {
    const ORDER: &[&str] = &[
        "Namespace",
        "ServiceAccount",
        "Secret",
        "ConfigMap",
        "CustomResourceDefinition",
        "IngressClass",
        "AlbConfig",
        "TkeServiceConfig",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Service",
        "Ingress",
    ];
    ORDER.iter().position(|k| *k == kind).unwrap_or(ORDER.len())
}

/// Sorts objects into emit order (kind rank, kind, namespace, name, then the whole value
/// as a tie-break so even look-alike objects have one order).
pub fn sort(objects: &mut [Object]) {
    objects.sort_by_cached_key(|o| {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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
    Yaml(String),
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
    serde_saphyr::to_string_with_options(&object.0, yaml_options())
        .map_err(|e| EmitError::Yaml(e.to_string()))
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
            let mut s =
                serde_json::to_string_pretty(&list).map_err(|e| EmitError::Yaml(e.to_string()))?;
            s.push('\n');
            Ok(s)
        }
    }
}

/// The file an object is written to below an output directory:
/// `<namespace>/<kind>-<name>.<ext>` (`_cluster/` for cluster-scoped objects).
pub fn file_name(object: &Object, format: Format) -> PathBuf {
    let ns = match object.namespace() {
        "" => "_cluster",
        ns => ns,
    };
    let ext = match format {
        Format::Yaml => "yaml",
        Format::Json => "json",
    };
    Path::new(ns).join(format!(
        "{}-{}.{ext}",
        object.kind().to_ascii_lowercase(),
        object.name()
    ))
}

/// Every object rendered to its file's bytes, keyed by relative path, sorted.
pub fn to_files(objects: &[Object], format: Format) -> Result<Vec<(PathBuf, String)>, EmitError> {
    let mut files = objects
        .iter()
        .map(|o| {
            let text = match format {
                Format::Yaml => to_yaml(o)?,
                Format::Json => {
                    let mut s = serde_json::to_string_pretty(&o.0)
                        .map_err(|e| EmitError::Yaml(e.to_string()))?;
                    s.push('\n');
                    s
                }
            };
            Ok((file_name(o, format), text))
        })
        .collect::<Result<Vec<_>, EmitError>>()?;
    files.sort();
    Ok(files)
}

/// Writes files below `dir`, each to a temporary file in its own directory first and then
/// renamed over the target, so a crash leaves either the old file or the new one.
pub fn write_files(dir: &Path, files: &[(PathBuf, String)]) -> Result<(), EmitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| EmitError::Io { path, source }
    };
    // Stage every file before renaming any, so an error part-way leaves no new file.
    let mut staged = Vec::new();
    for (rel, text) in files {
        let target = dir.join(rel);
        let parent = target.parent().unwrap_or(dir).to_path_buf();
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".lbgen-")
            .tempfile_in(&parent)
            .map_err(io(&parent))?;
        tmp.write_all(text.as_bytes()).map_err(io(&target))?;
        tmp.as_file().sync_all().map_err(io(&target))?;
        staged.push((tmp, target));
    }
    for (tmp, target) in staged {
        tmp.persist(&target).map_err(|e| EmitError::Io {
            path: target.clone(),
            source: e.error,
        })?;
    }
    Ok(())
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
    let ext = match format {
        Format::Yaml => "yaml",
        Format::Json => "json",
    };
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
    for rel in on_disk {
        if !files.iter().any(|(r, _)| *r == rel) {
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
        if path.is_dir() {
            collect(root, &path, ext, out)?;
        } else if path.extension().and_then(|e| e.to_str()) == Some(ext) {
            out.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    Ok(())
}
