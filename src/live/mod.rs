//! Reading live state: what the cluster (or a committed `kubectl get -o yaml` snapshot)
//! holds for the objects lbgen renders, normalised so only what lbgen owns is compared.
//!
//! Read-only by construction: the cluster source LISTs, one request per kind and
//! namespace, and nothing here ever asks for a Secret (DESIGN.md "Read-only against
//! clusters"). The one other request is opt-in (`--server-side`): a server-side apply
//! with `dryRun=All`, which the API server never persists.

mod cluster;
mod dir;
pub mod normalize;

pub use cluster::{Cluster, ClusterOptions};
pub use dir::read_dir;

use crate::emit::Object;
use std::path::PathBuf;

/// The kind lbgen never reads, from a cluster or a snapshot.
pub const NEVER_READ: &str = "Secret";

/// One LIST: every object of a kind in one namespace (`""` for cluster-scoped kinds).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Scope {
    /// `apiVersion` of the kind, e.g. `networking.k8s.io/v1`.
    pub api_version: String,
    /// `kind`, e.g. `Ingress`.
    pub kind: String,
    /// Namespace, empty for cluster-scoped objects.
    pub namespace: String,
}

impl Scope {
    /// Whether a live object falls inside this scope.
    pub fn contains(&self, object: &Object) -> bool {
        object.api_version() == self.api_version
            && object.kind() == self.kind
            && object.namespace() == self.namespace
    }
}

/// The scopes to read for `rendered`: one per (kind, namespace) they occupy, sorted, never
/// a Secret. `extra_namespaces` adds namespaces to look in for every namespaced kind (where
/// `--prune` should look even when nothing is rendered there any more).
pub fn scopes(rendered: &[Object], extra_namespaces: &[String]) -> Vec<Scope> {
    let mut out: Vec<Scope> = rendered
        .iter()
        .filter(|o| o.kind() != NEVER_READ)
        .map(|o| Scope {
            api_version: o.api_version().to_string(),
            kind: o.kind().to_string(),
            namespace: o.namespace().to_string(),
        })
        .collect();
    let namespaced: Vec<Scope> = out
        .iter()
        .filter(|s| !s.namespace.is_empty())
        .cloned()
        .collect();
    for scope in namespaced {
        for ns in extra_namespaces {
            out.push(Scope {
                namespace: ns.clone(),
                ..scope.clone()
            });
        }
    }
    out.sort();
    out.dedup();
    out
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
    if scope.namespace.is_empty() {
        format!("{plural} ({})", scope.api_version)
    } else {
        format!(
            "{plural} ({}) in namespace \"{}\"",
            scope.api_version, scope.namespace
        )
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
            .into_iter()
            .map(|s| (s.api_version, s.kind, s.namespace))
            .collect();
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
