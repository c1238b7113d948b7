//! Pure text → structure. Nothing in this module does I/O or knows about Arrow:
//! every stage takes `&str` and returns spans as **byte** ranges into that string,
//! so each stage can be unit-tested alone and replaced (another recogniser in
//! place of the trained tagger, say) without touching the table builders.
//!
//! The pipeline, in the order [`analyze()`] runs it: [`segment`] (paragraphs,
//! sentences, tokens) → [`ner`] (PERSON/ORG/LOC/MISC, with [`dates`] for DATE)
//! behind the [`mention`] contract → [`names`] (one canonical name per
//! mention) and, sentence by sentence, [`figures`]; then [`quotes`] (who said
//! what) with [`speakers`] resolving each speaker to an entity mention.

pub mod analyze;
pub mod dates;
pub mod exact_float;
pub mod figures;
pub(crate) mod lexicon;
mod lists;
pub mod mention;
pub mod names;
pub mod ner;
pub mod quotes;
pub mod segment;
pub mod speakers;

pub use analyze::{Analysis, Extractors, analyze};
pub use segment::{Paragraph, Sentence, Token};

/// Converts byte offsets of one string into character (Unicode scalar) offsets.
///
/// The tables expose character offsets (what SQL's `substr` counts); Rust strings
/// are indexed by bytes. ASCII text — most of a news corpus — maps one to one, so
/// the lookup table is only built when the text has multi-byte characters.
pub struct CharOffsets {
    /// `char_index[b]` = number of chars before byte `b`, for every byte offset
    /// `0..=len`; empty when the text is pure ASCII.
    char_index: Vec<u32>,
}

impl CharOffsets {
    /// Prepares conversions for `text`.
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return Self { char_index: Vec::new() };
        }
        let mut char_index = vec![0u32; text.len() + 1];
        let mut chars = 0u32;
        let mut last = 0usize;
        for (byte, _) in text.char_indices() {
            for slot in &mut char_index[last..=byte] {
                *slot = chars;
            }
            chars += 1;
            last = byte + 1;
        }
        for slot in &mut char_index[last..] {
            *slot = chars;
        }
        Self { char_index }
    }

    /// Character offset of byte offset `byte` (which must be on a char boundary).
    pub fn char_at(&self, byte: usize) -> i32 {
        if self.char_index.is_empty() { byte as i32 } else { self.char_index[byte] as i32 }
    }
}

#[cfg(test)]
mod tests {
    use super::CharOffsets;

    #[test]
    fn char_offsets_count_scalars_not_bytes() {
        let text = "Iran’s £5 é";
        let offsets = CharOffsets::new(text);
        for (char_pos, (byte_pos, _)) in text.char_indices().enumerate() {
            assert_eq!(offsets.char_at(byte_pos), char_pos as i32);
        }
        assert_eq!(offsets.char_at(text.len()), text.chars().count() as i32);
        let ascii = CharOffsets::new("plain");
        assert_eq!(ascii.char_at(3), 3);
    }
}
