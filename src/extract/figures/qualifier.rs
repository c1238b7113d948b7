//! What stands before a number: its qualifier ("more than", "up to", ">=") and
//! the direction of the verb shortly before it ("rose", "cut", "went up").

use super::Direction;
use super::tokens::{Ctx, TK, phrase_at};
use super::vocabulary::{DOWN_WORDS, QUALIFIERS, UP_WORDS, phrasal_up};

/// A qualifier ending right before token `t0`; returns (first token, normalised).
pub(super) fn match_qualifier(cx: &Ctx, t0: usize, ordinal: bool) -> Option<(usize, &'static str)> {
    let toks = cx.toks;
    // symbol qualifiers: ">", "<", ">=", "<=", "< =", "≥", "≤"
    if t0 > 0 {
        let p = t0 - 1;
        let s = toks[p].s;
        let two = if p > 0 { toks[p - 1].s } else { "" };
        match s {
            "=" if matches!(two, "<" | ">") => {
                if p >= 2 && matches!(toks[p - 2].s, "<" | ">" | "=") && toks[p - 1].glued {
                    return None;
                }
                return Some((p - 1, if two == ">" { "at least" } else { "at most" }));
            }
            ">" | "<" => {
                if p > 0 && matches!(two, "<" | ">" | "=") && toks[p].glued {
                    return None;
                }
                return Some((p, if s == ">" { "more than" } else { "less than" }));
            }
            "≥" => return Some((p, "at least")),
            "≤" => return Some((p, "at most")),
            _ => {}
        }
    }
    // allow "the" between a comparative and an ordinal: "higher than the tenth"
    let end = if ordinal && t0 > 0 && toks[t0 - 1].lw == "the" { t0 - 1 } else { t0 };
    for &(p, norm) in QUALIFIERS {
        let len = p.bytes().filter(|&b| b == b' ').count() + 1;
        if len > end {
            continue;
        }
        let s = end - len;
        if phrase_at(toks, s, p, |t| t.kind == TK::Word).is_some() {
            // "up to" after a direction verb is still "up to"; "just" alone is weak
            if matches!(norm, "only" | "just" | "exactly") {
                return None;
            }
            if norm == "some" && ordinal {
                return None;
            }
            // "added up to 22,201bn yen", "ended up", "set up", "went up": the "up" is a
            // verb particle, not the first word of a bound
            // ("makes up to £560,000 a year", "pick up to three" keep the bound)
            let verb = if s > 0 { toks[s - 1].lw.as_ref() } else { "" };
            if norm == "up to"
                && phrasal_up(verb).is_some()
                && !matches!(verb, "make" | "makes" | "making" | "made" | "pick" | "picks" | "picking" | "picked")
            {
                return None;
            }
            return Some((s, norm));
        }
    }
    None
}

/// Direction from a verb up to four words before token `t0`, stopping at a number
/// or the end of a clause.
pub(super) fn direction_before(cx: &Ctx, t0: usize) -> Option<Direction> {
    let lo = t0.saturating_sub(4);
    for k in (lo..t0).rev() {
        let t = &cx.toks[k];
        if t.kind == TK::Num || t.kind == TK::Mixed || matches!(t.s, "." | ";" | ":" | "?" | "!") {
            return None;
        }
        let w = t.lw.as_ref();
        if w == "up"
            && k > 0
            && let Some(up) = phrasal_up(&cx.toks[k - 1].lw)
        {
            // "went up to 5%", "ended up 3%" move up; "added up to", "set up 3 firms" do not
            // ("ended up in 15th place" is neither)
            let next_ok = k + 1 == t0 || matches!(cx.w(k + 1), "to" | "by");
            return (up && next_ok).then_some(Direction::Up);
        }
        if w == "up" && cx.is(k + 1, "to") {
            continue;
        }
        if UP_WORDS.contains(&w) {
            return Some(Direction::Up);
        }
        if DOWN_WORDS.contains(&w) {
            return Some(Direction::Down);
        }
    }
    None
}
