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

/// Words the cursor copies out of the keystream at a time: one ChaCha
/// refill's worth (4 blocks).
const WINDOW: usize = 32;

/// A cursor over the word stream of one (seed, stream), positioned at an op index.
///
/// Words are read from the keystream a window (4 ChaCha blocks, what one
/// refill of `ChaCha8Rng` makes) at a time into a local buffer, the first
/// read only up to the end of the starting position's window, so each read
/// is one refill: reading word by word through `next_u64` costs a quarter
/// more. (The words are the keystream's whatever the reads: only speed
/// depends on this.)
#[derive(Clone, Debug)]
pub struct Words {
    rng: ChaCha8Rng,
    buf: [u8; 8 * WINDOW],
    /// Bytes of `buf` read and filled.
    read: usize,
    filled: usize,
    /// Words the next refill copies (the rest of the window, then whole ones).
    next_fill: usize,
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
        Words {
            rng,
            buf: [0; 8 * WINDOW],
            read: 0,
            filled: 0,
            // Positioning makes the rng's window start at the word's block
            // (8 words): the first read goes to the end of that window.
            next_fill: WINDOW - (word % 8) as usize,
        }
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
        if self.read == self.filled {
            self.refill();
        }
        let at = self.read;
        self.read += 8;
        u64::from_le_bytes(self.buf[at..at + 8].try_into().unwrap_or([0; 8]))
    }

    #[cold]
    fn refill(&mut self) {
        let bytes = 8 * self.next_fill;
        self.rng.fill_bytes(&mut self.buf[..bytes]);
        self.read = 0;
        self.filled = bytes;
        self.next_fill = WINDOW;
    }

    /// Word of op `pos` in (seed, stream), computed on its own.
    pub fn word_at(seed: Seed, stream: u64, pos: u64) -> u64 {
        let mut rng = ChaCha8Rng::from_seed(seed.key());
        rng.set_stream(stream);
        rng.set_word_pos(u128::from(pos) * 2);
        rng.next_u64()
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
