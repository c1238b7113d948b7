//! Cluster mode end to end (issue 10): a `docsql scheduler` and two `docsql
//! executor` processes on 127.0.0.1 with ephemeral ports, driven by the
//! `docsql` binary as a user would.
#![cfg(feature = "cluster")]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::prelude::{ParquetReadOptions, SessionContext};

const BIN: &str = env!("CARGO_BIN_EXE_docsql");
const BBC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/bbc");
const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
const QUERIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/queries");
const TABLES: [&str; 5] = ["articles", "paragraphs", "entities", "figures", "quotes"];

/// A server process, killed when dropped; its stderr goes to a file.
struct Server {
    child: Child,
    address: String,
    log: PathBuf,
}

impl Server {
    /// Starts `docsql ARGS` and waits for its "listening on ADDR" line.
    fn start(args: &[&str], log: PathBuf) -> Server {
        let stderr = std::fs::File::create(&log).unwrap();
        let mut child =
            Command::new(BIN).args(args).stdout(Stdio::piped()).stderr(stderr).spawn().expect("start docsql");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let line = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("docsql {args:?} did not start: {}", std::fs::read_to_string(&log).unwrap_or_default())
        });
        let address = line.rsplit_once(" listening on ").map(|(_, a)| a.to_string()).expect(&line);
        Server { child, address, log }
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log holds `needle` (a minute at most).
    fn wait_for_log(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.log_text().contains(needle) {
            assert!(Instant::now() < deadline, "no {needle:?} in the log:\n{}", self.log_text());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A scheduler and `executors` executors of one core each.
struct Cluster {
    executors: Vec<Server>,
    scheduler: Server,
    url: String,
}

fn start_cluster(dir: &Path, executors: usize) -> Cluster {
    let scheduler = Server::start(&["scheduler", "--bind", "127.0.0.1:0"], dir.join("scheduler.log"));
    let executors: Vec<Server> = (0..executors)
        .map(|n| {
            let work = dir.join(format!("work-{n}"));
            std::fs::create_dir_all(&work).unwrap();
            let args = [
                "executor",
                "--scheduler",
                &scheduler.address,
                "--bind",
                "127.0.0.1:0",
                "--cores",
                "1",
                "--work-dir",
                work.to_str().unwrap(),
            ];
            Server::start(&args, dir.join(format!("executor-{n}.log")))
        })
        .collect();
    for executor in &executors {
        // Its first poll registers it with the scheduler.
        executor.wait_for_log("Starting poll work loop");
    }
    let url = format!("df://{}", scheduler.address);
    Cluster { executors, scheduler, url }
}

/// `docsql ARGS` run in `cwd`.
fn docsql(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN).current_dir(cwd).args(args).output().unwrap()
}

fn ok(out: Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr:\n{stderr}");
    String::from_utf8(out.stdout).unwrap()
}

/// A corpus of `files` BBC articles copied into `dir` (the seed article, copied
/// under several names, when ../shared is absent).
fn corpus(dir: &Path, files: usize) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let mut sources: Vec<PathBuf> = Vec::new();
    if Path::new(BBC).is_dir() {
        let mut categories: Vec<PathBuf> =
            std::fs::read_dir(BBC).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
        categories.sort();
        for category in categories {
            let mut names: Vec<PathBuf> = std::fs::read_dir(&category).unwrap().map(|e| e.unwrap().path()).collect();
            names.sort();
            sources.extend(names);
        }
    } else {
        eprintln!("note: no BBC corpus at {BBC}; the cluster tests use copies of the seed article");
        let seed = std::fs::read_dir(SEEDS).unwrap().next().unwrap().unwrap().path();
        sources = vec![seed; files];
    }
    for (n, source) in sources.iter().take(files).enumerate() {
        std::fs::copy(source, corpus.join(format!("{n:04}.txt"))).unwrap();
    }
    corpus
}

/// Every row of `table` in `store`, as text, sorted: a table's content, order
/// aside.
async fn table_rows(store: &Path, table: &str) -> Vec<String> {
    let ctx = SessionContext::new();
    docsql::store::register_store(&ctx, store).await.unwrap();
    let batches = ctx.sql(&format!("SELECT * FROM {table}")).await.unwrap().collect().await.unwrap();
    sorted_rows(&batches)
}

fn sorted_rows(batches: &[RecordBatch]) -> Vec<String> {
    let options = FormatOptions::default().with_null("NULL");
    let mut rows = Vec::new();
    for batch in batches {
        let columns: Vec<ArrayFormatter> =
            batch.columns().iter().map(|c| ArrayFormatter::try_new(c.as_ref(), &options).unwrap()).collect();
        for row in 0..batch.num_rows() {
            rows.push(columns.iter().map(|c| c.value(row).to_string()).collect::<Vec<_>>().join("\u{1f}"));
        }
    }
    rows.sort();
    rows
}

async fn parquet_rows(path: &Path) -> Vec<String> {
    let ctx = SessionContext::new();
    let frame = ctx.read_parquet(path.to_str().unwrap(), ParquetReadOptions::default()).await.unwrap();
    sorted_rows(&frame.collect().await.unwrap())
}

/// Every table of two stores holds the same rows.
async fn assert_same_stores(left: &Path, right: &Path) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for table in TABLES {
        let (l, r) = (table_rows(left, table).await, table_rows(right, table).await);
        assert_eq!(l.len(), r.len(), "{table}: row counts");
        assert!(l == r, "{table}: the rows differ");
        counts.insert(table, l.len());
    }
    counts
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cluster_builds_and_queries_as_this_machine_does() {
    let dir = tempfile::tempdir().unwrap();
    let cluster = start_cluster(dir.path(), 2);
    let corpus = corpus(dir.path(), 200);
    let corpus = corpus.to_str().unwrap();
    let (local, remote) = (dir.path().join("local"), dir.path().join("remote"));

    ok(docsql(dir.path(), &["build", corpus, "--store", local.to_str().unwrap(), "-q"]));
    ok(docsql(dir.path(), &["build", corpus, "--store", remote.to_str().unwrap(), "--cluster", &cluster.url, "-q"]));
    let counts = assert_same_stores(&local, &remote).await;
    assert!(counts["entities"] > 0 && counts["figures"] > 0, "{counts:?}");
    for executor in &cluster.executors {
        assert!(executor.log_text().contains("Received task"), "an executor ran no task:\n{}", executor.log_text());
    }
    assert!(!remote.join("staging").exists(), "staged documents are removed");

    // Incremental: a changed file and a new one; the rest is reused.
    let first = Path::new(corpus).join("0000.txt");
    let mut text = std::fs::read_to_string(&first).unwrap();
    text.push_str("\n\nAngela Merkel said on Tuesday that 4,500 jobs would go in Berlin.\n");
    std::fs::write(&first, text).unwrap();
    std::fs::write(Path::new(corpus).join("new.txt"), "Headline\n\nGordon Brown met Kofi Annan in Geneva.\n").unwrap();
    ok(docsql(dir.path(), &["build", corpus, "--store", local.to_str().unwrap(), "-q"]));
    let built = docsql(dir.path(), &["build", corpus, "--store", remote.to_str().unwrap(), "--cluster", &cluster.url]);
    let stderr = String::from_utf8_lossy(&built.stderr).to_string();
    assert_eq!(built.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("2 to read"), "only the two changed files are read:\n{stderr}");
    let counts_after = assert_same_stores(&local, &remote).await;
    assert_eq!(counts_after["articles"], counts["articles"] + 1);

    // Every query of queries/ gives the same rows on the cluster.
    let store = remote.to_str().unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(QUERIES).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "sql")) {
        let name = file.file_name().unwrap().to_str().unwrap();
        let (here, there) = (dir.path().join(format!("here-{name}")), dir.path().join(format!("there-{name}")));
        std::fs::create_dir_all(&here).unwrap();
        std::fs::create_dir_all(&there).unwrap();
        let file = file.to_str().unwrap();
        let expected = ok(docsql(&here, &[local.to_str().unwrap(), "-q", "--format", "ndjson", "-f", file]));
        let got = ok(docsql(&there, &[store, "--cluster", &cluster.url, "-q", "--format", "ndjson", "-f", file]));
        assert_eq!(got, expected, "{name}");
        assert!(!expected.is_empty(), "{name} gives rows");
        // COPY writes its file where docsql runs, with the same rows.
        for written in std::fs::read_dir(&here).unwrap() {
            let written = written.unwrap().path();
            let copy = there.join(written.file_name().unwrap());
            assert!(copy.is_file(), "{name}: {} written here on the cluster too", copy.display());
            assert_eq!(parquet_rows(&copy).await, parquet_rows(&written).await, "{name}");
        }
    }

    // DataFusion's array functions run on the cluster too.
    let sql = "SELECT array_to_string(array_agg(DISTINCT format), ',') AS formats, \
               array_length(make_array(1, 2, 3)) AS n FROM articles";
    let local_rows = ok(docsql(dir.path(), &[local.to_str().unwrap(), "-q", "--format", "csv", "-c", sql]));
    let cluster_rows = ok(docsql(dir.path(), &[store, "--cluster", &cluster.url, "-q", "--format", "csv", "-c", sql]));
    assert_eq!(cluster_rows, local_rows);
    assert_eq!(local_rows, "formats,n\ntxt,3\n");

    // -o exports through the cluster: docsql's writers, LIMIT respected.
    let sql = "SELECT title, 'a,b \"c\"' AS quoted, word_count FROM articles ORDER BY article_id LIMIT 5";
    let csv = dir.path().join("five.csv");
    let parquet = dir.path().join("five.parquet");
    for out in [&csv, &parquet] {
        ok(docsql(dir.path(), &[store, "--cluster", &cluster.url, "-q", "-c", sql, "-o", out.to_str().unwrap()]));
    }
    let local_csv = ok(docsql(dir.path(), &[local.to_str().unwrap(), "-q", "--format", "csv", "-c", sql]));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text, local_csv);
    assert_eq!(text.lines().count(), 6, "a header and five rows:\n{text}");
    assert!(text.lines().nth(1).unwrap().contains(",\"a,b \"\"c\"\"\","), "plain CSV quoting:\n{text}");
    assert!(!text.lines().next().unwrap().contains('"'), "headers unquoted:\n{text}");
    let local_parquet = dir.path().join("local-five.parquet");
    ok(docsql(dir.path(), &[local.to_str().unwrap(), "-q", "-c", sql, "-o", local_parquet.to_str().unwrap()]));
    assert_eq!(parquet_rows(&parquet).await, parquet_rows(&local_parquet).await);
    assert_eq!(parquet_rows(&parquet).await.len(), 5);

    // COPY to CSV on the cluster: the file here, as a local COPY writes it.
    let copy = "COPY (SELECT article_id, title FROM articles ORDER BY article_id LIMIT 5) TO 'copy.csv'";
    let (here, there) = (dir.path().join("copy-here"), dir.path().join("copy-there"));
    std::fs::create_dir_all(&here).unwrap();
    std::fs::create_dir_all(&there).unwrap();
    let counted = ok(docsql(&there, &[store, "--cluster", &cluster.url, "-q", "--format", "csv", "-c", copy]));
    assert_eq!(counted, "count\n5\n");
    ok(docsql(&here, &[local.to_str().unwrap(), "-q", "-c", copy]));
    let (local_copy, remote_copy) = (here.join("copy.csv"), there.join("copy.csv"));
    assert_eq!(std::fs::read_to_string(&remote_copy).unwrap(), std::fs::read_to_string(&local_copy).unwrap());
    assert_eq!(std::fs::read_to_string(&remote_copy).unwrap().lines().count(), 6);

    // The extraction functions run on the executors over a user's own file.
    let headlines = dir.path().join("headlines.csv");
    std::fs::write(&headlines, "id,headline\n1,Angela Merkel visits Paris\n2,Oil hits $50 a barrel\n").unwrap();
    let sql = format!(
        "SELECT id, unnest(extract_entities(headline))['name'] AS name FROM '{}' ORDER BY id, name",
        headlines.display()
    );
    let here = ok(docsql(dir.path(), &[store, "-q", "--format", "csv", "-c", &sql]));
    let there = ok(docsql(dir.path(), &["--cluster", &cluster.url, "-q", "--format", "csv", "-c", &sql]));
    assert_eq!(there, here);
    assert!(here.contains("1,Angela Merkel\n"), "{here}");

    repl_on_the_cluster(dir.path(), store, &cluster.url, counts_after["articles"]);
    drop(cluster.scheduler);
}

/// The REPL over a store on the cluster: results, dot-commands, an error that
/// leaves it running, `.once` writing here.
#[cfg(unix)]
fn repl_on_the_cluster(dir: &Path, store: &str, url: &str, articles: usize) {
    let mut command = Command::new(BIN);
    command.current_dir(dir).args([store, "--cluster", url, "-q"]).env("TERM", "xterm");
    command.env("DOCSQL_HISTORY", dir.join("history.txt"));
    let mut p = rexpect::session::spawn_command(command, Some(60_000)).expect("spawn docsql");
    p.exp_string("docsql> ").expect("first prompt");
    p.send_line(".mode csv").unwrap();
    p.exp_string("docsql> ").unwrap();
    p.send_line("SELECT count(*) AS n FROM articles;").unwrap();
    p.exp_string(&format!("n\r\n{articles}\r\n1 row (")).expect("the count, from the cluster");
    p.exp_string("docsql> ").unwrap();
    p.send_line(".tables").unwrap();
    p.exp_string("articles\r\nentities\r\nfigures\r\nparagraphs\r\nquotes\r\n5 rows (").expect(".tables");
    p.exp_string("docsql> ").unwrap();
    p.send_line("SELECT nope FROM articles;").unwrap();
    p.exp_string("error: ").expect("an error message");
    p.exp_string("docsql> ").unwrap();
    p.send_line(".once repl.csv").unwrap();
    p.exp_string("docsql> ").unwrap();
    p.send_line("SELECT article_id FROM articles ORDER BY article_id LIMIT 3;").unwrap();
    p.exp_string("docsql> ").unwrap();
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let written = std::fs::read_to_string(dir.join("repl.csv")).unwrap();
    assert_eq!(written.lines().count(), 4, "{written}");
    assert!(written.starts_with("article_id\n"), "{written}");
}

#[cfg(not(unix))]
fn repl_on_the_cluster(_: &Path, _: &str, _: &str, _: usize) {}

#[test]
fn an_unreachable_scheduler_fails_at_once_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path(), 3);
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("df://127.0.0.1:{port}");
    let store = dir.path().join("store");
    let started = Instant::now();
    let out =
        docsql(dir.path(), &["build", corpus.to_str().unwrap(), "--store", store.to_str().unwrap(), "--cluster", &url]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("cannot reach the scheduler at 127.0.0.1:{port}")), "{stderr}");
    assert!(!store.exists(), "nothing written");

    let out = docsql(dir.path(), &["--cluster", &url, "-c", "SELECT 1", "-o", "out.csv"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: cannot reach the scheduler"), "{stderr}");
    assert!(!dir.path().join("out.csv").exists());
    // Not a timing benchmark: a guard against retrying for minutes.
    assert!(started.elapsed() < Duration::from_secs(30), "{:?}", started.elapsed());

    let out = docsql(dir.path(), &["--cluster", "df://nowhere", "-c", "SELECT 1"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid cluster address"));
}

#[tokio::test(flavor = "multi_thread")]
async fn losing_an_executor_mid_build_finishes_the_build_or_keeps_the_old_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut cluster = start_cluster(dir.path(), 2);
    let corpus = corpus(dir.path(), 2000);
    let store = dir.path().join("store");
    // The previous store: a local build of a few of the files.
    let few = dir.path().join("few");
    std::fs::create_dir_all(&few).unwrap();
    for n in 0..20 {
        let name = format!("{n:04}.txt");
        std::fs::copy(corpus.join(&name), few.join(&name)).unwrap();
    }
    ok(docsql(dir.path(), &["build", few.to_str().unwrap(), "--store", store.to_str().unwrap(), "-q"]));
    let before: Vec<Vec<String>> = all_rows(&store).await;

    let mut build = Command::new(BIN)
        .args(["build", corpus.to_str().unwrap(), "--store", store.to_str().unwrap(), "--cluster", &cluster.url, "-q"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let victim = cluster.executors.remove(0);
    victim.wait_for_log("Received task");
    drop(victim);
    let deadline = Instant::now() + Duration::from_secs(600);
    while build.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the build hangs after losing an executor");
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = build.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    if out.status.success() {
        // Ballista ran the lost tasks again on the other executor.
        eprintln!("the build completed without the lost executor");
        let local = dir.path().join("local");
        ok(docsql(dir.path(), &["build", corpus.to_str().unwrap(), "--store", local.to_str().unwrap(), "-q"]));
        assert_same_stores(&local, &store).await;
    } else {
        eprintln!("the build failed cleanly: {stderr}");
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(stderr.starts_with("error: extraction failed: on the cluster at "), "{stderr}");
        assert_eq!(all_rows(&store).await, before, "the previous store opens unchanged");
        assert!(!store.join("staging").exists());
    }
}

/// Every table's rows in `store`.
async fn all_rows(store: &Path) -> Vec<Vec<String>> {
    let mut tables = Vec::new();
    for table in TABLES {
        tables.push(table_rows(store, table).await);
    }
    tables
}
