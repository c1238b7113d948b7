//! Date expressions: finds DATE mentions in one sentence and resolves them to
//! ISO 8601 where the text itself pins the date down.
//!
//! Resolved (`value` is `Some`):
//! * "October 7, 2023", "Oct. 7, 2023", "7 October 2023", "7th Oct 2023" → "2023-10-07"
//! * "2023-10-07" → "2023-10-07" (validated: "2023-02-30" is not a date)
//! * "March 2004", "March of 2004" → "2004-03"
//! * a bare year in date context ("in 2004", "since 1996", "by 2010", "2004's") → "2004"
//!
//! Recognised but unresolved (`value` is `None`), because resolving needs the
//! article's publication date, which this pure-text stage does not have:
//! * day and month without a year: "Oct. 7", "7 October"
//! * a month alone in date context: "in October", "last March"
//! * week days with an optional modifier and part of day: "Monday", "late Sunday",
//!   "Tuesday night", "last Friday"
//! * relative expressions: "yesterday", "today", "tomorrow", "last week",
//!   "next month", "this year", "earlier this year" (only "this year" part)
//! * decades: "the 1990s" (mention "1990s")
//! * "mid-September", "end-October" (and "mid-2004", resolved to "2004")
//!
//! A week day directly before a full date ("Monday, October 7, 2023") joins it in
//! one mention with the date's value.

use std::ops::Range;

use super::mention::{EntityLabel, Mention};
use super::segment::Token;

use super::lexicon::{self, ORDINAL_SUFFIXES};

/// Words before a bare year or a lone month that make it a date ("in 2004").
const DATE_PREPOSITIONS: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "during",
    "before",
    "after",
    "early",
    "late",
    "mid",
    "between",
    "through",
    "throughout",
    "of",
    "last",
    "next",
    "this",
    "to",
    "and",
    "In",
    "Since",
    "Until",
    "By",
    "From",
    "During",
    "Before",
    "After",
    "Early",
    "Late",
    "Between",
    "Last",
    "Next",
    "This",
];

/// Modifiers that join a following week day ("late Sunday").
const DAY_MODIFIERS: &[&str] = &["early", "late", "last", "next", "this", "Early", "Late", "Last", "Next", "This"];

/// Parts of day that join a preceding week day ("Tuesday night").
const DAY_PARTS: &[&str] = &["morning", "afternoon", "evening", "night"];

/// Units for "last week" / "next month" / "this year".
const RELATIVE_UNITS: &[&str] = &["week", "month", "year", "weekend", "decade", "century"];

/// Months whose names are also common words ("may", "march"): recognised only
/// next to a number or after a date preposition.
fn ambiguous_month(month: u32) -> bool {
    matches!(month, 3 | 5 | 8)
}

/// Month number (1-12) of a full or abbreviated English month name, also in
/// capitals ("AUGUST", "SEPT") and with the abbreviation's period ("Sept.").
pub(crate) fn month_number(word: &str) -> Option<u32> {
    // Headlines in capitals: "AUGUST" reads as "August".
    if all_caps(word, 3) {
        return lexicon::month_number_ignore_case(word);
    }
    // Some tokenizers keep the abbreviation's period ("Sept.").
    let word = match word.strip_suffix('.') {
        Some(w) if w.len() >= 3 => w,
        _ => word,
    };
    lexicon::month_number(word)
}

/// A word in capitals longer than `min` letters: a headline word ("AUGUST"),
/// where a short one ("MAY", "SUN") is more likely an acronym or a name.
fn all_caps(word: &str, min: usize) -> bool {
    word.len() > min && word.bytes().all(|b| b.is_ascii_uppercase())
}

fn weekday(word: &str) -> bool {
    lexicon::is_weekday(word, all_caps(word, 5))
}

/// Day of month from "7", "07", "7th", "21st".
fn day_number(word: &str) -> Option<u32> {
    let digits = ORDINAL_SUFFIXES.iter().find_map(|suffix| word.strip_suffix(suffix)).unwrap_or(word);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day: u32 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

/// A plausible news year: four digits 1000-2199.
fn year_number(word: &str) -> Option<i32> {
    if word.len() != 4 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = word.parse().ok()?;
    (1000..2200).contains(&year).then_some(year)
}

fn iso_day(year: i32, month: u32, day: u32) -> Option<String> {
    chrono::NaiveDate::from_ymd_opt(year, month, day).map(|d| d.format("%Y-%m-%d").to_string())
}

/// "2023-10-07" as one token.
fn iso_token(word: &str) -> Option<String> {
    let b = word.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = year_number(&word[..4])?;
    let month: u32 = word.get(5..7)?.parse().ok()?;
    let day: u32 = word.get(8..10)?.parse().ok()?;
    iso_day(year, month, day)
}

/// "1990s" / "1990's" decade token.
fn is_decade(word: &str) -> bool {
    word.len() == 5
        && word.ends_with("0s")
        && word[..4].bytes().all(|b| b.is_ascii_digit())
        && year_number(&word[..4]).is_some()
}

/// The tokens that can be trusted: non-empty, inside `sentence`, on char
/// boundaries, in order and not overlapping (callers may pass anything; a
/// mention must never come out with `start >= end`).
pub(crate) fn usable_tokens(text: &str, sentence: &Range<usize>, tokens: &[Token]) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for t in tokens {
        let ok = t.start < t.end
            && t.start >= sentence.start
            && t.end <= sentence.end
            && text.get(t.start..t.end).is_some()
            && out.last().is_none_or(|p| p.end <= t.start);
        if ok {
            out.push(*t);
        }
    }
    out
}

/// The words of one sentence, read past the end as "".
struct Words<'w> {
    toks: &'w [&'w str],
    spans: &'w [(usize, usize)],
}

/// A date found at a token: (start token, end token exclusive, value).
type Found = (usize, usize, Option<String>);

impl Words<'_> {
    fn word(&self, i: usize) -> &str {
        self.toks.get(i).copied().unwrap_or("")
    }

    /// The token after a month at `i`; an abbreviated month's period is its own
    /// token ("Oct" "."), swallowed when it directly follows.
    fn after_abbr(&self, i: usize) -> usize {
        let w = self.word(i);
        if (w.len() == 3 || w == "Sept") && self.word(i + 1) == "." && self.spans[i + 1].0 == self.spans[i].1 {
            return i + 2;
        }
        i + 1
    }

    fn prev_is_prep(&self, i: usize) -> bool {
        i > 0 && DATE_PREPOSITIONS.contains(&self.word(i - 1))
    }

    /// Month first at `i`: "October 7, 2023", "Oct. 7", "March 2004", "March of
    /// 2004", "in October".
    fn month_first(&self, i: usize, month: u32) -> Option<Found> {
        let w = self.word(i);
        let full = lexicon::is_month_name(w, false) || all_caps(w, 3);
        // Abbreviations need their period or a following number, so that
        // "Jan" the name or "Dec" in a code is not taken.
        let j = self.after_abbr(i);
        let has_period = j == i + 2;
        if let Some(day) = day_number(self.word(j)) {
            // Month Day [,] [Year]
            let k = j + 1;
            let comma = if self.word(k) == "," { k + 1 } else { k };
            return Some(match year_number(self.word(comma)) {
                Some(year) => (i, comma + 1, iso_day(year, month, day)),
                None => (i, k, None),
            });
        }
        if let Some(year) = year_number(self.word(j)) {
            return Some((i, j + 1, Some(format!("{year:04}-{month:02}"))));
        }
        if self.word(j) == "of"
            && full
            && let Some(year) = year_number(self.word(j + 1))
        {
            return Some((i, j + 2, Some(format!("{year:04}-{month:02}"))));
        }
        if full && (!ambiguous_month(month) || self.prev_is_prep(i)) {
            return Some((i, i + 1, None));
        }
        (has_period && !ambiguous_month(month) && self.prev_is_prep(i)).then_some((i, j, None))
    }

    /// Day first at `i`: "7 October 2023", "7th Oct", "1 May".
    fn day_first(&self, i: usize, day: u32) -> Option<Found> {
        let month = month_number(self.word(i + 1))?;
        let j = self.after_abbr(i + 1);
        let abbr_ok = lexicon::is_month_name(self.word(i + 1), false) || j == i + 3 || self.word(i + 1).len() == 3;
        if !abbr_ok {
            return None;
        }
        Some(match year_number(self.word(j)) {
            Some(year) => (i, j + 1, iso_day(year, month, day)),
            None => (i, j, None),
        })
    }
}

/// Finds DATE mentions among `tokens` (the tokens of `text[sentence]`).
///
/// Offsets are byte offsets into `text`. Mentions never overlap and come in text
/// order.
pub fn find_dates(text: &str, sentence: Range<usize>, tokens: &[Token]) -> Vec<Mention> {
    let clean = usable_tokens(text, &sentence, tokens);
    let toks: Vec<&str> = clean.iter().map(|t| &text[t.start..t.end]).collect();
    let spans: Vec<(usize, usize)> = clean.iter().map(|t| (t.start, t.end)).collect();
    let n = toks.len();
    let words = Words { toks: &toks, spans: &spans };
    let word = |i: usize| words.word(i);
    let prev_is_prep = |i: usize| words.prev_is_prep(i);

    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let w = word(i);
        // (start token, end token exclusive, value)
        let mut found: Option<(usize, usize, Option<String>)> = None;

        if let Some(iso) = iso_token(w) {
            found = Some((i, i + 1, Some(iso)));
        } else if let Some(month) = month_number(w) {
            found = words.month_first(i, month);
        } else if let Some(day) = day_number(w) {
            found = words.day_first(i, day);
        } else if let Some(year) = year_number(w) {
            let possessive = matches!(word(i + 1), "'s" | "’s");
            if prev_is_prep(i) || possessive {
                found = Some((i, i + 1, Some(format!("{year:04}"))));
            }
        } else if let Some((prefix, rest)) = w.split_once('-')
            && matches!(prefix, "mid" | "early" | "late" | "end" | "Mid" | "Early" | "Late" | "End")
            && (month_number(rest).is_some_and(|_| rest.len() > 3) || year_number(rest).is_some())
        {
            // "mid-September", "end-October", "mid-2004".
            found = Some((i, i + 1, year_number(rest).map(|y| format!("{y:04}"))));
        } else if is_decade(w) {
            found = Some((i, i + 1, None));
        } else if weekday(w) {
            let mut s = i;
            if i > 0 && DAY_MODIFIERS.contains(&word(i - 1)) {
                s = i - 1;
            }
            let mut e = i + 1;
            if DAY_PARTS.contains(&word(e)) {
                e += 1;
            }
            // "Monday, October 7, 2023": the week day joins the date.
            found = Some((s, e, None));
            let k = if word(e) == "," { e + 1 } else { e };
            if month_number(word(k)).is_some() {
                let rest = find_dates_at(text, &spans, k);
                if let Some((re, value)) = rest {
                    found = Some((s, re, value));
                }
            }
        } else if matches!(w, "yesterday" | "today" | "tomorrow" | "Yesterday" | "Today" | "Tomorrow") {
            found = Some((i, i + 1, None));
        } else if matches!(w, "last" | "next" | "this" | "Last" | "Next" | "This")
            && RELATIVE_UNITS.contains(&word(i + 1))
        {
            found = Some((i, i + 2, None));
        }

        match found {
            Some((s, e, value)) if e > s && e <= n => {
                // Never overlap the previous mention (the modifier rule looks back).
                let start = spans[s].0;
                if out.last().is_some_and(|m: &Mention| m.end > start) {
                    i += 1;
                    continue;
                }
                out.push(Mention { start, end: spans[e - 1].1, label: EntityLabel::Date, value, confidence: None });
                i = e;
            }
            _ => i += 1,
        }
    }
    out
}

/// Full date (with day) starting at token `k`: end token and value. Used to join a
/// preceding week day.
fn find_dates_at(text: &str, spans: &[(usize, usize)], k: usize) -> Option<(usize, Option<String>)> {
    let start = spans.get(k)?.0;
    let end = spans.last()?.1;
    let sub: Vec<Token> = spans[k..].iter().map(|&(s, e)| Token { start: s, end: e }).collect();
    let first = find_dates(text, start..end, &sub).into_iter().next()?;
    if first.start != start {
        return None;
    }
    let idx = spans.iter().position(|&(_, e)| e == first.end)?;
    Some((idx + 1, first.value))
}

#[cfg(test)]
mod tests {
    use super::super::segment::tokenize;
    use super::*;

    fn dates(text: &str) -> Vec<(String, Option<String>)> {
        let tokens = tokenize(text, 0..text.len());
        find_dates(text, 0..text.len(), &tokens)
            .into_iter()
            .map(|m| (text[m.start..m.end].to_string(), m.value))
            .collect()
    }

    fn d(s: &str, v: Option<&str>) -> (String, Option<String>) {
        (s.to_string(), v.map(str::to_string))
    }

    #[test]
    fn full_dates_resolve() {
        assert_eq!(dates("since October 7, 2023, when"), vec![d("October 7, 2023", Some("2023-10-07"))]);
        assert_eq!(dates("on 7 October 2023."), vec![d("7 October 2023", Some("2023-10-07"))]);
        assert_eq!(dates("on Oct. 7, 2023"), vec![d("Oct. 7, 2023", Some("2023-10-07"))]);
        assert_eq!(dates("dated 2023-10-07"), vec![d("2023-10-07", Some("2023-10-07"))]);
        assert_eq!(dates("dated 2023-02-30"), vec![]);
        assert_eq!(dates("the 21st March 2004 vote"), vec![d("21st March 2004", Some("2004-03-21"))]);
    }

    #[test]
    fn partial_dates() {
        assert_eq!(dates("on Oct. 7 the"), vec![d("Oct. 7", None)]);
        assert_eq!(dates("in March 2004 and"), vec![d("March 2004", Some("2004-03"))]);
        assert_eq!(dates("in 2004 the"), vec![d("2004", Some("2004"))]);
        assert_eq!(dates("2004's results"), vec![d("2004", Some("2004"))]);
        assert_eq!(dates("he scored 2004 points"), vec![]);
        assert_eq!(dates("in the 1990s"), vec![d("1990s", None)]);
        assert_eq!(dates("in October"), vec![d("October", None)]);
        assert_eq!(dates("by mid-September or mid-2004"), vec![d("mid-September", None), d("mid-2004", Some("2004"))]);
    }

    #[test]
    fn ambiguous_months_need_context() {
        assert_eq!(dates("You may go. They march."), vec![]);
        assert_eq!(dates("May said"), vec![]);
        assert_eq!(dates("in May and on 1 May"), vec![d("May", None), d("1 May", None)]);
        assert_eq!(dates("Jan Smith"), vec![]);
    }

    #[test]
    fn week_days_and_relative() {
        assert_eq!(dates("in a late Sunday statement"), vec![d("late Sunday", None)]);
        assert_eq!(dates("on Monday."), vec![d("Monday", None)]);
        assert_eq!(dates("on Tuesday night"), vec![d("Tuesday night", None)]);
        assert_eq!(dates("on Monday, October 7, 2023."), vec![d("Monday, October 7, 2023", Some("2023-10-07"))]);
        assert_eq!(dates("last week and yesterday"), vec![d("last week", None), d("yesterday", None)]);
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in ["", "Oct", "Oct.", "7", "7 Oct.", "May 2", "2023-1é-07", "Monday,", "ü 2004"] {
            let _ = dates(text);
        }
    }
}
