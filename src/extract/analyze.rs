//! The whole extraction of one article body: segmentation, entities, figures,
//! quotes with their speakers resolved to entities.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::figures::{Figure, FigureOptions, extract_figures};
use super::mention::{EntityRecognizer, Mention, TokenizedSentence};
use super::names::canonical_names;
use super::quotes::{Quote, extract_quotes_from_tokens};
use super::segment::{Token, paragraphs, sentences, tokenize};
use super::speakers::resolve_speakers;

/// A paragraph with its sentences.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ParagraphInfo {
    /// Byte range in the body.
    pub span: Range<usize>,
    /// Byte ranges of its sentences, in order.
    pub sentences: Vec<Range<usize>>,
    /// Number of words (Unicode word boundaries, UAX #29).
    pub word_count: usize,
}

/// An entity mention with where it stands and the name it resolves to.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EntityInfo {
    /// Index into [`Analysis::paragraphs`].
    pub paragraph: usize,
    /// Index into that paragraph's sentences.
    pub sentence: usize,
    /// The mention (byte offsets into the body).
    pub mention: Mention,
    /// Canonical name within the article.
    pub name: String,
}

/// A figure with where it stands.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FigureInfo {
    /// Index into [`Analysis::paragraphs`].
    pub paragraph: usize,
    /// Index into that paragraph's sentences.
    pub sentence: usize,
    /// The figure, its offsets shifted to be byte offsets into the body.
    pub figure: Figure,
}

/// An attribution with where it stands and the entity its speaker resolves to.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct QuoteInfo {
    /// Index into [`Analysis::paragraphs`] of the sentence where the content
    /// starts (like every table's row, which stands where its span starts; a
    /// quote whose cue comes after several quoted sentences stands at the first).
    pub paragraph: usize,
    /// Index into that paragraph's sentences.
    pub sentence: usize,
    /// The attribution (byte offsets into the body).
    pub quote: Quote,
    /// The speaker as an index into [`Analysis::entities`], when resolved
    /// (see [`super::speakers`]).
    pub speaker_entity: Option<usize>,
}

/// Everything extracted from one article. Serializable so that a cluster
/// build can analyse on the executors and make the rows where it writes them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Analysis {
    /// Paragraphs in order.
    pub paragraphs: Vec<ParagraphInfo>,
    /// Entity mentions in order.
    pub entities: Vec<EntityInfo>,
    /// Figures in order.
    pub figures: Vec<FigureInfo>,
    /// Attributions in text order (of their content). Defaulted when absent so that an analysis
    /// serialized without quotes still reads.
    #[serde(default)]
    pub quotes: Vec<QuoteInfo>,
}

impl Analysis {
    /// Total sentences.
    pub fn sentence_count(&self) -> usize {
        self.paragraphs.iter().map(|p| p.sentences.len()).sum()
    }

    /// Total words.
    pub fn word_count(&self) -> usize {
        self.paragraphs.iter().map(|p| p.word_count).sum()
    }
}

/// The extractors an analysis runs; built once, shared by all threads.
pub struct Extractors {
    /// Finds PERSON/ORG/LOC/MISC/DATE mentions (default: the trained tagger
    /// with the date rules).
    pub recognizer: Box<dyn EntityRecognizer>,
    /// Settings of the figures extractor.
    pub figure_options: FigureOptions,
}

impl Default for Extractors {
    fn default() -> Self {
        Self { recognizer: Box::new(super::ner::NerRecognizer::default()), figure_options: FigureOptions::default() }
    }
}

/// Analyses one article body.
pub fn analyze(body: &str, extractors: &Extractors) -> Analysis {
    let mut analysis = Analysis::default();
    // (paragraph index, sentence index) of each sentence, in order.
    let mut places = Vec::new();
    let mut sentences_tokens = Vec::new();
    for (p_index, paragraph) in paragraphs(body).into_iter().enumerate() {
        let sentence_spans: Vec<Range<usize>> =
            sentences(body, paragraph.span.clone()).into_iter().map(|s| s.span).collect();
        for (s_index, sentence) in sentence_spans.iter().enumerate() {
            places.push((p_index, s_index));
            sentences_tokens
                .push(TokenizedSentence { span: sentence.clone(), tokens: tokenize(body, sentence.clone()) });
            for mut figure in extract_figures(&body[sentence.clone()], &extractors.figure_options) {
                figure.start += sentence.start;
                figure.end += sentence.start;
                figure.phrase_start += sentence.start;
                figure.phrase_end += sentence.start;
                analysis.figures.push(FigureInfo { paragraph: p_index, sentence: s_index, figure });
            }
        }
        analysis.paragraphs.push(ParagraphInfo {
            word_count: body[paragraph.span.clone()].unicode_words().count(),
            span: paragraph.span,
            sentences: sentence_spans,
        });
    }
    // the quotes reader takes the same tokens, by paragraph
    let mut paragraph_tokens: Vec<Vec<&[Token]>> = vec![Vec::new(); analysis.paragraphs.len()];
    for (&(p_index, _), sentence) in places.iter().zip(&sentences_tokens) {
        paragraph_tokens[p_index].push(&sentence.tokens);
    }
    let per_sentence = extractors.recognizer.recognize_document(body, &sentences_tokens);
    let mut mentions = Vec::new();
    let mut mention_places = Vec::new();
    for (place, sentence_mentions) in places.into_iter().zip(per_sentence) {
        for mention in sentence_mentions {
            mention_places.push(place);
            mentions.push(mention);
        }
    }
    let names = canonical_names(body, &mentions);
    analysis.entities = mentions
        .into_iter()
        .zip(names)
        .zip(mention_places)
        .map(|((mention, name), (paragraph, sentence))| EntityInfo { paragraph, sentence, mention, name })
        .collect();
    let quotes = extract_quotes_from_tokens(body, &paragraph_tokens);
    let speakers = resolve_speakers(body, &quotes, &analysis.entities);
    analysis.quotes = quotes
        .into_iter()
        .zip(speakers)
        .map(|(quote, speaker_entity)| {
            let (paragraph, sentence) = place(&analysis.paragraphs, quote.content.start);
            QuoteInfo { paragraph, sentence, quote, speaker_entity }
        })
        .collect();
    // Text order, as every table's rows: the extractor may give a paragraph's
    // quoted attributions before its reported ones.
    analysis.quotes.sort_by_key(|info| (info.quote.content.start, info.quote.cue.start));
    analysis
}

/// (paragraph index, sentence index) of the sentence holding byte `at`: the
/// last one starting at or before it (`at` may sit in the space between two).
fn place(paragraphs: &[ParagraphInfo], at: usize) -> (usize, usize) {
    let mut found = (0, 0);
    for (p_index, paragraph) in paragraphs.iter().enumerate() {
        for (s_index, sentence) in paragraph.sentences.iter().enumerate() {
            if sentence.start > at {
                return found;
            }
            found = (p_index, s_index);
        }
    }
    found
}
