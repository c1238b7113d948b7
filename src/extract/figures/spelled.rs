//! Spelled-out numbers: "three and a half", "twenty-one trillion and three
//! hundred", "a dozen", "two thirds of a million", "nine point nought four",
//! "one over three", "hundreds of" — possibly starting with digits ("3 hundred
//! and 21", "2 million").
//!
//! [`parse_words`] reads word by word with a small state machine ([`Spelled`]):
//! each word kind has a method that either takes the word (and records the value
//! read so far as the last good reading) or stops. Stopping falls back to the last
//! good reading, so "twenty-one and" reads as 21.

use super::digits::interpret_digits;
use super::numbers::{Num, times};
use super::tokens::{Ctx, TK, Tok, is_hyphen, phrase_at};
use super::units::is_currency_symbol_tok;
use crate::extract::lexicon::{dozen_word, half_quarter, ordinal_word, scale_word, teen_word, tens_word, unit_word};

/// Vague counts: (words, value, qualifier). The mention includes the final
/// "of": it is part of the qualifier.
const VAGUE_COUNTS: &[(&str, f64, &str)] = &[
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

/// Words before a lone "one"/"a" that make it a pronoun or article, not a
/// number ("the one you mentioned", "which one").
const PRONOUN_BEFORE_ONE: &[&str] = &[
    "the",
    "this",
    "that",
    "which",
    "each",
    "every",
    "any",
    "no",
    "another",
    "what",
    "whichever",
    "some",
    "someone",
    "last",
    "next",
];

/// The kind of the last word read, which decides what may follow.
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

/// What the reader does after one word.
enum Step {
    /// The word was taken: record the reading so far and go on.
    Take,
    /// The word was taken but the reading is incomplete ("a", "and"): go on.
    Pending,
    /// The number ended before this word.
    Stop,
}

/// Spelled-out numbers (possibly starting with digits: "3 hundred and 21").
/// `allow_frac`: whether a fraction may follow ("and a half", "over three").
pub(super) fn parse_words(cx: &Ctx, i: usize, allow_frac: bool) -> Option<Num> {
    let first = cx.toks.get(i)?;
    // "hundreds of", "tens of thousands of", "dozens of": a vague count.
    if !cx.numview
        && let Some(n) = vague_count(cx, i)
    {
        return Some(n);
    }
    // "half", "quarter" at the start: "half a dozen", "half a billion", "half million".
    if matches!(first.lw.as_ref(), "half" | "quarter") && first.kind == TK::Word {
        return leading_half(cx, i);
    }
    // "a quarter of a million", "a half million": the article leads a scaled fraction
    if matches!(first.lw.as_ref(), "a" | "one")
        && matches!(cx.w(i + 1), "half" | "quarter")
        && let Some(mut n) = leading_half(cx, i + 1)
        && n.scaled
    {
        n.t0 = i;
        n.start = first.start;
        return Some(n);
    }
    let mut reader = Spelled::new(cx, i, allow_frac);
    reader.run();
    reader.into_num()
}

fn vague_count(cx: &Ctx, i: usize) -> Option<Num> {
    for &(p, v, q) in VAGUE_COUNTS {
        if let Some(len) = phrase_at(cx.toks, i, p, |_| true) {
            let t1 = i + len;
            let mut n = Num::new(i, t1, cx.toks[i].start, cx.end(t1), v);
            n.own_qualifier = Some(q);
            return Some(n);
        }
    }
    None
}

/// "half a dozen", "quarter of a…" is not; "half a billion", "half million",
/// and a lone "half" (weak).
fn leading_half(cx: &Ctx, i: usize) -> Option<Num> {
    let first = &cx.toks[i];
    let lw0 = first.lw.as_ref();
    let f = if lw0 == "half" { 0.5 } else { 0.25 };
    let mut k = i + 1;
    // "a quarter of a million", "half of a billion"
    if cx.is(k, "of") && cx.is(k + 1, "a") && scale_word(cx.w(k + 2), false).is_some() {
        k += 1;
    }
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
    None
}

/// The reader's state while it walks the words of one number.
struct Spelled<'c, 'a, 't> {
    cx: &'c Ctx<'a, 't>,
    /// First token of the number.
    i: usize,
    /// Whether a fraction may follow (see [`parse_words`]).
    allow_frac: bool,
    /// Token being read.
    j: usize,
    /// Sum of the completed scale groups ("two million" of "two million three").
    total: f64,
    /// The group being read, below the current scale.
    cur: f64,
    last: Last,
    /// Largest scale read so far.
    largest: f64,
    /// Value of the last unit/teen/tens/digit word (which "dozen" multiplies).
    last_atom: f64,
    /// The current group already has its "hundred".
    group_has_hundred: bool,
    /// The number started with a digit token.
    started_digit: bool,
    /// The last tens word came right after "and".
    tens_after_and: bool,
    /// The value before the last tens word ("one hundred thirty fifths" = 100/35).
    before_tens: f64,
    /// Last good reading: (end token, value).
    good: Option<(usize, f64)>,
    /// The good reading before a pending "and", to fall back to.
    and_checkpoint: Option<(usize, f64)>,
    /// An "and" was read and awaits its number.
    pending_and: bool,
    /// The reading ended in an ordinal word.
    result_ordinal: bool,
    /// The reading ended in a fraction.
    result_fraction: bool,
    /// In the bare number view, "two hundredth" reads as "two": the cardinal part.
    numview_prefix: Option<(usize, f64)>,
    /// "hundred", a scale or "dozen" was read.
    any_scale: bool,
    /// No digit token was read.
    words_only: bool,
}

impl<'c, 'a, 't> Spelled<'c, 'a, 't> {
    fn new(cx: &'c Ctx<'a, 't>, i: usize, allow_frac: bool) -> Self {
        Spelled {
            cx,
            i,
            allow_frac,
            j: i,
            total: 0.0,
            cur: 0.0,
            last: Last::Start,
            largest: 0.0,
            last_atom: 0.0,
            group_has_hundred: false,
            started_digit: false,
            tens_after_and: false,
            before_tens: 0.0,
            good: None,
            and_checkpoint: None,
            pending_and: false,
            result_ordinal: false,
            result_fraction: false,
            numview_prefix: None,
            any_scale: false,
            words_only: true,
        }
    }

    /// Reads words until the number ends.
    fn run(&mut self) {
        let cx = self.cx;
        while let Some(t) = cx.toks.get(self.j) {
            let step = match t.kind {
                TK::Num if self.j == self.i || self.pending_and || matches!(self.last, Last::Scale | Last::Hundred) => {
                    self.digit_group(t)
                }
                TK::Word => self.word(t.lw.as_ref()),
                _ => Step::Stop,
            };
            match step {
                Step::Stop => break,
                Step::Pending => continue,
                Step::Take => {}
            }
            if matches!(self.last, Last::A) {
                continue;
            }
            self.good = Some((self.j, self.total + self.cur));
        }
    }

    /// Falls back to the reading before a pending "and" ("three hundred and").
    fn back_to_checkpoint(&mut self) {
        if let Some(cp) = self.and_checkpoint {
            self.good = Some(cp);
        }
    }

    /// Digits at the start or after a scale or "and": "3 hundred", "million and 5".
    fn digit_group(&mut self, t: &Tok) -> Step {
        let at_start = self.j == self.i;
        if !(at_start || self.started_digit || self.pending_and) {
            return Step::Stop;
        }
        if !at_start && !t.s.bytes().all(|b| b.is_ascii_digit()) {
            return Step::Stop;
        }
        let pieces = interpret_digits(t.s, !self.cx.news);
        if pieces.len() != 1 {
            return Step::Stop;
        }
        let v = pieces[0].2;
        if !at_start && (v == 0.0 || v >= 1000.0) {
            return Step::Stop;
        }
        if at_start {
            self.started_digit = true;
        }
        self.cur += v;
        self.last_atom = v;
        self.last = Last::Digit;
        self.pending_and = false;
        self.words_only = false;
        self.j += 1;
        Step::Take
    }

    /// One word: dispatches on what kind of number word it is.
    fn word(&mut self, w: &str) -> Step {
        let next = self.cx.next_word(self.j);
        if w == "and" && self.last != Last::Start && self.last != Last::A {
            return self.and();
        }
        let after_and = self.pending_and;
        self.pending_and = false;
        if w == "a" || w == "an" {
            if self.last != Last::Start {
                return Step::Stop;
            }
            self.last = Last::A;
            self.cur = 1.0;
            self.last_atom = 1.0;
            self.j += 1;
            return Step::Pending;
        }
        if let Some(u) = unit_word(w) {
            self.unit(u, after_and, next)
        } else if let Some(v) = teen_word(w) {
            self.small(v, Last::Teen, after_and, next)
        } else if let Some(v) = tens_word(w) {
            self.small(v, Last::Tens, after_and, next)
        } else if w == "hundred" || (w == "hundreds" && self.j > self.i) {
            self.hundred(after_and, next)
        } else if let Some(s) = scale_word(w, self.started_digit) {
            self.scale(s, next)
        } else if dozen_word(w) {
            self.dozen(next)
        } else if w == "point" && !matches!(self.last, Last::Start | Last::A) {
            self.point()
        } else if let Some((ov, plural)) = ordinal_word(w).or_else(|| half_quarter(w)) {
            self.ordinal(ov, plural, half_quarter(w).is_some())
        } else {
            if after_and {
                self.back_to_checkpoint();
            }
            Step::Stop
        }
    }

    /// "and" inside a number: "and a half" ends it with a fraction; "hundred
    /// and three", "twenty and one" wait for the next word.
    fn and(&mut self) -> Step {
        let cx = self.cx;
        let j = self.j;
        if !self.allow_frac && !matches!(self.last, Last::Hundred | Last::Scale) {
            return Step::Stop;
        }
        // "and a half", "and three quarters", "and two thirds"
        if let Some((f, k, scale_after)) = and_fraction(cx, j + 1) {
            let base = self.total + self.cur;
            let v = if let Some(s) = scale_after {
                if self.last == Last::Scale { base + times(f, s) } else { times(base + f, s) }
            } else if self.last == Last::Scale && self.largest >= 1e6 {
                base + f * self.largest
            } else {
                base + f
            };
            self.good = Some((k, v));
            self.result_fraction = true;
            return Step::Stop;
        }
        let nx = cx.w(j + 1);
        let joinable =
            matches!(self.last, Last::Hundred | Last::Scale) || (self.last == Last::Tens && unit_word(nx).is_some());
        let nx_ok = unit_word(nx).is_some_and(|v| v > 0.0)
            || teen_word(nx).is_some()
            || tens_word(nx).is_some()
            || (cx.kind(j + 1) == Some(TK::Num) && cx.toks[j + 1].s.bytes().all(|b| b.is_ascii_digit()));
        if joinable && nx_ok && !self.pending_and {
            self.and_checkpoint = self.good;
            self.pending_and = true;
            self.j += 1;
            return Step::Pending;
        }
        Step::Stop
    }

    /// "zero" to "nine": alone, after a scale, or finishing a tens ("twenty-one").
    fn unit(&mut self, u: f64, after_and: bool, next: usize) -> Step {
        match self.last {
            Last::Start | Last::Hundred | Last::Scale => {
                self.cur += u;
                self.last = Last::Unit;
            }
            Last::Tens if u > 0.0 => {
                self.cur += u;
                self.last = Last::TensUnit;
            }
            _ => {
                if after_and {
                    self.back_to_checkpoint();
                }
                return Step::Stop;
            }
        }
        self.last_atom = u;
        self.j = next;
        Step::Take
    }

    /// A teen or tens word (`kind` says which): alone or after a scale.
    fn small(&mut self, v: f64, kind: Last, after_and: bool, next: usize) -> Step {
        if !matches!(self.last, Last::Start | Last::Hundred | Last::Scale) {
            return Step::Stop;
        }
        if kind == Last::Tens {
            self.before_tens = self.total + self.cur;
            self.tens_after_and = after_and;
        }
        self.cur += v;
        self.last_atom = v;
        self.last = kind;
        self.j = next;
        Step::Take
    }

    /// "hundred" multiplies the group read so far, once per group.
    fn hundred(&mut self, after_and: bool, next: usize) -> Step {
        let last = self.last;
        if !matches!(last, Last::A | Last::Unit | Last::Teen | Last::Tens | Last::TensUnit | Last::Digit)
            || self.group_has_hundred
            || (last == Last::Digit && self.cur >= 1000.0)
        {
            // "3 hundred and 2 hundred": the second group starts anew
            if after_and || last == Last::Hundred || self.group_has_hundred {
                self.back_to_checkpoint();
            }
            return Step::Stop;
        }
        self.cur *= 100.0;
        self.group_has_hundred = true;
        self.last = Last::Hundred;
        self.any_scale = true;
        self.j = next;
        Step::Take
    }

    /// A scale word closes a group: "two million", "three lakh crore".
    fn scale(&mut self, s: f64, next: usize) -> Step {
        if matches!(self.last, Last::Start | Last::Scale) && !(self.last == Last::Scale && s > self.largest) {
            return Step::Stop;
        }
        if s > self.largest {
            self.total = times(self.total + self.cur, s);
            self.largest = s;
        } else {
            self.total += times(self.cur, s);
        }
        self.cur = 0.0;
        self.group_has_hundred = false;
        self.last = Last::Scale;
        self.any_scale = true;
        self.j = next;
        Step::Take
    }

    /// "dozen" multiplies the last word by twelve and ends the number.
    fn dozen(&mut self, next: usize) -> Step {
        if !matches!(self.last, Last::A | Last::Unit | Last::Teen | Last::Tens | Last::TensUnit | Last::Digit) {
            return Step::Stop;
        }
        self.cur = self.cur - self.last_atom + self.last_atom * 12.0;
        self.any_scale = true;
        self.j = next;
        self.good = Some((self.j, self.total + self.cur));
        Step::Stop
    }

    /// Decimals after "point": "two hundred point zero three", "nought point
    /// eleven", "point twenty-five".
    fn point(&mut self) -> Step {
        let cx = self.cx;
        let mut k = self.j + 1;
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
            return Step::Stop;
        }
        let frac: f64 = format!("0.{digits}").parse().unwrap_or(0.0);
        self.good = Some((k, self.total + self.cur + frac));
        Step::Stop
    }

    /// An ordinal word (or "half"/"quarter", `is_hq`) of value `ov`: a
    /// denominator ("two thirds"), a unit fraction ("a half", "one eighth") or
    /// the end of an ordinal ("twenty-fifth"). Always ends the number.
    fn ordinal(&mut self, ov: f64, plural: bool, is_hq: bool) -> Step {
        let last = self.last;
        let one_num =
            (last == Last::A) || (last == Last::Unit && self.total == 0.0 && self.cur == 1.0 && self.j > self.i);
        if plural
            && !matches!(last, Last::Start | Last::A)
            && !(self.started_digit && self.words_only && last == Last::Digit)
        {
            self.denominator(ov, is_hq);
            return Step::Stop;
        }
        // news: "a third term" is an ordinal, "a third of voters" a fraction
        let ordinal_reading = self.cx.news && last == Last::A && !is_hq && ov < 100.0 && !self.cx.is(self.j + 1, "of");
        if !plural && one_num && (ov > 1.0 || is_hq) && !ordinal_reading {
            // "one eighth", "a hundredth", "a trillionth", "a half"
            self.good = Some((self.j + 1, 1.0 / ov));
            self.result_fraction = true;
            return Step::Stop;
        }
        if !(plural || is_hq) {
            self.ordinal_end(ov);
        }
        Step::Stop
    }

    /// A plural ordinal as denominator: "two thirds", "one hundred thirty
    /// fifths", "two thirds of a million".
    fn denominator(&mut self, ov: f64, is_hq: bool) {
        let cx = self.cx;
        if self.last == Last::Digit && !self.words_only {
            return;
        }
        let (num, den) =
            if self.last == Last::Tens && !self.tens_after_and && self.before_tens > 0.0 && ov < 10.0 && !is_hq {
                (self.before_tens, (self.cur + self.total - self.before_tens) + ov)
            } else {
                (self.total + self.cur, ov)
            };
        if den == 0.0 {
            return;
        }
        let mut k = self.j + 1;
        let mut v = num / den;
        // "two thirds of a million"
        if cx.is(k, "of")
            && cx.is(k + 1, "a")
            && let Some(s) = scale_word(cx.w(k + 2), false)
        {
            v = times(v, s);
            k += 3;
        }
        self.good = Some((k, v));
        self.result_fraction = true;
    }

    /// An ordinal finishing the number: "twenty-fifth", "two hundredth".
    fn ordinal_end(&mut self, ov: f64) {
        let last = self.last;
        let valid = match last {
            Last::Start => true,
            Last::Tens => ov < 10.0,
            Last::Hundred | Last::Scale => ov < 100.0 || ov > self.largest.max(100.0),
            Last::Unit | Last::Teen | Last::TensUnit | Last::A => ov >= 100.0,
            Last::Digit => false,
        };
        if !valid {
            return;
        }
        let (total, cur) = (self.total, self.cur);
        let v = if ov >= 100.0 && last != Last::Start {
            if ov == 100.0 { total + cur * 100.0 } else { (total + cur) * ov }
        } else {
            total + cur + ov
        };
        if self.cx.numview && ov >= 100.0 && last != Last::Start {
            self.numview_prefix = self.good;
        }
        self.good = Some((self.j + 1, v));
        self.result_ordinal = true;
    }

    /// The number read, with what may follow it ("over three", "twenty-firsts")
    /// and the flags the filters need; `None` when nothing was read or the
    /// reading is plain digits (which [`super::digits`] reads).
    fn into_num(mut self) -> Option<Num> {
        let (cx, i) = (self.cx, self.i);
        let first = &cx.toks[i];
        let lw0 = first.lw.as_ref();
        if let Some(p) = self.numview_prefix {
            self.result_ordinal = false;
            self.good = Some(p);
        }
        if self.good.is_none() && matches!(lw0, "a" | "an") && self.allow_frac {
            self.good = Some((i + 1, 1.0));
        }
        let (mut t1, mut value) = self.good?;
        if self.pending_and
            && !self.result_fraction
            && !self.result_ordinal
            && let Some((k, v)) = self.and_checkpoint
        {
            t1 = k;
            value = v;
        }
        if t1 <= i {
            return None;
        }
        // trim a trailing hyphen token that next_word skipped over
        while t1 > i + 1 && is_hyphen(cx.toks[t1 - 1].s) {
            t1 -= 1;
        }
        let mut n = Num::new(i, t1, first.start, cx.end(t1), value);
        n.ordinal = self.result_ordinal;
        n.fraction = self.result_fraction;
        n.digits = self.started_digit;
        n.scaled = self.any_scale && self.started_digit;
        let single = t1 == i + 1;
        if self.allow_frac && !n.fraction && !n.ordinal {
            ratio(cx, &mut n);
            // "three twenty-firsts", "one twenty-fifth", "twenty twenty fifths"
            if !n.digits && n.t1 == t1 {
                ordinal_denominator(cx, single, &mut n);
            }
        }
        if n.digits && single && !n.fraction {
            // plain digits: let parse_digits handle them
            return None;
        }
        weak_or_capitalised(cx, &mut n)?;
        Some(n)
    }
}

/// "one over three", "1 in twenty-one", "two out of five hundred": makes `n`
/// the ratio when a denominator follows.
fn ratio(cx: &Ctx, n: &mut Num) {
    let (i, k, value) = (n.t0, n.t1, n.value);
    let (conn, kk) = if cx.is(k, "over") {
        ("over", k + 1)
    } else if cx.is(k, "out") && cx.is(k + 1, "of") {
        ("out of", k + 2)
    } else if cx.is(k, "in") {
        ("in", k + 1)
    } else {
        ("", k)
    };
    if conn.is_empty() || conn == "over" && cx.news {
        return;
    }
    let currency_before = i > 0 && is_currency_symbol_tok(cx, i - 1);
    let den = if cx.kind(kk) == Some(TK::Num) {
        let p = interpret_digits(cx.toks[kk].s, false);
        if p.len() == 1 && !cx.glued(kk + 1) { Some((kk + 1, p[0].2)) } else { None }
    } else {
        parse_words(cx, kk, false).and_then(|d| if d.ordinal || d.fraction { None } else { Some((d.t1, d.value)) })
    };
    let Some((dt1, dv)) = den else { return };
    let followed_by_word = cx.kind(dt1) == Some(TK::Word) && !matches!(cx.w(dt1), "and" | "or" | "is" | "are" | "of");
    let ok = dv != 0.0
        && match conn {
            "over" => !currency_before && !followed_by_word,
            _ => value < dv && (conn != "in" || dv < 1000.0 || !n.digits),
        };
    if ok {
        n.value = value / dv;
        n.fraction = true;
        n.t1 = dt1;
        n.end = cx.end(dt1);
        n.weak = false;
    }
}

/// A spelled ordinal denominator after a spelled number: "three twenty-firsts",
/// "one twenty-fifth" (`single`: the number is one word).
fn ordinal_denominator(cx: &Ctx, single: bool, n: &mut Num) {
    let (t1, value) = (n.t1, n.value);
    let lw0 = cx.w(n.t0);
    if let Some((dv, plural, dt1)) = ordinal_phrase(cx, t1)
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
}

/// Marks a lone "one" weak and a capitalised word mid-sentence ("BBC One");
/// `None` when a lone "one"/"a" is a pronoun or article, not a number.
fn weak_or_capitalised(cx: &Ctx, n: &mut Num) -> Option<()> {
    let (i, toks) = (n.t0, cx.toks);
    let first = &toks[i];
    let lw0 = first.lw.as_ref();
    if n.t1 == i + 1 && matches!(lw0, "one" | "a" | "an") {
        n.weak = true;
        // "the one you mentioned", "which one": pronoun, not a number
        if i > 0 && PRONOUN_BEFORE_ONE.contains(&toks[i - 1].lw.as_ref()) {
            return None;
        }
        if lw0 != "one" {
            return None;
        }
    }
    if !n.digits
        && first.s.chars().next().is_some_and(|c| c.is_uppercase())
        && i > 0
        && !matches!(toks[i - 1].s, "." | "\"" | "“" | "‘" | "'" | "(" | "!" | "?" | ":" | "—")
    {
        n.capitalised_word = true;
    }
    Some(())
}

/// A spelled ordinal, possibly compound ("twenty-first", "one hundred and fifth"),
/// starting at token `k`: (value, plural, end token).
pub(super) fn ordinal_phrase(cx: &Ctx, k: usize) -> Option<(f64, bool, usize)> {
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

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    /// (mention, value) of the spelled number at the start of `text`.
    fn read(text: &str, news: bool) -> Option<(String, f64)> {
        let toks = tokenize(text);
        let cx = Ctx { text, toks: &toks, news, numview: false };
        parse_words(&cx, 0, true).map(|n| (text[n.start..n.end].to_string(), n.value))
    }

    #[test]
    fn groups_scales_and_and() {
        assert_eq!(
            read("twenty-one trillion and three hundred", false),
            Some(("twenty-one trillion and three hundred".into(), 21e12 + 300.0))
        );
        assert_eq!(read("3 hundred and 21 people", false), Some(("3 hundred and 21".into(), 321.0)));
        // a dangling "and" falls back to the reading before it
        assert_eq!(read("three hundred and the", false), Some(("three hundred".into(), 300.0)));
        assert_eq!(read("two dozen eggs", true), Some(("two dozen".into(), 24.0)));
    }

    #[test]
    fn fractions_and_ordinals() {
        assert_eq!(read("three and a half hours", true), Some(("three and a half".into(), 3.5)));
        assert_eq!(read("two thirds of a million", true), Some(("two thirds of a million".into(), 2.0 / 3.0 * 1e6)));
        assert_eq!(read("twenty-fifth", true), Some(("twenty-fifth".into(), 25.0)));
        assert_eq!(read("nine point nought four", false), Some(("nine point nought four".into(), 9.04)));
        assert_eq!(read("1 in twenty", false), Some(("1 in twenty".into(), 0.05)));
    }

    #[test]
    fn vague_counts_weak_words_and_pronouns() {
        assert_eq!(read("Hundreds of people", true), Some(("Hundreds of".into(), 100.0)));
        assert_eq!(read("half a billion", true), Some(("half a billion".into(), 5e8)));
        let toks = tokenize("the one");
        let cx = Ctx { text: "the one", toks: &toks, news: true, numview: false };
        assert!(parse_words(&cx, 1, true).is_none(), "a pronoun");
        assert!(read("3 people", true).is_none(), "plain digits are not spelled");
    }
}
