//! Diagnostics: what lbgen tells a user about their input, as data.
//!
//! Every stage returns diagnostics instead of printing; the binary picks how to show them.
//! A diagnostic blames a field path of one spec document and carries its resolved
//! `file:line:column`, so text, JSON and SARIF reporters all say the same thing.

use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the pipeline: nothing is emitted.
    Error,
    /// Rides along with the output.
    Warning,
}

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// The file as the user named it (`<stdin>` for standard input).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// One finding about the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable id: `load/...` for format errors, `<provider>/<rule>` for policy rules.
    pub rule: String,
    /// What is wrong and how to fix it.
    pub message: String,
    /// The spec field blamed (`spec.stickiness.timeout`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The provider whose rule fired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Where in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// How to fix it, when that is more than the message says (`did you mean ...?`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Box<Help>>,
}

/// The fix of a diagnostic, shown as its `help:` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Help {
    /// The fix in words: `did you mean \`healthCheck\`?`.
    pub message: String,
    /// The text that replaces the token at the diagnostic's location, when the fix is a
    /// replacement (SARIF carries it as a fix).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement: Option<Replacement>,
    /// Background, such as the YAML parser's own message (a `note:` line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Replaces `columns` characters at a location with `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replacement {
    /// How many characters the replaced token spans.
    pub columns: usize,
    /// What goes there instead.
    pub text: String,
}

impl Help {
    /// A fix in words only.
    pub fn new(message: impl Into<String>) -> Self {
        Help {
            message: message.into(),
            replacement: None,
            note: None,
        }
    }

    /// `did you mean \`text\`?`, replacing the `columns` characters of the token.
    pub fn did_you_mean(text: &str, columns: usize) -> Self {
        Help {
            message: format!("did you mean `{text}`?"),
            replacement: Some(Replacement {
                columns,
                text: text.to_string(),
            }),
            note: None,
        }
    }
}

impl Diagnostic {
    /// An error of rule `rule` at `location`.
    pub fn error(rule: &str, message: impl Into<String>, location: Option<Location>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            rule: rule.to_string(),
            message: message.into(),
            field: None,
            provider: None,
            location,
            help: None,
        }
    }

    /// The same diagnostic with a fix.
    pub fn with_help(mut self, help: Help) -> Self {
        self.help = Some(Box::new(help));
        self
    }

    /// Sort key: errors first, then by place.
    fn key(&self) -> (Option<&Location>, Severity, &str, &str) {
        (
            self.location.as_ref(),
            self.severity,
            &self.rule,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if let Some(l) = &self.location {
            write!(f, "{}:{}:{}: ", l.file, l.line, l.column)?;
        }
        write!(f, "{sev}[{}]: {}", self.rule, self.message)
    }
}

/// Diagnostics in a stable order (by file, line, column), so output never depends on the
/// order files were read in.
pub fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by(|a, b| a.key().cmp(&b.key()));
    diags.dedup();
    diags
}

/// Whether any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}
