//! [`NerRecognizer`]: the tagger behind the [`EntityRecognizer`] contract, with
//! the date rules for DATE and the corrections news prose needs.

use std::ops::Range;

use super::embedded;
use super::model::{NerModel, Span};
use crate::extract::dates::find_dates;
use crate::extract::lists::listed_label;
use crate::extract::mention::{EntityLabel, EntityRecognizer, Mention, TokenizedSentence};
use crate::extract::segment::Token;

/// [`EntityRecognizer`] backed by a [`NerModel`] (the embedded one by default)
/// for PERSON/ORG/LOC/MISC, plus the date rules of [`crate::extract::dates`] for DATE.
///
/// Documents are tagged whole ([`EntityRecognizer::recognize_document`]) so that
/// document-level evidence is used; a lone sentence can be tagged too, less well.
/// Where a date and a tagged name overlap, the date wins: the rules are precise
/// and the model was never taught dates. Confidences are calibrated Viterbi
/// margins in 0..1.
pub struct NerRecognizer {
    model: &'static NerModel,
}

impl Default for NerRecognizer {
    fn default() -> Self {
        NerRecognizer { model: embedded() }
    }
}

impl NerRecognizer {
    /// A recogniser using `model`.
    pub fn new(model: &'static NerModel) -> Self {
        NerRecognizer { model }
    }
}

impl EntityRecognizer for NerRecognizer {
    fn recognize(&self, text: &str, sentence: Range<usize>, tokens: &[Token]) -> Vec<Mention> {
        let sentence = TokenizedSentence { span: sentence, tokens: tokens.to_vec() };
        self.recognize_document(text, std::slice::from_ref(&sentence)).pop().unwrap_or_default()
    }

    fn recognize_document(&self, text: &str, sentences: &[TokenizedSentence]) -> Vec<Vec<Mention>> {
        let words: Vec<Vec<&str>> = sentences.iter().map(|s| s.tokens.iter().map(|t| t.text(text)).collect()).collect();
        let refs: Vec<&[&str]> = words.iter().map(Vec::as_slice).collect();
        let tagged = self.model.tag_document(&refs);
        let mut per_sentence: Vec<Vec<Mention>> = sentences
            .iter()
            .zip(tagged)
            .map(|(sentence, spans)| {
                let dates = find_dates(text, sentence.span.clone(), &sentence.tokens);
                let names = mentions(&sentence.tokens, spans);
                merge_dates(names, dates)
            })
            .collect();
        news_conventions(text, &mut per_sentence);
        per_sentence
    }
}

/// Courtesy titles that news prose puts before surnames ("Mr Blair"); CoNLL
/// leaves them out of the name, and so do we.
const COURTESY_TITLES: &[&str] = &["Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Mx", "Dr", "Dr."];

/// Corrections the tagger's training data (1996 Reuters) does not teach:
/// a courtesy title is not part of a PERSON mention, and a lone word that the
/// shipped lists know as an organisation or a MISC name ("Chelsea", "Oscar")
/// is not a person unless the same article names a person with that word in a
/// longer name ("Chelsea Clinton").
fn news_conventions(text: &str, per_sentence: &mut [Vec<Mention>]) {
    for mention in per_sentence.iter_mut().flatten() {
        if mention.label != EntityLabel::Person {
            continue;
        }
        let surface = &text[mention.start..mention.end];
        if let Some((first, rest)) = surface.split_once(' ')
            && COURTESY_TITLES.contains(&first)
            && !rest.trim().is_empty()
        {
            mention.start += surface.len() - rest.trim_start().len();
        }
    }
    let in_longer_names: std::collections::HashSet<&str> = per_sentence
        .iter()
        .flatten()
        .filter(|m| m.label == EntityLabel::Person)
        .map(|m| &text[m.start..m.end])
        .filter(|name| name.contains(' '))
        .flat_map(|name| name.split(' '))
        .collect();
    for mention in per_sentence.iter_mut().flatten() {
        let surface = &text[mention.start..mention.end];
        if mention.label == EntityLabel::Person
            && !surface.contains(' ')
            && !in_longer_names.contains(surface)
            && let Some(label) = listed_label(surface)
        {
            mention.label = label;
        }
    }
}

/// Names and dates of one sentence in text order; a name overlapping a date is
/// dropped.
fn merge_dates(names: Vec<Mention>, dates: Vec<Mention>) -> Vec<Mention> {
    if dates.is_empty() {
        return names;
    }
    let mut out: Vec<Mention> =
        names.into_iter().filter(|n| !dates.iter().any(|d| n.start < d.end && d.start < n.end)).collect();
    out.extend(dates);
    out.sort_by_key(|m| m.start);
    out
}

/// Mentions (byte offsets) of the tagger's token spans.
fn mentions(tokens: &[Token], spans: Vec<Span>) -> Vec<Mention> {
    spans
        .into_iter()
        .map(|(s, e, label, conf)| Mention {
            start: tokens[s].start,
            end: tokens[e - 1].end,
            label,
            value: None,
            confidence: Some(conf),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::segment;

    #[test]
    fn recognizer_uses_byte_offsets() {
        let text =
            "Talks in Geneva.\n\nUN envoy Linda Thomas-Greenfield met Iran's foreign minister in Geneva on Monday.";
        let r = NerRecognizer::default();
        let mut found = Vec::new();
        for p in segment::paragraphs(text) {
            for s in segment::sentences(text, p.span.clone()) {
                let toks = segment::tokenize(text, s.span.clone());
                for m in r.recognize(text, s.span.clone(), &toks) {
                    assert!(m.start >= s.span.start && m.end <= s.span.end);
                    found.push((&text[m.start..m.end], m.label));
                }
            }
        }
        assert!(found.contains(&("Geneva", EntityLabel::Loc)), "{found:?}");
        assert!(found.iter().any(|(t, l)| t.contains("Thomas-Greenfield") && *l == EntityLabel::Person), "{found:?}");
        assert!(found.contains(&("Monday", EntityLabel::Date)), "{found:?}");
    }

    #[test]
    fn dates_win_over_overlapping_names() {
        let name = |start, end| Mention { start, end, label: EntityLabel::Misc, value: None, confidence: Some(0.9) };
        let date = Mention { start: 10, end: 20, label: EntityLabel::Date, value: None, confidence: None };
        let merged = merge_dates(vec![name(0, 5), name(8, 12), name(25, 30)], vec![date.clone()]);
        assert_eq!(merged, vec![name(0, 5), date, name(25, 30)]);
        assert_eq!(merge_dates(vec![name(0, 5)], Vec::new()), vec![name(0, 5)]);
    }

    #[test]
    fn titles_leave_person_mentions_and_listed_names_are_not_people() {
        let text = "Mr Blair met Chelsea Clinton. Chelsea won. The Oscar went to Dr Hans Blix.";
        let person = |s: &str| {
            let start = text.find(s).unwrap();
            Mention { start, end: start + s.len(), label: EntityLabel::Person, value: None, confidence: None }
        };
        let oscar = person("Oscar");
        let mut mentions = vec![
            vec![person("Mr Blair"), person("Chelsea Clinton")],
            vec![person("Chelsea won")],
            vec![oscar, person("Dr Hans Blix")],
        ];
        // "Chelsea" alone, as the tagger might give it.
        mentions[1][0].end = mentions[1][0].start + "Chelsea".len();
        news_conventions(text, &mut mentions);
        let got: Vec<(&str, EntityLabel)> =
            mentions.iter().flatten().map(|m| (&text[m.start..m.end], m.label)).collect();
        assert_eq!(
            got,
            vec![
                ("Blair", EntityLabel::Person),
                ("Chelsea Clinton", EntityLabel::Person),
                // Named in a longer person name in this article: stays a person.
                ("Chelsea", EntityLabel::Person),
                ("Oscar", EntityLabel::Misc),
                ("Hans Blix", EntityLabel::Person),
            ]
        );
    }
}
