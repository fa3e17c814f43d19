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
        let mut key = [0u8; 32];
        key[0..8].copy_from_slice(&self.value.to_le_bytes());
        key[8..16].copy_from_slice(&self.domain.to_le_bytes());
        key[16..24].copy_from_slice(b"lockstep");
        key[24..32].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_layout_is_fixed() {
        let key = Seed::new(DOMAIN_NEGATIVE, 0x0102_0304_0506_0708).key();
        assert_eq!(&key[0..8], &[8, 7, 6, 5, 4, 3, 2, 1]);
        assert_eq!(&key[8..16], &[1, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&key[16..24], b"lockstep");
        assert_eq!(&key[24..32], &[1, 0, 0, 0, 0, 0, 0, 0]);
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
