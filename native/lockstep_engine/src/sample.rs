//! From a 64-bit word to a choice. Everything here is this project's own
//! arithmetic (no `rand` distributions), so a crate upgrade cannot move a stream.
//!
//! * [`bounded`]: index in `0..n` = high 64 bits of `word × n` (Lemire's
//!   multiply-shift, without the rejection step so that op `i` always uses exactly
//!   word `i`). An index is off its exact probability `1/n` by less than `n / 2^64`
//!   relative (≤ 2^-32 for any pool the engine accepts).
//! * [`AliasTable`]: Walker/Vose alias method in integers, O(1) per pick.

use crate::error::EngineError;

/// `floor(word × n / 2^64)`: an index in `0..n` (for `n ≥ 1`).
#[inline]
pub fn bounded(word: u64, n: u64) -> u64 {
    ((u128::from(word) * u128::from(n)) >> 64) as u64
}

/// Both halves of `word × n`: the index `hi` in `0..n` and the leftover `lo`, which
/// is spread evenly over `0..2^64` (in steps of `n`) whatever `hi` is.
#[inline]
fn split(word: u64, n: u64) -> (u64, u64) {
    let p = u128::from(word) * u128::from(n);
    ((p >> 64) as u64, p as u64)
}

/// Largest pool the engine indexes.
pub const MAX_POOL: usize = u32::MAX as usize;

/// Integer Walker/Vose alias table over `n` weights adding up to `total`.
///
/// Construction (part of the stream definition): every column has capacity
/// `total`; entry `j` starts with `w_j × n`. Indices with less than `total` go on
/// stack `small`, the others on `large`, each pushed in index order. While both are
/// non-empty: pop `s` from small and `l` from large; column `s` keeps `prob[s] =
/// scaled[s]` for itself and gives the rest to `alias[s] = l`; `scaled[l] -= total -
/// scaled[s]`, and `l` is pushed on small if now below `total`, else on large.
/// Whatever is left keeps its whole column (`prob = total`).
///
/// Pick (see [`AliasTable::pick`]): `(col, lo) = split(word, n)`,
/// `r = bounded(lo, total)`; the op is `col` if `r < prob[col]`, else `alias[col]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AliasTable {
    total: u64,
    prob: Vec<u64>,
    alias: Vec<u32>,
}

impl AliasTable {
    pub fn new(weights: &[u64]) -> Result<Self, EngineError> {
        let n = weights.len();
        if n == 0 {
            return Err(EngineError::EmptyPool);
        }
        if n > MAX_POOL {
            return Err(EngineError::PoolTooLarge(n));
        }
        let total = weights
            .iter()
            .try_fold(0u64, |acc, &w| acc.checked_add(w))
            .ok_or(EngineError::WeightOverflow)?;
        if total == 0 {
            return Err(EngineError::ZeroTotalWeight);
        }
        let cap = u128::from(total);
        let mut scaled: Vec<u128> = weights.iter().map(|&w| u128::from(w) * n as u128).collect();
        let mut prob = vec![total; n];
        let mut alias: Vec<u32> = (0..n as u32).collect();
        // Both stacks in one buffer: `small` grows up from the front,
        // `large` down from the back (together they never hold more than n).
        let mut stacks = vec![0u32; n];
        let (mut small, mut large) = (0, 0);
        for (j, &sc) in scaled.iter().enumerate() {
            if sc < cap {
                stacks[small] = j as u32;
                small += 1;
            } else {
                large += 1;
                stacks[n - large] = j as u32;
            }
        }
        while small > 0 && large > 0 {
            let s = stacks[small - 1] as usize;
            let l = stacks[n - large] as usize;
            small -= 1;
            large -= 1;
            prob[s] = scaled[s] as u64;
            alias[s] = l as u32;
            scaled[l] -= cap - scaled[s];
            if scaled[l] < cap {
                stacks[small] = l as u32;
                small += 1;
            } else {
                large += 1;
                stacks[n - large] = l as u32;
            }
        }
        Ok(AliasTable { total, prob, alias })
    }

    /// Number of entries (ops) in the table.
    pub fn len(&self) -> usize {
        self.prob.len()
    }

    pub fn is_empty(&self) -> bool {
        self.prob.is_empty()
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// The entry word `word` selects; O(1).
    #[inline]
    pub fn pick(&self, word: u64) -> u64 {
        let (col, lo) = split(word, self.prob.len() as u64);
        let col = col as usize;
        if bounded(lo, self.total) < self.prob[col] {
            col as u64
        } else {
            u64::from(self.alias[col])
        }
    }

    /// Exact probability mass of each entry implied by the table, as a numerator
    /// over `n × total` (used by tests to prove the table is exact).
    pub fn masses(&self) -> Vec<u128> {
        let mut mass = vec![0u128; self.len()];
        for (col, (&p, &a)) in self.prob.iter().zip(&self.alias).enumerate() {
            mass[col] += u128::from(p);
            mass[a as usize] += u128::from(self.total - p);
        }
        mass
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The construction as the doc states it, with two separate stacks.
    fn two_stacks(weights: &[u64]) -> AliasTable {
        let n = weights.len();
        let total: u64 = weights.iter().sum();
        let cap = u128::from(total);
        let mut scaled: Vec<u128> = weights.iter().map(|&w| u128::from(w) * n as u128).collect();
        let mut prob = vec![total; n];
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|&j| scaled[j] < cap);
        while let (Some(s), Some(l)) = (small.pop(), large.pop()) {
            prob[s] = scaled[s] as u64;
            alias[s] = l as u32;
            scaled[l] -= cap - scaled[s];
            if scaled[l] < cap {
                small.push(l);
            } else {
                large.push(l);
            }
        }
        AliasTable { total, prob, alias }
    }

    #[test]
    fn one_buffer_builds_the_two_stack_table() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for n in 1..40usize {
            for _ in 0..20 {
                let weights: Vec<u64> = (0..n)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        x % 9
                    })
                    .collect();
                if weights.iter().sum::<u64>() == 0 {
                    continue;
                }
                assert_eq!(
                    AliasTable::new(&weights).unwrap(),
                    two_stacks(&weights),
                    "{weights:?}"
                );
            }
        }
    }

    #[test]
    fn bounded_covers_the_range_ends() {
        assert_eq!(bounded(0, 7), 0);
        assert_eq!(bounded(u64::MAX, 7), 6);
        assert_eq!(bounded(u64::MAX, 1), 0);
        assert_eq!(bounded(1 << 63, 4), 2);
    }

    #[test]
    fn alias_masses_are_exactly_the_weights() {
        for weights in [
            vec![1u64, 2, 3, 4],
            vec![0, 5, 0, 1],
            vec![7],
            (1..=1000).collect::<Vec<u64>>(),
            vec![u64::MAX / 2, 1, 0, 3],
        ] {
            let table = AliasTable::new(&weights).unwrap();
            let n = weights.len() as u128;
            let masses = table.masses();
            for (j, &w) in weights.iter().enumerate() {
                assert_eq!(masses[j], u128::from(w) * n, "entry {j} of {weights:?}");
            }
        }
    }

    #[test]
    fn zero_weights_are_never_picked() {
        let table = AliasTable::new(&[0, 3, 0, 1, 0]).unwrap();
        let mut w = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            w = w
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let j = table.pick(w);
            assert!(j == 1 || j == 3, "picked {j}");
        }
    }

    #[test]
    fn bad_weights_are_errors() {
        assert_eq!(AliasTable::new(&[]), Err(EngineError::EmptyPool));
        assert_eq!(AliasTable::new(&[0, 0]), Err(EngineError::ZeroTotalWeight));
        assert_eq!(
            AliasTable::new(&[u64::MAX, 1]),
            Err(EngineError::WeightOverflow)
        );
    }
}
