//! The data plane, as a reference: what a load balancer configured from a plan should do
//! with traffic, so `kubectl lbgen check` can prove a promise before deploying (by
//! simulation) and after (by probing the real endpoint against the same statistics).
//!
//! It reads the provider-neutral Plan only (algorithm, backends and weights, stickiness)
//! and knows nothing about annotations, so the same reference judges every provider.
//! Each file has one job: `pool` (plan -> backends), `wrr`, `wlc` and `source_hash`
//! (the three schedulers; `wrr_lanes` is the exact smooth WRR state both round robins
//! step, `reference` the O(n) versions they are tested against), `sticky` (sessions),
//! `client_map` (per-client facts without hashing), `scheduler` (one of the three plus
//! health), `simulate` (traffic), `stats` (chi-square), `judge` (promises), `remap` (source-ip departures), `probe` (a
//! live endpoint), `rng` (reproducible randomness).

mod client_map;
pub mod judge;
pub mod observe;
pub mod pool;
pub mod probe;
#[cfg(test)]
mod reference;
pub mod remap;
pub mod rng;
pub mod scheduler;
pub mod simulate;
pub mod source_hash;
pub mod stats;
pub mod sticky;
pub mod wlc;
pub mod wrr;
mod wrr_lanes;

pub use pool::{Backend, Pool, Selection};
