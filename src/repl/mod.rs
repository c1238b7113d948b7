//! The interactive shell: rustyline editing and history, statements that may
//! span lines, dot-commands, results as tables with a row-count footer.

mod commands;
mod helper;

pub use commands::{DotCommand, parse as parse_dot_command};
pub use helper::{DOT_COMMANDS, ReplHelper};

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use datafusion::prelude::SessionContext;
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Config, Editor};
use tokio::runtime::Runtime;

use crate::exec::{self, QueryResult};
use crate::output::{self, OutputFormat};
use crate::script;
use crate::tables::TABLE_NAMES;

/// The prompt for a new statement.
pub const PROMPT: &str = "docsql> ";
/// The prompt for the following lines of a statement.
pub const CONTINUATION: &str = "   ...> ";

/// REPL settings changed by dot-commands.
pub struct Settings {
    /// How results are printed.
    pub format: OutputFormat,
    /// Show the time in the footer.
    pub timer: bool,
    /// Rows shown in table/markdown mode (`None` = all).
    pub maxrows: Option<usize>,
    /// `.output FILE`: results are appended here until `.output` alone.
    output: Option<(PathBuf, File)>,
    /// `.once FILE`: the next result goes here.
    once: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self { format: OutputFormat::Table, timer: true, maxrows: Some(40), output: None, once: None }
    }
}

/// The history file: `$DOCSQL_HISTORY`, else `~/.docsql_history`.
pub fn history_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DOCSQL_HISTORY") {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("HOME").map(|home| Path::new(&home).join(".docsql_history"))
}

/// Runs the REPL until `.quit` or Ctrl-D.
pub fn run(ctx: &SessionContext, runtime: &Runtime, settings: Settings) -> rustyline::Result<()> {
    let mut repl = Repl { ctx, runtime, settings };
    let config = Config::builder().auto_add_history(false).completion_type(CompletionType::List).build();
    let mut editor: Editor<ReplHelper, FileHistory> = Editor::with_config(config)?;
    editor.set_helper(Some(ReplHelper::new(repl.completion_names())));
    let history = history_path();
    if let Some(path) = &history {
        // A missing history file is normal on first use.
        let _ = editor.load_history(path);
    }
    println!("docsql {} — type SQL ending with ';', or .help", env!("CARGO_PKG_VERSION"));
    let mut buffer = String::new();
    loop {
        let prompt = if buffer.is_empty() { PROMPT } else { CONTINUATION };
        match editor.readline(prompt) {
            Ok(line) => {
                if buffer.is_empty() && line.trim_start().starts_with('.') {
                    let _ = editor.add_history_entry(line.trim());
                    if !repl.dot_command(&line) {
                        break;
                    }
                    continue;
                }
                if buffer.is_empty() && line.trim().is_empty() {
                    continue;
                }
                if !buffer.is_empty() {
                    buffer.push('\n');
                }
                buffer.push_str(&line);
                if script::is_complete(&buffer) {
                    let _ = editor.add_history_entry(buffer.as_str());
                    let (statements, _) = script::split(&buffer);
                    buffer.clear();
                    for statement in statements {
                        if !repl.run_sql(&statement.sql) {
                            break;
                        }
                    }
                }
            }
            Err(ReadlineError::Interrupted) => {
                // Ctrl-C clears the statement being typed; it never leaves.
                buffer.clear();
            }
            Err(ReadlineError::Eof) => break,
            Err(err) => {
                eprintln!("error: {err}");
                break;
            }
        }
    }
    if let Some(path) = &history
        && let Err(err) = editor.save_history(path)
    {
        eprintln!("warning: cannot save history to {}: {err}", path.display());
    }
    Ok(())
}

struct Repl<'a> {
    ctx: &'a SessionContext,
    runtime: &'a Runtime,
    settings: Settings,
}

impl Repl<'_> {
    /// Table and column names for completion.
    fn completion_names(&self) -> Vec<String> {
        let mut names: Vec<String> = TABLE_NAMES.iter().map(|t| t.to_string()).collect();
        for table in TABLE_NAMES {
            if let Ok(provider) = self.runtime.block_on(self.ctx.table_provider(table)) {
                names.extend(provider.schema().fields().iter().map(|f| f.name().clone()));
            }
        }
        names
    }

    /// Runs one statement; Ctrl-C cancels it. Returns false when it failed.
    fn run_sql(&mut self, sql: &str) -> bool {
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
                Err(message) => eprintln!("error: {message}"),
            }
            return;
        }
        let format = self.settings.format;
        let maxrows = self.settings.maxrows;
        let footer = self.footer(result);
        let written = match &mut self.settings.output {
            Some((path, file)) => {
                let res = output::write_results(file, &result.schema, &result.batches, format, None)
                    .map_err(|e| e.to_string())
                    .and_then(|()| file.flush().map_err(|e| e.to_string()));
                if res.is_ok() {
                    println!("{} → {}", footer, path.display());
                }
                res
            }
            None => {
                let res =
                    output::print_results(&mut io::stdout().lock(), &result.schema, &result.batches, format, maxrows)
                        .map_err(|e| e.to_string());
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

    /// Runs a dot-command. Returns false to leave the REPL.
    fn dot_command(&mut self, line: &str) -> bool {
        let command = match commands::parse(line) {
            Ok(command) => command,
            Err(message) => {
                eprintln!("error: {message}");
                return true;
            }
        };
        match command {
            DotCommand::Help => {
                println!("Statements end with ';' and may span lines. Tables: {}.", TABLE_NAMES.join(", "));
                for (usage, what) in DOT_COMMANDS {
                    println!("  {usage:<18} {what}");
                }
            }
            DotCommand::Tables => {
                self.run_sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
            }
            DotCommand::Schema(table) => {
                let filter = match table {
                    Some(t) => format!("AND table_name = '{}'", t.replace('\'', "''")),
                    None => String::new(),
                };
                self.run_sql(&format!(
                    "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns \
                     WHERE table_schema = 'public' {filter} ORDER BY table_name, ordinal_position"
                ));
            }
            DotCommand::Mode(format) => self.settings.format = format,
            DotCommand::Timer(on) => self.settings.timer = on,
            DotCommand::MaxRows(n) => self.settings.maxrows = (n > 0).then_some(n),
            DotCommand::Read(path) => match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let (mut statements, rest) = script::split(&text);
                    statements.extend(rest);
                    for statement in statements {
                        if !self.run_sql(&statement.sql) {
                            eprintln!("  at {}:{}", path.display(), statement.line);
                            break;
                        }
                    }
                }
                Err(err) => eprintln!("error: cannot read {}: {err}", path.display()),
            },
            DotCommand::Output(None) => self.settings.output = None,
            DotCommand::Output(Some(path)) => match OpenOptions::new().create(true).append(true).open(&path) {
                Ok(file) => self.settings.output = Some((path, file)),
                Err(err) => eprintln!("error: cannot open {}: {err}", path.display()),
            },
            DotCommand::Once(path) => {
                if output::ExportFormat::from_path(&path).is_none() {
                    eprintln!("error: .once needs a file ending in .csv, .tsv, .json, .ndjson, .md or .parquet");
                } else {
                    self.settings.once = Some(path);
                }
            }
            DotCommand::Quit => return false,
        }
        let _ = io::stdout().flush();
        true
    }
}
