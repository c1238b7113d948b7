//! Distributional word clusters for the tagger: building them from raw text
//! (how the shipped `clusters.txt` was made) and reading a cluster file.
//!
//! `clusters.txt` (next to this file, embedded by the trainer) was made with
//! [`build_from_corpus`] from the BBC news corpus (`/work/shared/corpora/bbc`, 2,225
//! articles, ~1M tokens) plus the CoNLL-2003 training text: three exchange-algorithm
//! clusterings with 128, 512 and 2048 classes over the 29,051 words seen at least
//! twice, 10 passes. The result depends only on the input texts, not on their order.

use crate::extract::ner::features::ClusterMap;
use crate::extract::ner::hash::word_key;

/// Parses a cluster file: one `word<TAB>c1<TAB>c2<TAB>c3` line per word, with cluster
/// ids at three granularities (coarse to fine).
pub(crate) fn parse(text: &str) -> ClusterMap {
    let mut m = ClusterMap::default();
    for line in text.lines() {
        let mut it = line.split('\t');
        let (Some(w), Some(a), Some(b), Some(c)) = (it.next(), it.next(), it.next(), it.next()) else { continue };
        let (Ok(a), Ok(b), Ok(c)) = (a.parse(), b.parse(), c.parse()) else { continue };
        m.insert(word_key(w), [a, b, c]);
    }
    m
}

/// Splits raw text into tokenised sentences with the docsql segmenter (the same
/// tokenizer the recogniser sees at run time).
pub fn tokenize_text(text: &str) -> Vec<Vec<&str>> {
    use crate::extract::segment;
    let mut out = Vec::new();
    for p in segment::paragraphs(text) {
        for s in segment::sentences(text, p.span.clone()) {
            let toks: Vec<&str> = segment::tokenize(text, s.span).iter().map(|t| t.text(text)).collect();
            if !toks.is_empty() {
                out.push(toks);
            }
        }
    }
    out
}

/// [`build`] with the settings used for the shipped `clusters.txt`: `raw_texts` are
/// plain-text articles (tokenised with [`tokenize_text`]), `conll` is CoNLL training
/// text (first column). Takes a few minutes.
pub fn build_from_corpus(raw_texts: &[&str], conll: &str) -> String {
    let mut sents: Vec<Vec<&str>> = Vec::new();
    for t in raw_texts {
        sents.extend(tokenize_text(t));
    }
    let mut cur: Vec<&str> = Vec::new();
    for line in conll.lines() {
        if line.starts_with("-DOCSTART-") {
            continue;
        }
        match line.split_whitespace().next() {
            Some(w) => cur.push(w),
            None => {
                if !cur.is_empty() {
                    sents.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        sents.push(cur);
    }
    build(&sents, [128, 512, 2048], 2, 10)
}

#[inline]
fn xlx(x: f64) -> f64 {
    if x <= 0.0 { 0.0 } else { x * x.ln() }
}

/// One flat clustering by the exchange algorithm (Kneser & Ney 1993; Martin et al.
/// 1998): words move greedily between `k` classes to maximise the likelihood of a
/// class bigram model. Returns the class of every word id.
fn exchange(
    n_words: usize,
    counts: &[u64],
    left: &[Vec<(u32, u32)>],
    right: &[Vec<(u32, u32)>],
    selfc: &[u32],
    k: usize,
    iters: usize,
) -> Vec<u32> {
    // Initial classes: round-robin over frequency rank.
    let mut order: Vec<usize> = (0..n_words).collect();
    order.sort_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    let mut class = vec![0u32; n_words];
    for (r, &w) in order.iter().enumerate() {
        class[w] = (r % k) as u32;
    }
    let mut nb = vec![0f64; k * k];
    let mut nc = vec![0f64; k];
    for w in 0..n_words {
        nc[class[w] as usize] += counts[w] as f64;
        for &(v, c) in &right[w] {
            nb[class[w] as usize * k + class[v as usize] as usize] += c as f64;
        }
        nb[class[w] as usize * k + class[w] as usize] += selfc[w] as f64;
    }
    let mut lc = vec![0f64; k];
    let mut rc = vec![0f64; k];
    let mut lnz: Vec<usize> = Vec::new();
    let mut rnz: Vec<usize> = Vec::new();
    for _ in 0..iters {
        let mut moved = 0;
        for &w in &order {
            let a = class[w] as usize;
            // Class-level contexts of w (excluding w itself).
            lnz.clear();
            rnz.clear();
            for &(v, c) in &left[w] {
                let cv = class[v as usize] as usize;
                if lc[cv] == 0.0 {
                    lnz.push(cv);
                }
                lc[cv] += c as f64;
            }
            for &(v, c) in &right[w] {
                let cv = class[v as usize] as usize;
                if rc[cv] == 0.0 {
                    rnz.push(cv);
                }
                rc[cv] += c as f64;
            }
            let s = selfc[w] as f64;
            let nw = counts[w] as f64;
            // Remove w from a.
            for &c in &lnz {
                nb[c * k + a] -= lc[c];
            }
            for &c in &rnz {
                nb[a * k + c] -= rc[c];
            }
            nb[a * k + a] -= s;
            nc[a] -= nw;
            // Best target class.
            let mut best = a;
            let mut best_d = f64::NEG_INFINITY;
            for b in 0..k {
                let mut d = 0.0;
                for &c in &lnz {
                    if c != b {
                        let x = nb[c * k + b];
                        d += xlx(x + lc[c]) - xlx(x);
                    }
                }
                for &c in &rnz {
                    if c != b {
                        let x = nb[b * k + c];
                        d += xlx(x + rc[c]) - xlx(x);
                    }
                }
                let x = nb[b * k + b];
                d += xlx(x + lc[b] + rc[b] + s) - xlx(x);
                d -= 2.0 * (xlx(nc[b] + nw) - xlx(nc[b]));
                if d > best_d + 1e-9 {
                    best_d = d;
                    best = b;
                }
            }
            for &c in &lnz {
                if c != best {
                    nb[c * k + best] += lc[c];
                }
            }
            for &c in &rnz {
                if c != best {
                    nb[best * k + c] += rc[c];
                }
            }
            nb[best * k + best] += lc[best] + rc[best] + s;
            nc[best] += nw;
            if best != a {
                moved += 1;
                class[w] = best as u32;
            }
            for &c in &lnz {
                lc[c] = 0.0;
            }
            for &c in &rnz {
                rc[c] = 0.0;
            }
        }
        if moved == 0 {
            break;
        }
    }
    class
}

/// Builds word clusters from tokenised sentences: three exchange-algorithm
/// clusterings with `ks` classes each over words seen at least `min_count` times.
/// Returns the cluster file text (`word<TAB>c1<TAB>c2<TAB>c3` lines) that
/// [`TrainOptions::clusters`](super::train::TrainOptions::clusters) takes. Deterministic.
pub fn build(sentences: &[Vec<&str>], ks: [usize; 3], min_count: u64, iters: usize) -> String {
    use std::collections::HashMap;
    let mut freq: HashMap<&str, u64> = HashMap::new();
    for s in sentences {
        for w in s {
            *freq.entry(w).or_default() += 1;
        }
    }
    let mut vocab: Vec<&str> = freq.iter().filter(|(_, c)| **c >= min_count).map(|(w, _)| *w).collect();
    vocab.sort_unstable();
    // Ids: 0 = sentence boundary, 1 = rare word, then vocabulary.
    let id: HashMap<&str, u32> = vocab.iter().enumerate().map(|(i, w)| (*w, i as u32 + 2)).collect();
    let n = vocab.len() + 2;
    let mut counts = vec![0u64; n];
    let mut bigrams: HashMap<(u32, u32), u32> = HashMap::new();
    for s in sentences {
        let mut prev = 0u32;
        counts[0] += 1;
        for w in s.iter().map(|w| id.get(w).copied().unwrap_or(1)).chain(std::iter::once(0)) {
            if w != 0 {
                counts[w as usize] += 1;
            }
            *bigrams.entry((prev, w)).or_default() += 1;
            prev = w;
        }
    }
    let mut left = vec![Vec::new(); n];
    let mut right = vec![Vec::new(); n];
    let mut selfc = vec![0u32; n];
    let mut bl: Vec<((u32, u32), u32)> = bigrams.into_iter().collect();
    bl.sort_unstable();
    for ((a, b), c) in bl {
        if a == b {
            selfc[a as usize] += c;
        } else {
            right[a as usize].push((b, c));
            left[b as usize].push((a, c));
        }
    }
    let classes: Vec<Vec<u32>> = ks.iter().map(|&k| exchange(n, &counts, &left, &right, &selfc, k, iters)).collect();
    let mut out = String::new();
    for (i, w) in vocab.iter().enumerate() {
        out.push_str(&format!("{w}\t{}\t{}\t{}\n", classes[0][i + 2], classes[1][i + 2], classes[2][i + 2]));
    }
    out
}
