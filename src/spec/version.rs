//! Cluster versions as providers write them (`v1.28.15-r20`), compared numerically, and
//! the spec field that holds one.
//!
//! Version gates in the rules compare these; the text is kept as written for output.

use serde::{Deserialize, Deserializer, Serialize, de};
use std::fmt;

/// A provider-style cluster version, `v1.28.15-r20`: compared by major, minor, patch, then
/// the `-rN` release number, numerically. Missing parts count as 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClusterVersion {
    /// Major.
    pub major: u32,
    /// Minor.
    pub minor: u32,
    /// Patch.
    pub patch: u32,
    /// Provider release (`-rN`).
    pub release: u32,
}

impl ClusterVersion {
    /// Parses `v1.28`, `1.28.15`, `v1.28.15-r20`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let err = || {
            format!(
                "`{s}` is not a cluster version: write it as the provider shows it, e.g. `v1.28.15-r20` or `v1.28`"
            )
        };
        let body = s.strip_prefix('v').unwrap_or(s);
        let (numbers, release) = match body.split_once("-r") {
            Some((n, r)) => (n, r.parse::<u32>().map_err(|_| err())?),
            None => (body, 0),
        };
        let parts: Vec<u32> = numbers
            .split('.')
            .map(|p| p.parse::<u32>().map_err(|_| err()))
            .collect::<Result<_, _>>()?;
        match parts.as_slice() {
            [major, minor] => Ok(ClusterVersion {
                major: *major,
                minor: *minor,
                patch: 0,
                release,
            }),
            [major, minor, patch] => Ok(ClusterVersion {
                major: *major,
                minor: *minor,
                patch: *patch,
                release,
            }),
            _ => Err(err()),
        }
    }

    /// Whether this version is at or after the first listed version of its own minor, or
    /// in a minor newer than every listed one. Vendors gate features per release train
    /// ("v1.25.16-r30, v1.27.16-r30, ... or any later minor"); a minor in between that is
    /// not listed (v1.26) has no supported patch.
    pub fn in_trains(&self, trains: &[ClusterVersion]) -> bool {
        if let Some(t) = trains
            .iter()
            .find(|t| (t.major, t.minor) == (self.major, self.minor))
        {
            return self >= t;
        }
        trains
            .iter()
            .all(|t| (self.major, self.minor) > (t.major, t.minor))
    }
}

impl fmt::Display for ClusterVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "v{}.{}.{}-r{}",
            self.major, self.minor, self.patch, self.release
        )
    }
}

/// A cluster version kept as the user wrote it, checked at load.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct VersionText(pub String);

impl VersionText {
    /// The parsed version (always valid: checked at load).
    pub fn version(&self) -> ClusterVersion {
        ClusterVersion::parse(&self.0).unwrap_or(ClusterVersion {
            major: 0,
            minor: 0,
            patch: 0,
            release: 0,
        })
    }
}

impl<'de> Deserialize<'de> for VersionText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ClusterVersion::parse(&s).map_err(de::Error::custom)?;
        Ok(VersionText(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> ClusterVersion {
        ClusterVersion::parse(s).unwrap()
    }

    #[test]
    fn release_numbers_compare_numerically() {
        assert!(v("v1.28.15-r20") > v("v1.28.15-r9"));
        assert!(v("v1.28") < v("v1.28.0-r1"));
        assert!(ClusterVersion::parse("1.x").is_err());
    }

    #[test]
    fn trains() {
        let trains: Vec<_> = ["v1.25.16-r30", "v1.27.16-r30", "v1.28.15-r20"]
            .map(v)
            .to_vec();
        assert!(v("v1.28.15-r20").in_trains(&trains));
        assert!(!v("v1.28.15-r10").in_trains(&trains));
        assert!(!v("v1.26.5-r0").in_trains(&trains));
        assert!(!v("v1.23.9-r0").in_trains(&trains));
        assert!(v("v1.33.0-r0").in_trains(&trains));
    }
}
