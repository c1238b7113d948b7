//! Every `queries/*.sql` file through the binary (`-f`), on the seeds and on the
//! BBC corpus when present.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use datafusion::prelude::{ParquetReadOptions, SessionContext};
use serde_json::Value;

const QUERIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/queries");
const BBC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/bbc");

/// Each query file's name and the columns of its result.
const FILES: [(&str, &[&str]); 9] = [
    ("articles_per_site.sql", &["site", "month", "articles", "authors", "languages"]),
    ("big_money.sql", &["article_id", "mention", "value", "unit", "qualifier", "sentence"]),
    ("export_figures.sql", &["count"]),
    ("figures_by_kind.sql", &["kind", "mention", "value", "unit", "qualifier", "article_id", "sentence"]),
    ("longest_articles.sql", &["article_id", "title", "paragraph_count", "sentence_count", "word_count", "char_count"]),
    ("people_places_together.sql", &["person", "place", "paragraphs"]),
    ("top_people.sql", &["name", "mentions", "articles"]),
    ("top_places.sql", &["name", "mentions", "articles"]),
    (
        "who_said_what.sql",
        &["speaker_name", "speaker_label", "quotes", "kind", "speaker", "cue", "content", "article_id", "title"],
    ),
];

/// The columns of `export_figures.sql`'s file: the title, then every column of
/// `figures` as defined.
fn figure_columns() -> Vec<&'static str> {
    std::iter::once("title").chain(docsql::tables::figures::FIGURES.columns.iter().map(|c| c.name)).collect()
}

/// The results of one run over a corpus.
struct Run {
    /// Rows of each query file, by file name.
    results: BTreeMap<String, Vec<serde_json::Map<String, Value>>>,
    /// `SELECT count(*) FROM figures`.
    figures: u64,
    /// The folder the queries ran in.
    cwd: tempfile::TempDir,
}

fn query_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(QUERIES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
}

/// Runs every query file in one invocation, each after a marker statement so the
/// NDJSON output can be split per file, then counts the figures.
fn run_all(corpus: Option<&str>) -> Run {
    let files = query_files();
    let names: Vec<String> = files.iter().map(|p| p.file_name().unwrap().to_str().unwrap().to_string()).collect();
    assert_eq!(names, FILES.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>(), "the query files");
    let cwd = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_docsql"));
    command.current_dir(cwd.path()).args(["-q", "--format", "ndjson"]);
    command.args(corpus);
    for (file, name) in files.iter().zip(&names) {
        command.args(["-c", &format!("SELECT '{name}' AS query_file"), "-f"]).arg(file);
    }
    command.args(["-c", "SELECT count(*) AS figures FROM figures"]);
    let out = command.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "-q: nothing on stderr");

    let mut results: BTreeMap<String, Vec<serde_json::Map<String, Value>>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut figures = None;
    for line in stdout.lines() {
        let Value::Object(row) = serde_json::from_str::<Value>(line).expect("NDJSON") else { panic!("{line}") };
        if let Some(Value::String(name)) = row.get("query_file") {
            results.insert(name.clone(), Vec::new());
            current = Some(name.clone());
        } else if let Some(n) = row.get("figures") {
            figures = n.as_u64();
            current = None;
        } else {
            results.get_mut(current.as_ref().expect("a row after a marker")).unwrap().push(row);
        }
    }
    assert_eq!(results.len(), FILES.len(), "every file ran:\n{stdout}");
    Run { results, figures: figures.expect("the figure count"), cwd }
}

/// Asserts the columns of every row, and the export.
async fn check(run: &Run) -> BTreeMap<&str, usize> {
    for (name, columns) in FILES {
        for row in &run.results[name] {
            let mut keys: Vec<&str> = row.keys().map(String::as_str).collect();
            keys.sort_unstable();
            let mut want = columns.to_vec();
            want.sort_unstable();
            assert_eq!(keys, want, "{name}");
        }
    }
    // export_figures.sql: COPY reports the rows it wrote, and the file holds them.
    let copy = &run.results["export_figures.sql"];
    assert_eq!(copy.len(), 1);
    assert_eq!(copy[0]["count"].as_u64(), Some(run.figures));
    let parquet = run.cwd.path().join("figures_export.parquet");
    assert!(parquet.is_file(), "figures_export.parquet written in the current folder");
    let (columns, rows) = parquet_shape(&parquet).await;
    assert_eq!(columns, figure_columns());
    assert_eq!(rows as u64, run.figures);
    run.results.iter().map(|(name, rows)| (name.as_str(), rows.len())).collect()
}

async fn parquet_shape(path: &Path) -> (Vec<String>, usize) {
    let ctx = SessionContext::new();
    let frame = ctx.read_parquet(path.to_str().unwrap(), ParquetReadOptions::default()).await.unwrap();
    let columns = frame.schema().fields().iter().map(|f| f.name().clone()).collect();
    let rows = frame.collect().await.unwrap().iter().map(|b| b.num_rows()).sum();
    (columns, rows)
}

#[tokio::test(flavor = "multi_thread")]
async fn queries_on_the_seeds() {
    let run = run_all(None);
    let counts = check(&run).await;
    let longest = &run.results["longest_articles.sql"];
    assert_eq!(longest.len(), 1);
    assert_eq!(longest[0]["article_id"], "000_def429b1c4d7175a");
    assert_eq!(longest[0]["paragraph_count"], 13);
    assert!(run.figures > 0);
    // The seed article has no money figure of a million or more; every other file has rows.
    assert_eq!(counts["big_money.sql"], 0, "{:?}", run.results["big_money.sql"]);
    for (name, _) in FILES.iter().filter(|(name, _)| *name != "big_money.sql") {
        assert!(counts[name] > 0, "{name} has no rows on the seeds: {counts:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn queries_on_bbc() {
    if !Path::new(BBC).is_dir() {
        eprintln!("SKIPPED queries_on_bbc: no BBC corpus at {BBC}");
        return;
    }
    let run = run_all(Some(BBC));
    let counts = check(&run).await;
    // The LIMITs are reached on 2225 articles.
    for (name, limit) in [
        ("big_money.sql", 50),
        ("longest_articles.sql", 10),
        ("people_places_together.sql", 25),
        ("top_people.sql", 20),
        ("top_places.sql", 20),
        ("who_said_what.sql", 50),
    ] {
        assert_eq!(counts[name], limit, "{name}");
    }
    assert!(counts["figures_by_kind.sql"] >= 3, "{counts:?}");
    let money = &run.results["big_money.sql"];
    let values: Vec<f64> = money.iter().map(|r| r["value"].as_f64().unwrap()).collect();
    assert!(values.iter().all(|&v| v >= 1e6), "{values:?}");
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "largest first: {values:?}");
    assert!(run.figures > 1000, "{}", run.figures);
}
