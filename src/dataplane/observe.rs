//! Turning a stream of served requests into the facts promises are judged on.
//!
//! The simulator and the live prober both feed (client, time, backend) here, so the same
//! bookkeeping, and so the same statistics, judge the reference and the real endpoint.
//! Nothing here trusts the scheduler's internals: whether a request should have stuck is
//! worked out from the observed stream and the spec's timeout alone.

use super::client_map::ClientMap;
use serde::Serialize;

/// A stretch of traffic during which the set of healthy backends did not change.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Phase {
    /// 1-based number of the phase's first request.
    pub first_request: u64,
    /// Backends down during this phase.
    pub down: Vec<bool>,
    /// Requests served per backend.
    pub requests: Vec<u64>,
    /// Fresh scheduler decisions per backend (requests not inside a live session).
    pub decisions: Vec<u64>,
    /// Clients per backend, each counted at its first request of the phase.
    pub clients: Vec<u64>,
    /// Sum over arrivals of each backend's active connections (simulation only).
    pub active_sum: Vec<u64>,
}

/// What stickiness looked like.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StickyFacts {
    /// Requests that came within the timeout of the client's last one, to a backend that
    /// was still usable: they must go to that backend.
    pub inside: u64,
    /// Of those, the ones that went elsewhere.
    pub broken: u64,
    /// Requests after the client was idle longer than the timeout.
    pub expired: u64,
    /// Of those, the ones that landed on a different backend than before.
    pub moved_after_expiry: u64,
    /// Requests whose previous backend had gone down or drained (re-picked).
    pub orphaned: u64,
}

/// Everything observed in one run.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Observations {
    /// At least one phase.
    pub phases: Vec<Phase>,
    /// Present when the spec asks for stickiness.
    pub sticky: Option<StickyFacts>,
    /// Without stickiness: requests of a client that went to a different backend than
    /// its previous request in the same phase (source-ip promises none).
    pub client_switches: u64,
    /// Responses no backend could be matched to (live only).
    pub unidentified: u64,
    /// Requests that got no response (live only).
    pub failed: u64,
    /// Active-connection samples taken (simulation only).
    pub active_samples: u64,
    /// Requests overlapped in time (a live probe with concurrency above 1).
    pub concurrent: bool,
}

/// Builds `Observations` one request at a time.
#[derive(Debug)]
pub struct Observer {
    n: usize,
    timeout_ms: Option<u64>,
    /// Client -> (backend, time, phase number) of its last served request.
    last: ClientMap<(usize, u64, usize)>,
    out: Observations,
    requests: u64,
}

impl Observer {
    /// An observer of `backends` backends; `sticky` with its idle timeout when the spec
    /// asks for stickiness (`Some(None)` = sessions never expire).
    pub fn new(backends: usize, sticky: Option<Option<u64>>) -> Self {
        let phase = Phase {
            first_request: 1,
            down: vec![false; backends],
            requests: vec![0; backends],
            decisions: vec![0; backends],
            clients: vec![0; backends],
            active_sum: vec![0; backends],
        };
        Observer {
            n: backends,
            timeout_ms: sticky.flatten().map(|s| s.saturating_mul(1000)),
            last: ClientMap::default(),
            out: Observations {
                phases: vec![phase],
                sticky: sticky.map(|_| StickyFacts::default()),
                client_switches: 0,
                unidentified: 0,
                failed: 0,
                active_samples: 0,
                concurrent: false,
            },
            requests: 0,
        }
    }

    /// From the next request on, `down` backends are down.
    pub fn health_changed(&mut self, down: Vec<bool>) {
        let n = self.n;
        self.out.phases.push(Phase {
            first_request: self.requests + 1,
            down,
            requests: vec![0; n],
            decisions: vec![0; n],
            clients: vec![0; n],
            active_sum: vec![0; n],
        });
    }

    fn phase(&mut self) -> &mut Phase {
        let last = self.out.phases.len() - 1;
        &mut self.out.phases[last]
    }

    /// Each backend's active connections just before a request arrives.
    pub fn sample_active(&mut self, active: &[u64]) {
        self.out.active_samples += 1;
        for (sum, a) in self.phase().active_sum.iter_mut().zip(active) {
            *sum += a;
        }
    }

    /// `client` was served by `backend` at `now_ms`; `usable(b)` says whether `b` may
    /// take new traffic now (up and weight above 0).
    pub fn served(
        &mut self,
        client: u64,
        now_ms: u64,
        backend: usize,
        usable: impl Fn(usize) -> bool,
    ) {
        self.requests += 1;
        let phase_no = self.out.phases.len();
        let previous = self.last.insert(client, (backend, now_ms, phase_no));
        let mut fresh = true;
        if let Some(facts) = self.out.sticky.as_mut() {
            if let Some((prev, at, _)) = previous {
                if !usable(prev) {
                    facts.orphaned += 1;
                } else if self
                    .timeout_ms
                    .is_some_and(|t| now_ms.saturating_sub(at) > t)
                {
                    facts.expired += 1;
                    facts.moved_after_expiry += u64::from(prev != backend);
                } else {
                    facts.inside += 1;
                    facts.broken += u64::from(prev != backend);
                    fresh = false;
                }
            }
        } else if let Some((prev, _, p)) = previous {
            self.out.client_switches += u64::from(p == phase_no && prev != backend);
        }
        let first_in_phase = previous.is_none_or(|(_, _, p)| p != phase_no);
        let phase = self.phase();
        phase.requests[backend] += 1;
        phase.decisions[backend] += u64::from(fresh);
        phase.clients[backend] += u64::from(first_in_phase);
    }

    /// A response that names no known backend.
    pub fn unidentified(&mut self) {
        self.requests += 1;
        self.out.unidentified += 1;
    }

    /// A request that got no response.
    pub fn failed(&mut self) {
        self.requests += 1;
        self.out.failed += 1;
    }

    /// The facts gathered.
    pub fn finish(self) -> Observations {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stickiness_is_judged_from_the_stream_alone() {
        let mut o = Observer::new(2, Some(Some(10)));
        o.served(1, 0, 0, |_| true);
        o.served(1, 5_000, 0, |_| true); // inside, kept
        o.served(1, 9_000, 1, |_| true); // inside, broken
        o.served(1, 30_000, 0, |_| true); // expired, moved
        o.served(1, 31_000, 1, |b| b != 0); // orphaned
        let f = o.finish().sticky.expect("sticky facts");
        assert_eq!((f.inside, f.broken), (2, 1));
        assert_eq!((f.expired, f.moved_after_expiry, f.orphaned), (1, 1, 1));
    }

    #[test]
    fn phases_count_clients_once_and_decisions_only_when_fresh() {
        let mut o = Observer::new(2, Some(None));
        o.served(1, 0, 0, |_| true);
        o.served(1, 1, 0, |_| true);
        o.health_changed(vec![true, false]);
        o.served(1, 2, 1, |b| b == 1);
        let obs = o.finish();
        assert_eq!(obs.phases[0].requests, [2, 0]);
        assert_eq!(obs.phases[0].decisions, [1, 0]);
        assert_eq!(obs.phases[0].clients, [1, 0]);
        assert_eq!(obs.phases[1].first_request, 3);
        assert_eq!(obs.phases[1].clients, [0, 1]);
    }
}
