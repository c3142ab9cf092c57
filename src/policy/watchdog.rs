//! A time bound on every rule evaluation.
//!
//! CEL has no loops, but nested comprehensions over lists multiply (`l.all(a, l.all(b,
//! ...))`), so a short rule can run for hours; the cel crate has no way to interrupt an
//! evaluation. So each thread that evaluates rules marks the rule and the time it started
//! in a slot, and one watchdog thread ends the process with exit 2 and a located error when
//! a rule runs longer than the limit (`LBGEN_RULE_TIMEOUT_MS`, default 10 s): a run that
//! cannot finish is refused like any other invalid input, not left hanging.

use crate::diag::Location;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The environment variable that sets the limit, in milliseconds.
pub const ENV_TIMEOUT: &str = "LBGEN_RULE_TIMEOUT_MS";

/// The default limit: built-in rules take microseconds.
const DEFAULT_TIMEOUT_MS: u64 = 10_000;

/// What a thread is evaluating.
struct Running {
    started: Instant,
    rule: Arc<str>,
    at: Location,
}

type Slot = Arc<Mutex<Option<Running>>>;

/// Every evaluating thread's slot.
static SLOTS: Mutex<Vec<Slot>> = Mutex::new(Vec::new());
static WATCHDOG: OnceLock<Duration> = OnceLock::new();

thread_local! {
    static MINE: Slot = {
        let slot = Slot::default();
        SLOTS.lock().unwrap_or_else(|e| e.into_inner()).push(slot.clone());
        slot
    };
}

/// The limit (`LBGEN_RULE_TIMEOUT_MS`, default 10,000 ms).
pub fn limit() -> Duration {
    let ms = std::env::var(ENV_TIMEOUT)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .unwrap_or(DEFAULT_TIMEOUT_MS);
    Duration::from_millis(ms)
}

/// Runs `f` (one evaluation of `rule`, defined at `at`) under the time bound.
pub fn bounded<T>(rule: &Arc<str>, at: &Location, f: impl FnOnce() -> T) -> T {
    WATCHDOG.get_or_init(|| {
        let limit = limit();
        // Without a watchdog thread there is no bound, but the evaluation still runs.
        let _ = std::thread::Builder::new()
            .name("rule-watchdog".into())
            .spawn(move || watch(limit));
        limit
    });
    MINE.with(|slot| {
        set(
            slot,
            Some(Running {
                started: Instant::now(),
                rule: rule.clone(),
                at: at.clone(),
            }),
        );
        let out = f();
        set(slot, None);
        out
    })
}

fn set(slot: &Slot, value: Option<Running>) {
    *slot.lock().unwrap_or_else(|e| e.into_inner()) = value;
}

/// The watchdog: checks every slot a few times per limit; ends the process on a rule that
/// overran.
fn watch(limit: Duration) {
    let tick = (limit / 8).clamp(Duration::from_millis(5), Duration::from_millis(200));
    loop {
        std::thread::sleep(tick);
        // Nothing is allocated here: a thread that allocates gets a malloc arena of its
        // own, and the address space that reserves counts against a memory limit.
        let slots = SLOTS.lock().unwrap_or_else(|e| e.into_inner());
        for slot in slots.iter() {
            let guard = slot.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(r) = guard.as_ref()
                && r.started.elapsed() > limit
            {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(
                    err,
                    "error: rule `{}` ran longer than {} ms and was stopped; simplify it (nested comprehensions multiply), or raise the limit with {ENV_TIMEOUT} [policy/timeout]\n --> {}:{}:{}\n1 error found; nothing was written",
                    r.rule,
                    limit.as_millis(),
                    r.at.file,
                    r.at.line,
                    r.at.column
                );
                let _ = err.flush();
                std::process::exit(2);
            }
        }
    }
}
