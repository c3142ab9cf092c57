//! Weighted least connections, as nginx's `least_conn` does it: the backend with the
//! lowest active/weight ratio wins (compared by cross-multiplying, so no rounding), and a
//! tie among equally loaded backends is broken by a smooth weighted round robin over the
//! tied ones. That tie-break is deterministic and matters: with short requests every
//! backend is idle at each pick, and "lowest index wins" would send everything to the
//! first backend, while nginx (and this) then behave exactly like smooth WRR.

use super::wrr::SmoothWrr;

/// Active connections per backend plus the tie-breaking round robin.
#[derive(Debug, Clone)]
pub struct LeastConnections {
    weights: Vec<u32>,
    active: Vec<u64>,
    ties: SmoothWrr,
}

impl LeastConnections {
    /// A fresh scheduler with no connections.
    pub fn new(weights: &[u32]) -> Self {
        LeastConnections {
            weights: weights.to_vec(),
            active: vec![0; weights.len()],
            ties: SmoothWrr::new(weights),
        }
    }

    /// Picks a backend among the usable ones with a weight above 0 and counts one more
    /// active connection on it.
    pub fn pick(&mut self, usable: impl Fn(usize) -> bool) -> Option<usize> {
        let eligible = |i: usize| usable(i) && self.weights[i] > 0;
        // `a` is less loaded than `b` when active_a / w_a < active_b / w_b.
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

    /// A connection reached `backend` without a pick (stickiness): count it.
    pub fn connect(&mut self, backend: usize) {
        self.active[backend] += 1;
    }

    /// One connection on `backend` ended.
    pub fn release(&mut self, backend: usize) {
        self.active[backend] = self.active[backend].saturating_sub(1);
    }

    /// Every connection on `backend` dropped (it failed).
    pub fn drop_all(&mut self, backend: usize) {
        self.active[backend] = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_backends_follow_the_smooth_wrr_sequence() {
        let mut lc = LeastConnections::new(&[5, 1, 1]);
        let mut picks = String::new();
        for _ in 0..7 {
            let b = lc.pick(|_| true).expect("pick");
            picks.push((b'a' + b as u8) as char);
            lc.release(b);
        }
        assert_eq!(picks, "aabacaa");
    }

    #[test]
    fn long_lived_connections_spread_in_proportion_to_weight() {
        let mut lc = LeastConnections::new(&[3, 1]);
        for _ in 0..400 {
            lc.pick(|_| true).expect("pick");
        }
        assert_eq!(lc.active, vec![300, 100]);
    }

    #[test]
    fn the_least_loaded_wins_and_weight_zero_or_down_never_does() {
        let mut lc = LeastConnections::new(&[1, 1, 0]);
        lc.active = vec![5, 2, 0];
        assert_eq!(lc.pick(|_| true), Some(1));
        assert_eq!(lc.pick(|i| i != 1), Some(0));
        lc.drop_all(0);
        assert_eq!(lc.active[0], 0);
        assert_eq!(lc.pick(|i| i == 2), None);
    }
}
