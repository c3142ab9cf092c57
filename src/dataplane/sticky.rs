//! Session stickiness: a client keeps its backend while it keeps coming back within the
//! timeout.
//!
//! The timeout is an idle timeout, refreshed by every request, as LVS persistence and
//! the providers' persistence timeouts behave: a client that pauses longer than the timeout gets
//! a fresh decision from the scheduler. A session whose backend is down or drained is
//! dropped and the client re-picked, so stickiness never sends traffic to a dead
//! backend. Cookie stickiness is modelled the same way with the cookie as the key (the
//! simulator's clients each keep their cookie), and so is application-cookie stickiness
//! (`app-cookie`): the key is the application's cookie, which takes no timeout (its
//! lifetime is the application's), so its sessions last the whole run. No timeout means
//! sessions never expire.

use super::client_map::ClientMap;

/// What the table says about a client's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Session {
    /// Within the timeout: go to this backend.
    Hit(usize),
    /// Never seen, or forgotten.
    Miss,
    /// Seen, but idle for longer than the timeout.
    Expired,
    /// Its backend can no longer take traffic.
    Orphaned,
}

/// Client -> (backend, time of last request in ms).
#[derive(Debug, Clone, Default)]
pub struct StickyTable {
    timeout_ms: Option<u64>,
    sessions: ClientMap<(usize, u64)>,
}

impl StickyTable {
    /// A table whose sessions expire after `timeout_seconds` idle (never when `None`).
    pub fn new(timeout_seconds: Option<u64>) -> Self {
        StickyTable {
            timeout_ms: timeout_seconds.map(|s| s.saturating_mul(1000)),
            sessions: ClientMap::default(),
        }
    }

    /// Looks `client` up at time `now_ms`; `usable(b)` says whether backend `b` may
    /// still take traffic.
    pub fn lookup(&self, client: u64, now_ms: u64, usable: impl Fn(usize) -> bool) -> Session {
        match self.sessions.get(client) {
            None => Session::Miss,
            Some((b, _)) if !usable(b) => Session::Orphaned,
            Some((_, last))
                if self
                    .timeout_ms
                    .is_some_and(|t| now_ms.saturating_sub(last) > t) =>
            {
                Session::Expired
            }
            Some((b, _)) => Session::Hit(b),
        }
    }

    /// Records that `client` was served by `backend` at `now_ms` (opens or refreshes).
    pub fn record(&mut self, client: u64, backend: usize, now_ms: u64) {
        self.sessions.insert(client, (backend, now_ms));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_inside_the_timeout_and_expires_after_it() {
        let mut t = StickyTable::new(Some(60));
        assert_eq!(t.lookup(1, 0, |_| true), Session::Miss);
        t.record(1, 2, 0);
        assert_eq!(t.lookup(1, 60_000, |_| true), Session::Hit(2));
        t.record(1, 2, 60_000);
        // Refreshed: 119 s after the first request is 59 s idle.
        assert_eq!(t.lookup(1, 119_000, |_| true), Session::Hit(2));
        assert_eq!(t.lookup(1, 120_001, |_| true), Session::Expired);
    }

    #[test]
    fn a_dead_backend_orphans_its_sessions_and_no_timeout_never_expires() {
        let mut t = StickyTable::new(None);
        t.record(7, 1, 0);
        assert_eq!(t.lookup(7, u64::MAX / 2, |_| true), Session::Hit(1));
        assert_eq!(t.lookup(7, 5, |b| b != 1), Session::Orphaned);
    }
}
