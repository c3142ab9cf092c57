//! Simulated traffic through the reference scheduler.
//!
//! `clients` clients each send requests with exponentially distributed pauses; with a
//! stickiness timeout the mean pause equals the timeout, so about 63% of returns fall
//! inside it and 37% after it and both halves of the stickiness promise are exercised
//! (without a timeout the mean pause is 1 s). Each request holds its connection for an
//! exponential time chosen so that about 20 connections per backend are open at once:
//! long-lived enough for least connections to have something to balance. A failure
//! (`--fail BACKEND@T`) takes the backend down just before request T. Everything is
//! driven by one seeded generator, so a seed reproduces a run exactly.

use super::observe::{Observations, Observer};
use super::pool::Pool;
use super::rng::Rng;
use super::scheduler::Scheduler;
use super::source_hash::client_address;
use super::sticky::{Session, StickyTable};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A backend that fails mid-run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    /// Backend index in the pool.
    pub backend: usize,
    /// 1-based request number before which it goes down.
    pub at_request: u64,
}

/// The traffic to simulate.
#[derive(Debug, Clone)]
pub struct Traffic {
    /// Requests to send.
    pub requests: u64,
    /// Distinct clients (source addresses 10.0.0.1 and up).
    pub clients: u32,
    /// Seed of the run.
    pub seed: u64,
    /// Backends that fail, and when.
    pub failures: Vec<Failure>,
}

/// Runs `traffic` through a fresh scheduler for `pool` and observes what it does.
pub fn run(pool: &Pool, traffic: &Traffic) -> Observations {
    let n = pool.backends.len();
    let clients = traffic.clients.max(1);
    let mut scheduler = Scheduler::new(pool);
    let sticky = pool.stickiness.map(|s| s.timeout_seconds);
    let mut observer = Observer::new(n, sticky);
    let mut sessions = StickyTable::new(sticky.flatten());
    let mut rng = Rng::new(traffic.seed);

    let mean_pause_ms = sticky.flatten().map_or(1000.0, |t| t as f64 * 1000.0);
    let concurrency = (20 * n).clamp(20, 20_000) as f64;
    let mean_hold_ms = concurrency * mean_pause_ms / f64::from(clients);

    let mut arrivals: BinaryHeap<Reverse<(u64, u32)>> = (0..clients)
        .map(|c| Reverse((rng.exponential(mean_pause_ms) as u64, c)))
        .collect();
    let mut departures: BinaryHeap<Reverse<(u64, usize, u32)>> = BinaryHeap::new();
    let mut generation = vec![0u32; n];
    let mut active = vec![0u64; n];
    let mut failures = traffic.failures.clone();
    failures.sort_by_key(|f| f.at_request);
    let mut failures = failures.into_iter().peekable();

    for request in 1..=traffic.requests {
        let mut changed = false;
        while let Some(f) = failures.next_if(|f| f.at_request <= request) {
            scheduler.fail(f.backend);
            active[f.backend] = 0;
            generation[f.backend] += 1;
            changed = true;
        }
        if changed {
            observer.health_changed(scheduler.down());
        }
        // The next arrival stays at the heap's top until its client's next arrival
        // replaces it below (one sift instead of a pop and a push).
        let Some(mut next) = arrivals.peek_mut() else {
            break;
        };
        let Reverse((now, client)) = *next;
        while let Some(&Reverse((end, b, g))) = departures.peek() {
            if end > now {
                break;
            }
            departures.pop();
            if g == generation[b] {
                active[b] -= 1;
                scheduler.release(b);
            }
        }
        observer.sample_active(&active);
        let key = u64::from(client);
        let usable = |b: usize| scheduler.usable(b);
        let chosen = match sessions.lookup(key, now, usable) {
            Session::Hit(b) => {
                scheduler.connect(b);
                Some(b)
            }
            _ => scheduler.pick(client_address(client)),
        };
        if let Some(b) = chosen {
            if sticky.is_some() {
                sessions.record(key, b, now);
            }
            observer.served(key, now, b, |i| scheduler.usable(i));
            active[b] += 1;
            let hold = rng.exponential(mean_hold_ms) as u64;
            departures.push(Reverse((now + hold, b, generation[b])));
        } else {
            observer.failed();
        }
        let pause = rng.exponential(mean_pause_ms) as u64;
        *next = Reverse((now + pause.max(1), client));
    }
    observer.finish()
}
