//! The `docsql` command: parses arguments, picks a mode, calls the library.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser};
use docsql::corpus::Format;
use docsql::exec::{self, Origin, ScriptError, ScriptOutput, ScriptStatement};
use docsql::output::{ExportFormat, OutputFormat};

/// Extraction allocates many small strings and vectors per article; mimalloc
/// serves them faster than the system allocator on every core.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// SQL over a corpus of news documents: articles, paragraphs, entities, figures.
#[derive(Parser, Debug)]
#[command(name = "docsql", version, about, long_about = None, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    tool: Option<Tool>,

    // Files, folders and glob patterns to load (help from the list of input extensions).
    #[arg(value_name = "PATH", help = paths_help())]
    paths: Vec<String>,

    /// Run this SQL (one or more statements) and exit. Repeatable.
    #[arg(short = 'c', long = "command", value_name = "SQL")]
    commands: Vec<String>,

    /// Run the statements in FILE and exit. Repeatable.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    files: Vec<PathBuf>,

    /// How results are printed.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,

    // Where to export the last result (help from the list of export extensions).
    #[arg(short = 'o', long = "output", value_name = "FILE", help = output_help())]
    output: Option<PathBuf>,

    /// No warnings or load summary on stderr (errors still show).
    #[arg(short, long)]
    quiet: bool,

    /// Rows shown in table/markdown output (0 = all; default: 40 in the REPL, all otherwise).
    #[arg(long, value_name = "N")]
    maxrows: Option<usize>,

    /// Cap the memory queries use (e.g. 512M, 2G); big sorts and aggregates
    /// spill to a temporary folder instead.
    #[arg(long, value_name = "SIZE", value_parser = docsql::engine::parse_memory_size)]
    memory_limit: Option<usize>,

    /// Skip (with a warning) any document bigger than SIZE once decompressed
    /// (e.g. 500K, 64M, 1G, or bytes): a file, or one record of a WARC or
    /// JSONL file. It is never read into memory.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_doc_size)]
    max_doc_size: u64,

    /// Run the queries on the Ballista cluster whose `docsql scheduler` is at
    /// this address (PATH, if given, is a store every executor can read).
    #[cfg(feature = "cluster")]
    #[arg(long, value_name = "df://HOST:PORT")]
    cluster: Option<String>,
}

/// A `--max-doc-size` value: a size as `--memory-limit` takes it.
fn parse_doc_size(text: &str) -> Result<u64, String> {
    docsql::engine::parse_memory_size(text)
        .map(|bytes| bytes as u64)
        .map_err(|_| format!("invalid size {:?} (expected e.g. 500K, 64M, 1G or a number of bytes)", text.trim()))
}

/// The help of PATH, naming the input extensions.
fn paths_help() -> String {
    format!(
        "Files, folders (searched recursively) and glob patterns of {} (optionally {}). Without any, the bundled seed articles",
        Format::extensions(),
        Format::GZIP_EXTENSION
    )
}

/// The help of `--output`, naming the export extensions.
fn output_help() -> String {
    format!("Write the result of the last statement to FILE ({})", ExportFormat::extensions().join(" "))
}

/// Tools besides querying.
#[derive(clap::Subcommand, Debug)]
enum Tool {
    /// Score the figures extractor on Microsoft Recognizers-Text spec files
    /// (cases passed) and on quantity cases in quantulum3's format (span-exact,
    /// value and unit accuracy).
    EvalFigures {
        /// Spec files (NumberModel.json, PercentModel.json, OrdinalModel.json,
        /// NumberRangeModel.json) or quantulum3 case files (quantities.json).
        #[arg(required = true, value_name = "SPEC.json")]
        specs: Vec<PathBuf>,
        /// List every failed case.
        #[arg(short, long)]
        verbose: bool,
        /// How the scores are printed.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },
    /// Score attributions (who said what) on a PolNeAR split: DIR holds text/
    /// and attributions/. Prints content, exact, end-to-end and direct-quote
    /// F1s and source accuracy (issue #13's metric).
    EvalQuotes {
        /// The split folder (../shared/eval/polnear/dev).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Also score speaker_name against a hand-judged gold
        /// (tests/data/speaker_names.tsv): the share of its cases, still
        /// matched, whose speaker resolves to the expected entity (on stderr).
        #[arg(long, value_name = "FILE")]
        speaker_gold: Option<PathBuf>,
        /// Print the matched attributions with a gold source and docsql's
        /// speaker and speaker_name instead of the scores (to judge by hand).
        #[arg(long)]
        speaker_cases: bool,
        /// How the scores are printed.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },
    /// Score web-page text extraction on the article-extraction benchmark:
    /// DIR holds html/ and ground-truth.json. Prints precision/recall/F1 by
    /// the benchmark's own metric.
    EvalArticles {
        /// The benchmark folder (../shared/eval/article-extraction).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Also write the predictions as the benchmark's evaluate.py reads them.
        #[arg(long, value_name = "FILE")]
        write_json: Option<PathBuf>,
        /// List the 15 pages scored worst.
        #[arg(short, long)]
        verbose: bool,
        /// How the scores are printed.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },
    /// Train the named-entity tagger on CoNLL column files and write the model.
    TrainNer {
        /// Training data (CoNLL-2003 columns, IOB1 or IOB2).
        #[arg(long, value_name = "FILE")]
        train: PathBuf,
        /// Development data, used to choose the epoch.
        #[arg(long, value_name = "FILE")]
        dev: PathBuf,
        /// Where to write the model (embed it by copying to src/extract/ner/model.bin).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Seed of the training order: the same seed gives the same model.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Passes over the training data.
        #[arg(long, default_value_t = 20)]
        epochs: usize,
    },
    /// Train the attribution tagger on PolNeAR-style folders (text/ and
    /// attributions/ with brat .ann files) and write the model; the epoch is
    /// chosen on dev by the end-to-end F1 of eval-quotes.
    TrainQuotes {
        /// The training split folder (../shared/eval/polnear/train).
        #[arg(long, value_name = "DIR")]
        train: PathBuf,
        /// The development split folder (../shared/eval/polnear/dev).
        #[arg(long, value_name = "DIR")]
        dev: PathBuf,
        /// Where to write the model (embed it by copying to src/extract/quotes/model.bin).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Passes over the training data.
        #[arg(long, default_value_t = 12)]
        epochs: usize,
    },
    /// Score the embedded tagger (or --model) on a CoNLL file: P/R/F1 per type.
    EvalNer {
        /// Gold data (CoNLL-2003 columns, IOB1 or IOB2).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// A model file written by train-ner instead of the embedded one.
        #[arg(long, value_name = "FILE")]
        model: Option<PathBuf>,
        /// How the scores are printed.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },
    /// Extract files into a store folder, queried later with `docsql STORE`;
    /// run again, only new and changed files are extracted.
    Build {
        /// Files, folders (searched recursively) and glob patterns.
        #[arg(required = true, value_name = "PATH")]
        inputs: Vec<String>,
        /// The store folder to create or bring up to date.
        #[arg(long, value_name = "DIR")]
        store: PathBuf,
        /// No progress, warnings or summary on stderr (errors still show).
        #[arg(short, long)]
        quiet: bool,
        /// Hash every data file kept from the last build, not only check its
        /// size, and extract the sources of damaged ones again.
        #[arg(long)]
        verify: bool,
        /// Start the store over in place: remove docsql's own files in it (the
        /// manifest, source lists, data files) first, then extract everything.
        #[arg(long)]
        rebuild: bool,
        /// Skip (with a warning) any document bigger than SIZE once
        /// decompressed (e.g. 500K, 64M, 1G, or bytes): a file, or one record
        /// of a WARC or JSONL file. It is never read into memory.
        #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_doc_size)]
        max_doc_size: u64,
        /// Extract on the executors of the cluster whose `docsql scheduler`
        /// is at this address; the store must be at a path they can all read.
        #[cfg(feature = "cluster")]
        #[arg(long, value_name = "df://HOST:PORT")]
        cluster: Option<String>,
    },
    /// Run a Ballista scheduler with docsql's functions, for cluster mode
    /// (no authentication: keep it on a private network).
    #[cfg(feature = "cluster")]
    Scheduler {
        /// Address to listen on (port 0: a free port, printed on stdout).
        #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:50050")]
        bind: std::net::SocketAddr,
    },
    /// Run a Ballista executor with docsql's functions, registered with a
    /// scheduler (no authentication: keep it on a private network).
    #[cfg(feature = "cluster")]
    Executor {
        /// The scheduler's address.
        #[arg(long, value_name = "HOST:PORT")]
        scheduler: String,
        /// Address of the executor's one listener (port 0: a free port,
        /// printed on stdout).
        #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:0")]
        bind: std::net::SocketAddr,
        /// Host the scheduler and clients reach this executor at (needed with
        /// --bind 0.0.0.0:PORT).
        #[arg(long, value_name = "HOST")]
        advertise: Option<String>,
        /// Folder for intermediate (shuffle) files (default: a temporary one).
        #[arg(long, value_name = "DIR")]
        work_dir: Option<PathBuf>,
        /// Tasks run at once (default: one per core).
        #[arg(long, value_name = "N", default_value_t = 0)]
        cores: usize,
    },
}

fn main() -> ExitCode {
    ignore_file_size_signal();
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    if let Some(tool) = &cli.tool {
        return run_tool(tool);
    }
    let statements = match script_in_argument_order(&cli, &matches) {
        Ok(statements) => statements,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::from(2);
        }
    };
    let interactive = cli.commands.is_empty() && cli.files.is_empty();
    if interactive && cli.output.is_some() {
        eprintln!("error: --output needs -c or -f (in the REPL use .once FILE)");
        return ExitCode::from(2);
    }

    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let ctx = match open_session(&cli, &runtime) {
        Ok(ctx) => ctx,
        Err(err) => {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    };
    let maxrows = |default: Option<usize>| match cli.maxrows {
        Some(0) => None,
        Some(n) => Some(n),
        None => default,
    };

    if interactive {
        // `Settings` has private fields, so no struct-update syntax from here.
        let mut settings = docsql::repl::Settings::default();
        settings.format = cli.format;
        settings.maxrows = maxrows(Some(40));
        return match docsql::repl::run(&ctx, &runtime, settings) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::FAILURE
            }
        };
    }
    let out = ScriptOutput { format: cli.format, maxrows: maxrows(None), export_to: cli.output.as_deref() };
    let store = match cli.paths.as_slice() {
        [path] if docsql::store::is_store(std::path::Path::new(path)) => Some(std::path::Path::new(path)),
        _ => None,
    };
    run_script(&ctx, &runtime, &statements, &out, cli.quiet, store)
}

/// After a failed query over a store: a data file whose bytes are not those
/// written fails inside the query engine ("corrupt footer"), naming neither
/// the file nor the remedy; hashing the store's files finds it.
fn explain_store_damage(store: &std::path::Path) {
    let Ok(head) = docsql::store::open_manifest(store) else { return };
    let depth = docsql::store::verify::Depth::Content;
    for file in docsql::store::verify::check_segments(store, &head.segments, depth) {
        eprintln!(
            "{} is {}: the store is damaged; run `docsql build --verify --store {} PATH...` over the same inputs \
             to re-extract what it held",
            file.path.display(),
            file.damage,
            store.display()
        );
    }
}

/// Past a file size limit (`ulimit -f`), a write raises SIGXFSZ, whose
/// default action kills the process on the spot: an export or a build would
/// die without a word, leaving its temporary files. Ignored, the write fails
/// with EFBIG ("File too large") instead, and the error paths report it and
/// clean up like any other write error.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists;
    // SIG_IGN installs no handler code, it only changes the signal's action.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Runs the `-c`/`-f` statements, results on stdout, messages on stderr.
fn run_script(
    ctx: &datafusion::prelude::SessionContext,
    runtime: &tokio::runtime::Runtime,
    statements: &[ScriptStatement],
    out: &ScriptOutput<'_>,
    quiet: bool,
    store: Option<&std::path::Path>,
) -> ExitCode {
    let mut stdout = io::stdout().lock();
    match runtime.block_on(exec::run_script(ctx, statements, out, &mut stdout)) {
        Ok(exported) => {
            if let (Some(rows), Some(path)) = (exported, out.export_to)
                && !quiet
            {
                eprintln!("wrote {rows} rows to {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            match err {
                // "error at -c #2, line 1: ...": the message names the statement.
                ScriptError::Statement { .. } => eprintln!("error {err}"),
                _ => eprintln!("error: {err}"),
            }
            if let Some(store) = store
                && err.to_string().to_lowercase().contains("parquet")
            {
                explain_store_damage(store);
            }
            ExitCode::FAILURE
        }
    }
}

/// The statements of all `-c` and `-f` arguments, in the order given.
fn script_in_argument_order(cli: &Cli, matches: &clap::ArgMatches) -> docsql::Result<Vec<ScriptStatement>> {
    let mut sources: Vec<(usize, Vec<ScriptStatement>)> = Vec::new();
    let command_indices = matches.indices_of("commands").into_iter().flatten();
    for (n, (index, sql)) in command_indices.zip(&cli.commands).enumerate() {
        sources.push((index, exec::statements_of(sql, Origin::Command(n + 1))));
    }
    let file_indices = matches.indices_of("files").into_iter().flatten();
    for (index, path) in file_indices.zip(&cli.files) {
        let text = std::fs::read_to_string(path).map_err(docsql::Error::io("read", path))?;
        sources.push((index, exec::statements_of(&text, Origin::File(path.clone()))));
    }
    sources.sort_by_key(|(index, _)| *index);
    Ok(sources.into_iter().flat_map(|(_, statements)| statements).collect())
}

/// The session over a store (when the only PATH is one) or over the files,
/// loaded and extracted now.
fn open_session(
    cli: &Cli,
    runtime: &tokio::runtime::Runtime,
) -> Result<datafusion::prelude::SessionContext, Box<dyn std::error::Error>> {
    #[cfg(feature = "cluster")]
    if let Some(address) = &cli.cluster {
        return open_cluster_session(cli, runtime, address);
    }
    let ctx = docsql::engine::context_with_memory_limit(cli.memory_limit, docsql::engine::default_partitions());
    if let [path] = cli.paths.as_slice()
        && docsql::store::is_store(std::path::Path::new(path))
    {
        let store = std::path::Path::new(path);
        let head = docsql::store::open_manifest(store)?;
        runtime.block_on(docsql::store::register_store(&ctx, store))?;
        if !cli.quiet {
            eprintln!("opened store {path}: {} articles (built {})", head.rows.articles(), head.built_at);
        }
        return Ok(ctx);
    }
    let corpus = docsql::load_with_max_doc_size(&cli.paths, cli.max_doc_size);
    if !cli.quiet {
        for warning in &corpus.warnings {
            eprintln!("{warning}");
        }
        eprintln!("{}", corpus.summary());
    }
    docsql::register_corpus(&ctx, &corpus)?;
    Ok(ctx)
}

/// A session on a cluster, over a store (the only PATH) or no tables.
#[cfg(feature = "cluster")]
fn open_cluster_session(
    cli: &Cli,
    runtime: &tokio::runtime::Runtime,
    address: &str,
) -> Result<datafusion::prelude::SessionContext, Box<dyn std::error::Error>> {
    let address = docsql::cluster::ClusterAddress::parse(address)?;
    let store = match cli.paths.as_slice() {
        [] => None,
        [path] if docsql::store::is_store(std::path::Path::new(path)) => Some(path),
        _ => {
            return Err(
                "--cluster queries a store: give one store folder (make it with `docsql build --cluster`)".into()
            );
        }
    };
    if cli.memory_limit.is_some() {
        return Err("--memory-limit applies to local queries; on a cluster, the executors' memory is theirs".into());
    }
    let ctx = {
        let _entered = runtime.enter();
        docsql::cluster::connect(&address, docsql::engine::default_partitions())?
    };
    if let Some(path) = store {
        let head = docsql::store::open_manifest(std::path::Path::new(path))?;
        runtime.block_on(docsql::store::register_store(&ctx, std::path::Path::new(path)))?;
        if !cli.quiet {
            eprintln!(
                "opened store {path} on the cluster at {}: {} articles (built {})",
                address.host_port(),
                head.rows.articles(),
                head.built_at
            );
        }
    }
    Ok(ctx)
}

/// Runs a scheduler or an executor until the process is stopped.
#[cfg(feature = "cluster")]
fn run_server(tool: &Tool) -> ExitCode {
    log::set_max_level(log::LevelFilter::Info);
    let _ = log::set_logger(&SERVER_LOG);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let announce = |what: &str| {
        let what = what.to_string();
        Box::new(move |address: std::net::SocketAddr| {
            use std::io::Write;
            let mut stdout = io::stdout().lock();
            let _ = writeln!(stdout, "docsql {what} listening on {address}");
            let _ = stdout.flush();
        }) as Box<dyn FnOnce(std::net::SocketAddr) + Send>
    };
    let result = match tool {
        Tool::Scheduler { bind } => runtime.block_on(docsql::cluster::scheduler::run(*bind, announce("scheduler"))),
        Tool::Executor { scheduler, bind, advertise, work_dir, cores } => {
            match docsql::cluster::ClusterAddress::parse(scheduler) {
                Ok(scheduler) => {
                    let options = docsql::cluster::executor::ExecutorOptions {
                        scheduler,
                        bind: *bind,
                        advertise: advertise.clone(),
                        work_dir: work_dir.as_ref().map(|d| d.display().to_string()),
                        cores: *cores,
                    };
                    runtime.block_on(docsql::cluster::executor::run(options, announce("executor")))
                }
                Err(err) => Err(err),
            }
        }
        _ => unreachable!("only servers are run here"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Ballista's log lines (it logs through `log`): its own at info and up, so
/// that an executor shows the tasks it runs, and warnings of any crate.
#[cfg(feature = "cluster")]
struct ServerLog;

#[cfg(feature = "cluster")]
static SERVER_LOG: ServerLog = ServerLog;

#[cfg(feature = "cluster")]
impl log::Log for ServerLog {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Warn
            || (metadata.level() <= log::Level::Info && metadata.target().starts_with("ballista"))
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            eprintln!("[{} {}] {}", record.level(), record.target(), record.args());
        }
    }

    fn flush(&self) {}
}

/// Build options for `docsql build`, extracting on a cluster when one is given.
#[cfg(feature = "cluster")]
fn build_options(cluster: Option<&str>) -> Result<docsql::store::BuildOptions, docsql::Error> {
    let mut options = docsql::store::BuildOptions::default();
    if let Some(address) = cluster {
        let address = docsql::cluster::ClusterAddress::parse(address)?;
        options.analyzer = Some(std::sync::Arc::new(docsql::cluster::ClusterAnalyzer::connect(&address)?));
    }
    Ok(options)
}

fn run_tool(tool: &Tool) -> ExitCode {
    match tool {
        #[cfg(feature = "cluster")]
        Tool::Scheduler { .. } | Tool::Executor { .. } => run_server(tool),
        #[cfg(feature = "cluster")]
        Tool::Build { inputs, store, quiet, verify, rebuild, max_doc_size, cluster } => {
            let options = match build_options(cluster.as_deref()) {
                Ok(options) => docsql::store::BuildOptions {
                    verify: *verify,
                    rebuild: *rebuild,
                    max_doc_size: *max_doc_size,
                    ..options
                },
                Err(err) => {
                    eprintln!("error: {err}");
                    return ExitCode::FAILURE;
                }
            };
            run_build(inputs, store, *quiet, &options)
        }
        #[cfg(not(feature = "cluster"))]
        Tool::Build { inputs, store, quiet, verify, rebuild, max_doc_size } => {
            let options = docsql::store::BuildOptions {
                verify: *verify,
                rebuild: *rebuild,
                max_doc_size: *max_doc_size,
                ..Default::default()
            };
            run_build(inputs, store, *quiet, &options)
        }
        Tool::EvalFigures { specs, verbose, format } => {
            use docsql::tools::{figures_eval, quantity_eval};
            let mut scores = Vec::new();
            let mut quantities = Vec::new();
            for path in specs {
                let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
                let scored = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()));
                let scored = scored.and_then(|json| {
                    if quantity_eval::is_quantity_file(&json) {
                        quantity_eval::score_quantities(&name, &json).map(|q| quantities.push(q))
                    } else {
                        figures_eval::score_spec(&name, &json).map(|s| scores.push(s))
                    }
                });
                if let Err(message) = scored {
                    eprintln!("error: {message}");
                    return ExitCode::FAILURE;
                }
            }
            if *verbose {
                for score in &scores {
                    for failure in &score.failures {
                        eprintln!("{}: FAIL {failure}", score.file);
                    }
                }
                for score in &quantities {
                    for detail in &score.details {
                        eprintln!("{}: {detail}", score.file);
                    }
                }
            }
            if !scores.is_empty() {
                let code = print_batch(&figures_eval::scores_batch(&scores), *format);
                if code != ExitCode::SUCCESS {
                    return code;
                }
            }
            if quantities.is_empty() {
                return ExitCode::SUCCESS;
            }
            print_batch(&quantity_eval::quantity_batch(&quantities), *format)
        }
        Tool::EvalQuotes { dir, speaker_gold, speaker_cases, format } => {
            use docsql::tools::speaker_eval;
            let cases = || speaker_eval::speaker_cases(dir);
            if *speaker_cases {
                return match cases() {
                    Ok(cases) => print_batch(&speaker_eval::cases_batch(&cases), *format),
                    Err(message) => {
                        eprintln!("error: {message}");
                        ExitCode::FAILURE
                    }
                };
            }
            let scores = match docsql::tools::quote_eval::evaluate_folder(dir) {
                Ok((scores, articles)) => {
                    eprintln!("{articles} articles scored");
                    scores
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::FAILURE;
                }
            };
            if let Some(path) = speaker_gold {
                let gold = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))
                    .and_then(|tsv| speaker_eval::read_speaker_gold(&tsv));
                match gold.and_then(|gold| Ok(speaker_eval::score_speaker_names(&cases()?, &gold))) {
                    Ok((right, matched, all)) => eprintln!(
                        "speaker_name: {right} of {matched} matched cases right ({:.3}); {all} in the gold",
                        right as f64 / matched.max(1) as f64
                    ),
                    Err(message) => {
                        eprintln!("error: {message}");
                        return ExitCode::FAILURE;
                    }
                }
            }
            print_batch(&docsql::tools::quote_eval::scores_batch(&scores), *format)
        }
        Tool::EvalArticles { dir, write_json, verbose, format } => {
            let run = match docsql::tools::article_eval::evaluate_folder(dir) {
                Ok(run) => run,
                Err(message) => {
                    eprintln!("error: {message}");
                    return ExitCode::FAILURE;
                }
            };
            if *verbose {
                let mut worst: Vec<_> = run.pages.iter().collect();
                worst.sort_by(|a, b| {
                    let f1 =
                        |c: &docsql::tools::article_eval::PageCounts| c.tp / (c.tp + (c.fp + c.fn_) / 2.0).max(1e-9);
                    f1(&a.1).total_cmp(&f1(&b.1))
                });
                for (id, counts, _) in worst.into_iter().take(15) {
                    eprintln!("{id}: precision {:.3} recall {:.3}", counts.precision(), counts.recall());
                }
            }
            if let Some(path) = write_json
                && let Err(message) = docsql::output::write_atomically(
                    path,
                    docsql::tools::article_eval::predictions_json(&run).as_bytes(),
                )
            {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
            print_batch(&run.scores.to_batch(), *format)
        }
        Tool::TrainNer { train, dev, out, seed, epochs } => {
            let read = |path: &PathBuf| {
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
            };
            let (train_text, dev_text) = match (read(train), read(dev)) {
                (Ok(t), Ok(d)) => (t, d),
                (Err(message), _) | (_, Err(message)) => {
                    eprintln!("error: {message}");
                    return ExitCode::FAILURE;
                }
            };
            let model = docsql::tools::train(&train_text, &dev_text, *seed, *epochs);
            let scores = docsql::tools::evaluate(&model, &dev_text);
            eprintln!("dev F1 {:.4}", scores.overall.f1);
            wrote(out, docsql::output::write_atomically(out, &model.to_bytes()).map_err(|e| e.to_string()))
        }
        Tool::TrainQuotes { train, dev, out, epochs } => {
            let log = |line: String| eprintln!("{line}");
            let written = docsql::tools::quote_train::train(train, dev, *epochs, &log)
                .and_then(|model| docsql::output::write_atomically(out, &model).map_err(|e| e.to_string()));
            wrote(out, written)
        }
        Tool::EvalNer { file, model, format } => {
            let text = match std::fs::read_to_string(file) {
                Ok(text) => text,
                Err(err) => {
                    eprintln!("error: cannot read {}: {err}", file.display());
                    return ExitCode::FAILURE;
                }
            };
            let loaded;
            let model = match model {
                None => docsql::extract::ner::embedded(),
                Some(path) => match std::fs::read(path)
                    .map_err(|e| e.to_string())
                    .and_then(|b| docsql::extract::ner::NerModel::from_bytes(&b).map_err(|e| e.to_string()))
                {
                    Ok(m) => {
                        loaded = m;
                        &loaded
                    }
                    Err(message) => {
                        eprintln!("error: cannot load model {}: {message}", path.display());
                        return ExitCode::FAILURE;
                    }
                },
            };
            print_batch(&docsql::tools::evaluate(model, &text).to_batch(), *format)
        }
    }
}

/// `docsql build`: brings the store up to date, progress on stderr.
fn run_build(
    inputs: &[String],
    store: &std::path::Path,
    quiet: bool,
    options: &docsql::store::BuildOptions,
) -> ExitCode {
    let built = if quiet {
        docsql::store::build(inputs, store, options, &docsql::report::Silent)
    } else {
        docsql::store::build(inputs, store, options, &BuildProgress::new())
    };
    match built {
        Ok(report) => {
            if !quiet {
                eprintln!("{}", report.summary(store));
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Prints a small result table (tool output) to stdout.
/// Reports a model file written by a train command (or why it was not).
fn wrote(out: &std::path::Path, written: Result<(), String>) -> ExitCode {
    match written {
        Ok(()) => {
            eprintln!("wrote {}", out.display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn print_batch(batch: &datafusion::arrow::record_batch::RecordBatch, format: OutputFormat) -> ExitCode {
    let mut stdout = io::stdout().lock();
    match docsql::output::print_results(&mut stdout, &batch.schema(), std::slice::from_ref(batch), format, None) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Shows a build's events on stderr: a live bar on a terminal; elsewhere (logs,
/// CI) the messages and a progress line every 10 seconds. Dropped, it removes
/// the bar, so that a failed build's error is not drawn over.
struct BuildProgress {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    last_line: std::sync::Mutex<std::time::Instant>,
}

impl BuildProgress {
    /// How often a plain (non-terminal) progress line is printed.
    const PLAIN_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

    fn new() -> BuildProgress {
        let bar = std::io::IsTerminal::is_terminal(&io::stderr()).then(|| {
            let style = indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} {msg} ETA {eta}",
            )
            .expect("the progress template is valid");
            let bar = indicatif::ProgressBar::new(0).with_style(style);
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            bar
        });
        let now = std::time::Instant::now();
        BuildProgress { bar, started: now, last_line: std::sync::Mutex::new(now) }
    }

    /// Prints a line, keeping it clear of the bar.
    fn println(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn progress(&self, p: &docsql::report::Progress) {
        let rate = p.articles as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        let line = format!("{}/{} files, {} articles, {rate:.0} articles/s", p.files, p.files_total, p.articles);
        match &self.bar {
            Some(bar) => {
                bar.set_length(p.bytes_total);
                bar.set_position(p.bytes);
                bar.set_message(line);
            }
            None => {
                let mut last = self.last_line.lock().unwrap_or_else(|e| e.into_inner());
                if last.elapsed() >= Self::PLAIN_EVERY {
                    *last = std::time::Instant::now();
                    eprintln!("extracting: {line}, {:.1} MB", p.bytes as f64 / 1e6);
                }
            }
        }
    }
}

impl docsql::report::Reporter for BuildProgress {
    fn report(&self, event: docsql::report::Event<'_>) {
        match event {
            docsql::report::Event::Warning(warning) => self.println(&warning.to_string()),
            docsql::report::Event::Message(message) => self.println(message),
            docsql::report::Event::Progress(progress) => self.progress(&progress),
            _ => {}
        }
    }
}

impl Drop for BuildProgress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
