//! Printing result sets (table, CSV, TSV, JSON, NDJSON, Markdown) and exporting
//! them to files (the same, plus Parquet).
//!
//! Exports are written to a temporary file in the destination folder and renamed
//! into place, so a failed export never leaves a partial file behind.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::error::ArrowError;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::arrow::util::pretty::pretty_format_batches;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::file::properties::WriterProperties;

/// How results are printed.
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
    /// Parses a format name as used by `--format` and `.mode`.
    pub fn parse(name: &str) -> Option<Self> {
        <Self as clap::ValueEnum>::from_str(name, true).ok()
    }

    /// The names accepted by [`OutputFormat::parse`].
    pub const NAMES: [&'static str; 6] = ["table", "csv", "tsv", "json", "ndjson", "markdown"];
}

/// File formats an export can take, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// A text format of [`OutputFormat`].
    Text(OutputFormat),
    /// Apache Parquet (zstd-compressed).
    Parquet,
}

impl ExportFormat {
    /// The format for a file name's extension: .csv .tsv .json .ndjson .jsonl
    /// .parquet .md.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => Self::Text(OutputFormat::Csv),
            "tsv" => Self::Text(OutputFormat::Tsv),
            "json" => Self::Text(OutputFormat::Json),
            "ndjson" | "jsonl" => Self::Text(OutputFormat::Ndjson),
            "md" => Self::Text(OutputFormat::Markdown),
            "parquet" => Self::Parquet,
            _ => return None,
        })
    }
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
pub fn export(path: &Path, schema: &SchemaRef, batches: &[RecordBatch]) -> Result<usize, String> {
    let format = ExportFormat::from_path(path).ok_or_else(|| {
        format!(
            "cannot tell the export format of {}: use a .csv, .tsv, .json, .ndjson, .md or .parquet file name",
            path.display()
        )
    })?;
    atomically(path, |file| match format {
        ExportFormat::Parquet => {
            let props = WriterProperties::builder().set_compression(Compression::ZSTD(ZstdLevel::default())).build();
            let mut writer = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(|e| e.to_string())?;
            for batch in batches {
                writer.write(batch).map_err(|e| e.to_string())?;
            }
            writer.close().map(|_| ()).map_err(|e| e.to_string())
        }
        ExportFormat::Text(format) => {
            let mut out = BufWriter::new(file);
            write_results(&mut out, schema, batches, format, None).map_err(|e| e.to_string())?;
            out.flush().map_err(|e| e.to_string())
        }
    })
    .map_err(|e| format!("export to {} failed: {e}", path.display()))?;
    Ok(row_count(batches))
}

/// Writes `bytes` to `path` atomically (temporary file beside it, then rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    atomically(path, |mut file| file.write_all(bytes).map_err(|e| e.to_string()))
}

/// Runs `write` on a temporary file in `path`'s folder, syncs it and renames it
/// over `path`; on any failure the temporary file is removed and `path` is
/// left as it was.
fn atomically(path: &Path, write: impl FnOnce(&File) -> Result<(), String>) -> Result<(), String> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let temp = tempfile::Builder::new()
        .prefix(".docsql-")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    write(temp.as_file())?;
    temp.as_file().sync_all().map_err(|e| e.to_string())?;
    temp.persist(path).map_err(|e| format!("cannot move into {}: {}", path.display(), e.error))?;
    Ok(())
}

/// Writes to stdout, treating a closed pipe (`docsql ... | head`) as success.
pub fn print_to_stdout(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    format: OutputFormat,
    maxrows: Option<usize>,
) -> Result<(), ArrowError> {
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    match write_results(&mut lock, schema, batches, format, maxrows) {
        Err(ArrowError::IoError(_, e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other.and_then(|()| lock.flush().map_err(ArrowError::from)),
    }
}
