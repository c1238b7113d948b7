//! Scores the figures extractor against Microsoft Recognizers-Text English number
//! specs (`NumberModel`, `PercentModel`, `OrdinalModel`, `NumberRangeModel` JSON).
//!
//! Each spec case is `{Input, Results:[{Text, Start, End, Resolution:{value}}],
//! NotSupported?, NotSupportedByDesign?}` with character offsets and an inclusive
//! `End`. A case passes when the set of (lower-cased text, start, end, value) we
//! produce equals the expected set exactly.
//!
//! Skip rule: the .NET port is the reference implementation, so a case is skipped
//! only when its `NotSupported` or `NotSupportedByDesign` list names `dotnet`.
//!
//! How our output maps onto each model (always with `news_filters = false`):
//! - `NumberModel`: [`extract_numbers`] (the bare number layer), ordinals left out;
//!   values compared as numbers.
//! - `PercentModel`: percent figures of [`extract_figures`]; "15%" → 15, "null" → NaN.
//! - `OrdinalModel`: ordinal figures; relative ordinals (unit "end"/"current")
//!   compare as "end-1", "current+0".
//! - `NumberRangeModel`: figures that are ranges or bounds, as intervals: a range
//!   is `[low,high)`, a qualifier gives the open/closed side ("more than" → `(v,)`,
//!   "at least" → `[v,)`, "less than" → `(,v)`, "at most"/"up to" → `(,v]`,
//!   "equal to" → `[v,v]`, "more than and at most" → `(low,high]`).

use crate::extract::figures::{Figure, FigureKind, FigureOptions, extract_figures, extract_numbers};
use serde_json::Value;

/// The result of scoring one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecScore {
    /// The spec's file name, as given.
    pub file: String,
    /// Cases where our spans and values equal the expected ones exactly.
    pub passed: usize,
    /// Cases scored (skipped cases excluded).
    pub total: usize,
    /// One line per failed case: input, expected and what we produced.
    pub failures: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Model {
    Number,
    Percent,
    Ordinal,
    Range,
}

/// A comparable value: numbers compare with a relative tolerance because the spec
/// prints .NET doubles with 15 significant digits.
#[derive(Debug, Clone)]
enum Val {
    Num(f64),
    Rel(String, f64),
    Interval { lo_closed: bool, lo: Option<f64>, hi: Option<f64>, hi_closed: bool },
}

fn close(a: f64, b: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
}

fn close_opt(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => close(a, b),
        _ => false,
    }
}

impl PartialEq for Val {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Val::Num(a), Val::Num(b)) => close(*a, *b),
            (Val::Rel(a, x), Val::Rel(b, y)) => a == b && close(*x, *y),
            (
                Val::Interval { lo_closed: a1, lo: a2, hi: a3, hi_closed: a4 },
                Val::Interval { lo_closed: b1, lo: b2, hi: b3, hi_closed: b4 },
            ) => a1 == b1 && a4 == b4 && close_opt(*a2, *b2) && close_opt(*a3, *b3),
            _ => false,
        }
    }
}

impl std::fmt::Display for Val {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Val::Num(v) => write!(f, "{v}"),
            Val::Rel(a, o) => write!(f, "{a}{o:+}"),
            Val::Interval { lo_closed, lo, hi, hi_closed } => {
                let s = |v: &Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
                write!(
                    f,
                    "{}{},{}{}",
                    if *lo_closed { '[' } else { '(' },
                    s(lo),
                    s(hi),
                    if *hi_closed { ']' } else { ')' }
                )
            }
        }
    }
}

/// (lower-cased text, start char, end char inclusive, value)
type Item = (String, i64, i64, Val);

fn model_of(file_name: &str) -> Option<Model> {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    if base.starts_with("NumberRangeModel") {
        Some(Model::Range)
    } else if base.starts_with("PercentModel") {
        Some(Model::Percent)
    } else if base.starts_with("OrdinalModel") {
        Some(Model::Ordinal)
    } else if base.starts_with("NumberModel") {
        Some(Model::Number)
    } else {
        None
    }
}

fn parse_interval(s: &str) -> Option<Val> {
    let s = s.trim();
    let lo_closed = s.starts_with('[');
    let hi_closed = s.ends_with(']');
    let inner = s.get(1..s.len().checked_sub(1)?)?;
    let (a, b) = inner.split_once(',')?;
    let num = |t: &str| if t.trim().is_empty() { Ok(None) } else { t.trim().parse::<f64>().map(Some) };
    Some(Val::Interval { lo_closed, lo: num(a).ok()?, hi: num(b).ok()?, hi_closed })
}

fn expected_value(model: Model, v: &str) -> Option<Val> {
    match model {
        Model::Number => v.parse().ok().map(Val::Num),
        Model::Percent => {
            if v == "null" {
                Some(Val::Num(f64::NAN))
            } else {
                v.trim_end_matches('%').parse().ok().map(Val::Num)
            }
        }
        Model::Ordinal => {
            for anchor in ["end", "current", "start"] {
                if let Some(rest) = v.strip_prefix(anchor) {
                    return rest.parse().ok().map(|o| Val::Rel(anchor.to_string(), o));
                }
            }
            v.parse().ok().map(Val::Num)
        }
        Model::Range => parse_interval(v),
    }
}

/// The interval a figure stands for, if it is a range or a bound.
fn figure_interval(f: &Figure) -> Option<Val> {
    let q = f.qualifier.as_deref().unwrap_or("");
    let side = |q: &str| -> Option<(bool, bool)> {
        // (is lower bound, closed)
        Some(match q {
            "more than" | "over" | "above" | "just over" | "well over" => (true, false),
            "at least" => (true, true),
            "less than" | "fewer than" | "below" | "under" | "just under" | "well under" => (false, false),
            "at most" | "up to" => (false, true),
            _ => return None,
        })
    };
    if let Some(hi) = f.value_max {
        if let Some((a, b)) = q.split_once(" and ") {
            let (_, lc) = side(a)?;
            let (_, hc) = side(b)?;
            return Some(Val::Interval { lo_closed: lc, lo: Some(f.value), hi: Some(hi), hi_closed: hc });
        }
        return Some(Val::Interval { lo_closed: true, lo: Some(f.value), hi: Some(hi), hi_closed: false });
    }
    if q == "equal to" {
        return Some(Val::Interval { lo_closed: true, lo: Some(f.value), hi: Some(f.value), hi_closed: true });
    }
    let (lower, closed) = side(q)?;
    Some(if lower {
        Val::Interval { lo_closed: closed, lo: Some(f.value), hi: None, hi_closed: false }
    } else {
        Val::Interval { lo_closed: false, lo: None, hi: Some(f.value), hi_closed: closed }
    })
}

fn char_span(input: &str, start: usize, end: usize) -> (i64, i64) {
    let s = input.get(..start).map(|p| p.chars().count()).unwrap_or(0) as i64;
    let e = input.get(..end).map(|p| p.chars().count()).unwrap_or(0) as i64;
    (s, e - 1)
}

fn ours(model: Model, input: &str) -> Vec<Item> {
    let opts = FigureOptions { news_filters: false };
    let figs: Vec<(Figure, Val)> = match model {
        Model::Number => extract_numbers(input)
            .into_iter()
            .filter(|f| f.kind != FigureKind::Ordinal)
            .map(|f| {
                let v = Val::Num(f.value);
                (f, v)
            })
            .collect(),
        Model::Percent => extract_figures(input, &opts)
            .into_iter()
            .filter(|f| f.kind == FigureKind::Percent && f.value_max.is_none())
            .map(|f| {
                let v = Val::Num(f.value);
                (f, v)
            })
            .collect(),
        Model::Ordinal => extract_figures(input, &opts)
            .into_iter()
            .filter(|f| f.kind == FigureKind::Ordinal && f.value_max.is_none())
            .map(|f| {
                let v = match f.unit.as_deref() {
                    Some(a @ ("end" | "current")) => Val::Rel(a.to_string(), f.value),
                    _ => Val::Num(f.value),
                };
                (f, v)
            })
            .collect(),
        Model::Range => {
            extract_figures(input, &opts).into_iter().filter_map(|f| figure_interval(&f).map(|v| (f, v))).collect()
        }
    };
    // the specs' spans are whole phrases: "more than 10", "15 per cent", "500 or more"
    figs.into_iter()
        .map(|(f, v)| {
            let (a, b) = if model == Model::Number { (f.start, f.end) } else { spec_span(input, &f) };
            let (s, e) = char_span(input, a, b);
            (input.get(a..b).unwrap_or("").to_lowercase(), s, e, v)
        })
        .collect()
}

/// The span the specs mark: the phrase with a bound ("more than 10", "500 or
/// more", "from 5 to 7") but without a vague qualifier ("about"), and without a
/// unit of measure ("more than thirty [years]"), which they do not model.
fn spec_span(input: &str, f: &Figure) -> (usize, usize) {
    let vague = f
        .qualifier
        .as_deref()
        .is_some_and(|q| figure_interval(&Figure { value_max: None, ..f.clone() }).is_none() && !q.contains(" and "));
    let start = if vague { f.start } else { f.phrase_start };
    let mut end = f.phrase_end;
    if f.kind == FigureKind::Quantity
        && f.phrase_end == f.end
        && let Some(unit) = f.unit_text.as_deref()
        && let Some(before) = input.get(..end).and_then(|t| t.strip_suffix(unit))
    {
        end = before.trim_end_matches([' ', '-']).len();
    }
    (start, end.max(start))
}

fn same(a: &[Item], b: &[Item]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut used = vec![false; b.len()];
    a.iter().all(|x| {
        if let Some(k) = (0..b.len()).find(|&k| !used[k] && b[k] == *x) {
            used[k] = true;
            true
        } else {
            false
        }
    })
}

fn show(items: &[Item]) -> String {
    let parts: Vec<String> = items.iter().map(|(t, s, e, v)| format!("{t:?}@{s}..{e}={v}")).collect();
    format!("[{}]", parts.join(", "))
}

fn names_dotnet(v: Option<&Value>) -> bool {
    v.and_then(Value::as_str).is_some_and(|s| s.split(',').any(|p| p.trim().eq_ignore_ascii_case("dotnet")))
}

/// Parses one spec file (`json`) and scores our extractor on it. The model is taken
/// from the file name (`NumberModel*.json`, `PercentModel*`, `OrdinalModel*`,
/// `NumberRangeModel*`).
pub fn score_spec(file_name: &str, json: &str) -> Result<SpecScore, String> {
    let model =
        model_of(file_name).ok_or_else(|| format!("{file_name}: not a Number/Percent/Ordinal/NumberRange spec"))?;
    let cases: Value = serde_json::from_str(json).map_err(|e| format!("{file_name}: {e}"))?;
    let cases = cases.as_array().ok_or_else(|| format!("{file_name}: expected a JSON array of cases"))?;
    let mut score = SpecScore { file: file_name.to_string(), passed: 0, total: 0, failures: Vec::new() };
    for case in cases {
        if names_dotnet(case.get("NotSupported")) || names_dotnet(case.get("NotSupportedByDesign")) {
            continue;
        }
        let input =
            case.get("Input").and_then(Value::as_str).ok_or_else(|| format!("{file_name}: case without Input"))?;
        let mut expected: Vec<Item> = Vec::new();
        let mut bad = false;
        for r in case.get("Results").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
            let text = r.get("Text").and_then(Value::as_str).unwrap_or("").to_lowercase();
            let start = r.get("Start").and_then(Value::as_i64).unwrap_or(-1);
            let end = r.get("End").and_then(Value::as_i64).unwrap_or(-1);
            let raw = r.get("Resolution").and_then(|x| x.get("value")).and_then(Value::as_str).unwrap_or("null");
            match expected_value(model, raw) {
                Some(v) => expected.push((text, start, end, v)),
                None => bad = true,
            }
        }
        score.total += 1;
        let got = ours(model, input);
        if !bad && same(&expected, &got) {
            score.passed += 1;
        } else {
            score.failures.push(format!("{input:?}: expected {} got {}", show(&expected), show(&got)));
        }
    }
    Ok(score)
}

/// Scores as a table: `file, passed, total, accuracy` (accuracy a fraction in
/// 0..1), one row per spec file, ready for any output format.
pub fn scores_batch(scores: &[SpecScore]) -> datafusion::arrow::record_batch::RecordBatch {
    use std::sync::Arc;

    use datafusion::arrow::array::{ArrayRef, Float64Array, StringArray, UInt64Array};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    let schema = Arc::new(Schema::new(vec![
        Field::new("file", DataType::Utf8, false),
        Field::new("passed", DataType::UInt64, false),
        Field::new("total", DataType::UInt64, false),
        Field::new("accuracy", DataType::Float64, false),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(scores.iter().map(|s| s.file.as_str()))),
        Arc::new(UInt64Array::from_iter_values(scores.iter().map(|s| s.passed as u64))),
        Arc::new(UInt64Array::from_iter_values(scores.iter().map(|s| s.total as u64))),
        Arc::new(Float64Array::from_iter_values(scores.iter().map(SpecScore::accuracy))),
    ];
    datafusion::arrow::record_batch::RecordBatch::try_new(schema, columns).expect("columns match the schema")
}

impl SpecScore {
    /// Passed cases as a fraction of scored cases (0 when none were scored).
    pub fn accuracy(&self) -> f64 {
        if self.total == 0 { 0.0 } else { self.passed as f64 / self.total as f64 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_a_tiny_spec() {
        let json = r#"[
          {"Input":"more than 26,600 people","Results":[{"Text":"more than 26,600","Start":0,"End":15,"Resolution":{"value":"(26600,)"}}]},
          {"Input":"x","NotSupported":"dotnet","Results":[{"Text":"x","Start":0,"End":0,"Resolution":{"value":"(1,)"}}]},
          {"Input":"between 20 and 30","Results":[{"Text":"between 20 and 30","Start":0,"End":16,"Resolution":{"value":"[20,31)"}}]}
        ]"#;
        let s = score_spec("NumberRangeModel.json", json).unwrap();
        assert_eq!((s.passed, s.total, s.failures.len()), (1, 2, 1));
        let s = score_spec(
            "NumberModel.json",
            r#"[{"Input":"£5 and ½","Results":[
            {"Text":"5","Start":1,"End":1,"Resolution":{"value":"5"}},
            {"Text":"½","Start":7,"End":7,"Resolution":{"value":"0.5"}}]}]"#,
        )
        .unwrap();
        assert_eq!((s.passed, s.total), (1, 1), "{:?}", s.failures);
        assert!(score_spec("Other.json", "[]").is_err());
        assert!(score_spec("NumberModel.json", "{").is_err());
    }
}
