//! Numbers written with digits: separators ("26,600", "1.234,5"), digit
//! grouping by spaces, exponents, fractions ("3/4", "2 1/4") and suffixes glued
//! to the digits ("5m", "21st", "10km", "1e10").

use super::numbers::{Num, times, times_pow10};
use super::spelled::parse_words;
use super::tokens::{Ctx, TK, is_hyphen};
use super::unit_lexicon::unit_at;
use super::units::{currency_word, glued_unit, is_currency_symbol_tok};
use crate::extract::lexicon::{ORDINAL_SUFFIXES, scale_word};

/// Scale suffixes glued to digits or standing alone after them outside news
/// prose ("2.33 k", "1,674.5 G"), matched case-sensitively.
const SCALE_SUFFIXES: &[(&str, f64)] = &[
    ("k", 1e3),
    ("K", 1e3),
    ("M", 1e6),
    ("MM", 1e6),
    ("mm_money", 1e6),
    ("mil", 1e6),
    ("mn", 1e6),
    ("G", 1e9),
    ("b", 1e9),
    ("B", 1e9),
    ("bn", 1e9),
    ("Bn", 1e9),
    ("bln", 1e9),
    ("tn", 1e12),
    ("trn", 1e12),
    ("tln", 1e12),
    ("T", 1e12),
];

/// Value of a lower-case scale suffix after money ("k", "m", "bn", "tn"…).
fn scale_suffix(ls: &str) -> Option<f64> {
    Some(match ls {
        "k" => 1e3,
        "m" | "mm" | "mn" | "mln" | "mil" => 1e6,
        "b" | "bn" | "bln" => 1e9,
        "t" | "tn" | "trn" | "tln" => 1e12,
        _ => return None,
    })
}

/// Reads a run of digits with separators; returns pieces `(start, end, value, plain)`
/// relative to `s`. Ambiguous runs ("192.168.1.2", "22,24,26") split into pieces.
pub(super) fn interpret_digits(s: &str, loose: bool) -> Vec<(usize, usize, f64, bool)> {
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut seps: Vec<char> = Vec::new();
    let mut gs = 0;
    for (i, c) in s.char_indices() {
        if c == '.' || c == ',' {
            groups.push((gs, i));
            seps.push(c);
            gs = i + 1;
        }
    }
    groups.push((gs, s.len()));
    let glen = |k: usize| groups[k].1 - groups[k].0;
    let parse = |t: &str| t.parse::<f64>().unwrap_or(f64::MAX);
    if seps.is_empty() {
        return vec![(0, s.len(), parse(s), true)];
    }
    let whole = |int_seps: char, dec: Option<char>| -> f64 {
        let mut t = String::new();
        for c in s.chars() {
            if c == int_seps {
                continue;
            }
            if Some(c) == dec {
                t.push('.');
            } else {
                t.push(c);
            }
        }
        parse(&t)
    };
    let ndots = seps.iter().filter(|&&c| c == '.').count();
    let ncommas = seps.len() - ndots;
    // US style: commas as thousands (or Indian 2-digit groups), one optional decimal dot last.
    let last_is_dot = *seps.last().unwrap_or(&',') == '.';
    let commas_first = seps.iter().take(seps.len() - usize::from(last_is_dot)).all(|&c| c == ',');
    if ndots <= 1 && commas_first && (ndots == 0 || last_is_dot) {
        let ncg = ncommas + 1; // groups joined by commas
        let western = glen(0) <= 3 && (1..ncg).all(|k| glen(k) == 3);
        let indian = ncommas >= 2 && glen(0) <= 2 && (1..ncg - 1).all(|k| glen(k) == 2) && glen(ncg - 1) == 3;
        if ncommas == 0 || western || indian {
            return vec![(0, s.len(), whole(',', Some('.')), false)];
        }
    }
    // European style: dots as thousands, one decimal comma last.
    if ncommas == 1 && *seps.last().unwrap_or(&'.') == ',' && ndots >= 1 {
        let ndg = ndots + 1;
        if glen(0) <= 3 && (1..ndg).all(|k| glen(k) == 3) {
            return vec![(0, s.len(), whole('.', Some(',')), false)];
        }
    }
    // A lone decimal comma ("1,3", "5,00").
    if loose && ncommas == 1 && ndots == 0 && glen(1) <= 2 {
        return vec![(0, s.len(), whole('.', Some(',')), false)];
    }
    groups.iter().map(|&(a, b)| (a, b, parse(&s[a..b]), true)).collect()
}

/// A run of digit tokens, with what may follow: grouping by spaces, fractions,
/// exponents, scale words, mixed numbers.
pub(super) fn parse_digits(cx: &Ctx, i: usize) -> Option<Vec<Num>> {
    let t = &cx.toks[i];
    // Part of a glued chain with '/' or '-' on the left ("5/17/2018", "1-222-2222"):
    // each piece is its own number.
    let chain_left = i >= 2
        && cx.glued(i)
        && matches!(cx.toks[i - 1].s, "/" | "-" | "." | ":")
        && matches!(cx.toks[i - 2].kind, TK::Num | TK::Mixed)
        && cx.toks[i - 1].glued;
    let pieces = interpret_digits(t.s, !cx.news);
    if pieces.len() > 1 {
        return Some(
            pieces
                .into_iter()
                .map(|(a, b, v, plain)| {
                    let mut n = Num::new(i, i + 1, t.start + a, t.start + b, v);
                    n.digits = true;
                    n.plain_int = plain;
                    n
                })
                .collect(),
        );
    }
    let (_, _, value, plain) = pieces[0];
    let mut n = Num::new(i, i + 1, t.start, t.end, value);
    n.digits = true;
    n.plain_int = plain;
    let j = i + 1;
    // Digit grouping by single spaces: "1 234 567", "40 000" (not in news, where
    // "in 2004 300 people" would merge).
    if plain && t.s.len() <= 3 && !chain_left && (!cx.news || zero_group_follows(cx, j)) && space_grouped(cx, i, &mut n)
    {
        return Some(vec![n]);
    }
    // "$6-billion", "a $240-million deal": a hyphenated scale
    if cx.news
        && is_hyphen(cx.w(j))
        && cx.glued(j)
        && cx.glued(j + 1)
        && let Some(scale) = scale_word(cx.w(j + 1), true)
    {
        n.value = times(value, scale);
        n.scaled = true;
        n.plain_int = false;
        n.t1 = j + 2;
        n.end = cx.toks[j + 1].end;
        return Some(vec![n]);
    }
    if caret_exponent(cx, j, &mut n) || times_ten_exponent(cx, j, &mut n) {
        return Some(vec![n]);
    }
    if !cx.news && digit_fraction(cx, i, chain_left, &mut n) {
        return Some(vec![n]);
    }
    if cx.news {
        let mut f = n.clone();
        if digit_fraction(cx, i, chain_left, &mut f) && news_fraction(cx, &f, value) {
            return Some(vec![f]);
        }
    }
    if chain_left || (cx.glued(j) && matches!(cx.w(j), "/" | ":")) {
        return Some(vec![n]);
    }
    // Scales and number words after the digits: "2 million", "3 hundred and 21".
    if let Some(m) = parse_words(cx, i, true)
        && m.t1 > n.t1
    {
        return Some(vec![m]);
    }
    // Spaced single-letter scales ("2.33 k", "1,674.5 G") outside news prose.
    if !cx.news
        && !cx.glued(j)
        && let Some(&(_, s)) =
            SCALE_SUFFIXES.iter().find(|(w, _)| *w == cx.toks.get(j).map(|t| t.s).unwrap_or("") && w.len() == 1)
        && (!matches!(cx.kind(j + 1), Some(TK::Word)) || cx.toks.get(j).is_none_or(|t| t.s != "M"))
    {
        n.value = times(value, s);
        n.scaled = true;
        n.t1 = j + 1;
        n.end = cx.toks[j].end;
        n.plain_int = false;
    }
    Some(vec![n])
}

/// Joins digit groups separated by single spaces onto `n` (the group at token
/// `i`): "1 234 567", "1 234 567.89". True when at least one group was joined.
fn space_grouped(cx: &Ctx, i: usize, n: &mut Num) -> bool {
    let value = n.value;
    let mut j = i + 1;
    let mut s = cx.toks[i].s.to_string();
    let mut k = j;
    while cx.kind(k) == Some(TK::Num)
        && cx.toks[k].single_space
        && cx.toks[k].s.len() == 3
        && cx.toks[k].s.bytes().all(|b| b.is_ascii_digit())
    {
        s.push_str(cx.toks[k].s);
        k += 1;
    }
    if k > j {
        n.value = s.parse().unwrap_or(value);
        n.end = cx.end(k);
        n.t1 = k;
        n.plain_int = false;
        j = k;
    } else if cx.kind(k) == Some(TK::Num)
        && cx.toks[k].single_space
        && cx.toks[k].s.len() > 3
        && cx.toks[k].s.contains('.')
    {
        // "1 234.5": the second group carries the decimals
        let ls = cx.toks[k].s;
        if let Some((a, b)) = ls.split_once('.')
            && a.len() == 3
            && !b.contains([',', '.'])
        {
            s.push_str(ls);
            n.value = s.parse().unwrap_or(value);
            n.end = cx.toks[k].end;
            n.t1 = k + 1;
            n.plain_int = false;
            j = k + 1;
        }
    }
    if n.t1 == i + 1 {
        return false;
    }
    // "1 234 567.89": the last group after whole groups carries the decimals
    if cx.kind(j) == Some(TK::Num)
        && cx.toks[j].single_space
        && cx.toks[j].s.contains('.')
        && cx.toks[j].s.split_once('.').is_some_and(|(a, _)| a.len() == 3)
    {
        let mut s2: String = cx.toks[i..j].iter().map(|t| t.s).collect();
        s2.push_str(cx.toks[j].s);
        n.value = s2.parse().unwrap_or(n.value);
        n.end = cx.toks[j].end;
        n.t1 = j + 1;
    }
    true
}

/// Scientific notation with a multiplication sign at token `j`: "2.48×10−5",
/// "6×10^23", "1.5 × 10^-3" (the exponent written as superscript digits is not read).
fn times_ten_exponent(cx: &Ctx, j: usize, n: &mut Num) -> bool {
    if !(cx.is(j, "×") && cx.is(j + 1, "10")) {
        return false;
    }
    let mut k = j + 2;
    if cx.is(k, "^") && cx.glued(k) {
        k += 1;
    }
    let mut neg = false;
    if matches!(cx.w(k), "-" | "−") && cx.glued(k) {
        neg = true;
        k += 1;
    }
    if !(k > j + 2 && cx.kind(k) == Some(TK::Num) && cx.glued(k)) {
        return false;
    }
    let Ok(e) = cx.toks[k].s.parse::<f64>() else { return false };
    n.value = times_pow10(n.value, if neg { -e } else { e });
    n.t1 = k + 1;
    n.end = cx.toks[k].end;
    n.plain_int = false;
    true
}

/// Exponents after the digits at token `j` ("1.1^23", "1.1^--23"): applies it
/// to `n` and says whether there was one.
fn caret_exponent(cx: &Ctx, j: usize, n: &mut Num) -> bool {
    if !(cx.is(j, "^") && cx.glued(j)) {
        return false;
    }
    let mut k = j + 1;
    let mut neg = false;
    while matches!(cx.w(k), "-" | "+" | "−") && cx.glued(k) {
        if cx.w(k) != "+" {
            neg = !neg;
        }
        k += 1;
    }
    if cx.kind(k) == Some(TK::Num) && cx.glued(k) {
        let e: f64 = cx.toks[k].s.replace(',', "").parse().unwrap_or(0.0);
        let e = if neg { -e } else { e };
        n.value = n.value.powf(e);
        n.t1 = k + 1;
        n.end = cx.toks[k].end;
        n.plain_int = false;
        return true;
    }
    false
}

/// A fraction "a/b" at token `k`: its value and the token after it; not inside
/// longer chains ("5/17/2018").
fn fraction_at(cx: &Ctx, k: usize) -> Option<(f64, usize)> {
    if cx.kind(k) == Some(TK::Num)
        && cx.is(k + 1, "/")
        && cx.glued(k + 1)
        && cx.kind(k + 2) == Some(TK::Num)
        && cx.glued(k + 2)
        && !(cx.glued(k + 3) && (cx.w(k + 3) == "/" || cx.w(k + 3) == "-" && cx.kind(k + 4) != Some(TK::Word)))
        && !(k >= 2
            && cx.glued(k)
            && matches!(cx.w(k - 1), "/" | "-")
            && cx.glued(k - 1)
            && matches!(cx.kind(k - 2), Some(TK::Num) | Some(TK::Mixed)))
    {
        let a: f64 = cx.toks[k].s.parse().ok()?;
        let b: f64 = cx.toks[k + 2].s.parse().ok()?;
        if b == 0.0 {
            return None;
        }
        Some((a / b, k + 3))
    } else {
        None
    }
}

/// Whether a fraction read in news prose is one: a mixed number ("7 1/2
/// miles", "99 17/32") or a proper fraction before a unit, a hyphen or "of"
/// ("1/4 inch", "1/2-inch", "1/40 of"); not a date or a score ("9/11", "24/7").
fn news_fraction(cx: &Ctx, f: &Num, whole: f64) -> bool {
    let mixed = f.value > whole && f.value - whole < 1.0 && f.t1 > f.t0 + 3;
    let proper = f.value < 1.0;
    let next = f.t1;
    let unit_next = unit_at(cx, next).is_some() || cx.is(next, "of") || (is_hyphen(cx.w(next)) && cx.glued(next));
    mixed || (proper && unit_next)
}

/// "10 000 dollars": in news a space groups digits only before a "000" group
/// ("in 2004 300 people" must stay two numbers).
fn zero_group_follows(cx: &Ctx, j: usize) -> bool {
    cx.toks.get(j).is_some_and(|t| t.single_space && t.s == "000")
}

/// Fractions "3/4" and mixed numbers "2 1/4" starting with `n` (token `i`),
/// outside news prose: applies one to `n` and says whether there was one.
fn digit_fraction(cx: &Ctx, i: usize, chain_left: bool, n: &mut Num) -> bool {
    let j = i + 1;
    let value = n.value;
    let plain = n.plain_int;
    if let Some((f, k)) = fraction_at(cx, i) {
        n.value = f;
        n.t1 = k;
    } else if plain
        && !chain_left
        && cx.kind(j) == Some(TK::Num)
        && !cx.glued(j)
        && let Some((f, k)) = fraction_at(cx, j)
        && f < 1.0
    {
        n.value = value + f;
        n.t1 = k;
    } else {
        return false;
    }
    n.fraction = true;
    n.plain_int = false;
    n.end = cx.end(n.t1);
    true
}

/// Digits glued to letters: scales ("5m", "$3bn"), ordinals ("21st"), units
/// ("10km", news only), exponents ("1e10"); anything else is an identifier.
pub(super) fn parse_mixed(cx: &Ctx, i: usize) -> Option<Num> {
    let t = &cx.toks[i];
    let s = t.s;
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))?;
    if split == 0 {
        return None;
    }
    let (numpart, suffix) = s.split_at(split);
    if numpart.ends_with(['.', ',']) {
        return None;
    }
    let pieces = interpret_digits(numpart, !cx.news);
    if pieces.len() != 1 {
        return None;
    }
    let mut n = Num::new(i, i + 1, t.start, t.end, pieces[0].2);
    n.digits = true;
    if let Some(done) = exponent_suffix(cx, i, suffix, &mut n) {
        return done.then_some(n);
    }
    let ls = suffix.to_lowercase();
    if ORDINAL_SUFFIXES.contains(&ls.as_str()) {
        n.ordinal = true;
        return Some(n);
    }
    let money_before = i > 0 && is_currency_symbol_tok(cx, i - 1);
    let known = if cx.news {
        news_suffix(cx, i, suffix, &ls, money_before, &mut n)
    } else {
        spec_suffix(suffix, &ls, money_before, &mut n)
    };
    known.then_some(n)
}

/// Exponent suffixes: "1e10", "12.32e+14", "-12e-1" (sign as its own token),
/// "1.3x10^6". `Some(true)` when `n` took the exponent, `Some(false)` when the
/// token is no number, `None` when the suffix is no exponent.
fn exponent_suffix(cx: &Ctx, i: usize, suffix: &str, n: &mut Num) -> Option<bool> {
    let value = n.value;
    // the exponent is the digits of token `k`, negated when `neg`
    let mut apply = |k: usize, neg: bool| -> bool {
        let Ok(e) = cx.toks[k].s.parse::<f64>() else { return false };
        n.value = times_pow10(value, if neg { -e } else { e });
        n.t1 = k + 1;
        n.end = cx.toks[k].end;
        true
    };
    if let Some(rest) = suffix.strip_prefix(['e', 'E']) {
        if rest.is_empty() {
            let mut k = i + 1;
            let mut neg = false;
            if matches!(cx.w(k), "-" | "+") && cx.glued(k) {
                neg = cx.w(k) == "-";
                k += 1;
            }
            return Some(cx.kind(k) == Some(TK::Num) && cx.glued(k) && k > i + 1 && apply(k, neg));
        }
        if rest.bytes().all(|b| b.is_ascii_digit()) {
            let Ok(e) = rest.parse::<f64>() else { return Some(false) };
            n.value = times_pow10(value, e);
            return Some(true);
        }
    }
    if let Some(rest) = suffix.strip_prefix('x') {
        if rest == "10" && cx.is(i + 1, "^") && cx.glued(i + 1) {
            let mut k = i + 2;
            let mut neg = false;
            if matches!(cx.w(k), "-" | "−") && cx.glued(k) {
                neg = true;
                k += 1;
            }
            if cx.kind(k) == Some(TK::Num) && cx.glued(k) {
                return Some(apply(k, neg));
            }
        }
        return Some(false);
    }
    None
}

/// What a glued suffix makes of the number in news prose: million or metres
/// ("5m", decided later), scales ("3bn", "£5k"), pence ("50p") or a unit
/// ("10km"). False when the token is an identifier ("802.11b", "A380").
fn news_suffix(cx: &Ctx, i: usize, suffix: &str, ls: &str, money_before: bool, n: &mut Num) -> bool {
    if ls == "m" {
        n.ambiguous_m = true;
        return true;
    }
    // a bare glued "b" is a version or standard ("802.11b") unless money is near
    if ls == "b" && !money_before && currency_word(cx.w(i + 1)).is_none() {
        return false;
    }
    // "75K", "$2.174T", "$5MM": capital K is a thousand anywhere; T and MM only with money
    // "the 10K race", "a 5K run": kilometres
    if suffix == "K" && matches!(cx.w(i + 1), "race" | "races" | "run" | "runs" | "final" | "walk") {
        n.glued_unit = Some("kilometre");
        n.unit_from = cx.toks[i].end - 1;
        return true;
    }
    let money_scale = match suffix {
        "K" => Some(1e3),
        "T" | "t" if money_before => Some(1e12),
        "MM" | "mm" if money_before => Some(1e6),
        _ => None,
    };
    if let Some(scale) = money_scale {
        n.value = times(n.value, scale);
        n.scaled = true;
        return true;
    }
    if matches!(ls, "bn" | "b" | "mn" | "mln" | "tn" | "trn" | "bln") {
        n.value = times(n.value, scale_suffix(ls).unwrap_or(1.0));
        n.scaled = true;
        return true;
    }
    // "$5k", "0.5k miles"
    if ls == "k" && (money_before || unit_at(cx, i + 1).is_some()) {
        n.value = times(n.value, 1e3);
        n.scaled = true;
        return true;
    }
    if ls == "p" {
        n.pence = true;
        return true;
    }
    if let Some(u) = glued_unit(suffix) {
        n.glued_unit = Some(u);
        n.unit_from = cx.toks[i].end - suffix.len();
        return true;
    }
    false
}

/// What a glued suffix makes of the number outside news prose: only scales.
fn spec_suffix(suffix: &str, ls: &str, money_before: bool, n: &mut Num) -> bool {
    if let Some(&(_, sc)) = SCALE_SUFFIXES.iter().find(|(w, _)| *w == suffix) {
        n.value = times(n.value, sc);
        n.scaled = true;
        return true;
    }
    if money_before && matches!(ls, "m" | "mm" | "bn" | "k") {
        n.value = times(n.value, scale_suffix(ls).unwrap_or(1.0));
        n.scaled = true;
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(s: &str, loose: bool) -> Vec<f64> {
        interpret_digits(s, loose).into_iter().map(|p| p.2).collect()
    }

    #[test]
    fn separators_by_convention() {
        assert_eq!(whole("26,600", false), vec![26600.0]);
        assert_eq!(whole("1,23,45,678", false), vec![12345678.0]);
        assert_eq!(whole("1.234.567,5", false), vec![1234567.5]);
        assert_eq!(whole("1,5", true), vec![1.5]);
        assert_eq!(whole("1,5", false), vec![1.0, 5.0]);
        assert_eq!(whole("192.168.1.2", false), vec![192.0, 168.0, 1.0, 2.0]);
    }
}
