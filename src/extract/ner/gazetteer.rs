//! Gazetteer membership features from the curated lists in `src/extract/data/`
//! (read through [`crate::extract::lists`]).
//!
//! The lists are hashed into a [`Gaz`] only when training; the trained model
//! carries its own copy of the hashed entries, so a model always sees the lists it was
//! trained with.
//!
//! Entries are matched case-insensitively as token sequences (longest match per
//! list); each token gets its BILOU position inside a match for each list.

use super::hash::{FastMap, FastSet, hs_norm, mix};
use crate::extract::lists;

/// Number of lists: LOC, ORG, MISC, demonyms, first names, surnames.
pub(crate) const NLISTS: usize = 6;
const MAXLEN: usize = 6;

/// The hashed gazetteer lists.
pub(crate) struct Gaz {
    /// Rolling hash of a token sequence -> bit mask of lists (0 = only a prefix).
    pub(crate) seqs: SeqMap,
    /// Lowercase words of the common-word list.
    pub(crate) common: FastSet<u64>,
}

const LISTS: [(&str, usize); 8] = [
    (lists::PLACES, 0),
    (lists::PLACES_EXTRA, 0),
    (lists::ORGS, 1),
    (lists::MISC, 2),
    (lists::DEMONYMS, 3),
    (lists::FIRST_NAMES, 4),
    (lists::FIRST_NAMES_EXTRA, 4),
    (lists::SURNAMES, 5),
];

/// Builds the gazetteer from the lists in `src/extract/data/`.
pub(crate) fn build() -> Gaz {
    let mut seqs: SeqMap = FastMap::default();
    for (text, list) in LISTS {
        for e in lists::entries(text) {
            let toks: Vec<u64> = e.split_whitespace().map(hs_norm).collect();
            seq_insert(&mut seqs, &toks, list);
        }
    }
    let common = lists::entries(lists::COMMON_WORDS).map(hs_norm).collect();
    Gaz { seqs, common }
}

impl Gaz {
    /// Whether the lowercase word (hash from [`hs_norm`]) is a common word.
    pub(crate) fn is_common(&self, lw: u64) -> bool {
        self.common.contains(&lw)
    }
    /// Per token, per list: 0 none, 1 B, 2 I, 3 L, 4 U.
    pub(crate) fn matches(&self, lws: &[u64]) -> Vec<[u8; NLISTS]> {
        seq_matches(&self.seqs, lws)
    }
}

/// Token-sequence dictionary: rolling hash of lowercase token hashes -> list bit mask
/// (0 for a proper prefix of an entry).
pub(crate) type SeqMap = FastMap<u64, u8>;

/// Adds a token sequence (hashes from [`hs_norm`]) to `list` of `map`.
pub(crate) fn seq_insert(map: &mut SeqMap, lws: &[u64], list: usize) {
    if lws.is_empty() || lws.len() > MAXLEN {
        return;
    }
    let mut h = 0u64;
    for (i, &t) in lws.iter().enumerate() {
        h = mix(h, t);
        let e = map.entry(h).or_insert(0);
        if i + 1 == lws.len() {
            *e |= 1 << list;
        }
    }
}

/// Longest matches per list: per token and list 0 none, 1 B, 2 I, 3 L, 4 U.
pub(crate) fn seq_matches<const N: usize>(map: &SeqMap, lws: &[u64]) -> Vec<[u8; N]> {
    let n = lws.len();
    let mut out = vec![[0u8; N]; n];
    let mut covered = [0usize; N];
    for i in 0..n {
        let mut h = 0u64;
        let mut best = [0usize; N];
        for len in 1..=MAXLEN.min(n - i) {
            h = mix(h, lws[i + len - 1]);
            match map.get(&h) {
                None => break,
                Some(&m) => {
                    for l in 0..N {
                        if m & (1 << l) != 0 {
                            best[l] = len;
                        }
                    }
                }
            }
        }
        for l in 0..N {
            let len = best[l];
            if len == 0 || i < covered[l] {
                continue;
            }
            covered[l] = i + len;
            if len == 1 {
                out[i][l] = 4;
            } else {
                out[i][l] = 1;
                for j in i + 1..i + len - 1 {
                    out[j][l] = 2;
                }
                out[i + len - 1][l] = 3;
            }
        }
    }
    out
}
