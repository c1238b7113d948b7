//! Scores the figures extractor against quantity test cases in quantulum3's
//! format: a JSON array of `{req: sentence, res: [{surface, value, unit,
//! uncertainty?}]}` (`../shared/eval/quantulum3/quantities*.json`, MIT).
//!
//! The extractor runs as the product does (news filters on). For every expected
//! quantity that fits docsql's schema:
//! - **exact**: a figure whose mention is the surface, character for character,
//!   with the value (a range `a to b`, written there as midpoint ± half-width,
//!   must be our `value = a`, `value_max = b`);
//! - **value**: a figure overlapping the surface with that value, whatever its span;
//! - **unit**: a figure overlapping the surface with that value and unit (the
//!   quantulum unit name compared with our canonical one; currencies as ISO codes;
//!   any unit for a dimensionless number).
//!
//! Minor currency units are compared converted, as docsql reports them ("3 dimes"
//! is 0.30 USD). Expected quantities left out, each with the reason printed by
//! `--verbose` (see [`exclusion`]): bare years, numbers inside names and model
//! codes, an article as the number ("a gallon", "a dozen" = one dozen there, 12
//! here), changes written "from X to Y" after a verb (two figures here), and
//! units of physics outside news prose (inverse units, uncertainties, arc
//! minutes, barns, grays, geological years, attometres).

use crate::extract::figures::{Figure, FigureKind, FigureOptions, extract_figures};
use serde_json::Value;

/// The result of scoring one file of quantity cases.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuantityScore {
    /// The file's name, as given.
    pub file: String,
    /// Expected quantities scored.
    pub total: usize,
    /// Expected quantities left out as outside the schema.
    pub excluded: usize,
    /// Scored quantities found with the exact span and value.
    pub exact: usize,
    /// Scored quantities found with the right value (any span).
    pub values: usize,
    /// Scored quantities found with the right value and unit.
    pub units: usize,
    /// Figures we report that overlap no expected quantity (a rough precision check;
    /// the sets do not list every number).
    pub spurious: usize,
    /// One line per miss or exclusion, for `--verbose`.
    pub details: Vec<String>,
}

impl QuantityScore {
    /// `part` of the scored total as a fraction (0 when nothing was scored).
    pub fn rate(&self, part: usize) -> f64 {
        if self.total == 0 { 0.0 } else { part as f64 / self.total as f64 }
    }
}

/// One expected quantity.
struct Expected<'a> {
    surface: &'a str,
    value: f64,
    uncertainty: Option<f64>,
    unit: &'a str,
}

/// Why an expected quantity is outside docsql's schema, or `None` to score it.
pub fn exclusion(sentence: &str, surface: &str, value: f64, unit: &str) -> Option<&'static str> {
    let before = sentence.find(surface).map(|i| &sentence[..i]).unwrap_or("");
    let prev_word = before.split_whitespace().last().unwrap_or("");
    let lower = surface.to_lowercase();
    let plain_int = surface.chars().all(|c| c.is_ascii_digit());
    if unit == "dimensionless" && plain_int && (1000.0..=2100.0).contains(&value) {
        return Some("a year: news filters make it a date, not a figure");
    }
    let ends_name = |w: &str| {
        let w = w.trim_matches(['—', '-', '"', '“', '(']);
        let last = w.rsplit(['—', '-']).next().unwrap_or(w);
        last.chars().next().is_some_and(char::is_uppercase)
            || last.chars().any(|c| c.is_ascii_digit()) && last.chars().any(char::is_alphabetic)
    };
    if unit == "dimensionless" && plain_int && !prev_word.is_empty() && ends_name(prev_word) {
        return Some("part of a name or model code (\"Voyager 2\", \"Core i7 860\")");
    }
    let article_number =
        ["hundred", "thousand", "million", "billion"].iter().any(|w| lower.starts_with(&format!("a {w}")));
    if (lower.starts_with("a ") || lower.starts_with("an ")) && !article_number || lower == "absolute zero" {
        return Some("no number written: an article or a name stands for it");
    }
    if lower.contains('±') || lower.contains("+/-") {
        return Some("a measurement uncertainty");
    }
    let change_verb = ["rose", "reduced", "increased", "fell", "cut", "raised"];
    let last_words: Vec<&str> = before.split_whitespace().rev().take(3).collect();
    if lower.contains(" to ")
        && last_words.contains(&"from")
        && change_verb.iter().any(|v| before.split_whitespace().any(|w| w == *v))
    {
        return Some("a change (\"rose from X to Y\"): two figures in docsql");
    }
    let physics = [
        "inverse",
        "per square",
        "per cubic",
        "of arc",
        "barn",
        "gray",
        "candela",
        "joule second",
        "gigayear",
        "megayear",
        "attometre",
        "picometre",
        "kibibyte",
        "watt per minute",
        "per square second",
    ];
    if physics.iter().any(|p| unit.contains(p)) {
        return Some("a unit of physics outside news prose");
    }
    None
}

/// Our canonical unit for a quantulum unit name (currencies as ISO codes).
fn canonical_expected_unit(unit: &str) -> String {
    let lower = unit.to_lowercase();
    let mut out = lower.clone();
    for (name, code) in [
        ("pound sterling", "GBP"),
        ("dollar", "USD"),
        ("euro", "EUR"),
        ("yen", "JPY"),
        ("penny", "GBP"),
        ("cent", "USD"),
        ("dime", "USD"),
        ("pound-mass", "pound"),
    ] {
        if lower == name || lower.starts_with(&format!("{name} per ")) {
            out = lower.replacen(name, code, 1);
        }
    }
    if lower == "percentage" {
        out = "%".into();
    }
    out
}

/// Multiplier from a minor currency unit to its major unit (docsql converts).
fn minor_factor(unit: &str) -> f64 {
    match unit {
        "penny" | "cent" => 0.01,
        "dime" => 0.1,
        _ => 1.0,
    }
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

fn value_matches(f: &Figure, e: &Expected) -> bool {
    let k = minor_factor(e.unit);
    match (e.uncertainty, f.value_max) {
        (Some(u), Some(hi)) if u > 0.0 => {
            let (lo_e, hi_e) = ((e.value - u) * k, (e.value + u) * k);
            let (lo, hi) = (f.value.min(hi), f.value.max(hi));
            close(lo, lo_e) && close(hi, hi_e)
        }
        (Some(u), None) if u > 0.0 => false,
        (_, Some(_)) => false,
        _ => close(f.value, e.value * k),
    }
}

fn unit_matches(f: &Figure, e: &Expected) -> bool {
    if e.unit == "dimensionless" {
        return matches!(f.kind, FigureKind::Count | FigureKind::Ordinal);
    }
    let want = canonical_expected_unit(e.unit);
    f.unit.as_deref().is_some_and(|u| u.eq_ignore_ascii_case(&want))
}

/// Parses one file (`json`) of quantulum3 cases and scores our extractor on it.
pub fn score_quantities(file_name: &str, json: &str) -> Result<QuantityScore, String> {
    let cases: Value = serde_json::from_str(json).map_err(|e| format!("{file_name}: {e}"))?;
    let cases = cases.as_array().ok_or_else(|| format!("{file_name}: expected a JSON array of cases"))?;
    let mut score = QuantityScore { file: file_name.to_string(), ..Default::default() };
    let options = FigureOptions::default();
    for case in cases {
        let sentence =
            case.get("req").and_then(Value::as_str).ok_or_else(|| format!("{file_name}: case without req"))?;
        let figures = extract_figures(sentence, &options);
        let mut overlapped = vec![false; figures.len()];
        for r in case.get("res").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
            let surface = r.get("surface").and_then(Value::as_str).unwrap_or("").trim();
            let value = r.get("value").and_then(Value::as_f64).unwrap_or(f64::NAN);
            let unit = r.get("unit").and_then(Value::as_str).unwrap_or("");
            let uncertainty = r.get("uncertainty").and_then(Value::as_f64);
            let Some(at) = sentence.find(surface) else {
                return Err(format!("{file_name}: surface {surface:?} is not in {sentence:?}"));
            };
            let span = at..at + surface.len();
            let e = Expected { surface, value, uncertainty, unit };
            for (k, f) in figures.iter().enumerate() {
                if f.start < span.end && span.start < f.end {
                    overlapped[k] = true;
                }
            }
            if let Some(reason) = exclusion(sentence, surface, value, unit) {
                score.excluded += 1;
                score.details.push(format!("excluded {surface:?} in {sentence:?}: {reason}"));
                continue;
            }
            score.total += 1;
            let near: Vec<&Figure> = figures.iter().filter(|f| f.start < span.end && span.start < f.end).collect();
            let exact = near.iter().any(|f| &sentence[f.start..f.end] == e.surface && value_matches(f, &e));
            let valued = near.iter().any(|f| value_matches(f, &e));
            let united = near.iter().any(|f| value_matches(f, &e) && unit_matches(f, &e));
            score.exact += usize::from(exact);
            score.values += usize::from(valued);
            score.units += usize::from(united);
            if !(exact && united) {
                let got: Vec<String> = near.iter().map(|f| show(sentence, f)).collect();
                let what = if !valued {
                    "value"
                } else if !exact {
                    "span"
                } else {
                    "unit"
                };
                score.details.push(format!(
                    "{what} miss: expected {surface:?} = {value}{} {unit} in {sentence:?}; got [{}]",
                    uncertainty.filter(|u| *u > 0.0).map(|u| format!(" ± {u}")).unwrap_or_default(),
                    got.join(", ")
                ));
            }
        }
        score.spurious += overlapped.iter().filter(|o| !**o).count();
    }
    Ok(score)
}

fn show(sentence: &str, f: &Figure) -> String {
    let max = f.value_max.map(|m| format!("..{m}")).unwrap_or_default();
    format!(
        "{:?} = {}{max} {} {}",
        &sentence[f.start..f.end],
        f.value,
        f.kind.as_str(),
        f.unit.as_deref().unwrap_or("-")
    )
}

/// True when `json` looks like quantulum3 cases (objects with `req` and `res`)
/// rather than Recognizers-Text specs.
pub fn is_quantity_file(json: &str) -> bool {
    serde_json::from_str::<Value>(json)
        .ok()
        .and_then(|v| v.as_array().and_then(|a| a.first().cloned()))
        .is_some_and(|c| c.get("req").is_some() && c.get("res").is_some())
}

/// Scores as a table: `file, scored, excluded, exact, values, units, spurious`
/// and the three rates, one row per file.
pub fn quantity_batch(scores: &[QuantityScore]) -> datafusion::arrow::record_batch::RecordBatch {
    use std::sync::Arc;

    use datafusion::arrow::array::{ArrayRef, Float64Array, StringArray, UInt64Array};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    let count = |name: &str| Field::new(name, DataType::UInt64, false);
    let rate = |name: &str| Field::new(name, DataType::Float64, false);
    let schema = Arc::new(Schema::new(vec![
        Field::new("file", DataType::Utf8, false),
        count("scored"),
        count("excluded"),
        count("exact"),
        count("values"),
        count("units"),
        count("spurious"),
        rate("exact_rate"),
        rate("value_rate"),
        rate("unit_rate"),
    ]));
    let counts = |f: fn(&QuantityScore) -> usize| -> ArrayRef {
        Arc::new(UInt64Array::from_iter_values(scores.iter().map(|s| f(s) as u64)))
    };
    let rates = |f: fn(&QuantityScore) -> usize| -> ArrayRef {
        Arc::new(Float64Array::from_iter_values(scores.iter().map(|s| (s.rate(f(s)) * 1000.0).round() / 1000.0)))
    };
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(scores.iter().map(|s| s.file.as_str()))),
        counts(|s| s.total),
        counts(|s| s.excluded),
        counts(|s| s.exact),
        counts(|s| s.values),
        counts(|s| s.units),
        counts(|s| s.spurious),
        rates(|s| s.exact),
        rates(|s| s.values),
        rates(|s| s.units),
    ];
    datafusion::arrow::record_batch::RecordBatch::try_new(schema, columns).expect("columns match the schema")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_spans_values_and_exclusions() {
        let json = r#"[
            {"req": "It cost $5 in 1979.", "res": [
                {"surface": "$5", "value": 5, "unit": "dollar"},
                {"surface": "1979", "value": 1979, "unit": "dimensionless"}]},
            {"req": "It was 3 to 4 L of wine.", "res": [
                {"surface": "3 to 4 L", "value": 3.5, "unit": "litre", "uncertainty": 0.5}]},
            {"req": "It runs 12 km.", "res": [{"surface": "12 km", "value": 13, "unit": "kilometre"}]}
        ]"#;
        let s = score_quantities("q.json", json).unwrap();
        assert_eq!((s.total, s.excluded), (3, 1));
        assert_eq!(s.exact, 2, "{:?}", s.details);
        assert_eq!(s.values, 2);
        assert!(s.details.iter().any(|d| d.starts_with("value miss") && d.contains("12 km")), "{:?}", s.details);
        assert!(is_quantity_file(json));
        assert!(!is_quantity_file(r#"[{"Input": "x", "Results": []}]"#));
    }

    #[test]
    fn minor_units_and_ranges_compare_as_docsql_reports_them() {
        let f = |value, value_max| Figure {
            start: 0,
            end: 1,
            phrase_start: 0,
            phrase_end: 1,
            value,
            value_max,
            kind: FigureKind::Money,
            unit: Some("USD".into()),
            unit_text: None,
            qualifier: None,
            direction: None,
        };
        let e = Expected { surface: "3 dimes", value: 3.0, uncertainty: None, unit: "dime" };
        assert!(value_matches(&f(0.3, None), &e) && unit_matches(&f(0.3, None), &e));
        let e =
            Expected { surface: "-18 °C to -34 °C", value: -26.0, uncertainty: Some(8.0), unit: "degree Celsius" };
        assert!(value_matches(&f(-34.0, Some(-18.0)), &e));
        assert!(!value_matches(&f(-26.0, None), &e));
    }
}
