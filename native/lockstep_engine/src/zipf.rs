//! Zipf ranks by rejection-inversion (W. Hörmann, G. Derflinger, "Rejection-
//! inversion to generate variates from monotone discrete distributions", 1996):
//! rank `k` in `1..=n` with probability ∝ `1/k^skew`, exact, O(1) expected per
//! draw for any `n`, no table.
//!
//! Determinism: only IEEE-754 basic operations and the pinned pure-Rust `libm`
//! (`log`, `exp`, `log1p`, `expm1`), so every machine computes the same ranks.
//! Attempt 0 of an op uses the op's own word; a rejected attempt `j ≥ 1` uses
//! [`crate::words::Words::retry`] (a separate keystream, see docs/STREAM.md).

use crate::error::EngineError;

/// Largest `n`: ranks come from `floor(x + 0.5)` of a double, exact while `x`
/// still has a fraction bit (below 2^52; past it `+ 0.5` ties round to even).
pub const MAX_N: u64 = 1 << 52;
/// Attempts before giving up on rejection (never reached in practice: the
/// acceptance rate is above 0.5 for every `n` and `skew`).
pub const MAX_ATTEMPTS: u64 = 63;

/// A uniform double in `[0, 1)` from the top 53 bits of a word.
#[inline]
pub fn unit(word: u64) -> f64 {
    (word >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[derive(Clone, Debug, PartialEq)]
pub struct Zipf {
    n: u64,
    skew: f64,
    h_x1: f64,
    h_n: f64,
    s: f64,
}

impl Zipf {
    pub fn new(n: u64, skew: f64) -> Result<Self, EngineError> {
        if n == 0 {
            return Err(EngineError::EmptyPool);
        }
        if n > MAX_N {
            return Err(EngineError::BadParameter("zipf n must be at most 2^52"));
        }
        if !(skew.is_finite() && skew >= 0.0) {
            return Err(EngineError::BadParameter(
                "zipf skew must be a finite number >= 0",
            ));
        }
        let mut z = Zipf {
            n,
            skew,
            h_x1: 0.0,
            h_n: 0.0,
            s: 0.0,
        };
        z.h_x1 = z.h_integral(1.5) - 1.0;
        z.h_n = z.h_integral(n as f64 + 0.5);
        z.s = 2.0 - z.h_integral_inv(z.h_integral(2.5) - z.h(2.0));
        Ok(z)
    }

    pub fn n(&self) -> u64 {
        self.n
    }

    pub fn skew(&self) -> f64 {
        self.skew
    }

    /// One attempt with uniform word `word`: the rank, or `None` if rejected.
    /// Skew 0 is the uniform law, drawn exactly: `1 + bounded(word, n)`.
    #[inline]
    pub fn attempt(&self, word: u64) -> Option<u64> {
        if self.skew == 0.0 {
            return Some(1 + crate::sample::bounded(word, self.n));
        }
        let u = self.h_n + unit(word) * (self.h_x1 - self.h_n);
        let x = self.h_integral_inv(u);
        let k = ((x + 0.5) as u64).clamp(1, self.n);
        let kf = k as f64;
        if kf - x <= self.s || u >= self.h_integral(kf + 0.5) - self.h(kf) {
            Some(k)
        } else {
            None
        }
    }

    /// The rank for an op whose first word is `first`; `retry(j)` gives the word
    /// of attempt `j ≥ 1`.
    pub fn sample(&self, first: u64, mut retry: impl FnMut(u64) -> u64) -> u64 {
        if let Some(k) = self.attempt(first) {
            return k;
        }
        let mut last = first;
        for j in 1..=MAX_ATTEMPTS {
            last = retry(j);
            if let Some(k) = self.attempt(last) {
                return k;
            }
        }
        // Unreachable in practice (see MAX_ATTEMPTS); still a defined answer.
        let x = self.h_integral_inv(self.h_n + unit(last) * (self.h_x1 - self.h_n));
        ((x + 0.5) as u64).clamp(1, self.n)
    }

    fn h(&self, x: f64) -> f64 {
        libm::exp(-self.skew * libm::log(x))
    }

    fn h_integral(&self, x: f64) -> f64 {
        let log_x = libm::log(x);
        helper2((1.0 - self.skew) * log_x) * log_x
    }

    fn h_integral_inv(&self, x: f64) -> f64 {
        let t = (x * (1.0 - self.skew)).max(-1.0);
        libm::exp(helper1(t) * x)
    }
}

/// `log1p(x) / x`, continuous at 0.
fn helper1(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::log1p(x) / x
    } else {
        1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))
    }
}

/// `expm1(x) / x`, continuous at 0.
fn helper2(x: f64) -> f64 {
    if x.abs() > 1e-8 {
        libm::expm1(x) / x
    } else {
        1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::Seed;
    use crate::words::Words;

    fn draws(z: &Zipf, count: u64) -> Vec<u64> {
        let seed = Seed::from_u64(11);
        let mut words = Words::new(seed, 0, 0);
        (0..count)
            .map(|i| {
                z.sample(words.next_word(), |j| {
                    Words::retry(seed, 0, u128::from(i), j)
                })
            })
            .collect()
    }

    #[test]
    fn frequencies_follow_the_power_law() {
        for skew in [0.0, 0.5, 1.0, 2.0] {
            let n = 10;
            let z = Zipf::new(n, skew).unwrap();
            let samples = draws(&z, 200_000);
            let mut counts = vec![0f64; n as usize];
            for k in samples {
                assert!((1..=n).contains(&k));
                counts[k as usize - 1] += 1.0;
            }
            let norm: f64 = (1..=n).map(|k| (k as f64).powf(-skew)).sum();
            let chi2: f64 = (1..=n)
                .map(|k| {
                    let expected = 200_000.0 * (k as f64).powf(-skew) / norm;
                    (counts[k as usize - 1] - expected).powi(2) / expected
                })
                .sum();
            // 9 degrees of freedom: p = 0.001 at 27.9.
            assert!(chi2 < 27.9, "skew {skew}: chi2 {chi2}, counts {counts:?}");
        }
    }

    #[test]
    fn huge_n_is_constant_time_and_in_range() {
        let z = Zipf::new(MAX_N, 1.2).unwrap();
        let samples = draws(&z, 10_000);
        assert!(samples.iter().all(|&k| k >= 1));
        let ones = samples.iter().filter(|&&k| k == 1).count();
        assert!(ones > 1000, "rank 1 should dominate, got {ones}");
    }

    #[test]
    fn bad_parameters_are_errors() {
        assert!(Zipf::new(0, 1.0).is_err());
        assert!(Zipf::new(MAX_N + 1, 1.0).is_err());
        assert!(Zipf::new(5, -1.0).is_err());
        assert!(Zipf::new(5, f64::NAN).is_err());
    }
}
