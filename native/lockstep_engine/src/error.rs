//! Errors of the engine, as types. The NIF turns each into an `ArgumentError`.

use std::fmt;

/// Deepest nesting of mixes/zips a plan accepts (keeps recursion on a
/// scheduler's stack small and bounded, whatever term reaches the NIF).
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EngineError {
    /// A pool (or weight list) with no entries.
    EmptyPool,
    /// More entries than the engine indexes (`u32::MAX`).
    PoolTooLarge(usize),
    /// Every weight is zero.
    ZeroTotalWeight,
    /// The weights add up past `u64::MAX`.
    WeightOverflow,
    /// A mix with no children.
    EmptyMix,
    /// A mix nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A parameter out of its domain; the text says which.
    BadParameter(&'static str),
    /// A leaf whose ops lie outside the pool handed to the batch.
    PoolMismatch { needed: u64, pool: u64 },
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::EmptyPool => write!(f, "the pool of ops is empty"),
            EngineError::PoolTooLarge(n) => {
                write!(f, "pool of {n} ops is larger than {} ops", u32::MAX)
            }
            EngineError::ZeroTotalWeight => write!(f, "all weights are zero"),
            EngineError::WeightOverflow => write!(f, "the weights add up past 2^64 - 1"),
            EngineError::EmptyMix => write!(f, "a mix needs at least one child"),
            EngineError::TooDeep => {
                write!(f, "generators nested deeper than {MAX_DEPTH} levels")
            }
            EngineError::BadParameter(what) => write!(f, "{what}"),
            EngineError::PoolMismatch { needed, pool } => {
                write!(
                    f,
                    "ops up to index {needed} requested from a pool of {pool}"
                )
            }
        }
    }
}

impl std::error::Error for EngineError {}
