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

use super::StoreError;
use crate::error::PathIoError;
use crate::tables::{TABLE_COUNT, TABLE_NAMES, TABLES, Table, table_index};

/// The manifest's file name inside the store folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The store's file layout: which files a store has and what they hold
/// (manifest fields, the sources file, one folder per table). Bumped by hand
/// when that changes; a change of the tables' columns needs no bump, the
/// [`schema_fingerprint`] sees it. Recorded as `schema_version`, the name
/// older docsqls read, so that they refuse a newer store cleanly.
pub const LAYOUT: u32 = 2;

/// The value of [`Manifest::format`], so a stray `manifest.json` of another tool
/// is not taken for a store.
pub const FORMAT: &str = "docsql-store";

/// The fingerprint of stores of layout 2 written before manifests recorded
/// one: their tables are those of that time, whose fingerprint this is. A
/// constant, not the current fingerprint: once a column changes, such stores
/// must be rebuilt like any other.
pub const LAYOUT_2_FINGERPRINT: &str = "c81371afe9ee767b";

/// The fingerprint of this docsql's stores: a hash of [`LAYOUT`] and of every
/// table's name and columns (name, type, nullability), in order. A store with
/// another one holds other tables and is rebuilt whole.
pub fn schema_fingerprint() -> String {
    fingerprint(LAYOUT, &TABLES)
}

/// The fingerprint of stores of `layout` holding `tables`.
pub fn fingerprint(layout: u32, tables: &[&Table]) -> String {
    let mut text = format!("docsql store layout {layout}\n");
    for table in tables {
        text.push_str(&format!("table {}\n", table.name));
        for column in table.columns {
            text.push_str(&format!("  {} {} {}\n", column.name, column.type_name, column.nullable));
        }
    }
    // 64 bits: enough to tell schemas apart, short enough to read in a message.
    blake3::hash(text.as_bytes()).to_hex()[..16].to_string()
}

/// Rows per table, in [`TABLES`] order; in JSON an object `{"articles": n, ...}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowCounts([u64; TABLE_COUNT]);

impl RowCounts {
    /// The count for the `index`-th table of [`TABLES`].
    pub fn get(&self, index: usize) -> u64 {
        self.0[index]
    }

    /// The count for the table called `name` (0 for an unknown table).
    pub fn of(&self, name: &str) -> u64 {
        table_index(name).map_or(0, |index| self.0[index])
    }

    /// Rows of `articles`: the number of documents.
    pub fn articles(&self) -> u64 {
        self.of("articles")
    }

    /// Adds `rows` to the `index`-th table of [`TABLES`].
    pub fn add(&mut self, index: usize, rows: u64) {
        self.0[index] += rows;
    }

    /// Sum with `other`.
    pub fn plus(mut self, other: &RowCounts) -> RowCounts {
        for index in 0..TABLE_COUNT {
            self.add(index, other.get(index));
        }
        self
    }

    /// Table names with their counts, in [`TABLES`] order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        TABLE_NAMES.iter().copied().zip(self.0.iter().copied())
    }
}

impl Serialize for RowCounts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for RowCounts {
    /// Counts of tables this docsql does not have are dropped: only a store of
    /// another schema has them, and that one is refused or rebuilt.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, u64>::deserialize(deserializer)?;
        let mut counts = RowCounts::default();
        for (name, rows) in map {
            if let Some(index) = table_index(&name) {
                counts.0[index] = rows;
            }
        }
        Ok(counts)
    }
}

/// One segment: a Parquet file per table, written by one build run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// `seg-000007`: also the file stem of its data files (one per table).
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
    /// Table name → its data file as written, checked when the store is opened
    /// (the size) and by `build --verify` (the hash). Empty in stores written
    /// before docsql recorded them: their files are only checked to exist.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub checks: BTreeMap<String, FileCheck>,
}

/// What a data file was when written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCheck {
    /// Size in bytes.
    pub size: u64,
    /// blake3 of its bytes, hex.
    pub blake3: String,
}

impl Segment {
    /// The segment called `name`, with its data files at `TABLE/NAME.parquet`
    /// and what they were when written (`checks`, by table name).
    pub fn new(name: &str, rows: RowCounts, sorted: bool, checks: BTreeMap<String, FileCheck>) -> Segment {
        let files = TABLE_NAMES.iter().map(|t| (t.to_string(), data_file(t, name))).collect();
        Segment { name: name.to_string(), files, rows, sorted, checks }
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
    /// For a big WARC archive read in parts: the byte range `[start, end)` of
    /// the file this source is (`size`, `mtime_ns` are the whole file's;
    /// `hash` is the range's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<[u64; 2]>,
    /// The size limit (`--max-doc-size`) it was read with, when records of it
    /// were skipped for being bigger: a build with a higher limit reads it
    /// again instead of reusing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_doc_size: Option<u64>,
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
    /// The file layout, [`LAYOUT`] when written by this docsql.
    #[serde(rename = "schema_version")]
    pub layout: u32,
    /// The tables' [`schema_fingerprint`] when written by this docsql; empty in
    /// stores written before manifests recorded it (see [`Manifest::fingerprint`]).
    #[serde(default)]
    pub schema_fingerprint: String,
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
    /// Data files of earlier builds that this one no longer lists, kept for
    /// readers that opened an earlier manifest: a build deletes them once they
    /// have been retired longer than [`BuildOptions::retired_grace`](super::BuildOptions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired: Vec<RetiredFile>,
}

/// A data file no longer listed, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetiredFile {
    /// The file, relative to the store.
    pub file: String,
    /// When the build that stopped listing it was committed, seconds since the Unix epoch.
    pub since: u64,
}

impl Manifest {
    /// The fingerprint of the store's tables, see [`recorded_fingerprint`].
    pub fn fingerprint(&self) -> &str {
        recorded_fingerprint(self.layout, &self.schema_fingerprint)
    }
}

/// The part of the manifest a reader needs. Serde skips the rest (the source
/// list grows with the corpus) without building it, which keeps opening a store
/// fast.
#[derive(Debug, Clone, Deserialize)]
pub struct ManifestHead {
    /// See [`Manifest::format`].
    pub format: String,
    /// See [`Manifest::layout`].
    #[serde(rename = "schema_version")]
    pub layout: u32,
    /// See [`Manifest::schema_fingerprint`].
    #[serde(default)]
    pub schema_fingerprint: String,
    /// See [`Manifest::docsql_version`].
    pub docsql_version: String,
    /// See [`Manifest::built_at`].
    pub built_at: String,
    /// See [`Manifest::rows`].
    pub rows: RowCounts,
    /// See [`Manifest::segments`].
    pub segments: Vec<Segment>,
}

impl ManifestHead {
    /// The fingerprint of the store's tables, see [`recorded_fingerprint`].
    pub fn fingerprint(&self) -> &str {
        recorded_fingerprint(self.layout, &self.schema_fingerprint)
    }
}

/// The fingerprint a manifest of `layout` recording `recorded` stands for:
/// `recorded`, or for a store of layout 2 that records none, the fingerprint
/// of the tables of that time.
pub fn recorded_fingerprint(layout: u32, recorded: &str) -> &str {
    if recorded.is_empty() && layout == 2 { LAYOUT_2_FINGERPRINT } else { recorded }
}

/// Checks that this docsql reads a store of `layout` whose tables have
/// `fingerprint`; the error says to build it again.
pub fn check_schema(store: &Path, layout: u32, fingerprint: &str) -> Result<(), StoreError> {
    if layout != LAYOUT {
        return Err(StoreError::OtherLayout { store: store.to_path_buf(), found: layout, expected: LAYOUT });
    }
    let expected = schema_fingerprint();
    if fingerprint != expected {
        return Err(StoreError::OtherSchema { store: store.to_path_buf(), found: fingerprint.to_string(), expected });
    }
    Ok(())
}

/// Reads and checks the manifest of `store` with its sources. The sources of a
/// store of another layout or schema are not read: a build starts that store
/// afresh.
pub fn load(store: &Path) -> Result<Manifest, StoreError> {
    let mut manifest: Manifest = read_json(store)?;
    check_format(store, &manifest.format)?;
    if check_schema(store, manifest.layout, manifest.fingerprint()).is_ok() {
        manifest.sources = read_sources(&store.join(&manifest.sources_file))?;
    }
    Ok(manifest)
}

/// Parses a sources file, its lines in parallel.
fn read_sources(path: &Path) -> Result<Vec<Source>, StoreError> {
    let text = fs::read_to_string(path).map_err(StoreError::io("read", path))?;
    text.par_lines()
        .filter(|line| !line.is_empty())
        .map(|line| {
            serde_json::from_str(line).map_err(|source| StoreError::DamagedSources { path: path.to_path_buf(), source })
        })
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
pub fn load_head(store: &Path) -> Result<ManifestHead, StoreError> {
    let head: ManifestHead = read_json(store)?;
    check_format(store, &head.format)?;
    Ok(head)
}

fn read_json<T: serde::de::DeserializeOwned>(store: &Path) -> Result<T, StoreError> {
    let path = store.join(MANIFEST_FILE);
    let text = fs::read_to_string(&path).map_err(StoreError::io("read", &path))?;
    serde_json::from_str(&text).map_err(|source| StoreError::BadManifest { path, source })
}

fn check_format(store: &Path, format: &str) -> Result<(), StoreError> {
    if format == FORMAT {
        Ok(())
    } else {
        Err(StoreError::NotAStore { store: store.to_path_buf(), format: format.to_string() })
    }
}

/// Writes the manifest atomically: to `manifest.json.tmp`, flushed to disk, then
/// renamed over `manifest.json` (and the folder synced so the rename itself
/// survives a crash).
pub fn save(store: &Path, manifest: &Manifest) -> Result<(), StoreError> {
    let path = store.join(MANIFEST_FILE);
    let tmp = store.join(format!("{MANIFEST_FILE}.tmp"));
    let sources_path = store.join(&manifest.sources_file);
    let lines: Vec<String> = manifest
        .sources
        .par_iter()
        .map(serde_json::to_string)
        .collect::<Result<_, _>>()
        .map_err(|source| StoreError::Encode { what: "sources", source })?;
    let json = serde_json::to_vec_pretty(manifest).map_err(|source| StoreError::Encode { what: "manifest", source })?;
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
    write().map_err(|source| {
        let _ = fs::remove_file(&tmp);
        let _ = fs::remove_file(&sources_path);
        StoreError::Io(PathIoError { action: "write", path, source })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{Column, figures};

    #[test]
    fn fingerprint_changes_when_a_column_or_the_layout_changes() {
        let now = schema_fingerprint();
        assert_eq!(now, fingerprint(LAYOUT, &TABLES));
        assert_eq!(now.len(), 16);
        assert_ne!(fingerprint(LAYOUT + 1, &TABLES), now, "layout");

        let with_figures = |columns: Vec<Column>| {
            let columns: &'static [Column] = Vec::leak(columns);
            let figures = Table { columns, ..figures::FIGURES };
            let mut tables = TABLES;
            tables[table_index("figures").unwrap()] = Box::leak(Box::new(figures));
            fingerprint(LAYOUT, &tables)
        };
        let base = figures::FIGURES.columns.to_vec();
        assert_eq!(with_figures(base.clone()), now, "same columns, same fingerprint");

        let mut added = base.clone();
        added.push(Column { name: "scale", ..base[4].clone() });
        assert_ne!(with_figures(added), now, "a column added");

        let mut renamed = base.clone();
        renamed[5].name = "maximum";
        assert_ne!(with_figures(renamed), now, "a column renamed");

        let mut retyped = base.clone();
        retyped[4].type_name = "Float32";
        assert_ne!(with_figures(retyped), now, "a column's type");

        let mut nullable = base.clone();
        nullable[4].nullable = true;
        assert_ne!(with_figures(nullable), now, "a column's nullability");

        let mut moved = base;
        moved.swap(4, 5);
        assert_ne!(with_figures(moved), now, "the column order");
    }

    #[test]
    fn stores_written_before_fingerprints_stand_for_the_tables_of_layout_2() {
        assert_eq!(recorded_fingerprint(2, ""), LAYOUT_2_FINGERPRINT);
        assert_eq!(recorded_fingerprint(2, "0123"), "0123");
        assert_eq!(recorded_fingerprint(1, ""), "");
    }

    #[test]
    fn row_counts_are_a_json_object_by_table_name() {
        let mut rows = RowCounts::default();
        rows.add(0, 5);
        rows.add(3, 7);
        let json = serde_json::to_string(&rows).unwrap();
        assert_eq!(json, r#"{"articles":5,"paragraphs":0,"entities":0,"figures":7,"quotes":0}"#);
        let back: RowCounts = serde_json::from_str(r#"{"articles":5,"figures":7,"gone":9}"#).unwrap();
        assert_eq!(back, rows);
        assert_eq!((back.articles(), back.of("figures"), back.of("gone")), (5, 7, 0));
    }

    #[test]
    fn check_schema_refuses_another_layout_or_fingerprint() {
        let store = Path::new("/s");
        assert!(check_schema(store, LAYOUT, &schema_fingerprint()).is_ok());
        let err = check_schema(store, 1, &schema_fingerprint()).unwrap_err().to_string();
        assert_eq!(err, format!("/s has store layout 1, this docsql reads {LAYOUT}: build it again with this docsql"));
        let err = check_schema(store, LAYOUT, "0000").unwrap_err().to_string();
        assert!(
            err.starts_with("/s holds tables of another schema") && err.ends_with("build it again with this docsql")
        );
    }
}
