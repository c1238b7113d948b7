//! Running SQL statements: one at a time for the REPL, or whole scripts
//! (`-c`/`-f`) that stop at the first failure.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::error::Result;
use datafusion::prelude::SessionContext;

use crate::output::{self, OutputFormat};
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
pub async fn execute(ctx: &SessionContext, sql: &str) -> Result<QueryResult> {
    let started = Instant::now();
    let frame = ctx.sql(sql).await?;
    let schema = frame.schema().inner().clone();
    let batches = frame.collect().await?;
    Ok(QueryResult { schema, batches, elapsed: started.elapsed() })
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
    /// Format for stdout.
    pub format: OutputFormat,
    /// Row limit for the human formats.
    pub maxrows: Option<usize>,
    /// When set, the last statement's result is exported here instead of printed.
    pub export_to: Option<&'a Path>,
    /// Suppress informational messages on stderr.
    pub quiet: bool,
}

/// Runs statements in order, printing each result, and stops at the first
/// failure with a message on stderr naming the statement. Returns whether all
/// succeeded.
pub async fn run_script(ctx: &SessionContext, statements: &[ScriptStatement], out: &ScriptOutput<'_>) -> bool {
    for (index, item) in statements.iter().enumerate() {
        let is_last = index + 1 == statements.len();
        let result = match execute(ctx, &item.statement.sql).await {
            Ok(result) => result,
            Err(err) => {
                eprintln!("error at {}: {}\n  in: {}", item.location(), err, first_line(&item.statement.sql));
                return false;
            }
        };
        match (is_last, out.export_to) {
            (true, Some(path)) => match output::export(path, &result.schema, &result.batches) {
                Ok(rows) => {
                    if !out.quiet {
                        eprintln!("wrote {rows} rows to {}", path.display());
                    }
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    return false;
                }
            },
            _ => {
                if let Err(err) = output::print_to_stdout(&result.schema, &result.batches, out.format, out.maxrows) {
                    eprintln!("error: cannot print results: {err}");
                    return false;
                }
            }
        }
    }
    true
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
