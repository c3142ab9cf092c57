//! Reading live state: what the cluster (or a committed `kubectl get -o yaml` snapshot)
//! holds for the objects lbgen renders, normalised so only what lbgen owns is compared.
//!
//! Read-only by construction: the cluster source LISTs, one request per kind and
//! namespace, and nothing here ever asks for a Secret (DESIGN.md "Read-only against
//! clusters"). The one other request is opt-in (`--server-side`): a server-side apply
//! with `dryRun=All`, which the API server never persists.

mod annotations;
mod cluster;
mod dir;
pub mod normalize;
mod url;

pub use cluster::{Cluster, ClusterOptions};
pub use dir::read_dir;

use crate::emit::{ApiKind, Object, ObjectId};
use std::path::PathBuf;

/// The kind lbgen never reads, from a cluster or a snapshot.
pub const NEVER_READ: &str = "Secret";

/// One LIST: every object of a kind in one namespace (`None`: cluster-scoped). Built only
/// from a validated `ObjectId` (and a validated namespace), so every part that goes into a
/// request URL is a DNS-1123 name, a kind or a version; never a Secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    api: ApiKind,
    namespace: Option<String>,
}

/// Sorted by `apiVersion` as written, then kind, then namespace (the order LISTs are sent).
impl Ord for Scope {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |s: &Scope| {
            (
                s.api.api_version(),
                s.api.kind().to_string(),
                s.namespace.clone(),
            )
        };
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for Scope {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Scope {
    /// The scope an object lives in; `None` for a Secret, which is never read.
    pub fn of(id: &ObjectId) -> Option<Scope> {
        (!id.is_secret()).then(|| Scope {
            api: id.api().clone(),
            namespace: id.namespace().map(str::to_string),
        })
    }

    /// The same kind in another namespace (checked: a DNS-1123 label).
    pub fn in_namespace(&self, namespace: &str) -> Result<Scope, ScopeError> {
        crate::emit::check_namespace(namespace).map_err(ScopeError::Namespace)?;
        Ok(Scope {
            namespace: Some(namespace.to_string()),
            ..self.clone()
        })
    }

    /// The `apiVersion` and `kind` listed.
    pub fn api(&self) -> &ApiKind {
        &self.api
    }

    /// The namespace, `None` for cluster-scoped kinds.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// Whether a live object falls inside this scope.
    pub fn contains(&self, object: &Object) -> bool {
        object.api_version() == self.api.api_version()
            && object.kind() == self.api.kind()
            && object.namespace() == self.namespace.as_deref().unwrap_or_default()
    }
}

/// The scopes to read for `rendered`: one per (kind, namespace) they occupy, sorted, never
/// a Secret. `extra_namespaces` adds namespaces to look in for every namespaced kind (where
/// `--prune` should look even when nothing is rendered there any more). An invalid identity
/// or namespace is an error (the pipeline has refused those already; this is the guard
/// every URL goes through).
pub fn scopes(rendered: &[Object], extra_namespaces: &[String]) -> Result<Vec<Scope>, ScopeError> {
    let mut out = Vec::new();
    for o in rendered {
        let id = o.id().map_err(|source| ScopeError::Identity {
            object: o.describe(),
            source,
        })?;
        out.extend(Scope::of(&id));
    }
    let namespaced: Vec<Scope> = out
        .iter()
        .filter(|s| s.namespace.is_some())
        .cloned()
        .collect();
    for scope in namespaced {
        for ns in extra_namespaces {
            out.push(scope.in_namespace(ns)?);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Why the scopes to read could not be derived: the input to them is invalid (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ScopeError {
    /// An object's identity cannot be part of a request URL.
    #[error("{object}: {source}")]
    Identity {
        /// The object, described.
        object: String,
        /// What is wrong with its identity.
        source: crate::emit::IdError,
    },
    /// A namespace to look in is not a DNS-1123 label.
    #[error("{0}")]
    Namespace(String),
}

/// Why live state could not be read. Every variant is exit code 3 (docs/spec.md) and prints
/// as one line that says what was asked, of whom, and what happened.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// No usable kubeconfig (none found, unreadable, or the context does not exist).
    #[error("cannot load the kubeconfig: {0}")]
    Kubeconfig(String),
    /// The client could not be built from the configuration (bad URL, TLS material).
    #[error("cannot set up a client for {server}: {reason}")]
    Client {
        /// The API server URL.
        server: String,
        /// What failed.
        reason: String,
    },
    /// A LIST failed: refused, timed out, rejected (401/403), unknown kind (404), a server
    /// error, or a cut-off or undecodable answer.
    #[error("cannot list {what} at {server}: {reason}")]
    List {
        /// `services in namespace "web"`.
        what: String,
        /// The API server URL.
        server: String,
        /// What happened, in one line.
        reason: String,
    },
    /// A server-side apply dry run (`--server-side`) failed.
    #[error("cannot dry-run apply {what} at {server}: {reason}")]
    DryRun {
        /// `services shop`.
        what: String,
        /// The API server URL.
        server: String,
        /// What happened, in one line.
        reason: String,
    },
    /// A snapshot file or directory could not be read.
    #[error("cannot read live state from `{path}`: {reason}")]
    Snapshot {
        /// The file or directory.
        path: PathBuf,
        /// What failed (an I/O error, or YAML with its line and column).
        reason: String,
    },
}

/// What a scope's LIST reads, for messages: `services in namespace "web"`.
pub(crate) fn describe(scope: &Scope, plural: &str) -> String {
    match scope.namespace() {
        None => format!("{plural} ({})", scope.api().api_version()),
        Some(ns) => format!(
            "{plural} ({}) in namespace \"{ns}\"",
            scope.api().api_version()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_scope_per_kind_and_namespace_never_secrets() {
        let object = |api: &str, kind: &str, ns: &str, name: &str| {
            Object(
                json!({"apiVersion": api, "kind": kind, "metadata": {"name": name, "namespace": ns}}),
            )
        };
        let rendered = [
            object("v1", "Service", "web", "a"),
            object("v1", "Service", "web", "b"),
            object("networking.k8s.io/v1", "Ingress", "shop", "c"),
            object("v1", "Secret", "web", "s"),
        ];
        let got: Vec<(String, String, String)> = scopes(&rendered, &["extra".into()])
            .expect("valid")
            .into_iter()
            .map(|s| {
                let ns = s.namespace().unwrap_or_default().to_string();
                (s.api().api_version(), s.api().kind().to_string(), ns)
            })
            .collect();
        assert!(scopes(&rendered, &["default/secrets?x=".into()]).is_err());
        let bad = [object("v1", "ConfigMap", "default/secrets?x=", "a")];
        assert!(scopes(&bad, &[]).is_err());
        let want = [
            ("networking.k8s.io/v1", "Ingress", "extra"),
            ("networking.k8s.io/v1", "Ingress", "shop"),
            ("v1", "Service", "extra"),
            ("v1", "Service", "web"),
        ];
        let want: Vec<(String, String, String)> = want
            .iter()
            .map(|(a, k, n)| (a.to_string(), k.to_string(), n.to_string()))
            .collect();
        assert_eq!(got, want);
    }
}
