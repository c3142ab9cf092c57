//! Showing diagnostics to a person: `file:line:col`, the message, and the offending line
//! with a caret, coloured on a terminal unless `NO_COLOR` is set (anstream decides).

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use lbgen::diag::{Diagnostic, Severity};
use lbgen::spec::load::Source;
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;

/// Writes every diagnostic to stderr. `sources` supplies the lines to quote.
pub(crate) fn to_stderr(diagnostics: &[Diagnostic], sources: &[Source]) {
    let mut err = anstream::stderr();
    let renderer =
        if anstream::AutoStream::choice(&std::io::stderr()) == anstream::ColorChoice::Never {
            Renderer::plain()
        } else {
            Renderer::styled()
        };
    // Each file's lines are indexed once: thousands of warnings on a large input must
    // not rescan the file each time.
    let lines: HashMap<&str, Vec<&str>> = sources
        .iter()
        .map(|s| (s.name.as_str(), yaml_lines(&s.text)))
        .collect();
    for d in diagnostics {
        let _ = writeln!(err, "{}", render(d, &lines, &renderer));
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        let _ = writeln!(
            err,
            "{errors} error{} found; nothing was written",
            if errors == 1 { "" } else { "s" }
        );
    }
}

/// Writes every diagnostic to stderr in one line, `error: <first line of the message>`
/// (with ` [<rule>]` when `with_rule`).
pub(crate) fn lines_to_stderr(diagnostics: &[Diagnostic], with_rule: bool) {
    const ERROR: anstyle::Style = anstyle::AnsiColor::Red.on_default().bold();
    const WARNING: anstyle::Style = anstyle::AnsiColor::Yellow.on_default().bold();
    let mut err = anstream::stderr();
    for d in diagnostics {
        let (style, level) = match d.severity {
            Severity::Error => (ERROR, "error"),
            Severity::Warning => (WARNING, "warning"),
        };
        // Library errors can nest multi-line causes (a YAML error in a kubeconfig quotes
        // the source): the first line says what and where; keep the line to it.
        let message = d.message.lines().next().unwrap_or_default().trim_end();
        let rule = if with_rule {
            format!(" [{}]", d.rule)
        } else {
            String::new()
        };
        let _ = writeln!(err, "{style}{level}{style:#}: {message}{rule}");
    }
}

/// The `-o json` report: one flat record per finding plus counts. Field names are stable.
pub(crate) fn json(diagnostics: &[Diagnostic]) -> serde_json::Value {
    let records: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let mut record = serde_json::json!({
                "rule": d.rule,
                "severity": d.severity,
                "message": d.message,
                "file": d.location.as_ref().map(|l| PathBuf::from(&l.file)),
                "line": d.location.as_ref().map(|l| l.line),
                "column": d.location.as_ref().map(|l| l.column),
                "field": d.field,
                "provider": d.provider,
            });
            // Only where there is a fix: records without one keep their fields.
            if let Some(help) = &d.help {
                record["help"] = help.message.as_str().into();
                if let Some(r) = &help.replacement {
                    record["replacement"] =
                        serde_json::json!({"text": r.text, "columns": r.columns});
                }
                if let Some(note) = &help.note {
                    record["note"] = note.as_str().into();
                }
            }
            record
        })
        .collect();
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    serde_json::json!({
        "diagnostics": records,
        "summary": {"errors": errors, "warnings": diagnostics.len() - errors},
    })
}

/// Prints a JSON (or SARIF) report on stdout.
pub(crate) fn print_json(value: &serde_json::Value) -> Result<(), super::output::WriteError> {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    super::output::stdout_plain(&format!("{text}\n"))
}

fn render(d: &Diagnostic, lines: &HashMap<&str, Vec<&str>>, renderer: &Renderer) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = format!("{} [{}]", d.message, d.rule);
    let Some(loc) = &d.location else {
        return renderer.render(&[with_help(Group::with_title(level.primary_title(&title)), d)]);
    };
    let line_text = lines
        .get(loc.file.as_str())
        .and_then(|l| l.get(loc.line.saturating_sub(1)))
        .copied();
    let path = loc.file.clone();
    let Some(line_text) = line_text else {
        let place = format!("{}:{}:{}", loc.file, loc.line, loc.column);
        let group = level.primary_title(&title).element(Origin::path(&place));
        return renderer.render(&[with_help(group, d)]);
    };
    // Columns count characters; the snippet wants bytes. Underline the token there.
    let start = line_text
        .char_indices()
        .nth(loc.column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    let end = lbgen::yaml::token::token_end(line_text, start).max((start + 1).min(line_text.len()));
    let label = d.field.clone().unwrap_or_default();
    if line_text.len() > LONG_LINE {
        return render_window(d, loc, &title, line_text, start..end, &label);
    }
    let group = level.primary_title(&title).element(
        Snippet::source(line_text)
            .line_start(loc.line)
            .path(&path)
            .annotation(AnnotationKind::Primary.span(start..end).label(&label)),
    );
    renderer.render(&[with_help(group, d)])
}

/// The diagnostic's `note:` and `help:` lines below its snippet.
fn with_help<'a>(mut group: Group<'a>, d: &'a Diagnostic) -> Group<'a> {
    if let Some(help) = &d.help {
        if let Some(note) = &help.note {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        group = group.element(Level::HELP.message(help.message.as_str()));
    }
    group
}

/// Lines longer than this (bytes) are quoted as a window around the caret: the renderer
/// lays out every character it is given (about 16 bytes each), so quoting a 10 MB
/// one-line flow list whole would cost 160 MB to print one error.
const LONG_LINE: usize = 1024;

/// Characters of context quoted on each side of the caret on a long line, and the widest
/// caret there.
const WINDOW: usize = 40;

/// A diagnostic on a long line, laid out as the renderer lays out the others: the
/// location stated exactly (file, line, column), then the part of the line around the
/// caret between `...` marks, the caret at most [`WINDOW`] characters wide.
fn render_window(
    d: &Diagnostic,
    loc: &lbgen::diag::Location,
    title: &str,
    line_text: &str,
    span: std::ops::Range<usize>,
    label: &str,
) -> String {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let byte_after = |from: usize, chars: usize| {
        line_text[from..]
            .char_indices()
            .nth(chars)
            .map_or(line_text.len(), |(i, _)| from + i)
    };
    let end = span.end.min(byte_after(span.start, WINDOW)).max(span.start);
    let from = line_text[..span.start]
        .char_indices()
        .rev()
        .nth(WINDOW.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let to = byte_after(end, WINDOW);
    let head = if from > 0 { "..." } else { "" };
    let tail = if to < line_text.len() { "..." } else { "" };
    let pad = head.len() + line_text[from..span.start].chars().count();
    let carets = line_text[span.start..end].chars().count().max(1);
    let number = loc.line.to_string();
    let gutter = " ".repeat(number.len());
    let label = if label.is_empty() {
        String::new()
    } else {
        format!(" {label}")
    };
    let mut shown = format!(
        "{level}: {title}\n{gutter}--> {}:{}:{}\n{gutter} |\n{number} | {head}{}{tail}\n{gutter} | {}{}{label}",
        loc.file,
        loc.line,
        loc.column,
        &line_text[from..to],
        " ".repeat(pad),
        "^".repeat(carets),
    );
    if let Some(help) = &d.help {
        if let Some(note) = &help.note {
            shown.push_str(&format!("\n{gutter} = note: {note}"));
        }
        shown.push_str(&format!("\n{gutter} = help: {}", help.message));
    }
    shown
}

/// The lines of a source as the YAML reader counts them (YAML 1.2 line breaks: LF, CRLF
/// and a lone CR), so a location's line is the line the snippet shows.
fn yaml_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['\n', '\r']) {
        lines.push(&rest[..i]);
        let step = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[i + step..];
    }
    if !rest.is_empty() {
        lines.push(rest);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::yaml_lines;

    #[test]
    fn a_long_line_is_quoted_around_the_caret_with_its_exact_location() {
        use lbgen::diag::{Diagnostic, Location};
        let line = format!("l: [{}x]", "a,".repeat(5000));
        let column = line.len() - 1; // 1-based: the `x`
        let d = Diagnostic::error(
            "load/yaml",
            "too many nodes",
            Some(Location {
                file: "in.yaml".into(),
                line: 4,
                column,
            }),
        );
        let text = format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\n{line}\n");
        let lines = std::collections::HashMap::from([("in.yaml", yaml_lines(&text))]);
        let shown = super::render(&d, &lines, &annotate_snippets::Renderer::plain());
        assert!(shown.contains(&format!("in.yaml:4:{column}")), "{shown}");
        assert!(
            shown.contains("| ...") && shown.contains("a,a,x]"),
            "{shown}"
        );
        assert!(
            shown.len() < 400,
            "a window, not the line: {} bytes",
            shown.len()
        );
        let caret_line = shown.lines().find(|l| l.contains('^')).expect("caret");
        let quoted = shown.lines().find(|l| l.contains("| ...")).expect("quote");
        let caret_at = caret_line.find('^').expect("caret");
        assert_eq!(quoted.as_bytes()[caret_at], b'x', "{shown}");
    }

    #[test]
    fn lines_break_where_yaml_breaks_them() {
        assert_eq!(yaml_lines("a\rb\r\nc\nd"), ["a", "b", "c", "d"]);
        assert_eq!(yaml_lines("a\n"), ["a"]);
        assert_eq!(yaml_lines("a\n\nb"), ["a", "", "b"]);
    }
}
