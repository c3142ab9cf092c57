//! Probing a real endpoint: send a bounded number of requests, for a bounded time, and
//! record which backend answered each one, so the live data plane is judged by the same
//! observer and statistics as the simulation.
//!
//! Each request opens a new connection (no keep-alive pool), because an L4 balancer
//! decides per connection and would otherwise be measured once. Proxies from the
//! environment are ignored: only the endpoint the user named is ever contacted. The
//! backend is read from the identity header, else from the first line of the body, and
//! mapped through `--id-map` or matched against backend names. Plain HTTP only: the
//! data plane is what is measured, and TLS would add a dependency for nothing.

use super::observe::{Observations, Observer};
use super::pool::Pool;
use crate::spec::model::StickyMode;
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The endpoint and how hard to probe it.
#[derive(Debug, Clone)]
pub struct Target {
    /// `http://host[:port]/path`.
    pub url: String,
    /// Requests to send at most.
    pub requests: u64,
    /// Requests in flight at once.
    pub concurrency: u32,
    /// Stop sending after this long, whatever the count.
    pub max_time: Duration,
    /// Timeout of one request.
    pub request_timeout: Duration,
    /// Response header naming the backend.
    pub id_header: String,
    /// Identity as the endpoint reports it -> backend index.
    pub id_map: HashMap<String, usize>,
}

/// Why the endpoint could not be probed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// Not a URL this prober can use.
    #[error("--target `{url}`: {reason}")]
    BadUrl {
        /// As given.
        url: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// Not one request was answered.
    #[error("cannot reach {url}: {reason}")]
    Unreachable {
        /// As given.
        url: String,
        /// The first transport error.
        reason: String,
    },
}

/// One answered or failed request, by its number.
enum Outcome {
    Identity(String),
    Failed(String),
}

/// Probes `target` for `pool`; `progress(done)` is called after every request.
pub fn probe(
    pool: &Pool,
    target: &Target,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Observations, ProbeError> {
    if !target.url.starts_with("http://") {
        return Err(ProbeError::BadUrl {
            url: target.url.clone(),
            reason: "only plain http:// endpoints can be probed",
        });
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .proxy(None)
        .max_redirects(0)
        .http_status_as_error(false)
        .max_idle_connections(0)
        .max_idle_connections_per_host(0)
        .timeout_global(Some(target.request_timeout))
        .build()
        .into();
    let started = Instant::now();
    let deadline = started + target.max_time;
    let next = AtomicU64::new(0);
    let results: Mutex<Vec<(u64, u64, Outcome)>> = Mutex::new(Vec::new());
    let worker = || {
        loop {
            let ticket = next.fetch_add(1, Ordering::Relaxed);
            if ticket >= target.requests || Instant::now() >= deadline {
                return;
            }
            let outcome = request(&agent, target);
            let at = started.elapsed().as_millis() as u64;
            let mut r = results.lock().unwrap_or_else(|e| e.into_inner());
            r.push((ticket, at, outcome));
            progress(r.len() as u64);
        }
    };
    std::thread::scope(|s| {
        for _ in 0..target.concurrency.max(1) {
            s.spawn(worker);
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    // The observer reads a stream in time order; tickets finish out of order.
    results.sort_by_key(|(ticket, at, _)| (*at, *ticket));
    if results
        .iter()
        .all(|(_, _, o)| matches!(o, Outcome::Failed(_)))
    {
        let reason = results
            .iter()
            .find_map(|(_, _, o)| match o {
                Outcome::Failed(e) => Some(e.clone()),
                Outcome::Identity(_) => None,
            })
            .unwrap_or_else(|| "no request was sent before --max-time".into());
        return Err(ProbeError::Unreachable {
            url: target.url.clone(),
            reason,
        });
    }
    let weights = pool.weights();
    // The prober keeps no cookie jar, so a cookie-sticky peer sees a new client on every
    // request: only source-IP stickiness can be observed from here.
    let sticky = pool
        .stickiness
        .filter(|s| s.mode == StickyMode::SourceIp)
        .map(|s| s.timeout_seconds);
    let mut observer = Observer::new(pool.backends.len(), sticky);
    for (_, at, outcome) in results {
        match outcome {
            Outcome::Failed(_) => observer.failed(),
            Outcome::Identity(id) => match resolve(pool, target, &id) {
                Some(b) => observer.served(0, at, b, |i| weights[i] > 0),
                None => observer.unidentified(),
            },
        }
    }
    let mut observations = observer.finish();
    observations.concurrent = target.concurrency > 1;
    Ok(observations)
}

/// One GET on a fresh connection; the backend's identity or the error.
fn request(agent: &ureq::Agent, target: &Target) -> Outcome {
    let mut response = match agent.get(&target.url).call() {
        Ok(r) => r,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    if let Some(id) = response
        .headers()
        .get(target.id_header.as_str())
        .and_then(|v| v.to_str().ok())
    {
        return Outcome::Identity(id.trim().to_string());
    }
    match response
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_to_string()
    {
        Ok(body) => Outcome::Identity(body.lines().next().unwrap_or("").trim().to_string()),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

/// The backend an identity stands for: `--id-map` first, then a backend's own name.
fn resolve(pool: &Pool, target: &Target, id: &str) -> Option<usize> {
    target.id_map.get(id).copied().or_else(|| pool.index_of(id))
}
