//! The dot-commands, defined once: [`COMMANDS`] holds each command's name,
//! aliases, argument, help line and parser, and `DotCommand::run` beside it
//! holds the handlers. `.help`, tab completion and parsing all read the registry,
//! so a command added there is listed, completed and parsed with nothing else
//! to keep in step (the compiler asks for its handler).

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use super::session::Repl;
use crate::output::{ExportFormat, OutputFormat};
use crate::script;
use crate::tables::TABLE_NAMES;

/// A parsed dot-command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DotCommand {
    /// `.help`
    Help,
    /// `.tables`
    Tables,
    /// `.schema [TABLE]`
    Schema(Option<String>),
    /// `.mode FORMAT`
    Mode(OutputFormat),
    /// `.timer on|off`
    Timer(bool),
    /// `.maxrows N` (0 = all)
    MaxRows(usize),
    /// `.read FILE`
    Read(PathBuf),
    /// `.output [FILE]`
    Output(Option<PathBuf>),
    /// `.once FILE` (a file name with an export extension)
    Once(PathBuf),
    /// `.quit` / `.exit` / `.q`
    Quit,
}

/// Why a dot-command line could not be parsed; the message is what the REPL
/// prints after "error: ".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// No command has this name.
    #[error("unknown command {0}; try .help")]
    Unknown(String),
    /// The command needs an argument and got none.
    #[error("{command} needs {what}")]
    Missing {
        /// The command.
        command: &'static str,
        /// What it needs, in words ("a format").
        what: &'static str,
    },
    /// The argument is not one the command takes.
    #[error("{command} takes {expected}, not {given:?}")]
    Invalid {
        /// The command.
        command: &'static str,
        /// What it takes, in words ("on or off").
        expected: &'static str,
        /// What it got.
        given: String,
    },
    /// `.mode` with a name that is no output format.
    #[error("unknown format {0:?}; one of {formats}", formats = OutputFormat::names().join(", "))]
    UnknownFormat(String),
    /// `.once` with a file name whose extension names no export format.
    #[error("{command} needs a file ending in {}", ExportFormat::extensions_in_words())]
    NotExportable {
        /// The command.
        command: &'static str,
    },
}

/// Everything about one dot-command but its handler, which is its arm in
/// `DotCommand::run` below.
pub struct CommandSpec {
    /// The name, with its dot: what `.help` lists and Tab completes.
    pub name: &'static str,
    /// Other names that run it (neither listed nor completed).
    pub aliases: &'static [&'static str],
    /// Its argument as `.help` shows it (`FORMAT`, `[TABLE]`; empty for none).
    pub args: &'static str,
    /// The `.help` line (a function so that it can list formats).
    pub help: fn() -> String,
    /// Builds the command from what follows its name.
    parse: fn(Argument<'_>) -> Result<DotCommand, CommandError>,
}

impl CommandSpec {
    /// How the command is typed, as `.help` shows it: `.schema [TABLE]`.
    pub fn usage(&self) -> String {
        if self.args.is_empty() { self.name.to_string() } else { format!("{} {}", self.name, self.args) }
    }
}

/// What follows a command's name on its line (trimmed; `None` when nothing),
/// with the command's name for messages.
#[derive(Clone, Copy)]
struct Argument<'a> {
    command: &'static str,
    text: Option<&'a str>,
}

impl<'a> Argument<'a> {
    /// The argument, or [`CommandError::Missing`] saying the command needs `what`.
    fn required(self, what: &'static str) -> Result<&'a str, CommandError> {
        self.text.ok_or(CommandError::Missing { command: self.command, what })
    }

    /// [`CommandError::Invalid`]: the command takes `expected`, not `given`.
    fn invalid(self, expected: &'static str, given: &str) -> CommandError {
        CommandError::Invalid { command: self.command, expected, given: given.to_string() }
    }
}

/// The registry of dot-commands, in the order `.help` lists them.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: ".help",
        aliases: &[],
        args: "",
        help: || "show this help".into(),
        parse: |_| Ok(DotCommand::Help),
    },
    CommandSpec {
        name: ".tables",
        aliases: &[],
        args: "",
        help: || "list the tables".into(),
        parse: |_| Ok(DotCommand::Tables),
    },
    CommandSpec {
        name: ".schema",
        aliases: &[],
        args: "[TABLE]",
        help: || "show the columns of one table or of all".into(),
        parse: |arg| Ok(DotCommand::Schema(arg.text.map(str::to_string))),
    },
    CommandSpec {
        name: ".mode",
        aliases: &[],
        args: "FORMAT",
        help: || OutputFormat::names().join("|"),
        parse: |arg| {
            let name = arg.required("a format")?;
            OutputFormat::parse(name).map(DotCommand::Mode).ok_or_else(|| CommandError::UnknownFormat(name.into()))
        },
    },
    CommandSpec {
        name: ".timer",
        aliases: &[],
        args: "on|off",
        help: || "show the time each statement takes".into(),
        parse: |arg| match arg.required("on or off")? {
            "on" => Ok(DotCommand::Timer(true)),
            "off" => Ok(DotCommand::Timer(false)),
            other => Err(arg.invalid("on or off", other)),
        },
    },
    CommandSpec {
        name: ".maxrows",
        aliases: &[],
        args: "N",
        help: || "rows shown in table and markdown mode (0 = all)".into(),
        parse: |arg| {
            let n = arg.required("a number")?;
            n.parse().map(DotCommand::MaxRows).map_err(|_| arg.invalid("a number", n))
        },
    },
    CommandSpec {
        name: ".read",
        aliases: &[],
        args: "FILE",
        help: || "run the statements in FILE".into(),
        parse: |arg| Ok(DotCommand::Read(arg.required("a file")?.into())),
    },
    CommandSpec {
        name: ".output",
        aliases: &[],
        args: "[FILE]",
        help: || "send results to FILE until `.output` alone".into(),
        parse: |arg| Ok(DotCommand::Output(arg.text.map(PathBuf::from))),
    },
    CommandSpec {
        name: ".once",
        aliases: &[],
        args: "FILE",
        help: || "send the next result to FILE (format from its extension)".into(),
        parse: |arg| {
            let path = PathBuf::from(arg.required("a file")?);
            match ExportFormat::from_path(&path) {
                Some(_) => Ok(DotCommand::Once(path)),
                None => Err(CommandError::NotExportable { command: arg.command }),
            }
        },
    },
    CommandSpec {
        name: ".quit",
        aliases: &[".exit", ".q"],
        args: "",
        help: || "leave (also Ctrl-D)".into(),
        parse: |_| Ok(DotCommand::Quit),
    },
];

/// The registered command called `name` (or with it as an alias).
pub fn find(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|command| command.name == name || command.aliases.contains(&name))
}

/// Parses a line starting with `.`: a command name, then its argument (the
/// rest of the line; a final `;` is ignored).
pub fn parse(line: &str) -> Result<DotCommand, CommandError> {
    let line = line.trim().trim_end_matches(';').trim();
    let (name, text) = match line.split_once(char::is_whitespace) {
        Some((name, arg)) => (name, Some(arg.trim()).filter(|a| !a.is_empty())),
        None => (line, None),
    };
    let command = find(name).ok_or_else(|| CommandError::Unknown(name.to_string()))?;
    (command.parse)(Argument { command: command.name, text })
}

/// What `.help` prints: a line on statements, then one line per command.
pub fn help_text() -> String {
    let mut text = format!("Statements end with ';' and may span lines. Tables: {}.\n", TABLE_NAMES.join(", "));
    for command in COMMANDS {
        text.push_str(&format!("  {:<18} {}\n", command.usage(), (command.help)()));
    }
    text
}

/// Whether the REPL goes on after a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Read the next line.
    Continue,
    /// Leave the REPL.
    Quit,
}

impl DotCommand {
    /// Runs the command in the REPL: the handler of every registered command.
    pub(super) fn run(self, repl: &mut Repl<'_>) -> Flow {
        match self {
            DotCommand::Help => print!("{}", help_text()),
            DotCommand::Tables => {
                repl.run_sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
            }
            DotCommand::Schema(table) => {
                let filter = match table {
                    Some(t) => format!("AND table_name = '{}'", t.replace('\'', "''")),
                    None => String::new(),
                };
                repl.run_sql(&format!(
                    "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns \
                     WHERE table_schema = 'public' {filter} ORDER BY table_name, ordinal_position"
                ));
            }
            DotCommand::Mode(format) => repl.settings.format = format,
            DotCommand::Timer(on) => repl.settings.timer = on,
            DotCommand::MaxRows(n) => repl.settings.maxrows = (n > 0).then_some(n),
            DotCommand::Read(path) => read(repl, &path),
            DotCommand::Output(None) => repl.settings.output = None,
            DotCommand::Output(Some(path)) => match OpenOptions::new().create(true).append(true).open(&path) {
                Ok(file) => repl.settings.output = Some((path, file)),
                Err(err) => eprintln!("error: cannot open {}: {err}", path.display()),
            },
            DotCommand::Once(path) => repl.settings.once = Some(path),
            DotCommand::Quit => return Flow::Quit,
        }
        Flow::Continue
    }
}

/// `.read FILE`: runs the file's statements, stopping at the first failure
/// with its place in the file.
fn read(repl: &mut Repl<'_>, path: &Path) {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", path.display());
            return;
        }
    };
    let (mut statements, rest) = script::split(&text);
    statements.extend(rest);
    for statement in statements {
        if !repl.run_sql(&statement.sql) {
            eprintln!("  at {}:{}", path.display(), statement.line);
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::repl::ReplHelper;

    #[test]
    fn parses_each_command() {
        assert_eq!(parse(".mode csv"), Ok(DotCommand::Mode(OutputFormat::Csv)));
        assert_eq!(parse(".schema entities;"), Ok(DotCommand::Schema(Some("entities".into()))));
        assert_eq!(parse(".schema"), Ok(DotCommand::Schema(None)));
        assert_eq!(parse(".timer off"), Ok(DotCommand::Timer(false)));
        assert_eq!(parse(".maxrows 5"), Ok(DotCommand::MaxRows(5)));
        assert_eq!(parse(".output"), Ok(DotCommand::Output(None)));
        assert_eq!(parse(".once out.csv"), Ok(DotCommand::Once("out.csv".into())));
        assert!(parse(".mode xml").unwrap_err().to_string().contains("unknown format"));
        assert!(parse(".maxrows lots").is_err());
        assert!(parse(".frobnicate").unwrap_err().to_string().contains(".help"));
    }

    #[test]
    fn parse_errors_are_exact() {
        let message = |line: &str| parse(line).unwrap_err().to_string();
        assert_eq!(message(".mode xml"), "unknown format \"xml\"; one of table, csv, tsv, json, ndjson, markdown");
        assert_eq!(message(".mode"), ".mode needs a format");
        assert_eq!(message(".timer maybe"), ".timer takes on or off, not \"maybe\"");
        assert_eq!(message(".timer"), ".timer needs on or off");
        assert_eq!(message(".maxrows lots"), ".maxrows takes a number, not \"lots\"");
        assert_eq!(message(".read ;"), ".read needs a file");
        assert_eq!(message(".once"), ".once needs a file");
        assert_eq!(
            message(".once out.xlsx"),
            ".once needs a file ending in .csv, .tsv, .json, .ndjson, .md or .parquet"
        );
        assert_eq!(message(".frobnicate now"), "unknown command .frobnicate; try .help");
        assert_eq!(parse(".exit"), Ok(DotCommand::Quit));
        assert_eq!(parse(".q now"), Ok(DotCommand::Quit));
        assert_eq!(parse("  .mode   CSV ; "), Ok(DotCommand::Mode(OutputFormat::Csv)));
        assert_eq!(parse(".once out.JSONL"), Ok(DotCommand::Once("out.JSONL".into())));
    }

    #[test]
    fn help_lists_the_registry() {
        assert_eq!(
            help_text(),
            "Statements end with ';' and may span lines. Tables: articles, paragraphs, entities, figures, quotes.
  .help              show this help
  .tables            list the tables
  .schema [TABLE]    show the columns of one table or of all
  .mode FORMAT       table|csv|tsv|json|ndjson|markdown
  .timer on|off      show the time each statement takes
  .maxrows N         rows shown in table and markdown mode (0 = all)
  .read FILE         run the statements in FILE
  .output [FILE]     send results to FILE until `.output` alone
  .once FILE         send the next result to FILE (format from its extension)
  .quit              leave (also Ctrl-D)
"
        );
    }

    /// A valid argument for each registered command (`None`: it takes none).
    /// A new command needs a line here, and a variant in `variant` below.
    fn example_argument(name: &str) -> Option<&'static str> {
        match name {
            ".help" | ".tables" | ".quit" => None,
            ".schema" => Some("entities"),
            ".mode" => Some("csv"),
            ".timer" => Some("off"),
            ".maxrows" => Some("5"),
            ".read" | ".output" => Some("queries.sql"),
            ".once" => Some("out.parquet"),
            other => panic!("add an example argument for {other} to this test"),
        }
    }

    /// The variant's name; the match makes the compiler list every variant.
    fn variant(command: &DotCommand) -> &'static str {
        match command {
            DotCommand::Help => "Help",
            DotCommand::Tables => "Tables",
            DotCommand::Schema(_) => "Schema",
            DotCommand::Mode(_) => "Mode",
            DotCommand::Timer(_) => "Timer",
            DotCommand::MaxRows(_) => "MaxRows",
            DotCommand::Read(_) => "Read",
            DotCommand::Output(_) => "Output",
            DotCommand::Once(_) => "Once",
            DotCommand::Quit => "Quit",
        }
    }

    #[test]
    fn every_registered_command_parses_has_help_and_is_completed() {
        let helper = ReplHelper::new(Vec::new());
        let help = help_text();
        let mut variants = Vec::new();
        for command in COMMANDS {
            let line = match example_argument(command.name) {
                Some(arg) => format!("{} {arg}", command.name),
                None => command.name.to_string(),
            };
            let parsed = parse(&line).unwrap_or_else(|err| panic!("{line}: {err}"));
            for alias in command.aliases {
                assert_eq!(parse(&line.replacen(command.name, alias, 1)).as_ref(), Ok(&parsed), "{alias}");
            }
            variants.push(variant(&parsed));

            let line_of_help = format!("  {:<18} {}\n", command.usage(), (command.help)());
            assert!(!(command.help)().is_empty() && help.contains(&line_of_help), "{} in .help", command.name);
            assert!(helper.candidates("", command.name).contains(&command.name.to_string()), "{}", command.name);
            assert!(helper.candidates("", &command.name[..2]).contains(&command.name.to_string()), "{}", command.name);
        }
        variants.sort_unstable();
        let mut all = vec!["Help", "Tables", "Schema", "Mode", "Timer", "MaxRows", "Read", "Output", "Once", "Quit"];
        all.sort_unstable();
        assert_eq!(variants, all, "each variant is made by exactly one registered command");
        let mut names: Vec<&str> =
            COMMANDS.iter().flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied())).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count, "no name is registered twice");
    }

    #[test]
    fn the_readme_lists_every_command() {
        let readme = include_str!("../../README.md");
        for command in COMMANDS {
            let row = format!("| `{}` |", command.usage().replace('|', "\\|"));
            assert!(readme.contains(&row), "README.md lacks the row {row}");
        }
    }
}
