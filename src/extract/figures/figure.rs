//! Stage 3: one number becomes a figure. Attaches what makes it a fact:
//! currency ("$1.2bn", "5 million euros"), percent ("15 per cent"), unit ("10 km",
//! "three days"), age ("Scholl, 21,"), counted noun ("26,600 civilians"),
//! qualifier ("more than") and direction ("rose").

use super::numbers::{Num, times};
use super::qualifier::{direction_before, match_qualifier};
use super::tokens::{Ctx, TK, is_hyphen};
use super::units::{currency_code, currency_prefix, currency_word, national_currency, unit_after};
use super::vocabulary::{SKIP_ADJ, plausible_plural};
use super::{Figure, FigureKind};

/// A figure in the making, with its token extent.
pub(super) struct FigB {
    /// The figure as it will be output.
    pub(super) fig: Figure,
    /// First token of the mention (qualifier included).
    pub(super) tok0: usize,
    /// Token after the mention and what it consumed (unit or counted noun).
    pub(super) tok1: usize,
    /// Token index where the number itself starts (after currency prefix).
    pub(super) num_t0: usize,
    /// Whether a currency, percent or unit was attached.
    pub(super) has_unit: bool,
    /// Mention start without qualifier (for merging).
    pub(super) bare_start: usize,
    /// Currency symbol glued before the number.
    pub(super) prefix_currency: bool,
    /// A percent sign or word followed.
    pub(super) percent: bool,
    /// A scale was applied to the number.
    pub(super) scaled: bool,
}

impl std::ops::Deref for FigB {
    type Target = Figure;
    fn deref(&self) -> &Figure {
        &self.fig
    }
}

impl FigB {
    /// Whether a currency prefix carries the scale; never, so far: "$5m-7m"
    /// shares the scale like any range.
    pub(super) fn prefix_currency_scaled(&self) -> bool {
        false
    }
}

/// The figure of one number before its qualifier: mention extent, value, kind
/// and unit as the suffix readers settle them.
struct Draft {
    /// Mention start (a currency prefix included).
    start: usize,
    /// First token (a currency prefix included).
    tok0: usize,
    /// Mention end (a percent or currency word included).
    end: usize,
    /// Token after the number and the suffixes read so far.
    j: usize,
    value: f64,
    kind: FigureKind,
    unit: Option<String>,
    has_unit: bool,
    prefix_currency: bool,
    percent: bool,
    scaled: bool,
}

impl Draft {
    fn new(n: &Num) -> Self {
        Draft {
            start: n.start,
            tok0: n.t0,
            end: n.end,
            j: n.t1,
            value: n.value,
            kind: if n.ordinal { FigureKind::Ordinal } else { FigureKind::Count },
            unit: None,
            has_unit: false,
            prefix_currency: false,
            percent: false,
            scaled: n.scaled,
        }
    }

    /// Sets kind and unit, which settles what the figure measures.
    fn measure(&mut self, kind: FigureKind, unit: &str) {
        self.kind = kind;
        self.unit = Some(unit.to_string());
        self.has_unit = true;
    }

    /// Currency before: "$1.2bn", "US$ 1MM", "USD 5", "£250,000".
    fn currency_before(&mut self, cx: &Ctx, n: &Num) {
        let toks = cx.toks;
        if !n.ordinal
            && let Some((p, code)) = currency_prefix(cx, n.t0)
            && (toks[n.t0].glued || toks[n.t0].single_space)
        {
            self.start = toks[p].start;
            self.tok0 = p;
            self.measure(FigureKind::Money, code);
            self.prefix_currency = true;
        }
    }

    /// Glued 'm' ("5m"): million with money or a counted noun after, otherwise metres.
    fn million_or_metres(&mut self, cx: &Ctx) {
        let j = self.j;
        let nx = cx.w(j);
        // "100m", "400m", "1500m": race distances are metres
        let race = !self.prefix_currency
            && [60.0, 100.0, 110.0, 200.0, 400.0, 800.0, 1500.0, 3000.0, 5000.0, 10000.0].contains(&self.value);
        let hyphen_currency = is_hyphen(nx) && cx.glued(j) && cx.glued(j + 1) && currency_word(cx.w(j + 1)).is_some();
        let million = self.prefix_currency
            || currency_word(nx).is_some()
            || matches!(
                nx,
                "won" | "peso" | "pesos" | "krone" | "kroner" | "dinar" | "dinars" | "lira" | "riyal" | "riyals"
            )
            || hyphen_currency
            || national_currency(cx, j).is_some()
            || (!race
                && (plausible_plural(nx) || (cx.kind(j) == Some(TK::Word) && SKIP_ADJ.contains(&nx)) || nx == "of"));
        if million {
            self.value = times(self.value, 1e6);
            self.scaled = true;
        } else {
            self.measure(FigureKind::Quantity, "m");
        }
    }

    /// Percent after: "%", "per cent", "percent", "pp", "percentage points".
    fn percent_after(&mut self, cx: &Ctx) {
        let toks = cx.toks;
        let w = cx.w(self.j);
        if w == "%" || w == "٪" {
            self.end = toks[self.j].end;
            self.j += 1;
            self.percent = true;
        } else if w == "per" && cx.is(self.j + 1, "cent") {
            self.end = toks[self.j + 1].end;
            self.j += 2;
            self.percent = true;
        } else if matches!(w, "percent" | "percents" | "percentage" | "pct") {
            self.end = toks[self.j].end;
            self.j += 1;
            self.percent = true;
        } else if matches!(w, "pp" | "ppt" | "ppts") {
            self.end = toks[self.j].end;
            self.j += 1;
            self.measure(FigureKind::Percent, "pp");
        }
        if self.percent {
            self.measure(FigureKind::Percent, "%");
            // "percentage points"
            if (cx.w(self.j) == "point" || cx.w(self.j) == "points") && toks[self.j - 1].lw == "percentage" {
                self.end = toks[self.j].end;
                self.j += 1;
                self.unit = Some("pp".into());
            }
        }
    }

    /// Currency after: "5 million euros", "100 US dollars", "50 USD", "1.33bn
    /// Australian dollars", "a 418bn-rand budget".
    fn currency_after(&mut self, cx: &Ctx, n: &Num) {
        let toks = cx.toks;
        let j = self.j;
        let (mut k, w) = if cx.is(j, "us") && currency_word(cx.w(j + 1)) == Some("USD") {
            (j + 1, cx.w(j + 1).to_string())
        } else {
            (j, cx.w(j).to_string())
        };
        let mut code = currency_word(&w).or_else(|| currency_code(toks.get(k).map(|t| t.s).unwrap_or("")));
        // "won" is mostly the verb ("Halo 2 won"): the currency only after a large amount
        if w == "won" && (n.scaled || n.ambiguous_m || (!n.plain_int && self.value >= 1000.0)) {
            code = Some("KRW");
        }
        if code.is_none()
            && let Some((k2, c)) = national_currency(cx, j)
        {
            (k, code) = (k2, Some(c));
        }
        // "a 418bn-rand budget", "a $5m-dollar deal"
        if code.is_none()
            && (n.scaled || n.ambiguous_m)
            && is_hyphen(cx.w(j))
            && cx.glued(j)
            && cx.glued(j + 1)
            && let Some(c) = currency_word(cx.w(j + 1))
        {
            (k, code) = (j + 1, Some(c));
        }
        // "pounds" of weight only with a clear weight context is rare in news; take money.
        if let Some(c) = code
            && toks.get(k).is_some_and(|t| t.kind == TK::Word)
        {
            self.end = toks[k].end;
            self.j = k + 1;
            if w == "pence" {
                self.value /= 100.0;
            }
            self.measure(FigureKind::Money, c);
        }
    }

    /// Units after: "10 km", "3 days", "20-year-old", "a five-year deal", "40 °C".
    /// The unit word stays out of the mention.
    fn unit_after(&mut self, cx: &Ctx) {
        let toks = cx.toks;
        let j = self.j;
        let (k, hyph) = if is_hyphen(cx.w(j)) && cx.glued(j) && cx.glued(j + 1) { (j + 1, true) } else { (j, false) };
        let Some(t) = toks.get(k) else { return };
        if !(t.kind == TK::Word || (t.kind == TK::Punct && t.s == "°")) {
            return;
        }
        let mut w = t.lw.as_ref();
        let mut u = unit_after(w);
        if t.s == "°" {
            let nx = cx.toks.get(k + 1).map(|t| t.s).unwrap_or("");
            u = Some(match nx {
                "C" => "°C",
                "F" => "°F",
                _ => "°",
            });
            w = "°";
        }
        // "pounds" is money above; "second" after a number is a unit only when plural
        // or hyphenated ("a 30-second clip")
        if w == "second" && !hyph {
            u = None;
        }
        // "60 Minutes" (a TV show), "Five Years" (a song): names, not units
        if t.s.chars().next().is_some_and(char::is_uppercase) && t.s.chars().skip(1).any(char::is_lowercase) {
            u = None;
        }
        if let Some(u) = u {
            self.measure(FigureKind::Quantity, u);
        }
    }

    /// Ages in news: "Mr Mubanga, 29, from", "aged 72", "at the age of 80".
    fn age(&mut self, cx: &Ctx, n: &Num) {
        let toks = cx.toks;
        if !(n.plain_int && n.value <= 120.0 && n.value >= 1.0) {
            return;
        }
        let p1 = if n.t0 > 0 { toks[n.t0 - 1].lw.as_ref() } else { "" };
        let p2 = if n.t0 > 1 { toks[n.t0 - 2].s } else { "" };
        let after_comma = p1 == ","
            && p2.chars().next().is_some_and(char::is_uppercase)
            && (matches!(cx.w(self.j), "," | "-" | "–" | ")" | "and") || self.j >= toks.len());
        let aged = p1 == "aged" || (p1 == "of" && n.t0 > 1 && toks[n.t0 - 2].lw == "age");
        if after_comma || aged {
            self.measure(FigureKind::Quantity, "years");
        }
    }
}

/// Builds the figure for one number: prefix currency, suffixes, qualifier, direction.
pub(super) fn figure_for(cx: &Ctx, n: &Num) -> Option<FigB> {
    let toks = cx.toks;
    let mut d = Draft::new(n);
    d.currency_before(cx, n);
    if n.ambiguous_m {
        d.million_or_metres(cx);
    }
    if let Some(u) = n.glued_unit {
        d.measure(FigureKind::Quantity, u);
    }
    if n.pence {
        d.value /= 100.0;
        d.measure(FigureKind::Money, "GBP");
    }
    if !d.has_unit && !n.ordinal {
        d.percent_after(cx);
    }
    if !d.has_unit && !n.ordinal {
        d.currency_after(cx, n);
    }
    if !d.has_unit && !n.ordinal {
        d.unit_after(cx);
    }
    if !d.has_unit && d.kind == FigureKind::Count && cx.news {
        d.age(cx, n);
    }
    if !d.has_unit && d.kind == FigureKind::Count {
        d.unit = counted_noun(cx, d.j, n.value);
    }
    // qualifier before the mention
    let mut qualifier: Option<String> = n.own_qualifier.map(str::to_string);
    let mut q_start = d.start;
    let mut q_tok = d.tok0;
    // news ordinals take no qualifier: "a win over seventh seed"
    if qualifier.is_none()
        && !(cx.news && n.ordinal)
        && let Some((qt, q)) = match_qualifier(cx, d.tok0, n.ordinal)
    {
        q_start = toks[qt].start;
        q_tok = qt;
        qualifier = Some(q.to_string());
    }
    let direction = direction_before(cx, q_tok);
    let j = d.j;
    // "25.6 km/h"
    if d.unit.as_deref() == Some("km") && cx.is(j + 1, "/") && cx.is(j + 2, "h") && cx.glued(j + 1) && cx.glued(j + 2) {
        d.unit = Some("km/h".into());
    }
    let fig = Figure {
        start: q_start,
        end: d.end,
        value: d.value,
        value_max: None,
        kind: d.kind,
        unit: d.unit,
        qualifier,
        direction,
    };
    Some(FigB {
        fig,
        tok0: q_tok,
        tok1: j.max(n.t1),
        num_t0: d.tok0,
        has_unit: d.has_unit,
        bare_start: d.start,
        prefix_currency: d.prefix_currency,
        percent: d.percent,
        scaled: d.scaled,
    })
}

/// The head noun counted by a number: next words, skipping capitalised adjectives
/// ("American") and a few common adjectives ("more", "other").
fn counted_noun(cx: &Ctx, j: usize, value: f64) -> Option<String> {
    let mut k = j;
    for _ in 0..4 {
        let t = cx.toks.get(k)?;
        if t.kind != TK::Word {
            return None;
        }
        let w = t.lw.as_ref();
        let cap = t.s.chars().next().is_some_and(|c| c.is_uppercase());
        if cap {
            // nationality or proper adjective; skip "US-backed" style compounds too
            k += 1;
            while is_hyphen(cx.w(k)) && cx.glued(k) && cx.kind(k + 1) == Some(TK::Word) {
                k += 2;
            }
            continue;
        }
        if cx.is(k + 1, "-") && cx.glued(k + 1) && cx.kind(k + 2) == Some(TK::Word) {
            // "well-armed", "so-called": an adjective
            k += 3;
            continue;
        }
        if plausible_plural(w) {
            return Some(w.to_string());
        }
        if value == 1.0 && matches!(w, "person" | "man" | "woman" | "child") {
            return Some(w.to_string());
        }
        if SKIP_ADJ.contains(&w) && w != "of" && w != "the" {
            k += 1;
            continue;
        }
        return None;
    }
    None
}
