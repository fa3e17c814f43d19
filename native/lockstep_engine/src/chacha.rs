//! One ChaCha8 block: the keystream function under the word stream
//! ([`crate::words`]) and fork stream ids ([`crate::seed::fork_stream`]).

/// Block `counter` of ChaCha8 keyed with `key` on `stream` (Bernstein's
/// layout, as `rand_chacha`: the constants, the key, a 64-bit block counter
/// and the 64-bit stream id, 8 rounds), as 8 little-endian 64-bit words.
/// Rows as 4-lane arrays, which the compiler turns into vector code.
pub(crate) fn block(key: &[u8; 32], counter: u64, stream: u64) -> [u64; 8] {
    let k =
        |i: usize| u32::from_le_bytes([key[4 * i], key[4 * i + 1], key[4 * i + 2], key[4 * i + 3]]);
    let init = [
        [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574],
        [k(0), k(1), k(2), k(3)],
        [k(4), k(5), k(6), k(7)],
        [
            counter as u32,
            (counter >> 32) as u32,
            stream as u32,
            (stream >> 32) as u32,
        ],
    ];
    let [mut a, mut b, mut c, mut d] = init;
    for _ in 0..4 {
        // Columns, then diagonals (rows b, c, d turned by 1, 2, 3 lanes).
        quarter(&mut a, &mut b, &mut c, &mut d);
        b = [b[1], b[2], b[3], b[0]];
        c = [c[2], c[3], c[0], c[1]];
        d = [d[3], d[0], d[1], d[2]];
        quarter(&mut a, &mut b, &mut c, &mut d);
        b = [b[3], b[0], b[1], b[2]];
        c = [c[2], c[3], c[0], c[1]];
        d = [d[1], d[2], d[3], d[0]];
    }
    let rows = [a, b, c, d];
    let mut x = [0u32; 16];
    for r in 0..4 {
        for i in 0..4 {
            x[4 * r + i] = rows[r][i].wrapping_add(init[r][i]);
        }
    }
    std::array::from_fn(|j| u64::from(x[2 * j]) | (u64::from(x[2 * j + 1]) << 32))
}

/// The ChaCha quarter round on four columns at once.
#[inline(always)]
fn quarter(a: &mut [u32; 4], b: &mut [u32; 4], c: &mut [u32; 4], d: &mut [u32; 4]) {
    add_xor_rotate(a, b, d, 16);
    add_xor_rotate(c, d, b, 12);
    add_xor_rotate(a, b, d, 8);
    add_xor_rotate(c, d, b, 7);
}

/// `x += y; z = (z ^ x) <<< r`, lane by lane.
#[inline(always)]
fn add_xor_rotate(x: &mut [u32; 4], y: &[u32; 4], z: &mut [u32; 4], r: u32) {
    for i in 0..4 {
        x[i] = x[i].wrapping_add(y[i]);
        z[i] = (z[i] ^ x[i]).rotate_left(r);
    }
}
