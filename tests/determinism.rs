//! Output is a function of the input's content only: shuffling documents within and
//! across files, and the order the files arrive in, gives byte-identical output and the
//! same diagnostics.

mod common;

use proptest::prelude::*;

/// Every example document plus documents of other kinds that pass through.
fn documents() -> Vec<String> {
    let mut docs = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(common::root().join("examples/huawei"))
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(f).expect("read");
        docs.extend(text.split("\n---\n").map(str::to_string));
    }
    docs.push("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nginx, namespace: default}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: nginx}}\n  template:\n    metadata: {labels: {app: nginx}}\n    spec: {containers: [{name: nginx, image: nginx}]}\n".into());
    docs.push("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: web}\ndata: {enabled: \"yes\", mode: on}\n".into());
    docs.push("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n".into());
    docs
}

fn render(files: &[(String, String)]) -> (String, Vec<String>) {
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let (yaml, diags) = common::compile_sources(&refs).expect("compiles");
    // Diagnostics name their file; compare them without it (files are renamed here).
    (
        yaml,
        diags
            .iter()
            .map(|d| format!("{}:{}", d.rule, d.message))
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn shuffled_documents_and_files_give_identical_bytes(
        order in Just(documents()).prop_shuffle(),
        cuts in proptest::collection::vec(any::<bool>(), 16),
        file_order in any::<u64>(),
    ) {
        let canonical = render(&[("all.yaml".into(), documents().join("\n---\n"))]);
        // Cut the shuffled documents into files wherever `cuts` says so.
        let mut files: Vec<(String, String)> = Vec::new();
        let mut current: Vec<String> = Vec::new();
        for (i, doc) in order.into_iter().enumerate() {
            current.push(doc);
            if cuts[i % cuts.len()] {
                files.push((format!("f{i}.yaml"), current.join("\n---\n")));
                current.clear();
            }
        }
        if !current.is_empty() {
            files.push(("last.yaml".into(), current.join("\n---\n")));
        }
        let n = files.len();
        files.rotate_left((file_order as usize) % n);
        let mut shuffled = render(&files);
        shuffled.1.sort();
        let mut canonical_diags = canonical.1.clone();
        canonical_diags.sort();
        prop_assert_eq!(&shuffled.0, &canonical.0);
        prop_assert_eq!(shuffled.1, canonical_diags);
    }
}

#[test]
fn rendering_twice_gives_the_same_bytes() {
    let input = documents().join("\n---\n");
    let a = render(&[("a.yaml".into(), input.clone())]);
    let b = render(&[("a.yaml".into(), input)]);
    assert_eq!(a, b);
    assert!(
        a.0.contains("kind: Deployment"),
        "passthrough documents are emitted"
    );
    assert!(
        a.0.contains("enabled: \"yes\""),
        "passthrough strings stay quoted"
    );
}
