//! The trained tagger ([`NerModel`]): its parts and how it tags a document
//! layer by layer. Reading and writing it is in [`super::format`].

use super::context::{DocCtx, doc_ctx, sentence_feats, stage2_ctx};
use super::decode::{Trans, margins, viterbi};
use super::features::{self, ClusterMap};
use super::gazetteer::{Gaz, SeqMap};
use super::tags::{Chunk, NT, TYPES, spans_of};
use super::weights::Weights;
use crate::extract::mention::EntityLabel;

/// An entity found by the tagger: start token, end token (exclusive), label and
/// confidence in 0..1.
pub type Span = (usize, usize, EntityLabel, f32);

/// Model flag: document-level features are used.
pub(crate) const FLAG_DOC: u32 = 1;
/// Model flag: the model carries gazetteer lists.
pub(crate) const FLAG_GAZ: u32 = 2;
/// Model flag: the model carries the training data's entities.
pub(crate) const FLAG_TGAZ: u32 = 4;

/// A trained tagger: one or more linear layers (each after the first uses the
/// previous layer's labels elsewhere in the document), word clusters, the
/// lists it was trained with and a confidence calibration.
pub struct NerModel {
    /// [`FLAG_DOC`], [`FLAG_GAZ`], [`FLAG_TGAZ`].
    pub(crate) flags: u32,
    /// Word clusters.
    pub(crate) clusters: ClusterMap,
    /// All layers' weights.
    pub(crate) weights: Weights,
    /// Hashed gazetteer lists, if used.
    pub(crate) gaz: Option<Gaz>,
    /// Entities of the training data (token sequences -> type bits), if used.
    pub(crate) tgaz: Option<SeqMap>,
    /// Confidence = sigmoid(a * margin + b).
    pub(crate) calib: (f32, f32),
}

impl std::fmt::Debug for NerModel {
    // The weights are megabytes: show the model's shape instead.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NerModel")
            .field("flags", &self.flags)
            .field("layers", &self.weights.nl)
            .field("features", &self.weights.keys.len())
            .field("clusters", &self.clusters.len())
            .field("calib", &self.calib)
            .finish_non_exhaustive()
    }
}

/// A sentence's first-layer weight rows, looked up once for all layers: the
/// rows of token `t` are `rows[offs[t]..offs[t + 1]]`.
struct SentenceRows {
    rows: Vec<u32>,
    offs: Vec<usize>,
}

/// Buffers reused from sentence to sentence while tagging.
#[derive(Default)]
struct Scratch {
    em: Vec<[f32; NT]>,
    alpha: Vec<[f32; NT]>,
    back: Vec<[u8; NT]>,
    feats: Vec<u64>,
    rows: Vec<u32>,
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

    /// Spans with type index and raw Viterbi margin (the smallest margin of
    /// the span's tokens), per sentence.
    pub(crate) fn tag_document_raw(&self, sentences: &[&[&str]]) -> Vec<Vec<(usize, usize, usize, f32)>> {
        let use_doc = self.flags & FLAG_DOC != 0;
        let mut ctx = doc_ctx(sentences, &self.clusters, self.tgaz.as_ref(), use_doc, self.gaz.as_ref());
        let base = self.first_layer_rows(&ctx, sentences.len(), use_doc);
        let mut scratch = Scratch::default();
        let mut tags: Vec<Vec<u8>> = Vec::with_capacity(sentences.len());
        let nl = self.weights.nl;
        let mut out = Vec::with_capacity(sentences.len());
        for li in 0..nl {
            let last = li + 1 == nl;
            if li >= 1 {
                stage2_ctx(&mut ctx, &tags);
            }
            tags.clear();
            for (si, rows) in base.iter().enumerate() {
                self.emissions(li, &ctx, si, rows, &mut scratch);
                let tr = &self.weights.trans[li];
                let tg = viterbi(&scratch.em, tr, &mut scratch.alpha, &mut scratch.back);
                if last {
                    let spans = spans_of(&tg);
                    out.push(with_margins(spans, &scratch, tr, &tg));
                }
                tags.push(tg);
            }
        }
        out
    }

    /// Looks up the weight rows of every sentence's first-layer features.
    fn first_layer_rows(&self, ctx: &DocCtx, sentences: usize, use_doc: bool) -> Vec<SentenceRows> {
        let use_gaz = self.gaz.is_some();
        let mut out = Vec::with_capacity(sentences);
        let mut feats = Vec::new();
        let mut offs = Vec::new();
        for si in 0..sentences {
            sentence_feats(ctx, si, use_doc, use_gaz, false, &mut feats, &mut offs);
            let mut rows = Vec::with_capacity(feats.len());
            let mut roffs = Vec::with_capacity(offs.len());
            roffs.push(0);
            for t in 0..offs.len() - 1 {
                self.weights.rows(&feats[offs[t]..offs[t + 1]], &mut rows);
                roffs.push(rows.len());
            }
            out.push(SentenceRows { rows, offs: roffs });
        }
        out
    }

    /// Fills `scratch.em` with layer `li`'s emission scores of sentence `si`:
    /// the first-layer rows plus, from the second layer on, the rows of the
    /// document label evidence.
    fn emissions(&self, li: usize, ctx: &DocCtx, si: usize, base: &SentenceRows, scratch: &mut Scratch) {
        let wt = &self.weights;
        let scale = wt.scales[li];
        scratch.em.clear();
        for t in 0..base.offs.len() - 1 {
            let mut acc = [0i32; NT];
            wt.add(li, &base.rows[base.offs[t]..base.offs[t + 1]], &mut acc);
            if li >= 1 {
                scratch.feats.clear();
                scratch.rows.clear();
                features::stage2_features(&ctx.infos[si], t, &mut scratch.feats);
                wt.rows(&scratch.feats, &mut scratch.rows);
                wt.add(li, &scratch.rows, &mut acc);
            }
            let mut e = [0f32; NT];
            for k in 0..NT {
                e[k] = acc[k] as f32 * scale;
            }
            scratch.em.push(e);
        }
    }

    /// Number of features kept (weight rows, shared by the layers).
    pub fn num_features(&self) -> usize {
        self.weights.keys.len()
    }
}

/// `spans` of the decoded `tags`, each with the smallest margin of its tokens.
fn with_margins(spans: Vec<Chunk>, scratch: &Scratch, tr: &Trans, tags: &[u8]) -> Vec<(usize, usize, usize, f32)> {
    let m = if spans.is_empty() { Vec::new() } else { margins(&scratch.em, tr, &scratch.alpha, tags) };
    spans.into_iter().map(|(s, e, ty)| (s, e, ty, m[s..e].iter().cloned().fold(f32::INFINITY, f32::min))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ner::embedded;

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
    }

    #[test]
    fn typographic_quotes_match_ascii() {
        let m = embedded();
        let a = m.tag(&["\u{201c}", "We", "will", "win", ",", "\u{201d}", "said", "Jacques", "Chirac", "."]);
        let b = m.tag(&["\"", "We", "will", "win", ",", "\"", "said", "Jacques", "Chirac", "."]);
        assert_eq!(a, b);
    }
}
