//! The Service health check read back: `elb.health-check-flag` with the single-port
//! `elb.health-check-option` (seed 001 table 3) into `healthCheck`, or the per-port
//! `elb.health-check-options` list (cce_10_0684, one object per Service port keyed by
//! `target_service_port`) into `healthCheck` (what every listed port shares) and
//! `ports[].healthCheck` (what a port sets itself), the inverse of `service::health`.
//! A list that names a port the Service does not have, repeats one, or holds a field or
//! spelling the pack never writes is not read: the import stage keeps it as it was and
//! reports it.

use super::field;
use crate::provider::huawei::keys::{ELB_HEALTH_FLAG, ELB_HEALTH_OPTION, ELB_HEALTH_OPTIONS};
use crate::provider::import::{SharedField, duration_text};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The health-check fields of a Service's annotations.
pub(super) fn fields(annotations: &BTreeMap<String, String>, spec: &Value) -> Vec<SharedField> {
    let flag = annotations.get(ELB_HEALTH_FLAG).map(String::as_str);
    if let Some(list) = annotations.get(ELB_HEALTH_OPTIONS) {
        // The pack writes the flag `on` beside the list: both read back together, and
        // a list that does not read leaves the flag as it is too.
        let mut keys = vec![ELB_HEALTH_OPTIONS.to_string()];
        keys.extend((flag == Some("on")).then(|| ELB_HEALTH_FLAG.to_string()));
        return per_port(list, spec)
            .map(|(shared, ports)| {
                let mut out = Vec::new();
                if let Some(shared) = shared {
                    out.push(SharedField {
                        keys: keys.clone(),
                        path: "healthCheck",
                        value: Value::Object(shared),
                    });
                }
                if let Some(ports) = ports {
                    out.push(SharedField {
                        keys,
                        path: "ports",
                        value: ports,
                    });
                }
                out
            })
            .unwrap_or_default();
    }
    let mut out = Vec::new();
    match flag {
        Some("on") => out.push(field(ELB_HEALTH_FLAG, "healthCheck.enabled", true.into())),
        Some("off") => out.push(field(ELB_HEALTH_FLAG, "healthCheck.enabled", false.into())),
        _ => {}
    }
    let option = annotations
        .get(ELB_HEALTH_OPTION)
        .and_then(|t| serde_json::from_str::<Value>(t).ok());
    if let Some(Value::Object(o)) = option {
        out.push(field(
            ELB_HEALTH_OPTION,
            "healthCheck",
            Value::Object(single(&o)),
        ));
    }
    out
}

/// The single-port option's fields the spec has (seed 001 table 3; every value a String).
fn single(o: &Map<String, Value>) -> Map<String, Value> {
    let mut check = Map::new();
    for (name, value) in o {
        if let Some((field, value)) = check_field(name, value) {
            check.insert(field.into(), value);
        }
    }
    check
}

/// One option field as a `healthCheck` field: `delay` -> `interval`, `max_retries` ->
/// `retries`, `monitor_port` -> `port`, the protocol's spelling (UDP is `UDP_CONNECT`).
fn check_field(name: &str, value: &Value) -> Option<(&'static str, Value)> {
    let text = value.as_str()?;
    let seconds = || {
        text.parse::<u64>()
            .ok()
            .map(|s| Value::from(duration_text(s)))
    };
    match name {
        "delay" => Some(("interval", seconds()?)),
        "timeout" => Some(("timeout", seconds()?)),
        "max_retries" => Some(("retries", text.parse::<u64>().ok()?.into())),
        "monitor_port" => Some(("port", text.parse::<u16>().ok()?.into())),
        "path" => Some(("path", text.into())),
        "protocol" => {
            let spec = match text {
                "TCP" => "TCP",
                "UDP_CONNECT" => "UDP",
                "HTTP" => "HTTP",
                _ => return None,
            };
            Some(("protocol", spec.into()))
        }
        _ => None,
    }
}

/// The Service-wide check and the per-port `ports` entries of an options list; `None`
/// when the list does not read.
type PerPort = (Option<Map<String, Value>>, Option<Value>);

/// `elb.health-check-options` against the spec's ports: every entry's check, then what
/// every port's entry shares goes to `healthCheck` when all ports are listed (the render
/// gives an unlisted port the Service's check), the rest to each port.
fn per_port(list: &str, spec: &Value) -> Option<PerPort> {
    let ports = spec.pointer("/spec/ports")?.as_array()?;
    let Value::Array(entries) = serde_json::from_str::<Value>(list).ok()? else {
        return None;
    };
    let mut checks: Vec<Option<Map<String, Value>>> = vec![None; ports.len()];
    for entry in &entries {
        let entry = entry.as_object()?;
        let (transport, number) = entry
            .get("target_service_port")?
            .as_str()?
            .split_once(':')?;
        let number: u64 = number.parse().ok()?;
        let index = ports.iter().position(|p| {
            let udp = p.get("protocol").and_then(Value::as_str) == Some("UDP");
            p.get("port").and_then(Value::as_u64) == Some(number)
                && transport == if udp { "UDP" } else { "TCP" }
        })?;
        let mut check = Map::new();
        for (name, value) in entry.iter().filter(|(n, _)| *n != "target_service_port") {
            let (field, value) = check_field(name, value)?;
            check.insert(field.into(), value);
        }
        if checks[index].replace(check).is_some() {
            return None;
        }
    }
    // The render lists the ports in their order: a list in another order does not read.
    let listed: Vec<usize> = (0..ports.len()).filter(|i| checks[*i].is_some()).collect();
    let order_of = |entry: &Value| {
        entry
            .get("target_service_port")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let written: Vec<Option<String>> = entries.iter().map(order_of).collect();
    let expected: Vec<Option<String>> = listed
        .iter()
        .map(|i| {
            let p = &ports[*i];
            let udp = p.get("protocol").and_then(Value::as_str) == Some("UDP");
            let number = p.get("port").and_then(Value::as_u64)?;
            Some(format!("{}:{number}", if udp { "UDP" } else { "TCP" }))
        })
        .collect();
    if written != expected || listed.is_empty() {
        return None;
    }
    let mut shared = None;
    if listed.len() == ports.len() {
        let first = checks[0].clone().unwrap_or_default();
        let common: Map<String, Value> = first
            .into_iter()
            .filter(|(k, v)| checks.iter().flatten().all(|c| c.get(k) == Some(v)))
            .collect();
        let rest_differs = checks.iter().flatten().any(|c| c.len() > common.len());
        // Without a monitor port and with nothing per port, the render would write the
        // single-port option: keep every check on its port then.
        if common.contains_key("port") || rest_differs {
            for check in checks.iter_mut().flatten() {
                check.retain(|k, _| !common.contains_key(k));
            }
            shared = (!common.is_empty()).then_some(common);
        }
    }
    let per_port: Vec<Value> = checks
        .into_iter()
        .map(|c| match c.filter(|c| !c.is_empty()) {
            Some(check) => Value::Object(Map::from_iter([("healthCheck".into(), check.into())])),
            None => Value::Object(Map::new()),
        })
        .collect();
    let any = per_port.iter().any(|p| p.get("healthCheck").is_some());
    Some((shared, any.then_some(Value::Array(per_port))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(ports: Value) -> Value {
        json!({"spec": {"ports": ports}})
    }

    fn read(annotations: &[(&str, &str)], ports: Value) -> Vec<(Vec<String>, String, Value)> {
        let annotations: BTreeMap<String, String> = annotations
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        fields(&annotations, &spec(ports))
            .into_iter()
            .map(|f| (f.keys, f.path.to_string(), f.value))
            .collect()
    }

    const FLAG_ON: (&str, &str) = (ELB_HEALTH_FLAG, "on");

    #[test]
    fn one_monitor_port_for_every_port_is_the_services_check() {
        // examples/huawei/service-health-port.yaml's rendering.
        let list = r#"[{"delay":"10","max_retries":"5","monitor_port":"8081","protocol":"UDP_CONNECT","target_service_port":"UDP:53","timeout":"5"}]"#;
        let got = read(
            &[FLAG_ON, (ELB_HEALTH_OPTIONS, list)],
            json!([{"port": 53, "protocol": "UDP"}]),
        );
        assert_eq!(
            got,
            vec![(
                vec![ELB_HEALTH_OPTIONS.to_string(), ELB_HEALTH_FLAG.to_string()],
                "healthCheck".into(),
                json!({"interval": "10s", "retries": 5, "port": 8081, "protocol": "UDP", "timeout": "5s"})
            )]
        );
    }

    #[test]
    fn what_ports_do_not_share_goes_to_each_port() {
        // cce_10_0684's example as examples/huawei/service-per-port-health.yaml renders it.
        let list = r#"[{"delay":"5","max_retries":"3","monitor_port":"22","protocol":"TCP","target_service_port":"TCP:1","timeout":"10"},{"delay":"5","max_retries":"3","monitor_port":"22","path":"/","protocol":"HTTP","target_service_port":"TCP:2","timeout":"10"}]"#;
        let got = read(
            &[FLAG_ON, (ELB_HEALTH_OPTIONS, list)],
            json!([{"port": 1}, {"port": 2}]),
        );
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0].2,
            json!({"interval": "5s", "retries": 3, "port": 22, "timeout": "10s"})
        );
        assert_eq!(got[1].1, "ports");
        assert_eq!(
            got[1].2,
            json!([{"healthCheck": {"protocol": "TCP"}}, {"healthCheck": {"protocol": "HTTP", "path": "/"}}])
        );
    }

    #[test]
    fn a_port_left_out_keeps_every_check_on_its_own_port() {
        let list = r#"[{"protocol":"TCP","target_service_port":"TCP:2"}]"#;
        let got = read(
            &[(ELB_HEALTH_OPTIONS, list)],
            json!([{"port": 1}, {"port": 2}]),
        );
        assert_eq!(
            got,
            vec![(
                vec![ELB_HEALTH_OPTIONS.to_string()],
                "ports".into(),
                json!([{}, {"healthCheck": {"protocol": "TCP"}}])
            )]
        );
    }

    #[test]
    fn a_list_that_does_not_match_the_service_is_not_read() {
        let ports = json!([{"port": 80}, {"port": 53, "protocol": "UDP"}]);
        for list in [
            // A port the Service does not have; the right number with the wrong transport.
            r#"[{"target_service_port":"TCP:81","protocol":"TCP"}]"#,
            r#"[{"target_service_port":"UDP:80","protocol":"UDP_CONNECT"}]"#,
            // A port twice; the ports out of the Service's order.
            r#"[{"target_service_port":"TCP:80"},{"target_service_port":"TCP:80"}]"#,
            r#"[{"target_service_port":"UDP:53"},{"target_service_port":"TCP:80"}]"#,
            // No port; a numeric value (the open-source controller's form); an unknown
            // field; a spelling the pack never writes; not a list; not JSON; empty.
            r#"[{"protocol":"TCP"}]"#,
            r#"[{"target_service_port":"TCP:80","delay":5}]"#,
            r#"[{"target_service_port":"TCP:80","interval":"5"}]"#,
            r#"[{"target_service_port":"TCP:80","protocol":"UDP"}]"#,
            r#"{"target_service_port":"TCP:80"}"#,
            r#"[{"target_service_port":"TCP:80""#,
            "[]",
            r#"[{"target_service_port":"TCP:x"}]"#,
        ] {
            let got = read(&[FLAG_ON, (ELB_HEALTH_OPTIONS, list)], ports.clone());
            assert!(got.is_empty(), "{list}: {got:?}");
        }
    }

    #[test]
    fn the_single_port_option_and_the_flag_read_as_before() {
        let got = read(
            &[
                (ELB_HEALTH_FLAG, "off"),
                (
                    ELB_HEALTH_OPTION,
                    r#"{"delay":"120","protocol":"HTTP","path":"/h"}"#,
                ),
            ],
            json!([{"port": 80}]),
        );
        assert_eq!(got[0].2, json!(false));
        assert_eq!(
            got[1].2,
            json!({"interval": "2m", "protocol": "HTTP", "path": "/h"})
        );
    }
}
