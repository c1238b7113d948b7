//! Stage 4 (news only): is this number a fact worth a row? Drops dates, times,
//! years, names ("Apollo 11"), codes ("A380", "F-16"), phone numbers, list
//! markers, scores and weak words ("one"), and the spelled ordinals "first" and
//! "second".
//!
//! Each rule is a predicate that says why a number is dropped; [`keep_in_news`]
//! keeps a number no rule drops.

use super::FigureKind;
use super::figure::FigB;
use super::numbers::Num;
use super::tokens::{Ctx, TK, Tok, is_dash, is_hyphen};
use super::unit_lexicon::unit_at;
use super::vocabulary::CAP_OK;
use crate::extract::lexicon::month_number_ignore_case;

/// True for a lower-case month name or abbreviation, trailing periods ignored
/// ("march", "sept.").
fn month_word(w: &str) -> bool {
    month_number_ignore_case(w.trim_end_matches('.')).is_some()
}

/// True for a four-digit plain integer 1800-2100: a year when nothing says otherwise.
fn is_year(n: &Num) -> bool {
    n.plain_int && !n.ordinal && (1800.0..=2100.0).contains(&n.value) && n.end - n.start == 4
}

/// The token before token `k`.
fn prev<'t, 'a>(toks: &'t [Tok<'a>], k: usize) -> Option<&'t Tok<'a>> {
    if k > 0 { Some(&toks[k - 1]) } else { None }
}

/// News filters: is this number (`n`, built into `f`) a fact worth a row?
pub(super) fn keep_in_news(cx: &Ctx, n: &Num, f: &FigB) -> bool {
    let money_or_pct = matches!(f.kind, FigureKind::Money | FigureKind::Percent);
    if glued_identifier(cx, n) || clock_time(cx, n) || (dash_chain_tail(cx, n) && !money_or_pct) {
        return false;
    }
    if date_part(cx, n, f, money_or_pct) || year(n, f, money_or_pct) {
        return false;
    }
    if n.ordinal {
        return keep_ordinal(cx, n, f);
    }
    // weak spelled numbers: bare "one", "half"
    if (n.weak && !f.has_unit && !n.scaled) || n.capitalised_word {
        return false;
    }
    !(name(cx, n, f) || code(cx, n, f, money_or_pct) || score(cx, n, f))
}

/// Identifiers and chains: letters glued before ("SCP-173", "F-16"; "M25" is one
/// token already), "#5", "v.2", "2023-10-07", "9/11", "10:30".
fn glued_identifier(cx: &Ctx, n: &Num) -> bool {
    let toks = cx.toks;
    if n.t0 > 0 && toks[n.t0].glued {
        let p = &toks[n.t0 - 1];
        if p.kind == TK::Punct
            && is_hyphen(p.s)
            && n.t0 > 1
            && matches!(toks[n.t0 - 2].kind, TK::Word | TK::Mixed)
            && p.glued
        {
            return true;
        }
        if matches!(p.kind, TK::Word | TK::Mixed) {
            return true;
        }
        if matches!(p.s, "#" | "/" | "\\" | "_" | "&" | "@" | ".") {
            return true;
        }
    }
    // glued to letters or chains after: "3G" is one token already; "2023-10-07", "9/11"
    // ("$15.4/hour", "10 l/km" are rates: a unit after the slash)
    if toks.get(n.t1).is_some_and(|t| t.glued && matches!(t.s, "/" | ":" | "_" | "@"))
        && toks.get(n.t1 + 1).is_some_and(|t| matches!(t.kind, TK::Num | TK::Mixed | TK::Word))
        && !(cx.w(n.t1) == "/" && unit_at(cx, n.t1 + 1).is_some())
    {
        return true;
    }
    n.t0 >= 2
        && toks[n.t0].glued
        && matches!(toks[n.t0 - 1].s, ":" | "/")
        && toks[n.t0 - 1].glued
        && matches!(toks[n.t0 - 2].kind, TK::Num | TK::Mixed)
}

/// Times: "5 a.m.", "10 pm", "0900 GMT", "3 o'clock" ("3pm" is an identifier already).
fn clock_time(cx: &Ctx, n: &Num) -> bool {
    let Some(t) = cx.toks.get(n.t1) else { return false };
    // "0900 hrs" is a time, "3 hrs" a duration
    let military = n.plain_int && n.end - n.start == 4 && t.lw == "hrs";
    let clock =
        military || matches!(t.lw.as_ref(), "am" | "pm" | "gmt" | "bst" | "est" | "edt" | "utc" | "cet" | "oclock");
    // "5 a.m.", "3 p.m."
    let dotted = matches!(t.lw.as_ref(), "a" | "p")
        && cx.is(n.t1 + 1, ".")
        && cx.glued(n.t1 + 1)
        && cx.is(n.t1 + 2, "m")
        && cx.glued(n.t1 + 2);
    clock || dotted || (t.s == "'" && cx.w(n.t1 + 1) == "clock")
}

/// "3-4-1": the tail of a dash chain.
fn dash_chain_tail(cx: &Ctx, n: &Num) -> bool {
    let toks = cx.toks;
    n.t0 >= 2
        && toks[n.t0].glued
        && is_dash(toks[n.t0 - 1].s)
        && toks[n.t0 - 1].glued
        && matches!(toks[n.t0 - 2].kind, TK::Num | TK::Mixed)
}

/// Dates: a month name next to the number (or to the end of a range: "6 to 9
/// January"), "October 7"; and "October 7, 2023" even for money ("£7, 2023").
fn date_part(cx: &Ctx, n: &Num, f: &FigB, money_or_pct: bool) -> bool {
    // "October 7, 2023": the year after a comma after a month day
    if n.t0 >= 3 && cx.is(n.t0 - 1, ",") && cx.kind(n.t0 - 2) == Some(TK::Num) && month_word(cx.w(n.t0 - 3)) {
        return true;
    }
    if money_or_pct {
        return false;
    }
    let tail = if f.value_max.is_some() { f.tok1 } else { n.t1 };
    let after = cx.w(tail);
    let after2 = cx.w(tail + 1);
    let before = prev(cx.toks, n.t0).map(|t| t.lw.as_ref()).unwrap_or("");
    let before_dot = n.t0 >= 2 && cx.is(n.t0 - 1, ".") && month_word(cx.w(n.t0 - 2));
    if month_word(after) || (after == "of" && month_word(after2)) || before_dot {
        return true;
    }
    // "October 7", "May 2004", "in March 2003"; capitalised months only for "may"/"march"
    month_word(before)
        && f.kind != FigureKind::Quantity
        && prev(cx.toks, n.t0).is_some_and(|t| t.s.chars().next().is_some_and(|c| c.is_uppercase()))
}

/// Years, alone or as a range of years ("2004-2005"); "1990s" is an identifier already.
fn year(n: &Num, f: &FigB, money_or_pct: bool) -> bool {
    if !is_year(n) {
        return false;
    }
    (!money_or_pct && f.kind != FigureKind::Quantity && f.unit.is_none() && f.value_max.is_none())
        || (f.value_max.is_some() && f.kind == FigureKind::Count && f.unit.is_none())
}

/// Ordinals stay unless they are "first"/"second", part of a date, a name
/// ("Third Way") or "20th Century Fox".
fn keep_ordinal(cx: &Ctx, n: &Num, f: &FigB) -> bool {
    let w = cx.toks[n.t0].lw.as_ref();
    if matches!(w, "first" | "second") && n.t1 == n.t0 + 1 {
        return false;
    }
    let tail = if f.value_max.is_some() { f.tok1 } else { n.t1 };
    let (after, after2) = (cx.w(tail), cx.w(tail + 1));
    let before = prev(cx.toks, n.t0).map(|t| t.lw.as_ref()).unwrap_or("");
    if month_word(before) || month_word(after) || (after == "of" && month_word(after2)) {
        return false;
    }
    if n.capitalised_word {
        return false;
    }
    // "20th Century Fox"
    cx.toks.get(f.tok1).is_none_or(|t| t.s != "Century")
}

/// Names: "Apollo 11", "Boeing 747", "PlayStation 2", "Formula 1", "Article 50";
/// titles after the number: "60 Minutes", "24 Hours in A&E".
fn name(cx: &Ctx, n: &Num, f: &FigB) -> bool {
    if !n.digits {
        return false;
    }
    if f.fig.start == n.start
        && let Some(p) = prev(cx.toks, n.t0)
    {
        let cap = p.s.chars().any(|c| c.is_uppercase()) && p.kind == TK::Word;
        if cap && !CAP_OK.contains(&p.lw.as_ref()) && !month_word(&p.lw) && !f.has_unit {
            return true;
        }
    }
    !f.has_unit
        && f.unit.is_none()
        && f.value_max.is_none()
        && cx.toks.get(n.t1).is_some_and(|t| {
            t.kind == TK::Word
                && t.s.chars().next().is_some_and(char::is_uppercase)
                && t.s.chars().skip(1).all(char::is_lowercase)
        })
}

/// Phone numbers and codes: leading zeros ("0800 123 456", "007"), "+44",
/// list markers "(1)", slash pairs "24/7", three or more digit groups in a row.
fn code(cx: &Ctx, n: &Num, f: &FigB, money_or_pct: bool) -> bool {
    let toks = cx.toks;
    if n.digits && n.plain_int {
        let s = &cx.text[n.start..n.end];
        if s.len() >= 2 && s.starts_with('0') {
            return true;
        }
    }
    if n.digits && n.t0 > 0 && toks[n.t0 - 1].s == "+" && toks[n.t0].glued && !money_or_pct {
        return true;
    }
    if toks.get(n.t1).is_some_and(|t| t.s == ")" && t.glued) && (n.t0 == 0 || toks[n.t0 - 1].s == "(") && !f.has_unit {
        return true;
    }
    if n.digits && n.t1 < toks.len() && toks[n.t1].s == "/" && toks[n.t1].glued && unit_at(cx, n.t1 + 1).is_none() {
        return true;
    }
    n.digits && !f.has_unit && digit_groups_around(cx, n) >= 3
}

/// How many digit groups separated by single spaces stand in a row with `n`
/// ("020 7946 0958" → 3).
fn digit_groups_around(cx: &Ctx, n: &Num) -> usize {
    let mut run = 1;
    let mut k = n.t1;
    while cx.kind(k) == Some(TK::Num) && cx.toks[k].single_space {
        run += 1;
        k += 1;
    }
    let mut k = n.t0;
    while k > 0 && cx.toks[k].single_space && cx.kind(k - 1) == Some(TK::Num) {
        run += 1;
        k -= 1;
    }
    run
}

/// Scores and pairs "2-1", "2004-05" reaching here as single numbers.
fn score(cx: &Ctx, n: &Num, f: &FigB) -> bool {
    n.digits
        && !f.has_unit
        && f.value_max.is_none()
        && cx.toks.get(n.t1).is_some_and(|t| is_dash(t.s) && t.glued)
        && cx.toks.get(n.t1 + 1).is_some_and(|t| t.kind == TK::Num && t.glued)
}
