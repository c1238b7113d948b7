//! Web pages and WARC archives: main text, metadata and charsets of `.html`
//! files; WARC records in, damaged and non-article records counted and named;
//! big archives split into parts by `build`; the article-extraction benchmark's
//! floor.

use std::fs;
use std::io::Write;
use std::path::Path;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::prelude::SessionContext;
use docsql::corpus::Format;
use docsql::report::Silent;
use docsql::store::{self, BuildOptions};

/// Every row of `sql` as a tab-separated line, in the query's order.
async fn rows(ctx: &SessionContext, sql: &str) -> Vec<String> {
    let batches: Vec<RecordBatch> = ctx.sql(sql).await.unwrap().collect().await.unwrap();
    let options = FormatOptions::default().with_null("NULL");
    let mut lines = Vec::new();
    for batch in &batches {
        let formatters: Vec<_> =
            batch.columns().iter().map(|c| ArrayFormatter::try_new(c.as_ref(), &options).unwrap()).collect();
        for row in 0..batch.num_rows() {
            lines.push(formatters.iter().map(|f| f.value(row).to_string()).collect::<Vec<_>>().join("\t"));
        }
    }
    lines
}

/// A news page with every kind of noise around two paragraphs of text.
const NOISY_PAGE: &str = r##"<!DOCTYPE html>
<html lang="en-GB"><head>
<meta charset="utf-8">
<title>Floods close roads in Leeds | Northern Post</title>
<meta property="og:title" content="Floods close roads in Leeds">
<meta property="og:site_name" content="Northern Post">
<meta name="description" content="Heavy rain closed roads across Leeds on Friday.">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2024-03-01T10:00:00Z">
<link rel="canonical" href="https://post.example/news/floods-leeds">
<style>p { color: red }</style>
<script>var html = "<p>Not text</p>";</script>
</head><body>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article>
<h1>Floods close roads in Leeds</h1>
<div class="social-share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
<p>Heavy rain closed roads across Leeds on Friday, and the Environment Agency issued 12 flood warnings for
West Yorkshire as the River Aire rose by almost two metres in a day.</p>
<!-- an HTML comment that is not text -->
<figure><img src="flood.jpg"><figcaption>Water on Kirkstall Road.</figcaption></figure>
<p>Council leader Tom Riordan said crews had worked through the night &amp; would stay out until the water
fell. &#8220;We&#8217;re asking people not to drive through flood water,&rdquo; he said.</p>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Storm warning for the north</a></li>
<li><a href="/b">River levels: what they mean</a></li></ul></aside>
</article></main>
<div id="comments"><h3>Comments</h3><p>First! This is a reader's comment and not part of the article text.</p></div>
<footer><p>© 2024 Northern Post. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"##;

fn write(dir: &Path, relative: &str, bytes: &[u8]) {
    let path = dir.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

#[test]
fn a_noisy_page_gives_its_text_and_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "post/floods.html", NOISY_PAGE.as_bytes());
    let corpus = docsql::load(&[tmp.path().to_str().unwrap()]);
    assert_eq!(corpus.warnings, []);
    let doc = &corpus.documents[0];
    assert_eq!(doc.id, "post/floods");
    assert_eq!(doc.format, Format::Html);
    assert_eq!(
        doc.body,
        "Heavy rain closed roads across Leeds on Friday, and the Environment Agency issued 12 flood warnings for \
         West Yorkshire as the River Aire rose by almost two metres in a day.\n\n\
         Council leader Tom Riordan said crews had worked through the night & would stay out until the water \
         fell. “We’re asking people not to drive through flood water,” he said."
    );
    assert_eq!(doc.title.as_deref(), Some("Floods close roads in Leeds"));
    assert_eq!(doc.published, chrono::NaiveDate::from_ymd_opt(2024, 3, 1));
    assert_eq!(doc.url.as_deref(), Some("https://post.example/news/floods-leeds"));
    assert_eq!(doc.author.as_deref(), Some("Jane Reporter"));
    assert_eq!(doc.site.as_deref(), Some("Northern Post"));
    assert_eq!(doc.language.as_deref(), Some("en-GB"));
    assert_eq!(doc.description.as_deref(), Some("Heavy rain closed roads across Leeds on Friday."));
}

#[test]
fn broken_markup_br_paragraphs_and_a_latin_charset() {
    let tmp = tempfile::tempdir().unwrap();
    // Unclosed <p> and <b>, a stray </div>, paragraphs split by <br><br>, and a
    // page in ISO-8859-1 (as its <meta> says): "é" is the single byte 0xE9.
    // (ISO-8859-1 is read as Windows-1252, as browsers do: 0x80 is "€".)
    let latin = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">\
        <title>Caf\xe9 prices</title></head><body><div id=\"story\"><p>The caf\xe9 on Rue Cler raised its prices \
        by 20% this year, the owner told <b>Le Parisien on Monday.<br><br>A coffee now costs \x80 2.50 &ndash; \
        up from 2.10 euros in January, when the owner last changed the menu.</div></div>\
        <p>Customers said they would keep coming back, whatever the price of a coffee or a croissant."
        .to_vec();
    write(tmp.path(), "cafe.htm", &latin);
    let corpus = docsql::load(&[tmp.path().to_str().unwrap()]);
    assert_eq!(corpus.warnings, []);
    let doc = &corpus.documents[0];
    assert_eq!(doc.title.as_deref(), Some("Café prices"));
    assert_eq!(
        doc.body,
        "The café on Rue Cler raised its prices by 20% this year, the owner told Le Parisien on Monday.\n\n\
         A coffee now costs € 2.50 – up from 2.10 euros in January, when the owner last changed the menu.\n\n\
         Customers said they would keep coming back, whatever the price of a coffee or a croissant."
    );
}

/// One WARC record, as crawlers write them.
fn warc_record(kind: &str, uri: &str, date: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n\
         WARC-Record-ID: <urn:uuid:{}>\r\nContent-Length: {}\r\n\r\n",
        blake3::hash(uri.as_bytes()).to_hex(),
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn http_html(html: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: {}\r\n\r\n{html}", html.len())
        .into_bytes()
}

fn article_html(title: &str, text: &str) -> String {
    format!(
        "<html><head><title>{title}</title></head><body><nav><a href=\"/\">Home</a></nav><article><h1>{title}</h1>\
         <p>{text}</p><p>The report was published on the council's website on Tuesday afternoon.</p></article></body></html>"
    )
}

/// A crawl of two articles with every other kind of record around them, each
/// record gzipped on its own.
fn crawl() -> Vec<u8> {
    let mut records = vec![
        warc_record("warcinfo", "", "2024-05-01T09:00:00Z", b"software: test\r\n"),
        warc_record("request", "https://news.example/a", "2024-05-01T09:00:01Z", b"GET /a HTTP/1.1\r\n\r\n"),
        warc_record(
            "response",
            "https://news.example/a",
            "2024-05-01T09:00:02Z",
            &http_html(&article_html(
                "Mayor opens bridge",
                "Mayor Sadiq Khan opened the new bridge over the Thames in London on Monday, two years late.",
            )),
        ),
        warc_record("metadata", "https://news.example/a", "2024-05-01T09:00:03Z", b"fetchTimeMs: 120\r\n"),
        warc_record(
            "response",
            "https://news.example/logo.png",
            "2024-05-01T09:00:04Z",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\0\0\0",
        ),
        warc_record("revisit", "https://news.example/a", "2024-05-01T09:00:05Z", b"HTTP/1.1 304 Not Modified\r\n\r\n"),
        warc_record(
            "response",
            "https://news.example/b",
            "2024-05-02T08:00:00Z",
            &http_html(&article_html(
                "Factory to close",
                "The Ford plant in Dagenham will close next year with the loss of 1,900 jobs, the company said.",
            )),
        ),
    ];
    // A record whose Content-Length is 25 bytes too long: it runs into the next.
    let damaged = String::from_utf8(warc_record(
        "response",
        "https://news.example/c",
        "2024-05-02T08:00:01Z",
        &http_html(&article_html("Lost", "This record is damaged and cannot be trusted by any reader.")),
    ))
    .unwrap();
    let length = damaged.split("Content-Length: ").nth(1).unwrap().split("\r\n").next().unwrap().to_string();
    let wrong = (length.parse::<usize>().unwrap() + 25).to_string();
    records.push(
        damaged.replacen(&format!("Content-Length: {length}"), &format!("Content-Length: {wrong}"), 1).into_bytes(),
    );
    records.push(warc_record(
        "response",
        "https://news.example/d",
        "2024-05-03T08:00:00Z",
        &http_html(&article_html(
            "Rail strike called off",
            "Train drivers in Scotland called off Friday's strike after ScotRail offered a 5% pay rise.",
        )),
    ));
    let mut truncated = warc_record(
        "response",
        "https://news.example/e",
        "2024-05-03T09:00:00Z",
        &http_html(&article_html("Cut short", "This last record was cut short when the crawler stopped.")),
    );
    truncated.truncate(truncated.len() / 2);
    records.push(truncated);
    records.iter().flat_map(|r| gzip(r)).collect()
}

#[tokio::test]
async fn a_warc_gives_its_html_responses_and_counts_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "crawl/news.warc.gz", &crawl());
    let corpus = docsql::load(&[tmp.path().to_str().unwrap()]);
    let ids: Vec<&str> = corpus.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["https://news.example/a", "https://news.example/b", "https://news.example/d"]);
    // warcinfo, request, metadata, image, revisit, the damaged and the truncated record.
    assert_eq!(corpus.records_skipped, 7);
    let warnings: Vec<String> = corpus.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("news.warc.gz#8") && warnings[0].contains("https://news.example/c"), "{warnings:?}");
    assert!(warnings[0].contains("Content-Length"), "{warnings:?}");
    assert!(warnings[1].contains("https://news.example/e") || warnings[1].contains("stopped reading"), "{warnings:?}");
    assert!(corpus.summary().contains("7 WARC records skipped"), "{}", corpus.summary());

    let ctx = docsql::session(&corpus).unwrap();
    assert_eq!(
        rows(&ctx, "SELECT article_id, format, title, published, url FROM articles ORDER BY article_id").await,
        [
            "https://news.example/a\twarc\tMayor opens bridge\t2024-05-01\thttps://news.example/a",
            "https://news.example/b\twarc\tFactory to close\t2024-05-02\thttps://news.example/b",
            "https://news.example/d\twarc\tRail strike called off\t2024-05-03\thttps://news.example/d",
        ]
    );
    // Offsets into the body hold for pages as for any text.
    let mismatched = rows(
        &ctx,
        "SELECT e.name FROM entities e JOIN articles a USING (article_id) \
         WHERE substr(a.body, e.char_start + 1, e.char_end - e.char_start) <> e.mention",
    )
    .await;
    assert_eq!(mismatched, Vec::<String>::new());
    let people = rows(&ctx, "SELECT DISTINCT mention FROM entities WHERE label = 'PERSON' ORDER BY 1").await;
    assert_eq!(people, ["Sadiq Khan"]);
    let jobs = rows(&ctx, "SELECT mention FROM figures WHERE article_id = 'https://news.example/b' ORDER BY 1").await;
    assert!(jobs.iter().any(|m| m.contains("1,900")), "{jobs:?}");
}

#[test]
fn a_warc_response_is_decoded_with_the_charset_of_its_http_header() {
    let text = "Мэр Москвы Сергей Собянин открыл новую станцию метро в понедельник, на два года позже срока.";
    let page = article_html("Новая станция", text);
    let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(&page);
    let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1251\r\n\r\n".to_vec();
    block.extend_from_slice(&cp1251);
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "ru.warc", &warc_record("response", "https://ru.example/metro", "2024-05-01T09:00:00Z", &block));
    let corpus = docsql::load(&[tmp.path().to_str().unwrap()]);
    assert_eq!(corpus.warnings, []);
    assert_eq!(corpus.documents[0].title.as_deref(), Some("Новая станция"));
    assert!(corpus.documents[0].body.starts_with(text), "{}", corpus.documents[0].body);
}

#[tokio::test]
async fn build_splits_a_big_warc_into_parts_and_reuses_unchanged_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, store_dir) = (tmp.path().join("crawl"), tmp.path().join("crawl.docsql"));
    let page = |n: usize| {
        warc_record(
            "response",
            &format!("https://news.example/story/{n:03}"),
            "2024-05-01T09:00:00Z",
            &http_html(&article_html(
                &format!("Story number {n}"),
                &format!("Officials in Leeds counted {n} new cases on Monday, the health agency said in a statement."),
            )),
        )
    };
    let mut warc: Vec<u8> = (1..=40).flat_map(|n| gzip(&page(n))).collect();
    write(&dir, "big.warc.gz", &warc);
    let options =
        BuildOptions { warc_part_bytes: 4_000, batch_bytes: 4_000, segment_articles: 16, ..BuildOptions::default() };
    let inputs = [dir.to_str().unwrap().to_string()];
    let report = store::build(&inputs, &store_dir, &options, &Silent).unwrap();
    assert_eq!((report.files, report.rows.articles()), (1, 40));
    assert!(report.segments_written > 1, "{report:?}");
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(store_dir.join("manifest.json")).unwrap()).unwrap();
    let sources = fs::read_to_string(store_dir.join(manifest["sources_file"].as_str().unwrap())).unwrap();
    let parts = sources.lines().count();
    assert!(parts > 3, "{sources}");

    // The store answers like an in-memory load of the same archive.
    let ctx = docsql::engine::new_context(2);
    store::register_store(&ctx, &store_dir).await.unwrap();
    let memory = docsql::session(&docsql::load(&inputs)).unwrap();
    for sql in [
        "SELECT article_id, title, body FROM articles ORDER BY 1",
        "SELECT article_id, char_start, mention FROM figures ORDER BY 1, 2",
    ] {
        assert_eq!(rows(&ctx, sql).await, rows(&memory, sql).await, "{sql}");
    }

    // The crawl grows: only the new part (and the old last part, whose range
    // changed) are read again.
    warc.extend((41..=45).flat_map(|n| gzip(&page(n))));
    write(&dir, "big.warc.gz", &warc);
    let report = store::build(&inputs, &store_dir, &options, &Silent).unwrap();
    assert_eq!(report.rows.articles(), 45);
    assert!(report.reused >= parts - 1, "{report:?}");
    assert!(report.extracted_articles < 20, "{report:?}");
}

#[test]
fn the_article_extraction_benchmark_floor() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/article-extraction");
    if !dir.join("ground-truth.json").exists() {
        eprintln!("skipped: {} not found (the shared evaluation data)", dir.display());
        return;
    }
    let run = docsql::tools::article_eval::evaluate_folder(&dir).unwrap();
    let s = run.scores;
    eprintln!("article extraction: P {:.4} R {:.4} F1 {:.4}", s.precision, s.recall, s.f1);
    assert_eq!(s.pages, 181);
    // Floors: they only go up.
    assert!(s.f1 >= 0.970, "F1 {:.4}", s.f1);
    assert!(s.precision >= 0.955, "precision {:.4}", s.precision);
    assert!(s.recall >= 0.980, "recall {:.4}", s.recall);
}
