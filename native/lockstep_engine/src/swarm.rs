//! Swarm testing (`mix: :swarm` on the workloads): per seed, a random
//! non-empty subset of the workload's op kinds is enabled, with random weights,
//! so each iteration stresses a different mix and stays reproducible.
//!
//! The draws come from the seed's own keystream tagged `lockswrm` (stream 0,
//! so every fork of a workload shares its seed's mix): with `k` kinds, word 0
//! gives the subset `mask = 1 + bounded(w0, 2^k - 1)` (bit `j` enables kind
//! `j`, in the workload's documented kind order), and word `j + 1` the weight
//! `1 + bounded(w, 8)` of enabled kind `j`; disabled kinds weigh 0.

use crate::sample::bounded;
use crate::seed::Seed;
use crate::words::Words;

/// Largest number of kinds a swarm draws over.
pub const MAX_KINDS: usize = 16;

/// The swarm weights of `kinds` op kinds (1 ≤ kinds ≤ [`MAX_KINDS`]) for `seed`.
pub fn weights(seed: Seed, kinds: usize) -> Vec<u64> {
    assert!((1..=MAX_KINDS).contains(&kinds));
    let mut words = Words::at_word(seed.tagged_key(b"lockswrm"), 0, 0);
    let mask = 1 + bounded(words.next_word(), (1u64 << kinds) - 1);
    (0..kinds)
        .map(|j| {
            let w = 1 + bounded(words.next_word(), 8);
            if mask >> j & 1 == 1 {
                w
            } else {
                0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_empty_reproducible_and_varied() {
        let mut seen = std::collections::HashSet::new();
        for s in 0..200 {
            let w = weights(Seed::from_u64(s), 3);
            assert_eq!(w, weights(Seed::from_u64(s), 3));
            assert!(w.iter().any(|&x| x > 0), "seed {s}: {w:?}");
            assert!(w.iter().all(|&x| x <= 8));
            seen.insert(w.iter().map(|&x| x > 0).collect::<Vec<_>>());
        }
        assert_eq!(seen.len(), 7, "every non-empty subset of 3 kinds shows up");
    }
}
