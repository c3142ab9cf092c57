//! One scheduler for a pool: the spec's algorithm plus backend health. Health is kept
//! here, outside the algorithms, so every algorithm treats a failed backend the same way:
//! it gets no new traffic and its connections are gone.

use super::pool::Pool;
use super::source_hash::{SourceHash, client_address};
use super::wlc::LeastConnections;
use super::wrr::SmoothWrr;
use crate::spec::model::Algorithm;
use std::net::IpAddr;

#[derive(Debug, Clone)]
enum Kind {
    RoundRobin(SmoothWrr),
    LeastConnections(LeastConnections),
    SourceIp(SourceHash),
}

/// The algorithm's state and which backends are up.
#[derive(Debug, Clone)]
pub struct Scheduler {
    kind: Kind,
    weights: Vec<u32>,
    up: Vec<bool>,
}

impl Scheduler {
    /// A fresh scheduler for `pool`, every backend up.
    pub fn new(pool: &Pool) -> Self {
        let weights = pool.weights();
        let kind = match pool.algorithm {
            Algorithm::RoundRobin => Kind::RoundRobin(SmoothWrr::new(&weights)),
            Algorithm::LeastConnections => Kind::LeastConnections(LeastConnections::new(&weights)),
            Algorithm::SourceIp => Kind::SourceIp(SourceHash::new(&pool.names(), &weights)),
        };
        Scheduler {
            up: vec![true; weights.len()],
            weights,
            kind,
        }
    }

    /// Whether `backend` may take new traffic: up, and not drained by weight 0.
    pub fn usable(&self, backend: usize) -> bool {
        self.up[backend] && self.weights[backend] > 0
    }

    /// The backend for a new request from `client`; `None` when nothing is usable.
    pub fn pick(&mut self, client: IpAddr) -> Option<usize> {
        match &mut self.kind {
            Kind::RoundRobin(s) => s.pick(),
            Kind::LeastConnections(s) => s.pick(),
            Kind::SourceIp(s) => s.pick_up(client),
        }
    }

    /// A connection went to `backend` without a pick (a sticky session): least
    /// connections must count it like any other.
    pub fn connect(&mut self, backend: usize) {
        if let Kind::LeastConnections(s) = &mut self.kind {
            s.connect(backend);
        }
    }

    /// A connection to `backend` ended (only least connections keeps count).
    pub fn release(&mut self, backend: usize) {
        if let Kind::LeastConnections(s) = &mut self.kind {
            s.release(backend);
        }
    }

    /// `backend` failed its health check: no new traffic, its connections dropped.
    pub fn fail(&mut self, backend: usize) {
        self.up[backend] = false;
        match &mut self.kind {
            Kind::RoundRobin(s) => s.set_down(backend),
            Kind::LeastConnections(s) => s.fail(backend),
            Kind::SourceIp(s) => s.set_down(backend),
        }
    }

    /// Which backends are down.
    pub fn down(&self) -> Vec<bool> {
        self.up.iter().map(|u| !u).collect()
    }

    /// The source hash, for the remapping report (source-ip only).
    pub fn source_hash(&self) -> Option<&SourceHash> {
        match &self.kind {
            Kind::SourceIp(h) => Some(h),
            _ => None,
        }
    }
}

/// The first `n` picks of a fresh scheduler, each request finishing before the next
/// (a sequential client, as `curl` in a loop): round robin and least connections give
/// the smooth WRR sequence; source-ip gives the backends of synthetic clients
/// 10.0.0.1, 10.0.0.2, ... in turn.
pub fn sequence(pool: &Pool, n: u64) -> Vec<usize> {
    let mut s = Scheduler::new(pool);
    let mut out = Vec::new();
    for i in 0..n {
        let client = client_address(u32::try_from(i).unwrap_or(u32::MAX));
        let Some(b) = s.pick(client) else { break };
        s.release(b);
        out.push(b);
    }
    out
}
