//! The contract between the entity recognisers and the rest of the pipeline:
//! entity labels, mentions (byte spans with a label) and the
//! [`EntityRecognizer`] trait. The trained tagger ([`super::ner`]) implements
//! it; [`super::analyze()`] and the `entities` table only see these types.

use std::ops::Range;

use super::segment::Token;

/// The type of an entity mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum EntityLabel {
    /// A person ("Linda Thomas-Greenfield").
    Person,
    /// An organisation ("UN Security Council", "Hamas").
    Org,
    /// A location: country, city, region ("Gaza Strip").
    Loc,
    /// Other names: nationalities ("American"), events, languages, religions.
    Misc,
    /// A date or time expression ("October 7, 2023", "late Sunday").
    Date,
}

impl EntityLabel {
    /// The label as stored in tables: "PERSON", "ORG", "LOC", "MISC" or "DATE".
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityLabel::Person => "PERSON",
            EntityLabel::Org => "ORG",
            EntityLabel::Loc => "LOC",
            EntityLabel::Misc => "MISC",
            EntityLabel::Date => "DATE",
        }
    }
}

/// One entity mention.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Mention {
    /// Byte offset of the first byte, into the full text given to the recogniser.
    pub start: usize,
    /// Byte offset one past the last byte (a char boundary).
    pub end: usize,
    /// Entity type.
    pub label: EntityLabel,
    /// Normalised value: ISO 8601 ("2023-10-07", "2023-10", "2023") for DATE
    /// mentions that can be resolved from the text alone, else `None`.
    pub value: Option<String>,
    /// Model confidence in 0..=1; `None` for mentions found by rules (dates).
    #[serde(with = "crate::extract::exact_float::option_f32_bits")]
    pub confidence: Option<f32>,
}

/// A sentence of a document with its tokens (byte offsets into the document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenizedSentence {
    /// Byte range of the sentence.
    pub span: Range<usize>,
    /// Its tokens, in order.
    pub tokens: Vec<Token>,
}

/// Finds entity mentions. Implemented by the trained tagger in [`super::ner`];
/// the pipeline only sees this trait, so another recogniser can take its place.
pub trait EntityRecognizer: Send + Sync {
    /// Mentions in `text[sentence]`, given that sentence's `tokens` (byte offsets
    /// into `text`). The whole `text` is passed so that document-level evidence
    /// may be used; mentions must lie inside `sentence`, in text order, and
    /// must not overlap.
    fn recognize(&self, text: &str, sentence: Range<usize>, tokens: &[Token]) -> Vec<Mention>;

    /// Mentions in every sentence of one document, one list per sentence. The
    /// default asks [`EntityRecognizer::recognize`] sentence by sentence; a model
    /// that weighs evidence across the document overrides it.
    fn recognize_document(&self, text: &str, sentences: &[TokenizedSentence]) -> Vec<Vec<Mention>> {
        sentences.iter().map(|s| self.recognize(text, s.span.clone(), &s.tokens)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A recogniser that only implements `recognize`: one mention per sentence.
    struct WholeSentence;
    impl EntityRecognizer for WholeSentence {
        fn recognize(&self, _text: &str, sentence: Range<usize>, _tokens: &[Token]) -> Vec<Mention> {
            vec![Mention {
                start: sentence.start,
                end: sentence.end,
                label: EntityLabel::Misc,
                value: None,
                confidence: None,
            }]
        }
    }

    #[test]
    fn labels_are_the_table_strings() {
        let all = [EntityLabel::Person, EntityLabel::Org, EntityLabel::Loc, EntityLabel::Misc, EntityLabel::Date];
        let names: Vec<&str> = all.iter().map(EntityLabel::as_str).collect();
        assert_eq!(names, ["PERSON", "ORG", "LOC", "MISC", "DATE"]);
    }

    #[test]
    fn default_recognize_document_goes_sentence_by_sentence() {
        let sentences = [
            TokenizedSentence { span: 0..3, tokens: Vec::new() },
            TokenizedSentence { span: 4..9, tokens: Vec::new() },
        ];
        let found = WholeSentence.recognize_document("abc defgh", &sentences);
        let spans: Vec<Vec<(usize, usize)>> =
            found.iter().map(|s| s.iter().map(|m| (m.start, m.end)).collect()).collect();
        assert_eq!(spans, vec![vec![(0, 3)], vec![(4, 9)]]);
    }
}
