//! Scheduler decisions per second for each algorithm at 2, 10, 100, 1,000 and 10,000 backends,
//! and the checker's wall time on 10 M simulated requests (simulate + judge).
//!
//! `cargo bench --bench dataplane`; criterion prints decisions/s as "elem/s". Figures
//! from the development machine are in README.md ("Data-plane check").

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use lbgen::dataplane::judge::judge;
use lbgen::dataplane::pool::{Backend, Pool};
use lbgen::dataplane::scheduler::Scheduler;
use lbgen::dataplane::simulate::{Traffic, run};
use lbgen::dataplane::source_hash::client_address;
use lbgen::spec::model::Algorithm;
use std::collections::VecDeque;
use std::hint::black_box;
use std::time::Duration;

fn pool(n: usize, algorithm: Algorithm) -> Pool {
    Pool {
        backends: (0..n)
            .map(|i| Backend {
                name: format!("backend-{i}"),
                weight: 1 + (i % 10) as u32,
            })
            .collect(),
        algorithm,
        stickiness: None,
    }
}

fn decisions(c: &mut Criterion) {
    let mut group = c.benchmark_group("decisions");
    group.throughput(Throughput::Elements(1));
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_secs(1));
    for algorithm in [
        Algorithm::RoundRobin,
        Algorithm::LeastConnections,
        Algorithm::SourceIp,
    ] {
        for n in [2usize, 10, 100, 1000, 10_000] {
            let pool = pool(n, algorithm);
            let mut scheduler = Scheduler::new(&pool);
            // Least connections in steady state: 10 open connections per backend, the
            // oldest closing as each new one opens.
            let mut open: VecDeque<usize> = VecDeque::new();
            let mut client = 0u32;
            group.bench_with_input(BenchmarkId::new(algorithm.as_str(), n), &n, |b, &n| {
                b.iter(|| {
                    client = client.wrapping_add(1);
                    let picked = scheduler.pick(black_box(client_address(client)));
                    if let Some(p) = picked {
                        open.push_back(p);
                        if open.len() > 10 * n
                            && let Some(old) = open.pop_front()
                        {
                            scheduler.release(old);
                        }
                    }
                    picked
                })
            });
        }
    }
    group.finish();
}

fn checker(c: &mut Criterion) {
    let mut group = c.benchmark_group("checker");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(10_000_000));
    for algorithm in [
        Algorithm::RoundRobin,
        Algorithm::LeastConnections,
        Algorithm::SourceIp,
    ] {
        let pool = pool(3, algorithm);
        let traffic = Traffic {
            requests: 10_000_000,
            clients: 1000,
            seed: 1,
            failures: Vec::new(),
        };
        group.bench_function(BenchmarkId::new("10M", algorithm.as_str()), |b| {
            b.iter(|| judge(&pool, &run(&pool, &traffic), None).holds)
        });
    }
    group.finish();
}

criterion_group!(benches, decisions, checker);
criterion_main!(benches);
