//! SARIF 2.1.0 output, so CI systems (GitHub code scanning, GitLab) annotate the lines of
//! a pull request. One run, the tool's rules as the driver's rule list, one result per
//! diagnostic with its physical location. File names become RFC 3986 URI references
//! (relative paths percent-encoded segment by segment, absolute paths `file://` URIs).

use lbgen::diag::{Diagnostic, Severity};
use lbgen::policy::engine::RuleSummary;
use serde_json::{Value, json};

/// A SARIF log of `diagnostics`; `rules` describes every loaded rule.
pub(crate) fn log(diagnostics: &[Diagnostic], rules: &[RuleSummary]) -> Value {
    let rule_list: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": {"text": r.message},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"source": r.source, "provider": r.provider},
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut result = json!({
                "ruleId": d.rule,
                "level": level(d.severity),
                "message": {"text": d.message},
                "properties": {"field": d.field, "provider": d.provider},
            });
            if let Some(l) = &d.location {
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&l.file)},
                        "region": {"startLine": l.line, "startColumn": l.column},
                    }
                }]);
            }
            if let Some(help) = &d.help {
                result["properties"]["help"] = help.message.as_str().into();
                // A replacement is a SARIF fix: the token's region and the text for it.
                if let (Some(r), Some(l)) = (&help.replacement, &d.location) {
                    result["fixes"] = json!([{
                        "description": {"text": help.message},
                        "artifactChanges": [{
                            "artifactLocation": {"uri": uri(&l.file)},
                            "replacements": [{
                                "deletedRegion": {
                                    "startLine": l.line,
                                    "startColumn": l.column,
                                    "endColumn": l.column + r.columns,
                                },
                                "insertedContent": {"text": r.text},
                            }],
                        }],
                    }]);
                }
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kubectl-lbgen",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/kubectl-lbgen/kubectl-lbgen",
                "rules": rule_list,
            }},
            "results": results,
        }],
    })
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A file name as a URI reference (RFC 3986): a relative path stays relative with every
/// byte outside `unreserved / sub-delims / "@"` percent-encoded (`:` too, so the first
/// segment never reads as a scheme); an absolute path becomes a `file://` URI. Backslashes
/// are path separators.
pub(crate) fn uri(file: &str) -> String {
    let path = file.replace('\\', "/");
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        for b in segment.bytes() {
            let keep = b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'-' | b'.'
                        | b'_'
                        | b'~'
                        | b'!'
                        | b'$'
                        | b'&'
                        | b'\''
                        | b'('
                        | b')'
                        | b'*'
                        | b'+'
                        | b','
                        | b';'
                        | b'='
                        | b'@'
                );
            if keep {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn file_names_become_uri_references() {
        assert_eq!(uri("specs/web.yaml"), "specs/web.yaml");
        assert_eq!(uri("my specs/a#b?.yaml"), "my%20specs/a%23b%3F.yaml");
        assert_eq!(uri("c:dir/x.yaml"), "c%3Adir/x.yaml");
        assert_eq!(uri("/abs/ü.yaml"), "file:///abs/%C3%BC.yaml");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("50%.yaml"), "50%25.yaml");
        assert_eq!(uri("dir\\x.yaml"), "dir/x.yaml");
    }
}
