//! The REPL's state between lines: the session, the settings dot-commands
//! change, and how one statement is run and its result shown.

use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;

use datafusion::execution::FunctionRegistry;
use datafusion::prelude::SessionContext;
use tokio::runtime::Runtime;

use crate::exec::{self, QueryResult};
use crate::output::{self, OutputFormat, WriteError};
use crate::tables::TABLE_NAMES;

/// REPL settings changed by dot-commands.
pub struct Settings {
    /// How results are printed.
    pub format: OutputFormat,
    /// Show the time in the footer.
    pub timer: bool,
    /// Rows shown in table/markdown mode (`None` = all).
    pub maxrows: Option<usize>,
    /// `.output FILE`: results are appended here until `.output` alone.
    pub(super) output: Option<(PathBuf, File)>,
    /// `.once FILE`: the next result goes here.
    pub(super) once: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self { format: OutputFormat::Table, timer: true, maxrows: Some(40), output: None, once: None }
    }
}

/// A running REPL: the session it queries and its settings.
pub(super) struct Repl<'a> {
    pub(super) ctx: &'a SessionContext,
    pub(super) runtime: &'a Runtime,
    pub(super) settings: Settings,
}

impl Repl<'_> {
    /// Table and column names for completion.
    pub(super) fn completion_names(&self) -> Vec<String> {
        let mut names: Vec<String> = TABLE_NAMES.iter().map(|t| t.to_string()).collect();
        for table in TABLE_NAMES {
            if let Ok(provider) = self.runtime.block_on(self.ctx.table_provider(table)) {
                names.extend(provider.schema().fields().iter().map(|f| f.name().clone()));
            }
        }
        names
    }

    /// The names of the session's scalar, aggregate and window functions, for
    /// completion beside the SQL keywords.
    pub(super) fn function_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.ctx.udfs().into_iter().collect();
        names.extend(self.ctx.udafs());
        names.extend(self.ctx.udwfs());
        names
    }

    /// Runs one statement; Ctrl-C cancels it. Returns false when it failed.
    pub(super) fn run_sql(&mut self, sql: &str) -> bool {
        let outcome = self.runtime.block_on(async {
            tokio::select! {
                result = exec::execute(self.ctx, sql) => Some(result),
                _ = tokio::signal::ctrl_c() => None,
            }
        });
        match outcome {
            None => {
                eprintln!("cancelled");
                false
            }
            Some(Err(err)) => {
                eprintln!("error: {err}");
                false
            }
            Some(Ok(result)) => {
                self.show(&result);
                true
            }
        }
    }

    fn show(&mut self, result: &QueryResult) {
        if let Some(path) = self.settings.once.take() {
            match output::export(&path, &result.schema, &result.batches) {
                Ok(rows) => println!("wrote {rows} rows to {}", path.display()),
                Err(err) => eprintln!("error: {err}"),
            }
            return;
        }
        let format = self.settings.format;
        let maxrows = self.settings.maxrows;
        let footer = self.footer(result);
        let written = match &mut self.settings.output {
            Some((path, file)) => {
                let res = output::write_results(file, &result.schema, &result.batches, format, None)
                    .map_err(WriteError::from)
                    .and_then(|()| file.flush().map_err(WriteError::from));
                if res.is_ok() {
                    println!("{} → {}", footer, path.display());
                }
                res
            }
            None => {
                let mut stdout = io::stdout().lock();
                let res = output::print_results(&mut stdout, &result.schema, &result.batches, format, maxrows)
                    .map_err(WriteError::from);
                println!("{footer}");
                res
            }
        };
        if let Err(err) = written {
            eprintln!("error: cannot write results: {err}");
        }
    }

    fn footer(&self, result: &QueryResult) -> String {
        let rows = result.rows();
        let noun = if rows == 1 { "row" } else { "rows" };
        let mut footer = if self.settings.timer {
            format!("{rows} {noun} ({:.3} s)", result.elapsed.as_secs_f64())
        } else {
            format!("{rows} {noun}")
        };
        if let Some(limit) = self.settings.maxrows
            && rows > limit
            && matches!(self.settings.format, OutputFormat::Table | OutputFormat::Markdown)
            && self.settings.output.is_none()
        {
            footer.push_str(&format!(", first {limit} shown (.maxrows 0 shows all)"));
        }
        footer
    }
}
