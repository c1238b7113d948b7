//! Figures: numeric facts in prose ("more than 26,600 civilians", "$1.2bn", "15%").
//!
//! Pure text → structure, no I/O. The work is done in three layers:
//!
//! 1. a tokenizer that keeps byte offsets and remembers whether a token is glued to
//!    the previous one (so "5m" and "5 m" can be told apart);
//! 2. a *number layer* that reads digits ("26,600", "1.2e6", "3/4"), spelled-out
//!    numbers ("three and a half", "a dozen"), ordinals ("21st", "twenty-fifth") and
//!    fractions ("two thirds");
//! 3. a *figure layer* that attaches what makes a number a fact: currency, percent,
//!    unit or counted noun, qualifier ("more than"), range ("10-15%") and direction
//!    ("rose"), and — with [`FigureOptions::news_filters`] — drops numbers that are
//!    really dates, times, years, names ("Apollo 11"), codes ("A380") or phone numbers.
//!
//! Everything is rule based and deliberately conservative: a missed figure costs
//! less than a wrong one in a table people query.

use super::lexicon::{
    ORDINAL_SUFFIXES, dozen_word, half_quarter, month_number_ignore_case, ordinal_word, scale_word, teen_word,
    tens_word, unit_word,
};

/// What a figure measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Byte offset of the mention's first byte in the text passed in.
    pub start: usize,
    /// Byte offset one past the mention's last byte. `text[start..end]` is the
    /// mention: qualifier, currency and percent words included, counted noun or unit
    /// word (other than percent/currency) excluded.
    pub end: usize,
    /// The value; for a range, its low end. Scales are applied ("$1.2bn" → 1.2e9).
    pub value: f64,
    /// For a range, its high end.
    pub value_max: Option<f64>,
    /// What the figure measures.
    pub kind: FigureKind,
    /// ISO 4217 code for money, "%" or "pp" for percents, a short unit symbol for
    /// quantities ("km", "years"), the counted noun for counts ("civilians").
    ///
    /// With `news_filters = false` only, relative ordinals ("last", "next") are
    /// returned as ordinals with unit "end" or "current" and the offset as value.
    pub unit: Option<String>,
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
            value: n.value,
            value_max: None,
            kind: if n.ordinal { FigureKind::Ordinal } else { FigureKind::Count },
            unit: None,
            qualifier: None,
            direction: None,
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TK {
    /// Letters only.
    Word,
    /// ASCII digits, with '.' or ',' only between digits.
    Num,
    /// Letters and digits mixed ("5m", "A380", "21st").
    Mixed,
    /// Any other single character.
    Punct,
}

#[derive(Debug, Clone)]
struct Tok<'a> {
    s: &'a str,
    lw: String,
    start: usize,
    end: usize,
    kind: TK,
    /// No white space between this token and the previous one.
    glued: bool,
    /// The white space before this token is exactly one space-like character
    /// (used for "1 234 567" digit grouping).
    single_space: bool,
}

fn is_vulgar(c: char) -> Option<f64> {
    Some(match c {
        '½' => 0.5,
        '⅓' => 1.0 / 3.0,
        '⅔' => 2.0 / 3.0,
        '¼' => 0.25,
        '¾' => 0.75,
        '⅕' => 0.2,
        '⅖' => 0.4,
        '⅗' => 0.6,
        '⅘' => 0.8,
        '⅙' => 1.0 / 6.0,
        '⅚' => 5.0 / 6.0,
        '⅛' => 0.125,
        '⅜' => 0.375,
        '⅝' => 0.625,
        '⅞' => 0.875,
        _ => return None,
    })
}

fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let cs: Vec<(usize, char)> = text.char_indices().collect();
    let n = cs.len();
    let pos = |i: usize| if i < n { cs[i].0 } else { text.len() };
    let mut toks = Vec::new();
    let mut i = 0;
    let mut ws_count = 0usize;
    let mut ws_plain = true;
    let mut first = true;
    while i < n {
        let c = cs[i].1;
        if c.is_whitespace() {
            ws_count += 1;
            if !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}') {
                ws_plain = false;
            }
            i += 1;
            continue;
        }
        let glued = ws_count == 0 && !first;
        let single_space = ws_count == 1 && ws_plain;
        ws_count = 0;
        ws_plain = true;
        first = false;
        let start_i = i;
        let kind;
        if (c.is_alphanumeric() && is_vulgar(c).is_none()) || c.is_ascii_digit() {
            let mut has_d = false;
            let mut has_l = false;
            while i < n {
                let ch = cs[i].1;
                if ch.is_ascii_digit() {
                    has_d = true;
                    i += 1;
                } else if ch.is_alphanumeric() && is_vulgar(ch).is_none() {
                    has_l = true;
                    i += 1;
                } else if (ch == '.' || ch == ',')
                    && i > start_i
                    && cs[i - 1].1.is_ascii_digit()
                    && i + 1 < n
                    && cs[i + 1].1.is_ascii_digit()
                {
                    i += 1;
                } else {
                    break;
                }
            }
            kind = match (has_d, has_l) {
                (true, false) => TK::Num,
                (false, _) => TK::Word,
                _ => TK::Mixed,
            };
        } else {
            i += 1;
            kind = TK::Punct;
        }
        let (s, e) = (pos(start_i), pos(i));
        let s_ = &text[s..e];
        toks.push(Tok { s: s_, lw: s_.to_lowercase(), start: s, end: e, kind, glued, single_space });
    }
    toks
}

// ---------------------------------------------------------------------------
// Number layer
// ---------------------------------------------------------------------------

/// One number as written, before it becomes a figure.
#[derive(Debug, Clone)]
struct Num {
    /// Token range `[t0, t1)`.
    t0: usize,
    t1: usize,
    start: usize,
    end: usize,
    value: f64,
    ordinal: bool,
    fraction: bool,
    /// Written with digits (at least partly).
    digits: bool,
    /// Only ASCII digits, no separators, no scale, no sign: candidates for years.
    plain_int: bool,
    /// A scale word or suffix was applied ("5m", "2 million").
    scaled: bool,
    /// A unit glued to the digits ("10km") — news mode only.
    glued_unit: Option<&'static str>,
    /// A pence suffix ("50p").
    pence: bool,
    /// Glued lowercase 'm' whose meaning (million or metre) depends on context.
    ambiguous_m: bool,
    /// A lone "one"/"a"/"an"/"half" etc. — weak evidence of a figure.
    weak: bool,
    /// Spelled with a capital letter mid-sentence ("BBC One").
    capitalised_word: bool,
    /// Qualifier supplied by the number itself ("hundreds of").
    own_qualifier: Option<&'static str>,
    /// Relative ordinal anchor ("end"/"current").
    rel: Option<&'static str>,
    /// Negative via explicit sign.
    signed: bool,
}

impl Num {
    fn new(t0: usize, t1: usize, start: usize, end: usize, value: f64) -> Self {
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

fn is_hyphen(s: &str) -> bool {
    matches!(s, "-" | "‐" | "‑")
}

fn is_dash(s: &str) -> bool {
    matches!(s, "-" | "–" | "—" | "‐" | "‑" | "−")
}

/// Reads a run of digits with separators; returns pieces `(start, end, value, plain)`
/// relative to `s`. Ambiguous runs ("192.168.1.2", "22,24,26") split into pieces.
fn interpret_digits(s: &str, loose: bool) -> Vec<(usize, usize, f64, bool)> {
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

/// Units glued to digits that news prose uses ("10km", "20kg", "5MW").
fn glued_unit(suffix: &str) -> Option<&'static str> {
    Some(match suffix {
        "km" | "kms" => "km",
        "m" => "m",
        "cm" => "cm",
        "mm" => "mm",
        "mi" => "mi",
        "ft" => "ft",
        "in" => "in",
        "kg" | "kgs" => "kg",
        "g" => "g",
        "lb" | "lbs" => "lb",
        "t" => "t",
        "mph" => "mph",
        "kph" | "kmh" => "km/h",
        "ml" => "ml",
        "l" => "l",
        "bbl" => "bbl",
        "ha" => "ha",
        "MW" | "mw" => "MW",
        "GW" | "gw" => "GW",
        "kW" | "kw" => "kW",
        "kWh" | "kwh" => "kWh",
        "GB" | "gb" => "GB",
        "MB" | "mb" => "MB",
        "TB" | "tb" => "TB",
        "C" => "°C",
        "F" => "°F",
        "mins" | "min" => "minutes",
        "hrs" | "hr" | "h" => "hours",
        "yr" | "yrs" => "years",
        "sec" | "secs" | "s_" => "seconds",
        _ => return None,
    })
}

/// True for a lower-case month name or abbreviation, trailing periods ignored
/// ("march", "sept.").
fn month_word(w: &str) -> bool {
    month_number_ignore_case(w.trim_end_matches('.')).is_some()
}

/// The number of words in the space-separated `phrase` if the lowercase forms
/// of the tokens from `i` are those words (and `accept` holds for each token).
/// Called for every token with long phrase lists, so nothing is allocated.
fn phrase_at(toks: &[Tok], i: usize, phrase: &str, accept: impl Fn(&Tok) -> bool) -> Option<usize> {
    // Most calls fail on the first word: reject those without splitting.
    let rest = phrase.strip_prefix(toks.get(i)?.lw.as_str())?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let mut matched = 0;
    for word in phrase.split(' ') {
        let tok = toks.get(i + matched)?;
        if tok.lw != word || !accept(tok) {
            return None;
        }
        matched += 1;
    }
    Some(matched)
}

struct Ctx<'a, 't> {
    text: &'a str,
    toks: &'t [Tok<'a>],
    news: bool,
    numview: bool,
}

impl<'a> Ctx<'a, '_> {
    fn w(&self, i: usize) -> &str {
        self.toks.get(i).map(|t| t.lw.as_str()).unwrap_or("")
    }
    fn is(&self, i: usize, s: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.lw == s)
    }
    fn kind(&self, i: usize) -> Option<TK> {
        self.toks.get(i).map(|t| t.kind)
    }
    fn glued(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.glued)
    }
    /// Next token index after word `i`, skipping a joining hyphen ("twenty-five",
    /// "fifty - two"). Returns `i + 1` when there is no hyphen.
    fn next_word(&self, i: usize) -> usize {
        let j = i + 1;
        if self.toks.get(j).is_some_and(|t| is_hyphen(t.s))
            && self.kind(j + 1) == Some(TK::Word)
            && (self.glued(j) == self.glued(j + 1))
        {
            j + 1
        } else {
            j
        }
    }
    fn start(&self, i: usize) -> usize {
        self.toks.get(i).map(|t| t.start).unwrap_or(self.text.len())
    }
    fn end(&self, i: usize) -> usize {
        if i == 0 {
            return 0;
        }
        self.toks.get(i - 1).map(|t| t.end).unwrap_or(self.text.len())
    }
}

/// Spans inside URLs, e-mail addresses and file paths: never figures.
fn url_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if c.is_whitespace() {
            let w = &text[s..i];
            if w.contains("://") || w.starts_with("www.") || (w.contains('@') && w.contains('.')) {
                out.push((s, i));
            }
            s = i + c.len_utf8();
        }
    }
    out
}

fn number_layer(text: &str, toks: &[Tok<'_>], news: bool, numview: bool) -> Vec<Num> {
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
fn parse_at(cx: &Ctx, i: usize) -> Option<Vec<Num>> {
    let t = &cx.toks[i];
    // Explicit signs.
    if matches!(t.s, "-" | "−" | "+") {
        let prev_ok = i == 0 || !t.glued || matches!(cx.toks[i - 1].s, "(" | "[" | "<" | ">" | "=" | "^" | ":" | "~");
        let prev_num = i > 0 && matches!(cx.toks[i - 1].kind, TK::Num | TK::Mixed) && !t.glued;
        let next_glued = cx.glued(i + 1);
        let spaced_ok = !cx.news && (i == 0 || (!prev_num && cx.toks[i - 1].kind == TK::Punct));
        let starts = matches!(cx.kind(i + 1), Some(TK::Num) | Some(TK::Mixed))
            || (cx.is(i + 1, ".") && cx.kind(i + 2) == Some(TK::Num) && cx.glued(i + 2));
        if prev_ok && !prev_num && starts && (next_glued || spaced_ok) {
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
            return Some(ns);
        }
        return None;
    }
    if matches!(t.lw.as_str(), "minus" | "negative") && cx.kind(i + 1).is_some() {
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
        TK::Punct => {
            // ".08"
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
                return Some(vec![n]);
            }
            None
        }
    }
}

/// A run of digit tokens, with what may follow: grouping by spaces, fractions,
/// exponents, scale words, mixed numbers.
fn parse_digits(cx: &Ctx, i: usize) -> Option<Vec<Num>> {
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
    let (_, _, mut value, plain) = pieces[0];
    let mut n = Num::new(i, i + 1, t.start, t.end, value);
    n.digits = true;
    n.plain_int = plain;
    let mut j = i + 1;
    // Digit grouping by single spaces: "1 234 567", "40 000" (not in news, where
    // "in 2004 300 people" would merge).
    if !cx.news && plain && t.s.len() <= 3 && !chain_left {
        let mut s = t.s.to_string();
        let mut k = j;
        while cx.kind(k) == Some(TK::Num)
            && cx.toks[k].single_space
            && cx.toks[k].s.len() == 3
            && cx.toks[k].s.bytes().all(|b| b.is_ascii_digit())
        {
            s.push_str(cx.toks[k].s);
            k += 1;
        }
        // a trailing decimal part glued to the last group: "1 234 567.89"
        if k > j {
            let last = &cx.toks[k - 1];
            let _ = last;
            value = s.parse().unwrap_or(value);
            n.value = value;
            n.end = cx.end(k);
            n.t1 = k;
            n.plain_int = false;
            j = k;
        } else if cx.kind(k) == Some(TK::Num)
            && cx.toks[k].single_space
            && cx.toks[k].s.len() > 3
            && cx.toks[k].s.contains('.')
        {
            // "1 234 567.89" where the last group carries the decimals
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
        if n.t1 > i + 1 {
            // continue grouping across several tokens handled above; "1 234 567.89"
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
            return Some(vec![n]);
        }
    }
    // Exponents: "1.1^23", "1.1^--23".
    if cx.is(j, "^") && cx.glued(j) {
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
            n.value = value.powf(e);
            n.t1 = k + 1;
            n.end = cx.toks[k].end;
            n.plain_int = false;
            return Some(vec![n]);
        }
    }
    // Fractions "3/4" and mixed numbers "2 1/4"; not inside longer chains.
    let frac_at = |k: usize| -> Option<(f64, usize)> {
        if cx.kind(k) == Some(TK::Num)
            && cx.is(k + 1, "/")
            && cx.glued(k + 1)
            && cx.kind(k + 2) == Some(TK::Num)
            && cx.glued(k + 2)
            && !(cx.glued(k + 3) && matches!(cx.w(k + 3), "/" | "-"))
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
    };
    if !cx.news {
        if let Some((f, k)) = frac_at(i) {
            n.value = f;
            n.fraction = true;
            n.plain_int = false;
            n.t1 = k;
            n.end = cx.end(k);
            return Some(vec![n]);
        }
        if plain
            && !chain_left
            && cx.kind(j) == Some(TK::Num)
            && !cx.glued(j)
            && let Some((f, k)) = frac_at(j)
            && f < 1.0
        {
            n.value = value + f;
            n.fraction = true;
            n.plain_int = false;
            n.t1 = k;
            n.end = cx.end(k);
            return Some(vec![n]);
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

/// Digits glued to letters: scales ("5m", "$3bn"), ordinals ("21st"), units
/// ("10km", news only), exponents ("1e10"); anything else is an identifier.
fn parse_mixed(cx: &Ctx, i: usize) -> Option<Num> {
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
    let value = pieces[0].2;
    let mut n = Num::new(i, i + 1, t.start, t.end, value);
    n.digits = true;
    let money_before = i > 0 && is_currency_symbol_tok(cx, i - 1);
    // exponent "1e10", "12.32e+14", "-12e-1", and "1.3x10^6"
    if let Some(rest) = suffix.strip_prefix(['e', 'E']) {
        if rest.is_empty() {
            let mut k = i + 1;
            let mut neg = false;
            if matches!(cx.w(k), "-" | "+") && cx.glued(k) {
                neg = cx.w(k) == "-";
                k += 1;
            }
            if cx.kind(k) == Some(TK::Num) && cx.glued(k) && k > i + 1 {
                let e: f64 = cx.toks[k].s.parse().ok()?;
                n.value = times_pow10(value, if neg { -e } else { e });
                n.t1 = k + 1;
                n.end = cx.toks[k].end;
                return Some(n);
            }
            return None;
        }
        if rest.bytes().all(|b| b.is_ascii_digit()) {
            let e: f64 = rest.parse().ok()?;
            n.value = times_pow10(value, e);
            return Some(n);
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
                let e: f64 = cx.toks[k].s.parse().ok()?;
                n.value = times_pow10(value, if neg { -e } else { e });
                n.t1 = k + 1;
                n.end = cx.toks[k].end;
                return Some(n);
            }
        }
        return None;
    }
    let ls = suffix.to_lowercase();
    if ORDINAL_SUFFIXES.contains(&ls.as_str()) {
        n.ordinal = true;
        return Some(n);
    }
    if cx.news {
        if ls == "m" {
            n.ambiguous_m = true;
            n.value = value;
            return Some(n);
        }
        // a bare glued "b" is a version or standard ("802.11b") unless money is near
        if ls == "b" && !money_before && currency_word(cx.w(i + 1)).is_none() {
            return None;
        }
        if matches!(ls.as_str(), "bn" | "b" | "mn" | "tn" | "trn" | "bln") {
            n.value = times(value, scale_suffix(&ls).unwrap_or(1.0));
            n.scaled = true;
            return Some(n);
        }
        if matches!(ls.as_str(), "k") && money_before {
            n.value = times(value, 1e3);
            n.scaled = true;
            return Some(n);
        }
        if ls == "p" {
            n.pence = true;
            return Some(n);
        }
        if let Some(u) = glued_unit(suffix) {
            n.glued_unit = Some(u);
            return Some(n);
        }
        return None;
    }
    if let Some(&(_, sc)) = SCALE_SUFFIXES.iter().find(|(w, _)| *w == suffix) {
        n.value = times(value, sc);
        n.scaled = true;
        return Some(n);
    }
    if money_before && matches!(ls.as_str(), "m" | "mm" | "bn" | "k") {
        n.value = times(value, scale_suffix(&ls).unwrap_or(1.0));
        n.scaled = true;
        return Some(n);
    }
    None
}

/// `v × s` done in decimal when `s` is a power of ten, so that "8.2 trillion" is
/// exactly `8.2e12` (the float product gives 8199999999999.999).
fn times(v: f64, s: f64) -> f64 {
    match format!("{s:e}").strip_prefix("1e").and_then(|k| k.parse::<i32>().ok()) {
        Some(k) => times_pow10(v, f64::from(k)),
        None => v * s,
    }
}

/// `v × 10^k`, exact to the decimal `v` was read from: the shortest decimal that
/// round-trips to `v` gets its exponent shifted, then is parsed once.
fn times_pow10(v: f64, k: f64) -> f64 {
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

fn scale_suffix(ls: &str) -> Option<f64> {
    Some(match ls {
        "k" => 1e3,
        "m" | "mm" | "mn" | "mil" => 1e6,
        "b" | "bn" | "bln" => 1e9,
        "t" | "tn" | "trn" | "tln" => 1e12,
        _ => return None,
    })
}

fn is_currency_symbol_tok(cx: &Ctx, i: usize) -> bool {
    cx.toks.get(i).is_some_and(|t| matches!(t.s, "$" | "£" | "€" | "¥" | "₹" | "₩" | "₽" | "₺"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Start,
    A,
    Unit,
    Teen,
    Tens,
    TensUnit,
    Hundred,
    Scale,
    Digit,
}

/// Spelled-out numbers (possibly starting with digits: "3 hundred and 21").
/// `allow_frac`: whether a fraction may follow ("and a half", "over three").
fn parse_words(cx: &Ctx, i: usize, allow_frac: bool) -> Option<Num> {
    let toks = cx.toks;
    let first = toks.get(i)?;
    let lw0 = first.lw.as_str();
    // "hundreds of", "tens of thousands of", "dozens of": a vague count.
    if !cx.numview {
        let vague: &[(&str, f64, &str)] = &[
            ("tens of thousands of", 1e4, "tens of thousands of"),
            ("hundreds of thousands of", 1e5, "hundreds of thousands of"),
            ("tens of millions of", 1e7, "tens of millions of"),
            ("hundreds of millions of", 1e8, "hundreds of millions of"),
            ("dozens of", 12.0, "dozens of"),
            ("scores of", 20.0, "scores of"),
            ("hundreds of", 100.0, "hundreds of"),
            ("thousands of", 1e3, "thousands of"),
            ("millions of", 1e6, "millions of"),
            ("billions of", 1e9, "billions of"),
        ];
        for &(p, v, q) in vague {
            if let Some(len) = phrase_at(toks, i, p, |_| true) {
                // the mention includes the final "of": it is part of the qualifier
                let t1 = i + len;
                let mut n = Num::new(i, t1, first.start, cx.end(t1), v);
                n.own_qualifier = Some(q);
                return Some(n);
            }
        }
    }
    let mut total = 0.0f64;
    let mut cur = 0.0f64;
    let mut last = Last::Start;
    let mut largest = 0.0f64;
    let mut last_atom = 0.0f64;
    let mut group_has_hundred = false;
    let mut started_digit = false;
    let mut tens_after_and = false;
    let mut before_tens = 0.0f64; // value before the last tens word
    let mut j = i;
    // last good state: (t1, value)
    let mut good: Option<(usize, f64)> = None;
    let mut and_checkpoint: Option<(usize, f64)> = None;
    let mut result_ordinal = false;
    let mut result_fraction = false;
    let mut numview_prefix: Option<(usize, f64)> = None;
    let mut any_scale = false;
    let mut words_only = true;
    let mut pending_and = false;

    // "half", "quarter" at the start: "half a dozen", "half a billion", "half million".
    if matches!(lw0, "half" | "quarter") && first.kind == TK::Word {
        let f = if lw0 == "half" { 0.5 } else { 0.25 };
        let mut k = i + 1;
        if cx.is(k, "a") {
            k += 1;
        }
        let w = cx.w(k);
        if dozen_word(w) && w == "dozen" {
            let mut n = Num::new(i, k + 1, first.start, cx.end(k + 1), f * 12.0);
            n.fraction = true;
            return Some(n);
        }
        if let Some(s) = scale_word(w, false) {
            let mut n = Num::new(i, k + 1, first.start, cx.end(k + 1), times(f, s));
            n.fraction = true;
            n.scaled = true;
            return Some(n);
        }
        if lw0 == "half" && !cx.is(i + 1, "-") {
            let mut n = Num::new(i, i + 1, first.start, first.end, 0.5);
            n.fraction = true;
            n.weak = true;
            return Some(n);
        }
        return None;
    }

    while let Some(t) = toks.get(j) {
        let w = t.lw.as_str();
        let next = cx.next_word(j);
        match t.kind {
            TK::Num if j == i || pending_and || matches!(last, Last::Scale | Last::Hundred) => {
                if !(j == i || started_digit || pending_and) {
                    break;
                }
                if j != i && !t.s.bytes().all(|b| b.is_ascii_digit()) {
                    break;
                }
                let pieces = interpret_digits(t.s, !cx.news);
                if pieces.len() != 1 {
                    break;
                }
                let v = pieces[0].2;
                if j != i && (v == 0.0 || v >= 1000.0) {
                    break;
                }
                if j == i {
                    started_digit = true;
                }
                cur += v;
                last_atom = v;
                last = Last::Digit;
                pending_and = false;
                words_only = false;
                j += 1;
            }
            TK::Word => {
                if w == "and" && last != Last::Start && last != Last::A {
                    if !allow_frac && !matches!(last, Last::Hundred | Last::Scale) {
                        break;
                    }
                    // "and a half", "and three quarters", "and two thirds"
                    if let Some((f, k, scale_after)) = and_fraction(cx, j + 1) {
                        let base = total + cur;
                        let v = if let Some(s) = scale_after {
                            if last == Last::Scale { base + times(f, s) } else { times(base + f, s) }
                        } else if last == Last::Scale && largest >= 1e6 {
                            base + f * largest
                        } else {
                            base + f
                        };
                        good = Some((k, v));
                        result_fraction = true;
                        break;
                    }
                    let nx = cx.w(j + 1);
                    let joinable =
                        matches!(last, Last::Hundred | Last::Scale) || (last == Last::Tens && unit_word(nx).is_some());
                    let nx_ok = unit_word(nx).is_some_and(|v| v > 0.0)
                        || teen_word(nx).is_some()
                        || tens_word(nx).is_some()
                        || (cx.kind(j + 1) == Some(TK::Num) && cx.toks[j + 1].s.bytes().all(|b| b.is_ascii_digit()));
                    if joinable && nx_ok && !pending_and {
                        and_checkpoint = good;
                        pending_and = true;
                        j += 1;
                        continue;
                    }
                    break;
                }
                let after_and = pending_and;
                pending_and = false;
                if w == "a" || w == "an" {
                    if last != Last::Start {
                        break;
                    }
                    last = Last::A;
                    cur = 1.0;
                    last_atom = 1.0;
                    j += 1;
                    continue;
                }
                if let Some(u) = unit_word(w) {
                    match last {
                        Last::Start | Last::Hundred | Last::Scale => {
                            if last == Last::Start && u == 0.0 {
                                // "zero", "nought": fine alone or before "point"
                            }
                            cur += u;
                            last = Last::Unit;
                        }
                        Last::Tens if u > 0.0 => {
                            cur += u;
                            last = Last::TensUnit;
                        }
                        _ => {
                            if after_and && let Some(cp) = and_checkpoint {
                                good = Some(cp);
                            }
                            break;
                        }
                    }
                    last_atom = u;
                    j = next;
                } else if let Some(v) = teen_word(w) {
                    if !matches!(last, Last::Start | Last::Hundred | Last::Scale) {
                        break;
                    }
                    cur += v;
                    last_atom = v;
                    last = Last::Teen;
                    j = next;
                } else if let Some(v) = tens_word(w) {
                    if !matches!(last, Last::Start | Last::Hundred | Last::Scale) {
                        break;
                    }
                    before_tens = total + cur;
                    tens_after_and = after_and;
                    cur += v;
                    last_atom = v;
                    last = Last::Tens;
                    j = next;
                } else if w == "hundred" || (w == "hundreds" && j > i) {
                    if !matches!(last, Last::A | Last::Unit | Last::Teen | Last::Tens | Last::TensUnit | Last::Digit)
                        || group_has_hundred
                        || (last == Last::Digit && cur >= 1000.0)
                    {
                        if after_and {
                            if let Some(cp) = and_checkpoint {
                                good = Some(cp);
                            }
                        } else if last == Last::Hundred || group_has_hundred {
                            // "3 hundred and 2 hundred": the second group starts anew
                            if let Some(cp) = and_checkpoint {
                                good = Some(cp);
                            }
                        }
                        break;
                    }
                    cur *= 100.0;
                    group_has_hundred = true;
                    last = Last::Hundred;
                    any_scale = true;
                    j = next;
                } else if let Some(s) = scale_word(w, started_digit) {
                    if matches!(last, Last::Start | Last::Scale) && !(last == Last::Scale && s > largest) {
                        break;
                    }
                    if s > largest {
                        total = times(total + cur, s);
                        largest = s;
                    } else {
                        total += times(cur, s);
                    }
                    cur = 0.0;
                    group_has_hundred = false;
                    last = Last::Scale;
                    any_scale = true;
                    j = next;
                } else if dozen_word(w) {
                    if !matches!(last, Last::A | Last::Unit | Last::Teen | Last::Tens | Last::TensUnit | Last::Digit) {
                        break;
                    }
                    cur = cur - last_atom + last_atom * 12.0;
                    any_scale = true;
                    j = next;
                    good = Some((j, total + cur));
                    break;
                } else if w == "point" && !matches!(last, Last::Start | Last::A) {
                    // "two hundred point zero three", "nought point eleven"
                    let mut k = j + 1;
                    let mut digits = String::new();
                    while let Some(u) = unit_word(cx.w(k)) {
                        digits.push(char::from(b'0' + u as u8));
                        k = cx.next_word(k);
                        if cx.kind(k) != Some(TK::Word) {
                            break;
                        }
                    }
                    if digits.is_empty() {
                        let w2 = cx.w(k).to_string();
                        if let Some(v) = teen_word(&w2) {
                            digits = format!("{}", v as u32);
                            k += 1;
                        } else if let Some(v) = tens_word(&w2) {
                            let k2 = cx.next_word(k);
                            if let Some(u) = unit_word(cx.w(k2)).filter(|u| *u > 0.0) {
                                digits = format!("{}", (v + u) as u32);
                                k = k2 + 1;
                            } else {
                                digits = format!("{}", v as u32);
                                k += 1;
                            }
                        }
                    }
                    if digits.is_empty() {
                        break;
                    }
                    let frac: f64 = format!("0.{digits}").parse().unwrap_or(0.0);
                    good = Some((k, total + cur + frac));
                    break;
                } else if let Some((ov, plural)) = ordinal_word(w).or_else(|| half_quarter(w)) {
                    let is_hq = half_quarter(w).is_some();
                    let one_num = (last == Last::A) || (last == Last::Unit && total == 0.0 && cur == 1.0 && j > i);
                    if plural
                        && !matches!(last, Last::Start | Last::A)
                        && !(started_digit && words_only && last == Last::Digit)
                    {
                        // a denominator: "two thirds", "one hundred thirty fifths"
                        if last == Last::Digit && !words_only {
                            break;
                        }
                        let (num, den) =
                            if last == Last::Tens && !tens_after_and && before_tens > 0.0 && ov < 10.0 && !is_hq {
                                (before_tens, (cur + total - before_tens) + ov)
                            } else {
                                (total + cur, ov)
                            };
                        if den == 0.0 {
                            break;
                        }
                        let mut k = j + 1;
                        let mut v = num / den;
                        // "two thirds of a million"
                        if cx.is(k, "of")
                            && cx.is(k + 1, "a")
                            && let Some(s) = scale_word(cx.w(k + 2), false)
                        {
                            v = times(v, s);
                            k += 3;
                        }
                        good = Some((k, v));
                        result_fraction = true;
                        break;
                    }
                    // news: "a third term" is an ordinal, "a third of voters" a fraction
                    let ordinal_reading = cx.news && last == Last::A && !is_hq && ov < 100.0 && !cx.is(j + 1, "of");
                    if !plural && one_num && (ov > 1.0 || is_hq) && !ordinal_reading {
                        // "one eighth", "a hundredth", "a trillionth", "a half"
                        good = Some((j + 1, 1.0 / ov));
                        result_fraction = true;
                        break;
                    }
                    if plural || is_hq {
                        break;
                    }
                    // an ordinal finishing the number: "twenty-fifth", "two hundredth"
                    let valid = match last {
                        Last::Start => true,
                        Last::Tens => ov < 10.0,
                        Last::Hundred | Last::Scale => ov < 100.0 || ov > largest.max(100.0),
                        Last::Unit | Last::Teen | Last::TensUnit | Last::A => ov >= 100.0,
                        Last::Digit => false,
                    };
                    if !valid {
                        break;
                    }
                    let v = if ov >= 100.0 && last != Last::Start {
                        if ov == 100.0 { total + cur * 100.0 } else { (total + cur) * ov }
                    } else {
                        total + cur + ov
                    };
                    if cx.numview && ov >= 100.0 && last != Last::Start {
                        numview_prefix = good;
                    }
                    good = Some((j + 1, v));
                    result_ordinal = true;
                    break;
                } else {
                    if after_and && let Some(cp) = and_checkpoint {
                        good = Some(cp);
                    }
                    break;
                }
            }
            _ => break,
        }
        if matches!(last, Last::A) {
            continue;
        }
        good = Some((j, total + cur));
    }
    if let Some(p) = numview_prefix {
        result_ordinal = false;
        good = Some(p);
    }
    if good.is_none() && matches!(lw0, "a" | "an") && allow_frac {
        good = Some((i + 1, 1.0));
    }
    let (mut t1, mut value) = good?;
    if pending_and
        && !result_fraction
        && !result_ordinal
        && let Some((k, v)) = and_checkpoint
    {
        t1 = k;
        value = v;
    }
    if t1 <= i {
        return None;
    }
    // trim a trailing hyphen token that next_word skipped over
    while t1 > i + 1 && is_hyphen(toks[t1 - 1].s) {
        t1 -= 1;
    }
    let mut n = Num::new(i, t1, first.start, cx.end(t1), value);
    n.ordinal = result_ordinal;
    n.fraction = result_fraction;
    n.digits = started_digit;
    n.scaled = any_scale && started_digit;
    let single = t1 == i + 1;
    // "one over three", "1 in twenty-one", "two out of five hundred"
    if allow_frac && !result_fraction && !result_ordinal {
        let k = t1;
        let (conn, kk) = if cx.is(k, "over") {
            ("over", k + 1)
        } else if cx.is(k, "out") && cx.is(k + 1, "of") {
            ("out of", k + 2)
        } else if cx.is(k, "in") {
            ("in", k + 1)
        } else {
            ("", k)
        };
        if !(conn.is_empty() || conn == "over" && cx.news) {
            let currency_before = i > 0 && is_currency_symbol_tok(cx, i - 1);
            let den = if cx.kind(kk) == Some(TK::Num) {
                let p = interpret_digits(cx.toks[kk].s, false);
                if p.len() == 1 && !cx.glued(kk + 1) { Some((kk + 1, p[0].2)) } else { None }
            } else {
                parse_words(cx, kk, false)
                    .and_then(|d| if d.ordinal || d.fraction { None } else { Some((d.t1, d.value)) })
            };
            if let Some((dt1, dv)) = den {
                let followed_by_word =
                    cx.kind(dt1) == Some(TK::Word) && !matches!(cx.w(dt1), "and" | "or" | "is" | "are" | "of");
                let ok = dv != 0.0
                    && match conn {
                        "over" => !currency_before && !followed_by_word,
                        _ => value < dv && (conn != "in" || dv < 1000.0 || !started_digit),
                    };
                if ok {
                    n.value = value / dv;
                    n.fraction = true;
                    n.t1 = dt1;
                    n.end = cx.end(dt1);
                    n.weak = false;
                }
            }
        }
    }
    // "three twenty-firsts", "one twenty-fifth", "twenty twenty fifths"
    if allow_frac
        && !result_fraction
        && !result_ordinal
        && !started_digit
        && n.t1 == t1
        && let Some((dv, plural, dt1)) = ordinal_phrase(cx, t1)
        && dv > 1.0
        && !(cx.news && matches!(lw0, "a" | "an") && !cx.is(dt1, "of"))
        && ((plural && value != 1.0) || (!plural && value == 1.0 && single))
    {
        n.value = value / dv;
        n.fraction = true;
        n.t1 = dt1;
        n.end = cx.end(dt1);
        n.weak = false;
    }
    if started_digit && single && !n.fraction {
        // plain digits: let parse_digits handle them
        return None;
    }
    if n.t1 == i + 1 && matches!(lw0, "one" | "a" | "an") {
        n.weak = true;
        // "the one you mentioned", "which one": pronoun, not a number
        if i > 0
            && matches!(
                toks[i - 1].lw.as_str(),
                "the"
                    | "this"
                    | "that"
                    | "which"
                    | "each"
                    | "every"
                    | "any"
                    | "no"
                    | "another"
                    | "what"
                    | "whichever"
                    | "some"
                    | "someone"
                    | "last"
                    | "next"
            )
        {
            return None;
        }
        if lw0 != "one" {
            return None;
        }
    }
    if !started_digit
        && first.s.chars().next().is_some_and(|c| c.is_uppercase())
        && i > 0
        && !matches!(toks[i - 1].s, "." | "\"" | "“" | "‘" | "'" | "(" | "!" | "?" | ":" | "—")
    {
        n.capitalised_word = true;
    }
    Some(n)
}

/// A spelled ordinal, possibly compound ("twenty-first", "one hundred and fifth"),
/// starting at token `k`: (value, plural, end token).
fn ordinal_phrase(cx: &Ctx, k: usize) -> Option<(f64, bool, usize)> {
    let (mut total, mut cur) = (0.0f64, 0.0f64);
    let mut j = k;
    for _ in 0..12 {
        let w = cx.w(j);
        if cx.kind(j) != Some(TK::Word) {
            return None;
        }
        if let Some((ov, plural)) = ordinal_word(w) {
            let v = if ov >= 100.0 && (total + cur) > 0.0 {
                if ov == 100.0 { total + cur * 100.0 } else { (total + cur) * ov }
            } else {
                total + cur + ov
            };
            return Some((v, plural, j + 1));
        }
        if let Some(v) = unit_word(w).or_else(|| teen_word(w)).or_else(|| tens_word(w)) {
            cur += v;
        } else if w == "hundred" {
            cur = cur.max(1.0) * 100.0;
        } else if let Some(s) = scale_word(w, false) {
            total += times(cur.max(1.0), s);
            cur = 0.0;
        } else if w != "and" || j == k {
            return None;
        }
        j = cx.next_word(j);
    }
    None
}

/// "a half", "one half", "a quarter", "three quarters", "two thirds", "one fourth",
/// "fifty-four hundredths" after "and"; returns (value, end token, scale word after).
fn and_fraction(cx: &Ctx, k: usize) -> Option<(f64, usize, Option<f64>)> {
    let w = cx.w(k);
    let (num, k2) = if matches!(w, "a" | "an") {
        (1.0, cx.next_word(k))
    } else if let Some(u) = unit_word(w).filter(|v| *v > 0.0) {
        (u, cx.next_word(k))
    } else {
        // "fifty-four hundredths": only with a denominator of a hundred or more, since
        // "one hundred and thirty-two fifths" reads as 132/5
        let t = tens_word(w).or_else(|| teen_word(w))?;
        let k1 = cx.next_word(k);
        match unit_word(cx.w(k1)).filter(|v| *v > 0.0) {
            Some(u) if tens_word(w).is_some() => (t + u, cx.next_word(k1)),
            _ => (t, k1),
        }
    };
    let dw = cx.w(k2);
    let (den, plural) = half_quarter(dw).or_else(|| ordinal_word(dw))?;
    if (num == 1.0) == plural || den < 2.0 || (num >= 10.0 && den < 100.0) {
        return None;
    }
    let mut end = k2 + 1;
    let mut scale = None;
    if let Some(s) = scale_word(cx.w(end), false) {
        scale = Some(s);
        end += 1;
    }
    Some((num / den, end, scale))
}

// ---------------------------------------------------------------------------
// Figure layer
// ---------------------------------------------------------------------------

fn currency_code(word: &str) -> Option<&'static str> {
    Some(match word {
        "USD" => "USD",
        "GBP" => "GBP",
        "EUR" => "EUR",
        "JPY" => "JPY",
        "INR" => "INR",
        "CNY" | "RMB" => "CNY",
        "CHF" => "CHF",
        "AUD" => "AUD",
        "CAD" => "CAD",
        "HKD" => "HKD",
        "RUB" => "RUB",
        "SEK" => "SEK",
        "NOK" => "NOK",
        "DKK" => "DKK",
        "KRW" => "KRW",
        "BRL" => "BRL",
        "ZAR" => "ZAR",
        "NZD" => "NZD",
        "SGD" => "SGD",
        "MXN" => "MXN",
        "TRY" => "TRY",
        "IRR" => "IRR",
        _ => return None,
    })
}

fn currency_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "dollar" | "dollars" => "USD",
        "euro" | "euros" => "EUR",
        "pound" | "pounds" | "sterling" => "GBP",
        "pence" => "GBP",
        "rupee" | "rupees" => "INR",
        "yen" => "JPY",
        "yuan" | "renminbi" => "CNY",
        "rouble" | "roubles" | "ruble" | "rubles" => "RUB",
        "rial" | "rials" => "IRR",
        "franc" | "francs" => "CHF",
        "rupiah" => "IDR",
        "baht" => "THB",
        "rand" => "ZAR",
        "krona" | "kronor" => "SEK",
        "reais" => "BRL",
        "naira" => "NGN",
        "ringgit" => "MYR",
        "shekel" | "shekels" => "ILS",
        "zloty" | "zlotys" => "PLN",
        "forint" | "forints" => "HUF",
        _ => return None,
    })
}

/// A currency named with its country ("Australian dollars", "Hong Kong dollars",
/// "Danish kroner") starting at token `j`: (last token, ISO code). Known adjectives
/// with an unknown pairing give `None`, so that "Zimbabwe dollars" is not USD.
fn national_currency(cx: &Ctx, j: usize) -> Option<(usize, &'static str)> {
    let (adj, k) = match (cx.w(j), cx.w(j + 1)) {
        ("hong", "kong") | ("new", "zealand") | ("south", "african") | ("south", "korean") | ("sri", "lankan") => {
            (format!("{} {}", cx.w(j), cx.w(j + 1)), j + 2)
        }
        (a, _) => (a.to_string(), j + 1),
    };
    if cx.kind(k) != Some(TK::Word) {
        return None;
    }
    let cur = match cx.w(k) {
        "dollar" | "dollars" => "dollar",
        "franc" | "francs" => "franc",
        "rupee" | "rupees" => "rupee",
        "krone" | "kroner" => "krone",
        "krona" | "kronor" => "krona",
        "peso" | "pesos" => "peso",
        "riyal" | "riyals" | "rial" | "rials" => "riyal",
        "dinar" | "dinars" => "dinar",
        "lira" | "lire" => "lira",
        "pound" | "pounds" => "pound",
        "real" | "reais" => "real",
        "rouble" | "roubles" | "ruble" | "rubles" => "rouble",
        c @ ("yen" | "yuan" | "won" | "rand" | "rupiah" | "baht" | "ringgit" | "naira") => c,
        _ => return None,
    };
    let code = match (adj.as_str(), cur) {
        ("us" | "american", "dollar") => "USD",
        ("australian", "dollar") => "AUD",
        ("canadian", "dollar") => "CAD",
        ("hong kong", "dollar") => "HKD",
        ("new zealand", "dollar") => "NZD",
        ("singapore" | "singaporean", "dollar") => "SGD",
        ("taiwan" | "taiwanese", "dollar") => "TWD",
        ("swiss", "franc") => "CHF",
        ("french", "franc") => "FRF",
        ("belgian", "franc") => "BEF",
        ("indian", "rupee") => "INR",
        ("pakistani", "rupee") => "PKR",
        ("sri lankan", "rupee") => "LKR",
        ("nepalese", "rupee") => "NPR",
        ("danish", "krone") => "DKK",
        ("norwegian", "krone") => "NOK",
        ("swedish", "krona") => "SEK",
        ("icelandic", "krona") => "ISK",
        ("mexican", "peso") => "MXN",
        ("argentine" | "argentinian", "peso") => "ARS",
        ("philippine", "peso") => "PHP",
        ("chilean", "peso") => "CLP",
        ("colombian", "peso") => "COP",
        ("saudi", "riyal") => "SAR",
        ("qatari", "riyal") => "QAR",
        ("iranian", "riyal") => "IRR",
        ("iraqi", "dinar") => "IQD",
        ("kuwaiti", "dinar") => "KWD",
        ("jordanian", "dinar") => "JOD",
        ("turkish", "lira") => "TRY",
        ("italian", "lira") => "ITL",
        ("egyptian", "pound") => "EGP",
        ("lebanese", "pound") => "LBP",
        ("irish", "pound") => "IEP",
        ("brazilian", "real") => "BRL",
        ("south african", "rand") => "ZAR",
        ("japanese", "yen") => "JPY",
        ("chinese", "yuan") => "CNY",
        ("korean" | "south korean", "won") => "KRW",
        ("indonesian", "rupiah") => "IDR",
        ("thai", "baht") => "THB",
        ("malaysian", "ringgit") => "MYR",
        ("nigerian", "naira") => "NGN",
        ("russian", "rouble") => "RUB",
        _ => return None,
    };
    Some((k, code))
}

/// Unit words after a number, normalised.
fn unit_after(w: &str) -> Option<&'static str> {
    Some(match w {
        "km" | "kms" | "kilometre" | "kilometres" | "kilometer" | "kilometers" => "km",
        "mile" | "miles" => "mi",
        "metre" | "metres" | "meter" | "meters" => "m",
        "cm" | "centimetre" | "centimetres" | "centimeters" => "cm",
        "mm" | "millimetre" | "millimetres" | "millimeters" => "mm",
        "foot" | "feet" | "ft" => "ft",
        "inch" | "inches" => "in",
        "kg" | "kilo" | "kilos" | "kilogram" | "kilograms" | "kilogrammes" => "kg",
        "gram" | "grams" | "grammes" => "g",
        "tonne" | "tonnes" | "ton" | "tons" => "t",
        "lb" | "lbs" => "lb",
        "ounce" | "ounces" | "oz" => "oz",
        "barrel" | "barrels" | "bbl" => "bbl",
        "litre" | "litres" | "liter" | "liters" => "l",
        "gallon" | "gallons" => "gal",
        "degree" | "degrees" => "°",
        "hectare" | "hectares" | "ha" => "ha",
        "acre" | "acres" => "acre",
        "mw" | "megawatt" | "megawatts" => "MW",
        "gw" | "gigawatt" | "gigawatts" => "GW",
        "kw" | "kilowatt" | "kilowatts" => "kW",
        "mph" => "mph",
        "second" | "seconds" => "seconds",
        "minute" | "minutes" => "minutes",
        "hour" | "hours" => "hours",
        "day" | "days" => "days",
        "week" | "weeks" => "weeks",
        "month" | "months" => "months",
        "year" | "years" => "years",
        "decade" | "decades" => "decades",
        "century" | "centuries" => "centuries",
        "gb" | "gigabyte" | "gigabytes" => "GB",
        "mb" | "megabyte" | "megabytes" => "MB",
        "tb" | "terabyte" | "terabytes" => "TB",
        _ => return None,
    })
}

/// Plural nouns that do not end in 's'.
const IRREGULAR_PLURALS: &[&str] = &[
    "people",
    "men",
    "women",
    "children",
    "police",
    "staff",
    "personnel",
    "cattle",
    "sheep",
    "fish",
    "troops",
    "livestock",
    "aircraft",
    "feet",
    "teeth",
    "mice",
    "geese",
    "deer",
    "offspring",
    "crew",
    "youth",
    "clergy",
    "infantry",
];

/// Adjectives that sit between a number and its noun ("three more people").
const SKIP_ADJ: &[&str] = &[
    "more",
    "other",
    "new",
    "additional",
    "extra",
    "young",
    "old",
    "small",
    "large",
    "big",
    "major",
    "key",
    "senior",
    "junior",
    "former",
    "local",
    "foreign",
    "armed",
    "unarmed",
    "innocent",
    "top",
    "leading",
    "different",
    "separate",
    "main",
    "full",
    "further",
    "full-time",
    "part-time",
    "military",
    "civilian",
    "private",
    "public",
    "high",
    "low",
    "killed",
    "wounded",
    "injured",
    "so-called",
    "million",
    "billion",
    "thousand",
    "hundred",
    "of",
    "the",
    "last",
    "first",
    "consecutive",
    "straight",
    "successive",
    "previous",
];

/// Plural-looking words that are not counted nouns.
const NOT_NOUNS: &[&str] = &[
    "is",
    "was",
    "has",
    "as",
    "its",
    "this",
    "his",
    "hers",
    "us",
    "thus",
    "always",
    "perhaps",
    "yes",
    "plus",
    "across",
    "whereas",
    "besides",
    "does",
    "goes",
    "says",
    "sees",
    "towards",
    "afterwards",
    "nevertheless",
    "nonetheless",
    "less",
    "unless",
    "news",
    "series",
    "species",
    "ones",
    "lives",
    "times",
    "its",
    "theirs",
    "ours",
    "yours",
    "whose",
    "guess",
    "upwards",
    "downwards",
    "backwards",
    "forwards",
    "sometimes",
    "sides",
];

fn plausible_plural(w: &str) -> bool {
    if IRREGULAR_PLURALS.contains(&w) {
        return true;
    }
    // "servicemen", "gunmen", "policemen"
    if w.len() > 4 && w.ends_with("men") && w.chars().all(|c| c.is_ascii_lowercase()) {
        return true;
    }
    w.len() >= 3
        && w.ends_with('s')
        && w.chars().all(|c| c.is_ascii_lowercase())
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
        && !w.ends_with("ous")
        && !NOT_NOUNS.contains(&w)
}

/// Qualifiers before a number: (words, normalised form). Longest first.
const QUALIFIERS: &[(&str, &str)] = &[
    ("greater than or equal to", "at least"),
    ("more than or equal to", "at least"),
    ("bigger than or equal to", "at least"),
    ("larger than or equal to", "at least"),
    ("higher than or equal to", "at least"),
    ("less than or equal to", "at most"),
    ("smaller than or equal to", "at most"),
    ("lower than or equal to", "at most"),
    ("fewer than or equal to", "at most"),
    ("equal to or more than", "at least"),
    ("equal to or greater than", "at least"),
    ("equal to or less than", "at most"),
    ("equal to or fewer than", "at most"),
    ("bigger or equal than", "at least"),
    ("greater or equal than", "at least"),
    ("larger or equal than", "at least"),
    ("higher or equal than", "at least"),
    ("more or equal than", "at least"),
    ("bigger or equal to", "at least"),
    ("greater or equal to", "at least"),
    ("higher or equal to", "at least"),
    ("less or equal than", "at most"),
    ("smaller or equal than", "at most"),
    ("lower or equal than", "at most"),
    ("less or equal to", "at most"),
    ("smaller or equal to", "at most"),
    ("lower or equal to", "at most"),
    ("at least or equal to", "at least"),
    ("at most or equal to", "at most"),
    ("no less than", "at least"),
    ("not less than", "at least"),
    ("no fewer than", "at least"),
    ("not fewer than", "at least"),
    ("no more than", "at most"),
    ("not more than", "at most"),
    ("no greater than", "at most"),
    ("as many as", "as many as"),
    ("as much as", "as much as"),
    ("as few as", "as few as"),
    ("as little as", "as little as"),
    ("just over", "just over"),
    ("just under", "just under"),
    ("just below", "just under"),
    ("just above", "just over"),
    ("well over", "well over"),
    ("well above", "well over"),
    ("well below", "well under"),
    ("well under", "well under"),
    ("more than", "more than"),
    ("greater than", "more than"),
    ("larger than", "more than"),
    ("bigger than", "more than"),
    ("higher than", "more than"),
    ("less than", "less than"),
    ("fewer than", "fewer than"),
    ("smaller than", "less than"),
    ("lower than", "less than"),
    ("at least", "at least"),
    ("at most", "at most"),
    ("up to", "up to"),
    ("close to", "close to"),
    ("an estimated", "an estimated"),
    ("equals to", "equal to"),
    ("equal to", "equal to"),
    ("equaling to", "equal to"),
    ("equalling to", "equal to"),
    ("equaling", "equal to"),
    ("equals", "equal to"),
    ("nearly", "nearly"),
    ("almost", "almost"),
    ("about", "about"),
    ("around", "around"),
    ("approximately", "approximately"),
    ("approx", "approximately"),
    ("roughly", "roughly"),
    ("some", "some"),
    ("over", "over"),
    ("under", "under"),
    ("below", "below"),
    ("above", "above"),
    ("exceeding", "more than"),
    ("exceeds", "more than"),
    ("exceed", "more than"),
    ("surpassing", "more than"),
    ("surpasses", "more than"),
    ("surpass", "more than"),
    ("estimated", "an estimated"),
    ("only", "only"),
    ("just", "just"),
    ("exactly", "exactly"),
];

/// Comparison qualifiers (bounds), as opposed to approximations.
fn is_lower_bound(q: &str) -> bool {
    matches!(q, "more than" | "over" | "above" | "at least" | "just over" | "well over")
}
fn is_upper_bound(q: &str) -> bool {
    matches!(q, "less than" | "fewer than" | "under" | "below" | "at most" | "up to" | "just under" | "well under")
}

const UP_WORDS: &[&str] = &[
    "rose",
    "rise",
    "rises",
    "rising",
    "risen",
    "up",
    "increased",
    "increase",
    "increases",
    "increasing",
    "gained",
    "gain",
    "gains",
    "grew",
    "grow",
    "grows",
    "growing",
    "grown",
    "jumped",
    "jump",
    "jumps",
    "climbed",
    "climb",
    "climbs",
    "soared",
    "soar",
    "surged",
    "surge",
    "surges",
    "higher",
    "boosted",
    "raised",
    "raise",
    "doubled",
    "tripled",
    "rebounded",
    "advanced",
    "added",
    "expanded",
];
const DOWN_WORDS: &[&str] = &[
    "fell",
    "fall",
    "falls",
    "falling",
    "fallen",
    "down",
    "dropped",
    "drop",
    "drops",
    "declined",
    "decline",
    "declines",
    "cut",
    "cuts",
    "cutting",
    "lost",
    "lose",
    "loses",
    "slumped",
    "slump",
    "decreased",
    "decrease",
    "decreases",
    "plunged",
    "plunge",
    "tumbled",
    "slid",
    "slipped",
    "lower",
    "shed",
    "sheds",
    "reduced",
    "reduce",
    "shrank",
    "shrunk",
    "contracted",
    "halved",
    "eased",
    "sank",
    "dipped",
    "axed",
    "axe",
];

/// Capitalised words that may stand right before a number without making it a name.
const CAP_OK: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "of",
    "to",
    "with",
    "about",
    "around",
    "over",
    "under",
    "nearly",
    "almost",
    "some",
    "more",
    "less",
    "fewer",
    "just",
    "only",
    "up",
    "down",
    "between",
    "and",
    "but",
    "or",
    "since",
    "after",
    "before",
    "until",
    "than",
    "another",
    "all",
    "its",
    "his",
    "her",
    "their",
    "our",
    "your",
    "my",
    "these",
    "those",
    "this",
    "that",
    "roughly",
    "approximately",
    "estimated",
    "exactly",
    "each",
    "every",
    "total",
    "aged",
    "age",
    "ages",
    "almost",
    "another",
    "if",
    "when",
    "while",
    "as",
    "are",
    "were",
    "was",
    "is",
    "be",
    "been",
    "so",
    "then",
    "there",
    "here",
    "also",
    "rose",
    "fell",
    "we",
    "they",
    "he",
    "she",
    "it",
    "i",
    "you",
    "not",
    "per",
    "paid",
    "cost",
    "costs",
    "worth",
    "sold",
    "bought",
    "raised",
    "spent",
    "earned",
    "won",
    "lost",
    "usd",
    "gbp",
    "eur",
    "jpy",
    "inr",
    "us",
    "uk",
    "eu",
    "both",
    "nearly",
    "top",
    "first",
    "last",
    "next",
    "within",
    "into",
    "among",
    "against",
    "toward",
    "towards",
    "during",
    "through",
    "across",
    "where",
    "who",
    "what",
    "how",
    "why",
    "which",
    "whose",
    "whom",
    "level",
    "levels",
    "bbc",
    "un",
];

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
                value: n.value,
                value_max: None,
                kind: FigureKind::Ordinal,
                unit: Some(anchor.to_string()),
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
            if let Some((g, consumed)) = try_range(&cx, &f, n, &nums[k], nums.get(k + 1)) {
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

/// A figure in the making, with its token extent.
struct FigB {
    fig: Figure,
    tok0: usize,
    tok1: usize,
    /// Token index where the number itself starts (after currency prefix).
    num_t0: usize,
    /// Whether a currency, percent or unit was attached.
    has_unit: bool,
    /// Mention start without qualifier (for merging).
    bare_start: usize,
    /// Currency symbol glued before the number.
    prefix_currency: bool,
    percent: bool,
    scaled: bool,
}

impl std::ops::Deref for FigB {
    type Target = Figure;
    fn deref(&self) -> &Figure {
        &self.fig
    }
}

/// Currency prefix ending at token `i - 1`: returns (first token, ISO code).
fn currency_prefix(cx: &Ctx, i: usize) -> Option<(usize, &'static str)> {
    if i == 0 {
        return None;
    }
    let p = i - 1;
    let t = &cx.toks[p];
    let sym = match t.s {
        "$" => "USD",
        "£" => "GBP",
        "€" => "EUR",
        "¥" => "JPY",
        "₹" => "INR",
        "₩" => "KRW",
        "₽" => "RUB",
        "₺" => "TRY",
        _ => {
            if let Some(c) = currency_code(t.s) {
                return Some((p, c));
            }
            if matches!(t.s, "Rs" | "Rs.") {
                return Some((p, "INR"));
            }
            if t.s == "." && p > 0 && cx.toks[p - 1].s == "Rs" {
                return Some((p - 1, "INR"));
            }
            return None;
        }
    };
    if t.s == "$" && p > 0 && cx.toks[p].glued {
        let code = match cx.toks[p - 1].s {
            "US" => Some("USD"),
            "A" | "AU" => Some("AUD"),
            "C" | "CA" => Some("CAD"),
            "HK" => Some("HKD"),
            "NZ" => Some("NZD"),
            "S" => Some("SGD"),
            "R" => Some("BRL"),
            _ => None,
        };
        if let Some(c) = code {
            return Some((p - 1, c));
        }
    }
    Some((p, sym))
}

/// Builds the figure for one number: prefix currency, suffixes, qualifier, direction.
fn figure_for(cx: &Ctx, n: &Num) -> Option<FigB> {
    let toks = cx.toks;
    let mut start = n.start;
    let mut tok0 = n.t0;
    let mut end = n.end;
    let mut j = n.t1;
    let mut value = n.value;
    let mut kind = if n.ordinal { FigureKind::Ordinal } else { FigureKind::Count };
    let mut unit: Option<String> = None;
    let mut has_unit = false;
    let mut prefix_currency = false;
    let mut percent = false;
    let mut scaled = n.scaled;
    // currency before: "$1.2bn", "US$ 1MM", "USD 5", "£250,000"
    if !n.ordinal
        && let Some((p, code)) = currency_prefix(cx, n.t0)
    {
        let close = toks[n.t0].glued || toks[n.t0].single_space;
        if close {
            start = toks[p].start;
            tok0 = p;
            kind = FigureKind::Money;
            unit = Some(code.to_string());
            has_unit = true;
            prefix_currency = true;
        }
    }
    // glued 'm': million with money or a counted noun after, otherwise metres
    if n.ambiguous_m {
        let nx = cx.w(j);
        // "100m", "400m", "1500m": race distances are metres
        let race = !prefix_currency
            && [60.0, 100.0, 110.0, 200.0, 400.0, 800.0, 1500.0, 3000.0, 5000.0, 10000.0].contains(&value);
        let hyphen_currency = is_hyphen(nx) && cx.glued(j) && cx.glued(j + 1) && currency_word(cx.w(j + 1)).is_some();
        let million = prefix_currency
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
            value = times(value, 1e6);
            scaled = true;
        } else {
            kind = FigureKind::Quantity;
            unit = Some("m".into());
            has_unit = true;
        }
    }
    if let Some(u) = n.glued_unit {
        kind = FigureKind::Quantity;
        unit = Some(u.to_string());
        has_unit = true;
    }
    if n.pence {
        kind = FigureKind::Money;
        unit = Some("GBP".into());
        value /= 100.0;
        has_unit = true;
    }
    if !has_unit && !n.ordinal {
        // news-style glued scale after spaced digits: "£5 m" is rare; scale words handled earlier.
        // percent
        let w = cx.w(j);
        if w == "%" || w == "٪" {
            end = toks[j].end;
            j += 1;
            percent = true;
        } else if w == "per" && cx.is(j + 1, "cent") {
            end = toks[j + 1].end;
            j += 2;
            percent = true;
        } else if matches!(w, "percent" | "percents" | "percentage" | "pct") {
            end = toks[j].end;
            j += 1;
            percent = true;
        } else if matches!(w, "pp" | "ppt" | "ppts") {
            end = toks[j].end;
            j += 1;
            kind = FigureKind::Percent;
            unit = Some("pp".into());
            has_unit = true;
        }
        if percent {
            kind = FigureKind::Percent;
            unit = Some("%".into());
            has_unit = true;
            if cx.w(j) == "point" || cx.w(j) == "points" {
                // "percentage points"
                if toks[j - 1].lw == "percentage" {
                    end = toks[j].end;
                    j += 1;
                    unit = Some("pp".into());
                }
            }
        }
    }
    if !has_unit && !n.ordinal {
        // currency after: "5 million euros", "100 US dollars", "50 USD"
        let (k, w) = if cx.is(j, "us") && currency_word(cx.w(j + 1)) == Some("USD") {
            (j + 1, cx.w(j + 1).to_string())
        } else {
            (j, cx.w(j).to_string())
        };
        let mut code = currency_word(&w).or_else(|| currency_code(toks.get(k).map(|t| t.s).unwrap_or("")));
        // "won" is mostly the verb ("Halo 2 won"): the currency only after a large amount
        if w == "won" && (n.scaled || n.ambiguous_m || (!n.plain_int && value >= 1000.0)) {
            code = Some("KRW");
        }
        let mut k = k;
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
            end = toks[k].end;
            j = k + 1;
            kind = FigureKind::Money;
            if w == "pence" {
                value /= 100.0;
            }
            unit = Some(c.to_string());
            has_unit = true;
        }
    }
    let mut quantity_end_excluded = false;
    if !has_unit && !n.ordinal {
        // units: "10 km", "3 days", "20-year-old", "a five-year deal"
        let (k, hyph) = if is_hyphen(cx.w(j)) && cx.glued(j) && cx.glued(j + 1) { (j + 1, true) } else { (j, false) };
        if let Some(t) = toks.get(k)
            && (t.kind == TK::Word || (t.kind == TK::Punct && t.s == "°"))
        {
            let mut w = t.lw.as_str();
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
                if u == "years" && (hyph || cx.is(k + 1, "old")) {
                    // "20-year-old", "20 years old"
                }
                kind = FigureKind::Quantity;
                unit = Some(u.to_string());
                has_unit = true;
                quantity_end_excluded = true;
            }
        }
    }
    // ages: "Mr Mubanga, 29, from", "aged 72", "at the age of 80"
    if !has_unit && kind == FigureKind::Count && cx.news && n.plain_int && n.value <= 120.0 && n.value >= 1.0 {
        let p1 = if n.t0 > 0 { toks[n.t0 - 1].lw.as_str() } else { "" };
        let p2 = if n.t0 > 1 { toks[n.t0 - 2].s } else { "" };
        let after_comma = p1 == ","
            && p2.chars().next().is_some_and(char::is_uppercase)
            && (matches!(cx.w(j), "," | "-" | "–" | ")" | "and") || j >= toks.len());
        let aged = p1 == "aged" || (p1 == "of" && n.t0 > 1 && toks[n.t0 - 2].lw == "age");
        if after_comma || aged {
            kind = FigureKind::Quantity;
            unit = Some("years".into());
            has_unit = true;
        }
    }
    if !has_unit && kind == FigureKind::Count {
        // the counted noun
        unit = counted_noun(cx, j, n.value);
    }
    let _ = quantity_end_excluded;
    if kind == FigureKind::Count && cx.news && n.fraction {
        // fractions stay counts ("two thirds of voters")
    }
    if scaled && kind == FigureKind::Count && unit.is_none() {
        // "5 million" alone stays a count
    }
    // qualifier before the mention
    let mut qualifier: Option<String> = n.own_qualifier.map(str::to_string);
    let mut q_start = start;
    let mut q_tok = tok0;
    // news ordinals take no qualifier: "a win over seventh seed"
    if qualifier.is_none()
        && !(cx.news && n.ordinal)
        && let Some((qt, q)) = match_qualifier(cx, tok0, n.ordinal)
    {
        q_start = toks[qt].start;
        q_tok = qt;
        qualifier = Some(q.to_string());
    }
    let direction = direction_before(cx, q_tok);
    // "25.6 km/h"
    if unit.as_deref() == Some("km") && cx.is(j + 1, "/") && cx.is(j + 2, "h") && cx.glued(j + 1) && cx.glued(j + 2) {
        unit = Some("km/h".into());
    }
    let fig = Figure { start: q_start, end, value, value_max: None, kind, unit, qualifier, direction };
    Some(FigB {
        fig,
        tok0: q_tok,
        tok1: j.max(n.t1),
        num_t0: tok0,
        has_unit,
        bare_start: start,
        prefix_currency,
        percent,
        scaled,
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
        let w = t.lw.as_str();
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

/// A qualifier ending right before token `t0`; returns (first token, normalised).
fn match_qualifier(cx: &Ctx, t0: usize, ordinal: bool) -> Option<(usize, &'static str)> {
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
            let verb = if s > 0 { toks[s - 1].lw.as_str() } else { "" };
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

/// Verbs that take "up" as a particle ("added up to", "set up", "went up"), so that
/// "<verb> up N" is no direction and "<verb> up to N" mostly no qualifier "up to".
/// `Some(true)` when "<verb> up" means a rise ("went up to 5%", "ended up 3%").
fn phrasal_up(verb: &str) -> Option<bool> {
    Some(match verb {
        "went" | "go" | "goes" | "going" | "gone" | "ended" | "end" | "ends" | "ending" | "closed" | "finished"
        | "moved" | "shot" | "pushed" | "push" | "pushes" | "pushing" | "put" | "puts" | "putting" | "edged"
        | "ticked" | "ratcheted" | "ramped" | "bumped" | "hiked" => true,
        "add" | "added" | "adds" | "adding" | "sum" | "summed" | "sums" | "summing" | "tot" | "totted" | "totting"
        | "set" | "sets" | "setting" | "made" | "make" | "makes" | "making" | "built" | "build" | "builds"
        | "building" | "came" | "come" | "comes" | "coming" | "signed" | "sign" | "signs" | "signing" | "stacked"
        | "stack" | "stacks" | "shaped" | "lived" | "live" | "lives" | "living" | "owned" | "own" | "owns"
        | "owning" | "opened" | "summoned" | "drummed" | "drew" | "drawn" | "draw" | "dreamed" | "dreamt"
        | "cooked" | "served" | "rounded" | "round" | "rounds" | "rounding" | "tied" | "teamed" | "linked"
        | "picked" | "pick" | "picks" | "picking" | "wound" => false,
        _ => return None,
    })
}

fn direction_before(cx: &Ctx, t0: usize) -> Option<Direction> {
    let lo = t0.saturating_sub(4);
    for k in (lo..t0).rev() {
        let t = &cx.toks[k];
        if t.kind == TK::Num || t.kind == TK::Mixed || matches!(t.s, "." | ";" | ":" | "?" | "!") {
            return None;
        }
        let w = t.lw.as_str();
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

/// Joins `f` (built from `n`) with the next number into a range, if they form one.
/// Returns the new figure and how many extra numbers were consumed.
fn try_range(cx: &Ctx, f: &FigB, n: &Num, m: &Num, _m2: Option<&Num>) -> Option<(FigB, usize)> {
    let toks = cx.toks;
    if n.ordinal != m.ordinal || n.rel.is_some() || m.rel.is_some() {
        return None;
    }
    // connector between the end of f's number (and its suffix) and m (or m's currency)
    // "between the tenth and the fifteenth"
    let lead = if n.ordinal && f.tok0 > 1 && toks[f.tok0 - 1].lw == "the" { f.tok0 - 1 } else { f.tok0 };
    let between = f.qualifier.as_deref().is_none() && lead > 0 && toks[lead - 1].lw == "between";
    let from = f.qualifier.is_none() && lead > 0 && toks[lead - 1].lw == "from";
    let mut j = f.tok1;
    let conn = cx.w(j).to_string();
    let dash = is_dash(&conn);
    let ok_conn = match conn.as_str() {
        "and" => between,
        // "between 10% to 15%"
        "to" if between => true,
        "to" => true,
        "~" => !cx.news,
        "through" | "thru" => true,
        _ => dash,
    };
    if !ok_conn {
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
    if m_start_tok != j {
        return None;
    }
    if dash {
        // phone numbers and dates: "1-222-2222", "2023-10-07", "+1-222"
        if cx.glued(m.t1) && matches!(cx.w(m.t1), "-" | "/" | "–") {
            return None;
        }
        if n.t0 > 0 && toks[n.t0].glued && matches!(toks[n.t0 - 1].s, "-" | "+" | "/") && !n.signed {
            return None;
        }
        if m.signed {
            return None;
        }
    }
    // "to" ranges need "from", or a shared unit/noun, or numbers that look like amounts
    let g = figure_for(cx, m)?;
    if g.qualifier.is_some() && !matches!(g.qualifier.as_deref(), Some("up to")) {
        return None;
    }
    if conn == "to" && !from && cx.news {
        // "rose 5% to 7%" is a change, not a range; "10 to 15 people" is a range
        if f.fig.direction.is_some() || f.has_unit && g.has_unit && f.percent {
            return None;
        }
    }
    if conn == "to" && !from && !cx.news {
        return None;
    }
    let mut lo = f.value;
    let hi = g.value;
    // share the scale: "from 5 to 7 million", "5-7bn"
    if !n.scaled && !n.fraction && (m.scaled || g.scaled) && !f.prefix_currency_scaled() {
        let scale = scale_of(m, g.value);
        if scale > 1.0 && lo * scale <= hi {
            lo = times(lo, scale);
        }
    }
    if f.fig.kind == FigureKind::Money && g.fig.kind == FigureKind::Money && f.scaled != g.scaled {
        // "$5m-7m" handled above; nothing else
    }
    if lo >= hi {
        return None;
    }
    let mut out = FigB {
        fig: Figure {
            start: if between || from { toks[lead - 1].start } else { f.start },
            end: g.end,
            value: lo,
            value_max: Some(hi),
            kind: f.kind,
            unit: f.unit.clone(),
            qualifier: f.qualifier.clone(),
            direction: f.direction,
        },
        tok0: if between || from { lead - 1 } else { f.tok0 },
        tok1: g.tok1,
        num_t0: f.num_t0,
        has_unit: f.has_unit || g.has_unit,
        bare_start: f.bare_start,
        prefix_currency: f.prefix_currency,
        percent: f.percent || g.percent,
        scaled: f.scaled || g.scaled,
    };
    // the second half's unit wins when the first has none ("10-15%", "5 to 7 million euros")
    if (!f.has_unit || f.kind == FigureKind::Count) && g.has_unit {
        out.fig.kind = g.kind;
        out.fig.unit = g.unit.clone();
    } else if f.kind == FigureKind::Count && g.kind == FigureKind::Count && f.unit.is_none() {
        out.fig.unit = g.unit.clone();
    }
    if f.kind != g.kind && f.has_unit && g.has_unit {
        return None;
    }
    if cx.news && out.fig.kind == FigureKind::Count && out.fig.unit.is_none() && dash && !f.scaled {
        // bare "N-M" in news: scores, pages, verses, model numbers — not a range fact
        if n.digits && m.digits && hi <= 200.0 && lo.fract() == 0.0 {
            return None;
        }
    }
    Some((out, 1))
}

impl FigB {
    fn prefix_currency_scaled(&self) -> bool {
        false
    }
}

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
fn is_score_or_date_pair(cx: &Ctx, n: &Num, m: &Num) -> bool {
    n.t1 < cx.toks.len() && m.t0 == n.t1 + 1 && is_dash(cx.toks[n.t1].s) && n.digits && m.digits
}

fn is_year(n: &Num) -> bool {
    n.plain_int && !n.ordinal && (1800.0..=2100.0).contains(&n.value) && n.end - n.start == 4
}

/// News filters: is this number a fact worth a row?
fn keep_in_news(cx: &Ctx, n: &Num, f: &FigB) -> bool {
    let toks = cx.toks;
    let prev = |k: usize| if k > 0 { Some(&toks[k - 1]) } else { None };
    let money_or_pct = matches!(f.kind, FigureKind::Money | FigureKind::Percent);
    // identifiers glued to letters before ("M25" is one token; "SCP-173", "F-16")
    if n.t0 > 0 && toks[n.t0].glued {
        let p = &toks[n.t0 - 1];
        if p.kind == TK::Punct
            && is_hyphen(p.s)
            && n.t0 > 1
            && matches!(toks[n.t0 - 2].kind, TK::Word | TK::Mixed)
            && p.glued
        {
            return false;
        }
        if matches!(p.kind, TK::Word | TK::Mixed) {
            return false;
        }
        if matches!(p.s, "#" | "/" | "\\" | "_" | "&" | "@" | ".") {
            return false;
        }
    }
    // glued to letters or chains after: "3G" is one token already; "2023-10-07", "9/11"
    if toks.get(n.t1).is_some_and(|t| t.glued && matches!(t.s, "/" | ":" | "_" | "@"))
        && toks.get(n.t1 + 1).is_some_and(|t| matches!(t.kind, TK::Num | TK::Mixed | TK::Word))
    {
        return false;
    }
    if n.t0 >= 2
        && toks[n.t0].glued
        && matches!(toks[n.t0 - 1].s, ":" | "/")
        && toks[n.t0 - 1].glued
        && matches!(toks[n.t0 - 2].kind, TK::Num | TK::Mixed)
    {
        return false;
    }
    // times: "3pm" is an identifier already; "5 a.m.", "10 pm", "0900 GMT"
    if let Some(t) = toks.get(n.t1) {
        let clock =
            matches!(t.lw.as_str(), "am" | "pm" | "gmt" | "bst" | "est" | "edt" | "utc" | "cet" | "hrs" | "oclock");
        // "5 a.m.", "3 p.m."
        let dotted = matches!(t.lw.as_str(), "a" | "p")
            && cx.is(n.t1 + 1, ".")
            && cx.glued(n.t1 + 1)
            && cx.is(n.t1 + 2, "m")
            && cx.glued(n.t1 + 2);
        if clock || dotted {
            return false;
        }
        if t.s == "'" && cx.w(n.t1 + 1) == "clock" {
            return false;
        }
    }
    // "3-4-1": the tail of a dash chain
    if n.t0 >= 2
        && toks[n.t0].glued
        && is_dash(toks[n.t0 - 1].s)
        && toks[n.t0 - 1].glued
        && matches!(toks[n.t0 - 2].kind, TK::Num | TK::Mixed)
        && !money_or_pct
    {
        return false;
    }
    // dates: month names next to the number (or to the end of a range: "6 to 9 January")
    let tail = if f.value_max.is_some() { f.tok1 } else { n.t1 };
    let after = cx.w(tail);
    let after2 = cx.w(tail + 1);
    let before = prev(n.t0).map(|t| t.lw.as_str()).unwrap_or("");
    let before_dot = n.t0 >= 2 && cx.is(n.t0 - 1, ".") && month_word(cx.w(n.t0 - 2));
    if (month_word(after) || (after == "of" && month_word(after2)) || before_dot) && !money_or_pct {
        return false;
    }
    if month_word(before) && !money_or_pct && f.kind != FigureKind::Quantity {
        // "October 7", "May 2004", "in March 2003"; capitalised months only for "may"/"march"
        let cap = prev(n.t0).is_some_and(|t| t.s.chars().next().is_some_and(|c| c.is_uppercase()));
        if cap {
            return false;
        }
    }
    // "October 7, 2023": the year after a comma after a month day
    if n.t0 >= 3 && cx.is(n.t0 - 1, ",") && cx.kind(n.t0 - 2) == Some(TK::Num) && month_word(cx.w(n.t0 - 3)) {
        return false;
    }
    // years
    if is_year(n) && !money_or_pct && f.kind != FigureKind::Quantity && f.unit.is_none() && f.value_max.is_none() {
        return false;
    }
    if is_year(n) && f.value_max.is_some() && f.kind == FigureKind::Count && f.unit.is_none() {
        return false;
    }
    // decades "1990s" are identifiers already; "'90s" likewise
    // ordinals
    if n.ordinal {
        let w = toks[n.t0].lw.as_str();
        if matches!(w, "first" | "second") && n.t1 == n.t0 + 1 {
            return false;
        }
        if month_word(before) || month_word(after) || (after == "of" && month_word(after2)) {
            return false;
        }
        if n.capitalised_word {
            return false;
        }
        // "20th Century Fox"
        if toks.get(f.tok1).is_some_and(|t| t.s == "Century") {
            return false;
        }
        return true;
    }
    // weak spelled numbers: bare "one", "half"
    if n.weak && !f.has_unit && !n.scaled {
        return false;
    }
    if n.capitalised_word {
        return false;
    }
    // names: "Apollo 11", "Boeing 747", "PlayStation 2", "Formula 1", "Article 50"
    if n.digits
        && f.fig.start == n.start
        && let Some(p) = prev(n.t0)
    {
        let cap = p.s.chars().any(|c| c.is_uppercase()) && p.kind == TK::Word;
        if cap && !CAP_OK.contains(&p.lw.as_str()) && !month_word(&p.lw) && !f.has_unit {
            return false;
        }
    }
    // a title after the number: "60 Minutes", "24 Hours in A&E"
    if n.digits
        && !f.has_unit
        && f.unit.is_none()
        && f.value_max.is_none()
        && toks.get(n.t1).is_some_and(|t| {
            t.kind == TK::Word
                && t.s.chars().next().is_some_and(char::is_uppercase)
                && t.s.chars().skip(1).all(char::is_lowercase)
        })
    {
        return false;
    }
    // phone numbers, codes with leading zeros: "0800 123 456", "007"
    if n.digits && n.plain_int {
        let s = &cx.text[n.start..n.end];
        if s.len() >= 2 && s.starts_with('0') {
            return false;
        }
    }
    if n.digits && n.t0 > 0 && toks[n.t0 - 1].s == "+" && toks[n.t0].glued && !money_or_pct {
        return false;
    }
    // list markers "(1)", "1)" and slash pairs "24/7"
    if toks.get(n.t1).is_some_and(|t| t.s == ")" && t.glued) && (n.t0 == 0 || toks[n.t0 - 1].s == "(") && !f.has_unit {
        return false;
    }
    if n.digits && n.t1 < toks.len() && toks[n.t1].s == "/" && toks[n.t1].glued {
        return false;
    }
    // sequence of three or more digit groups: phone numbers ("020 7946 0958")
    if n.digits && !f.has_unit {
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
        if run >= 3 {
            return false;
        }
    }
    // scores and pairs "2-1", "2004-05" reaching here as single numbers
    if n.digits
        && !f.has_unit
        && f.value_max.is_none()
        && toks.get(n.t1).is_some_and(|t| is_dash(t.s) && t.glued)
        && toks.get(n.t1 + 1).is_some_and(|t| t.kind == TK::Num && t.glued)
    {
        return false;
    }
    true
}

/// "more than 10 and less than 20" → one figure (10, 20) with qualifier
/// "more than and less than"; "at most 100 and at least 20" likewise, low side first.
/// Also postfix bounds: "500 or more", "equal to 5000 or less", "less than 5000 or equal".
fn merge_bounds(text: &str, figs: &mut Vec<Figure>) {
    let lw = |a: usize, b: usize| text.get(a..b).unwrap_or("").to_lowercase();
    let mut i = 0;
    while i < figs.len() {
        let f = figs[i].clone();
        if f.value_max.is_none() {
            let q = f.qualifier.clone().unwrap_or_default();
            // postfix: "or more", "or greater than", "and more", "or less", "or equal (to)"
            let rest = lw(f.end, text.len());
            let rest_t = rest.trim_start();
            let lead = rest.len() - rest_t.len();
            let next_start = figs.get(i + 1).map(|g| g.start).unwrap_or(text.len());
            let postfixes: &[(&str, &str, &str)] = &[
                // (phrase, from qualifier, to qualifier)
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
            let mut done = false;
            for &(p, from, to) in postfixes {
                let from_ok = if from.is_empty() {
                    q.is_empty()
                        || q == "equal to"
                        || matches!(
                            q.as_str(),
                            "about" | "around" | "nearly" | "almost" | "approximately" | "roughly" | "some"
                        )
                } else {
                    q == from
                };
                if !from_ok || !rest_t.starts_with(p) {
                    continue;
                }
                let after = &rest_t[p.len()..];
                let boundary = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
                if !boundary {
                    continue;
                }
                let pend = f.end + lead + p.len();
                if pend > next_start {
                    // a number follows: "200 or greater than 190" → separate figures
                    continue;
                }
                let mut g = f.clone();
                if matches!(q.as_str(), "about" | "around" | "nearly" | "almost" | "approximately" | "roughly" | "some")
                {
                    // the bound replaces a vague qualifier and the mention starts at the number
                    let ql = q.len();
                    g.start = (f.start + ql + 1).min(f.end);
                    while g.start < f.end && !text.is_char_boundary(g.start) {
                        g.start += 1;
                    }
                    let s = text.get(g.start..f.end).unwrap_or("");
                    let trimmed = s.trim_start();
                    g.start += s.len() - trimmed.len();
                }
                g.end = pend;
                g.qualifier = Some(to.to_string());
                figs[i] = g;
                done = true;
                break;
            }
            if done {
                i += 1;
                continue;
            }
        }
        if i + 1 < figs.len() && f.value_max.is_none() {
            let g = figs[i + 1].clone();
            let gap = lw(f.end, g.start);
            let gap = gap.trim();
            let qf = f.qualifier.clone().unwrap_or_default();
            let qg = g.qualifier.clone().unwrap_or_default();
            let joined = matches!(gap, "and" | "but" | "," | "and yet" | ", and" | ", but");
            let low_hi = (is_lower_bound(&qf) || qf == "at least") && (is_upper_bound(&qg) || qg == "at most");
            let hi_low = (is_upper_bound(&qf) || qf == "at most") && (is_lower_bound(&qg) || qg == "at least");
            if joined && g.value_max.is_none() && f.kind == g.kind {
                if low_hi && f.value < g.value {
                    let mut h = f.clone();
                    h.end = g.end;
                    h.value_max = Some(g.value);
                    h.qualifier = Some(format!("{qf} and {qg}"));
                    if h.unit.is_none() {
                        h.unit = g.unit.clone();
                    }
                    figs[i] = h;
                    figs.remove(i + 1);
                } else if hi_low && g.value < f.value {
                    let mut h = f.clone();
                    h.end = g.end;
                    h.value = g.value;
                    h.value_max = Some(f.value);
                    h.qualifier = Some(format!("{qg} and {qf}"));
                    if h.unit.is_none() {
                        h.unit = g.unit.clone();
                    }
                    figs[i] = h;
                    figs.remove(i + 1);
                }
            }
        }
        i += 1;
    }
}

/// "a small percent", "the % of increase": a percentage whose value is unknown (NaN).
fn add_bare_percents(cx: &Ctx, figs: &mut Vec<Figure>) {
    let toks = cx.toks;
    let urls = url_spans(cx.text);
    for (k, t) in toks.iter().enumerate() {
        if urls.iter().any(|&(a, b)| t.start >= a && t.start < b) {
            continue;
        }
        if figs.iter().any(|f| t.start < f.end && f.start < t.end) {
            continue;
        }
        let w = t.lw.as_str();
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
                    value: n.value,
                    value_max: None,
                    kind: FigureKind::Percent,
                    unit: Some("%".into()),
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
            value: f64::NAN,
            value_max: None,
            kind: FigureKind::Percent,
            unit: Some("%".into()),
            qualifier: None,
            direction: None,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn news(text: &str) -> Vec<Figure> {
        extract_figures(text, &FigureOptions::default())
    }

    fn mention<'a>(text: &'a str, f: &Figure) -> &'a str {
        &text[f.start..f.end]
    }

    fn one(text: &str) -> Figure {
        let fs = news(text);
        assert_eq!(fs.len(), 1, "{text:?} -> {fs:?}");
        fs.into_iter().next().unwrap()
    }

    #[test]
    fn seed_sentences() {
        let s = "So far, the regime's onslaught has claimed the lives of more than 26,600 civilians, mostly women and children, leaving more than 65,300 others injured.";
        let fs = news(s);
        assert_eq!(fs.len(), 2, "{fs:?}");
        assert_eq!(mention(s, &fs[0]), "more than 26,600");
        assert_eq!(fs[0].value, 26600.0);
        assert_eq!(fs[0].kind, FigureKind::Count);
        assert_eq!(fs[0].unit.as_deref(), Some("civilians"));
        assert_eq!(fs[0].qualifier.as_deref(), Some("more than"));
        assert_eq!(mention(s, &fs[1]), "more than 65,300");
        assert_eq!(fs[1].value, 65300.0);
        assert_eq!(fs[1].unit.as_deref(), Some("others"));
        assert_eq!(fs[1].qualifier.as_deref(), Some("more than"));

        let s = "The strikes have increased in intensity since October 7, 2023, when the Israeli regime, Washington's main regional ally, launched a US-backed genocidal war against the Gaza Strip.";
        assert!(news(s).is_empty(), "{:?}", news(s));

        let s = "The mission's statement was published after a drone attack on a US base located on Jordan's border with Syria killed three American servicemen.";
        let f = one(s);
        assert_eq!(mention(s, &f), "three");
        assert_eq!((f.value, f.kind), (3.0, FigureKind::Count));
        assert_eq!(f.unit.as_deref(), Some("servicemen"));

        let s = "The letter came three days after his American counterpart, Linda Thomas-Greenfield, wrote a letter.";
        let f = one(s);
        assert_eq!(mention(s, &f), "three");
        assert_eq!((f.value, f.kind), (3.0, FigureKind::Quantity));
        assert_eq!(f.unit.as_deref(), Some("days"));
    }

    #[test]
    fn seed_article_has_only_the_expected_figures() {
        let article = include_str!("../../seeds/000_def429b1c4d7175a.txt");
        let mut got = Vec::new();
        for line in article.lines() {
            for f in news(line) {
                got.push(line[f.start..f.end].to_string());
            }
        }
        assert_eq!(got, ["three", "more than 26,600", "more than 65,300", "three"]);
    }

    #[test]
    fn scaled_values_are_the_exact_decimal() {
        for (s, v) in [
            ("taking the total to $8.2 trillion", 8.2e12),
            ("It raised $1.2bn from investors.", 1.2e9),
            ("It cost £3.5m to build.", 3.5e6),
            ("About 0.7 million people voted.", 700000.0),
            ("Debt hit £1.546 trillion.", 1.546e12),
            ("Sales were 4.1 billion euros.", 4.1e9),
            ("It made $16.6bn.", 16.6e9),
        ] {
            assert_eq!(one(s).value, v, "{s}");
        }
        let f = one("contributions rose from £5.5bn to £8.2bn a year");
        assert_eq!((f.value, f.value_max), (5.5e9, Some(8.2e9)));
        let f = one("It cost between 2.3 and 4.1 million euros.");
        assert_eq!((f.value, f.value_max), (2.3e6, Some(4.1e6)));
        assert_eq!(extract_numbers("1.2e6")[0].value, 1.2e6);
    }

    #[test]
    fn up_as_a_verb_particle_is_no_qualifier() {
        let s = "Imports and exports added up to 22,201bn yen ($214.6bn).";
        let f = &news(s)[0];
        assert_eq!(mention(s, f), "22,201bn yen");
        assert_eq!((f.value, f.unit.as_deref(), f.qualifier.as_deref()), (22201e9, Some("JPY"), None));
        assert_eq!(f.direction, None);
        for s in ["Losses summed up to $5m.", "The bill adds up to £3bn.", "He signed up to 10 deals."] {
            let f = one(s);
            assert_eq!(f.qualifier, None, "{s}");
            assert!(!mention(s, &f).starts_with("up"), "{s}");
        }
        // "went up to" is a rise, not a bound
        let s = "The unemployment rate went up to 5.5%.";
        let f = one(s);
        assert_eq!((mention(s, &f), f.qualifier.as_deref(), f.direction), ("5.5%", None, Some(Direction::Up)));
        // a particle "up" gives no direction
        assert_eq!(one("He set up 3 companies.").direction, None);
        assert_eq!(one("Women make up a third of the workforce.").direction, None);
        assert_eq!(one("It ended up in third place.").direction, None);
        // still a bound or a rise
        assert_eq!(one("Sales were up 3% on last year.").direction, Some(Direction::Up));
        assert_eq!(one("Shares ended up 3% on Friday.").direction, Some(Direction::Up));
        let s = "It will cut up to 700 jobs.";
        let f = one(s);
        assert_eq!((mention(s, &f), f.qualifier.as_deref()), ("up to 700", Some("up to")));
        assert_eq!(one("Portillo makes up to £560,000 a year.").qualifier.as_deref(), Some("up to"));
    }

    #[test]
    fn currencies_named_by_word_or_country() {
        for (s, m, v, c) in [
            ("It made 1.33bn Australian dollars last year.", "1.33bn Australian dollars", 1.33e9, "AUD"),
            ("Shares fell to 57.85 Swiss francs.", "57.85 Swiss francs", 57.85, "CHF"),
            ("It is worth 5bn Hong Kong dollars.", "5bn Hong Kong dollars", 5e9, "HKD"),
            ("Profits fell to 3.4bn Danish kroner.", "3.4bn Danish kroner", 3.4e9, "DKK"),
            ("It earmarked 100 trillion won for 2005.", "100 trillion won", 1e14, "KRW"),
            ("It spent 59.2 trillion rupiah on fuel.", "59.2 trillion rupiah", 59.2e12, "IDR"),
            ("Thailand may lose 30bn baht in earnings.", "30bn baht", 30e9, "THB"),
            ("Sales climbed to 131.9 billion kronor.", "131.9 billion kronor", 131.9e9, "SEK"),
            ("He unveiled the 418bn-rand budget.", "418bn-rand", 418e9, "ZAR"),
            ("It will pump 154m naira into farming.", "154m naira", 154e6, "NGN"),
        ] {
            let f = one(s);
            assert_eq!((mention(s, &f), f.value, f.kind, f.unit.as_deref()), (m, v, FigureKind::Money, Some(c)), "{s}");
        }
        // "won" the verb, ambiguous pesos (not metres), an identifier with a glued "b"
        assert!(news("Halo 2 won the best Xbox game award.").iter().all(|f| f.kind != FigureKind::Money));
        let f = one("It wants an investment of 400m pesos in improvements.");
        assert_eq!((f.value, f.unit.as_deref()), (400e6, Some("pesos")));
        assert!(news("It includes a 802.11b wireless network.").is_empty());
        assert_eq!(one("It cost $3.5b in all.").value, 3.5e9);
    }

    #[test]
    fn money() {
        let s = "The deal is worth $1.2bn, up from £5m.";
        let fs = news(s);
        assert_eq!(fs.len(), 2, "{fs:?}");
        assert_eq!(mention(s, &fs[0]), "$1.2bn");
        assert_eq!((fs[0].value, fs[0].unit.as_deref()), (1.2e9, Some("USD")));
        assert_eq!(fs[0].kind, FigureKind::Money);
        assert_eq!(mention(s, &fs[1]), "£5m");
        assert_eq!((fs[1].value, fs[1].unit.as_deref()), (5e6, Some("GBP")));

        let s = "He paid £250,000 and 5 million euros, plus US$3 billion.";
        let fs = news(s);
        assert_eq!(fs.len(), 3, "{fs:?}");
        assert_eq!(mention(s, &fs[0]), "£250,000");
        assert_eq!(fs[0].value, 250_000.0);
        assert_eq!(mention(s, &fs[1]), "5 million euros");
        assert_eq!((fs[1].value, fs[1].unit.as_deref()), (5e6, Some("EUR")));
        assert_eq!(mention(s, &fs[2]), "US$3 billion");
        assert_eq!((fs[2].value, fs[2].unit.as_deref()), (3e9, Some("USD")));

        let f = one("It cost half a billion dollars.");
        assert_eq!((f.value, f.unit.as_deref()), (5e8, Some("USD")));
        let f = one("Rates for 50p coins.");
        assert_eq!((f.value, f.unit.as_deref()), (0.5, Some("GBP")));
    }

    #[test]
    fn percents_and_direction() {
        let s = "Sales rose 5.5% while costs fell 15 per cent and margins were down 2 percentage points.";
        let fs = news(s);
        assert_eq!(fs.len(), 3, "{fs:?}");
        assert_eq!(mention(s, &fs[0]), "5.5%");
        assert_eq!((fs[0].value, fs[0].unit.as_deref()), (5.5, Some("%")));
        assert_eq!(fs[0].direction, Some(Direction::Up));
        assert_eq!(mention(s, &fs[1]), "15 per cent");
        assert_eq!(fs[1].direction, Some(Direction::Down));
        assert_eq!(mention(s, &fs[2]), "2 percentage points");
        assert_eq!(fs[2].unit.as_deref(), Some("pp"));
        assert_eq!(fs[2].kind, FigureKind::Percent);
        let f = one("Inflation was -3.5% last year.");
        assert_eq!(f.value, -3.5);
        let f = one("Output slid 15 percent.");
        assert_eq!((f.value, f.direction), (15.0, Some(Direction::Down)));
    }

    #[test]
    fn ranges() {
        let s = "Between 10 and 15 people died.";
        let f = one(s);
        assert_eq!(mention(s, &f), "Between 10 and 15");
        assert_eq!((f.value, f.value_max), (10.0, Some(15.0)));
        assert_eq!(f.unit.as_deref(), Some("people"));
        let s = "Growth of 10-15% is expected.";
        let f = one(s);
        assert_eq!(mention(s, &f), "10-15%");
        assert_eq!((f.value, f.value_max, f.kind), (10.0, Some(15.0), FigureKind::Percent));
        let s = "The population went from 5 to 7 million.";
        let f = one(s);
        assert_eq!(mention(s, &f), "from 5 to 7 million");
        assert_eq!((f.value, f.value_max), (5e6, Some(7e6)));
        let f = one("They arrested 10 to 15 people.");
        assert_eq!((f.value, f.value_max, f.unit.as_deref()), (10.0, Some(15.0), Some("people")));
    }

    #[test]
    fn spelled_and_vague() {
        let f = one("It took three and a half hours.");
        assert_eq!((f.value, f.unit.as_deref()), (3.5, Some("hours")));
        let f = one("Twenty-five protesters were held.");
        assert_eq!((f.value, f.unit.as_deref()), (25.0, Some("protesters")));
        let s = "Hundreds of people gathered.";
        let f = one(s);
        assert_eq!(mention(s, &f), "Hundreds of");
        assert_eq!((f.value, f.qualifier.as_deref()), (100.0, Some("hundreds of")));
        assert_eq!(f.unit.as_deref(), Some("people"));
        let f = one("They sold a dozen eggs.");
        assert_eq!((f.value, f.unit.as_deref()), (12.0, Some("eggs")));
        let f = one("It has 2.5 million users.");
        assert_eq!((f.value, f.unit.as_deref()), (2.5e6, Some("users")));
    }

    #[test]
    fn quantities() {
        let s = "A 20-year-old ran 10km and then 26 miles in 40C heat.";
        let fs = news(s);
        assert_eq!(fs.len(), 4, "{fs:?}");
        assert_eq!((fs[0].value, fs[0].unit.as_deref()), (20.0, Some("years")));
        assert_eq!(mention(s, &fs[1]), "10km");
        assert_eq!((fs[1].value, fs[1].unit.as_deref()), (10.0, Some("km")));
        assert_eq!((fs[2].value, fs[2].unit.as_deref()), (26.0, Some("mi")));
        assert_eq!(fs[2].kind, FigureKind::Quantity);
        assert_eq!((fs[3].value, fs[3].unit.as_deref()), (40.0, Some("°C")));
        let f = one("Output hit 2m barrels a day.");
        assert_eq!((f.value, f.unit.as_deref()), (2e6, Some("bbl")));
        assert_eq!(f.kind, FigureKind::Quantity);
    }

    #[test]
    fn news_context_readings() {
        let s = "Scholl, 21, was arrested; Nogar died aged 72.";
        let fs = news(s);
        assert_eq!(fs.len(), 2, "{fs:?}");
        assert_eq!((fs[0].value, fs[0].kind, fs[0].unit.as_deref()), (21.0, FigureKind::Quantity, Some("years")));
        assert_eq!((fs[1].value, fs[1].unit.as_deref()), (72.0, Some("years")));
        let f = one("Labour wants a third term.");
        assert_eq!((f.value, f.kind), (3.0, FigureKind::Ordinal));
        let s = "A third of voters agreed.";
        let f = one(s);
        assert_eq!(mention(s, &f), "A third");
        assert!((f.value - 1.0 / 3.0).abs() < 1e-12);
        let f = one("She won the 200m title.");
        assert_eq!((f.value, f.unit.as_deref()), (200.0, Some("m")));
        let f = one("Some 3m people were affected.");
        assert_eq!((f.value, f.unit.as_deref(), f.qualifier.as_deref()), (3e6, Some("people"), Some("some")));
        assert!(news("He told US TV show 60 Minutes that he works at 20th Century Fox.").is_empty());
        assert!(news("The event runs from 6 to 9 January.").is_empty());
    }

    #[test]
    fn qualifiers() {
        for (s, q, m) in [
            ("Nearly 300 homes flooded.", "nearly", "Nearly 300"),
            ("at least 12 dead", "at least", "at least 12"),
            ("up to 700 contract workers", "up to", "up to 700"),
            ("just over 40 countries", "just over", "just over 40"),
            ("an estimated 5,000 refugees", "an estimated", "an estimated 5,000"),
            ("fewer than 100 tanks", "fewer than", "fewer than 100"),
        ] {
            let f = one(s);
            assert_eq!(f.qualifier.as_deref(), Some(q), "{s}");
            assert_eq!(mention(s, &f), m);
        }
    }

    #[test]
    fn news_filters_drop_non_figures() {
        for s in [
            "It happened on 7 October in 2004.",
            "The 2023-10-07 attack.",
            "He was born in the 1990s.",
            "The meeting starts at 10:30 and ends at 3pm or 5 a.m. tomorrow.",
            "World War II veterans flew on Apollo 11 and a Boeing 747.",
            "Formula 1 and the G8 met; Windows XP runs on PlayStation 2.",
            "The A380, MP3, 3G, H5N1 and M25 are codes.",
            "Call 0800 123 456 now.",
            "It was the first time, one of many.",
            "On March 3 they met.",
        ] {
            assert!(news(s).is_empty(), "{s:?} -> {:?}", news(s));
        }
        let f = one("He finished 21st in the race.");
        assert_eq!((f.value, f.kind), (21.0, FigureKind::Ordinal));
        let f = one("It was his third attempt.");
        assert_eq!((f.value, f.kind), (3.0, FigureKind::Ordinal));
        let f = one("Sales hit 2,000 units in 2004.");
        assert_eq!(f.value, 2000.0);
    }

    #[test]
    fn without_news_filters_years_and_ordinals_stay() {
        let o = FigureOptions { news_filters: false };
        let fs = extract_figures("in 2004 the first", &o);
        assert_eq!(fs.len(), 2, "{fs:?}");
        assert_eq!((fs[0].value, fs[0].kind), (2004.0, FigureKind::Count));
        assert_eq!((fs[1].value, fs[1].kind), (1.0, FigureKind::Ordinal));
    }

    #[test]
    fn number_layer_values() {
        for (s, m, v) in [
            ("one hundred and three and two thirds", "one hundred and three and two thirds", 103.0 + 2.0 / 3.0),
            ("1,234,567", "1,234,567", 1234567.0),
            (".08", ".08", 0.08),
            ("twenty-one trillion and three hundred", "twenty-one trillion and three hundred", 21e12 + 300.0),
            ("a hundred trillionths", "a hundred trillionths", 1e-10),
            ("1.3e6", "1.3e6", 1.3e6),
            ("The total is three lakh crore", "three lakh crore", 3e12),
            ("nine point nought four", "nine point nought four", 9.04),
            ("one over three", "one over three", 1.0 / 3.0),
            ("- 1 4/5", "- 1 4/5", -1.8),
        ] {
            let ns = extract_numbers(s);
            assert_eq!(ns.len(), 1, "{s:?} -> {ns:?}");
            assert_eq!(&s[ns[0].start..ns[0].end], m, "{s}");
            assert!((ns[0].value - v).abs() <= v.abs() * 1e-12, "{s}: {} != {v}", ns[0].value);
        }
    }

    #[test]
    fn nasty_inputs_never_panic() {
        let long_digits = "9".repeat(5000);
        let long_mixed = "1,".repeat(2000);
        let inputs = [
            "",
            " ",
            "£",
            "$",
            "%",
            "1,2,3,4",
            "--5",
            "-",
            "−2",
            "٣ ١٢",
            "e\u{301}5\u{301}%",
            "🙂 5 🙂🙂 £5m👍 twenty-🙂",
            "½⅔¾ and a half",
            "1e999999 1e-999999 1.1^99999",
            "and and and a a half half",
            "one - - two",
            "between and 5 to",
            "5 to",
            "from 5 to",
            "0/0 5/0",
            "1..2,,3",
            "US$",
            "£5m-£",
            "more than",
            "\u{200b}7\u{200b}",
            &long_digits,
            &long_mixed,
            "x>10 and y<20 < = 5 <=  -3",
            "three hundred and two dozens hundred thousand million",
            "a hundred thousand trillionths of a million point",
        ];
        for opts in [FigureOptions { news_filters: true }, FigureOptions { news_filters: false }] {
            for s in &inputs {
                let fs = extract_figures(s, &opts);
                let mut last_end = 0;
                for f in &fs {
                    assert!(f.start < f.end && f.end <= s.len(), "{s:?} {f:?}");
                    assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end), "{s:?} {f:?}");
                    assert!(f.start >= last_end, "{s:?} overlap {fs:?}");
                    last_end = f.end;
                }
                for f in extract_numbers(s) {
                    assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end), "{s:?} {f:?}");
                }
            }
        }
    }
}
