//! Stage 5: figures read together. Bounds on both sides join into one range
//! ("more than 10 and less than 20"), postfix bounds widen a figure ("500 or
//! more"), and outside news prose a bare "percent" is a percentage of unknown value.

use super::numbers::number_layer;
use super::tokens::{Ctx, TK, url_spans};
use super::vocabulary::{is_lower_bound, is_upper_bound};
use super::{Figure, FigureKind};

/// Postfix bounds: (phrase, qualifier the figure must have — "" for none or a
/// vague one —, qualifier it gets).
const POSTFIX_BOUNDS: &[(&str, &str, &str)] = &[
    ("or greater than", "", "at least"),
    ("or more than", "", "at least"),
    ("or larger than", "", "at least"),
    ("or higher than", "", "at least"),
    ("or bigger than", "", "at least"),
    ("or less than", "", "at most"),
    ("or fewer than", "", "at most"),
    ("or smaller than", "", "at most"),
    ("or lower than", "", "at most"),
    ("or greater", "", "at least"),
    ("or more", "", "at least"),
    ("or above", "", "at least"),
    ("or higher", "", "at least"),
    ("or larger", "", "at least"),
    ("or bigger", "", "at least"),
    ("and more", "", "at least"),
    ("and above", "", "at least"),
    ("or less", "", "at most"),
    ("or fewer", "", "at most"),
    ("or below", "", "at most"),
    ("or lower", "", "at most"),
    ("or smaller", "", "at most"),
    ("and less", "", "at most"),
    ("or equal to", "less than", "at most"),
    ("or equal", "less than", "at most"),
    ("or equal to", "more than", "at least"),
    ("or equal", "more than", "at least"),
];

/// Vague qualifiers a postfix bound replaces ("about 500 or more" → "at least").
const VAGUE: &[&str] = &["about", "around", "nearly", "almost", "approximately", "roughly", "some"];

/// Joins bounds into ranges: "more than 10 and less than 20" → one figure (10,
/// 20) with qualifier "more than and less than"; "at most 100 and at least 20"
/// likewise, low side first. Also postfix bounds: "500 or more", "equal to 5000
/// or less", "less than 5000 or equal".
pub(super) fn merge_bounds(text: &str, figs: &mut Vec<Figure>) {
    let mut i = 0;
    while i < figs.len() {
        if figs[i].value_max.is_none() {
            if postfix_bound(text, figs, i) {
                i += 1;
                continue;
            }
            if i + 1 < figs.len() {
                two_sided(text, figs, i);
            }
        }
        i += 1;
    }
}

/// Lower-case text of `text[a..b]` ("" when out of range).
fn lower(text: &str, a: usize, b: usize) -> String {
    text.get(a..b).unwrap_or("").to_lowercase()
}

/// A postfix bound after figure `i` ("or more", "or greater than", "and
/// above", "or equal (to)"): widens the figure over it. True when one did.
fn postfix_bound(text: &str, figs: &mut [Figure], i: usize) -> bool {
    let f = &figs[i];
    let q = f.qualifier.clone().unwrap_or_default();
    let rest = lower(text, f.phrase_end, text.len());
    let rest_t = rest.trim_start();
    let lead = rest.len() - rest_t.len();
    let next_start = figs.get(i + 1).map(|g| g.phrase_start).unwrap_or(text.len());
    for &(p, from, to) in POSTFIX_BOUNDS {
        let from_ok =
            if from.is_empty() { q.is_empty() || q == "equal to" || VAGUE.contains(&q.as_str()) } else { q == from };
        if !from_ok || !rest_t.starts_with(p) {
            continue;
        }
        let after = &rest_t[p.len()..];
        let boundary = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
        if !boundary {
            continue;
        }
        let pend = f.phrase_end + lead + p.len();
        if pend > next_start {
            // a number follows: "200 or greater than 190" → separate figures
            continue;
        }
        let mut g = f.clone();
        if VAGUE.contains(&q.as_str()) {
            // the bound replaces a vague qualifier and the phrase starts at the mention
            g.phrase_start = f.start;
        }
        g.phrase_end = pend;
        g.qualifier = Some(to.to_string());
        figs[i] = g;
        return true;
    }
    false
}

/// Figure `i` and the next joined by "and"/"but"/"," with a lower bound on one
/// side and an upper bound on the other: one range, low side first.
fn two_sided(text: &str, figs: &mut Vec<Figure>, i: usize) {
    let (f, g) = (&figs[i], &figs[i + 1]);
    let gap = lower(text, f.phrase_end, g.phrase_start);
    let gap = gap.trim();
    let qf = f.qualifier.clone().unwrap_or_default();
    let qg = g.qualifier.clone().unwrap_or_default();
    let joined = matches!(gap, "and" | "but" | "," | "and yet" | ", and" | ", but");
    if !(joined && g.value_max.is_none() && f.kind == g.kind) {
        return;
    }
    let low_hi = (is_lower_bound(&qf) || qf == "at least") && (is_upper_bound(&qg) || qg == "at most");
    let hi_low = (is_upper_bound(&qf) || qf == "at most") && (is_lower_bound(&qg) || qg == "at least");
    let mut h = f.clone();
    h.end = g.end;
    h.phrase_end = g.phrase_end;
    if low_hi && f.value < g.value {
        h.value_max = Some(g.value);
        h.qualifier = Some(format!("{qf} and {qg}"));
    } else if hi_low && g.value < f.value {
        h.value = g.value;
        h.value_max = Some(f.value);
        h.qualifier = Some(format!("{qg} and {qf}"));
    } else {
        return;
    }
    if h.unit.is_none() {
        h.unit = g.unit.clone();
        h.unit_text = g.unit_text.clone();
    }
    figs[i] = h;
    figs.remove(i + 1);
}

fn text_of(cx: &Ctx, a: usize, b: usize) -> String {
    cx.text.get(a..b).unwrap_or("").to_string()
}

/// "a small percent", "the % of increase": a percentage whose value is unknown
/// (NaN); "percent of 10": the number after it.
pub(super) fn add_bare_percents(cx: &Ctx, figs: &mut Vec<Figure>) {
    let toks = cx.toks;
    let urls = url_spans(cx.text);
    for (k, t) in toks.iter().enumerate() {
        if urls.iter().any(|&(a, b)| t.start >= a && t.start < b) {
            continue;
        }
        if figs.iter().any(|f| t.start < f.end && f.start < t.end) {
            continue;
        }
        let w = t.lw.as_ref();
        let prev_num = k > 0 && matches!(toks[k - 1].kind, TK::Num | TK::Mixed);
        // "percent of 10", "per cent of twenty-two": the number comes after
        let (span_end, j) = if w == "per" && cx.is(k + 1, "cent") {
            (toks[k + 1].end, k + 2)
        } else if matches!(w, "percent" | "percents" | "percentage" | "%") {
            (t.end, k + 1)
        } else {
            continue;
        };
        if prev_num {
            continue;
        }
        if cx.is(j, "of") {
            let nums = number_layer(cx.text, toks, false, true);
            if let Some(n) = nums.iter().find(|n| n.t0 == j + 1 && !n.ordinal) {
                figs.push(Figure {
                    start: t.start,
                    end: n.end,
                    phrase_start: t.start,
                    phrase_end: n.end,
                    value: n.value,
                    value_max: None,
                    kind: FigureKind::Percent,
                    unit: Some("%".into()),
                    unit_text: Some(text_of(cx, t.start, span_end)),
                    qualifier: None,
                    direction: None,
                });
                continue;
            }
        }
        if w == "percents" {
            continue;
        }
        figs.push(Figure {
            start: t.start,
            end: span_end,
            phrase_start: t.start,
            phrase_end: span_end,
            value: f64::NAN,
            value_max: None,
            kind: FigureKind::Percent,
            unit: Some("%".into()),
            unit_text: Some(text_of(cx, t.start, span_end)),
            qualifier: None,
            direction: None,
        });
    }
}
