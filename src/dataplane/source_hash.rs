//! Source-IP hashing: rendezvous (highest random weight) hashing of the client address.
//!
//! Providers document source-IP hashing as a hash of the client address that ignores
//! weights, and do not publish their hash, so lbgen's reference picks the one with the property users
//! care about: when one backend leaves, only the clients it served move (1/n of them),
//! and every other client keeps its backend. Plain `hash % n` would move about
//! (n-1)/n of all clients. Each backend scores a client by
//! `mix(fnv1a(address bytes) ^ mix(fnv1a(backend name)))` (`mix` is SplitMix64's
//! finaliser); the highest score wins, the lower index on a tie. Scores depend on names,
//! not positions, so reordering backends moves nobody. Each backend's name hash is
//! computed once, and the scheduler's picks scan only the backends that are up and not
//! drained (`live`): one multiply-xorshift a backend, no hashing of names or closures in
//! the loop. One pick costs O(backends), as any exact rendezvous hash must.
//! Weights are ignored except that weight 0 still drains a backend.

use super::rng::mix;
use std::net::IpAddr;

/// Per-backend hash seeds.
#[derive(Debug, Clone)]
pub struct SourceHash {
    seeds: Vec<u64>,
    drained: Vec<bool>,
    /// (seed, index) of the backends up and not drained, in index order.
    live: Vec<(u64, usize)>,
}

impl SourceHash {
    /// A hasher over backends `names`; `weights` only say which ones drain (weight 0).
    pub fn new(names: &[&str], weights: &[u32]) -> Self {
        let seeds: Vec<u64> = names.iter().map(|n| mix(fnv1a(n.as_bytes()))).collect();
        let drained: Vec<bool> = weights.iter().map(|&w| w == 0).collect();
        let live = (0..seeds.len())
            .filter(|&i| !drained[i])
            .map(|i| (seeds[i], i))
            .collect();
        SourceHash {
            seeds,
            drained,
            live,
        }
    }

    /// `backend` is down: `pick_up` no longer considers it.
    pub fn set_down(&mut self, backend: usize) {
        self.live.retain(|&(_, i)| i != backend);
    }

    /// The backend of `client` among those up and not drained (`pick` with the down
    /// backends told by `set_down`).
    pub fn pick_up(&self, client: IpAddr) -> Option<usize> {
        let key = client_key(client);
        let mut best: Option<(u64, usize)> = None;
        for &(seed, i) in &self.live {
            let score = mix(key ^ seed);
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, i));
            }
        }
        best.map(|(_, i)| i)
    }

    /// The backend of `client` among the usable ones, `None` when none is usable.
    pub fn pick(&self, client: IpAddr, usable: impl Fn(usize) -> bool) -> Option<usize> {
        let key = client_key(client);
        let mut best: Option<(u64, usize)> = None;
        for (i, seed) in self.seeds.iter().enumerate() {
            if self.drained[i] || !usable(i) {
                continue;
            }
            let score = mix(key ^ seed);
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, i));
            }
        }
        best.map(|(_, i)| i)
    }

    /// The share of `clients` whose backend changes when backend `leaving` goes away.
    pub fn remapped_share(&self, leaving: usize, clients: &[IpAddr]) -> f64 {
        if clients.is_empty() {
            return 0.0;
        }
        let moved = clients
            .iter()
            .filter(|&&c| self.pick(c, |_| true) != self.pick(c, |i| i != leaving))
            .count();
        moved as f64 / clients.len() as f64
    }
}

/// The hash of a client address (4 bytes for IPv4, 16 for IPv6).
fn client_key(ip: IpAddr) -> u64 {
    match ip {
        IpAddr::V4(v4) => fnv1a(&v4.octets()),
        IpAddr::V6(v6) => fnv1a(&v6.octets()),
    }
}

/// 64-bit FNV-1a: a fixed, documented byte hash (std's `DefaultHasher` may change).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// The `n`th synthetic client address (10.0.0.0/8 then beyond), shared by the
/// simulator and `--sequence` so both speak of the same clients.
pub fn client_address(n: u32) -> IpAddr {
    IpAddr::V4(std::net::Ipv4Addr::from(0x0A00_0000u32.wrapping_add(n + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clients(n: u32) -> Vec<IpAddr> {
        (0..n).map(client_address).collect()
    }

    #[test]
    fn same_client_same_backend_and_weights_ignored() {
        let h = SourceHash::new(&["a", "b", "c"], &[80, 10, 10]);
        let mut counts = [0u32; 3];
        for c in clients(30_000) {
            let b = h.pick(c, |_| true).expect("pick");
            assert_eq!(h.pick(c, |_| true), Some(b));
            counts[b] += 1;
        }
        for n in counts {
            // Equal thirds within 2 points, whatever the weights say.
            assert!(
                (f64::from(n) / 30_000.0 - 1.0 / 3.0).abs() < 0.02,
                "{counts:?}"
            );
        }
    }

    #[test]
    fn only_the_leaving_backends_clients_move() {
        let h = SourceHash::new(&["a", "b", "c", "d"], &[1, 1, 1, 1]);
        let all = clients(20_000);
        for c in &all {
            let before = h.pick(*c, |_| true);
            let after = h.pick(*c, |i| i != 2);
            if before != Some(2) {
                assert_eq!(before, after);
            }
        }
        let share = h.remapped_share(2, &all);
        assert!((share - 0.25).abs() < 0.02, "{share}");
    }

    #[test]
    fn drained_or_down_backends_get_nobody() {
        let h = SourceHash::new(&["a", "b"], &[0, 5]);
        for c in clients(1000) {
            assert_eq!(h.pick(c, |_| true), Some(1));
            assert_eq!(h.pick(c, |i| i != 1), None);
        }
    }

    #[test]
    fn pick_up_is_pick_over_the_backends_up() {
        let names: Vec<String> = (0..40).map(|i| format!("pod-{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let weights: Vec<u32> = (0..40).map(|i| u32::from(i % 7 != 3)).collect();
        let mut h = SourceHash::new(&names, &weights);
        let mut down = [false; 40];
        for (step, c) in clients(4000).into_iter().enumerate() {
            if step % 500 == 499 {
                let b = (step * 7) % 40;
                down[b] = true;
                h.set_down(b);
            }
            assert_eq!(h.pick_up(c), h.pick(c, |i| !down[i]));
        }
    }

    #[test]
    fn fnv1a_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
