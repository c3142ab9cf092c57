//! Tests of `wrr.rs`: known nginx sequences, an independent transcription of nginx, and
//! property tests against the O(n) implementation it replaced (`reference.rs`).

use super::*;
use crate::dataplane::reference::NaiveWrr;
use proptest::prelude::*;

fn sequence(weights: &[u32], n: usize) -> String {
    let mut s = SmoothWrr::new(weights);
    (0..n)
        .map(|_| (b'a' + s.pick().expect("a pick") as u8) as char)
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
        let len = 3 * total as usize;
        assert_eq!(
            sequence(&weights, len),
            nginx_oracle(&weights, len),
            "{weights:?}"
        );
    }
}

#[test]
fn one_cycle_gives_each_exactly_its_weight_then_replays() {
    let weights = [7, 3, 0, 10];
    let mut s = SmoothWrr::new(&weights);
    let mut counts = [0u32; 4];
    for _ in 0..20 {
        counts[s.pick().expect("pick")] += 1;
    }
    assert_eq!(counts, weights);
    assert!(matches!(s.mode, Mode::Replaying { at: 0, .. }));
}

#[test]
fn a_down_peer_is_skipped_and_nothing_usable_gives_none() {
    let mut s = SmoothWrr::new(&[5, 1, 1]);
    s.set_down(0);
    for _ in 0..50 {
        assert_ne!(s.pick(), Some(0));
    }
    s.set_down(1);
    s.set_down(2);
    assert_eq!(s.pick(), None);
    assert_eq!(SmoothWrr::new(&[0, 0]).pick(), None);
}

#[test]
fn a_cycle_too_long_to_record_is_stepped_and_folded_exactly() {
    // Sum above MAX_CYCLE: never recorded; 2.2 M steps pass the fold at 2^20.
    let weights = [1 << 20, 3, 1, 1 << 19];
    let mut fast = SmoothWrr::new(&weights);
    let mut naive = NaiveWrr::new(&weights);
    assert!(matches!(fast.mode, Mode::Stepping));
    for step in 0..2_200_000u32 {
        assert_eq!(fast.pick(), naive.pick_among(|_| true), "step {step}");
    }
}

/// One run: weights, and (pick number, backend) failures.
fn weights_and_failures() -> impl Strategy<Value = (Vec<u32>, Vec<(usize, usize)>)> {
    prop::collection::vec(
        prop_oneof![1 => Just(0u32), 4 => 1u32..20, 1 => 1u32..400],
        1..12,
    )
    .prop_flat_map(|w| {
        let n = w.len();
        let fails = prop::collection::vec((0usize..3000, 0..n), 0..4);
        (Just(w), fails)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Same picks as the O(n) step, across recording, replaying and failures at any
    /// point of a cycle.
    #[test]
    fn equal_to_the_linear_implementation((weights, fails) in weights_and_failures()) {
        let mut fast = SmoothWrr::new(&weights);
        let mut naive = NaiveWrr::new(&weights);
        let mut down = vec![false; weights.len()];
        for step in 0..3000 {
            for &(_, b) in fails.iter().filter(|(at, _)| *at == step) {
                fast.set_down(b);
                down[b] = true;
            }
            prop_assert_eq!(fast.pick(), naive.pick_among(|i| !down[i]), "step {}", step);
        }
    }
}
