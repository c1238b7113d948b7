//! # docsql
//!
//! An embedded SQL engine over a corpus of news documents. Point it at files and
//! folders of articles and get five tables — `articles`, `paragraphs`,
//! `entities`, `figures`, `quotes` — registered with Apache DataFusion.
//!
//! ```no_run
//! # async fn demo() -> datafusion::error::Result<()> {
//! let corpus = docsql::load(&["articles/"]);
//! let ctx = docsql::session(&corpus)?;
//! let people = ctx
//!     .sql("SELECT name, count(*) FROM entities WHERE label = 'PERSON' GROUP BY name")
//!     .await?
//!     .collect()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Data flows one way: files → [`corpus::Document`] → [`extract`] → [`tables`]
//! builders → [`engine`] (DataFusion) → [`output`].

#[cfg(feature = "cluster")]
pub mod cluster;
pub mod corpus;
pub mod engine;
pub mod error;
pub mod exec;
pub mod extract;
pub mod functions;
pub mod output;
pub mod repl;
pub mod report;
pub mod script;
pub mod store;
pub mod tables;
pub mod tools;

use datafusion::prelude::SessionContext;

pub use corpus::{Corpus, Document, Warning};
pub use error::{Error, PathIoError, Result};

/// Loads documents from files, folders and glob patterns; with no inputs, the
/// seed articles bundled in the binary. Documents bigger than
/// [`corpus::DEFAULT_MAX_DOC_SIZE`] are skipped with a warning (see
/// [`load_with_max_doc_size`]).
pub fn load<S: AsRef<str>>(inputs: &[S]) -> Corpus {
    load_with_max_doc_size(inputs, corpus::DEFAULT_MAX_DOC_SIZE)
}

/// Like [`load`], skipping (with a warning) any document bigger than
/// `max_doc_size` bytes once decompressed, without reading it into memory:
/// a file, or one record of a WARC or JSONL file (see
/// [`corpus::read_source`]).
pub fn load_with_max_doc_size<S: AsRef<str>>(inputs: &[S], max_doc_size: u64) -> Corpus {
    if inputs.is_empty() { corpus::load_seeds() } else { corpus::load_paths(inputs, max_doc_size) }
}

/// Extracts every document with the default extractors and returns a session
/// with the five tables registered.
pub fn session(corpus: &Corpus) -> datafusion::error::Result<SessionContext> {
    let ctx = engine::new_context(engine::default_partitions());
    register_corpus(&ctx, corpus)?;
    Ok(ctx)
}

/// Extracts every document with the default extractors and registers the five
/// tables in an existing session (one made with
/// [`engine::context_with_memory_limit`], say).
pub fn register_corpus(ctx: &SessionContext, corpus: &Corpus) -> datafusion::error::Result<()> {
    let extractors = extract::Extractors::default();
    let analyses = engine::analyze_all(&corpus.documents, &extractors);
    engine::register_tables(ctx, &corpus.documents, &analyses, engine::default_partitions())
}
