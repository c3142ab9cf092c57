//! Tencent Cloud TKE (CLB): the annotations TKE's closed-source service and ingress
//! controllers read, the `TkeServiceConfig` for what has no annotation, and the pod-template
//! patch that direct access needs in a GlobalRouter cluster.
//!
//! Every key and spelling comes from shared/seeds/004 and providers.md "Tencent Cloud TKE
//! (CLB)"; facts from Tencent's documentation beyond that page cite it beside the code.
//! Never the open-source `tencentcloud-cloud-controller-manager` dialect
//! (`service.beta.kubernetes.io/tencentcloud-loadbalancer-*`): TKE ignores it. Checks live
//! in `policies/tencent.yaml`; this module assumes they passed.

pub(crate) mod changes;
mod config;
mod eni;
mod ingress;
mod kinds;
pub(super) mod pack;
pub(crate) mod types;

use super::{Annotations, Manifest, Mapped, labels, service_manifest};
use crate::diag::{Diagnostic, Severity};
use crate::plan::Plan;
use crate::spec::model::{ChargeMode, Exposure, Network, Protocol, Targets, TrafficPolicy};
use serde_json::{Map, Value, json};

/// The annotation keys that differ only in spelling between a Service and an Ingress
/// (providers.md, "What a spec becomes").
struct Keys {
    existing_lb: &'static str,
    subnet: &'static str,
    charge_type: &'static str,
    bandwidth: &'static str,
    extensive: &'static str,
    direct_access: &'static str,
    service_config: &'static str,
}

const SERVICE_KEYS: Keys = Keys {
    existing_lb: "service.kubernetes.io/tke-existed-lbid",
    subnet: "service.kubernetes.io/qcloud-loadbalancer-internal-subnetid",
    charge_type: "service.kubernetes.io/qcloud-loadbalancer-internet-charge-type",
    bandwidth: "service.kubernetes.io/qcloud-loadbalancer-internet-max-bandwidth-out",
    extensive: "service.kubernetes.io/service.extensiveParameters",
    direct_access: "service.cloud.tencent.com/direct-access",
    service_config: "service.cloud.tencent.com/tke-service-config",
};

const INGRESS_KEYS: Keys = Keys {
    existing_lb: "kubernetes.io/ingress.existLbId",
    subnet: "kubernetes.io/ingress.subnetId",
    charge_type: "kubernetes.io/ingress.internetChargeType",
    bandwidth: "kubernetes.io/ingress.internetMaxBandwidthOut",
    extensive: "kubernetes.io/ingress.extensiveParameters",
    direct_access: "ingress.cloud.tencent.com/direct-access",
    service_config: "ingress.cloud.tencent.com/tke-service-config",
};

const SPECIFY_PROTOCOL: &str = "service.cloud.tencent.com/specify-protocol";
const PREVENT_LOOPBACK: &str = "service.cloud.tencent.com/prevent-loopback";
const LOCAL_BIND: &str = "service.kubernetes.io/local-svc-only-bind-node-with-pod";

/// Maps a plan to a TKE Service or Ingress, its TkeServiceConfig when one is needed, and
/// the ENI patch of the pods' owner when direct access names one.
pub(super) fn map(plan: &Plan) -> Mapped {
    let mut diagnostics = Vec::new();
    let keys = match plan.exposure {
        Exposure::Service => &SERVICE_KEYS,
        Exposure::Ingress => &INGRESS_KEYS,
    };
    let mut a = Annotations::default();
    load_balancer(plan, keys, &mut a);
    let config = config::needed(plan).then(|| config::name(plan));
    if let Some(name) = &config {
        a.set(keys.service_config, name.clone());
    }
    let mut manifests = vec![match plan.exposure {
        Exposure::Service => service(plan, a, &mut diagnostics),
        Exposure::Ingress => ingress::ingress(plan, a, &mut diagnostics),
    }];
    if let Some(name) = config {
        let spec = match plan.exposure {
            Exposure::Service => config::service_spec(plan),
            Exposure::Ingress => config::ingress_spec(plan),
        };
        manifests.push(Manifest {
            template: "tencent/tke-service-config.yaml".into(),
            context: json!({
                "metadata": {"name": name, "namespace": plan.namespace, "labels": labels(plan)},
                "spec": spec,
            }),
        });
    }
    Mapped {
        manifests,
        diagnostics,
        patches: eni::patch(plan).into_iter().collect(),
    }
}

/// Existing CLB, internal subnet, public bandwidth, creation parameters and direct access:
/// the same rows on a Service and an Ingress, under different keys.
fn load_balancer(plan: &Plan, keys: &Keys, a: &mut Annotations) {
    if plan.targets == Targets::Pods {
        a.set(keys.direct_access, "true");
    }
    if let Some(id) = &plan.load_balancer.id {
        a.set(keys.existing_lb, id.clone());
        return;
    }
    let Some(create) = &plan.load_balancer.create else {
        return;
    };
    if plan.network == Network::Internal
        && let Some(subnet) = &create.subnet_id
    {
        a.set(keys.subnet, subnet.clone());
    }
    if let Some(bw) = &create.bandwidth {
        if let Some(mode) = bw.charge_mode {
            let charge = match mode {
                ChargeMode::Traffic => "TRAFFIC_POSTPAID_BY_HOUR",
                ChargeMode::Bandwidth => "BANDWIDTH_POSTPAID_BY_HOUR",
            };
            a.set(keys.charge_type, charge);
        }
        if let Some(size) = bw.size {
            a.set(keys.bandwidth, size.to_string());
        }
    }
    // Keys of the CLB CreateLoadBalancer API (providers.md, "other create parameters").
    let mut params = Map::new();
    if let Some(name) = &create.name {
        params.insert("LoadBalancerName".into(), json!(name));
    }
    if let Some(zone) = create.zones.first() {
        params.insert("ZoneId".into(), json!(zone));
    }
    if !params.is_empty() {
        a.set_json(keys.extensive, &Value::Object(params));
    }
}

/// The name of the Opaque Secret that must hold `qcloud_cert_id: <id>` (providers.md, TLS
/// and certificateId rows: lbgen does not create Secrets). The lowercased id keeps the name
/// readable; when lowercasing or cleaning changed it, an FNV-1a hash of the exact id is
/// appended so two ids that differ only in case never share a Secret.
pub(super) fn certificate_secret(id: &str) -> String {
    let clean: String = id
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    let clean = clean.trim_matches('-');
    if clean == id && !clean.is_empty() {
        return format!("qcloud-cert-{clean}");
    }
    let hash = id.bytes().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    });
    if clean.is_empty() {
        format!("qcloud-cert-{hash:08x}")
    } else {
        format!("qcloud-cert-{clean}-{hash:08x}")
    }
}

/// The warning that names the Secret a certificate needs.
pub(super) fn secret_warning(plan: &Plan, id: &str, field: String) -> Diagnostic {
    let secret = certificate_secret(id);
    // Every value is shell-quoted: users paste this command (the policy has already
    // refused ids outside Tencent's shape, this is the second line of defence).
    let literal = format!("--from-literal=qcloud_cert_id={id}");
    let command = crate::shell::command([
        "kubectl",
        "create",
        "secret",
        "generic",
        &secret,
        "-n",
        &plan.namespace,
        &literal,
    ]);
    Diagnostic {
        severity: Severity::Warning,
        rule: "tencent/tls-secret".into(),
        message: format!(
            "TKE reads certificate {id} from the Opaque Secret `{secret}` (key qcloud_cert_id), which lbgen does not create: {command}"
        ),
        field: Some(field),
        provider: Some(plan.provider.as_str().into()),
        location: None,
    }
}

/// `service.cloud.tencent.com/specify-protocol` for HTTP/HTTPS ports: keyed by the port as
/// a string, `protocol` a list, `tls` the Secret's name (providers.md; Tencent 457/39141).
/// No `hosts`: a spec port has none, so the CLB's default domain serves it (*unverified*:
/// the policy warns).
///
/// TCP and UDP ports on one Service (direct access only; the policy refuses them in
/// NodePort mode) follow the page's example (457/39141 "Case description"): every Service
/// port is declared TCP, because Kubernetes' service controller takes one protocol per
/// LoadBalancer Service, and specify-protocol names each port's real protocol.
fn specify_protocol(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) -> Option<Value> {
    let mut by_port = Map::new();
    let mut warned: Vec<&str> = Vec::new();
    let mixed = mixed_transports(plan);
    for (i, l) in plan.listeners.iter().enumerate() {
        let entry = match l.protocol {
            Protocol::Tcp if mixed => json!({"protocol": ["TCP"]}),
            Protocol::Udp if mixed => json!({"protocol": ["UDP"]}),
            Protocol::Http => json!({"protocol": ["HTTP"]}),
            Protocol::Https => {
                let id = l.certificate_id.as_deref().unwrap_or_default();
                if !warned.contains(&id) {
                    warned.push(id);
                    diagnostics.push(secret_warning(
                        plan,
                        id,
                        format!("spec.ports[{i}].certificateId"),
                    ));
                }
                json!({"protocol": ["HTTPS"], "tls": certificate_secret(id)})
            }
            Protocol::Tcp | Protocol::Udp => continue,
        };
        by_port.insert(l.port.to_string(), entry);
    }
    (!by_port.is_empty()).then_some(Value::Object(by_port))
}

/// Whether the Service has UDP ports beside TCP (or HTTP/HTTPS) ones.
fn mixed_transports(plan: &Plan) -> bool {
    let udp = plan
        .listeners
        .iter()
        .filter(|l| l.protocol == Protocol::Udp)
        .count();
    udp > 0 && udp < plan.listeners.len()
}

fn service(plan: &Plan, mut a: Annotations, diagnostics: &mut Vec<Diagnostic>) -> Manifest {
    if let Some(spec) = specify_protocol(plan, diagnostics) {
        a.set_json(SPECIFY_PROTOCOL, &spec);
    }
    if plan.pass_through {
        a.set(PREVENT_LOOPBACK, "true");
    }
    if plan.traffic_policy == TrafficPolicy::Local {
        a.set(LOCAL_BIND, "true");
    }
    let mut manifest = service_manifest(plan, "tencent/service.yaml", a, diagnostics);
    if mixed_transports(plan)
        && let Some(ports) = manifest.context["ports"].as_array_mut()
    {
        for port in ports {
            port["protocol"] = json!("TCP");
        }
    }
    manifest
}

#[cfg(test)]
mod tests {
    use super::certificate_secret;

    #[test]
    fn secret_names_are_readable_and_never_shared() {
        assert_eq!(certificate_secret("abc123"), "qcloud-cert-abc123");
        let upper = certificate_secret("AbC123");
        assert!(upper.starts_with("qcloud-cert-abc123-") && upper.len() == 27);
        assert_ne!(upper, certificate_secret("aBc123"));
        assert_eq!(certificate_secret("___").len(), "qcloud-cert-".len() + 8);
    }
}
