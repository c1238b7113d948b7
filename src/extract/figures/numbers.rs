//! Stage 2: the number layer. Walks the tokens and reads every number as
//! written — digits ([`super::digits`]), spelled-out words ([`super::spelled`]),
//! signs, vulgar fractions and relative ordinals — into [`Num`]s, before anything
//! decides whether a number is a fact.

use super::digits::{parse_digits, parse_mixed};
use super::spelled::parse_words;
use super::tokens::{Ctx, TK, Tok, is_vulgar, phrase_at, url_spans};

/// One number as written, before it becomes a figure.
#[derive(Debug, Clone)]
pub(super) struct Num {
    /// First token (inclusive).
    pub(super) t0: usize,
    /// Last token (exclusive).
    pub(super) t1: usize,
    /// Byte offset of the first byte.
    pub(super) start: usize,
    /// Byte offset one past the last byte.
    pub(super) end: usize,
    /// The value, scales applied.
    pub(super) value: f64,
    /// An ordinal ("21st", "third").
    pub(super) ordinal: bool,
    /// A fraction ("3/4", "two thirds", "½").
    pub(super) fraction: bool,
    /// Written with digits (at least partly).
    pub(super) digits: bool,
    /// Only ASCII digits, no separators, no scale, no sign: candidates for years.
    pub(super) plain_int: bool,
    /// A scale word or suffix was applied ("5m", "2 million").
    pub(super) scaled: bool,
    /// A unit glued to the digits ("10km") — news mode only.
    pub(super) glued_unit: Option<&'static str>,
    /// Byte offset where the glued unit's letters start ("10km": at "k").
    pub(super) unit_from: usize,
    /// A pence suffix ("50p").
    pub(super) pence: bool,
    /// Glued lowercase 'm' whose meaning (million or metre) depends on context.
    pub(super) ambiguous_m: bool,
    /// A lone "one"/"a"/"an"/"half" etc. — weak evidence of a figure.
    pub(super) weak: bool,
    /// Spelled with a capital letter mid-sentence ("BBC One").
    pub(super) capitalised_word: bool,
    /// Qualifier supplied by the number itself ("hundreds of").
    pub(super) own_qualifier: Option<&'static str>,
    /// Relative ordinal anchor ("end"/"current").
    pub(super) rel: Option<&'static str>,
    /// Negative via explicit sign.
    pub(super) signed: bool,
}

impl Num {
    /// A plain cardinal over tokens `[t0, t1)` and bytes `[start, end)`.
    pub(super) fn new(t0: usize, t1: usize, start: usize, end: usize, value: f64) -> Self {
        Num {
            t0,
            t1,
            start,
            end,
            value,
            ordinal: false,
            fraction: false,
            digits: false,
            plain_int: false,
            scaled: false,
            glued_unit: None,
            unit_from: end,
            pence: false,
            ambiguous_m: false,
            weak: false,
            capitalised_word: false,
            own_qualifier: None,
            rel: None,
            signed: false,
        }
    }
}

/// Every number in `toks`, in order and without overlaps. `numview` is the bare
/// view of [`super::extract_numbers`].
pub(super) fn number_layer(text: &str, toks: &[Tok<'_>], news: bool, numview: bool) -> Vec<Num> {
    let cx = Ctx { text, toks, news, numview };
    let urls = url_spans(text);
    let mut out: Vec<Num> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if urls.iter().any(|&(a, b)| toks[i].start >= a && toks[i].start < b) {
            i += 1;
            continue;
        }
        if !news
            && !numview
            && let Some(n) = relative_ordinal(&cx, i)
        {
            i = n.t1;
            out.push(n);
            continue;
        }
        match parse_at(&cx, i) {
            Some(mut ns) if !ns.is_empty() => {
                i = ns.last().map(|n| n.t1).unwrap_or(i + 1).max(i + 1);
                out.append(&mut ns);
            }
            _ => i += 1,
        }
    }
    out
}

/// "last", "next", "the one before the last", "penultimate"…
fn relative_ordinal(cx: &Ctx, i: usize) -> Option<Num> {
    const PATS: &[(&str, &str, f64)] = &[
        ("the one before the last one", "end", -1.0),
        ("the one before the last", "end", -1.0),
        ("the last but one", "end", -1.0),
        ("the second to last", "end", -1.0),
        ("the third to last", "end", -2.0),
        ("next to last", "end", -1.0),
        ("second to last", "end", -1.0),
        ("antepenultimate", "end", -2.0),
        ("penultimate", "end", -1.0),
        ("previous one", "current", -1.0),
        ("next one", "current", 1.0),
        ("current one", "current", 0.0),
        ("last", "end", 0.0),
        ("previous", "current", -1.0),
        ("next", "current", 1.0),
        ("current", "current", 0.0),
    ];
    for &(p, anchor, off) in PATS {
        if let Some(len) = phrase_at(cx.toks, i, p, |_| true) {
            let t1 = i + len;
            let mut n = Num::new(i, t1, cx.start(i), cx.end(t1), off);
            n.ordinal = true;
            n.rel = Some(anchor);
            return Some(n);
        }
    }
    None
}

/// Parses one number (or a list of pieces) starting at token `i`.
pub(super) fn parse_at(cx: &Ctx, i: usize) -> Option<Vec<Num>> {
    let t = &cx.toks[i];
    if matches!(t.s, "-" | "−" | "+") {
        return signed(cx, i);
    }
    if matches!(t.lw.as_ref(), "minus" | "negative") && cx.kind(i + 1).is_some() {
        let mut ns = parse_at(cx, i + 1)?;
        let n = ns.first_mut()?;
        if n.t0 != i + 1 || n.ordinal {
            return None;
        }
        n.value = -n.value;
        n.t0 = i;
        n.start = t.start;
        n.signed = true;
        n.weak = false;
        n.plain_int = false;
        ns.truncate(1);
        return Some(ns);
    }
    if let Some(c) = t.s.chars().next()
        && t.kind == TK::Punct
        && let Some(v) = is_vulgar(c)
    {
        let mut n = Num::new(i, i + 1, t.start, t.end, v);
        n.fraction = true;
        n.digits = true;
        return Some(vec![n]);
    }
    match t.kind {
        TK::Num => parse_digits(cx, i),
        TK::Mixed => parse_mixed(cx, i).map(|n| vec![n]),
        TK::Word => parse_words(cx, i, true).map(|n| vec![n]),
        TK::Punct => leading_point(cx, i).map(|n| vec![n]),
    }
}

/// A number after an explicit sign at token `i` ("-3.5%", "+1", "(−2)"); `None`
/// when the sign is a dash or hyphen instead.
fn signed(cx: &Ctx, i: usize) -> Option<Vec<Num>> {
    let t = &cx.toks[i];
    let prev_ok = i == 0 || !t.glued || matches!(cx.toks[i - 1].s, "(" | "[" | "<" | ">" | "=" | "^" | ":" | "~");
    let prev_num = i > 0 && matches!(cx.toks[i - 1].kind, TK::Num | TK::Mixed) && !t.glued;
    let next_glued = cx.glued(i + 1);
    let spaced_ok = !cx.news && (i == 0 || (!prev_num && cx.toks[i - 1].kind == TK::Punct));
    let starts = matches!(cx.kind(i + 1), Some(TK::Num) | Some(TK::Mixed))
        || (cx.is(i + 1, ".") && cx.kind(i + 2) == Some(TK::Num) && cx.glued(i + 2));
    if !(prev_ok && !prev_num && starts && (next_glued || spaced_ok)) {
        return None;
    }
    if t.s == "+" {
        // "+1" keeps its digits only: the spec and news both ignore '+'.
        return parse_at(cx, i + 1);
    }
    let mut ns = parse_at(cx, i + 1)?;
    if let Some(n) = ns.first_mut()
        && n.t0 == i + 1
        && !n.ordinal
    {
        n.value = -n.value;
        n.t0 = i;
        n.start = t.start;
        n.signed = true;
        n.plain_int = false;
    }
    Some(ns)
}

/// ".08": digits after a leading point at token `i`.
fn leading_point(cx: &Ctx, i: usize) -> Option<Num> {
    let t = &cx.toks[i];
    if t.s == "."
        && cx.kind(i + 1) == Some(TK::Num)
        && cx.glued(i + 1)
        && (i == 0 || !t.glued || cx.toks[i - 1].kind == TK::Punct)
        && !cx.toks[i + 1].s.contains(['.', ','])
    {
        let nt = &cx.toks[i + 1];
        if cx.kind(i + 2) == Some(TK::Word) && cx.glued(i + 2) {
            return None;
        }
        let v = format!("0.{}", nt.s).parse::<f64>().ok()?;
        let mut n = Num::new(i, i + 2, t.start, nt.end, v);
        n.digits = true;
        return Some(n);
    }
    None
}

/// `v × s` done in decimal when `s` is a power of ten, so that "8.2 trillion" is
/// exactly `8.2e12` (the float product gives 8199999999999.999).
pub(super) fn times(v: f64, s: f64) -> f64 {
    match format!("{s:e}").strip_prefix("1e").and_then(|k| k.parse::<i32>().ok()) {
        Some(k) => times_pow10(v, f64::from(k)),
        None => v * s,
    }
}

/// `v × 10^k`, exact to the decimal `v` was read from: the shortest decimal that
/// round-trips to `v` gets its exponent shifted, then is parsed once.
pub(super) fn times_pow10(v: f64, k: f64) -> f64 {
    let product = v * 10f64.powf(k);
    if !v.is_finite() || v == 0.0 || k.fract() != 0.0 || k.abs() > 400.0 {
        return product;
    }
    let ve = format!("{v:e}");
    match ve.split_once('e').and_then(|(m, e)| Some((m, e.parse::<i64>().ok()?))) {
        Some((m, e)) => format!("{m}e{}", e + k as i64).parse().unwrap_or(product),
        None => product,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn values(text: &str, news: bool) -> Vec<(String, f64)> {
        let toks = tokenize(text);
        number_layer(text, &toks, news, false).iter().map(|n| (text[n.start..n.end].to_string(), n.value)).collect()
    }

    #[test]
    fn signs_points_and_vulgar_fractions() {
        assert_eq!(
            values("-3.5 and .08 and ½", true),
            vec![("-3.5".into(), -3.5), (".08".into(), 0.08), ("½".into(), 0.5)]
        );
        assert_eq!(values("minus five", true), vec![("minus five".into(), -5.0)]);
        // a spaced hyphen between numbers is no sign in news
        assert_eq!(values("10 - 5", true), vec![("10".into(), 10.0), ("5".into(), 5.0)]);
    }

    #[test]
    fn relative_ordinals_only_without_news_filters() {
        assert_eq!(values("the last but one", false), vec![("the last but one".into(), -1.0)]);
        // news reads only the cardinal "one" (which the news filter drops later)
        assert_eq!(values("the last but one", true), vec![("one".into(), 1.0)]);
    }

    #[test]
    fn decimal_scaling_is_exact() {
        assert_eq!(times(8.2, 1e12), 8.2e12);
        assert_eq!(times_pow10(1.546, 12.0), 1.546e12);
        assert_eq!(times(2.0, 12.0), 24.0);
    }
}
