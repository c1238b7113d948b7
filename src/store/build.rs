//! `docsql build`: extraction into a store, incremental and atomic.
//!
//! # How a build works
//!
//! 1. Discover the input files (sorted by path, as an in-memory load reads
//!    them) and `stat` them. A file whose path, relative path, size and mtime
//!    match the manifest is *reused*: not read at all. A file whose size or
//!    mtime changed is read and hashed; if its blake3 is unchanged it is still
//!    reused (a `touch` or a copy costs a read, not an extraction).
//!    A WARC archive bigger than `warc_part_bytes` is a source per part: byte
//!    ranges cut where records start, each read (streamed) and extracted on
//!    its own, so that a multi-GB crawl spreads over windows, cores and
//!    segments, and an archive that grew keeps the rows of its unchanged parts.
//! 2. Walk the files in order, in windows of up to `batch_files` files (or
//!    `batch_bytes`) to read. The files of a window are read, parsed and
//!    extracted in parallel on all cores, and their rows written as row groups
//!    of a new segment; nothing else of the corpus is held in memory.
//!    Article ids are made unique across files exactly as an in-memory load
//!    does, using the ids the manifest remembers for reused files; a reused file
//!    whose ids must change (a new `a.json` now comes before `a.md`) is
//!    re-extracted.
//! 3. Old segments: one whose sources are all still present and reused is kept
//!    as it is. One that lost a source (changed, deleted, renamed) is rewritten:
//!    the rows of its reused sources are copied, filtered by `article_id`, into
//!    the new segment — a copy, no extraction. So are small segments (under an
//!    eighth of `segment_articles`), so that many small incremental builds
//!    don't leave a store of many tiny files.
//! 4. Flush the new data files to disk, then replace `manifest.json` in one
//!    rename, then delete the files no longer listed (including leftovers of
//!    interrupted builds).
//!
//! Until step 4 renames the manifest, the store on disk is the previous build:
//! an error, Ctrl-C or crash at any earlier point leaves it intact.
//!
//! Rows in a segment are ordered by path then by `article_id` within each
//! window. Ids derive from paths, so a segment of a first build is usually in
//! `article_id` order throughout; the writer checks, and the manifest says so
//! per segment (copied rows come after new ones, so a rewritten segment
//! usually is not). Parquet page statistics make filters on `article_id` skip
//! most of a file either way.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, UNIX_EPOCH};

use rayon::prelude::*;

use super::StoreError;
use super::manifest::{self, FORMAT, LAYOUT, MANIFEST_FILE, Manifest, RowCounts, Segment, Source};
use super::segment::{self, SegmentWriter, copy_rows};
use super::verify;
use crate::corpus::{self, Document, SourceFile, UniqueIds, Warning};
use crate::extract::{self, Analysis, Extractors};
use crate::report::{self, Event, Reporter};
use crate::tables::{self, TABLE_NAMES};

/// Default of [`BuildOptions::retired_grace`]: longer than any query a reader
/// opened before a build is likely to still run.
pub const RETIRED_GRACE_SECS: u64 = 3600;

/// The name of the lock file that keeps two builds from writing one store.
const LOCK_FILE: &str = "lock";

/// How a build runs.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Files read and extracted together, and written as one batch of rows.
    pub batch_files: usize,
    /// A window also ends once its files add up to this many bytes, so a few
    /// huge JSONL files don't blow the memory bound.
    pub batch_bytes: u64,
    /// WARC archives larger than this are read in parts of about this size
    /// (see the module documentation).
    pub warc_part_bytes: u64,
    /// A segment is closed (and a new one started) after this many articles;
    /// it bounds what a later change to one of its files costs to rewrite.
    pub segment_articles: usize,
    /// Hash every data file kept from the previous build (not only check its
    /// size) and re-extract the sources of those that differ.
    pub verify: bool,
    /// How long data files that a build stops listing stay on disk, for
    /// readers that opened the store before (see [`Manifest::retired`]).
    pub retired_grace: Duration,
    /// Start over: remove docsql's own files from the store folder first (the
    /// way out of a store whose manifest or source list is damaged).
    pub rebuild: bool,
    /// Documents bigger than this (bytes, decompressed: a file, or a record of
    /// a WARC or JSONL file) are skipped with a warning, never read into
    /// memory (see [`corpus::read_source`]). A file skipped whole is left out
    /// of the store, so the next build tries it again; a file with records
    /// skipped is read again by a build with a higher limit.
    pub max_doc_size: u64,
    /// Test hook: fail, as a crash would, once this many files were read (the
    /// rows of those already written to a new segment).
    #[doc(hidden)]
    pub fail_after_files: Option<usize>,
    /// Where the documents are analysed: `None` on this machine's cores, or
    /// elsewhere (a cluster: [`crate::cluster::ClusterAnalyzer`]).
    pub analyzer: Option<Arc<dyn Analyzer>>,
}

/// Analyses documents somewhere other than this process's cores; the rows are
/// still built and written here from what it returns, so a store is the same
/// wherever its documents were analysed.
pub trait Analyzer: std::fmt::Debug + Send + Sync {
    /// The analyses of `docs`, in their order. `staging` is a folder inside
    /// the store, absent on entry, that the analyzer may use for files the
    /// remote side reads (it must remove it before returning).
    fn analyze(&self, docs: &[Document], staging: &Path) -> Result<Vec<Analysis>, StoreError>;
}

/// The folder inside a store that an [`Analyzer`] may stage files in.
pub const STAGING_FOLDER: &str = "staging";

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            batch_files: 2048,
            batch_bytes: 64 * 1024 * 1024,
            warc_part_bytes: 16 * 1024 * 1024,
            segment_articles: 50_000,
            verify: false,
            retired_grace: Duration::from_secs(RETIRED_GRACE_SECS),
            rebuild: false,
            max_doc_size: corpus::DEFAULT_MAX_DOC_SIZE,
            fail_after_files: None,
            analyzer: None,
        }
    }
}

/// What a build did.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    /// Source files in the store after the build.
    pub files: usize,
    /// Sources in the store after the build: files, a big WARC counting once
    /// per part it is read in. The counts below (added, reused…) are of sources.
    pub sources: usize,
    /// Files not in the previous build.
    pub added: usize,
    /// Files whose content changed since the previous build (or all files of a
    /// full rebuild).
    pub changed: usize,
    /// Files of the previous build that are gone.
    pub deleted: usize,
    /// Files whose rows were kept without extraction.
    pub reused: usize,
    /// Of the reused files, those read to check their content, because their
    /// size or mtime changed.
    pub rehashed: usize,
    /// Unchanged files re-extracted because their article ids had to change.
    pub renamed: usize,
    /// Files whose bytes were read by this build.
    pub read: usize,
    /// Bytes read.
    pub bytes_read: u64,
    /// Articles extracted by this build.
    pub extracted_articles: usize,
    /// Files in the store that gave no article.
    pub skipped: usize,
    /// WARC records read by this build that gave no article (requests,
    /// metadata, revisits, non-HTML responses, damaged records).
    pub records_skipped: usize,
    /// Rows per table in the store after the build.
    pub rows: RowCounts,
    /// Segments written by this build.
    pub segments_written: usize,
    /// Segments of the previous build kept as they were.
    pub segments_kept: usize,
    /// Segments of the previous build rewritten or dropped.
    pub segments_removed: usize,
    /// Why everything was re-extracted, when it was (another docsql version).
    pub full_rebuild: Option<String>,
    /// Segments of the previous build found damaged (missing or changed data
    /// files), whose sources were extracted again.
    pub repaired: Vec<String>,
    /// Problems with input files met by this build.
    pub warnings: Vec<Warning>,
    /// Wall time.
    pub elapsed: Duration,
}

impl BuildReport {
    /// The lines printed at the end of a build.
    pub fn summary(&self, store: &Path) -> String {
        let secs = self.elapsed.as_secs_f64().max(1e-3);
        let rows: Vec<String> = self.rows.iter().map(|(table, rows)| format!("{rows} {table}")).collect();
        let parts = if self.sources > self.files { format!(" in {} parts", self.sources) } else { String::new() };
        let mut text = format!(
            "built {}: {} files{parts} ({} added, {} changed, {} deleted, {} reused), {}, {} skipped",
            store.display(),
            self.files,
            self.added,
            self.changed,
            self.deleted,
            self.reused,
            rows.join(", "),
            self.skipped,
        );
        text.push_str(&format!(
            "\nextracted {} articles from {} files ({:.1} MB) in {:.1}s: {:.1} MB/s, {:.0} articles/s",
            self.extracted_articles,
            self.read,
            self.bytes_read as f64 / 1e6,
            secs,
            self.bytes_read as f64 / 1e6 / secs,
            self.extracted_articles as f64 / secs,
        ));
        if self.records_skipped > 0 {
            text.push_str(&format!(
                "\nskipped {} WARC records (requests, metadata, revisits, responses that are not HTML pages with text)",
                self.records_skipped
            ));
        }
        if let Some(reason) = &self.full_rebuild {
            text.push_str(&format!("\nfull rebuild: {reason}"));
        }
        if !self.repaired.is_empty() {
            text.push_str(&format!(
                "\nrepaired {} damaged segment(s) by extracting their sources again: {}",
                self.repaired.len(),
                self.repaired.join(", ")
            ));
        }
        text
    }
}

/// What to do with one discovered file.
#[derive(Debug, Clone, Copy)]
enum Plan {
    /// Not in the previous build.
    New,
    /// Same path, size and mtime as source `k` of the previous build.
    Same(usize),
    /// Source `k` with another size or mtime: read and compare hashes.
    Suspect(usize),
    /// Source `k`, but not reusable (other relative path, or a full rebuild).
    Replaced(usize),
}

/// A discovered file (or part of a WARC file) with its `stat`.
struct Entry {
    file: SourceFile,
    path: String,
    /// The whole file's size.
    size: u64,
    mtime_ns: i64,
    /// The byte range of a WARC read in parts.
    part: Option<[u64; 2]>,
    plan: Plan,
}

impl Entry {
    /// Bytes this entry reads.
    fn bytes(&self) -> u64 {
        self.part.map_or(self.size, |[start, end]| end - start)
    }

    fn needs_read(&self) -> bool {
        !matches!(self.plan, Plan::Same(_))
    }

    fn old(&self) -> Option<usize> {
        match self.plan {
            Plan::New => None,
            Plan::Same(k) | Plan::Suspect(k) | Plan::Replaced(k) => Some(k),
        }
    }
}

/// The outcome of reading one file.
enum Read {
    /// Same bytes as in the previous build.
    Unchanged,
    /// New content, parsed (ids not yet unique across files); `capped`: the
    /// size limit, when records over it were skipped.
    Parsed { hash: String, docs: Vec<Document>, warnings: Vec<Warning>, records_skipped: usize, capped: Option<u64> },
    /// Not read (unreadable, or over the size limit): the file is left out of
    /// the store; the warnings say why.
    Failed(Vec<Warning>),
}

/// Extracts `inputs` into the store folder `store`, reusing what an earlier
/// build there already extracted; tells `reporter` how far it is and which
/// input files it had trouble with. See the module documentation.
pub fn build(
    inputs: &[String],
    store: &Path,
    options: &BuildOptions,
    reporter: &dyn Reporter,
) -> Result<BuildReport, StoreError> {
    let started = Instant::now();
    if inputs.is_empty() {
        return Err(StoreError::NoInputs);
    }
    prepare_folder(store)?;
    let lock = lock_store(store)?;
    if options.rebuild {
        remove_own_files(store)?;
    }
    // The previous manifest, its sources taken out; kept as it is, should this
    // build change nothing.
    let mut old_manifest = if store.join(MANIFEST_FILE).exists() { Some(manifest::load(store)?) } else { None };
    let old_sources = old_manifest.as_mut().map(|m| std::mem::take(&mut m.sources)).unwrap_or_default();
    let mut report = BuildReport {
        full_rebuild: old_manifest.as_ref().and_then(|m| full_rebuild_reason(store, m)),
        ..BuildReport::default()
    };
    let (old_segments, next_segment) = match &old_manifest {
        Some(m) => (m.segments.clone(), m.next_segment),
        None => (Vec::new(), 1),
    };
    // A damaged segment is not kept, and its sources are extracted again.
    let mut damage_warnings = Vec::new();
    if report.full_rebuild.is_none() {
        let depth = if options.verify { verify::Depth::Content } else { verify::Depth::Size };
        for file in verify::check_segments(store, &old_segments, depth) {
            damage_warnings.push(Warning {
                path: file.path.display().to_string(),
                reason: format!(
                    "damaged store file ({}): extracting the sources of {} again",
                    file.damage, file.segment
                ),
            });
            if !report.repaired.contains(&file.segment) {
                report.repaired.push(file.segment);
            }
        }
    }
    let damaged: HashSet<&str> = report.repaired.iter().map(String::as_str).collect();
    let (entries, discover_warnings) =
        plan(inputs, store, &old_sources, report.full_rebuild.is_none(), &damaged, options)?;
    report.skipped += discover_warnings.len();
    let mut run = Run {
        store,
        options,
        reporter,
        extractors: Extractors::default(),
        next_segment,
        writer: None,
        written: Vec::new(),
        report,
        progress: report::Progress::default(),
    };
    run.start(&entries, discover_warnings);
    run.note_warnings(damage_warnings);
    let (sources, kept_segments) = match run.extract_and_merge(&entries, &old_sources, &old_segments) {
        Ok(done) => done,
        Err(err) => {
            run.discard();
            return Err(err);
        }
    };
    let manifest = run.commit(old_manifest, sources, kept_segments)?;
    remove_unlisted(store, &manifest);
    let mut report = run.report;
    // A WARC read in parts is one file with several sources (adjacent: sorted by path).
    let files = manifest.sources.chunk_by(|a, b| a.path == b.path);
    report.files = files.clone().count();
    report.sources = manifest.sources.len();
    report.skipped += files.filter(|parts| parts.iter().all(|s| s.ids.is_empty())).count();
    report.rows = manifest.rows;
    report.elapsed = started.elapsed();
    drop(lock);
    Ok(report)
}

/// Takes the store's lock file, held until the returned file is dropped.
fn lock_store(store: &Path) -> Result<fs::File, StoreError> {
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(store.join(LOCK_FILE))
        .map_err(StoreError::io("write into", store))?;
    // A lock released a moment ago can still be held for a few milliseconds by
    // a child process forked meanwhile (between fork and exec it shares the
    // open file): wait a little before calling the store busy.
    for _ in 0..20 {
        match lock.try_lock() {
            Ok(()) => return Ok(lock),
            Err(fs::TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(50)),
            Err(fs::TryLockError::Error(e)) => return Err(StoreError::io("lock", store)(e)),
        }
    }
    Err(StoreError::Locked { store: store.to_path_buf() })
}

/// Why nothing of the store of `old` can be reused, if so: it has another
/// layout or other tables, or was extracted by another docsql.
fn full_rebuild_reason(store: &Path, old: &Manifest) -> Option<String> {
    match manifest::check_schema(store, old.layout, old.fingerprint()) {
        Err(StoreError::OtherLayout { found, expected, .. }) => {
            Some(format!("store layout {found} (this docsql writes {expected})"))
        }
        Err(StoreError::OtherSchema { found, expected, .. }) => {
            Some(format!("tables of another schema (fingerprint {found:?}, this docsql's is {expected:?})"))
        }
        Err(other) => Some(other.to_string()),
        Ok(()) if old.docsql_version != env!("CARGO_PKG_VERSION") => {
            Some(format!("extracted by docsql {} (this is {})", old.docsql_version, env!("CARGO_PKG_VERSION")))
        }
        Ok(()) => None,
    }
}

/// Creates the store folder, or checks that an existing one is a store (or
/// what an interrupted first build left): a build deletes files it does not
/// know in there, so it must never run over an unrelated folder.
fn prepare_folder(store: &Path) -> Result<(), StoreError> {
    if store.exists() {
        if !store.is_dir() {
            return Err(StoreError::NotAFolder { path: store.to_path_buf() });
        }
        if !store.join(MANIFEST_FILE).exists() {
            let entries = fs::read_dir(store).map_err(StoreError::io("read", store))?;
            let tmp = format!("{MANIFEST_FILE}.tmp");
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let ours =
                    name == LOCK_FILE || name == tmp || name == STAGING_FOLDER || manifest::is_sources_file(&name);
                if !(ours || TABLE_NAMES.contains(&name.as_str())) {
                    return Err(StoreError::NotEmpty { path: store.to_path_buf() });
                }
            }
        }
    }
    fs::create_dir_all(store).map_err(StoreError::io("create", store))
}

/// Discovers the input files, `stat`s them and decides what to do with each.
fn plan(
    inputs: &[String],
    store: &Path,
    old_sources: &[Source],
    reuse: bool,
    damaged: &HashSet<&str>,
    options: &BuildOptions,
) -> Result<(Vec<Entry>, Vec<Warning>), StoreError> {
    let part_bytes = options.warc_part_bytes;
    // The rows of a source in a damaged segment are lost: it is extracted again.
    let reusable = |old: &Source| reuse && old.segment.as_deref().is_none_or(|s| !damaged.contains(s));
    // A source that lost records to a lower size limit is read again.
    let limit_raised = |old: &Source| old.max_doc_size.is_some_and(|limit| limit < options.max_doc_size);
    let (files, warnings) = corpus::discover(inputs);
    let store_root = fs::canonicalize(store).map_err(StoreError::io("open", store))?;
    let mut by_path: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, source) in old_sources.iter().enumerate() {
        by_path.entry(source.path.as_str()).or_default().push(k);
    }
    // The store's own files (manifest.json!) are not input, even when the store
    // sits inside an input folder. Folders are resolved once each, not per file.
    let folders: HashSet<&Path> = files.iter().filter_map(|f| f.path.parent()).collect();
    let in_store: HashSet<PathBuf> = folders
        .into_par_iter()
        .filter(|dir| {
            let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
            fs::canonicalize(dir).is_ok_and(|p| p.starts_with(&store_root))
        })
        .map(Path::to_path_buf)
        .collect();
    let entries: Vec<Vec<Entry>> = files
        .into_par_iter()
        .filter_map(|file| {
            if file.path.parent().is_some_and(|dir| in_store.contains(dir)) {
                return None;
            }
            let path = file.display();
            let stat = fs::metadata(&file.path).ok().map(|m| (m.len(), mtime_ns(&m)));
            let (size, mtime_ns) = stat.unwrap_or((0, 0));
            let olds: &[usize] = by_path.get(path.as_str()).map_or(&[], Vec::as_slice);
            let unchanged = |k: usize| {
                let old = &old_sources[k];
                reusable(old)
                    && old.relative == file.relative
                    && stat.is_some()
                    && old.size == size
                    && old.mtime_ns == mtime_ns
                    && !limit_raised(old)
            };
            let entry = |part: Option<[u64; 2]>, plan: Plan| Entry {
                file: file.clone(),
                path: path.clone(),
                size,
                mtime_ns,
                part,
                plan,
            };
            // An unchanged file: its sources (one, or one per part) as they were.
            if !olds.is_empty() && olds.iter().all(|&k| unchanged(k)) {
                return Some(olds.iter().map(|&k| entry(old_sources[k].part, Plan::Same(k))).collect());
            }
            let changed = |k: usize| {
                let old = &old_sources[k];
                if !reusable(old) || old.relative != file.relative || limit_raised(old) {
                    Plan::Replaced(k)
                } else {
                    Plan::Suspect(k)
                }
            };
            let name = file.relative.rsplit('/').next().unwrap_or_default();
            if let Some((corpus::Format::Warc, gzipped)) = corpus::Format::from_file_name(name)
                && size > part_bytes
                && let Ok(parts) = corpus::warc::split_parts(&file.path, gzipped, part_bytes)
                && parts.len() > 1
            {
                let mut unmatched: Vec<usize> = olds.to_vec();
                return Some(
                    parts
                        .into_iter()
                        .map(|range| {
                            let part = [range.start, range.end];
                            let same_range = unmatched.iter().position(|&k| old_sources[k].part == Some(part));
                            let plan = same_range.map_or(Plan::New, |i| changed(unmatched.remove(i)));
                            entry(Some(part), plan)
                        })
                        .collect(),
                );
            }
            let plan = match olds.iter().find(|&&k| old_sources[k].part.is_none()).or(olds.first()) {
                None => Plan::New,
                Some(&k) => changed(k),
            };
            Some(vec![entry(None, plan)])
        })
        .collect();
    Ok((entries.into_iter().flatten().collect(), warnings))
}

fn mtime_ns(meta: &fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Reads one file (or part of a WARC) and, unless its bytes are those of
/// source `old`, parses it, streamed and hashed as it is parsed. A file that
/// may be unchanged is hashed first (a hash costs far less than an
/// extraction). No document is read beyond `max_doc_size` bytes (see
/// [`corpus::read_source`]); a file not read at all is left out.
fn read_entry(entry: &Entry, old: Option<&Source>, max_doc_size: u64) -> Read {
    let failed = |err: std::io::Error| {
        Read::Failed(vec![Warning { path: entry.path.clone(), reason: format!("unreadable: {err}") }])
    };
    let range = entry.part.map(|[start, end]| start..end);
    if matches!(entry.plan, Plan::Suspect(_))
        && let Some(old) = old
    {
        match hash_range(&entry.file.path, range.clone()) {
            Ok(hash) if hash == old.hash => return Read::Unchanged,
            Ok(_) => {}
            Err(err) => return failed(err),
        }
    }
    let mut hasher = blake3::Hasher::new();
    let parsed = corpus::read_source(&entry.file, range, Some(&mut hasher), max_doc_size);
    if parsed.unread {
        return Read::Failed(parsed.warnings);
    }
    Read::Parsed {
        hash: hasher.finalize().to_hex().to_string(),
        docs: parsed.docs,
        warnings: parsed.warnings,
        records_skipped: parsed.records_skipped,
        capped: (parsed.oversized_records > 0).then_some(max_doc_size),
    }
}

/// blake3 of a file, or of the byte range `range` of it, hex.
fn hash_range(path: &Path, range: Option<std::ops::Range<u64>>) -> std::io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    let mut raw = fs::File::open(path)?;
    match range {
        Some(range) => {
            std::io::Seek::seek(&mut raw, std::io::SeekFrom::Start(range.start))?;
            std::io::copy(&mut std::io::Read::take(raw, range.end - range.start), &mut hasher)?;
        }
        None => {
            std::io::copy(&mut raw, &mut hasher)?;
        }
    }
    Ok(hasher.finalize().to_hex().to_string())
}

/// The state of one build between planning and the manifest.
struct Run<'a> {
    store: &'a Path,
    options: &'a BuildOptions,
    reporter: &'a dyn Reporter,
    extractors: Extractors,
    next_segment: u64,
    writer: Option<SegmentWriter>,
    written: Vec<Segment>,
    report: BuildReport,
    /// How far the extraction is, as last reported.
    progress: report::Progress,
}

/// What the walk over the input files builds up.
struct Merge {
    /// Makes article ids unique across files, as an in-memory load does.
    unique: UniqueIds,
    /// The new source list, in path order.
    sources: Vec<Source>,
    /// Old segments that lost rows.
    dirty: HashSet<String>,
    /// Old segment → the reused sources (indices into `sources`) it still holds.
    members: HashMap<String, Vec<usize>>,
    /// Which old sources are still among the inputs.
    present: Vec<bool>,
}

/// The documents of one window, to extract.
#[derive(Default)]
struct Window {
    docs: Vec<Document>,
    /// The sources (indices into the new source list) the documents come from.
    sources: Vec<usize>,
    files_read: usize,
    bytes_read: u64,
}

impl Window {
    /// Adds a freshly read source and its documents.
    fn add(&mut self, source: Source, docs: Vec<Document>, sources: &mut Vec<Source>) {
        if !docs.is_empty() {
            self.sources.push(sources.len());
        }
        sources.push(source);
        self.docs.extend(docs);
    }
}

impl Run<'_> {
    /// Reports the warnings of discovery, what is to be done and the starting
    /// progress.
    fn start(&mut self, entries: &[Entry], warnings: Vec<Warning>) {
        let to_read: Vec<&Entry> = entries.iter().filter(|e| e.needs_read()).collect();
        let bytes = to_read.iter().map(|e| e.bytes()).sum();
        self.note_warnings(warnings);
        self.reporter.report(Event::Message(&format!(
            "building {}: {} files, {} to read ({:.1} MB)",
            self.store.display(),
            entries.len(),
            to_read.len(),
            bytes as f64 / 1e6
        )));
        self.progress = report::Progress { files_total: to_read.len(), bytes_total: bytes, ..Default::default() };
        self.reporter.report(Event::Progress(self.progress));
    }

    /// Steps 2 and 3 of the module documentation. Returns the new source list
    /// and the old segments kept as they are.
    fn extract_and_merge(
        &mut self,
        entries: &[Entry],
        old_sources: &[Source],
        old_segments: &[Segment],
    ) -> Result<(Vec<Source>, Vec<Segment>), StoreError> {
        let mut merge = Merge {
            unique: UniqueIds::default(),
            sources: Vec::with_capacity(entries.len()),
            dirty: HashSet::new(),
            members: HashMap::new(),
            present: vec![false; old_sources.len()],
        };
        // Rows extracted from the previous window, written while the current
        // one is extracted: Parquet encoding runs on one core, and would
        // otherwise leave the others idle.
        let mut pending: Option<Pending> = None;
        let mut start = 0;
        while start < entries.len() {
            let end = self.window_end(entries, start);
            let window = self.read_window(&entries[start..end], old_sources, &mut merge)?;
            start = end;
            pending = self.extract_window(window, pending.take(), &mut merge.sources)?;
            if let Some(limit) = self.options.fail_after_files
                && self.report.read >= limit
            {
                return Err(StoreError::Stopped { files: self.report.read });
            }
        }
        let written = write_pending(&mut self.writer, &mut self.next_segment, self.store, pending.take());
        self.place(written?, &mut merge.sources)?;

        for (k, old) in old_sources.iter().enumerate() {
            if !merge.present[k] {
                self.report.deleted += 1;
                merge.dirty.extend(old.segment.clone());
            }
        }
        let kept = self.merge_old_segments(old_segments, &mut merge)?;
        if let Some(writer) = self.writer.take() {
            self.written.push(writer.finish()?);
        }
        self.report.segments_written = self.written.len();
        Ok((merge.sources, kept))
    }

    /// Reads the files of a window in parallel and sorts them out: reused
    /// files join the new source list as they were, the others give documents
    /// to extract.
    fn read_window(
        &mut self,
        window: &[Entry],
        old_sources: &[Source],
        merge: &mut Merge,
    ) -> Result<Window, StoreError> {
        let reads: Vec<Option<Read>> = window
            .par_iter()
            .map(|e| e.needs_read().then(|| read_entry(e, e.old().map(|k| &old_sources[k]), self.options.max_doc_size)))
            .collect();
        let mut out = Window::default();
        for (entry, read) in window.iter().zip(reads) {
            if let Some(k) = entry.old() {
                merge.present[k] = true;
            }
            if read.is_some() {
                out.files_read += 1;
                out.bytes_read += entry.bytes();
            }
            match read {
                None | Some(Read::Unchanged) => {
                    let old = &old_sources[entry.old().expect("reused files have an old source")];
                    self.take_reused(entry, old, read.is_some(), merge, &mut out)?;
                }
                Some(read) => self.take_read(entry, read, old_sources, merge, &mut out),
            }
        }
        Ok(out)
    }

    /// A file with the same bytes as source `old` (`rehashed`: read to compare
    /// hashes): reused as it is, unless its articles' ids must change.
    fn take_reused(
        &mut self,
        entry: &Entry,
        old: &Source,
        rehashed: bool,
        merge: &mut Merge,
        out: &mut Window,
    ) -> Result<(), StoreError> {
        let ids = reused_ids(&mut merge.unique, old);
        if ids == old.ids {
            self.report.reused += 1;
            self.report.rehashed += usize::from(rehashed);
            if let Some(segment) = &old.segment {
                merge.members.entry(segment.clone()).or_default().push(merge.sources.len());
            }
            merge.sources.push(Source { size: entry.size, mtime_ns: entry.mtime_ns, ..old.clone() });
            return Ok(());
        }
        // Unchanged, but its ids change (a new file now comes first with one
        // of them): extract it again under its new ids.
        self.report.renamed += 1;
        merge.dirty.extend(old.segment.clone());
        if !rehashed {
            out.files_read += 1;
            out.bytes_read += entry.bytes();
        }
        let changed = || StoreError::ChangedDuringBuild { path: entry.path.clone() };
        // Read under the limit it was last read with (none recorded: it was
        // read whole), so that it gives the articles it gave then.
        let limit = old.max_doc_size.unwrap_or(u64::MAX);
        let Read::Parsed { hash, docs: mut parsed, warnings, .. } = read_entry(entry, None, limit) else {
            return Err(changed());
        };
        if parsed.iter().map(|d| &d.id).ne(old.raw_ids().iter()) {
            return Err(changed());
        }
        self.note_warnings(warnings);
        for (doc, id) in parsed.iter_mut().zip(&ids) {
            if doc.id != *id {
                self.note_warnings(vec![merge.unique.renamed_warning(doc, id)]);
                doc.id = id.clone();
            }
        }
        let mut source = new_source(entry, hash, &parsed);
        source.raw_ids = (ids != *old.raw_ids()).then(|| old.raw_ids().to_vec());
        source.max_doc_size = old.max_doc_size;
        out.add(source, parsed, &mut merge.sources);
        Ok(())
    }

    /// A new or changed file, read: its documents (ids made unique) go to
    /// extraction; an unreadable file is left out with a warning.
    fn take_read(&mut self, entry: &Entry, read: Read, old_sources: &[Source], merge: &mut Merge, out: &mut Window) {
        match entry.old() {
            None => self.report.added += 1,
            Some(k) => {
                self.report.changed += 1;
                merge.dirty.extend(old_sources[k].segment.clone());
            }
        }
        match read {
            Read::Failed(warnings) => {
                self.note_warnings(warnings);
                self.report.skipped += 1;
            }
            Read::Parsed { hash, docs: mut parsed, warnings, records_skipped, capped } => {
                self.note_warnings(warnings);
                self.report.records_skipped += records_skipped;
                let raw: Vec<String> = parsed.iter().map(|d| d.id.clone()).collect();
                for doc in &mut parsed {
                    if let Some(id) = merge.unique.assign(&doc.id) {
                        self.note_warnings(vec![merge.unique.renamed_warning(doc, &id)]);
                        doc.id = id;
                    }
                }
                let mut source = new_source(entry, hash, &parsed);
                source.raw_ids = (source.ids != raw).then_some(raw);
                source.max_doc_size = capped;
                out.add(source, parsed, &mut merge.sources);
            }
            Read::Unchanged => unreachable!("reused files are taken by take_reused"),
        }
    }

    /// Extracts a window's documents while the previous window's rows
    /// (`previous`) are written; returns the new rows, to write next.
    fn extract_window(
        &mut self,
        window: Window,
        previous: Option<Pending>,
        sources: &mut [Source],
    ) -> Result<Option<Pending>, StoreError> {
        let Window { docs, sources: window_sources, files_read, bytes_read } = window;
        let articles = docs.len();
        let (extractors, writer, next_segment, store) =
            (&self.extractors, &mut self.writer, &mut self.next_segment, self.store);
        let analyzer = self.options.analyzer.as_deref();
        let (written, parts) = rayon::join(
            || write_pending(writer, next_segment, store, previous),
            || (!docs.is_empty()).then(|| extract(extractors, analyzer, store, docs)).transpose(),
        );
        self.place(written?, sources)?;
        let parts = parts?;
        self.report.read += files_read;
        self.report.bytes_read += bytes_read;
        self.report.extracted_articles += articles;
        self.progress.files += files_read;
        self.progress.bytes += bytes_read;
        self.progress.articles += articles;
        self.reporter.report(Event::Progress(self.progress));
        Ok(parts.map(|parts| Pending { parts, sources: window_sources }))
    }

    /// Step 3 of the module documentation: keeps the old segments that are
    /// whole and copies the rows still wanted out of the others. Returns the
    /// segments kept.
    fn merge_old_segments(&mut self, old_segments: &[Segment], merge: &mut Merge) -> Result<Vec<Segment>, StoreError> {
        let mut kept = Vec::new();
        let small = (self.options.segment_articles / 8) as u64;
        let writing = self.writer.is_some() || !self.written.is_empty() || !merge.dirty.is_empty();
        for segment in old_segments {
            let holders = merge.members.remove(&segment.name).unwrap_or_default();
            let rewrite = self.report.full_rebuild.is_some()
                || merge.dirty.contains(&segment.name)
                || holders.is_empty()
                || (writing && segment.rows.articles() < small);
            if !rewrite {
                kept.push(segment.clone());
                self.report.segments_kept += 1;
                continue;
            }
            self.report.segments_removed += 1;
            if holders.is_empty() {
                continue;
            }
            self.reporter.report(Event::Message(&format!("copying reused rows of {}", segment.name)));
            let keep: HashSet<String> = holders.iter().flat_map(|&i| merge.sources[i].ids.iter().cloned()).collect();
            let store = self.store;
            let writer = self.writer()?;
            let copied = copy_rows(store, segment, &keep, writer)?;
            if copied.articles() != keep.len() as u64 {
                return Err(StoreError::MissingRows {
                    store: store.to_path_buf(),
                    segment: segment.name.clone(),
                    found: copied.articles(),
                    listed: keep.len(),
                });
            }
            let name = writer.name().to_string();
            for &i in &holders {
                merge.sources[i].segment = Some(name.clone());
            }
            self.roll_over_if_full()?;
        }
        Ok(kept)
    }

    /// Step 4 of the module documentation, up to the rename: the manifest of
    /// this build, saved after the new data files are on disk, or the old one
    /// when nothing changed. On failure, deletes the new data files.
    fn commit(
        &mut self,
        old_manifest: Option<Manifest>,
        sources: Vec<Source>,
        kept_segments: Vec<Segment>,
    ) -> Result<Manifest, StoreError> {
        let report = &self.report;
        let unchanged = report.full_rebuild.is_none()
            && report.read == 0
            && report.deleted == 0
            && report.segments_removed == 0
            && self.written.is_empty();
        if unchanged && let Some(head) = old_manifest {
            // Nothing to record: the store on disk is already this build.
            return Ok(Manifest { sources, ..head });
        }
        // Cloned, not moved: should saving the manifest fail, `discard` still
        // knows which files to delete.
        let mut segments = kept_segments;
        segments.extend(self.written.iter().cloned());
        let retired = retire(old_manifest.as_ref(), &segments, self.options.retired_grace);
        let rows = segments.iter().fold(RowCounts::default(), |sum, s| sum.plus(&s.rows));
        let number = self.next_segment;
        self.next_segment += 1;
        let manifest = Manifest {
            format: FORMAT.to_string(),
            layout: LAYOUT,
            schema_fingerprint: manifest::schema_fingerprint(),
            docsql_version: env!("CARGO_PKG_VERSION").to_string(),
            built_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            next_segment: self.next_segment,
            rows,
            segments,
            sources_file: manifest::sources_file_name(number),
            sources,
            retired,
        };
        let saved = segment::sync_files(self.store, &self.written).and_then(|()| manifest::save(self.store, &manifest));
        if let Err(err) = saved {
            self.discard();
            return Err(err);
        }
        Ok(manifest)
    }

    /// The end of the window starting at `start`: up to `batch_files` files to
    /// read or `batch_bytes`, plus the reused files among them.
    fn window_end(&self, entries: &[Entry], start: usize) -> usize {
        let (mut files, mut bytes) = (0usize, 0u64);
        let mut end = start;
        while end < entries.len() {
            let entry = &entries[end];
            if entry.needs_read() {
                if files > 0 && (files >= self.options.batch_files.max(1) || bytes >= self.options.batch_bytes) {
                    break;
                }
                files += 1;
                bytes += entry.bytes();
            }
            end += 1;
        }
        end
    }

    /// Reports warnings about input files and keeps them for the report.
    fn note_warnings(&mut self, warnings: Vec<Warning>) {
        for warning in &warnings {
            self.reporter.report(Event::Warning(warning));
        }
        self.report.warnings.extend(warnings);
    }

    /// Records the segment that sources' rows went to, and closes it if full.
    fn place(&mut self, written: Option<(String, Vec<usize>)>, sources: &mut [Source]) -> Result<(), StoreError> {
        if let Some((segment, indices)) = written {
            for index in indices {
                sources[index].segment = Some(segment.clone());
            }
            self.roll_over_if_full()?;
        }
        Ok(())
    }

    /// The segment being written, started if needed.
    fn writer(&mut self) -> Result<&mut SegmentWriter, StoreError> {
        open_writer(&mut self.writer, &mut self.next_segment, self.store)
    }

    /// Closes the current segment once it holds `segment_articles` articles.
    fn roll_over_if_full(&mut self) -> Result<(), StoreError> {
        let full = self.writer.as_ref().is_some_and(|w| w.rows().articles() >= self.options.segment_articles as u64);
        if full && let Some(writer) = self.writer.take() {
            self.written.push(writer.finish()?);
        }
        Ok(())
    }

    /// Deletes the data files this failed run wrote (best effort: a later
    /// successful build deletes whatever is left).
    fn discard(&mut self) {
        let mut paths: Vec<PathBuf> = self.writer.take().map(|w| w.paths().to_vec()).unwrap_or_default();
        for segment in self.written.drain(..) {
            paths.extend(segment.files.values().map(|f| self.store.join(f)));
        }
        for path in paths {
            let _ = fs::remove_file(path);
        }
    }
}

/// Extracted rows not yet written, and the sources (indices into the new
/// source list) they come from.
struct Pending {
    parts: Vec<tables::TableBatches>,
    sources: Vec<usize>,
}

/// Extracts `docs` on all cores into batches of rows, sorted by `article_id`.
/// Small chunks, each analysed and turned into rows by one task: the cores
/// stay busy to the end of a window, with no second pass to wait for.
/// With an `analyzer`, the documents are analysed by it and only the rows are
/// built here.
fn extract(
    extractors: &Extractors,
    analyzer: Option<&dyn Analyzer>,
    store: &Path,
    mut docs: Vec<Document>,
) -> Result<Vec<tables::TableBatches>, StoreError> {
    const CHUNK: usize = 32;
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    let Some(analyzer) = analyzer else {
        return Ok(docs
            .par_chunks(CHUNK)
            .map(|docs| {
                let analyses: Vec<_> = docs.iter().map(|doc| extract::analyze(&doc.body, extractors)).collect();
                tables::build_batches(docs, &analyses)
            })
            .collect());
    };
    let analyses = analyzer.analyze(&docs, &store.join(STAGING_FOLDER))?;
    if analyses.len() != docs.len() {
        let message = format!("{} analyses for {} documents", analyses.len(), docs.len());
        return Err(StoreError::Analyze { source: message.into() });
    }
    Ok(docs
        .par_chunks(CHUNK)
        .zip(analyses.par_chunks(CHUNK))
        .map(|(docs, analyses)| tables::build_batches(docs, analyses))
        .collect())
}

/// The segment being written (`slot`), started if needed. Free-standing so that
/// it can run alongside an extraction borrowing other fields of [`Run`].
fn open_writer<'a>(
    slot: &'a mut Option<SegmentWriter>,
    next_segment: &mut u64,
    store: &Path,
) -> Result<&'a mut SegmentWriter, StoreError> {
    if slot.is_none() {
        let name = format!("seg-{next_segment:06}");
        *next_segment += 1;
        *slot = Some(SegmentWriter::create(store, &name)?);
    }
    Ok(slot.as_mut().expect("just created"))
}

/// Writes pending rows to the current segment; returns its name and the
/// sources written.
fn write_pending(
    slot: &mut Option<SegmentWriter>,
    next_segment: &mut u64,
    store: &Path,
    pending: Option<Pending>,
) -> Result<Option<(String, Vec<usize>)>, StoreError> {
    let Some(pending) = pending else { return Ok(None) };
    let writer = open_writer(slot, next_segment, store)?;
    for part in &pending.parts {
        writer.write(part)?;
    }
    Ok(Some((writer.name().to_string(), pending.sources)))
}

/// The ids a reused file's articles get in this build, recorded in `unique`.
fn reused_ids(unique: &mut UniqueIds, old: &Source) -> Vec<String> {
    old.raw_ids().iter().map(|raw| unique.assign(raw).unwrap_or_else(|| raw.clone())).collect()
}

/// A manifest entry for a freshly read file (ids filled in by the caller).
fn new_source(entry: &Entry, hash: String, docs: &[Document]) -> Source {
    Source {
        path: entry.path.clone(),
        relative: entry.file.relative.clone(),
        size: entry.size,
        mtime_ns: entry.mtime_ns,
        hash,
        segment: None,
        ids: docs.iter().map(|d| d.id.clone()).collect(),
        raw_ids: None,
        part: entry.part,
        max_doc_size: None,
    }
}

/// Removes what docsql writes in a store folder (the manifest, source lists,
/// data files, staging), and nothing else, for `--rebuild`. The lock stays:
/// this build holds it.
fn remove_own_files(store: &Path) -> Result<(), StoreError> {
    let remove = |path: &Path| match fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(StoreError::io("remove", path)(e)),
        _ => Ok(()),
    };
    // the manifest first: from then on, the folder is no store to a reader
    remove(&store.join(MANIFEST_FILE))?;
    remove(&store.join(format!("{MANIFEST_FILE}.tmp")))?;
    let _ = fs::remove_dir_all(store.join(STAGING_FOLDER));
    for entry in fs::read_dir(store).map_err(StoreError::io("read", store))?.flatten() {
        if manifest::is_sources_file(&entry.file_name().to_string_lossy()) {
            remove(&entry.path())?;
        }
    }
    for table in TABLE_NAMES {
        let folder = store.join(table);
        let Ok(entries) = fs::read_dir(&folder) else { continue };
        for entry in entries.flatten() {
            if entry.path().extension().is_some_and(|e| e == "parquet") {
                remove(&entry.path())?;
            }
        }
        // left when it holds files of someone else's
        let _ = fs::remove_dir(&folder);
    }
    Ok(())
}

/// The data files the new manifest (of `segments`) keeps as retired: those
/// of `old` that it no longer lists, as of now, and those `old` kept that are
/// still within `grace`.
fn retire(old: Option<&Manifest>, segments: &[Segment], grace: Duration) -> Vec<manifest::RetiredFile> {
    let Some(old) = old else { return Vec::new() };
    let now = std::time::SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let listed: HashSet<&String> = segments.iter().flat_map(|s| s.files.values()).collect();
    let mut retired: Vec<manifest::RetiredFile> = old
        .retired
        .iter()
        .filter(|r| now.saturating_sub(r.since) < grace.as_secs() && !listed.contains(&r.file))
        .cloned()
        .collect();
    if !grace.is_zero() {
        let newly = old.segments.iter().flat_map(|s| s.files.values()).filter(|f| !listed.contains(f));
        retired.extend(newly.map(|file| manifest::RetiredFile { file: file.clone(), since: now }));
    }
    retired
}

/// Deletes the files of the table folders that the manifest neither lists
/// nor keeps as retired: segments retired longer than the grace period and
/// leftovers of interrupted builds. Failures are ignored: such files are never
/// read, and the next build tries again.
fn remove_unlisted(store: &Path, manifest: &Manifest) {
    let listed = manifest.segments.iter().flat_map(|s| s.files.values());
    let live: HashSet<PathBuf> =
        listed.chain(manifest.retired.iter().map(|r| &r.file)).map(|f| store.join(f)).collect();
    for table in TABLE_NAMES {
        let Ok(entries) = fs::read_dir(store.join(table)) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "parquet") && !live.contains(&path) {
                let _ = fs::remove_file(&path);
            }
        }
    }
    let _ = fs::remove_file(store.join(format!("{MANIFEST_FILE}.tmp")));
    let _ = fs::remove_dir_all(store.join(STAGING_FOLDER));
    if let Ok(entries) = fs::read_dir(store) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if manifest::is_sources_file(&name) && name != manifest.sources_file {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}
