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
use std::sync::atomic::{AtomicU64, Ordering};

use super::emission::{Dense, Sums, add_stacked_sums, text_sums};

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
    pub(super) words: Vec<u64>,
    /// Hash of each token's shape and suffix.
    pub(super) shapes: Vec<u64>,
    pub(super) suffixes: Vec<u64>,
    /// Inside quotation marks (marks themselves: the side they face).
    pub(crate) in_quote: Vec<bool>,
    /// Quotation mark role of each token.
    pub(crate) marks: Vec<Mark>,
    /// Sentence number of each token within the paragraph.
    pub(crate) sentence: Vec<u32>,
    /// Whether each token's word is cue-like (in the model's cue lexicon).
    pub(super) cue_like: Vec<bool>,
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
        let context = self.cue_context();
        let word = |i: isize| -> u64 {
            if i < 0 {
                BEFORE_WINDOW
            } else if i as usize >= n {
                AFTER_WINDOW
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
            let CueContext { lb, lw, rb, rw, comma_left, comma_right } = context[i];
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
                let shape = |k: isize| if k < 0 || k as usize >= n { NO_SHAPE } else { self.shapes[k as usize] };
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
        // the nearest cue and source labels either side, in the sentence
        let cues = self.nearest_label(prev, B_CUE);
        let sources = self.nearest_label(prev, B_SOURCE);
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
            let (cue_l, cue_r) = (cues.0[i], cues.1[i]);
            let (src_l, src_r) = (sources.0[i], sources.1[i]);
            feats.push(f(46, cue_l * 8 + cue_r));
            feats.push(f(47, src_l * 8 + src_r));
            feats.push(f(48, mix(here, cue_l * 8 + cue_r)));
            feats.push(f(49, mix(q, (cue_l * 8 + cue_r) * 8 + src_l)));
        }
        offs.push(feats.len());
    }
}

impl ParagraphView {
    /// Where each token stands to the nearest cue-like word of its sentence
    /// either side.
    pub(super) fn cue_context(&self) -> Vec<CueContext> {
        let n = self.len();
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
        // commas_before[k]: commas among the first k tokens
        let mut commas_before = Vec::with_capacity(n + 1);
        commas_before.push(0u32);
        for &c in &self.comma {
            commas_before.push(commas_before.last().unwrap_or(&0) + c as u32);
        }
        (0..n)
            .map(|i| {
                let (lb, lw) = left[i].map_or((0, 0), |j| (bucket(i - j), self.words[j]));
                let (rb, rw) = right[i].map_or((0, 0), |j| (bucket(j - i), self.words[j]));
                CueContext {
                    lb,
                    lw,
                    rb,
                    rw,
                    comma_left: left[i].is_some_and(|j| commas_before[i + 1] > commas_before[j + 1]),
                    comma_right: right[i].is_some_and(|j| commas_before[j] > commas_before[i]),
                }
            })
            .collect()
    }

    /// For each token, the [`bucket`] of the distance to the nearest other
    /// token labelled `wanted` in its sentence, to the left and to the right
    /// (0: none).
    pub(super) fn nearest_label(&self, labels: &[u8], wanted: u8) -> (Vec<u64>, Vec<u64>) {
        let n = self.len();
        let (mut left, mut right) = (vec![0; n], vec![0; n]);
        let mut last: Option<usize> = None;
        for i in 0..n {
            if i > 0 && self.sentence[i] != self.sentence[i - 1] {
                last = None;
            }
            left[i] = last.map_or(0, |j| bucket(i - j));
            if labels[i] == wanted {
                last = Some(i);
            }
        }
        let mut next: Option<usize> = None;
        for i in (0..n).rev() {
            if i + 1 < n && self.sentence[i] != self.sentence[i + 1] {
                next = None;
            }
            right[i] = next.map_or(0, |j| bucket(j - i));
            if labels[i] == wanted {
                next = Some(i);
            }
        }
        (left, right)
    }
}

/// Where a token stands to the nearest cue-like words of its sentence.
#[derive(Clone, Copy)]
pub(super) struct CueContext {
    /// [`bucket`] of the distance to the nearest on the left (0: none), and its word.
    pub(super) lb: u64,
    pub(super) lw: u64,
    /// The same on the right.
    pub(super) rb: u64,
    pub(super) rw: u64,
    /// Whether a comma stands between the token and that cue word.
    pub(super) comma_left: bool,
    pub(super) comma_right: bool,
}

/// The word hash features read before a window's first token.
pub(super) const BEFORE_WINDOW: u64 = 11;
/// The word hash features read after a window's last token.
pub(super) const AFTER_WINDOW: u64 = 13;
/// The shape hash features read outside a window.
pub(super) const NO_SHAPE: u64 = 17;

/// The hash of feature template `template` with value `value`.
pub(super) fn f(template: u64, value: u64) -> u64 {
    mix(mix(template, value), 0x9e37_79b9)
}

/// A token distance in coarse steps: 1, 2, 3-4, 5-8, 9-16, more.
pub(super) fn bucket(distance: usize) -> u64 {
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
    // a forbidden step scores so low that no path through it ever wins
    const NEG: f32 = -1e30;
    let n = em.len();
    if n == 0 {
        return Vec::new();
    }
    let mut step = *trans;
    for (from, row) in step.iter_mut().enumerate() {
        for (to, x) in row.iter_mut().enumerate() {
            if !allowed(Some(from as u8), to as u8) {
                *x = NEG;
            }
        }
    }
    let mut score: [f32; NL] =
        std::array::from_fn(|to| if allowed(None, to as u8) { start[to] + em[0][to] } else { NEG });
    let mut back = vec![[0u8; NL]; n];
    for i in 1..n {
        let mut next = [0f32; NL];
        for to in 0..NL {
            let mut best = score[0] + step[0][to];
            let mut arg = 0u8;
            for from in 1..NL {
                let s = score[from] + step[from][to];
                if s > best {
                    best = s;
                    arg = from as u8;
                }
            }
            next[to] = best + em[i][to];
            back[i][to] = arg;
        }
        score = next;
    }
    let mut label = (0..NL).max_by(|&a, &b| score[a].total_cmp(&score[b])).unwrap_or(0) as u8;
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
    pub(crate) weights: PackedWeights,
    /// The small-valued templates' weights, read from `weights`.
    pub(super) dense: Dense,
    /// Tells models apart for the per-thread word memo.
    pub(super) id: u64,
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
        let mut sums = text_sums(self.id, &self.weights, &self.dense, view);
        let labels = viterbi(&self.scores(&sums, 0), &self.trans[0], &self.start[0]);
        add_stacked_sums(&self.weights, &self.dense, view, &labels, &mut sums);
        viterbi(&self.scores(&sums, 1), &self.trans[1], &self.start[1])
    }

    /// Layer `layer`'s emission scores from the integer sums.
    fn scores(&self, sums: &[Sums], layer: usize) -> Vec<[f32; NL]> {
        let scale = self.weights.scale;
        sums.iter().map(|s| std::array::from_fn(|l| s[layer * NL + l] as f32 * scale)).collect()
    }

    /// A model of `weights` and the rest.
    pub(crate) fn new(
        weights: PackedWeights,
        trans: [[[f32; NL]; NL]; LAYERS],
        start: [[f32; NL]; LAYERS],
        cue_words: FastSet<u64>,
        trigger_words: FastSet<u64>,
    ) -> Self {
        static MODELS: AtomicU64 = AtomicU64::new(1);
        let dense = Dense::new(&weights);
        Self { weights, dense, id: MODELS.fetch_add(1, Ordering::Relaxed), trans, start, cue_words, trigger_words }
    }

    /// Reads [`model_bytes`]'s format.
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
        let mut rows = Vec::with_capacity(count.min(bytes.len() / (8 + 2 * W)));
        for _ in 0..count {
            let key = u64::from_le_bytes(take(8)?.try_into().ok()?);
            let mut w = [0f32; W];
            for x in &mut w {
                *x = f16_to_f32(u16::from_le_bytes(take(2)?.try_into().ok()?));
            }
            rows.push((key, w));
        }
        Some(Self::new(PackedWeights::new(&rows), trans, start, cue_words, trigger_words))
    }
}

/// The model as bytes (little endian): magic, cue and trigger words, each
/// layer's transitions, then `rows` (feature hash, weights) in half precision.
pub(crate) fn model_bytes(
    rows: &[(u64, [f32; W])],
    trans: &[[[f32; NL]; NL]; LAYERS],
    start: &[[f32; NL]; LAYERS],
    cue_words: &FastSet<u64>,
    trigger_words: &FastSet<u64>,
) -> Vec<u8> {
    let mut out = b"DQT2".to_vec();
    for set in [cue_words, trigger_words] {
        let mut words: Vec<u64> = set.iter().copied().collect();
        words.sort_unstable();
        out.extend_from_slice(&(words.len() as u32).to_le_bytes());
        for h in words {
            out.extend_from_slice(&h.to_le_bytes());
        }
    }
    for layer in 0..LAYERS {
        for row in trans[layer].iter().chain(std::iter::once(&start[layer])) {
            for x in row {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
    }
    let mut rows = rows.to_vec();
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

/// The integer of the largest weight: 13 bits, so that the tagger's partial
/// sums of up to four weights fit 16 bits.
pub(crate) const QUANTISED_MAX: i16 = 8191;

/// Feature weights for tagging, in one open-addressed table of 32-byte slots
/// (a 32-bit fingerprint of the feature beside its weights as 16-bit integers),
/// so that a lookup touches one cache line and the table is a quarter of its
/// f32 size: tagging is bound by these lookups missing the cache.
pub(crate) struct PackedWeights {
    slots: Vec<PackedSlot>,
    mask: usize,
    len: usize,
    /// A weight is `scale` times its integer.
    pub(crate) scale: f32,
}

#[derive(Clone, Copy)]
#[repr(C, align(32))]
struct PackedSlot {
    /// 0 = empty; else the high half of the feature's hash, with its low bit set.
    tag: u32,
    weights: [i16; W],
}

/// Where feature `key` starts probing, and its fingerprint.
#[inline]
fn home_and_tag(key: u64) -> (usize, u32) {
    let h = fin(key);
    (h as usize, (h >> 32) as u32 | 1)
}

impl PackedWeights {
    /// The table of `rows` (feature hash, weights), quantised to integers on
    /// one scale: the largest weight maps to [`QUANTISED_MAX`].
    pub(crate) fn new(rows: &[(u64, [f32; W])]) -> Self {
        // at most 3/4 full: probes stay short and the table small
        let size = (rows.len() * 4 / 3 + 16).next_power_of_two();
        let largest = rows.iter().flat_map(|(_, w)| w.iter()).fold(0f32, |m, x| m.max(x.abs()));
        let scale = if largest > 0.0 { largest / QUANTISED_MAX as f32 } else { 1.0 };
        let mut table =
            Self { slots: vec![PackedSlot { tag: 0, weights: [0; W] }; size], mask: size - 1, len: 0, scale };
        for (key, w) in rows {
            let (home, tag) = home_and_tag(*key);
            let mut i = home & table.mask;
            // a fingerprint already there (one pair in billions) merges the two
            while table.slots[i].tag != 0 && table.slots[i].tag != tag {
                i = (i + 1) & table.mask;
            }
            if table.slots[i].tag == 0 {
                table.len += 1;
            }
            table.slots[i] = PackedSlot { tag, weights: w.map(|x| (x / scale).round() as i16) };
        }
        table
    }

    /// The weights of feature `key`, as integers (times [`Self::scale`]).
    #[inline]
    pub(crate) fn get(&self, key: u64) -> Option<&[i16; W]> {
        let (home, tag) = home_and_tag(key);
        let mut i = home & self.mask;
        loop {
            let slot = &self.slots[i];
            if slot.tag == tag {
                return Some(&slot.weights);
            }
            if slot.tag == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Number of features.
    pub(crate) fn len(&self) -> usize {
        self.len
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
