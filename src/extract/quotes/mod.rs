//! Attributions: who said what. Each attribution has its content (what was
//! said, in quotation marks or reported), its cue ("said", "told reporters",
//! "according to") and, when the text says, its speaker as written.
//!
//! A trained tagger ([`tagger`]) labels the tokens of the sentences worth
//! reading — those with a strong cue word or a quotation mark, or inside a
//! quotation opened earlier — as content, source or cue; [`assemble`] turns
//! the labels into attributions (each content with its nearest cue and that
//! cue's source; a quote split around its cue is one attribution in parts).
//! A quotation left open at a paragraph's end goes on in the next paragraph
//! when that one opens with a quotation mark, as news prints long quotes.
//!
//! The model is trained on PolNeAR (see NOTICE) by `docsql train-quotes` and
//! compiled in. Pure text → byte ranges; no I/O.

use std::ops::Range;
use std::sync::OnceLock;

use super::segment::{Token, paragraphs, sentences, tokenize};

pub(crate) mod assemble;
mod emission;
pub(crate) mod tagger;

use tagger::{ParagraphView, QuoteModel};

/// Direct (in quotation marks), reported, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum QuoteKind {
    /// Content in quotation marks.
    Direct,
    /// Reported speech ("said that …").
    Indirect,
    /// Reported speech with a quoted part ("said the strikes were “illegal”").
    Mixed,
}

impl QuoteKind {
    /// `direct`, `indirect` or `mixed`, as the `quotes` table writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Mixed => "mixed",
        }
    }
}

/// One attribution, in byte offsets into the text passed in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Quote {
    /// Direct, reported or mixed.
    pub kind: QuoteKind,
    /// What was said (without the quotation marks at its edges): from the
    /// start of the first part to the end of the last.
    pub content: Range<usize>,
    /// The parts of the content, in order: one, or several when the quote is
    /// split around its cue ("“A,” she said. “B.”" has parts A and B).
    pub parts: Vec<Range<usize>>,
    /// The cue: "said", "told reporters", "according to".
    pub cue: Range<usize>,
    /// Who said it, as written, when the text says.
    pub speaker: Option<Range<usize>>,
}

/// The compiled-in model (`docsql train-quotes` writes it).
static MODEL_BYTES: &[u8] = include_bytes!("model.bin");

/// The embedded attribution model, read once.
pub(crate) fn embedded() -> &'static QuoteModel {
    static MODEL: OnceLock<QuoteModel> = OnceLock::new();
    // The bytes are ours and tested (`the_embedded_model_reads`): an
    // unreadable model is a build defect, never input-dependent.
    MODEL.get_or_init(|| QuoteModel::from_bytes(MODEL_BYTES).expect("the embedded quotes model reads"))
}

/// Finds the attributions in `text`.
pub fn extract_quotes(text: &str) -> Vec<Quote> {
    extract_quotes_with(text, embedded())
}

/// [`extract_quotes`] with `model` (training scores each epoch's model).
pub(crate) fn extract_quotes_with(text: &str, model: &QuoteModel) -> Vec<Quote> {
    let paragraphs: Vec<Vec<Vec<Token>>> = paragraphs(text)
        .into_iter()
        .map(|p| sentences(text, p.span).into_iter().map(|s| tokenize(text, s.span)).collect())
        .collect();
    let borrowed: Vec<Vec<&[Token]>> = paragraphs.iter().map(|p| p.iter().map(Vec::as_slice).collect()).collect();
    extract_quotes_in(text, &borrowed, model)
}

/// [`extract_quotes`] over text already cut into paragraphs of tokenized
/// sentences (the analysis has them: no second segmentation).
pub fn extract_quotes_from_tokens(text: &str, paragraphs: &[Vec<&[Token]>]) -> Vec<Quote> {
    extract_quotes_in(text, paragraphs, embedded())
}

/// The attributions of `text` cut into paragraphs of tokenized sentences
/// (the analysis has them already), with `model`.
pub(crate) fn extract_quotes_in(text: &str, paragraphs: &[Vec<&[Token]>], model: &QuoteModel) -> Vec<Quote> {
    let mut out: Vec<Quote> = Vec::new();
    let mut open = Open::None;
    for sentences in paragraphs {
        let first_new = out.len();
        for view in windows(text, sentences, model) {
            let labels = model.tag(&view);
            out.extend(assemble::assemble(text, &view, &labels));
        }
        let tokens: Vec<Token> = sentences.iter().flat_map(|s| s.iter()).copied().collect();
        open = continue_across_paragraphs(text, &tokens, &mut out, first_new, open);
    }
    out
}

/// A quotation left open at the end of a paragraph.
enum Open {
    /// None is.
    None,
    /// The attribution (index in the output) whose quote is open.
    Attributed(usize),
    /// A quotation with no cue yet (its parts so far): the next paragraphs
    /// may attribute it ("“A … ¶ “B,” she said.").
    Unattributed(Vec<Range<usize>>),
}

fn is_open_mark(w: &str) -> bool {
    matches!(w, "“" | "«")
}

fn is_close_mark(w: &str) -> bool {
    matches!(w, "”" | "»")
}

/// News prints a quote that runs over paragraphs without closing marks at the
/// paragraph ends, opening each new paragraph with a mark. So a paragraph that
/// opens with a quotation mark while the previous one ended inside a quotation
/// continues it: its leading quotation joins the open attribution as a part
/// (and replaces attributions read from it alone), or, when the open quote has
/// no cue yet, the attribution found here takes the earlier parts in front.
fn continue_across_paragraphs(
    text: &str,
    tokens: &[Token],
    out: &mut Vec<Quote>,
    first_new: usize,
    open: Open,
) -> Open {
    let (Some(start), Some(end)) = (tokens.first(), tokens.last()) else { return open };
    let word = |t: &Token| t.text(text);
    // quotation state by marks: curly marks say which side they are; straight
    // ones alternate
    let mut inside = false;
    let mut marks = Vec::new(); // (token index, opens)
    for (i, t) in tokens.iter().enumerate() {
        let opens = match word(t) {
            w if is_open_mark(w) => true,
            w if is_close_mark(w) => false,
            "\"" => !inside,
            _ => continue,
        };
        inside = opens;
        marks.push((i, opens));
    }
    let leading = match marks.first() {
        Some(&(0, true)) => {
            let close = marks.iter().skip(1).find(|(_, opens)| !opens).map(|&(i, _)| i);
            let inner = trim(text, start.end..close.map_or(end.end, |i| tokens[i].start));
            Some((inner, close.is_some()))
        }
        _ => None,
    };
    if let Some((inner, closes)) = leading.filter(|(inner, _)| !inner.is_empty()) {
        match open {
            Open::Attributed(k) => {
                retain_from(out, first_new, |q| q.content.start >= inner.end || q.content.end <= inner.start);
                out[k].parts.push(inner.clone());
                out[k].content.end = out[k].content.end.max(inner.end);
                if !closes {
                    return Open::Attributed(k);
                }
            }
            Open::Unattributed(mut parts) => {
                let taker = (first_new..out.len()).find(|&k| {
                    out[k].content.start >= inner.start && out[k].content.start < inner.end.max(inner.start + 1)
                });
                match taker {
                    Some(k) => {
                        let mut all = parts;
                        all.append(&mut out[k].parts);
                        out[k].content.start = all[0].start;
                        out[k].parts = all;
                    }
                    None if !closes => {
                        parts.push(inner);
                        return Open::Unattributed(parts);
                    }
                    None => {}
                }
            }
            Open::None => {}
        }
    }
    // what this paragraph leaves open: a quotation opened after its last close
    let Some(&(i, true)) = marks.last() else { return Open::None };
    let quotation = trim(text, tokens[i].end..end.end);
    if quotation.is_empty() {
        return Open::None;
    }
    let owner = (first_new..out.len())
        .rev()
        .find(|&k| out[k].content.end > quotation.start && out[k].content.start < quotation.end);
    match owner {
        Some(k) => Open::Attributed(k),
        // only a paragraph that is all quotation starts a quote another will
        // attribute; a stray mark mid-paragraph is more often a typo
        None if i == 0 => Open::Unattributed(vec![quotation]),
        None => Open::None,
    }
}

/// `range` without white space at its edges.
fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let kept = s.trim_end().len().max(lead);
    range.start + lead..range.start + kept
}

/// `Vec::retain` over the items from index `from` on.
fn retain_from<T>(items: &mut Vec<T>, from: usize, keep: impl Fn(&T) -> bool) {
    let tail: Vec<T> = items.drain(from..).filter(|t| keep(t)).collect();
    items.extend(tail);
}

/// The runs of a paragraph's sentences worth tagging, as views: sentences
/// with a strong cue word or a quotation mark, or inside a quotation that an
/// earlier sentence opened. The rest of the text (most of it) is not tagged.
pub(crate) fn windows(text: &str, sentences: &[&[Token]], model: &QuoteModel) -> Vec<ParagraphView> {
    let mut out = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    let mut open = false; // a quotation is open at the sentence's start
    let flush = |run: &mut Vec<usize>, out: &mut Vec<ParagraphView>| {
        if run.is_empty() {
            return;
        }
        let mut tokens = Vec::new();
        let mut numbers = Vec::new();
        for (k, &s) in run.iter().enumerate() {
            tokens.extend_from_slice(sentences[s]);
            numbers.extend(std::iter::repeat_n(k as u32, sentences[s].len()));
        }
        out.push(ParagraphView::new(text, tokens, numbers, &model.cue_words));
        run.clear();
    };
    for (s, tokens) in sentences.iter().enumerate() {
        let mut worth = open;
        for (k, t) in tokens.iter().enumerate() {
            let w = t.text(text);
            // '' is a straight double mark; its second apostrophe changes nothing
            let double = w == "'" && tokens.get(k + 1).is_some_and(|n| n.start == t.end && n.text(text) == "'");
            let w = if double { "\"" } else { w };
            match w {
                "‘" => worth = true,
                "“" | "«" => {
                    open = true;
                    worth = true;
                }
                "”" | "»" => {
                    open = false;
                    worth = true;
                }
                "\"" => {
                    open = !open;
                    worth = true;
                }
                _ => {
                    if !worth && w.len() > 1 && model.trigger_words.contains(&tagger::cue_word_hash(w)) {
                        worth = true;
                    }
                }
            }
        }
        if worth {
            run.push(s);
        } else {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (kind, content parts joined with a space, cue, speaker) of each attribution.
    fn show(text: &str) -> Vec<(QuoteKind, String, String, Option<String>)> {
        extract_quotes(text)
            .into_iter()
            .map(|q| {
                let parts: Vec<&str> = q.parts.iter().map(|p| &text[p.clone()]).collect();
                (q.kind, parts.join(" "), text[q.cue].to_string(), q.speaker.map(|s| text[s].to_string()))
            })
            .collect()
    }

    fn one(
        kind: QuoteKind,
        content: &str,
        cue: &str,
        speaker: Option<&str>,
    ) -> (QuoteKind, String, String, Option<String>) {
        (kind, content.to_string(), cue.to_string(), speaker.map(str::to_string))
    }

    #[test]
    fn the_embedded_model_reads() {
        let model = embedded();
        assert!(model.weights.len() > 10_000 && model.trigger_words.contains(&tagger::cue_word_hash("said")));
    }

    #[test]
    fn direct_quotes_with_the_cue_after_or_before() {
        assert_eq!(
            show("“We will not accept this at all,” the ambassador said."),
            [one(QuoteKind::Direct, "We will not accept this at all,", "said", Some("the ambassador"))]
        );
        assert_eq!(
            show("Smith told reporters: \"The plan is dead in the water.\""),
            [one(QuoteKind::Direct, "The plan is dead in the water.", "told", Some("Smith"))]
        );
        assert_eq!(
            show("\"It is over for them now,\" said Jones, a senator."),
            [one(QuoteKind::Direct, "It is over for them now,", "said", Some("Jones, a senator"))]
        );
    }

    #[test]
    fn a_quote_split_around_its_cue_is_one_attribution_in_parts() {
        let text = "“We are ready to talk,” she said. “But not at any price.”";
        let quotes = extract_quotes(text);
        assert_eq!(quotes.len(), 1, "{quotes:?}");
        let parts: Vec<&str> = quotes[0].parts.iter().map(|p| &text[p.clone()]).collect();
        assert_eq!(parts, ["We are ready to talk,", "But not at any price."]);
        assert_eq!(&text[quotes[0].content.clone()], "We are ready to talk,” she said. “But not at any price.");
        assert_eq!(quotes[0].kind, QuoteKind::Direct);
    }

    #[test]
    fn reported_speech_either_side_of_its_cue() {
        assert_eq!(
            show("Iran's ambassador said that the strikes must stop."),
            [one(QuoteKind::Indirect, "that the strikes must stop", "said", Some("Iran's ambassador"))]
        );
        assert_eq!(
            show("The economy will grow by 3 percent next year, Smith said."),
            [one(QuoteKind::Indirect, "The economy will grow by 3 percent next year", "said", Some("Smith"))]
        );
        assert_eq!(
            show("The deal is dead, according to two officials familiar with the talks."),
            [one(
                QuoteKind::Indirect,
                "The deal is dead",
                "according to",
                Some("two officials familiar with the talks")
            )]
        );
        assert!(show("The sky was grey and the streets were empty.").is_empty());
    }

    #[test]
    fn mixed_and_nested_quotes() {
        let got = show("He said the plan was “dead on arrival” and “a disgrace”.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].0, got[0].1.as_str()), (QuoteKind::Mixed, "the plan was “dead on arrival” and “a disgrace"));
        // single marks inside double ones quote within the quote
        let got = show("“He told me ‘never again’ and walked out,” she said.");
        assert_eq!(got, [one(QuoteKind::Direct, "He told me ‘never again’ and walked out,", "said", Some("she"))]);
        // and at the top level they are the quotation marks
        let got = show("She said: ‘We are “very” happy with it.’");
        assert_eq!((got[0].0, got[0].1.as_str()), (QuoteKind::Direct, "We are “very” happy with it."));
    }

    #[test]
    fn straight_and_curly_marks_mixed() {
        let got = show("“We are ready for the vote,\" the senator said.");
        assert_eq!(got, [one(QuoteKind::Direct, "We are ready for the vote,", "said", Some("the senator"))]);
    }

    #[test]
    fn a_quote_goes_on_in_the_next_paragraph_that_opens_with_a_mark() {
        let text = "“We will fight on the beaches,” he said. “We will never surrender.\n\n“We shall go on to the end.”\n\nThe crowd cheered.";
        let got = show(text);
        assert_eq!(
            got,
            [one(
                QuoteKind::Direct,
                "We will fight on the beaches, We will never surrender. We shall go on to the end.",
                "said",
                Some("he")
            )]
        );
        // the cue may come only in the paragraph that closes the quote
        let text =
            "“This is the first part of what I have to say.\n\n“And this is the second part, the end,” she said.";
        let quotes = extract_quotes(text);
        assert_eq!(quotes.len(), 1, "{quotes:?}");
        assert_eq!(&text[quotes[0].parts[0].clone()], "This is the first part of what I have to say.");
        assert_eq!(quotes[0].content.start, 3);
        assert_eq!(quotes[0].speaker.clone().map(|s| &text[s]), Some("she"));
    }

    #[test]
    fn unbalanced_marks_neither_panic_nor_swallow_the_next_paragraph() {
        let text = "“We will never stop fighting for this, the minister said.\n\nPrices rose in March.";
        for q in extract_quotes(text) {
            assert!(q.content.end <= text.find("\n\n").unwrap(), "{q:?}");
        }
        for text in ["", "“", "”", "\"\"\"", "said", "“”“ said ” “", "'' said ''", "‘’ ’‘"] {
            let _ = extract_quotes(text);
        }
    }
}
