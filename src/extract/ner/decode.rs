//! Exact decoding of the linear-chain model: transition scores, Viterbi (a
//! sparse recursion over the 97 allowed tag pairs, compiled twice: for any
//! x86-64 and for AVX2, picked at run time) and per-token max-marginals, from
//! which the confidences come.

use super::tags::{CLOSED, NT, allowed, allowed_end, successors};

/// The score of a forbidden transition: low enough never to win, far from
/// overflowing when a few are added.
pub(crate) const NEG: f32 = -1.0e30;

/// Transition scores (start, tag-to-tag, end).
#[derive(Clone)]
pub(crate) struct Trans {
    /// Score of starting a sentence with each tag.
    pub(crate) start: [f32; NT],
    /// `t[p][c]`: score of tag `c` after tag `p`.
    pub(crate) t: [[f32; NT]; NT],
    /// Score of ending a sentence with each tag.
    pub(crate) end: [f32; NT],
}
impl Trans {
    /// Zero scores for the allowed transitions, [`NEG`] for the others.
    pub(crate) fn new() -> Self {
        let mut tr = Trans { start: [0.0; NT], t: [[0.0; NT]; NT], end: [0.0; NT] };
        for c in 0..NT as u8 {
            if !allowed(None, c) {
                tr.start[c as usize] = NEG;
            }
            if !allowed_end(c) {
                tr.end[c as usize] = NEG;
            }
            for p in 0..NT as u8 {
                if !allowed(Some(p), c) {
                    tr.t[p as usize][c as usize] = NEG;
                }
            }
        }
        tr
    }
    /// All scores in one vector: start, the rows of `t`, end (the file and
    /// training layout).
    pub(crate) fn flat(&self) -> Vec<f32> {
        let mut v = self.start.to_vec();
        for r in &self.t {
            v.extend_from_slice(r);
        }
        v.extend_from_slice(&self.end);
        v
    }
    /// The inverse of [`Trans::flat`]; `v` holds `NT * (NT + 2)` scores.
    pub(crate) fn from_flat(v: &[f32]) -> Self {
        let mut tr = Trans::new();
        tr.start.copy_from_slice(&v[..NT]);
        for p in 0..NT {
            tr.t[p].copy_from_slice(&v[NT * (p + 1)..NT * (p + 2)]);
        }
        tr.end.copy_from_slice(&v[NT * (NT + 1)..NT * (NT + 2)]);
        tr
    }
}

/// Viterbi decode; returns best tags and fills `alpha` (forward max scores).
pub(crate) fn viterbi(em: &[[f32; NT]], tr: &Trans, alpha: &mut Vec<[f32; NT]>, back: &mut Vec<[u8; NT]>) -> Vec<u8> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        return unsafe { viterbi_avx2(em, tr, alpha, back) };
    }
    viterbi_any(em, tr, alpha, back)
}

/// [`viterbi_any`] compiled for AVX2 (8 scores per instruction instead of 4).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn viterbi_avx2(em: &[[f32; NT]], tr: &Trans, alpha: &mut Vec<[f32; NT]>, back: &mut Vec<[u8; NT]>) -> Vec<u8> {
    viterbi_any(em, tr, alpha, back)
}

/// The Viterbi recursion. Transitions that [`allowed`] forbids score [`NEG`],
/// so they can never win: each step scans only the allowed pairs (97 of 289),
/// and the 9 x 17 block of the closed tags' successors runs branch-free over
/// whole rows, which vectorises. Ties go to the lowest predecessor, as in a
/// full scan.
#[inline(always)]
fn viterbi_any(em: &[[f32; NT]], tr: &Trans, alpha: &mut Vec<[f32; NT]>, back: &mut Vec<[u8; NT]>) -> Vec<u8> {
    let n = em.len();
    alpha.clear();
    back.clear();
    if n == 0 {
        return Vec::new();
    }
    let mut a0 = [0f32; NT];
    for k in 0..NT {
        a0[k] = tr.start[k] + em[0][k];
    }
    alpha.push(a0);
    back.push([0; NT]);
    for t in 1..n {
        let prev = alpha[t - 1];
        let mut best = [NEG * 2.0; NT];
        let mut arg = [0u32; NT];
        // From a closed tag (O, L, U) to any tag: for the tags that continue a
        // mention (I, L) these are forbidden pairs, overtaken just below.
        for &p in &CLOSED {
            let from = prev[p as usize];
            let row = &tr.t[p as usize];
            for k in 0..NT {
                let s = from + row[k];
                let better = s > best[k];
                best[k] = if better { s } else { best[k] };
                arg[k] = if better { p as u32 } else { arg[k] };
            }
        }
        // From B or I of a type to I or L of that type.
        for ty in 0..4 {
            let (b, i) = (1 + 4 * ty, 2 + 4 * ty);
            for k in [i, i + 1] {
                let (from_b, from_i) = (prev[b] + tr.t[b][k], prev[i] + tr.t[i][k]);
                let (s, p) = if from_i > from_b { (from_i, i) } else { (from_b, b) };
                best[k] = s;
                arg[k] = p as u32;
            }
        }
        let mut a = [0f32; NT];
        let mut bk = [0u8; NT];
        for k in 0..NT {
            a[k] = best[k] + em[t][k];
            bk[k] = arg[k] as u8;
        }
        alpha.push(a);
        back.push(bk);
    }
    let mut best = NEG * 2.0;
    let mut bi = 0;
    for k in 0..NT {
        let s = alpha[n - 1][k] + tr.end[k];
        if s > best {
            best = s;
            bi = k;
        }
    }
    backtrace(&back[..n], bi)
}

/// The original full-scan Viterbi, kept to check the fast one against.
#[cfg(test)]
fn viterbi_dense(em: &[[f32; NT]], tr: &Trans) -> Vec<u8> {
    let n = em.len();
    if n == 0 {
        return Vec::new();
    }
    let mut alpha = vec![[0f32; NT]; n];
    let mut back = vec![[0u8; NT]; n];
    for k in 0..NT {
        alpha[0][k] = tr.start[k] + em[0][k];
    }
    for t in 1..n {
        for k in 0..NT {
            let mut best = NEG * 2.0;
            for p in 0..NT {
                let s = alpha[t - 1][p] + tr.t[p][k];
                if s > best {
                    best = s;
                    back[t][k] = p as u8;
                }
            }
            alpha[t][k] = best + em[t][k];
        }
    }
    let mut bi = 0;
    for k in 1..NT {
        if alpha[n - 1][k] + tr.end[k] > alpha[n - 1][bi] + tr.end[bi] {
            bi = k;
        }
    }
    backtrace(&back, bi)
}

/// The best path, from the back pointers of each position and the best last
/// tag.
fn backtrace(back: &[[u8; NT]], last: usize) -> Vec<u8> {
    let n = back.len();
    let mut tags = vec![0u8; n];
    tags[n - 1] = last as u8;
    for t in (1..n).rev() {
        tags[t - 1] = back[t][tags[t] as usize];
    }
    tags
}

/// Per-token margins between the best path and the best path with another tag at that
/// token (max-marginals from a backward Viterbi pass).
pub(crate) fn margins(em: &[[f32; NT]], tr: &Trans, alpha: &[[f32; NT]], tags: &[u8]) -> Vec<f32> {
    let n = em.len();
    let mut beta = vec![[0f32; NT]; n];
    if n == 0 {
        return Vec::new();
    }
    beta[n - 1] = tr.end;
    for t in (0..n - 1).rev() {
        for k in 0..NT {
            let mut best = NEG * 2.0;
            for &j in successors(k) {
                let j = j as usize;
                let s = tr.t[k][j] + em[t + 1][j] + beta[t + 1][j];
                if s > best {
                    best = s;
                }
            }
            beta[t][k] = best;
        }
    }
    (0..n)
        .map(|t| {
            let pred = tags[t] as usize;
            let top = alpha[t][pred] + beta[t][pred];
            let mut other = NEG * 2.0;
            for k in 0..NT {
                if k != pred {
                    other = other.max(alpha[t][k] + beta[t][k]);
                }
            }
            (top - other).max(0.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::ner::embedded;

    #[test]
    fn trained_transitions_keep_forbidden_pairs_at_neg() {
        // The sparse decoder relies on it.
        for tr in &embedded().weights.trans {
            for p in 0..NT {
                for c in 0..NT {
                    if !allowed(Some(p as u8), c as u8) {
                        assert!(tr.t[p][c] <= NEG / 2.0, "transition {p} -> {c} is {}", tr.t[p][c]);
                    }
                }
            }
        }
    }

    #[test]
    fn fast_viterbi_decodes_like_a_full_scan() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 2001) as f32 / 100.0 - 10.0
        };
        let (mut alpha, mut back) = (Vec::new(), Vec::new());
        for tr in &embedded().weights.trans {
            for n in [1, 2, 3, 7, 40] {
                for _ in 0..50 {
                    // Coarse values, so ties happen too.
                    let em: Vec<[f32; NT]> = (0..n).map(|_| std::array::from_fn(|_| next().round())).collect();
                    assert_eq!(viterbi(&em, tr, &mut alpha, &mut back), viterbi_dense(&em, tr));
                    assert_eq!(viterbi_any(&em, tr, &mut alpha, &mut back), viterbi_dense(&em, tr));
                }
            }
        }
    }
}
