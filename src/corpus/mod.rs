//! Finding and reading documents: files, folders and glob patterns in; one
//! [`Document`] per article out, plus a warning for every file that could not be
//! used as it was.
//!
//! Reading never fails as a whole: a bad file becomes a [`Warning`] naming it, and
//! loading goes on with the others.

mod decode;
mod formats;
pub mod html;
pub mod warc;

use std::ffi::OsStr;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

pub use decode::{Decoded, decode_text};
pub use formats::Parsed;

/// The source formats docsql reads, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Plain text; a short first line followed by a blank line is the headline.
    #[default]
    Txt,
    /// Markdown, with optional YAML front matter.
    Markdown,
    /// A JSON object or an array of objects, one article each.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// A web page: its main text, title and metadata.
    Html,
    /// A WARC archive (web crawl): each HTML response record is a page.
    Warc,
}

/// Input file extensions (lower case) and their formats: the one list behind
/// [`Format::from_file_name`], the "unsupported file type" warning and the
/// command-line help. The first extension of each format is the one messages
/// name; later ones are accepted synonyms.
const EXTENSIONS: &[(&str, Format)] = &[
    ("txt", Format::Txt),
    ("text", Format::Txt),
    ("md", Format::Markdown),
    ("markdown", Format::Markdown),
    ("json", Format::Json),
    ("jsonl", Format::Jsonl),
    ("ndjson", Format::Jsonl),
    ("html", Format::Html),
    ("htm", Format::Html),
    ("warc", Format::Warc),
];

impl Format {
    /// The suffix of gzip-compressed files, which may follow any extension.
    pub const GZIP_EXTENSION: &str = ".gz";

    /// The name stored in `articles.format`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::Txt => "txt",
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Html => "html",
            Format::Warc => "warc",
        }
    }

    /// The format of a file name that may not be UTF-8 (see
    /// [`Format::from_file_name`]).
    pub fn from_os_file_name(name: &OsStr) -> Option<(Format, bool)> {
        // Exact for any name: undecodable bytes become U+FFFD, which is
        // neither a dot nor in any extension, so the extension (ASCII) and
        // the dot before it are found where the raw bytes have them.
        Self::from_file_name(&name.to_string_lossy())
    }

    /// The format of a file name (case-insensitive), and whether it is gzipped.
    pub fn from_file_name(name: &str) -> Option<(Format, bool)> {
        let lower = name.to_ascii_lowercase();
        let (stem, gzipped) = match lower.strip_suffix(Self::GZIP_EXTENSION) {
            Some(stem) => (stem, true),
            None => (lower.as_str(), false),
        };
        let ext = Path::new(stem).extension()?.to_str()?;
        let &(_, format) = EXTENSIONS.iter().find(|(name, _)| *name == ext)?;
        Some((format, gzipped))
    }

    /// Every extension read, with its dot, synonyms included: `.txt`, `.text`,
    /// `.md`, `.markdown`, `.json`, `.jsonl`, `.ndjson`, `.html`, `.htm`, `.warc`.
    pub fn all_extensions() -> Vec<String> {
        EXTENSIONS.iter().map(|(ext, _)| format!(".{ext}")).collect()
    }

    /// The extensions to name in messages and help, one per format:
    /// ".txt, .md, .json, .jsonl, .html, .warc".
    pub fn extensions() -> String {
        let first_of_format = |&(i, &(_, format)): &(usize, &(&str, Format))| {
            !EXTENSIONS[..i].iter().any(|&(_, earlier)| earlier == format)
        };
        let named: Vec<String> =
            EXTENSIONS.iter().enumerate().filter(first_of_format).map(|(_, (ext, _))| format!(".{ext}")).collect();
        named.join(", ")
    }
}

/// One article, ready for extraction.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Stable id: the path relative to the corpus root without extension, or the
    /// `id` field of a JSON record.
    pub id: String,
    /// The path of the file it came from, as found.
    pub path: String,
    /// The source format.
    pub format: Format,
    /// The headline, when the document has one.
    pub title: Option<String>,
    /// Publication date, when the document gives one.
    pub published: Option<NaiveDate>,
    /// Source URL, when the document gives one.
    pub url: Option<String>,
    /// The plain text that is analysed. For txt, md and json, when `title` is
    /// set the body starts with the title as its own paragraph; a web page's
    /// body is its main text alone (as the article-extraction benchmark
    /// defines it), the headline being in `title`.
    pub body: String,
    /// The author(s), when the document names them (web pages, metadata fields).
    pub author: Option<String>,
    /// The site or publication's name (`og:site_name`; a `site` field).
    pub site: Option<String>,
    /// The language tag the document declares (`<html lang>`), e.g. `en-GB`.
    pub language: Option<String>,
    /// The document's own summary (`<meta name=description>`; a `description` field).
    pub description: Option<String>,
}

impl Document {
    /// True when the first paragraph of the body is the headline.
    pub fn starts_with_title(&self) -> bool {
        self.title.as_deref().is_some_and(|t| self.body.starts_with(t))
    }
}

/// A file that was skipped or read with a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file concerned.
    pub path: String,
    /// What went wrong, and what was done about it.
    pub reason: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.path, self.reason)
    }
}

/// The outcome of loading: articles, warnings and a count of skipped files.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Every article read, in a stable order (by path, then by position in file).
    pub documents: Vec<Document>,
    /// One entry per file that was skipped or decoded with a problem.
    pub warnings: Vec<Warning>,
    /// Files that produced no article.
    pub skipped: usize,
    /// WARC records that gave no article (requests, metadata, revisits,
    /// responses that are not HTML pages with text, damaged records).
    pub records_skipped: usize,
}

impl Corpus {
    /// The one-line summary printed at the end of loading.
    pub fn summary(&self) -> String {
        let mut summary = format!("loaded {} articles, {} skipped", self.documents.len(), self.skipped);
        if self.records_skipped > 0 {
            summary.push_str(&format!(" ({} WARC records skipped: not HTML pages with text)", self.records_skipped));
        }
        summary
    }
}

/// The default of `--max-doc-size`: the most bytes one document (a file, or
/// a record of a WARC or JSONL file) may take once decompressed. Far above
/// any news article, far below what a gzip bomb or a stray disk image would
/// make docsql hold in memory.
pub const DEFAULT_MAX_DOC_SIZE: u64 = 64 * 1024 * 1024;

/// A file to read, with the id stem it will give its articles.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Where to read it.
    pub path: PathBuf,
    /// Path relative to its corpus root, `/`-separated, with the extension;
    /// bytes of the name that are not UTF-8 are written `\xNN` (see
    /// [`display_path`]).
    pub relative: String,
}

impl SourceFile {
    /// The path as documents and warnings show it (see [`display_path`]).
    pub fn display(&self) -> String {
        display_path(&self.path)
    }

    /// True when its path is not valid UTF-8, so that [`SourceFile::display`]
    /// and the article ids spell some bytes as `\xNN`.
    fn path_is_not_utf8(&self) -> bool {
        self.path.to_str().is_none()
    }
}

/// A path as text: as it is when it is UTF-8; otherwise each byte that is not
/// part of a UTF-8 character written `\xNN`. Unlike a lossy conversion (every
/// such byte U+FFFD) two different names stay different, and so do the
/// article ids and store keys made from them.
pub fn display_path(path: &Path) -> String {
    escape_os_str(path.as_os_str())
}

fn escape_os_str(text: &OsStr) -> String {
    if let Some(text) = text.to_str() {
        return text.to_string();
    }
    let mut out = String::new();
    for chunk in text.as_encoded_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}

/// The warning for a file whose path is not UTF-8: it is read, under a name
/// that spells the undecodable bytes (the id to query it by).
fn not_utf8_path_warning(file: &SourceFile) -> Warning {
    Warning {
        path: file.display(),
        reason: "path is not valid UTF-8: read, with its undecodable bytes written \\xNN in its path and article ids"
            .into(),
    }
}

/// The reason given for a document skipped because it is bigger than
/// `max_doc_size`: `what` it is and, when known, its size; says how to raise
/// the limit.
pub(crate) fn oversize_reason(what: &str, size: Option<u64>, max_doc_size: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    let mut suggested = max_doc_size.saturating_mul(2).max(1);
    while size.is_some_and(|size| suggested < size) {
        suggested = suggested.saturating_mul(2);
    }
    if suggested > MIB {
        suggested = suggested.div_ceil(MIB).saturating_mul(MIB);
    }
    let measure = size.map_or_else(|| "over".to_string(), |size| format!("{size} bytes, over"));
    format!(
        "skipped: {what} is {measure} --max-doc-size ({}); raise it, e.g. --max-doc-size {}, to read it",
        size_argument(max_doc_size),
        size_argument(suggested)
    )
}

/// A size as `--max-doc-size` takes it: `64M`, `1G`, `500K`, or bytes.
fn size_argument(bytes: u64) -> String {
    for (unit, scale) in [("G", 1u64 << 30), ("M", 1 << 20), ("K", 1 << 10)] {
        if bytes >= scale && bytes.is_multiple_of(scale) {
            return format!("{}{unit}", bytes / scale);
        }
    }
    bytes.to_string()
}

/// A reader that passes every byte it reads to a hasher (the store's content
/// hash of a file is taken as the file is parsed, in one read).
pub(crate) struct HashingReader<'a, R> {
    pub(crate) inner: R,
    pub(crate) hasher: &'a mut blake3::Hasher,
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// Expands inputs (files, folders searched recursively, glob patterns) into the
/// files to read, sorted. Unknown extensions and missing paths become warnings.
pub fn discover<S: AsRef<str>>(inputs: &[S]) -> (Vec<SourceFile>, Vec<Warning>) {
    let mut files = Vec::new();
    let mut warnings = Vec::new();
    for input in inputs {
        let input = input.as_ref();
        let path = Path::new(input);
        if path.is_dir() {
            walk_folder(path, path, &mut files, &mut warnings);
        } else if path.exists() || path.is_symlink() {
            let root = path.parent().unwrap_or(Path::new(""));
            add_file(path, root, &mut files, &mut warnings);
        } else if input.contains(['*', '?', '[']) {
            expand_glob(input, &mut files, &mut warnings);
        } else {
            warnings.push(Warning { path: input.to_string(), reason: "no such file or folder".into() });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    (files, warnings)
}

fn walk_folder(dir: &Path, root: &Path, files: &mut Vec<SourceFile>, warnings: &mut Vec<Warning>) {
    let walker = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name();
    for entry in walker.into_iter().filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name())) {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                add_file(entry.path(), root, files, warnings);
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().map_or_else(|| dir.display().to_string(), |p| p.display().to_string());
                let reason = match err.io_error() {
                    Some(io) => format!("unreadable: {io}"),
                    None => format!("unreadable: {err}"),
                };
                warnings.push(Warning { path, reason });
            }
        }
    }
}

fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

fn expand_glob(pattern: &str, files: &mut Vec<SourceFile>, warnings: &mut Vec<Warning>) {
    // Ids are relative to the part of the pattern before its first wildcard.
    let literal_end = pattern.find(['*', '?', '[']).unwrap_or(pattern.len());
    let root = match pattern[..literal_end].rfind('/') {
        Some(slash) => PathBuf::from(&pattern[..slash.max(1)]),
        None => PathBuf::from(""),
    };
    let paths = match glob::glob(pattern) {
        Ok(paths) => paths,
        Err(err) => {
            warnings.push(Warning { path: pattern.to_string(), reason: format!("bad glob pattern: {err}") });
            return;
        }
    };
    let mut matched = false;
    for entry in paths {
        matched = true;
        match entry {
            Ok(path) if path.is_dir() => walk_folder(&path, &root, files, warnings),
            Ok(path) => add_file(&path, &root, files, warnings),
            Err(err) => warnings.push(Warning {
                path: err.path().display().to_string(),
                reason: format!("unreadable: {}", err.error()),
            }),
        }
    }
    if !matched {
        warnings.push(Warning { path: pattern.to_string(), reason: "pattern matched no file".into() });
    }
}

fn add_file(path: &Path, root: &Path, files: &mut Vec<SourceFile>, warnings: &mut Vec<Warning>) {
    if path.file_name().and_then(Format::from_os_file_name).is_none() {
        warnings.push(Warning {
            path: display_path(path),
            reason: format!(
                "unsupported file type (expected {}, optionally {})",
                Format::extensions(),
                Format::GZIP_EXTENSION
            ),
        });
        return;
    }
    let relative = path.strip_prefix(root).unwrap_or(path);
    let relative = relative.components().map(|c| escape_os_str(c.as_os_str())).collect::<Vec<_>>().join("/");
    files.push(SourceFile { path: path.to_path_buf(), relative });
}

/// Reads and parses files in parallel. Never fails: problems become warnings.
/// WARC and JSONL files are streamed, never read into memory whole; no
/// document (a file, or a record of those) is read beyond `max_doc_size`
/// bytes (see [`read_source`]).
pub fn load_files(files: &[SourceFile], max_doc_size: u64) -> Corpus {
    let results: Vec<Parsed> = files.par_iter().map(|file| read_source(file, None, None, max_doc_size)).collect();
    collect(results)
}

/// Reads and parses one discovered file: all of it, or for a WARC the byte
/// range `part` of it (see [`warc::split_parts`]), streamed. Every raw byte
/// read goes to `hasher` when given.
///
/// A document bigger than `max_doc_size` bytes (decompressed) is skipped with
/// a warning, and never read past that size: an uncompressed file is judged
/// by its size on disk before any read, a gzipped one is decompressed up to
/// the limit and no further; WARC and JSONL files are judged record by
/// record, the rest of the file still read. A file not read at all is marked
/// [`Parsed::unread`].
pub fn read_source(
    file: &SourceFile,
    part: Option<std::ops::Range<u64>>,
    hasher: Option<&mut blake3::Hasher>,
    max_doc_size: u64,
) -> Parsed {
    let display = file.display();
    let unreadable = |err: std::io::Error| Parsed {
        warnings: vec![Warning { path: display.clone(), reason: format!("unreadable: {err}") }],
        unread: true,
        ..Parsed::default()
    };
    let name = file.relative.rsplit('/').next().unwrap_or(&file.relative);
    let id = formats::strip_extensions(&file.relative);
    let mut parsed = match Format::from_file_name(name) {
        None => Parsed {
            warnings: vec![Warning { path: display.clone(), reason: "unsupported file type".into() }],
            unread: true,
            ..Parsed::default()
        },
        Some((Format::Warc, gzipped)) => match warc::open_range(&file.path, gzipped, part, hasher) {
            Ok(input) => formats::parse_warc(input, &id, &display, max_doc_size),
            Err(err) => unreadable(err),
        },
        Some((format, gzipped)) => match std::fs::File::open(&file.path).and_then(|f| Ok((f.metadata()?.len(), f))) {
            Ok((size, _)) if !gzipped && format != Format::Jsonl && size > max_doc_size => Parsed {
                warnings: vec![Warning {
                    path: display.clone(),
                    reason: oversize_reason("the file", Some(size), max_doc_size),
                }],
                unread: true,
                ..Parsed::default()
            },
            Ok((_, raw)) => match hasher {
                Some(hasher) => {
                    let raw = HashingReader { inner: raw, hasher };
                    formats::parse_stream(format, gzipped, raw, &id, &display, max_doc_size)
                }
                None => formats::parse_stream(format, gzipped, raw, &id, &display, max_doc_size),
            },
            Err(err) => unreadable(err),
        },
    };
    if file.path_is_not_utf8() {
        parsed.warnings.insert(0, not_utf8_path_warning(file));
    }
    parsed
}

/// Discovers and loads `inputs` (see [`discover`]), no document read beyond
/// `max_doc_size` bytes (see [`read_source`]).
pub fn load_paths<S: AsRef<str>>(inputs: &[S], max_doc_size: u64) -> Corpus {
    let (files, mut warnings) = discover(inputs);
    let unsupported = warnings.len();
    let mut corpus = load_files(&files, max_doc_size);
    warnings.append(&mut corpus.warnings);
    corpus.warnings = warnings;
    corpus.skipped += unsupported;
    corpus
}

/// The seed articles bundled in the binary.
static SEEDS: include_dir::Dir<'_> = include_dir::include_dir!("$CARGO_MANIFEST_DIR/seeds");

/// Loads the articles bundled in the binary from `seeds/`.
pub fn load_seeds() -> Corpus {
    let mut entries: Vec<&include_dir::File<'_>> = Vec::new();
    collect_seed_files(&SEEDS, &mut entries);
    entries.sort_by_key(|f| f.path());
    let results = entries
        .into_iter()
        .filter_map(|file| {
            let relative = file.path().to_string_lossy().replace('\\', "/");
            let name = relative.rsplit('/').next().unwrap_or(&relative);
            Format::from_file_name(name)?;
            let display = format!("seeds/{relative}");
            // Compiled in: no size limit to guard against.
            Some(formats::parse_file(&relative, &display, file.contents(), u64::MAX))
        })
        .collect();
    collect(results)
}

fn collect_seed_files<'a>(dir: &'a include_dir::Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    out.extend(dir.files());
    for sub in dir.dirs() {
        collect_seed_files(sub, out);
    }
}

fn collect(results: Vec<Parsed>) -> Corpus {
    let mut corpus = Corpus::default();
    for parsed in results {
        if parsed.docs.is_empty() {
            corpus.skipped += 1;
        }
        corpus.documents.extend(parsed.docs);
        corpus.warnings.extend(parsed.warnings);
        corpus.records_skipped += parsed.records_skipped;
    }
    make_ids_unique(&mut corpus);
    corpus
}

/// Two files can share an id ("a.txt" and "a.md"), as can JSON records: later ones
/// get a `~2`, `~3`… suffix so that `article_id` stays a key.
fn make_ids_unique(corpus: &mut Corpus) {
    let mut ids = UniqueIds::default();
    for doc in &mut corpus.documents {
        if let Some(new_id) = ids.assign(&doc.id) {
            corpus.warnings.push(ids.renamed_warning(doc, &new_id));
            doc.id = new_id;
        }
    }
}

/// Makes article ids unique in reading order (see [`load_files`]): the first
/// article with an id keeps it, later ones get a `~2`, `~3`… suffix.
///
/// Public so that the store, which reads only new and changed files, gives the
/// exact ids an in-memory load of the same files gives.
#[derive(Debug, Default)]
pub struct UniqueIds {
    seen: std::collections::HashMap<String, usize>,
}

impl UniqueIds {
    /// Records `id` (as the file gave it); returns the id to use instead when it
    /// was seen before.
    pub fn assign(&mut self, id: &str) -> Option<String> {
        let count = match self.seen.get_mut(id) {
            Some(count) => count,
            None => self.seen.entry(id.to_string()).or_insert(0),
        };
        *count += 1;
        (*count > 1).then(|| format!("{id}~{count}"))
    }

    /// The warning for a document renamed to `new_id`.
    pub fn renamed_warning(&self, doc: &Document, new_id: &str) -> Warning {
        Warning {
            path: doc.path.clone(),
            reason: format!("duplicate article id {:?}; renamed to {:?}", doc.id, new_id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_from_one_table() {
        assert_eq!(Format::extensions(), ".txt, .md, .json, .jsonl, .html, .warc");
        let format = |name: &str| Format::from_file_name(name);
        assert_eq!(format("a.TXT"), Some((Format::Txt, false)));
        assert_eq!(format("a.text.gz"), Some((Format::Txt, true)));
        assert_eq!(format("a.Markdown"), Some((Format::Markdown, false)));
        assert_eq!(format("a.ndjson.GZ"), Some((Format::Jsonl, true)));
        assert_eq!(format("a.pdf"), None);
        assert_eq!(format("a.gz"), None);
        assert_eq!(format("txt"), None);
        for ext in Format::all_extensions() {
            assert!(format(&format!("a{ext}")).is_some(), "{ext}");
        }
    }

    #[test]
    fn oversize_reasons_say_how_to_raise_the_limit() {
        assert_eq!(
            oversize_reason("the file", Some(200 << 20), 64 << 20),
            "skipped: the file is 209715200 bytes, over --max-doc-size (64M); raise it, e.g. --max-doc-size 256M, to read it"
        );
        assert_eq!(
            oversize_reason("this record", None, 1536 << 10),
            "skipped: this record is over --max-doc-size (1536K); raise it, e.g. --max-doc-size 3M, to read it"
        );
        assert_eq!(size_argument(1 << 30), "1G");
        assert_eq!(size_argument(500 << 10), "500K");
        assert_eq!(size_argument(1000), "1000");
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_keep_their_format_and_stay_distinct() {
        use std::os::unix::ffi::OsStrExt;
        let name = OsStr::from_bytes(b"caf\xe9.TXT.gz");
        assert_eq!(Format::from_os_file_name(name), Some((Format::Txt, true)));
        assert_eq!(Format::from_os_file_name(OsStr::from_bytes(b"\xff.pdf")), None);
        let path = |bytes: &[u8]| display_path(Path::new(OsStr::from_bytes(bytes)));
        assert_eq!(path(b"d/caf\xe9.txt"), "d/caf\\xE9.txt");
        assert_eq!(path("d/café.txt".as_bytes()), "d/café.txt");
        assert_ne!(path(b"caf\xe9.txt"), path(b"caf\xe8.txt"));
        assert!(is_hidden(OsStr::from_bytes(b".caf\xe9")));
    }

    #[test]
    fn unsupported_files_are_named_with_the_extensions_read() {
        let (files, warnings) = discover(&["Cargo.toml"]);
        assert!(files.is_empty());
        assert_eq!(
            warnings,
            [Warning {
                path: "Cargo.toml".into(),
                reason: "unsupported file type (expected .txt, .md, .json, .jsonl, .html, .warc, optionally .gz)"
                    .into()
            }]
        );
    }

    #[test]
    fn the_readme_lists_every_extension() {
        let readme = include_str!("../../README.md");
        let start = readme.find("| extension | how it is read |").expect("README has the extension table");
        let table: Vec<&str> = readme[start..].lines().take_while(|line| line.starts_with('|')).collect();
        for ext in Format::all_extensions() {
            let cell = format!("`{ext}`");
            assert!(table.iter().any(|row| row.split('|').nth(1).is_some_and(|c| c.contains(&cell))), "{ext}");
        }
        assert!(table.iter().any(|row| row.contains(&format!("`{}`", Format::GZIP_EXTENSION))));
    }
}
