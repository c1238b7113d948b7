//! Hashing: the map hasher of the tagger's tables and the 64-bit hashes that
//! key words, affixes and features. Every feature is a hash, so no strings are
//! built while tagging; the hashes are part of the model file format, so none of
//! these functions may change without retraining.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Hasher for keys that are already hashes (and short strings): one finaliser round.
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);
impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, b: &[u8]) {
        self.0 = fin(mix(self.0, hash_bytes(b)));
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = fin(self.0 ^ x);
    }
}
/// Hash map with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// Hash set with [`FastHasher`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// Mixes value `v` into hash `h`.
#[inline]
pub(crate) fn mix(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// Murmur3 finaliser: spreads the bits of a mixed hash before table lookup.
#[inline]
pub(crate) fn fin(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Hash of a byte string.
pub(crate) fn hash_bytes(s: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut chunks = s.chunks_exact(8);
    for c in &mut chunks {
        h = mix(h, u64::from_le_bytes(c.try_into().unwrap()));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(b));
    }
    mix(h, s.len() as u64)
}

/// Hash of a word's normalised lowercase form (the `lw` value of [`super::features::TokInfo`]).
pub(crate) fn hs_norm(w: &str) -> u64 {
    hs(2, &norm(w))
}

/// Hash of a string with a salt (so "ab" as a prefix differs from "ab" as a word).
#[inline]
pub(crate) fn hs(salt: u64, s: &str) -> u64 {
    mix(hash_bytes(s.as_bytes()), salt)
}

/// Lowercase with digits mapped to '0'.
pub(crate) fn norm(w: &str) -> String {
    let mut s = String::with_capacity(w.len());
    for c in w.chars() {
        if c.is_ascii_digit() {
            s.push('0');
        } else {
            for l in c.to_lowercase() {
                s.push(l);
            }
        }
    }
    s
}

/// Hash used to key words in the cluster map.
pub(crate) fn word_key(w: &str) -> u64 {
    hash_bytes(w.as_bytes())
}
