//! The four tables: one file each, with its Arrow schema and its builder.
//!
//! Offsets in every table are 0-based character (Unicode scalar) positions into
//! `articles.body`, end exclusive, so SQL's
//! `substr(body, char_start + 1, char_end - char_start)` gives the mention.

pub mod articles;
pub mod entities;
pub mod figures;
pub mod paragraphs;

use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::arrow::record_batch::RecordBatch;

use crate::corpus::Document;
use crate::extract::{Analysis, CharOffsets};

/// The names of the tables, in the order they are documented.
pub const TABLE_NAMES: [&str; 4] = ["articles", "paragraphs", "entities", "figures"];

/// One batch of each table, built from the same documents.
pub struct TableBatches {
    /// `articles`
    pub articles: RecordBatch,
    /// `paragraphs`
    pub paragraphs: RecordBatch,
    /// `entities`
    pub entities: RecordBatch,
    /// `figures`
    pub figures: RecordBatch,
}

/// Builds one batch of each table from analysed documents (same order, same length).
pub fn build_batches(documents: &[Document], analyses: &[Analysis]) -> TableBatches {
    let mut articles = articles::ArticlesBuilder::default();
    let mut paragraphs = paragraphs::ParagraphsBuilder::default();
    let mut entities = entities::EntitiesBuilder::default();
    let mut figures = figures::FiguresBuilder::default();
    for (doc, analysis) in documents.iter().zip(analyses) {
        let offsets = CharOffsets::new(&doc.body);
        articles.push(doc, analysis);
        paragraphs.push(doc, analysis, &offsets);
        entities.push(doc, analysis, &offsets);
        figures.push(doc, analysis, &offsets);
    }
    TableBatches {
        articles: articles.finish(),
        paragraphs: paragraphs.finish(),
        entities: entities.finish(),
        figures: figures.finish(),
    }
}

/// A non-nullable field.
fn required(name: &str, data_type: DataType) -> Field {
    Field::new(name, data_type, false)
}

/// A nullable field.
fn optional(name: &str, data_type: DataType) -> Field {
    Field::new(name, data_type, true)
}

/// Finishes a batch; the builders guarantee columns match the schema, so a
/// mismatch is a programming error worth a loud failure in tests.
fn batch(
    schema: datafusion::arrow::datatypes::SchemaRef,
    columns: Vec<datafusion::arrow::array::ArrayRef>,
) -> RecordBatch {
    RecordBatch::try_new(schema, columns).expect("table builder columns match their schema")
}

/// Converts a count to the Int32 the schema uses (saturating: no corpus has 2^31
/// words in one article, but a hostile one must not wrap).
fn int32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}
