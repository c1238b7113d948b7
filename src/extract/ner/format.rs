//! The model file: [`NerModel::to_bytes`] and [`NerModel::from_bytes`].
//!
//! Little-endian, in this order: the magic `DSNER\0\x02\0`; flags (u32); the
//! calibration (two f32); the clusters (u32 count, then per word a u64 key and
//! three u16 ids); the training-data entities (u32 count, then u64 key and u8
//! list bits each); when the gazetteer flag (2) is set, the gazetteer sequences (the same
//! shape) and the common words (u32 count, u64 each); the number of layers and
//! of features (u32 each); per layer its scale (f32) and `NT * (NT + 2)`
//! transition scores (f32); the feature keys (u64 each); the weights (i16, one
//! block of 17, one per tag, per feature and layer).
//!
//! A `--model` file comes from outside, so reading trusts none of it: every
//! count is checked against the bytes that remain before anything is
//! allocated for it, sizes are computed with checked arithmetic, and a bad file
//! is a [`ModelError`] saying what was being read and where.

use super::decode::Trans;
use super::features::ClusterMap;
use super::gazetteer::{Gaz, SeqMap};
use super::hash::FastSet;
use super::model::{FLAG_GAZ, FLAG_TGAZ, NerModel};
use super::tags::NT;
use super::weights::{Table, Weights};

const MAGIC: &[u8; 8] = b"DSNER\x00\x02\x00";

/// Transition scores per layer.
const TRANS_LEN: usize = NT * (NT + 2);

/// Why bytes are not a NER model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The bytes do not start with the model file's magic.
    #[error("not a docsql NER model (bad magic)")]
    BadMagic,
    /// A part of the model runs past the end of the bytes.
    #[error("truncated NER model: {what} at byte {offset} needs {needed} bytes, {left} remain")]
    Truncated {
        /// The part being read.
        what: &'static str,
        /// Where it starts.
        offset: usize,
        /// Bytes it needs (saturated at `u64::MAX`).
        needed: u64,
        /// Bytes left from `offset`.
        left: usize,
    },
    /// A value that no model written by [`NerModel::to_bytes`] has.
    #[error("invalid NER model: {what} at byte {offset}")]
    Invalid {
        /// What is wrong.
        what: &'static str,
        /// Where the value starts.
        offset: usize,
    },
    /// Bytes after the end of the model.
    #[error("trailing bytes in NER model: {len} after byte {offset}")]
    Trailing {
        /// Where the model ended.
        offset: usize,
        /// Bytes after it.
        len: usize,
    },
}

impl NerModel {
    /// Serialises the model (little-endian binary, see [the module](self)).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&self.flags.to_le_bytes());
        b.extend_from_slice(&self.calib.0.to_le_bytes());
        b.extend_from_slice(&self.calib.1.to_le_bytes());
        let mut cl: Vec<(&u64, &[u32; 3])> = self.clusters.iter().collect();
        cl.sort();
        b.extend_from_slice(&(cl.len() as u32).to_le_bytes());
        for (k, v) in cl {
            b.extend_from_slice(&k.to_le_bytes());
            for x in v {
                b.extend_from_slice(&(*x as u16).to_le_bytes());
            }
        }
        write_seqs(&mut b, self.tgaz.iter().flatten());
        if let Some(g) = &self.gaz {
            write_seqs(&mut b, g.seqs.iter());
            let mut cm: Vec<&u64> = g.common.iter().collect();
            cm.sort();
            b.extend_from_slice(&(cm.len() as u32).to_le_bytes());
            for k in cm {
                b.extend_from_slice(&k.to_le_bytes());
            }
        }
        let wt = &self.weights;
        b.extend_from_slice(&(wt.nl as u32).to_le_bytes());
        b.extend_from_slice(&(wt.keys.len() as u32).to_le_bytes());
        for l in 0..wt.nl {
            b.extend_from_slice(&wt.scales[l].to_le_bytes());
            for x in wt.trans[l].flat() {
                b.extend_from_slice(&x.to_le_bytes());
            }
        }
        for k in &wt.keys {
            b.extend_from_slice(&k.to_le_bytes());
        }
        for w in &wt.w {
            b.extend_from_slice(&w.to_le_bytes());
        }
        b
    }

    /// Reads a model written by [`NerModel::to_bytes`]. Any bytes may be
    /// given: a damaged or foreign file is an error, never a panic or a huge
    /// allocation.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        let mut r = Reader { b: bytes, p: 0 };
        if r.take("magic", MAGIC.len())? != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let flags = r.u32("flags")?;
        let calib = (r.f32("calibration")?, r.f32("calibration")?);
        let clusters = read_clusters(&mut r)?;
        let tg = read_seqs(&mut r, "training entities")?;
        let tgaz = if flags & FLAG_TGAZ != 0 { Some(tg) } else { None };
        let gaz = if flags & FLAG_GAZ != 0 { Some(read_gaz(&mut r)?) } else { None };
        let weights = read_weights(&mut r)?;
        if r.p != bytes.len() {
            return Err(ModelError::Trailing { offset: r.p, len: bytes.len() - r.p });
        }
        Ok(NerModel { flags, clusters, weights, gaz, tgaz, calib })
    }
}

/// Writes sorted (key, list bits) pairs with their count.
fn write_seqs<'a>(b: &mut Vec<u8>, pairs: impl Iterator<Item = (&'a u64, &'a u8)>) {
    let mut sq: Vec<(&u64, &u8)> = pairs.collect();
    sq.sort();
    b.extend_from_slice(&(sq.len() as u32).to_le_bytes());
    for (k, v) in sq {
        b.extend_from_slice(&k.to_le_bytes());
        b.push(*v);
    }
}

fn read_clusters(r: &mut Reader) -> Result<ClusterMap, ModelError> {
    let n = r.count("clusters", 8 + 3 * 2)?;
    let mut clusters = ClusterMap::with_capacity_and_hasher(n, Default::default());
    for _ in 0..n {
        let k = r.u64("cluster key")?;
        let v = [r.u16("cluster id")? as u32, r.u16("cluster id")? as u32, r.u16("cluster id")? as u32];
        clusters.insert(k, v);
    }
    Ok(clusters)
}

fn read_seqs(r: &mut Reader, what: &'static str) -> Result<SeqMap, ModelError> {
    let n = r.count(what, 8 + 1)?;
    let mut seqs = SeqMap::with_capacity_and_hasher(n, Default::default());
    for _ in 0..n {
        let k = r.u64(what)?;
        seqs.insert(k, r.take(what, 1)?[0]);
    }
    Ok(seqs)
}

fn read_gaz(r: &mut Reader) -> Result<Gaz, ModelError> {
    let seqs = read_seqs(r, "gazetteer entries")?;
    let n = r.count("common words", 8)?;
    let mut common = FastSet::with_capacity_and_hasher(n, Default::default());
    for _ in 0..n {
        common.insert(r.u64("common words")?);
    }
    Ok(Gaz { seqs, common })
}

fn read_weights(r: &mut Reader) -> Result<Weights, ModelError> {
    let at = r.p;
    let nl = r.count("layers", 4 + TRANS_LEN * 4)?;
    if nl == 0 {
        return Err(ModelError::Invalid { what: "no layers", offset: at });
    }
    let too_many = ModelError::Invalid { what: "too many layers", offset: at };
    // Per feature: a key and a block of weights per layer.
    let block = nl.checked_mul(NT * 2).ok_or(too_many.clone())?;
    let layer_bytes = nl.checked_mul(4 + TRANS_LEN * 4).ok_or(too_many)?;
    // The feature count comes before the layers, so it is bounded by what
    // remains after them.
    let n = r.u32("features")? as usize;
    let needed = (n as u64).saturating_mul(8 + block as u64).saturating_add(layer_bytes as u64);
    if needed > r.left() as u64 {
        return Err(ModelError::Truncated { what: "features", offset: r.p, needed, left: r.left() });
    }
    let mut scales = Vec::with_capacity(nl);
    let mut trans = Vec::with_capacity(nl);
    let mut tf = vec![0f32; TRANS_LEN];
    for _ in 0..nl {
        scales.push(r.f32("layer scale")?);
        for x in tf.iter_mut() {
            *x = r.f32("transitions")?;
        }
        trans.push(Trans::from_flat(&tf));
    }
    let too_many = ModelError::Invalid { what: "too many features", offset: at };
    let kb = r.take("feature keys", n.checked_mul(8).ok_or(too_many.clone())?)?;
    let keys: Vec<u64> = kb.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))).collect();
    let wlen = n.checked_mul(block).ok_or(too_many)?;
    let wb = r.take("weights", wlen)?;
    let w: Vec<i16> = wb.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]])).collect();
    let table = Table::build(&keys);
    Ok(Weights { nl, keys, w, scales, trans, table })
}

/// Reads little-endian values from the front of a byte slice; `p <= b.len()`
/// always.
struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Reader<'a> {
    /// Bytes not read yet.
    fn left(&self) -> usize {
        self.b.len() - self.p
    }

    /// The next `n` bytes, for reading `what`.
    fn take(&mut self, what: &'static str, n: usize) -> Result<&'a [u8], ModelError> {
        if n > self.left() {
            return Err(ModelError::Truncated { what, offset: self.p, needed: n as u64, left: self.left() });
        }
        let s = &self.b[self.p..self.p + n];
        self.p += n;
        Ok(s)
    }

    /// A u32 count of entries of `entry_bytes` bytes each, which must all fit
    /// in the bytes that remain after it.
    fn count(&mut self, what: &'static str, entry_bytes: usize) -> Result<usize, ModelError> {
        let n = self.u32(what)?;
        let needed = u64::from(n).saturating_mul(entry_bytes as u64);
        if needed > self.left() as u64 {
            return Err(ModelError::Truncated { what, offset: self.p, needed, left: self.left() });
        }
        // Fits in the slice, so in usize.
        Ok(n as usize)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], ModelError> {
        Ok(self.take(what, N)?.try_into().expect("take returns N bytes"))
    }

    fn u16(&mut self, what: &'static str) -> Result<u16, ModelError> {
        self.array(what).map(u16::from_le_bytes)
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, ModelError> {
        self.array(what).map(u32::from_le_bytes)
    }

    fn u64(&mut self, what: &'static str) -> Result<u64, ModelError> {
        self.array(what).map(u64::from_le_bytes)
    }

    fn f32(&mut self, what: &'static str) -> Result<f32, ModelError> {
        self.array(what).map(f32::from_le_bytes)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::extract::ner::embedded;
    use crate::extract::ner::model::FLAG_DOC;
    use crate::extract::ner::weights::Layer;

    const EMBEDDED: &[u8] = include_bytes!("model.bin");

    /// A small model with every part present: two layers, a few features.
    fn tiny() -> NerModel {
        let layer = |seed: f32| Layer {
            keys: vec![11, 22, 33],
            weights: (0..3 * NT).map(|i| (i as f32 - 20.0) * seed).collect(),
            trans: Trans::new(),
        };
        let clusters: ClusterMap = [(5u64, [1u32, 2, 3]), (6, [4, 5, 6])].into_iter().collect();
        let seqs: SeqMap = [(7u64, 1u8), (8, 6)].into_iter().collect();
        let tgaz: SeqMap = [(9u64, 2u8)].into_iter().collect();
        let common: FastSet<u64> = [10u64, 12].into_iter().collect();
        NerModel {
            flags: FLAG_DOC | FLAG_GAZ | FLAG_TGAZ,
            clusters,
            weights: Weights::from_layers(vec![layer(0.5), layer(-0.25)]),
            gaz: Some(Gaz { seqs, common }),
            tgaz: Some(tgaz),
            calib: (1.5, -0.5),
        }
    }

    /// Reading `bytes` returns; when it gives a model, that model tags.
    fn read_and_use(bytes: &[u8]) -> Result<(), ModelError> {
        let model = NerModel::from_bytes(bytes)?;
        let spans = model.tag_document(&[&["Mr", "Smith", "went", "to", "Paris", "."], &[], &["PARIS"]]);
        assert!(spans.len() <= 3);
        Ok(())
    }

    #[test]
    fn the_embedded_model_writes_back_byte_for_byte() {
        assert!(embedded().to_bytes() == EMBEDDED);
        let tiny = tiny().to_bytes();
        assert_eq!(NerModel::from_bytes(&tiny).unwrap().to_bytes(), tiny);
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(NerModel::from_bytes(b"nonsense").err(), Some(ModelError::BadMagic));
        let err = NerModel::from_bytes(b"DSN").unwrap_err();
        assert_eq!(err, ModelError::Truncated { what: "magic", offset: 0, needed: 8, left: 3 });
        assert_eq!(err.to_string(), "truncated NER model: magic at byte 0 needs 8 bytes, 3 remain");
        // A count far beyond the file is refused before anything is allocated.
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&[0; 12]);
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        let err = NerModel::from_bytes(&huge).unwrap_err();
        assert_eq!(
            err,
            ModelError::Truncated { what: "clusters", offset: 24, needed: u64::from(u32::MAX) * 14, left: 0 }
        );
        let mut trailing = tiny().to_bytes();
        let len = trailing.len();
        trailing.push(0);
        assert_eq!(NerModel::from_bytes(&trailing).err(), Some(ModelError::Trailing { offset: len, len: 1 }));
    }

    #[test]
    fn a_model_without_layers_is_invalid() {
        let mut model = tiny();
        model.weights = Weights::from_layers(Vec::new());
        let bytes = model.to_bytes();
        let err = NerModel::from_bytes(&bytes).unwrap_err();
        assert!(matches!(err, ModelError::Invalid { what: "no layers", .. }), "{err}");
    }

    #[test]
    fn every_prefix_and_every_bit_flip_of_a_small_model_reads_safely() {
        let bytes = tiny().to_bytes();
        for cut in 0..bytes.len() {
            assert!(read_and_use(&bytes[..cut]).is_err(), "prefix of {cut} bytes");
        }
        let mut flipped = bytes.clone();
        for bit in 0..bytes.len() * 8 {
            flipped[bit / 8] ^= 1 << (bit % 8);
            let _ = read_and_use(&flipped);
            flipped[bit / 8] ^= 1 << (bit % 8);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), magic in any::<bool>()) {
            let mut input = if magic { MAGIC.to_vec() } else { Vec::new() };
            input.extend_from_slice(&bytes);
            let _ = read_and_use(&input);
        }
    }

    proptest! {
        // Each case reads up to 15 MB.
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn damaged_embedded_models_never_panic(cut in 0..EMBEDDED.len(), flip in 0..EMBEDDED.len() * 8) {
            prop_assert!(NerModel::from_bytes(&EMBEDDED[..cut]).is_err());
            let mut flipped = EMBEDDED.to_vec();
            flipped[flip / 8] ^= 1 << (flip % 8);
            let _ = read_and_use(&flipped);
            // Flips in the header, where the counts are.
            let mut flipped = EMBEDDED.to_vec();
            flipped[flip % 64] ^= 1 << (flip % 8);
            let _ = read_and_use(&flipped);
        }
    }
}
