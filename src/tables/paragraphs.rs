//! `paragraphs`: one row per paragraph.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, BooleanBuilder, Int32Builder, RecordBatch, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Schema, SchemaRef};

use super::{batch, int32, required};
use crate::corpus::Document;
use crate::extract::{Analysis, CharOffsets};

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        required("article_id", DataType::Utf8),
        required("paragraph_id", DataType::Int32),
        required("is_title", DataType::Boolean),
        required("text", DataType::Utf8),
        required("char_start", DataType::Int32),
        required("char_end", DataType::Int32),
        required("sentence_count", DataType::Int32),
        required("word_count", DataType::Int32),
    ]))
});

/// The schema of `paragraphs`.
pub fn schema() -> SchemaRef {
    SCHEMA.clone()
}

/// Accumulates `paragraphs` rows.
#[derive(Default)]
pub struct ParagraphsBuilder {
    article_id: StringBuilder,
    paragraph_id: Int32Builder,
    is_title: BooleanBuilder,
    text: StringBuilder,
    char_start: Int32Builder,
    char_end: Int32Builder,
    sentence_count: Int32Builder,
    word_count: Int32Builder,
}

impl ParagraphsBuilder {
    /// Adds the paragraphs of one article.
    pub fn push(&mut self, doc: &Document, analysis: &Analysis, offsets: &CharOffsets) {
        let title_first = doc.starts_with_title();
        for (index, paragraph) in analysis.paragraphs.iter().enumerate() {
            self.article_id.append_value(&doc.id);
            self.paragraph_id.append_value(int32(index + 1));
            self.is_title.append_value(index == 0 && title_first);
            self.text.append_value(&doc.body[paragraph.span.clone()]);
            self.char_start.append_value(offsets.char_at(paragraph.span.start));
            self.char_end.append_value(offsets.char_at(paragraph.span.end));
            self.sentence_count.append_value(int32(paragraph.sentences.len()));
            self.word_count.append_value(int32(paragraph.word_count));
        }
    }

    /// The finished batch.
    pub fn finish(mut self) -> RecordBatch {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.article_id.finish()),
            Arc::new(self.paragraph_id.finish()),
            Arc::new(self.is_title.finish()),
            Arc::new(self.text.finish()),
            Arc::new(self.char_start.finish()),
            Arc::new(self.char_end.finish()),
            Arc::new(self.sentence_count.finish()),
            Arc::new(self.word_count.finish()),
        ];
        batch(schema(), columns)
    }
}
