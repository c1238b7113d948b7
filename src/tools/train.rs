//! Training the tagger: the corpus, the training-entity dictionaries and the
//! layers, each trained on the previous layer's labels (from k-fold
//! jackknifing on the training documents), then the confidence calibration.

use super::clusters;
use super::conll::{iob_chunks, read_conll};
use super::perceptron::{HSent, LayerOptions, TrainedLayer, report, train_layer};
use crate::extract::ner::NerModel;
use crate::extract::ner::context::{DocCtx, doc_ctx, sentence_feats, stage2_ctx};
use crate::extract::ner::features::ClusterMap;
use crate::extract::ner::gazetteer::{self, Gaz, SeqMap};
use crate::extract::ner::hash::hs_norm;
use crate::extract::ner::model::{FLAG_DOC, FLAG_GAZ, FLAG_TGAZ};
use crate::extract::ner::tags::{Chunk, bilou};
use crate::extract::ner::weights::Weights;
use crate::report::Reporter;

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Passes over the training data (the best epoch on dev is kept).
    pub epochs: usize,
    /// Seed of the sentence order shuffle.
    pub seed: u64,
    /// Use document-level casing features.
    pub doc_features: bool,
    /// Use gazetteer membership features.
    pub gazetteers: bool,
    /// Use a dictionary of the training data's entities (jackknifed in training).
    pub train_gazetteer: bool,
    /// Train a second layer on first-pass labels elsewhere in the document.
    pub stage2: bool,
    /// Word clusters, one `word<TAB>c1<TAB>c2<TAB>c3` line per word (empty = none).
    pub clusters: String,
    /// Features seen fewer times than this in training are dropped.
    pub min_count: u32,
    /// Perceptrons (different sentence orders) averaged per layer.
    pub ensemble: usize,
    /// Word dropout rate in thousandths (see the perceptron).
    pub dropout: u32,
    /// Number of layers when `stage2` is set (2 or more): each layer sees the
    /// previous layer's labels elsewhere in the document.
    pub stages: usize,
    /// Folds of the jackknife that produces first-pass labels for stage 2.
    pub folds: usize,
}

/// Clusters shipped with the crate (computed by [`clusters::build_from_corpus`]
/// from the BBC corpus and the CoNLL-2003 training text).
const CLUSTERS: &str = include_str!("clusters.txt");

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 20,
            seed: 1,
            doc_features: true,
            gazetteers: true,
            train_gazetteer: true,
            stage2: true,
            clusters: CLUSTERS.to_string(),
            min_count: 1,
            ensemble: 3,
            dropout: 0,
            folds: 4,
            stages: 3,
        }
    }
}

/// Trains the tagger on CoNLL text `train_conll`, picking the epoch by F1 on
/// `dev_conll`. Deterministic for a given `seed`.
pub fn train(train_conll: &str, dev_conll: &str, seed: u64, epochs: usize) -> NerModel {
    train_with(train_conll, dev_conll, &TrainOptions { seed, epochs, ..Default::default() }, None)
}

/// Trains with explicit options; `reporter`, if any, hears of each stage and
/// epoch (which costs an extra pass over dev per ensemble).
pub fn train_with(train_conll: &str, dev_conll: &str, o: &TrainOptions, reporter: Option<&dyn Reporter>) -> NerModel {
    let clusters = clusters::parse(&o.clusters);
    let trc = corpus(train_conll);
    let dvc = corpus(dev_conll);
    let gaz = if o.gazetteers { Some(gazetteer::build()) } else { None };
    let nf = o.folds.max(2);
    let (fold_gaz, full_gaz) = if o.train_gazetteer {
        (
            (0..nf).map(|f| Some(entity_dictionary(&trc, nf, Some(f)))).collect::<Vec<_>>(),
            Some(entity_dictionary(&trc, nf, None)),
        )
    } else {
        (vec![None; nf], None)
    };
    let mut contexts = Contexts {
        train: trc
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| ctx_of(d, &clusters, fold_gaz[i % nf].as_ref(), o.doc_features, gaz.as_ref()))
            .collect(),
        dev: dvc.docs.iter().map(|d| ctx_of(d, &clusters, full_gaz.as_ref(), o.doc_features, gaz.as_ref())).collect(),
    };
    let layers = train_layers(o, &trc, &dvc, &mut contexts, reporter);
    let mut flags = 0;
    if o.doc_features {
        flags |= FLAG_DOC;
    }
    if o.gazetteers {
        flags |= FLAG_GAZ;
    }
    if o.train_gazetteer {
        flags |= FLAG_TGAZ;
    }
    let mut model =
        NerModel { flags, clusters, weights: Weights::from_layers(layers), gaz, tgaz: full_gaz, calib: (1.0, 0.0) };
    model.calib = calibrate(&model, &dvc);
    model
}

/// A CoNLL file as words and gold chunks, per document and sentence.
struct Corpus {
    docs: Vec<Vec<Vec<String>>>,
    chunks: Vec<Vec<Vec<Chunk>>>,
}

fn corpus(text: &str) -> Corpus {
    let docs = read_conll(text);
    let mut c = Corpus { docs: Vec::new(), chunks: Vec::new() };
    for d in docs {
        let mut ws = Vec::new();
        let mut cs = Vec::new();
        for s in d.sentences {
            let tags: Vec<&str> = s.iter().map(|(_, t)| t.as_str()).collect();
            cs.push(iob_chunks(&tags));
            ws.push(s.into_iter().map(|(w, _)| w).collect());
        }
        c.docs.push(ws);
        c.chunks.push(cs);
    }
    c
}

/// The training data's entities as a gazetteer, from the documents outside
/// fold `skip` (of `folds`), or from all of them.
///
/// Each training document gets the dictionary of the other folds only, so its
/// features look as they will on unseen text; dev and the model (at run time)
/// get the dictionary of all training documents.
fn entity_dictionary(trc: &Corpus, folds: usize, skip: Option<usize>) -> SeqMap {
    let mut m = SeqMap::default();
    for (i, (d, ch)) in trc.docs.iter().zip(&trc.chunks).enumerate() {
        if skip.is_some_and(|f| i % folds == f) {
            continue;
        }
        for (s, cs) in d.iter().zip(ch) {
            for &(a, b, ty) in cs {
                let lws: Vec<u64> = s[a..b].iter().map(|w| hs_norm(w)).collect();
                gazetteer::seq_insert(&mut m, &lws, ty);
            }
        }
    }
    m
}

fn ctx_of(
    doc: &[Vec<String>],
    clusters: &ClusterMap,
    tgaz: Option<&SeqMap>,
    use_doc: bool,
    gaz: Option<&Gaz>,
) -> DocCtx {
    let words: Vec<Vec<&str>> = doc.iter().map(|s| s.iter().map(|w| w.as_str()).collect()).collect();
    let refs: Vec<&[&str]> = words.iter().map(|v| v.as_slice()).collect();
    doc_ctx(&refs, clusters, tgaz, use_doc, gaz)
}

/// The hashed sentences of a document.
fn hashed(ctx: &DocCtx, chunks: &[Vec<Chunk>], use_doc: bool, use_gaz: bool, stage2: bool) -> Vec<HSent> {
    (0..chunks.len())
        .map(|si| {
            let mut feats = Vec::new();
            let mut offs = Vec::new();
            sentence_feats(ctx, si, use_doc, use_gaz, stage2, &mut feats, &mut offs);
            let n = offs.len() - 1;
            HSent { feats, offs, gold: bilou(n, &chunks[si]), chunks: chunks[si].clone() }
        })
        .collect()
}

/// Document contexts of the training and dev documents.
struct Contexts {
    train: Vec<DocCtx>,
    dev: Vec<DocCtx>,
}

/// Tags per document and sentence.
type DocTags = Vec<Vec<Vec<u8>>>;

/// Trains the layers in turn; each after the first sees the labels of the one
/// before (see [`stage_tags`]).
fn train_layers(
    o: &TrainOptions,
    trc: &Corpus,
    dvc: &Corpus,
    ctx: &mut Contexts,
    reporter: Option<&dyn Reporter>,
) -> Vec<crate::extract::ner::weights::Layer> {
    let (use_doc, use_gaz) = (o.doc_features, o.gazetteers);
    let stages = if o.stage2 { o.stages.max(2) } else { 1 };
    let mut layers = Vec::new();
    let mut prev: Option<(DocTags, DocTags)> = None;
    for stage in 0..stages {
        let s2 = stage > 0;
        if let Some((train_tags, dev_tags)) = prev.take() {
            for (c, t) in ctx.train.iter_mut().zip(&train_tags) {
                stage2_ctx(c, t);
            }
            for (c, t) in ctx.dev.iter_mut().zip(&dev_tags) {
                stage2_ctx(c, t);
            }
        }
        let th: Vec<Vec<HSent>> =
            ctx.train.iter().zip(&trc.chunks).map(|(c, ch)| hashed(c, ch, use_doc, use_gaz, s2)).collect();
        let dh: Vec<Vec<HSent>> =
            ctx.dev.iter().zip(&dvc.chunks).map(|(c, ch)| hashed(c, ch, use_doc, use_gaz, s2)).collect();
        let all_t: Vec<&HSent> = th.iter().flatten().collect();
        let all_d: Vec<&HSent> = dh.iter().flatten().collect();
        report(reporter, || {
            format!("stage {}: {} train sentences, {} dev sentences", stage + 1, all_t.len(), all_d.len())
        });
        let seed = o.seed ^ (stage as u64).wrapping_mul(0x5eed);
        let options =
            LayerOptions { epochs: o.epochs, seed, min_count: o.min_count, ensemble: o.ensemble, dropout: o.dropout };
        let layer = train_layer(&all_t, &all_d, &options, reporter);
        if stage + 1 < stages {
            let options = LayerOptions { epochs: layer.epoch, ..options };
            prev = Some(stage_tags(&th, &dh, &layer, &options, o.folds.max(2), reporter));
        }
        layers.push(layer.into_layer());
    }
    layers
}

/// Labels of one stage for the next: on training documents from k-fold
/// jackknifing (a layer trained on the other folds tags each fold), so the next
/// layer learns how far to trust imperfect labels; on dev from the full layer.
fn stage_tags(
    th: &[Vec<HSent>],
    dh: &[Vec<HSent>],
    layer: &TrainedLayer,
    options: &LayerOptions,
    nf: usize,
    reporter: Option<&dyn Reporter>,
) -> (DocTags, DocTags) {
    let mut train_tags: DocTags = vec![Vec::new(); th.len()];
    for fold in 0..nf {
        let fit: Vec<&HSent> =
            th.iter().enumerate().filter(|(i, _)| i % nf != fold).flat_map(|(_, d)| d.iter()).collect();
        report(reporter, || format!("  jackknife fold {fold}: {} sentences, {} epochs", fit.len(), options.epochs));
        let fold_layer = train_layer(&fit, &[], options, None);
        for (i, d) in th.iter().enumerate() {
            if i % nf == fold {
                train_tags[i] = d.iter().map(|s| fold_layer.decode(s)).collect();
            }
        }
    }
    let dev_tags: DocTags = dh.iter().map(|d| d.iter().map(|s| layer.decode(s)).collect()).collect();
    (train_tags, dev_tags)
}

/// Fits confidence = sigmoid(a * margin + b) on dev entities (correct or not) by grid
/// search on log loss.
fn calibrate(model: &NerModel, dev: &Corpus) -> (f32, f32) {
    let mut obs: Vec<(f32, bool)> = Vec::new();
    for (d, ch) in dev.docs.iter().zip(&dev.chunks) {
        let words: Vec<Vec<&str>> = d.iter().map(|s| s.iter().map(|w| w.as_str()).collect()).collect();
        let refs: Vec<&[&str]> = words.iter().map(|v| v.as_slice()).collect();
        for (spans, gold) in model.tag_document_raw(&refs).iter().zip(ch) {
            for &(s, e, ty, m) in spans {
                obs.push((m, gold.contains(&(s, e, ty))));
            }
        }
    }
    if obs.is_empty() {
        return (1.0, 0.0);
    }
    let mut best = (f64::INFINITY, 1.0f32, 0.0f32);
    for ai in 1..=60 {
        let a = ai as f32 * 0.05;
        for bi in -40..=40 {
            let b = bi as f32 * 0.1;
            let mut ll = 0.0f64;
            for &(m, ok) in &obs {
                let p = (1.0 / (1.0 + (-(a * m + b)).exp())).clamp(1e-6, 1.0 - 1e-6) as f64;
                ll -= if ok { p.ln() } else { (1.0 - p).ln() };
            }
            if ll < best.0 {
                best = (ll, a, b);
            }
        }
    }
    (best.1, best.2)
}
