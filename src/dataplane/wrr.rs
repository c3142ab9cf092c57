//! Smooth weighted round robin, exactly as nginx's `ngx_http_upstream_get_peer` does it,
//! at O(1) a pick.
//!
//! The pick sequence is part of lbgen's contract (`check --sequence`), so this is the
//! nginx algorithm step for step, not merely one with the same long-run shares: each
//! eligible peer's `current` grows by its weight, the largest `current` wins (the first
//! one on a tie), and the winner gives back the total. Weights {5,1,1} give
//! a a b a c a a. A peer that is down or has weight 0 is skipped and does not count in
//! the total, as nginx skips a down peer; the others keep their state.
//!
//! Speed: the steps themselves run on `Lanes` (O(distinct weights + log n) each). From
//! the rest state (every `current` 0) the first `S` picks (S = the sum of the weights)
//! are recorded; if each peer won exactly its weight, every `current` is back at 0 after
//! them (each gained `S * w` and gave back `w * S`), so the sequence repeats with period
//! `S` and later picks replay the record: an index and a load. This is checked on the
//! run, not assumed. A peer going down mid-cycle rebuilds the exact state from the
//! record (`current_i = p * w_i - picks_i * S` after `p` picks) and stepping resumes.
//! Records longer than `MAX_CYCLE` picks are not kept (stepping continues).

use super::wrr_lanes::Lanes;

/// The longest cycle recorded (4 MB of picks).
const MAX_CYCLE: u64 = 1 << 20;

/// Where the scheduler is in its sequence.
#[derive(Debug, Clone)]
enum Mode {
    /// Stepping `Lanes`, recording the picks since the rest state until there are
    /// `len` (one cycle).
    Recording { record: Vec<u32>, len: usize },
    /// Stepping `Lanes` only.
    Stepping,
    /// Replaying one whole cycle from the rest state; `at` picks into it.
    Replaying { cycle: Vec<u32>, at: usize },
}

/// The scheduler's state.
#[derive(Debug, Clone)]
pub struct SmoothWrr {
    weights: Vec<u32>,
    down: Vec<bool>,
    lanes: Lanes,
    mode: Mode,
}

impl SmoothWrr {
    /// A fresh scheduler (every `current` at 0, as after an nginx reload), every backend
    /// up.
    pub fn new(weights: &[u32]) -> Self {
        let lanes = Lanes::new(weights);
        SmoothWrr {
            weights: weights.to_vec(),
            down: vec![false; weights.len()],
            mode: Self::start(weights, &vec![false; weights.len()]),
            lanes,
        }
    }

    /// Recording when a cycle of the usable peers is short enough to keep.
    fn start(weights: &[u32], down: &[bool]) -> Mode {
        let sum: u64 = weights
            .iter()
            .zip(down)
            .filter(|&(_, &d)| !d)
            .map(|(&w, _)| u64::from(w))
            .sum();
        if sum > 0 && sum <= MAX_CYCLE {
            Mode::Recording {
                record: Vec::with_capacity(sum as usize),
                len: sum as usize,
            }
        } else {
            Mode::Stepping
        }
    }

    /// The next backend among those up; `None` when no backend with a weight above 0
    /// is up.
    pub fn pick(&mut self) -> Option<usize> {
        match &mut self.mode {
            Mode::Replaying { cycle, at } => {
                let b = cycle[*at];
                *at += 1;
                if *at == cycle.len() {
                    *at = 0;
                }
                Some(b as usize)
            }
            Mode::Stepping => self.lanes.step(),
            Mode::Recording { record, len } => {
                let b = self.lanes.step()?;
                record.push(b as u32);
                if record.len() == *len {
                    self.finish_record();
                }
                Some(b)
            }
        }
    }

    /// A whole cycle recorded: replay it if every usable peer won exactly its weight.
    fn finish_record(&mut self) {
        let Mode::Recording { record, .. } = std::mem::replace(&mut self.mode, Mode::Stepping)
        else {
            return;
        };
        let mut wins = vec![0u64; self.weights.len()];
        for &b in &record {
            wins[b as usize] += 1;
        }
        let exact =
            (0..self.weights.len()).all(|i| self.down[i] || wins[i] == u64::from(self.weights[i]));
        if exact && self.lanes.at_rest() {
            self.mode = Mode::Replaying {
                cycle: record,
                at: 0,
            };
        }
    }

    /// `backend` went down: it gets no more picks and leaves the total.
    pub fn set_down(&mut self, backend: usize) {
        if self.down[backend] {
            return;
        }
        if let Mode::Replaying { cycle, at } = &self.mode {
            self.lanes = self.state_at(&cycle[..*at]);
        }
        self.down[backend] = true;
        self.lanes.remove(backend);
        self.mode = if self.lanes.at_rest() && !self.lanes.is_empty() {
            Self::start(&self.weights, &self.down)
        } else {
            Mode::Stepping
        };
    }

    /// The exact state after `prefix`, the first picks of a cycle from the rest state.
    fn state_at(&self, prefix: &[u32]) -> Lanes {
        let total: i64 = (0..self.weights.len())
            .filter(|&i| !self.down[i])
            .map(|i| i64::from(self.weights[i]))
            .sum();
        let steps = prefix.len() as i64;
        let mut current: Vec<i64> = self.weights.iter().map(|&w| steps * i64::from(w)).collect();
        for &b in prefix {
            current[b as usize] -= total;
        }
        let up: Vec<bool> = self.down.iter().map(|d| !d).collect();
        Lanes::with_currents(&self.weights, &current, &up)
    }
}

#[cfg(test)]
#[path = "wrr_tests.rs"]
mod tests;
