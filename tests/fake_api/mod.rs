//! A loopback fake Kubernetes API server for the tests and the diff benchmark.
//!
//! axum on 127.0.0.1 with a random port, in its own thread and runtime. It serves the
//! discovery documents of a v1.31 API server (`tests/fixtures/fake-api/*.json`: the shape
//! of a real server's answers, trimmed to the core/v1 and networking.k8s.io/v1 resources
//! lbgen reads) and LIST/GET of the live objects it holds, with items written as the API
//! server writes them (no `kind`/`apiVersion` on list items). Real kubectl can read from
//! it. Every request is recorded, so tests can assert what a client asked for. Faults
//! (status codes, a slow answer) are chosen per server; `refused_url` and
//! `truncating_server` give the two faults axum cannot make.
#![allow(dead_code, unreachable_pub)]

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Response, StatusCode, Uri};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// HTTP method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// The query string (may be empty).
    pub query: String,
    /// The Authorization header, if any.
    pub authorization: Option<String>,
}

/// A fault to inject.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer every LIST/GET of `resource` (`"*"`: every resource) with this status code.
    Status { resource: &'static str, code: u16 },
    /// Wait this long before answering any LIST/GET.
    Delay(Duration),
}

struct Shared {
    objects: Vec<Value>,
    faults: Vec<Fault>,
    requests: Mutex<Vec<Recorded>>,
}

/// A running fake API server; stops when dropped.
pub struct FakeApi {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for FakeApi {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fake-api")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("fake-api fixture");
    serde_json::from_str(&text).expect("fake-api fixture is JSON")
}

/// (apiVersion prefix path, plural) -> (apiVersion, kind) of the resources served.
fn resource_kind(group_version: &str, plural: &str) -> Option<(&'static str, &'static str)> {
    match (group_version, plural) {
        ("v1", "services") => Some(("v1", "Service")),
        ("v1", "secrets") => Some(("v1", "Secret")),
        ("v1", "configmaps") => Some(("v1", "ConfigMap")),
        ("networking.k8s.io/v1", "ingresses") => Some(("networking.k8s.io/v1", "Ingress")),
        _ => None,
    }
}

fn status(code: u16, reason: &str, message: &str) -> Response<Body> {
    let body = json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "code": code,
    });
    json_response(
        StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        &body,
    )
}

fn json_response(code: StatusCode, body: &Value) -> Response<Body> {
    Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .expect("response")
}

impl FakeApi {
    /// Starts a server holding `objects` (each with apiVersion, kind, metadata).
    pub fn start(objects: Vec<Value>, faults: Vec<Fault>) -> FakeApi {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("nonblocking");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let shared = Arc::new(Shared {
            objects,
            faults,
            requests: Mutex::new(Vec::new()),
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let state = shared.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                let app = Router::new().fallback(handle).with_state(state);
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        FakeApi {
            url,
            shared,
            stop: Some(stop),
        }
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().expect("requests").clone()
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response<Body> {
    shared.requests.lock().expect("requests").push(Recorded {
        method: method.to_string(),
        path: uri.path().to_string(),
        query: uri.query().unwrap_or_default().to_string(),
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(String::from),
    });
    let dry_run = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .any(|p| p == "dryRun=All");
    // Writes are refused, except a server-side apply dry run (`--server-side`).
    if method != Method::GET && !(method == Method::PATCH && dry_run) {
        return status(405, "MethodNotAllowed", "the fake API server is read-only");
    }
    let path = uri.path().trim_end_matches('/');
    let discovery = match path {
        "/version" => Some("version.json"),
        "/api" => Some("api.json"),
        "/apis" => Some("apis.json"),
        "/api/v1" => Some("api-v1.json"),
        "/apis/networking.k8s.io/v1" => Some("networking-v1.json"),
        _ => None,
    };
    if let Some(name) = discovery {
        return json_response(StatusCode::OK, &fixture(name));
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // /api/v1/... or /apis/<group>/<version>/...
    let (group_version, rest) = match segments.as_slice() {
        ["api", v, rest @ ..] => (v.to_string(), rest),
        ["apis", g, v, rest @ ..] => (format!("{g}/{v}"), rest),
        _ => {
            return status(
                404,
                "NotFound",
                "the server could not find the requested resource",
            );
        }
    };
    let (namespace, plural, name) = match rest {
        ["namespaces", ns, plural] => (Some(*ns), *plural, None),
        ["namespaces", ns, plural, name] => (Some(*ns), *plural, Some(*name)),
        [plural] => (None, *plural, None),
        _ => {
            return status(
                404,
                "NotFound",
                "the server could not find the requested resource",
            );
        }
    };
    for fault in &shared.faults {
        match fault {
            Fault::Delay(d) => tokio::time::sleep(*d).await,
            Fault::Status { resource, code } if *resource == "*" || *resource == plural => {
                let (reason, message) = match code {
                    401 => ("Unauthorized", "Unauthorized".to_string()),
                    403 => (
                        "Forbidden",
                        format!(
                            "{plural} is forbidden: User \"system:anonymous\" cannot list resource \"{plural}\" in API group \"\" at the cluster scope"
                        ),
                    ),
                    404 => (
                        "NotFound",
                        "the server could not find the requested resource".to_string(),
                    ),
                    _ => (
                        "InternalError",
                        "Internal error occurred: etcdserver: request timed out".to_string(),
                    ),
                };
                return status(*code, reason, &message);
            }
            Fault::Status { .. } => {}
        }
    }
    let Some((api_version, kind)) = resource_kind(&group_version, plural) else {
        return status(
            404,
            "NotFound",
            "the server could not find the requested resource",
        );
    };
    let matching = shared.objects.iter().filter(|o| {
        o["apiVersion"] == api_version
            && o["kind"] == kind
            && namespace.is_none_or(|ns| o["metadata"]["namespace"] == ns)
    });
    if method == Method::PATCH {
        let Some(name) = name else {
            return status(405, "MethodNotAllowed", "PATCH needs an object name");
        };
        let Ok(patch) = serde_json::from_slice::<Value>(&body) else {
            return status(400, "BadRequest", "the apply patch is not JSON");
        };
        let mut stored = match matching.clone().find(|o| o["metadata"]["name"] == name) {
            Some(o) => o.clone(),
            None => created(&patch),
        };
        merge(&mut stored, &patch);
        return json_response(StatusCode::OK, &stored);
    }
    if let Some(name) = name {
        return match matching.clone().find(|o| o["metadata"]["name"] == name) {
            Some(o) => json_response(StatusCode::OK, o),
            None => status(404, "NotFound", &format!("{plural} \"{name}\" not found")),
        };
    }
    // The API server leaves kind and apiVersion off list items.
    let items: Vec<Value> = matching
        .map(|o| {
            let mut item = o.clone();
            if let Some(map) = item.as_object_mut() {
                map.remove("kind");
                map.remove("apiVersion");
            }
            item
        })
        .collect();
    json_response(
        StatusCode::OK,
        &json!({
            "kind": format!("{kind}List"),
            "apiVersion": api_version,
            "metadata": {"resourceVersion": "48213"},
            "items": items,
        }),
    )
}

/// What the API server adds to an object it creates (the fields a dry-run create returns).
fn created(patch: &Value) -> Value {
    let mut object = patch.clone();
    object["metadata"]["uid"] = json!("3d0f5d9e-1a7b-4c2e-8f90-aa11bb22cc33");
    object["metadata"]["creationTimestamp"] = json!("2026-11-23T12:00:00Z");
    if object["kind"] == "Service" {
        object["spec"]["clusterIP"] = json!("10.247.99.1");
        object["spec"]["sessionAffinity"] = json!("None");
    }
    object
}

/// Server-side apply, roughly: maps merge key by key, lists element by element (as the
/// keyed lists of ports and rules merge when their order holds), scalars are replaced.
fn merge(into: &mut Value, patch: &Value) {
    match (into, patch) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            a.truncate(b.len());
            for (i, v) in b.iter().enumerate() {
                match a.get_mut(i) {
                    Some(slot) => merge(slot, v),
                    None => a.push(v.clone()),
                }
            }
        }
        (slot, v) => *slot = v.clone(),
    }
}

/// A URL on 127.0.0.1 where nothing listens (connection refused).
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}")
}

/// A raw server that promises a long JSON body and closes the connection part-way, for
/// at most `connections` connections; returns its URL.
pub fn truncating_server(connections: usize) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let body = br#"{"kind":"ServiceList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[{"metadata":{"name":"sh"#;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len() + 4096
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body);
            let _ = stream.flush();
        }
    });
    url
}
