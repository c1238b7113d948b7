//! The BBC corpus (`../shared/corpora/bbc`), when present: one article per
//! `category/NNN.txt` file, ids and titles from the files, the Latin-1 file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::Int64Type;

const BBC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/bbc");

/// `category/NNN` → the file's bytes, for every `*/NNN.txt` on disk.
fn files_on_disk(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for category in std::fs::read_dir(root).unwrap() {
        let category = category.unwrap();
        if !category.file_type().unwrap().is_dir() {
            continue;
        }
        let category_name = category.file_name().into_string().unwrap();
        for file in std::fs::read_dir(category.path()).unwrap() {
            let file = file.unwrap();
            let name = file.file_name().into_string().unwrap();
            let Some(stem) = name.strip_suffix(".txt") else { continue };
            if stem.len() == 3 && stem.bytes().all(|b| b.is_ascii_digit()) {
                files.insert(format!("{category_name}/{stem}"), std::fs::read(file.path()).unwrap());
            }
        }
    }
    files
}

/// The first line of a file, as text (the one Latin-1 file decoded byte by byte).
fn first_line(bytes: &[u8]) -> String {
    let text = String::from_utf8(bytes.to_vec()).unwrap_or_else(|_| bytes.iter().map(|&b| b as char).collect());
    text.trim_start_matches(['\n', '\r']).lines().next().unwrap().trim().to_string()
}

#[test]
fn bbc_corpus() {
    let root = Path::new(BBC);
    if !root.is_dir() {
        eprintln!("SKIPPED bbc_corpus: no BBC corpus at {BBC}");
        return;
    }
    let files = files_on_disk(root);
    assert_eq!(files.len(), 2225, "the BBC corpus has 2225 articles");
    assert!(root.join("README.TXT").is_file());

    let corpus = docsql::load(&[BBC]);

    // Every NNN.txt is one article `category/NNN`; README.TXT is read as a .txt too.
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    let id_set: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(id_set.len(), ids.len(), "ids are unique");
    let mut want: BTreeSet<&str> = files.keys().map(String::as_str).collect();
    want.insert("README");
    assert_eq!(id_set, want);
    assert_eq!(corpus.documents.len(), files.len() + 1);
    assert_eq!(corpus.skipped, 0);

    // Titles are the first lines.
    let mut wrong_titles = Vec::new();
    for doc in &corpus.documents {
        assert_eq!(doc.format.as_str(), "txt");
        if doc.id == "README" {
            assert_eq!(doc.path, format!("{BBC}/README.TXT"));
            assert_eq!(doc.title, None, "README's first line is a sentence with no blank line after it");
            continue;
        }
        assert_eq!(doc.path, format!("{BBC}/{}.txt", doc.id));
        let want = first_line(&files[&doc.id]);
        if doc.title.as_deref() != Some(want.as_str()) {
            wrong_titles.push((doc.id.clone(), doc.title.clone(), want));
        }
        assert!(doc.starts_with_title() || doc.title.is_none(), "{}", doc.id);
    }
    assert!(wrong_titles.is_empty(), "{} titles are not the first line: {wrong_titles:#?}", wrong_titles.len());

    // sport/199 has a lone Latin-1 £ byte: decoded, with the only warning.
    let mutu = corpus.documents.iter().find(|d| d.id == "sport/199").unwrap();
    assert_eq!(mutu.title.as_deref(), Some("Chelsea sack Mutu"));
    assert!(mutu.body.contains("a £15.8m signing"), "{}", &mutu.body[..400]);
    assert!(!mutu.body.contains('\u{fffd}'));
    let warnings: Vec<(String, String)> = corpus.warnings.iter().map(|w| (w.path.clone(), w.reason.clone())).collect();
    assert_eq!(
        warnings,
        [(format!("{BBC}/sport/199.txt"), "not UTF-8; decoded as Windows-1252 (Latin-1)".to_string())]
    );
    assert_eq!(corpus.summary(), "loaded 2226 articles, 0 skipped");

    // The session sees the same articles.
    let ctx = docsql::session(&corpus).expect("session");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let query = |sql: &str| runtime.block_on(async { ctx.sql(sql).await.unwrap().collect().await.unwrap() });
    let count = query("SELECT count(*) FROM articles");
    assert_eq!(count[0].column(0).as_primitive::<Int64Type>().value(0), 2226);
    let untitled = query("SELECT article_id FROM articles WHERE title IS NULL");
    let untitled: Vec<String> = untitled
        .iter()
        .flat_map(|b| {
            let column = b.column(0).as_string::<i32>();
            (0..column.len()).map(|i| column.value(i).to_string()).collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(untitled, ["README"]);

    let mut per_category: BTreeMap<String, i64> = BTreeMap::new();
    for id in files.keys() {
        *per_category.entry(id.split('/').next().unwrap().to_string()).or_default() += 1;
    }
    per_category.insert("README".into(), 1);
    let batches = query("SELECT split_part(article_id, '/', 1) AS c, count(*) AS n FROM articles GROUP BY c");
    let mut got = BTreeMap::new();
    for batch in &batches {
        let c = batch.column(0).as_string::<i32>();
        let n = batch.column(1).as_primitive::<Int64Type>();
        for i in 0..batch.num_rows() {
            got.insert(c.value(i).to_string(), n.value(i));
        }
    }
    assert_eq!(got, per_category);
}
