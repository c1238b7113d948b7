//! How well `speaker_name` names the speaker: the matched attributions of a
//! PolNeAR split whose gold has a source, with docsql's speaker span and the
//! entity it resolved it to ([`speaker_cases`]), and the share right against
//! a hand-judged gold ([`score_speaker_names`]). PolNeAR marks sources as
//! written ("he", "the official"), not whom they name, so the gold is ours:
//! `tests/data/speaker_names.tsv`.

use std::ops::Range;

use super::quote_eval::{AnnotatedArticle, hull, match_by_overlap, read_folder};

/// A matched attribution whose gold has a source, with what docsql made of
/// its speaker: the material for judging `speaker_name` by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerCase {
    /// The article (file name without `.txt`).
    pub article: String,
    /// Where the gold content starts, in characters.
    pub content_start: usize,
    /// The gold source as written (segments joined with a space).
    pub source: String,
    /// The paragraph the gold source stands in.
    pub context: String,
    /// docsql's speaker span, as written.
    pub speaker: Option<String>,
    /// The entity docsql resolved it to.
    pub speaker_name: Option<String>,
}

/// Every matched attribution with a gold source in a PolNeAR split, analysed
/// as `build` does (entities, then speakers resolved to them).
pub fn speaker_cases(dir: &std::path::Path) -> Result<Vec<SpeakerCase>, String> {
    use crate::extract::{CharOffsets, Extractors, analyze};
    let extractors = Extractors::default();
    let mut out = Vec::new();
    for AnnotatedArticle { name, text, gold } in read_folder(dir)? {
        let analysis = analyze(&text, &extractors);
        let offsets = CharOffsets::new(&text);
        let chars = |r: &Range<usize>| offsets.char_at(r.start) as usize..offsets.char_at(r.end) as usize;
        let predicted: Vec<Range<usize>> = analysis.quotes.iter().map(|q| chars(&q.quote.content)).collect();
        let gold_spans: Vec<Range<usize>> = gold.iter().map(|g| hull(&g.content)).collect();
        let all_gold: Vec<usize> = (0..gold.len()).collect();
        let all_pred: Vec<usize> = (0..predicted.len()).collect();
        let text_chars: Vec<char> = text.chars().collect();
        let slice = |r: &Range<usize>| -> String {
            text_chars[r.start.min(text_chars.len())..r.end.min(text_chars.len())].iter().collect()
        };
        for (g, p) in match_by_overlap(&gold_spans, &predicted, &all_gold, &all_pred) {
            let Some(source) = &gold[g].source else { continue };
            let info = &analysis.quotes[p];
            let at = source.first().map_or(0, |r| r.start);
            let context = text_chars[..at.min(text_chars.len())].iter().rev().take_while(|&&c| c != '\n').count();
            let end = text_chars[at.min(text_chars.len())..].iter().take_while(|&&c| c != '\n').count();
            out.push(SpeakerCase {
                article: name.clone(),
                content_start: gold_spans[g].start,
                source: source.iter().map(slice).collect::<Vec<_>>().join(" "),
                context: slice(&(at - context..at + end)),
                speaker: info.quote.speaker.as_ref().map(|s| text[s.clone()].to_string()),
                speaker_name: info.speaker_entity.map(|k| analysis.entities[k].name.clone()),
            });
        }
    }
    Ok(out)
}

/// One hand-judged case: the attribution (article, where its gold content
/// starts) and the canonical name its speaker should resolve to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerGold {
    /// The article (file name without `.txt`).
    pub article: String,
    /// Where the gold content starts, in characters.
    pub content_start: usize,
    /// The entity the source names (the name as the article gives it fullest).
    pub expected: String,
}

/// Reads the tab-separated gold: `article  content_start  source  expected`
/// (a header line and `#` lines are skipped; the source column is for people).
pub fn read_speaker_gold(tsv: &str) -> Result<Vec<SpeakerGold>, String> {
    let mut out = Vec::new();
    for (n, line) in tsv.lines().enumerate() {
        if n == 0 || line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let (Some(article), Some(start), Some(expected)) = (fields.first(), fields.get(1), fields.get(3)) else {
            return Err(format!("line {}: expected 4 tab-separated fields", n + 1));
        };
        let content_start = start.trim().parse().map_err(|_| format!("line {}: bad content_start {start:?}", n + 1))?;
        out.push(SpeakerGold { article: article.to_string(), content_start, expected: expected.trim().to_string() });
    }
    Ok(out)
}

/// Whether `name` names the entity the gold expects: the same last word
/// ("Trump" names "Donald Trump"), case aside.
fn names(name: &str, expected: &str) -> bool {
    let last = |s: &str| s.split_whitespace().last().map(str::to_lowercase);
    last(name).is_some() && last(name) == last(expected)
}

/// Of the gold cases docsql still matches, how many have a `speaker_name`
/// that names the expected entity: (right, matched, gold cases).
pub fn score_speaker_names(cases: &[SpeakerCase], gold: &[SpeakerGold]) -> (usize, usize, usize) {
    let mut right = 0;
    let mut matched = 0;
    for g in gold {
        let Some(case) = cases.iter().find(|c| c.article == g.article && c.content_start == g.content_start) else {
            continue;
        };
        matched += 1;
        if case.speaker_name.as_deref().is_some_and(|n| names(n, &g.expected)) {
            right += 1;
        }
    }
    (right, matched, gold.len())
}

/// The cases as a table (`article, content_start, source, speaker,
/// speaker_name, context`), for judging them and writing the gold.
pub fn cases_batch(cases: &[SpeakerCase]) -> datafusion::arrow::record_batch::RecordBatch {
    use std::sync::Arc;

    use datafusion::arrow::array::{ArrayRef, Int64Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    let text =
        |f: fn(&SpeakerCase) -> Option<&str>| -> ArrayRef { Arc::new(StringArray::from_iter(cases.iter().map(f))) };
    let schema = Schema::new(vec![
        Field::new("article", DataType::Utf8, true),
        Field::new("content_start", DataType::Int64, false),
        Field::new("source", DataType::Utf8, true),
        Field::new("speaker", DataType::Utf8, true),
        Field::new("speaker_name", DataType::Utf8, true),
        Field::new("context", DataType::Utf8, true),
    ]);
    let columns: Vec<ArrayRef> = vec![
        text(|c| Some(c.article.as_str())),
        Arc::new(Int64Array::from_iter_values(cases.iter().map(|c| c.content_start as i64))),
        text(|c| Some(c.source.as_str())),
        text(|c| c.speaker.as_deref()),
        text(|c| c.speaker_name.as_deref()),
        text(|c| Some(c.context.as_str())),
    ];
    // the columns are built to the schema above, so this cannot fail
    datafusion::arrow::record_batch::RecordBatch::try_new(Arc::new(schema), columns).expect("columns match the schema")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_reads_and_names_match_by_last_word() {
        let gold =
            read_speaker_gold("article\tcontent_start\tsource\texpected\nnyt_a\t120\the\tDonald Trump\n").unwrap();
        assert_eq!(
            gold,
            [SpeakerGold { article: "nyt_a".into(), content_start: 120, expected: "Donald Trump".into() }]
        );
        let case = |name: Option<&str>| SpeakerCase {
            article: "nyt_a".into(),
            content_start: 120,
            source: "he".into(),
            context: String::new(),
            speaker: Some("he".into()),
            speaker_name: name.map(str::to_string),
        };
        assert_eq!(score_speaker_names(&[case(Some("Trump"))], &gold), (1, 1, 1));
        assert_eq!(score_speaker_names(&[case(Some("Hillary Clinton"))], &gold), (0, 1, 1));
        assert_eq!(score_speaker_names(&[case(None)], &gold), (0, 1, 1));
        assert_eq!(score_speaker_names(&[], &gold), (0, 0, 1));
        assert!(read_speaker_gold("h\nx\t12\n").is_err());
    }
}
