//! Load-time checks of rules that CEL's parser cannot make: an expression that yields no
//! boolean, or that reads a plan field that does not exist (`lb.stickness`).
//!
//! CEL here is dynamically typed, so each rule is evaluated once against sample plans in
//! which every optional field is set and every list has an element: a type slip or a
//! misspelt field shows up as a non-boolean result or a "no such key" error, reported at
//! the rule's own file:line:column before any spec is judged.
//!
//! The samples name no provider (rules are probed whatever provider they are for): the
//! plans get the first registered one, and no rule's probe depends on which.

use crate::plan::{Overrides, Plan, build};
use crate::spec::de::from_node;
use crate::spec::model::LoadBalancerDoc;
use crate::spec::node::parse_stream;

/// One spec with every field set, provider-neutral: the Service sample, and with Ingress
/// exposure the Ingress one.
const SAMPLES: &str = r#"
apiVersion: lbgen.dev/v1alpha1
kind: LoadBalancer
metadata: {name: probe, namespace: probe, labels: {a: b}, annotations: {a/b: c}}
spec:
  cluster: {version: v1.30.1-r0, flavor: turbo}
  exposure: service
  network: public
  loadBalancer:
    id: lb-1
    tier: dedicated
    create:
      name: probe
      bandwidth: {name: bw, size: 5, chargeMode: traffic, shareType: PER}
      eipType: 5_bgp
      zones: [z1]
      l4Flavor: l4
      l7Flavor: l7
      subnetId: s1
      backendSubnetIds: [s2]
  selector: {app: probe}
  ports: [{name: https, port: 443, targetPort: 8443, protocol: HTTPS, certificateId: c1}]
  routes:
    - host: probe.example.com
      path: /
      match: prefix
      port: 443
      tls: {certificateId: c1}
      backends: [{service: web, port: 80, weight: 50}, {serverGroup: sg-1, port: 80, weight: 50}]
  backends: [{serverGroup: sg-2, port: 80, weight: 10}]
  targets: pods
  ipTargets: true
  algorithm: least-connections
  stickiness: {mode: cookie, timeout: 30m}
  healthCheck: {enabled: true, protocol: HTTP, port: 8081, path: /healthz, interval: 5s, timeout: 3s, retries: 3}
  passThrough: true
  trafficPolicy: local
  workload: {kind: Deployment, name: web, container: app}
"#;

/// The sample plans rules are probed against (Service and Ingress exposure).
pub(super) fn sample_plans() -> Vec<Plan> {
    let docs = parse_stream(SAMPLES).unwrap_or_default();
    let Some(Some(root)) = docs.first() else {
        return Vec::new();
    };
    let Ok(doc) = from_node::<LoadBalancerDoc>(root) else {
        return Vec::new();
    };
    let overrides = Overrides {
        provider: crate::provider::registry()
            .ids()
            .first()
            .and_then(|id| crate::provider::ProviderId::parse(id)),
        ..Overrides::default()
    };
    let Ok(service) = build(&doc, &overrides) else {
        return Vec::new();
    };
    let mut ingress = service.clone();
    ingress.exposure = crate::spec::model::Exposure::Ingress;
    vec![service, ingress]
}

#[cfg(test)]
mod tests {
    #[test]
    fn samples_build() {
        let plans = super::sample_plans();
        assert_eq!(plans.len(), 2);
        let p = &plans[0];
        assert!(p.stickiness.is_some() && p.health_check.is_some() && p.workload.is_some());
        assert!(!p.routes.is_empty() && !p.listeners.is_empty() && !p.backends.is_empty());
    }
}
