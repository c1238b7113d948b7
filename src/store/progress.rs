//! Build progress on stderr: a live bar on a terminal, a few plain lines
//! otherwise (logs, CI), nothing when quiet.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How often a plain (non-terminal) progress line is printed.
const PLAIN_EVERY: Duration = Duration::from_secs(10);

enum Mode {
    Quiet,
    Plain { last: Instant },
    Bar(ProgressBar),
}

/// Reports how far the extraction of a build is.
pub struct Progress {
    mode: Mode,
    started: Instant,
    files_total: usize,
    files: usize,
    bytes: u64,
    articles: usize,
}

impl Progress {
    /// Starts reporting on the extraction of `files_total` files of `bytes_total`
    /// bytes.
    pub fn start(quiet: bool, files_total: usize, bytes_total: u64) -> Progress {
        let mode = if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} {msg} ETA {eta}",
            )
            .expect("the progress template is valid");
            let bar = ProgressBar::new(bytes_total).with_style(style);
            bar.enable_steady_tick(Duration::from_millis(200));
            Mode::Bar(bar)
        } else {
            Mode::Plain { last: Instant::now() }
        };
        let mut progress = Progress { mode, started: Instant::now(), files_total, files: 0, bytes: 0, articles: 0 };
        progress.advance(0, 0, 0);
        progress
    }

    /// Records `files` more files of `bytes` bytes read, giving `articles`.
    pub fn advance(&mut self, files: usize, bytes: u64, articles: usize) {
        self.files += files;
        self.bytes += bytes;
        self.articles += articles;
        let rate = self.articles as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        let line =
            format!("{}/{} files, {} articles, {rate:.0} articles/s", self.files, self.files_total, self.articles);
        match &mut self.mode {
            Mode::Quiet => {}
            Mode::Bar(bar) => {
                bar.set_position(self.bytes);
                bar.set_message(line);
            }
            Mode::Plain { last } => {
                if last.elapsed() >= PLAIN_EVERY {
                    *last = Instant::now();
                    eprintln!("extracting: {line}, {:.1} MB", self.bytes as f64 / 1e6);
                }
            }
        }
    }

    /// Prints a line (a warning, a stage), keeping it clear of the bar.
    pub fn println(&self, line: &str) {
        match &self.mode {
            Mode::Quiet => {}
            Mode::Bar(bar) => bar.suspend(|| eprintln!("{line}")),
            Mode::Plain { .. } => eprintln!("{line}"),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Mode::Bar(bar) = &self.mode {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    /// A failed build must not leave a half-drawn bar over its error message.
    fn drop(&mut self) {
        self.finish();
    }
}
