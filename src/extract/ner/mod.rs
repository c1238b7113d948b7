//! Statistical named-entity tagger (PER / ORG / LOC / MISC).
//!
//! # Model
//!
//! A linear-chain model over BILOU tags (17 tags: `O` plus Begin/Inside/Last/Unit for
//! each of the four CoNLL types), decoded exactly with Viterbi under hard BILOU
//! transition constraints, and trained as an **averaged structured perceptron**
//! (Collins 2002). The perceptron was chosen over a CRF because:
//!
//! * it needs no gradient of the partition function, so an epoch over CoNLL-2003 is a
//!   couple of seconds of single-threaded work, and training is trivially
//!   deterministic (the only randomness is the seeded sentence order);
//! * averaging gives accuracy on par with an L2-regularised CRF for NER;
//! * its updates are sparse: only features active on mistakes get weights, so the
//!   model stays small after pruning zero rows.
//!
//! Features are hashed (64-bit) conjunctions of per-token values: word, lowercase
//! form, shapes, affixes, neighbouring words/shapes (±2), capitalisation in context,
//! sentence-initial and all-caps-headline flags, distributional word clusters
//! (made by `docsql::tools::clusters`), document-level casing evidence, and — in
//! later layers — the labels the previous layer gave to the same words and word
//! sequences elsewhere in the document (document-level consistency). Weights are stored as `i16` rows (one per
//! kept feature, one column per tag) with a global scale, indexed by an
//! open-addressing table of 32-bit fingerprints.
//!
//! The embedded model ([`embedded`]) is trained by `docsql::tools::train` on the
//! CoNLL-2003 English training set, with the development set used only to pick
//! the epoch; `docsql::tools` also scores a model against CoNLL files.
//!
//! # Files
//!
//! `tags` (the BILOU tag set) → `hash` and `features` (per-token values and
//! feature hashes, with `gazetteer` matches) → `context` (document evidence) →
//! `weights` (the weight table) → `decode` (Viterbi) → [`model`] (tagging a
//! document layer by layer; [`format`](mod@format) reads and writes it) → [`recognizer`]
//! (the [`EntityRecognizer`](super::mention::EntityRecognizer) the pipeline
//! uses).

// Index loops over the 17 tags read more clearly than iterator chains here.
#![allow(clippy::needless_range_loop, clippy::too_many_arguments)]

pub(crate) mod context;
pub(crate) mod decode;
pub(crate) mod features;
pub mod format;
pub(crate) mod gazetteer;
pub(crate) mod hash;
pub mod model;
pub mod recognizer;
pub(crate) mod tags;
pub(crate) mod weights;

use std::sync::OnceLock;

pub use format::ModelError;
pub use model::{NerModel, Span};
pub use recognizer::NerRecognizer;

/// The model trained on CoNLL-2003 and embedded in the binary, loaded once.
pub fn embedded() -> &'static NerModel {
    static MODEL: OnceLock<NerModel> = OnceLock::new();
    MODEL.get_or_init(|| NerModel::from_bytes(include_bytes!("model.bin")).expect("embedded NER model is valid"))
}
