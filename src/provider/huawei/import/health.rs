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

/// The Service-wide check and the per-port `ports` entries of an options list.
type PerPort = (Option<Map<String, Value>>, Option<Value>);

/// `elb.health-check-options` against the spec's ports: every entry's check, then what
/// every port's entry shares goes to `healthCheck` when all ports are listed (the render
/// gives an unlisted port the Service's check), the rest to each port. Why not, when the
/// list does not read.
fn per_port(list: &str, spec: &Value) -> Result<PerPort, String> {
    let ports = spec
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .ok_or("the Service has no ports")?;
    let port_names: Vec<String> = ports.iter().map(target_service_port).collect();
    let Ok(Value::Array(entries)) = serde_json::from_str::<Value>(list) else {
        return Err("not a JSON list of objects".into());
    };
    if entries.is_empty() {
        return Err("an empty list (the render writes the single-port option instead)".into());
    }
    let mut checks: Vec<Option<Map<String, Value>>> = vec![None; ports.len()];
    let mut written = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let entry = entry
            .as_object()
            .ok_or_else(|| format!("entry {i} is not an object"))?;
        let name = entry
            .get("target_service_port")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("entry {i} has no target_service_port String"))?;
        let index = port_names.iter().position(|p| p == name).ok_or_else(|| {
            format!(
                "entry {i} names `{name}`, which is not a port of the Service ({})",
                port_names.join(", ")
            )
        })?;
        let mut check = Map::new();
        for (field, value) in entry.iter().filter(|(n, _)| *n != "target_service_port") {
            let (to, value) = check_field(field, value).ok_or_else(|| {
                format!("entry {i}'s `{field}: {value}` is not a field or value lbgen writes (every value a String; protocol TCP, UDP_CONNECT or HTTP)")
            })?;
            check.insert(to.into(), value);
        }
        if checks[index].replace(check).is_some() {
            return Err(format!("`{name}` is listed twice"));
        }
        written.push(index);
    }
    // The render lists the ports in their order.
    if written.windows(2).any(|w| w[0] > w[1]) {
        return Err("the ports are not listed in the Service's order".into());
    }
    let mut shared = None;
    if written.len() == ports.len() {
        let all: Vec<&Map<String, Value>> = checks.iter().flatten().collect();
        let base = services_check(&all);
        let rest_differs = all.iter().any(|c| *c != &base);
        // Without a monitor port and with nothing per port, the render would write the
        // single-port option: keep every check on its port then.
        if base.contains_key("port") || rest_differs {
            for check in checks.iter_mut().flatten() {
                check.retain(|k, v| base.get(k) != Some(v));
            }
            shared = (!base.is_empty()).then_some(base);
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
    Ok((shared, any.then_some(Value::Array(per_port))))
}

/// The Service's own check behind per-port entries: the entry most ports carry as it is
/// (the render gives a port without a check of its own the Service's), when every other
/// entry holds all its fields (a port can override a field, not unset one); else what
/// all entries share.
fn services_check(all: &[&Map<String, Value>]) -> Map<String, Value> {
    let count = |c: &Map<String, Value>| all.iter().filter(|o| **o == c).count();
    let mut best: Option<&Map<String, Value>> = None;
    for c in all {
        if best.is_none_or(|b| count(c) > count(b)) {
            best = Some(c);
        }
    }
    if let Some(base) = best.filter(|b| all.iter().all(|c| b.keys().all(|k| c.contains_key(k)))) {
        return base.clone();
    }
    let first = all.first().cloned().cloned().unwrap_or_default();
    first
        .into_iter()
        .filter(|(k, v)| all.iter().all(|c| c.get(k) == Some(v)))
        .collect()
}

/// A spec port as `target_service_port` names it: its transport and number (`TCP:80`).
fn target_service_port(port: &Value) -> String {
    let udp = port.get("protocol").and_then(Value::as_str) == Some("UDP");
    let number = port.get("port").and_then(Value::as_u64).unwrap_or_default();
    format!("{}:{number}", if udp { "UDP" } else { "TCP" })
}

/// Why the options list of a Service does not read back, when it does not.
pub(super) fn unread(
    annotations: &BTreeMap<String, String>,
    spec: &Value,
) -> Vec<(String, String)> {
    let Some(Err(why)) = annotations
        .get(ELB_HEALTH_OPTIONS)
        .map(|l| per_port(l, spec))
    else {
        return Vec::new();
    };
    let mut out = vec![(ELB_HEALTH_OPTIONS.to_string(), why.clone())];
    if annotations.contains_key(ELB_HEALTH_FLAG) {
        out.push((
            ELB_HEALTH_FLAG.to_string(),
            format!("read back with {ELB_HEALTH_OPTIONS}, which does not read: {why}"),
        ));
    }
    out
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
        // As the example's spec: the first port's check is the Service's, the second
        // port overrides the protocol and adds the path.
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0].2,
            json!({"interval": "5s", "retries": 3, "port": 22, "protocol": "TCP", "timeout": "10s"})
        );
        assert_eq!(got[1].1, "ports");
        assert_eq!(
            got[1].2,
            json!([{}, {"healthCheck": {"protocol": "HTTP", "path": "/"}}])
        );
    }

    #[test]
    fn without_an_entry_holding_the_others_fields_the_service_keeps_what_all_share() {
        let list = r#"[{"delay":"5","path":"/a","protocol":"HTTP","target_service_port":"TCP:1"},{"delay":"5","protocol":"TCP","target_service_port":"TCP:2"}]"#;
        let got = read(
            &[(ELB_HEALTH_OPTIONS, list)],
            json!([{"port": 1}, {"port": 2}]),
        );
        assert_eq!(got[0].2, json!({"interval": "5s"}));
        assert_eq!(
            got[1].2,
            json!([{"healthCheck": {"path": "/a", "protocol": "HTTP"}}, {"healthCheck": {"protocol": "TCP"}}])
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
    fn why_a_list_does_not_read_names_the_entry() {
        let annotations = BTreeMap::from([
            (ELB_HEALTH_FLAG.to_string(), "on".to_string()),
            (
                ELB_HEALTH_OPTIONS.to_string(),
                r#"[{"target_service_port":"UDP:54","protocol":"UDP_CONNECT"}]"#.to_string(),
            ),
        ]);
        let got = unread(
            &annotations,
            &spec(json!([{"port": 53, "protocol": "UDP"}])),
        );
        assert_eq!(
            got[0],
            (
                ELB_HEALTH_OPTIONS.to_string(),
                "entry 0 names `UDP:54`, which is not a port of the Service (UDP:53)".to_string()
            )
        );
        assert_eq!(got[1].0, ELB_HEALTH_FLAG);
        let fine = BTreeMap::from([(
            ELB_HEALTH_OPTIONS.to_string(),
            r#"[{"target_service_port":"UDP:53"}]"#.to_string(),
        )]);
        assert!(unread(&fine, &spec(json!([{"port": 53, "protocol": "UDP"}]))).is_empty());
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
