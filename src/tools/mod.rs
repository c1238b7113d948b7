//! Tools around the extractors that the product itself does not run: training
//! the NER tagger ([`train`](mod@train), with [`clusters`] for its word clusters), reading
//! CoNLL files ([`conll`]) and scoring a tagger against them ([`ner_eval`]);
//! scoring the figures extractor against the Recognizers-Text specs
//! ([`figures_eval`]) and quantity test cases ([`quantity_eval`]); scoring
//! attributions against PolNeAR ([`quote_eval`]) and training the attribution
//! tagger on it ([`quote_train`]); scoring web-page text against the article-extraction
//! benchmark ([`article_eval`]). The `train-ner`, `train-quotes`, `eval-ner`,
//! `eval-figures`, `eval-quotes` and `eval-articles` commands call these.
//!
//! Depends on [`crate::extract`], never the other way round: the tagger at run
//! time needs none of this, and only here are results turned into Arrow tables.

pub mod article_eval;
pub mod clusters;
pub mod conll;
pub mod figures_eval;
pub mod ner_eval;
mod perceptron;
pub mod quantity_eval;
pub mod quote_eval;
pub mod quote_train;
pub mod speaker_eval;
pub mod train;

pub use ner_eval::{Scores, TypeScores, evaluate};
pub use train::{TrainOptions, train, train_with};
