//! How long-running library calls (a store build, training) tell their caller
//! what is happening, without printing: they call a [`Reporter`] with
//! [`Event`]s, and the caller (`main.rs`, the REPL, a test) decides what to show.

use crate::corpus::Warning;

/// Something a long-running call wants its caller to know.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A file could not be used as it was: skipped, or decoded with a fallback.
    Warning(&'a Warning),
    /// A stage starts or a step ends, in words ("copying reused rows of
    /// seg-000003", "epoch 3: dev F1 0.9312").
    Message(&'a str),
    /// Work has started or advanced.
    Progress(Progress),
}

/// How far a job is: totals are known when it starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Files done so far.
    pub files: usize,
    /// Files in all.
    pub files_total: usize,
    /// Bytes done so far.
    pub bytes: u64,
    /// Bytes in all.
    pub bytes_total: u64,
    /// Articles made so far.
    pub articles: usize,
}

/// Receives [`Event`]s; called from worker threads, so it must be `Sync`.
pub trait Reporter: Sync {
    /// Handles one event.
    fn report(&self, event: Event<'_>);
}

impl<F: Fn(Event<'_>) + Sync> Reporter for F {
    fn report(&self, event: Event<'_>) {
        self(event)
    }
}

/// A [`Reporter`] that ignores everything.
pub struct Silent;

impl Reporter for Silent {
    fn report(&self, _event: Event<'_>) {}
}
