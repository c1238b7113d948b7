//! From token labels to attributions: each content span takes the nearest cue
//! (same sentence first) and that cue's nearest source; contents sharing a cue
//! and source are one attribution in parts ("“A,” she said. “B.”").

use std::ops::Range;

use super::tagger::{B_CONTENT, B_CUE, B_SOURCE, I_CONTENT, I_CUE, I_SOURCE, Mark, O, ParagraphView};
use super::{Quote, QuoteKind};

/// A labelled run of tokens `[first, last]` (token indexes).
#[derive(Clone, Copy, Debug)]
struct Run {
    first: usize,
    last: usize,
}

fn runs(labels: &[u8], begin: u8, inside: u8) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (i, &l) in labels.iter().enumerate() {
        if l == begin {
            out.push(Run { first: i, last: i });
        } else if l == inside
            && let Some(r) = out.last_mut()
            && r.last + 1 == i
        {
            r.last = i;
        }
    }
    out
}

/// "“…,” said the ruling.": the few words between a cue that follows a closed
/// quotation and the sentence's end name the speaker, whatever the tagger
/// made of them.
fn speakers_after_quotes(text: &str, view: &ParagraphView, labels: &[u8]) -> Vec<u8> {
    let mut out = labels.to_vec();
    for cue in runs(labels, B_CUE, I_CUE) {
        let after_close = cue.first > 0 && view.marks[cue.first - 1] == Mark::Close;
        let start = cue.last + 1;
        if !after_close || start >= view.len() || labels[start] != B_CONTENT {
            continue;
        }
        let sentence = view.sentence[start];
        let mut end = start;
        while end + 1 < view.len() && view.sentence[end + 1] == sentence && labels[end + 1] == I_CONTENT {
            end += 1;
        }
        let closes_sentence = end + 1 == view.len()
            || view.sentence[end + 1] != sentence
            || matches!(view.tokens[end + 1].text(text), "." | "!" | "?");
        if closes_sentence && end - start < 8 {
            out[start] = B_SOURCE;
            for l in &mut out[start + 1..=end] {
                *l = I_SOURCE;
            }
        }
    }
    out
}

/// “We will win.” ― Jane Doe: a quotation signed with a dash and a name after
/// its closing mark. Returns the dash (the cue) and the name (the speaker).
fn dash_attribution(text: &str, view: &ParagraphView, content: Run) -> Option<(Run, Run)> {
    let word = |i: usize| view.tokens[i].text(text);
    let close = (content.last..(content.last + 2).min(view.len())).find(|&i| view.marks[i] == Mark::Close)?;
    let dash = close + 1;
    if dash >= view.len() || !matches!(word(dash), "―" | "—" | "–" | "-" | "--") {
        return None;
    }
    let first = dash + 1;
    if first >= view.len() || !word(first).starts_with(char::is_uppercase) {
        return None;
    }
    let mut last = first;
    while last + 1 < view.len()
        && last + 1 - first < 6
        && word(last + 1).chars().any(char::is_alphanumeric)
        && view.marks[last + 1] == Mark::None
    {
        last += 1;
    }
    Some((Run { first: dash, last: dash }, Run { first, last }))
}

/// Token distance between two runs, sentences apart counted heavily.
fn distance(view: &ParagraphView, a: Run, b: Run) -> usize {
    let gap = b.first.saturating_sub(a.last).max(a.first.saturating_sub(b.last));
    let sentences = view.sentence[a.first].abs_diff(view.sentence[b.first]) as usize;
    gap + 40 * sentences
}

/// The attributions of one tagged paragraph.
pub(crate) fn assemble(text: &str, view: &ParagraphView, labels: &[u8]) -> Vec<Quote> {
    let inverted = speakers_after_quotes(text, view, labels);
    let labels = inverted.as_slice();
    let contents: Vec<Run> =
        runs(labels, B_CONTENT, I_CONTENT).into_iter().map(|r| cut_after_quotation(text, view, r)).collect();
    let mut cues = runs(labels, B_CUE, I_CUE);
    let mut sources = runs(labels, B_SOURCE, I_SOURCE);
    // (cue index, source index) -> parts
    let mut out: Vec<(usize, Option<usize>, Vec<Run>)> = Vec::new();
    for c in contents {
        if let Some((dash, name)) = dash_attribution(text, view, c) {
            cues.push(dash);
            sources.push(name);
            out.push((cues.len() - 1, Some(sources.len() - 1), vec![c]));
            continue;
        }
        let Some((q, _)) = cues.iter().enumerate().min_by_key(|(_, q)| distance(view, c, **q)) else { continue };
        let source = sources
            .iter()
            .enumerate()
            // a source in another sentence is more often another attribution's
            .filter(|(_, s)| view.sentence[s.first] == view.sentence[cues[q].first])
            .min_by_key(|(_, s)| distance(view, cues[q], **s))
            .map(|(k, _)| k);
        match out.iter_mut().find(|(oq, os, _)| *oq == q && *os == source) {
            Some((_, _, parts)) => parts.push(c),
            None => out.push((q, source, vec![c])),
        }
    }
    continue_quotations(view, labels, &mut out);
    // a direct quote's parts are quotations: narration the tagger ran on with
    // after the cue ("“…,” Melanie said to the nominee") is not said
    for (_, _, parts) in &mut out {
        let quoted = |r: &Run| (r.first..=r.last).filter(|&i| view.marks[i] == Mark::None).all(|i| view.in_quote[i]);
        if parts.len() > 1 && quoted(&parts[0]) {
            let first = parts[0].first;
            // a later part keeps what starts at its first quotation, if any
            for r in parts.iter_mut().filter(|r| r.first != first && !quoted(r)) {
                match (r.first..=r.last).find(|&i| view.marks[i] == Mark::Open) {
                    Some(open) => r.first = open,
                    None => r.last = usize::MAX,
                }
            }
            parts.retain(|r| r.last != usize::MAX);
        }
    }
    let span = |r: Run| view.tokens[r.first].start..view.tokens[r.last].end;
    out.into_iter()
        .filter_map(|(q, s, parts)| {
            let speaker = match s {
                Some(s) => Some(sources[s]),
                None => words_next_to(text, view, labels, cues[q]),
            }
            .and_then(|r| without_leading_particles(text, view, r))
            .map(span);
            let parts: Vec<Range<usize>> = parts.into_iter().filter_map(|r| content_span(text, view, r)).collect();
            let content = parts.first()?.start..parts.last()?.end;
            Some(Quote { kind: kind_of(view, &parts), content, parts, cue: span(cues[q]), speaker })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .filter(|q| !text[q.content.clone()].trim().is_empty())
        .collect()
}

/// A content run that is a quotation ending in a comma, question or
/// exclamation mark ("“We will win,” she said, and …") ends with it: what
/// follows the closing mark is the attribution's frame, not its content.
fn cut_after_quotation(text: &str, view: &ParagraphView, r: Run) -> Run {
    let starts_quoted = (r.first..=r.last).find(|&i| view.marks[i] == Mark::None).is_some_and(|i| view.in_quote[i]);
    if !starts_quoted {
        return r;
    }
    for k in r.first + 1..r.last {
        if view.marks[k] == Mark::Close && matches!(view.tokens[k - 1].text(text), "," | "?" | "!") {
            return Run { first: r.first, last: k };
        }
    }
    r
}

/// A quotation that makes up whole sentences, left unlabelled, after an
/// attribution whose content ends in quotation marks goes on with it:
/// "“A,” said X. “B.”" is one attribution in two parts.
fn continue_quotations(view: &ParagraphView, labels: &[u8], out: &mut [(usize, Option<usize>, Vec<Run>)]) {
    let mut i = 0;
    while i < view.len() {
        let sentence_start = i == 0 || view.sentence[i] != view.sentence[i - 1];
        if view.marks[i] != Mark::Open || !sentence_start {
            i += 1;
            continue;
        }
        // unclosed: the quotation runs to the end (the paragraph may go on)
        let close = (i + 1..view.len()).find(|&k| view.marks[k] == Mark::Close).unwrap_or(view.len() - 1);
        let quotation = Run { first: i, last: close };
        let unlabelled = labels[i..=close].iter().all(|&l| l == O);
        // the attribution ending last before it, if its content was quoted
        let previous = out
            .iter_mut()
            .filter(|(_, _, parts)| parts.last().is_some_and(|p| p.last < i))
            .max_by_key(|(_, _, parts)| parts.last().map_or(0, |p| p.last));
        if let (true, Some((_, _, parts))) = (unlabelled, previous)
            && parts.last().is_some_and(|p| view.in_quote[p.last])
        {
            parts.push(quotation);
        }
        i = close + 1;
    }
}

/// Words that open a clause, not a speaker ("But he said", "Perhaps
/// recognizing"): a speaker span starting with them starts after them.
const NOT_SPEAKERS: &[&str] = &[
    "and",
    "but",
    "or",
    "though",
    "although",
    "yet",
    "so",
    "then",
    "also",
    "perhaps",
    "rather",
    "yes",
    "no",
    "even",
    "still",
    "however",
    "while",
    "when",
    "as",
    "if",
    "because",
    "since",
    "after",
    "before",
    "meanwhile",
    "instead",
    "keeps",
    "promptly",
    "typically",
    "often",
    "later",
    "now",
    "once",
];

/// `r` without those words at its start, nor punctuation at either edge
/// ("Linda Thomas-Greenfield," is "Linda Thomas-Greenfield").
fn without_leading_particles(text: &str, view: &ParagraphView, r: Run) -> Option<Run> {
    let word = |i: usize| view.tokens[i].text(text);
    let punctuation = |i: usize| !word(i).chars().any(char::is_alphanumeric);
    let (mut first, mut last) = (r.first, r.last);
    while first <= last && (punctuation(first) || NOT_SPEAKERS.iter().any(|w| word(first).eq_ignore_ascii_case(w))) {
        first += 1;
    }
    while last > first && punctuation(last) && !matches!(word(last), ")" | "]") {
        last -= 1;
    }
    (first <= last && !punctuation(first)).then_some(Run { first, last })
}

/// The words next to a cue that the tagger left unlabelled, as its speaker:
/// those right before it ("the ambassador added") or else right after it
/// ("said Smith"), up to punctuation, a labelled token or eight words.
fn words_next_to(text: &str, view: &ParagraphView, labels: &[u8], cue: Run) -> Option<Run> {
    let free = |i: usize| {
        labels[i] == O
            && view.sentence[i] == view.sentence[cue.first]
            && view.tokens[i].text(text).chars().any(char::is_alphanumeric)
    };
    let mut first = cue.first;
    while first > 0 && cue.first - first < 8 && free(first - 1) {
        first -= 1;
    }
    if first < cue.first {
        return Some(Run { first, last: cue.first - 1 });
    }
    let mut last = cue.last;
    while last + 1 < view.len() && last - cue.last < 8 && free(last + 1) {
        last += 1;
    }
    (last > cue.last).then_some(Run { first: cue.last + 1, last })
}

/// A content run's byte range without the quotation marks and punctuation
/// at its edges.
fn content_span(text: &str, view: &ParagraphView, r: Run) -> Option<Range<usize>> {
    let mut first = r.first;
    let mut last = r.last;
    while first <= last
        && (view.marks[first] != Mark::None || matches!(view.tokens[first].text(text), ":" | "," | ";" | "—" | "-"))
    {
        first += 1;
    }
    while last >= first && view.marks[last] != Mark::None {
        if last == 0 {
            return None;
        }
        last -= 1;
    }
    (first <= last).then(|| view.tokens[first].start..view.tokens[last].end)
}

/// Direct when every word of the content is inside quotation marks, mixed
/// when some are, else indirect.
fn kind_of(view: &ParagraphView, parts: &[Range<usize>]) -> QuoteKind {
    let (mut quoted, mut plain) = (0, 0);
    for (t, &q) in view.tokens.iter().zip(&view.in_quote) {
        if parts.iter().any(|p| t.start >= p.start && t.end <= p.end) {
            if q {
                quoted += 1;
            } else {
                plain += 1;
            }
        }
    }
    match (quoted, plain) {
        (0, _) => QuoteKind::Indirect,
        (_, 0) => QuoteKind::Direct,
        _ => QuoteKind::Mixed,
    }
}
