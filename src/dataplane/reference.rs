//! The O(n) schedulers as they were before issue 19, kept verbatim as the oracles the
//! fast ones are property-tested against (`wrr_tests.rs`, `wlc_tests.rs`). Test-only.

/// nginx's smooth WRR step, one pass over every peer.
#[derive(Debug, Clone)]
pub(crate) struct NaiveWrr {
    weights: Vec<u32>,
    current: Vec<i64>,
}

impl NaiveWrr {
    pub(crate) fn new(weights: &[u32]) -> Self {
        NaiveWrr {
            weights: weights.to_vec(),
            current: vec![0; weights.len()],
        }
    }

    /// One nginx step over the peers `eligible(i)` admits.
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

/// Weighted least connections with the smooth WRR tie-break, one pass a pick.
#[derive(Debug, Clone)]
pub(crate) struct NaiveWlc {
    weights: Vec<u32>,
    pub(crate) active: Vec<u64>,
    ties: NaiveWrr,
}

impl NaiveWlc {
    pub(crate) fn new(weights: &[u32]) -> Self {
        NaiveWlc {
            weights: weights.to_vec(),
            active: vec![0; weights.len()],
            ties: NaiveWrr::new(weights),
        }
    }

    pub(crate) fn pick(&mut self, usable: impl Fn(usize) -> bool) -> Option<usize> {
        let eligible = |i: usize| usable(i) && self.weights[i] > 0;
        let load = |i: usize| (u128::from(self.active[i]), u128::from(self.weights[i]));
        let mut best: Option<usize> = None;
        let mut many = false;
        for i in (0..self.weights.len()).filter(|&i| eligible(i)) {
            let Some(b) = best else {
                best = Some(i);
                continue;
            };
            let ((ai, wi), (ab, wb)) = (load(i), load(b));
            if ai * wb < ab * wi {
                best = Some(i);
                many = false;
            } else if ai * wb == ab * wi {
                many = true;
            }
        }
        let best = best?;
        let chosen = if many {
            let (ab, wb) = load(best);
            let tied = |i: usize| {
                let (ai, wi) = load(i);
                eligible(i) && ai * wb == ab * wi
            };
            self.ties.pick_among(tied)?
        } else {
            best
        };
        self.active[chosen] += 1;
        Some(chosen)
    }
}
