//! The state of nginx's smooth weighted round robin, stepped in O(distinct weights +
//! log n) instead of O(n), exactly.
//!
//! nginx adds every eligible peer's weight to its `current`, picks the largest `current`
//! (the lowest index on a tie) and takes the total back from the winner. Two facts make
//! that cheap: a full step adds `w_i` to every peer, so it is kept as one counter `g`
//! and each peer stores `base_i = current_i - w_i * g`; and among peers of *equal
//! weight* the largest `current` is the largest `base`, so one ordered set per distinct
//! weight yields its candidate, and the step compares one candidate per weight. Only the
//! winner's `base` changes. A step over a subset (least connections' tie-break) touches
//! only the subset. `wrr.rs` replays a recorded cycle on top of this for O(1) picks.

use std::cmp::Reverse;
use std::collections::BTreeSet;

/// Every `FOLD` full steps `g` is folded into the bases so `w * g` stays far from
/// overflow whatever the run length.
const FOLD: i64 = 1 << 20;

/// Peers of one weight, best first: largest `base`, then lowest index.
#[derive(Debug, Clone)]
struct Class {
    weight: i64,
    order: BTreeSet<(Reverse<i64>, usize)>,
}

/// nginx's per-peer `current` weights over the member peers (weight above 0, not
/// removed).
#[derive(Debug, Clone)]
pub(crate) struct Lanes {
    weights: Vec<i64>,
    base: Vec<i64>,
    /// Index into `classes`, `None` for a peer that is not a member.
    class_of: Vec<Option<usize>>,
    classes: Vec<Class>,
    total: i64,
    g: i64,
}

impl Lanes {
    /// Every peer with a weight above 0 is a member with `current` 0 (a fresh nginx).
    pub(crate) fn new(weights: &[u32]) -> Self {
        Lanes::with_currents(weights, &vec![0; weights.len()], &vec![true; weights.len()])
    }

    /// Members are the peers with `member[i]` and a weight above 0, with the given
    /// `current` weights.
    pub(crate) fn with_currents(weights: &[u32], current: &[i64], member: &[bool]) -> Self {
        let mut weights_sorted: Vec<u32> = weights
            .iter()
            .zip(member)
            .filter(|&(&w, &m)| m && w > 0)
            .map(|(&w, _)| w)
            .collect();
        weights_sorted.sort_unstable();
        weights_sorted.dedup();
        let mut classes: Vec<Class> = weights_sorted
            .iter()
            .map(|&w| Class {
                weight: i64::from(w),
                order: BTreeSet::new(),
            })
            .collect();
        let mut class_of = vec![None; weights.len()];
        let mut total = 0;
        for (i, &w) in weights.iter().enumerate() {
            if !member[i] || w == 0 {
                continue;
            }
            let Ok(c) = weights_sorted.binary_search(&w) else {
                continue;
            };
            classes[c].order.insert((Reverse(current[i]), i));
            class_of[i] = Some(c);
            total += i64::from(w);
        }
        Lanes {
            weights: weights.iter().map(|&w| i64::from(w)).collect(),
            base: current.to_vec(),
            class_of,
            classes,
            total,
            g: 0,
        }
    }

    /// Peer `i`'s `current`.
    pub(crate) fn current(&self, i: usize) -> i64 {
        match self.class_of[i] {
            Some(_) => self.base[i] + self.weights[i] * self.g,
            None => self.base[i],
        }
    }

    /// Whether any peer is a member.
    pub(crate) fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// Whether every member's `current` is 0 (the state nginx starts in).
    pub(crate) fn at_rest(&self) -> bool {
        (0..self.base.len()).all(|i| self.class_of[i].is_none() || self.current(i) == 0)
    }

    fn set_base(&mut self, i: usize, base: i64) {
        if let Some(c) = self.class_of[i] {
            let order = &mut self.classes[c].order;
            order.remove(&(Reverse(self.base[i]), i));
            order.insert((Reverse(base), i));
        }
        self.base[i] = base;
    }

    /// One nginx step over all members; `None` when there is none.
    pub(crate) fn step(&mut self) -> Option<usize> {
        if self.g >= FOLD {
            self.fold();
        }
        self.g += 1;
        let g = self.g;
        let mut best: Option<(i64, usize)> = None;
        for class in &self.classes {
            if let Some(&(Reverse(b), i)) = class.order.first() {
                let v = b + class.weight * g;
                if best.is_none_or(|(bv, bi)| v > bv || (v == bv && i < bi)) {
                    best = Some((v, i));
                }
            }
        }
        let (_, winner) = best?;
        self.set_base(winner, self.base[winner] - self.total);
        Some(winner)
    }

    /// One nginx step over the members in `subset` only (each listed once); the others
    /// keep their `current`.
    pub(crate) fn step_among(&mut self, subset: impl IntoIterator<Item = usize>) -> Option<usize> {
        let mut total = 0;
        let mut best: Option<(i64, usize)> = None;
        for i in subset {
            self.set_base(i, self.base[i] + self.weights[i]);
            total += self.weights[i];
            let v = self.current(i);
            if best.is_none_or(|(bv, bi)| v > bv || (v == bv && i < bi)) {
                best = Some((v, i));
            }
        }
        let (_, winner) = best?;
        self.set_base(winner, self.base[winner] - total);
        Some(winner)
    }

    /// Peer `i` leaves (down): it takes no part in later steps.
    pub(crate) fn remove(&mut self, i: usize) {
        let frozen = self.current(i);
        if let Some(c) = self.class_of[i].take() {
            self.classes[c].order.remove(&(Reverse(self.base[i]), i));
            self.total -= self.weights[i];
        }
        self.base[i] = frozen;
    }

    /// Moves `w * g` into every base and resets `g` (same currents, same order).
    fn fold(&mut self) {
        let g = std::mem::take(&mut self.g);
        for class in &mut self.classes {
            let w = class.weight;
            class.order = std::mem::take(&mut class.order)
                .into_iter()
                .map(|(Reverse(b), i)| (Reverse(b + w * g), i))
                .collect();
        }
        for i in 0..self.base.len() {
            if self.class_of[i].is_some() {
                self.base[i] += self.weights[i] * g;
            }
        }
    }
}
