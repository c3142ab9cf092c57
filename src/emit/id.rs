//! An object's identity, validated once: what file names, diff file names and API URLs are
//! built from.
//!
//! Passed-through documents come from anyone who can open a pull request, and their
//! `namespace`, `name`, `kind` and `apiVersion` end up in paths below `--out-dir` and in
//! the URLs `diff` sends with cluster credentials. `ObjectId` has private fields and one
//! fallible constructor, so a value that reaches a path or a URL has passed these checks:
//! `metadata.name` a DNS-1123 subdomain, `metadata.namespace` a DNS-1123 label (or absent:
//! cluster-scoped), `kind` an UpperCamelCase identifier, and `apiVersion` `[GROUP/]VERSION`
//! with a DNS-1123 subdomain as group and a Kubernetes version (`v1`, `v2beta1`). None of
//! these can hold `/`, `?`, `#`, `%`, `..` as a path component, or a leading `/`.
//! Source for the name rules: Kubernetes "Object Names and IDs"
//! (kubernetes.io/docs/concepts/overview/working-with-objects/names/), "DNS Subdomain
//! Names" and "RFC 1123 Label Names": lowercase alphanumerics and `-` (`.` in subdomains),
//! alphanumeric at both ends. The Chinese translation of that page says a subdomain must
//! start with a letter; the English page (and apimachinery's `IsDNS1123Subdomain`) accept
//! a digit, and that is what is accepted here. The RBAC kinds (`rbac.authorization.k8s.io`)
//! take "path segment names" instead (apimachinery `ValidatePathSegmentName`), and charts
//! do name roles `system:aggregate-to-view`: for that group a name may also hold `:`, but
//! only from the safe set `a-z0-9.-:`, starting with a letter or digit (so never `.`,
//! `..`, a hidden file, `/` or `%`); `:` is a plain character in a Linux file name and is
//! percent-encoded in URLs. Version format: "API versioning"
//! (kubernetes.io/docs/reference/using-api/#api-versioning).

use serde_json::Value;
use std::fmt;

/// The longest DNS-1123 subdomain (a name or an API group).
const MAX_SUBDOMAIN: usize = 253;
/// The longest DNS-1123 label (a namespace).
const MAX_LABEL: usize = 63;

/// A validated `apiVersion` and `kind`: what an object is, and what `diff` LISTs. Made only
/// by [`ObjectId::of`], so every part is a DNS-1123 group, a version or a kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiKind {
    group: String,
    version: String,
    kind: String,
}

impl ApiKind {
    /// The API group (`""` for the core group).
    pub fn group(&self) -> &str {
        &self.group
    }

    /// The version part of `apiVersion`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// `apiVersion` as written: `v1`, `networking.k8s.io/v1`.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The kind, e.g. `Ingress`.
    pub fn kind(&self) -> &str {
        &self.kind
    }
}

/// A validated `apiVersion`, `kind`, `metadata.namespace`, `metadata.name`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId {
    api: ApiKind,
    namespace: Option<String>,
    name: String,
}

/// Why an object has no valid identity: the field (a path such as `metadata.namespace`)
/// and what is wrong with it, with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IdError {
    /// The offending field, as a dotted path.
    pub field: &'static str,
    /// What is wrong and what is expected.
    pub message: String,
}

fn error(field: &'static str, message: String) -> IdError {
    IdError { field, message }
}

/// A string field, or an error naming what it is (absent, or not a string).
fn text<'a>(value: &'a Value, pointer: &str, field: &'static str) -> Result<&'a str, IdError> {
    match value.pointer(pointer) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(error(field, format!("`{field}` is missing; set it"))),
        Some(other) => Err(error(
            field,
            format!(
                "`{field}` must be a string, not `{other}`{}",
                if other.is_boolean() || other.is_number() {
                    " (Kubernetes reads a plain y, yes, on, no, off or a number as that type, as kubectl does: quote the value)"
                } else {
                    ""
                }
            ),
        )),
    }
}

/// One DNS-1123 label: 1..63 of `a-z0-9-`, alphanumeric at both ends.
fn is_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_LABEL
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A DNS-1123 subdomain: dot-separated labels, at most 253 characters.
pub fn is_subdomain(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_SUBDOMAIN && s.split('.').all(is_label)
}

/// The group whose kinds take path segment names (Role, ClusterRole and their bindings).
const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// An RBAC object's name: like a subdomain, but `:` is allowed too (`system:auth-delegator`).
fn is_rbac_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SUBDOMAIN
        && s.as_bytes()[0].is_ascii_alphanumeric()
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b':')
        })
}

/// A namespace: a DNS-1123 label.
pub fn is_namespace(s: &str) -> bool {
    is_label(s)
}

/// `v1`, `v1beta2`, `v2alpha1`: a Kubernetes API version.
fn is_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('v') else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || rest.starts_with('0') {
        return false;
    }
    let tail = &rest[digits..];
    let level = tail
        .strip_prefix("alpha")
        .or_else(|| tail.strip_prefix("beta"));
    match level {
        None => tail.is_empty(),
        Some(n) => !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'),
    }
}

/// An UpperCamelCase kind: an ASCII capital, then letters and digits, at most 63.
fn is_kind(s: &str) -> bool {
    s.len() <= MAX_LABEL
        && s.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Checks a namespace given outside an object (`-n`, a kubeconfig context, a KRM
/// functionConfig): the message says what is expected.
pub fn check_namespace(s: &str) -> Result<(), String> {
    if is_namespace(s) {
        Ok(())
    } else {
        Err(format!(
            "namespace `{}` is not a DNS-1123 label: use 1 to 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
            s.escape_debug()
        ))
    }
}

impl ObjectId {
    /// Validates the identity fields of an object.
    pub fn of(value: &Value) -> Result<ObjectId, IdError> {
        let api_version = text(value, "/apiVersion", "apiVersion")?;
        let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
        if !(group.is_empty() || is_subdomain(group)) || !is_version(version) {
            return Err(error(
                "apiVersion",
                format!(
                    "`apiVersion: {}` is not GROUP/VERSION: the group is a DNS-1123 subdomain and the version is like v1, v1beta1 or v2alpha1 (e.g. `v1`, `networking.k8s.io/v1`)",
                    api_version.escape_debug()
                ),
            ));
        }
        let kind = text(value, "/kind", "kind")?;
        if !is_kind(kind) {
            return Err(error(
                "kind",
                format!(
                    "`kind: {}` is not a Kubernetes kind: use an UpperCamelCase name of letters and digits (e.g. `ConfigMap`)",
                    kind.escape_debug()
                ),
            ));
        }
        let name = text(value, "/metadata/name", "metadata.name")?;
        if !(is_subdomain(name) || group == RBAC_GROUP && is_rbac_name(name)) {
            return Err(error(
                "metadata.name",
                format!(
                    "`metadata.name: {}` is not a DNS-1123 subdomain: use at most 253 lowercase letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit",
                    name.escape_debug()
                ),
            ));
        }
        let namespace = match value.pointer("/metadata/namespace") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => {
                check_namespace(s).map_err(|m| error("metadata.namespace", m))?;
                Some(s.clone())
            }
            Some(other) => {
                return Err(error(
                    "metadata.namespace",
                    format!("`metadata.namespace` must be a string, not `{other}`"),
                ));
            }
        };
        Ok(ObjectId {
            api: ApiKind {
                group: group.to_string(),
                version: version.to_string(),
                kind: kind.to_string(),
            },
            namespace,
            name: name.to_string(),
        })
    }

    /// Its `apiVersion` and `kind`.
    pub fn api(&self) -> &ApiKind {
        &self.api
    }

    /// The namespace; `None` for cluster-scoped objects.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether this is a core `v1` Secret, which `diff` never reads, sends or prints.
    pub fn is_secret(&self) -> bool {
        self.api.group.is_empty() && self.api.kind == "Secret"
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {}/{}", self.api.kind, ns, self.name),
            None => write!(f, "{} {}", self.api.kind, self.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn id(api: &str, kind: &str, ns: Value, name: &str) -> Result<ObjectId, IdError> {
        ObjectId::of(&json!({"apiVersion": api, "kind": kind,
            "metadata": {"name": name, "namespace": ns}}))
    }

    #[test]
    fn rbac_objects_take_colons_in_their_names_and_nothing_unsafe() {
        let rbac = "rbac.authorization.k8s.io/v1";
        for ok in [
            "system:aggregate-to-view",
            "system:auth-delegator",
            "a.b:c-d",
        ] {
            assert!(id(rbac, "ClusterRole", Value::Null, ok).is_ok(), "{ok}");
        }
        for bad in [
            ":x", ".", "..", "a/b", "a%2Fb", "A:b", "a b", ".hidden", "a?b", "",
        ] {
            assert!(id(rbac, "ClusterRole", Value::Null, bad).is_err(), "{bad}");
        }
        assert!(
            id("v1", "ConfigMap", json!("web"), "system:x").is_err(),
            "other groups keep DNS-1123 subdomains"
        );
    }

    #[test]
    fn valid_identities_are_accepted() {
        let ok = id("networking.k8s.io/v1", "Ingress", json!("web"), "a.b-c").expect("valid");
        assert_eq!(
            (ok.api().group(), ok.api().kind(), ok.namespace(), ok.name()),
            ("networking.k8s.io", "Ingress", Some("web"), "a.b-c")
        );
        assert_eq!(ok.api().api_version(), "networking.k8s.io/v1");
        for v in [
            "v1",
            "v2beta1",
            "v1alpha3",
            "apps/v1",
            "serving.knative.dev/v1",
        ] {
            assert!(id(v, "Service", Value::Null, "x").is_ok(), "{v}");
        }
        assert_eq!(
            id("v1", "Namespace", json!(""), "x")
                .expect("ok")
                .namespace(),
            None
        );
    }

    #[test]
    fn path_and_url_metacharacters_are_refused_at_their_field() {
        let cases = [
            (
                id("v1", "ConfigMap", json!(".."), "x"),
                "metadata.namespace",
            ),
            (
                id("v1", "ConfigMap", json!("/etc"), "x"),
                "metadata.namespace",
            ),
            (
                id("v1", "ConfigMap", json!("default/secrets?x="), "x"),
                "metadata.namespace",
            ),
            (id("v1", "ConfigMap", json!(7), "x"), "metadata.namespace"),
            (id("v1", "ConfigMap/../../x", Value::Null, "x"), "kind"),
            (id("v1", "configmap", Value::Null, "x"), "kind"),
            (id("v1", "ConfigMap", Value::Null, ".."), "metadata.name"),
            (
                id("v1", "ConfigMap", Value::Null, "x?fieldManager=evil#"),
                "metadata.name",
            ),
            (id("v1", "ConfigMap", Value::Null, "a/b"), "metadata.name"),
            (id("../v1", "ConfigMap", Value::Null, "x"), "apiVersion"),
            (id("v1?x", "ConfigMap", Value::Null, "x"), "apiVersion"),
            (id("v01", "ConfigMap", Value::Null, "x"), "apiVersion"),
            (id("a/b/v1", "ConfigMap", Value::Null, "x"), "apiVersion"),
        ];
        for (got, field) in cases {
            assert_eq!(got.expect_err("refused").field, field);
        }
        let long = "a".repeat(254);
        assert!(id("v1", "ConfigMap", Value::Null, &long).is_err());
        assert!(id("v1", "ConfigMap", json!("a".repeat(64)), "x").is_err());
        assert!(ObjectId::of(&json!({"apiVersion": "v1", "kind": "ConfigMap"})).is_err());
    }

    #[test]
    fn only_core_secrets_are_secrets() {
        assert!(
            id("v1", "Secret", Value::Null, "s")
                .expect("ok")
                .is_secret()
        );
        assert!(
            !id("x.io/v1", "Secret", Value::Null, "s")
                .expect("ok")
                .is_secret()
        );
    }
}
