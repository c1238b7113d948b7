//! Stores: a corpus extracted once into Parquet files, queried without
//! extraction.
//!
//! ```text
//! STORE/manifest.json            what the store holds (see manifest::Manifest)
//! STORE/sources-000002.jsonl     the source files (only builds read it)
//! STORE/articles/seg-000001.parquet
//! STORE/paragraphs/seg-000001.parquet
//! STORE/entities/seg-000001.parquet
//! STORE/figures/seg-000001.parquet
//! STORE/quotes/seg-000001.parquet
//! ```
//!
//! (one folder per table of [`crate::tables::TABLES`]).
//!
//! [`build()`] extracts (incrementally, atomically; see [`build`](mod@build) for
//! how), [`register_store`] opens a store as the tables. Opening reads the
//! manifest (a few KB: segments and row counts) and nothing else, so it takes
//! the same time for ten articles or ten million. A store whose tables differ
//! from this docsql's (see [`manifest::schema_fingerprint`]) is refused by
//! readers and rebuilt whole by `build`.

pub mod build;
mod error;
pub mod manifest;
pub mod segment;
pub mod verify;

use std::path::Path;
use std::sync::Arc;

use datafusion::catalog::MemTable;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl};
use datafusion::error::DataFusionError;
use datafusion::prelude::{SessionContext, col};

pub use build::{Analyzer, BuildOptions, BuildReport, build};
pub use error::StoreError;
pub use manifest::{MANIFEST_FILE, ManifestHead, RowCounts};

use crate::tables::TABLES;

/// True when `path` is a store: a folder with a `manifest.json`.
pub fn is_store(path: &Path) -> bool {
    path.is_dir() && path.join(MANIFEST_FILE).is_file()
}

/// Reads what a reader needs of the manifest of `store`, checking that this
/// docsql can read it.
pub fn open_manifest(store: &Path) -> Result<ManifestHead, StoreError> {
    let head = manifest::load_head(store)?;
    manifest::check_schema(store, head.layout, head.fingerprint())?;
    Ok(head)
}

/// Registers the tables of `store` in `ctx` as Parquet tables over exactly
/// the data files its manifest lists (leftovers of interrupted builds are never
/// read), with the schemas of [`crate::tables`]. Fails, naming the file, when
/// one of them is missing or has another size than when it was written.
pub async fn register_store(ctx: &SessionContext, store: &Path) -> crate::Result<()> {
    let head = open_manifest(store)?;
    if let Some(file) = verify::check_segments(store, &head.segments, verify::Depth::Size).into_iter().next() {
        return Err(StoreError::Damaged { store: store.to_path_buf(), file }.into());
    }
    let root = std::fs::canonicalize(store).map_err(StoreError::io("open", store))?;
    for (index, table) in TABLES.iter().enumerate() {
        let schema = table.schema();
        let mut files: Vec<&String> = head
            .segments
            .iter()
            // A file with no rows would only cost an open per query.
            .filter(|s| s.rows.get(index) > 0)
            .filter_map(|s| s.files.get(table.name))
            .collect();
        if files.is_empty() {
            // An empty table over an empty file rather than in memory: a
            // cluster can only read tables backed by files.
            files.extend(head.segments.iter().find_map(|s| s.files.get(table.name)));
        }
        let urls = files
            .into_iter()
            .map(|f| ListingTableUrl::parse(file_url(&root.join(f))))
            .collect::<Result<Vec<_>, DataFusionError>>()?;
        if urls.is_empty() {
            // No segment at all (a store of no documents): a listing table
            // needs at least one file, and an empty table is the same to SQL.
            ctx.register_table(table.name, Arc::new(MemTable::try_new(schema, vec![vec![]])?))?;
            continue;
        }
        // Scan parallelism and statistics follow the session's settings.
        let mut options = ListingOptions::new(Arc::new(ParquetFormat::default())).with_file_extension(".parquet");
        if head.segments.iter().all(|s| s.sorted) {
            options = options.with_file_sort_order(vec![vec![col("article_id").sort(true, false)]]);
        }
        let config = ListingTableConfig::new_with_multi_paths(urls).with_listing_options(options).with_schema(schema);
        ctx.register_table(table.name, Arc::new(ListingTable::try_new(config)?))?;
    }
    Ok(())
}

/// A `file://` URL for an absolute path, percent-encoded so that a store under
/// a folder named like a glob (`[draft]`) or with spaces is taken literally.
fn file_url(path: &Path) -> String {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str()).to_vec();
    #[cfg(not(unix))]
    let bytes = path.to_string_lossy().replace('\\', "/").into_bytes();
    let mut url = String::from("file://");
    if !bytes.starts_with(b"/") {
        url.push('/');
    }
    for byte in bytes {
        if byte.is_ascii_alphanumeric() || b"-._~/:".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::file_url;
    use std::path::Path;

    #[test]
    fn file_urls_escape_glob_and_space_characters() {
        assert_eq!(file_url(Path::new("/a b/[x]/f.parquet")), "file:///a%20b/%5Bx%5D/f.parquet");
        assert_eq!(file_url(Path::new("/café")), "file:///caf%C3%A9");
    }
}
