//! The weight table: every layer's quantised weights over the union of their
//! features, found by an open-addressing table of 32-bit fingerprints, and the
//! summing of weight rows into emission scores (the inner loop of tagging).

use super::decode::Trans;
use super::hash::FastMap;
use super::tags::NT;

/// Asks the CPU to start loading the cache line holding `value`. Tagging is
/// bound by memory latency: every feature costs a random read of the hash table
/// and one of the weights (tens of MB together), so the reads of a token's ~40
/// features are issued together instead of one after another.
#[inline(always)]
fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint; it never faults, whatever the address.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// Adds layer `l`'s block of each of `rows` of `w` (rows of `nl` blocks of
/// [`NT`] weights) to `acc`: the innermost loop of tagging.
#[inline(always)]
fn sum_rows(w: &[i16], nl: usize, l: usize, rows: &[u32], acc: &mut [i32; NT]) {
    for &r in rows {
        let b = (r as usize * nl + l) * NT;
        let row = &w[b..b + NT];
        for k in 0..NT {
            acc[k] += row[k] as i32;
        }
    }
}

/// [`sum_rows`] compiled for AVX2, which widens and adds 16 weights per
/// instruction instead of 4; the binary stays runnable on any x86-64.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn sum_rows_avx2(w: &[i16], nl: usize, l: usize, rows: &[u32], acc: &mut [i32; NT]) {
    sum_rows(w, nl, l, rows, acc);
}

/// Open-addressing map from feature hash to weight row.
pub(crate) struct Table {
    mask: usize,
    /// (fingerprint, row); fingerprint 0 marks an empty slot.
    slots: Vec<(u32, u32)>,
}
impl Table {
    /// A table mapping `keys[r]` to row `r` (the first of equal fingerprints wins).
    pub(crate) fn build(keys: &[u64]) -> Table {
        let cap = (keys.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![(0u32, 0u32); cap];
        let mask = cap - 1;
        for (r, &k) in keys.iter().enumerate() {
            let fp = (k >> 32) as u32 | 1;
            let mut i = (k as usize) & mask;
            loop {
                if slots[i].0 == 0 {
                    slots[i] = (fp, r as u32);
                    break;
                }
                if slots[i].0 == fp {
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        Table { mask, slots }
    }
    /// Starts loading the slot where the lookup of `k` begins.
    #[inline]
    fn prefetch(&self, k: u64) {
        prefetch(&self.slots[(k as usize) & self.mask]);
    }

    /// The row of feature hash `k`, if the table has it.
    #[inline]
    fn get(&self, k: u64) -> Option<u32> {
        let fp = (k >> 32) as u32 | 1;
        let mut i = (k as usize) & self.mask;
        loop {
            let s = self.slots[i];
            if s.0 == fp {
                return Some(s.1);
            }
            if s.0 == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// One trained linear layer (float weights for its own feature keys).
pub(crate) struct Layer {
    /// Feature hashes, one per row of `weights`.
    pub(crate) keys: Vec<u64>,
    /// Rows of [`NT`] weights.
    pub(crate) weights: Vec<f32>,
    /// The layer's transition scores.
    pub(crate) trans: Trans,
}

/// All layers' weights over the union of their features: one table lookup per
/// feature serves every layer. Row `r` holds `nl` blocks of [`NT`] quantised weights.
pub(crate) struct Weights {
    /// Number of layers.
    pub(crate) nl: usize,
    /// Feature hash of each row.
    pub(crate) keys: Vec<u64>,
    /// `keys.len() * nl * NT` weights; multiply by the layer's scale.
    pub(crate) w: Vec<i16>,
    /// Per layer: the weight of one quantisation step.
    pub(crate) scales: Vec<f32>,
    /// Per layer: transition scores.
    pub(crate) trans: Vec<Trans>,
    /// `keys` -> row.
    pub(crate) table: Table,
}

impl Weights {
    /// Merges trained layers, quantising each to `i16` with its own scale.
    pub(crate) fn from_layers(layers: Vec<Layer>) -> Weights {
        let nl = layers.len();
        let mut keys: Vec<u64> = layers.iter().flat_map(|l| l.keys.iter().copied()).collect();
        keys.sort_unstable();
        keys.dedup();
        let index: FastMap<u64, usize> = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let mut w = vec![0i16; keys.len() * nl * NT];
        let mut scales = Vec::with_capacity(nl);
        let mut trans = Vec::with_capacity(nl);
        for (li, l) in layers.into_iter().enumerate() {
            let max = l.weights.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-6);
            let scale = max / 32000.0;
            for (r, k) in l.keys.iter().enumerate() {
                let dst = (index[k] * nl + li) * NT;
                for t in 0..NT {
                    w[dst + t] = (l.weights[r * NT + t] / scale).round() as i16;
                }
            }
            scales.push(scale);
            trans.push(l.trans);
        }
        let table = Table::build(&keys);
        Weights { nl, keys, w, scales, trans, table }
    }

    /// Adds layer `l`'s weights of `rows` to `acc`.
    #[inline]
    pub(crate) fn add(&self, l: usize, rows: &[u32], acc: &mut [i32; NT]) {
        for &r in rows {
            // A block of NT i16 may straddle two cache lines.
            let b = (r as usize * self.nl + l) * NT;
            prefetch(&self.w[b]);
            prefetch(&self.w[b + NT - 1]);
        }
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { sum_rows_avx2(&self.w, self.nl, l, rows, acc) };
            return;
        }
        sum_rows(&self.w, self.nl, l, rows, acc);
    }

    /// Looks up feature hashes, appending the rows found.
    #[inline]
    pub(crate) fn rows(&self, feats: &[u64], out: &mut Vec<u32>) {
        for &h in feats {
            self.table.prefetch(h);
        }
        for &h in feats {
            if let Some(r) = self.table.get(h) {
                out.push(r);
            }
        }
    }
}
