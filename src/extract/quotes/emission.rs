//! The tagger's emission scores, computed fast: the same integer sums of
//! feature weights as looking every feature hash up (`features` and
//! `stacked_features` in the tagger), regrouped so that few lookups leave the
//! cache. Tagging was bound by those lookups, 43 per token into a table of
//! megabytes.
//!
//! - Templates whose value is one of a few small numbers (a distance bucket,
//!   whether a token is quoted, a label) read arrays filled when the model
//!   loads ([`Dense`]).
//! - Templates that read one word at a fixed offset are summed once per word
//!   type and kept in a per-thread memo ([`WordMemo`]): news repeats its
//!   words, so a token mostly costs one memo probe, and its neighbours' entries
//!   are already in the cache.
//! - The rest (word pairs, cue words with their distance) are looked up.
//!
//! Both ways must give equal sums; the tests check it on real text.

// Index loops over a window's tokens read more clearly here: each reads its neighbours.
#![allow(clippy::needless_range_loop)]

use std::cell::RefCell;

use super::tagger::{AFTER_WINDOW, BEFORE_WINDOW, CueContext, Mark, NL, NO_SHAPE, PackedWeights, ParagraphView, W, f};
use crate::extract::ner::hash::{FastMap, mix};

/// Both layers' weight sums of one token (the second layer's lanes from `NL`).
pub(super) type Sums = [i32; W];

/// A sum of a few weights, kept in 16 bits: the weights are quantised small
/// enough ([`QUANTISED_MAX`]) that up to four add up without overflow.
type Part = [i16; W];

#[inline]
fn add(sum: &mut Sums, w: &Part) {
    for (s, &x) in sum.iter_mut().zip(w) {
        *s += x as i32;
    }
}

fn narrow(sum: Sums) -> Part {
    sum.map(|x| x as i16)
}

#[inline]
fn add_looked_up(sum: &mut Sums, weights: &PackedWeights, key: u64) {
    if let Some(w) = weights.get(key) {
        for (s, &x) in sum.iter_mut().zip(w) {
            *s += x as i32;
        }
    }
}

fn looked_up(weights: &PackedWeights, key: u64) -> Part {
    weights.get(key).copied().unwrap_or([0; W])
}

/// A label as the second layer's templates read it (9: outside the window).
const NO_LABEL: usize = 9;

/// The weights of every small-valued template for each of its values.
pub(super) struct Dense {
    /// The bias, every token's.
    bias: Part,
    /// `q * 4 + mark`.
    quote_mark: [Part; 8],
    /// `sentence start * 2 + sentence end`.
    sentence_edges: [Part; 4],
    /// Bucket to the nearest cue word on the left; on the right.
    left_bucket: [Part; 7],
    right_bucket: [Part; 7],
    /// `left bucket * 8 + right bucket`.
    buckets: [Part; 64],
    /// `comma left * 2 + comma right`.
    commas: [Part; 4],
    /// `(left bucket * 8 + right bucket) * 2 + q`.
    buckets_quoted: [Part; 128],
    /// `(comma right * 8 + right bucket) * 2 + q`.
    comma_right_quoted: [Part; 32],
    /// Quoted-ness (0, 1; 2 outside) of the previous, this and the next token.
    quoted_around: [Part; 27],
    /// Second layer: this token's label; label pairs (`a * 16 + b`).
    label: [Part; 10],
    label_left: Vec<Part>,
    label_right: Vec<Part>,
    labels_before: Vec<Part>,
    labels_after: Vec<Part>,
    /// Second layer: buckets to the nearest cue labels (`left * 8 + right`),
    /// to the nearest source labels; with the label; with quoted-ness and the
    /// left source bucket.
    cue_buckets: [Part; 64],
    source_buckets: [Part; 64],
    label_cue_buckets: Vec<Part>,
    quoted_cue_source: Vec<Part>,
}

/// Weights of template `template` for values `value(0..n)`.
fn table<const N: usize>(weights: &PackedWeights, template: u64, value: impl Fn(u64) -> u64) -> [Part; N] {
    std::array::from_fn(|k| looked_up(weights, f(template, value(k as u64))))
}

fn list(weights: &PackedWeights, n: usize, template: u64, value: impl Fn(u64) -> u64) -> Vec<Part> {
    (0..n as u64).map(|k| looked_up(weights, f(template, value(k)))).collect()
}

impl Dense {
    /// Reads the small-valued templates' weights out of `weights`.
    pub(super) fn new(weights: &PackedWeights) -> Self {
        let same = |k| k;
        Self {
            bias: looked_up(weights, f(1, 0)),
            quote_mark: table(weights, 11, same),
            sentence_edges: table(weights, 12, same),
            left_bucket: table(weights, 15, same),
            right_bucket: table(weights, 16, same),
            buckets: table(weights, 19, same),
            commas: table(weights, 20, same),
            buckets_quoted: table(weights, 21, |k| mix(k / 2, k % 2)),
            comma_right_quoted: table(weights, 22, |k| mix(k / 2, k % 2)),
            quoted_around: table(weights, 32, same),
            label: table(weights, 40, same),
            label_left: list(weights, 160, 41, same),
            label_right: list(weights, 160, 42, same),
            labels_before: list(weights, 160, 43, same),
            labels_after: list(weights, 160, 44, same),
            cue_buckets: table(weights, 46, same),
            source_buckets: table(weights, 47, same),
            label_cue_buckets: list(weights, 10 * 64, 48, |k| mix(k / 64, k % 64)),
            quoted_cue_source: list(weights, 2 * 512, 49, |k| mix(k / 512, k % 512)),
        }
    }
}

/// The summed weights of the templates that read one word type, by the
/// role its token plays for the token being scored.
#[derive(Clone, Copy)]
struct WordEntry {
    /// As the scored token: word, shape, suffix, cue-likeness.
    itself: Part,
    /// As the scored token outside (0) or inside (1) quotation marks, when it
    /// is no quotation mark: word and shape with quoted-ness.
    quoted: [Part; 2],
    /// One before the scored token, whose cue-likeness (0, 1) picks the sum.
    before: [Part; 2],
    /// One after it, likewise.
    after: [Part; 2],
    /// Two and three before, two and three after.
    before2: Part,
    after2: Part,
    before3: Part,
    after3: Part,
}

impl WordEntry {
    fn new(weights: &PackedWeights, word: u64, shape: u64, suffix: u64, cue_like: bool) -> Self {
        let sum = |keys: &[u64]| {
            let mut s = [0; W];
            for &k in keys {
                add_looked_up(&mut s, weights, k);
            }
            narrow(s)
        };
        let quoted = |q: u64| sum(&[f(13, mix(q * 4 + Mark::None as u64, word)), f(14, mix(q, shape))]);
        Self {
            itself: sum(&[f(2, word), f(9, shape), f(10, suffix), f(25, cue_like as u64)]),
            quoted: [quoted(0), quoted(1)],
            before: [sum(&[f(3, word), f(26, mix(0, word))]), sum(&[f(3, word), f(26, mix(1, word))])],
            after: [sum(&[f(4, word), f(27, mix(0, word))]), sum(&[f(4, word), f(27, mix(1, word))])],
            before2: sum(&[f(5, word)]),
            after2: sum(&[f(6, word)]),
            before3: sum(&[f(28, word)]),
            after3: sum(&[f(29, word)]),
        }
    }
}

/// Word entries of one model, kept across windows and articles by a thread.
pub(super) struct WordMemo {
    model: u64,
    index: FastMap<u64, u32>,
    entries: Vec<WordEntry>,
}

/// Entries a memo holds before it starts over (about 10 MB): the common
/// words of news come back at once.
const MEMO_ENTRIES: usize = 1 << 15;

thread_local! {
    static MEMO: RefCell<WordMemo> = RefCell::new(WordMemo { model: 0, index: FastMap::default(), entries: Vec::new() });
}

impl WordMemo {
    /// The entry index of (word, shape) for the token's values.
    fn entry(&mut self, weights: &PackedWeights, word: u64, shape: u64, suffix: u64, cue_like: bool) -> usize {
        let key = mix(word, shape);
        if let Some(&k) = self.index.get(&key) {
            return k as usize;
        }
        self.entries.push(WordEntry::new(weights, word, shape, suffix, cue_like));
        self.index.insert(key, self.entries.len() as u32 - 1);
        self.entries.len() - 1
    }
}

/// Both layers' sums of the first layer's templates (the text's features)
/// for every token of `view`: what `features` gives, looked up and added.
pub(super) fn text_sums(model_id: u64, weights: &PackedWeights, dense: &Dense, view: &ParagraphView) -> Vec<Sums> {
    MEMO.with_borrow_mut(|memo| {
        if memo.model != model_id {
            *memo = WordMemo { model: model_id, index: FastMap::default(), entries: Vec::new() };
        }
        text_sums_with(memo, weights, dense, view)
    })
}

fn text_sums_with(memo: &mut WordMemo, weights: &PackedWeights, dense: &Dense, view: &ParagraphView) -> Vec<Sums> {
    let n = view.len();
    if memo.entries.len() + n + 2 > MEMO_ENTRIES {
        memo.index.clear();
        memo.entries.clear();
    }
    let entry: Vec<usize> = (0..n)
        .map(|i| memo.entry(weights, view.words[i], view.shapes[i], view.suffixes[i], view.cue_like[i]))
        .collect();
    let before_window = memo.entry(weights, BEFORE_WINDOW, 0, 0, false);
    let after_window = memo.entry(weights, AFTER_WINDOW, 0, 0, false);
    let entries = &memo.entries;
    let at = |k: isize| -> &WordEntry {
        if k < 0 {
            &entries[before_window]
        } else if k as usize >= n {
            &entries[after_window]
        } else {
            &entries[entry[k as usize]]
        }
    };
    let word = |k: isize| -> u64 {
        if k < 0 {
            BEFORE_WINDOW
        } else if k as usize >= n {
            AFTER_WINDOW
        } else {
            view.words[k as usize]
        }
    };
    let shape = |k: isize| if k < 0 || k as usize >= n { NO_SHAPE } else { view.shapes[k as usize] };
    let quoted = |k: isize| if k < 0 || k as usize >= n { 2 } else { view.in_quote[k as usize] as usize };
    let context = view.cue_context();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let ii = i as isize;
        let w = view.words[i];
        let q = view.in_quote[i] as usize;
        let mark = view.marks[i];
        let cue = view.cue_like[i] as usize;
        let mut sum = [0; W];
        add(&mut sum, &dense.bias);
        add(&mut sum, &at(ii).itself);
        if mark == Mark::None {
            add(&mut sum, &at(ii).quoted[q]);
        } else {
            add_looked_up(&mut sum, weights, f(13, mix(q as u64 * 4 + mark as u64, w)));
            add_looked_up(&mut sum, weights, f(14, mix(q as u64, view.shapes[i])));
        }
        add(&mut sum, &at(ii - 1).before[cue]);
        add(&mut sum, &at(ii + 1).after[cue]);
        add(&mut sum, &at(ii - 2).before2);
        add(&mut sum, &at(ii + 2).after2);
        add(&mut sum, &at(ii - 3).before3);
        add(&mut sum, &at(ii + 3).after3);
        add_looked_up(&mut sum, weights, f(7, mix(word(ii - 1), w)));
        add_looked_up(&mut sum, weights, f(8, mix(w, word(ii + 1))));
        add_looked_up(&mut sum, weights, f(30, mix(shape(ii - 1), view.shapes[i])));
        add_looked_up(&mut sum, weights, f(31, mix(view.shapes[i], shape(ii + 1))));
        let sent_start = i == 0 || view.sentence[i] != view.sentence[i - 1];
        let sent_end = i + 1 == n || view.sentence[i] != view.sentence[i + 1];
        add(&mut sum, &dense.quote_mark[q * 4 + mark as usize]);
        add(&mut sum, &dense.sentence_edges[sent_start as usize * 2 + sent_end as usize]);
        let CueContext { lb, lw, rb, rw, comma_left, comma_right } = context[i];
        let (lb_i, rb_i) = (lb as usize, rb as usize);
        add(&mut sum, &dense.left_bucket[lb_i]);
        add(&mut sum, &dense.right_bucket[rb_i]);
        add(&mut sum, &dense.buckets[lb_i * 8 + rb_i]);
        add(&mut sum, &dense.commas[comma_left as usize * 2 + comma_right as usize]);
        add(&mut sum, &dense.buckets_quoted[(lb_i * 8 + rb_i) * 2 + q]);
        add(&mut sum, &dense.comma_right_quoted[(comma_right as usize * 8 + rb_i) * 2 + q]);
        add(&mut sum, &dense.quoted_around[quoted(ii - 1) * 9 + q * 3 + quoted(ii + 1)]);
        add_looked_up(&mut sum, weights, f(17, mix(lb, lw)));
        add_looked_up(&mut sum, weights, f(18, mix(rb, rw)));
        add_looked_up(&mut sum, weights, f(23, mix(lw, q as u64)));
        add_looked_up(&mut sum, weights, f(24, mix(rw, mix(q as u64, comma_right as u64))));
        add_looked_up(&mut sum, weights, f(33, mix(lb * 8 + rb, mix(w, 5))));
        out.push(sum);
    }
    out
}

/// Adds the second layer's own templates (`stacked_features`, reading the
/// first layer's `labels`) to `sums`.
pub(super) fn add_stacked_sums(
    weights: &PackedWeights,
    dense: &Dense,
    view: &ParagraphView,
    labels: &[u8],
    sums: &mut [Sums],
) {
    let n = view.len();
    let label = |k: isize| if k < 0 || k as usize >= n { NO_LABEL } else { labels[k as usize] as usize };
    let (cue_left, cue_right) = view.nearest_label(labels, super::tagger::B_CUE);
    let (source_left, source_right) = view.nearest_label(labels, super::tagger::B_SOURCE);
    for (i, sum) in sums.iter_mut().enumerate() {
        let ii = i as isize;
        let here = label(ii);
        let mut second = [0; W];
        add(&mut second, &dense.label[here]);
        add(&mut second, &dense.label_left[label(ii - 1) * 16 + here]);
        add(&mut second, &dense.label_right[here * 16 + label(ii + 1)]);
        add(&mut second, &dense.labels_before[label(ii - 2) * 16 + label(ii - 1)]);
        add(&mut second, &dense.labels_after[label(ii + 1) * 16 + label(ii + 2)]);
        add_looked_up(&mut second, weights, f(45, mix(here as u64, view.words[i])));
        let cues = (cue_left[i] * 8 + cue_right[i]) as usize;
        add(&mut second, &dense.cue_buckets[cues]);
        add(&mut second, &dense.source_buckets[(source_left[i] * 8 + source_right[i]) as usize]);
        add(&mut second, &dense.label_cue_buckets[here * 64 + cues]);
        add(
            &mut second,
            &dense.quoted_cue_source[view.in_quote[i] as usize * 512 + cues * 8 + source_left[i] as usize],
        );
        for l in NL..W {
            sum[l] += second[l];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::quotes::{embedded, windows};
    use crate::extract::segment::{Token, paragraphs, sentences, tokenize};

    /// Each window of `text` as the extractor sees it.
    fn views(text: &str) -> Vec<ParagraphView> {
        let mut out = Vec::new();
        for p in paragraphs(text) {
            let tokens: Vec<Vec<Token>> = sentences(text, p.span).into_iter().map(|s| tokenize(text, s.span)).collect();
            let tokens: Vec<&[Token]> = tokens.iter().map(Vec::as_slice).collect();
            out.extend(windows(text, &tokens, embedded()));
        }
        out
    }

    /// The sums as training sees them: every feature hash looked up.
    fn looked_up_sums(
        weights: &PackedWeights,
        feats: &[u64],
        offs: &[usize],
        lanes: std::ops::Range<usize>,
    ) -> Vec<Sums> {
        (0..offs.len() - 1)
            .map(|i| {
                let mut sum = [0; W];
                for &h in &feats[offs[i]..offs[i + 1]] {
                    add_looked_up(&mut sum, weights, h);
                }
                for l in (0..W).filter(|l| !lanes.contains(l)) {
                    sum[l] = 0;
                }
                sum
            })
            .collect()
    }

    #[test]
    fn regrouped_sums_equal_looked_up_ones() {
        let model = embedded();
        let texts = [
            include_str!("../../../seeds/000_def429b1c4d7175a.txt"),
            "“We will not back down,” said the minister, adding that talks would resume. \"It's over,\" she said.\n\n\
             ‘Not again’, officials said on Tuesday, according to Reuters. He said ''no'' twice.\n\n\
             “An open quote that runs on\n\n“and on,” he told reporters.",
            "Said said SAID said. According to the 12 ministers, prices rose 3.5% - “quite” a lot ― Anne Smith",
        ];
        let mut windows_seen = 0;
        for text in texts {
            for view in views(text) {
                windows_seen += 1;
                let (mut feats, mut offs) = (Vec::new(), Vec::new());
                view.features(&mut feats, &mut offs);
                let mut fast = text_sums(model.id, &model.weights, &model.dense, &view);
                assert_eq!(fast, looked_up_sums(&model.weights, &feats, &offs, 0..W));
                let labels = model.tag(&view);
                view.stacked_features(&labels, &mut feats, &mut offs);
                let before = fast.clone();
                add_stacked_sums(&model.weights, &model.dense, &view, &labels, &mut fast);
                let stacked = looked_up_sums(&model.weights, &feats, &offs, NL..W);
                for ((f, b), s) in fast.iter().zip(&before).zip(&stacked) {
                    let added: Vec<i32> = f.iter().zip(b).map(|(x, y)| x - y).collect();
                    assert_eq!(added, s.to_vec());
                }
            }
        }
        assert!(windows_seen > 10, "{windows_seen} windows");
    }
}
