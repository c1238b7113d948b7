//! `entities`: one row per entity mention.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, Float32Builder, Int32Builder, RecordBatch, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Schema, SchemaRef};

use super::{batch, int32, optional, required};
use crate::corpus::Document;
use crate::extract::{Analysis, CharOffsets};

static SCHEMA: LazyLock<SchemaRef> = LazyLock::new(|| {
    Arc::new(Schema::new(vec![
        required("article_id", DataType::Utf8),
        required("paragraph_id", DataType::Int32),
        required("sentence_id", DataType::Int32),
        required("mention", DataType::Utf8),
        required("name", DataType::Utf8),
        required("label", DataType::Utf8),
        optional("value", DataType::Utf8),
        optional("confidence", DataType::Float32),
        required("char_start", DataType::Int32),
        required("char_end", DataType::Int32),
    ]))
});

/// The schema of `entities`.
pub fn schema() -> SchemaRef {
    SCHEMA.clone()
}

/// Accumulates `entities` rows.
#[derive(Default)]
pub struct EntitiesBuilder {
    article_id: StringBuilder,
    paragraph_id: Int32Builder,
    sentence_id: Int32Builder,
    mention: StringBuilder,
    name: StringBuilder,
    label: StringBuilder,
    value: StringBuilder,
    confidence: Float32Builder,
    char_start: Int32Builder,
    char_end: Int32Builder,
}

impl EntitiesBuilder {
    /// Adds the entity mentions of one article.
    pub fn push(&mut self, doc: &Document, analysis: &Analysis, offsets: &CharOffsets) {
        for entity in &analysis.entities {
            let mention = &entity.mention;
            self.article_id.append_value(&doc.id);
            self.paragraph_id.append_value(int32(entity.paragraph + 1));
            self.sentence_id.append_value(int32(entity.sentence + 1));
            self.mention.append_value(&doc.body[mention.start..mention.end]);
            self.name.append_value(&entity.name);
            self.label.append_value(mention.label.as_str());
            self.value.append_option(mention.value.as_deref());
            self.confidence.append_option(mention.confidence);
            self.char_start.append_value(offsets.char_at(mention.start));
            self.char_end.append_value(offsets.char_at(mention.end));
        }
    }

    /// The finished batch.
    pub fn finish(mut self) -> RecordBatch {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.article_id.finish()),
            Arc::new(self.paragraph_id.finish()),
            Arc::new(self.sentence_id.finish()),
            Arc::new(self.mention.finish()),
            Arc::new(self.name.finish()),
            Arc::new(self.label.finish()),
            Arc::new(self.value.finish()),
            Arc::new(self.confidence.finish()),
            Arc::new(self.char_start.finish()),
            Arc::new(self.char_end.finish()),
        ];
        batch(schema(), columns)
    }
}
