//! "Did you mean": the nearest allowed spelling of a misspelt field or value.
//!
//! A suggestion is only made when it is close enough to be the likely intent: a match
//! that ignores case first, else the nearest by edit distance within `max(2, len / 3)`
//! edits (ties go to the earlier candidate, so the answer never depends on hashing).

/// The candidate the user most likely meant by `value`, if one is close.
pub fn nearest<'a, I>(value: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let candidates: Vec<&str> = candidates.into_iter().collect();
    if candidates.contains(&value) {
        return None;
    }
    if let Some(same) = candidates.iter().find(|c| c.eq_ignore_ascii_case(value)) {
        return Some(same);
    }
    let lower = value.to_ascii_lowercase();
    let limit = (value.chars().count() / 3).max(2);
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, one row at a time; inputs longer than 64 characters count as
/// far from everything (no field or value is that long, and the cost stays bounded).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) =
        (a.chars().take(65).collect(), b.chars().take(65).collect());
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_first_then_the_nearest_close_spelling() {
        assert_eq!(nearest("tcp", ["TCP", "UDP"]), Some("TCP"));
        assert_eq!(
            nearest("helthCheck", ["healthCheck", "stickiness"]),
            Some("healthCheck")
        );
        assert_eq!(
            nearest("apiversion", ["apiVersion", "kind"]),
            Some("apiVersion")
        );
        assert_eq!(
            nearest("round-robn", ["round-robin", "source-ip"]),
            Some("round-robin")
        );
        // too far to be a typo: no suggestion
        assert_eq!(nearest("vms", ["nodes", "pods"]), None);
        assert_eq!(nearest("aws", ["huawei", "alibaba", "tencent"]), None);
        // exact: nothing to suggest
        assert_eq!(nearest("TCP", ["TCP", "UDP"]), None);
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("loadbalancer", "loadbalancer"), 0);
        assert_eq!(edit_distance("loadbalancr", "loadbalancer"), 1);
        assert_eq!(edit_distance("lbgen.dve/v1alpha", "lbgen.dev/v1alpha1"), 3);
        assert_eq!(edit_distance(&"a".repeat(100), "a"), usize::MAX);
    }
}
