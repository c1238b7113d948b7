//! Scoring main-text extraction against the article-extraction benchmark
//! (scrapinghub/article-extraction-benchmark): a page's extracted body vs. the
//! hand-made `articleBody`, by the benchmark's own metric, ported from its
//! `evaluate.py` so that a test can pin the floor: tokens are `\w+` runs,
//! texts are compared as multisets of 4-token shingles, each page's
//! TP/FP/FN are normalised to sum to 1, precision and recall are means over
//! pages, and F1 is their harmonic mean.

use std::collections::HashMap;

/// One page's normalised true positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageCounts {
    /// Shingles in both.
    pub tp: f64,
    /// Shingles only in the prediction.
    pub fp: f64,
    /// Shingles only in the truth.
    pub fn_: f64,
}

impl PageCounts {
    /// The page's precision, as `evaluate.py` computes it.
    pub fn precision(&self) -> f64 {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else if self.tp == 0.0 && self.fp == 0.0 {
            0.0
        } else {
            self.tp / (self.tp + self.fp)
        }
    }

    /// The page's recall, as `evaluate.py` computes it.
    pub fn recall(&self) -> f64 {
        if self.fp == 0.0 && self.fn_ == 0.0 {
            1.0
        } else if self.tp == 0.0 && self.fn_ == 0.0 {
            0.0
        } else {
            self.tp / (self.tp + self.fn_)
        }
    }
}

/// The scores over all pages.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scores {
    /// Mean precision over pages with a prediction or a truth.
    pub precision: f64,
    /// Mean recall over pages with a truth.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
    /// Share of pages whose token sequences are equal.
    pub accuracy: f64,
    /// Pages scored.
    pub pages: usize,
}

impl Scores {
    /// One row: pages, precision, recall, f1, accuracy.
    pub fn to_batch(&self) -> datafusion::arrow::record_batch::RecordBatch {
        use std::sync::Arc;

        use datafusion::arrow::array::{ArrayRef, Float64Array, UInt64Array};
        use datafusion::arrow::datatypes::{DataType, Field, Schema};
        let names = ["precision", "recall", "f1", "accuracy"];
        let mut fields = vec![Field::new("pages", DataType::UInt64, false)];
        fields.extend(names.iter().map(|name| Field::new(*name, DataType::Float64, false)));
        let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
        let mut columns: Vec<ArrayRef> = vec![Arc::new(UInt64Array::from(vec![self.pages as u64]))];
        for value in [self.precision, self.recall, self.f1, self.accuracy] {
            columns.push(Arc::new(Float64Array::from(vec![round(value)])));
        }
        datafusion::arrow::record_batch::RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
            .expect("columns match the schema")
    }
}

/// `\w+` tokens, as Python's `re` finds them (Unicode word characters).
fn tokens(text: &str) -> Vec<&str> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || is_mark(c);
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// Combining marks count as word characters in Python's `\w`.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn shingles<'a>(tokens: &'a [&'a str]) -> HashMap<&'a [&'a str], usize> {
    const N: usize = 4;
    let mut counts = HashMap::new();
    let windows = tokens.len().saturating_sub(N) + 1;
    for i in 0..windows.max(1) {
        let shingle = &tokens[i.min(tokens.len())..(i + N).min(tokens.len())];
        if !shingle.is_empty() {
            *counts.entry(shingle).or_insert(0) += 1;
        }
    }
    counts
}

/// Compares one page's extracted text with its truth.
pub fn score_page(truth: &str, predicted: &str) -> PageCounts {
    let (true_tokens, pred_tokens) = (tokens(truth), tokens(predicted));
    let (t, p) = (shingles(&true_tokens), shingles(&pred_tokens));
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for (key, &tc) in &t {
        let pc = p.get(key).copied().unwrap_or(0);
        tp += tc.min(pc) as f64;
        fn_ += tc.saturating_sub(pc) as f64;
    }
    for (key, &pc) in &p {
        fp += pc.saturating_sub(t.get(key).copied().unwrap_or(0)) as f64;
    }
    let sum = tp + fp + fn_;
    if sum > 0.0 {
        return PageCounts { tp: tp / sum, fp: fp / sum, fn_: fn_ / sum };
    }
    PageCounts { tp, fp, fn_ }
}

/// True when the two texts have the same tokens.
pub fn same_tokens(truth: &str, predicted: &str) -> bool {
    tokens(truth) == tokens(predicted)
}

/// Scores pages given as (truth, prediction) pairs.
pub fn score<'a>(pages: impl IntoIterator<Item = (&'a str, &'a str)>) -> Scores {
    let mut counts = Vec::new();
    let mut exact = 0;
    for (truth, predicted) in pages {
        counts.push(score_page(truth, predicted));
        exact += usize::from(same_tokens(truth, predicted));
    }
    let mean =
        |values: Vec<f64>| if values.is_empty() { 0.0 } else { values.iter().sum::<f64>() / values.len() as f64 };
    let precision = mean(counts.iter().filter(|c| c.tp + c.fp > 0.0).map(PageCounts::precision).collect());
    let recall = mean(counts.iter().filter(|c| c.tp + c.fn_ > 0.0).map(PageCounts::recall).collect());
    let f1 = if precision + recall > 0.0 { 2.0 * precision * recall / (precision + recall) } else { 0.0 };
    let accuracy = if counts.is_empty() { 0.0 } else { exact as f64 / counts.len() as f64 };
    Scores { precision, recall, f1, accuracy, pages: counts.len() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingle_counts_as_evaluate_py() {
        // Computed with the benchmark's evaluate.py (string_shingle_matching).
        let c = score_page("one two three four five six", "zero one two three four five");
        assert_eq!((c.tp, c.fp, c.fn_), (2.0 / 4.0, 1.0 / 4.0, 1.0 / 4.0));
        let c = score_page("a b", "a b");
        assert_eq!((c.precision(), c.recall()), (1.0, 1.0));
        let c = score_page("a b c d", "");
        assert_eq!((c.tp, c.fp, c.fn_), (0.0, 0.0, 1.0));
        assert_eq!(tokens("Don’t stop—now_1 ümlaut"), ["Don", "t", "stop", "now_1", "ümlaut"]);
        let s = score([("a b c d e", "a b c d e"), ("a b c d", "x y z w")]);
        assert_eq!((s.precision, s.recall, s.accuracy), (0.5, 0.5, 0.5));
    }
}

/// The benchmark run over a folder holding `html/` and `ground-truth.json`.
#[derive(Debug)]
pub struct Run {
    /// The scores.
    pub scores: Scores,
    /// Each page's id, counts and predicted body, in id order.
    pub pages: Vec<(String, PageCounts, String)>,
}

/// Loads `DIR/html` as docsql loads any folder, and scores each page's
/// `body` against `DIR/ground-truth.json`. A page docsql gave no article for
/// scores as an empty body.
pub fn evaluate_folder(dir: &std::path::Path) -> Result<Run, String> {
    let truth_path = dir.join("ground-truth.json");
    let truth_text =
        std::fs::read_to_string(&truth_path).map_err(|e| format!("cannot read {}: {e}", truth_path.display()))?;
    let truth: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&truth_text).map_err(|e| format!("{}: {e}", truth_path.display()))?;
    let html = dir.join("html");
    let corpus = crate::corpus::load_paths(&[html.display().to_string()], crate::corpus::DEFAULT_MAX_DOC_SIZE);
    let bodies: HashMap<&str, &str> =
        corpus.documents.iter().map(|d| (d.id.rsplit('/').next().unwrap_or(&d.id), d.body.as_str())).collect();
    let mut ids: Vec<&String> = truth.keys().collect();
    ids.sort();
    let mut pages = Vec::new();
    for id in ids {
        let expected = truth[id].get("articleBody").and_then(|b| b.as_str()).unwrap_or_default();
        let predicted = bodies.get(id.as_str()).copied().unwrap_or_default();
        pages.push((id.clone(), score_page(expected, predicted), predicted.to_string()));
    }
    let scores = score(truth.iter().map(|(id, page)| {
        let expected = page.get("articleBody").and_then(|b| b.as_str()).unwrap_or_default();
        (expected, bodies.get(id.as_str()).copied().unwrap_or_default())
    }));
    Ok(Run { scores, pages })
}

/// The predictions as the benchmark's `evaluate.py` reads them:
/// `{id: {"articleBody": …}}`.
pub fn predictions_json(run: &Run) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        run.pages.iter().map(|(id, _, body)| (id.clone(), serde_json::json!({ "articleBody": body }))).collect();
    serde_json::Value::Object(map).to_string()
}
