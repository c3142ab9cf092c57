//! Emit order of the packs' kinds.

#[test]
fn packs_configuration_kinds_go_between_ingress_classes_and_workloads() {
    let configuration: Vec<_> = crate::provider::registry()
        .custom_kinds()
        .filter(|k| k.rank == crate::provider::registry::EmitRank::Configuration)
        .collect();
    assert!(
        !configuration.is_empty(),
        "a pack registers a configuration kind"
    );
    for kind in configuration {
        let order = ["IngressClass", kind.kind, "Deployment", "Ingress"];
        let ranks: Vec<usize> = order.iter().map(|k| super::kind_rank(k)).collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
        assert_eq!(super::usual_group(kind.kind), kind.group);
    }
    assert!(super::kind_rank("Unknown") > super::kind_rank("Ingress"));
}
