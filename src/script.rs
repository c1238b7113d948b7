//! Splitting SQL text into statements, for `.sql` files and the REPL.
//!
//! A statement ends at a `;` outside string literals, quoted identifiers and
//! comments. Each statement remembers the line it starts on, so an error can
//! name it.

/// One statement of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The SQL text, trimmed, without the final `;`.
    pub sql: String,
    /// 1-based line of the script where the statement starts.
    pub line: usize,
}

/// The statements of `script` and the unfinished remainder (text after the last
/// `;` that holds more than white space and comments).
pub fn split(script: &str) -> (Vec<Statement>, Option<Statement>) {
    let mut statements = Vec::new();
    let mut state = State::Code;
    let mut start = 0;
    let mut line = 1;
    let mut start_line = 1;
    let mut chars = script.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        let next = chars.peek().map(|&(_, n)| n);
        state = match (state, c) {
            (State::Code, '\'') => State::Single,
            (State::Code, '"') => State::Double,
            (State::Code, '-') if next == Some('-') => State::LineComment,
            (State::Code, '/') if next == Some('*') => {
                chars.next();
                State::BlockComment
            }
            (State::Code, ';') => {
                push(&mut statements, &script[start..i], start_line);
                start = i + 1;
                start_line = line;
                State::Code
            }
            (State::Single, '\'') => State::Code,
            (State::Double, '"') => State::Code,
            (State::LineComment, '\n') => State::Code,
            (State::BlockComment, '*') if next == Some('/') => {
                chars.next();
                State::Code
            }
            (state, _) => state,
        };
    }
    let mut rest = Vec::new();
    push(&mut rest, &script[start..], start_line);
    (statements, rest.pop())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Code,
    Single,
    Double,
    LineComment,
    BlockComment,
}

/// Adds the statement in `text` (starting at `line`) unless it is only
/// white space and comments; its line is that of its first code.
fn push(out: &mut Vec<Statement>, text: &str, line: usize) {
    let mut offset_lines = 0;
    let mut code_start = None;
    let mut rest = text;
    let mut consumed = 0;
    loop {
        let trimmed = rest.trim_start();
        offset_lines += rest[..rest.len() - trimmed.len()].matches('\n').count();
        consumed += rest.len() - trimmed.len();
        if let Some(after) = trimmed.strip_prefix("--") {
            let skip = after.find('\n').map_or(after.len(), |n| n);
            consumed += 2 + skip;
            rest = &after[skip..];
        } else if let Some(after) = trimmed.strip_prefix("/*") {
            let Some(end) = after.find("*/") else { break };
            offset_lines += after[..end].matches('\n').count();
            consumed += 4 + end;
            rest = &after[end + 2..];
        } else {
            if !trimmed.is_empty() {
                code_start = Some(consumed);
            }
            break;
        }
    }
    if let Some(code_start) = code_start {
        let sql = text[code_start..].trim_end().to_string();
        out.push(Statement { sql, line: line + offset_lines });
    }
}

/// True when `text` holds at least one complete statement and nothing after it
/// but white space and comments: what the REPL waits for before running.
pub fn is_complete(text: &str) -> bool {
    let (statements, rest) = split(text);
    !statements.is_empty() && rest.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_semicolons_outside_quotes_and_comments() {
        let script =
            "-- header; not a statement\nSELECT 'a;b' AS \"x;y\";\n\n/* c; */ SELECT 2\n  ;SELECT 3 -- tail;\n";
        let (statements, rest) = split(script);
        assert_eq!(
            statements,
            vec![
                Statement { sql: "SELECT 'a;b' AS \"x;y\"".into(), line: 2 },
                Statement { sql: "SELECT 2".into(), line: 4 },
            ]
        );
        assert_eq!(rest, Some(Statement { sql: "SELECT 3 -- tail;".into(), line: 5 }));
    }

    #[test]
    fn completeness_for_the_repl() {
        assert!(is_complete("SELECT 1;"));
        assert!(is_complete("SELECT 1; -- done"));
        assert!(!is_complete("SELECT 1"));
        assert!(!is_complete("SELECT ';"));
        assert!(!is_complete("-- only a comment;"));
        assert!(!is_complete("SELECT 1; SELECT"));
    }
}
