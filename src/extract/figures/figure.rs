//! Stage 3: one number becomes a figure. Attaches what makes it a fact:
//! currency ("$1.2bn", "5 million euros"), percent ("15 per cent"), unit ("10 km",
//! "three days"), age ("Scholl, 21,"), counted noun ("26,600 civilians"),
//! qualifier ("more than") and direction ("rose").

use super::numbers::{Num, times};
use super::qualifier::{direction_before, match_qualifier};
use super::tokens::{Ctx, TK, is_hyphen};
use super::unit_lexicon::{self, is_time_unit, unit_at};
use super::units::{
    currency_code, currency_prefix, currency_without_country, currency_word, minor_currency, national_currency,
};
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
    /// Byte ranges of the unit as written (a currency before and a unit or
    /// rate after may both be there: "$350 per kg").
    unit_text: Vec<(usize, usize)>,
    has_unit: bool,
    prefix_currency: bool,
    percent: bool,
    scaled: bool,
    /// The number was written with digits.
    digits: bool,
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
            unit_text: Vec::new(),
            has_unit: false,
            prefix_currency: false,
            percent: false,
            scaled: n.scaled,
            digits: n.digits,
        }
    }

    /// Sets kind and unit, which settles what the figure measures.
    fn measure(&mut self, kind: FigureKind, unit: &str) {
        self.kind = kind;
        self.unit = Some(unit.to_string());
        self.has_unit = true;
    }

    /// Like [`Draft::measure`], for a unit written after the number over tokens
    /// `[k, end)`: the mention grows over it (and over a hyphen before `k`).
    fn measure_after(&mut self, cx: &Ctx, kind: FigureKind, unit: &str, k: usize, end: usize) {
        self.measure(kind, unit);
        self.unit_text.push((cx.toks[k].start, cx.toks[end - 1].end));
        self.end = cx.toks[end - 1].end;
        self.j = end;
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
            self.unit_text.push((toks[p].start, toks[n.t0 - 1].end));
            self.prefix_currency = true;
        }
    }

    /// A currency word before the number, as wires write it: "dlrs 450,000",
    /// "yen 500 billion", "Australian dollar 29.4bn", "stg 50 mln".
    fn currency_word_before(&mut self, cx: &Ctx, n: &Num) {
        let toks = cx.toks;
        if n.ordinal || n.t0 == 0 || self.has_unit || n.weak {
            return;
        }
        let p = n.t0 - 1;
        if toks[p].kind != TK::Word || toks[p].glued && p > 0 {
            return;
        }
        // the national form ends at p: "Australian dollar", "Hong Kong dollars"
        let national = (p.saturating_sub(2)..p)
            .find_map(|s| national_currency(cx, s).filter(|&(last, _)| last == p).map(|(_, c)| (s, c)));
        let (first, code) = match national {
            Some(found) => found,
            None => match currency_word(cx.w(p)) {
                // "pounds" and "dollars" before a number are rarely its unit in prose
                // ("dollars 5 times"); wire shorthand and ISO codes are
                Some(c) if matches!(cx.w(p), "dlrs" | "dlr" | "stg" | "yen" | "yuan") => (p, c),
                _ => return,
            },
        };
        // a number before the currency word belongs to it ("5 dollars 20")
        if first > 0 && matches!(toks[first - 1].kind, TK::Num | TK::Mixed) {
            return;
        }
        self.start = toks[first].start;
        self.tok0 = first;
        self.measure(FigureKind::Money, code);
        self.unit_text.push((toks[first].start, toks[p].end));
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
            self.measure(FigureKind::Quantity, "metre");
            self.unit_text.push((self.end - 1, self.end));
        }
    }

    /// Percent after: "%", "per cent", "percent", "pp", "percentage points".
    fn percent_after(&mut self, cx: &Ctx) {
        let j = self.j;
        let w = cx.w(j);
        let end = if w == "%" || w == "٪" || matches!(w, "percent" | "percents" | "percentage" | "pct") {
            j + 1
        } else if w == "per" && cx.is(j + 1, "cent") {
            j + 2
        } else if matches!(w, "pp" | "ppt" | "ppts") {
            self.measure_after(cx, FigureKind::Percent, "pp", j, j + 1);
            return;
        } else if matches!(w, "bp" | "bps") || w == "basis" && matches!(cx.w(j + 1), "point" | "points") {
            // "50 basis points", "25bp": hundredths of a percentage point
            let end = if w == "basis" { j + 2 } else { j + 1 };
            self.measure_after(cx, FigureKind::Percent, "bp", j, end);
            return;
        } else {
            return;
        };
        self.percent = true;
        self.measure_after(cx, FigureKind::Percent, "%", j, end);
        // "percentage points"
        if matches!(cx.w(end), "point" | "points") && cx.toks[end - 1].lw == "percentage" {
            self.unit_text.clear();
            self.measure_after(cx, FigureKind::Percent, "pp", j, end + 1);
        }
    }

    /// Currency after: "5 million euros", "100 US dollars", "50 USD", "1.33bn
    /// Australian dollars", "a 418bn-rand budget", "45 cents", "a 15-cent stamp",
    /// "20 million pounds" (but "a 20-pound bag", "five pounds of rice" weigh).
    fn currency_after(&mut self, cx: &Ctx, n: &Num) {
        let toks = cx.toks;
        let j = self.j;
        // "a 15-cent stamp", "a $5m-dollar deal", "a 418bn-rand budget"
        let hyphen = is_hyphen(cx.w(j)) && cx.glued(j) && cx.glued(j + 1) && cx.kind(j + 1) == Some(TK::Word);
        let j = if hyphen { j + 1 } else { j };
        let (mut k, w) = if cx.is(j, "us") && currency_word(cx.w(j + 1)) == Some("USD") {
            (j + 1, cx.w(j + 1).to_string())
        } else {
            (j, cx.w(j).to_string())
        };
        let mut code = currency_word(&w)
            .or_else(|| currency_code(toks.get(k).map(|t| t.s).unwrap_or("")))
            .or_else(|| currency_without_country(&w));
        let mut factor = 1.0;
        if let Some((c, f)) = minor_currency(&w) {
            // "euro cents"
            code = Some(if k > 0 && toks[k - 1].lw == "euro" { "EUR" } else { c });
            factor = f;
        }
        // "won" is mostly the verb ("Halo 2 won"): the currency only after a large amount
        if w == "won" && (n.scaled || n.ambiguous_m || (!n.plain_int && self.value >= 1000.0)) {
            code = Some("KRW");
        }
        if code.is_none()
            && let Some((k2, c)) = national_currency(cx, j)
        {
            (k, code) = (k2, Some(c));
        }
        if matches!(w.as_str(), "pound" | "pounds") && weighs(cx, k, hyphen) {
            return;
        }
        // "50 Cent" (a rapper): a title-case minor unit is a name ("5m Euros" is money)
        if k == j && factor != 1.0 && toks.get(k).is_some_and(|t| title_case(t.s)) {
            return;
        }
        // a hyphenated currency word is an adjective of a price ("a 15-cent stamp");
        // a hyphenated "dollar" after a bare small number is too ("a five-dollar bill")
        if let Some(c) = code
            && toks.get(k).is_some_and(|t| t.kind == TK::Word)
        {
            self.value *= factor;
            let first = if hyphen { j } else { self.j };
            self.measure_after(cx, FigureKind::Money, c, first, k + 1);
        }
    }

    /// Units after: "10 km", "3 days", "twelve miles", "a four-mile walk", "40 °C",
    /// "301,338 km2", "45 degrees Celsius", "2 1/2 in thick", "a 9\" plate".
    fn unit_after(&mut self, cx: &Ctx) {
        let toks = cx.toks;
        let j = self.j;
        let (k, hyph) = if is_hyphen(cx.w(j)) && cx.glued(j) && cx.glued(j + 1) { (j + 1, true) } else { (j, false) };
        let Some(t) = toks.get(k) else { return };
        if t.s == "\"" && !hyph && t.glued && inch_mark(cx, k) {
            self.measure_after(cx, FigureKind::Quantity, "inch", k, k + 1);
            return;
        }
        let Some((unit, mut end)) = unit_at(cx, k) else {
            if t.lw == "in" && inch_context(cx, k, hyph) {
                self.measure_after(cx, FigureKind::Quantity, "inch", k, k + 1);
            }
            return;
        };
        // "60 Minutes" (a TV show), "21 Grams" (a film): a title-case unit word alone
        // is a name ("British thermal units" is not one)
        if title_case(t.s) && end == k + 1 && !unit_lexicon::is_symbol(t.s) {
            return;
        }
        // "one bit of silicon": a unit only after digits or hyphenated ("64-bit")
        if matches!(t.lw.as_ref(), "bit" | "bits") && !hyph && !self.digits {
            return;
        }
        // "second" after a number is a unit only when plural or hyphenated ("a
        // 30-second clip"); otherwise it is an ordinal ("2 second-half goals")
        if t.lw == "second" && !hyph {
            return;
        }
        // "six weeks' time", "two years' pay"
        if cx.is(end, "'") && cx.glued(end) && toks[end - 1].lw.ends_with('s') && cx.kind(end + 1) == Some(TK::Word) {
            end += 1;
        }
        self.measure_after(cx, FigureKind::Quantity, unit, k, end);
        // "a 20-year-old man": the age adjective is one mention
        if hyph && is_time_unit(unit) && is_hyphen(cx.w(end)) && cx.glued(end) && cx.is(end + 1, "old") {
            self.end = toks[end + 1].end;
            self.j = end + 2;
        }
    }

    /// A currency symbol after the number, as much of Europe writes it: "15€", "20 €".
    fn currency_symbol_after(&mut self, cx: &Ctx) {
        let j = self.j;
        let code = match cx.w(j) {
            "€" => "EUR",
            "£" => "GBP",
            "$" => "USD",
            "¥" => "JPY",
            _ => return,
        };
        // "$5 $" never; a symbol before the next number belongs to it ("by 2008 £60bn")
        if self.prefix_currency || matches!(cx.kind(j + 1), Some(TK::Num | TK::Mixed)) {
            return;
        }
        self.measure_after(cx, FigureKind::Money, code, j, j + 1);
    }

    /// A glued unit ("10km", "4km^3", "25.6km/h"): the mention already covers
    /// the suffix; powers and rates glued after it join the unit.
    fn glued_unit(&mut self, cx: &Ctx, n: &Num, unit: &'static str) {
        let mut unit = unit;
        let suffix = &cx.text[n.unit_from..n.end];
        let mut written = suffix.to_string();
        let mut k = self.j;
        while k < self.j + 3 && cx.glued(k) && matches!(cx.kind(k), Some(TK::Punct | TK::Word | TK::Num)) {
            written.push_str(cx.toks[k].s);
            k += 1;
            if let Some(u) = unit_lexicon::lookup(&written) {
                unit = u;
                self.end = cx.toks[k - 1].end;
                self.j = k;
            }
        }
        self.measure(FigureKind::Quantity, unit);
        self.unit_text.push((n.unit_from, self.end));
    }

    /// A rate after the unit: "$350 per kg", "$15.4/hour", "$500 a week", "four
    /// times a week", "120 km per hour". Money may be per anything ("per share").
    fn rate_after(&mut self, cx: &Ctx) {
        let j = self.j;
        let w = cx.w(j);
        let slash = w == "/" && cx.glued(j) && cx.glued(j + 1);
        if !(slash || matches!(w, "per" | "a" | "an" | "each")) || cx.is(j + 1, "cent") {
            return;
        }
        let Some(unit) = self.unit.clone() else { return };
        let money = self.kind == FigureKind::Money;
        let (per, end) = match unit_at(cx, j + 1) {
            Some((u, end)) if matches!(w, "per" | "/") || is_time_unit(u) || money => (u.to_string(), end),
            // "$5 per share", "2.35 cents a share", "$30 a head"
            _ if money
                && cx.kind(j + 1) == Some(TK::Word)
                && cx.toks[j + 1].s.chars().all(|c| c.is_lowercase())
                && (w == "per" || matches!(cx.w(j + 1), "share" | "head" | "person" | "ticket" | "piece" | "unit")) =>
            {
                (cx.w(j + 1).to_string(), j + 2)
            }
            _ => return,
        };
        let first = j;
        self.unit = Some(format!("{unit} per {per}"));
        self.unit_text.push((cx.toks[first].start, cx.toks[end - 1].end));
        self.end = cx.toks[end - 1].end;
        self.j = end;
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
            self.measure(FigureKind::Quantity, "year");
        }
    }
}

/// "in" after a number is an inch only where a preposition cannot be: at the
/// end of the sentence ("2 in."), before a dimension ("2 1/2 in thick") or
/// hyphenated ("a 5-in screen").
fn inch_context(cx: &Ctx, k: usize, hyphenated: bool) -> bool {
    let next = cx.w(k + 1);
    hyphenated
        || (next.is_empty() || (next == "." && cx.toks.len() == k + 2))
        || matches!(next, "thick" | "long" | "wide" | "tall" | "high" | "deep" | "across" | "diameter" | ")")
}

/// "Grams", "Cent": a capital then lower case only.
fn title_case(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.clone().next().is_some() && chars.all(char::is_lowercase)
}

/// A double quote glued after a number is an inch mark unless it closes a
/// quotation (an odd number of quote marks before it).
fn inch_mark(cx: &Ctx, k: usize) -> bool {
    let quotes_before = cx.toks[..k].iter().filter(|t| matches!(t.s, "\"" | "“" | "”")).count();
    quotes_before % 2 == 0
}

/// "pound(s)" as a weight, read from the noun after it: "a 20-pound bag",
/// "five pounds of rice", "a 300-pound man"; but money in "a five-pound note",
/// "20 pounds of their savings".
fn weighs(cx: &Ctx, k: usize, hyphenated: bool) -> bool {
    let next = cx.w(k + 1);
    if hyphenated {
        return cx.kind(k + 1) == Some(TK::Word)
            && !matches!(next, "note" | "notes" | "coin" | "coins" | "fine" | "bill");
    }
    next == "of" && {
        let noun = cx.w(k + 2);
        cx.kind(k + 2) == Some(TK::Word)
            && !matches!(noun, "the" | "their" | "his" | "her" | "its" | "our" | "my" | "your" | "public" | "taxpayers")
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
        d.glued_unit(cx, n, u);
    }
    if n.pence {
        d.value /= 100.0;
        d.measure(FigureKind::Money, "GBP");
        d.unit_text.push((n.end - 1, n.end));
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
    if !d.has_unit && !n.ordinal {
        d.currency_symbol_after(cx);
    }
    if !d.has_unit && !n.ordinal {
        d.currency_word_before(cx, n);
    }
    if !d.has_unit && d.kind == FigureKind::Count && cx.news {
        d.age(cx, n);
    }
    let mut counted = None;
    if !d.has_unit && d.kind == FigureKind::Count {
        counted = counted_noun(cx, d.j, n.value);
        if counted.is_none() && cx.is(d.j, "times") {
            counted = Some((d.j, "times".to_string()));
        }
        if let Some((k, w)) = &counted {
            d.unit_text.push((toks[*k].start, toks[*k].end));
            d.unit = Some(w.clone());
        }
    }
    // "four times a week": a count of times per period is a rate
    if let Some((k, w)) = counted
        && w == "times"
        && k == d.j
    {
        d.j = k + 1;
        let before = d.end;
        d.end = toks[k].end;
        d.rate_after(cx);
        if d.unit.as_deref() != Some("times") {
            d.kind = FigureKind::Quantity;
            d.has_unit = true;
        } else {
            (d.j, d.end) = (k, before);
        }
    } else if matches!(d.kind, FigureKind::Money | FigureKind::Quantity) {
        d.rate_after(cx);
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
    let unit_text = if d.unit_text.is_empty() {
        None
    } else {
        Some(d.unit_text.iter().map(|&(a, b)| &cx.text[a..b]).collect::<Vec<_>>().join(" "))
    };
    let fig = Figure {
        start: d.start,
        end: d.end,
        phrase_start: q_start,
        phrase_end: d.end,
        value: d.value,
        value_max: None,
        kind: d.kind,
        unit: d.unit,
        unit_text,
        qualifier,
        direction,
    };
    Some(FigB {
        fig,
        tok0: q_tok,
        tok1: j.max(n.t1),
        num_t0: d.tok0,
        has_unit: d.has_unit,
        prefix_currency: d.prefix_currency,
        percent: d.percent,
        scaled: d.scaled,
    })
}

/// The head noun counted by a number: next words, skipping capitalised adjectives
/// ("American") and a few common adjectives ("more", "other").
fn counted_noun(cx: &Ctx, j: usize, value: f64) -> Option<(usize, String)> {
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
            return Some((k, w.to_string()));
        }
        if value == 1.0 && matches!(w, "person" | "man" | "woman" | "child") {
            return Some((k, w.to_string()));
        }
        if SKIP_ADJ.contains(&w) && w != "of" && w != "the" {
            k += 1;
            continue;
        }
        return None;
    }
    None
}
