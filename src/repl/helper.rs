//! The rustyline helper: tab completion of SQL keywords (sqlparser's list),
//! function, table and column names and dot-commands (from the registry);
//! bracket matching.

use std::borrow::Cow;

use datafusion::sql::sqlparser::keywords::ALL_KEYWORDS;
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter, MatchingBracketHighlighter};
use rustyline::{Context, Helper, Hinter, Validator};

use super::commands::COMMANDS;

/// Completion and highlighting for the REPL.
#[derive(Helper, Hinter, Validator)]
pub struct ReplHelper {
    /// Table names and column names to complete, as they are.
    names: Vec<String>,
    /// SQL keywords and function names, upper case, sorted: completed in the
    /// case the user is typing in.
    words: Vec<String>,
    brackets: MatchingBracketHighlighter,
}

impl ReplHelper {
    /// A helper completing the given table and column names, sqlparser's SQL
    /// keywords and the dot-commands.
    pub fn new(mut names: Vec<String>) -> Self {
        names.sort();
        names.dedup();
        let words = ALL_KEYWORDS.iter().map(|k| k.to_string()).filter(|k| is_word(k)).collect();
        Self { names, words, brackets: MatchingBracketHighlighter::new() }
    }

    /// Also completes these function names (the session's, say) like keywords.
    pub fn with_functions(mut self, functions: impl IntoIterator<Item = String>) -> Self {
        self.words.extend(functions.into_iter().filter(|f| is_word(f)).map(|f| f.to_uppercase()));
        self.words.sort();
        self.words.dedup();
        self
    }

    /// Candidates for `word` (a prefix), in the case the user is typing in.
    pub fn candidates(&self, line_start: &str, word: &str) -> Vec<String> {
        if line_start.trim_start().is_empty() && word.starts_with('.') {
            return COMMANDS.iter().map(|c| c.name).filter(|name| name.starts_with(word)).map(str::to_string).collect();
        }
        if word.is_empty() {
            return Vec::new();
        }
        let lower = word.to_lowercase();
        let lowercase_typing = word.chars().all(|c| !c.is_uppercase());
        let mut out: Vec<String> =
            self.names.iter().filter(|n| n.to_lowercase().starts_with(&lower)).cloned().collect();
        for keyword in self.words.iter().filter(|k| k.to_lowercase().starts_with(&lower)) {
            let keyword = if lowercase_typing { keyword.to_lowercase() } else { keyword.clone() };
            if !out.contains(&keyword) {
                out.push(keyword);
            }
        }
        out
    }
}

/// True for words completion can replace: letters, digits and `_` (sqlparser
/// lists `END-EXEC` too, which the word boundaries below would split).
fn is_word(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_alphanumeric() || c == '_')
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

    #[test]
    fn keywords_come_from_sqlparser_and_functions_from_the_session() {
        let helper = ReplHelper::new(vec!["value".into(), "value_max".into()]);
        assert_eq!(helper.candidates("SELECT ", "valu"), vec!["value", "value_max", "values", "value_of"]);
        assert_eq!(helper.candidates("", "EXPLA"), vec!["EXPLAIN"]);
        assert_eq!(helper.candidates("", "end-"), Vec::<String>::new());
        assert!(helper.candidates("SELECT ", "regexp_l").is_empty(), "a function, not a keyword");
        let helper = helper.with_functions(["regexp_like".to_string(), "a-b".to_string()]);
        assert_eq!(helper.candidates("SELECT ", "regexp_l"), vec!["regexp_like"]);
        assert_eq!(helper.candidates("SELECT ", "REGEXP_L"), vec!["REGEXP_LIKE"]);
        assert_eq!(helper.candidates("", ".o"), vec![".output", ".once"]);
    }
}
