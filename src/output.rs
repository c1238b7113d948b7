//! Printing result sets (table, CSV, TSV, JSON, NDJSON, Markdown) and exporting
//! them to files (the same, plus Parquet).
//!
//! Nothing here prints: results go to the `&mut dyn Write` the caller gives
//! (stdout in `main.rs` and the REPL). Exports are written to a temporary file in
//! the destination folder and renamed into place, so a failed export never leaves
//! a partial file behind.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::errors::ParquetError;
use datafusion::parquet::file::properties::WriterProperties;

/// How results are printed. The names (`--format`, `.mode`) are clap's
/// [`ValueEnum`] names of the variants: see [`OutputFormat::names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// A boxed table for people.
    Table,
    /// Comma-separated values with a header.
    Csv,
    /// Tab-separated values with a header.
    Tsv,
    /// One JSON array of objects.
    Json,
    /// One JSON object per line.
    Ndjson,
    /// A GitHub-flavoured Markdown table.
    Markdown,
}

impl OutputFormat {
    /// Parses a format name as used by `--format` and `.mode` (any case).
    pub fn parse(name: &str) -> Option<Self> {
        <Self as ValueEnum>::from_str(name, true).ok()
    }

    /// The name `--format` and `.mode` take for this format.
    pub fn name(self) -> String {
        // Every variant has a possible value: none is `#[value(skip)]`.
        self.to_possible_value().map(|value| value.get_name().to_string()).unwrap_or_default()
    }

    /// The names accepted by [`OutputFormat::parse`], in declaration order.
    pub fn names() -> Vec<String> {
        Self::value_variants().iter().map(|format| format.name()).collect()
    }
}

/// File formats an export can take, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// A text format of [`OutputFormat`].
    Text(OutputFormat),
    /// Apache Parquet (zstd-compressed).
    Parquet,
}

/// Export file extensions (lower case) and their formats: the one list behind
/// [`ExportFormat::from_path`], the messages and the `--output` help. The first
/// extension of each format is the one messages name; later ones are accepted
/// synonyms (`.jsonl`).
const EXPORT_EXTENSIONS: &[(&str, ExportFormat)] = &[
    ("csv", ExportFormat::Text(OutputFormat::Csv)),
    ("tsv", ExportFormat::Text(OutputFormat::Tsv)),
    ("json", ExportFormat::Text(OutputFormat::Json)),
    ("ndjson", ExportFormat::Text(OutputFormat::Ndjson)),
    ("jsonl", ExportFormat::Text(OutputFormat::Ndjson)),
    ("md", ExportFormat::Text(OutputFormat::Markdown)),
    ("parquet", ExportFormat::Parquet),
];

impl ExportFormat {
    /// The format for a file name's extension (any case): see
    /// [`ExportFormat::extensions`], plus `.jsonl` for NDJSON.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        EXPORT_EXTENSIONS.iter().find(|(name, _)| *name == ext).map(|&(_, format)| format)
    }

    /// The extensions to name in messages and help, one per format, with their
    /// dot: `.csv`, `.tsv`, `.json`, `.ndjson`, `.md`, `.parquet`.
    pub fn extensions() -> Vec<String> {
        let first_of_format = |&(i, &(_, format)): &(usize, &(&str, ExportFormat))| {
            !EXPORT_EXTENSIONS[..i].iter().any(|&(_, earlier)| earlier == format)
        };
        EXPORT_EXTENSIONS.iter().enumerate().filter(first_of_format).map(|(_, (ext, _))| format!(".{ext}")).collect()
    }

    /// The extensions for a sentence: ".csv, .tsv, .json, .ndjson, .md or .parquet".
    pub fn extensions_in_words() -> String {
        let extensions = Self::extensions();
        match extensions.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        }
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The file name's extension names no export format.
    #[error(
        "cannot tell the export format of {}: use a {} file name",
        path.display(),
        ExportFormat::extensions_in_words()
    )]
    UnknownFormat {
        /// The file asked for.
        path: PathBuf,
    },
    /// Writing the file failed; nothing was left at `path`.
    #[error("export to {} failed: {source}", path.display())]
    Write {
        /// The file asked for.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: WriteError,
    },
}

/// Why writing a file (atomically) or a result set failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The temporary file could not be made in the destination folder.
    #[error("cannot write in {}: {source}", dir.display())]
    TempFile {
        /// The destination folder.
        dir: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// Writing, flushing or syncing failed.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// Arrow could not format the rows (text formats).
    #[error(transparent)]
    Arrow(#[from] ArrowError),
    /// The Parquet writer failed.
    #[error(transparent)]
    Parquet(#[from] ParquetError),
    /// The finished temporary file could not be renamed over the destination.
    #[error("cannot move into {}: {source}", path.display())]
    Persist {
        /// The destination.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
}

/// Total rows in `batches`.
pub fn row_count(batches: &[RecordBatch]) -> usize {
    batches.iter().map(RecordBatch::num_rows).sum()
}

/// The first `limit` rows of `batches`.
fn first_rows(batches: &[RecordBatch], limit: usize) -> Vec<RecordBatch> {
    let mut left = limit;
    let mut out = Vec::new();
    for batch in batches {
        if left == 0 {
            break;
        }
        let take = batch.num_rows().min(left);
        out.push(batch.slice(0, take));
        left -= take;
    }
    out
}

/// Writes `batches` to `out` in `format`. `maxrows` limits the rows shown by
/// the formats meant for reading (table, markdown); machine formats are always
/// complete. `schema` gives headers when there are no rows.
pub fn write_results(
    out: &mut dyn Write,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    format: OutputFormat,
    maxrows: Option<usize>,
) -> Result<(), ArrowError> {
    let with_schema = |batches: &[RecordBatch]| -> Vec<RecordBatch> {
        if row_count(batches) == 0 { vec![RecordBatch::new_empty(schema.clone())] } else { batches.to_vec() }
    };
    match format {
        OutputFormat::Table => {
            let shown = match maxrows {
                Some(limit) => first_rows(batches, limit),
                None => batches.to_vec(),
            };
            if schema.fields().is_empty() {
                return Ok(());
            }
            writeln!(out, "{}", pretty_format_batches(&with_schema(&shown))?)?;
        }
        OutputFormat::Markdown => {
            let shown = match maxrows {
                Some(limit) => first_rows(batches, limit),
                None => batches.to_vec(),
            };
            write_markdown(out, schema, &shown)?;
        }
        OutputFormat::Csv | OutputFormat::Tsv => {
            let delimiter = if format == OutputFormat::Csv { b',' } else { b'\t' };
            let mut writer = datafusion::arrow::csv::WriterBuilder::new()
                .with_header(true)
                .with_delimiter(delimiter)
                .build(&mut *out);
            for batch in with_schema(batches) {
                writer.write(&batch)?;
            }
        }
        OutputFormat::Json => {
            let mut writer = datafusion::arrow::json::WriterBuilder::new()
                .with_explicit_nulls(true)
                .build::<_, datafusion::arrow::json::writer::JsonArray>(&mut *out);
            for batch in batches {
                writer.write(batch)?;
            }
            // For no rows, `finish` writes `[]` itself.
            writer.finish()?;
            writeln!(out)?;
        }
        OutputFormat::Ndjson => {
            let mut writer = datafusion::arrow::json::WriterBuilder::new()
                .with_explicit_nulls(true)
                .build::<_, datafusion::arrow::json::writer::LineDelimited>(&mut *out);
            for batch in batches {
                writer.write(batch)?;
            }
            writer.finish()?;
        }
    }
    Ok(())
}

fn write_markdown(out: &mut dyn Write, schema: &SchemaRef, batches: &[RecordBatch]) -> Result<(), ArrowError> {
    let escape = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let names: Vec<String> = schema.fields().iter().map(|f| escape(f.name())).collect();
    writeln!(out, "| {} |", names.join(" | "))?;
    writeln!(out, "|{}", " --- |".repeat(names.len()))?;
    let options = FormatOptions::default().with_null("NULL");
    for batch in batches {
        let formatters = batch
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
            .collect::<Result<Vec<_>, _>>()?;
        for row in 0..batch.num_rows() {
            let cells: Vec<String> = formatters.iter().map(|f| escape(&f.value(row).to_string())).collect();
            writeln!(out, "| {} |", cells.join(" | "))?;
        }
    }
    Ok(())
}

/// Writes `batches` to `path` in the format its extension names, atomically:
/// into a temporary file beside it, renamed over `path` only once complete.
/// Returns the number of rows written.
pub fn export(path: &Path, schema: &SchemaRef, batches: &[RecordBatch]) -> Result<usize, ExportError> {
    let format = ExportFormat::from_path(path).ok_or_else(|| ExportError::UnknownFormat { path: path.into() })?;
    export_as(path, format, schema, batches)
}

/// Like [`export`], in `format` whatever the extension.
pub fn export_as(
    path: &Path,
    format: ExportFormat,
    schema: &SchemaRef,
    batches: &[RecordBatch],
) -> Result<usize, ExportError> {
    atomically(path, |file| match format {
        ExportFormat::Parquet => {
            let props = WriterProperties::builder().set_compression(Compression::ZSTD(ZstdLevel::default())).build();
            let mut writer = ArrowWriter::try_new(file, schema.clone(), Some(props))?;
            for batch in batches {
                writer.write(batch)?;
            }
            writer.close()?;
            Ok(())
        }
        ExportFormat::Text(format) => {
            let mut out = BufWriter::new(file);
            write_results(&mut out, schema, batches, format, None)?;
            Ok(out.flush()?)
        }
    })
    .map_err(|source| ExportError::Write { path: path.into(), source })?;
    Ok(row_count(batches))
}

/// Writes `bytes` to `path` atomically (temporary file beside it, then rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    atomically(path, |mut file| Ok(file.write_all(bytes)?))
}

/// Runs `write` on a temporary file in `path`'s folder, syncs it and renames it
/// over `path`; on any failure the temporary file is removed and `path` is
/// left as it was.
fn atomically(path: &Path, write: impl FnOnce(&File) -> Result<(), WriteError>) -> Result<(), WriteError> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".docsql-")
        .tempfile_in(dir)
        .map_err(|source| WriteError::TempFile { dir: dir.into(), source })?;
    write(temp.as_file())?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| WriteError::Persist { path: path.into(), source: e.error })?;
    Ok(())
}

/// Writes results to a terminal or pipe (`out` is stdout in practice) and
/// flushes, treating a closed pipe (`docsql ... | head`) as success.
pub fn print_results(
    out: &mut dyn Write,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    format: OutputFormat,
    maxrows: Option<usize>,
) -> Result<(), ArrowError> {
    match write_results(out, schema, batches, format, maxrows) {
        Err(ArrowError::IoError(_, e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.and_then(|()| out.flush().map_err(ArrowError::from)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_come_from_clap() {
        assert_eq!(OutputFormat::names(), ["table", "csv", "tsv", "json", "ndjson", "markdown"]);
        for name in OutputFormat::names() {
            assert_eq!(OutputFormat::parse(&name).map(OutputFormat::name), Some(name.clone()));
            assert_eq!(OutputFormat::parse(&name.to_uppercase()).map(OutputFormat::name), Some(name));
        }
        assert_eq!(OutputFormat::parse("xml"), None);
    }

    #[test]
    fn export_extensions_from_one_table() {
        assert_eq!(ExportFormat::extensions(), [".csv", ".tsv", ".json", ".ndjson", ".md", ".parquet"]);
        assert_eq!(ExportFormat::extensions_in_words(), ".csv, .tsv, .json, .ndjson, .md or .parquet");
        let format = |name: &str| ExportFormat::from_path(Path::new(name));
        assert_eq!(format("a/b.CSV"), Some(ExportFormat::Text(OutputFormat::Csv)));
        assert_eq!(format("x.jsonl"), Some(ExportFormat::Text(OutputFormat::Ndjson)));
        assert_eq!(format("x.md"), Some(ExportFormat::Text(OutputFormat::Markdown)));
        assert_eq!(format("x.parquet"), Some(ExportFormat::Parquet));
        assert_eq!(format("x.xlsx"), None);
        assert_eq!(format("noextension"), None);
        for ext in ExportFormat::extensions() {
            assert!(format(&format!("x{ext}")).is_some(), "{ext}");
        }
    }

    #[test]
    fn export_errors_name_the_file() {
        let schema =
            RecordBatch::new_empty(std::sync::Arc::new(datafusion::arrow::datatypes::Schema::empty())).schema();
        let err = export(Path::new("out.xlsx"), &schema, &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot tell the export format of out.xlsx: use a .csv, .tsv, .json, .ndjson, .md or .parquet file name"
        );
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing/out.csv");
        let err = export(&missing, &schema, &[]).unwrap_err();
        let want = format!(
            "export to {} failed: cannot write in {}: ",
            missing.display(),
            missing.parent().unwrap().display()
        );
        assert!(matches!(err, ExportError::Write { source: WriteError::TempFile { .. }, .. }), "{err:?}");
        assert!(err.to_string().starts_with(&want), "{err}");
    }

    #[test]
    fn a_closed_pipe_is_not_an_error() {
        struct ClosedPipe;
        impl Write for ClosedPipe {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let batch = RecordBatch::try_from_iter([(
            "a",
            std::sync::Arc::new(datafusion::arrow::array::Int32Array::from(vec![1])) as _,
        )])
        .unwrap();
        let result = print_results(&mut ClosedPipe, &batch.schema(), &[batch], OutputFormat::Table, None);
        assert!(result.is_ok(), "{result:?}");
    }
}
