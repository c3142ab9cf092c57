//! Tencent Cloud TKE (CLB): the annotations TKE's closed-source service and ingress
//! controllers read, the `TkeServiceConfig` for what has no annotation, and the pod-template
//! patch that direct access needs in a GlobalRouter cluster.
//!
//! Every key and spelling comes from shared/seeds/004 and providers.md "Tencent Cloud TKE
//! (CLB)"; facts from Tencent's documentation beyond that page cite it beside the code.
//! Never the open-source `tencentcloud-cloud-controller-manager` dialect
//! (`service.beta.kubernetes.io/tencentcloud-loadbalancer-*`): TKE ignores it. Checks live
//! in `policies/tencent.yaml`; this module assumes they passed.
//!
//! The pack's shape is every pack's: `service` and `ingress` map a plan, `types` holds the
//! keys and typed values, `changes` what `diff` must know; this file the entry point and
//! what a Service and an Ingress share. Two objects only TKE needs have a file each:
//! `config` (the TkeServiceConfig) and `eni` (the workload patch).

pub(crate) mod changes;
mod config;
mod eni;
mod import;
mod import_config;
mod import_create;
mod import_ports;
mod ingress;
mod keys;
mod kinds;
pub(super) mod pack;
mod service;
pub(crate) mod types;

use super::{Annotations, Manifest, Mapped, bandwidth, labels};
use crate::diag::{Diagnostic, Severity};
use crate::plan::Plan;
use crate::spec::model::{ChargeMode, Exposure, IpVersion, Network, Targets};
use serde_json::json;
use types::{ExtensiveValue, INGRESS_KEYS, Keys, SERVICE_KEYS, TagInfo};

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
        Exposure::Service => service::service(plan, a, &mut diagnostics),
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
    bandwidth(
        a,
        create,
        (keys.charge_type, keys.bandwidth),
        |mode| match mode {
            ChargeMode::Traffic => "TRAFFIC_POSTPAID_BY_HOUR",
            ChargeMode::Bandwidth => "BANDWIDTH_POSTPAID_BY_HOUR",
        },
    );
    let extensive = ExtensiveValue {
        load_balancer_name: create.name.as_deref(),
        zone_id: create.zones.first().map(String::as_str),
        vip: create.address.as_ref().map(|ip| ip.0.as_str()),
        tags: plan
            .load_balancer
            .tags
            .iter()
            .map(|(key, value)| TagInfo { key, value })
            .collect(),
        // IPv4 is CreateLoadBalancer's default and dual stack is refused
        // (`tencent/no-dual-stack`): only IPv6 is written, as the NAT64 CLB the Service and
        // Ingress pages print (457/39142, 457/40675: `{"AddressIPVersion":"IPV6"}`).
        address_ip_version: (create.ip_version == Some(IpVersion::Ipv6)).then_some("IPV6"),
    };
    if !extensive.is_empty() {
        a.set_json(keys.extensive, &extensive);
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

/// The certificate id whose Secret [`certificate_secret`] names `name`, for `import`: the
/// id whose letters' case the FNV-1a suffix decides (ids of up to 16 letters are tried; an
/// ambiguous one is `None`), else the name itself when it kept the id. The suffix is read
/// first: a kept id never ends in `-` and eight hex digits unless it has a `-`, which
/// Tencent's ids (8 letters and digits, `tencent/route-certificate-id-format`) never do.
pub(super) fn certificate_of_secret(name: &str) -> Option<String> {
    let rest = name.strip_prefix("qcloud-cert-")?;
    let kept = (certificate_secret(rest) == name).then(|| rest.to_string());
    let Some((clean, hash)) = rest.rsplit_once('-') else {
        return kept;
    };
    if hash.len() != 8 || u32::from_str_radix(hash, 16).is_err() {
        return kept;
    }
    let letters: Vec<usize> = clean
        .char_indices()
        .filter(|(_, c)| c.is_ascii_lowercase())
        .map(|(i, _)| i)
        .collect();
    if letters.len() > 16 {
        return None;
    }
    let mut found = None;
    for mask in 0..(1u32 << letters.len()) {
        let mut id = clean.as_bytes().to_vec();
        for (bit, at) in letters.iter().enumerate() {
            if mask & (1 << bit) != 0 {
                id[*at] = id[*at].to_ascii_uppercase();
            }
        }
        let id = String::from_utf8(id).ok()?;
        if certificate_secret(&id) == name {
            if found.is_some() {
                return None;
            }
            found = Some(id);
        }
    }
    found.or(kept)
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
        help: None,
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

#[cfg(test)]
mod tests {
    use super::certificate_secret;

    /// The version a `v1beta1` Ingress implies is the newest minor the pack renders that
    /// form for (the literal stays in step with `FIRST_V1_INGRESS_VERSION`).
    #[test]
    fn a_v1beta1_ingress_implies_the_last_minor_before_v1() {
        use crate::provider::import::PackImport;
        use crate::spec::version::ClusterVersion;
        let first = super::types::FIRST_V1_INGRESS_VERSION;
        let implied = super::import::TencentImport
            .implied_cluster_version("Ingress", "networking.k8s.io/v1beta1")
            .and_then(|v| ClusterVersion::parse(v).ok())
            .expect("a version");
        assert!(implied < first);
        assert_eq!(
            (implied.major, implied.minor + 1),
            (first.major, first.minor)
        );
        assert_eq!(
            super::import::TencentImport.implied_cluster_version("Ingress", "networking.k8s.io/v1"),
            None
        );
        assert_eq!(
            super::import::TencentImport.implied_cluster_version("Service", "v1"),
            None
        );
    }

    #[test]
    fn secret_names_are_readable_and_never_shared() {
        assert_eq!(certificate_secret("abc123"), "qcloud-cert-abc123");
        let upper = certificate_secret("AbC123");
        assert!(upper.starts_with("qcloud-cert-abc123-") && upper.len() == 27);
        assert_ne!(upper, certificate_secret("aBc123"));
        assert_eq!(certificate_secret("___").len(), "qcloud-cert-".len() + 8);
    }

    #[test]
    fn secret_names_read_back_to_their_certificate_ids() {
        for id in ["abc123", "Xq0yKcZt", "BM3PQ7SW", "a-b"] {
            assert_eq!(
                super::certificate_of_secret(&certificate_secret(id)).as_deref(),
                Some(id)
            );
        }
        // A name lbgen did not make, or whose hash no case of its letters gives.
        assert_eq!(super::certificate_of_secret("my-tls"), None);
        // Kept ids with a `-` read back too, unless a case of the letters gives the suffix.
        assert_eq!(
            super::certificate_of_secret("qcloud-cert-xq0ykczt-00000000").as_deref(),
            Some("xq0ykczt-00000000")
        );
        assert_eq!(super::certificate_of_secret("qcloud-cert-_"), None);
    }
}
