//! Session stickiness (`spec.stickiness`): the mode, the application cookie's name and the
//! timeout.
//!
//! Its own module because the cookie name is user text that ends up inside JSON values
//! (Huawei's `elb.session-affinity-option`) and plain annotation values (Alibaba's
//! `-cookie`): it is checked while it is read to be an RFC 6265 cookie name (an HTTP
//! token), so no name can carry a quote, a backslash, a ',', a ';' or a space into them.
//! Whether `cookieName` goes with the mode, and the providers' own narrower alphabets, are
//! policy rules (`policies/common.yaml`, `policies/<provider>.yaml`).

use super::choices::StickyMode;
use super::values::Duration;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, de};

/// The longest cookie name lbgen accepts: the longest any provider documents (Alibaba
/// CLB's `-cookie`, 1 to 200 characters).
pub(super) const MAX_COOKIE_NAME: usize = 200;

/// Session stickiness.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Stickiness {
    /// `source-ip` (by client address), `cookie` (a cookie the load balancer inserts) or
    /// `app-cookie` (the cookie `cookieName` the application sets itself, which the load
    /// balancer reads or rewrites).
    pub mode: StickyMode,
    /// The name of the application's own session cookie (`JSESSIONID`, `PHPSESSID`):
    /// required with `mode: app-cookie`, refused with the other modes. An RFC 6265 cookie
    /// name: 1 to 200 letters, digits and ``!#$%&'*+-.^_`|~``; providers narrow it (see
    /// `kubectl lbgen explain spec.stickiness.cookieName`).
    pub cookie_name: Option<CookieName>,
    /// How long a client stays on its backend after its last request: `30s`, `5m`, `1h`.
    /// Providers take different units and ranges (see `kubectl lbgen explain`). Not with
    /// `app-cookie`: the application's cookie sets how long a session lasts.
    pub timeout: Option<Duration>,
}

/// An application cookie's name: an RFC 6265 `cookie-name` (an HTTP token, RFC 9110
/// section 5.6.2) of 1 to 200 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
#[schemars(extend("pattern" = "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,200}$"))]
#[schemars(inline)]
pub struct CookieName(pub String);

impl CookieName {
    /// Checks `s`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
        if !s.is_empty() && s.len() <= MAX_COOKIE_NAME && s.chars().all(token) {
            Ok(CookieName(s.to_string()))
        } else {
            Err(format!(
                "`{}` is not a cookie name: use 1 to {MAX_COOKIE_NAME} letters, digits and !#$%&'*+-.^_`|~ (an RFC 6265 cookie name; no spaces, quotes, '=', ',' or ';'), e.g. `JSESSIONID`",
                s.escape_debug()
            ))
        }
    }
}

impl<'de> Deserialize<'de> for CookieName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        CookieName::parse(&String::deserialize(d)?).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_name_is_an_http_token() {
        for good in [
            "JSESSIONID",
            "PHPSESSID",
            "your-cookie",
            "a_b.c",
            "x!#$%&'*+^`|~",
        ] {
            assert_eq!(CookieName::parse(good).map(|c| c.0), Ok(good.to_string()));
        }
        let longest = "a".repeat(MAX_COOKIE_NAME);
        assert!(CookieName::parse(&longest).is_ok());
        for bad in [
            "",
            "a b",
            "a;b",
            "a,b",
            "a=b",
            "a\"b",
            "a\\b",
            "{\"x\":1}",
            "a\nb",
            "café",
        ] {
            let err = CookieName::parse(bad).expect_err(bad);
            assert!(err.contains("is not a cookie name"), "{err}");
        }
        assert!(CookieName::parse(&format!("{longest}a")).is_err());
    }
}
