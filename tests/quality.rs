//! Extraction quality against the external gold sets in ../shared (issues #3, #4).
//! Floors only go up: raise them when the extractors improve.

use std::path::{Path, PathBuf};
use std::process::Command;

use docsql::extract::ner;
use docsql::tools;

/// Shared evaluation data, or `None` (with a message) when absent.
fn shared(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared").join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: {} is absent", path.display());
        None
    }
}

/// Runs the binary, asserts success and returns its stdout.
fn docsql_stdout(args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_docsql")).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Floors measured on CoNLL-2003 test (0.889 overall when pinned).
const NER_FLOOR_OVERALL: f64 = 0.885;
const NER_FLOOR_PER_TYPE: f64 = 0.80;

#[test]
fn ner_f1_on_conll2003_test_stays_above_floor() {
    let Some(path) = shared("eval/conll2003/test.txt") else { return };
    let text = std::fs::read_to_string(path).unwrap();
    let scores = tools::evaluate(ner::embedded(), &text);
    assert_eq!(scores.overall.gold, 5648, "the standard test set has 5,648 entities");
    assert!(scores.overall.f1 >= NER_FLOOR_OVERALL, "overall F1 {:.4} < {NER_FLOOR_OVERALL}", scores.overall.f1);
    for t in &scores.per_type {
        assert!(t.f1 >= NER_FLOOR_PER_TYPE, "{} F1 {:.4} < {NER_FLOOR_PER_TYPE}", t.label, t.f1);
    }
}

#[test]
fn eval_ner_prints_the_documented_csv() {
    let Some(path) = shared("eval/conll2003/dev.txt") else { return };
    let stdout = docsql_stdout(&["eval-ner".as_ref(), path.as_os_str(), "--format".as_ref(), "csv".as_ref()]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "type,precision,recall,f1,gold,predicted");
    let types: Vec<&str> = lines[1..].iter().map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(types, vec!["PER", "ORG", "LOC", "MISC", "ALL"]);
    let all: Vec<&str> = lines[5].split(',').collect();
    let f1: f64 = all[3].parse().unwrap();
    assert!((0.0..=1.0).contains(&f1) && f1 > 0.9, "dev F1 {f1}");
    assert_eq!(all[4], "5942", "gold entities in CoNLL-2003 dev");
}

/// Training is deterministic for a seed (checked on a slice of the data to stay fast).
#[test]
fn training_is_deterministic_for_a_seed() {
    let (Some(train), Some(dev)) = (shared("eval/conll2003/train.txt"), shared("eval/conll2003/dev.txt")) else {
        return;
    };
    let head = |path: &Path, docs: usize| -> String {
        let text = std::fs::read_to_string(path).unwrap();
        let mut out = String::new();
        let mut seen = 0;
        for line in text.lines() {
            if line.starts_with("-DOCSTART-") {
                seen += 1;
                if seen > docs {
                    break;
                }
            }
            out.push_str(line);
            out.push('\n');
        }
        out
    };
    let (train, dev) = (head(&train, 40), head(&dev, 10));
    let a = tools::train(&train, &dev, 7, 2).to_bytes();
    let b = tools::train(&train, &dev, 7, 2).to_bytes();
    assert!(a == b, "same seed, same model");
    let model = ner::NerModel::from_bytes(&a).unwrap();
    let scores = tools::evaluate(&model, &dev);
    assert!(scores.overall.predicted > 0, "a model trained on 40 documents finds entities");
}

/// Floors measured on Microsoft Recognizers-Text English specs when pinned:
/// Number 233/234, Percent 20/20, Ordinal 52/54, NumberRange 84/87.
const FIGURE_FLOORS: [(&str, f64); 4] = [
    ("NumberModel.json", 0.99),
    ("PercentModel.json", 1.0),
    ("OrdinalModel.json", 0.96),
    ("NumberRangeModel.json", 0.96),
];

#[test]
fn figures_pass_the_recognizers_specs_above_floors() {
    let Some(dir) = shared("eval/recognizers") else { return };
    for (file, floor) in FIGURE_FLOORS {
        let json = std::fs::read_to_string(dir.join(file)).unwrap();
        let score = docsql::tools::figures_eval::score_spec(file, &json).unwrap();
        assert!(score.total > 0);
        assert!(
            score.accuracy() >= floor,
            "{file}: {}/{} < {floor}\n{}",
            score.passed,
            score.total,
            score.failures.join("\n")
        );
    }
}

/// Floors on quantulum3's quantity cases, both files together (measured when
/// pinned: exact 131/139 = 0.942, values 133/139 = 0.957, units 125/139 = 0.899).
const QUANTITY_FLOORS: (f64, f64, f64) = (0.94, 0.95, 0.89);

#[test]
fn figures_pass_the_quantity_cases_above_floors() {
    let Some(dir) = shared("eval/quantulum3") else { return };
    let (mut total, mut exact, mut values, mut units) = (0, 0, 0, 0);
    let mut details = Vec::new();
    for file in ["quantities.json", "quantities.ambiguity.json"] {
        let json = std::fs::read_to_string(dir.join(file)).unwrap();
        let s = docsql::tools::quantity_eval::score_quantities(file, &json).unwrap();
        // what is left out is said, and is the minority
        assert!(s.excluded < s.total / 2, "{file}: {} excluded of {}", s.excluded, s.total);
        (total, exact, values, units) = (total + s.total, exact + s.exact, values + s.values, units + s.units);
        details.extend(s.details.into_iter().filter(|d| !d.starts_with("excluded")));
    }
    let rate = |n: usize| n as f64 / total as f64;
    let (exact_floor, value_floor, unit_floor) = QUANTITY_FLOORS;
    let report = format!("exact {exact}, values {values}, units {units} of {total}\n{}", details.join("\n"));
    assert!(rate(exact) >= exact_floor && rate(values) >= value_floor && rate(units) >= unit_floor, "{report}");
}

/// Our own news-style cases (`tests/data/news_quantities.json`: 80 sentences,
/// 149 quantities in quantulum3's format, written for docsql by a helper who had
/// not seen the extractor). First scored untouched: exact 0.959, values 0.986;
/// after fixing the classes it showed (Reuters "cts", basis points, "crowns",
/// "grow by 3 to 3.5 per cent", "2,000-square-foot"): 0.986, 1.000, units 0.973.
const NEWS_QUANTITY_FLOORS: (f64, f64, f64) = (0.98, 0.99, 0.97);

#[test]
fn figures_pass_our_news_quantity_cases_above_floors() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/news_quantities.json");
    let json = std::fs::read_to_string(path).unwrap();
    let s = docsql::tools::quantity_eval::score_quantities("news_quantities.json", &json).unwrap();
    let (exact_floor, value_floor, unit_floor) = NEWS_QUANTITY_FLOORS;
    let report =
        format!("exact {}, values {}, units {} of {}\n{}", s.exact, s.values, s.units, s.total, s.details.join("\n"));
    assert!(s.total >= 140, "{report}");
    assert!(
        s.rate(s.exact) >= exact_floor && s.rate(s.values) >= value_floor && s.rate(s.units) >= unit_floor,
        "{report}"
    );
}

/// Floors on PolNeAR dev for the attribution tagger (issue #13; measured when
/// pinned: content F1 0.675, content exact 0.518, end-to-end 0.608, direct
/// end-to-end 0.802, source accuracy 0.921; the issue asks 0.65 / 0.60 / 0.80
/// / 0.90). They only go up.
const QUOTE_FLOORS: Floors = Floors { content: 0.67, exact: 0.51, e2e: 0.60, direct_e2e: 0.80, source: 0.915 };

/// Floors of the attribution scores.
struct Floors {
    content: f64,
    exact: f64,
    e2e: f64,
    direct_e2e: f64,
    source: f64,
}

#[test]
fn quotes_score_above_floors_on_polnear_dev() {
    let Some(dir) = shared("eval/polnear/dev") else { return };
    let (s, articles) = docsql::tools::quote_eval::evaluate_folder(&dir).unwrap();
    assert_eq!(articles, 84);
    let got = [
        ("content", s.content.f1(), QUOTE_FLOORS.content),
        ("content exact", s.content_exact.f1(), QUOTE_FLOORS.exact),
        ("end-to-end", s.end_to_end.f1(), QUOTE_FLOORS.e2e),
        ("direct end-to-end", s.direct_end_to_end.f1(), QUOTE_FLOORS.direct_e2e),
        ("source accuracy", s.source_accuracy(), QUOTE_FLOORS.source),
    ];
    for (metric, score, floor) in got {
        assert!(score >= floor, "{metric} {score:.3} < {floor}");
    }
}

/// Floor of the share of hand-judged speakers (tests/data/speaker_names.tsv:
/// 100 PolNeAR dev sources naming one person or organisation) whose
/// speaker_name names them; 0.80 when pinned.
const SPEAKER_NAME_FLOOR: f64 = 0.78;

#[test]
fn speaker_names_resolve_the_hand_judged_sources() {
    let Some(dir) = shared("eval/polnear/dev") else { return };
    use docsql::tools::speaker_eval::{read_speaker_gold, score_speaker_names, speaker_cases};
    let gold = read_speaker_gold(include_str!("data/speaker_names.tsv")).unwrap();
    assert_eq!(gold.len(), 100);
    let (right, matched, _) = score_speaker_names(&speaker_cases(&dir).unwrap(), &gold);
    assert!(matched >= 95, "only {matched} of the judged attributions still matched");
    let share = right as f64 / matched as f64;
    assert!(share >= SPEAKER_NAME_FLOOR, "speaker_name right for {right} of {matched} ({share:.3})");
}

#[test]
fn eval_quotes_prints_the_documented_csv() {
    let Some(dir) = shared("eval/polnear/dev") else { return };
    let stdout = docsql_stdout(&["eval-quotes".as_ref(), dir.as_os_str(), "--format".as_ref(), "csv".as_ref()]);
    let metrics: Vec<&str> = stdout.lines().map(|l| l.split(',').next().unwrap_or_default()).collect();
    assert_eq!(
        metrics,
        ["metric", "content", "content_exact", "end_to_end", "direct_content", "direct_end_to_end", "source_accuracy"]
    );
    let cases = docsql_stdout(&[
        "eval-quotes".as_ref(),
        dir.as_os_str(),
        "--speaker-cases".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    assert_eq!(cases.lines().next(), Some("article,content_start,source,speaker,speaker_name,context"));
    assert!(cases.lines().count() > 1000, "{} cases", cases.lines().count());
}

#[test]
fn eval_figures_reads_quantity_cases_too() {
    let Some(dir) = shared("eval/quantulum3") else { return };
    let cases = dir.join("quantities.json");
    let stdout = docsql_stdout(&["eval-figures".as_ref(), cases.as_os_str(), "--format".as_ref(), "csv".as_ref()]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "file,scored,excluded,exact,values,units,spurious,exact_rate,value_rate,unit_rate");
    assert!(lines[1].starts_with("quantities.json,"), "{}", lines[1]);
    assert_eq!(lines.len(), 2);
}

#[test]
fn eval_figures_prints_the_documented_csv() {
    let Some(dir) = shared("eval/recognizers") else { return };
    let (percent, ordinal) = (dir.join("PercentModel.json"), dir.join("OrdinalModel.json"));
    let stdout = docsql_stdout(&[
        "eval-figures".as_ref(),
        percent.as_os_str(),
        ordinal.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "file,passed,total,accuracy");
    assert_eq!(lines[1], "PercentModel.json,20,20,1.0");
    assert!(lines[2].starts_with("OrdinalModel.json,"), "{}", lines[2]);
    assert_eq!(lines.len(), 3);

    let verbose = Command::new(env!("CARGO_BIN_EXE_docsql"))
        .arg("eval-figures")
        .arg("--verbose")
        .arg(dir.join("OrdinalModel.json"))
        .output()
        .unwrap();
    let failures = String::from_utf8_lossy(&verbose.stderr);
    assert!(failures.lines().all(|l| l.starts_with("OrdinalModel.json: FAIL ")), "{failures}");
}
