//! Request conditions of an Ingress route (`routes[].when`): the header, cookie, query,
//! method and source-address matches a canary or a header route is written with.
//!
//! Names and values end up inside the providers' JSON annotation values, so each one is
//! checked while it is read (an HTTP token name, visible-ASCII values, a real CIDR): the
//! packs build the JSON with serde_json, and no value can reach it that a provider's
//! controller would parse differently. Provider-specific character sets and limits are
//! policy rules of the provider.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, de};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The longest header, cookie or query-parameter name lbgen accepts (the longest any
/// provider documents; providers with less have a rule).
const MAX_NAME: usize = 100;
/// The longest value lbgen accepts (likewise).
const MAX_VALUE: usize = 128;

/// What a request must carry for the route to take it. Every condition given must hold
/// (AND); within one condition any of its values is enough (OR), the way the providers'
/// forwarding rules combine their blocks. A route without `when` takes every request of its
/// host and path; routes are tried in spec order, so a conditional route goes before the
/// plain route of the same host and path that catches the rest.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouteConditions {
    /// HTTP methods, any of them: `GET`, `POST`, `PUT`, `DELETE`, `PATCH`, `HEAD`, `OPTIONS`.
    #[serde(default)]
    pub methods: Vec<HttpMethod>,
    /// Request headers; each entry must match, with any of its `values` (`*` and `?` are
    /// wildcards where the provider has them).
    #[serde(default)]
    pub headers: Vec<ValueMatch>,
    /// Cookies, name to value: the request must carry at least one of them with its value
    /// (one cookie condition, its pairs OR-ed, as the providers define it).
    #[serde(default)]
    pub cookies: BTreeMap<MatchName, MatchValue>,
    /// Query-string parameters; each entry must match, with any of its `values`.
    #[serde(default)]
    pub query: Vec<ValueMatch>,
    /// Client source address ranges (CIDR, IPv4 or IPv6), any of them.
    #[serde(default)]
    pub source_ranges: Vec<Cidr>,
}

impl RouteConditions {
    /// How many values the conditions hold: each method, each header or query value, each
    /// cookie and each source range (what a provider counts against its limit of
    /// conditions per rule).
    pub fn value_count(&self) -> usize {
        let values = |list: &[ValueMatch]| list.iter().map(|m| m.values.len()).sum::<usize>();
        self.methods.len()
            + values(&self.headers)
            + self.cookies.len()
            + values(&self.query)
            + self.source_ranges.len()
    }
}

/// A named header or query parameter and the values that match it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueMatch {
    /// The header or parameter name.
    pub name: MatchName,
    /// The values, any of which matches (at least one).
    pub values: Vec<MatchValue>,
}

/// HTTP request methods a route can match (exact upper-case spelling).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum HttpMethod {
    /// GET.
    #[serde(rename = "GET")]
    Get,
    /// POST.
    #[serde(rename = "POST")]
    Post,
    /// PUT.
    #[serde(rename = "PUT")]
    Put,
    /// DELETE.
    #[serde(rename = "DELETE")]
    Delete,
    /// PATCH.
    #[serde(rename = "PATCH")]
    Patch,
    /// HEAD.
    #[serde(rename = "HEAD")]
    Head,
    /// OPTIONS.
    #[serde(rename = "OPTIONS")]
    Options,
}

/// A header, cookie or query-parameter name: 1..100 characters of an HTTP token
/// (letters, digits and ``!#$%&'*+-.^_`|~``, RFC 9110 section 5.6.2).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(transparent)]
#[schemars(extend("pattern" = "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$"))]
pub struct MatchName(pub String);

impl MatchName {
    /// Checks `s`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if !s.is_empty() && s.len() <= MAX_NAME && s.chars().all(token) {
            Ok(MatchName(s.to_string()))
        } else {
            Err(format!(
                "`{s}` is not a header, cookie or query name: use 1 to {MAX_NAME} letters, digits and !#$%&'*+-.^_`|~ (an HTTP token; no spaces, quotes, ':' or ','), e.g. `x-canary`"
            ))
        }
    }
}

impl<'de> Deserialize<'de> for MatchName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        MatchName::parse(&String::deserialize(d)?).map_err(de::Error::custom)
    }
}

/// A value to match: 1..128 visible ASCII characters (no spaces or control characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(transparent)]
#[schemars(extend("pattern" = "^[!-~]{1,128}$"))]
pub struct MatchValue(pub String);

impl MatchValue {
    /// Checks `s`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let visible = |c: char| c.is_ascii_graphic();
        if !s.is_empty() && s.len() <= MAX_VALUE && s.chars().all(visible) {
            Ok(MatchValue(s.to_string()))
        } else {
            Err(format!(
                "`{}` is not a match value: use 1 to {MAX_VALUE} visible ASCII characters (no spaces, tabs, line breaks or non-ASCII), e.g. `always`",
                s.escape_debug()
            ))
        }
    }
}

impl<'de> Deserialize<'de> for MatchValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        MatchValue::parse(&String::deserialize(d)?).map_err(de::Error::custom)
    }
}

/// A CIDR block, `192.168.0.0/16` or `2020:50::44/127`, written back as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Cidr(pub String);

impl Cidr {
    /// Checks `s`: an IPv4 or IPv6 address, `/`, a prefix length within its family.
    pub fn parse(s: &str) -> Result<Self, String> {
        let parsed = s.split_once('/').and_then(|(address, length)| {
            let address: IpAddr = address.parse().ok()?;
            let bits: u8 = length.parse().ok()?;
            let max = if address.is_ipv4() { 32 } else { 128 };
            // `/016` parses as 16 but is not how a prefix length is written.
            (bits <= max && bits.to_string() == length).then_some(())
        });
        match parsed {
            Some(()) => Ok(Cidr(s.to_string())),
            None => Err(format!(
                "`{}` is not a CIDR block: write an address and a prefix length, e.g. `192.168.0.0/16` or `2020:50::44/127`",
                s.escape_debug()
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Cidr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Cidr::parse(&String::deserialize(d)?).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::{Cidr, MatchName, MatchValue};

    #[test]
    fn names_are_http_tokens() {
        assert!(MatchName::parse("gray-hello").is_ok());
        assert!(MatchName::parse("X_Canary.v2").is_ok());
        for bad in ["", "a b", "a\"b", "a:b", "a,b", "ä", &"n".repeat(101)] {
            assert!(MatchName::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn values_are_visible_ascii() {
        assert!(MatchValue::parse("value*1?").is_ok());
        for bad in ["", "a b", "a\nb", "a\tb", "é", &"v".repeat(129)] {
            assert!(MatchValue::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn cidrs_are_address_and_prefix() {
        for good in [
            "192.168.0.0/16",
            "172.16.0.0/16",
            "2020:50::44/127",
            "0.0.0.0/0",
        ] {
            assert!(Cidr::parse(good).is_ok(), "{good} refused");
        }
        for bad in [
            "192.168.0.0",
            "192.168.0.0/33",
            "::1/129",
            "10.0.0.0/016",
            "10.0.0/8",
            "10.0.0.0/8,1.2.3.4/32",
            "",
        ] {
            assert!(Cidr::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
