//! Web-page extraction speed on one core: the article-extraction benchmark's
//! 181 pages in ../shared (or a folder of `.html`/`.html.gz` given as the first
//! argument), decoded and reduced to their main text and metadata. Prints MB/s
//! of HTML; run with `cargo bench --bench web`. For WARC builds see
//! `benches/make_warc.py` and the README.

use std::io::Read;
use std::time::Instant;

/// The allocator of the `docsql` binary, so that the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use docsql::corpus::Decoded;
use docsql::corpus::html::{decode_html, extract_page};

fn main() {
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/eval/article-extraction/html").to_string();
    let folder = std::env::args().skip(1).find(|a| !a.starts_with('-')).unwrap_or(default);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        eprintln!("skipping: pages folder {folder} is absent");
        return;
    };
    let mut pages: Vec<Vec<u8>> = Vec::new();
    for entry in entries.flatten() {
        let bytes = std::fs::read(entry.path()).expect("readable page");
        if entry.path().extension().is_some_and(|e| e == "gz") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out).expect("gzip");
            pages.push(out);
        } else {
            pages.push(bytes);
        }
    }
    let mb = pages.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    println!("pages: {folder}: {} pages, {mb:.1} MB of HTML", pages.len());
    let mut best = f64::MAX;
    let mut text = 0usize;
    for _ in 0..3 {
        let started = Instant::now();
        text = 0;
        for page in &pages {
            let html = match decode_html(page, None) {
                Decoded::Utf8(t) | Decoded::Lossy(t, _) => t,
                Decoded::Binary | Decoded::Empty => continue,
            };
            text += extract_page(&html, None).body.len();
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!("| stage | time | throughput |");
    println!("| --- | --- | --- |");
    println!(
        "| HTML -> main text + metadata, 1 core (best of 3) | {best:.2} s | {:.1} MB/s, {:.0} pages/s |",
        mb / best,
        pages.len() as f64 / best
    );
    println!("main text: {:.2} MB ({:.1}% of the HTML)", text as f64 / 1e6, text as f64 / 1e4 / mb);
}
