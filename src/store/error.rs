//! What can go wrong with a store: [`StoreError`]. Every message names the
//! store or the file concerned, and says what to do when there is something to
//! do ("build it again").

use std::path::{Path, PathBuf};

use datafusion::arrow::error::ArrowError;
use datafusion::parquet::errors::ParquetError;

use crate::error::PathIoError;

/// A store could not be built, read or opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// `build` was given no input.
    #[error("nothing to build: give files, folders or glob patterns")]
    NoInputs,
    /// A file or folder of the store could not be read, created or written.
    #[error(transparent)]
    Io(#[from] PathIoError),
    /// A Parquet data file could not be read or written.
    #[error("cannot {action} {}: {source}", path.display())]
    Parquet {
        /// "read" or "write".
        action: &'static str,
        /// The data file.
        path: PathBuf,
        /// Parquet's error.
        #[source]
        source: ParquetError,
    },
    /// The rows of a data file could not be filtered or re-assembled.
    #[error("cannot read {}: {source}", path.display())]
    Arrow {
        /// The data file.
        path: PathBuf,
        /// Arrow's error.
        #[source]
        source: ArrowError,
    },
    /// A data file's first column is not `article_id` text.
    #[error("cannot read {}: article_id is not a string", path.display())]
    NotArticleIds {
        /// The data file.
        path: PathBuf,
    },
    /// The store path exists and is a file.
    #[error("{} exists and is not a folder", path.display())]
    NotAFolder {
        /// The path given as the store.
        path: PathBuf,
    },
    /// The store folder holds files that are not a store's: a build deletes
    /// files it does not know there, so it refuses.
    #[error("{} is not empty and not a docsql store; give a new or empty folder", path.display())]
    NotEmpty {
        /// The folder.
        path: PathBuf,
    },
    /// Another `docsql build` holds the store's lock.
    #[error("another build is writing {}", store.display())]
    Locked {
        /// The store.
        store: PathBuf,
    },
    /// `manifest.json` is not JSON of a store manifest.
    #[error(
        "{} is not a docsql store manifest ({source}); to start the store over in place, \
         run `docsql build --rebuild --store {} PATH...` (it removes only docsql's own files)",
        path.display(),
        path.parent().unwrap_or(Path::new(".")).display()
    )]
    BadManifest {
        /// The manifest file.
        path: PathBuf,
        /// What the JSON parser said.
        #[source]
        source: serde_json::Error,
    },
    /// The manifest is another tool's (its `format` is not docsql's).
    #[error("{} is not a docsql store (manifest format {format:?})", store.display())]
    NotAStore {
        /// The store folder.
        store: PathBuf,
        /// The manifest's `format`.
        format: String,
    },
    /// The store was written with another file layout.
    #[error("{} has store layout {found}, this docsql reads {expected}: build it again with this docsql", store.display())]
    OtherLayout {
        /// The store folder.
        store: PathBuf,
        /// The store's layout.
        found: u32,
        /// This docsql's layout.
        expected: u32,
    },
    /// The store's tables have other columns than this docsql's.
    #[error(
        "{} holds tables of another schema (fingerprint {found:?}, this docsql's is {expected:?}): \
         build it again with this docsql",
        store.display()
    )]
    OtherSchema {
        /// The store folder.
        store: PathBuf,
        /// The fingerprint the manifest records.
        found: String,
        /// This docsql's fingerprint.
        expected: String,
    },
    /// A line of the sources file is not a source.
    #[error(
        "{} is damaged ({source}); to start the store over in place, \
         run `docsql build --rebuild --store {} PATH...` (it removes only docsql's own files)",
        path.display(),
        path.parent().unwrap_or(Path::new(".")).display()
    )]
    DamagedSources {
        /// The sources file.
        path: PathBuf,
        /// What the JSON parser said.
        #[source]
        source: serde_json::Error,
    },
    /// The manifest or the source list could not be encoded.
    #[error("cannot encode the {what}: {source}")]
    Encode {
        /// "manifest" or "sources".
        what: &'static str,
        /// What the JSON encoder said.
        #[source]
        source: serde_json::Error,
    },
    /// A segment holds fewer articles than the manifest lists for it.
    #[error(
        "{}: segment {segment} holds {found} of the {listed} articles the manifest lists; \
         delete the store and build again",
        store.display()
    )]
    MissingRows {
        /// The store folder.
        store: PathBuf,
        /// The segment's name.
        segment: String,
        /// Articles found in its data file.
        found: u64,
        /// Articles the manifest lists.
        listed: usize,
    },
    /// A data file the manifest lists is missing or damaged.
    #[error(
        "{} is {}: the store is damaged; run `docsql build --store {} PATH...` over the same inputs \
         to re-extract what it held",
        file.path.display(),
        file.damage,
        store.display()
    )]
    Damaged {
        /// The store folder.
        store: PathBuf,
        /// The first damaged file found.
        file: super::verify::DamagedFile,
    },
    /// An input file changed while the build read it.
    #[error("{path} changed during the build; run it again")]
    ChangedDuringBuild {
        /// The file, as given.
        path: String,
    },
    /// The test hook [`BuildOptions::fail_after_files`](super::BuildOptions) stopped the build.
    #[error("build stopped after {files} files (test hook)")]
    Stopped {
        /// Files read before stopping.
        files: usize,
    },
    /// An [`Analyzer`](super::build::Analyzer) (a cluster) failed to extract
    /// a window of documents.
    #[error("extraction failed: {source}")]
    Analyze {
        /// What the analyzer reported.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl StoreError {
    /// A [`StoreError::Io`] for `path`, to use as `.map_err(StoreError::io("read", &path))`.
    pub fn io(action: &'static str, path: impl AsRef<Path>) -> impl FnOnce(std::io::Error) -> StoreError {
        let path = path.as_ref().to_path_buf();
        move |source| StoreError::Io(PathIoError { action, path, source })
    }

    /// A [`StoreError::Parquet`] for `path`.
    pub fn parquet(action: &'static str, path: impl AsRef<Path>) -> impl FnOnce(ParquetError) -> StoreError {
        let path = path.as_ref().to_path_buf();
        move |source| StoreError::Parquet { action, path, source }
    }

    /// A [`StoreError::Arrow`] for `path`.
    pub fn arrow(path: impl AsRef<Path>) -> impl FnOnce(ArrowError) -> StoreError {
        let path = path.as_ref().to_path_buf();
        move |source| StoreError::Arrow { path, source }
    }
}
