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

    /// The register workload's ops follow the drawn weights (chi-squared,
    /// p = 0.001 critical values), and disabled kinds never show up.
    #[test]
    fn register_ops_follow_the_drawn_weights() {
        use crate::kinds::{LeafKind, Tok};
        use crate::plan::{Leaf, Position};
        const N: u64 = 30_000;
        let critical = [0.0, 10.83, 13.82];
        for s in 0..20 {
            let seed = Seed::from_u64(s);
            let w = weights(seed, 3);
            let kind = LeafKind::register(1, 5, [w[0], w[1], w[2]]).unwrap();
            let at = Position {
                seed,
                stream: 0,
                pos: 0,
            };
            let mut toks = Vec::new();
            Leaf::new(kind, at, Some(N), 0).fill_tokens(&mut toks, N as usize);
            let mut counts = [0u64; 3];
            for t in &toks {
                match t {
                    Tok::Pick(0) => counts[0] += 1,
                    Tok::Tuple(2) => counts[1] += 1,
                    Tok::Tuple(3) => counts[2] += 1,
                    _ => {}
                }
            }
            assert_eq!(counts.iter().sum::<u64>(), N);
            let total: u64 = w.iter().sum();
            let mut chi2 = 0.0;
            for j in 0..3 {
                if w[j] == 0 {
                    assert_eq!(counts[j], 0, "seed {s}: disabled kind {j} drawn");
                } else {
                    let e = N as f64 * w[j] as f64 / total as f64;
                    chi2 += (counts[j] as f64 - e).powi(2) / e;
                }
            }
            let df = w.iter().filter(|&&x| x > 0).count() - 1;
            if df > 0 {
                assert!(
                    chi2 < critical[df],
                    "seed {s}: chi2 {chi2} {w:?} {counts:?}"
                );
            }
        }
    }
}
