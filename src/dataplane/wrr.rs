//! Smooth weighted round robin, exactly as nginx's `ngx_http_upstream_get_peer` does it.
//!
//! The pick sequence is part of lbgen's contract (`check --sequence`), so this is the
//! nginx algorithm step for step, not merely one with the same long-run shares: each
//! eligible peer's `current` grows by its weight, the largest `current` wins (the first
//! one on a tie), and the winner gives back the total. Weights {5,1,1} give
//! a a b a c a a. A peer that is down or has weight 0 is skipped and does not count in
//! the total, as nginx skips a down peer; the others keep their state.
//! One pick costs O(backends); at 1,000 backends that is still a few microseconds (see
//! `benches/dataplane.rs`), so no faster variant is needed.

/// The scheduler's state: one `current` weight per backend.
#[derive(Debug, Clone)]
pub struct SmoothWrr {
    weights: Vec<u32>,
    current: Vec<i64>,
}

impl SmoothWrr {
    /// A fresh scheduler (every `current` at 0, as after an nginx reload).
    pub fn new(weights: &[u32]) -> Self {
        SmoothWrr {
            weights: weights.to_vec(),
            current: vec![0; weights.len()],
        }
    }

    /// The next backend among those `usable(i)` says may take traffic; `None` when no
    /// backend with a weight above 0 is usable.
    pub fn pick(&mut self, usable: impl Fn(usize) -> bool) -> Option<usize> {
        self.pick_among(usable)
    }

    /// One nginx step over the peers `eligible(i)` admits (also used by least
    /// connections to break ties among equally loaded peers).
    pub(crate) fn pick_among(&mut self, eligible: impl Fn(usize) -> bool) -> Option<usize> {
        let mut total: i64 = 0;
        let mut best: Option<usize> = None;
        for i in 0..self.weights.len() {
            if !eligible(i) || self.weights[i] == 0 {
                continue;
            }
            let w = i64::from(self.weights[i]);
            self.current[i] += w;
            total += w;
            if best.is_none_or(|b| self.current[i] > self.current[b]) {
                best = Some(i);
            }
        }
        let b = best?;
        self.current[b] -= total;
        Some(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sequence(weights: &[u32], n: usize) -> String {
        let mut s = SmoothWrr::new(weights);
        (0..n)
            .map(|_| (b'a' + s.pick(|_| true).expect("a pick") as u8) as char)
            .collect()
    }

    /// Straight transcription of nginx 1.22 `ngx_http_upstream_get_peer` (src/http/
    /// ngx_http_upstream_round_robin.c), with `effective_weight == weight` (no failures),
    /// as an independent oracle for the implementation above.
    fn nginx_oracle(weights: &[u32], n: usize) -> String {
        let mut current = vec![0i64; weights.len()];
        let mut out = String::new();
        for _ in 0..n {
            let mut best: Option<usize> = None;
            let mut total = 0i64;
            for (i, &w) in weights.iter().enumerate() {
                current[i] += i64::from(w);
                total += i64::from(w);
                if best.is_none() || current[i] > current[best.unwrap_or(0)] {
                    best = Some(i);
                }
            }
            let b = best.unwrap_or(0);
            current[b] -= total;
            out.push((b'a' + b as u8) as char);
        }
        out
    }

    #[test]
    fn five_one_one_is_the_nginx_sequence() {
        assert_eq!(sequence(&[5, 1, 1], 7), "aabacaa");
        assert_eq!(sequence(&[5, 1, 1], 14), "aabacaaaabacaa");
    }

    #[test]
    fn known_small_sequences() {
        assert_eq!(sequence(&[1, 1, 1], 6), "abcabc");
        assert_eq!(sequence(&[4, 1], 5), "aabaa");
    }

    #[test]
    fn identical_to_the_nginx_transcription_for_many_weight_sets() {
        let mut seed = 1u64;
        for _ in 0..300 {
            seed = crate::dataplane::rng::mix(seed);
            let n = 2 + (seed % 9) as usize;
            let weights: Vec<u32> = (0..n)
                .map(|i| 1 + (crate::dataplane::rng::mix(seed + i as u64) % 100) as u32)
                .collect();
            let total: u32 = weights.iter().sum();
            let len = 2 * total as usize;
            assert_eq!(
                sequence(&weights, len),
                nginx_oracle(&weights, len),
                "{weights:?}"
            );
        }
    }

    #[test]
    fn one_cycle_gives_each_exactly_its_weight() {
        let weights = [7, 3, 0, 10];
        let mut s = SmoothWrr::new(&weights);
        let mut counts = [0u32; 4];
        for _ in 0..20 {
            counts[s.pick(|_| true).expect("pick")] += 1;
        }
        assert_eq!(counts, weights);
    }

    #[test]
    fn a_down_peer_is_skipped_and_nothing_usable_gives_none() {
        let mut s = SmoothWrr::new(&[5, 1, 1]);
        for _ in 0..50 {
            assert_ne!(s.pick(|i| i != 0), Some(0));
        }
        assert_eq!(s.pick(|_| false), None);
        assert_eq!(SmoothWrr::new(&[0, 0]).pick(|_| true), None);
    }
}
