//! `figures`: one row per numeric fact.

use super::{Float64, Int32, Nullable, Utf8, int32, table};
use crate::corpus::Document;
use crate::extract::{Analysis, CharOffsets};

table! {
    /// One row per numeric fact.
    pub const FIGURES = "figures";
    row FigureRow, builder FiguresBuilder, rows push_rows;
    columns {
        /// The article.
        article_id: Utf8,
        /// The paragraph, 1-based.
        paragraph_id: Int32,
        /// The sentence, 1-based within its paragraph.
        sentence_id: Int32,
        /// The figure as written: number with currency, percent sign or unit
        /// (`C$450 million`, `twelve miles`, `15%`); a count's number alone
        /// (`26,600` of "more than 26,600 civilians"). Qualifiers are not in it.
        mention: Utf8,
        /// 26600; `$1.2bn` → 1.2e9; `15%` → 15.
        value: Float64,
        /// The upper end of a range.
        value_max: Nullable<Float64>,
        /// `count`, `money`, `percent`, `quantity`, `ordinal`.
        kind: Utf8,
        /// ISO currency code (`USD`, minor units converted: `45 cents` → 0.45
        /// `USD`), `%`, `pp` or `bp`, canonical unit name (`kilometre`, `degree Celsius`,
        /// `USD per kilogram` for a rate), or the counted noun.
        unit: Nullable<Utf8>,
        /// The unit as written: `km`, `miles`, `C$`, `dlrs`, `per cent`, `civilians`.
        unit_text: Nullable<Utf8>,
        /// `more than`, `about`, `at least`, `up to`, `nearly`…
        qualifier: Nullable<Utf8>,
        /// `up` / `down` from the verb (rose, fell…).
        direction: Nullable<Utf8>,
        /// The sentence it stands in.
        sentence: Utf8,
        /// Where the mention starts in the body, in characters.
        char_start: Int32,
        /// Where the mention ends in the body, in characters (exclusive).
        char_end: Int32,
    }
}

/// The figures of one article.
fn push_rows(out: &mut FiguresBuilder, doc: &Document, analysis: &Analysis, offsets: &CharOffsets) {
    for info in &analysis.figures {
        let figure = &info.figure;
        let sentence = &analysis.paragraphs[info.paragraph].sentences[info.sentence];
        out.append(FigureRow {
            article_id: &doc.id,
            paragraph_id: int32(info.paragraph + 1),
            sentence_id: int32(info.sentence + 1),
            mention: &doc.body[figure.start..figure.end],
            value: figure.value,
            value_max: figure.value_max,
            kind: figure.kind.as_str(),
            unit: figure.unit.as_deref(),
            unit_text: figure.unit_text.as_deref(),
            qualifier: figure.qualifier.as_deref(),
            direction: figure.direction.map(|d| d.as_str()),
            sentence: &doc.body[sentence.clone()],
            char_start: offsets.char_at(figure.start),
            char_end: offsets.char_at(figure.end),
        });
    }
}
