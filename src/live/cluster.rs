//! The cluster source: kubeconfig loading as kubectl does it, and one LIST per scope
//! (URLs from `url`, built of validated, percent-encoded parts).
//!
//! kube retries 429/503 for minutes by default and has no read timeout: both would turn
//! an unreachable cluster into a hang instead of exit 3, so retries are off and every
//! request runs under a connect timeout, a read timeout and an overall deadline.

use super::{LiveError, Scope, describe, url};
use crate::emit::Object;
use kube::api::{ApiResource, DynamicObject, GroupVersionKind, ObjectList};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use std::path::PathBuf;
use std::time::Duration;

/// How to find and talk to the cluster (kubectl's flags).
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    /// `--kubeconfig`: this file instead of `KUBECONFIG` / `~/.kube/config`.
    pub kubeconfig: Option<PathBuf>,
    /// `--context`: this context instead of the current one.
    pub context: Option<String>,
    /// `--server`: this API server URL instead of the context's cluster.
    pub server: Option<String>,
    /// `--request-timeout`: the longest one request may take, connecting included.
    pub request_timeout: Duration,
}

/// A connected, read-only view of one cluster.
pub struct Cluster {
    client: Client,
    runtime: tokio::runtime::Runtime,
    server: String,
    default_namespace: String,
    request_timeout: Duration,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

/// Loads the kubeconfig the way kubectl does: `--kubeconfig`, else `KUBECONFIG` (a list of
/// files, merged), else `~/.kube/config`. `None` when there is none and `--server` is given.
fn load_kubeconfig(options: &ClusterOptions) -> Result<Option<Kubeconfig>, LiveError> {
    let err = |e: kube::config::KubeconfigError| LiveError::Kubeconfig(e.to_string());
    if let Some(path) = &options.kubeconfig {
        return Kubeconfig::read_from(path)
            .map(Some)
            .map_err(|e| LiveError::Kubeconfig(format!("{}: {e}", path.display())));
    }
    if let Some(config) = Kubeconfig::from_env().map_err(err)? {
        return Ok(Some(config));
    }
    match Kubeconfig::read() {
        Ok(config) => Ok(Some(config)),
        Err(_) if options.server.is_some() => Ok(None),
        Err(e) => Err(LiveError::Kubeconfig(format!(
            "{e}; give --kubeconfig, set KUBECONFIG, or give --server"
        ))),
    }
}

impl Cluster {
    /// Builds a client from the kubeconfig and flags; makes no request yet.
    pub fn connect(options: &ClusterOptions) -> Result<Self, LiveError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| LiveError::Kubeconfig(format!("cannot start the I/O runtime: {e}")))?;
        let kubeconfig = load_kubeconfig(options)?;
        let kube_options = KubeConfigOptions {
            context: options.context.clone(),
            ..KubeConfigOptions::default()
        };
        let mut config = match kubeconfig {
            Some(kc) => runtime
                .block_on(Config::from_custom_kubeconfig(kc, &kube_options))
                .map_err(|e| LiveError::Kubeconfig(e.to_string()))?,
            None => Config::new(http_uri(options.server.as_deref().unwrap_or_default())?),
        };
        if let Some(server) = &options.server {
            config.cluster_url = http_uri(server)?;
        }
        let timeout = options.request_timeout;
        config.default_retry = false;
        config.connect_timeout = Some(timeout.min(Duration::from_secs(10)));
        config.read_timeout = Some(timeout);
        config.write_timeout = Some(timeout);
        let server = config
            .cluster_url
            .to_string()
            .trim_end_matches('/')
            .to_string();
        let default_namespace = config.default_namespace.clone();
        // Building the client spawns its request buffer: it needs the runtime entered.
        let client = {
            let _entered = runtime.enter();
            Client::try_from(config).map_err(|e| LiveError::Client {
                server: server.clone(),
                reason: e.to_string(),
            })?
        };
        Ok(Self {
            client,
            runtime,
            server,
            default_namespace,
            request_timeout: timeout,
        })
    }

    /// The namespace of the kubeconfig context (kubectl's default for `-n`).
    pub fn default_namespace(&self) -> &str {
        &self.default_namespace
    }

    /// Lists every scope, one LIST each (following `continue` tokens, bounded, if the
    /// server pages), and returns the objects with `apiVersion` and `kind` set. The first
    /// failure stops the read: a partial view of the cluster would give a wrong diff.
    pub fn list(&self, scopes: &[Scope]) -> Result<Vec<Object>, LiveError> {
        let mut objects = Vec::new();
        for scope in scopes {
            objects.extend(self.list_one(scope)?);
        }
        Ok(objects)
    }

    /// The plural of a scope's kind, as kube derives it (for the URL and for messages).
    fn plural(scope: &Scope) -> String {
        ApiResource::from_gvk(&GroupVersionKind::gvk(
            scope.api().group(),
            scope.api().version(),
            scope.api().kind(),
        ))
        .plural
    }

    /// Runs one request under the overall deadline. Connect and read timeouts bound each
    /// socket wait; this bounds the whole exchange (a server trickling bytes forever).
    fn run<T>(
        &self,
        request: impl std::future::Future<Output = Result<T, kube::Error>>,
    ) -> Result<T, String> {
        let deadline = self.request_timeout + Duration::from_secs(1);
        self.runtime
            .block_on(async { tokio::time::timeout(deadline, request).await })
            .map_err(|_| format!("no complete answer within {}s", deadline.as_secs()))?
            .map_err(|e| reason(&e))
    }

    fn list_one(&self, scope: &Scope) -> Result<Vec<Object>, LiveError> {
        let plural = Self::plural(scope);
        let fail = |reason: String| LiveError::List {
            what: describe(scope, &plural),
            server: self.server.clone(),
            reason,
        };
        let mut objects = Vec::new();
        let mut pager = url::Pager::default();
        let mut token: Option<String> = None;
        loop {
            let request = http::Request::get(url::list(scope, &plural, token.as_deref()))
                .body(Vec::new())
                .map_err(|e| fail(format!("cannot build the request: {e}")))?;
            let page: ObjectList<DynamicObject> =
                self.run(self.client.request(request)).map_err(fail)?;
            let count = page.items.len();
            for item in page.items {
                objects.push(typed(item, scope).map_err(fail)?);
            }
            match pager.next(count, page.metadata.continue_).map_err(fail)? {
                Some(next) => token = Some(next),
                None => break,
            }
        }
        Ok(objects)
    }

    /// What the API server would store for each object: a server-side apply with
    /// `dryRun=All` (never persisted), field manager `kubectl-lbgen`, taking over fields
    /// other managers own (`force`), one PATCH per object. Secrets are never sent: they
    /// come back as they are, in place.
    pub fn dry_run_apply(&self, objects: &[Object]) -> Result<Vec<Object>, LiveError> {
        let mut stored = Vec::new();
        for object in objects {
            let id = object.id().map_err(|e| LiveError::DryRun {
                what: object.describe(),
                server: self.server.clone(),
                reason: e.to_string(),
            })?;
            let Some(scope) = Scope::of(&id) else {
                stored.push(object.clone());
                continue;
            };
            let plural = Self::plural(&scope);
            let fail = |reason: String| LiveError::DryRun {
                what: format!("{plural} {}", id.name()),
                server: self.server.clone(),
                reason,
            };
            let body = serde_json::to_vec(&object.0)
                .map_err(|e| fail(format!("cannot encode the object: {e}")))?;
            let request = http::Request::patch(url::dry_run_apply(&scope, &plural, &id))
                .header(http::header::CONTENT_TYPE, "application/apply-patch+yaml")
                .body(body)
                .map_err(|e| fail(format!("cannot build the request: {e}")))?;
            let result: DynamicObject = self.run(self.client.request(request)).map_err(fail)?;
            stored.push(typed(result, &scope).map_err(fail)?);
        }
        Ok(stored)
    }
}

/// A dynamic object as JSON with `apiVersion` and `kind` set (list items come without).
fn typed(item: DynamicObject, scope: &Scope) -> Result<Object, String> {
    let mut value =
        serde_json::to_value(&item).map_err(|e| format!("cannot re-encode an item: {e}"))?;
    if let Some(map) = value.as_object_mut() {
        map.insert("apiVersion".into(), scope.api().api_version().into());
        map.insert("kind".into(), scope.api().kind().into());
    }
    Ok(Object(value))
}

/// Parses a server URL, as an error value rather than a panic.
fn http_uri(server: &str) -> Result<http::Uri, LiveError> {
    server.parse().map_err(|e| LiveError::Client {
        server: server.to_string(),
        reason: format!("not a URL: {e}"),
    })
}

/// One line that says what went wrong with a request, in the user's terms rather than
/// the client library's.
fn reason(error: &kube::Error) -> String {
    if let kube::Error::Api(status) = error {
        let message = first_line(&status.message);
        return match status.code {
            401 => format!("unauthorized (401): the credentials were rejected: {message}"),
            403 => format!("forbidden (403): no permission to list: {message}"),
            404 => format!("not found (404): the server does not serve this kind: {message}"),
            code => format!("the server answered {code}: {message}"),
        };
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    let mut innermost = error.to_string();
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => return "connection refused".into(),
                std::io::ErrorKind::TimedOut => return "timed out waiting for the server".into(),
                std::io::ErrorKind::UnexpectedEof => {
                    return "the connection closed before the whole answer arrived".into();
                }
                _ => {}
            }
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>()
            && (h.is_incomplete_message() || h.is_body_write_aborted())
        {
            return "the connection closed before the whole answer arrived".into();
        }
        innermost = e.to_string();
        source = e.source();
    }
    if matches!(error, kube::Error::SerdeError(_)) {
        return format!("the answer is not a valid list (cut short?): {innermost}");
    }
    first_line(&innermost)
}

/// The first line of a message, at most 200 characters, so errors stay one line.
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    let mut out: String = line.chars().take(200).collect();
    if line.chars().count() > 200 {
        out.push('…');
    }
    out
}
