//! `articles`: one row per document.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, Date32Builder, Int32Builder, RecordBatch, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Schema, SchemaRef};

use super::{batch, int32, optional, required};
use crate::corpus::Document;
use crate::extract::Analysis;

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        required("article_id", DataType::Utf8),
        required("path", DataType::Utf8),
        required("format", DataType::Utf8),
        optional("title", DataType::Utf8),
        optional("published", DataType::Date32),
        optional("url", DataType::Utf8),
        required("body", DataType::Utf8),
        required("paragraph_count", DataType::Int32),
        required("sentence_count", DataType::Int32),
        required("word_count", DataType::Int32),
        required("char_count", DataType::Int32),
        required("content_hash", DataType::Utf8),
    ]))
});

/// The schema of `articles`.
pub fn schema() -> SchemaRef {
    SCHEMA.clone()
}

/// Accumulates `articles` rows.
#[derive(Default)]
pub struct ArticlesBuilder {
    article_id: StringBuilder,
    path: StringBuilder,
    format: StringBuilder,
    title: StringBuilder,
    published: Date32Builder,
    url: StringBuilder,
    body: StringBuilder,
    paragraph_count: Int32Builder,
    sentence_count: Int32Builder,
    word_count: Int32Builder,
    char_count: Int32Builder,
    content_hash: StringBuilder,
}

/// Days from 0001-01-01 (chrono's CE day 1) to 1970-01-01, for Date32.
const UNIX_EPOCH_FROM_CE: i32 = 719_163;

impl ArticlesBuilder {
    /// Adds one article.
    pub fn push(&mut self, doc: &Document, analysis: &Analysis) {
        use chrono::Datelike;
        self.article_id.append_value(&doc.id);
        self.path.append_value(&doc.path);
        self.format.append_value(doc.format.as_str());
        self.title.append_option(doc.title.as_deref());
        self.published.append_option(doc.published.map(|d| d.num_days_from_ce() - UNIX_EPOCH_FROM_CE));
        self.url.append_option(doc.url.as_deref());
        self.body.append_value(&doc.body);
        self.paragraph_count.append_value(int32(analysis.paragraphs.len()));
        self.sentence_count.append_value(int32(analysis.sentence_count()));
        self.word_count.append_value(int32(analysis.word_count()));
        self.char_count.append_value(int32(doc.body.chars().count()));
        self.content_hash.append_value(blake3::hash(doc.body.as_bytes()).to_hex().as_str());
    }

    /// The finished batch.
    pub fn finish(mut self) -> RecordBatch {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.article_id.finish()),
            Arc::new(self.path.finish()),
            Arc::new(self.format.finish()),
            Arc::new(self.title.finish()),
            Arc::new(self.published.finish()),
            Arc::new(self.url.finish()),
            Arc::new(self.body.finish()),
            Arc::new(self.paragraph_count.finish()),
            Arc::new(self.sentence_count.finish()),
            Arc::new(self.word_count.finish()),
            Arc::new(self.char_count.finish()),
            Arc::new(self.content_hash.finish()),
        ];
        batch(schema(), columns)
    }
}
