//! Registers the tables with DataFusion.

use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::MemTable;
use datafusion::error::Result;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};
use rayon::prelude::*;

use crate::corpus::Document;
use crate::extract::{Analysis, Extractors, analyze};
use crate::tables::{self, TABLES, TableBatches};

/// Analyses every document in parallel (order preserved).
pub fn analyze_all(documents: &[Document], extractors: &Extractors) -> Vec<Analysis> {
    documents.par_iter().map(|doc| analyze(&doc.body, extractors)).collect()
}

/// The number of partitions the tables are split into: one per core, so that
/// DataFusion scans and aggregates on all of them.
pub fn default_partitions() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// A session configured for docsql: `information_schema` on (for `SHOW TABLES`
/// and `DESCRIBE`), one target partition per core, docsql's SQL functions
/// ([`crate::functions`]) and files named in queries read as tables
/// (`SELECT * FROM 'headlines.csv'`).
pub fn new_context(partitions: usize) -> SessionContext {
    context_with_memory_limit(None, partitions)
}

/// Like [`new_context`], optionally capping the memory queries may use at
/// `bytes`.
///
/// With a cap, memory is shared fairly between the operators that can spill
/// (sorts, hash aggregates, joins) and what does not fit goes to temporary files
/// in a folder the OS picks (deleted when the session ends), so a big `GROUP BY`
/// over a store slows down instead of failing or taking the machine's memory.
/// Without one, DataFusion's defaults apply (no limit).
pub fn context_with_memory_limit(bytes: Option<usize>, partitions: usize) -> SessionContext {
    let config = SessionConfig::new().with_information_schema(true).with_target_partitions(partitions.max(1));
    let Some(bytes) = bytes else {
        return with_docsql_functions(SessionContext::new_with_config(config));
    };
    let runtime = RuntimeEnvBuilder::new()
        .with_memory_pool(Arc::new(FairSpillPool::new(bytes)))
        .with_disk_manager_builder(DiskManagerBuilder::default().with_mode(DiskManagerMode::OsTmpDirectory))
        .build_arc();
    match runtime {
        Ok(runtime) => with_docsql_functions(SessionContext::new_with_config_rt(config, runtime)),
        // Building only fails when the temporary folder cannot be created; a
        // session without spilling still answers queries within the cap or
        // reports "resources exhausted", which beats not starting at all.
        Err(_) => {
            let runtime = RuntimeEnvBuilder::new()
                .with_memory_pool(Arc::new(FairSpillPool::new(bytes)))
                .with_disk_manager_builder(DiskManagerBuilder::default().with_mode(DiskManagerMode::Disabled))
                .build_arc()
                .expect("a runtime without a disk manager always builds");
            with_docsql_functions(SessionContext::new_with_config_rt(config, runtime))
        }
    }
}

/// `ctx` with docsql's functions registered and URL tables on.
fn with_docsql_functions(ctx: SessionContext) -> SessionContext {
    crate::functions::register(&ctx);
    ctx.enable_url_table()
}

/// A `--memory-limit` value that is not a memory size.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid memory size {text:?} (expected e.g. 512M or 2G)")]
pub struct InvalidMemorySize {
    /// The value given, trimmed.
    pub text: String,
}

/// Parses a memory size such as `2G`, `512M`, `1.5GB`, `64k` or `1000000`
/// (binary units: `1K` = 1024 bytes), for `--memory-limit`.
pub fn parse_memory_size(text: &str) -> std::result::Result<usize, InvalidMemorySize> {
    let trimmed = text.trim();
    let invalid = || InvalidMemorySize { text: trimmed.to_string() };
    let lower = trimmed.to_ascii_lowercase();
    let lower = lower.strip_suffix("ib").or_else(|| lower.strip_suffix('b')).unwrap_or(&lower);
    let (number, unit) = match lower.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((at, _)) => lower.split_at(at),
        None => (lower, ""),
    };
    let scale: f64 = match unit.trim() {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0 * 1024.0,
        "g" => 1024.0 * 1024.0 * 1024.0,
        "t" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => return Err(invalid()),
    };
    match number.trim().parse::<f64>() {
        Ok(n) if n.is_finite() && n > 0.0 && n * scale < usize::MAX as f64 => Ok((n * scale) as usize),
        _ => Err(invalid()),
    }
}

/// Builds the tables of [`TABLES`] from analysed documents and registers them in `ctx`,
/// each split into `partitions` in-memory partitions.
pub fn register_tables(
    ctx: &SessionContext,
    documents: &[Document],
    analyses: &[Analysis],
    partitions: usize,
) -> Result<()> {
    let chunk = documents.len().div_ceil(partitions.max(1)).max(1);
    let mut parts: Vec<TableBatches> = documents
        .par_chunks(chunk)
        .zip(analyses.par_chunks(chunk))
        .map(|(docs, analyses)| tables::build_batches(docs, analyses))
        .collect();
    if parts.is_empty() {
        // No documents: a MemTable still needs one (empty) partition.
        parts.push(tables::build_batches(&[], &[]));
    }
    for (index, table) in TABLES.iter().enumerate() {
        let partitions: Vec<Vec<RecordBatch>> = parts.iter().map(|p| vec![p.get(index).clone()]).collect();
        let provider = MemTable::try_new(table.schema(), partitions)?;
        ctx.register_table(table.name, Arc::new(provider))?;
    }
    Ok(())
}
