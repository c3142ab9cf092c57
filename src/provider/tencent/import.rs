//! Reading TKE annotations back into the neutral spec (`kubectl lbgen import`): the
//! inverse of this pack's mapping for the simple shared fields (direct access, existing
//! LB, subnet, bandwidth, redirect, loopback, local binding); the CreateLoadBalancer
//! parameters (`import_create`) and a Service's per-port protocols (`import_ports`) have a
//! module each. The `qcloud` Ingress class,
//! also on `extensions/v1beta1` and `networking.k8s.io/v1beta1` Ingresses, marks a TKE
//! Ingress. Every inverse is checked by the import stage by rendering and comparing.

use super::import_create::create_parameters;
use super::import_ports::specify_protocol;
use super::keys::{
    AUTO_REWRITE, GRACE_SHUTDOWN, HTTP_RULES, HTTPS_RULES, INGRESS_BANDWIDTH, INGRESS_CHARGE_TYPE,
    INGRESS_DIRECT_ACCESS, INGRESS_EXISTING_LB, INGRESS_EXTENSIVE, INGRESS_SUBNET, LOCAL_BIND,
    PREVENT_LOOPBACK, REWRITE_SUPPORT, RULE_MIX, SERVICE_BANDWIDTH, SERVICE_CHARGE_TYPE,
    SERVICE_DIRECT_ACCESS, SERVICE_EXISTING_LB, SERVICE_EXTENSIVE, SERVICE_SUBNET,
    SPECIFY_PROTOCOL,
};
use crate::provider::import::{Companions, Inputs, Inverse, PackImport, Read, SharedField};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The TKE pack's import knowledge.
pub(crate) struct TencentImport;

const SERVICE: Option<&str> = Some("Service");
const INGRESS: Option<&str> = Some("Ingress");
const CHARGE: Read = Read::Words(&[
    ("TRAFFIC_POSTPAID_BY_HOUR", "traffic"),
    ("BANDWIDTH_POSTPAID_BY_HOUR", "bandwidth"),
]);

const TABLE: &[Inverse] = &[
    Inverse {
        key: SERVICE_DIRECT_ACCESS,
        kind: SERVICE,
        path: "targets",
        read: Read::Words(&[("true", "pods")]),
    },
    Inverse {
        key: INGRESS_DIRECT_ACCESS,
        kind: INGRESS,
        path: "targets",
        read: Read::Words(&[("true", "pods")]),
    },
    Inverse {
        key: SERVICE_EXISTING_LB,
        kind: SERVICE,
        path: "loadBalancer.id",
        read: Read::Text,
    },
    Inverse {
        key: INGRESS_EXISTING_LB,
        kind: INGRESS,
        path: "loadBalancer.id",
        read: Read::Text,
    },
    Inverse {
        key: SERVICE_SUBNET,
        kind: SERVICE,
        path: "loadBalancer.create.subnetId",
        read: Read::Text,
    },
    Inverse {
        key: INGRESS_SUBNET,
        kind: INGRESS,
        path: "loadBalancer.create.subnetId",
        read: Read::Text,
    },
    Inverse {
        key: SERVICE_BANDWIDTH,
        kind: SERVICE,
        path: "loadBalancer.create.bandwidth.size",
        read: Read::Number,
    },
    Inverse {
        key: INGRESS_BANDWIDTH,
        kind: INGRESS,
        path: "loadBalancer.create.bandwidth.size",
        read: Read::Number,
    },
    Inverse {
        key: SERVICE_CHARGE_TYPE,
        kind: SERVICE,
        path: "loadBalancer.create.bandwidth.chargeMode",
        read: CHARGE,
    },
    Inverse {
        key: INGRESS_CHARGE_TYPE,
        kind: INGRESS,
        path: "loadBalancer.create.bandwidth.chargeMode",
        read: CHARGE,
    },
    Inverse {
        key: PREVENT_LOOPBACK,
        kind: SERVICE,
        path: "passThrough",
        read: Read::True,
    },
    Inverse {
        key: LOCAL_BIND,
        kind: SERVICE,
        path: "trafficPolicy",
        read: Read::Words(&[("true", "local")]),
    },
    Inverse {
        key: GRACE_SHUTDOWN,
        kind: SERVICE,
        path: "draining",
        read: Read::Words(&[]),
    },
];

impl PackImport for TencentImport {
    fn table(&self) -> &'static [Inverse] {
        TABLE
    }

    fn structured(
        &self,
        kind: &str,
        annotations: &BTreeMap<String, String>,
        spec: &Value,
    ) -> Vec<SharedField> {
        let mut out = Vec::new();
        let on = |key: &str| annotations.get(key).map(String::as_str) == Some("true");
        if kind == "Ingress" && on(AUTO_REWRITE) && on(REWRITE_SUPPORT) {
            out.push(SharedField {
                keys: vec![AUTO_REWRITE.into(), REWRITE_SUPPORT.into()],
                path: "listener.redirectHttpToHttps",
                value: true.into(),
            });
        }
        if kind == "Ingress" && on(RULE_MIX) {
            out.extend(mixed_routes(annotations, spec));
        }
        if kind == "Service" && on(GRACE_SHUTDOWN) {
            out.push(SharedField {
                keys: vec![GRACE_SHUTDOWN.into()],
                path: "draining",
                value: json!({}),
            });
        }
        // A CLB without a subnet is public (457/45487); internal needs the subnet key.
        let subnet = if kind == "Service" {
            SERVICE_SUBNET
        } else {
            INGRESS_SUBNET
        };
        let existing = if kind == "Service" {
            SERVICE_EXISTING_LB
        } else {
            INGRESS_EXISTING_LB
        };
        // The pack writes the CreateLoadBalancer parameters only for a CLB it creates.
        let extensive = if kind == "Service" {
            SERVICE_EXTENSIVE
        } else {
            INGRESS_EXTENSIVE
        };
        if let Some(text) = annotations
            .get(extensive)
            .filter(|_| !annotations.contains_key(existing))
        {
            out.extend(create_parameters(extensive, text));
        }
        if let Some(text) = annotations
            .get(SPECIFY_PROTOCOL)
            .filter(|_| kind == "Service")
        {
            out.extend(specify_protocol(SPECIFY_PROTOCOL, text, spec));
        }
        let network = if annotations.contains_key(subnet) {
            "internal"
        } else {
            "public"
        };
        if !annotations.contains_key(existing) {
            out.push(SharedField {
                keys: Vec::new(),
                path: "network",
                value: network.into(),
            });
        }
        out
    }

    fn ingress_classes(&self) -> &'static [&'static str] {
        &["qcloud"]
    }

    fn companions(
        &self,
        object: &Value,
        annotations: &BTreeMap<String, String>,
        spec: &Value,
        inputs: &Inputs<'_>,
    ) -> Companions {
        super::import_config::companions(object, annotations, spec, inputs)
    }

    fn tls_certificate(&self, secret_name: &str) -> Option<String> {
        super::certificate_of_secret(secret_name)
    }

    /// The pack renders the `v1beta1` Ingress only below `FIRST_V1_INGRESS_VERSION`.
    fn implied_cluster_version(&self, kind: &str, api_version: &str) -> Option<&'static str> {
        (kind == "Ingress" && api_version.ends_with("/v1beta1")).then_some("v1.18")
    }
}

/// The routes of a mixed HTTP/HTTPS Ingress (457/43504): each route of `spec.rules` once
/// per rule set that lists it, the HTTP copy without its certificate, in the rules' order
/// (the render lists a path served on both protocols once in `spec.rules`). `None` when a
/// listed rule is not one of the routes, or an HTTPS one has no certificate.
fn mixed_routes(annotations: &BTreeMap<String, String>, spec: &Value) -> Option<SharedField> {
    let set = |key: &str| -> Option<Vec<(Option<String>, String)>> {
        let rules: Vec<Value> = serde_json::from_str(annotations.get(key)?).ok()?;
        rules
            .iter()
            .map(|r| {
                let host = r.get("host").and_then(Value::as_str).map(str::to_string);
                Some((host, r.get("path")?.as_str()?.to_string()))
            })
            .collect()
    };
    let (http, https) = (set(HTTP_RULES)?, set(HTTPS_RULES)?);
    let routes = spec.pointer("/spec/routes")?.as_array()?;
    let mut out = Vec::new();
    for route in routes {
        let at = (
            route
                .get("host")
                .and_then(Value::as_str)
                .map(str::to_string),
            route
                .get("path")
                .and_then(Value::as_str)
                .unwrap_or("/")
                .to_string(),
        );
        if http.contains(&at) {
            let mut plain = route.clone();
            plain.as_object_mut()?.remove("tls");
            out.push(plain);
        }
        if https.contains(&at) {
            route.get("tls")?;
            out.push(route.clone());
        }
    }
    (out.len() == http.len() + https.len()).then(|| SharedField {
        keys: vec![RULE_MIX.into(), HTTP_RULES.into(), HTTPS_RULES.into()],
        path: "routes",
        value: Value::Array(out),
    })
}

#[cfg(test)]
mod tests {
    use crate::import::{Options, Outcome, import};
    use crate::spec::load::Source;
    use serde_json::{Value, json};

    /// The imported document of one Service with `annotations`, and each annotation's
    /// outcome.
    fn service(annotations: &str) -> (Value, Vec<(String, Outcome)>) {
        let text = format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n{annotations}spec:\n  type: LoadBalancer\n  selector: {{app: web}}\n  ports:\n  - {{port: 80, targetPort: 8080, protocol: TCP}}\n  - {{port: 443, targetPort: 8080, protocol: TCP}}\n"
        );
        let source = Source {
            name: "in.yaml".into(),
            text,
        };
        let imported = import(&[source], &Options::default()).expect("imports");
        let items = imported.report.objects[0]
            .items
            .iter()
            .filter(|i| i.subject.contains('/'))
            .map(|i| (i.subject.clone(), i.outcome))
            .collect();
        (imported.outputs[0].object.0.clone(), items)
    }

    #[test]
    fn create_parameters_and_port_protocols_read_back_into_the_spec() {
        let (imported, items) = service(concat!(
            "    service.kubernetes.io/service.extensiveParameters: '{\"AddressIPVersion\":\"IPV6\",\"LoadBalancerName\":\"shop\",\"Tags\":[{\"TagKey\":\"team\",\"TagValue\":\"a\"}],\"ZoneId\":\"ap-guangzhou-1\"}'\n",
            "    service.cloud.tencent.com/specify-protocol: '{\"443\":{\"protocol\":[\"HTTPS\"],\"tls\":\"qcloud-cert-xq0ykczt-a0855bed\"},\"80\":{\"protocol\":[\"HTTP\"]}}'\n",
        ));
        assert!(
            items.iter().all(|(_, o)| *o == Outcome::Mapped),
            "{items:?}"
        );
        let spec = &imported["spec"];
        assert_eq!(
            spec["loadBalancer"],
            json!({"create": {"ipVersion": "ipv6", "name": "shop", "zones": ["ap-guangzhou-1"]}, "tags": {"team": "a"}})
        );
        assert_eq!(spec["ports"][0]["protocol"], "HTTP");
        assert_eq!(spec["ports"][1]["protocol"], "HTTPS");
        assert_eq!(spec["ports"][1]["certificateId"], "Xq0yKcZt");
    }

    /// Members in another order than the render's are the same JSON: read back, and the
    /// report says the render writes them its own way.
    #[test]
    fn create_parameters_in_another_order_read_back() {
        let (imported, items) = service(
            "    service.kubernetes.io/service.extensiveParameters: '{\"ZoneId\":\"ap-guangzhou-1\",\"LoadBalancerName\":\"shop\"}'\n",
        );
        assert!(
            items.iter().all(|(_, o)| *o == Outcome::Mapped),
            "{items:?}"
        );
        assert_eq!(
            imported["spec"]["loadBalancer"]["create"],
            json!({"name": "shop", "zones": ["ap-guangzhou-1"]})
        );
    }

    #[test]
    fn values_the_pack_does_not_write_stay_raw_annotations() {
        let extensive = "service.kubernetes.io/service.extensiveParameters";
        let protocols = "service.cloud.tencent.com/specify-protocol";
        for (key, annotation) in [
            // An unknown member.
            (extensive, r#"{"ZoneId":"ap-guangzhou-1","VipIsp":"CTCC"}"#),
            // A Secret lbgen did not name, a certificate id of the wrong shape.
            (
                protocols,
                r#"{"443":{"protocol":["HTTPS"],"tls":"my-tls"}}"#,
            ),
            (
                protocols,
                r#"{"443":{"protocol":["HTTPS"],"tls":"qcloud-cert-abc123"}}"#,
            ),
        ] {
            let (imported, items) = service(&format!("    {key}: '{annotation}'\n"));
            assert_eq!(items, [(key.to_string(), Outcome::KeptRaw)], "{annotation}");
            let kept = &imported["metadata"]["annotations"][key];
            assert_eq!(kept.as_str(), Some(annotation));
            let spec = &imported["spec"];
            assert_eq!(spec.get("loadBalancer"), None, "{annotation}");
            assert_eq!(spec["ports"][1].get("certificateId"), None, "{annotation}");
        }
        // Beside an existing CLB the pack writes no creation parameters: they stay raw.
        let (imported, items) = service(concat!(
            "    service.kubernetes.io/tke-existed-lbid: lb-6c8w2k1a\n",
            "    service.kubernetes.io/service.extensiveParameters: '{\"ZoneId\":\"ap-guangzhou-1\"}'\n",
        ));
        assert_eq!(
            items,
            [
                (extensive.to_string(), Outcome::KeptRaw),
                (
                    "service.kubernetes.io/tke-existed-lbid".into(),
                    Outcome::Mapped
                )
            ]
        );
        assert_eq!(
            imported["spec"]["loadBalancer"],
            json!({"id": "lb-6c8w2k1a"})
        );
        // A wrong JSON type fails the catalogue's check: reported, in no spec field.
        for (key, annotation) in [
            (extensive, r#"{"LoadBalancerName":["shop"]}"#),
            (protocols, r#"{"443":{"protocol":"HTTPS"}}"#),
        ] {
            let (imported, items) = service(&format!("    {key}: '{annotation}'\n"));
            assert_eq!(
                items,
                [(key.to_string(), Outcome::Unsupported)],
                "{annotation}"
            );
            assert_eq!(imported["spec"].get("loadBalancer"), None, "{annotation}");
            assert_eq!(imported["spec"]["ports"][1].get("protocol"), None);
        }
    }
}
