//! WARC 1.0 / 1.1 archives (the format of web crawls), read one record at a
//! time.
//!
//! Written by hand on `flate2` rather than taken from a `warc` crate because
//! docsql needs three things those lack together: the byte offset of every
//! record in the *file* (compressed offsets for `.warc.gz`, so that `build` can
//! split a big archive into parts that its workers read independently), a
//! reader that survives damage (a wrong `Content-Length`, a truncated last
//! record) by resynchronising on the next `WARC/1.x` line instead of failing,
//! and HTTP payload decoding (chunked transfer, gzip/deflate content
//! encoding, charset from the `Content-Type` header).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::Path;

use super::HashingReader;

/// The largest header block read before a record is declared damaged.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// One WARC record, its payload read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Position of the record among the records read (1-based).
    pub number: usize,
    /// `WARC-Type`: `response`, `request`, `metadata`, `revisit`, …
    pub kind: String,
    /// `WARC-Target-URI`.
    pub target_uri: Option<String>,
    /// `WARC-Date` (ISO 8601).
    pub date: Option<String>,
    /// The record's `Content-Type` (for a response: `application/http; msgtype=response`).
    pub content_type: Option<String>,
    /// The record block: for a response, the HTTP status line, headers and body.
    pub block: Vec<u8>,
}

/// What the reader found at one place in the archive.
#[derive(Debug)]
pub enum Item {
    /// A whole record.
    Record(Record),
    /// A record that could not be read as one, skipped; `reason` says why.
    Damaged {
        /// Position among the records read (1-based).
        number: usize,
        /// The target URI, when its header could be read.
        target_uri: Option<String>,
        /// What was wrong.
        reason: String,
    },
    /// A record whose block is bigger than the reader's limit (see
    /// [`WarcReader::with_max_record`]): skipped, its block never held.
    Oversized {
        /// Position among the records read (1-based).
        number: usize,
        /// The target URI.
        target_uri: Option<String>,
        /// Its `Content-Length`: the size of its block.
        length: u64,
    },
}

/// Reads records from an uncompressed WARC stream (wrap a `.warc.gz` in
/// [`flate2::read::MultiGzDecoder`] first: crawls gzip each record as its own
/// member, which that decoder reads as one stream).
pub struct WarcReader<R> {
    input: R,
    /// Bytes read ahead and given back (after a record overran its length).
    pushback: Vec<u8>,
    records: usize,
    done: bool,
    /// Records with a bigger block are skipped (see [`Item::Oversized`]).
    max_record: u64,
}

impl<R: BufRead> WarcReader<R> {
    /// A reader over `input`, with no limit on the size of a record.
    pub fn new(input: R) -> Self {
        WarcReader { input, pushback: Vec::new(), records: 0, done: false, max_record: u64::MAX }
    }

    /// Records whose block (`Content-Length`) is bigger than `max` bytes are
    /// read past, not into memory, and given as [`Item::Oversized`].
    pub fn with_max_record(mut self, max: u64) -> Self {
        self.max_record = max;
        self
    }

    /// Reads up to the next line break, or [`MAX_HEADER_BYTES`] of a longer
    /// line (the rest comes as the next "line"): whatever the input, a line
    /// never takes more memory than that. No WARC line is that long (a header
    /// block that is is damaged); resynchronising over junk reads it in pieces.
    fn read_line(&mut self, line: &mut Vec<u8>) -> io::Result<usize> {
        line.clear();
        if !self.pushback.is_empty() {
            match self.pushback.iter().position(|&b| b == b'\n') {
                Some(end) => {
                    line.extend(self.pushback.drain(..=end));
                    return Ok(line.len());
                }
                None => line.append(&mut self.pushback),
            }
        }
        (&mut self.input).take(MAX_HEADER_BYTES as u64).read_until(b'\n', line)?;
        Ok(line.len())
    }

    /// Reads past `len` bytes (pushed back ones first) without keeping them;
    /// returns how many there were.
    fn skip_len(&mut self, len: u64) -> io::Result<u64> {
        let from_pushback = len.min(self.pushback.len() as u64);
        self.pushback.drain(..from_pushback as usize);
        let skipped = io::copy(&mut (&mut self.input).take(len - from_pushback), &mut io::sink())?;
        Ok(from_pushback + skipped)
    }

    fn read_exact_len(&mut self, len: usize) -> io::Result<Vec<u8>> {
        let from_pushback = len.min(self.pushback.len());
        let mut out: Vec<u8> = self.pushback.drain(..from_pushback).collect();
        let rest = len - from_pushback;
        if rest > 0 {
            (&mut self.input).take(rest as u64).read_to_end(&mut out)?;
        }
        Ok(out)
    }

    /// Skips to the next line that starts a record; false at the end.
    fn resync(&mut self, line: &mut Vec<u8>) -> io::Result<bool> {
        loop {
            if self.read_line(line)? == 0 {
                return Ok(false);
            }
            if is_version_line(line) {
                return Ok(true);
            }
        }
    }

    fn next_item(&mut self) -> io::Result<Option<Item>> {
        let mut line = Vec::new();
        // Blank lines between records (the two CRLFs that end each one).
        loop {
            if self.read_line(&mut line)? == 0 {
                return Ok(None);
            }
            if !line.iter().all(u8::is_ascii_whitespace) {
                break;
            }
        }
        self.records += 1;
        let number = self.records;
        if !is_version_line(&line) {
            let found = self.resync(&mut line)?;
            let reason = "not a WARC record (no WARC/1.x line); skipped to the next record".to_string();
            if found {
                self.pushback.splice(0..0, line.iter().copied());
            }
            return Ok(Some(Item::Damaged { number, target_uri: None, reason }));
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut header_bytes = 0;
        loop {
            let n = self.read_line(&mut line)?;
            if n == 0 {
                let target_uri = header(&headers, "warc-target-uri");
                return Ok(Some(Item::Damaged { number, target_uri, reason: "truncated record header".into() }));
            }
            header_bytes += n;
            if header_bytes > MAX_HEADER_BYTES {
                return Ok(Some(self.damaged_resync(number, None, "record header too long".into())?));
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            if text.is_empty() {
                break;
            }
            if let Some((name, value)) = text.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
        }
        let target_uri = header(&headers, "warc-target-uri");
        let Some(length) = header(&headers, "content-length").and_then(|l| l.parse::<u64>().ok()) else {
            return Ok(Some(self.damaged_resync(number, target_uri, "no valid Content-Length".into())?));
        };
        if length > self.max_record {
            let skipped = self.skip_len(length)?;
            if skipped < length {
                self.done = true;
                let reason = format!("truncated record: {skipped} of {length} bytes");
                return Ok(Some(Item::Damaged { number, target_uri, reason }));
            }
            // The two line breaks that end it; whatever else is there is
            // given back, to be read (or resynchronised over) as the next record.
            let terminator = self.read_exact_len(4)?;
            let breaks = terminator.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
            self.pushback.splice(0..0, terminator[breaks..].iter().copied());
            return Ok(Some(Item::Oversized { number, target_uri, length }));
        }
        // At most `max_record` (a usize: it is no bigger than memory), the
        // record fits in memory.
        let length = usize::try_from(length).unwrap_or(usize::MAX);
        let block = self.read_exact_len(length)?;
        if block.len() < length {
            self.done = true;
            let reason = format!("truncated record: {} of {} bytes", block.len(), length);
            return Ok(Some(Item::Damaged { number, target_uri, reason }));
        }
        // A record ends with two CRLFs; anything else means its Content-Length
        // is wrong. When the next record started inside the block read, give
        // it back so that it is not lost.
        let terminator = self.read_exact_len(4)?;
        // Some writers end records with bare LFs: two line breaks, then the
        // start of the next record, will do (one is not enough: that is a
        // header line break inside the next record, when the length overran).
        let breaks = terminator.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        let line_feeds = terminator[..breaks].iter().filter(|&&b| b == b'\n').count();
        let after_breaks = terminator[breaks..].to_vec();
        if after_breaks.is_empty() || (line_feeds >= 2 && b"WARC/".starts_with(&after_breaks)) {
            self.pushback.splice(0..0, after_breaks);
        } else {
            let mut seen = block;
            seen.extend_from_slice(&terminator);
            if let Some(start) = find_record_start(&seen) {
                self.pushback.splice(0..0, seen[start..].iter().copied());
            } else {
                self.pushback.splice(0..0, terminator.iter().copied());
            }
            let reason = format!("Content-Length {length} does not end at a record boundary");
            return Ok(Some(Item::Damaged { number, target_uri, reason }));
        }
        let kind = header(&headers, "warc-type").unwrap_or_default().to_ascii_lowercase();
        let date = header(&headers, "warc-date");
        let content_type = header(&headers, "content-type");
        Ok(Some(Item::Record(Record { number, kind, target_uri, date, content_type, block })))
    }

    fn damaged_resync(&mut self, number: usize, target_uri: Option<String>, reason: String) -> io::Result<Item> {
        let mut line = Vec::new();
        if self.resync(&mut line)? {
            self.pushback.splice(0..0, line.iter().copied());
        }
        Ok(Item::Damaged { number, target_uri, reason })
    }
}

impl<R: BufRead> Iterator for WarcReader<R> {
    type Item = io::Result<Item>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = self.next_item();
        if !matches!(item, Ok(Some(_))) {
            self.done = true;
        }
        item.transpose()
    }
}

fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).filter(|v| !v.is_empty())
}

fn is_version_line(line: &[u8]) -> bool {
    line.starts_with(b"WARC/1.") && line.len() <= 16
}

/// Where a record starts inside `bytes` after a line break, if anywhere.
fn find_record_start(bytes: &[u8]) -> Option<usize> {
    bytes.windows(9).position(|w| w.starts_with(b"\nWARC/1.")).map(|p| p + 1)
}

/// An HTTP response as stored in a WARC `response` record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code (200 …); 0 when the status line is unreadable.
    pub status: u16,
    /// The `Content-Type` header, lower-cased.
    pub content_type: Option<String>,
    /// The body, de-chunked and decompressed.
    pub body: Vec<u8>,
    /// The body decompressed to more than the limit given to
    /// [`HttpResponse::parse`]: decompression stopped there, `body` is empty.
    pub body_over_limit: bool,
}

impl HttpResponse {
    /// Parses a response record's block; `None` when it is not HTTP. A body
    /// compressed (`Content-Encoding`) is decompressed up to `max_body` bytes
    /// and no further (see [`HttpResponse::body_over_limit`]).
    pub fn parse(block: &[u8], max_body: u64) -> Option<HttpResponse> {
        let header_end = block
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map(|p| (p, p + 4))
            .or_else(|| block.windows(2).position(|w| w == b"\n\n").map(|p| (p, p + 2)))?;
        let head = String::from_utf8_lossy(&block[..header_end.0]);
        let mut lines = head.lines();
        let status_line = lines.next()?;
        if !status_line.starts_with("HTTP/") {
            return None;
        }
        let status = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut content_type = None;
        let mut chunked = false;
        let mut encoding = None;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else { continue };
            let value = value.trim().to_ascii_lowercase();
            match name.trim().to_ascii_lowercase().as_str() {
                "content-type" => content_type = Some(value),
                "transfer-encoding" => chunked = value.contains("chunked"),
                "content-encoding" => encoding = Some(value),
                _ => {}
            }
        }
        let mut body = block[header_end.1..].to_vec();
        if chunked && let Some(joined) = dechunk(&body) {
            body = joined;
        }
        let decoded = decode_body(encoding.as_deref(), &body, max_body);
        let body_over_limit = decoded.as_ref().is_some_and(|out| out.len() as u64 > max_body);
        match decoded {
            Some(_) if body_over_limit => body = Vec::new(),
            Some(out) => body = out,
            None => {}
        }
        Some(HttpResponse { status, content_type, body, body_over_limit })
    }

    /// True when the body is an HTML page (by header, or by sniffing when the
    /// header is missing).
    pub fn is_html(&self) -> bool {
        match &self.content_type {
            Some(t) => t.contains("html"),
            None => {
                let start: Vec<u8> = self.body.iter().take(512).map(u8::to_ascii_lowercase).collect();
                start.windows(5).any(|w| w == b"<html") || start.windows(9).any(|w| w == b"<!doctype")
            }
        }
    }

    /// The charset named by the `Content-Type` header.
    pub fn charset(&self) -> Option<&str> {
        let t = self.content_type.as_deref()?;
        let at = t.find("charset=")? + "charset=".len();
        let value = t[at..].split(';').next()?.trim().trim_matches(['"', '\'']);
        (!value.is_empty()).then_some(value)
    }
}

/// A body in `Content-Encoding` `encoding`, decompressed up to one byte past
/// `max_body` (which tells a body over the limit from one at it); `None` when
/// it is not compressed or not well formed.
fn decode_body(encoding: Option<&str>, body: &[u8], max_body: u64) -> Option<Vec<u8>> {
    let decoder: Box<dyn Read + '_> = match encoding? {
        "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(body)),
        "deflate" => Box::new(flate2::read::ZlibDecoder::new(body)),
        _ => return None,
    };
    let mut out = Vec::new();
    decoder.take(max_body.saturating_add(1)).read_to_end(&mut out).ok()?;
    Some(out)
}

/// Joins a chunked transfer-encoded body; `None` when it is not well formed.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size..)?;
        body = body.strip_prefix(b"\r\n").unwrap_or(body);
    }
}

/// Opens the byte range `range` of a WARC file (the whole file when `None`) as
/// a stream of uncompressed WARC data, feeding every raw byte read to `hasher`.
pub fn open_range<'a>(
    path: &Path,
    gzipped: bool,
    range: Option<Range<u64>>,
    hasher: Option<&'a mut blake3::Hasher>,
) -> io::Result<Box<dyn BufRead + 'a>> {
    let mut file = File::open(path)?;
    let raw: Box<dyn Read> = match range {
        Some(range) => {
            file.seek(SeekFrom::Start(range.start))?;
            Box::new(file.take(range.end - range.start))
        }
        None => Box::new(file),
    };
    let raw: Box<dyn Read + 'a> = match hasher {
        Some(hasher) => Box::new(HashingReader { inner: raw, hasher }),
        None => raw,
    };
    Ok(if gzipped {
        Box::new(BufReader::with_capacity(1 << 16, flate2::read::MultiGzDecoder::new(BufReader::new(raw))))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, raw))
    })
}

/// Splits a WARC file into byte ranges of about `part_bytes` each, cut only
/// where a record (for `.warc.gz`, a gzip member) starts, so that each range
/// can be read on its own. One range when the file is small, or when it is a
/// single gzip stream that cannot be cut.
pub fn split_parts(path: &Path, gzipped: bool, part_bytes: u64) -> io::Result<Vec<Range<u64>>> {
    let size = std::fs::metadata(path)?.len();
    if size <= part_bytes {
        return Ok(std::iter::once(0..size).collect());
    }
    let starts = if gzipped { member_starts(path)? } else { record_starts(path)? };
    let mut parts = Vec::new();
    let mut part_start = 0;
    for start in starts {
        if start - part_start >= part_bytes {
            parts.push(part_start..start);
            part_start = start;
        }
    }
    parts.push(part_start..size);
    Ok(parts)
}

/// The offsets where gzip members start (decompressing each to find its end).
fn member_starts(path: &Path) -> io::Result<Vec<u64>> {
    let mut input = CountingReader { inner: BufReader::with_capacity(1 << 16, File::open(path)?), position: 0 };
    let mut starts = Vec::new();
    loop {
        if input.fill_buf()?.is_empty() {
            break;
        }
        starts.push(input.position);
        let mut member = flate2::bufread::GzDecoder::new(&mut input);
        if io::copy(&mut member, &mut io::sink()).is_err() {
            // Not gzip from here on: the rest is one part.
            break;
        }
    }
    Ok(starts)
}

/// The offsets where records of an uncompressed WARC start (headers read,
/// blocks skipped).
fn record_starts(path: &Path) -> io::Result<Vec<u64>> {
    let mut input = CountingReader { inner: BufReader::with_capacity(1 << 16, File::open(path)?), position: 0 };
    let mut starts = Vec::new();
    let mut line = Vec::new();
    let mut length: Option<u64> = None;
    let mut in_header = false;
    loop {
        let start = input.position;
        line.clear();
        // In pieces of a header's size at most, as WarcReader reads lines:
        // a long run of bytes without a line break never sits in memory.
        if (&mut input).take(MAX_HEADER_BYTES as u64).read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if !in_header {
            if is_version_line(&line) {
                starts.push(start);
                in_header = true;
                length = None;
            }
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end();
        if text.is_empty() {
            in_header = false;
            if let Some(len) = length {
                io::copy(&mut (&mut input).take(len), &mut io::sink())?;
            }
        } else if let Some((name, value)) = text.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok();
        }
    }
    Ok(starts)
}

struct CountingReader<R> {
    inner: R,
    position: u64,
}

impl<R: BufRead> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.position += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for CountingReader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.position += amount as u64;
        self.inner.consume(amount);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut out = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-01T10:00:00Z\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        out.extend_from_slice(block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    fn items(bytes: &[u8]) -> Vec<Item> {
        WarcReader::new(bytes).collect::<io::Result<Vec<_>>>().unwrap()
    }

    #[test]
    fn records_and_damage() {
        let mut warc =
            record("response", "http://a/1", b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>one</p>");
        // Content-Length one byte too long: swallows the start of the next record.
        let block = b"HTTP/1.1 200 OK\r\n\r\n<p>two</p>";
        let bad = String::from_utf8(record("response", "http://a/2", block)).unwrap();
        let too_long = format!("Content-Length: {}", block.len() + 12);
        warc.extend(bad.replace(&format!("Content-Length: {}", block.len()), &too_long).into_bytes());
        warc.extend(record("request", "http://a/3", b"GET / HTTP/1.1\r\n\r\n"));
        let mut truncated = record("response", "http://a/4", b"HTTP/1.1 200 OK\r\n\r\n<p>four</p>");
        truncated.truncate(truncated.len() - 10);
        warc.extend(truncated);
        let found = items(&warc);
        let summary: Vec<String> = found
            .iter()
            .map(|item| match item {
                Item::Record(r) => format!("{} {} {}", r.number, r.kind, r.target_uri.as_deref().unwrap_or("")),
                Item::Damaged { number, target_uri, .. } => {
                    format!("{number} damaged {}", target_uri.as_deref().unwrap_or(""))
                }
                Item::Oversized { number, .. } => format!("{number} oversized"),
            })
            .collect();
        assert_eq!(
            summary,
            ["1 response http://a/1", "2 damaged http://a/2", "3 request http://a/3", "4 damaged http://a/4"]
        );
    }

    #[test]
    fn records_ended_by_bare_line_feeds() {
        let mut warc = Vec::new();
        for uri in ["http://a/1", "http://a/2"] {
            let mut one = record("response", uri, b"HTTP/1.1 200 OK\r\n\r\n<p>x</p>");
            one.truncate(one.len() - 4);
            one.extend_from_slice(b"\n\n");
            warc.extend(one);
        }
        let uris: Vec<String> = items(&warc)
            .into_iter()
            .map(|item| match item {
                Item::Record(r) => r.target_uri.unwrap(),
                Item::Damaged { reason, .. } => reason,
                Item::Oversized { number, .. } => format!("{number} oversized"),
            })
            .collect();
        assert_eq!(uris, ["http://a/1", "http://a/2"]);
    }

    #[test]
    fn records_over_the_limit_are_skipped_unread() {
        let big = format!("HTTP/1.1 200 OK\r\n\r\n<p>{}</p>", "x".repeat(1000));
        let mut warc = record("response", "http://a/1", b"HTTP/1.1 200 OK\r\n\r\n<p>one</p>");
        warc.extend(record("response", "http://a/big", big.as_bytes()));
        warc.extend(record("response", "http://a/3", b"HTTP/1.1 200 OK\r\n\r\n<p>three</p>"));
        let summary: Vec<String> = WarcReader::new(&warc[..])
            .with_max_record(100)
            .map(|item| match item.unwrap() {
                Item::Record(r) => format!("{} {}", r.number, r.target_uri.unwrap()),
                Item::Oversized { number, target_uri, length } => {
                    format!("{number} oversized {} {length}", target_uri.unwrap())
                }
                Item::Damaged { number, reason, .. } => format!("{number} damaged {reason}"),
            })
            .collect();
        assert_eq!(
            summary,
            ["1 http://a/1", format!("2 oversized http://a/big {}", big.len()).as_str(), "3 http://a/3"]
        );
        // Cut inside the big block: reported as truncated, not oversized.
        let cut = &warc[..warc.len() - 500];
        let last = WarcReader::new(cut).with_max_record(100).last().unwrap().unwrap();
        assert!(matches!(&last, Item::Damaged { number: 2, reason, .. } if reason.starts_with("truncated record: ")));
    }

    #[test]
    fn compressed_pages_are_decompressed_up_to_the_limit() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&[b' '; 5000]).unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(gz.finish().unwrap());
        let at_limit = HttpResponse::parse(&block, 5000).unwrap();
        assert_eq!((at_limit.body.len(), at_limit.body_over_limit), (5000, false));
        let over = HttpResponse::parse(&block, 4999).unwrap();
        assert_eq!((over.body.len(), over.body_over_limit), (0, true));
    }

    #[test]
    fn http_payloads() {
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n4\r\n<p>a\r\n5\r\nb</p>\r\n0\r\n\r\n";
        let response = HttpResponse::parse(chunked, u64::MAX).unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.body, b"<p>ab</p>");
        assert_eq!(response.charset(), Some("iso-8859-1"));
        assert!(response.is_html());
        let image =
            HttpResponse::parse(b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG", u64::MAX).unwrap();
        assert!(!image.is_html());
        assert_eq!(HttpResponse::parse(b"GET / HTTP/1.1\r\n\r\n", u64::MAX), None);
    }
}
