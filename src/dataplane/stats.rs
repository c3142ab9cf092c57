//! Whether observed counts fit the promised shares: Pearson's chi-square goodness of fit
//! at significance 0.001, plus the largest deviation in percentage points.
//!
//! A share promise is broken only when both say so: the departure is statistically
//! significant (p < 0.001, so a correct peer fails one check in a thousand by chance) and
//! it matters (some backend is more than 1 point off). The second condition keeps huge
//! samples from flagging a 0.05-point wobble that no user cares about; the first keeps
//! small samples from flagging noise. The chi-square tail comes from `statrs` (with its
//! `nalgebra` and `rand` features off it is a small, widely used crate; a hand-written
//! incomplete gamma function would be more code to trust than to depend on).

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// The significance level of every share test.
pub const SIGNIFICANCE: f64 = 0.001;
/// The largest deviation, in percentage points, that is never a broken promise.
pub const TOLERANCE_PP: f64 = 1.0;
/// Pearson's test needs an expected count of at least this in every cell.
pub const MIN_EXPECTED: f64 = 5.0;

/// The outcome of one goodness-of-fit test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fit {
    /// Observations tested.
    pub samples: u64,
    /// Pearson's X².
    pub statistic: f64,
    /// Degrees of freedom (backends with a share above 0, minus one).
    pub degrees_of_freedom: u32,
    /// P(X² at least this large | the promise holds).
    pub p_value: f64,
    /// max over backends of |observed % - expected %|.
    pub max_deviation_pp: f64,
}

impl Fit {
    /// Whether the counts are consistent with the promise (see the module doc).
    pub fn holds(&self) -> bool {
        self.p_value >= SIGNIFICANCE || self.max_deviation_pp <= TOLERANCE_PP
    }
}

/// Too few observations for the test to mean anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooFew {
    /// Observations the test would need.
    pub needed: u64,
}

/// Tests `observed` counts against `expected` shares (summing to 1). Cells with an
/// expected share of 0 are left out: traffic there is a different promise (drained or
/// down) and is judged on its own.
pub fn goodness_of_fit(observed: &[u64], expected: &[f64]) -> Result<Fit, TooFew> {
    let samples: u64 = observed
        .iter()
        .zip(expected)
        .filter(|(_, e)| **e > 0.0)
        .map(|(o, _)| o)
        .sum();
    let smallest = expected
        .iter()
        .copied()
        .filter(|e| *e > 0.0)
        .fold(f64::INFINITY, f64::min);
    let needed = (MIN_EXPECTED / smallest).ceil() as u64;
    if samples < needed {
        return Err(TooFew { needed });
    }
    let n = samples as f64;
    let mut statistic = 0.0;
    let mut cells = 0u32;
    let mut max_deviation_pp: f64 = 0.0;
    for (&o, &e) in observed.iter().zip(expected).filter(|(_, e)| **e > 0.0) {
        let expected_count = e * n;
        statistic += (o as f64 - expected_count).powi(2) / expected_count;
        cells += 1;
        max_deviation_pp = max_deviation_pp.max(100.0 * (o as f64 / n - e).abs());
    }
    let degrees_of_freedom = cells.saturating_sub(1);
    let p_value = if degrees_of_freedom == 0 {
        1.0
    } else {
        ChiSquared::new(f64::from(degrees_of_freedom)).map_or(0.0, |d| d.sf(statistic))
    };
    Ok(Fit {
        samples,
        statistic,
        degrees_of_freedom,
        p_value,
        max_deviation_pp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_counts_fit_perfectly() {
        let f = goodness_of_fit(&[800, 200], &[0.8, 0.2]).expect("enough");
        assert_eq!(f.statistic, 0.0);
        assert!((f.p_value - 1.0).abs() < 1e-12);
        assert!(f.holds());
    }

    #[test]
    fn known_critical_value() {
        // X² = 10.828 is the 0.001 critical value for one degree of freedom.
        let f = goodness_of_fit(&[570, 430], &[0.5, 0.5]).expect("enough");
        assert!((f.statistic - 19.6).abs() < 1e-9);
        assert!(f.p_value < SIGNIFICANCE);
        assert!((f.max_deviation_pp - 7.0).abs() < 1e-9);
        assert!(!f.holds());
        let edge = ChiSquared::new(1.0).expect("df").sf(10.828);
        assert!((edge - 0.001).abs() < 1e-5, "{edge}");
    }

    #[test]
    fn a_five_point_error_is_caught_with_enough_requests_only() {
        // A 75/25 peer judged against an 80/20 promise.
        let small = goodness_of_fit(&[75, 25], &[0.8, 0.2]).expect("enough");
        assert!(small.holds(), "100 requests cannot tell 75/25 from 80/20");
        let large = goodness_of_fit(&[750, 250], &[0.8, 0.2]).expect("enough");
        assert!(!large.holds());
    }

    #[test]
    fn a_tiny_but_significant_wobble_is_tolerated() {
        let f = goodness_of_fit(&[5_010_000, 4_990_000], &[0.5, 0.5]).expect("enough");
        assert!(f.p_value < SIGNIFICANCE);
        assert!(f.holds());
    }

    #[test]
    fn too_few_and_zero_share_cells() {
        assert_eq!(
            goodness_of_fit(&[3, 1], &[0.9, 0.1]),
            Err(TooFew { needed: 50 })
        );
        let f = goodness_of_fit(&[60, 0, 40], &[0.6, 0.0, 0.4]).expect("enough");
        assert_eq!(f.degrees_of_freedom, 1);
        assert_eq!(f.samples, 100);
    }
}
