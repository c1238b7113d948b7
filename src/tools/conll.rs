//! CoNLL column files: reading documents of tagged sentences, and the entity
//! chunks of their IOB1/IOB2 tags (conlleval's rules).

use crate::extract::ner::tags::{Chunk, TYPE_NAMES};

/// A CoNLL document: sentences of (word, NER tag) pairs; tags as in the file
/// (IOB1 or IOB2, e.g. `I-PER`, `B-LOC`, `O`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Sentences in order.
    pub sentences: Vec<Vec<(String, String)>>,
}

/// Parses CoNLL column text (`word ... tag` per line, blank lines between sentences,
/// `-DOCSTART-` lines between documents). The first column is the word and the last
/// the NER tag; IOB1 and IOB2 are both accepted.
pub fn read_conll(text: &str) -> Vec<Document> {
    let mut docs = Vec::new();
    let mut doc = Document::default();
    let mut sent: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            if !sent.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        if line.trim().is_empty() {
            if !sent.is_empty() {
                doc.sentences.push(std::mem::take(&mut sent));
            }
            continue;
        }
        let mut cols = line.split_whitespace();
        let w = cols.next().unwrap_or("");
        let tag = cols.next_back().unwrap_or("O");
        sent.push((w.to_string(), tag.to_string()));
    }
    if !sent.is_empty() {
        doc.sentences.push(sent);
    }
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    docs
}

/// Chunks (start, end excl, type index) of IOB1/IOB2 tags, conlleval semantics.
pub(crate) fn iob_chunks<S: AsRef<str>>(tags: &[S]) -> Vec<Chunk> {
    let parse = |t: &str| -> (char, Option<usize>) {
        if t == "O" || t.len() < 3 {
            return ('O', None);
        }
        let ty = TYPE_NAMES.iter().position(|n| *n == &t[2..]);
        (t.as_bytes()[0] as char, ty)
    };
    let mut out = Vec::new();
    let mut cur: Option<(usize, usize)> = None;
    for (i, t) in tags.iter().enumerate() {
        let (p, ty) = parse(t.as_ref());
        let ty = match ty {
            None => {
                if let Some((s, cty)) = cur.take() {
                    out.push((s, i, cty));
                }
                continue;
            }
            Some(ty) => ty,
        };
        let starts = matches!(p, 'B' | 'S' | 'U') || cur.map(|c| c.1) != Some(ty);
        if starts {
            if let Some((s, cty)) = cur.take() {
                out.push((s, i, cty));
            }
            cur = Some((i, ty));
        }
        if matches!(p, 'E' | 'L' | 'S' | 'U')
            && let Some((s, cty)) = cur.take()
        {
            out.push((s, i + 1, cty));
        }
    }
    if let Some((s, cty)) = cur {
        out.push((s, tags.len(), cty));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conll_chunks_iob1_and_iob2() {
        // IOB1: B- only between adjacent same-type entities.
        assert_eq!(iob_chunks(&["I-PER", "I-PER", "B-PER", "O", "I-LOC"]), vec![(0, 2, 0), (2, 3, 0), (4, 5, 2)]);
        // IOB2.
        assert_eq!(iob_chunks(&["B-ORG", "I-ORG", "O", "B-MISC", "B-MISC"]), vec![(0, 2, 1), (3, 4, 3), (4, 5, 3)]);
        // A type change inside a run starts a new chunk.
        assert_eq!(iob_chunks(&["I-PER", "I-LOC"]), vec![(0, 1, 0), (1, 2, 2)]);
    }

    #[test]
    fn read_conll_documents() {
        let text = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\nPeter NNP I-NP I-PER\n\n-DOCSTART- -X- -X- O\n\nBonn NNP I-NP B-LOC\n";
        let docs = read_conll(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[0][0], ("EU".to_string(), "I-ORG".to_string()));
        assert_eq!(docs[1].sentences[0][0].1, "B-LOC");
    }
}
