//! `kubectl lbgen check`: does traffic flow the way the spec promises? Against the
//! reference scheduler (simulation, before deploying) or a real endpoint (`--target`,
//! after). The spec goes through the same loading, plan and policy stages as `render`,
//! so a spec render would refuse is refused here too (exit 2).

use super::inputs::SpecInputs;
use super::{Outcome, check_view, report};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lbgen::dataplane::judge::{Verdict, judge};
use lbgen::dataplane::probe::{ProbeError, Target, probe};
use lbgen::dataplane::simulate::{Failure, Traffic, run};
use lbgen::dataplane::{Pool, Selection, scheduler};
use lbgen::diag::Diagnostic;
use lbgen::render::Renderer;
use lbgen::spec::load::{Item, Source, parse_sources};
use lbgen::spec::values::Duration;
use serde::Serialize;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};

/// The bounds of check's numeric flags (README.md, "Limits"): each keeps one run's memory
/// and time small (a simulated request takes about a microsecond, a client a few bytes).
const MAX_REQUESTS: u64 = 10_000_000;
const MAX_CLIENTS: i64 = 1_000_000;
const MAX_PODS: i64 = 10_000;
const MAX_SEQUENCE: u64 = 1_000_000;
const MAX_ROUTES: usize = 10_000;
const MAX_TIME_SECONDS: u64 = 24 * 3600;

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    inputs: SpecInputs,
    /// Requests to simulate or send, 1 to 10000000 [default: 100000 simulated, 1000
    /// against --target].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=MAX_REQUESTS))]
    requests: Option<u64>,
    /// Distinct simulated clients (source addresses 10.0.0.1 and up), 1 to 1000000.
    #[arg(long, value_name = "M", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=MAX_CLIENTS))]
    clients: u32,
    /// Seed of the simulation; the same seed gives the same run.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Take BACKEND down just before request T (1-based); repeatable.
    #[arg(long, value_name = "BACKEND@T", conflicts_with = "target")]
    fail: Vec<String>,
    /// Ingress: which route to check (0-based: the Nth entry of spec.routes).
    #[arg(long, value_name = "N", default_value_t = 0, value_parser = route_index)]
    route: usize,
    /// Service: how many selected pods to assume (equal weight), 0 to 10000.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=MAX_PODS))]
    pods: u32,
    /// Print the first N picks of a fresh scheduler, one backend per line, and stop (1 to
    /// 1000000).
    #[arg(long, value_name = "N", conflicts_with = "target", value_parser = clap::value_parser!(u64).range(1..=MAX_SEQUENCE))]
    sequence: Option<u64>,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value = "text")]
    output: Output,
    /// Probe this plain-http endpoint instead of simulating.
    #[arg(long, value_name = "URL")]
    target: Option<String>,
    /// Requests in flight at once against --target.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=256))]
    concurrency: u32,
    /// Stop probing after this long (1s to 24h, e.g. 30s, 5m), whatever --requests says.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = positive_duration)]
    max_time: Duration,
    /// Response header naming the backend (else the body's first line is used).
    #[arg(long, value_name = "NAME", default_value = "x-lbgen-backend")]
    id_header: String,
    /// BACKEND=IDENTITY pairs when the endpoint reports something else than the names.
    #[arg(long, value_name = "BACKEND=ID,...", value_delimiter = ',')]
    id_map: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Output {
    Text,
    Json,
}

/// What `-o json` prints: the check's inputs and its verdict.
#[derive(Debug, Serialize)]
pub(crate) struct Report<'a> {
    pub(crate) name: &'a str,
    pub(crate) mode: &'static str,
    pub(crate) requests: u64,
    pub(crate) pool: &'a Pool,
    #[serde(flatten)]
    pub(crate) verdict: &'a Verdict,
}

pub(crate) fn execute(args: CheckArgs) -> Outcome {
    let (name, pool) = match load(&args) {
        Ok(x) => x,
        Err(outcome) => return outcome,
    };
    if let Some(n) = args.sequence {
        let mut out = std::io::stdout().lock();
        for b in scheduler::sequence(&pool, n) {
            if writeln!(out, "{}", pool.backends[b].name).is_err() {
                break;
            }
        }
        return Outcome::Success;
    }
    let (verdict, requests, mode) = match &args.target {
        Some(url) => match live(&args, &pool, url) {
            Ok(x) => x,
            Err(outcome) => return outcome,
        },
        None => match simulated(&args, &pool) {
            Ok(x) => x,
            Err(message) => {
                report::to_stderr(&[error(message)], &[]);
                return Outcome::Invalid;
            }
        },
    };
    let report = Report {
        name: &name,
        mode,
        requests,
        pool: &pool,
        verdict: &verdict,
    };
    let text = match args.output {
        Output::Text => check_view::text(&report),
        Output::Json => {
            serde_json::to_string_pretty(&report).map_or_else(|e| e.to_string(), |j| j + "\n")
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    if verdict.holds {
        Outcome::Success
    } else {
        Outcome::Differs
    }
}

/// Reads the one spec, runs it through render's stages, and builds its pool. Every
/// problem is reported here; the error is the outcome to exit with.
fn load(args: &CheckArgs) -> Result<(String, Pool), Outcome> {
    let invalid = |diags: &[Diagnostic], sources: &[Source]| {
        report::to_stderr(diags, sources);
        Outcome::Invalid
    };
    let loaded = args.inputs.load().ok_or(Outcome::Invalid)?;
    loaded.compile(&Renderer::new(None))?;
    let (sources, overrides) = (&loaded.sources, &loaded.overrides);
    let (items, _) = parse_sources(sources, overrides.specs_only);
    let specs: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::LoadBalancer(lb, doc) => Some((lb, doc)),
            Item::Passthrough(..) => None,
        })
        .collect();
    let [(lb, doc)] = specs.as_slice() else {
        let message = format!(
            "check judges one LoadBalancer at a time; the input has {}",
            specs.len()
        );
        return Err(invalid(&[error(message)], sources));
    };
    let plan = lbgen::plan::build(lb, overrides).map_err(|e| {
        let d = Diagnostic::error(
            "plan/provider",
            e.to_string(),
            Some(doc.locate("spec.provider")),
        );
        invalid(&[d], sources)
    })?;
    let selection = Selection {
        route: args.route,
        pods: args.pods,
    };
    let pool =
        Pool::from_plan(&plan, selection).map_err(|e| invalid(&[error(e.to_string())], sources))?;
    Ok((plan.name, pool))
}

/// `--max-time`: a spec duration from 1s to 24h.
fn positive_duration(s: &str) -> Result<Duration, String> {
    let too_long = || format!("`{s}` is too long: --max-time is at most 24h");
    let d = Duration::parse(s).map_err(|e| if e.contains("at most") { too_long() } else { e })?;
    Ok(d).and_then(|d| {
        if d.0 == 0 {
            Err("a probe needs some time: give 1s or more".into())
        } else if d.0 > MAX_TIME_SECONDS {
            Err(too_long())
        } else {
            Ok(d)
        }
    })
}

/// `--route`: a route index, 0 to 9999 (the spec says how many there are).
fn route_index(s: &str) -> Result<usize, String> {
    s.parse::<usize>()
        .ok()
        .filter(|n| *n < MAX_ROUTES)
        .ok_or_else(|| format!("`{s}` is not a route index: give 0 to {}", MAX_ROUTES - 1))
}

fn error(message: String) -> Diagnostic {
    Diagnostic::error("check/input", message, None)
}

/// Runs the simulation of `--requests` from `--clients` with `--fail`.
fn simulated(args: &CheckArgs, pool: &Pool) -> Result<(Verdict, u64, &'static str), String> {
    let failures = args
        .fail
        .iter()
        .map(|f| parse_failure(pool, f))
        .collect::<Result<Vec<_>, _>>()?;
    let requests = args.requests.unwrap_or(100_000);
    if let Some(late) = failures.iter().find(|f| f.at_request > requests) {
        return Err(format!(
            "--fail {}@{}: the run has only {requests} request(s); fail a backend earlier or raise --requests",
            pool.backends[late.backend].name, late.at_request
        ));
    }
    let traffic = Traffic {
        requests,
        clients: args.clients,
        seed: args.seed,
        failures,
    };
    let observations = run(pool, &traffic);
    let scheduler = scheduler::Scheduler::new(pool);
    let hash = scheduler.source_hash().map(|h| (h, args.clients));
    Ok((
        judge(pool, &observations, hash),
        traffic.requests,
        "simulation",
    ))
}

/// `BACKEND@T`: a backend of the pool and a request number from 1.
fn parse_failure(pool: &Pool, text: &str) -> Result<Failure, String> {
    let bad = |why: String| {
        format!(
            "--fail `{text}`: {why}; write BACKEND@T, e.g. {}@5000",
            pool.backends[0].name
        )
    };
    let (name, at) = text.rsplit_once('@').ok_or_else(|| bad("no `@`".into()))?;
    let backend = pool.index_of(name).ok_or_else(|| {
        bad(format!(
            "no backend `{name}` (backends: {})",
            pool.names().join(", ")
        ))
    })?;
    let at_request = at
        .parse::<u64>()
        .ok()
        .filter(|t| *t >= 1)
        .ok_or_else(|| bad(format!("`{at}` is not a request number from 1")))?;
    Ok(Failure {
        backend,
        at_request,
    })
}

/// Probes `url`; on failure, the diagnostic has been reported and the outcome is the error.
fn live(args: &CheckArgs, pool: &Pool, url: &str) -> Result<(Verdict, u64, &'static str), Outcome> {
    let mut id_map = HashMap::new();
    for pair in &args.id_map {
        let parsed = pair.split_once('=').and_then(|(name, id)| {
            pool.index_of(name.trim())
                .map(|b| (id.trim().to_string(), b))
        });
        let Some((id, backend)) = parsed else {
            let message = format!(
                "--id-map `{pair}`: write BACKEND=IDENTITY with a backend of the spec ({})",
                pool.names().join(", ")
            );
            report::to_stderr(&[error(message)], &[]);
            return Err(Outcome::Invalid);
        };
        id_map.insert(id, backend);
    }
    let target = Target {
        url: url.to_string(),
        requests: args.requests.unwrap_or(1000),
        concurrency: args.concurrency,
        max_time: std::time::Duration::from_secs(args.max_time.0),
        request_timeout: std::time::Duration::from_secs(5),
        id_header: args.id_header.clone(),
        id_map,
    };
    // A progress bar only for a person watching a terminal; never on stdout.
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(target.requests), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} requests {elapsed}") {
        bar.set_style(style);
    }
    let result = probe(pool, &target, &|done| bar.set_position(done));
    bar.finish_and_clear();
    match result {
        Ok(obs) => {
            let sent = obs.phases.iter().flat_map(|p| &p.requests).sum::<u64>()
                + obs.failed
                + obs.unidentified;
            Ok((judge(pool, &obs, None), sent, "target"))
        }
        Err(e @ ProbeError::BadUrl { .. }) => {
            report::to_stderr(&[error(e.to_string())], &[]);
            Err(Outcome::Invalid)
        }
        Err(e @ ProbeError::Unreachable { .. }) => {
            report::to_stderr(
                &[Diagnostic::error("check/unreachable", e.to_string(), None)],
                &[],
            );
            Err(Outcome::Unreachable)
        }
    }
}
