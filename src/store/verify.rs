//! Checking a store's data files against what its manifest recorded when they
//! were written ([`FileCheck`](super::manifest::FileCheck)).
//!
//! A reader checks that every file exists with its recorded size: a stat per
//! file, so opening stays as cheap for ten articles as for ten million, and a
//! deleted or truncated segment is named instead of read as an empty table or
//! reported as a "corrupt footer". `build` does the same for the segments it
//! keeps and, with `--verify`, also compares hashes (or, for files written
//! before hashes were recorded, reads their Parquet footer); it re-extracts
//! the sources of a damaged segment.

use std::fs::File;
use std::path::{Path, PathBuf};

use datafusion::parquet::file::reader::{FileReader, SerializedFileReader};
use rayon::prelude::*;

use super::manifest::Segment;

/// What is wrong with a data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Damage {
    /// The file is not there.
    Missing,
    /// It has another size than the manifest records.
    Size {
        /// Bytes the manifest records.
        recorded: u64,
        /// Bytes on disk.
        found: u64,
    },
    /// Its bytes are not those written (same size, other hash).
    Content,
    /// It cannot be read, or not as Parquet.
    Unreadable(String),
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Damage::Missing => write!(f, "missing"),
            Damage::Size { recorded, found } => write!(f, "{found} bytes, the manifest records {recorded}"),
            Damage::Content => write!(f, "changed since it was written (its hash differs)"),
            Damage::Unreadable(why) => write!(f, "unreadable: {why}"),
        }
    }
}

/// A damaged data file of a store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedFile {
    /// The segment it belongs to.
    pub segment: String,
    /// Its path.
    pub path: PathBuf,
    /// What is wrong.
    pub damage: Damage,
}

/// How closely to look at each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// That it exists with its recorded size (a stat).
    Size,
    /// Also that its bytes hash as recorded (reads every file), or, when no
    /// hash is recorded, that its Parquet footer reads.
    Content,
}

/// The damaged data files of `segments` in `store`, in segment order.
pub fn check_segments(store: &Path, segments: &[Segment], depth: Depth) -> Vec<DamagedFile> {
    let files: Vec<(&Segment, &String, &String)> =
        segments.iter().flat_map(|s| s.files.iter().map(move |(table, file)| (s, table, file))).collect();
    files
        .par_iter()
        .filter_map(|&(segment, table, file)| {
            let path = store.join(file);
            let damage = check_file(&path, segment.checks.get(table), depth)?;
            Some(DamagedFile { segment: segment.name.clone(), path, damage })
        })
        .collect()
}

fn check_file(path: &Path, check: Option<&super::manifest::FileCheck>, depth: Depth) -> Option<Damage> {
    let found = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(Damage::Missing),
        Err(e) => return Some(Damage::Unreadable(e.to_string())),
    };
    if let Some(check) = check
        && check.size != found
    {
        return Some(Damage::Size { recorded: check.size, found });
    }
    if depth == Depth::Size {
        return None;
    }
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) => return Some(Damage::Unreadable(e.to_string())),
    };
    match check {
        Some(check) => {
            let mut hasher = blake3::Hasher::new();
            if let Err(e) = hasher.update_reader(file) {
                return Some(Damage::Unreadable(e.to_string()));
            }
            (hasher.finalize().to_hex().as_str() != check.blake3).then_some(Damage::Content)
        }
        None => match SerializedFileReader::new(file) {
            Err(e) => Some(Damage::Unreadable(e.to_string())),
            Ok(reader) if reader.metadata().file_metadata().num_rows() < 0 => {
                Some(Damage::Unreadable("negative row count".into()))
            }
            Ok(_) => None,
        },
    }
}
