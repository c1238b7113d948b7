//! Trains the attribution tagger on PolNeAR (brat standoff): every token of a
//! paragraph gets the label of the span it starts in (cues over sources over
//! contents, the longest content first so nested attributions keep their
//! cues), an averaged perceptron learns them, and the epoch is chosen on dev
//! by the end-to-end F1 of `eval-quotes`.

// Index loops over the labels and a window's tokens read more clearly here.
#![allow(clippy::needless_range_loop)]

use std::ops::Range;
use std::path::Path;

use crate::extract::ner::hash::{FastMap, FastSet};
use crate::extract::quotes::tagger::{
    B_CONTENT, B_CUE, B_SOURCE, I_CONTENT, I_CUE, I_SOURCE, NL, O, PackedWeights, ParagraphView, QuoteModel, W,
    cue_word_hash, model_bytes, viterbi,
};
use crate::extract::quotes::{extract_quotes_with, windows};
use crate::extract::segment::{Token, paragraphs, sentences, tokenize};
use crate::tools::quote_eval::{AnnotatedArticle, GoldAttribution, evaluate_folder_with, read_folder};

/// A word is a trigger (its sentence is tagged) when the training data marks
/// it as a cue in this share of its uses or more. Lower shares tag more text
/// for little recall and lose precision (dev e2e 0.563 at 0.3, 0.549 at 0.2).
const TRIGGER_SHARE: f64 = 0.3;

/// Features seen fewer times in training are dropped: the model shrinks from
/// 630k to 90k features with dev scores unchanged.
const MIN_COUNT: u32 = 8;

/// Perceptrons trained on different orders of the data and averaged: steadier
/// than one.
const ENSEMBLE: usize = 3;

/// One averaged structured perceptron (Collins 2002): current weights `w`,
/// and `u`, the updates weighted by when they happened, from which the
/// average over all steps follows without storing it.
struct Perceptron {
    w: Vec<f32>,
    u: Vec<f32>,
    tw: [[f32; NL]; NL],
    tu: [[f32; NL]; NL],
    sw: [f32; NL],
    su: [f32; NL],
    /// Steps taken, from 1.
    c: f32,
    order: Vec<usize>,
    seed: u64,
}

impl Perceptron {
    fn new(features: usize, examples: usize, seed: u64) -> Self {
        Self {
            w: vec![0.0; features * NL],
            u: vec![0.0; features * NL],
            tw: [[0.0; NL]; NL],
            tu: [[0.0; NL]; NL],
            sw: [0.0; NL],
            su: [0.0; NL],
            c: 1.0,
            order: (0..examples).collect(),
            seed,
        }
    }

    /// One pass in a new random order; returns the tokens it got wrong.
    fn epoch(&mut self, examples: &[Example]) -> usize {
        for i in (1..self.order.len()).rev() {
            self.seed ^= self.seed << 13;
            self.seed ^= self.seed >> 7;
            self.seed ^= self.seed << 17;
            self.order.swap(i, (self.seed % (i as u64 + 1)) as usize);
        }
        let mut errors = 0;
        for k in 0..self.order.len() {
            errors += self.learn(&examples[self.order[k]]);
            self.c += 1.0;
        }
        errors
    }

    /// Tags one example and moves the weights toward its gold labels.
    fn learn(&mut self, ex: &Example) -> usize {
        let len = ex.gold.len();
        let rows = |t: usize| &ex.rows[ex.offs[t] as usize..ex.offs[t + 1] as usize];
        let mut em = vec![[0f32; NL]; len];
        for (t, scores) in em.iter_mut().enumerate() {
            for &r in rows(t) {
                let row = &self.w[r as usize * NL..r as usize * NL + NL];
                for l in 0..NL {
                    scores[l] += row[l];
                }
            }
        }
        let pred = viterbi(&em, &self.tw, &self.sw);
        if pred == ex.gold {
            return 0;
        }
        let c = self.c;
        let mut errors = 0;
        for t in 0..len {
            let (g, p) = (ex.gold[t] as usize, pred[t] as usize);
            if g != p {
                errors += 1;
                for &r in rows(t) {
                    let r = r as usize * NL;
                    self.w[r + g] += 1.0;
                    self.u[r + g] += c;
                    self.w[r + p] -= 1.0;
                    self.u[r + p] -= c;
                }
            }
            let (gp, pp) =
                if t == 0 { (None, None) } else { (Some(ex.gold[t - 1] as usize), Some(pred[t - 1] as usize)) };
            if (gp, g) != (pp, p) {
                for (from, to, delta) in [(gp, g, 1.0), (pp, p, -1.0)] {
                    match from {
                        Some(x) => {
                            self.tw[x][to] += delta;
                            self.tu[x][to] += delta * c;
                        }
                        None => {
                            self.sw[to] += delta;
                            self.su[to] += delta * c;
                        }
                    }
                }
            }
        }
        errors
    }

    /// The averaged weight at index `i` (feature row * NL + label).
    fn averaged(&self, i: usize) -> f32 {
        self.w[i] - self.u[i] / self.c
    }

    /// The averaged transition and start scores.
    fn averaged_transitions(&self) -> ([[f32; NL]; NL], [f32; NL]) {
        let mut trans = [[0f32; NL]; NL];
        let mut start = [0f32; NL];
        for a in 0..NL {
            start[a] = self.sw[a] - self.su[a] / self.c;
            for b in 0..NL {
                trans[a][b] = self.tw[a][b] - self.tu[a][b] / self.c;
            }
        }
        (trans, start)
    }
}

/// An article of a split with its gold attributions in byte offsets.
struct Article {
    text: String,
    gold: Vec<GoldAttribution>,
}

fn read_split(dir: &Path) -> Result<Vec<Article>, String> {
    let mut out = Vec::new();
    for AnnotatedArticle { text, mut gold, .. } in read_folder(dir)? {
        // characters -> bytes
        let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
        let last = bytes.len() - 1;
        let to_bytes = |r: &Range<usize>| bytes[r.start.min(last)]..bytes[r.end.min(last)];
        for g in &mut gold {
            g.content = g.content.iter().map(to_bytes).collect();
            g.source = g.source.as_ref().map(|s| s.iter().map(to_bytes).collect());
            g.cue = g.cue.as_ref().map(|s| s.iter().map(to_bytes).collect());
        }
        out.push(Article { text, gold });
    }
    Ok(out)
}

/// Words the training data marks as cues often enough to be worth a feature
/// (a tenth of their uses or more), and the stronger ones that make a sentence
/// worth tagging at all.
fn cue_lexicon(articles: &[Article]) -> (FastSet<u64>, FastSet<u64>) {
    let mut cue: FastMap<u64, u32> = FastMap::default();
    let mut all: FastMap<u64, u32> = FastMap::default();
    for a in articles {
        let mut cue_tokens = FastSet::default();
        for g in &a.gold {
            for seg in g.cue.iter().flatten() {
                for t in tokenize(&a.text, seg.clone()) {
                    cue_tokens.insert(t.start);
                }
            }
        }
        for t in tokenize(&a.text, 0..a.text.len()) {
            let h = cue_word_hash(t.text(&a.text));
            *all.entry(h).or_default() += 1;
            if cue_tokens.contains(&t.start) {
                *cue.entry(h).or_default() += 1;
            }
        }
    }
    let share = |h: &u64, n: u32| n as f64 / all[h] as f64;
    let cue_like = cue.iter().filter(|&(h, &n)| n >= 3 && share(h, n) >= 0.1).map(|(h, _)| *h).collect();
    let triggers = cue.iter().filter(|&(h, &n)| n >= 5 && share(h, n) >= TRIGGER_SHARE).map(|(h, _)| *h).collect();
    (cue_like, triggers)
}

/// The gold label of each token of a paragraph view.
fn gold_labels(view: &ParagraphView, gold: &[GoldAttribution]) -> Vec<u8> {
    let mut labels = vec![O; view.len()];
    let mut paint = |segments: &[Range<usize>], begin: u8, inside: u8, overwrite: bool| {
        for seg in segments {
            let mut first = true;
            for (i, t) in view.tokens.iter().enumerate() {
                if t.start >= seg.start && t.start < seg.end {
                    if overwrite || labels[i] == O {
                        labels[i] = if first { begin } else { inside };
                    }
                    first = false;
                }
            }
        }
    };
    let mut by_length: Vec<&GoldAttribution> = gold.iter().collect();
    by_length.sort_by_key(|g| std::cmp::Reverse(g.content.iter().map(|s| s.len()).sum::<usize>()));
    for g in &by_length {
        paint(&g.content, B_CONTENT, I_CONTENT, false);
    }
    for g in &by_length {
        paint(g.source.as_deref().unwrap_or_default(), B_SOURCE, I_SOURCE, true);
    }
    for g in &by_length {
        paint(g.cue.as_deref().unwrap_or_default(), B_CUE, I_CUE, true);
    }
    // a span cut by another's label must restart with a begin label
    for i in 1..labels.len() {
        let l = labels[i];
        let p = labels[i - 1];
        let continues = matches!(
            (p, l),
            (B_CONTENT | I_CONTENT, I_CONTENT) | (B_SOURCE | I_SOURCE, I_SOURCE) | (B_CUE | I_CUE, I_CUE)
        );
        if matches!(l, I_CONTENT | I_SOURCE | I_CUE) && !continues {
            labels[i] = l - 1;
        }
    }
    if labels.first().is_some_and(|&l| matches!(l, I_CONTENT | I_SOURCE | I_CUE)) {
        labels[0] -= 1;
    }
    labels
}

/// A training paragraph: feature rows per token and gold labels.
struct Example {
    rows: Vec<u32>,
    offs: Vec<u32>,
    gold: Vec<u8>,
}

/// A window of a training article with its gold labels.
struct TrainingView {
    view: ParagraphView,
    gold: Vec<u8>,
    /// The article it comes from (folds split by article).
    article: usize,
}

/// The features of a window for a layer: the text's, and for the second
/// layer (with the first one's labels) the stacked ones after them.
fn layer_features(view: &ParagraphView, previous: Option<&[u8]>, feats: &mut Vec<u64>, offs: &mut Vec<usize>) {
    view.features(feats, offs);
    let Some(prev) = previous else { return };
    let (mut extra, mut extra_offs) = (Vec::new(), Vec::new());
    view.stacked_features(prev, &mut extra, &mut extra_offs);
    let (base, base_offs) = (std::mem::take(feats), std::mem::take(offs));
    for t in 0..view.len() {
        offs.push(feats.len());
        feats.extend_from_slice(&base[base_offs[t]..base_offs[t + 1]]);
        feats.extend_from_slice(&extra[extra_offs[t]..extra_offs[t + 1]]);
    }
    offs.push(feats.len());
}

/// Feature hashes -> weight rows for one layer: features seen fewer than
/// [`MIN_COUNT`] times get none.
struct Features {
    rows: FastMap<u64, u32>,
    keys: Vec<u64>,
}

impl Features {
    /// Counts every feature of the views (with the lower layer's labels).
    fn count(views: &[TrainingView], previous: Option<&[Vec<u8>]>) -> Self {
        let mut seen: FastMap<u64, u32> = FastMap::default();
        let (mut feats, mut offs) = (Vec::new(), Vec::new());
        for (k, v) in views.iter().enumerate() {
            layer_features(&v.view, previous.map(|p| p[k].as_slice()), &mut feats, &mut offs);
            for h in &feats {
                *seen.entry(*h).or_default() += 1;
            }
        }
        let mut keys: Vec<u64> = seen.into_iter().filter(|&(_, n)| n >= MIN_COUNT).map(|(h, _)| h).collect();
        keys.sort_unstable();
        let rows = keys.iter().enumerate().map(|(r, &h)| (h, r as u32)).collect();
        Self { rows, keys }
    }

    /// The examples of `views` (the ones `keep` admits) in rows.
    fn examples(
        &self,
        views: &[TrainingView],
        previous: Option<&[Vec<u8>]>,
        keep: impl Fn(&TrainingView) -> bool,
    ) -> Vec<Example> {
        let (mut feats, mut offs) = (Vec::new(), Vec::new());
        let mut out = Vec::new();
        for (k, v) in views.iter().enumerate() {
            if !keep(v) {
                continue;
            }
            layer_features(&v.view, previous.map(|p| p[k].as_slice()), &mut feats, &mut offs);
            let mut rows = Vec::new();
            let mut row_offs = vec![0u32];
            for t in 0..v.view.len() {
                rows.extend(feats[offs[t]..offs[t + 1]].iter().filter_map(|h| self.rows.get(h)));
                row_offs.push(rows.len() as u32);
            }
            out.push(Example { rows, offs: row_offs, gold: v.gold.clone() });
        }
        out
    }

    /// The layer the members' averaged weights make (averaged again).
    fn layer(&self, members: &[Perceptron]) -> TrainedLayer {
        let share = 1.0 / members.len() as f32;
        let mut weights = FastMap::default();
        for (k, &key) in self.keys.iter().enumerate() {
            let mut avg = [0f32; NL];
            for m in members {
                for (l, x) in avg.iter_mut().enumerate() {
                    *x += m.averaged(k * NL + l) * share;
                }
            }
            // rows that learned nothing are left out
            if avg.iter().any(|x| x.abs() > 1e-3) {
                weights.insert(key, avg);
            }
        }
        let mut trans = [[0f32; NL]; NL];
        let mut start = [0f32; NL];
        for m in members {
            let (t, s) = m.averaged_transitions();
            for a in 0..NL {
                start[a] += s[a] * share;
                for b in 0..NL {
                    trans[a][b] += t[a][b] * share;
                }
            }
        }
        TrainedLayer { weights, trans, start }
    }
}

/// One layer's averaged weights, before the layers share a table.
struct TrainedLayer {
    weights: FastMap<u64, [f32; NL]>,
    trans: [[f32; NL]; NL],
    start: [f32; NL],
}

impl TrainedLayer {
    /// The labels this layer alone gives a window.
    fn decode(&self, view: &ParagraphView, previous: Option<&[u8]>) -> Vec<u8> {
        let (mut feats, mut offs) = (Vec::new(), Vec::new());
        layer_features(view, previous, &mut feats, &mut offs);
        let mut em = vec![[0f32; NL]; view.len()];
        for (t, e) in em.iter_mut().enumerate() {
            for h in &feats[offs[t]..offs[t + 1]] {
                if let Some(w) = self.weights.get(h) {
                    for l in 0..NL {
                        e[l] += w[l];
                    }
                }
            }
        }
        viterbi(&em, &self.trans, &self.start)
    }
}

/// The model of two trained layers, their weights in one table, as bytes.
fn combine(
    first: &TrainedLayer,
    second: &TrainedLayer,
    cue_words: &FastSet<u64>,
    trigger_words: &FastSet<u64>,
) -> Vec<u8> {
    let mut keys: Vec<u64> = first.weights.keys().chain(second.weights.keys()).copied().collect();
    keys.sort_unstable();
    keys.dedup();
    let rows: Vec<(u64, [f32; W])> = keys
        .into_iter()
        .map(|key| {
            let mut w = [0f32; W];
            if let Some(a) = first.weights.get(&key) {
                w[..NL].copy_from_slice(a);
            }
            if let Some(b) = second.weights.get(&key) {
                w[NL..].copy_from_slice(b);
            }
            (key, w)
        })
        .collect();
    model_bytes(&rows, &[first.trans, second.trans], &[first.start, second.start], cue_words, trigger_words)
}

/// Trains `ENSEMBLE` perceptrons on `examples` for `epochs` passes.
fn train_members(features: &Features, examples: &[Example], epochs: usize, ensemble: usize) -> Vec<Perceptron> {
    let mut members: Vec<Perceptron> = (0..ensemble)
        .map(|k| Perceptron::new(features.keys.len(), examples.len(), 0x2545_f491_4f6c_dd1d + k as u64))
        .collect();
    for _ in 0..epochs {
        for m in &mut members {
            m.epoch(examples);
        }
    }
    members
}

/// Folds of the training articles for the first layer's labels: each fold is
/// labelled by a first layer that never saw it, as the second layer will see
/// labels on new text.
const FOLDS: usize = 4;

/// Passes of the first layer.
const FIRST_LAYER_EPOCHS: usize = 11;

/// Trains on `train` and chooses the second layer's epoch on `dev` (both
/// PolNeAR split folders) by the end-to-end F1 of `eval-quotes`.
pub fn train(train_dir: &Path, dev_dir: &Path, epochs: usize, log: &dyn Fn(String)) -> Result<Vec<u8>, String> {
    let articles = read_split(train_dir)?;
    let (cue_words, trigger_words) = cue_lexicon(&articles);
    log(format!("{} articles, {} cue-like words, {} triggers", articles.len(), cue_words.len(), trigger_words.len()));
    let shell = QuoteModel::new(
        PackedWeights::new(&[]),
        [[[0.0; NL]; NL]; 2],
        [[0.0; NL]; 2],
        cue_words.clone(),
        trigger_words.clone(),
    );
    let mut views = Vec::new();
    for (article, a) in articles.iter().enumerate() {
        for p in paragraphs(&a.text) {
            let sentences: Vec<Vec<Token>> =
                sentences(&a.text, p.span).into_iter().map(|s| tokenize(&a.text, s.span)).collect();
            let sentences: Vec<&[Token]> = sentences.iter().map(Vec::as_slice).collect();
            for view in windows(&a.text, &sentences, &shell) {
                let gold = gold_labels(&view, &a.gold);
                views.push(TrainingView { view, gold, article });
            }
        }
    }
    // first layer, on all the training data
    let first = Features::count(&views, None);
    let examples = first.examples(&views, None, |_| true);
    log(format!("{} windows, {} first-layer features", examples.len(), first.keys.len()));
    let first_layer = first.layer(&train_members(&first, &examples, FIRST_LAYER_EPOCHS, ENSEMBLE));
    // its labels on each fold, from a first layer trained without that fold
    let mut previous: Vec<Vec<u8>> = vec![Vec::new(); views.len()];
    for fold in 0..FOLDS {
        let examples = first.examples(&views, None, |v| v.article % FOLDS != fold);
        let layer = first.layer(&train_members(&first, &examples, FIRST_LAYER_EPOCHS, 1));
        for (k, v) in views.iter().enumerate().filter(|(_, v)| v.article % FOLDS == fold) {
            previous[k] = layer.decode(&v.view, None);
        }
        log(format!("fold {} labelled", fold + 1));
    }
    // second layer, epoch chosen on dev
    let second = Features::count(&views, Some(&previous));
    let examples = second.examples(&views, Some(&previous), |_| true);
    log(format!("{} second-layer features", second.keys.len()));
    let mut members: Vec<Perceptron> = (0..ENSEMBLE)
        .map(|k| Perceptron::new(second.keys.len(), examples.len(), 0x9e37_79b9_7f4a_7c15 + k as u64))
        .collect();
    let mut best: Option<(f64, Vec<u8>)> = None;
    for epoch in 1..=epochs {
        let errors: usize = members.iter_mut().map(|m| m.epoch(&examples)).sum();
        // round-trip through the stored format so dev scores the model as shipped
        let bytes = combine(&first_layer, &second.layer(&members), &cue_words, &trigger_words);
        let shipped = QuoteModel::from_bytes(&bytes).ok_or("model does not read back")?;
        let (scores, _) = evaluate_folder_with(dev_dir, &|text| extract_quotes_with(text, &shipped))?;
        let e2e = scores.end_to_end.f1();
        log(format!(
            "epoch {epoch}: {errors} token errors; dev content {:.3} (P {:.3} R {:.3}) exact {:.3} e2e {:.3} direct e2e {:.3} source {:.3}; {} features",
            scores.content.f1(),
            scores.content.precision(),
            scores.content.recall(),
            scores.content_exact.f1(),
            e2e,
            scores.direct_end_to_end.f1(),
            scores.source_accuracy(),
            shipped.weights.len(),
        ));
        if best.as_ref().is_none_or(|(b, _)| e2e > *b) {
            best = Some((e2e, bytes));
        }
    }
    best.map(|(_, b)| b).ok_or_else(|| "no epochs".to_string())
}
