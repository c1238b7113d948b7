//! Scores attributions (who said what) against PolNeAR's brat standoff
//! annotations (`../shared/eval/polnear`, research data: never shipped).
//!
//! The metric is issue #13's, so that numbers compare with the anchors measured
//! there (textacy, a regex baseline):
//! - **content F1**: predicted contents matched one-to-one to gold contents,
//!   greedily by character overlap; a pair matches when overlap / union >= 0.5 (a
//!   discontinuous gold content counts as its first-start..last-end span);
//! - **content exact F1**: contents equal after trimming white space and
//!   `. , " “ ” ' ‘ ’` at both ends (one-to-one);
//! - **source accuracy**: of matched pairs whose gold has a Source, the share
//!   whose predicted speaker overlaps it;
//! - **end-to-end F1**: a prediction is right when its content matches and
//!   (the gold has no source and we give none, or our speaker overlaps it);
//! - content and end-to-end F1 on **direct** quotes only: gold contents that start
//!   or end with a quotation mark against predictions of kind direct.
//!
//! Offsets everywhere are character (Unicode scalar) positions into the article
//! text, end exclusive, as in the .ann files.

use std::ops::Range;

/// One gold attribution from a .ann file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldAttribution {
    /// The content's segments (usually one).
    pub content: Vec<Range<usize>>,
    /// The source's segments, if the attribution has a source.
    pub source: Option<Vec<Range<usize>>>,
    /// The cue's segments (training reads them; the scores do not).
    pub cue: Option<Vec<Range<usize>>>,
}

/// What kind of quote a prediction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PredictedKind {
    /// Content in quotation marks.
    Direct,
    /// Reported speech ("said that …").
    Indirect,
    /// Both in one attribution.
    Mixed,
}

/// One predicted attribution, in character offsets into the article text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredictedQuote {
    /// Direct, indirect or mixed.
    pub kind: PredictedKind,
    /// The content span.
    pub content: Range<usize>,
    /// The speaker span, if any.
    pub speaker: Option<Range<usize>>,
}

/// Reads the attributions of one brat .ann file (`Discuss`/`Discard` notes and
/// unknown lines are ignored). Errors name the line that cannot be read.
pub fn read_ann(ann: &str) -> Result<Vec<GoldAttribution>, String> {
    let mut spans: std::collections::HashMap<&str, Vec<Range<usize>>> = std::collections::HashMap::new();
    let mut events = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        let mut fields = line.split('\t');
        let (Some(id), Some(body)) = (fields.next(), fields.next()) else { continue };
        if id.starts_with('T') {
            let Some((kind, offsets)) = body.split_once(' ') else { continue };
            if !matches!(kind, "Source" | "Cue" | "Content") {
                continue;
            }
            let mut segments = Vec::new();
            for segment in offsets.split(';') {
                let (a, b) = segment
                    .split_once(' ')
                    .and_then(|(a, b)| Some((a.trim().parse::<usize>().ok()?, b.trim().parse::<usize>().ok()?)))
                    .ok_or_else(|| format!("line {}: bad offsets {segment:?}", n + 1))?;
                segments.push(a..b.max(a));
            }
            spans.insert(id, segments);
        } else if id.starts_with('E') && body.starts_with("Attribution") {
            events.push(body);
        }
    }
    let mut out = Vec::new();
    for body in events {
        let role = |name: &str| {
            body.split_whitespace()
                .find_map(|part| part.strip_prefix(name).and_then(|p| p.strip_prefix(':')))
                .and_then(|t| spans.get(t).cloned())
        };
        let Some(content) = role("Content") else { continue };
        out.push(GoldAttribution { content, source: role("Source"), cue: role("Cue") });
    }
    Ok(out)
}

/// Counts behind a precision/recall/F1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predictions that are right.
    pub true_positives: usize,
    /// Predictions made.
    pub predicted: usize,
    /// Gold items.
    pub gold: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.true_positives += other.true_positives;
        self.predicted += other.predicted;
        self.gold += other.gold;
    }
    /// True positives over predictions (0 with none).
    pub fn precision(&self) -> f64 {
        ratio(self.true_positives, self.predicted)
    }
    /// True positives over gold items (0 with none).
    pub fn recall(&self) -> f64 {
        ratio(self.true_positives, self.gold)
    }
    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// The scores of a set of articles (add articles with [`QuoteScores::add_article`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuoteScores {
    /// Content matching by overlap.
    pub content: Counts,
    /// Content equal after trimming.
    pub content_exact: Counts,
    /// Matched pairs whose gold has a source: (speaker overlaps it, all).
    pub source: (usize, usize),
    /// Content matches and the source agrees.
    pub end_to_end: Counts,
    /// Content matching on direct quotes only.
    pub direct_content: Counts,
    /// End to end on direct quotes only.
    pub direct_end_to_end: Counts,
}

impl QuoteScores {
    /// Source accuracy: matched pairs with a gold source whose speaker overlaps it.
    pub fn source_accuracy(&self) -> f64 {
        ratio(self.source.0, self.source.1)
    }

    /// Scores one article: `text` is the article as the .ann offsets count it.
    pub fn add_article(&mut self, text: &str, gold: &[GoldAttribution], predicted: &[PredictedQuote]) {
        let chars: Vec<char> = text.chars().collect();
        let slice =
            |r: &Range<usize>| -> String { chars[r.start.min(chars.len())..r.end.min(chars.len())].iter().collect() };
        let gold_spans: Vec<Range<usize>> = gold.iter().map(|g| hull(&g.content)).collect();
        let pred_spans: Vec<Range<usize>> = predicted.iter().map(|p| p.content.clone()).collect();

        let all_gold: Vec<usize> = (0..gold.len()).collect();
        let all_pred: Vec<usize> = (0..predicted.len()).collect();
        let pairs = match_by_overlap(&gold_spans, &pred_spans, &all_gold, &all_pred);
        self.content.add(Counts { true_positives: pairs.len(), predicted: predicted.len(), gold: gold.len() });
        let mut e2e = 0;
        for &(g, p) in &pairs {
            let agrees = source_agrees(&gold[g], &predicted[p]);
            if let Some(source) = &gold[g].source {
                self.source.1 += 1;
                if predicted[p].speaker.as_ref().is_some_and(|s| overlaps_any(s, source)) {
                    self.source.0 += 1;
                }
            }
            e2e += usize::from(agrees);
        }
        self.end_to_end.add(Counts { true_positives: e2e, predicted: predicted.len(), gold: gold.len() });

        // exact: trimmed texts equal, one-to-one
        let trimmed_gold: Vec<String> = gold_spans.iter().map(|r| trim_quote_text(&slice(r)).to_string()).collect();
        let mut used = vec![false; gold.len()];
        let mut exact = 0;
        for p in &pred_spans {
            let t = slice(p);
            let t = trim_quote_text(&t);
            if let Some(k) = (0..gold.len()).find(|&k| !used[k] && trimmed_gold[k] == t) {
                used[k] = true;
                exact += 1;
            }
        }
        self.content_exact.add(Counts { true_positives: exact, predicted: predicted.len(), gold: gold.len() });

        // direct quotes only
        let is_mark = |c: char| matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’' | '«' | '»');
        let direct_gold: Vec<usize> = (0..gold.len())
            .filter(|&k| {
                let t = slice(&gold_spans[k]);
                let t = t.trim();
                t.starts_with(is_mark) || t.ends_with(is_mark)
            })
            .collect();
        let direct_pred: Vec<usize> =
            (0..predicted.len()).filter(|&k| predicted[k].kind == PredictedKind::Direct).collect();
        let pairs = match_by_overlap(&gold_spans, &pred_spans, &direct_gold, &direct_pred);
        let right = pairs.iter().filter(|&&(g, p)| source_agrees(&gold[g], &predicted[p])).count();
        let counts = |tp| Counts { true_positives: tp, predicted: direct_pred.len(), gold: direct_gold.len() };
        self.direct_content.add(counts(pairs.len()));
        self.direct_end_to_end.add(counts(right));
    }
}

/// First start to last end of a span's segments.
pub(crate) fn hull(segments: &[Range<usize>]) -> Range<usize> {
    let start = segments.iter().map(|r| r.start).min().unwrap_or(0);
    let end = segments.iter().map(|r| r.end).max().unwrap_or(0);
    start..end
}

fn overlap(a: &Range<usize>, b: &Range<usize>) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

fn overlaps_any(a: &Range<usize>, segments: &[Range<usize>]) -> bool {
    segments.iter().any(|s| overlap(a, s) > 0)
}

/// The prediction's source agrees with the gold: both without one, or overlapping.
fn source_agrees(gold: &GoldAttribution, predicted: &PredictedQuote) -> bool {
    match (&gold.source, &predicted.speaker) {
        (None, None) => true,
        (Some(source), Some(speaker)) => overlaps_any(speaker, source),
        _ => false,
    }
}

/// Greedy one-to-one matching of the listed gold and predicted spans, best
/// overlap/union first, keeping pairs at 0.5 or more: (gold, predicted) indices.
pub(crate) fn match_by_overlap(
    gold: &[Range<usize>],
    predicted: &[Range<usize>],
    gold_ids: &[usize],
    pred_ids: &[usize],
) -> Vec<(usize, usize)> {
    let mut candidates = Vec::new();
    for &g in gold_ids {
        for &p in pred_ids {
            let inter = overlap(&gold[g], &predicted[p]);
            if inter == 0 {
                continue;
            }
            let union = gold[g].len() + predicted[p].len() - inter;
            let iou = inter as f64 / union as f64;
            if iou >= 0.5 {
                candidates.push((iou, g, p));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut gold_used, mut pred_used) = (vec![false; gold.len()], vec![false; predicted.len()]);
    let mut out = Vec::new();
    for (_, g, p) in candidates {
        if !gold_used[g] && !pred_used[p] {
            gold_used[g] = true;
            pred_used[p] = true;
            out.push((g, p));
        }
    }
    out
}

/// Whether a quotation mark stands right before `content` or right after it
/// (a final full stop or comma may stand between).
fn quoted_at_an_edge(text: &str, content: &Range<usize>) -> bool {
    let before = text[..content.start].trim_end();
    let after = text[content.end..].trim_start_matches(['.', ',', '?', '!']);
    // the marks the gold's rule counts (single ones and '' too)
    let mark = ['"', '“', '”', '\'', '‘', '’', '«', '»'];
    before.ends_with(mark) || after.starts_with(mark)
}

/// `s` without white space and `. , " “ ” ' ‘ ’` at either end.
fn trim_quote_text(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | '"' | '“' | '”' | '\'' | '‘' | '’'))
}

/// One article of a PolNeAR split with its gold attributions (character offsets).
pub struct AnnotatedArticle {
    /// The file name without `.txt`.
    pub name: String,
    /// The article text.
    pub text: String,
    /// Its attributions, from the alphabetically first annotation file.
    pub gold: Vec<GoldAttribution>,
}

/// Reads a PolNeAR split folder (`text/` and `attributions/`): each article
/// with its alphabetically first annotation file, in file name order.
pub fn read_folder(dir: &std::path::Path) -> Result<Vec<AnnotatedArticle>, String> {
    let read_dir = |d: std::path::PathBuf| -> Result<Vec<String>, String> {
        let mut names: Vec<String> = std::fs::read_dir(&d)
            .map_err(|e| format!("cannot read {}: {e}", d.display()))?
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        names.sort();
        Ok(names)
    };
    let annotations = read_dir(dir.join("attributions"))?;
    let mut out = Vec::new();
    for name in read_dir(dir.join("text"))? {
        let Some(stem) = name.strip_suffix(".txt") else { continue };
        let prefix = format!("{stem}_");
        let Some(ann) = annotations.iter().find(|a| a.starts_with(&prefix) && a.ends_with(".ann")) else { continue };
        let text_path = dir.join("text").join(&name);
        let text =
            std::fs::read_to_string(&text_path).map_err(|e| format!("cannot read {}: {e}", text_path.display()))?;
        let ann_path = dir.join("attributions").join(ann);
        let ann = std::fs::read_to_string(&ann_path).map_err(|e| format!("cannot read {}: {e}", ann_path.display()))?;
        let gold = read_ann(&ann).map_err(|e| format!("{}: {e}", ann_path.display()))?;
        out.push(AnnotatedArticle { name: stem.to_string(), text, gold });
    }
    Ok(out)
}

/// Runs docsql's attribution reader over a PolNeAR split (`dir` with `text/`
/// and `attributions/`), scoring each article against its alphabetically first
/// annotation file. Returns the scores and how many articles were scored.
pub fn evaluate_folder(dir: &std::path::Path) -> Result<(QuoteScores, usize), String> {
    evaluate_folder_with(dir, &crate::extract::quotes::extract_quotes)
}

/// [`evaluate_folder`] with any attribution reader (training scores each
/// epoch's model on dev with it).
pub fn evaluate_folder_with(
    dir: &std::path::Path,
    extract: &dyn Fn(&str) -> Vec<crate::extract::quotes::Quote>,
) -> Result<(QuoteScores, usize), String> {
    use crate::extract::CharOffsets;
    use crate::extract::quotes::QuoteKind;
    let mut scores = QuoteScores::default();
    let mut articles = 0;
    for AnnotatedArticle { text, gold, .. } in read_folder(dir)? {
        let offsets = CharOffsets::new(&text);
        let chars = |r: &Range<usize>| offsets.char_at(r.start) as usize..offsets.char_at(r.end) as usize;
        let predicted: Vec<PredictedQuote> = extract(&text)
            .iter()
            .map(|q| PredictedQuote {
                kind: match q.kind {
                    QuoteKind::Direct => PredictedKind::Direct,
                    // The gold calls a content direct when it starts or ends with a
                    // quotation mark, mixed ones included ("was “unhinged.”"): a mixed
                    // prediction quoted at an edge is judged by the same rule.
                    QuoteKind::Mixed if quoted_at_an_edge(&text, &q.content) => PredictedKind::Direct,
                    QuoteKind::Mixed => PredictedKind::Mixed,
                    QuoteKind::Indirect => PredictedKind::Indirect,
                },
                content: chars(&q.content),
                speaker: q.speaker.as_ref().map(chars),
            })
            .collect();
        scores.add_article(&text, &gold, &predicted);
        articles += 1;
    }
    Ok((scores, articles))
}

/// The scores as a table: `metric, precision, recall, f1` (source accuracy in
/// `f1`, precision and recall null), ready for any output format.
pub fn scores_batch(scores: &QuoteScores) -> datafusion::arrow::record_batch::RecordBatch {
    use std::sync::Arc;

    use datafusion::arrow::array::{ArrayRef, Float64Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    let rows: Vec<(&str, Option<&Counts>)> = vec![
        ("content", Some(&scores.content)),
        ("content_exact", Some(&scores.content_exact)),
        ("end_to_end", Some(&scores.end_to_end)),
        ("direct_content", Some(&scores.direct_content)),
        ("direct_end_to_end", Some(&scores.direct_end_to_end)),
        ("source_accuracy", None),
    ];
    let schema = Arc::new(Schema::new(vec![
        Field::new("metric", DataType::Utf8, false),
        Field::new("precision", DataType::Float64, true),
        Field::new("recall", DataType::Float64, true),
        Field::new("f1", DataType::Float64, false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.0))),
        Arc::new(Float64Array::from_iter(rows.iter().map(|r| r.1.map(|c| round(c.precision()))))),
        Arc::new(Float64Array::from_iter(rows.iter().map(|r| r.1.map(|c| round(c.recall()))))),
        Arc::new(Float64Array::from_iter_values(
            rows.iter().map(|r| round(r.1.map_or(scores.source_accuracy(), Counts::f1))),
        )),
    ];
    datafusion::arrow::record_batch::RecordBatch::try_new(schema, columns).expect("columns match the schema")
}

#[cfg(test)]
// A span is a list of segments, and one segment is the common case.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;

    const ANN: &str = "T1\tSource 0 5\tSmith\nT2\tCue 6 10\tsaid\nT3\tContent 11 30;35 40\tthe plan ...\n\
        T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n\
        T5\tContent 50 60\tx\nT6\tCue 61 65\ty\nT7\tAttribution 61 65\ty\nE2\tAttribution:T7 Content:T5 Cue:T6\n\
        #1\tAnnotatorNotes T1\tnote\n";

    #[test]
    fn reads_attributions_with_and_without_source() {
        let gold = read_ann(ANN).unwrap();
        assert_eq!(gold.len(), 2);
        assert_eq!(gold[0].content, vec![11..30, 35..40]);
        assert_eq!(gold[0].source, Some(vec![0..5]));
        assert_eq!((gold[1].content.clone(), gold[1].source.clone()), (vec![50..60], None));
        assert!(read_ann("T1\tContent x y\tz").is_err());
    }

    #[test]
    fn overlap_exact_source_and_direct_scores() {
        //          0         1         2         3         4
        //          0123456789012345678901234567890123456789012345678
        let text = "Smith said \"the plan will work, surely\" and more.";
        let gold = vec![
            GoldAttribution { content: vec![11..39], source: Some(vec![0..5]), cue: None },
            GoldAttribution { content: vec![40..48], source: None, cue: None },
        ];
        let predicted = vec![
            // the quote without its marks: overlap 26/28, speaker right
            PredictedQuote { kind: PredictedKind::Direct, content: 12..38, speaker: Some(0..5) },
            // overlaps the second gold but names a speaker it has not
            PredictedQuote { kind: PredictedKind::Indirect, content: 40..48, speaker: Some(6..10) },
            // matches nothing
            PredictedQuote { kind: PredictedKind::Indirect, content: 0..3, speaker: None },
        ];
        let mut s = QuoteScores::default();
        s.add_article(text, &gold, &predicted);
        assert_eq!(s.content, Counts { true_positives: 2, predicted: 3, gold: 2 });
        assert_eq!(s.content_exact.true_positives, 2, "trimmed marks and the full stop compare equal");
        assert_eq!(s.source, (1, 1));
        assert_eq!(s.end_to_end.true_positives, 1);
        assert_eq!(s.direct_content, Counts { true_positives: 1, predicted: 1, gold: 1 });
        assert_eq!(s.direct_end_to_end.true_positives, 1);
        assert!((s.content.f1() - 0.8).abs() < 1e-12);
    }

    #[test]
    fn matching_is_one_to_one_and_needs_half_the_union() {
        let gold = [0..10, 20..30];
        let pred = [0..10, 0..9, 20..50];
        let pairs = match_by_overlap(&gold, &pred, &[0, 1], &[0, 1, 2]);
        assert_eq!(pairs, vec![(0, 0)], "20..50 overlaps 10 of a 30 union: no match");
    }
}
