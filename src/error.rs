//! What can go wrong in the library, as one type: [`Error`].
//!
//! Each layer that has failures of its own defines a small error type next to
//! its code (the store, the NER model file, ...) and [`Error`] wraps it, so a
//! caller matches on one type and the message always names what failed: the
//! file, the store, the statement. Only `main.rs` adds context and prints.

use std::path::{Path, PathBuf};

/// A docsql result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A file or folder could not be read, created or written: the one I/O error
/// of every layer, so each names the path and the action the same way.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}: {source}", path.display())]
pub struct PathIoError {
    /// What was being done: "read", "create", "write", "open"...
    pub action: &'static str,
    /// The file or folder.
    pub path: PathBuf,
    /// The operating system's error.
    #[source]
    pub source: std::io::Error,
}

/// Any failure of the docsql library.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be read, created or written.
    #[error(transparent)]
    Io(#[from] PathIoError),
    /// Input that docsql cannot use: a file that is not what it should be, an
    /// argument value out of range.
    #[error("{what}: {message}")]
    Input {
        /// The input: a file name, an argument.
        what: String,
        /// What is wrong with it.
        message: String,
    },
    /// A SQL statement failed to plan or run, or DataFusion failed.
    #[error(transparent)]
    Sql(#[from] datafusion::error::DataFusionError),
    /// A store could not be built or opened.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// A result could not be exported to a file.
    #[error(transparent)]
    Export(#[from] crate::output::ExportError),
    /// A `-c`/`-f` script stopped at a failing statement or output.
    #[error(transparent)]
    Script(#[from] crate::exec::ScriptError),
    /// Cluster mode failed: the scheduler is unreachable, a server cannot
    /// listen...
    #[cfg(feature = "cluster")]
    #[error(transparent)]
    Cluster(#[from] crate::cluster::ClusterError),
}

impl Error {
    /// An [`Error::Io`] for `path`, to use as `.map_err(Error::io("read", &path))`.
    pub fn io(action: &'static str, path: impl AsRef<Path>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.as_ref().to_path_buf();
        move |source| Error::Io(PathIoError { action, path, source })
    }

    /// An [`Error::Input`] about `what`.
    pub fn input(what: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Input { what: what.into(), message: message.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn messages_name_what_failed() {
        let missing = std::fs::read("/no/such/file").map_err(Error::io("read", "/no/such/file")).unwrap_err();
        assert!(missing.to_string().starts_with("cannot read /no/such/file: "), "{missing}");
        assert_eq!(Error::input("spec.json", "not JSON").to_string(), "spec.json: not JSON");
    }
}
