//! Per-format parsing: decoded text → documents.

use std::io::{BufRead, BufReader, Read};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde_json::Value;

use super::decode::looks_binary;
use super::html::{Page, decode_html, extract_page};
use super::warc::{HttpResponse, Item, Record, WarcReader};
use super::{Decoded, Document, Format, Warning, decode_text, oversize_reason};

/// What one file (or one part of a WARC file) gave.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Its articles, in file order (ids not yet unique across files).
    pub docs: Vec<Document>,
    /// Problems worth telling the user, each naming the file (and record).
    pub warnings: Vec<Warning>,
    /// WARC records that are not articles (requests, metadata, revisits,
    /// non-HTML or empty responses) or were damaged.
    pub records_skipped: usize,
    /// Records (of a WARC or JSONL file) skipped for being bigger than the
    /// size limit; each also has a warning. A store notes the limit, so that a
    /// build with a higher one reads the file again.
    pub oversized_records: usize,
    /// The file was not read at all (it could not be opened, or is bigger than
    /// the size limit): no documents, one warning. A store leaves such a file
    /// out, so that the next build tries it again.
    pub unread: bool,
}

impl Parsed {
    fn skipped(warning: Warning) -> Parsed {
        Parsed { warnings: vec![warning], ..Parsed::default() }
    }
}

/// Parses one file from its bytes (gzip-compressed when its name says so),
/// as [`parse_stream`] does.
pub(super) fn parse_file(relative: &str, display: &str, bytes: &[u8], max_doc_size: u64) -> Parsed {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let Some((format, gzipped)) = Format::from_file_name(name) else {
        return Parsed::skipped(Warning { path: display.to_string(), reason: "unsupported file type".into() });
    };
    parse_stream(format, gzipped, bytes, &strip_extensions(relative), display, max_doc_size)
}

/// Parses a file of `format` read from `raw` (its bytes as stored:
/// gzip-compressed when `gzipped`), its documents taking ids from `id`.
///
/// No document is read beyond `max_doc_size` bytes, decompressed: a WARC or
/// JSONL file is read record by record, a record over the limit skipped with a
/// warning naming it (`file#n`); any other file is one document, read up to
/// one byte more than the limit (so that decompression stops there) and
/// skipped whole when it has that byte.
pub(super) fn parse_stream(
    format: Format,
    gzipped: bool,
    raw: impl Read,
    id: &str,
    display: &str,
    max_doc_size: u64,
) -> Parsed {
    let input: Box<dyn Read + '_> =
        if gzipped { Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(raw))) } else { Box::new(raw) };
    match format {
        Format::Warc => return parse_warc(BufReader::with_capacity(1 << 16, input), id, display, max_doc_size),
        Format::Jsonl => {
            return parse_jsonl(BufReader::with_capacity(1 << 16, input), id, display, gzipped, max_doc_size);
        }
        _ => {}
    }
    let mut bytes = Vec::new();
    let warn = |reason: String| Warning { path: display.to_string(), reason };
    match input.take(max_doc_size.saturating_add(1)).read_to_end(&mut bytes) {
        Ok(_) if bytes.len() as u64 > max_doc_size => {
            let what = if gzipped { "the file, decompressed," } else { "the file" };
            // Read only up to the limit: the size is not known.
            Parsed { unread: true, ..Parsed::skipped(warn(oversize_reason(what, None, max_doc_size))) }
        }
        Ok(_) => parse_document(format, id.to_string(), display, &bytes),
        Err(err) if gzipped => Parsed::skipped(warn(format!("skipped: bad gzip data: {err}"))),
        Err(err) => Parsed { unread: true, ..Parsed::skipped(warn(format!("unreadable: {err}"))) },
    }
}

/// Parses one document-per-file format (or a JSON file of records) from its
/// bytes, uncompressed.
fn parse_document(format: Format, id: String, display: &str, bytes: &[u8]) -> Parsed {
    let mut warnings = Vec::new();
    let warn = |reason: String| Warning { path: display.to_string(), reason };
    if matches!(format, Format::Warc | Format::Jsonl) {
        return parse_stream(format, false, bytes, &id, display, u64::MAX);
    }
    let decoded = if format == Format::Html { decode_html(bytes, None) } else { decode_text(bytes) };
    let text = match decoded {
        Decoded::Utf8(text) => text,
        Decoded::Lossy(text, reason) => {
            warnings.push(warn(reason.to_string()));
            text
        }
        Decoded::Binary => return Parsed::skipped(warn("skipped: binary file".into())),
        Decoded::Empty => return Parsed::skipped(warn("skipped: empty file".into())),
    };
    let docs = match format {
        Format::Html => from_page(id, display, Format::Html, extract_page(&text, None)).into_iter().collect(),
        Format::Txt => vec![from_txt(id, display, &text)],
        Format::Markdown => vec![from_markdown(id, display, &text)],
        Format::Json => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Array(items)) => items
                .into_iter()
                .enumerate()
                .filter_map(|(index, item)| from_record(&id, display, format, index + 1, Ok(item), &mut warnings))
                .collect(),
            Ok(value) => from_record(&id, display, format, 1, Ok(value), &mut warnings).into_iter().collect(),
            Err(err) => {
                warnings.push(warn(format!("skipped: invalid JSON: {err}")));
                Vec::new()
            }
        },
        Format::Warc | Format::Jsonl => unreachable!("streamed formats are read above"),
    };
    if docs.is_empty() && warnings.is_empty() {
        warnings.push(warn("skipped: no article text found".into()));
    }
    Parsed { docs, warnings, ..Parsed::default() }
}

/// JSONL, streamed: one record per non-blank line (numbered among those, as
/// ids and warnings name them: `file#n`), so that only one line at a time is
/// held as raw text. A line longer than `max_doc_size` bytes is skipped with a
/// warning, never read into memory. Lines that are not UTF-8 are decoded as
/// [`decode_text`] decodes a file, with one warning for the file; a file whose
/// first record looks binary is skipped as a binary file.
fn parse_jsonl(mut input: impl BufRead, file_id: &str, display: &str, gzipped: bool, max_doc_size: u64) -> Parsed {
    let mut parsed = Parsed::default();
    let warn = |reason: String| Warning { path: display.to_string(), reason };
    // A line of the limit, its line break (CR LF) and one byte more.
    let line_limit = max_doc_size.saturating_add(3);
    let mut line = Vec::new();
    let mut records = 0;
    let mut decode_warned = false;
    loop {
        line.clear();
        if let Err(err) = (&mut input).take(line_limit).read_until(b'\n', &mut line) {
            let what = if gzipped { "bad gzip data" } else { "unreadable" };
            let reason = match records {
                0 if gzipped => format!("skipped: {what}: {err}"),
                0 => format!("{what}: {err}"),
                n => format!("stopped reading after record {n}: {what}: {err}"),
            };
            parsed.unread = records == 0 && !gzipped;
            parsed.warnings.push(warn(reason));
            break;
        }
        if line.is_empty() {
            break;
        }
        let ended = line.ends_with(b"\n");
        let mut content = line.strip_suffix(b"\n").unwrap_or(&line);
        content = content.strip_suffix(b"\r").unwrap_or(content);
        if records == 0 {
            content = content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content);
        }
        if content.len() as u64 > max_doc_size {
            records += 1;
            if !ended && let Err(err) = skip_line(&mut input) {
                parsed.warnings.push(warn(format!("stopped reading after record {records}: {err}")));
                break;
            }
            parsed.oversized_records += 1;
            let reason = oversize_reason("this record", None, max_doc_size);
            parsed.warnings.push(Warning { path: format!("{display}#{records}"), reason });
            continue;
        }
        if content.trim_ascii().is_empty() {
            continue;
        }
        records += 1;
        if records == 1 && looks_binary(content) {
            parsed.warnings.push(warn("skipped: binary file".into()));
            return parsed;
        }
        let text = match std::str::from_utf8(content) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => match decode_text(content) {
                Decoded::Utf8(text) => text.into(),
                Decoded::Lossy(text, reason) => {
                    if !std::mem::replace(&mut decode_warned, true) {
                        parsed.warnings.push(warn(reason.to_string()));
                    }
                    text.into()
                }
                Decoded::Binary | Decoded::Empty => {
                    let path = format!("{display}#{records}");
                    parsed.warnings.push(Warning { path, reason: "skipped: binary data, not a JSON record".into() });
                    continue;
                }
            },
        };
        let record = serde_json::from_str::<Value>(&text);
        let doc = from_record(file_id, display, Format::Jsonl, records, record, &mut parsed.warnings);
        parsed.docs.extend(doc);
    }
    if records == 0 && parsed.warnings.is_empty() {
        parsed.warnings.push(warn("skipped: empty file".into()));
    } else if parsed.docs.is_empty() && parsed.warnings.is_empty() {
        parsed.warnings.push(warn("skipped: no article text found".into()));
    }
    parsed
}

/// Reads past the rest of a line (up to and with its line break) without
/// keeping it.
fn skip_line(input: &mut impl BufRead) -> std::io::Result<()> {
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Ok(());
        }
        match buffer.iter().position(|&b| b == b'\n') {
            Some(end) => {
                input.consume(end + 1);
                return Ok(());
            }
            None => {
                let len = buffer.len();
                input.consume(len);
            }
        }
    }
}

/// A web page's document; none when the page has no main text.
fn from_page(id: String, path: &str, format: Format, page: Page) -> Option<Document> {
    if page.body.trim().is_empty() {
        return None;
    }
    Some(Document {
        id,
        path: path.to_string(),
        format,
        published: page.published.as_deref().and_then(parse_date),
        title: page.title,
        url: page.url,
        body: page.body,
        author: page.author,
        site: page.site,
        language: page.language,
        description: page.description,
    })
}

/// Response records extracted together, in parallel: enough to keep the cores
/// busy, few enough that a WARC's pages never sit in memory all at once.
const WARC_BATCH: usize = 64;

/// Reads a WARC stream (uncompressed; see [`super::warc::open_range`]): every
/// `response` record holding an HTML page becomes a document whose id and
/// `url` are its target URI. Other records are counted as skipped; damaged
/// ones are also named in a warning (`file#record`), as are records bigger
/// than `max_doc_size` bytes (whose blocks are skipped, never held in
/// memory) and pages that decompress to more than that.
pub fn parse_warc(input: impl BufRead, file_id: &str, display: &str, max_doc_size: u64) -> Parsed {
    let mut parsed = Parsed::default();
    let mut batch: Vec<Record> = Vec::new();
    let mut last = 0;
    for item in WarcReader::new(input).with_max_record(max_doc_size) {
        match item {
            Ok(Item::Record(record)) => {
                last = record.number;
                if record.kind == "response" {
                    batch.push(record);
                    if batch.len() >= WARC_BATCH {
                        extract_records(std::mem::take(&mut batch), file_id, display, max_doc_size, &mut parsed);
                    }
                } else {
                    parsed.records_skipped += 1;
                }
            }
            Ok(Item::Damaged { number, target_uri, reason }) => {
                last = number;
                parsed.records_skipped += 1;
                let uri = target_uri.map(|u| format!(" ({u})")).unwrap_or_default();
                let path = format!("{display}#{number}");
                parsed.warnings.push(Warning { path, reason: format!("skipped damaged WARC record{uri}: {reason}") });
            }
            Ok(Item::Oversized { number, target_uri, length }) => {
                last = number;
                parsed.records_skipped += 1;
                parsed.oversized_records += 1;
                let what = match target_uri {
                    Some(uri) => format!("this WARC record ({uri})"),
                    None => "this WARC record".to_string(),
                };
                let reason = oversize_reason(&what, Some(length), max_doc_size);
                parsed.warnings.push(Warning { path: format!("{display}#{number}"), reason });
            }
            Err(err) => {
                let reason = format!("stopped reading after record {last}: {err}");
                parsed.warnings.push(Warning { path: display.to_string(), reason });
                break;
            }
        }
    }
    extract_records(batch, file_id, display, max_doc_size, &mut parsed);
    if parsed.docs.is_empty() && parsed.warnings.is_empty() {
        let reason = format!("skipped: no HTML response among {} WARC records", parsed.records_skipped);
        parsed.warnings.push(Warning { path: display.to_string(), reason });
    }
    parsed
}

fn extract_records(records: Vec<Record>, file_id: &str, display: &str, max_doc_size: u64, parsed: &mut Parsed) {
    let results: Vec<(Option<Document>, Option<Warning>, bool)> =
        records.par_iter().map(|record| record_document(record, file_id, display, max_doc_size)).collect();
    for (doc, warning, oversized) in results {
        match doc {
            Some(doc) => parsed.docs.push(doc),
            None => parsed.records_skipped += 1,
        }
        parsed.warnings.extend(warning);
        parsed.oversized_records += usize::from(oversized);
    }
}

/// The document of one response record, if it is an HTML page with text; a
/// page that decompresses to more than `max_doc_size` bytes is skipped with a
/// warning (and `true`: skipped for its size).
fn record_document(
    record: &Record,
    file_id: &str,
    display: &str,
    max_doc_size: u64,
) -> (Option<Document>, Option<Warning>, bool) {
    let Some(response) = HttpResponse::parse(&record.block, max_doc_size) else { return (None, None, false) };
    let path = format!("{display}#{}", record.number);
    // Its body is gone: it is an HTML page if its header says so or says nothing.
    let maybe_html = response.content_type.as_ref().is_none_or(|t| t.contains("html"));
    if response.body_over_limit && (200..300).contains(&response.status) && maybe_html {
        let what = match &record.target_uri {
            Some(uri) => format!("this WARC record's page ({uri}), decompressed,"),
            None => "this WARC record's page, decompressed,".to_string(),
        };
        return (None, Some(Warning { path, reason: oversize_reason(&what, None, max_doc_size) }), true);
    }
    if !(200..300).contains(&response.status) || !response.is_html() {
        return (None, None, false);
    }
    let (text, warning) = match decode_html(&response.body, response.charset()) {
        Decoded::Utf8(text) => (text, None),
        Decoded::Lossy(text, reason) => (text, Some(Warning { path, reason: reason.to_string() })),
        Decoded::Binary | Decoded::Empty => return (None, None, false),
    };
    let uri = record.target_uri.as_deref();
    let id = uri.map_or_else(|| format!("{file_id}#{}", record.number), str::to_string);
    let mut page = extract_page(&text, uri);
    // The address the page was fetched from is the one to join on, whatever
    // canonical form the page claims.
    page.url = uri.map(str::to_string).or(page.url);
    let fetched = record.date.as_deref().and_then(parse_date);
    let doc = from_page(id, display, Format::Warc, page).map(|mut doc| {
        doc.published = doc.published.or(fetched);
        doc
    });
    (doc, warning, false)
}

/// "business/001.txt.gz" → "business/001".
pub(super) fn strip_extensions(relative: &str) -> String {
    let lower = relative.to_ascii_lowercase();
    let mut end = relative.len();
    if lower.ends_with(".gz") {
        end -= 3;
    }
    match relative[..end].rfind('.') {
        Some(dot) if dot > relative[..end].rfind('/').map_or(0, |s| s + 1) => relative[..dot].to_string(),
        _ => relative[..end].to_string(),
    }
}

/// The longest first line still taken for a headline.
const MAX_HEADLINE_CHARS: usize = 200;

/// Plain text: BBC style — a short first line followed by a blank line is the
/// headline, unless it ends like a sentence or clause (`.` but not `...`, `,`, `;`,
/// `:`). Headlines may be questions or exclamations.
fn from_txt(id: String, path: &str, text: &str) -> Document {
    let body = text.trim_start_matches(['\n', '\r']).trim_end().to_string();
    let mut lines = body.lines();
    let first = lines.next().unwrap_or_default().trim();
    let second_blank = lines.next().is_some_and(|l| l.trim().is_empty());
    let is_headline = second_blank
        && !first.is_empty()
        && first.chars().count() <= MAX_HEADLINE_CHARS
        && (!first.ends_with(['.', ',', ';', ':']) || first.ends_with("..."));
    let title = is_headline.then(|| first.to_string());
    let body = match &title {
        // The headline's own line may carry leading spaces; keep the body starting
        // with the title so that paragraph 1 is the title.
        Some(t) if !body.starts_with(t.as_str()) => body.trim_start().to_string(),
        _ => body,
    };
    Document { id, path: path.to_string(), format: Format::Txt, title, body, ..Document::default() }
}

/// Markdown: optional `---` front matter with `title`, `date`, `url`; markup is
/// removed and blocks become paragraphs separated by blank lines.
fn from_markdown(id: String, path: &str, text: &str) -> Document {
    let (front, content) = split_front_matter(text);
    let field = |key: &str| front.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let (plain, first_heading) = markdown_to_text(content);
    let title = field("title").or(first_heading);
    let published = field("date").or_else(|| field("published")).and_then(|d| parse_date(&d));
    let body = with_title(title.as_deref(), plain);
    Document {
        id,
        path: path.to_string(),
        format: Format::Markdown,
        title,
        published,
        url: field("url"),
        body,
        author: field("author"),
        site: field("site"),
        language: field("lang").or_else(|| field("language")),
        description: field("description"),
    }
}

/// Front matter as (key, value) pairs, and the rest of the text.
///
/// Only flat `key: value` lines are read: the three fields docsql uses are
/// scalars, and a YAML parser would be a dependency for nothing.
fn split_front_matter(text: &str) -> (Vec<(String, String)>, &str) {
    let trimmed = text.trim_start_matches('\u{FEFF}');
    let Some(rest) = trimmed.strip_prefix("---").filter(|r| r.starts_with(['\n', '\r'])) else {
        return (Vec::new(), text);
    };
    let mut fields = Vec::new();
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        offset += line.len();
        let line = line.trim();
        if offset > line.len() + 1 && (line == "---" || line == "...") {
            return (fields, &rest[offset..]);
        }
        if let Some((key, value)) = line.split_once(':') {
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'').to_string();
            if !value.is_empty() {
                fields.push((key.trim().to_ascii_lowercase(), value));
            }
        }
    }
    // No closing fence: not front matter after all.
    (Vec::new(), text)
}

/// Markdown → plain text (blocks separated by blank lines) and the text of the
/// first heading when the document starts with one.
fn markdown_to_text(markdown: &str) -> (String, Option<String>) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::new();
    let mut first_heading: Option<String> = None;
    let mut in_first_heading = false;
    let mut seen_block = false;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) if !seen_block => {
                in_first_heading = true;
                first_heading = Some(String::new());
            }
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::CodeBlock(_) | Tag::Item) => {
                seen_block = true;
                end_block(&mut out);
            }
            Event::End(TagEnd::Heading(_)) => {
                in_first_heading = false;
                seen_block = true;
                end_block(&mut out);
            }
            Event::End(TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::Item) => end_block(&mut out),
            Event::Text(text) | Event::Code(text) => {
                if in_first_heading && let Some(h) = first_heading.as_mut() {
                    h.push_str(&text);
                }
                out.push_str(&text);
            }
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            _ => {}
        }
    }
    let first_heading = first_heading.map(|h| h.trim().to_string()).filter(|h| !h.is_empty());
    (out.trim().to_string(), first_heading)
}

fn end_block(out: &mut String) {
    let trimmed_len = out.trim_end().len();
    out.truncate(trimmed_len);
    if !out.is_empty() {
        out.push_str("\n\n");
    }
}

/// The body with the title as its first paragraph (unless it already is).
fn with_title(title: Option<&str>, text: String) -> String {
    match title {
        Some(t) if !t.is_empty() && !text.starts_with(t) => {
            if text.is_empty() {
                t.to_string()
            } else {
                format!("{t}\n\n{text}")
            }
        }
        _ => text,
    }
}

/// The document of JSON record number `n` of a file, or a warning naming it
/// (`path#n`).
fn from_record(
    file_id: &str,
    path: &str,
    format: Format,
    n: usize,
    record: serde_json::Result<Value>,
    warnings: &mut Vec<Warning>,
) -> Option<Document> {
    let warn = |reason: String| Warning { path: format!("{path}#{n}"), reason };
    let object = match record {
        Ok(Value::Object(object)) => object,
        Ok(_) => {
            warnings.push(warn("skipped: record is not a JSON object".into()));
            return None;
        }
        Err(err) => {
            warnings.push(warn(format!("skipped: invalid JSON: {err}")));
            return None;
        }
    };
    let string = |keys: &[&str]| {
        keys.iter().find_map(|k| match object.get(*k)? {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let Some(text) = string(&["text", "body", "content"]) else {
        warnings.push(warn("skipped: record has no text, body or content field".into()));
        return None;
    };
    let title = string(&["title", "headline"]).map(|t| t.trim().to_string());
    let published = string(&["date", "published"]).and_then(|d| parse_date(&d));
    let id = string(&["id"]).unwrap_or_else(|| format!("{file_id}#{n}"));
    let body = with_title(title.as_deref(), text.trim().to_string());
    Some(Document {
        id,
        path: path.to_string(),
        format,
        title,
        published,
        url: string(&["url"]),
        body,
        author: string(&["author", "byline"]),
        site: string(&["site", "source", "site_name"]),
        language: string(&["language", "lang"]),
        description: string(&["description", "summary"]),
    })
}

/// Dates as found in metadata: ISO dates and date-times, and the common
/// written forms ("7 October 2023", "October 7, 2023", "2023/10/07").
pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if let Some(iso) = text.get(..10)
        && let Ok(date) = NaiveDate::parse_from_str(iso, "%Y-%m-%d")
    {
        return Some(date);
    }
    ["%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%a, %d %b %Y"]
        .iter()
        .find_map(|fmt| NaiveDate::parse_from_str(text, fmt).ok())
        .or_else(|| chrono::DateTime::parse_from_rfc2822(text).ok().map(|d| d.date_naive()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(relative: &str, text: &str) -> Document {
        let Parsed { mut docs, warnings, .. } = parse_file(relative, relative, text.as_bytes(), u64::MAX);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(docs.len(), 1);
        docs.remove(0)
    }

    #[test]
    fn txt_headline_is_title_and_first_paragraph() {
        let doc = one("business/001.txt", "Ad sales boost profits\n\nQuarterly profits rose.\n");
        assert_eq!(doc.id, "business/001");
        assert_eq!(doc.title.as_deref(), Some("Ad sales boost profits"));
        assert_eq!(doc.body, "Ad sales boost profits\n\nQuarterly profits rose.");
        assert!(doc.starts_with_title());

        let no_title = one("x.txt", "A full sentence ends here.\nNext line.\n");
        assert_eq!(no_title.title, None);
        let no_title = one("x.txt", "A one-sentence paragraph.\n\nNext one.\n");
        assert_eq!(no_title.title, None);
        for headline in ["Could Yukos be a blessing in disguise?", "Rivals of the £400 Apple..."] {
            let doc = one("q.txt", &format!("{headline}\n\nBody text.\n"));
            assert_eq!(doc.title.as_deref(), Some(headline));
        }
    }

    #[test]
    fn markdown_front_matter_and_markup() {
        let doc = one(
            "notes/a.md",
            "---\ntitle: \"Big news\"\ndate: 2024-02-03\nurl: https://x.test/a\n---\n# Big news\n\nSome *bold* [link](http://y) text.\n\n- item one\n",
        );
        assert_eq!(doc.title.as_deref(), Some("Big news"));
        assert_eq!(doc.published, NaiveDate::from_ymd_opt(2024, 2, 3));
        assert_eq!(doc.url.as_deref(), Some("https://x.test/a"));
        assert_eq!(doc.body, "Big news\n\nSome bold link text.\n\nitem one");
    }

    #[test]
    fn json_records_and_lines() {
        let Parsed { docs, warnings, .. } = parse_file(
            "feed.json",
            "feed.json",
            br#"[{"id":"a1","title":"T","body":"Hello there.","published":"2023-10-07T10:00:00Z"},{"content":"No id."},{"title":"no text"},3]"#,
            u64::MAX,
        );
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "a1");
        assert_eq!(docs[0].body, "T\n\nHello there.");
        assert_eq!(docs[0].published, NaiveDate::from_ymd_opt(2023, 10, 7));
        assert_eq!(docs[1].id, "feed#2");
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0].path.ends_with("#3"));

        let Parsed { docs, warnings, .. } =
            parse_file("d/f.jsonl", "d/f.jsonl", b"{\"text\":\"one\"}\n\nnot json\n{\"text\":\"two\",\"author\":\"Ann Lee\",\"site\":\"The Post\",\"language\":\"en\",\"description\":\"Two.\"}\n", u64::MAX);
        assert_eq!(docs.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), vec!["d/f#1", "d/f#3"]);
        let meta = |d: &Document| [d.author.clone(), d.site.clone(), d.language.clone(), d.description.clone()];
        assert_eq!(meta(&docs[0]), [None, None, None, None]);
        assert_eq!(meta(&docs[1]).map(Option::unwrap), ["Ann Lee", "The Post", "en", "Two."]);
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn gzip_is_transparent() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"Title here\n\nBody text.").unwrap();
        let bytes = gz.finish().unwrap();
        let docs = parse_file("a/b.txt.gz", "a/b.txt.gz", &bytes, u64::MAX).docs;
        assert_eq!(docs[0].id, "a/b");
        assert_eq!(docs[0].title.as_deref(), Some("Title here"));
        let Parsed { docs, warnings, .. } = parse_file("bad.txt.gz", "bad.txt.gz", b"not gzip", u64::MAX);
        assert!(docs.is_empty() && warnings[0].reason.contains("gzip"));
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn documents_over_the_size_limit_are_skipped_with_the_limit_named() {
        let reasons = |parsed: &Parsed| -> Vec<(String, String)> {
            parsed.warnings.iter().map(|w| (w.path.clone(), w.reason.clone())).collect()
        };
        // A document of exactly the limit is read; one byte more is not.
        let text = "Headline\n\nBody.";
        let limit = text.len() as u64;
        assert_eq!(parse_file("a.txt", "a.txt", text.as_bytes(), limit).docs.len(), 1);
        let parsed = parse_file("a.txt", "a.txt", text.as_bytes(), limit - 1);
        assert!(parsed.docs.is_empty() && parsed.unread);
        assert_eq!(
            reasons(&parsed),
            [(
                "a.txt".into(),
                "skipped: the file is over --max-doc-size (14); raise it, e.g. --max-doc-size 28, to read it".into()
            )]
        );
        // Gzipped, the limit is on the decompressed bytes.
        let packed = gzip(&vec![b'a'; 3 << 20]);
        assert!(packed.len() < 1 << 20);
        let parsed = parse_file("bomb.txt.gz", "bomb.txt.gz", &packed, 1 << 20);
        assert!(parsed.docs.is_empty() && parsed.unread);
        assert_eq!(
            reasons(&parsed),
            [(
                "bomb.txt.gz".into(),
                "skipped: the file, decompressed, is over --max-doc-size (1M); raise it, e.g. --max-doc-size 2M, to read it"
                    .into()
            )]
        );
        assert_eq!(parse_file("ok.txt.gz", "ok.txt.gz", &gzip(text.as_bytes()), limit).docs.len(), 1);
    }

    #[test]
    fn jsonl_is_limited_per_record() {
        let long = format!("{{\"text\":\"{}\"}}", "x".repeat(100));
        let lines = format!("{{\"text\":\"one\"}}\n\n{long}\n{{\"text\":\"three\"}}\r\n{long}");
        for (name, bytes) in [("f.jsonl", lines.clone().into_bytes()), ("f.jsonl.gz", gzip(lines.as_bytes()))] {
            let parsed = parse_file(name, name, &bytes, 50);
            let ids: Vec<&str> = parsed.docs.iter().map(|d| d.id.as_str()).collect();
            assert_eq!(ids, ["f#1", "f#3"], "{name}");
            assert_eq!(parsed.docs[1].body, "three");
            let warned: Vec<&str> = parsed.warnings.iter().map(|w| w.path.as_str()).collect();
            assert_eq!(warned, [format!("{name}#2"), format!("{name}#4")]);
            assert!(parsed.warnings[0].reason.starts_with("skipped: this record is over --max-doc-size (50); "));
            assert_eq!((parsed.oversized_records, parsed.unread), (2, false));
        }
        // Over the limit as a whole, but no record is: all read.
        let parsed = parse_file("f.jsonl", "f.jsonl", lines.as_bytes(), 200);
        assert_eq!(parsed.docs.len(), 4);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn jsonl_decoding_as_for_whole_files() {
        let parsed =
            parse_file("f.jsonl", "f.jsonl", b"\xEF\xBB\xBF{\"text\":\"caf\xe9\"}\n{\"text\":\"\xa35m\"}\n", 1000);
        let bodies: Vec<&str> = parsed.docs.iter().map(|d| d.body.as_str()).collect();
        assert_eq!(bodies, ["café", "£5m"]);
        let reasons: Vec<&str> = parsed.warnings.iter().map(|w| w.reason.as_str()).collect();
        assert_eq!(reasons, ["not UTF-8; decoded as Windows-1252 (Latin-1)"]);
        let reason = |bytes: &[u8]| parse_file("f.jsonl", "f.jsonl", bytes, 1000).warnings[0].reason.clone();
        assert_eq!(reason(b"\x7fELF\x00\x01\n{\"text\":\"a\"}"), "skipped: binary file");
        assert_eq!(reason(b"\n  \n"), "skipped: empty file");
        let bad = parse_file("f.jsonl.gz", "f.jsonl.gz", b"not gzip", 1000);
        assert!(bad.warnings[0].reason.starts_with("skipped: bad gzip data: "), "{:?}", bad.warnings);
    }

    #[test]
    fn dates_in_metadata() {
        for text in ["2023-10-07", "2023-10-07T01:02:03+02:00", "7 October 2023", "October 7, 2023", "2023/10/07"] {
            assert_eq!(parse_date(text), NaiveDate::from_ymd_opt(2023, 10, 7), "{text}");
        }
        assert_eq!(parse_date("soon"), None);
    }
}
