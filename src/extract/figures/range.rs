//! Ranges: a figure and the next number joined by "-", "to", "through" or
//! "between … and …" become one figure with a low and a high value ("10-15%",
//! "between 10 and 15 people", "from 5 to 7 million").

use super::figure::{FigB, figure_for};
use super::numbers::{Num, times};
use super::tokens::{Ctx, is_dash};
use super::units::currency_prefix;
use super::{Figure, FigureKind};

/// The words that join the two ends of a range.
struct Connector {
    /// The connector ("-", "to", "and"…), lower case.
    word: String,
    /// It is a dash.
    dash: bool,
    /// "between" before the first end.
    between: bool,
    /// "from" before the first end.
    from: bool,
    /// First token of the first end, a leading "the" included ("the tenth").
    lead: usize,
}

/// The connector after `f` (built from `n`) if it may join a range, and that
/// the range's second end starts right after it, at `m` or `m`'s currency.
fn connector(cx: &Ctx, f: &FigB, n: &Num, m: &Num) -> Option<Connector> {
    let toks = cx.toks;
    // "between the tenth and the fifteenth"
    let lead = if n.ordinal && f.tok0 > 1 && toks[f.tok0 - 1].lw == "the" { f.tok0 - 1 } else { f.tok0 };
    let between = f.qualifier.as_deref().is_none() && lead > 0 && toks[lead - 1].lw == "between";
    let from = f.qualifier.is_none() && lead > 0 && toks[lead - 1].lw == "from";
    let mut j = f.tok1;
    // a suspended hyphen: "8- to 16-meter", "10- to 15-year terms"
    if is_dash(cx.w(j)) && cx.glued(j) && cx.is(j + 1, "to") {
        j += 1;
    }
    let word = cx.w(j).to_string();
    let dash = is_dash(&word);
    let ok = match word.as_str() {
        "and" => between,
        // "between 10% to 15%"
        "to" if between => true,
        "to" => true,
        "~" => !cx.news,
        "through" | "thru" => true,
        _ => dash,
    };
    if !ok {
        return None;
    }
    j += 1;
    if cx.is(j, "the") && m.ordinal {
        j += 1;
    }
    // "£5m-£7m", "$5 to $7"
    let mut m_start_tok = m.t0;
    if let Some((p, _)) = currency_prefix(cx, m.t0)
        && p == j
    {
        m_start_tok = p;
    }
    (m_start_tok == j).then_some(Connector { word, dash, between, from, lead })
}

/// Whether a dash between `n` and `m` joins pieces of a longer chain instead
/// ("1-222-2222", "2023-10-07", "+1-222") or a signed second end.
fn dash_chain(cx: &Ctx, n: &Num, m: &Num) -> bool {
    let toks = cx.toks;
    (cx.glued(m.t1) && matches!(cx.w(m.t1), "-" | "/" | "–"))
        || (n.t0 > 0 && toks[n.t0].glued && matches!(toks[n.t0 - 1].s, "-" | "+" | "/") && !n.signed)
        || m.signed
}

/// Joins `f` (built from `n`) with the next number into a range, if they form one.
/// Returns the new figure and how many extra numbers were consumed.
pub(super) fn try_range(cx: &Ctx, f: &FigB, n: &Num, m: &Num) -> Option<(FigB, usize)> {
    if n.ordinal != m.ordinal || n.rel.is_some() || m.rel.is_some() {
        return None;
    }
    let c = connector(cx, f, n, m)?;
    if c.dash && dash_chain(cx, n, m) {
        return None;
    }
    // "to" ranges need "from", or a shared unit/noun, or numbers that look like amounts
    let g = figure_for(cx, m)?;
    if g.qualifier.is_some() && !matches!(g.qualifier.as_deref(), Some("up to")) {
        return None;
    }
    if c.word == "to" && !c.from && cx.news {
        // "rose 5% to 7%" is a change, not a range; "10 to 15 people" is a range
        // ("grow by 3 to 3.5 per cent" is an amount: a range; "rise by 10p to
        // 85p", a unit on each end, is an amount and a new level)
        let by = f.tok0 > 0 && cx.is(f.tok0 - 1, "by") && !f.has_unit;
        if f.fig.direction.is_some() && !by || f.has_unit && g.has_unit && f.percent {
            return None;
        }
    }
    if c.word == "to" && !c.from && !cx.news {
        return None;
    }
    // "the three months to 31 December": a unit on the first end only, with
    // "to", is a period and a date, not a range ("10 to 15 km" puts it last)
    if c.word == "to" && f.fig.unit_text.is_some() && f.has_unit && !g.has_unit && !f.prefix_currency && !f.percent {
        return None;
    }
    // "rose from 5% to 7%", "cut from 44 mg to 30 mg": a change, two figures
    if c.from && cx.news && f.fig.direction.is_some() {
        return None;
    }
    let mut lo = f.value;
    let mut hi = g.value;
    // share the scale: "from 5 to 7 million", "5-7bn"
    if !n.scaled && !n.fraction && (m.scaled || g.scaled) {
        let scale = scale_of(m, g.value);
        if scale > 1.0 && lo * scale <= hi {
            lo = times(lo, scale);
        }
    }
    // "from -18 °C to -34 °C": negative ends may be written high first
    if lo > hi && n.signed && m.signed && !c.dash {
        (lo, hi) = (hi, lo);
    }
    if lo >= hi {
        return None;
    }
    let out = joined(cx, f, &g, &c, lo, hi)?;
    if cx.news && out.fig.kind == FigureKind::Count && out.fig.unit.is_none() && c.dash && !f.scaled {
        // bare "N-M" in news: scores, pages, verses, model numbers — not a range fact
        if n.digits && m.digits && hi <= 200.0 && lo.fract() == 0.0 {
            return None;
        }
    }
    Some((out, 1))
}

/// The range figure from `f` to `g`; `None` when the two ends measure
/// different things.
fn joined(cx: &Ctx, f: &FigB, g: &FigB, c: &Connector, lo: f64, hi: f64) -> Option<FigB> {
    let toks = cx.toks;
    let outer = c.between || c.from;
    let lead_start = if outer { toks[c.lead - 1].start } else { f.phrase_start };
    let mut out = FigB {
        fig: Figure {
            // "between" is part of the range as written; "from" leads into it
            start: if c.between { lead_start } else { f.start },
            end: g.end,
            phrase_start: lead_start,
            phrase_end: g.end,
            value: lo,
            value_max: Some(hi),
            kind: f.kind,
            unit: f.unit.clone(),
            unit_text: f.unit_text.clone(),
            qualifier: f.qualifier.clone(),
            direction: f.direction,
        },
        tok0: if outer { c.lead - 1 } else { f.tok0 },
        tok1: g.tok1,
        num_t0: f.num_t0,
        has_unit: f.has_unit || g.has_unit,
        prefix_currency: f.prefix_currency,
        percent: f.percent || g.percent,
        scaled: f.scaled || g.scaled,
    };
    // the second half's unit wins when the first has none ("10-15%", "5 to 7 million euros")
    if (!f.has_unit || f.kind == FigureKind::Count) && g.has_unit {
        out.fig.kind = g.kind;
        out.fig.unit = g.unit.clone();
        out.fig.unit_text = g.unit_text.clone();
    } else if f.kind == FigureKind::Count && g.kind == FigureKind::Count && f.unit.is_none() {
        out.fig.unit = g.unit.clone();
        out.fig.unit_text = g.unit_text.clone();
    }
    // "from 44 ml to 50 mg": two measures, not a range
    if f.has_unit && g.has_unit && (f.kind != g.kind || f.unit != g.unit) {
        return None;
    }
    Some(out)
}

/// The scale a scaled second end was written with ("7 million" → 1e6), to share
/// with an unscaled first end.
fn scale_of(m: &Num, v: f64) -> f64 {
    if !m.scaled && !m.ambiguous_m {
        return 1.0;
    }
    for s in [1e12, 1e9, 1e6, 1e3, 1e5, 1e7] {
        if v >= s && v / s < 1000.0 {
            return s;
        }
    }
    1.0
}

/// "2023-10-07", "2004-05", "2-1": two numbers joined by a dash that are not a range.
pub(super) fn is_score_or_date_pair(cx: &Ctx, n: &Num, m: &Num) -> bool {
    n.t1 < cx.toks.len() && m.t0 == n.t1 + 1 && is_dash(cx.toks[n.t1].s) && n.digits && m.digits
}
