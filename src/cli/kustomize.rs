//! Running as a kustomize exec plugin (`deploy/kustomize/LoadBalancer`): kustomize hands
//! the plugin a temporary copy of the user's config file (`$1`,
//! `/tmp/kust-plugin-config-*`, keys re-sorted) and says where the kustomization is
//! (`KUSTOMIZE_PLUGIN_CONFIG_ROOT`; the copy's text is also in
//! `KUSTOMIZE_PLUGIN_CONFIG_STRING`), but not which file it was (kubectl v1.32 adds no
//! `config.kubernetes.io/path` to it). So that diagnostics point at the user's file,
//! the copy is replaced by the file of the kustomization's directory that holds only the
//! same document; when none or several do, the copy stays.

use lbgen::spec::load::Source;
use lbgen::yaml::node::parse_stream;
use serde_json::Value;
use std::path::Path;

/// The documents of `text` as JSON (none when it is not YAML).
fn documents(text: &str) -> Vec<Value> {
    parse_stream(text)
        .map(|docs| docs.into_iter().flatten().map(|n| n.to_json()).collect())
        .unwrap_or_default()
}

/// Replaces kustomize's temporary copy of the plugin config among `sources` by the user's
/// file it was copied from. `var` reads the environment.
pub(crate) fn original_config(sources: &mut [Source], var: impl Fn(&str) -> Option<String>) {
    let (Some(root), Some(config)) = (
        var("KUSTOMIZE_PLUGIN_CONFIG_ROOT"),
        var("KUSTOMIZE_PLUGIN_CONFIG_STRING"),
    ) else {
        return;
    };
    let wanted = documents(&config);
    let [wanted] = wanted.as_slice() else {
        return;
    };
    let Some(copy) = sources.iter_mut().find(|s| {
        Path::new(&s.name)
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("kust-plugin-config-"))
    }) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(&root) else {
        return;
    };
    let mut found = Vec::new();
    for path in entries.flatten().map(|e| e.path()) {
        let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if !yaml {
            continue;
        }
        // One document a file: kustomize runs the plugin once per config document, so
        // a file of several cannot stand in for one of them.
        if let Ok(text) = std::fs::read_to_string(&path)
            && documents(&text).as_slice() == std::slice::from_ref(wanted)
        {
            found.push((path, text));
        }
    }
    if let [(path, text)] = found.as_slice() {
        copy.name = path.display().to_string();
        copy.text = text.clone();
    }
}
