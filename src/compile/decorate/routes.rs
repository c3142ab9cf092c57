//! An Ingress's rules as the routes of the spec that decorates it: each path (host, path,
//! pathType, its one Service backend) is a route; a route the spec gives must be one of
//! them, agree on the match mode and backend, and adds only what lbgen knows (TLS
//! certificate, listener port, regex match). lbgen never rewrites the rules, so a route
//! cannot split traffic (no weights, no server groups), and a field the provider writes
//! into a path must already be on the object's path.

use super::Target;
use super::complete::{Sides, port_ref, port_text};
use crate::diag::{Diagnostic, Location};
use crate::spec::model::{Backend, LoadBalancerDoc, PathMatch, Route};
use crate::spec::values::{DnsLabel, PortRef};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One path of the object's rules.
struct ObjectPath {
    host: Option<String>,
    path: String,
    path_match: PathMatch,
    /// The pathType is ImplementationSpecific: any match mode of the spec agrees.
    any_match: bool,
    backend: Option<(String, Option<PortRef>)>,
    field: String,
}

pub(super) fn complete_ingress(lb: &mut LoadBalancerDoc, object: &Value, sides: &mut Sides) {
    let paths = object_paths(object);
    if paths.is_empty() {
        sides.unusable(
            "spec.rules",
            "holds no path (lbgen decorates an Ingress's rules: host, path, backend)",
        );
        return;
    }
    let index: HashMap<(Option<&str>, &str), usize> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.host.as_deref(), p.path.as_str()), i))
        .collect();
    let mut given: HashMap<usize, Route> = HashMap::new();
    for (i, route) in lb.spec.routes.iter().enumerate() {
        let field = format!("spec.routes[{i}]");
        let path = route.path.as_deref().unwrap_or("/");
        let Some(&j) = index.get(&(route.host.as_deref(), path)) else {
            sides.contradiction(
                &field,
                "spec.rules",
                format!(
                    "route {} {path} is not a path of the Ingress's rules",
                    route.host.as_deref().unwrap_or("(any host)")
                ),
            );
            continue;
        };
        let theirs = &paths[j];
        let mut merged = route.clone();
        if sides.written(&format!("{field}.match")) {
            if !theirs.any_match && route.path_match != theirs.path_match {
                sides.contradiction(
                    &format!("{field}.match"),
                    &format!("{}.pathType", theirs.field),
                    format!("route {path} matches by {}", route.path_match.as_str()),
                );
            }
        } else {
            merged.path_match = theirs.path_match;
        }
        let backend = theirs.backend.as_ref();
        let agrees = match (route.backends.as_slice(), backend) {
            ([], _) => true,
            ([b], Some((service, port))) => {
                b.server_group.is_none()
                    && b.weight.is_none()
                    && b.service.as_ref().is_some_and(|s| &s.0 == service)
                    && (b.port.is_none() || b.port.as_ref() == port.as_ref())
            }
            _ => false,
        };
        if !agrees {
            sides.contradiction(
                &format!("{field}.backends"),
                &format!("{}.backend", theirs.field),
                format!(
                    "route {path} sends traffic to {} (a decorated route keeps the Ingress's one backend, so no weights or server groups)",
                    route.backends.iter().map(describe_backend).collect::<Vec<_>>().join(", ")
                ),
            );
        }
        merged.backends = object_backend(theirs);
        given.insert(j, merged);
    }
    lb.spec.routes = paths
        .iter()
        .enumerate()
        .map(|(j, p)| {
            given.remove(&j).unwrap_or_else(|| Route {
                host: p.host.clone(),
                path: Some(p.path.clone()),
                path_match: p.path_match,
                port: None,
                tls: None,
                action: None,
                when: None,
                backends: object_backend(p),
            })
        })
        .collect();
}

fn object_backend(path: &ObjectPath) -> Vec<Backend> {
    path.backend
        .iter()
        .map(|(service, port)| Backend {
            service: Some(DnsLabel(service.clone())),
            server_group: None,
            port: port.clone(),
            weight: None,
        })
        .collect()
}

fn describe_backend(b: &Backend) -> String {
    let target = b
        .service
        .as_ref()
        .map(|s| format!("Service {}", s.0))
        .or_else(|| b.server_group.as_ref().map(|g| format!("server group {g}")))
        .unwrap_or_else(|| "nothing".into());
    match (&b.port, b.weight) {
        (Some(p), Some(w)) => format!("{target}:{} weight {}", port_text(p), w.0),
        (Some(p), None) => format!("{target}:{}", port_text(p)),
        (None, Some(w)) => format!("{target} weight {}", w.0),
        (None, None) => target,
    }
}

/// Every path of every rule (networking.k8s.io/v1 `service.name`/`service.port`, or the
/// v1beta1 `serviceName`/`servicePort`).
fn object_paths(object: &Value) -> Vec<ObjectPath> {
    let rules = object
        .pointer("/spec/rules")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut out = Vec::new();
    for (ri, rule) in rules.iter().enumerate() {
        let host = rule.get("host").and_then(Value::as_str).map(str::to_string);
        let paths = rule
            .pointer("/http/paths")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (pi, p) in paths.iter().enumerate() {
            let (path_match, any_match) = match p.get("pathType").and_then(Value::as_str) {
                Some("Exact") => (PathMatch::Exact, false),
                Some("Prefix") => (PathMatch::Prefix, false),
                _ => (PathMatch::Prefix, true),
            };
            let backend = p.get("backend").and_then(|b| {
                let v1 = b.get("service");
                let name = v1
                    .and_then(|s| s.get("name"))
                    .or_else(|| b.get("serviceName"))
                    .and_then(Value::as_str)?;
                let port = v1
                    .and_then(|s| s.get("port"))
                    .and_then(|p| p.get("number").or_else(|| p.get("name")))
                    .or_else(|| b.get("servicePort"));
                Some((name.to_string(), port_ref(port)))
            });
            out.push(ObjectPath {
                host: host.clone(),
                path: p
                    .get("path")
                    .and_then(Value::as_str)
                    .unwrap_or("/")
                    .to_string(),
                path_match,
                any_match,
                backend,
                field: format!("spec.rules[{ri}].http.paths[{pi}]"),
            });
        }
    }
    out
}

/// One path of an Ingress's rules: host, path, its field path, its fields.
struct IngressPath<'a> {
    host: Option<&'a str>,
    path: &'a str,
    at: String,
    fields: &'a Map<String, Value>,
}

/// The paths of an Ingress's rules.
fn paths(ingress: &Value) -> Vec<IngressPath<'_>> {
    let mut out = Vec::new();
    let rules = ingress.pointer("/spec/rules").and_then(Value::as_array);
    for (ri, rule) in rules.into_iter().flatten().enumerate() {
        let host = rule
            .get("host")
            .and_then(Value::as_str)
            .filter(|h| !h.is_empty());
        let list = rule.pointer("/http/paths").and_then(Value::as_array);
        for (pi, p) in list.into_iter().flatten().enumerate() {
            if let Some(map) = p.as_object() {
                let path = map.get("path").and_then(Value::as_str).unwrap_or("/");
                out.push(IngressPath {
                    host,
                    path,
                    at: format!("spec.rules[{ri}].http.paths[{pi}]"),
                    fields: map,
                });
            }
        }
    }
    out
}

/// A provider may write more than path, pathType and backend into an Ingress path (a
/// match mode some controllers read there). A decoration never rewrites the rules, so such
/// a field the object's path lacks would be silently lost: it is an error that says what
/// to add to the generator's path.
pub(super) fn unowned_path_fields(
    object: &Value,
    rendered: &Value,
    target: &Target,
    spec: &Location,
    errors: &mut Vec<Diagnostic>,
) {
    let theirs = paths(object);
    for mine in paths(rendered) {
        let path = mine.path;
        let Some(object_path) = theirs
            .iter()
            .find(|t| t.host == mine.host && t.path == path)
        else {
            continue;
        };
        let (at, existing) = (&object_path.at, object_path.fields);
        for (key, value) in mine.fields {
            if matches!(key.as_str(), "path" | "pathType" | "backend")
                || existing.get(key) == Some(value)
            {
                continue;
            }
            let here = target.document.locate(at);
            errors.push(Diagnostic {
                field: Some("spec.routes".into()),
                ..Diagnostic::error(
                    "decorate/rules",
                    format!(
                        "the provider needs `{key}: {value}` in the path {path} of {} ({}:{}:{}, `{at}`), but a decoration never rewrites an Ingress's rules; add it to the path where the Ingress is generated",
                        target.describe(),
                        here.file,
                        here.line,
                        here.column
                    ),
                    Some(spec.clone()),
                )
            });
        }
    }
}
