//! Plain scalars of passed-through documents, resolved the way Kubernetes reads them.
//!
//! lbgen passes documents it does not compile (a Deployment beside its spec, a chart's
//! output, KRM items) through, and `kubectl apply` or the API server then reads the YAML
//! lbgen wrote. For that to be "unchanged", each plain scalar must mean to lbgen what it
//! means to Kubernetes, which reads YAML with `sigs.k8s.io/yaml` on top of go-yaml v2: the
//! YAML 1.1 resolution of `gopkg.in/yaml.v2` v2.4.0 `resolve.go`, not YAML 1.2's core schema.
//! The difference matters: `defaultMode: 0644` is the octal 420 to kubectl (and 644 is not
//! a valid mode), `replicas: 1e0` is a number, `enabled: yes` a boolean, `1_000` a thousand.
//! The emitter then writes the resolved value canonically (`420`, `1.0`, `true`), which
//! kubectl reads back as the same value; `tests/passthrough_kubectl.rs` checks that with
//! the real kubectl.
//!
//! What is not resolved: timestamps (go-yaml v2 turns `2024-01-02` into a time that
//! `sigs.k8s.io/yaml` writes back as an RFC 3339 string; lbgen keeps the text) and
//! `.nan` / `.inf` (JSON cannot hold them, and kubectl refuses them as well): both stay
//! strings.

use serde_json::Value;

/// go-yaml v2's map of special plain scalars (`resolveMapList`), without the floats JSON
/// cannot hold.
fn special(text: &str) -> Option<Value> {
    Some(match text {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        _ => return None,
    })
}

/// Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint(s, 0, 64)`: an optional sign (ParseInt
/// only), then `0x`, `0o`, `0b` or a leading `0` (octal) picks the base.
fn go_int(text: &str) -> Option<Value> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = unsigned.to_ascii_lowercase();
    let (digits, radix) = if let Some(d) = lower.strip_prefix("0x") {
        (d, 16)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (d, 8)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (d, 2)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (&lower[1..], 8)
    } else {
        (lower.as_str(), 10)
    };
    if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative {
        // ParseInt only: down to i64::MIN.
        let value = 0i128 - i128::from(magnitude);
        i64::try_from(value).ok().map(Value::from)
    } else {
        Some(i64::try_from(magnitude).map_or(Value::from(magnitude), Value::from))
    }
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", fraction)) => !fraction.is_empty() && all_digits(fraction),
        Some((whole, fraction)) => !whole.is_empty() && all_digits(whole) && all_digits(fraction),
        None => !mantissa.is_empty() && all_digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exponent_ok
}

fn float(text: &str) -> Option<Value> {
    text.parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        .map(Value::Number)
}

/// A plain scalar of a passed-through document, as Kubernetes reads it.
pub fn resolve_plain_kubernetes(text: &str) -> Value {
    if let Some(value) = special(text) {
        return value;
    }
    let resolved = match text.as_bytes().first() {
        Some(b'0'..=b'9' | b'-' | b'+') => {
            let plain = text.replace('_', "");
            go_int(&plain).or_else(|| {
                if is_yaml_float(&plain) {
                    float(&plain)
                } else {
                    None
                }
            })
        }
        // go-yaml v2: a leading `.` is tried as a float (`.5`).
        Some(b'.') => float(text).filter(|_| is_yaml_float(text)),
        _ => None,
    };
    resolved.unwrap_or_else(|| Value::String(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::resolve_plain_kubernetes as r;
    use serde_json::{Value, json};

    #[test]
    fn scalars_resolve_as_go_yaml_v2_does() {
        for (text, want) in [
            ("0644", json!(420)),
            ("0o17", json!(15)),
            ("0x1F", json!(31)),
            ("0b101", json!(5)),
            ("-0x10", json!(-16)),
            ("1_000", json!(1000)),
            ("08", json!(8.0)),
            ("1e3", json!(1000.0)),
            (".5", json!(0.5)),
            ("-1.5e-3", json!(-0.0015)),
            ("18446744073709551615", json!(18446744073709551615u64)),
            ("-9223372036854775808", json!(i64::MIN)),
            ("yes", json!(true)),
            ("Off", json!(false)),
            ("y", json!(true)),
            ("~", Value::Null),
            ("", Value::Null),
        ] {
            assert_eq!(r(text), want, "{text}");
        }
        for text in [
            "1.2.3",
            "0x",
            "1e",
            "e3",
            "2024-01-02",
            ".inf",
            ".nan",
            "12abc",
            "+",
            "v1",
            "yess",
            "0xZZ",
            "1__0e",
            "1.5.",
            "--1",
        ] {
            assert_eq!(r(text), json!(text), "{text} stays a string");
        }
    }
}
