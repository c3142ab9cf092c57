//! The built-in rule files, read when first needed.
//!
//! Reading a rule file with the located YAML reader costs more than anything else a
//! one-spec run does (the four built-in files are about 240 KB), and a plan is judged only
//! by the common rules and its own provider's. So each built-in file is parsed the first
//! time a plan of its provider is judged, once per process, whatever the thread.

use super::BuiltinSource;
use super::compile::{CompiledRule, compile_rules};
use super::rules::parse_rule_file;
use crate::diag::Diagnostic;
use std::sync::OnceLock;

/// One embedded rule file and, once read, its rules (their CEL is parsed on first use).
pub(super) struct BuiltinFile {
    source: BuiltinSource,
    rules: OnceLock<Result<Vec<CompiledRule>, Diagnostic>>,
}

impl BuiltinFile {
    pub(super) fn new(source: BuiltinSource) -> BuiltinFile {
        BuiltinFile {
            source,
            rules: OnceLock::new(),
        }
    }

    /// Whether the file judges plans of `provider`.
    pub(super) fn judges(&self, provider: &str) -> bool {
        self.source.provider.is_none_or(|p| p == provider)
    }

    /// Its rules, read now if they were not yet. An embedded file that does not read, or
    /// that declares another provider than the pack that registers it, is lbgen's bug:
    /// the error says so rather than judging without its rules.
    pub(super) fn rules(&self) -> Result<&[CompiledRule], &Diagnostic> {
        self.rules
            .get_or_init(|| {
                let broken = |why: String| {
                    Diagnostic::error(
                        "policy/builtin",
                        format!(
                            "lbgen's built-in rule file {} is broken ({why}); please report it",
                            self.source.name
                        ),
                        None,
                    )
                };
                let file = parse_rule_file(self.source.name, self.source.text)
                    .map_err(|e| broken(e.message))?;
                if file.content.provider.as_deref() != self.source.provider {
                    return Err(broken(format!(
                        "it declares provider {:?}, but is registered for {:?}",
                        file.content.provider, self.source.provider
                    )));
                }
                let (rules, errors) = compile_rules(std::slice::from_ref(&file), 1);
                match errors.into_iter().next() {
                    Some(e) => Err(broken(e.message)),
                    None => Ok(rules),
                }
            })
            .as_ref()
            .map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every built-in file reads, declares the provider it is registered for, and its rule
    /// ids are unique across all of them (the check a lazily read file skips at run time).
    #[test]
    fn every_builtin_file_reads_as_registered_with_unique_ids() {
        let mut seen = std::collections::BTreeSet::new();
        for source in super::super::builtin_sources() {
            let file = BuiltinFile::new(source);
            let rules = file.rules().expect("built-in file reads");
            assert!(!rules.is_empty(), "{} has rules", source.name);
            for rule in rules {
                assert!(
                    seen.insert(rule.rule.id.clone()),
                    "{} repeats",
                    rule.rule.id
                );
            }
        }
    }

    #[test]
    fn a_file_registered_for_another_provider_is_reported_as_lbgen_s_bug() {
        let sources = super::super::builtin_sources();
        let huawei = sources
            .iter()
            .find(|s| s.provider == Some("huawei"))
            .expect("huawei's rule file");
        let file = BuiltinFile::new(BuiltinSource {
            provider: Some("tencent"),
            ..*huawei
        });
        let Err(e) = file.rules() else {
            panic!("a provider mismatch must not read");
        };
        assert!(e.message.contains("registered for"), "{}", e.message);
    }
}
