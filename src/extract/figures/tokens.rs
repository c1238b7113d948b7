//! Stage 1: the figures tokenizer, and the read-only view of its tokens that the
//! later stages share ([`Ctx`]).
//!
//! It differs from [`crate::extract::segment::tokenize`] on purpose: a number
//! keeps any `.`/`,` between digits ("1,2" stays one token, so the number layer
//! can read it as a decimal comma), letters and digits glue into one token ("5m",
//! "A380"), hyphens and apostrophes are tokens of their own, and every token
//! remembers whether white space came before it ("5m" vs "5 m").

use std::borrow::Cow;

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TK {
    /// Letters only.
    Word,
    /// ASCII digits, with '.' or ',' only between digits.
    Num,
    /// Letters and digits mixed ("5m", "A380", "21st").
    Mixed,
    /// Any other single character.
    Punct,
}

/// One token with its byte offsets.
#[derive(Debug, Clone)]
pub(super) struct Tok<'a> {
    /// The token's text.
    pub(super) s: &'a str,
    /// Its lower-case form, which the word lists are written in (borrowed from
    /// the text when the token has no capitals, as most do).
    pub(super) lw: Cow<'a, str>,
    /// Byte offset of the first byte.
    pub(super) start: usize,
    /// Byte offset one past the last byte.
    pub(super) end: usize,
    /// What the token is made of.
    pub(super) kind: TK,
    /// No white space between this token and the previous one.
    pub(super) glued: bool,
    /// The white space before this token is exactly one space-like character
    /// (used for "1 234 567" digit grouping).
    pub(super) single_space: bool,
}

/// Value of a vulgar-fraction character ("½" → 0.5).
pub(super) fn is_vulgar(c: char) -> Option<f64> {
    Some(match c {
        '½' => 0.5,
        '⅓' => 1.0 / 3.0,
        '⅔' => 2.0 / 3.0,
        '¼' => 0.25,
        '¾' => 0.75,
        '⅕' => 0.2,
        '⅖' => 0.4,
        '⅗' => 0.6,
        '⅘' => 0.8,
        '⅙' => 1.0 / 6.0,
        '⅚' => 5.0 / 6.0,
        '⅛' => 0.125,
        '⅜' => 0.375,
        '⅝' => 0.625,
        '⅞' => 0.875,
        _ => return None,
    })
}

/// Splits `text` into tokens (see the module doc for the rules).
pub(super) fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let n = cs.len();
    let pos = |i: usize| if i < n { cs[i].0 } else { text.len() };
    let mut toks = Vec::new();
    let mut i = 0;
    let mut ws_count = 0usize;
    let mut ws_plain = true;
    let mut first = true;
    while i < n {
        let c = cs[i].1;
        if c.is_whitespace() {
            ws_count += 1;
            if !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}') {
                ws_plain = false;
            }
            i += 1;
            continue;
        }
        let glued = ws_count == 0 && !first;
        let single_space = ws_count == 1 && ws_plain;
        ws_count = 0;
        ws_plain = true;
        first = false;
        let start_i = i;
        let kind;
        if (c.is_alphanumeric() && is_vulgar(c).is_none()) || c.is_ascii_digit() {
            (i, kind) = alphanumeric_run(&cs, i);
        } else {
            i += 1;
            kind = TK::Punct;
        }
        let (s, e) = (pos(start_i), pos(i));
        let s_ = &text[s..e];
        toks.push(Tok { s: s_, lw: lower_case(s_), start: s, end: e, kind, glued, single_space });
    }
    toks
}

/// `s.to_lowercase()`, without allocating for ASCII text that is lower case already.
fn lower_case(s: &str) -> Cow<'_, str> {
    if !s.is_ascii() {
        Cow::Owned(s.to_lowercase())
    } else if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The run of letters and digits starting at char `start` (with '.' or ','
/// kept between two digits): its end (exclusive) and kind.
fn alphanumeric_run(cs: &[(usize, char)], start: usize) -> (usize, TK) {
    let n = cs.len();
    let mut i = start;
    let mut has_d = false;
    let mut has_l = false;
    while i < n {
        let ch = cs[i].1;
        if ch.is_ascii_digit() {
            has_d = true;
            i += 1;
        } else if ch.is_alphanumeric() && is_vulgar(ch).is_none() {
            has_l = true;
            i += 1;
        } else if (ch == '.' || ch == ',')
            && i > start
            && cs[i - 1].1.is_ascii_digit()
            && i + 1 < n
            && cs[i + 1].1.is_ascii_digit()
        {
            i += 1;
        } else {
            break;
        }
    }
    let kind = match (has_d, has_l) {
        (true, false) => TK::Num,
        (false, _) => TK::Word,
        _ => TK::Mixed,
    };
    (i, kind)
}

/// A hyphen joining words ("twenty-five").
#[inline]
pub(super) fn is_hyphen(s: &str) -> bool {
    matches!(s, "-" | "‐" | "‑")
}

/// Any dash or hyphen, as between the ends of a range ("10–15").
#[inline]
pub(super) fn is_dash(s: &str) -> bool {
    matches!(s, "-" | "–" | "—" | "‐" | "‑" | "−")
}

/// The number of words in the space-separated `phrase` if the lowercase forms
/// of the tokens from `i` are those words (and `accept` holds for each token).
/// Called for every token with long phrase lists, so nothing is allocated.
#[inline]
pub(super) fn phrase_at(toks: &[Tok], i: usize, phrase: &str, accept: impl Fn(&Tok) -> bool) -> Option<usize> {
    // Most calls fail on the first word: reject those without splitting.
    let rest = phrase.strip_prefix(toks.get(i)?.lw.as_ref())?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let mut matched = 0;
    for word in phrase.split(' ') {
        let tok = toks.get(i + matched)?;
        if tok.lw != word || !accept(tok) {
            return None;
        }
        matched += 1;
    }
    Some(matched)
}

/// The tokens of one text with the switches that every stage reads; the
/// accessors return a neutral value past the last token, so that rules can
/// look ahead without bounds checks.
pub(super) struct Ctx<'a, 't> {
    /// The text the tokens point into.
    pub(super) text: &'a str,
    /// Its tokens.
    pub(super) toks: &'t [Tok<'a>],
    /// News filters on ([`super::FigureOptions::news_filters`]).
    pub(super) news: bool,
    /// The bare number view ([`super::extract_numbers`]): numbers as written,
    /// without vague counts or relative ordinals.
    pub(super) numview: bool,
}

impl<'a> Ctx<'a, '_> {
    /// Lower-case text of token `i`, or "".
    #[inline]
    pub(super) fn w(&self, i: usize) -> &str {
        self.toks.get(i).map(|t| t.lw.as_ref()).unwrap_or("")
    }
    /// Whether token `i` is the lower-case word `s`.
    #[inline]
    pub(super) fn is(&self, i: usize, s: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.lw == s)
    }
    /// Kind of token `i`, if there is one.
    #[inline]
    pub(super) fn kind(&self, i: usize) -> Option<TK> {
        self.toks.get(i).map(|t| t.kind)
    }
    /// Whether token `i` exists and follows the previous one without a space.
    #[inline]
    pub(super) fn glued(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.glued)
    }
    /// Next token index after word `i`, skipping a joining hyphen ("twenty-five",
    /// "fifty - two"). Returns `i + 1` when there is no hyphen.
    #[inline]
    pub(super) fn next_word(&self, i: usize) -> usize {
        let j = i + 1;
        if self.toks.get(j).is_some_and(|t| is_hyphen(t.s))
            && self.kind(j + 1) == Some(TK::Word)
            && (self.glued(j) == self.glued(j + 1))
        {
            j + 1
        } else {
            j
        }
    }
    /// Byte offset where token `i` starts (the text's end past the last token).
    #[inline]
    pub(super) fn start(&self, i: usize) -> usize {
        self.toks.get(i).map(|t| t.start).unwrap_or(self.text.len())
    }
    /// Byte offset where the token run ending before token `i` ends.
    #[inline]
    pub(super) fn end(&self, i: usize) -> usize {
        if i == 0 {
            return 0;
        }
        self.toks.get(i - 1).map(|t| t.end).unwrap_or(self.text.len())
    }
}

/// Spans inside URLs, e-mail addresses and file paths: never figures.
pub(super) fn url_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // Nearly every sentence has none: skip the word-by-word scan when no word can match.
    if !(text.contains("://") || text.contains("www.") || text.contains('@')) {
        return out;
    }
    let mut s = 0;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if c.is_whitespace() {
            let w = &text[s..i];
            if w.contains("://") || w.starts_with("www.") || (w.contains('@') && w.contains('.')) {
                out.push((s, i));
            }
            s = i + c.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, TK, bool)> {
        tokenize(text).into_iter().map(|t| (t.s, t.kind, t.glued)).collect()
    }

    #[test]
    fn tokens_keep_digit_separators_and_glue() {
        assert_eq!(
            kinds("£5m, 1,2 A380 twenty-five"),
            vec![
                ("£", TK::Punct, false),
                ("5m", TK::Mixed, true),
                (",", TK::Punct, true),
                ("1,2", TK::Num, false),
                ("A380", TK::Mixed, false),
                ("twenty", TK::Word, false),
                ("-", TK::Punct, true),
                ("five", TK::Word, true),
            ]
        );
        let toks = tokenize("1 234\t567");
        assert!(toks[1].single_space && !toks[2].single_space);
    }

    #[test]
    fn phrases_match_whole_lower_case_words() {
        let toks = tokenize("More than 5");
        assert_eq!(phrase_at(&toks, 0, "more than", |_| true), Some(2));
        assert_eq!(phrase_at(&toks, 0, "more", |_| true), Some(1));
        assert_eq!(phrase_at(&toks, 0, "mor", |_| true), None);
        assert_eq!(phrase_at(&toks, 1, "than 5 people", |_| true), None);
    }

    #[test]
    fn urls_and_addresses() {
        let text = "see www.x.com/5 or a@b.org, not 5.5";
        let spans: Vec<&str> = url_spans(text).iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(spans, vec!["www.x.com/5", "a@b.org,"]);
    }
}
