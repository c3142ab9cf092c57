//! Weighted least connections, as nginx's `least_conn` does it: the backend with the
//! lowest active/weight ratio wins (compared by cross-multiplying, so no rounding), and a
//! tie among equally loaded backends is broken by a smooth weighted round robin over the
//! tied ones. That tie-break is deterministic and matters: with short requests every
//! backend is idle at each pick, and "lowest index wins" would send everything to the
//! first backend, while nginx (and this) then behave exactly like smooth WRR.
//!
//! Speed: the usable backends are kept grouped by load in an ordered map, so the least
//! loaded group is the first entry and a connection moves one backend between groups,
//! O(log n). A unique least loaded backend wins at once; when every usable backend is
//! tied (all idle) the tie-break is one full `Lanes` step, O(distinct weights + log n);
//! only a tie among some but not all backends costs O(tied · log n). Pools of at most
//! `LINEAR_MAX` backends skip the map and scan, which is cheaper at that size; both ways
//! give the same picks (the tests run both).

use super::wrr_lanes::Lanes;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Pools up to this size are scanned rather than kept grouped.
const LINEAR_MAX: usize = 16;

/// A load `active / weight`, ordered by cross-multiplication (1/2 and 2/4 are equal).
#[derive(Debug, Clone, Copy)]
struct Load {
    active: u64,
    weight: u32,
}

impl Ord for Load {
    fn cmp(&self, other: &Self) -> Ordering {
        let a = u128::from(self.active) * u128::from(other.weight);
        let b = u128::from(other.active) * u128::from(self.weight);
        a.cmp(&b)
    }
}

impl PartialOrd for Load {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Load {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Load {}

/// Active connections per backend, the usable ones grouped by load, and the
/// tie-breaking round robin.
#[derive(Debug, Clone)]
pub struct LeastConnections {
    weights: Vec<u32>,
    active: Vec<u64>,
    usable: Vec<bool>,
    groups: BTreeMap<Load, BTreeSet<usize>>,
    usable_count: usize,
    ties: Lanes,
    /// Scan instead of keeping `groups`.
    linear: bool,
}

impl LeastConnections {
    /// A fresh scheduler with no connections, every backend up.
    pub fn new(weights: &[u32]) -> Self {
        Self::build(weights, weights.len() <= LINEAR_MAX)
    }

    fn build(weights: &[u32], linear: bool) -> Self {
        let mut lc = LeastConnections {
            weights: weights.to_vec(),
            active: vec![0; weights.len()],
            usable: weights.iter().map(|&w| w > 0).collect(),
            groups: BTreeMap::new(),
            usable_count: 0,
            ties: Lanes::new(weights),
            linear,
        };
        for i in 0..weights.len() {
            if lc.usable[i] {
                lc.enter(i);
                lc.usable_count += 1;
            }
        }
        lc
    }

    fn load(&self, i: usize) -> Load {
        Load {
            active: self.active[i],
            weight: self.weights[i],
        }
    }

    fn enter(&mut self, i: usize) {
        if self.linear {
            return;
        }
        self.groups.entry(self.load(i)).or_default().insert(i);
    }

    fn leave(&mut self, i: usize) {
        if self.linear {
            return;
        }
        let load = self.load(i);
        if let Some(group) = self.groups.get_mut(&load) {
            group.remove(&i);
            if group.is_empty() {
                self.groups.remove(&load);
            }
        }
    }

    /// Sets backend `i`'s active count, keeping the groups in step.
    fn set_active(&mut self, i: usize, active: u64) {
        if self.usable[i] {
            self.leave(i);
            self.active[i] = active;
            self.enter(i);
        } else {
            self.active[i] = active;
        }
    }

    /// Picks a usable backend (up, weight above 0) and counts one more active
    /// connection on it; `None` when none is usable.
    pub fn pick(&mut self) -> Option<usize> {
        if self.linear {
            return self.pick_scanning();
        }
        let (_, least) = self.groups.first_key_value()?;
        let chosen = match least.len() {
            1 => least.first().copied()?,
            n if n == self.usable_count => self.ties.step()?,
            _ => {
                let tied: Vec<usize> = least.iter().copied().collect();
                self.ties.step_among(tied)?
            }
        };
        self.set_active(chosen, self.active[chosen] + 1);
        Some(chosen)
    }

    /// `pick` for a small pool: one scan for the least load and how many share it.
    fn pick_scanning(&mut self) -> Option<usize> {
        let mut best: Option<(Load, usize)> = None;
        let mut tied = 0;
        for i in (0..self.weights.len()).filter(|&i| self.usable[i]) {
            let load = self.load(i);
            match best {
                Some((b, _)) if load > b => {}
                Some((b, _)) if load == b => tied += 1,
                _ => {
                    best = Some((load, i));
                    tied = 1;
                }
            }
        }
        let (least, first) = best?;
        let chosen = if tied == 1 {
            first
        } else if tied == self.usable_count {
            self.ties.step()?
        } else {
            let members: Vec<usize> = (0..self.weights.len())
                .filter(|&i| self.usable[i] && self.load(i) == least)
                .collect();
            self.ties.step_among(members)?
        };
        self.active[chosen] += 1;
        Some(chosen)
    }

    /// A connection reached `backend` without a pick (stickiness): count it.
    pub fn connect(&mut self, backend: usize) {
        self.set_active(backend, self.active[backend] + 1);
    }

    /// One connection on `backend` ended.
    pub fn release(&mut self, backend: usize) {
        self.set_active(backend, self.active[backend].saturating_sub(1));
    }

    /// `backend` failed: every connection on it dropped, and it takes no new ones.
    pub fn fail(&mut self, backend: usize) {
        if self.usable[backend] {
            self.leave(backend);
            self.usable[backend] = false;
            self.usable_count -= 1;
            self.ties.remove(backend);
        }
        self.active[backend] = 0;
    }

    /// Active connections per backend.
    pub fn active(&self) -> &[u64] {
        &self.active
    }
}

#[cfg(test)]
#[path = "wlc_tests.rs"]
mod tests;
