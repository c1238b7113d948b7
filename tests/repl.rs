//! The REPL through a pseudo-terminal: prompts, multi-line statements,
//! dot-commands, errors, Ctrl-C, Ctrl-D and the history file.

#![cfg(unix)]

use std::process::Command;

use rexpect::session::{PtySession, spawn_command};

const TIMEOUT_MS: u64 = 30_000;

fn start(history: &std::path::Path) -> PtySession {
    let mut command = Command::new(env!("CARGO_BIN_EXE_docsql"));
    command.arg("-q").env("DOCSQL_HISTORY", history).env("TERM", "xterm");
    let mut session = spawn_command(command, Some(TIMEOUT_MS)).expect("spawn docsql");
    session.exp_string("docsql 0.1.0").expect("banner");
    session.exp_string("docsql> ").expect("first prompt");
    session
}

#[test]
fn repl_session() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.txt");
    let mut p = start(&history);

    // A statement over two lines: the continuation prompt, then a result and its footer.
    p.send_line("SELECT count(*) AS n").unwrap();
    p.exp_string("   ...> ").expect("continuation prompt");
    p.send_line("FROM articles;").unwrap();
    p.exp_string("| n |").expect("table header");
    p.exp_string("| 1 |").expect("the count");
    p.exp_string("1 row (").expect("footer");
    p.exp_string("docsql> ").unwrap();

    // Dot-commands.
    p.send_line(".mode csv").unwrap();
    p.exp_string("docsql> ").unwrap();
    p.send_line("SELECT 40 + 2 AS answer;").unwrap();
    p.exp_string("answer\r\n42\r\n1 row (").expect("CSV result and footer");
    p.exp_string("docsql> ").unwrap();
    p.send_line(".tables").unwrap();
    p.exp_string("table_name\r\narticles\r\nentities\r\nfigures\r\nparagraphs\r\nquotes\r\n5 rows (").expect(".tables");
    p.exp_string("docsql> ").unwrap();
    p.send_line(".frobnicate").unwrap();
    p.exp_string("unknown command .frobnicate; try .help").unwrap();
    p.exp_string("docsql> ").unwrap();

    // A SQL error, then a good statement still works.
    p.send_line("SELEC 1;").unwrap();
    p.exp_string("error: ").expect("an error message");
    p.exp_string("docsql> ").unwrap();
    p.send_line("SELECT 'still alive' AS s;").unwrap();
    p.exp_string("s\r\nstill alive\r\n1 row (").unwrap();
    p.exp_string("docsql> ").unwrap();

    // Ctrl-C on a half-typed statement clears it: the next line starts afresh.
    p.send_line("SELECT 'half").unwrap();
    p.exp_string("   ...> ").unwrap();
    p.send("typed").unwrap();
    p.flush().unwrap();
    p.send_control('c').unwrap();
    p.exp_string("docsql> ").expect("a fresh prompt after Ctrl-C");
    p.send_line("SELECT 7 AS fresh;").unwrap();
    p.exp_string("fresh\r\n7\r\n1 row (").expect("the statement after Ctrl-C runs on its own");
    p.exp_string("docsql> ").unwrap();

    // Ctrl-D on an empty line leaves with status 0.
    p.send_control('d').unwrap();
    p.exp_eof().unwrap();
    let status = format!("{:?}", p.process().wait().unwrap());
    assert!(status.starts_with("Exited(") && status.ends_with(", 0)"), "{status}");

    // The history file holds the statements and dot-commands.
    let saved = std::fs::read_to_string(&history).expect("history written");
    for entry in [".mode csv", ".tables", "SELEC 1;", "SELECT 'still alive' AS s;", "SELECT 7 AS fresh;"] {
        assert!(saved.lines().any(|l| l == entry), "{entry:?} not in history:\n{saved}");
    }
    assert!(saved.contains("SELECT count(*) AS n"), "{saved}");
    assert!(saved.contains("FROM articles;"), "{saved}");
    assert!(!saved.contains("half"), "a cancelled statement is not history:\n{saved}");

    // A new session finds the history and `.quit` also exits with 0.
    let mut p = start(&history);
    p.send_line(".quit").unwrap();
    p.exp_eof().unwrap();
    let status = format!("{:?}", p.process().wait().unwrap());
    assert!(status.starts_with("Exited(") && status.ends_with(", 0)"), "{status}");
}
