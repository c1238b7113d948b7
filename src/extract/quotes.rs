//! Attributions: who said what. A first, rule-based reader (issue #13, in
//! progress): direct quotes in quotation marks and reported speech around a
//! speech verb, each with its cue ("said", "according to") and speaker span.
//!
//! Per sentence:
//! - a quotation (curly or straight marks) of three words or more is direct
//!   content; its cue is a speech verb after it in the sentence (", he said"),
//!   else before it ("Smith said: “…”");
//! - otherwise a speech verb makes reported content: "<speaker> said (that)
//!   <content>." or "<content>, <speaker> said." / "…, said <speaker>.", and
//!   "according to <speaker>, <content>" either way round.
//!
//! The speaker is the run of words between the cue and the content or the
//! clause boundary, at most eight words. Pure text → spans; no I/O.

use std::ops::Range;

use super::segment::{Token, paragraphs, sentences, tokenize};

/// Direct (in quotation marks) or reported.
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
    /// Direct or reported.
    pub kind: QuoteKind,
    /// What was said (inside the marks for a direct quote): from the start of
    /// the first part to the end of the last.
    pub content: Range<usize>,
    /// The parts of the content, in order: one, or several when the quote is
    /// split around its cue ("“A,” she said. “B.”" has parts A and B).
    pub parts: Vec<Range<usize>>,
    /// The cue: "said", "told reporters", "according to".
    pub cue: Range<usize>,
    /// Who said it, as written, when the sentence says.
    pub speaker: Option<Range<usize>>,
}

/// Verbs of saying, in the forms news uses after a subject.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "asked",
    "asks",
    "stated",
    "states",
    "explained",
    "explains",
    "insisted",
    "insists",
    "warned",
    "warns",
    "wrote",
    "writes",
    "tweeted",
    "argued",
    "argues",
    "noted",
    "notes",
    "claimed",
    "claims",
    "announced",
    "announces",
    "declared",
    "declares",
    "replied",
    "responded",
    "recalled",
    "acknowledged",
    "acknowledges",
    "admitted",
    "admits",
    "suggested",
    "suggests",
    "urged",
    "urges",
    "continued",
    "reported",
    "reports",
    "testified",
    "conceded",
    "concedes",
    "predicted",
    "predicts",
    "believes",
    "believed",
    "thinks",
    "thought",
    "contended",
    "contends",
    "countered",
    "stressed",
    "emphasized",
    "emphasised",
    "observed",
    "quipped",
    "alleged",
    "alleges",
    "confirmed",
    "confirms",
    "denied",
    "denies",
    "promised",
    "promises",
    "vowed",
    "vows",
    "argue",
    "believe",
    "think",
];

fn is_speech_verb(word: &str) -> bool {
    SPEECH_VERBS.contains(&word.to_ascii_lowercase().as_str())
}

fn opens(c: char) -> bool {
    matches!(c, '“' | '"' | '«')
}

fn closes(c: char) -> bool {
    matches!(c, '”' | '"' | '»')
}

/// Finds the attributions in `text`.
pub fn extract_quotes(text: &str) -> Vec<Quote> {
    let mut out = Vec::new();
    for paragraph in paragraphs(text) {
        let covered = direct_quotes(text, &paragraph.span, &mut out);
        for sentence in sentences(text, paragraph.span.clone()) {
            let span = sentence.span.clone();
            if !covered.iter().any(|c| c.start < span.end && span.start < c.end) {
                reported(text, span, &mut out);
            }
        }
    }
    out
}

/// The quotation marks' pairs in `span`: (open mark byte, close mark byte).
fn quotations(text: &str, span: &Range<usize>) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text[span.clone()].char_indices() {
        let at = span.start + i;
        match open {
            None if opens(c) => open = Some(at),
            Some(o) if closes(c) => {
                out.push((o, at));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(o) = open {
        // an opened quote runs to the paragraph's end (it may go on in the next)
        out.push((o, span.end));
    }
    out
}

/// Direct quotes of one paragraph; returns the spans they and their cues cover.
/// A quote without a cue of its own right after an attributed one continues it
/// ("“A,” she said. “B.”" is one attribution).
fn direct_quotes(text: &str, span: &Range<usize>, out: &mut Vec<Quote>) -> Vec<Range<usize>> {
    let tokens = tokenize(text, span.clone());
    let word = |t: &Token| t.text(text);
    let mut covered = Vec::new();
    let mut last: Option<usize> = None; // index in `out` of this paragraph's last quote
    for (open, close) in quotations(text, span) {
        let inner = open + text[open..].chars().next().map_or(1, char::len_utf8)..close;
        if text[inner.clone()].split_whitespace().count() < 3 {
            continue;
        }
        // cue right after the quote (", he said"), else before it in its sentence
        let after: Vec<&Token> = tokens.iter().filter(|t| t.start > close).take(6).collect();
        let cue_after = after
            .iter()
            .take_while(|t| !matches!(word(t), "." | "“" | "\"" | "?" | "!"))
            .find(|t| is_speech_verb(word(t)))
            .copied();
        let before: Vec<&Token> = tokens.iter().filter(|t| t.end <= open).collect();
        let cue_before = before
            .iter()
            .rev()
            .take(15)
            .take_while(|t| !matches!(word(t), "." | "”" | "\"" | "?" | "!"))
            .find(|t| is_speech_verb(word(t)))
            .copied();
        let Some(cue) = cue_after.or(cue_before) else {
            // a continuation of the previous attributed quote
            if let Some(k) = last {
                out[k].content.end = inner.end;
                out[k].parts.push(inner.clone());
                covered.push(open..close);
            }
            continue;
        };
        let window = if cue.start > close { close..span.end } else { span.start..open };
        let speaker = speaker_near(text, &tokens, cue, window);
        covered.push(open.min(cue.start)..close.max(cue.end));
        out.push(Quote {
            kind: QuoteKind::Direct,
            parts: vec![inner.clone()],
            content: inner,
            cue: cue.start..cue.end,
            speaker,
        });
        last = Some(out.len() - 1);
    }
    covered
}

/// Reported speech in one sentence without a direct quote.
fn reported(text: &str, span: Range<usize>, out: &mut Vec<Quote>) {
    let tokens = tokenize(text, span.clone());
    let word = |t: &Token| t.text(text);
    let Some(k) = tokens.iter().position(|t| is_speech_verb(word(t))) else {
        return according_to(text, &tokens, &span, out);
    };
    let cue = &tokens[k];
    let comma_before = tokens[..k].iter().rposition(|t| word(t) == ",");
    let end = trim_end_punct(text, span.end);
    if let Some(c) = comma_before.filter(|&c| c > 2) {
        // "<content>, <speaker> said." or "<content>, said <speaker>."
        let content = span.start..tokens[c].start;
        let speaker = speaker_near(text, &tokens, cue, tokens[c].end..end);
        out.push(Quote {
            kind: QuoteKind::Indirect,
            parts: vec![content.clone()],
            content,
            cue: cue.start..cue.end,
            speaker,
        });
    } else if k > 0 && k + 2 < tokens.len() {
        // "<speaker> said (that) <content>."
        let mut c = k + 1;
        if word(&tokens[c]).eq_ignore_ascii_case("that") {
            c += 1;
        }
        if c < tokens.len() && tokens[c].start < end {
            let speaker = speaker_near(text, &tokens, cue, span.start..cue.start);
            out.push(Quote {
                kind: QuoteKind::Indirect,
                parts: vec![tokens[c].start..end],
                content: tokens[c].start..end,
                cue: cue.start..cue.end,
                speaker,
            });
        }
    }
}

/// "According to <speaker>, <content>." and "<content>, according to <speaker>."
fn according_to(text: &str, tokens: &[Token], span: &Range<usize>, out: &mut Vec<Quote>) {
    let word = |t: &Token| t.text(text).to_ascii_lowercase();
    let Some(k) = tokens.windows(2).position(|w| word(&w[0]) == "according" && word(&w[1]) == "to") else { return };
    let cue = tokens[k].start..tokens[k + 1].end;
    let end = trim_end_punct(text, span.end);
    let comma_after = tokens[k + 2..].iter().position(|t| t.text(text) == ",").map(|p| k + 2 + p);
    if k == 0 || tokens[..k].iter().all(|t| t.text(text).chars().all(|c| !c.is_alphanumeric())) {
        let Some(c) = comma_after else { return };
        let speaker = Some(tokens[k + 2].start..tokens[c].start).filter(|r| !r.is_empty());
        if c + 1 < tokens.len() {
            out.push(Quote {
                kind: QuoteKind::Indirect,
                parts: vec![tokens[c + 1].start..end],
                content: tokens[c + 1].start..end,
                cue,
                speaker,
            });
        }
    } else {
        let stop = tokens[..k].iter().rposition(|t| t.text(text) == ",").unwrap_or(k);
        let content = span.start..tokens[stop].start;
        let speaker = Some(tokens.get(k + 2).map_or(end, |t| t.start)..end).filter(|r| !r.is_empty());
        if !content.is_empty() {
            out.push(Quote { kind: QuoteKind::Indirect, parts: vec![content.clone()], content, cue, speaker });
        }
    }
}

/// The speaker next to `cue` within `window`: the words right before the cue
/// ("Smith said", "the ambassador added") or, when none, right after it ("said
/// Smith"), up to a comma, a quotation mark or eight words.
fn speaker_near(text: &str, tokens: &[Token], cue: &Token, window: Range<usize>) -> Option<Range<usize>> {
    let is_stop = |t: &Token| {
        let w = t.text(text);
        w.chars().all(|c| !c.is_alphanumeric()) || is_speech_verb(w)
    };
    let k = tokens.iter().position(|t| t.start == cue.start)?;
    let before: Vec<&Token> = tokens[..k]
        .iter()
        .rev()
        .filter(|t| t.start >= window.start && t.end <= window.end.max(cue.start))
        .take_while(|t| !is_stop(t))
        .take(8)
        .collect();
    if let (Some(first), Some(last)) = (before.last(), before.first()) {
        return Some(first.start..last.end);
    }
    let after: Vec<&Token> =
        tokens[k + 1..].iter().filter(|t| t.end <= window.end).take_while(|t| !is_stop(t)).take(8).collect();
    match (after.first(), after.last()) {
        (Some(first), Some(last)) => Some(first.start..last.end),
        _ => None,
    }
}

/// `end` moved back over a final full stop, quotation mark or white space.
fn trim_end_punct(text: &str, end: usize) -> usize {
    text[..end].trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '!' | '?')).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> Vec<(QuoteKind, String, String, Option<String>)> {
        extract_quotes(text)
            .into_iter()
            .map(|q| {
                (q.kind, text[q.content].to_string(), text[q.cue].to_string(), q.speaker.map(|s| text[s].to_string()))
            })
            .collect()
    }

    #[test]
    fn direct_quotes_with_cue_after_or_before() {
        let got = show("“We will not accept this at all,” the ambassador said.");
        assert_eq!(
            got,
            [(
                QuoteKind::Direct,
                "We will not accept this at all,".into(),
                "said".into(),
                Some("the ambassador".into())
            )]
        );
        let got = show("Smith told reporters: \"The plan is dead in the water.\"");
        assert_eq!(got[0].1, "The plan is dead in the water.");
        assert_eq!((got[0].2.as_str(), got[0].3.as_deref()), ("told", Some("Smith")));
        let got = show("\"It is over for them now,\" said Jones, a senator.");
        assert_eq!(got[0].3.as_deref(), Some("Jones"));
    }

    #[test]
    fn a_quote_split_around_its_cue_is_one_attribution() {
        let text = "“We are ready to talk,” she said. “But not at any price.”";
        let got = extract_quotes(text);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(&text[got[0].content.clone()], "We are ready to talk,” she said. “But not at any price.");
    }

    #[test]
    fn reported_speech_and_according_to() {
        let got = show("Iran's ambassador said that the strikes must stop.");
        assert_eq!(
            got,
            [(QuoteKind::Indirect, "the strikes must stop".into(), "said".into(), Some("Iran's ambassador".into()))]
        );
        let got = show("The talks will resume in May, officials said.");
        assert_eq!(got[0].1, "The talks will resume in May");
        assert_eq!(got[0].3.as_deref(), Some("officials"));
        let got = show("According to the report, prices rose sharply.");
        assert_eq!(
            (got[0].1.as_str(), got[0].2.as_str(), got[0].3.as_deref()),
            ("prices rose sharply", "According to", Some("the report"))
        );
        assert!(show("The sky was grey and the streets were empty.").is_empty());
    }
}
