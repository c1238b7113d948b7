//! Statistical named-entity tagger (PER / ORG / LOC / MISC).
//!
//! # Model
//!
//! A linear-chain model over BILOU tags (17 tags: `O` plus Begin/Inside/Last/Unit for
//! each of the four CoNLL types), decoded exactly with Viterbi under hard BILOU
//! transition constraints, and trained as an **averaged structured perceptron**
//! (Collins 2002). The perceptron was chosen over a CRF because:
//!
//! * it needs no gradient of the partition function, so an epoch over CoNLL-2003 is a
//!   couple of seconds of single-threaded work, and training is trivially
//!   deterministic (the only randomness is the seeded sentence order);
//! * averaging gives accuracy on par with an L2-regularised CRF for NER;
//! * its updates are sparse: only features active on mistakes get weights, so the
//!   model stays small after pruning zero rows.
//!
//! Features are hashed (64-bit) conjunctions of per-token values: word, lowercase
//! form, shapes, affixes, neighbouring words/shapes (±2), capitalisation in context,
//! sentence-initial and all-caps-headline flags, distributional word clusters
//! (see [`clusters`]), document-level casing evidence, and — in a second pass — the
//! labels the first pass gave to the same words and word sequences elsewhere in the
//! document (document-level consistency). Weights are stored as `i16` rows (one per
//! kept feature, one column per tag) with a global scale, indexed by an
//! open-addressing table of 32-bit fingerprints.
//!
//! The embedded model ([`embedded`]) is trained by [`train`] on the CoNLL-2003
//! English training set, with the development set used only to pick the epoch.

// Index loops over the 17 tags read more clearly than iterator chains here.
#![allow(clippy::needless_range_loop, clippy::too_many_arguments, clippy::type_complexity, clippy::collapsible_if)]

pub mod clusters;
mod features;
mod gazetteer;

use features::FastMap;
use features::{ClusterMap, NT, TokInfo};
use std::ops::Range;
use std::sync::OnceLock;

use super::entities::{EntityLabel, EntityRecognizer, Mention, TokenizedSentence};
use super::segment::Token;

/// Entity types in tag order.
const TYPES: [EntityLabel; 4] = [EntityLabel::Person, EntityLabel::Org, EntityLabel::Loc, EntityLabel::Misc];
/// CoNLL names of [`TYPES`].
const TYPE_NAMES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// An entity found by the tagger: start token, end token (exclusive), label and
/// confidence in 0..1.
pub type Span = (usize, usize, EntityLabel, f32);

const FLAG_DOC: u32 = 1;
const FLAG_GAZ: u32 = 2;
const FLAG_TGAZ: u32 = 4;
const MAGIC: &[u8; 8] = b"DSNER\x00\x02\x00";

// ---------------------------------------------------------------------------
// Tags and transitions
// ---------------------------------------------------------------------------

#[inline]
fn tag_type(t: u8) -> Option<usize> {
    if t == 0 { None } else { Some(((t - 1) / 4) as usize) }
}
/// 0 = B, 1 = I, 2 = L, 3 = U.
#[inline]
fn tag_pos(t: u8) -> u8 {
    (t - 1) % 4
}
fn allowed(prev: Option<u8>, cur: u8) -> bool {
    let open = matches!(prev, Some(p) if p != 0 && tag_pos(p) <= 1);
    if open {
        let p = prev.unwrap();
        cur != 0 && tag_type(cur) == tag_type(p) && (tag_pos(cur) == 1 || tag_pos(cur) == 2)
    } else {
        cur == 0 || tag_pos(cur) == 0 || tag_pos(cur) == 3
    }
}
fn allowed_end(t: u8) -> bool {
    t == 0 || tag_pos(t) >= 2
}

const NEG: f32 = -1.0e30;

/// Transition scores (start, tag-to-tag, end).
#[derive(Clone)]
struct Trans {
    start: [f32; NT],
    t: [[f32; NT]; NT],
    end: [f32; NT],
}
impl Trans {
    fn new() -> Self {
        let mut tr = Trans { start: [0.0; NT], t: [[0.0; NT]; NT], end: [0.0; NT] };
        for c in 0..NT as u8 {
            if !allowed(None, c) {
                tr.start[c as usize] = NEG;
            }
            if !allowed_end(c) {
                tr.end[c as usize] = NEG;
            }
            for p in 0..NT as u8 {
                if !allowed(Some(p), c) {
                    tr.t[p as usize][c as usize] = NEG;
                }
            }
        }
        tr
    }
    fn flat(&self) -> Vec<f32> {
        let mut v = self.start.to_vec();
        for r in &self.t {
            v.extend_from_slice(r);
        }
        v.extend_from_slice(&self.end);
        v
    }
    fn from_flat(v: &[f32]) -> Self {
        let mut tr = Trans::new();
        tr.start.copy_from_slice(&v[..NT]);
        for p in 0..NT {
            tr.t[p].copy_from_slice(&v[NT * (p + 1)..NT * (p + 2)]);
        }
        tr.end.copy_from_slice(&v[NT * (NT + 1)..NT * (NT + 2)]);
        tr
    }
}

/// Tags after which a mention is closed: O, and L or U of any type.
const CLOSED: [u8; 9] = [0, 3, 4, 7, 8, 11, 12, 15, 16];
/// Tags that may follow a closed tag: O, and B or U of any type.
const OPENING: [u8; 9] = [0, 1, 4, 5, 8, 9, 12, 13, 16];

/// The tags that may precede `tag` (ascending), by the BILOU rules of
/// [`allowed`]: the pairs [`viterbi_any`] visits, 97 of the 289.
#[cfg(test)]
fn predecessors(tag: usize) -> &'static [u8] {
    const OPEN: [[u8; 2]; 4] = [[1, 2], [5, 6], [9, 10], [13, 14]];
    if tag == 0 || matches!((tag - 1) % 4, 0 | 3) { &CLOSED } else { &OPEN[(tag - 1) / 4] }
}

/// The tags that may follow `tag` (ascending), by the rules of [`allowed`].
#[inline]
fn successors(tag: usize) -> &'static [u8] {
    const CONTINUE: [[u8; 2]; 4] = [[2, 3], [6, 7], [10, 11], [14, 15]];
    if tag == 0 || matches!((tag - 1) % 4, 2 | 3) { &OPENING } else { &CONTINUE[(tag - 1) / 4] }
}

/// Viterbi decode; returns best tags and fills `alpha` (forward max scores).
fn viterbi(em: &[[f32; NT]], tr: &Trans, alpha: &mut Vec<[f32; NT]>, back: &mut Vec<[u8; NT]>) -> Vec<u8> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { viterbi_avx2(em, tr, alpha, back) };
    }
    viterbi_any(em, tr, alpha, back)
}

/// [`viterbi_any`] compiled for AVX2 (8 scores per instruction instead of 4).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn viterbi_avx2(em: &[[f32; NT]], tr: &Trans, alpha: &mut Vec<[f32; NT]>, back: &mut Vec<[u8; NT]>) -> Vec<u8> {
    viterbi_any(em, tr, alpha, back)
}

/// The Viterbi recursion. Transitions that [`allowed`] forbids score [`NEG`],
/// so they can never win: each step scans only the allowed pairs (97 of 289),
/// and the 9 x 17 block of the closed tags' successors runs branch-free over
/// whole rows, which vectorises. Ties go to the lowest predecessor, as in a
/// full scan.
#[inline(always)]
fn viterbi_any(em: &[[f32; NT]], tr: &Trans, alpha: &mut Vec<[f32; NT]>, back: &mut Vec<[u8; NT]>) -> Vec<u8> {
    let n = em.len();
    alpha.clear();
    back.clear();
    if n == 0 {
        return Vec::new();
    }
    let mut a0 = [0f32; NT];
    for k in 0..NT {
        a0[k] = tr.start[k] + em[0][k];
    }
    alpha.push(a0);
    back.push([0; NT]);
    for t in 1..n {
        let prev = alpha[t - 1];
        let mut best = [NEG * 2.0; NT];
        let mut arg = [0u32; NT];
        // From a closed tag (O, L, U) to any tag: for the tags that continue a
        // mention (I, L) these are forbidden pairs, overtaken just below.
        for &p in &CLOSED {
            let from = prev[p as usize];
            let row = &tr.t[p as usize];
            for k in 0..NT {
                let s = from + row[k];
                let better = s > best[k];
                best[k] = if better { s } else { best[k] };
                arg[k] = if better { p as u32 } else { arg[k] };
            }
        }
        // From B or I of a type to I or L of that type.
        for ty in 0..4 {
            let (b, i) = (1 + 4 * ty, 2 + 4 * ty);
            for k in [i, i + 1] {
                let (from_b, from_i) = (prev[b] + tr.t[b][k], prev[i] + tr.t[i][k]);
                let (s, p) = if from_i > from_b { (from_i, i) } else { (from_b, b) };
                best[k] = s;
                arg[k] = p as u32;
            }
        }
        let mut a = [0f32; NT];
        let mut bk = [0u8; NT];
        for k in 0..NT {
            a[k] = best[k] + em[t][k];
            bk[k] = arg[k] as u8;
        }
        alpha.push(a);
        back.push(bk);
    }
    let mut best = NEG * 2.0;
    let mut bi = 0;
    for k in 0..NT {
        let s = alpha[n - 1][k] + tr.end[k];
        if s > best {
            best = s;
            bi = k;
        }
    }
    let mut tags = vec![0u8; n];
    tags[n - 1] = bi as u8;
    for t in (1..n).rev() {
        tags[t - 1] = back[t][tags[t] as usize];
    }
    tags
}

/// The original full-scan Viterbi, kept to check the fast one against.
#[cfg(test)]
fn viterbi_dense(em: &[[f32; NT]], tr: &Trans) -> Vec<u8> {
    let n = em.len();
    if n == 0 {
        return Vec::new();
    }
    let mut alpha = vec![[0f32; NT]; n];
    let mut back = vec![[0u8; NT]; n];
    for k in 0..NT {
        alpha[0][k] = tr.start[k] + em[0][k];
    }
    for t in 1..n {
        for k in 0..NT {
            let mut best = NEG * 2.0;
            for p in 0..NT {
                let s = alpha[t - 1][p] + tr.t[p][k];
                if s > best {
                    best = s;
                    back[t][k] = p as u8;
                }
            }
            alpha[t][k] = best + em[t][k];
        }
    }
    let mut bi = 0;
    for k in 1..NT {
        if alpha[n - 1][k] + tr.end[k] > alpha[n - 1][bi] + tr.end[bi] {
            bi = k;
        }
    }
    let mut tags = vec![0u8; n];
    tags[n - 1] = bi as u8;
    for t in (1..n).rev() {
        tags[t - 1] = back[t][tags[t] as usize];
    }
    tags
}

/// Per-token margins between the best path and the best path with another tag at that
/// token (max-marginals from a backward Viterbi pass).
fn margins(em: &[[f32; NT]], tr: &Trans, alpha: &[[f32; NT]], tags: &[u8]) -> Vec<f32> {
    let n = em.len();
    let mut beta = vec![[0f32; NT]; n];
    if n == 0 {
        return Vec::new();
    }
    beta[n - 1] = tr.end;
    for t in (0..n - 1).rev() {
        for k in 0..NT {
            let mut best = NEG * 2.0;
            for &j in successors(k) {
                let j = j as usize;
                let s = tr.t[k][j] + em[t + 1][j] + beta[t + 1][j];
                if s > best {
                    best = s;
                }
            }
            beta[t][k] = best;
        }
    }
    (0..n)
        .map(|t| {
            let pred = tags[t] as usize;
            let top = alpha[t][pred] + beta[t][pred];
            let mut other = NEG * 2.0;
            for k in 0..NT {
                if k != pred {
                    other = other.max(alpha[t][k] + beta[t][k]);
                }
            }
            (top - other).max(0.0)
        })
        .collect()
}

/// Entity spans (start, end excl, type index) of a BILOU tag sequence.
fn spans_of(tags: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    for (i, &t) in tags.iter().enumerate() {
        if t == 0 {
            start = None;
            continue;
        }
        let ty = tag_type(t).unwrap();
        match tag_pos(t) {
            0 => start = Some((i, ty)),
            1 => {
                if start.map(|s| s.1) != Some(ty) {
                    start = Some((i, ty));
                }
            }
            2 => {
                let s = match start {
                    Some((s, st)) if st == ty => s,
                    _ => i,
                };
                out.push((s, i + 1, ty));
                start = None;
            }
            _ => {
                out.push((i, i + 1, ty));
                start = None;
            }
        }
    }
    out
}

/// BILOU tags from chunks.
fn bilou(n: usize, chunks: &[(usize, usize, usize)]) -> Vec<u8> {
    let mut tags = vec![0u8; n];
    for &(s, e, ty) in chunks {
        let base = 1 + 4 * ty as u8;
        if e - s == 1 {
            tags[s] = base + 3;
        } else {
            tags[s] = base;
            for t in &mut tags[s + 1..e - 1] {
                *t = base + 1;
            }
            tags[e - 1] = base + 2;
        }
    }
    tags
}

// ---------------------------------------------------------------------------
// Feature table and layers
// ---------------------------------------------------------------------------

/// Asks the CPU to start loading the cache line holding `value`. Tagging is
/// bound by memory latency: every feature costs a random read of the hash table
/// and one of the weights (tens of MB together), so the reads of a token's ~40
/// features are issued together instead of one after another.
#[inline(always)]
fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint; it never faults, whatever the address.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// Adds layer `l`'s block of each of `rows` of `w` (rows of `nl` blocks of
/// [`NT`] weights) to `acc`: the innermost loop of tagging.
#[inline(always)]
fn sum_rows(w: &[i16], nl: usize, l: usize, rows: &[u32], acc: &mut [i32; NT]) {
    for &r in rows {
        let b = (r as usize * nl + l) * NT;
        let row = &w[b..b + NT];
        for k in 0..NT {
            acc[k] += row[k] as i32;
        }
    }
}

/// [`sum_rows`] compiled for AVX2, which widens and adds 16 weights per
/// instruction instead of 4; the binary stays runnable on any x86-64.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn sum_rows_avx2(w: &[i16], nl: usize, l: usize, rows: &[u32], acc: &mut [i32; NT]) {
    sum_rows(w, nl, l, rows, acc);
}

/// Open-addressing map from feature hash to weight row.
struct Table {
    mask: usize,
    slots: Vec<(u32, u32)>,
}
impl Table {
    fn build(keys: &[u64]) -> Table {
        let cap = (keys.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![(0u32, 0u32); cap];
        let mask = cap - 1;
        for (r, &k) in keys.iter().enumerate() {
            let fp = (k >> 32) as u32 | 1;
            let mut i = (k as usize) & mask;
            loop {
                if slots[i].0 == 0 {
                    slots[i] = (fp, r as u32);
                    break;
                }
                if slots[i].0 == fp {
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        Table { mask, slots }
    }
    /// Starts loading the slot where the lookup of `k` begins.
    #[inline]
    fn prefetch(&self, k: u64) {
        prefetch(&self.slots[(k as usize) & self.mask]);
    }

    #[inline]
    fn get(&self, k: u64) -> Option<u32> {
        let fp = (k >> 32) as u32 | 1;
        let mut i = (k as usize) & self.mask;
        loop {
            let s = self.slots[i];
            if s.0 == fp {
                return Some(s.1);
            }
            if s.0 == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// One trained linear layer (float weights for its own feature keys).
struct Layer {
    keys: Vec<u64>,
    weights: Vec<f32>,
    trans: Trans,
}

/// All layers' weights over the union of their features: one table lookup per
/// feature serves every layer. Row `r` holds `nl` blocks of [`NT`] quantised weights.
struct Weights {
    nl: usize,
    keys: Vec<u64>,
    w: Vec<i16>,
    scales: Vec<f32>,
    trans: Vec<Trans>,
    table: Table,
}

impl Weights {
    fn from_layers(layers: Vec<Layer>) -> Weights {
        let nl = layers.len();
        let mut keys: Vec<u64> = layers.iter().flat_map(|l| l.keys.iter().copied()).collect();
        keys.sort_unstable();
        keys.dedup();
        let index: FastMap<u64, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let mut w = vec![0i16; keys.len() * nl * NT];
        let mut scales = Vec::with_capacity(nl);
        let mut trans = Vec::with_capacity(nl);
        for (li, l) in layers.into_iter().enumerate() {
            let max = l.weights.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-6);
            let scale = max / 32000.0;
            for (r, k) in l.keys.iter().enumerate() {
                let dst = (index[k] * nl + li) * NT;
                for t in 0..NT {
                    w[dst + t] = (l.weights[r * NT + t] / scale).round() as i16;
                }
            }
            scales.push(scale);
            trans.push(l.trans);
        }
        let table = Table::build(&keys);
        Weights { nl, keys, w, scales, trans, table }
    }

    /// Adds layer `l`'s weights of `rows` to `acc`.
    #[inline]
    fn add(&self, l: usize, rows: &[u32], acc: &mut [i32; NT]) {
        for &r in rows {
            // A block of NT i16 may straddle two cache lines.
            let b = (r as usize * self.nl + l) * NT;
            prefetch(&self.w[b]);
            prefetch(&self.w[b + NT - 1]);
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { sum_rows_avx2(&self.w, self.nl, l, rows, acc) };
            return;
        }
        sum_rows(&self.w, self.nl, l, rows, acc);
    }

    /// Looks up feature hashes, appending the rows found.
    #[inline]
    fn rows(&self, feats: &[u64], out: &mut Vec<u32>) {
        for &h in feats {
            self.table.prefetch(h);
        }
        for &h in feats {
            if let Some(r) = self.table.get(h) {
                out.push(r);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Document context
// ---------------------------------------------------------------------------

/// Per-sentence token infos (padded with two boundary tokens on each side) plus
/// sentence flags.
struct DocCtx {
    infos: Vec<Vec<TokInfo>>,
    caps: Vec<bool>,
    /// Sentence looks like a table row (mostly numbers).
    table: Vec<bool>,
    /// Document topic: the first word of an all-caps first line ("SOCCER - ...").
    topic: u64,
    norms: Vec<Vec<u64>>,
}

fn doc_ctx(
    doc: &[&[&str]],
    clusters: &ClusterMap,
    tgaz: Option<&gazetteer::SeqMap>,
    use_doc: bool,
    gaz: Option<&gazetteer::Gaz>,
) -> DocCtx {
    let caps: Vec<bool> = doc.iter().map(|s| features::allcaps_sentence(s)).collect();
    let mut infos = Vec::with_capacity(doc.len());
    let mut norms = Vec::with_capacity(doc.len());
    // A word's basic info depends on the word alone, and most words of an
    // article occur more than once.
    let mut known: FastMap<&str, TokInfo> = FastMap::default();
    for s in doc {
        let mut v = Vec::with_capacity(s.len() + 4);
        v.push(features::boundary(true));
        v.push(features::boundary(true));
        let mut nv = Vec::with_capacity(s.len());
        for &w in s.iter() {
            let t = *known.entry(w).or_insert_with(|| features::tok_info(w, clusters));
            nv.push(t.lw);
            v.push(t);
        }
        v.push(features::boundary(false));
        v.push(features::boundary(false));
        if let Some(tg) = tgaz {
            for (i, m) in gazetteer::seq_matches::<4>(tg, &nv).into_iter().enumerate() {
                v[i + 2].tg = m;
            }
        }
        if let Some(g) = gaz {
            for (i, m) in g.matches(&nv).into_iter().enumerate() {
                v[i + 2].gz = m;
                v[i + 2].common = g.is_common(nv[i]);
            }
        }
        infos.push(v);
        norms.push(nv);
    }
    if use_doc {
        // Context aggregation: the neighbours of the other occurrences of each
        // capitalised word in the document.
        let mut agg: FastMap<u64, FastMap<u64, u32>> = FastMap::default();
        let mut occ: FastMap<u64, u32> = FastMap::default();
        for v in &infos {
            for i in 2..v.len() - 2 {
                let t = &v[i];
                if matches!(t.cls, features::C_INITCAP | features::C_ALLCAPS | features::C_MIXED) {
                    *occ.entry(t.lw).or_default() += 1;
                    let e = agg.entry(t.lw).or_default();
                    *e.entry(features::mix(0x11, v[i - 1].lw)).or_default() += 1;
                    *e.entry(features::mix(0x22, v[i + 1].lw)).or_default() += 1;
                }
            }
        }
        let mut best: FastMap<u64, [u64; features::NAGG]> = FastMap::default();
        for (w, m) in agg {
            if occ[&w] < 2 {
                continue;
            }
            let mut v: Vec<(u32, u64)> = m.into_iter().map(|(k, c)| (c, k)).collect();
            v.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut arr = [0u64; features::NAGG];
            for (j, (_, k)) in v.into_iter().take(features::NAGG).enumerate() {
                arr[j] = k;
            }
            best.insert(w, arr);
        }
        for v in infos.iter_mut() {
            for t in v.iter_mut() {
                if matches!(t.cls, features::C_INITCAP | features::C_ALLCAPS | features::C_MIXED) {
                    if let Some(a) = best.get(&t.lw) {
                        t.agg = *a;
                    }
                }
            }
        }
        // Casing evidence from reliable positions: not sentence-initial, not after
        // opening punctuation, not in an all-caps headline.
        let mut ev: FastMap<u64, (u32, u32, FastMap<&str, u32>)> = FastMap::default();
        let reliable = |s: &[&str], i: usize, caps: bool| -> bool {
            !caps && i > 0 && !matches!(s[i - 1], "\"" | "'" | "`" | "``" | ":" | "(" | "-" | "--" | "." | "?" | "!")
        };
        for (si, s) in doc.iter().enumerate() {
            for (i, w) in s.iter().enumerate() {
                if !reliable(s, i, caps[si]) {
                    continue;
                }
                let t = &infos[si][i + 2];
                let e = ev.entry(t.lw).or_default();
                match t.cls {
                    features::C_LOWER => e.1 += 1,
                    features::C_INITCAP | features::C_ALLCAPS | features::C_MIXED => {
                        e.0 += 1;
                        *e.2.entry(w).or_default() += 1;
                    }
                    _ => {}
                }
            }
        }
        for (si, s) in doc.iter().enumerate() {
            for (i, w) in s.iter().enumerate() {
                let rel = reliable(s, i, caps[si]);
                let t = &mut infos[si][i + 2];
                if let Some(e) = ev.get(&t.lw) {
                    t.dc = (e.0 > 0) as u8 | (((e.1 > 0) as u8) << 1);
                    if rel {
                        t.tc = t.w;
                        t.tcs = t.sshape;
                    } else if let Some((form, _)) = e.2.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
                        let ft = known.get(*form).copied().unwrap_or_else(|| features::tok_info(form, clusters));
                        t.tc = ft.w;
                        t.tcs = ft.sshape;
                        if t.cl[0] == 0 {
                            t.cl = ft.cl;
                        }
                    }
                } else if rel {
                    t.tc = t.w;
                    t.tcs = t.sshape;
                }
                let _ = w;
            }
        }
    }
    let table = doc
        .iter()
        .map(|s| s.len() >= 3 && s.iter().filter(|w| w.bytes().any(|b| b.is_ascii_digit())).count() * 10 >= s.len() * 4)
        .collect();
    let topic = match doc.first() {
        Some(s) if use_doc && caps[0] && s.len() >= 2 && s[1] == "-" => infos[0][2].lw,
        _ => 0,
    };
    DocCtx { infos, caps, table, topic, norms }
}

/// Fills stage-2 evidence from first-pass tags of the whole document.
fn stage2_ctx(ctx: &mut DocCtx, tags: &[Vec<u8>]) {
    // Word-level label distribution.
    let mut wl: FastMap<u64, [u32; 5]> = FastMap::default();
    // Word -> bit set of non-O tags it received anywhere in the document.
    let mut wt: FastMap<u64, u32> = FastMap::default();
    // Entity sequences -> type counts.
    let mut seqs: FastMap<Vec<u64>, [u32; 4]> = FastMap::default();
    for (si, tg) in tags.iter().enumerate() {
        for (i, &t) in tg.iter().enumerate() {
            let info = &ctx.infos[si][i + 2];
            if info.cls == features::C_LOWER && t == 0 {
                continue;
            }
            if t != 0 {
                *wt.entry(ctx.norms[si][i]).or_default() |= 1 << t;
            }
            let k = tag_type(t).map(|x| x + 1).unwrap_or(0);
            wl.entry(ctx.norms[si][i]).or_default()[k] += 1;
        }
        for (s, e, ty) in spans_of(tg) {
            seqs.entry(ctx.norms[si][s..e].to_vec()).or_default()[ty] += 1;
        }
    }
    for v in ctx.infos.iter_mut() {
        for t in v.iter_mut() {
            t.lab = 0;
            t.lab2 = 0;
            t.tagset = 0;
        }
    }
    for (si, tg) in tags.iter().enumerate() {
        let n = tg.len();
        for i in 0..n {
            let info = &mut ctx.infos[si][i + 2];
            if let Some(c) = wl.get(&ctx.norms[si][i]) {
                let tot: u32 = c.iter().sum();
                let (best, bc) = c.iter().enumerate().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0))).unwrap();
                let frac = (bc * 4 / tot.max(1)).min(3);
                info.lab = features::mix(0x5a5a, (best as u64) << 8 | (frac as u64) << 4 | (tot.min(3)) as u64);
            }
            info.tagset = wt.get(&ctx.norms[si][i]).copied().unwrap_or(0);
        }
        // Longest matching entity sequence at each position.
        let mut i = 0;
        while i < n {
            let mut matched = false;
            for len in (1..=6.min(n - i)).rev() {
                if let Some(c) = seqs.get(&ctx.norms[si][i..i + len]) {
                    let (ty, _) = c.iter().enumerate().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0))).unwrap();
                    let b = bilou(len, &[(0, len, ty)]);
                    for j in 0..len {
                        ctx.infos[si][i + j + 2].lab2 = features::mix(0xa5a5, b[j] as u64 + 1);
                    }
                    i += len;
                    matched = true;
                    break;
                }
            }
            if !matched {
                i += 1;
            }
        }
    }
}

fn sentence_feats(
    ctx: &DocCtx,
    si: usize,
    use_doc: bool,
    use_gaz: bool,
    stage2: bool,
    feats: &mut Vec<u64>,
    offs: &mut Vec<usize>,
) {
    feats.clear();
    offs.clear();
    offs.push(0);
    let ti = &ctx.infos[si];
    let n = ti.len() - 4;
    for i in 0..n {
        features::token_features(ti, i, i == 0, ctx.caps[si], ctx.table[si], ctx.topic, use_doc, use_gaz, feats);
        if stage2 {
            features::stage2_features(ti, i, feats);
        }
        offs.push(feats.len());
    }
}

// ---------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------

/// A trained tagger: one or two linear layers (the second uses document-level
/// evidence from the first), word clusters and a confidence calibration.
pub struct NerModel {
    flags: u32,
    clusters: ClusterMap,
    weights: Weights,
    /// Hashed gazetteer lists, if used.
    gaz: Option<gazetteer::Gaz>,
    /// Entities of the training data (token sequences -> type bits), if used.
    tgaz: Option<gazetteer::SeqMap>,
    /// Confidence = sigmoid(a * margin + b).
    calib: (f32, f32),
}

impl NerModel {
    /// Tags one sentence on its own (no document context beyond the sentence).
    /// Returns (start token, end token exclusive, label, confidence) per entity.
    pub fn tag(&self, words: &[&str]) -> Vec<Span> {
        self.tag_document(&[words]).pop().unwrap_or_default()
    }

    /// Tags the sentences of one document together, so that document-level evidence
    /// (casing of a word elsewhere, labels given to the same words elsewhere) is used.
    /// Returns one list of spans per sentence.
    pub fn tag_document(&self, sentences: &[&[&str]]) -> Vec<Vec<Span>> {
        let (a, b) = self.calib;
        self.tag_document_raw(sentences)
            .into_iter()
            .map(|v| v.into_iter().map(|(s, e, ty, m)| (s, e, TYPES[ty], 1.0 / (1.0 + (-(a * m + b)).exp()))).collect())
            .collect()
    }

    /// Spans with type index and raw Viterbi margin.
    fn tag_document_raw(&self, sentences: &[&[&str]]) -> Vec<Vec<(usize, usize, usize, f32)>> {
        let use_doc = self.flags & FLAG_DOC != 0;
        let use_gaz = self.gaz.is_some();
        let wt = &self.weights;
        let mut ctx = doc_ctx(sentences, &self.clusters, self.tgaz.as_ref(), use_doc, self.gaz.as_ref());
        // Rows of the first-layer features, per sentence, looked up once.
        let mut base: Vec<(Vec<u32>, Vec<usize>)> = Vec::with_capacity(sentences.len());
        let mut feats = Vec::new();
        let mut offs = Vec::new();
        for si in 0..sentences.len() {
            sentence_feats(&ctx, si, use_doc, use_gaz, false, &mut feats, &mut offs);
            let mut rows = Vec::with_capacity(feats.len());
            let mut roffs = Vec::with_capacity(offs.len());
            roffs.push(0);
            for t in 0..offs.len() - 1 {
                wt.rows(&feats[offs[t]..offs[t + 1]], &mut rows);
                roffs.push(rows.len());
            }
            base.push((rows, roffs));
        }
        let mut em: Vec<[f32; NT]> = Vec::new();
        let mut alpha = Vec::new();
        let mut back = Vec::new();
        let mut extra_f = Vec::new();
        let mut extra_r = Vec::new();
        let mut tags: Vec<Vec<u8>> = Vec::with_capacity(sentences.len());
        let nl = wt.nl;
        let mut out = Vec::with_capacity(sentences.len());
        for li in 0..nl {
            let last = li + 1 == nl;
            if li >= 1 {
                stage2_ctx(&mut ctx, &tags);
            }
            tags.clear();
            let scale = wt.scales[li];
            for si in 0..sentences.len() {
                let (rows, roffs) = &base[si];
                em.clear();
                for t in 0..roffs.len() - 1 {
                    let mut acc = [0i32; NT];
                    wt.add(li, &rows[roffs[t]..roffs[t + 1]], &mut acc);
                    if li >= 1 {
                        extra_f.clear();
                        extra_r.clear();
                        features::stage2_features(&ctx.infos[si], t, &mut extra_f);
                        wt.rows(&extra_f, &mut extra_r);
                        wt.add(li, &extra_r, &mut acc);
                    }
                    let mut e = [0f32; NT];
                    for k in 0..NT {
                        e[k] = acc[k] as f32 * scale;
                    }
                    em.push(e);
                }
                let tr = &wt.trans[li];
                let tg = viterbi(&em, tr, &mut alpha, &mut back);
                if last {
                    let spans = spans_of(&tg);
                    let m = if spans.is_empty() { Vec::new() } else { margins(&em, tr, &alpha, &tg) };
                    out.push(
                        spans
                            .into_iter()
                            .map(|(s, e, ty)| (s, e, ty, m[s..e].iter().cloned().fold(f32::INFINITY, f32::min)))
                            .collect(),
                    );
                }
                tags.push(tg);
            }
        }
        out
    }

    /// Serialises the model (little-endian binary).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&self.flags.to_le_bytes());
        b.extend_from_slice(&self.calib.0.to_le_bytes());
        b.extend_from_slice(&self.calib.1.to_le_bytes());
        let mut cl: Vec<(&u64, &[u32; 3])> = self.clusters.iter().collect();
        cl.sort();
        b.extend_from_slice(&(cl.len() as u32).to_le_bytes());
        for (k, v) in cl {
            b.extend_from_slice(&k.to_le_bytes());
            for x in v {
                b.extend_from_slice(&(*x as u16).to_le_bytes());
            }
        }
        let mut tg: Vec<(&u64, &u8)> = self.tgaz.iter().flatten().collect();
        tg.sort();
        b.extend_from_slice(&(tg.len() as u32).to_le_bytes());
        for (k, v) in tg {
            b.extend_from_slice(&k.to_le_bytes());
            b.push(*v);
        }
        if let Some(g) = &self.gaz {
            let mut sq: Vec<(&u64, &u8)> = g.seqs.iter().collect();
            sq.sort();
            b.extend_from_slice(&(sq.len() as u32).to_le_bytes());
            for (k, v) in sq {
                b.extend_from_slice(&k.to_le_bytes());
                b.push(*v);
            }
            let mut cm: Vec<&u64> = g.common.iter().collect();
            cm.sort();
            b.extend_from_slice(&(cm.len() as u32).to_le_bytes());
            for k in cm {
                b.extend_from_slice(&k.to_le_bytes());
            }
        }
        let wt = &self.weights;
        b.extend_from_slice(&(wt.nl as u32).to_le_bytes());
        b.extend_from_slice(&(wt.keys.len() as u32).to_le_bytes());
        for l in 0..wt.nl {
            b.extend_from_slice(&wt.scales[l].to_le_bytes());
            for x in wt.trans[l].flat() {
                b.extend_from_slice(&x.to_le_bytes());
            }
        }
        for k in &wt.keys {
            b.extend_from_slice(&k.to_le_bytes());
        }
        for w in &wt.w {
            b.extend_from_slice(&w.to_le_bytes());
        }
        b
    }

    /// Reads a model written by [`NerModel::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader { b: bytes, p: 0 };
        if r.take(8)? != MAGIC {
            return Err("not a docsql NER model (bad magic)".into());
        }
        let flags = r.u32()?;
        let calib = (r.f32()?, r.f32()?);
        let ncl = r.u32()? as usize;
        let mut clusters = ClusterMap::with_capacity_and_hasher(ncl, Default::default());
        for _ in 0..ncl {
            let k = r.u64()?;
            let v = [r.u16()? as u32, r.u16()? as u32, r.u16()? as u32];
            clusters.insert(k, v);
        }
        let ntg = r.u32()? as usize;
        let mut tg = gazetteer::SeqMap::with_capacity_and_hasher(ntg, Default::default());
        for _ in 0..ntg {
            let k = r.u64()?;
            let v = r.take(1)?[0];
            tg.insert(k, v);
        }
        let tgaz = if flags & FLAG_TGAZ != 0 { Some(tg) } else { None };
        let gaz = if flags & FLAG_GAZ != 0 {
            let n = r.u32()? as usize;
            let mut seqs = gazetteer::SeqMap::with_capacity_and_hasher(n, Default::default());
            for _ in 0..n {
                let k = r.u64()?;
                seqs.insert(k, r.take(1)?[0]);
            }
            let n = r.u32()? as usize;
            let mut common = features::FastSet::with_capacity_and_hasher(n, Default::default());
            for _ in 0..n {
                common.insert(r.u64()?);
            }
            Some(gazetteer::Gaz { seqs, common })
        } else {
            None
        };
        let nl = r.u32()? as usize;
        let n = r.u32()? as usize;
        let mut scales = Vec::with_capacity(nl);
        let mut trans = Vec::with_capacity(nl);
        for _ in 0..nl {
            scales.push(r.f32()?);
            let mut tf = Vec::with_capacity(NT * (NT + 2));
            for _ in 0..NT * (NT + 2) {
                tf.push(r.f32()?);
            }
            trans.push(Trans::from_flat(&tf));
        }
        let kb = r.take(n * 8)?;
        let keys: Vec<u64> = kb.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect();
        let wb = r.take(n * nl * NT * 2)?;
        let w: Vec<i16> = wb.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect();
        let table = Table::build(&keys);
        let weights = Weights { nl, keys, w, scales, trans, table };
        if r.p != bytes.len() {
            return Err("trailing bytes in NER model".into());
        }
        Ok(NerModel { flags, clusters, weights, gaz, tgaz, calib })
    }

    /// Number of features kept (weight rows, shared by the layers).
    pub fn num_features(&self) -> usize {
        self.weights.keys.len()
    }
}

struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}
impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.p + n > self.b.len() {
            return Err("truncated NER model".into());
        }
        let s = &self.b[self.p..self.p + n];
        self.p += n;
        Ok(s)
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().unwrap()))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().unwrap()))
    }
    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().unwrap()))
    }
}

/// The model trained on CoNLL-2003 and embedded in the binary, loaded once.
pub fn embedded() -> &'static NerModel {
    static MODEL: OnceLock<NerModel> = OnceLock::new();
    MODEL.get_or_init(|| NerModel::from_bytes(include_bytes!("model.bin")).expect("embedded NER model is valid"))
}

// ---------------------------------------------------------------------------
// Recogniser
// ---------------------------------------------------------------------------

/// [`EntityRecognizer`] backed by a [`NerModel`] (the embedded one by default)
/// for PERSON/ORG/LOC/MISC, plus the date rules of [`super::dates`] for DATE.
///
/// Documents are tagged whole ([`EntityRecognizer::recognize_document`]) so that
/// document-level evidence is used; a lone sentence can be tagged too, less well.
/// Where a date and a tagged name overlap, the date wins: the rules are precise
/// and the model was never taught dates. Confidences are calibrated Viterbi
/// margins in 0..1.
pub struct NerRecognizer {
    model: &'static NerModel,
}

impl Default for NerRecognizer {
    fn default() -> Self {
        NerRecognizer { model: embedded() }
    }
}

impl NerRecognizer {
    /// A recogniser using `model`.
    pub fn new(model: &'static NerModel) -> Self {
        NerRecognizer { model }
    }
}

impl EntityRecognizer for NerRecognizer {
    fn recognize(&self, text: &str, sentence: Range<usize>, tokens: &[Token]) -> Vec<Mention> {
        let sentence = TokenizedSentence { span: sentence, tokens: tokens.to_vec() };
        self.recognize_document(text, std::slice::from_ref(&sentence)).pop().unwrap_or_default()
    }

    fn recognize_document(&self, text: &str, sentences: &[TokenizedSentence]) -> Vec<Vec<Mention>> {
        let words: Vec<Vec<&str>> = sentences.iter().map(|s| s.tokens.iter().map(|t| t.text(text)).collect()).collect();
        let refs: Vec<&[&str]> = words.iter().map(Vec::as_slice).collect();
        let tagged = self.model.tag_document(&refs);
        let mut per_sentence: Vec<Vec<Mention>> = sentences
            .iter()
            .zip(tagged)
            .map(|(sentence, spans)| {
                let dates = super::dates::find_dates(text, sentence.span.clone(), &sentence.tokens);
                let names = mentions(&sentence.tokens, spans);
                merge_dates(names, dates)
            })
            .collect();
        news_conventions(text, &mut per_sentence);
        per_sentence
    }
}

/// Courtesy titles that news prose puts before surnames ("Mr Blair"); CoNLL
/// leaves them out of the name, and so do we.
const COURTESY_TITLES: &[&str] = &["Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Mx", "Dr", "Dr."];

/// Corrections the tagger's training data (1996 Reuters) does not teach:
/// a courtesy title is not part of a PERSON mention, and a lone word that the
/// shipped lists know as an organisation or a MISC name ("Chelsea", "Oscar")
/// is not a person unless the same article names a person with that word in a
/// longer name ("Chelsea Clinton").
fn news_conventions(text: &str, per_sentence: &mut [Vec<Mention>]) {
    for mention in per_sentence.iter_mut().flatten() {
        if mention.label != EntityLabel::Person {
            continue;
        }
        let surface = &text[mention.start..mention.end];
        if let Some((first, rest)) = surface.split_once(' ')
            && COURTESY_TITLES.contains(&first)
            && !rest.trim().is_empty()
        {
            mention.start += surface.len() - rest.trim_start().len();
        }
    }
    let in_longer_names: std::collections::HashSet<&str> = per_sentence
        .iter()
        .flatten()
        .filter(|m| m.label == EntityLabel::Person)
        .map(|m| &text[m.start..m.end])
        .filter(|name| name.contains(' '))
        .flat_map(|name| name.split(' '))
        .collect();
    for mention in per_sentence.iter_mut().flatten() {
        let surface = &text[mention.start..mention.end];
        if mention.label == EntityLabel::Person
            && !surface.contains(' ')
            && !in_longer_names.contains(surface)
            && let Some(label) = super::entities::listed_label(surface)
        {
            mention.label = label;
        }
    }
}

/// Names and dates of one sentence in text order; a name overlapping a date is
/// dropped.
fn merge_dates(names: Vec<Mention>, dates: Vec<Mention>) -> Vec<Mention> {
    if dates.is_empty() {
        return names;
    }
    let mut out: Vec<Mention> =
        names.into_iter().filter(|n| !dates.iter().any(|d| n.start < d.end && d.start < n.end)).collect();
    out.extend(dates);
    out.sort_by_key(|m| m.start);
    out
}

fn mentions(tokens: &[Token], spans: Vec<Span>) -> Vec<Mention> {
    spans
        .into_iter()
        .map(|(s, e, label, conf)| Mention {
            start: tokens[s].start,
            end: tokens[e - 1].end,
            label,
            value: None,
            confidence: Some(conf),
        })
        .collect()
}

// ---------------------------------------------------------------------------
// CoNLL reading and evaluation
// ---------------------------------------------------------------------------

/// A CoNLL document: sentences of (word, NER tag) pairs; tags as in the file
/// (IOB1 or IOB2, e.g. `I-PER`, `B-LOC`, `O`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Sentences in order.
    pub sentences: Vec<Vec<(String, String)>>,
}

/// Parses CoNLL column text (`word ... tag` per line, blank lines between sentences,
/// `-DOCSTART-` lines between documents). The first column is the word and the last
/// the NER tag; IOB1 and IOB2 are both accepted.
pub fn read_conll(text: &str) -> Vec<Document> {
    let mut docs = Vec::new();
    let mut doc = Document::default();
    let mut sent: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            if !sent.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        if line.trim().is_empty() {
            if !sent.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            continue;
        }
        let mut cols = line.split_whitespace();
        let w = cols.next().unwrap_or("");
        let tag = cols.next_back().unwrap_or("O");
        sent.push((w.to_string(), tag.to_string()));
    }
    if !sent.is_empty() {
        doc.sentences.push(sent);
    }
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    docs
}

/// Chunks (start, end excl, type index) of IOB1/IOB2 tags, conlleval semantics.
fn iob_chunks<S: AsRef<str>>(tags: &[S]) -> Vec<(usize, usize, usize)> {
    let parse = |t: &str| -> (char, Option<usize>) {
        if t == "O" || t.len() < 3 {
            return ('O', None);
        }
        let ty = TYPE_NAMES.iter().position(|n| *n == &t[2..]);
        (t.as_bytes()[0] as char, ty)
    };
    let mut out = Vec::new();
    let mut cur: Option<(usize, usize)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (p, ty) = parse(t.as_ref());
        let ty = match ty {
            None => {
                if let Some((s, cty)) = cur.take() {
                    out.push((s, i, cty));
                }
                continue;
            }
            Some(ty) => ty,
        };
        let starts = matches!(p, 'B' | 'S' | 'U') || cur.map(|c| c.1) != Some(ty);
        if starts {
            if let Some((s, cty)) = cur.take() {
                out.push((s, i, cty));
            }
            cur = Some((i, ty));
        }
        if matches!(p, 'E' | 'L' | 'S' | 'U') {
            if let Some((s, cty)) = cur.take() {
                out.push((s, i + 1, cty));
            }
        }
    }
    if let Some((s, cty)) = cur {
        out.push((s, tags.len(), cty));
    }
    out
}

/// Precision / recall / F1 of one entity type (or overall).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypeScores {
    /// `PER`, `ORG`, `LOC`, `MISC` or `overall`.
    pub label: String,
    /// Gold entities.
    pub gold: usize,
    /// Predicted entities.
    pub predicted: usize,
    /// Predicted entities matching a gold one exactly (span and type).
    pub correct: usize,
    /// correct / predicted.
    pub precision: f64,
    /// correct / gold.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl TypeScores {
    fn finish(label: &str, gold: usize, predicted: usize, correct: usize) -> Self {
        let p = if predicted > 0 { correct as f64 / predicted as f64 } else { 0.0 };
        let r = if gold > 0 { correct as f64 / gold as f64 } else { 0.0 };
        let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        TypeScores { label: label.to_string(), gold, predicted, correct, precision: p, recall: r, f1 }
    }
}

/// Evaluation result (conlleval: exact span and type match of entity chunks).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// PER, ORG, LOC, MISC in that order.
    pub per_type: Vec<TypeScores>,
    /// All types together.
    pub overall: TypeScores,
    /// Tokens tagged.
    pub tokens: usize,
}

/// Counts (gold, predicted, correct) per type.
#[derive(Default, Clone, Copy)]
struct Counts([[usize; 3]; 4]);
impl Counts {
    fn add(&mut self, gold: &[(usize, usize, usize)], pred: &[(usize, usize, usize)]) {
        for g in gold {
            self.0[g.2][0] += 1;
        }
        for p in pred {
            self.0[p.2][1] += 1;
            if gold.contains(p) {
                self.0[p.2][2] += 1;
            }
        }
    }
    fn scores(&self, tokens: usize) -> Scores {
        let per_type: Vec<TypeScores> =
            (0..4).map(|t| TypeScores::finish(TYPE_NAMES[t], self.0[t][0], self.0[t][1], self.0[t][2])).collect();
        let s = |k: usize| self.0.iter().map(|c| c[k]).sum::<usize>();
        Scores { per_type, overall: TypeScores::finish("overall", s(0), s(1), s(2)), tokens }
    }
    fn f1(&self) -> f64 {
        self.scores(0).overall.f1
    }
}

impl Scores {
    /// The scores as a table `type, precision, recall, f1, gold, predicted`, one
    /// row per type and a last row `ALL` (fractions in 0..1).
    pub fn to_batch(&self) -> datafusion::arrow::record_batch::RecordBatch {
        use std::sync::Arc;

        use datafusion::arrow::array::{ArrayRef, Float64Array, StringArray, UInt64Array};
        use datafusion::arrow::datatypes::{DataType, Field, Schema};
        let rows: Vec<(&str, &TypeScores)> = self
            .per_type
            .iter()
            .map(|t| (t.label.as_str(), t))
            .chain(std::iter::once(("ALL", &self.overall)))
            .collect();
        let schema = Arc::new(Schema::new(vec![
            Field::new("type", DataType::Utf8, false),
            Field::new("precision", DataType::Float64, false),
            Field::new("recall", DataType::Float64, false),
            Field::new("f1", DataType::Float64, false),
            Field::new("gold", DataType::UInt64, false),
            Field::new("predicted", DataType::UInt64, false),
        ]));
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.0))),
            Arc::new(Float64Array::from_iter_values(rows.iter().map(|r| r.1.precision))),
            Arc::new(Float64Array::from_iter_values(rows.iter().map(|r| r.1.recall))),
            Arc::new(Float64Array::from_iter_values(rows.iter().map(|r| r.1.f1))),
            Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| r.1.gold as u64))),
            Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| r.1.predicted as u64))),
        ];
        datafusion::arrow::record_batch::RecordBatch::try_new(schema, columns).expect("columns match the schema")
    }
}

/// Tags every document of `conll_text` with `model` (document by document) and scores
/// the result against the file's tags.
pub fn evaluate(model: &NerModel, conll_text: &str) -> Scores {
    let docs = read_conll(conll_text);
    let mut c = Counts::default();
    let mut tokens = 0;
    for d in &docs {
        let words: Vec<Vec<&str>> = d.sentences.iter().map(|s| s.iter().map(|(w, _)| w.as_str()).collect()).collect();
        let refs: Vec<&[&str]> = words.iter().map(|v| v.as_slice()).collect();
        let pred = model.tag_document(&refs);
        for (s, p) in d.sentences.iter().zip(pred) {
            tokens += s.len();
            let tags: Vec<&str> = s.iter().map(|(_, t)| t.as_str()).collect();
            let gold = iob_chunks(&tags);
            let ps: Vec<(usize, usize, usize)> =
                p.iter().map(|&(a, b, l, _)| (a, b, TYPES.iter().position(|x| *x == l).unwrap())).collect();
            c.add(&gold, &ps);
        }
    }
    c.scores(tokens)
}

mod train;
pub use train::{TrainOptions, train, train_with};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::segment;

    #[test]
    fn conll_chunks_iob1_and_iob2() {
        // IOB1: B- only between adjacent same-type entities.
        assert_eq!(iob_chunks(&["I-PER", "I-PER", "B-PER", "O", "I-LOC"]), vec![(0, 2, 0), (2, 3, 0), (4, 5, 2)]);
        // IOB2.
        assert_eq!(iob_chunks(&["B-ORG", "I-ORG", "O", "B-MISC", "B-MISC"]), vec![(0, 2, 1), (3, 4, 3), (4, 5, 3)]);
        // A type change inside a run starts a new chunk.
        assert_eq!(iob_chunks(&["I-PER", "I-LOC"]), vec![(0, 1, 0), (1, 2, 2)]);
    }

    #[test]
    fn read_conll_documents() {
        let text = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter NNP I-NP I-PER\n\n-DOCSTART- -X- -X- O\n\nBonn NNP I-NP B-LOC\n";
        let docs = read_conll(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[0][0], ("EU".to_string(), "I-ORG".to_string()));
        assert_eq!(docs[1].sentences[0][0].1, "B-LOC");
    }

    #[test]
    fn sparse_transitions_are_exactly_the_allowed_ones() {
        for cur in 0..NT as u8 {
            let expected: Vec<u8> = (0..NT as u8).filter(|&p| allowed(Some(p), cur)).collect();
            assert_eq!(predecessors(cur as usize), expected.as_slice(), "predecessors of {cur}");
            let expected: Vec<u8> = (0..NT as u8).filter(|&n| allowed(Some(cur), n)).collect();
            assert_eq!(successors(cur as usize), expected.as_slice(), "successors of {cur}");
        }
        // The trained transitions keep forbidden pairs at NEG, which the sparse
        // decoder relies on.
        for tr in &embedded().weights.trans {
            for p in 0..NT {
                for c in 0..NT {
                    if !allowed(Some(p as u8), c as u8) {
                        assert!(tr.t[p][c] <= NEG / 2.0, "transition {p} -> {c} is {}", tr.t[p][c]);
                    }
                }
            }
        }
    }

    #[test]
    fn fast_viterbi_decodes_like_a_full_scan() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 2001) as f32 / 100.0 - 10.0
        };
        let (mut alpha, mut back) = (Vec::new(), Vec::new());
        for tr in &embedded().weights.trans {
            for n in [1, 2, 3, 7, 40] {
                for _ in 0..50 {
                    // Coarse values, so ties happen too.
                    let em: Vec<[f32; NT]> = (0..n).map(|_| std::array::from_fn(|_| next().round())).collect();
                    assert_eq!(viterbi(&em, tr, &mut alpha, &mut back), viterbi_dense(&em, tr));
                    assert_eq!(viterbi_any(&em, tr, &mut alpha, &mut back), viterbi_dense(&em, tr));
                }
            }
        }
    }

    #[test]
    fn bilou_roundtrip() {
        let chunks = vec![(0, 1, 0), (1, 4, 2), (5, 7, 3)];
        assert_eq!(spans_of(&bilou(8, &chunks)), chunks);
    }

    #[test]
    fn embedded_model_tags_and_roundtrips() {
        let m = embedded();
        let words = [
            "German",
            "Chancellor",
            "Helmut",
            "Kohl",
            "met",
            "officials",
            "of",
            "the",
            "European",
            "Union",
            "in",
            "Brussels",
            ".",
        ];
        let spans = m.tag(&words);
        assert!(spans.iter().any(|s| (s.0, s.1, s.2) == (2, 4, EntityLabel::Person)), "{spans:?}");
        assert!(spans.iter().any(|s| (s.0, s.1, s.2) == (11, 12, EntityLabel::Loc)), "{spans:?}");
        assert!(spans.iter().all(|s| (0.0..=1.0).contains(&s.3)));
        let again = NerModel::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(again.tag(&words), spans);
        assert!(NerModel::from_bytes(b"nonsense").is_err());
    }

    #[test]
    fn recognizer_uses_byte_offsets() {
        let text =
            "Talks in Geneva.\n\nUN envoy Linda Thomas-Greenfield met Iran's foreign minister in Geneva on Monday.";
        let r = NerRecognizer::default();
        let mut found = Vec::new();
        for p in segment::paragraphs(text) {
            for s in segment::sentences(text, p.span.clone()) {
                let toks = segment::tokenize(text, s.span.clone());
                for m in r.recognize(text, s.span.clone(), &toks) {
                    assert!(m.start >= s.span.start && m.end <= s.span.end);
                    found.push((&text[m.start..m.end], m.label));
                }
            }
        }
        assert!(found.contains(&("Geneva", EntityLabel::Loc)), "{found:?}");
        assert!(found.iter().any(|(t, l)| t.contains("Thomas-Greenfield") && *l == EntityLabel::Person), "{found:?}");
    }

    #[test]
    fn titles_leave_person_mentions_and_listed_names_are_not_people() {
        let text = "Mr Blair met Chelsea Clinton. Chelsea won. The Oscar went to Dr Hans Blix.";
        let person = |s: &str| {
            let start = text.find(s).unwrap();
            Mention { start, end: start + s.len(), label: EntityLabel::Person, value: None, confidence: None }
        };
        let oscar = person("Oscar");
        let mut mentions = vec![
            vec![person("Mr Blair"), person("Chelsea Clinton")],
            vec![person("Chelsea won")],
            vec![oscar, person("Dr Hans Blix")],
        ];
        // "Chelsea" alone, as the tagger might give it.
        mentions[1][0].end = mentions[1][0].start + "Chelsea".len();
        news_conventions(text, &mut mentions);
        let got: Vec<(&str, EntityLabel)> =
            mentions.iter().flatten().map(|m| (&text[m.start..m.end], m.label)).collect();
        assert_eq!(
            got,
            vec![
                ("Blair", EntityLabel::Person),
                ("Chelsea Clinton", EntityLabel::Person),
                // Named in a longer person name in this article: stays a person.
                ("Chelsea", EntityLabel::Person),
                ("Oscar", EntityLabel::Misc),
                ("Hans Blix", EntityLabel::Person),
            ]
        );
    }

    #[test]
    fn typographic_quotes_match_ascii() {
        let m = embedded();
        let a = m.tag(&["\u{201c}", "We", "will", "win", ",", "\u{201d}", "said", "Jacques", "Chirac", "."]);
        let b = m.tag(&["\"", "We", "will", "win", ",", "\"", "said", "Jacques", "Chirac", "."]);
        assert_eq!(a, b);
    }
}
