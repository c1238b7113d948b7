//! `articles`: one row per document.

use super::{Date32, Int32, Nullable, Utf8, int32, table};
use crate::corpus::Document;
use crate::extract::{Analysis, CharOffsets};

table! {
    /// One row per document.
    pub const ARTICLES = "articles";
    row ArticleRow, builder ArticlesBuilder, rows push_rows;
    columns {
        /// The path relative to the corpus root, without extension; for JSON records the `id` field.
        article_id: Utf8,
        /// The file it came from.
        path: Utf8,
        /// `txt`, `md`, `json`, `jsonl`, `html`, `warc`.
        format: Utf8,
        /// The headline.
        title: Nullable<Utf8>,
        /// The publication date (front matter, JSON field, page metadata; for WARC records, else the crawl date).
        published: Nullable<Date32>,
        /// The source URL (a web page's canonical link; a WARC record's target URI).
        url: Nullable<Utf8>,
        /// The author(s) the document names.
        author: Nullable<Utf8>,
        /// The site or publication (`og:site_name`).
        site: Nullable<Utf8>,
        /// The declared language tag (`<html lang>`), e.g. `en-GB`.
        language: Nullable<Utf8>,
        /// The document's own summary (`<meta name=description>`).
        description: Nullable<Utf8>,
        /// The plain text analysed.
        body: Utf8,
        /// Paragraphs in the body.
        paragraph_count: Int32,
        /// Sentences in the body.
        sentence_count: Int32,
        /// Words in the body (by Unicode word boundaries).
        word_count: Int32,
        /// Characters (Unicode scalars) in the body.
        char_count: Int32,
        /// BLAKE3 of the body, hex: equal bodies, equal hash.
        content_hash: Utf8,
    }
}

/// Days from 0001-01-01 (chrono's CE day 1) to 1970-01-01, for Date32.
const UNIX_EPOCH_FROM_CE: i32 = 719_163;

/// The row of one article.
fn push_rows(out: &mut ArticlesBuilder, doc: &Document, analysis: &Analysis, _offsets: &CharOffsets) {
    use chrono::Datelike;
    out.append(ArticleRow {
        article_id: &doc.id,
        path: &doc.path,
        format: doc.format.as_str(),
        title: doc.title.as_deref(),
        published: doc.published.map(|d| d.num_days_from_ce() - UNIX_EPOCH_FROM_CE),
        url: doc.url.as_deref(),
        author: doc.author.as_deref(),
        site: doc.site.as_deref(),
        language: doc.language.as_deref(),
        description: doc.description.as_deref(),
        body: &doc.body,
        paragraph_count: int32(analysis.paragraphs.len()),
        sentence_count: int32(analysis.sentence_count()),
        word_count: int32(analysis.word_count()),
        char_count: int32(doc.body.chars().count()),
        content_hash: blake3::hash(doc.body.as_bytes()).to_hex().as_str(),
    });
}
