//! One layer of the tagger, trained as an averaged structured perceptron
//! (Collins 2002) with Viterbi decoding; the epoch is chosen on dev, and
//! several perceptrons over different sentence orders may be averaged.

// Index loops over the 17 tags read more clearly than iterator chains here.
#![allow(clippy::needless_range_loop)]

use super::ner_eval::Counts;
use crate::extract::ner::decode::{NEG, Trans, viterbi};
use crate::extract::ner::hash::FastMap;
use crate::extract::ner::tags::{Chunk, NT, spans_of};
use crate::extract::ner::weights::Layer;
use crate::report::{Event, Reporter};

/// A sentence with hashed features: token `t`'s are `feats[offs[t]..offs[t + 1]]`.
pub(crate) struct HSent {
    pub(crate) feats: Vec<u64>,
    pub(crate) offs: Vec<usize>,
    /// Gold BILOU tags.
    pub(crate) gold: Vec<u8>,
    /// Gold entity chunks.
    pub(crate) chunks: Vec<Chunk>,
}

/// A sentence with features mapped to weight rows (features without a row
/// dropped).
pub(crate) struct FSent {
    feats: Vec<u32>,
    offs: Vec<u32>,
    gold: Vec<u8>,
}

/// Feature hash -> weight row.
pub(crate) type Dictionary = FastMap<u64, u32>;

/// What [`train_layer`] learns.
pub(crate) struct TrainedLayer {
    /// Feature hash of each weight row.
    pub(crate) keys: Vec<u64>,
    /// Averaged weights, `NT` per row.
    pub(crate) w: Vec<f32>,
    /// Averaged transitions.
    pub(crate) trans: Trans,
    /// The epoch chosen on dev (1-based).
    pub(crate) epoch: usize,
    /// `keys` -> row.
    pub(crate) dict: Dictionary,
}

impl TrainedLayer {
    /// Tags a hashed sentence with this layer alone.
    pub(crate) fn decode(&self, s: &HSent) -> Vec<u8> {
        decode(&self.w, &self.trans, &map_sent(s, &self.dict))
    }

    /// The layer for the model, without all-zero rows.
    pub(crate) fn into_layer(self) -> Layer {
        let mut keys = Vec::new();
        let mut weights = Vec::new();
        for (r, &k) in self.keys.iter().enumerate() {
            let row = &self.w[r * NT..r * NT + NT];
            if row.iter().any(|x| x.abs() > 1e-3) {
                keys.push(k);
                weights.extend_from_slice(row);
            }
        }
        Layer { keys, weights, trans: self.trans }
    }
}

/// Settings of [`train_layer`].
pub(crate) struct LayerOptions {
    /// Maximum passes over the data.
    pub(crate) epochs: usize,
    /// Seed of the sentence order.
    pub(crate) seed: u64,
    /// Features seen fewer times are dropped.
    pub(crate) min_count: u32,
    /// Perceptrons averaged.
    pub(crate) ensemble: usize,
    /// Word dropout in thousandths.
    pub(crate) dropout: u32,
}

/// Trains one layer on hashed sentences, choosing the epoch on `dev_sents`
/// (the last epoch when there are none).
pub(crate) fn train_layer(
    tr_sents: &[&HSent],
    dev_sents: &[&HSent],
    o: &LayerOptions,
    reporter: Option<&dyn Reporter>,
) -> TrainedLayer {
    let (dict, keys) = dictionary(tr_sents.iter().copied(), o.min_count);
    report(reporter, || format!("  {} features", keys.len()));
    let fs: Vec<FSent> = tr_sents.iter().map(|s| map_sent(s, &dict)).collect();
    let ds: Vec<(FSent, Vec<Chunk>)> = dev_sents.iter().map(|s| (map_sent(s, &dict), s.chunks.clone())).collect();
    let (mut w, trans, epoch) = perceptron(&fs, keys.len(), &ds, o.epochs, o.seed, o.dropout, reporter);
    if o.ensemble <= 1 {
        return TrainedLayer { keys, w, trans, epoch, dict };
    }
    // Average the weights of perceptrons trained on different sentence orders
    // (each for the epoch count chosen by the first).
    let mut tf = trans.flat();
    for e in 1..o.ensemble {
        let seed = o.seed.wrapping_add(e as u64 * 7919);
        let (w2, tr2, _) = perceptron(&fs, keys.len(), &[], epoch, seed, o.dropout, None);
        for (a, b) in w.iter_mut().zip(&w2) {
            *a += b;
        }
        for (a, b) in tf.iter_mut().zip(tr2.flat()) {
            if *a > NEG {
                *a += b;
            }
        }
    }
    let n = o.ensemble as f32;
    w.iter_mut().for_each(|x| *x /= n);
    tf.iter_mut().for_each(|x| {
        if *x > NEG {
            *x /= n
        }
    });
    let trans = Trans::from_flat(&tf);
    if let Some(reporter) = reporter
        && !ds.is_empty()
    {
        let f1 = dev_f1(&w, &trans, &ds);
        reporter.report(Event::Message(&format!("  ensemble of {}: dev F1 {f1:.4}", o.ensemble)));
    }
    TrainedLayer { keys, w, trans, epoch, dict }
}

/// Sends a message made by `message` to `reporter`, if any.
pub(crate) fn report(reporter: Option<&dyn Reporter>, message: impl FnOnce() -> String) {
    if let Some(reporter) = reporter {
        reporter.report(Event::Message(&message()));
    }
}

/// Rows for the features seen at least `min_count` times, in hash order.
fn dictionary<'a>(sents: impl Iterator<Item = &'a HSent> + Clone, min_count: u32) -> (Dictionary, Vec<u64>) {
    let mut counts: FastMap<u64, u32> = FastMap::default();
    for s in sents.clone() {
        for &h in &s.feats {
            *counts.entry(h).or_default() += 1;
        }
    }
    let mut keys: Vec<u64> = counts.iter().filter(|(_, c)| **c >= min_count).map(|(k, _)| *k).collect();
    keys.sort_unstable();
    let dict = keys.iter().enumerate().map(|(i, k)| (*k, i as u32)).collect();
    (dict, keys)
}

fn map_sent(s: &HSent, dict: &Dictionary) -> FSent {
    let mut feats = Vec::with_capacity(s.feats.len());
    let mut offs = Vec::with_capacity(s.offs.len());
    offs.push(0);
    for t in 0..s.offs.len() - 1 {
        for h in &s.feats[s.offs[t]..s.offs[t + 1]] {
            if let Some(&r) = dict.get(h) {
                feats.push(r);
            }
        }
        offs.push(feats.len() as u32);
    }
    FSent { feats, offs, gold: s.gold.clone() }
}

/// Tags a sentence with weights `w` and transitions `tr`.
fn decode(w: &[f32], tr: &Trans, s: &FSent) -> Vec<u8> {
    let mut em = Vec::new();
    emissions(w, s, &[], &mut em);
    viterbi(&em, tr, &mut Vec::new(), &mut Vec::new())
}

/// Emission scores of each token of `s`; the word-identity features of the
/// tokens marked in `drop` are left out.
fn emissions(w: &[f32], s: &FSent, drop: &[bool], em: &mut Vec<[f32; NT]>) {
    em.clear();
    for t in 0..s.offs.len() - 1 {
        let mut e = [0f32; NT];
        let dropped = drop.get(t).copied().unwrap_or(false);
        for (j, &r) in s.feats[s.offs[t] as usize..s.offs[t + 1] as usize].iter().enumerate() {
            if dropped && is_word_feature(j) {
                continue;
            }
            let row = &w[r as usize * NT..r as usize * NT + NT];
            for k in 0..NT {
                e[k] += row[k];
            }
        }
        em.push(e);
    }
}

/// Word dropout hides the word-identity features: positions 1 and 2 of each
/// token (exact and lowercase word), so that context, shape and cluster
/// features learn to carry unseen names.
fn is_word_feature(j: usize) -> bool {
    j == 1 || j == 2
}

/// Overall F1 of weights `w` and transitions `tr` on `dev`.
fn dev_f1(w: &[f32], tr: &Trans, dev: &[(FSent, Vec<Chunk>)]) -> f64 {
    let mut cnt = Counts::default();
    for (s, gold) in dev {
        cnt.add(gold, &spans_of(&decode(w, tr, s)));
    }
    cnt.f1()
}

/// SplitMix64: the seeded, portable random numbers of training.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Index in [`Trans::flat`] of a transition (`None`: sentence start or end).
fn tr_index(prev: Option<u8>, cur: Option<u8>) -> usize {
    match (prev, cur) {
        (None, Some(c)) => c as usize,
        (Some(p), Some(c)) => NT * (p as usize + 1) + c as usize,
        (Some(p), None) => NT * (NT + 1) + p as usize,
        _ => unreachable!(),
    }
}

/// Perceptron state: current weights `w`/`tw` and the step-weighted sums
/// `u`/`tu` from which the averages come ("averaging trick", Daumé 2006).
struct Perceptron {
    w: Vec<f32>,
    u: Vec<f32>,
    tw: Vec<f32>,
    tu: Vec<f32>,
    /// Transitions of an untrained model: [`NEG`] marks forbidden ones.
    base: Vec<f32>,
    /// Step counter.
    c: f32,
}

impl Perceptron {
    fn new(nrows: usize) -> Self {
        let base = Trans::new().flat();
        Perceptron {
            w: vec![0f32; nrows * NT],
            u: vec![0f32; nrows * NT],
            tw: base.clone(),
            tu: vec![0f32; base.len()],
            base,
            c: 1.0,
        }
    }

    /// Moves the weights from the predicted tags towards the gold ones.
    fn learn(&mut self, s: &FSent, pred: &[u8], drop: &[bool]) {
        let c = self.c;
        for t in 0..pred.len() {
            let (g, p) = (s.gold[t] as usize, pred[t] as usize);
            if g == p {
                continue;
            }
            for (j, &r) in s.feats[s.offs[t] as usize..s.offs[t + 1] as usize].iter().enumerate() {
                if drop[t] && is_word_feature(j) {
                    continue;
                }
                let b = r as usize * NT;
                self.w[b + g] += 1.0;
                self.u[b + g] += c;
                self.w[b + p] -= 1.0;
                self.u[b + p] -= c;
            }
        }
        let n = pred.len();
        for t in 0..=n {
            let gp = if t == 0 { None } else { Some(s.gold[t - 1]) };
            let gc = if t == n { None } else { Some(s.gold[t]) };
            let pp = if t == 0 { None } else { Some(pred[t - 1]) };
            let pc = if t == n { None } else { Some(pred[t]) };
            if (gp, gc) != (pp, pc) {
                let gi = tr_index(gp, gc);
                let pi = tr_index(pp, pc);
                self.tw[gi] += 1.0;
                self.tu[gi] += c;
                self.tw[pi] -= 1.0;
                self.tu[pi] -= c;
            }
        }
    }

    /// The averaged weights and transitions.
    fn averaged(&self) -> (Vec<f32>, Trans) {
        let c = self.c;
        let avg: Vec<f32> = self.w.iter().zip(&self.u).map(|(a, b)| a - b / c).collect();
        let tavg: Vec<f32> = self
            .tw
            .iter()
            .zip(&self.tu)
            .zip(&self.base)
            .map(|((a, b), z)| if *z <= NEG { NEG } else { a - b / c })
            .collect();
        (avg, Trans::from_flat(&tavg))
    }
}

/// Averaged perceptron. Returns averaged weights and transitions of the best epoch on
/// `dev` (or of the last epoch when `dev` is empty), and that epoch (1-based).
fn perceptron(
    train: &[FSent],
    nrows: usize,
    dev: &[(FSent, Vec<Chunk>)],
    epochs: usize,
    seed: u64,
    dropout: u32,
    reporter: Option<&dyn Reporter>,
) -> (Vec<f32>, Trans, usize) {
    let mut model = Perceptron::new(nrows);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = Rng(seed);
    let (mut em, mut alpha, mut back) = (Vec::new(), Vec::new(), Vec::new());
    let mut drop: Vec<bool> = Vec::new();
    let mut best: Option<(Vec<f32>, Trans, usize, f64)> = None;
    for ep in 1..=epochs {
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut errors = 0;
        for &si in &order {
            let s = &train[si];
            drop.clear();
            for _ in 0..s.gold.len() {
                drop.push(dropout > 0 && rng.next() % 1000 < dropout as u64);
            }
            emissions(&model.w, s, &drop, &mut em);
            let tr = Trans::from_flat(&model.tw);
            let pred = viterbi(&em, &tr, &mut alpha, &mut back);
            if pred != s.gold {
                errors += 1;
                model.learn(s, &pred, &drop);
            }
            model.c += 1.0;
        }
        let (avg, tr) = model.averaged();
        let f1 = if dev.is_empty() { 0.0 } else { dev_f1(&avg, &tr, dev) };
        report(reporter, || format!("  epoch {ep}: {errors} wrong sentences, dev F1 {f1:.4}"));
        if best.as_ref().is_none_or(|b| f1 > b.3 || dev.is_empty()) {
            best = Some((avg, tr, ep, f1));
        }
    }
    best.map_or_else(|| (vec![0.0; nrows * NT], Trans::new(), 0), |(w, tr, ep, _)| (w, tr, ep))
}
