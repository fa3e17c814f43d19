//! The word stream: 64-bit word `i` of ChaCha8(key(seed), stream) drives op `i`.
//!
//! ChaCha here is the original (DJB) layout that `rand_chacha` implements: a 64-bit
//! block counter and a 64-bit stream id (nonce), 8 rounds. Word `i` is the
//! little-endian `u64` at keystream bytes `8i..8i+8`, i.e. block `i / 8`. Because
//! the position is just the op index, seeking is O(1) and any op of any stream can
//! be computed without the ones before it.

use crate::seed::Seed;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// A cursor over the word stream of one (seed, stream), positioned at an op index.
#[derive(Clone, Debug)]
pub struct Words {
    rng: ChaCha8Rng,
}

impl Words {
    /// A cursor whose next word is word `pos` (the word of op `pos` of a kind
    /// that uses one word per op).
    pub fn new(seed: Seed, stream: u64, pos: u64) -> Self {
        Words::at_word(seed.key(), stream, u128::from(pos))
    }

    /// A cursor at 64-bit word `word` (mod 2^67, the keystream's length) of the
    /// keystream of `key` and `stream`.
    pub fn at_word(key: [u8; 32], stream: u64, word: u128) -> Self {
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(stream);
        // `set_word_pos` counts 32-bit words (mod 2^68).
        rng.set_word_pos(word * 2);
        Words { rng }
    }

    /// Word `attempt` (1..64) of the retries of the op whose first word is at
    /// `word`: word `64·word + attempt` of the separate retry keystream
    /// (`Seed::retry_key`), so retries never share words with ops.
    pub fn retry(seed: Seed, stream: u64, word: u128, attempt: u64) -> u64 {
        Words::at_word(seed.retry_key(), stream, word * 64 + u128::from(attempt)).next_word()
    }

    /// The word of the current op; moves to the next op.
    #[inline]
    pub fn next_word(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// Word of op `pos` in (seed, stream), computed on its own.
    pub fn word_at(seed: Seed, stream: u64, pos: u64) -> u64 {
        Words::new(seed, stream, pos).next_word()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeking_equals_walking() {
        let seed = Seed::from_u64(42);
        let mut walk = Words::new(seed, 3, 0);
        let walked: Vec<u64> = (0..100).map(|_| walk.next_word()).collect();
        for (i, w) in walked.iter().enumerate() {
            assert_eq!(*w, Words::word_at(seed, 3, i as u64), "op {i}");
        }
    }

    #[test]
    fn streams_and_seeds_differ() {
        let a = Words::word_at(Seed::from_u64(1), 0, 0);
        assert_ne!(a, Words::word_at(Seed::from_u64(1), 1, 0));
        assert_ne!(a, Words::word_at(Seed::from_u64(2), 0, 0));
    }
}
