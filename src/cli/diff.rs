//! `kubectl lbgen diff`: render, read the live counterparts (cluster or snapshot), and show
//! what applying would change, with kubectl diff's exit codes (0 same, 1 different,
//! 2 invalid input, 3 cluster unreachable or unreadable; an external diff program's own
//! code above 1 is passed on, as kubectl does).

use super::ci_report::FindingsFormat;
use super::inputs::{SpecInputs, Warnings};
use super::outcome::{Ended, Failure, ReportFormat, differs_if};
use clap::{Args, ValueEnum};
use lbgen::diff::{self, ChangeClass, ObjectDiff, Report, State};
use lbgen::live::{self, Cluster, ClusterOptions};
use lbgen::render::Renderer;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    #[command(flatten)]
    inputs: SpecInputs,
    /// Output: a unified diff per object, the whole report as JSON, or the findings in a
    /// CI format (docs/ci.md).
    #[arg(short = 'o', long = "output", value_enum, default_value = "diff")]
    output: Output,
    /// Compare with `kubectl get -o yaml` dumps below DIR instead of a cluster.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["kubeconfig", "context", "server"])]
    live_dir: Option<PathBuf>,
    /// Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).
    #[arg(long, value_name = "FILE")]
    kubeconfig: Option<PathBuf>,
    /// The kubeconfig context to use (default: its current context).
    #[arg(long, value_name = "NAME")]
    context: Option<String>,
    /// The API server URL, overriding the context's cluster.
    #[arg(short = 's', long, value_name = "URL")]
    server: Option<String>,
    /// The longest one request may take: 30s, 2m, or plain seconds.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_timeout)]
    request_timeout: Duration,
    /// Also show live objects carrying lbgen's managed-by label that are no longer rendered.
    #[arg(long)]
    prune: bool,
    /// Diff against what the API server would store: a server-side apply dry run per
    /// object (never persisted; field manager kubectl-lbgen, forced).
    #[arg(long, conflicts_with = "live_dir")]
    server_side: bool,
    /// Read templates from DIR/PROVIDER/KIND.yaml before the built-in ones.
    #[arg(long, value_name = "DIR")]
    template_dir: Option<PathBuf>,
    /// Exit 1 only for differences this disruptive: `recreate` (an object must be deleted
    /// and recreated, or --prune removes one), `risky` (also side effects), `any` (every
    /// difference, the default).
    #[arg(long, value_enum, value_name = "CLASS", default_value = "any")]
    fail_on: FailOn,
}

/// The least disruptive class of difference that makes `diff` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// A recreated or removed load balancer.
    Recreate,
    /// That, or a change applied with a side effect.
    Risky,
    /// Any difference.
    Any,
}

impl FailOn {
    /// Whether a report whose most disruptive difference is `worst` fails.
    fn fails(self, worst: Option<ChangeClass>) -> bool {
        let Some(worst) = worst else {
            return false;
        };
        match self {
            FailOn::Any => true,
            FailOn::Risky => worst >= ChangeClass::Risky,
            FailOn::Recreate => worst >= ChangeClass::Recreate,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    /// Unified diff per object with a one-line summary (or KUBECTL_EXTERNAL_DIFF).
    Diff,
    /// The report as JSON.
    Json,
    /// The compilation's and the changes' warnings as SARIF 2.1.0 (failures too).
    Sarif,
    /// GitHub Actions workflow commands: each difference (an error when --fail-on counts
    /// it) and each warning, at the spec.
    Github,
    /// A GitLab Code Quality report of the same findings.
    Gitlab,
    /// JUnit XML: a test case per compared object, failed when --fail-on counts it.
    Junit,
}

/// Where the live objects come from.
enum LiveOrigin {
    /// A cluster's API server.
    Cluster(Cluster),
    /// `kubectl get -o yaml` dumps below a directory.
    Snapshot(PathBuf),
}

/// `30s`, `2m` or `30`; at least one second, so every read is bounded and can succeed.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let (number, unit) = match text.strip_suffix('m') {
        Some(n) => (n, 60),
        None => (text.strip_suffix('s').unwrap_or(text), 1),
    };
    // 1s to 1h: a request to the API server that takes longer is not coming back.
    match number.parse::<u64>().ok().and_then(|n| n.checked_mul(unit)) {
        Some(n) if (1..=3600).contains(&n) => Ok(Duration::from_secs(n)),
        _ => Err(format!(
            "`{text}` is not a timeout; write 30s, 2m or 30 (1s to 1h)"
        )),
    }
}

impl DiffArgs {
    /// The format failures are reported in: the `-o` format, text for `-o diff`.
    pub(crate) fn report_format(&self) -> ReportFormat {
        match self.output {
            Output::Diff => ReportFormat::Text,
            Output::Json => ReportFormat::Json,
            Output::Sarif => ReportFormat::Sarif,
            Output::Github => ReportFormat::Github,
            Output::Gitlab => ReportFormat::Gitlab,
            Output::Junit => ReportFormat::Junit,
        }
    }
}

/// A cluster, snapshot or report that cannot be used: said in one line, as kubectl does.
pub(super) fn fail(cause: impl Into<Failure>) -> Failure {
    cause.into().in_one_line()
}

pub(crate) fn execute(args: DiffArgs) -> Ended {
    let mut loaded = args.inputs.load()?;
    // Connecting makes no request: it only reads the kubeconfig, whose context namespace
    // is the default for `-n` when rendering.
    let origin = match &args.live_dir {
        Some(dir) => LiveOrigin::Snapshot(dir.clone()),
        None => LiveOrigin::Cluster(
            Cluster::connect(&ClusterOptions {
                kubeconfig: args.kubeconfig.clone(),
                context: args.context.clone(),
                server: args.server.clone(),
                request_timeout: args.request_timeout,
            })
            .map_err(fail)?,
        ),
    };
    // Without -n, specs without a namespace go to the kubeconfig context's namespace.
    // It is checked like `-n`: it becomes part of file names and request URLs.
    if let (None, LiveOrigin::Cluster(c)) = (&loaded.overrides.namespace, &origin) {
        if let Err(e) = lbgen::emit::check_namespace(c.default_namespace()) {
            return Err(fail(Failure::error(
                "diff/namespace",
                format!("the kubeconfig context's {e}; fix the context or give -n"),
            )));
        }
        loaded.overrides.namespace = Some(c.default_namespace().to_string());
    }
    let namespace = loaded.overrides.namespace.clone();
    // Under a findings format (SARIF and the CI formats) they are the report on stdout.
    let findings_format = FindingsFormat::of(args.report_format());
    let findings = findings_format.is_some();
    let rules = if args.output == Output::Sarif {
        loaded.policies.rule_summaries()
    } else {
        Vec::new()
    };
    let warnings = if findings {
        Warnings::Kept
    } else {
        Warnings::ToStderr
    };
    let mut compiled = loaded.compile_with(&Renderer::new(args.template_dir.clone()), warnings)?;
    let located = if findings {
        super::diff_findings::locations(&compiled)
    } else {
        HashMap::new()
    };
    // Under a CI format the warnings are in its report, whatever happens next.
    let warnings = if findings {
        std::mem::take(&mut compiled.diagnostics)
    } else {
        Vec::new()
    };
    let report = compare_live(&args, &origin, compiled, namespace)
        .map_err(|failure| failure.after(&warnings))?;
    match (args.output, findings_format) {
        (_, Some(format)) => {
            super::diff_findings::Findings {
                report: &report,
                warnings: &warnings,
                located: &located,
                rules: &rules,
                fails: &|class| args.fail_on.fails(Some(class)),
            }
            .print(format)?;
        }
        (Output::Json, None) => {
            let text = serde_json::to_string_pretty(&report).map_err(|e| {
                fail(Failure::error(
                    "diff/report",
                    format!("cannot write the JSON report: {e}"),
                ))
            })?;
            super::output::stdout_plain(&format!("{text}\n"))?;
        }
        (_, None) => match external_program() {
            Some(program) => return super::diff_external::run(&report, &program),
            None => super::output::stdout(&text_report(&report))?,
        },
    }
    differs_if(report.has_differences() && args.fail_on.fails(report.worst()))
}

/// Reads the live counterparts of the compiled objects (or what the server would store,
/// with `--server-side`) and compares.
fn compare_live(
    args: &DiffArgs,
    origin: &LiveOrigin,
    mut compiled: lbgen::Compiled,
    namespace: Option<String>,
) -> Result<Report, Failure> {
    let extra: Vec<String> = namespace.into_iter().filter(|_| args.prune).collect();
    let scopes = live::scopes(&compiled.objects, &extra).map_err(fail)?;
    let live_objects = match origin {
        LiveOrigin::Cluster(c) => c.list(&scopes),
        LiveOrigin::Snapshot(dir) => live::read_dir(dir),
    }
    .map_err(fail)?;
    let desired = match (origin, args.server_side) {
        (LiveOrigin::Cluster(c), true) => c.dry_run_apply(&compiled.objects).map_err(fail)?,
        _ => std::mem::take(&mut compiled.objects),
    };
    let options = diff::Options {
        context_lines: 3,
        prune: args.prune,
        scopes,
        rules: lbgen::provider::change_rules(),
        ownership: lbgen::provider::annotation_ownership(),
        server_side: args.server_side,
    };
    diff::compare(&desired, &live_objects, &options)
        .map_err(|e| fail(Failure::from(e).named("diff/compare")))
}

/// `KUBECTL_EXTERNAL_DIFF` split as kubectl splits it: the program, then only the
/// arguments made of letters, digits, `-` and `=` (kubectl drops the others).
fn external_program() -> Option<Vec<String>> {
    let value = std::env::var("KUBECTL_EXTERNAL_DIFF").ok()?;
    let mut words = value.split_whitespace();
    let program = words.next()?.to_string();
    let args = words.filter(|a| {
        a.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '=')
    });
    Some(
        std::iter::once(program)
            .chain(args.map(String::from))
            .collect(),
    )
}

const ADDED: anstyle::Style = anstyle::AnsiColor::Green.on_default();
const REMOVED: anstyle::Style = anstyle::AnsiColor::Red.on_default();
const HUNK: anstyle::Style = anstyle::AnsiColor::Cyan.on_default();
const WARN: anstyle::Style = anstyle::AnsiColor::Yellow.on_default().bold();
const BOLD: anstyle::Style = anstyle::Style::new().bold();

/// The text report: per object a summary line, its diff, field changes and warnings; then
/// the totals. Styled; anstream strips the colour when stdout is no terminal or NO_COLOR
/// is set.
fn text_report(report: &Report) -> String {
    let mut out = String::new();
    for o in &report.objects {
        out.push_str(&summary_line(o));
        for line in o.diff.lines() {
            let style = match line.as_bytes().first() {
                Some(b'+') => ADDED,
                Some(b'-') => REMOVED,
                Some(b'@') => HUNK,
                _ => anstyle::Style::new(),
            };
            out.push_str(&format!("{style}{line}{style:#}\n"));
        }
        for field in &o.fields {
            out.push_str(&format!("  {field}\n"));
        }
        for w in &o.warnings {
            let impact = match w.impact {
                lbgen::provider::changes::Impact::NotInPlace => "not applied in place",
                lbgen::provider::changes::Impact::Risky => "risky",
                lbgen::provider::changes::Impact::IgnoredAfterCreate => "ignored after create",
            };
            out.push_str(&format!(
                "  {WARN}warning{WARN:#}: {} ({impact}): {}\n",
                w.field, w.message
            ));
        }
    }
    let s = &report.summary;
    out.push_str(&format!(
        "{BOLD}{} added, {} changed, {} unchanged, {} would be removed{BOLD:#}",
        s.added, s.changed, s.unchanged, s.would_be_removed
    ));
    if s.not_read > 0 {
        out.push_str(&format!(", {} Secret(s) not read", s.not_read));
    }
    out.push('\n');
    out
}

fn summary_line(o: &ObjectDiff) -> String {
    let (mark, style, state) = match o.state {
        State::Added => ("+", ADDED, "added".to_string()),
        State::Changed => (
            "~",
            WARN,
            match o.warnings.len() {
                0 => "changed".to_string(),
                n => format!("changed, {n} warning{}", if n == 1 { "" } else { "s" }),
            },
        ),
        State::Unchanged => ("=", anstyle::Style::new(), "unchanged".to_string()),
        State::WouldBeRemoved => ("-", REMOVED, "would be removed (--prune)".to_string()),
        State::NotRead => (
            "?",
            anstyle::Style::new(),
            "not compared (Secrets are never read)".to_string(),
        ),
    };
    let ns = if o.namespace.is_empty() {
        String::new()
    } else {
        format!("{}/", o.namespace)
    };
    format!(
        "{style}{mark} {} {ns}{}: {state}{style:#}\n",
        o.kind, o.name
    )
}
