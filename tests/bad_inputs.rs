//! A folder mixing good files with every kind of bad one: the good ones load
//! with the right ids, each bad one gets exactly one warning, nothing panics.

#![cfg(unix)]

use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Writes the good and the bad files into `dir`.
fn build(dir: &Path) {
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    // Good files.
    write("good.txt", b"Markets rally in Tokyo\n\nShares rose sharply on Monday.\n");
    write("notes/front.md", b"---\ntitle: Front matter title\ndate: 2024-02-03\n---\nThe *body* text.\n");
    write("feed.json", br#"[{"id":"j1","title":"JSON one","text":"First record."},{"body":"Second record, no id."}]"#);
    write("lines.jsonl", b"{\"text\":\"Line one.\"}\n\n{\"id\":\"l2\",\"content\":\"Line two.\"}\n");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(b"Zipped headline\n\nZipped body.\n").unwrap();
    write("packed.txt.gz", &gz.finish().unwrap());
    // Loaded, with a warning.
    write("latin1.txt", b"caf\xe9 \xa35m");
    write("damaged.txt", "na\u{ef}ve ".as_bytes().iter().chain(b"\xff text").copied().collect::<Vec<u8>>().as_slice());
    // Skipped, with a warning.
    write("binary.txt", b"\x7fELF\x02\x01\x00\x00binary");
    write("empty.txt", b"");
    write("blank.md", b"  \n\t\n  ");
    write("report.pdf", b"%PDF-1.4 not a document docsql reads");
    write("broken.json", b"{\"id\": \"x\", \"text\": ");
    std::os::unix::fs::symlink(dir.join("does-not-exist.txt"), dir.join("x.txt")).unwrap();
}

/// (id, title, format, body) of every article, in load order.
const ARTICLES: [(&str, Option<&str>, &str, &str); 9] = [
    ("damaged", None, "txt", "na\u{ef}ve \u{fffd} text"),
    ("j1", Some("JSON one"), "json", "JSON one\n\nFirst record."),
    ("feed#2", None, "json", "Second record, no id."),
    ("good", Some("Markets rally in Tokyo"), "txt", "Markets rally in Tokyo\n\nShares rose sharply on Monday."),
    ("latin1", None, "txt", "café £5m"),
    ("lines#1", None, "jsonl", "Line one."),
    ("l2", None, "jsonl", "Line two."),
    ("notes/front", Some("Front matter title"), "md", "Front matter title\n\nThe body text."),
    ("packed", Some("Zipped headline"), "txt", "Zipped headline\n\nZipped body."),
];

/// Each file that gets a warning, with the start of its reason.
const WARNED: [(&str, &str); 8] = [
    ("binary.txt", "skipped: binary file"),
    ("blank.md", "skipped: empty file"),
    ("broken.json", "skipped: invalid JSON: "),
    ("damaged.txt", "invalid UTF-8; undecodable bytes replaced with U+FFFD"),
    ("empty.txt", "skipped: empty file"),
    ("latin1.txt", "not UTF-8; decoded as Windows-1252 (Latin-1)"),
    ("report.pdf", "unsupported file type"),
    ("x.txt", "unreadable: "),
];

#[test]
fn library_loads_good_files_and_warns_once_per_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let root = dir.path().to_str().unwrap();
    let corpus = docsql::load(&[root]);

    let got: Vec<(&str, Option<&str>, &str, &str)> = corpus
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d.title.as_deref(), d.format.as_str(), d.body.as_str()))
        .collect();
    assert_eq!(got, ARTICLES);
    let front = corpus.documents.iter().find(|d| d.id == "notes/front").unwrap();
    assert_eq!(front.published, chrono::NaiveDate::from_ymd_opt(2024, 2, 3));
    assert_eq!(front.path, format!("{root}/notes/front.md"));
    let json = corpus.documents.iter().find(|d| d.id == "feed#2").unwrap();
    assert_eq!(json.path, format!("{root}/feed.json"));

    let mut warnings: Vec<(String, String)> =
        corpus.warnings.iter().map(|w| (w.path.clone(), w.reason.clone())).collect();
    warnings.sort();
    assert_eq!(warnings.len(), WARNED.len(), "{warnings:#?}");
    for ((path, reason), (name, want)) in warnings.iter().zip(WARNED) {
        assert_eq!(path, &format!("{root}/{name}"));
        assert!(reason.starts_with(want), "{name}: {reason:?} does not start with {want:?}");
    }
    assert_eq!(corpus.skipped, 6);
    assert_eq!(corpus.summary(), "loaded 9 articles, 6 skipped");

    // The corpus still makes a session with all nine articles.
    let ctx = docsql::session(&corpus).expect("session");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let batches =
        runtime.block_on(async { ctx.sql("SELECT count(*) FROM articles").await.unwrap().collect().await.unwrap() });
    let count = datafusion::arrow::array::AsArray::as_primitive::<datafusion::arrow::datatypes::Int64Type>(
        batches[0].column(0),
    )
    .value(0);
    assert_eq!(count, 9);
}

#[test]
fn binary_loads_good_files_and_warns_once_per_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    build(dir.path());
    let root = dir.path().to_str().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_docsql"))
        .args([
            root,
            "--format",
            "ndjson",
            "-c",
            "SELECT article_id, title, format, body FROM articles ORDER BY path, article_id",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let rows: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let got: Vec<(String, Option<String>, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["article_id"].as_str().unwrap().to_string(),
                r["title"].as_str().map(str::to_string),
                r["format"].as_str().unwrap().to_string(),
                r["body"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    // ORDER BY path, article_id: within feed.json "feed#2" sorts before "j1"; within lines.jsonl "l2" before "lines#1".
    let mut want: Vec<(String, Option<String>, String, String)> = ARTICLES
        .iter()
        .map(|(id, title, format, body)| {
            (id.to_string(), title.map(str::to_string), format.to_string(), body.to_string())
        })
        .collect();
    want.swap(1, 2);
    want.swap(5, 6);
    assert_eq!(got, want);

    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), WARNED.len() + 1, "{stderr}");
    assert_eq!(lines.last(), Some(&"loaded 9 articles, 6 skipped"));
    for (name, reason) in WARNED {
        let prefix = format!("warning: {root}/{name}: {reason}");
        let matching = lines.iter().filter(|l| l.starts_with(&format!("warning: {root}/{name}: "))).count();
        assert_eq!(matching, 1, "one warning for {name}:\n{stderr}");
        assert!(lines.iter().any(|l| l.starts_with(&prefix)), "no {prefix:?} in:\n{stderr}");
    }

    // -q: no warnings, no summary, same rows.
    let out = Command::new(env!("CARGO_BIN_EXE_docsql"))
        .args(["-q", root, "--format", "csv", "-c", "SELECT body FROM articles WHERE article_id = 'latin1'"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "body\ncafé £5m\n");
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
}
