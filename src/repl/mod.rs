//! The interactive shell: rustyline editing and history, statements that may
//! span lines, dot-commands, results as tables with a row-count footer.
//!
//! This file is the read loop; `commands.rs` is the registry of dot-commands
//! (parsing, help, handlers), `helper.rs` the rustyline glue (completion,
//! brackets) and `session.rs` the state a line runs against. Like `main.rs`,
//! the REPL prints; the library it calls does not.

mod commands;
mod helper;
mod session;

pub use commands::{COMMANDS, CommandError, CommandSpec, DotCommand, Flow, help_text, parse as parse_dot_command};
pub use helper::ReplHelper;
pub use session::Settings;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use datafusion::prelude::SessionContext;
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{CompletionType, Config, Editor};
use tokio::runtime::Runtime;

use crate::script;
use session::Repl;

/// The prompt for a new statement.
pub const PROMPT: &str = "docsql> ";
/// The prompt for the following lines of a statement.
pub const CONTINUATION: &str = "   ...> ";

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
    editor.set_helper(Some(ReplHelper::new(repl.completion_names()).with_functions(repl.function_names())));
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
                    if dot_command(&mut repl, &line) == Flow::Quit {
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

/// Runs a dot-command line (errors are printed). Returns whether to go on.
fn dot_command(repl: &mut Repl<'_>, line: &str) -> Flow {
    let flow = match commands::parse(line) {
        Ok(command) => command.run(repl),
        Err(err) => {
            eprintln!("error: {err}");
            Flow::Continue
        }
    };
    let _ = io::stdout().flush();
    flow
}
