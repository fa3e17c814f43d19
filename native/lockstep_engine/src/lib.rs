//! The engine behind `Lockstep.Generator`: counter-based, seed-stable op streams.
//!
//! Op `i` of a seeded generator is a pure function of `(seed, stream, i)`:
//! [`seed`] turns the seed into a ChaCha key, [`words`] gives word `i` of that
//! key's stream, [`sample`] turns a word into a pool index (uniform or weighted),
//! [`zipf`] into a Zipf rank, [`kinds`] defines each leaf kind's ops, [`plan`]
//! composes leaves into mixes and zips, and [`batch`] drains plans in bounded
//! chunks. Nothing here knows about the BEAM; `lockstep_nif` is the thin binding.
//!
//! The full definition, step by step, is in `docs/STREAM.md` of the repository;
//! golden vectors in `test/fixtures/golden_vectors.txt` pin it.

#![forbid(unsafe_code)]

pub mod batch;
pub mod chacha;
mod children;
pub mod combinators;
pub mod composite;
pub mod error;
pub mod independent;
pub mod kinds;
pub mod plan;
pub mod sample;
pub mod seed;
pub mod skip;
pub mod state;
pub mod swarm;
pub mod words;
pub mod work;
pub mod zipf;

pub use batch::{Batch, MAX_CHUNK};
pub use composite::{Composite, Rule};
pub use error::EngineError;
pub use independent::{Independent, Keys, Layout};
pub use plan::{
    Leaf, LeafKind, ListAppend, Mix, Node, Picker, Position, Strategy, Tok, Until, Zip,
};
pub use sample::AliasTable;
pub use seed::Seed;
pub use skip::Count;
pub use state::NodeState;
pub use words::Words;
pub use work::Work;
pub use zipf::Zipf;
