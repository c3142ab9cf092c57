//! Emit order of the packs' kinds.

#[test]
fn packs_configuration_kinds_go_between_ingress_classes_and_workloads() {
    let order = [
        "IngressClass",
        "AlbConfig",
        "TkeServiceConfig",
        "Deployment",
    ];
    let ranks: Vec<usize> = order
        .iter()
        .chain(&["Ingress"])
        .map(|k| super::kind_rank(k))
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
    assert!(super::kind_rank("Unknown") > super::kind_rank("Ingress"));
    assert_eq!(super::usual_group("AlbConfig"), "alibabacloud.com");
}
