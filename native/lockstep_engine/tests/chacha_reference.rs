//! Pins the keystream independently of `rand_chacha`: a from-the-spec ChaCha8
//! block function (original DJB layout: 64-bit counter in words 12–13, 64-bit
//! nonce = stream id in words 14–15) must agree with the engine's words. If a
//! dependency upgrade ever changed the keystream, this fails before any stream moves.

use lockstep_engine::{Seed, Words};

fn quarter(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(16);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(12);
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(8);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(7);
}

fn block(key: &[u8; 32], counter: u64, nonce: u64, rounds: usize) -> [u32; 16] {
    let mut input = [0u32; 16];
    input[..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
    for (i, chunk) in key.chunks(4).enumerate() {
        input[4 + i] = u32::from_le_bytes(chunk.try_into().unwrap());
    }
    input[12] = counter as u32;
    input[13] = (counter >> 32) as u32;
    input[14] = nonce as u32;
    input[15] = (nonce >> 32) as u32;
    let mut s = input;
    for _ in 0..rounds / 2 {
        quarter(&mut s, 0, 4, 8, 12);
        quarter(&mut s, 1, 5, 9, 13);
        quarter(&mut s, 2, 6, 10, 14);
        quarter(&mut s, 3, 7, 11, 15);
        quarter(&mut s, 0, 5, 10, 15);
        quarter(&mut s, 1, 6, 11, 12);
        quarter(&mut s, 2, 7, 8, 13);
        quarter(&mut s, 3, 4, 9, 14);
    }
    for (o, i) in s.iter_mut().zip(input) {
        *o = o.wrapping_add(i);
    }
    s
}

/// Word `pos` by the definition: block `pos / 8`, u64 from its 32-bit words
/// `2(pos mod 8)` (low) and `2(pos mod 8) + 1` (high).
fn reference_word(seed: Seed, stream: u64, pos: u64) -> u64 {
    let b = block(&seed.key(), pos / 8, stream, 8);
    let j = (pos % 8) as usize * 2;
    u64::from(b[j]) | (u64::from(b[j + 1]) << 32)
}

#[test]
fn chacha20_block_matches_the_published_test_vector() {
    // Sanity check of the reference itself: the all-zero key/nonce ChaCha20
    // keystream begins 76 b8 e0 ad a0 f1 3d 90 (Bernstein's test vector).
    let b = block(&[0u8; 32], 0, 0, 20);
    assert_eq!(b[0].to_le_bytes(), [0x76, 0xb8, 0xe0, 0xad]);
    assert_eq!(b[1].to_le_bytes(), [0xa0, 0xf1, 0x3d, 0x90]);
}

#[test]
fn engine_words_equal_the_reference_chacha8() {
    for (seed, stream) in [
        (Seed::from_u64(0), 0),
        (Seed::from_u64(42), 0),
        (Seed::new(1, u64::MAX), 7),
        (Seed::new(2, 123_456), u64::MAX),
    ] {
        let mut words = Words::new(seed, stream, 0);
        for pos in 0..200 {
            assert_eq!(
                words.next_word(),
                reference_word(seed, stream, pos),
                "{seed:?} {stream} {pos}"
            );
        }
        for pos in [1_000_003u64, 1 << 40, u64::MAX / 8 * 8 - 1] {
            assert_eq!(
                Words::word_at(seed, stream, pos),
                reference_word(seed, stream, pos)
            );
        }
    }
}

/// Word `word` (mod 2^67) of the keystream: its block counter is 64 bits.
fn reference_at(key: &[u8; 32], stream: u64, word: u128) -> u64 {
    let word = word % (1 << 67);
    let b = block(key, (word / 8) as u64, stream, 8);
    let j = (word % 8) as usize * 2;
    u64::from(b[j]) | (u64::from(b[j + 1]) << 32)
}

#[test]
fn cursors_from_any_position_equal_the_reference() {
    // A cursor makes its first blocks itself and hands over to rand_chacha:
    // from any offset in a block, across that switch, and across the block
    // counter's wrap, the words are the keystream's.
    for (seed, stream) in [(Seed::from_u64(3), 0), (Seed::new(2, 99), 1 << 63)] {
        let key = seed.key();
        let near_end = (1u128 << 67) - 60;
        let starts = (0..20u128).chain([
            63,
            64,
            65,
            1_000_001,
            u128::from(u64::MAX),
            near_end,
            near_end + 3,
        ]);
        for start in starts {
            for bulk in [false, true] {
                let mut words = if bulk {
                    Words::bulk_at_word(key, stream, start)
                } else {
                    Words::at_word(key, stream, start)
                };
                for i in 0..150u128 {
                    assert_eq!(
                        words.next_word(),
                        reference_at(&key, stream, start + i),
                        "{seed:?} {stream} from {start} (bulk: {bulk}), word {i}"
                    );
                }
            }
        }
    }
}
