//! `manifest.json`: the one file that says what a store contains.
//!
//! Readers trust only the data files listed here, and a build replaces the
//! manifest in one `rename` after its data files are on disk, so a store is
//! always either the old build or the new one, never a mix.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::tables::TABLE_NAMES;

/// The manifest's file name inside the store folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// Bumped whenever the layout or a table schema changes: a build over a store
/// with another version re-extracts everything, and readers refuse it.
pub const SCHEMA_VERSION: u32 = 2;

/// The value of [`Manifest::format`], so a stray `manifest.json` of another tool
/// is not taken for a store.
pub const FORMAT: &str = "docsql-store";

/// Rows per table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowCounts {
    /// Rows of `articles`.
    pub articles: u64,
    /// Rows of `paragraphs`.
    pub paragraphs: u64,
    /// Rows of `entities`.
    pub entities: u64,
    /// Rows of `figures`.
    pub figures: u64,
}

impl RowCounts {
    /// The count for the `index`-th table of [`TABLE_NAMES`].
    pub fn get(&self, index: usize) -> u64 {
        [self.articles, self.paragraphs, self.entities, self.figures][index]
    }

    /// Adds `rows` to the `index`-th table of [`TABLE_NAMES`].
    pub fn add(&mut self, index: usize, rows: u64) {
        let slot = match index {
            0 => &mut self.articles,
            1 => &mut self.paragraphs,
            2 => &mut self.entities,
            _ => &mut self.figures,
        };
        *slot += rows;
    }

    /// Sum with `other`.
    pub fn plus(mut self, other: &RowCounts) -> RowCounts {
        for index in 0..TABLE_NAMES.len() {
            self.add(index, other.get(index));
        }
        self
    }
}

/// One segment: a Parquet file per table, written by one build run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// `seg-000007`: also the file stem of its four data files.
    pub name: String,
    /// Table name → data file, relative to the store folder.
    pub files: BTreeMap<String, String>,
    /// Rows in each data file.
    pub rows: RowCounts,
    /// Every data file's rows are in `article_id` order (checked as they were
    /// written); when all segments are, readers declare that order to
    /// DataFusion, which then merges instead of sorting.
    #[serde(default)]
    pub sorted: bool,
}

impl Segment {
    /// The segment called `name`, with its data files at `TABLE/NAME.parquet`.
    pub fn new(name: &str, rows: RowCounts, sorted: bool) -> Segment {
        let files = TABLE_NAMES.iter().map(|t| (t.to_string(), data_file(t, name))).collect();
        Segment { name: name.to_string(), files, rows, sorted }
    }
}

/// Where the data of `table` for segment `segment` lives, relative to the store.
pub fn data_file(table: &str, segment: &str) -> String {
    format!("{table}/{segment}.parquet")
}

/// One source file of the corpus, as last built.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The path as found (what `articles.path` shows); the key across builds.
    pub path: String,
    /// The path relative to its input root, which article ids derive from.
    pub relative: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// blake3 of the file's bytes, hex.
    pub hash: String,
    /// The segment holding this file's rows; none when it gave no article.
    pub segment: Option<String>,
    /// Its articles' ids as stored in the tables, in file order.
    pub ids: Vec<String>,
    /// The ids as the file gives them, when some had to be renamed to stay unique
    /// (`a~2`); kept so that later builds can redo the renaming without reading
    /// the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_ids: Option<Vec<String>>,
}

impl Source {
    /// The ids as the file gives them.
    pub fn raw_ids(&self) -> &[String] {
        self.raw_ids.as_deref().unwrap_or(&self.ids)
    }
}

/// The whole manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The layout version, [`SCHEMA_VERSION`] when written by this docsql.
    pub schema_version: u32,
    /// The docsql that extracted the rows: extraction changes between versions,
    /// so another version means re-extracting everything.
    pub docsql_version: String,
    /// When the build finished (RFC 3339, UTC).
    pub built_at: String,
    /// The number in the name of the next segment to write; never reused, so a
    /// new segment can't overwrite a live file.
    pub next_segment: u64,
    /// Rows per table over all segments.
    pub rows: RowCounts,
    /// The live segments. Readers use exactly these files.
    pub segments: Vec<Segment>,
    /// The file beside the manifest that lists the sources, one JSON object per
    /// line. A separate file, so that opening a store does not read a list that
    /// grows with the corpus (~330 bytes a file); named anew by every build, so
    /// that the manifest's rename switches both at once.
    #[serde(default)]
    pub sources_file: String,
    /// Every source file, sorted by path (kept in [`Manifest::sources_file`]).
    #[serde(skip)]
    pub sources: Vec<Source>,
}

/// The part of the manifest a reader needs. Serde skips the rest (the source
/// list grows with the corpus) without building it, which keeps opening a store
/// fast.
#[derive(Debug, Clone, Deserialize)]
pub struct ManifestHead {
    /// See [`Manifest::format`].
    pub format: String,
    /// See [`Manifest::schema_version`].
    pub schema_version: u32,
    /// See [`Manifest::docsql_version`].
    pub docsql_version: String,
    /// See [`Manifest::built_at`].
    pub built_at: String,
    /// See [`Manifest::rows`].
    pub rows: RowCounts,
    /// See [`Manifest::segments`].
    pub segments: Vec<Segment>,
}

/// Reads and checks the manifest of `store` with its sources. The sources of a
/// store of another layout are not read: a build starts that store afresh.
pub fn load(store: &Path) -> Result<Manifest, String> {
    let mut manifest: Manifest = read_json(store)?;
    check(store, &manifest.format)?;
    if manifest.schema_version == SCHEMA_VERSION {
        manifest.sources = read_sources(&store.join(&manifest.sources_file))?;
    }
    Ok(manifest)
}

/// Parses a sources file, its lines in parallel.
fn read_sources(path: &Path) -> Result<Vec<Source>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.par_lines()
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_str(line).map_err(|e| format!("{} is damaged: {e}", path.display())))
        .collect()
}

/// The name of the sources file written by the build numbered `number`.
pub fn sources_file_name(number: u64) -> String {
    format!("{SOURCES_PREFIX}{number:06}.jsonl")
}

/// Whether `name` is that of a sources file (of any build).
pub fn is_sources_file(name: &str) -> bool {
    name.starts_with(SOURCES_PREFIX) && name.ends_with(".jsonl")
}

const SOURCES_PREFIX: &str = "sources-";

/// Reads and checks the reader's part of the manifest of `store`.
pub fn load_head(store: &Path) -> Result<ManifestHead, String> {
    let head: ManifestHead = read_json(store)?;
    check(store, &head.format)?;
    Ok(head)
}

fn read_json<T: serde::de::DeserializeOwned>(store: &Path) -> Result<T, String> {
    let path = store.join(MANIFEST_FILE);
    let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not a docsql store manifest: {e}", path.display()))
}

fn check(store: &Path, format: &str) -> Result<(), String> {
    if format == FORMAT {
        Ok(())
    } else {
        Err(format!("{} is not a docsql store (manifest format {format:?})", store.display()))
    }
}

/// Writes the manifest atomically: to `manifest.json.tmp`, flushed to disk, then
/// renamed over `manifest.json` (and the folder synced so the rename itself
/// survives a crash).
pub fn save(store: &Path, manifest: &Manifest) -> Result<(), String> {
    let path = store.join(MANIFEST_FILE);
    let tmp = store.join(format!("{MANIFEST_FILE}.tmp"));
    let sources_path = store.join(&manifest.sources_file);
    let lines: Vec<String> = manifest
        .sources
        .par_iter()
        .map(serde_json::to_string)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("cannot encode the sources: {e}"))?;
    let json = serde_json::to_vec_pretty(manifest).map_err(|e| format!("cannot encode the manifest: {e}"))?;
    let write = || -> std::io::Result<()> {
        let mut file = std::io::BufWriter::new(File::create(&sources_path)?);
        for line in &lines {
            file.write_all(line.as_bytes())?;
            file.write_all(b"\n")?;
        }
        file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        let mut file = File::create(&tmp)?;
        file.write_all(&json)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        fs::rename(&tmp, &path)?;
        // Past the rename the new build is live: a failure to sync the folder
        // must not make the caller delete the data files the manifest lists.
        let _ = sync_dir(store);
        Ok(())
    };
    write().map_err(|e| {
        let _ = fs::remove_file(&tmp);
        let _ = fs::remove_file(&sources_path);
        format!("cannot write {}: {e}", path.display())
    })
}

/// Flushes a folder's entries (new files, renames) to disk. Only meaningful on
/// Unix; elsewhere folders cannot be opened and this does nothing.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
