//! The rustyline helper: tab completion of SQL keywords, table and column names
//! and dot-commands; bracket matching.

use std::borrow::Cow;

use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter, MatchingBracketHighlighter};
use rustyline::{Context, Helper, Hinter, Validator};

/// SQL keywords offered by completion (DataFusion's dialect, the common ones).
const KEYWORDS: &[&str] = &[
    "SELECT",
    "FROM",
    "WHERE",
    "GROUP",
    "BY",
    "ORDER",
    "HAVING",
    "LIMIT",
    "OFFSET",
    "JOIN",
    "LEFT",
    "RIGHT",
    "FULL",
    "INNER",
    "OUTER",
    "CROSS",
    "ON",
    "USING",
    "AS",
    "AND",
    "OR",
    "NOT",
    "IN",
    "IS",
    "NULL",
    "LIKE",
    "ILIKE",
    "BETWEEN",
    "DISTINCT",
    "COUNT",
    "SUM",
    "AVG",
    "MIN",
    "MAX",
    "CASE",
    "WHEN",
    "THEN",
    "ELSE",
    "END",
    "WITH",
    "UNION",
    "ALL",
    "EXCEPT",
    "INTERSECT",
    "ASC",
    "DESC",
    "NULLS",
    "FIRST",
    "LAST",
    "CREATE",
    "VIEW",
    "TABLE",
    "DROP",
    "SHOW",
    "TABLES",
    "COLUMNS",
    "DESCRIBE",
    "EXPLAIN",
    "ANALYZE",
    "COPY",
    "TO",
    "STORED",
    "OVERWRITE",
    "CAST",
    "OVER",
    "PARTITION",
    "ROW_NUMBER",
    "RANK",
    "LOWER",
    "UPPER",
    "SUBSTR",
    "LENGTH",
    "REGEXP_LIKE",
    "REGEXP_MATCH",
    "STRING_AGG",
    "ARRAY_AGG",
    "APPROX_DISTINCT",
    "ROUND",
    "COALESCE",
    "TRUE",
    "FALSE",
    "VALUES",
    "EXISTS",
    "INTERVAL",
    "DATE",
    "EXTRACT",
    "DATE_TRUNC",
];

/// The dot-commands, for completion and `.help`.
pub const DOT_COMMANDS: &[(&str, &str)] = &[
    (".help", "show this help"),
    (".tables", "list the tables"),
    (".schema [TABLE]", "show the columns of one table or of all"),
    (".mode FORMAT", "table|csv|tsv|json|ndjson|markdown"),
    (".timer on|off", "show the time each statement takes"),
    (".maxrows N", "rows shown in table and markdown mode (0 = all)"),
    (".read FILE", "run the statements in FILE"),
    (".output [FILE]", "send results to FILE until `.output` alone"),
    (".once FILE", "send the next result to FILE (format from its extension)"),
    (".quit", "leave (also Ctrl-D)"),
];

/// Completion and highlighting for the REPL.
#[derive(Helper, Hinter, Validator)]
pub struct ReplHelper {
    /// Table names and column names to complete, besides keywords.
    names: Vec<String>,
    brackets: MatchingBracketHighlighter,
}

impl ReplHelper {
    /// A helper completing the given table and column names.
    pub fn new(mut names: Vec<String>) -> Self {
        names.sort();
        names.dedup();
        Self { names, brackets: MatchingBracketHighlighter::new() }
    }

    /// Candidates for `word` (a prefix), in the case the user is typing in.
    pub fn candidates(&self, line_start: &str, word: &str) -> Vec<String> {
        if line_start.trim_start().is_empty() && word.starts_with('.') {
            return DOT_COMMANDS
                .iter()
                .map(|(usage, _)| usage.split(' ').next().unwrap_or(usage).to_string())
                .filter(|c| c.starts_with(word))
                .collect();
        }
        if word.is_empty() {
            return Vec::new();
        }
        let lower = word.to_lowercase();
        let lowercase_typing = word.chars().all(|c| !c.is_uppercase());
        let mut out: Vec<String> =
            self.names.iter().filter(|n| n.to_lowercase().starts_with(&lower)).cloned().collect();
        out.extend(
            KEYWORDS
                .iter()
                .filter(|k| k.to_lowercase().starts_with(&lower))
                .map(|k| if lowercase_typing { k.to_lowercase() } else { k.to_string() }),
        );
        out.dedup();
        out
    }
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        let start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[start..];
        // "a.body": complete the column part only.
        let (start, word) = match word.rfind('.') {
            Some(dot) if start > 0 || dot > 0 => (start + dot + 1, &word[dot + 1..]),
            _ => (start, word),
        };
        let pairs = self
            .candidates(&before[..start], word)
            .into_iter()
            .map(|c| Pair { display: c.clone(), replacement: c })
            .collect();
        Ok((start, pairs))
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        self.brackets.highlight(line, pos)
    }

    fn highlight_char(&self, line: &str, pos: usize, kind: CmdKind) -> bool {
        self.brackets.highlight_char(line, pos, kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_keywords_names_and_dot_commands() {
        let helper = ReplHelper::new(vec!["entities".into(), "article_id".into(), "articles".into()]);
        assert_eq!(helper.candidates("", ".ta"), vec![".tables"]);
        assert_eq!(helper.candidates("SELECT * FROM ", "ent"), vec!["entities"]);
        assert_eq!(helper.candidates("", "SEL"), vec!["SELECT"]);
        assert_eq!(helper.candidates("", "sel"), vec!["select"]);
        assert_eq!(helper.candidates("SELECT ", "arti"), vec!["article_id", "articles"]);
    }
}
