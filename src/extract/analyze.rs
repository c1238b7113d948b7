//! The whole extraction of one article body: segmentation, entities, figures.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::figures::{Figure, FigureOptions, extract_figures};
use super::mention::{EntityRecognizer, Mention, TokenizedSentence};
use super::names::canonical_names;
use super::segment::{paragraphs, sentences, tokenize};

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
    analysis
}
