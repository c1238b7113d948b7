//! Extraction speed on the BBC corpus in ../shared (or a folder given as the first
//! argument): tokenizing + tagging on one core, figures alone, attributions
//! alone, and the whole extraction on all cores. Prints a table; run with
//! `cargo bench --bench extract`.

use std::time::Instant;

/// The allocator of the `docsql` binary, so that the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use docsql::extract::figures::{FigureOptions, extract_figures};
use docsql::extract::mention::{EntityRecognizer, TokenizedSentence};
use docsql::extract::ner::{NerRecognizer, embedded};
use docsql::extract::segment::{paragraphs, sentences, tokenize};
use docsql::extract::{Extractors, analyze};

fn main() {
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpora/bbc").to_string();
    let folder = std::env::args().skip(1).find(|a| !a.starts_with('-')).unwrap_or(default);
    if !std::path::Path::new(&folder).exists() {
        eprintln!("skipping: corpus {folder} is absent");
        return;
    }
    let corpus = docsql::load(&[folder.as_str()]);
    let docs = &corpus.documents;
    let bytes: usize = docs.iter().map(|d| d.body.len()).sum();
    let mb = bytes as f64 / 1e6;
    println!("corpus: {folder}: {} articles, {mb:.2} MB of text", docs.len());
    // Model load (decoding the embedded weights) is timed apart from tagging.
    let started = Instant::now();
    let _ = embedded();
    let load = started.elapsed().as_secs_f64();

    // 1. Segmentation + tokenizing + NER (document level) on one core.
    let recognizer = NerRecognizer::default();
    let started = Instant::now();
    let mut tokens = 0usize;
    let mut mentions = 0usize;
    for doc in docs {
        let text = &doc.body;
        let mut sents = Vec::new();
        for p in paragraphs(text) {
            for s in sentences(text, p.span) {
                let toks = tokenize(text, s.span.clone());
                tokens += toks.len();
                sents.push(TokenizedSentence { span: s.span, tokens: toks });
            }
        }
        mentions += recognizer.recognize_document(text, &sents).iter().map(Vec::len).sum::<usize>();
    }
    let ner = started.elapsed().as_secs_f64();

    // 2. Figures alone on one core (sentence by sentence, as the pipeline does).
    let options = FigureOptions::default();
    let started = Instant::now();
    let mut figures = 0usize;
    for doc in docs {
        let text = &doc.body;
        for p in paragraphs(text) {
            for s in sentences(text, p.span) {
                figures += extract_figures(&text[s.span], &options).len();
            }
        }
    }
    let fig = started.elapsed().as_secs_f64();

    // 3. Attributions alone on one core (segmentation included: the pipeline
    // shares its tokens, so this overstates what quotes add to a build).
    let _ = docsql::extract::quotes::extract_quotes("warm the model up, he said.");
    let started = Instant::now();
    let mut quotes = 0usize;
    for doc in docs {
        quotes += docsql::extract::quotes::extract_quotes(&doc.body).len();
    }
    let quo = started.elapsed().as_secs_f64();

    // 4. Whole extraction (everything the tables hold) on all cores.
    let extractors = Extractors::default();
    let started = Instant::now();
    let analyses = docsql::engine::analyze_all(docs, &extractors);
    let all = started.elapsed().as_secs_f64();
    let started = Instant::now();
    for doc in docs {
        let _ = analyze(&doc.body, &extractors);
    }
    let all_one = started.elapsed().as_secs_f64();
    let cores = docsql::engine::default_partitions();

    println!("| stage | time (s) | throughput |");
    println!("| --- | --- | --- |");
    println!("| NER model load | {load:.3} | |");
    println!(
        "| tokenize + NER, 1 core | {ner:.3} | {:.0} tokens/s, {:.2} MB/s ({tokens} tokens, {mentions} mentions) |",
        tokens as f64 / ner,
        mb / ner
    );
    println!("| figures, 1 core | {fig:.3} | {:.2} MB/s ({figures} figures) |", mb / fig);
    println!("| quotes (with segmentation), 1 core | {quo:.3} | {:.2} MB/s ({quotes} attributions) |", mb / quo);
    println!("| full extraction, 1 core | {all_one:.3} | {:.2} MB/s |", mb / all_one);
    println!(
        "| full extraction, {cores} cores | {all:.3} | {:.2} MB/s ({} entities, {} figures) |",
        mb / all,
        analyses.iter().map(|a| a.entities.len()).sum::<usize>(),
        analyses.iter().map(|a| a.figures.len()).sum::<usize>()
    );
}
