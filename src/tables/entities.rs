//! `entities`: one row per entity mention.

use super::{Float32, Int32, Nullable, Utf8, int32, table};
use crate::corpus::Document;
use crate::extract::{Analysis, CharOffsets};

table! {
    /// One row per entity mention.
    pub const ENTITIES = "entities";
    row EntityRow, builder EntitiesBuilder, rows push_rows;
    columns {
        /// The article.
        article_id: Utf8,
        /// The paragraph, 1-based.
        paragraph_id: Int32,
        /// The sentence, 1-based within its paragraph.
        sentence_id: Int32,
        /// The exact surface text (`Iran` in "Iran's").
        mention: Utf8,
        /// The canonical name in this article: "Iravani" → "Amir Saeid Iravani".
        name: Utf8,
        /// `PERSON`, `ORG`, `LOC`, `MISC`, `DATE`.
        label: Utf8,
        /// ISO 8601 for resolvable dates (`2023-10-07`).
        value: Nullable<Utf8>,
        /// The tagger's calibrated confidence in 0..1 (null for rule-based DATEs).
        confidence: Nullable<Float32>,
        /// Where the mention starts in the body, in characters.
        char_start: Int32,
        /// Where the mention ends in the body, in characters (exclusive).
        char_end: Int32,
    }
}

/// The entity mentions of one article.
fn push_rows(out: &mut EntitiesBuilder, doc: &Document, analysis: &Analysis, offsets: &CharOffsets) {
    for entity in &analysis.entities {
        let mention = &entity.mention;
        out.append(EntityRow {
            article_id: &doc.id,
            paragraph_id: int32(entity.paragraph + 1),
            sentence_id: int32(entity.sentence + 1),
            mention: &doc.body[mention.start..mention.end],
            name: &entity.name,
            label: mention.label.as_str(),
            value: mention.value.as_deref(),
            confidence: mention.confidence,
            char_start: offsets.char_at(mention.start),
            char_end: offsets.char_at(mention.end),
        });
    }
}
