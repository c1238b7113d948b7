//! Document context: the per-token values of a whole document, with the
//! evidence that needs the document (how a word is cased elsewhere, its
//! neighbours elsewhere, gazetteer matches) and, between layers, the labels the
//! previous layer gave the same words elsewhere.

use super::features::{self, C_ALLCAPS, C_INITCAP, C_LOWER, C_MIXED, ClusterMap, NAGG, TokInfo};
use super::gazetteer::{self, Gaz, SeqMap};
use super::hash::{FastMap, mix};
use super::tags::{bilou, spans_of, tag_type};

/// Per-sentence token infos (padded with two boundary tokens on each side) plus
/// sentence flags.
pub(crate) struct DocCtx {
    /// Per sentence: two left boundary tokens, the tokens, two right ones.
    pub(crate) infos: Vec<Vec<TokInfo>>,
    /// Per sentence: an all-caps headline.
    pub(crate) caps: Vec<bool>,
    /// Sentence looks like a table row (mostly numbers).
    pub(crate) table: Vec<bool>,
    /// Document topic: the first word of an all-caps first line ("SOCCER - ...").
    pub(crate) topic: u64,
    /// Per sentence and token: the hash of the normalised lowercase word.
    pub(crate) norms: Vec<Vec<u64>>,
}

/// Builds the context of a document (its sentences' words), with the document
/// evidence when `use_doc`, training-entity matches from `tgaz` and list
/// matches from `gaz`.
pub(crate) fn doc_ctx(
    doc: &[&[&str]],
    clusters: &ClusterMap,
    tgaz: Option<&SeqMap>,
    use_doc: bool,
    gaz: Option<&Gaz>,
) -> DocCtx {
    let caps: Vec<bool> = doc.iter().map(|s| features::allcaps_sentence(s)).collect();
    // A word's basic info depends on the word alone, and most words of an
    // article occur more than once.
    let mut known: FastMap<&str, TokInfo> = FastMap::default();
    let mut infos = Vec::with_capacity(doc.len());
    let mut norms = Vec::with_capacity(doc.len());
    for s in doc {
        let (v, nv) = sentence_infos(s, clusters, tgaz, gaz, &mut known);
        infos.push(v);
        norms.push(nv);
    }
    if use_doc {
        aggregate_contexts(&mut infos);
        casing_evidence(doc, &caps, &mut infos, &known, clusters);
    }
    let table = doc
        .iter()
        .map(|s| s.len() >= 3 && s.iter().filter(|w| w.bytes().any(|b| b.is_ascii_digit())).count() * 10 >= s.len() * 4)
        .collect();
    let topic = match doc.first() {
        Some(s) if use_doc && caps[0] && s.len() >= 2 && s[1] == "-" => infos[0][2].lw,
        _ => 0,
    };
    DocCtx { infos, caps, table, topic, norms }
}

/// The padded token infos of one sentence (with its gazetteer matches) and the
/// normalised word hashes.
fn sentence_infos<'a>(
    s: &[&'a str],
    clusters: &ClusterMap,
    tgaz: Option<&SeqMap>,
    gaz: Option<&Gaz>,
    known: &mut FastMap<&'a str, TokInfo>,
) -> (Vec<TokInfo>, Vec<u64>) {
    let mut v = Vec::with_capacity(s.len() + 4);
    v.push(features::boundary(true));
    v.push(features::boundary(true));
    let mut nv = Vec::with_capacity(s.len());
    for &w in s.iter() {
        let t = *known.entry(w).or_insert_with(|| features::tok_info(w, clusters));
        nv.push(t.lw);
        v.push(t);
    }
    v.push(features::boundary(false));
    v.push(features::boundary(false));
    if let Some(tg) = tgaz {
        for (i, m) in gazetteer::seq_matches::<4>(tg, &nv).into_iter().enumerate() {
            v[i + 2].tg = m;
        }
    }
    if let Some(g) = gaz {
        for (i, m) in g.matches(&nv).into_iter().enumerate() {
            v[i + 2].gz = m;
            v[i + 2].common = g.is_common(nv[i]);
        }
    }
    (v, nv)
}

/// Whether a word class is capitalised in some way.
fn capitalised(cls: u8) -> bool {
    matches!(cls, C_INITCAP | C_ALLCAPS | C_MIXED)
}

/// Context aggregation: gives each capitalised word that occurs at least twice
/// the most frequent neighbours of all its occurrences in the document.
fn aggregate_contexts(infos: &mut [Vec<TokInfo>]) {
    let mut agg: FastMap<u64, FastMap<u64, u32>> = FastMap::default();
    let mut occ: FastMap<u64, u32> = FastMap::default();
    for v in infos.iter() {
        for i in 2..v.len() - 2 {
            let t = &v[i];
            if capitalised(t.cls) {
                *occ.entry(t.lw).or_default() += 1;
                let e = agg.entry(t.lw).or_default();
                *e.entry(mix(0x11, v[i - 1].lw)).or_default() += 1;
                *e.entry(mix(0x22, v[i + 1].lw)).or_default() += 1;
            }
        }
    }
    let mut best: FastMap<u64, [u64; NAGG]> = FastMap::default();
    for (w, m) in agg {
        if occ[&w] < 2 {
            continue;
        }
        let mut v: Vec<(u32, u64)> = m.into_iter().map(|(k, c)| (c, k)).collect();
        v.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut arr = [0u64; NAGG];
        for (j, (_, k)) in v.into_iter().take(NAGG).enumerate() {
            arr[j] = k;
        }
        best.insert(w, arr);
    }
    for v in infos.iter_mut() {
        for t in v.iter_mut() {
            if capitalised(t.cls)
                && let Some(a) = best.get(&t.lw)
            {
                t.agg = *a;
            }
        }
    }
}

/// Whether token `i` of a sentence is cased as the word is, not because of
/// where it stands: not sentence-initial, not after opening punctuation, not in
/// an all-caps headline.
fn reliable(s: &[&str], i: usize, caps: bool) -> bool {
    !caps && i > 0 && !matches!(s[i - 1], "\"" | "'" | "`" | "``" | ":" | "(" | "-" | "--" | "." | "?" | "!")
}

/// Casing evidence: per word, whether it is seen capitalised and/or lower-case
/// at reliable positions, and the true-cased form (the most frequent reliable
/// capitalised form) for tokens at unreliable positions.
fn casing_evidence<'a>(
    doc: &[&[&'a str]],
    caps: &[bool],
    infos: &mut [Vec<TokInfo>],
    known: &FastMap<&'a str, TokInfo>,
    clusters: &ClusterMap,
) {
    // Per lowercase word: (capitalised count, lower-case count, capitalised forms).
    let mut ev: FastMap<u64, (u32, u32, FastMap<&str, u32>)> = FastMap::default();
    for (si, s) in doc.iter().enumerate() {
        for (i, w) in s.iter().enumerate() {
            if !reliable(s, i, caps[si]) {
                continue;
            }
            let t = &infos[si][i + 2];
            let e = ev.entry(t.lw).or_default();
            match t.cls {
                C_LOWER => e.1 += 1,
                C_INITCAP | C_ALLCAPS | C_MIXED => {
                    e.0 += 1;
                    *e.2.entry(w).or_default() += 1;
                }
                _ => {}
            }
        }
    }
    for (si, s) in doc.iter().enumerate() {
        for i in 0..s.len() {
            let rel = reliable(s, i, caps[si]);
            let t = &mut infos[si][i + 2];
            if let Some(e) = ev.get(&t.lw) {
                t.dc = (e.0 > 0) as u8 | (((e.1 > 0) as u8) << 1);
                if rel {
                    t.tc = t.w;
                    t.tcs = t.sshape;
                } else if let Some((form, _)) = e.2.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
                    let ft = known.get(*form).copied().unwrap_or_else(|| features::tok_info(form, clusters));
                    t.tc = ft.w;
                    t.tcs = ft.sshape;
                    if t.cl[0] == 0 {
                        t.cl = ft.cl;
                    }
                }
            } else if rel {
                t.tc = t.w;
                t.tcs = t.sshape;
            }
        }
    }
}

/// Fills stage-2 evidence from first-pass tags of the whole document.
pub(crate) fn stage2_ctx(ctx: &mut DocCtx, tags: &[Vec<u8>]) {
    // Word-level label distribution.
    let mut wl: FastMap<u64, [u32; 5]> = FastMap::default();
    // Word -> bit set of non-O tags it received anywhere in the document.
    let mut wt: FastMap<u64, u32> = FastMap::default();
    // Entity sequences -> type counts.
    let mut seqs: FastMap<Vec<u64>, [u32; 4]> = FastMap::default();
    for (si, tg) in tags.iter().enumerate() {
        for (i, &t) in tg.iter().enumerate() {
            let info = &ctx.infos[si][i + 2];
            if info.cls == C_LOWER && t == 0 {
                continue;
            }
            if t != 0 {
                *wt.entry(ctx.norms[si][i]).or_default() |= 1 << t;
            }
            let k = tag_type(t).map(|x| x + 1).unwrap_or(0);
            wl.entry(ctx.norms[si][i]).or_default()[k] += 1;
        }
        for (s, e, ty) in spans_of(tg) {
            seqs.entry(ctx.norms[si][s..e].to_vec()).or_default()[ty] += 1;
        }
    }
    for v in ctx.infos.iter_mut() {
        for t in v.iter_mut() {
            t.lab = 0;
            t.lab2 = 0;
            t.tagset = 0;
        }
    }
    for (si, tg) in tags.iter().enumerate() {
        for i in 0..tg.len() {
            let info = &mut ctx.infos[si][i + 2];
            if let Some(c) = wl.get(&ctx.norms[si][i]) {
                let tot: u32 = c.iter().sum();
                let (best, bc) = c.iter().enumerate().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0))).unwrap();
                let frac = (bc * 4 / tot.max(1)).min(3);
                info.lab = mix(0x5a5a, (best as u64) << 8 | (frac as u64) << 4 | (tot.min(3)) as u64);
            }
            info.tagset = wt.get(&ctx.norms[si][i]).copied().unwrap_or(0);
        }
        label_sequences(&mut ctx.infos[si], &ctx.norms[si][..tg.len()], &seqs);
    }
}

/// Marks each token of the longest entity sequence (from `seqs`, of up to six
/// words) at each position with its BILOU position in that sequence's most
/// frequent type.
fn label_sequences(infos: &mut [TokInfo], norms: &[u64], seqs: &FastMap<Vec<u64>, [u32; 4]>) {
    let n = norms.len();
    let mut i = 0;
    while i < n {
        let mut matched = false;
        for len in (1..=6.min(n - i)).rev() {
            if let Some(c) = seqs.get(&norms[i..i + len]) {
                let (ty, _) = c.iter().enumerate().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(&a.0))).unwrap();
                let b = bilou(len, &[(0, len, ty)]);
                for j in 0..len {
                    infos[i + j + 2].lab2 = mix(0xa5a5, b[j] as u64 + 1);
                }
                i += len;
                matched = true;
                break;
            }
        }
        if !matched {
            i += 1;
        }
    }
}

/// The feature hashes of sentence `si`: all tokens' features in `feats`, token
/// `t`'s at `feats[offs[t]..offs[t + 1]]`.
pub(crate) fn sentence_feats(
    ctx: &DocCtx,
    si: usize,
    use_doc: bool,
    use_gaz: bool,
    stage2: bool,
    feats: &mut Vec<u64>,
    offs: &mut Vec<usize>,
) {
    feats.clear();
    offs.clear();
    offs.push(0);
    let ti = &ctx.infos[si];
    let n = ti.len() - 4;
    for i in 0..n {
        features::token_features(ti, i, i == 0, ctx.caps[si], ctx.table[si], ctx.topic, use_doc, use_gaz, feats);
        if stage2 {
            features::stage2_features(ti, i, feats);
        }
        offs.push(feats.len());
    }
}
