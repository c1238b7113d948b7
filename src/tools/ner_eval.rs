//! Scoring a tagger against a CoNLL file: precision, recall and F1 per entity
//! type and overall, with conlleval's exact-match rule, and the scores as the
//! table `docsql eval-ner` prints.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Float64Array, StringArray, UInt64Array};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::record_batch::RecordBatch;

use super::conll::{iob_chunks, read_conll};
use crate::extract::ner::NerModel;
use crate::extract::ner::tags::{Chunk, TYPE_NAMES, TYPES};

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
pub(crate) struct Counts([[usize; 3]; 4]);
impl Counts {
    /// Counts the chunks of one sentence.
    pub(crate) fn add(&mut self, gold: &[Chunk], pred: &[Chunk]) {
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
    /// Overall F1 so far.
    pub(crate) fn f1(&self) -> f64 {
        self.scores(0).overall.f1
    }
}

impl Scores {
    /// The scores as a table `type, precision, recall, f1, gold, predicted`, one
    /// row per type and a last row `ALL` (fractions in 0..1).
    pub fn to_batch(&self) -> RecordBatch {
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
        RecordBatch::try_new(schema, columns).expect("columns match the schema")
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
            let ps: Vec<Chunk> =
                p.iter().map(|&(a, b, l, _)| (a, b, TYPES.iter().position(|x| *x == l).unwrap())).collect();
            c.add(&gold, &ps);
        }
    }
    c.scores(tokens)
}

#[cfg(test)]
mod tests {
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::Float64Type;

    use super::*;
    use crate::extract::ner::embedded;

    const CONLL: &str = "-DOCSTART- -X- O O\n\nHelmut NNP I-NP I-PER\nKohl NNP I-NP I-PER\nvisited VBD I-VP O\n\
                         Brussels NNP I-NP I-LOC\n. . O O\n";

    #[test]
    fn scores_count_exact_matches() {
        let mut counts = Counts::default();
        // Gold: PER 0..2, LOC 3..4; predicted: PER 0..2 (right), ORG 3..4 (wrong type).
        counts.add(&[(0, 2, 0), (3, 4, 2)], &[(0, 2, 0), (3, 4, 1)]);
        let scores = counts.scores(5);
        let per = &scores.per_type[0];
        assert_eq!((per.gold, per.predicted, per.correct, per.f1), (1, 1, 1, 1.0));
        assert_eq!((scores.per_type[1].predicted, scores.per_type[1].precision), (1, 0.0));
        assert_eq!((scores.per_type[2].gold, scores.per_type[2].recall), (1, 0.0));
        assert_eq!((scores.overall.gold, scores.overall.predicted, scores.overall.correct), (2, 2, 1));
        assert_eq!((scores.overall.precision, scores.overall.recall, scores.overall.f1), (0.5, 0.5, 0.5));
        assert_eq!(scores.tokens, 5);
    }

    #[test]
    fn evaluate_tags_and_scores_a_conll_file() {
        let scores = evaluate(embedded(), CONLL);
        assert_eq!(scores.tokens, 5);
        assert_eq!(scores.overall.gold, 2);
        assert_eq!(scores.overall.correct, 2, "{scores:?}");
        let batch = scores.to_batch();
        let schema = batch.schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, ["type", "precision", "recall", "f1", "gold", "predicted"]);
        let types: Vec<&str> = batch.column(0).as_string::<i32>().iter().map(Option::unwrap).collect();
        assert_eq!(types, ["PER", "ORG", "LOC", "MISC", "ALL"]);
        let f1 = batch.column(3).as_primitive::<Float64Type>();
        assert_eq!(f1.len(), 5);
        assert_eq!(f1.value(4), scores.overall.f1);
    }
}
