//! The simulator's random numbers: SplitMix64, written out here so that `--seed S` gives
//! the same run on every machine and every future build. `rand`'s `StdRng` explicitly
//! makes no such promise across versions, and a seed that stops reproducing a failing run
//! is worthless.

/// A SplitMix64 generator (Steele, Lea, Flood 2014): tiny, fast, passes BigCrush.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose whole future is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Exponentially distributed with the given mean (inter-arrival and holding times).
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }
}

/// SplitMix64's finaliser: a bijection on u64 with full avalanche, also used to hash
/// client addresses in `source_hash`.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_known_first_value() {
        let mut a = Rng::new(1);
        let mut b = Rng::new(1);
        let first = a.next_u64();
        assert_eq!(first, b.next_u64());
        // Reference value of SplitMix64 seeded with 1 (as in the paper's C code).
        assert_eq!(first, 0x910A_2DEC_8902_5CC1);
        assert_ne!(Rng::new(2).next_u64(), first);
    }

    #[test]
    fn exponential_has_its_mean() {
        let mut r = Rng::new(7);
        let n = 200_000;
        let mean = (0..n).map(|_| r.exponential(3.0)).sum::<f64>() / n as f64;
        assert!((mean - 3.0).abs() < 0.05, "{mean}");
    }
}
