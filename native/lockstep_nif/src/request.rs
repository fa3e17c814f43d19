//! What a `run` call is asked for, as Rustler decodes it from the terms
//! `Lockstep.Generator.Boundary` sends, and the checks that do not need the
//! plan (tested here, in pure Rust).

use lockstep_engine::MAX_CHUNK;

/// A `run` request:
///
/// * `:capacity`: the ops the plan gives before it is done;
/// * `{:skip, n}`: skip up to `n` ops within a work budget;
/// * `{:picks, k, next_childs}`: the next (up to) `k` ops of a tree of
///   pool picks only, as flat pool indices (the pools are not read);
/// * `{:ops, k, next_childs, tags, state}`: the next (up to) `k` ops; with
///   `:tags` (a mix or concat at the top) also which top child served each;
///   with `:stateless`, no state after them (a fold's last ops).
///
/// Flat tuples, one shape per tag, built only by `Boundary.ops/3`: a map
/// per request cost about 90 ns more per call to decode (measured on a
/// fresh workload's one call), which a fresh generator per iteration pays.
/// The tags and flags are named atoms (one atom compare each to decode).
///
/// Derived as an untagged enum of Rust tuples, each starting with its tag
/// (a one-atom unit enum): Rustler reads a Rust tuple in place, where its
/// `NifTaggedEnum` copies the tuple into a `Vec` first, an allocation on
/// every call (measured: ~25 ns of a fresh workload's one call).
#[cfg_attr(not(test), derive(rustler::NifUntaggedEnum), rustler(decode))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    Ops((OpsTag, usize, NextChilds, Tags, StateAfter)),
    Picks((PicksTag, usize, NextChilds)),
    Skip((SkipTag, u64)),
    Capacity(CapacityTag),
}

/// Each request shape's tag, the atom it starts with (a one-variant unit
/// enum, so that Rustler checks it).
macro_rules! tags {
    ($($(#[$doc:meta])* $tag:ident($variant:ident);)*) => {$(
        $(#[$doc])*
        #[cfg_attr(not(test), derive(rustler::NifUnitEnum), rustler(decode))]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $tag {
            $variant,
        }
    )*};
}

tags! {
    /// `:ops`.
    OpsTag(Ops);
    /// `:picks`.
    PicksTag(Picks);
    /// `:skip`.
    SkipTag(Skip);
    /// `:capacity`.
    CapacityTag(Capacity);
}

/// Whether each op is followed by the top mix's `next_child` after it
/// (`:record`) or not (`:plain`).
#[cfg_attr(not(test), derive(rustler::NifUnitEnum))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextChilds {
    Record,
    Plain,
}

/// Whether the reply says which top child served each op (`:tags`) or not
/// (`:untagged`).
#[cfg_attr(not(test), derive(rustler::NifUnitEnum))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tags {
    Tags,
    Untagged,
}

/// Whether the reply carries the plan's state after the ops (`:state`) or
/// `nil` (`:stateless`: nobody reads it).
#[cfg_attr(not(test), derive(rustler::NifUnitEnum))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateAfter {
    State,
    Stateless,
}

impl Request {
    /// The request if it asks for at most `MAX_CHUNK` ops, else the name of
    /// what is wrong.
    pub fn checked(self) -> Result<Request, &'static str> {
        match self {
            Request::Picks((_, k, _)) | Request::Ops((_, k, ..)) if k > MAX_CHUNK => {
                Err("op count")
            }
            request => Ok(request),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_counts_past_a_chunk_are_refused() {
        let ops = |k| {
            Request::Ops((
                OpsTag::Ops,
                k,
                NextChilds::Plain,
                Tags::Untagged,
                StateAfter::State,
            ))
        };
        assert_eq!(ops(MAX_CHUNK).checked(), Ok(ops(MAX_CHUNK)));
        assert_eq!(ops(MAX_CHUNK + 1).checked(), Err("op count"));
        let picks = |k| Request::Picks((PicksTag::Picks, k, NextChilds::Record));
        assert_eq!(picks(0).checked(), Ok(picks(0)));
        assert_eq!(picks(MAX_CHUNK + 1).checked(), Err("op count"));
    }

    #[test]
    fn the_flags_do_not_change_the_op_count_check() {
        for tags in [Tags::Tags, Tags::Untagged] {
            for state in [StateAfter::State, StateAfter::Stateless] {
                let ops = |k| Request::Ops((OpsTag::Ops, k, NextChilds::Record, tags, state));
                assert_eq!(ops(MAX_CHUNK).checked(), Ok(ops(MAX_CHUNK)));
                assert_eq!(ops(MAX_CHUNK + 1).checked(), Err("op count"));
            }
        }
    }

    #[test]
    fn skips_and_capacities_take_any_count() {
        assert_eq!(
            Request::Skip((SkipTag::Skip, u64::MAX)).checked(),
            Ok(Request::Skip((SkipTag::Skip, u64::MAX)))
        );
        let capacity = Request::Capacity(CapacityTag::Capacity);
        assert_eq!(capacity.checked(), Ok(capacity));
    }
}
