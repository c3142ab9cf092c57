//! Tests of `wlc.rs`: nginx's behaviour in known cases, and property tests against the
//! O(n) implementation it replaced (`reference.rs`).

use super::*;
use crate::dataplane::reference::NaiveWlc;
use proptest::prelude::*;

#[test]
fn idle_backends_follow_the_smooth_wrr_sequence() {
    let mut lc = LeastConnections::new(&[5, 1, 1]);
    let mut picks = String::new();
    for _ in 0..7 {
        let b = lc.pick().expect("pick");
        picks.push((b'a' + b as u8) as char);
        lc.release(b);
    }
    assert_eq!(picks, "aabacaa");
}

#[test]
fn long_lived_connections_spread_in_proportion_to_weight() {
    let mut lc = LeastConnections::new(&[3, 1]);
    for _ in 0..400 {
        lc.pick().expect("pick");
    }
    assert_eq!(lc.active(), [300, 100]);
}

#[test]
fn the_least_loaded_wins_and_weight_zero_or_down_never_does() {
    let mut lc = LeastConnections::new(&[1, 1, 0]);
    for _ in 0..5 {
        lc.connect(0);
    }
    lc.connect(1);
    lc.connect(1);
    assert_eq!(lc.pick(), Some(1));
    lc.fail(1);
    assert_eq!(lc.active(), [5, 0, 0]);
    assert_eq!(lc.pick(), Some(0));
    lc.fail(0);
    assert_eq!(lc.pick(), None);
}

/// What happens between picks.
#[derive(Debug, Clone)]
enum Op {
    Pick,
    Release(usize),
    Connect(usize),
    Fail(usize),
}

fn run() -> impl Strategy<Value = (Vec<u32>, Vec<Op>)> {
    prop::collection::vec(
        prop_oneof![1 => Just(0u32), 4 => 1u32..6, 1 => 1u32..100],
        1..10,
    )
    .prop_flat_map(|w| {
        let n = w.len();
        let op = prop_oneof![
            12 => Just(Op::Pick),
            8 => (0..n).prop_map(Op::Release),
            2 => (0..n).prop_map(Op::Connect),
            1 => (0..n).prop_map(Op::Fail),
        ];
        (Just(w), prop::collection::vec(op, 1..600))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Same picks and counts as the O(n) scan, whatever the connections do.
    #[test]
    fn equal_to_the_linear_implementation((weights, ops) in run(), linear in any::<bool>()) {
        let mut fast = LeastConnections::build(&weights, linear);
        let mut naive = NaiveWlc::new(&weights);
        let mut up = vec![true; weights.len()];
        for (k, op) in ops.iter().enumerate() {
            match *op {
                Op::Pick => {
                    prop_assert_eq!(fast.pick(), naive.pick(|i| up[i]), "op {}", k);
                }
                Op::Release(b) => {
                    fast.release(b);
                    naive.active[b] = naive.active[b].saturating_sub(1);
                }
                Op::Connect(b) if up[b] => {
                    fast.connect(b);
                    naive.active[b] += 1;
                }
                Op::Connect(_) => {}
                Op::Fail(b) => {
                    fast.fail(b);
                    up[b] = false;
                    naive.active[b] = 0;
                }
            }
            prop_assert_eq!(fast.active(), &naive.active[..]);
        }
    }
}
