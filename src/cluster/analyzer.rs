//! A store build whose documents are analysed on a cluster's executors.
//!
//! Each window of documents is written to small Parquet files in the store's
//! staging folder (which the executors must be able to read: the store is on a
//! file system they share), and `SELECT seq, docsql_analyze(body)` over them
//! runs as one task per file. The analyses come back as JSON, exact to the bit
//! (see [`crate::extract::exact_float`]), and the build makes and writes the
//! rows as a local one does, so the store holds the same rows.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Int64Type, Schema};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::prelude::{ParquetReadOptions, SessionContext};

use super::{ClusterAddress, ClusterError};
use crate::corpus::Document;
use crate::extract::Analysis;
use crate::functions::{ANALYZE_FUNCTION, analysis_from_json};
use crate::store::{Analyzer, StoreError};

/// Fewest documents per staged file (one task each): fewer would spend more
/// on scheduling a task than on extracting it.
const MIN_DOCS_PER_FILE: usize = 64;
/// Most files (tasks) per window.
const MAX_FILES: usize = 64;

/// Analyses documents on the cluster whose scheduler is at an address.
pub struct ClusterAnalyzer {
    address: ClusterAddress,
    ctx: SessionContext,
    runtime: tokio::runtime::Runtime,
}

impl std::fmt::Debug for ClusterAnalyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClusterAnalyzer").field("address", &self.address).finish_non_exhaustive()
    }
}

impl ClusterAnalyzer {
    /// Connects to the scheduler at `address` (failing within seconds when it
    /// cannot be reached).
    pub fn connect(address: &ClusterAddress) -> Result<ClusterAnalyzer, ClusterError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|source| ClusterError::Bind { address: "a tokio runtime".into(), source })?;
        let ctx = {
            let _entered = runtime.enter();
            super::connect(address, MAX_FILES)?
        };
        Ok(ClusterAnalyzer { address: address.clone(), ctx, runtime })
    }

    /// Runs the analysis of `docs` staged in `staging` (an existing folder).
    fn analyze_staged(&self, docs: &[Document], staging: &Path) -> Result<Vec<Analysis>, StoreError> {
        let staging = fs::canonicalize(staging).map_err(StoreError::io("open", staging))?;
        let files = docs.len().div_ceil(MIN_DOCS_PER_FILE).clamp(1, MAX_FILES);
        let per_file = docs.len().div_ceil(files).max(1);
        let schema = Arc::new(Schema::new(vec![
            Field::new("seq", DataType::Int64, false),
            Field::new("body", DataType::Utf8, false),
        ]));
        for (n, chunk) in docs.chunks(per_file).enumerate() {
            let first = (n * per_file) as i64;
            let seq: ArrayRef = Arc::new(Int64Array::from_iter_values(first..first + chunk.len() as i64));
            let body: ArrayRef = Arc::new(StringArray::from_iter_values(chunk.iter().map(|d| d.body.as_str())));
            let batch = RecordBatch::try_new(schema.clone(), vec![seq, body])
                .map_err(|source| StoreError::Arrow { path: staging.clone(), source })?;
            let path = staging.join(format!("docs-{n:05}.parquet"));
            let file = fs::File::create(&path).map_err(StoreError::io("create", &path))?;
            let mut writer =
                ArrowWriter::try_new(file, schema.clone(), None).map_err(StoreError::parquet("write", &path))?;
            writer.write(&batch).map_err(StoreError::parquet("write", &path))?;
            writer.close().map_err(StoreError::parquet("write", &path))?;
        }
        let remote = |err: datafusion::error::DataFusionError| StoreError::Analyze {
            source: format!("on the cluster at {}: {err}", self.address.host_port()).into(),
        };
        let batches = self.runtime.block_on(async {
            let path = format!("{}/", staging.display());
            // A listing table: the executors read the files themselves.
            self.ctx.register_parquet("docsql_staging", path, ParquetReadOptions::default()).await?;
            let sql = format!("SELECT seq, {ANALYZE_FUNCTION}(body) AS analysis FROM docsql_staging");
            let result = async { self.ctx.sql(&sql).await?.collect().await }.await;
            self.ctx.deregister_table("docsql_staging")?;
            result
        });
        let batches = batches.map_err(remote)?;
        let mut analyses: Vec<Option<Analysis>> = vec![None; docs.len()];
        for batch in &batches {
            let seqs = batch.column(0).as_primitive::<Int64Type>();
            let jsons = batch.column(1).as_string::<i32>();
            for row in 0..batch.num_rows() {
                let slot = usize::try_from(seqs.value(row)).ok().and_then(|seq| analyses.get_mut(seq));
                let (Some(slot), false) = (slot, jsons.is_null(row)) else {
                    return Err(StoreError::Analyze { source: format!("bad row {row} from the cluster").into() });
                };
                let analysis = analysis_from_json(jsons.value(row))
                    .map_err(|err| StoreError::Analyze { source: Box::new(err) })?;
                *slot = Some(analysis);
            }
        }
        let missing = analyses.iter().filter(|a| a.is_none()).count();
        if missing > 0 {
            let message = format!("the cluster returned no analysis for {missing} of {} documents", docs.len());
            return Err(StoreError::Analyze { source: message.into() });
        }
        Ok(analyses.into_iter().flatten().collect())
    }
}

impl Analyzer for ClusterAnalyzer {
    fn analyze(&self, docs: &[Document], staging: &Path) -> Result<Vec<Analysis>, StoreError> {
        if docs.is_empty() {
            return Ok(Vec::new());
        }
        let _ = fs::remove_dir_all(staging);
        fs::create_dir_all(staging).map_err(StoreError::io("create", staging))?;
        let result = self.analyze_staged(docs, staging);
        // Staged files are copies of documents: never left behind, failed or not.
        let _ = fs::remove_dir_all(staging);
        result
    }
}
