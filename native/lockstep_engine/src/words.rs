//! The word stream: 64-bit word `i` of ChaCha8(key(seed), stream) drives op `i`.
//!
//! ChaCha here is the original (DJB) layout that `rand_chacha` implements: a 64-bit
//! block counter and a 64-bit stream id (nonce), 8 rounds. Word `i` is the
//! little-endian `u64` at keystream bytes `8i..8i+8`, i.e. block `i / 8`. Because
//! the position is just the op index, seeking is O(1) and any op of any stream can
//! be computed without the ones before it.

use crate::chacha::block;
use crate::seed::Seed;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};

/// Words the cursor copies out of the keystream at a time: one ChaCha
/// refill's worth (4 blocks).
const WINDOW: usize = 32;

/// Blocks a cursor makes on its own (one at a time) before handing over to
/// `rand_chacha`'s 4-block code: a fresh cursor that reads a few words (a
/// leaf in a small call) costs a block or two, not a keyed 4-block refill.
const OWN_BLOCKS: u8 = 3;

/// A cursor over the word stream of one (seed, stream), positioned at an op index.
///
/// Its first blocks are made here, one ChaCha8 block (8 words) at a time
/// ([`block`]); past [`OWN_BLOCKS`] of them it hands over to
/// `rand_chacha`, read a window (4 blocks, what one refill of `ChaCha8Rng`
/// makes) at a time into a local buffer, so each read is one refill:
/// reading word by word through `next_u64` costs a quarter more. Both give
/// the same keystream (tests: `chacha_reference`); only speed depends on
/// which runs.
#[derive(Clone, Debug)]
pub struct Words {
    key: [u8; 32],
    stream: u64,
    /// The next block to make, while this cursor makes its own.
    block: u64,
    own_left: u8,
    /// Words to pass over in the first block (the start's offset in it).
    skip: usize,
    rng: Option<ChaCha8Rng>,
    buf: [u8; 8 * WINDOW],
    /// Bytes of `buf` read and filled.
    read: usize,
    filled: usize,
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
        Words::starting(key, stream, word, OWN_BLOCKS)
    }

    /// [`Words::at_word`] reading 4-block windows from the start (for a
    /// reader of many words).
    pub fn bulk_at_word(key: [u8; 32], stream: u64, word: u128) -> Self {
        Words::starting(key, stream, word, 0)
    }

    fn starting(key: [u8; 32], stream: u64, word: u128, own_left: u8) -> Self {
        Words {
            key,
            stream,
            // Block `word / 8` of a 64-bit block counter.
            block: (word / 8) as u64,
            own_left,
            skip: (word % 8) as usize,
            rng: None,
            buf: [0; 8 * WINDOW],
            read: 0,
            filled: 0,
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

    /// Appends `f(word)` for the words of the next `k` ops, in order; moves
    /// past them. The same words as `k` calls of [`Words::next_word`],
    /// a window at a time: no test per word for a refill.
    #[inline]
    pub fn extend_mapped(&mut self, out: &mut Vec<u64>, k: usize, f: impl Fn(u64) -> u64) {
        out.reserve(k);
        let mut left = k;
        while left > 0 {
            if self.read == self.filled {
                self.refill();
            }
            let n = ((self.filled - self.read) / 8).min(left);
            let window = &self.buf[self.read..self.read + 8 * n];
            out.extend(
                window
                    .chunks_exact(8)
                    .map(|b| f(u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))),
            );
            self.read += 8 * n;
            left -= n;
        }
    }

    #[cold]
    fn refill(&mut self) {
        if self.own_left > 0 {
            self.own_left -= 1;
            let words = block(&self.key, self.block, self.stream);
            for (slot, w) in self.buf.chunks_exact_mut(8).zip(words) {
                slot.copy_from_slice(&w.to_le_bytes());
            }
            self.block = self.block.wrapping_add(1);
            self.read = 8 * std::mem::take(&mut self.skip);
            self.filled = 64;
            return;
        }
        let (key, stream, block) = (self.key, self.stream, self.block);
        let rng = self.rng.get_or_insert_with(|| {
            let mut rng = ChaCha8Rng::from_seed(key);
            rng.set_stream(stream);
            // `set_word_pos` counts 32-bit words (mod 2^68): the rng's
            // windows then start at this block.
            rng.set_word_pos(u128::from(block) * 16);
            rng
        });
        rng.fill_bytes(&mut self.buf);
        self.read = 8 * std::mem::take(&mut self.skip);
        self.filled = self.buf.len();
    }

    /// Word of op `pos` in (seed, stream), computed on its own.
    pub fn word_at(seed: Seed, stream: u64, pos: u64) -> u64 {
        block(&seed.key(), pos / 8, stream)[(pos % 8) as usize]
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
    fn extend_mapped_equals_next_word() {
        let seed = Seed::from_u64(7);
        // Starts inside a block and past the own blocks; lengths across
        // windows; and a cursor read on after a bulk read.
        for start in [0, 5, 31, 100, 1000] {
            for k in [0, 1, 7, 33, 100, 300] {
                let mut one = Words::new(seed, 2, start);
                let expected: Vec<u64> = (0..k + 3).map(|_| one.next_word() ^ 1).collect();
                let mut bulk = Words::new(seed, 2, start);
                let mut got = vec![42];
                bulk.extend_mapped(&mut got, k, |w| w ^ 1);
                got.extend((0..3).map(|_| bulk.next_word() ^ 1));
                assert_eq!(got[0], 42, "start {start}, k {k}");
                assert_eq!(got[1..], expected[..], "start {start}, k {k}");
            }
        }
    }

    #[test]
    fn streams_and_seeds_differ() {
        let a = Words::word_at(Seed::from_u64(1), 0, 0);
        assert_ne!(a, Words::word_at(Seed::from_u64(1), 1, 0));
        assert_ne!(a, Words::word_at(Seed::from_u64(2), 0, 0));
    }
}
