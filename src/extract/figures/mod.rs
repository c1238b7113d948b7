//! Figures: numeric facts in prose ("more than 26,600 civilians", "$1.2bn", "15%").
//!
//! Pure text → structure, no I/O. The work is a pipeline of stages, one file each:
//!
//! 1. `tokens`: a tokenizer that keeps byte offsets and remembers whether a token
//!    is glued to the previous one (so "5m" and "5 m" can be told apart);
//! 2. `numbers`: the *number layer*, which reads digits ("26,600", "1.2e6",
//!    "3/4"; `digits`), spelled-out numbers ("three and a half", "a dozen";
//!    `spelled`), ordinals ("21st", "twenty-fifth") and fractions ("two thirds");
//! 3. `figure`: the *figure layer*, which attaches what makes a number a fact:
//!    currency, percent, unit or counted noun (`units`), qualifier ("more than")
//!    and direction ("rose") (`qualifier`), and joins ranges ("10-15%"; `range`);
//! 4. `filter`: with [`FigureOptions::news_filters`], drops numbers that are
//!    really dates, times, years, names ("Apollo 11"), codes ("A380") or phone numbers;
//! 5. `merge`: joins two-sided bounds ("more than 10 and less than 20").
//!
//! The words these stages read are in `vocabulary` (context words) and
//! `crate::extract::lexicon` (number words and month names, shared with the
//! date finder and the segmenter).
//!
//! Everything is rule based and deliberately conservative: a missed figure costs
//! less than a wrong one in a table people query.

mod digits;
mod figure;
mod filter;
mod merge;
mod numbers;
mod qualifier;
mod range;
mod spelled;
mod tokens;
mod unit_lexicon;
mod units;
mod vocabulary;

use figure::figure_for;
use filter::keep_in_news;
use merge::{add_bare_percents, merge_bounds};
use numbers::{Num, number_layer};
use range::{is_score_or_date_pair, try_range};
use tokens::{Ctx, Tok, tokenize};

/// What a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FigureKind {
    /// A number of things ("three servicemen"), or a plain number.
    Count,
    /// An amount of money; the unit is an ISO 4217 code.
    Money,
    /// A percentage ("%") or a change in percentage points ("pp").
    Percent,
    /// A measured quantity with a unit ("10km", "three days", "20-year-old").
    Quantity,
    /// A position in an order ("21st", "third").
    Ordinal,
}

impl FigureKind {
    /// Lower-case name used in tables: "count", "money", "percent", "quantity", "ordinal".
    pub fn as_str(&self) -> &'static str {
        match self {
            FigureKind::Count => "count",
            FigureKind::Money => "money",
            FigureKind::Percent => "percent",
            FigureKind::Quantity => "quantity",
            FigureKind::Ordinal => "ordinal",
        }
    }
}

/// Which way a figure moved, read from the verb before it ("rose 5%", "cut 500 jobs").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Direction {
    /// Rose, increased, gained, grew, jumped, climbed…
    Up,
    /// Fell, dropped, declined, cut, lost, slumped…
    Down,
}

impl Direction {
    /// "up" or "down".
    pub fn as_str(&self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

/// One numeric fact found in a text.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Figure {
    /// Byte offset of the mention's first byte in the text passed in.
    pub start: usize,
    /// Byte offset one past the mention's last byte. `text[start..end]` is the
    /// mention: the number with its currency, percent sign or unit as written
    /// ("C$450 million", "twelve miles", "15 per cent", "four-mile"); for a count,
    /// the number alone ("26,600" of "26,600 civilians"). Qualifiers are not part
    /// of it (see `phrase_start`).
    pub end: usize,
    /// Start of the whole phrase: the mention with the words around it that
    /// qualify it ("more than 26,600", "from 5 to 7", "500 or more");
    /// `text[phrase_start..phrase_end]`. Equal to the mention's offsets when
    /// there are none.
    pub phrase_start: usize,
    /// End of the whole phrase (see `phrase_start`).
    pub phrase_end: usize,
    /// The value; for a range, its low end. Scales are applied ("$1.2bn" → 1.2e9).
    #[serde(with = "crate::extract::exact_float::f64_bits")]
    pub value: f64,
    /// For a range, its high end.
    #[serde(with = "crate::extract::exact_float::option_f64_bits")]
    pub value_max: Option<f64>,
    /// What the figure measures.
    pub kind: FigureKind,
    /// ISO 4217 code for money (minor units converted: "45 cents" is 0.45 USD;
    /// a name such as "dinar" when the text does not say whose), "%", "pp"
    /// (percentage points) or "bp" (basis points) for percents, the canonical
    /// unit name for quantities ("kilometre", "year", "degree Celsius"), the
    /// counted noun for counts ("civilians"). A rate keeps its second unit:
    /// "$350 per kg" is "USD per kilogram".
    ///
    /// With `news_filters = false` only, relative ordinals ("last", "next") are
    /// returned as ordinals with unit "end" or "current" and the offset as value.
    pub unit: Option<String>,
    /// The unit as written: "km", "miles", "C$", "dlrs", "per cent", "°C",
    /// "civilians"; `None` when nothing was written ("Smith, 29," is 29 years).
    pub unit_text: Option<String>,
    /// Normalised lower-case qualifier ("more than", "about", "up to", "hundreds of"…).
    /// Two-sided comparisons ("more than 10 and at most 20") are joined with " and ",
    /// low side first: "more than and at most".
    pub qualifier: Option<String>,
    /// Direction from a verb shortly before the figure.
    pub direction: Option<Direction>,
}

/// Switches for [`extract_figures`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FigureOptions {
    /// Drop numbers that are not facts in news prose: dates, times, years used as
    /// dates, names ("Apollo 11"), codes ("A380"), phone numbers, bare "one", and
    /// spelled ordinals "first"/"second" (in news "first" is nearly always rhetoric
    /// and "second" a unit of time; "third" and up, and "21st"-style ordinals, are
    /// kept). Off, every number is returned, as the Recognizers-Text specs expect.
    pub news_filters: bool,
}

impl Default for FigureOptions {
    fn default() -> Self {
        Self { news_filters: true }
    }
}

/// Finds the figures in `text` (typically one sentence), in order of `start`,
/// non-overlapping. Never panics; offsets are always on char boundaries.
pub fn extract_figures(text: &str, options: &FigureOptions) -> Vec<Figure> {
    let toks = tokenize(text);
    let news = options.news_filters;
    let nums = number_layer(text, &toks, news, false);
    build_figures(text, &toks, &nums, news)
}

/// The bare number layer with every filter off: one entry per number as written,
/// without qualifiers, currencies, units or ranges (kind `Count` for cardinals and
/// fractions, `Ordinal` for ordinals). This is what the Recognizers-Text
/// `NumberModel` spec measures; "$20" gives "20", "two millionth" gives "two".
pub fn extract_numbers(text: &str) -> Vec<Figure> {
    let toks = tokenize(text);
    number_layer(text, &toks, false, true)
        .into_iter()
        .filter(|n| n.rel.is_none())
        .map(|n| Figure {
            start: n.start,
            end: n.end,
            phrase_start: n.start,
            phrase_end: n.end,
            value: n.value,
            value_max: None,
            kind: if n.ordinal { FigureKind::Ordinal } else { FigureKind::Count },
            unit: None,
            unit_text: None,
            qualifier: None,
            direction: None,
        })
        .collect()
}

/// Stages 3 to 5: each number becomes a figure (joined with the next into a
/// range where they form one), news filters drop non-facts, bounds merge; the
/// result is sorted and without overlaps.
fn build_figures(text: &str, toks: &[Tok<'_>], nums: &[Num], news: bool) -> Vec<Figure> {
    let cx = Ctx { text, toks, news, numview: false };
    let mut figs: Vec<Figure> = Vec::new();
    let mut drop_until_tok = 0usize; // tokens consumed by a previous figure or filter
    let mut k = 0;
    while k < nums.len() {
        let n = &nums[k];
        k += 1;
        if n.t0 < drop_until_tok {
            continue;
        }
        if let Some(anchor) = n.rel {
            figs.push(Figure {
                start: n.start,
                end: n.end,
                phrase_start: n.start,
                phrase_end: n.end,
                value: n.value,
                value_max: None,
                kind: FigureKind::Ordinal,
                unit: Some(anchor.to_string()),
                unit_text: None,
                qualifier: None,
                direction: None,
            });
            drop_until_tok = n.t1;
            continue;
        }
        let Some(mut f) = figure_for(&cx, n) else {
            continue;
        };
        // Ranges: "10-15%", "between 10 and 15", "from 5 to 7 million".
        if k < nums.len() && f.value_max.is_none() {
            if let Some((g, consumed)) = try_range(&cx, &f, n, &nums[k]) {
                f = g;
                k += consumed;
            } else if news && is_score_or_date_pair(&cx, n, &nums[k]) {
                k += 1;
                drop_until_tok = nums[k - 1].t1;
                continue;
            }
        }
        if news && !keep_in_news(&cx, n, &f) {
            drop_until_tok = drop_until_tok.max(n.t1);
            continue;
        }
        drop_until_tok = drop_until_tok.max(f.tok1);
        figs.push(f.fig);
    }
    // Two-sided comparisons: "more than 10 and less than 20".
    merge_bounds(text, &mut figs);
    figs.retain(|f| f.start < f.end && f.end <= text.len());
    // Bare "percent"/"%" (no number) outside news mode: a percentage of unknown value.
    if !news {
        add_bare_percents(&cx, &mut figs);
    }
    figs.sort_by_key(|f| f.start);
    let mut out: Vec<Figure> = Vec::with_capacity(figs.len());
    for f in figs {
        if out.last().is_some_and(|p| f.start < p.end) {
            continue;
        }
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests;
