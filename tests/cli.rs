//! The `docsql` binary: `-c`, `-f`, `--format`, `-o`, exit codes and loading.

use std::path::Path;
use std::process::{Command, Output};

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::prelude::{ParquetReadOptions, SessionContext};

const PARAGRAPHS: &str = "SELECT article_id, paragraph_id, is_title, word_count FROM paragraphs ORDER BY paragraph_id";

/// Runs the binary in `cwd` with `args`.
fn docsql_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_docsql")).args(args).current_dir(cwd).output().expect("run docsql")
}

/// Runs the binary in a throw-away folder.
fn docsql(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    docsql_in(dir.path(), args)
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

/// Asserts success and returns stdout.
fn ok(out: &Output) -> String {
    assert_eq!(code(out), 0, "stdout: {}\nstderr: {}", stdout(out), stderr(out));
    assert!(!stderr(out).contains("panicked"), "{}", stderr(out));
    stdout(out)
}

/// Simple CSV (no quoted fields) to rows of cells, header included.
fn csv_rows(text: &str, delimiter: char) -> Vec<Vec<String>> {
    text.lines().map(|line| line.split(delimiter).map(str::to_string).collect()).collect()
}

/// Rows of a JSON array (or NDJSON lines) as strings, in `columns` order.
fn json_rows(values: &[serde_json::Value], columns: &[String]) -> Vec<Vec<String>> {
    values
        .iter()
        .map(|value| {
            let object = value.as_object().expect("JSON object");
            assert_eq!(object.len(), columns.len(), "{object:?}");
            columns
                .iter()
                .map(|c| match &object[c] {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn batch_rows(batches: &[RecordBatch]) -> Vec<Vec<String>> {
    let options = FormatOptions::default();
    let mut rows = Vec::new();
    for batch in batches {
        let formatters: Vec<_> =
            batch.columns().iter().map(|c| ArrayFormatter::try_new(c.as_ref(), &options).unwrap()).collect();
        for row in 0..batch.num_rows() {
            rows.push(formatters.iter().map(|f| f.value(row).to_string()).collect());
        }
    }
    rows
}

/// The header and rows of a Parquet file.
async fn parquet_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let ctx = SessionContext::new();
    let frame = ctx.read_parquet(path.to_str().unwrap(), ParquetReadOptions::default()).await.expect("read parquet");
    let header = frame.schema().fields().iter().map(|f| f.name().clone()).collect();
    let batches = frame.collect().await.expect("collect parquet");
    (header, batch_rows(&batches))
}

#[test]
fn count_on_seeds_as_table_and_csv() {
    let out = docsql(&["-c", "SELECT count(*) AS n FROM articles"]);
    assert_eq!(ok(&out), "+---+\n| n |\n+---+\n| 1 |\n+---+\n");
    assert_eq!(stderr(&out), "loaded 1 articles, 0 skipped\n");

    let out = docsql(&["--format", "csv", "-c", "SELECT count(*) AS n FROM articles"]);
    assert_eq!(ok(&out), "n\n1\n");
}

#[test]
fn commands_and_files_run_in_argument_order() {
    let dir = tempfile::tempdir().unwrap();
    let script = "-- a comment; with a semicolon\nSELECT 'f1' AS f;\n\n/* block */ SELECT 'f2' AS f; -- trailing\n-- last one has no semicolon\nSELECT 'f3' AS f\n";
    std::fs::write(dir.path().join("s.sql"), script).unwrap();
    let out = docsql_in(
        dir.path(),
        &["--format", "csv", "-c", "SELECT 'c1' AS c", "-f", "s.sql", "-c", "SELECT 'c2' AS c; SELECT 'c3' AS c"],
    );
    assert_eq!(ok(&out), "c\nc1\nf\nf1\nf\nf2\nf\nf3\nc\nc2\nc\nc3\n");

    let out = docsql_in(dir.path(), &["--format", "csv", "-f", "s.sql", "-c", "SELECT 'c1' AS c"]);
    assert_eq!(ok(&out), "f\nf1\nf\nf2\nf\nf3\nc\nc1\n");
}

const SMALL: &str = "SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, NULL ORDER BY a";

#[test]
fn output_formats_are_exact() {
    let run = |format: &str| ok(&docsql(&["-q", "--format", format, "-c", SMALL]));
    assert_eq!(run("csv"), "a,b\n1,x\n2,\n");
    assert_eq!(run("tsv"), "a\tb\n1\tx\n2\t\n");
    assert_eq!(run("ndjson"), "{\"a\":1,\"b\":\"x\"}\n{\"a\":2,\"b\":null}\n");
    assert_eq!(run("markdown"), "| a | b |\n| --- | --- |\n| 1 | x |\n| 2 | NULL |\n");
    assert_eq!(run("table"), "+---+---+\n| a | b |\n+---+---+\n| 1 | x |\n| 2 |   |\n+---+---+\n");

    let json = run("json");
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(parsed, serde_json::json!([{"a": 1, "b": "x"}, {"a": 2, "b": null}]));
    assert!(json.ends_with("]\n"), "{json:?}");

    // No rows: headers for CSV, an empty array for JSON, nothing for NDJSON.
    let empty = "SELECT 1 AS a WHERE false";
    assert_eq!(ok(&docsql(&["-q", "--format", "csv", "-c", empty])), "a\n");
    assert_eq!(ok(&docsql(&["-q", "--format", "json", "-c", empty])), "[]\n");
    assert_eq!(ok(&docsql(&["-q", "--format", "ndjson", "-c", empty])), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_match_printed_csv() {
    let dir = tempfile::tempdir().unwrap();
    let reference = ok(&docsql(&["-q", "--format", "csv", "-c", PARAGRAPHS]));
    let expected = csv_rows(&reference, ',');
    assert_eq!(expected[0], ["article_id", "paragraph_id", "is_title", "word_count"]);
    assert_eq!(expected.len(), 14, "13 seed paragraphs and a header:\n{reference}");
    let header = expected[0].clone();
    let body = expected[1..].to_vec();
    for (n, row) in body.iter().enumerate() {
        assert_eq!(row[0], "000_def429b1c4d7175a");
        assert_eq!(row[1], (n + 1).to_string());
        assert_eq!(row[2], "false");
        assert!(row[3].parse::<u32>().unwrap() > 0, "{row:?}");
    }

    for ext in ["csv", "tsv", "json", "ndjson", "md", "parquet"] {
        let path = dir.path().join(format!("out.{ext}"));
        let out = docsql_in(dir.path(), &["-c", PARAGRAPHS, "-o", path.to_str().unwrap()]);
        assert_eq!(ok(&out), "", "an export prints nothing on stdout");
        assert!(stderr(&out).ends_with(&format!("wrote 13 rows to {}\n", path.display())), "{}", stderr(&out));
        match ext {
            "csv" => assert_eq!(std::fs::read_to_string(&path).unwrap(), reference),
            "tsv" => {
                let text = std::fs::read_to_string(&path).unwrap();
                assert_eq!(text, reference.replace(',', "\t"));
                assert_eq!(csv_rows(&text, '\t'), expected);
            }
            "json" => {
                let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                let array = value.as_array().expect("a JSON array");
                assert_eq!(json_rows(array, &header), body);
            }
            "ndjson" => {
                let text = std::fs::read_to_string(&path).unwrap();
                let values: Vec<serde_json::Value> =
                    text.lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect();
                assert_eq!(json_rows(&values, &header), body);
            }
            "md" => {
                let text = std::fs::read_to_string(&path).unwrap();
                let mut lines = text.lines();
                assert_eq!(lines.next(), Some("| article_id | paragraph_id | is_title | word_count |"));
                assert_eq!(lines.next(), Some("| --- | --- | --- | --- |"));
                let rows: Vec<String> = lines.map(str::to_string).collect();
                let want: Vec<String> = body.iter().map(|r| format!("| {} |", r.join(" | "))).collect();
                assert_eq!(rows, want);
            }
            "parquet" => {
                let (got_header, rows) = parquet_rows(&path).await;
                assert_eq!(got_header, header);
                assert_eq!(rows, body);
            }
            _ => unreachable!(),
        }
    }
    // No temporary files are left beside the exports.
    let mut names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["out.csv", "out.json", "out.md", "out.ndjson", "out.parquet", "out.tsv"]);
}

#[test]
fn failed_exports() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing/out.csv");
    let out = docsql_in(dir.path(), &["-q", "-c", "SELECT 1 AS a", "-o", missing.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("cannot write in "), "{}", stderr(&out));
    assert!(!dir.path().join("missing").exists());

    let out = docsql_in(dir.path(), &["-q", "-c", "SELECT 1 AS a", "-o", "out.xlsx"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("cannot tell the export format of out.xlsx"), "{}", stderr(&out));
    let out = docsql_in(dir.path(), &["-q", "-c", "SELECT 1 AS a", "-o", "noextension"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("cannot tell the export format of noextension"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing created");

    // -o needs -c or -f.
    let out = docsql_in(dir.path(), &["-o", "out.csv"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--output needs -c or -f"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "nothing created");
}

#[test]
fn a_failing_statement_stops_the_script_with_exit_1() {
    let out = docsql(&["-q", "--format", "csv", "-c", "SELECT 1 AS a", "-c", "SELEC 2", "-c", "SELECT 3 AS c"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "a\n1\n");
    let err = stderr(&out);
    assert!(err.starts_with("error at -c #2, line 1: "), "{err}");
    assert!(err.ends_with("\n  in: SELEC 2\n"), "{err}");

    // In a file: the path and the line the statement starts on.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.sql");
    std::fs::write(&path, "SELECT 1 AS a;\n-- next one is wrong\n\nSELECT nope\nFROM articles;\nSELECT 3 AS c;\n")
        .unwrap();
    let out = docsql(&["-q", "--format", "csv", "-f", path.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "a\n1\n");
    let err = stderr(&out);
    assert!(err.starts_with(&format!("error at {}:4: ", path.display())), "{err}");
    assert!(err.contains("nope"), "{err}");
    assert!(err.ends_with("\n  in: SELECT nope\n"), "{err}");

    // A failing first statement: nothing on stdout.
    let out = docsql(&["-q", "-c", "SELECT * FROM no_such_table", "-c", "SELECT 1"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).starts_with("error at -c #1, line 1: "), "{}", stderr(&out));
}

#[test]
fn usage_errors_version_and_help() {
    let out = docsql(&["--bogus"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--bogus"), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");

    let out = docsql(&["--format", "xml", "-c", "SELECT 1"]);
    assert_eq!(code(&out), 2);

    let out = docsql(&["-f", "/nonexistent/x.sql"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).starts_with("error: cannot read /nonexistent/x.sql: "), "{}", stderr(&out));

    let out = docsql(&["--version"]);
    assert_eq!(ok(&out), "docsql 0.1.0\n");

    let out = docsql(&["--help"]);
    let help = ok(&out);
    for flag in ["--command", "--file", "--format", "--output", "--quiet", "--maxrows"] {
        assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn copy_to_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.parquet");
    let sql = format!(
        "COPY (SELECT article_id, paragraph_id FROM paragraphs ORDER BY paragraph_id) TO '{}' STORED AS PARQUET",
        path.display()
    );
    let out = docsql(&["-q", "--format", "csv", "-c", &sql]);
    assert_eq!(ok(&out), "count\n13\n");
    assert!(path.is_file(), "COPY wrote a single file");
    let (header, rows) = parquet_rows(&path).await;
    assert_eq!(header, ["article_id", "paragraph_id"]);
    let want: Vec<Vec<String>> = (1..=13).map(|n| vec!["000_def429b1c4d7175a".to_string(), n.to_string()]).collect();
    assert_eq!(rows, want);
}

#[test]
fn show_tables_and_describe() {
    let out = ok(&docsql(&["-q", "--format", "csv", "-c", "SHOW TABLES"]));
    let rows = csv_rows(&out, ',');
    assert_eq!(rows[0], ["table_catalog", "table_schema", "table_name", "table_type"]);
    let mut public: Vec<&str> = rows[1..].iter().filter(|r| r[1] == "public").map(|r| r[2].as_str()).collect();
    public.sort_unstable();
    assert_eq!(public, ["articles", "entities", "figures", "paragraphs", "quotes"]);

    let out = ok(&docsql(&["-q", "--format", "csv", "-c", "DESCRIBE entities"]));
    let rows = csv_rows(&out, ',');
    assert_eq!(rows[0], ["column_name", "data_type", "is_nullable"]);
    let columns: Vec<(&str, &str, &str)> =
        rows[1..].iter().map(|r| (r[0].as_str(), r[1].as_str(), r[2].as_str())).collect();
    assert_eq!(
        columns,
        [
            ("article_id", "Utf8", "NO"),
            ("paragraph_id", "Int32", "NO"),
            ("sentence_id", "Int32", "NO"),
            ("mention", "Utf8", "NO"),
            ("name", "Utf8", "NO"),
            ("label", "Utf8", "NO"),
            ("value", "Utf8", "YES"),
            ("confidence", "Float32", "YES"),
            ("char_start", "Int32", "NO"),
            ("char_end", "Int32", "NO"),
        ]
    );
}

#[test]
fn loading_a_folder_reports_warnings_and_summary() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("news");
    std::fs::create_dir_all(corpus.join("world")).unwrap();
    std::fs::write(corpus.join("a.txt"), "First headline\n\nSome text about Paris.\n").unwrap();
    std::fs::write(corpus.join("world/b.md"), "# Second headline\n\nMore text.\n").unwrap();
    std::fs::write(corpus.join("c.pdf"), "%PDF-1.4").unwrap();
    std::fs::write(corpus.join("d.txt"), "").unwrap();
    let corpus_arg = corpus.to_str().unwrap();
    let query = "SELECT article_id, format, title FROM articles ORDER BY article_id";

    let out = docsql(&["--format", "csv", "-c", query, corpus_arg]);
    assert_eq!(ok(&out), "article_id,format,title\na,txt,First headline\nworld/b,md,Second headline\n");
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "warning: {corpus_arg}/c.pdf: unsupported file type (expected .txt, .md, .json, .jsonl, .html, .warc, optionally .gz)"
            )
            .as_str(),
            &format!("warning: {corpus_arg}/d.txt: skipped: empty file"),
            "loaded 2 articles, 2 skipped",
        ]
    );

    let out = docsql(&["-q", "--format", "csv", "-c", query, corpus_arg]);
    assert_eq!(ok(&out), "article_id,format,title\na,txt,First headline\nworld/b,md,Second headline\n");
    assert_eq!(stderr(&out), "");

    // A missing path is a warning, not a failure.
    let out = docsql(&["--format", "csv", "-c", "SELECT count(*) AS n FROM articles", "/nonexistent/corpus"]);
    assert_eq!(ok(&out), "n\n0\n");
    assert_eq!(stderr(&out), "warning: /nonexistent/corpus: no such file or folder\nloaded 0 articles, 1 skipped\n");
}
