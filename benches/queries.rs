//! Query benchmark: every file of `queries/`, on a store and on an in-memory
//! load of the same corpus.
//!
//! ```text
//! cargo build --release --bench queries
//! target/release/deps/queries-HASH [CORPUS [STORE]]
//! ```
//!
//! CORPUS defaults to `../shared/corpora/bbc`; STORE (built or brought up to
//! date first) to a temporary folder. Prints a Markdown table of the best of
//! three wall times per file. Queries run in a temporary current folder, since
//! some write exports.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use datafusion::prelude::SessionContext;
use docsql::exec::{Origin, statements_of};
use docsql::store::{self, BuildOptions};

const RUNS: usize = 3;

/// Runs every statement of `sql`; returns the wall time and the last result's rows.
async fn run(ctx: &SessionContext, sql: &str, path: &Path) -> (Duration, usize) {
    let started = Instant::now();
    let mut rows = 0;
    for statement in statements_of(sql, Origin::File(path.to_path_buf())) {
        let result = docsql::exec::execute(ctx, &statement.statement.sql).await.expect("query runs");
        rows = result.rows();
    }
    (started.elapsed(), rows)
}

/// The allocator of the `docsql` binary, so that the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

async fn best_of(ctx: &SessionContext, sql: &str, path: &Path) -> (Duration, usize) {
    let mut best = (Duration::MAX, 0);
    for _ in 0..RUNS {
        let (time, rows) = run(ctx, sql, path).await;
        best = (best.0.min(time), rows);
    }
    best
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let corpus = args
        .first()
        .cloned()
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/bbc").to_string());
    let corpus = std::fs::canonicalize(&corpus).expect("corpus folder").display().to_string();
    let tmp = tempfile::tempdir().expect("temp folder");
    let store_path = match args.get(1) {
        Some(path) => std::fs::canonicalize(std::fs::create_dir_all(path).map(|()| path).expect("store")).unwrap(),
        None => tmp.path().join("bench.docsql"),
    };
    let options = BuildOptions::default();
    store::build(std::slice::from_ref(&corpus), &store_path, &options, &docsql::report::Silent).expect("build");
    let mut files: Vec<PathBuf> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/queries"))
        .expect("queries folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    std::env::set_current_dir(tmp.path()).expect("enter temp folder");

    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let partitions = docsql::engine::default_partitions();
    let (stored, open_time) = runtime.block_on(async {
        let started = Instant::now();
        let ctx = docsql::engine::new_context(partitions);
        store::register_store(&ctx, &store_path).await.expect("open store");
        (ctx, started.elapsed())
    });
    let started = Instant::now();
    let loaded = docsql::load(&[corpus.as_str()]);
    let memory = docsql::session(&loaded).expect("session");
    let load_time = started.elapsed();

    println!(
        "corpus {corpus}: {} articles; open store {open_time:.2?}, in-memory load {load_time:.2?}",
        loaded.documents.len()
    );
    println!();
    println!("| query | rows | store ms | in-memory ms |");
    println!("|---|---:|---:|---:|");
    for path in files {
        let sql = std::fs::read_to_string(&path).expect("query file");
        let (store_time, rows) = runtime.block_on(best_of(&stored, &sql, &path));
        let (memory_time, _) = runtime.block_on(best_of(&memory, &sql, &path));
        println!(
            "| {} | {rows} | {:.1} | {:.1} |",
            path.file_name().unwrap().to_string_lossy(),
            store_time.as_secs_f64() * 1e3,
            memory_time.as_secs_f64() * 1e3
        );
    }
}
