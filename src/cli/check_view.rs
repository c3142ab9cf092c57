//! The text form of a check: per phase a table and a bar chart of expected against
//! observed shares, then every promise with its verdict. Plain ASCII so it reads the
//! same in a terminal, a CI log and a test's expected output.

use super::check::Report;
use lbgen::dataplane::judge::Table;
use std::fmt::Write;

/// Width of a 100% bar.
const BAR: usize = 40;

pub(crate) fn text(report: &Report<'_>) -> String {
    let mut out = String::new();
    let algorithm = report.pool.algorithm.as_str();
    let sticky = report.pool.stickiness.map_or(String::new(), |s| {
        let timeout = s
            .timeout_seconds
            .map_or("no timeout".into(), |t| format!("{t} s"));
        format!(", {} stickiness ({timeout})", s.mode.as_str())
    });
    let _ = writeln!(
        out,
        "check {}: {algorithm}{sticky}, {} over {} request(s)",
        report.name, report.mode, report.requests
    );
    for table in &report.verdict.tables {
        out.push('\n');
        write_table(&mut out, table);
    }
    for r in &report.verdict.remapping {
        let _ = writeln!(
            out,
            "\nsource-ip: when {} leaves, {:.1}% of clients move; it served {:.1}% of them (1/n = {:.1}%)",
            r.leaving, r.remapped_pct, r.own_pct, r.ideal_pct
        );
    }
    out.push_str("\npromises:\n");
    for p in &report.verdict.promises {
        let mark = match p.holds {
            Some(true) => "ok",
            Some(false) => "BROKEN",
            None => "-",
        };
        let _ = writeln!(out, "  {mark:<6} {:<26} {}", p.id, p.detail);
    }
    let broken = report
        .verdict
        .promises
        .iter()
        .filter(|p| p.holds == Some(false))
        .count();
    let _ = match broken {
        0 => writeln!(out, "\nevery promise holds"),
        n => writeln!(out, "\n{n} promise(s) broken"),
    };
    out
}

fn write_table(out: &mut String, table: &Table) {
    let width = table
        .rows
        .iter()
        .map(|r| r.backend.len())
        .max()
        .unwrap_or(0)
        .max("backend".len());
    let _ = writeln!(
        out,
        "from request {}, counting {}:",
        table.first_request, table.unit
    );
    let _ = writeln!(
        out,
        "  {:<width$}  {:>6}  {:>8}  {:>8}  {:>10}  {:>9}",
        "backend", "weight", "expected", "observed", "count", "deviation"
    );
    for r in &table.rows {
        let state = if r.down { "  (down)" } else { "" };
        let _ = writeln!(
            out,
            "  {:<width$}  {:>6}  {:>7.2}%  {:>7.2}%  {:>10}  {:>+9.2}{state}",
            r.backend,
            r.weight,
            r.expected_pct,
            r.observed_pct,
            r.count,
            r.observed_pct - r.expected_pct
        );
    }
    out.push('\n');
    for r in &table.rows {
        let _ = writeln!(
            out,
            "  {:<width$}  expected |{}",
            r.backend,
            bar(r.expected_pct, '-')
        );
        let _ = writeln!(
            out,
            "  {:<width$}  observed |{}",
            "",
            bar(r.observed_pct, '#')
        );
    }
}

fn bar(pct: f64, fill: char) -> String {
    let n = ((pct / 100.0) * BAR as f64).round() as usize;
    fill.to_string().repeat(n.min(BAR))
}
