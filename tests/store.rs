//! Stores: `docsql::store::build` and `register_store` give the same tables as an
//! in-memory load, incrementally and atomically; the `build` subcommand.

use std::fs;
use std::path::Path;
use std::process::Command;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::prelude::SessionContext;
use docsql::report::Silent;
use docsql::store::{self, BuildOptions, BuildReport};
// Every table, whole, is compared between a store and an in-memory load.
use docsql::tables::TABLE_NAMES as TABLES;

/// Queries compared between a store and an in-memory load, besides whole tables.
const QUERIES: [&str; 4] = [
    "SELECT count(*) FROM articles",
    "SELECT label, count(*), count(DISTINCT name) FROM entities GROUP BY label",
    "SELECT a.article_id, sum(p.word_count) FROM articles a JOIN paragraphs p USING (article_id) GROUP BY 1",
    "SELECT kind, count(*), sum(value) FROM figures GROUP BY kind",
];

fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A small corpus of every format, with people, places and figures.
fn make_corpus(dir: &Path) {
    write(
        dir,
        "a.txt",
        "Shares Rise In London\n\nJohn Smith, chief executive of Acme Holdings, said on Monday that sales \
         rose 12% to £3.5 million.\n\nAnalysts in London expect 200 new jobs by 2026.\n",
    );
    write(
        dir,
        "b.md",
        "---\ntitle: Election Night\ndate: 2024-05-02\n---\n\nMary Jones won 54.2% of the vote in Leeds.\n\n\
         Turnout was 61 percent, with 1,200 ballots spoiled.\n",
    );
    write(
        dir,
        "c.json",
        r#"[{"id": "c-1", "title": "Tech Deal", "text": "Google paid $2 billion for a start-up in Paris, said Anne Martin."},
            {"id": "c-2", "text": "Microsoft hired 300 engineers in Berlin last year."}]"#,
    );
    write(
        dir,
        "sub/d.txt",
        "Storm Hits Coast\n\nWinds of 90 mph hit Cornwall, Met Office forecaster Tom Evans said.\n",
    );
}

/// Every row of `sql` as a tab-separated line, sorted.
async fn rows(ctx: &SessionContext, sql: &str) -> Vec<String> {
    let batches: Vec<RecordBatch> = ctx.sql(sql).await.unwrap().collect().await.unwrap();
    let options = FormatOptions::default().with_null("NULL");
    let mut lines = Vec::new();
    for batch in &batches {
        let formatters: Vec<_> =
            batch.columns().iter().map(|c| ArrayFormatter::try_new(c.as_ref(), &options).unwrap()).collect();
        for row in 0..batch.num_rows() {
            lines.push(formatters.iter().map(|f| f.value(row).to_string()).collect::<Vec<_>>().join("\t"));
        }
    }
    lines.sort();
    lines
}

async fn in_memory(dir: &Path) -> SessionContext {
    let corpus = docsql::load(&[dir.to_str().unwrap()]);
    docsql::session(&corpus).unwrap()
}

async fn open(store: &Path) -> SessionContext {
    let ctx = docsql::engine::new_context(2);
    store::register_store(&ctx, store).await.unwrap();
    ctx
}

/// Asserts that the store answers like an in-memory load of `dir`: same schemas,
/// same rows in every table, same results for [`QUERIES`].
async fn assert_same_as_in_memory(store: &Path, dir: &Path) {
    let expected = in_memory(dir).await;
    let actual = open(store).await;
    for table in TABLES {
        let want = expected.table(table).await.unwrap();
        let got = actual.table(table).await.unwrap();
        assert_eq!(got.schema().as_arrow(), want.schema().as_arrow(), "schema of {table}");
        let sql = format!("SELECT * FROM {table}");
        let want = rows(&expected, &sql).await;
        assert!(!want.is_empty(), "{table} has rows");
        assert_eq!(rows(&actual, &sql).await, want, "rows of {table}");
    }
    for sql in QUERIES {
        assert_eq!(rows(&actual, sql).await, rows(&expected, sql).await, "{sql}");
    }
}

fn build(dir: &Path, store: &Path) -> BuildReport {
    let options = BuildOptions::default();
    store::build(&[dir.to_str().unwrap().to_string()], store, &options, &Silent).unwrap()
}

#[tokio::test]
async fn store_answers_like_in_memory_load() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    let report = build(&dir, &store);
    assert_eq!((report.files, report.added, report.read, report.reused), (4, 4, 4, 0));
    assert_eq!(report.rows.articles(), 5);
    assert!(store::is_store(&store));
    assert!(!store::is_store(&dir));
    assert!(store.join("articles").read_dir().unwrap().count() == 1);
    assert_same_as_in_memory(&store, &dir).await;

    // The manifest records every source with its hash and data file.
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(store.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["docsql_version"], env!("CARGO_PKG_VERSION"));
    // The sources sit in a file of their own, one JSON object per line, so that
    // opening the store does not read them.
    let sources_file = store.join(manifest["sources_file"].as_str().unwrap());
    let sources: Vec<serde_json::Value> =
        fs::read_to_string(&sources_file).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert!(manifest.get("sources").is_none());
    assert_eq!(sources.len(), 4);
    let a = &sources[0];
    assert!(a["path"].as_str().unwrap().ends_with("a.txt"));
    assert_eq!(a["hash"], blake3::hash(&fs::read(dir.join("a.txt")).unwrap()).to_hex().as_str());
    assert_eq!(a["size"], fs::metadata(dir.join("a.txt")).unwrap().len());
    assert!(a["segment"].is_string());

    // A rebuild without changes reads nothing, keeps the segment and does not
    // even rewrite the manifest.
    let manifest_text = fs::read_to_string(store.join("manifest.json")).unwrap();
    let again = build(&dir, &store);
    assert_eq!((again.reused, again.read, again.segments_kept, again.segments_written), (4, 0, 1, 0));
    assert_eq!(fs::read_to_string(store.join("manifest.json")).unwrap(), manifest_text);
    assert!(sources_file.exists());
    assert_same_as_in_memory(&store, &dir).await;

    // A touched file is read again to compare its hash, and the manifest records
    // its new mtime; the old sources file goes.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    fs::File::options().write(true).open(dir.join("a.txt")).unwrap().set_modified(later).unwrap();
    let touched = build(&dir, &store);
    assert_eq!((touched.read, touched.rehashed, touched.extracted_articles), (1, 1, 0));
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(store.join("manifest.json")).unwrap()).unwrap();
    let new_sources_file = store.join(manifest["sources_file"].as_str().unwrap());
    assert_ne!(new_sources_file, sources_file);
    assert!(new_sources_file.exists() && !sources_file.exists());
    assert_same_as_in_memory(&store, &dir).await;
}

#[tokio::test]
async fn rebuild_extracts_only_changed_and_new_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    build(&dir, &store);
    let before: Vec<_> = fs::read_dir(store.join("entities")).unwrap().map(|e| e.unwrap().path()).collect();

    write(&dir, "b.md", "---\ntitle: Recount\n---\n\nA recount in Leeds gave Mary Jones 55% after 3 days.\n");
    fs::remove_file(dir.join("sub/d.txt")).unwrap();
    write(&dir, "e.txt", "Rail Strike\n\nUnion leader Bob Crow called a strike on 14 March over 1,500 job cuts.\n");
    // (deleting replaced files at once: readers_keep_their_snapshot_while_a_build_replaces_it keeps them)
    let report = build_with(&dir, &store, &no_grace()).unwrap();
    assert_eq!(
        (report.changed, report.deleted, report.added, report.reused, report.read),
        (1, 1, 1, 2, 2),
        "{report:?}"
    );
    assert_eq!(report.files, 4);
    assert_eq!(report.segments_removed, 1, "the segment that lost files is rewritten");
    assert_same_as_in_memory(&store, &dir).await;
    // The replaced segment's files are gone; only listed files remain.
    for path in before {
        assert!(!path.exists(), "{} removed", path.display());
    }
    for table in TABLES {
        assert_eq!(fs::read_dir(store.join(table)).unwrap().count(), 1, "{table}");
    }

    // `touch`: same bytes, new mtime — read to compare hashes, not re-extracted.
    let a = dir.join("a.txt");
    let file = fs::File::options().write(true).open(&a).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5)).unwrap();
    drop(file);
    let touched = build(&dir, &store);
    assert_eq!((touched.reused, touched.rehashed, touched.read, touched.changed), (4, 1, 1, 0), "{touched:?}");
    assert_eq!(touched.extracted_articles, 0);
    assert_same_as_in_memory(&store, &dir).await;
}

#[tokio::test]
async fn new_file_taking_an_existing_id_renames_like_in_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    write(&dir, "x.md", "# Port Talbot\n\nTata Steel cut 2,800 jobs in Port Talbot, Wales.\n");
    build(&dir, &store);
    // "w.json" sorts before "x.md" and brings the id "x": x.md becomes "x~2".
    write(&dir, "w.json", r#"{"id": "x", "text": "Nissan built 300,000 cars in Sunderland."}"#);
    let report = build(&dir, &store);
    assert_eq!((report.added, report.renamed, report.changed), (1, 1, 0), "{report:?}");
    assert_same_as_in_memory(&store, &dir).await;
    let ctx = open(&store).await;
    assert_eq!(rows(&ctx, "SELECT article_id FROM articles WHERE article_id LIKE 'x%'").await, ["x", "x~2"]);
}

#[tokio::test]
async fn failed_build_leaves_the_previous_store() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    build(&dir, &store);
    let old_manifest = fs::read_to_string(store.join("manifest.json")).unwrap();
    let old_rows = rows(&open(&store).await, "SELECT article_id, title FROM articles").await;

    write(
        &dir,
        "a.txt",
        "Completely Different\n\nNothing about London here, 7 times over, the mayor said.\n\n\
         \"We will not change our plans for anyone,\" the mayor told reporters.\n",
    );
    for n in 0..6 {
        write(&dir, &format!("more/{n}.txt"), &format!("Story {n}\n\nPeter Hall visited Rome {n} times.\n"));
    }
    let options = BuildOptions { batch_files: 2, fail_after_files: Some(4), ..BuildOptions::default() };
    let err = store::build(&[dir.to_str().unwrap().to_string()], &store, &options, &Silent).unwrap_err().to_string();
    assert!(err.contains("test hook"), "{err}");
    assert_eq!(fs::read_to_string(store.join("manifest.json")).unwrap(), old_manifest);
    assert_eq!(rows(&open(&store).await, "SELECT article_id, title FROM articles").await, old_rows);

    // A leftover of a crashed build (not listed in the manifest) is never read…
    fs::write(store.join("articles/seg-999999.parquet"), b"not parquet").unwrap();
    assert_eq!(rows(&open(&store).await, "SELECT article_id, title FROM articles").await, old_rows);
    // …and the next successful build removes it.
    let report = build(&dir, &store);
    assert_eq!((report.changed, report.added), (1, 6));
    assert!(!store.join("articles/seg-999999.parquet").exists());
    assert_same_as_in_memory(&store, &dir).await;
}

#[test]
fn build_refuses_a_folder_that_is_not_a_store() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("news");
    make_corpus(&dir);
    let options = BuildOptions::default();
    // The corpus folder itself is not empty and not a store: nothing is deleted.
    let err = store::build(&[dir.to_str().unwrap().to_string()], &dir, &options, &Silent).unwrap_err().to_string();
    assert!(err.contains("not a docsql store"), "{err}");
    assert!(dir.join("a.txt").exists());
}

#[tokio::test]
async fn store_inside_the_corpus_folder_is_not_read_as_input() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("news");
    make_corpus(&dir);
    let store = dir.join("news.docsql");
    build(&dir, &store);
    let report = build(&dir, &store);
    assert_eq!((report.files, report.read), (4, 0), "manifest.json is not a source: {report:?}");
}

#[tokio::test]
async fn empty_corpus_gives_empty_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("empty"), tmp.path().join("empty.docsql"));
    fs::create_dir_all(&dir).unwrap();
    let report = build(&dir, &store);
    assert_eq!(report.files, 0);
    let ctx = open(&store).await;
    for table in TABLES {
        assert!(rows(&ctx, &format!("SELECT * FROM {table}")).await.is_empty());
    }
}

#[test]
fn memory_sizes_parse() {
    use docsql::engine::parse_memory_size;
    assert_eq!(parse_memory_size("2G"), Ok(2 << 30));
    assert_eq!(parse_memory_size("512M"), Ok(512 << 20));
    assert_eq!(parse_memory_size("1.5gb"), Ok(3 << 29));
    assert_eq!(parse_memory_size("64k"), Ok(64 << 10));
    assert_eq!(parse_memory_size("1000"), Ok(1000));
    assert!(parse_memory_size("lots").is_err());
    assert!(parse_memory_size("0").is_err());
}

#[tokio::test]
async fn memory_limited_context_queries_a_store() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    build(&dir, &store);
    let ctx = docsql::engine::context_with_memory_limit(Some(64 << 20), 2);
    store::register_store(&ctx, &store).await.unwrap();
    let sql = "SELECT name, count(*) FROM entities GROUP BY name ORDER BY 2 DESC, 1";
    assert_eq!(rows(&ctx, sql).await, rows(&in_memory(&dir).await, sql).await);
    assert!(!rows(&ctx, "SHOW TABLES").await.is_empty(), "information_schema stays on");
}

fn docsql(cwd: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_docsql")).args(args).current_dir(cwd).output().expect("run docsql")
}

#[test]
fn cli_builds_and_opens_a_store() {
    let tmp = tempfile::tempdir().unwrap();
    make_corpus(&tmp.path().join("news"));
    let built = docsql(tmp.path(), &["build", "news", "--store", "news.docsql"]);
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(built.status.success(), "{stderr}");
    assert!(stderr.contains("4 files") && stderr.contains("5 articles"), "{stderr}");

    let out = docsql(tmp.path(), &["news.docsql", "-c", "SELECT count(*) AS n FROM articles", "--format", "csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "n\n5\n");

    // Memory limit and export to Parquet through the store.
    let out = docsql(
        tmp.path(),
        &["news.docsql", "--memory-limit", "256M", "-c", "SELECT name FROM entities", "-o", "names.parquet"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(tmp.path().join("names.parquet").exists());

    let quiet = docsql(tmp.path(), &["build", "news", "--store", "news.docsql", "--quiet"]);
    assert!(quiet.status.success());
    assert!(quiet.stderr.is_empty(), "{}", String::from_utf8_lossy(&quiet.stderr));

    let bad = docsql(tmp.path(), &["news.docsql", "--memory-limit", "lots", "-c", "SELECT 1"]);
    assert_eq!(bad.status.code(), Some(2), "{}", String::from_utf8_lossy(&bad.stderr));
}

/// The physical plan of `sql`, and its rows in the order it returns them.
async fn plan_and_rows(ctx: &SessionContext, sql: &str) -> (String, Vec<String>) {
    let frame = ctx.sql(sql).await.unwrap();
    let plan = frame.clone().create_physical_plan().await.unwrap();
    let plan = datafusion::physical_plan::displayable(plan.as_ref()).indent(true).to_string();
    let batches = frame.collect().await.unwrap();
    let ids = batches
        .iter()
        .flat_map(|b| {
            let column = b.column(0).as_any().downcast_ref::<datafusion::arrow::array::StringArray>().unwrap();
            column.iter().map(|v| v.unwrap().to_string()).collect::<Vec<_>>()
        })
        .collect();
    (plan, ids)
}

fn segments_sorted(store: &Path) -> Vec<bool> {
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(store.join("manifest.json")).unwrap()).unwrap();
    manifest["segments"].as_array().unwrap().iter().map(|s| s["sorted"].as_bool().unwrap()).collect()
}

#[tokio::test]
async fn article_id_order_is_declared_only_when_every_segment_has_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    build(&dir, &store);
    assert_eq!(segments_sorted(&store), [true]);
    let sql = "SELECT article_id FROM paragraphs ORDER BY article_id";
    let (plan, ids) = plan_and_rows(&open(&store).await, sql).await;
    assert!(!plan.contains("SortExec"), "the files' order is used, not a sort:\n{plan}");
    assert_eq!(ids, ["a", "a", "a", "b", "b", "b", "c-1", "c-1", "c-2", "sub/d", "sub/d"]);

    // The changed last file is extracted first, then the other files' rows are
    // copied after it: that segment is out of order, and queries sort again.
    write(&dir, "sub/d.txt", "Storm Hits Coast\n\nWinds of 95 mph hit Devon.\n");
    build(&dir, &store);
    assert_eq!(segments_sorted(&store), [false]);
    let (plan, ids) = plan_and_rows(&open(&store).await, sql).await;
    assert!(plan.contains("SortExec"), "{plan}");
    assert_eq!(ids, ["a", "a", "a", "b", "b", "b", "c-1", "c-1", "c-2", "sub/d", "sub/d"]);
    assert_same_as_in_memory(&store, &dir).await;
}

#[tokio::test]
async fn a_store_of_another_layout_is_refused_by_readers_and_rebuilt_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    build(&dir, &store);
    // What a store of layout 1 looked like to this docsql: no sources file.
    let path = store.join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    let old_sources = store.join(manifest["sources_file"].as_str().unwrap());
    manifest["schema_version"] = 1.into();
    manifest.as_object_mut().unwrap().remove("sources_file");
    fs::write(&path, manifest.to_string()).unwrap();

    let ctx = docsql::engine::new_context(2);
    let err = store::register_store(&ctx, &store).await.unwrap_err().to_string();
    assert!(err.contains("has store layout 1") && err.contains("build it again"), "{err}");

    // (old files removed at once: see readers_keep_their_snapshot_while_a_build_replaces_it)
    let report = build_with(&dir, &store, &no_grace()).unwrap();
    assert!(report.full_rebuild.as_deref().is_some_and(|r| r.contains("store layout 1")), "{report:?}");
    assert_eq!((report.read, report.reused, report.segments_removed, report.segments_written), (4, 0, 1, 1));
    assert_same_as_in_memory(&store, &dir).await;
    // Only the new build's files are left.
    assert_eq!(store.join("articles").read_dir().unwrap().count(), 1);
    assert!(!old_sources.exists());
}

/// Rewrites the manifest of `store` with `edit`.
fn edit_manifest(store: &Path, edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) {
    let path = store.join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    edit(manifest.as_object_mut().unwrap());
    fs::write(&path, manifest.to_string()).unwrap();
}

#[tokio::test]
async fn a_store_of_other_tables_is_refused_by_readers_and_rebuilt_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    build(&dir, &store);
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(store.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["schema_fingerprint"], store::manifest::schema_fingerprint());
    // What a docsql whose `figures` had another column would have written.
    edit_manifest(&store, |m| {
        m.insert("schema_fingerprint".into(), "00000000000000ff".into());
    });

    let ctx = docsql::engine::new_context(2);
    let err = store::register_store(&ctx, &store).await.unwrap_err().to_string();
    assert!(err.contains("another schema") && err.contains("build it again"), "{err}");

    let report = build_with(&dir, &store, &no_grace()).unwrap();
    assert!(report.full_rebuild.as_deref().is_some_and(|r| r.contains("another schema")), "{report:?}");
    assert_eq!((report.read, report.reused, report.segments_removed, report.segments_written), (4, 0, 1, 1));
    assert_same_as_in_memory(&store, &dir).await;
    assert_eq!(store.join("figures").read_dir().unwrap().count(), 1);
}

#[tokio::test]
async fn a_store_written_before_fingerprints_opens_while_its_tables_are_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    build(&dir, &store);
    edit_manifest(&store, |m| {
        m.remove("schema_fingerprint");
    });
    let ctx = docsql::engine::new_context(2);
    let opened = store::register_store(&ctx, &store).await;
    let report = build(&dir, &store);
    if store::manifest::schema_fingerprint() == store::manifest::LAYOUT_2_FINGERPRINT {
        // The tables are still those of layout 2: nothing to extract again.
        assert!(opened.is_ok(), "{opened:?}");
        assert_eq!((report.read, report.reused, report.full_rebuild.as_deref()), (0, 4, None), "{report:?}");
    } else {
        // A column changed since: such a store is refused and rebuilt.
        assert!(opened.unwrap_err().to_string().contains("build it again"));
        assert!(report.full_rebuild.is_some(), "{report:?}");
    }
    assert_same_as_in_memory(&store, &dir).await;
}

fn build_with(dir: &Path, store: &Path, options: &BuildOptions) -> Result<BuildReport, store::StoreError> {
    store::build(&[dir.to_str().unwrap().to_string()], store, options, &Silent)
}

/// The data file of `table` in the store's only segment.
fn data_file(store: &Path, table: &str) -> std::path::PathBuf {
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(store.join("manifest.json")).unwrap()).unwrap();
    let segments = manifest["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 1);
    store.join(segments[0]["files"][table].as_str().unwrap())
}

#[tokio::test]
async fn a_missing_or_truncated_data_file_is_named_and_the_next_build_repairs_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    build(&dir, &store);

    // deleted: once read as an empty table, silently
    let entities = data_file(&store, "entities");
    fs::remove_file(&entities).unwrap();
    let ctx = docsql::engine::new_context(2);
    let err = store::register_store(&ctx, &store).await.unwrap_err().to_string();
    assert!(err.contains(&entities.display().to_string()) && err.contains("is missing"), "{err}");
    assert!(err.contains("docsql build --store"), "{err}");
    let out = docsql(tmp.path(), &["news.docsql", "-c", "SELECT count(*) FROM entities"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("entities/seg-000001.parquet is missing"), "{stderr}");

    let report = build(&dir, &store);
    assert_eq!(report.repaired, vec!["seg-000001".to_string()]);
    assert_eq!((report.reused, report.read), (0, 4));
    assert!(report.warnings.iter().any(|w| w.reason.contains("damaged store file (missing)")), "{:?}", report.warnings);
    assert_same_as_in_memory(&store, &dir).await;

    // truncated: once a "corrupt footer" naming no file
    let articles = data_file(&store, "articles");
    let bytes = fs::read(&articles).unwrap();
    fs::write(&articles, &bytes[..bytes.len() / 2]).unwrap();
    let err = store::register_store(&docsql::engine::new_context(2), &store).await.unwrap_err().to_string();
    let expected = format!("{} is {} bytes, the manifest records {}", articles.display(), bytes.len() / 2, bytes.len());
    assert!(err.contains(&expected), "{err}");
    let report = build(&dir, &store);
    assert_eq!(report.repaired.len(), 1);
    assert_same_as_in_memory(&store, &dir).await;
    // nothing left to repair
    assert!(build(&dir, &store).repaired.is_empty());
}

#[tokio::test]
async fn a_data_file_changed_in_place_is_found_by_verify_and_repaired() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    build(&dir, &store);
    let figures = data_file(&store, "figures");
    let size = fs::metadata(&figures).unwrap().len() as usize;
    fs::write(&figures, vec![b'x'; size]).unwrap();
    // the same size: only a hash tells, which a failed query runs
    let out = docsql(tmp.path(), &["news.docsql", "-c", "SELECT count(*) FROM figures WHERE value > 0"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("figures/seg-000001.parquet is changed since it was written"), "{stderr}");
    assert!(stderr.contains("docsql build --verify --store news.docsql"), "{stderr}");
    assert!(build(&dir, &store).repaired.is_empty());
    let verify = BuildOptions { verify: true, ..BuildOptions::default() };
    let report = build_with(&dir, &store, &verify).unwrap();
    assert_eq!(report.repaired, vec!["seg-000001".to_string()]);
    assert!(report.warnings.iter().any(|w| w.reason.contains("its hash differs")), "{:?}", report.warnings);
    assert_same_as_in_memory(&store, &dir).await;
    assert!(build_with(&dir, &store, &verify).unwrap().repaired.is_empty());
}

#[tokio::test]
async fn a_manifest_of_bad_json_points_to_rebuild_which_keeps_other_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    build(&dir, &store);
    fs::write(store.join("manifest.json"), "{\"format\": \"docsql-store\", oops").unwrap();
    fs::write(store.join("notes.txt"), "mine").unwrap();
    let err = build_with(&dir, &store, &BuildOptions::default()).unwrap_err().to_string();
    assert!(err.contains("not a docsql store manifest") && err.contains("docsql build --rebuild --store"), "{err}");

    let out = docsql(tmp.path(), &["build", dir.to_str().unwrap(), "--store", "news.docsql", "--rebuild", "--quiet"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_same_as_in_memory(&store, &dir).await;
    assert_eq!(fs::read_to_string(store.join("notes.txt")).unwrap(), "mine");
    // the old segment's files went with it
    assert_eq!(store.join("articles").read_dir().unwrap().count(), 1);
}

/// Options of a build that deletes the files it stops listing at once.
fn no_grace() -> BuildOptions {
    BuildOptions { retired_grace: std::time::Duration::ZERO, ..BuildOptions::default() }
}

#[tokio::test]
async fn readers_keep_their_snapshot_while_a_build_replaces_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store) = (tmp.path().join("news"), tmp.path().join("news.docsql"));
    make_corpus(&dir);
    build(&dir, &store);
    let reader = open(&store).await;
    let sql = "SELECT (SELECT count(*) FROM articles) AS a, (SELECT count(*) FROM entities) AS e, \
               (SELECT count(*) FROM figures) AS f";
    let before = rows(&reader, sql).await;

    // a changed file: its segment is rewritten, the old files retired
    write(
        &dir,
        "a.txt",
        "Quiet Day\n\nAnn Lee, the leader of Leeds council, said on Monday that it would meet again in May.\n",
    );
    let report = build(&dir, &store);
    assert_eq!(report.segments_removed, 1);
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(store.join("manifest.json")).unwrap()).unwrap();
    let retired: Vec<&str> =
        manifest["retired"].as_array().unwrap().iter().map(|r| r["file"].as_str().unwrap()).collect();
    assert!(retired.contains(&"entities/seg-000001.parquet"), "{retired:?}");
    // the reader opened before the build still sees its state, whole
    assert_eq!(rows(&reader, sql).await, before);
    // a new reader sees the new one
    let after = rows(&open(&store).await, sql).await;
    assert_ne!(after, before);
    assert_same_as_in_memory(&store, &dir).await;

    // retired files outlive another build within the grace period…
    write(&dir, "e.txt", "Late News\n\nRain fell on Paris.\n");
    build(&dir, &store);
    assert!(store.join("entities/seg-000001.parquet").exists());
    assert_eq!(rows(&reader, sql).await, before);
    // …and go with the first build after it
    write(&dir, "f.txt", "Later News\n\nSnow fell on Rome.\n");
    build_with(&dir, &store, &no_grace()).unwrap();
    assert!(!store.join("entities/seg-000001.parquet").exists());
    assert_eq!(store.join("entities").read_dir().unwrap().count(), 1);
    assert_same_as_in_memory(&store, &dir).await;
}
