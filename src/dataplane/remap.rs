//! Source-ip hashing's cost of a departure: how many clients move when a backend leaves,
//! next to how many it served (the least that must move) and 1/n. Rendezvous hashing
//! moves exactly the departed backend's clients; this report lets a user see it.

use super::observe::Observations;
use super::pool::Pool;
use super::source_hash::{SourceHash, client_address};
use serde::Serialize;

/// Source-ip: share of clients that move when one backend leaves.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Remap {
    /// The backend that leaves.
    pub leaving: String,
    /// Share of clients remapped, percent.
    pub remapped_pct: f64,
    /// Share of clients that backend served, percent: the least that must move.
    pub own_pct: f64,
    /// 1/n, percent.
    pub ideal_pct: f64,
}

/// For each failed backend (or the first one when none failed), how many of the run's
/// clients its departure moves.
pub(crate) fn remap(
    pool: &Pool,
    obs: &Observations,
    hash: &SourceHash,
    clients: u32,
) -> Vec<Remap> {
    let clients: Vec<_> = (0..clients).map(client_address).collect();
    let mut leaving: Vec<usize> = (0..pool.backends.len())
        .filter(|&i| obs.phases.iter().any(|p| p.down[i]))
        .collect();
    if leaving.is_empty() {
        leaving.push(0);
    }
    let live = pool.backends.iter().filter(|b| b.weight > 0).count().max(1);
    leaving
        .into_iter()
        .map(|i| {
            let own = clients
                .iter()
                .filter(|&&c| hash.pick(c, |_| true) == Some(i))
                .count();
            Remap {
                leaving: pool.backends[i].name.clone(),
                remapped_pct: 100.0 * hash.remapped_share(i, &clients),
                own_pct: 100.0 * own as f64 / clients.len().max(1) as f64,
                ideal_pct: 100.0 / live as f64,
            }
        })
        .collect()
}
