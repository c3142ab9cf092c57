//! Checked value types of the spec: names, ports, weights, durations, cluster versions.
//!
//! Each one validates while it is read, so a bad value is reported at its own location
//! with the rule it broke and an example of a good value.

use serde::{Deserialize, Deserializer, Serialize, de};
use std::fmt;

pub use super::version::{ClusterVersion, VersionText};

/// A DNS-1035 label: what Kubernetes requires of a Service name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DnsLabel(pub String);

impl DnsLabel {
    /// Checks `s` against DNS-1035: 1..63 chars of `a-z0-9-`, starting with a letter and
    /// ending with a letter or digit.
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok = !s.is_empty()
            && s.len() <= 63
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && s.as_bytes()[0].is_ascii_lowercase()
            && !s.ends_with('-');
        if ok {
            Ok(DnsLabel(s.to_string()))
        } else {
            Err(format!(
                "`{s}` is not a valid name: use 1 to 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (DNS-1035), e.g. `{}`",
                suggest_label(s)
            ))
        }
    }
}

/// The nearest DNS-1035 label to `s`, for the "e.g." of an error.
fn suggest_label(s: &str) -> String {
    let mut out: String = s
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while out.starts_with(|c: char| !c.is_ascii_lowercase()) && !out.is_empty() {
        out.remove(0);
    }
    out.truncate(63);
    let trimmed = out.trim_end_matches('-').to_string();
    if trimmed.is_empty() {
        "my-app".into()
    } else {
        trimmed
    }
}

impl<'de> Deserialize<'de> for DnsLabel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DnsLabel::parse(&s).map_err(de::Error::custom)
    }
}

impl fmt::Display for DnsLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A namespace name: a DNS-1123 label (may start with a digit).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Namespace(pub String);

impl Namespace {
    /// Checks `s` against DNS-1123 label rules.
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok = !s.is_empty()
            && s.len() <= 63
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(Namespace(s.to_string()))
        } else {
            Err(format!(
                "`{s}` is not a valid namespace: use 1 to 63 lowercase letters, digits and '-', starting and ending with a letter or digit (DNS-1123), e.g. `{}`",
                suggest_label(s)
            ))
        }
    }
}

impl<'de> Deserialize<'de> for Namespace {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Namespace::parse(&s).map_err(de::Error::custom)
    }
}

/// A TCP/UDP port, 1..65535.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Port(pub u16);

impl<'de> Deserialize<'de> for Port {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        match u16::try_from(n) {
            Ok(p) if p > 0 => Ok(Port(p)),
            _ => Err(de::Error::custom(format!(
                "port {n} is out of range: expected 1 to 65535"
            ))),
        }
    }
}

/// A port given by number or by a named container/Service port.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum PortRef {
    /// A port number.
    Number(Port),
    /// A port name (IANA_SVC_NAME: 1..15 lowercase letters, digits and '-').
    Name(String),
}

impl<'de> Deserialize<'de> for PortRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = PortRef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a port number (1 to 65535) or a port name")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<PortRef, E> {
                match u16::try_from(n) {
                    Ok(p) if p > 0 => Ok(PortRef::Number(Port(p))),
                    _ => Err(E::custom(format!(
                        "port {n} is out of range: expected 1 to 65535"
                    ))),
                }
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<PortRef, E> {
                Err(E::custom(format!(
                    "port {n} is out of range: expected 1 to 65535"
                )))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<PortRef, E> {
                let ok = !s.is_empty()
                    && s.len() <= 15
                    && s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && s.bytes().any(|b| b.is_ascii_lowercase())
                    && !s.starts_with('-')
                    && !s.ends_with('-')
                    && !s.contains("--");
                if ok {
                    Ok(PortRef::Name(s.to_string()))
                } else {
                    Err(E::custom(format!(
                        "`{s}` is neither a port number (1 to 65535) nor a port name (1 to 15 lowercase letters, digits and '-', e.g. `http`)"
                    )))
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl fmt::Display for PortRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortRef::Number(p) => write!(f, "{}", p.0),
            PortRef::Name(n) => f.write_str(n),
        }
    }
}

/// A backend weight, 0..100 (0 drains the backend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Weight(pub u8);

impl<'de> Deserialize<'de> for Weight {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        match u8::try_from(n) {
            Ok(w) if w <= 100 => Ok(Weight(w)),
            _ => Err(de::Error::custom(format!(
                "weight {n} is out of range: expected 0 to 100 (0 drains the backend)"
            ))),
        }
    }
}

/// A duration written as `30s`, `5m`, `1h` or a sum such as `1h30m`; kept in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Duration(pub u64);

impl Duration {
    /// The longest duration read: a year. Provider ranges are far shorter (the rules say
    /// which); this bound keeps every duration a plain integer for the rules and the plan.
    pub const MAX_SECONDS: u64 = 365 * 24 * 3600;

    /// Parses `30s`, `5m`, `1h`, `1h30m`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let err = || {
            format!(
                "`{s}` is not a duration: write a whole number followed by a unit s, m or h, e.g. `30s`, `5m`, `1h` or `1h30m`"
            )
        };
        let mut total: u64 = 0;
        let mut digits = String::new();
        let mut seen_unit = false;
        for c in s.chars() {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            let unit = match c {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                _ => return Err(err()),
            };
            let n: u64 = digits.parse().map_err(|_| err())?;
            total = n
                .checked_mul(unit)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(err)?;
            digits.clear();
            seen_unit = true;
        }
        if !digits.is_empty() || !seen_unit {
            return Err(err());
        }
        if total > Duration::MAX_SECONDS {
            return Err(format!(
                "`{s}` is longer than any load-balancer setting allows: durations are at most 8760h (a year); use a shorter one"
            ));
        }
        Ok(Duration(total))
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Duration::parse(&s).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(Duration::parse("30s"), Ok(Duration(30)));
        assert_eq!(Duration::parse("5m"), Ok(Duration(300)));
        assert_eq!(Duration::parse("1h30m"), Ok(Duration(5400)));
        for bad in ["", "30", "m", "5 m", "1.5h", "-1s", "1d"] {
            assert!(Duration::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Duration::parse("8760h"), Ok(Duration(31_536_000)));
        for huge in ["8761h", "18446744073709551615s", "9223372036854775807s"] {
            let e = Duration::parse(huge).unwrap_err();
            assert!(
                e.contains("at most 8760h") || e.contains("not a duration"),
                "{e}"
            );
        }
    }

    #[test]
    fn labels() {
        assert!(DnsLabel::parse("shop-1").is_ok());
        for bad in ["Shop", "1shop", "shop-", "", "a_b", &"a".repeat(64)] {
            assert!(DnsLabel::parse(bad).is_err(), "{bad}");
        }
        assert!(
            DnsLabel::parse("My_Shop")
                .unwrap_err()
                .contains("`my-shop`")
        );
    }
}

/// An IP address (IPv4 dotted quad or IPv6), kept in its canonical spelling, so that it can
/// go into a delimited or JSON annotation value unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct IpAddress(pub String);

impl IpAddress {
    /// Whether it is an IPv4 address.
    pub fn is_ipv4(&self) -> bool {
        self.0.parse::<std::net::Ipv4Addr>().is_ok()
    }
}

impl<'de> Deserialize<'de> for IpAddress {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.parse::<std::net::IpAddr>() {
            Ok(ip) => Ok(IpAddress(ip.to_string())),
            Err(_) => Err(de::Error::custom(format!(
                "`{s}` is not an IP address: write an IPv4 address such as `192.168.0.10` (or an IPv6 address such as `2408:4005:3ff::10`), without a prefix length or port"
            ))),
        }
    }
}

/// JSON Schema of the checked value types: the same rules the deserialisers enforce, so
/// editors flag a bad value before lbgen runs.
mod schema {
    use super::{DnsLabel, Duration, IpAddress, Namespace, Port, PortRef, VersionText, Weight};
    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
    use std::borrow::Cow;

    macro_rules! inline_schema {
        ($ty:ty, $name:literal, $($schema:tt)+) => {
            impl JsonSchema for $ty {
                fn inline_schema() -> bool {
                    true
                }
                fn schema_name() -> Cow<'static, str> {
                    $name.into()
                }
                fn json_schema(_: &mut SchemaGenerator) -> Schema {
                    json_schema!($($schema)+)
                }
            }
        };
    }

    inline_schema!(DnsLabel, "DnsLabel", {
        "type": "string", "maxLength": 63, "pattern": "^[a-z]([-a-z0-9]*[a-z0-9])?$"
    });
    inline_schema!(Namespace, "Namespace", {
        "type": "string", "maxLength": 63, "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
    });
    inline_schema!(Port, "Port", {"type": "integer", "minimum": 1, "maximum": 65535});
    inline_schema!(PortRef, "PortRef", {
        "oneOf": [
            {"type": "integer", "minimum": 1, "maximum": 65535},
            {"type": "string", "maxLength": 15, "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"}
        ]
    });
    inline_schema!(IpAddress, "IpAddress", {
        "type": "string", "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}], "examples": ["192.168.0.10"]
    });
    inline_schema!(Weight, "Weight", {"type": "integer", "minimum": 0, "maximum": 100});
    inline_schema!(Duration, "Duration", {
        "type": "string", "pattern": "^([0-9]+[smh])+$", "examples": ["30s", "5m", "1h30m"]
    });
    inline_schema!(VersionText, "ClusterVersion", {
        "type": "string", "pattern": "^v?[0-9]+\\.[0-9]+(\\.[0-9]+)?(-r[0-9]+)?$", "examples": ["v1.28.15-r20"]
    });
}
