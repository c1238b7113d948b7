//! Registers the tables with DataFusion.

use std::sync::Arc;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::MemTable;
use datafusion::error::Result;
use datafusion::prelude::{SessionConfig, SessionContext};
use rayon::prelude::*;

use crate::corpus::Document;
use crate::extract::{Analysis, Extractors, analyze};
use crate::tables::{self, TableBatches};

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
/// and `DESCRIBE`) and one target partition per core.
pub fn new_context(partitions: usize) -> SessionContext {
    let config = SessionConfig::new().with_information_schema(true).with_target_partitions(partitions.max(1));
    SessionContext::new_with_config(config)
}

/// Builds the four tables from analysed documents and registers them in `ctx`,
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
    let register = |name: &str, schema, pick: fn(&TableBatches) -> &RecordBatch| -> Result<()> {
        let partitions: Vec<Vec<RecordBatch>> = parts.iter().map(|p| vec![pick(p).clone()]).collect();
        let table = MemTable::try_new(schema, partitions)?;
        ctx.register_table(name, Arc::new(table))?;
        Ok(())
    };
    register("articles", tables::articles::schema(), |p| &p.articles)?;
    register("paragraphs", tables::paragraphs::schema(), |p| &p.paragraphs)?;
    register("entities", tables::entities::schema(), |p| &p.entities)?;
    register("figures", tables::figures::schema(), |p| &p.figures)?;
    Ok(())
}
