//! `kubectl lbgen check`: does traffic flow the way the spec promises? Against the
//! reference scheduler (simulation, before deploying) or a real endpoint (`--target`,
//! after). The spec goes through the same loading, plan and policy stages as `render`,
//! so a spec render would refuse is refused here too (exit 2).

use super::ci_report::FindingsFormat;
use super::inputs::{SpecInputs, Warnings};
use super::outcome::{Ended, Failure, ReportFormat, Success, differs_if};
use super::{check_findings, check_view, output};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lbgen::dataplane::judge::{Verdict, judge};
use lbgen::dataplane::probe::{Target, probe};
use lbgen::dataplane::simulate::{self, Traffic, run};
use lbgen::dataplane::{Pool, Selection, scheduler};
use lbgen::diag::{Diagnostic, Location};
use lbgen::policy::engine::RuleSummary;
use lbgen::render::Renderer;
use lbgen::spec::values::Duration;
use serde::Serialize;
use std::collections::HashMap;
use std::io::IsTerminal;

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
    /// Output: the verdict as a table (text) or JSON, or the broken promises and the
    /// compilation's warnings as findings at the spec (sarif, github, gitlab; junit: a test
    /// case per promise, broken fails, not judged is skipped).
    #[arg(short = 'o', long = "output", value_enum, default_value = "text")]
    output: ReportFormat,
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

impl CheckArgs {
    /// The format failures are reported in: the `-o` format.
    pub(crate) fn report_format(&self) -> ReportFormat {
        self.output
    }

    /// The findings format of `-o` (SARIF and the CI formats), whose report carries the
    /// compilation's warnings.
    fn findings_format(&self) -> Option<FindingsFormat> {
        FindingsFormat::of(self.report_format())
    }
}

pub(crate) fn execute(args: CheckArgs) -> Ended {
    let Checked {
        name,
        pool,
        location,
        warnings,
        rules,
    } = load(&args)?;
    if let Some(n) = args.sequence {
        let mut picks = String::new();
        for b in scheduler::sequence(&pool, n) {
            picks.push_str(&pool.backends[b].name);
            picks.push('\n');
        }
        output::stdout_plain(&picks)?;
        return Ok(Success::Clean);
    }
    let run = match &args.target {
        Some(url) => live(&args, &pool, url),
        None => simulated(&args, &pool).map_err(|message| Failure::error(INPUT, message)),
    };
    // Under a CI format the warnings are in its report, whatever happens next.
    let (verdict, requests, mode) = run.map_err(|failure| failure.after(&warnings))?;
    let report = Report {
        name: &name,
        mode,
        requests,
        pool: &pool,
        verdict: &verdict,
    };
    if let Some(format) = args.findings_format() {
        let findings = check_findings::Findings {
            name: &name,
            verdict: &verdict,
            warnings,
            location: &location,
            rules: &rules,
        };
        findings.print(format)?;
        return differs_if(!verdict.holds);
    }
    let text = match args.output {
        ReportFormat::Json => {
            serde_json::to_string_pretty(&report).map_or_else(|e| e.to_string(), |j| j + "\n")
        }
        _ => check_view::text(&report),
    };
    output::stdout_plain(&text)?;
    differs_if(!verdict.holds)
}

/// The one spec, compiled: what the check runs on.
struct Checked {
    name: String,
    pool: Pool,
    /// Where the spec is (its `metadata.name`).
    location: Location,
    /// The compilation's warnings, when a CI format reports them (else they are on stderr).
    warnings: Vec<Diagnostic>,
    /// The rules a SARIF log describes (`-o sarif` only).
    rules: Vec<RuleSummary>,
}

/// Runs the one spec through render's stages and builds its pool from the plan they made.
fn load(args: &CheckArgs) -> Result<Checked, Failure> {
    let loaded = args.inputs.load()?;
    let kept = args.findings_format().is_some();
    let rules = if args.output == ReportFormat::Sarif {
        loaded.policies.rule_summaries()
    } else {
        Vec::new()
    };
    let warnings = if kept {
        Warnings::Kept
    } else {
        Warnings::ToStderr
    };
    let compiled = loaded.compile_with(&Renderer::new(None), warnings)?;
    let count = compiled.specs.len();
    let Some(spec) = compiled.specs.into_iter().next().filter(|_| count == 1) else {
        return Err(Failure::error(
            INPUT,
            format!("check judges one LoadBalancer at a time; the input has {count}"),
        ));
    };
    let selection = Selection {
        route: args.route,
        pods: args.pods,
    };
    let pool =
        Pool::from_plan(&spec.plan, selection).map_err(|e| Failure::error(INPUT, e.to_string()))?;
    Ok(Checked {
        name: spec.plan.name,
        pool,
        location: spec.location,
        warnings: compiled.diagnostics.into_iter().filter(|_| kept).collect(),
        rules,
    })
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

/// The rule of check's own input errors (flags that do not fit the spec).
const INPUT: &str = "check/input";

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
fn parse_failure(pool: &Pool, text: &str) -> Result<simulate::Failure, String> {
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
    Ok(simulate::Failure {
        backend,
        at_request,
    })
}

/// Probes `url`.
fn live(args: &CheckArgs, pool: &Pool, url: &str) -> Result<(Verdict, u64, &'static str), Failure> {
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
            return Err(Failure::error(INPUT, message));
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
    let obs = result?;
    let sent =
        obs.phases.iter().flat_map(|p| &p.requests).sum::<u64>() + obs.failed + obs.unidentified;
    Ok((judge(pool, &obs, None), sent, "target"))
}
