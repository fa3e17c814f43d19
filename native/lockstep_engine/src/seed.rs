//! Seed material → ChaCha key.
//!
//! The Elixir side reduces any seed term to a [`Seed`] (a domain tag and a 64-bit
//! value, see `Lockstep.Generator.Seed`); this module turns that pair into the
//! 256-bit ChaCha key. The layout is part of the stream definition (format v1):
//!
//! ```text
//! key = LE64(value) ‖ LE64(domain) ‖ b"lockstep" ‖ LE64(FORMAT_VERSION)
//! ```

/// Version of the stream definition baked into every key. Bumping it moves every
/// stream; it exists so that a future, deliberately different definition can never
/// collide with v1 streams.
pub const FORMAT_VERSION: u64 = 1;

/// Domain tag of a non-negative integer seed `0..2^64`.
pub const DOMAIN_UNSIGNED: u64 = 0;
/// Domain tag of a negative integer seed `-2^63..-1` (value = seed + 2^64).
pub const DOMAIN_NEGATIVE: u64 = 1;
/// Domain tag of any other term (value = `:erlang.phash2(term, 2^32)`).
pub const DOMAIN_HASHED: u64 = 2;

/// A normalised seed: the domain tag and its 64-bit value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Seed {
    pub domain: u64,
    pub value: u64,
}

impl Seed {
    pub const fn new(domain: u64, value: u64) -> Self {
        Seed { domain, value }
    }

    /// Seed of a non-negative integer.
    pub const fn from_u64(value: u64) -> Self {
        Seed::new(DOMAIN_UNSIGNED, value)
    }

    /// The 32-byte ChaCha key of this seed (see the module doc).
    pub fn key(&self) -> [u8; 32] {
        self.tagged_key(b"lockstep")
    }

    /// Key of the retry keystream (rejection sampling): tag `lockretr`.
    pub fn retry_key(&self) -> [u8; 32] {
        self.tagged_key(b"lockretr")
    }

    pub(crate) fn tagged_key(&self, tag: &[u8; 8]) -> [u8; 32] {
        let mut key = [0u8; 32];
        key[0..8].copy_from_slice(&self.value.to_le_bytes());
        key[8..16].copy_from_slice(&self.domain.to_le_bytes());
        key[16..24].copy_from_slice(tag);
        key[24..32].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
        key
    }
}

/// Stream id of `fork(gen, key)` for a generator on stream `parent`: word 0 of
/// ChaCha8 keyed with `LE64(value) ‖ LE64(domain) ‖ b"lockfork" ‖ LE64(1)` (the
/// fork key's seed material, tagged apart from generator keys) on stream
/// `parent`. A keyed PRF: same (parent, key), same stream; anything else, an
/// unrelated stream id (distinct ids give independent ChaCha keystreams).
pub fn fork_stream(parent: u64, key: Seed) -> u64 {
    crate::chacha::block(&key.tagged_key(b"lockfork"), 0, parent)[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORK_0_0: u64 = 54_944_359_760_451_018;

    #[test]
    fn key_layout_is_fixed() {
        let key = Seed::new(DOMAIN_NEGATIVE, 0x0102_0304_0506_0708).key();
        assert_eq!(&key[0..8], &[8, 7, 6, 5, 4, 3, 2, 1]);
        assert_eq!(&key[8..16], &[1, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&key[16..24], b"lockstep");
        assert_eq!(&key[24..32], &[1, 0, 0, 0, 0, 0, 0, 0]);
    }

    #[test]
    fn forks_depend_on_parent_and_key() {
        let a = fork_stream(0, Seed::from_u64(1));
        assert_eq!(a, fork_stream(0, Seed::from_u64(1)));
        assert_ne!(a, fork_stream(0, Seed::from_u64(2)));
        assert_ne!(a, fork_stream(1, Seed::from_u64(1)));
        assert_ne!(a, fork_stream(0, Seed::new(DOMAIN_HASHED, 1)));
        // Pinned: the fork stream ids are part of the stream definition.
        assert_eq!(fork_stream(0, Seed::from_u64(0)), FORK_0_0);
    }

    #[test]
    fn fork_streams_are_word_0_of_the_tagged_keystream() {
        use rand_chacha::ChaCha8Rng;
        use rand_core::{Rng, SeedableRng};
        for (parent, key) in [
            (0, Seed::from_u64(0)),
            (7, Seed::new(2, 99)),
            (u64::MAX, Seed::new(1, 5)),
        ] {
            let mut rng = ChaCha8Rng::from_seed(key.tagged_key(b"lockfork"));
            rng.set_stream(parent);
            assert_eq!(fork_stream(parent, key), rng.next_u64());
        }
    }

    #[test]
    fn domains_never_share_a_key() {
        assert_ne!(
            Seed::new(DOMAIN_UNSIGNED, 5).key(),
            Seed::new(DOMAIN_NEGATIVE, 5).key()
        );
        assert_ne!(
            Seed::new(DOMAIN_UNSIGNED, 5).key(),
            Seed::new(DOMAIN_HASHED, 5).key()
        );
    }
}
