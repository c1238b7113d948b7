//! Running SQL statements: one at a time for the REPL, or whole scripts
//! (`-c`/`-f`) that stop at the first failure. Results go to a writer the
//! caller gives; failures come back as [`ScriptError`]s for the caller to print.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::error::ArrowError;
use datafusion::error::{DataFusionError, Result};
use datafusion::prelude::SessionContext;

use crate::output::{self, ExportError, OutputFormat};
use crate::script::{self, Statement};

/// A statement's result set.
pub struct QueryResult {
    /// Column names and types (also for zero rows).
    pub schema: SchemaRef,
    /// The rows.
    pub batches: Vec<RecordBatch>,
    /// Wall time to plan and run the statement.
    pub elapsed: Duration,
}

impl QueryResult {
    /// Number of rows.
    pub fn rows(&self) -> usize {
        output::row_count(&self.batches)
    }
}

/// Plans and runs one statement, collecting its rows.
///
/// On a cluster session, `COPY ... TO 'file'` runs its query on the cluster
/// and writes the file here with docsql's writers (see [`copy_here`]).
pub async fn execute(ctx: &SessionContext, sql: &str) -> Result<QueryResult> {
    let started = Instant::now();
    #[cfg(feature = "cluster")]
    if crate::cluster::is_cluster(ctx)
        && let Some(copy) = copy_statement(sql)?
    {
        return copy_here(ctx, copy, started).await;
    }
    let frame = ctx.sql(sql).await.map_err(name_missing_file)?;
    let schema = frame.schema().inner().clone();
    let batches = frame.collect().await?;
    Ok(QueryResult { schema, batches, elapsed: started.elapsed() })
}

/// DataFusion reports a file named in a query that does not exist as a
/// missing table of its default schema (`table 'datafusion.public.x.csv' not
/// found`): say it is the file that is missing, and where it was looked for.
fn name_missing_file(err: DataFusionError) -> DataFusionError {
    let message = err.to_string();
    let Some(name) = message
        .split_once("table '")
        .and_then(|(_, rest)| rest.split_once("' not found"))
        .map(|(name, _)| name.strip_prefix("datafusion.public.").unwrap_or(name))
    else {
        return err;
    };
    let path = Path::new(name);
    let looks_like_file =
        name.contains('/') || output::ExportFormat::from_path(path).is_some() || name.ends_with(".avro");
    if !looks_like_file || path.exists() {
        return err;
    }
    let folder = std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default();
    DataFusionError::Plan(format!("no table or file named '{name}' (files are looked for from {folder})"))
}

/// The statement of `sql` when it is one `COPY ... TO`.
#[cfg(feature = "cluster")]
fn copy_statement(sql: &str) -> Result<Option<datafusion::sql::parser::CopyToStatement>> {
    use datafusion::sql::parser::{DFParser, Statement};
    let mut statements = DFParser::parse_sql(sql)?;
    match (statements.pop_front(), statements.is_empty()) {
        (Some(Statement::CopyTo(copy)), true) => Ok(Some(copy)),
        _ => Ok(None),
    }
}

/// Runs the query of a `COPY ... TO 'file'` and writes its rows to the file
/// on this machine, atomically, as `-o` does: on a cluster, Ballista would
/// write on an executor's disk, quote every CSV field and repeat a `LIMIT`
/// per partition. The result is DataFusion's: one `count` row.
#[cfg(feature = "cluster")]
async fn copy_here(
    ctx: &SessionContext,
    copy: datafusion::sql::parser::CopyToStatement,
    started: Instant,
) -> Result<QueryResult> {
    use datafusion::arrow::array::UInt64Array;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::sql::parser::CopyToSource;
    use output::ExportFormat;

    let unsupported = |what: &str| {
        DataFusionError::Plan(format!(
            "COPY on a cluster writes one file here with docsql's writers and takes no {what}; \
             give a file name ending in {}",
            ExportFormat::extensions_in_words()
        ))
    };
    if !copy.partitioned_by.is_empty() {
        return Err(unsupported("PARTITIONED BY"));
    }
    if !copy.options.is_empty() {
        return Err(unsupported("OPTIONS"));
    }
    let path = PathBuf::from(&copy.target);
    let format = match copy.stored_as.as_deref().map(str::to_ascii_lowercase) {
        None => ExportFormat::from_path(&path).ok_or_else(|| unsupported("target without a known extension"))?,
        Some(name) => match name.as_str() {
            "csv" => ExportFormat::Text(OutputFormat::Csv),
            "json" => ExportFormat::Text(OutputFormat::Ndjson),
            "parquet" => ExportFormat::Parquet,
            _ => return Err(unsupported(&format!("STORED AS {name}"))),
        },
    };
    let query = match &copy.source {
        CopyToSource::Relation(table) => format!("SELECT * FROM {table}"),
        CopyToSource::Query(query) => query.to_string(),
    };
    let frame = ctx.sql(&query).await?;
    let schema = frame.schema().inner().clone();
    let batches = frame.collect().await?;
    let rows =
        output::export_as(&path, format, &schema, &batches).map_err(|err| DataFusionError::External(err.into()))?;
    let count_schema = std::sync::Arc::new(Schema::new(vec![Field::new("count", DataType::UInt64, false)]));
    let count =
        RecordBatch::try_new(count_schema.clone(), vec![std::sync::Arc::new(UInt64Array::from(vec![rows as u64]))])?;
    Ok(QueryResult { schema: count_schema, batches: vec![count], elapsed: started.elapsed() })
}

/// Where a statement of a script came from, for error messages.
#[derive(Debug, Clone)]
pub enum Origin {
    /// The n-th `-c` argument (1-based).
    Command(usize),
    /// A `-f` file.
    File(PathBuf),
}

/// A statement to run, with its origin.
#[derive(Debug, Clone)]
pub struct ScriptStatement {
    /// The statement.
    pub statement: Statement,
    /// Where it came from.
    pub origin: Origin,
}

impl ScriptStatement {
    /// "file queries/x.sql, line 3" or "command 2, line 1".
    pub fn location(&self) -> String {
        match &self.origin {
            Origin::Command(n) => format!("-c #{n}, line {}", self.statement.line),
            Origin::File(path) => format!("{}:{}", path.display(), self.statement.line),
        }
    }
}

/// The statements of a `-c` argument or `-f` file (the last may omit its `;`).
pub fn statements_of(text: &str, origin: Origin) -> Vec<ScriptStatement> {
    let (mut statements, rest) = script::split(text);
    statements.extend(rest);
    statements.into_iter().map(|statement| ScriptStatement { statement, origin: origin.clone() }).collect()
}

/// How a script's results are written.
pub struct ScriptOutput<'a> {
    /// Format for the results.
    pub format: OutputFormat,
    /// Row limit for the human formats.
    pub maxrows: Option<usize>,
    /// When set, the last statement's result is exported here instead of written.
    pub export_to: Option<&'a Path>,
}

/// Why a script stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScriptError {
    /// A statement failed to plan or run. The message reads on from "error "
    /// (`error at -c #2, line 1: ...`), and shows the statement's first line.
    #[error("at {location}: {source}\n  in: {}", first_line(sql))]
    Statement {
        /// Where the statement is: see [`ScriptStatement::location`].
        location: String,
        /// The statement.
        sql: String,
        /// DataFusion's error.
        #[source]
        source: DataFusionError,
    },
    /// The last result could not be exported.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// A result could not be written to the output.
    #[error("cannot print results: {0}")]
    Print(#[source] ArrowError),
}

/// Runs statements in order, writing each result to `results` (the last one is
/// exported instead when [`ScriptOutput::export_to`] is set), and stops at the
/// first failure. Returns the number of rows exported, when there was an export.
pub async fn run_script(
    ctx: &SessionContext,
    statements: &[ScriptStatement],
    out: &ScriptOutput<'_>,
    results: &mut dyn Write,
) -> Result<Option<usize>, ScriptError> {
    let mut exported = None;
    for (index, item) in statements.iter().enumerate() {
        let is_last = index + 1 == statements.len();
        let result = execute(ctx, &item.statement.sql).await.map_err(|source| ScriptError::Statement {
            location: item.location(),
            sql: item.statement.sql.clone(),
            source,
        })?;
        match (is_last, out.export_to) {
            (true, Some(path)) => exported = Some(output::export(path, &result.schema, &result.batches)?),
            _ => output::print_results(results, &result.schema, &result.batches, out.format, out.maxrows)
                .map_err(ScriptError::Print)?,
        }
    }
    Ok(exported)
}

/// The first line of a statement, shortened for an error message.
fn first_line(sql: &str) -> String {
    let line = sql.lines().next().unwrap_or_default();
    if line.chars().count() > 80 {
        format!("{}…", line.chars().take(80).collect::<String>())
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv() -> ScriptOutput<'static> {
        ScriptOutput { format: OutputFormat::Csv, maxrows: None, export_to: None }
    }

    #[tokio::test]
    async fn a_script_writes_each_result_and_stops_at_the_first_failure() {
        let ctx = SessionContext::new();
        let mut statements = statements_of("SELECT 1 AS a; SELECT 2 AS b", Origin::Command(1));
        statements.extend(statements_of("-- bad\nSELEC 3\nFROM t;\nSELECT 4", Origin::File("s.sql".into())));
        let mut out = Vec::new();
        let err = run_script(&ctx, &statements, &csv(), &mut out).await.unwrap_err();
        assert_eq!(String::from_utf8(out).unwrap(), "a\n1\nb\n2\n");
        let message = err.to_string();
        assert!(matches!(err, ScriptError::Statement { ref location, .. } if location == "s.sql:2"), "{err:?}");
        assert!(message.starts_with("at s.sql:2: "), "{message}");
        assert!(message.ends_with("\n  in: SELEC 3"), "{message}");

        let mut out = Vec::new();
        let done = run_script(&ctx, &statements[..2], &csv(), &mut out).await.unwrap();
        assert_eq!(done, None, "no export asked for");
        assert_eq!(statements[1].location(), "-c #1, line 1");
    }

    #[tokio::test]
    async fn a_missing_file_is_named_as_a_file() {
        let ctx = SessionContext::new().enable_url_table();
        let Err(err) = execute(&ctx, "SELECT * FROM 'no/such/headlines.csv'").await else { panic!("no error") };
        let message = err.to_string();
        assert!(
            message.contains("no table or file named 'no/such/headlines.csv' (files are looked for from /"),
            "{message}"
        );
        let Err(err) = execute(&ctx, "SELECT * FROM nope").await else { panic!("no error") };
        assert!(err.to_string().contains("table 'datafusion.public.nope' not found"), "{err}");
    }

    #[tokio::test]
    async fn the_last_result_is_exported() {
        let ctx = SessionContext::new();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("last.csv");
        let statements =
            statements_of("SELECT 1 AS a; SELECT 2 AS b UNION ALL SELECT 3 ORDER BY b", Origin::Command(1));
        let out = ScriptOutput { export_to: Some(&path), ..csv() };
        let mut printed = Vec::new();
        assert_eq!(run_script(&ctx, &statements, &out, &mut printed).await.unwrap(), Some(2));
        assert_eq!(String::from_utf8(printed).unwrap(), "a\n1\n");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "b\n2\n3\n");

        let bad = dir.path().join("last.xlsx");
        let out = ScriptOutput { export_to: Some(&bad), ..csv() };
        let err = run_script(&ctx, &statements, &out, &mut Vec::new()).await.unwrap_err();
        assert!(matches!(err, ScriptError::Export(ExportError::UnknownFormat { .. })), "{err:?}");
    }
}
