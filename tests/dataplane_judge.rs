//! The checker must be able to say no: each promise is fed observations that break it
//! and must come back broken, and the reference simulator must keep every promise for
//! every algorithm, with and without stickiness and failures, whatever the seed.

use lbgen::dataplane::judge::{Verdict, judge};
use lbgen::dataplane::observe::Observer;
use lbgen::dataplane::pool::{Backend, Pool, Stickiness};
use lbgen::dataplane::scheduler::Scheduler;
use lbgen::dataplane::simulate::{Failure, Traffic, run};
use lbgen::spec::model::{Algorithm, StickyMode};

fn pool(weights: &[u32], algorithm: Algorithm, timeout: Option<Option<u64>>) -> Pool {
    Pool {
        backends: weights
            .iter()
            .enumerate()
            .map(|(i, &weight)| Backend {
                name: format!("b{i}"),
                weight,
            })
            .collect(),
        algorithm,
        stickiness: timeout.map(|timeout_seconds| Stickiness {
            mode: StickyMode::SourceIp,
            timeout_seconds,
        }),
    }
}

fn status(v: &Verdict, id: &str) -> Vec<Option<bool>> {
    v.promises
        .iter()
        .filter(|p| p.id == id)
        .map(|p| p.holds)
        .collect()
}

/// `counts[i]` requests to backend i from distinct clients, interleaved.
fn feed(observer: &mut Observer, counts: &[u64], usable: impl Fn(usize) -> bool + Copy) {
    let mut left = counts.to_vec();
    let mut client = 0u64;
    while left.iter().any(|&n| n > 0) {
        for (b, n) in left.iter_mut().enumerate() {
            if *n > 0 {
                *n -= 1;
                client += 1;
                observer.served(client, client, b, usable);
            }
        }
    }
}

#[test]
fn a_five_point_share_error_is_broken_and_the_exact_share_holds() {
    let p = pool(&[80, 20], Algorithm::RoundRobin, None);
    let mut o = Observer::new(2, None);
    feed(&mut o, &[750, 250], |_| true);
    assert_eq!(
        status(&judge(&p, &o.finish(), None), "shares"),
        [Some(false)]
    );
    let mut o = Observer::new(2, None);
    feed(&mut o, &[800, 200], |_| true);
    let v = judge(&p, &o.finish(), None);
    assert_eq!(status(&v, "shares"), [Some(true)]);
    assert!(v.holds);
}

#[test]
fn traffic_to_a_drained_or_failed_backend_is_broken() {
    let p = pool(&[50, 50, 0], Algorithm::RoundRobin, None);
    let mut o = Observer::new(3, None);
    feed(&mut o, &[100, 100, 1], |_| true);
    let v = judge(&p, &o.finish(), None);
    assert_eq!(status(&v, "drained"), [Some(false)]);
    assert!(!v.holds);

    let mut o = Observer::new(3, None);
    feed(&mut o, &[100, 100, 0], |_| true);
    o.health_changed(vec![false, true, false]);
    feed(&mut o, &[100, 3, 0], |b| b == 0);
    assert_eq!(
        status(&judge(&p, &o.finish(), None), "unhealthy"),
        [Some(false)]
    );
}

#[test]
fn a_session_that_moves_inside_the_timeout_or_never_expires_is_broken() {
    let p = pool(&[1, 1], Algorithm::RoundRobin, Some(Some(60)));
    let mut o = Observer::new(2, Some(Some(60)));
    o.served(1, 0, 0, |_| true);
    o.served(1, 10_000, 1, |_| true);
    let v = judge(&p, &o.finish(), None);
    assert_eq!(status(&v, "sticky-inside-timeout"), [Some(false)]);

    // 200 clients come back after two minutes idle, always to the same backend: the
    // table never forgot them.
    let mut o = Observer::new(2, Some(Some(60)));
    for c in 0..200u64 {
        o.served(c, 0, (c % 2) as usize, |_| true);
        o.served(c, 120_000, (c % 2) as usize, |_| true);
    }
    let v = judge(&p, &o.finish(), None);
    assert_eq!(status(&v, "sticky-expires"), [Some(false)]);
}

#[test]
fn a_source_ip_client_that_switches_backend_is_broken() {
    let p = pool(&[1, 1], Algorithm::SourceIp, None);
    let mut o = Observer::new(2, None);
    o.served(7, 0, 0, |_| true);
    o.served(7, 1, 1, |_| true);
    let v = judge(&p, &o.finish(), None);
    assert_eq!(status(&v, "source-ip-consistent"), [Some(false)]);
}

#[test]
fn least_connections_with_skewed_open_connections_is_broken() {
    let p = pool(&[3, 1], Algorithm::LeastConnections, None);
    let mut o = Observer::new(2, None);
    for _ in 0..100 {
        o.sample_active(&[10, 10]);
    }
    feed(&mut o, &[300, 100], |_| true);
    let v = judge(&p, &o.finish(), None);
    assert_eq!(status(&v, "least-connections-active"), [Some(false)]);
    assert_eq!(status(&v, "shares"), [Some(true)]);
}

#[test]
fn the_reference_keeps_every_promise_for_every_algorithm_and_seed() {
    let algorithms = [
        Algorithm::RoundRobin,
        Algorithm::LeastConnections,
        Algorithm::SourceIp,
    ];
    for algorithm in algorithms {
        for sticky in [None, Some(Some(1800)), Some(None)] {
            for seed in 1..=3 {
                let p = pool(&[50, 30, 20, 0], algorithm, sticky);
                let traffic = Traffic {
                    requests: 30_000,
                    clients: 500,
                    seed,
                    failures: vec![Failure {
                        backend: 1,
                        at_request: 15_000,
                    }],
                };
                let obs = run(&p, &traffic);
                let scheduler = Scheduler::new(&p);
                let hash = scheduler.source_hash().map(|h| (h, traffic.clients));
                let v = judge(&p, &obs, hash);
                let broken: Vec<_> = v
                    .promises
                    .iter()
                    .filter(|p| p.holds == Some(false))
                    .collect();
                assert!(
                    broken.is_empty(),
                    "{algorithm:?} {sticky:?} seed {seed}: {broken:?}"
                );
                assert_eq!(status(&v, "unhealthy"), [Some(true)]);
                assert_eq!(status(&v, "drained"), [Some(true)]);
            }
        }
    }
}

#[test]
fn a_seed_reproduces_a_run_and_another_seed_does_not() {
    let p = pool(&[2, 1], Algorithm::LeastConnections, Some(Some(60)));
    let traffic = |seed| Traffic {
        requests: 5_000,
        clients: 100,
        seed,
        failures: Vec::new(),
    };
    let a = serde_json::to_string(&run(&p, &traffic(9))).expect("json");
    let b = serde_json::to_string(&run(&p, &traffic(9))).expect("json");
    let c = serde_json::to_string(&run(&p, &traffic(10))).expect("json");
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn source_ip_moves_only_the_leaving_backends_clients() {
    let p = pool(&[1, 1, 1, 1, 1], Algorithm::SourceIp, None);
    let traffic = Traffic {
        requests: 20_000,
        clients: 2_000,
        seed: 1,
        failures: vec![Failure {
            backend: 3,
            at_request: 10_000,
        }],
    };
    let obs = run(&p, &traffic);
    let scheduler = Scheduler::new(&p);
    let v = judge(&p, &obs, scheduler.source_hash().map(|h| (h, 2_000)));
    let remap = &v.remapping[0];
    assert_eq!(remap.leaving, "b3");
    assert!(
        (remap.remapped_pct - remap.own_pct).abs() < 1e-9,
        "{remap:?}"
    );
    assert!((remap.remapped_pct - 20.0).abs() < 3.0, "{remap:?}");
}

#[test]
fn cookie_stickiness_without_sticky_observations_is_not_judged() {
    let mut p = pool(&[1, 1], Algorithm::RoundRobin, Some(Some(60)));
    if let Some(s) = p.stickiness.as_mut() {
        s.mode = StickyMode::Cookie;
    }
    // What the prober builds for a cookie-sticky peer: no session bookkeeping.
    let mut o = Observer::new(2, None);
    feed(&mut o, &[50, 50], |_| true);
    let v = judge(&p, &o.finish(), None);
    assert_eq!(status(&v, "sticky-inside-timeout"), [None]);
    assert!(v.holds);
}
