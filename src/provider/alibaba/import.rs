//! Reading ACK annotations back into the neutral spec (`kubectl lbgen import`): the
//! inverse of this pack's mapping for the simple shared fields (address type, scheduler,
//! ids, stickiness, health check, auto-create parameters). Keys under the legacy
//! `alicloud-loadbalancer-` prefix are read as their current spelling by the import stage
//! (catalogue `legacy_prefixes`). Every inverse is checked there by rendering and
//! comparing.

use super::import_nlb::zone_maps;
use super::keys::{
    ADDRESS_TYPE, ALB_BACKEND_PROTOCOL, ALB_BACKEND_SCHEDULER, ALB_HEALTH_ENABLED,
    ALB_HEALTH_INTERVAL, ALB_HEALTH_METHOD, ALB_HEALTH_PATH, ALB_HEALTH_PORT, ALB_HEALTH_PROTOCOL,
    ALB_HEALTH_TIMEOUT, ALB_SSL_REDIRECT, BACKEND_TYPE, BANDWIDTH, CERT_ID, CHARGE_TYPE,
    COOKIE_TIMEOUT, FORCE_OVERRIDE, HEALTH_CHECK_CONNECT_TIMEOUT, HEALTH_CHECK_FLAG,
    HEALTH_CHECK_INTERVAL, HEALTH_CHECK_SWITCH, HEALTH_CHECK_TIMEOUT, HEALTH_CHECK_TYPE,
    HEALTH_CHECK_URI, HEALTHY_THRESHOLD, HOSTNAME, LB_ID, LB_IP, LB_NAME, PERSISTENCE_TIMEOUT,
    PROTOCOL_PORT, SCHEDULER, SERVER_GROUP_TYPE, SPEC, STICKY_SESSION, STICKY_SESSION_TYPE,
    VSWITCH_ID, ZONE_MAPS,
};
use crate::provider::import::{
    Companions, Inputs, Inverse, PackImport, Read, SharedField, duration_text, listener_ports,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The ACK pack's import knowledge.
pub(crate) struct AlibabaImport;

const SERVICE: Option<&str> = Some("Service");
const INGRESS: Option<&str> = Some("Ingress");

const TABLE: &[Inverse] = &[
    Inverse {
        key: SCHEDULER,
        kind: SERVICE,
        path: "algorithm",
        read: Read::Words(&[
            ("wrr", "round-robin"),
            ("wlc", "least-connections"),
            ("sch", "source-ip"),
        ]),
    },
    Inverse {
        key: LB_ID,
        kind: SERVICE,
        path: "loadBalancer.id",
        read: Read::Text,
    },
    Inverse {
        key: FORCE_OVERRIDE,
        kind: SERVICE,
        path: "loadBalancer.overrideListeners",
        read: Read::Flag("true", "false"),
    },
    Inverse {
        key: LB_NAME,
        kind: SERVICE,
        path: "loadBalancer.create.name",
        read: Read::Text,
    },
    Inverse {
        key: SPEC,
        kind: SERVICE,
        path: "loadBalancer.create.l4Flavor",
        read: Read::Text,
    },
    Inverse {
        key: VSWITCH_ID,
        kind: SERVICE,
        path: "loadBalancer.create.subnetId",
        read: Read::Text,
    },
    Inverse {
        key: LB_IP,
        kind: SERVICE,
        path: "loadBalancer.create.address",
        read: Read::Text,
    },
    Inverse {
        key: BANDWIDTH,
        kind: SERVICE,
        path: "loadBalancer.create.bandwidth.size",
        read: Read::Number,
    },
    Inverse {
        key: CHARGE_TYPE,
        kind: SERVICE,
        path: "loadBalancer.create.bandwidth.chargeMode",
        read: Read::Words(&[("paybybandwidth", "bandwidth"), ("paybytraffic", "traffic")]),
    },
    Inverse {
        key: BACKEND_TYPE,
        kind: SERVICE,
        path: "targets",
        read: Read::Words(&[("eni", "pods")]),
    },
    Inverse {
        key: SERVER_GROUP_TYPE,
        kind: SERVICE,
        path: "ipTargets",
        read: Read::Words(&[]),
    },
    Inverse {
        key: HEALTH_CHECK_FLAG,
        kind: SERVICE,
        path: "healthCheck.enabled",
        read: Read::Flag("on", "off"),
    },
    Inverse {
        key: HEALTH_CHECK_SWITCH,
        kind: SERVICE,
        path: "healthCheck.enabled",
        read: Read::Flag("on", "off"),
    },
    Inverse {
        key: HEALTH_CHECK_TYPE,
        kind: SERVICE,
        path: "healthCheck.protocol",
        read: Read::Words(&[("tcp", "TCP"), ("http", "HTTP"), ("udp", "UDP")]),
    },
    Inverse {
        key: HEALTH_CHECK_URI,
        kind: SERVICE,
        path: "healthCheck.path",
        read: Read::Text,
    },
    Inverse {
        key: HEALTH_CHECK_INTERVAL,
        kind: SERVICE,
        path: "healthCheck.interval",
        read: Read::Seconds,
    },
    Inverse {
        key: HEALTH_CHECK_TIMEOUT,
        kind: SERVICE,
        path: "healthCheck.timeout",
        read: Read::Seconds,
    },
    Inverse {
        key: HEALTH_CHECK_CONNECT_TIMEOUT,
        kind: SERVICE,
        path: "healthCheck.timeout",
        read: Read::Seconds,
    },
    Inverse {
        key: HEALTHY_THRESHOLD,
        kind: SERVICE,
        path: "healthCheck.retries",
        read: Read::Number,
    },
    Inverse {
        key: ALB_HEALTH_ENABLED,
        kind: INGRESS,
        path: "healthCheck.enabled",
        read: Read::Flag("true", "false"),
    },
    Inverse {
        key: ALB_HEALTH_PATH,
        kind: INGRESS,
        path: "healthCheck.path",
        read: Read::Text,
    },
    Inverse {
        key: ALB_SSL_REDIRECT,
        kind: INGRESS,
        path: "listener.redirectHttpToHttps",
        read: Read::True,
    },
    Inverse {
        key: ALB_HEALTH_PROTOCOL,
        kind: INGRESS,
        path: "healthCheck.protocol",
        read: Read::Words(&[("HTTP", "HTTP"), ("TCP", "TCP")]),
    },
    Inverse {
        key: ALB_HEALTH_PORT,
        kind: INGRESS,
        path: "healthCheck.port",
        read: Read::Number,
    },
    Inverse {
        key: ALB_HEALTH_INTERVAL,
        kind: INGRESS,
        path: "healthCheck.interval",
        read: Read::Seconds,
    },
    Inverse {
        key: ALB_HEALTH_TIMEOUT,
        kind: INGRESS,
        path: "healthCheck.timeout",
        read: Read::Seconds,
    },
    Inverse {
        key: ALB_HEALTH_METHOD,
        kind: INGRESS,
        path: "healthCheck.method",
        read: Read::Words(&[("GET", "GET"), ("HEAD", "HEAD")]),
    },
    Inverse {
        key: ALB_BACKEND_SCHEDULER,
        kind: INGRESS,
        path: "algorithm",
        read: Read::Words(&[("wlc", "least-connections"), ("sch", "source-ip")]),
    },
    Inverse {
        key: ALB_BACKEND_PROTOCOL,
        kind: INGRESS,
        path: "listener.backendProtocol",
        read: Read::Words(&[("http", "http"), ("https", "https"), ("grpc", "grpc")]),
    },
];

impl PackImport for AlibabaImport {
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
        if kind != "Service" {
            return super::import_ingress::structured(annotations, spec);
        }
        // Pass-through with the published name (`service.rs`: hostname only with it).
        if let Some(host) = annotations.get(HOSTNAME) {
            for (path, value) in [
                ("loadBalancer.hostname", json!(host)),
                ("passThrough", json!(true)),
            ] {
                out.push(SharedField {
                    keys: vec![HOSTNAME.into()],
                    path,
                    value,
                });
            }
        }
        // CLB "https:443,http:80"; NLB "tcpssl:443" (docs/usage.md 20.; NLB annotation page).
        if let Some(listed) = annotations.get(PROTOCOL_PORT) {
            let cert = annotations.get(CERT_ID).map(String::as_str);
            let words = [
                ("tcp", "TCP"),
                ("udp", "UDP"),
                ("http", "HTTP"),
                ("https", "HTTPS"),
                ("tcpssl", "TLS"),
            ];
            if let Some(ports) = listener_ports(spec, listed, &words, cert) {
                let mut keys = vec![PROTOCOL_PORT.to_string()];
                keys.extend(cert.map(|_| CERT_ID.to_string()));
                out.push(SharedField {
                    keys,
                    path: "ports",
                    value: ports,
                });
            }
        }
        super::import_service::service_fields(annotations, spec, &mut out);
        let seconds = |key: &str| annotations.get(key).and_then(|t| t.parse::<u64>().ok());
        // Source-ip persistence in seconds; cookie insertion with its timeout (CLB page).
        if let Some(s) = seconds(PERSISTENCE_TIMEOUT) {
            out.push(SharedField {
                keys: vec![PERSISTENCE_TIMEOUT.into()],
                path: "stickiness",
                value: json!({"mode": "source-ip", "timeout": duration_text(s)}),
            });
        }
        let cookie = annotations.get(STICKY_SESSION).map(String::as_str) == Some("on")
            && annotations.get(STICKY_SESSION_TYPE).map(String::as_str) == Some("insert");
        if cookie {
            let mut value = json!({"mode": "cookie"});
            if let Some(s) = seconds(COOKIE_TIMEOUT) {
                value["timeout"] = duration_text(s).into();
            }
            out.push(SharedField {
                keys: vec![
                    STICKY_SESSION.into(),
                    STICKY_SESSION_TYPE.into(),
                    COOKIE_TIMEOUT.into(),
                ],
                path: "stickiness",
                value,
            });
        }
        if annotations.get(SERVER_GROUP_TYPE).map(String::as_str) == Some("Ip") {
            out.push(SharedField {
                keys: vec![SERVER_GROUP_TYPE.into()],
                path: "ipTargets",
                value: Value::Bool(true),
            });
        }
        if let Some(create) = annotations.get(ZONE_MAPS).and_then(|m| zone_maps(m)) {
            out.push(SharedField {
                keys: vec![ZONE_MAPS.into()],
                path: "loadBalancer.create",
                value: create,
            });
        }
        // The CCM creates an internet CLB unless told intranet (annotations.go DefaultValue).
        let creates = !annotations.contains_key(LB_ID);
        match annotations.get(ADDRESS_TYPE).map(String::as_str) {
            Some("intranet") => {
                out.push(SharedField {
                    keys: vec![ADDRESS_TYPE.into()],
                    path: "network",
                    value: "internal".into(),
                });
                out.push(SharedField {
                    keys: vec![ADDRESS_TYPE.into()],
                    path: "loadBalancer.create",
                    value: json!({}),
                });
            }
            Some("internet") | None if creates => {
                out.push(SharedField {
                    keys: Vec::new(),
                    path: "network",
                    value: "public".into(),
                });
            }
            _ => {}
        }
        out
    }

    fn ingress_classes(&self) -> &'static [&'static str] {
        &["alb"]
    }

    fn ingress_controllers(&self) -> &'static [&'static str] {
        &[super::import_alb::CONTROLLER]
    }

    fn companions(
        &self,
        object: &Value,
        annotations: &BTreeMap<String, String>,
        spec: &Value,
        inputs: &Inputs<'_>,
    ) -> Companions {
        super::import_alb::companions(object, annotations, spec, inputs)
    }

    /// An NLB Service carries the NLB class (NLB annotation page; what `service.rs` writes).
    fn service_class(&self, class: &str) -> Option<SharedField> {
        (class == super::types::NLB_CLASS).then(|| SharedField {
            keys: Vec::new(),
            path: "alibaba.loadBalancerType",
            value: "nlb".into(),
        })
    }
}
