//! Training: averaged structured perceptron with Viterbi decoding, epoch chosen on dev.

use super::*;

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
    /// Print progress to stderr.
    pub verbose: bool,
}

/// Clusters shipped with the crate (computed by [`clusters::build`] from the BBC
/// corpus and the CoNLL-2003 training text).
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
            verbose: false,
        }
    }
}

/// Trains the tagger on CoNLL text `train_conll`, picking the epoch by F1 on
/// `dev_conll`. Deterministic for a given `seed`.
pub fn train(train_conll: &str, dev_conll: &str, seed: u64, epochs: usize) -> NerModel {
    train_with(train_conll, dev_conll, &TrainOptions { seed, epochs, ..Default::default() })
}

/// A sentence with features mapped to weight rows.
struct FSent {
    feats: Vec<u32>,
    offs: Vec<u32>,
    gold: Vec<u8>,
}

/// A sentence with hashed features.
struct HSent {
    feats: Vec<u64>,
    offs: Vec<usize>,
    gold: Vec<u8>,
    chunks: Vec<(usize, usize, usize)>,
}

struct Corpus {
    docs: Vec<Vec<Vec<String>>>,
    chunks: Vec<Vec<Vec<(usize, usize, usize)>>>,
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

fn ctx_of(
    doc: &[Vec<String>],
    clusters: &ClusterMap,
    tgaz: Option<&gazetteer::SeqMap>,
    use_doc: bool,
    gaz: Option<&gazetteer::Gaz>,
) -> DocCtx {
    let words: Vec<Vec<&str>> = doc.iter().map(|s| s.iter().map(|w| w.as_str()).collect()).collect();
    let refs: Vec<&[&str]> = words.iter().map(|v| v.as_slice()).collect();
    doc_ctx(&refs, clusters, tgaz, use_doc, gaz)
}

fn hashed(
    ctx: &DocCtx,
    chunks: &[Vec<(usize, usize, usize)>],
    use_doc: bool,
    use_gaz: bool,
    stage2: bool,
) -> Vec<HSent> {
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

fn dictionary<'a>(sents: impl Iterator<Item = &'a HSent> + Clone, min_count: u32) -> (FastMap<u64, u32>, Vec<u64>) {
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

fn map_sent(s: &HSent, dict: &FastMap<u64, u32>) -> FSent {
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

fn emissions(w: &[f32], s: &FSent, em: &mut Vec<[f32; NT]>) {
    em.clear();
    for t in 0..s.offs.len() - 1 {
        let mut e = [0f32; NT];
        for &r in &s.feats[s.offs[t] as usize..s.offs[t + 1] as usize] {
            let row = &w[r as usize * NT..r as usize * NT + NT];
            for k in 0..NT {
                e[k] += row[k];
            }
        }
        em.push(e);
    }
}

fn decode(w: &[f32], tr: &Trans, s: &FSent) -> Vec<u8> {
    let mut em = Vec::new();
    emissions(w, s, &mut em);
    viterbi(&em, tr, &mut Vec::new(), &mut Vec::new())
}

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

fn tr_index(prev: Option<u8>, cur: Option<u8>) -> usize {
    match (prev, cur) {
        (None, Some(c)) => c as usize,
        (Some(p), Some(c)) => NT * (p as usize + 1) + c as usize,
        (Some(p), None) => NT * (NT + 1) + p as usize,
        _ => unreachable!(),
    }
}

/// Averaged perceptron. Returns averaged weights and transitions of the best epoch on
/// `dev` (or of the last epoch when `dev` is empty), and that epoch (1-based).
fn perceptron(
    train: &[FSent],
    nrows: usize,
    dev: &[(FSent, Vec<(usize, usize, usize)>)],
    epochs: usize,
    seed: u64,
    dropout: u32,
    verbose: bool,
) -> (Vec<f32>, Trans, usize, f64) {
    let mut w = vec![0f32; nrows * NT];
    let mut u = vec![0f32; nrows * NT];
    let base = Trans::new().flat();
    let mut tw = base.clone();
    let mut tu = vec![0f32; tw.len()];
    let mut c: f32 = 1.0;
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = Rng(seed);
    let mut em = Vec::new();
    let mut alpha = Vec::new();
    let mut back = Vec::new();
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
            // Word dropout: hide the word-identity features (positions 1 and 2 of
            // each token: exact and lowercase word) of some tokens, so that context,
            // shape and cluster features learn to carry unseen names.
            drop.clear();
            for _ in 0..s.gold.len() {
                drop.push(dropout > 0 && rng.next() % 1000 < dropout as u64);
            }
            em.clear();
            for t in 0..s.offs.len() - 1 {
                let mut e = [0f32; NT];
                let fs = &s.feats[s.offs[t] as usize..s.offs[t + 1] as usize];
                for (j, &r) in fs.iter().enumerate() {
                    if drop[t] && (j == 1 || j == 2) {
                        continue;
                    }
                    let row = &w[r as usize * NT..r as usize * NT + NT];
                    for k in 0..NT {
                        e[k] += row[k];
                    }
                }
                em.push(e);
            }
            let tr = Trans::from_flat(&tw);
            let pred = viterbi(&em, &tr, &mut alpha, &mut back);
            if pred == s.gold {
                c += 1.0;
                continue;
            }
            errors += 1;
            for t in 0..pred.len() {
                let (g, p) = (s.gold[t] as usize, pred[t] as usize);
                if g != p {
                    for (j, &r) in s.feats[s.offs[t] as usize..s.offs[t + 1] as usize].iter().enumerate() {
                        if drop[t] && (j == 1 || j == 2) {
                            continue;
                        }
                        let b = r as usize * NT;
                        w[b + g] += 1.0;
                        u[b + g] += c;
                        w[b + p] -= 1.0;
                        u[b + p] -= c;
                    }
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
                    tw[gi] += 1.0;
                    tu[gi] += c;
                    tw[pi] -= 1.0;
                    tu[pi] -= c;
                }
            }
            c += 1.0;
        }
        let avg: Vec<f32> = w.iter().zip(&u).map(|(a, b)| a - b / c).collect();
        let tavg: Vec<f32> =
            tw.iter().zip(&tu).zip(&base).map(|((a, b), z)| if *z <= NEG { NEG } else { a - b / c }).collect();
        let tr = Trans::from_flat(&tavg);
        let f1 = if dev.is_empty() {
            0.0
        } else {
            let mut cnt = Counts::default();
            for (s, gold) in dev {
                let tags = decode(&avg, &tr, s);
                cnt.add(gold, &spans_of(&tags));
            }
            cnt.f1()
        };
        if verbose {
            eprintln!("  epoch {ep}: {errors} wrong sentences, dev F1 {f1:.4}");
        }
        if best.as_ref().is_none_or(|b| f1 > b.3 || dev.is_empty()) {
            best = Some((avg, tr, ep, f1));
        }
    }
    best.unwrap_or_else(|| (vec![0.0; nrows * NT], Trans::new(), 0, 0.0))
}

/// Builds a layer from averaged weights, dropping all-zero rows.
fn layer_of(keys: &[u64], w: &[f32], tr: Trans) -> Layer {
    let mut k2 = Vec::new();
    let mut w2 = Vec::new();
    for (r, &k) in keys.iter().enumerate() {
        let row = &w[r * NT..r * NT + NT];
        if row.iter().any(|x| x.abs() > 1e-3) {
            k2.push(k);
            w2.extend_from_slice(row);
        }
    }
    Layer { keys: k2, weights: w2, trans: tr }
}

/// Trains one layer on hashed sentences; returns (keys, weights, trans, best epoch).
fn train_layer(
    tr_sents: &[&HSent],
    dev_sents: &[&HSent],
    epochs: usize,
    seed: u64,
    min_count: u32,
    ensemble: usize,
    dropout: u32,
    verbose: bool,
) -> (Vec<u64>, Vec<f32>, Trans, usize, FastMap<u64, u32>) {
    let (dict, keys) = dictionary(tr_sents.iter().copied(), min_count);
    if verbose {
        eprintln!("  {} features", keys.len());
    }
    let fs: Vec<FSent> = tr_sents.iter().map(|s| map_sent(s, &dict)).collect();
    let ds: Vec<(FSent, Vec<(usize, usize, usize)>)> =
        dev_sents.iter().map(|s| (map_sent(s, &dict), s.chunks.clone())).collect();
    let (mut w, tr, ep, _) = perceptron(&fs, keys.len(), &ds, epochs, seed, dropout, verbose);
    if ensemble > 1 {
        // Average the weights of perceptrons trained on different sentence orders
        // (each for the epoch count chosen by the first).
        let mut tf = tr.flat();
        for e in 1..ensemble {
            let (w2, tr2, _, _) =
                perceptron(&fs, keys.len(), &[], ep, seed.wrapping_add(e as u64 * 7919), dropout, false);
            for (a, b) in w.iter_mut().zip(&w2) {
                *a += b;
            }
            for (a, b) in tf.iter_mut().zip(tr2.flat()) {
                if *a > NEG {
                    *a += b;
                }
            }
        }
        let n = ensemble as f32;
        w.iter_mut().for_each(|x| *x /= n);
        tf.iter_mut().for_each(|x| {
            if *x > NEG {
                *x /= n
            }
        });
        let tr = Trans::from_flat(&tf);
        if verbose && !ds.is_empty() {
            let mut cnt = Counts::default();
            for (s, gold) in &ds {
                cnt.add(gold, &spans_of(&decode(&w, &tr, s)));
            }
            eprintln!("  ensemble of {ensemble}: dev F1 {:.4}", cnt.f1());
        }
        return (keys, w, tr, ep, dict);
    }
    (keys, w, tr, ep, dict)
}

/// Trains with explicit options.
pub fn train_with(train_conll: &str, dev_conll: &str, o: &TrainOptions) -> NerModel {
    let clusters = clusters::parse(&o.clusters);
    let trc = corpus(train_conll);
    let dvc = corpus(dev_conll);
    let use_doc = o.doc_features;
    let use_gaz = o.gazetteers;
    let gaz = if use_gaz { Some(gazetteer::build()) } else { None };
    let nf = o.folds.max(2);
    // Training-entity dictionary: for each training document from the other folds
    // only (so its features look as they will on unseen text), for dev and at run
    // time from all training documents.
    let tgaz_of = |skip: Option<usize>| -> gazetteer::SeqMap {
        let mut m = gazetteer::SeqMap::default();
        for (i, (d, ch)) in trc.docs.iter().zip(&trc.chunks).enumerate() {
            if skip.is_some_and(|f| i % nf == f) {
                continue;
            }
            for (s, cs) in d.iter().zip(ch) {
                for &(a, b, ty) in cs {
                    let lws: Vec<u64> = s[a..b].iter().map(|w| features::hs_norm(w)).collect();
                    gazetteer::seq_insert(&mut m, &lws, ty);
                }
            }
        }
        m
    };
    let (fold_gaz, full_gaz) = if o.train_gazetteer {
        ((0..nf).map(|f| Some(tgaz_of(Some(f)))).collect::<Vec<_>>(), Some(tgaz_of(None)))
    } else {
        (vec![None; nf], None)
    };
    let mut tctx: Vec<DocCtx> = trc
        .docs
        .iter()
        .enumerate()
        .map(|(i, d)| ctx_of(d, &clusters, fold_gaz[i % nf].as_ref(), use_doc, gaz.as_ref()))
        .collect();
    let mut dctx: Vec<DocCtx> =
        dvc.docs.iter().map(|d| ctx_of(d, &clusters, full_gaz.as_ref(), use_doc, gaz.as_ref())).collect();
    let mut flags = 0;
    if use_doc {
        flags |= FLAG_DOC;
    }
    if use_gaz {
        flags |= FLAG_GAZ;
    }
    if o.train_gazetteer {
        flags |= FLAG_TGAZ;
    }
    let stages = if o.stage2 { o.stages.max(2) } else { 1 };
    let mut layers = Vec::new();
    let mut prev: Option<(Vec<Vec<Vec<u8>>>, Vec<Vec<Vec<u8>>>)> = None;
    for stage in 0..stages {
        let s2 = stage > 0;
        if let Some((train_tags, dev_tags)) = prev.take() {
            for (c, t) in tctx.iter_mut().zip(&train_tags) {
                stage2_ctx(c, t);
            }
            for (c, t) in dctx.iter_mut().zip(&dev_tags) {
                stage2_ctx(c, t);
            }
        }
        let th: Vec<Vec<HSent>> =
            tctx.iter().zip(&trc.chunks).map(|(c, ch)| hashed(c, ch, use_doc, use_gaz, s2)).collect();
        let dh: Vec<Vec<HSent>> =
            dctx.iter().zip(&dvc.chunks).map(|(c, ch)| hashed(c, ch, use_doc, use_gaz, s2)).collect();
        let all_t: Vec<&HSent> = th.iter().flatten().collect();
        let all_d: Vec<&HSent> = dh.iter().flatten().collect();
        if o.verbose {
            eprintln!("stage {}: {} train sentences, {} dev sentences", stage + 1, all_t.len(), all_d.len());
        }
        let seed = o.seed ^ (stage as u64).wrapping_mul(0x5eed);
        let (keys, w, tr, ep, dict) =
            train_layer(&all_t, &all_d, o.epochs, seed, o.min_count, o.ensemble, o.dropout, o.verbose);
        if stage + 1 < stages {
            // Labels of this stage for the next one: on training documents from
            // k-fold jackknifing, so the next layer learns how far to trust
            // imperfect labels; on dev from the full model.
            let mut train_tags: Vec<Vec<Vec<u8>>> = vec![Vec::new(); th.len()];
            for fold in 0..nf {
                let fit: Vec<&HSent> =
                    th.iter().enumerate().filter(|(i, _)| i % nf != fold).flat_map(|(_, d)| d.iter()).collect();
                if o.verbose {
                    eprintln!("  jackknife fold {fold}: {} sentences, {ep} epochs", fit.len());
                }
                let (_, fw, ftr, _, fdict) =
                    train_layer(&fit, &[], ep, seed, o.min_count, o.ensemble, o.dropout, false);
                for (i, d) in th.iter().enumerate() {
                    if i % nf == fold {
                        train_tags[i] = d.iter().map(|s| decode(&fw, &ftr, &map_sent(s, &fdict))).collect();
                    }
                }
            }
            let dev_tags: Vec<Vec<Vec<u8>>> =
                dh.iter().map(|d| d.iter().map(|s| decode(&w, &tr, &map_sent(s, &dict))).collect()).collect();
            prev = Some((train_tags, dev_tags));
        }
        layers.push(layer_of(&keys, &w, tr));
    }
    let mut model =
        NerModel { flags, clusters, weights: Weights::from_layers(layers), gaz, tgaz: full_gaz, calib: (1.0, 0.0) };
    model.calib = calibrate(&model, &dvc);
    model
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
