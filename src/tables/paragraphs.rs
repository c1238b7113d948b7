//! `paragraphs`: one row per paragraph.

use super::{Boolean, Int32, Utf8, int32, table};
use crate::corpus::Document;
use crate::extract::{Analysis, CharOffsets};

table! {
    /// One row per paragraph.
    pub const PARAGRAPHS = "paragraphs";
    row ParagraphRow, builder ParagraphsBuilder, rows push_rows;
    columns {
        /// The article.
        article_id: Utf8,
        /// 1-based, in order.
        paragraph_id: Int32,
        /// The headline paragraph.
        is_title: Boolean,
        /// The paragraph's text.
        text: Utf8,
        /// Where it starts in the body, in characters.
        char_start: Int32,
        /// Where it ends in the body, in characters (exclusive).
        char_end: Int32,
        /// Sentences in the paragraph.
        sentence_count: Int32,
        /// Words in the paragraph.
        word_count: Int32,
    }
}

/// The paragraphs of one article.
fn push_rows(out: &mut ParagraphsBuilder, doc: &Document, analysis: &Analysis, offsets: &CharOffsets) {
    let title_first = doc.starts_with_title();
    for (index, paragraph) in analysis.paragraphs.iter().enumerate() {
        out.append(ParagraphRow {
            article_id: &doc.id,
            paragraph_id: int32(index + 1),
            is_title: index == 0 && title_first,
            text: &doc.body[paragraph.span.clone()],
            char_start: offsets.char_at(paragraph.span.start),
            char_end: offsets.char_at(paragraph.span.end),
            sentence_count: int32(paragraph.sentences.len()),
            word_count: int32(paragraph.word_count),
        });
    }
}
