//! Issue 14, "nothing lost, nothing hangs": documents over `--max-doc-size`
//! (gzip bombs, huge files, huge WARC and JSONL records) are skipped with a
//! warning and never held in memory; files whose names are not UTF-8 load;
//! exports and builds past a file size limit (`ulimit -f`) fail cleanly.

#![cfg(unix)]

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use docsql::store::{BuildOptions, build};

const BIN: &str = env!("CARGO_BIN_EXE_docsql");
const MIB: u64 = 1024 * 1024;

/// A .txt.gz of about 1 MB that expands to 200 MB of text: made once, by
/// streaming through the encoder, never holding the text.
fn gzip_bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let line = b"lorem ipsum dolor sit amet\n".repeat(MIB as usize / 27);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut written = 0;
        while written < 200 * MIB {
            gz.write_all(&line).unwrap();
            written += line.len() as u64;
        }
        gz.finish().unwrap()
    })
}

/// A folder with good files and, for a 1 MB limit, documents too big.
fn corpus_with_oversized(dir: &Path) {
    std::fs::write(dir.join("good.txt"), "Markets rally\n\nShares rose on Monday.\n").unwrap();
    std::fs::write(dir.join("bomb.txt.gz"), gzip_bomb()).unwrap();
    // Sentences, not one 3 MB word: a build extracts them once the limit allows.
    let huge = "Prices rose again. ".repeat(3 * MIB as usize / 19 + 1);
    std::fs::write(dir.join("huge.txt"), &huge[..3 * MIB as usize]).unwrap();
    let big_record = format!("{{\"text\":\"{}\"}}", "Prices fell again. ".repeat(80_000));
    let lines = format!("{{\"text\":\"First line.\"}}\n{big_record}\n{{\"text\":\"Third line.\"}}\n");
    std::fs::write(dir.join("lines.jsonl"), lines).unwrap();
}

/// The warnings `corpus_with_oversized` gives under a 1 MB limit (folder `root`).
fn oversized_warnings(root: &str) -> Vec<(String, String)> {
    let raise = "raise it, e.g. --max-doc-size 2M, to read it";
    vec![
        (format!("{root}/bomb.txt.gz"), format!("skipped: the file, decompressed, is over --max-doc-size (1M); {raise}")),
        (
            format!("{root}/huge.txt"),
            "skipped: the file is 3145728 bytes, over --max-doc-size (1M); raise it, e.g. --max-doc-size 4M, to read it"
                .to_string(),
        ),
        (format!("{root}/lines.jsonl#2"), format!("skipped: this record is over --max-doc-size (1M); {raise}")),
    ]
}

fn warnings_of(warnings: &[docsql::Warning]) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = warnings.iter().map(|w| (w.path.clone(), w.reason.clone())).collect();
    pairs.sort();
    pairs
}

#[test]
fn documents_over_the_size_limit_are_skipped_and_the_rest_loaded() {
    let dir = tempfile::tempdir().unwrap();
    corpus_with_oversized(dir.path());
    let root = dir.path().to_str().unwrap();
    let corpus = docsql::load_with_max_doc_size(&[root], MIB);
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["good", "lines#1", "lines#3"]);
    assert_eq!(warnings_of(&corpus.warnings), oversized_warnings(root));
    assert_eq!(corpus.summary(), "loaded 3 articles, 2 skipped");

    // Under the default limit (64 MB) only the bomb is too big.
    let corpus = docsql::load(&[root]);
    assert_eq!(corpus.documents.len(), 5);
    let warned: Vec<(String, String)> = warnings_of(&corpus.warnings);
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(
        warned[0].1,
        "skipped: the file, decompressed, is over --max-doc-size (64M); raise it, e.g. --max-doc-size 128M, to read it"
    );
}

/// Runs the binary in `dir`, returning its output and its peak resident
/// memory in bytes (from `wait4`, for this child alone).
#[allow(clippy::zombie_processes, reason = "the child is reaped with wait4, which also gives its rusage")]
fn run_measured(dir: &Path, args: &[&str]) -> (Output, u64) {
    let mut child =
        Command::new(BIN).current_dir(dir).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    // Small outputs: reading one pipe to its end cannot block on the other.
    child.stdout.take().unwrap().read_to_end(&mut stdout).unwrap();
    child.stderr.take().unwrap().read_to_end(&mut stderr).unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid; wait4 reaps the child we spawned
    // (std's Child is not waited on after this, only dropped).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    let status = std::os::unix::process::ExitStatusExt::from_raw(status);
    // Linux reports ru_maxrss in KiB.
    (Output { status, stdout, stderr }, usage.ru_maxrss as u64 * 1024)
}

#[test]
fn the_binary_skips_a_gzip_bomb_without_holding_it() {
    let dir = tempfile::tempdir().unwrap();
    corpus_with_oversized(dir.path());
    let query = ["--max-doc-size", "1M", "--format", "csv", "-c", "SELECT article_id FROM articles ORDER BY 1"];
    let (out, peak) = run_measured(dir.path(), &[&["."], &query[..]].concat());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "article_id\ngood\nlines#1\nlines#3\n");
    let mut want: Vec<String> =
        oversized_warnings(".").into_iter().map(|(path, reason)| format!("warning: {path}: {reason}")).collect();
    want.push("loaded 3 articles, 2 skipped".into());
    assert_eq!(stderr.lines().collect::<Vec<_>>(), want);

    // The same query over the good file alone: the bomb's 200 MB (and the
    // 3 MB file) must not show in the peak memory.
    let (out, baseline) = run_measured(dir.path(), &[&["good.txt"], &query[..]].concat());
    assert_eq!(out.status.code(), Some(0));
    assert!(peak < baseline + 32 * MIB, "peak {peak} bytes with the bomb, {baseline} without");
}

#[test]
fn the_size_limit_is_an_option_of_query_mode_and_build() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Some words here.\n").unwrap();
    let run = |args: &[&str]| Command::new(BIN).current_dir(dir.path()).args(args).output().unwrap();
    for size in ["10", "500K", "64M", "1G", "1.5m"] {
        let out =
            run(&["a.txt", "--max-doc-size", size, "-c", "SELECT count(*) AS n FROM articles", "--format", "csv"]);
        let want = if size == "10" { "n\n0\n" } else { "n\n1\n" };
        assert_eq!(String::from_utf8(out.stdout).unwrap(), want, "{size}");
    }
    let out = run(&["a.txt", "--max-doc-size", "lots", "-c", "SELECT 1"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("invalid size \"lots\" (expected e.g. 500K, 64M, 1G or a number of bytes)"), "{stderr}");

    let out = run(&["build", "a.txt", "--store", "st", "--max-doc-size", "10"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning: a.txt: skipped: the file is 17 bytes, over --max-doc-size (10); "), "{stderr}");
    let out = run(&["build", "a.txt", "--store", "st", "--max-doc-size", "1K", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    let out = run(&["st", "--format", "csv", "-c", "SELECT article_id FROM articles"]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "article_id\na\n");
}

#[test]
fn a_build_skips_oversized_documents_and_reads_them_once_the_limit_allows() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    corpus_with_oversized(&input);
    let store = dir.path().join("store");
    let inputs = [input.to_str().unwrap().to_string()];
    let options = |max_doc_size| BuildOptions { max_doc_size, ..BuildOptions::default() };
    let silent = &docsql::report::Silent;

    let report = build(&inputs, &store, &options(MIB), silent).unwrap();
    assert_eq!(warnings_of(&report.warnings), oversized_warnings(input.to_str().unwrap()));
    assert_eq!((report.files, report.rows.articles()), (2, 3));

    // Same limit: the files left out are tried again (and warned about), the
    // JSONL with its skipped record is reused.
    let report = build(&inputs, &store, &options(MIB), silent).unwrap();
    assert_eq!((report.reused, report.read, report.rows.articles()), (2, 2, 3));
    assert_eq!(report.warnings.len(), 2, "{:?}", report.warnings);

    // A higher limit: the JSONL is read again and gives its big record; the
    // 3 MB file is read; the bomb is still too big.
    let report = build(&inputs, &store, &options(4 * MIB), silent).unwrap();
    assert_eq!((report.reused, report.changed, report.rows.articles()), (1, 1, 5));
    let warned: Vec<&str> = report.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(warned, [format!("{}/bomb.txt.gz", input.display())]);
}

#[test]
fn files_whose_names_are_not_utf8_are_loaded_and_built() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for (name, text) in [
        (&b"caf\xe9.txt"[..], "Latin-1 name\n\nThe first body.\n"),
        (b"caf\xe8.txt", "Another name\n\nThe second body.\n"),
        (b"plain.txt", "Plain name\n\nThe third body.\n"),
    ] {
        std::fs::write(input.join(OsStr::from_bytes(name)), text).unwrap();
    }
    let root = input.to_str().unwrap();
    let corpus = docsql::load(&[root]);
    let got: Vec<(&str, &str, Option<&str>)> =
        corpus.documents.iter().map(|d| (d.id.as_str(), d.path.as_str(), d.title.as_deref())).collect();
    let (e8, e9) = (format!("{root}/caf\\xE8.txt"), format!("{root}/caf\\xE9.txt"));
    let plain = format!("{root}/plain.txt");
    assert_eq!(
        got,
        [
            ("caf\\xE8", e8.as_str(), Some("Another name")),
            ("caf\\xE9", e9.as_str(), Some("Latin-1 name")),
            ("plain", plain.as_str(), Some("Plain name")),
        ]
    );
    let reason = "path is not valid UTF-8: read, with its undecodable bytes written \\xNN in its path and article ids";
    assert_eq!(warnings_of(&corpus.warnings), [(e8.clone(), reason.to_string()), (e9.clone(), reason.to_string())]);
    assert_eq!(corpus.summary(), "loaded 3 articles, 0 skipped");

    // A build stores them under the same ids, and a second build reuses them.
    let store = dir.path().join("store");
    let silent = &docsql::report::Silent;
    let report = build(&[root.to_string()], &store, &BuildOptions::default(), silent).unwrap();
    assert_eq!((report.added, report.rows.articles()), (3, 3));
    let report = build(&[root.to_string()], &store, &BuildOptions::default(), silent).unwrap();
    assert_eq!((report.reused, report.rows.articles()), (3, 3));
    let out = Command::new(BIN)
        .args([store.to_str().unwrap(), "--format", "csv", "-c", "SELECT article_id, title FROM articles ORDER BY 1"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "article_id,title\ncaf\\xE8,Another name\ncaf\\xE9,Latin-1 name\nplain,Plain name\n"
    );
}

/// Runs the binary in `dir` with a file size limit of `limit` bytes
/// (`ulimit -f`), as a shell would set it.
fn run_with_file_size_limit(dir: &Path, args: &[&str], limit: u64) -> Output {
    let mut command = Command::new(BIN);
    command.current_dir(dir).args(args);
    // SAFETY: setrlimit is async-signal-safe; the closure allocates nothing.
    unsafe {
        command.pre_exec(move || {
            let rlimit = libc::rlimit { rlim_cur: limit as libc::rlim_t, rlim_max: limit as libc::rlim_t };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &rlimit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    command.output().unwrap()
}

/// The names of the files in `dir` (not recursive), sorted.
fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn an_export_past_the_file_size_limit_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["out.csv", "out.parquet"] {
        std::fs::write(dir.path().join(name), "the previous export\n").unwrap();
        // 50,000 random doubles: about 1 MB of CSV, 400 KB of Parquet.
        let query = "SELECT random() AS r FROM generate_series(1, 50000)";
        let out = run_with_file_size_limit(dir.path(), &["-q", "-c", query, "-o", name], 64 * 1024);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.starts_with(&format!("error: export to {name} failed: ")), "{stderr}");
        assert!(stderr.contains("File too large"), "{stderr}");
        assert_eq!(std::fs::read_to_string(dir.path().join(name)).unwrap(), "the previous export\n");
    }
    assert_eq!(file_names(dir.path()), ["out.csv", "out.parquet"]);
}

/// Every file under `dir` with its bytes, sorted by path.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn a_build_past_the_file_size_limit_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("first.txt"), "First article\n\nIt was built before.\n").unwrap();
    let run = |limit| run_with_file_size_limit(dir.path(), &["build", "in", "--store", "st", "-q"], limit);
    let out = run(u64::MAX);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let before = tree(&dir.path().join("st"));

    // Thirty files of random words (which compress poorly): segments far
    // bigger than the limit.
    let mut seed = 12345u64;
    let mut word = || {
        let len = 2 + (seed >> 33) % 8;
        (0..len)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                char::from(b'a' + (seed >> 33) as u8 % 26)
            })
            .collect::<String>()
    };
    for n in 0..30 {
        let text: Vec<String> = (0..1500).map(|_| word()).collect();
        std::fs::write(input.join(format!("r{n:02}.txt")), text.join(" ") + ".\n").unwrap();
    }
    let out = run(64 * 1024);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: cannot write "), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert_eq!(tree(&dir.path().join("st")), before, "the store changed");

    let query = ["-q", "st", "--format", "csv", "-c", "SELECT article_id FROM articles"];
    let out = Command::new(BIN).current_dir(dir.path()).args(query).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "article_id\nfirst\n");
}
