//! Feature extraction: every feature is a 64-bit hash of (template id, values).
//!
//! Per-token values (word, lowercase, shapes, affixes, clusters) are hashed once per
//! token; templates then combine those hashes with a cheap multiplicative mix, so no
//! strings are built while tagging.

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

/// Number of tags: O plus B/I/L/U for each of the four entity types.
pub(crate) const NT: usize = 17;

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

/// Hash of a word's normalised lowercase form (the `lw` value of [`TokInfo`]).
pub(crate) fn hs_norm(w: &str) -> u64 {
    hs(2, &norm(w))
}

/// Hash of a string with a salt (so "ab" as a prefix differs from "ab" as a word).
#[inline]
fn hs(salt: u64, s: &str) -> u64 {
    mix(hash_bytes(s.as_bytes()), salt)
}

/// Coarse class of a token.
pub(crate) const C_LOWER: u8 = 0;
pub(crate) const C_INITCAP: u8 = 1;
pub(crate) const C_ALLCAPS: u8 = 2;
pub(crate) const C_MIXED: u8 = 3;
pub(crate) const C_DIGIT: u8 = 4;
pub(crate) const C_OTHER: u8 = 5;

/// Aggregated contexts kept per word.
pub(crate) const NAGG: usize = 6;

/// Hashed per-token values.
#[derive(Clone, Copy, Default)]
pub(crate) struct TokInfo {
    pub w: u64,
    pub lw: u64,
    pub shape: u64,
    pub sshape: u64,
    pub pre: [u64; 4],
    pub suf: [u64; 4],
    pub cls: u8,
    /// Cluster ids at three granularities (0 = unknown word).
    pub cl: [u64; 3],
    /// Document-level casing evidence for this word (0 none, 1 cap, 2 lower, 3 both).
    pub dc: u8,
    /// Hash of the word's true-cased form from elsewhere in the document (0 = none).
    pub tc: u64,
    /// Short shape of that form.
    pub tcs: u64,
    /// Stage-2 evidence: hashed label distribution of this word elsewhere in the doc.
    pub lab: u64,
    /// Stage-2: label of the longest doc entity containing this token as a sequence.
    pub lab2: u64,
    /// Document context aggregation: frequent neighbours of other occurrences.
    pub agg: [u64; NAGG],
    /// Stage-2: bit set of the non-O tags this word got elsewhere in the document.
    pub tagset: u32,
    /// Gazetteer matches per list (0 none, 1..4 = B/I/L/U).
    pub gz: [u8; super::gazetteer::NLISTS],
    /// Matches of entities seen in the training data, per type (0 none, 1..4 = B/I/L/U).
    pub tg: [u8; 4],
    /// Lowercase form is a common word.
    pub common: bool,
}

/// Word class and shapes.
pub(crate) fn class_of(w: &str) -> u8 {
    let mut up = 0;
    let mut lo = 0;
    let mut dig = 0;
    let mut first_up = false;
    for (i, c) in w.chars().enumerate() {
        if c.is_uppercase() {
            up += 1;
            if i == 0 {
                first_up = true;
            }
        } else if c.is_lowercase() {
            lo += 1;
        } else if c.is_ascii_digit() {
            dig += 1;
        }
    }
    if up + lo == 0 {
        if dig > 0 { C_DIGIT } else { C_OTHER }
    } else if up == 0 {
        C_LOWER
    } else if lo == 0 {
        C_ALLCAPS
    } else if first_up && up == 1 {
        C_INITCAP
    } else {
        C_MIXED
    }
}

fn shapes(w: &str) -> (String, String) {
    let mut long = String::with_capacity(w.len());
    let mut short = String::with_capacity(8);
    let mut last = '\0';
    let mut run = 0;
    for c in w.chars() {
        let m = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if m == last {
            run += 1;
        } else {
            run = 1;
            short.push(m);
        }
        if run <= 4 {
            long.push(m);
        }
        last = m;
    }
    (long, short)
}

/// Typographic punctuation mapped to the ASCII forms of the (ASCII-only) CoNLL
/// training data: curly quotes, dashes, ellipsis.
pub(crate) fn canon(w: &str) -> std::borrow::Cow<'_, str> {
    if w.is_ascii() {
        return std::borrow::Cow::Borrowed(w);
    }
    let mut s = String::with_capacity(w.len());
    for c in w.chars() {
        match c {
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{ab}' | '\u{bb}' => s.push('"'),
            '\u{2018}' | '\u{2019}' | '\u{201a}' => s.push('\''),
            '\u{2013}' | '\u{2212}' => s.push('-'),
            '\u{2014}' => s.push_str("--"),
            '\u{2026}' => s.push_str("..."),
            _ => s.push(c),
        }
    }
    std::borrow::Cow::Owned(s)
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

/// Cluster lookup: word hash -> three cluster ids.
pub(crate) type ClusterMap = FastMap<u64, [u32; 3]>;

/// Hash used to key words in the cluster map.
pub(crate) fn word_key(w: &str) -> u64 {
    hash_bytes(w.as_bytes())
}

/// Basic per-token info (no document or stage-2 evidence).
pub(crate) fn tok_info(w: &str, clusters: &ClusterMap) -> TokInfo {
    let w = &*canon(w);
    let lw = norm(w);
    let (long, short) = shapes(w);
    let mut t = TokInfo {
        w: hs(1, w),
        lw: hs(2, &lw),
        shape: hs(3, &long),
        sshape: hs(4, &short),
        cls: class_of(w),
        ..Default::default()
    };
    let idx: Vec<usize> = lw.char_indices().map(|(i, _)| i).chain(std::iter::once(lw.len())).collect();
    let n = idx.len() - 1;
    for k in 1..=4 {
        if n >= k {
            t.pre[k - 1] = hs(10 + k as u64, &lw[..idx[k]]);
            t.suf[k - 1] = hs(20 + k as u64, &lw[idx[n - k]..]);
        }
    }
    t.cl = cluster_ids(w, clusters);
    t
}

pub(crate) fn cluster_ids(w: &str, clusters: &ClusterMap) -> [u64; 3] {
    let mut out = [0u64; 3];
    let c = clusters.get(&word_key(w)).or_else(|| {
        // All-caps or odd-cased words: try the title-cased and lower-cased forms.
        let lower = w.to_lowercase();
        let mut title = String::with_capacity(w.len());
        let mut cs = lower.chars();
        if let Some(f) = cs.next() {
            title.extend(f.to_uppercase());
            title.push_str(cs.as_str());
        }
        clusters.get(&word_key(&title)).or_else(|| clusters.get(&word_key(&lower)))
    });
    if let Some(c) = c {
        for k in 0..3 {
            out[k] = mix(0x1234 + k as u64, c[k] as u64 + 1);
        }
    }
    out
}

/// Boundary token info.
pub(crate) fn boundary(left: bool) -> TokInfo {
    let s = if left { 0xb0u64 } else { 0xe0u64 };
    TokInfo { w: s, lw: s + 1, shape: s + 2, sshape: s + 3, cls: 6, ..Default::default() }
}

/// Whether a sentence is a headline in capitals: all letters upper case and at least
/// two letters.
pub(crate) fn allcaps_sentence(words: &[&str]) -> bool {
    let mut letters = 0;
    for w in words {
        for c in w.chars() {
            if c.is_lowercase() {
                return false;
            }
            if c.is_uppercase() {
                letters += 1;
            }
        }
    }
    letters >= 2
}

/// Emits the feature hashes of token `i` of a sentence into `out`.
/// `ti` has boundary padding: ti[i + 2] is token i.
#[inline]
pub(crate) fn token_features(
    ti: &[TokInfo],
    i: usize,
    first: bool,
    caps: bool,
    table: bool,
    topic: u64,
    use_doc: bool,
    use_gaz: bool,
    out: &mut Vec<u64>,
) {
    let p = i + 2;
    let (m2, m1, c, p1, p2) = (&ti[p - 2], &ti[p - 1], &ti[p], &ti[p + 1], &ti[p + 2]);
    let f = |t: u64, v: u64| fin(mix(t.wrapping_mul(0x9e37_79b9_7f4a_7c15), v));
    out.push(f(1, 0));
    out.push(f(2, c.w));
    out.push(f(3, c.lw));
    out.push(f(4, c.shape));
    out.push(f(5, c.sshape));
    for k in 0..4 {
        if c.pre[k] != 0 {
            out.push(f(6 + k as u64, c.pre[k]));
        }
        if c.suf[k] != 0 {
            out.push(f(10 + k as u64, c.suf[k]));
        }
    }
    out.push(f(14, m1.lw));
    out.push(f(15, p1.lw));
    out.push(f(16, m2.lw));
    out.push(f(17, p2.lw));
    out.push(f(18, m1.sshape));
    out.push(f(19, p1.sshape));
    out.push(f(20, m2.sshape));
    out.push(f(21, p2.sshape));
    out.push(f(22, mix(m1.lw, c.lw)));
    out.push(f(23, mix(c.lw, p1.lw)));
    out.push(f(24, mix(mix(m1.sshape, c.sshape), p1.sshape)));
    out.push(f(25, mix(m1.sshape, c.sshape)));
    out.push(f(26, mix(c.sshape, p1.sshape)));
    out.push(f(27, mix(first as u64 * 2 + caps as u64, c.shape)));
    if caps {
        out.push(f(28, c.lw));
    }
    out.push(f(29, mix(m1.lw, c.sshape)));
    out.push(f(30, mix(p1.lw, c.sshape)));
    out.push(f(31, mix(m1.w, c.cls as u64)));
    out.push(f(32, mix(mix(m1.cls as u64, c.cls as u64), p1.cls as u64)));
    for k in 0..3 {
        if c.cl[k] != 0 {
            out.push(f(40 + k as u64, c.cl[k]));
            out.push(f(43 + k as u64, mix(c.cl[k], c.cls as u64)));
        }
    }
    out.push(f(46, m1.cl[1]));
    out.push(f(47, p1.cl[1]));
    out.push(f(48, mix(m1.cl[0], c.cl[0])));
    out.push(f(49, mix(c.cl[0], p1.cl[0])));
    if table {
        out.push(f(33, mix(c.cls as u64, mix(m1.cls as u64, p1.cls as u64))));
        out.push(f(34, mix(i.min(3) as u64, c.cls as u64)));
    }
    if c.tg != [0; 4] || m1.tg != [0; 4] || p1.tg != [0; 4] {
        let mut any = 0u64;
        for l in 0..4 {
            if c.tg[l] != 0 {
                out.push(f(100 + l as u64, c.tg[l] as u64));
                out.push(f(104 + l as u64, mix(c.tg[l] as u64, c.cls as u64)));
                any = mix(any, (l as u64) << 4 | c.tg[l] as u64);
            }
        }
        out.push(f(108, any));
        let pm = m1.tg.iter().fold(0u64, |h, &x| mix(h, x as u64));
        let pp = p1.tg.iter().fold(0u64, |h, &x| mix(h, x as u64));
        out.push(f(109, mix(pm, mix(any, pp))));
    }
    if use_doc {
        if topic != 0 && c.cls != C_LOWER && c.cls != C_DIGIT && c.cls != C_OTHER {
            out.push(f(63, topic));
            out.push(f(64, mix(topic, c.gz[0] as u64)));
            out.push(f(65, mix(topic, c.cl[0])));
            out.push(f(66, mix(topic, table as u64)));
        }
        for &a in &c.agg {
            if a != 0 {
                out.push(f(67, a));
            }
        }
        out.push(f(60, mix(c.dc as u64, mix(c.cls as u64, first as u64 * 2 + caps as u64))));
        if c.tc != 0 {
            out.push(f(61, c.tc));
            out.push(f(62, c.tcs));
        }
    }
    if use_gaz {
        let mut any = 0u64;
        for l in 0..super::gazetteer::NLISTS {
            if c.gz[l] != 0 {
                out.push(f(80 + l as u64, c.gz[l] as u64));
                out.push(f(90 + l as u64, mix(c.gz[l] as u64, c.cls as u64)));
                any = mix(any, (l as u64) << 4 | c.gz[l] as u64);
            }
        }
        if any != 0 {
            out.push(f(96, any));
        }
        let pm = m1.gz.iter().fold(0u64, |h, &x| mix(h, x as u64));
        let pp = p1.gz.iter().fold(0u64, |h, &x| mix(h, x as u64));
        out.push(f(97, mix(pm, any)));
        out.push(f(98, mix(any, pp)));
        out.push(f(99, mix(c.common as u64, c.cls as u64)));
    }
}

/// Emits the second-layer (document label evidence) feature hashes of token `i`.
#[inline]
pub(crate) fn stage2_features(ti: &[TokInfo], i: usize, out: &mut Vec<u64>) {
    let p = i + 2;
    let (m1, c, p1) = (&ti[p - 1], &ti[p], &ti[p + 1]);
    let f = |t: u64, v: u64| fin(mix(t.wrapping_mul(0x9e37_79b9_7f4a_7c15), v));
    out.push(f(70, c.lab));
    out.push(f(71, mix(c.lab, c.cls as u64)));
    out.push(f(72, c.lab2));
    out.push(f(73, mix(m1.lab2, c.lab2)));
    out.push(f(74, mix(c.lab2, p1.lab2)));
    let mut ts = c.tagset;
    while ts != 0 {
        let t = ts.trailing_zeros() as u64;
        ts &= ts - 1;
        out.push(f(75, t));
        out.push(f(76, mix(t, c.cls as u64)));
    }
    out.push(f(77, c.tagset as u64));
    out.push(f(78, mix(m1.tagset as u64, c.tagset as u64)));
    out.push(f(79, mix(c.tagset as u64, p1.tagset as u64)));
}
