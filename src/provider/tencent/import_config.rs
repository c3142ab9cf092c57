//! The `TkeServiceConfig` a Service or Ingress names (`...tke-service-config: <name>`),
//! read back into the spec: the inverse of `config.rs`. TKE has no plain annotations for
//! the scheduler, session persistence or health check, so those live there; the import
//! stage consumes the object only when the imported spec renders it back exactly.
//!
//! Every listener entry (an `l4Listeners` item; an `l7Listeners` rule) carries the same
//! scheduler and session, as `config.rs` writes them; the health check is the spec's,
//! and a port whose check differs has its own (`ports[].healthCheck`, Services). A value
//! `config.rs` never writes (entries that disagree, a session switched off, the 1xx bit of
//! `httpCode`) is not guessed: it is reported and the object passes through.

use super::config::HTTP_CODE_BITS;
use super::keys::{INGRESS_CONFIG, SERVICE_CONFIG};
use super::types::{HealthCheck, Session, TkeServiceConfigSpec};
use crate::provider::import::{Companions, Inputs, SharedField, duration_text};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// One listener entry of the config: its settings and, on a Service, its port.
struct Entry<'a> {
    port: Option<u16>,
    /// An L7 rule: `config.rs` writes no `checkType` there (an HTTP check is implied).
    l7: bool,
    scheduler: Option<&'a str>,
    session: Option<&'a Session>,
    health: Option<&'a HealthCheck>,
    forward_type: Option<&'a str>,
    keepalive: Option<u8>,
}

/// What the TkeServiceConfig `object` names says about it.
pub(super) fn companions(
    object: &Value,
    annotations: &BTreeMap<String, String>,
    spec: &Value,
    inputs: &Inputs<'_>,
) -> Companions {
    let mut out = Companions::default();
    let text = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
    let service = text(object, "/kind").as_deref() == Some("Service");
    let key = if service {
        SERVICE_CONFIG
    } else {
        INGRESS_CONFIG
    };
    let Some(name) = annotations.get(key) else {
        return out;
    };
    let namespace = text(object, "/metadata/namespace");
    let subject = format!("TkeServiceConfig {name}");
    let found = inputs.objects().iter().enumerate().find(|(_, o)| {
        text(o, "/kind").as_deref() == Some("TkeServiceConfig")
            && text(o, "/metadata/name").as_deref() == Some(name.as_str())
            && text(o, "/metadata/namespace") == namespace
    });
    let Some((index, config)) = found else {
        out.notes.push((
            subject,
            format!("not in the input: `{key}` stays a raw annotation"),
        ));
        return out;
    };
    out.objects = vec![index];
    let parsed = config
        .get("spec")
        .cloned()
        .map(serde_json::from_value::<TkeServiceConfigSpec>);
    let Some(Ok(parsed)) = parsed else {
        let why = match parsed {
            Some(Err(e)) => format!("not a config lbgen writes: {e}"),
            _ => "no spec".to_string(),
        };
        out.unexpressed.push((format!("{subject} spec"), why));
        return out;
    };
    let lb = &parsed.load_balancer;
    let mut entries: Vec<Entry> = lb
        .l4_listeners
        .iter()
        .map(|l| Entry {
            port: Some(l.port),
            l7: false,
            scheduler: l.scheduler.as_deref(),
            session: l.session.as_ref(),
            health: l.health_check.as_ref(),
            forward_type: None,
            keepalive: None,
        })
        .collect();
    for listener in &lb.l7_listeners {
        for rule in listener.domains.iter().flat_map(|d| &d.rules) {
            entries.push(Entry {
                port: Some(listener.port),
                l7: true,
                scheduler: rule.scheduler.as_deref(),
                session: rule.session.as_ref(),
                health: rule.health_check.as_ref(),
                forward_type: rule.forward_type.as_deref(),
                keepalive: listener.keepalive_enable,
            });
        }
    }
    let mut fields = Vec::new();
    let mut unexpressed = Vec::new();
    let field = |path: &'static str, value: Value| SharedField {
        keys: vec![key.to_string()],
        path,
        value,
    };
    match same(entries.iter().map(|e| e.scheduler)) {
        Some(Some("WRR")) => {}
        Some(Some("LEAST_CONN")) => fields.push(field("algorithm", json!("least-connections"))),
        Some(Some("IP_HASH")) => fields.push(field("algorithm", json!("source-ip"))),
        other => unexpressed.push(("scheduler", format!("{other:?}"))),
    }
    match same(
        entries
            .iter()
            .map(|e| e.session.map(|s| (s.enable, s.session_expire_time))),
    ) {
        Some(None) => {}
        Some(Some((true, timeout))) => {
            let mode = if service { "source-ip" } else { "cookie" };
            let mut stickiness = json!({ "mode": mode });
            if let Some(t) = timeout {
                stickiness["timeout"] = duration_text(t).into();
            }
            fields.push(field("stickiness", stickiness));
        }
        other => unexpressed.push(("session", format!("{other:?}"))),
    }
    health(&entries, service, spec, &mut fields, &mut unexpressed, key);
    if !service {
        match same(entries.iter().map(|e| e.forward_type)) {
            Some(None) => {}
            Some(Some(p @ ("HTTP" | "HTTPS"))) => fields.push(field(
                "listener.backendProtocol",
                json!(p.to_ascii_lowercase()),
            )),
            other => unexpressed.push(("forwardType", format!("{other:?}"))),
        }
        match same(entries.iter().map(|e| e.keepalive)) {
            Some(None) => {}
            Some(Some(1)) => fields.push(field("passThrough", json!(true))),
            other => unexpressed.push(("keepaliveEnable", format!("{other:?}"))),
        }
    }
    out.read = fields
        .iter()
        .map(|f| (subject.clone(), format!("spec.{}", f.path)))
        .collect();
    out.unexpressed = unexpressed
        .into_iter()
        .map(|(what, value)| {
            (
                format!("{subject} {what}"),
                format!("{value} is not what lbgen writes (every listener entry alike, in TKE's spelling)"),
            )
        })
        .collect();
    out.fields = fields;
    out
}

/// The one value every item has (`None`: they differ, or there are none).
fn same<T: PartialEq>(mut items: impl Iterator<Item = T>) -> Option<T> {
    let first = items.next()?;
    items.all(|i| i == first).then_some(first)
}

/// The health check: what every entry has is the spec's; on a Service, a port whose
/// check differs gets its own (`ports[].healthCheck`), the inverse of the plan's merge.
fn health(
    entries: &[Entry],
    service: bool,
    spec: &Value,
    fields: &mut Vec<SharedField>,
    unexpressed: &mut Vec<(&'static str, String)>,
    key: &str,
) {
    let checks: Vec<Option<Option<Value>>> = entries
        .iter()
        .map(|e| e.health.map(|h| check(h, e.l7)))
        .collect();
    if checks.iter().flatten().any(Option::is_none) {
        unexpressed.push(("healthCheck", "a check lbgen does not write".into()));
        return;
    }
    let checks: Vec<Option<Value>> = checks.into_iter().map(Option::flatten).collect();
    let field = |path: &'static str, value: Value| SharedField {
        keys: vec![key.to_string()],
        path,
        value,
    };
    if let Some(common) = same(checks.iter()) {
        if let Some(common) = common {
            fields.push(field("healthCheck", common.clone()));
        }
        return;
    }
    // The spec's check is the one most entries carry (every entry has one: an entry
    // without would take it too); each other port gets its own.
    let common = if checks.iter().all(Option::is_some) {
        let count = |c: &Option<Value>| checks.iter().filter(|d| *d == c).count();
        // The first of the most carried (max_by_key would take the last).
        checks
            .iter()
            .fold(None::<&Option<Value>>, |best, c| match best {
                Some(b) if count(b) >= count(c) => Some(b),
                _ => Some(c),
            })
            .cloned()
            .flatten()
    } else {
        None
    };
    if let Some(common) = &common {
        fields.push(field("healthCheck", common.clone()));
    }
    let ports: Vec<u64> = spec
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .map(|p| {
            p.iter()
                .map(|p| p.get("port").and_then(Value::as_u64).unwrap_or(0))
                .collect()
        })
        .unwrap_or_default();
    let mut per_port = vec![Value::Object(Map::new()); ports.len()];
    for (entry, check) in entries.iter().zip(&checks) {
        let at = entry
            .port
            .and_then(|p| ports.iter().position(|q| *q == u64::from(p)));
        match (service, at, check) {
            (true, Some(_), c) if c.as_ref() == common.as_ref() => {}
            (true, Some(i), Some(c)) => per_port[i] = json!({ "healthCheck": c }),
            (true, Some(_), None) => {}
            _ => {
                unexpressed.push(("healthCheck", "checks that differ by listener".into()));
                return;
            }
        }
    }
    fields.push(field("ports", Value::Array(per_port)));
}

/// A config `healthCheck` as the spec's, when it is one `config.rs` writes (`l7`: of an
/// L7 rule, where an HTTP field means an HTTP check).
fn check(h: &HealthCheck, l7: bool) -> Option<Value> {
    if !h.enable {
        let unset = h.interval_time.is_none() && h.timeout.is_none() && h.health_num.is_none();
        return unset.then(|| json!({"enabled": false}));
    }
    if h.health_num != h.un_health_num {
        return None;
    }
    let mut out = Map::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            out.insert(k.into(), v);
        }
    };
    let http = h.http_check_path.is_some()
        || h.http_code.is_some()
        || h.http_check_method.is_some()
        || h.http_check_domain.is_some();
    let implied = (l7 && http).then(|| "HTTP".to_string());
    put(
        "protocol",
        h.check_type.clone().or(implied).map(Value::from),
    );
    put("port", h.check_port.map(Value::from));
    put("path", h.http_check_path.clone().map(Value::from));
    put("interval", h.interval_time.map(|s| duration_text(s).into()));
    put("timeout", h.timeout.map(|s| duration_text(s).into()));
    put("retries", h.health_num.map(Value::from));
    if let Some(code) = h.http_code {
        put("successCodes", Some(status_classes(code)?));
    }
    put("method", h.http_check_method.clone().map(Value::from));
    put("host", h.http_check_domain.clone().map(Value::from));
    Some(Value::Object(out))
}

/// `httpCode`'s bits as the spec's status classes, the inverse of `config::http_code`
/// (`HTTP_CODE_BITS`); the 1xx bit, or nothing, is no spec value.
fn status_classes(code: u8) -> Option<Value> {
    let classes: Vec<&str> = HTTP_CODE_BITS
        .iter()
        .filter(|(_, bit)| code & bit != 0)
        .map(|(class, _)| class.as_str())
        .collect();
    let known: u8 = HTTP_CODE_BITS.iter().map(|(_, bit)| bit).sum();
    (code & !known == 0 && !classes.is_empty()).then(|| json!(classes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_bits_read_back_only_as_lbgen_writes_them() {
        assert_eq!(status_classes(6), Some(json!(["2xx", "3xx"])));
        assert_eq!(
            status_classes(30),
            Some(json!(["2xx", "3xx", "4xx", "5xx"]))
        );
        assert_eq!(status_classes(31), None);
        assert_eq!(status_classes(0), None);
        assert_eq!(status_classes(64), None);
    }

    #[test]
    fn entries_agree_or_nothing_is_read() {
        assert_eq!(same([1, 1, 1].into_iter()), Some(1));
        assert_eq!(same([1, 2].into_iter()), None);
        assert_eq!(same(std::iter::empty::<u8>()), None);
    }

    #[test]
    fn a_check_lbgen_does_not_write_is_none() {
        let mut h = HealthCheck {
            enable: true,
            interval_time: Some(5),
            timeout: Some(2),
            health_num: Some(3),
            un_health_num: Some(2),
            ..HealthCheck::default()
        };
        assert_eq!(check(&h, false), None, "two thresholds");
        h.un_health_num = Some(3);
        assert_eq!(
            check(&h, false),
            Some(json!({"interval": "5s", "timeout": "2s", "retries": 3}))
        );
        h.http_check_method = Some("GET".into());
        assert_eq!(
            check(&h, true).unwrap()["protocol"],
            "HTTP",
            "an L7 HTTP check"
        );
        h.enable = false;
        assert_eq!(check(&h, false), None, "off, with settings");
    }
}
