//! `quotes`: one row per attribution (who said what), the speaker resolved to
//! an entity of the article where it can be.

use super::{Int32, Nullable, Utf8, int32, table};
use crate::corpus::Document;
use crate::extract::{Analysis, CharOffsets};

table! {
    /// One row per attribution.
    pub const QUOTES = "quotes";
    row QuoteRow, builder QuotesBuilder, rows push_rows;
    columns {
        /// The article.
        article_id: Utf8,
        /// The paragraph where the content starts, 1-based.
        paragraph_id: Int32,
        /// The sentence where the content starts, 1-based within its paragraph.
        sentence_id: Int32,
        /// The attribution, 1-based in the article, in order.
        quote_id: Int32,
        /// `direct` (in quotation marks), `indirect` (reported: "said that …")
        /// or `mixed` (reported with a quoted part).
        kind: Utf8,
        /// What was said (inside the marks for a direct quote); a quote split
        /// around its cue is its parts joined with a space.
        content: Utf8,
        /// Where the content's first part starts in the body, in characters.
        content_start: Int32,
        /// Where the content's last part ends in the body, in characters (exclusive).
        content_end: Int32,
        /// The cue: "said", "told reporters", "according to", "added".
        cue: Utf8,
        /// Where the cue starts in the body, in characters.
        cue_start: Int32,
        /// Where the cue ends in the body, in characters (exclusive).
        cue_end: Int32,
        /// Who said it, as written ("Iran's UN ambassador", "he").
        speaker: Nullable<Utf8>,
        /// Where the speaker starts in the body, in characters.
        speaker_start: Nullable<Int32>,
        /// Where the speaker ends in the body, in characters (exclusive).
        speaker_end: Nullable<Int32>,
        /// The speaker's canonical name in `entities`, pronouns and
        /// descriptions ("the ambassador") resolved to a person or
        /// organisation named before.
        speaker_name: Nullable<Utf8>,
        /// That entity's label: `PERSON`, `ORG`...
        speaker_label: Nullable<Utf8>,
    }
}

/// The attributions of one article.
fn push_rows(out: &mut QuotesBuilder, doc: &Document, analysis: &Analysis, offsets: &CharOffsets) {
    let body = doc.body.as_str();
    for (index, info) in analysis.quotes.iter().enumerate() {
        let quote = &info.quote;
        // One attribution, one content: the parts' texts without what stands
        // between them (the cue, the closing and opening marks).
        let mut content: Vec<&str> = quote.parts.iter().map(|part| &body[part.clone()]).collect();
        if content.is_empty() {
            content.push(&body[quote.content.clone()]);
        }
        let content = content.join(" ");
        let speaker = quote.speaker.clone();
        let entity = info.speaker_entity.and_then(|i| analysis.entities.get(i));
        out.append(QuoteRow {
            article_id: &doc.id,
            paragraph_id: int32(info.paragraph + 1),
            sentence_id: int32(info.sentence + 1),
            quote_id: int32(index + 1),
            kind: quote.kind.as_str(),
            content: &content,
            content_start: offsets.char_at(quote.content.start),
            content_end: offsets.char_at(quote.content.end),
            cue: &body[quote.cue.clone()],
            cue_start: offsets.char_at(quote.cue.start),
            cue_end: offsets.char_at(quote.cue.end),
            speaker: speaker.clone().map(|s| &body[s]),
            speaker_start: speaker.as_ref().map(|s| offsets.char_at(s.start)),
            speaker_end: speaker.as_ref().map(|s| offsets.char_at(s.end)),
            speaker_name: entity.map(|e| e.name.as_str()),
            speaker_label: entity.map(|e| e.mention.label.as_str()),
        });
    }
}
