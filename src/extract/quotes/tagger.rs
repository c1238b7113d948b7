//! The attribution tagger: one label per token of a window of sentences
//! (content, source or cue, each begun or continued, or outside), from two
//! stacked averaged perceptrons over hashed features with Viterbi decoding, so
//! that spans come out whole; the second layer also reads the first's labels.
//!
//! The features are words and their neighbours, word shape, whether a token
//! stands inside quotation marks, and where the nearest cue-like word is
//! (a word the training data often marks as a cue: "said", "according",
//! "argued"): content sits after "said" or before ", he said", sources next to
//! the cue.

// Index loops over the labels and a window's tokens read more clearly here.
#![allow(clippy::needless_range_loop)]

use crate::extract::ner::hash::{FastSet, fin, hash_bytes, hs, mix, norm};
use crate::extract::segment::Token;

/// Outside any span.
pub(crate) const O: u8 = 0;
/// First token of a content span.
pub(crate) const B_CONTENT: u8 = 1;
/// A later token of a content span.
pub(crate) const I_CONTENT: u8 = 2;
/// First token of a source span.
pub(crate) const B_SOURCE: u8 = 3;
/// A later token of a source span.
pub(crate) const I_SOURCE: u8 = 4;
/// First token of a cue span.
pub(crate) const B_CUE: u8 = 5;
/// A later token of a cue span.
pub(crate) const I_CUE: u8 = 6;
/// Number of labels.
pub(crate) const NL: usize = 7;

/// Whether label `to` may follow label `from` (an inside label only continues
/// its own span).
pub(crate) fn allowed(from: Option<u8>, to: u8) -> bool {
    match to {
        I_CONTENT => matches!(from, Some(B_CONTENT | I_CONTENT)),
        I_SOURCE => matches!(from, Some(B_SOURCE | I_SOURCE)),
        I_CUE => matches!(from, Some(B_CUE | I_CUE)),
        _ => true,
    }
}

/// Where a quotation mark token stands.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// Not a quotation mark.
    None,
    /// Opens a quotation.
    Open,
    /// Closes a quotation.
    Close,
}

/// A paragraph made ready for tagging: its tokens and what the features read.
pub(crate) struct ParagraphView {
    /// The tokens, offsets into the text.
    pub(crate) tokens: Vec<Token>,
    /// Hash of each token's normalised lowercase form.
    words: Vec<u64>,
    /// Hash of each token's shape and suffix.
    shapes: Vec<u64>,
    suffixes: Vec<u64>,
    /// Inside quotation marks (marks themselves: the side they face).
    pub(crate) in_quote: Vec<bool>,
    /// Quotation mark role of each token.
    pub(crate) marks: Vec<Mark>,
    /// Sentence number of each token within the paragraph.
    pub(crate) sentence: Vec<u32>,
    /// Whether each token's word is cue-like (in the model's cue lexicon).
    cue_like: Vec<bool>,
    /// Whether each token is a comma.
    comma: Vec<bool>,
}

fn is_open_mark(c: char) -> bool {
    matches!(c, '“' | '«' | '„')
}

fn is_close_mark(c: char) -> bool {
    matches!(c, '”' | '»')
}

fn shape(w: &str) -> String {
    let mut out = String::new();
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else {
            c
        };
        if !out.ends_with(k) {
            out.push(k);
        }
    }
    out
}

/// Hashes of a token's normalised lowercase form, its shape and its last
/// three letters (reversed). ASCII words, nearly all, take a path without
/// allocation; the hashes are those of the general path.
fn word_hashes(w: &str) -> (u64, u64, u64) {
    const MAX: usize = 48;
    let bytes = w.as_bytes();
    if !w.is_ascii() || bytes.len() > MAX {
        let lower = norm(w);
        let suffix: String = lower.chars().rev().take(3).collect();
        return (hs(2, &lower), hs(3, &shape(w)), hs(4, &suffix));
    }
    let mut lower = [0u8; MAX];
    let mut shape = [0u8; MAX];
    let mut shape_len = 0;
    for (i, &c) in bytes.iter().enumerate() {
        lower[i] = if c.is_ascii_digit() { b'0' } else { c.to_ascii_lowercase() };
        let k = match c {
            b'A'..=b'Z' => b'X',
            b'a'..=b'z' => b'x',
            b'0'..=b'9' => b'd',
            _ => c,
        };
        if shape_len == 0 || shape[shape_len - 1] != k {
            shape[shape_len] = k;
            shape_len += 1;
        }
    }
    let n = bytes.len();
    let mut suffix = [0u8; 3];
    let suffix_len = n.min(3);
    for (j, slot) in suffix.iter_mut().enumerate().take(suffix_len) {
        *slot = lower[n - 1 - j];
    }
    let h = |bytes: &[u8], salt| mix(hash_bytes(bytes), salt);
    (h(&lower[..n], 2), h(&shape[..shape_len], 3), h(&suffix[..suffix_len], 4))
}

impl ParagraphView {
    /// Reads what the features need from `tokens` (with the sentence number
    /// of each).
    pub(crate) fn new(text: &str, tokens: Vec<Token>, sentence: Vec<u32>, cue_words: &FastSet<u64>) -> Self {
        let n = tokens.len();
        let mut words = Vec::with_capacity(n);
        let mut shapes = Vec::with_capacity(n);
        let mut suffixes = Vec::with_capacity(n);
        let mut marks = Vec::with_capacity(n);
        let mut in_quote = Vec::with_capacity(n);
        let mut cue_like = Vec::with_capacity(n);
        let mut comma = Vec::with_capacity(n);
        let mut inside = false;
        let mut single = false; // the open quotation began with a single mark
        for (i, t) in tokens.iter().enumerate() {
            let w = t.text(text);
            let (word, shape, suffix) = word_hashes(w);
            words.push(word);
            cue_like.push(cue_words.contains(&word));
            shapes.push(shape);
            suffixes.push(suffix);
            comma.push(w == ",");
            let c = w.chars().next().unwrap_or(' ');
            // '' (two apostrophes, as some papers print a quotation mark): the
            // first decides, the second repeats it
            let glued = |a: usize, b: usize| b < tokens.len() && tokens[a].end == tokens[b].start;
            let apostrophe = |k: usize| tokens.get(k).is_some_and(|t| t.text(text) == "'");
            let pair_second = w == "'" && i > 0 && apostrophe(i - 1) && glued(i - 1, i);
            let pair_first = w == "'" && !pair_second && apostrophe(i + 1) && glued(i, i + 1);
            if pair_second {
                let mark = marks[i - 1];
                in_quote.push(true);
                marks.push(mark);
                continue;
            }
            let mark = if w.chars().count() != 1 {
                Mark::None
            } else if c == '‘' && !inside {
                // single marks quote at the top level only; inside double
                // marks they are a quote within the quote
                single = true;
                Mark::Open
            } else if c == '’' && inside && single {
                single = false;
                Mark::Close
            } else if is_open_mark(c) && !(inside && single) {
                Mark::Open
            } else if is_close_mark(c) && !(inside && single) {
                Mark::Close
            } else if (c == '"' || pair_first) && !(inside && single) {
                // a straight mark opens when the next token hugs it ("He said "Go"")
                let last = if pair_first { i + 1 } else { i };
                let next_glued = glued(last, last + 1);
                let prev_glued = i > 0 && glued(i - 1, i);
                if inside && (prev_glued || !next_glued) { Mark::Close } else { Mark::Open }
            } else {
                Mark::None
            };
            match mark {
                Mark::Open => {
                    inside = true;
                    in_quote.push(true);
                }
                Mark::Close => {
                    in_quote.push(true);
                    inside = false;
                }
                Mark::None => in_quote.push(inside),
            }
            marks.push(mark);
        }
        Self { tokens, words, shapes, suffixes, in_quote, marks, sentence, cue_like, comma }
    }

    /// Number of tokens.
    pub(crate) fn len(&self) -> usize {
        self.tokens.len()
    }

    /// The feature hashes of every token: token `i`'s are `out[offs[i]..offs[i + 1]]`.
    pub(crate) fn features(&self, feats: &mut Vec<u64>, offs: &mut Vec<usize>) {
        feats.clear();
        offs.clear();
        let n = self.len();
        // nearest cue-like word to the left / right within the sentence
        let mut left = vec![None; n];
        let mut last: Option<usize> = None;
        for i in 0..n {
            if i > 0 && self.sentence[i] != self.sentence[i - 1] {
                last = None;
            }
            left[i] = last;
            if self.cue_like[i] {
                last = Some(i);
            }
        }
        let mut right = vec![None; n];
        let mut next: Option<usize> = None;
        for i in (0..n).rev() {
            if i + 1 < n && self.sentence[i] != self.sentence[i + 1] {
                next = None;
            }
            right[i] = next;
            if self.cue_like[i] {
                next = Some(i);
            }
        }
        let word = |i: isize| -> u64 {
            if i < 0 {
                11
            } else if i as usize >= n {
                13
            } else {
                self.words[i as usize]
            }
        };
        for i in 0..n {
            offs.push(feats.len());
            let ii = i as isize;
            let w = self.words[i];
            feats.push(f(1, 0));
            feats.push(f(2, w));
            feats.push(f(3, word(ii - 1)));
            feats.push(f(4, word(ii + 1)));
            feats.push(f(5, word(ii - 2)));
            feats.push(f(6, word(ii + 2)));
            feats.push(f(7, mix(word(ii - 1), w)));
            feats.push(f(8, mix(w, word(ii + 1))));
            feats.push(f(9, self.shapes[i]));
            feats.push(f(10, self.suffixes[i]));
            let sent_start = i == 0 || self.sentence[i] != self.sentence[i - 1];
            let sent_end = i + 1 == n || self.sentence[i] != self.sentence[i + 1];
            let q = self.in_quote[i] as u64;
            let mark = self.marks[i] as u64;
            feats.push(f(11, q * 4 + mark));
            feats.push(f(12, (sent_start as u64) * 2 + sent_end as u64));
            feats.push(f(13, mix(q * 4 + mark, w)));
            feats.push(f(14, mix(q, self.shapes[i])));
            let (lb, lw) = left[i].map_or((0, 0), |j| (bucket(i - j), self.words[j]));
            let (rb, rw) = right[i].map_or((0, 0), |j| (bucket(j - i), self.words[j]));
            let comma_right = right[i].is_some_and(|j| self.comma[i..j].iter().any(|&c| c));
            let comma_left = left[i].is_some_and(|j| self.comma[j + 1..=i].iter().any(|&c| c));
            feats.push(f(15, lb));
            feats.push(f(16, rb));
            feats.push(f(17, mix(lb, lw)));
            feats.push(f(18, mix(rb, rw)));
            feats.push(f(19, lb * 8 + rb));
            feats.push(f(20, (comma_left as u64) * 2 + comma_right as u64));
            feats.push(f(21, mix(lb * 8 + rb, q)));
            feats.push(f(22, mix((comma_right as u64) * 8 + rb, q)));
            feats.push(f(23, mix(lw, q)));
            feats.push(f(24, mix(rw, mix(q, comma_right as u64))));
            feats.push(f(25, self.cue_like[i] as u64));
            feats.push(f(26, mix(self.cue_like[i] as u64, word(ii - 1))));
            feats.push(f(27, mix(self.cue_like[i] as u64, word(ii + 1))));
            {
                let shape = |k: isize| if k < 0 || k as usize >= n { 17 } else { self.shapes[k as usize] };
                let quoted = |k: isize| if k < 0 || k as usize >= n { 2 } else { self.in_quote[k as usize] as u64 };
                feats.push(f(28, word(ii - 3)));
                feats.push(f(29, word(ii + 3)));
                feats.push(f(30, mix(shape(ii - 1), self.shapes[i])));
                feats.push(f(31, mix(self.shapes[i], shape(ii + 1))));
                feats.push(f(32, quoted(ii - 1) * 9 + q * 3 + quoted(ii + 1)));
                feats.push(f(33, mix(lb * 8 + rb, mix(w, 5))));
            }
        }
        offs.push(feats.len());
    }

    /// The second layer's own features: which labels the first layer put
    /// around each token (`previous`), and where its nearest cue and source are.
    pub(crate) fn stacked_features(&self, prev: &[u8], feats: &mut Vec<u64>, offs: &mut Vec<usize>) {
        feats.clear();
        offs.clear();
        let n = self.len();
        let label = |k: isize| if k < 0 || k as usize >= n { 9u64 } else { prev[k as usize] as u64 };
        for i in 0..n {
            offs.push(feats.len());
            let ii = i as isize;
            let w = self.words[i];
            let q = self.in_quote[i] as u64;
            let here = label(ii);
            feats.push(f(40, here));
            feats.push(f(41, label(ii - 1) * 16 + here));
            feats.push(f(42, here * 16 + label(ii + 1)));
            feats.push(f(43, label(ii - 2) * 16 + label(ii - 1)));
            feats.push(f(44, label(ii + 1) * 16 + label(ii + 2)));
            feats.push(f(45, mix(here, w)));
            // the nearest cue and source labels either side, in the sentence
            let nearest = |wanted: u8, step: isize| -> u64 {
                let mut k = ii + step;
                let mut d = 1;
                while k >= 0 && (k as usize) < n && self.sentence[k as usize] == self.sentence[i] {
                    if prev[k as usize] == wanted {
                        return bucket(d);
                    }
                    k += step;
                    d += 1;
                }
                0
            };
            let (cue_l, cue_r) = (nearest(B_CUE, -1), nearest(B_CUE, 1));
            let (src_l, src_r) = (nearest(B_SOURCE, -1), nearest(B_SOURCE, 1));
            feats.push(f(46, cue_l * 8 + cue_r));
            feats.push(f(47, src_l * 8 + src_r));
            feats.push(f(48, mix(here, cue_l * 8 + cue_r)));
            feats.push(f(49, mix(q, (cue_l * 8 + cue_r) * 8 + src_l)));
        }
        offs.push(feats.len());
    }
}

/// The hash of feature template `template` with value `value`.
fn f(template: u64, value: u64) -> u64 {
    mix(mix(template, value), 0x9e37_79b9)
}

/// A token distance in coarse steps: 1, 2, 3-4, 5-8, 9-16, more.
fn bucket(distance: usize) -> u64 {
    match distance {
        1 => 1,
        2 => 2,
        3..=4 => 3,
        5..=8 => 4,
        9..=16 => 5,
        _ => 6,
    }
}

/// Best label sequence under emission scores `em` and transitions `trans`
/// (`trans[from][to]`, `start[to]`), respecting [`allowed`].
pub(crate) fn viterbi(em: &[[f32; NL]], trans: &[[f32; NL]; NL], start: &[f32; NL]) -> Vec<u8> {
    const NEG: f32 = -1e30;
    let n = em.len();
    if n == 0 {
        return Vec::new();
    }
    let mut score = vec![[NEG; NL]; n];
    let mut back = vec![[0u8; NL]; n];
    for to in 0..NL {
        if allowed(None, to as u8) {
            score[0][to] = start[to] + em[0][to];
        }
    }
    for i in 1..n {
        for to in 0..NL {
            let mut best = NEG;
            let mut arg = 0u8;
            for from in 0..NL {
                if score[i - 1][from] <= NEG || !allowed(Some(from as u8), to as u8) {
                    continue;
                }
                let s = score[i - 1][from] + trans[from][to];
                if s > best {
                    best = s;
                    arg = from as u8;
                }
            }
            if best > NEG {
                score[i][to] = best + em[i][to];
                back[i][to] = arg;
            }
        }
    }
    let mut label = (0..NL).max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b])).unwrap_or(0) as u8;
    let mut out = vec![0u8; n];
    for i in (0..n).rev() {
        out[i] = label;
        label = back[i][label as usize];
    }
    out
}

/// Layers of the tagger: the first reads the text's features, the second
/// those too and the first one's labels around each token.
pub(crate) const LAYERS: usize = 2;

/// Weights per feature: one per label per layer.
pub(crate) const W: usize = NL * LAYERS;

/// The trained tagger: a first layer over the text's features and, stacked
/// on it, a second that also reads the first one's labels (where the cues and
/// sources are), which mends spans the first one broke. Both layers' weights
/// of a feature sit in one slot, so one lookup serves both.
pub(crate) struct QuoteModel {
    /// Feature hash -> its weights, first layer's labels then second's.
    pub(crate) weights: WeightTable,
    /// Transition scores of each layer.
    pub(crate) trans: [[[f32; NL]; NL]; LAYERS],
    /// Scores of a window's first label, per layer.
    pub(crate) start: [[f32; NL]; LAYERS],
    /// Hashes of the cue-like words.
    pub(crate) cue_words: FastSet<u64>,
    /// Hashes of the words that make a sentence worth tagging (strong cues).
    pub(crate) trigger_words: FastSet<u64>,
}

impl QuoteModel {
    /// Labels of the window's tokens.
    pub(crate) fn tag(&self, view: &ParagraphView) -> Vec<u8> {
        let n = view.len();
        let mut feats = Vec::new();
        let mut offs = Vec::new();
        view.features(&mut feats, &mut offs);
        let mut first = vec![[0f32; NL]; n];
        let mut second = vec![[0f32; NL]; n];
        std::hint::black_box(self.weights.touch(&feats));
        for i in 0..n {
            for h in &feats[offs[i]..offs[i + 1]] {
                if let Some(w) = self.weights.get(*h) {
                    for l in 0..NL {
                        first[i][l] += w[l];
                        second[i][l] += w[NL + l];
                    }
                }
            }
        }
        let labels = viterbi(&first, &self.trans[0], &self.start[0]);
        view.stacked_features(&labels, &mut feats, &mut offs);
        for (i, e) in second.iter_mut().enumerate() {
            for h in &feats[offs[i]..offs[i + 1]] {
                if let Some(w) = self.weights.get(*h) {
                    for l in 0..NL {
                        e[l] += w[NL + l];
                    }
                }
            }
        }
        viterbi(&second, &self.trans[1], &self.start[1])
    }

    /// The model as bytes (little endian): magic, cue and trigger words, each
    /// layer's transitions, then the weight rows (half precision).
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = b"DQT2".to_vec();
        for set in [&self.cue_words, &self.trigger_words] {
            let mut words: Vec<u64> = set.iter().copied().collect();
            words.sort_unstable();
            out.extend_from_slice(&(words.len() as u32).to_le_bytes());
            for h in words {
                out.extend_from_slice(&h.to_le_bytes());
            }
        }
        for layer in 0..LAYERS {
            for row in self.trans[layer].iter().chain(std::iter::once(&self.start[layer])) {
                for x in row {
                    out.extend_from_slice(&x.to_le_bytes());
                }
            }
        }
        let mut rows: Vec<(u64, [f32; W])> = self.weights.iter().collect();
        rows.sort_unstable_by_key(|(k, _)| *k);
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for (k, w) in rows {
            out.extend_from_slice(&k.to_le_bytes());
            for x in &w {
                // half precision is plenty for perceptron weights and halves the binary
                out.extend_from_slice(&f32_to_f16(*x).to_le_bytes());
            }
        }
        out
    }

    /// Reads [`Self::to_bytes`]'s format.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let mut at = 4usize;
        if bytes.get(..4)? != b"DQT2" {
            return None;
        }
        let mut take = |n: usize| -> Option<&[u8]> {
            let s = bytes.get(at..at + n)?;
            at += n;
            Some(s)
        };
        let u32_at = |s: &[u8]| u32::from_le_bytes(s.try_into().unwrap_or([0; 4]));
        let mut sets = [FastSet::default(), FastSet::default()];
        for set in &mut sets {
            let count = u32_at(take(4)?) as usize;
            for _ in 0..count {
                set.insert(u64::from_le_bytes(take(8)?.try_into().ok()?));
            }
        }
        let [cue_words, trigger_words] = sets;
        let mut trans = [[[0f32; NL]; NL]; LAYERS];
        let mut start = [[0f32; NL]; LAYERS];
        for layer in 0..LAYERS {
            for row in trans[layer].iter_mut().chain(std::iter::once(&mut start[layer])) {
                for x in row.iter_mut() {
                    *x = f32::from_le_bytes(take(4)?.try_into().ok()?);
                }
            }
        }
        let count = u32_at(take(4)?) as usize;
        let mut weights = WeightTable::with_capacity(count.min(bytes.len() / (8 + 2 * W)));
        for _ in 0..count {
            let key = u64::from_le_bytes(take(8)?.try_into().ok()?);
            let mut w = [0f32; W];
            for x in &mut w {
                *x = f16_to_f32(u16::from_le_bytes(take(2)?.try_into().ok()?));
            }
            weights.insert(key, w);
        }
        Some(Self { weights, trans, start, cue_words, trigger_words })
    }
}

/// Feature weights in one open-addressed table, each key beside its weights so
/// a lookup touches one cache line (tagging is bound by these lookups).
pub(crate) struct WeightTable {
    slots: Vec<Slot>,
    mask: usize,
    len: usize,
}

#[derive(Clone, Copy)]
struct Slot {
    /// 0 = empty (a feature hash of 0 is stored as 1).
    key: u64,
    weights: [f32; W],
}

impl WeightTable {
    /// An empty table for about `n` features.
    pub(crate) fn with_capacity(n: usize) -> Self {
        let size = (n * 3 / 2 + 16).next_power_of_two();
        Self { slots: vec![Slot { key: 0, weights: [0.0; W] }; size], mask: size - 1, len: 0 }
    }

    fn slot_of(&self, key: u64) -> usize {
        let key = key.max(1);
        let mut i = (fin(key) as usize) & self.mask;
        while self.slots[i].key != 0 && self.slots[i].key != key {
            i = (i + 1) & self.mask;
        }
        i
    }

    /// Sets the weights of feature `key`.
    pub(crate) fn insert(&mut self, key: u64, weights: [f32; W]) {
        if (self.len + 1) * 3 > self.slots.len() * 2 {
            let mut bigger = Self::with_capacity(self.slots.len());
            for (k, w) in self.iter() {
                bigger.insert(k, w);
            }
            *self = bigger;
        }
        let i = self.slot_of(key);
        if self.slots[i].key == 0 {
            self.len += 1;
        }
        self.slots[i] = Slot { key: key.max(1), weights };
    }

    /// Reads the home slot of every key once, with no branch between the
    /// reads, so the processor fetches their cache lines in parallel before
    /// [`Self::get`] walks them one by one.
    pub(crate) fn touch(&self, keys: &[u64]) -> u64 {
        keys.iter().fold(0u64, |acc, &k| acc ^ self.slots[(fin(k.max(1)) as usize) & self.mask].key)
    }

    /// The weights of feature `key`.
    #[inline]
    pub(crate) fn get(&self, key: u64) -> Option<&[f32; W]> {
        let slot = &self.slots[self.slot_of(key)];
        (slot.key != 0).then_some(&slot.weights)
    }

    /// Number of features.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Every (feature, weights).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u64, [f32; W])> + '_ {
        self.slots.iter().filter(|s| s.key != 0).map(|s| (s.key, s.weights))
    }
}

/// Hash of a word as the cue lexicon keys it.
pub(crate) fn cue_word_hash(word: &str) -> u64 {
    hs(2, &norm(word))
}

/// f32 -> IEEE half (round to nearest, no subnormals: weights that small are noise).
fn f32_to_f16(x: f32) -> u16 {
    let bits = x.to_bits();
    let sign = ((bits >> 16) & 0x8000) as u16;
    let exp = ((bits >> 23) & 0xff) as i32 - 127 + 15;
    let mant = bits & 0x7f_ffff;
    if exp <= 0 {
        sign
    } else if exp >= 31 {
        sign | 0x7bff
    } else {
        let rounded = (((exp as u32) << 10) | (mant >> 13)) + ((mant >> 12) & 1);
        sign | rounded.min(0x7bff) as u16
    }
}

fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h & 0x8000) as u32) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let mant = (h & 0x3ff) as u32;
    if exp == 0 {
        return f32::from_bits(sign);
    }
    f32::from_bits(sign | ((exp + 127 - 15) << 23) | (mant << 13))
}
