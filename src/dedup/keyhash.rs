//! Hashes that stand for a value only to be compared for equality: the keys records are
//! grouped by (blocking keys, a full name in a town, an address shared by several people).
//!
//! Such a hash never decides an order, a sample or an identity (those keep the standard hasher,
//! whose values the model and the golden ids rest on), so it can be the fastest good one.
//! SipHash, the standard library's default, took a third of blocking's time and a large share
//! of the register-wide counts; foldhash (its `quality` variant, with a fixed seed so that a key
//! is the same on every run and machine) does the same work at a fraction of the cost. Collisions
//! are as rare as with any 64-bit hash.

use std::hash::{BuildHasher, Hash};

/// The seed every equality hash is taken with.
const SEED: u64 = 0x7265_6763_6c65_616e;

/// The hasher state equality hashes are built from, also as a map's hasher
/// (`HashMap<K, V, State>`, created with `Default`).
#[derive(Debug, Clone)]
pub struct State(foldhash::quality::FixedState);

impl Default for State {
    fn default() -> State {
        State(foldhash::quality::FixedState::with_seed(SEED))
    }
}

impl BuildHasher for State {
    type Hasher = foldhash::quality::FoldHasher<'static>;

    #[inline]
    fn build_hasher(&self) -> Self::Hasher {
        self.0.build_hasher()
    }
}

/// The hasher state equality hashes are built from.
#[inline]
pub fn state() -> State {
    State::default()
}

/// The equality hash of one value.
#[inline]
pub fn hash_one<T: Hash>(value: T) -> u64 {
    state().hash_one(value)
}
