//! Feature extraction: every feature is a 64-bit hash of (template id, values).
//!
//! Per-token values (word, lowercase, shapes, affixes, clusters) are hashed once per
//! token; templates then combine those hashes with a cheap multiplicative mix, so no
//! strings are built while tagging.

use super::gazetteer::NLISTS;
use super::hash::{FastMap, fin, hs, mix, norm, word_key};

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
    pub gz: [u8; NLISTS],
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

/// Cluster lookup: word hash -> three cluster ids.
pub(crate) type ClusterMap = FastMap<u64, [u32; 3]>;

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

/// The hash of feature template `t` with value `v`.
#[inline(always)]
fn feat(t: u64, v: u64) -> u64 {
    fin(mix(t.wrapping_mul(0x9e37_79b9_7f4a_7c15), v))
}

/// Emits the feature hashes of token `i` of a sentence into `out`.
/// `ti` has boundary padding: ti[i + 2] is token i.
///
/// The order of the features matters to training only (word dropout hides
/// positions 1 and 2: the word and its lowercase form).
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
    let window = [&ti[p - 2], &ti[p - 1], &ti[p], &ti[p + 1], &ti[p + 2]];
    word_features(window, first, caps, out);
    let [_, m1, c, p1, _] = window;
    if table {
        out.push(feat(33, mix(c.cls as u64, mix(m1.cls as u64, p1.cls as u64))));
        out.push(feat(34, mix(i.min(3) as u64, c.cls as u64)));
    }
    if c.tg != [0; 4] || m1.tg != [0; 4] || p1.tg != [0; 4] {
        training_entity_features(m1, c, p1, out);
    }
    if use_doc {
        document_features(c, first, caps, table, topic, out);
    }
    if use_gaz {
        gazetteer_features(m1, c, p1, out);
    }
}

/// The word, its shapes, affixes and clusters, and those of its neighbours
/// (`window`: two tokens either side of it).
#[inline(always)]
fn word_features(window: [&TokInfo; 5], first: bool, caps: bool, out: &mut Vec<u64>) {
    let [m2, m1, c, p1, p2] = window;
    out.push(feat(1, 0));
    out.push(feat(2, c.w));
    out.push(feat(3, c.lw));
    out.push(feat(4, c.shape));
    out.push(feat(5, c.sshape));
    for k in 0..4 {
        if c.pre[k] != 0 {
            out.push(feat(6 + k as u64, c.pre[k]));
        }
        if c.suf[k] != 0 {
            out.push(feat(10 + k as u64, c.suf[k]));
        }
    }
    out.push(feat(14, m1.lw));
    out.push(feat(15, p1.lw));
    out.push(feat(16, m2.lw));
    out.push(feat(17, p2.lw));
    out.push(feat(18, m1.sshape));
    out.push(feat(19, p1.sshape));
    out.push(feat(20, m2.sshape));
    out.push(feat(21, p2.sshape));
    out.push(feat(22, mix(m1.lw, c.lw)));
    out.push(feat(23, mix(c.lw, p1.lw)));
    out.push(feat(24, mix(mix(m1.sshape, c.sshape), p1.sshape)));
    out.push(feat(25, mix(m1.sshape, c.sshape)));
    out.push(feat(26, mix(c.sshape, p1.sshape)));
    out.push(feat(27, mix(first as u64 * 2 + caps as u64, c.shape)));
    if caps {
        out.push(feat(28, c.lw));
    }
    out.push(feat(29, mix(m1.lw, c.sshape)));
    out.push(feat(30, mix(p1.lw, c.sshape)));
    out.push(feat(31, mix(m1.w, c.cls as u64)));
    out.push(feat(32, mix(mix(m1.cls as u64, c.cls as u64), p1.cls as u64)));
    for k in 0..3 {
        if c.cl[k] != 0 {
            out.push(feat(40 + k as u64, c.cl[k]));
            out.push(feat(43 + k as u64, mix(c.cl[k], c.cls as u64)));
        }
    }
    out.push(feat(46, m1.cl[1]));
    out.push(feat(47, p1.cl[1]));
    out.push(feat(48, mix(m1.cl[0], c.cl[0])));
    out.push(feat(49, mix(c.cl[0], p1.cl[0])));
}

/// Matches of the training data's entities at the token and its neighbours.
#[inline(always)]
fn training_entity_features(m1: &TokInfo, c: &TokInfo, p1: &TokInfo, out: &mut Vec<u64>) {
    let mut any = 0u64;
    for l in 0..4 {
        if c.tg[l] != 0 {
            out.push(feat(100 + l as u64, c.tg[l] as u64));
            out.push(feat(104 + l as u64, mix(c.tg[l] as u64, c.cls as u64)));
            any = mix(any, (l as u64) << 4 | c.tg[l] as u64);
        }
    }
    out.push(feat(108, any));
    let pm = m1.tg.iter().fold(0u64, |h, &x| mix(h, x as u64));
    let pp = p1.tg.iter().fold(0u64, |h, &x| mix(h, x as u64));
    out.push(feat(109, mix(pm, mix(any, pp))));
}

/// Document evidence: the topic, the word's neighbours and casing elsewhere.
#[inline(always)]
fn document_features(c: &TokInfo, first: bool, caps: bool, table: bool, topic: u64, out: &mut Vec<u64>) {
    if topic != 0 && c.cls != C_LOWER && c.cls != C_DIGIT && c.cls != C_OTHER {
        out.push(feat(63, topic));
        out.push(feat(64, mix(topic, c.gz[0] as u64)));
        out.push(feat(65, mix(topic, c.cl[0])));
        out.push(feat(66, mix(topic, table as u64)));
    }
    for &a in &c.agg {
        if a != 0 {
            out.push(feat(67, a));
        }
    }
    out.push(feat(60, mix(c.dc as u64, mix(c.cls as u64, first as u64 * 2 + caps as u64))));
    if c.tc != 0 {
        out.push(feat(61, c.tc));
        out.push(feat(62, c.tcs));
    }
}

/// Gazetteer list matches at the token and its neighbours.
#[inline(always)]
fn gazetteer_features(m1: &TokInfo, c: &TokInfo, p1: &TokInfo, out: &mut Vec<u64>) {
    let mut any = 0u64;
    for l in 0..NLISTS {
        if c.gz[l] != 0 {
            out.push(feat(80 + l as u64, c.gz[l] as u64));
            out.push(feat(90 + l as u64, mix(c.gz[l] as u64, c.cls as u64)));
            any = mix(any, (l as u64) << 4 | c.gz[l] as u64);
        }
    }
    if any != 0 {
        out.push(feat(96, any));
    }
    let pm = m1.gz.iter().fold(0u64, |h, &x| mix(h, x as u64));
    let pp = p1.gz.iter().fold(0u64, |h, &x| mix(h, x as u64));
    out.push(feat(97, mix(pm, any)));
    out.push(feat(98, mix(any, pp)));
    out.push(feat(99, mix(c.common as u64, c.cls as u64)));
}

/// Emits the second-layer (document label evidence) feature hashes of token `i`.
#[inline]
pub(crate) fn stage2_features(ti: &[TokInfo], i: usize, out: &mut Vec<u64>) {
    let p = i + 2;
    let (m1, c, p1) = (&ti[p - 1], &ti[p], &ti[p + 1]);
    let f = feat;
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
