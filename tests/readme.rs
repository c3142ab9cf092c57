//! The README's complete spec renders, and the objects it promises come out: what a new user
//! copies first must work as printed.

mod common;

/// The first ```yaml block after "One complete spec" in README.md.
fn readme_spec() -> String {
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README.md");
    let after = readme
        .split_once("One complete spec")
        .expect("the complete-spec paragraph")
        .1;
    let block = after.split_once("```yaml\n").expect("a yaml block").1;
    block
        .split_once("```")
        .expect("the block ends")
        .0
        .to_string()
}

#[test]
fn the_readme_spec_renders_as_described() {
    let (stream, _warnings) =
        common::compile(&readme_spec()).unwrap_or_else(|d| panic!("README spec: {d:#?}"));
    let service = common::object(&stream, "Service");
    let annotations = &service["metadata"]["annotations"];
    assert_eq!(annotations["kubernetes.io/elb.class"], "performance");
    assert_eq!(
        annotations["kubernetes.io/elb.lb-algorithm"],
        "LEAST_CONNECTIONS"
    );
    assert_eq!(
        annotations["kubernetes.io/elb.session-affinity-mode"],
        "SOURCE_IP"
    );
    assert_eq!(annotations["kubernetes.io/elb.health-check-flag"], "on");
    let create: serde_json::Value = serde_json::from_str(
        annotations["kubernetes.io/elb.autocreate"]
            .as_str()
            .expect("autocreate"),
    )
    .expect("JSON");
    assert_eq!(create["type"], "public");
    assert_eq!(
        create["bandwidth_size"], 5,
        "a JSON number, as seed 001 table 5 says"
    );
    assert_eq!(service["metadata"]["namespace"], "web");
    assert_eq!(service["metadata"]["labels"]["team"], "storefront");
}
