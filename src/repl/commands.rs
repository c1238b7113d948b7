//! Dot-commands: parsed from a line, run against the REPL's settings.

use std::path::PathBuf;

use crate::output::OutputFormat;

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
    /// `.once FILE`
    Once(PathBuf),
    /// `.quit` / `.exit`
    Quit,
}

/// Parses a line starting with `.`; the error is the message to print.
pub fn parse(line: &str) -> Result<DotCommand, String> {
    let line = line.trim().trim_end_matches(';').trim();
    let (name, arg) = match line.split_once(char::is_whitespace) {
        Some((name, arg)) => (name, Some(arg.trim()).filter(|a| !a.is_empty())),
        None => (line, None),
    };
    let need = |what: &str| arg.map(str::to_string).ok_or_else(|| format!("{name} needs {what}"));
    Ok(match name {
        ".help" => DotCommand::Help,
        ".tables" => DotCommand::Tables,
        ".schema" => DotCommand::Schema(arg.map(str::to_string)),
        ".mode" => {
            let format = need("a format")?;
            DotCommand::Mode(
                OutputFormat::parse(&format)
                    .ok_or_else(|| format!("unknown format {format:?}; one of {}", OutputFormat::names().join(", ")))?,
            )
        }
        ".timer" => match need("on or off")?.as_str() {
            "on" => DotCommand::Timer(true),
            "off" => DotCommand::Timer(false),
            other => return Err(format!(".timer takes on or off, not {other:?}")),
        },
        ".maxrows" => {
            let n = need("a number")?;
            DotCommand::MaxRows(n.parse().map_err(|_| format!(".maxrows takes a number, not {n:?}"))?)
        }
        ".read" => DotCommand::Read(need("a file")?.into()),
        ".output" => DotCommand::Output(arg.map(PathBuf::from)),
        ".once" => DotCommand::Once(need("a file")?.into()),
        ".quit" | ".exit" | ".q" => DotCommand::Quit,
        _ => return Err(format!("unknown command {name}; try .help")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_command() {
        assert_eq!(parse(".mode csv"), Ok(DotCommand::Mode(OutputFormat::Csv)));
        assert_eq!(parse(".schema entities;"), Ok(DotCommand::Schema(Some("entities".into()))));
        assert_eq!(parse(".schema"), Ok(DotCommand::Schema(None)));
        assert_eq!(parse(".timer off"), Ok(DotCommand::Timer(false)));
        assert_eq!(parse(".maxrows 5"), Ok(DotCommand::MaxRows(5)));
        assert_eq!(parse(".output"), Ok(DotCommand::Output(None)));
        assert_eq!(parse(".once out.csv"), Ok(DotCommand::Once("out.csv".into())));
        assert!(parse(".mode xml").unwrap_err().contains("unknown format"));
        assert!(parse(".maxrows lots").is_err());
        assert!(parse(".frobnicate").unwrap_err().contains(".help"));
    }
}
