//! `figures`: one row per numeric fact.

use std::sync::{Arc, LazyLock};

use datafusion::arrow::array::{ArrayRef, Float64Builder, Int32Builder, RecordBatch, StringBuilder};
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
        required("value", DataType::Float64),
        optional("value_max", DataType::Float64),
        required("kind", DataType::Utf8),
        optional("unit", DataType::Utf8),
        optional("qualifier", DataType::Utf8),
        optional("direction", DataType::Utf8),
        required("sentence", DataType::Utf8),
        required("char_start", DataType::Int32),
        required("char_end", DataType::Int32),
    ]))
});

/// The schema of `figures`.
pub fn schema() -> SchemaRef {
    SCHEMA.clone()
}

/// Accumulates `figures` rows.
#[derive(Default)]
pub struct FiguresBuilder {
    article_id: StringBuilder,
    paragraph_id: Int32Builder,
    sentence_id: Int32Builder,
    mention: StringBuilder,
    value: Float64Builder,
    value_max: Float64Builder,
    kind: StringBuilder,
    unit: StringBuilder,
    qualifier: StringBuilder,
    direction: StringBuilder,
    sentence: StringBuilder,
    char_start: Int32Builder,
    char_end: Int32Builder,
}

impl FiguresBuilder {
    /// Adds the figures of one article.
    pub fn push(&mut self, doc: &Document, analysis: &Analysis, offsets: &CharOffsets) {
        for info in &analysis.figures {
            let figure = &info.figure;
            let sentence = &analysis.paragraphs[info.paragraph].sentences[info.sentence];
            self.article_id.append_value(&doc.id);
            self.paragraph_id.append_value(int32(info.paragraph + 1));
            self.sentence_id.append_value(int32(info.sentence + 1));
            self.mention.append_value(&doc.body[figure.start..figure.end]);
            self.value.append_value(figure.value);
            self.value_max.append_option(figure.value_max);
            self.kind.append_value(figure.kind.as_str());
            self.unit.append_option(figure.unit.as_deref());
            self.qualifier.append_option(figure.qualifier.as_deref());
            self.direction.append_option(figure.direction.map(|d| d.as_str()));
            self.sentence.append_value(&doc.body[sentence.clone()]);
            self.char_start.append_value(offsets.char_at(figure.start));
            self.char_end.append_value(offsets.char_at(figure.end));
        }
    }

    /// The finished batch.
    pub fn finish(mut self) -> RecordBatch {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.article_id.finish()),
            Arc::new(self.paragraph_id.finish()),
            Arc::new(self.sentence_id.finish()),
            Arc::new(self.mention.finish()),
            Arc::new(self.value.finish()),
            Arc::new(self.value_max.finish()),
            Arc::new(self.kind.finish()),
            Arc::new(self.unit.finish()),
            Arc::new(self.qualifier.finish()),
            Arc::new(self.direction.finish()),
            Arc::new(self.sentence.finish()),
            Arc::new(self.char_start.finish()),
            Arc::new(self.char_end.finish()),
        ];
        batch(schema(), columns)
    }
}
