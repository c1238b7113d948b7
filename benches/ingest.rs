//! Ingest benchmark: in-memory load versus `docsql build`, on one corpus.
//!
//! ```text
//! benches/make_corpus.sh 10 target/bench-corpus
//! cargo build --release --bench ingest
//! target/release/deps/ingest-HASH target/bench-corpus
//! ```
//!
//! Without an argument it uses `../shared/corpora/bbc`. Prints a Markdown table:
//! wall time, MB/s, articles/s and peak RSS (VmHWM) of each phase. Each phase
//! runs in a child process, so its peak is its own and not what an earlier
//! phase left allocated. (Also `cargo bench --bench ingest -- CORPUS`.)

use std::path::Path;
use std::time::Instant;

use docsql::store::{self, BuildOptions};

/// Peak resident memory of this process since the last reset, in MB.
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn corpus_bytes(dir: &Path) -> u64 {
    walk(dir).iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// The allocator of the `docsql` binary, so that the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Runs one phase in this process and prints `seconds articles peak_mb`.
fn run_phase(phase: &str, corpus: &str, store_path: &Path) {
    let options = BuildOptions::default();
    let started = Instant::now();
    let articles = match phase {
        "load" => {
            let loaded = docsql::load(&[corpus]);
            docsql::session(&loaded).expect("session");
            loaded.documents.len()
        }
        "build" | "rebuild" => {
            let report =
                store::build(&[corpus.to_string()], store_path, &options, &docsql::report::Silent).expect("build");
            if phase == "rebuild" {
                assert_eq!(report.read, 0, "nothing changed");
            }
            report.rows.articles() as usize
        }
        _ => {
            let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
            runtime.block_on(async {
                let ctx = docsql::engine::new_context(docsql::engine::default_partitions());
                store::register_store(&ctx, store_path).await.expect("open store");
                let batches = ctx.sql("SELECT count(*) FROM articles").await.unwrap().collect().await.unwrap();
                let count = batches[0].column(0).as_any().downcast_ref::<datafusion::arrow::array::Int64Array>();
                count.expect("count is Int64").value(0) as usize
            })
        }
    };
    println!("{} {articles} {}", started.elapsed().as_secs_f64(), peak_rss_mb());
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    // Each phase runs in a child process, so that its peak RSS is its own.
    if let [flag, phase, corpus, store_path] = args.as_slice()
        && flag == "--phase"
    {
        run_phase(phase, corpus, Path::new(store_path));
        return;
    }
    let corpus = args
        .first()
        .cloned()
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/bbc").to_string());
    let mb = corpus_bytes(Path::new(&corpus)) as f64 / 1e6;
    let tmp = tempfile::tempdir().expect("temp folder");
    let store_path = tmp.path().join("bench.docsql");
    let me = std::env::current_exe().expect("own path");
    let phases = [
        ("load", "in-memory load"),
        ("build", "build (fresh)"),
        ("rebuild", "rebuild (no change)"),
        ("open", "open store + count(*)"),
    ];
    let mut table = Vec::new();
    let mut articles = 0;
    for (phase, label) in phases {
        let out = std::process::Command::new(&me)
            .args(["--phase", phase, &corpus, &store_path.display().to_string()])
            .output()
            .expect("run phase");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        let fields: Vec<f64> = text.split_whitespace().map(|f| f.parse().expect("number")).collect();
        let (secs, count, peak) = (fields[0], fields[1], fields[2]);
        articles = count as usize;
        table.push(format!("| {label} | {secs:.2} | {:.1} | {:.0} | {peak:.0} |", mb / secs, count / secs));
    }
    let store_mb = corpus_bytes(&store_path) as f64 / 1e6;
    println!(
        "corpus {corpus}: {mb:.1} MB, {articles} articles; store {store_mb:.1} MB; {} cores",
        docsql::engine::default_partitions()
    );
    println!();
    println!("| phase | seconds | MB/s | articles/s | peak RSS MB |");
    println!("|---|---:|---:|---:|---:|");
    for line in table {
        println!("{line}");
    }
}
