//! What the calls answer, as Rustler-derived types: each reply's shape
//! defined once here, encoded by Rustler (`Lockstep.Generator.Boundary`
//! matches them on the Elixir side). The conversions from the engine's
//! types are tested here in pure Rust (the derives and encoders are left
//! out of the test binary, which cannot link the VM).
//!
//! Shapes that cost nothing beside the hand-built terms they replaced: a
//! derived `NifMap` encodes through `enif_make_map_from_arrays` as
//! `Term::map_from_arrays` did, a `NifTuple` is one `enif_make_tuple`
//! (after a `Vec` of its fields: the one reply made on every call, [`Ops`],
//! is a Rust tuple, encoded in place), and a composite's children are a list built cell by cell from the engine's
//! states (no buffer of terms).

// (In the test binary nothing but the tests builds these: `nif`, which
// does, is left out of it.)
#![cfg_attr(test, allow(dead_code))]

use lockstep_engine::{Count, NodeState};
use rustler::Term;
use std::borrow::Cow;
#[cfg(not(test))]
use {
    crate::resources::Cursor,
    rustler::{Encoder, Env, ResourceArc},
};

/// A node's state after a call:
///
/// * an integer: a leaf's op count, or `0` when the node is unchanged;
/// * `%{produced: n, next_child: c | nil, children: [state]}`: a mix,
///   concat, zip or combinator (`next_child` is `nil` but for a round-robin
///   mix or a concat).
#[cfg_attr(not(test), derive(rustler::NifUntaggedEnum), rustler(encode))]
#[derive(Debug, PartialEq, Eq)]
pub enum State<'s> {
    Ops(u64),
    Composite(Composite<'s>),
}

/// A composite's state (see [`State`]).
#[cfg_attr(not(test), derive(rustler::NifMap), rustler(encode))]
#[derive(Debug, PartialEq, Eq)]
pub struct Composite<'s> {
    pub produced: u64,
    pub next_child: Option<usize>,
    pub children: Children<'s>,
}

/// The children's states (the engine's, borrowed or owned), encoded as a
/// list cell by cell from the last.
#[derive(Debug, PartialEq, Eq)]
pub struct Children<'s>(Cow<'s, [NodeState]>);

#[cfg(not(test))]
impl Encoder for Children<'_> {
    fn encode<'a>(&self, env: Env<'a>) -> Term<'a> {
        self.0
            .iter()
            .rev()
            .fold(Term::list_new_empty(env), |list, c| {
                list.list_prepend(State::from(c).encode(env))
            })
    }
}

impl<'s> From<&'s NodeState> for State<'s> {
    fn from(state: &'s NodeState) -> Self {
        match state {
            NodeState::Unchanged => State::Ops(0),
            NodeState::Leaf { produced } => State::Ops(*produced),
            NodeState::Mix {
                produced,
                next_child,
                children,
            } => composite(*produced, *next_child, Cow::Borrowed(children)),
            NodeState::Zip { produced, children } => {
                composite(*produced, None, Cow::Borrowed(children))
            }
        }
    }
}

impl From<NodeState> for State<'static> {
    fn from(state: NodeState) -> Self {
        match state {
            NodeState::Unchanged => State::Ops(0),
            NodeState::Leaf { produced } => State::Ops(produced),
            NodeState::Mix {
                produced,
                next_child,
                children,
            } => composite(produced, next_child, Cow::Owned(children)),
            NodeState::Zip { produced, children } => {
                composite(produced, None, Cow::Owned(children))
            }
        }
    }
}

fn composite(produced: u64, next_child: Option<usize>, children: Cow<[NodeState]>) -> State {
    State::Composite(Composite {
        produced,
        next_child,
        children: Children(children),
    })
}

/// `run`'s answer to `{:ops, ...}` and `{:picks, ...}`: `{ops,
/// next_childs, state, tags}`: `next_childs` the top's `next_child` after
/// each op when asked `:record` (and the top has one), else `[]`; `state`
/// nil when asked `:stateless`; `tags` the index of the top child that
/// served each op when asked `:tags`, else `[]`. Built by [`ops`].
///
/// A Rust tuple inside the derived [`Run`]: Rustler encodes it in place,
/// where a derived `NifTuple` first collects its fields into a `Vec`, an
/// allocation on every call (measured: ~10 ns of a fresh workload's one
/// call, which makes 20 ops).
pub type Ops<'a, 's> = (Term<'a>, Vec<usize>, Option<State<'s>>, Vec<u32>);

/// The [`Ops`] reply, its fields by name.
pub fn ops<'a, 's>(
    ops: Term<'a>,
    next_childs: Vec<usize>,
    state: Option<State<'s>>,
    tags: Vec<u32>,
) -> Ops<'a, 's> {
    (ops, next_childs, state, tags)
}

/// `run`'s answer to `{:skip, n}`: `{skipped, state}`.
#[cfg_attr(not(test), derive(rustler::NifTuple), rustler(encode))]
#[derive(Debug, PartialEq, Eq)]
pub struct Skipped<'s> {
    pub skipped: u64,
    pub state: State<'s>,
}

/// A count that is not a number.
#[cfg_attr(not(test), derive(rustler::NifUnitEnum), rustler(encode))]
#[derive(Debug, PartialEq, Eq)]
pub enum Endless {
    Infinity,
    Unknown,
}

/// `run`'s answer to `:capacity`: `count | :infinity | :unknown`.
#[cfg_attr(not(test), derive(rustler::NifUntaggedEnum), rustler(encode))]
#[derive(Debug, PartialEq, Eq)]
pub enum Capacity {
    Finite(u128),
    Endless(Endless),
}

impl From<Count> for Capacity {
    fn from(count: Count) -> Self {
        match count {
            Count::Finite(n) => Capacity::Finite(n),
            Count::Infinite => Capacity::Endless(Endless::Infinity),
            Count::Unknown => Capacity::Endless(Endless::Unknown),
        }
    }
}

/// What a `run` call answers inside its `{:ok, _}`.
#[cfg_attr(not(test), derive(rustler::NifUntaggedEnum), rustler(encode))]
pub enum Run<'a, 's> {
    Ops(Ops<'a, 's>),
    Skipped(Skipped<'s>),
    Capacity(Capacity),
}

/// The one error a caller acts on: an alias table or a cursor not of this
/// VM (`:stale_table`, `:stale`).
#[cfg_attr(not(test), derive(rustler::NifUnitEnum), rustler(encode))]
#[derive(Debug, PartialEq, Eq)]
pub enum Stale {
    StaleTable,
    Stale,
}

/// The error of a `run` or `plan_new` call: `:stale_table`, or a message
/// naming the bad part.
#[cfg_attr(not(test), derive(rustler::NifUntaggedEnum), rustler(encode))]
#[derive(Debug, PartialEq, Eq)]
pub enum Failed {
    Stale(Stale),
    Reason(String),
}

/// `plan_refill`'s answer inside its `{:ok, _}`: `{ops, next_childs,
/// tags}`, `next_childs` and `tags` as in [`Ops`].
#[cfg_attr(not(test), derive(rustler::NifTuple), rustler(encode))]
pub struct Refill<'a> {
    pub ops: Term<'a>,
    pub next_childs: Vec<usize>,
    pub tags: Vec<u32>,
}

#[cfg(not(test))]
/// `plan_seek`'s answer: `{:ok, cursor}` (there), `{:more, cursor}` (call
/// again with it), `{:error, :stale}`.
#[cfg_attr(not(test), derive(rustler::NifTaggedEnum), rustler(encode))]
pub enum Seek {
    Ok(ResourceArc<Cursor>),
    More(ResourceArc<Cursor>),
    Error(Stale),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(produced: u64) -> NodeState {
        NodeState::Leaf { produced }
    }

    #[test]
    fn a_leaf_state_is_its_op_count_and_an_unchanged_node_zero() {
        assert_eq!(State::from(leaf(7)), State::Ops(7));
        assert_eq!(State::from(&leaf(7)), State::Ops(7));
        assert_eq!(State::from(NodeState::Unchanged), State::Ops(0));
    }

    #[test]
    fn a_composite_state_names_its_fields_and_keeps_its_children_in_order() {
        let children = vec![leaf(2), NodeState::Unchanged, leaf(1)];
        let mix = NodeState::Mix {
            produced: 3,
            next_child: Some(1),
            children: children.clone(),
        };
        let State::Composite(c) = State::from(&mix) else {
            panic!("a mix's state is a composite's");
        };
        assert_eq!((c.produced, c.next_child), (3, Some(1)));
        assert_eq!(c.children, Children(Cow::Borrowed(&children[..])));
        // A zip (or a combinator of its own file) has no next_child.
        let zip = NodeState::Zip {
            produced: 4,
            children: vec![leaf(4), leaf(4)],
        };
        let State::Composite(c) = State::from(zip) else {
            panic!("a zip's state is a composite's");
        };
        assert_eq!((c.produced, c.next_child), (4, None));
        assert_eq!(c.children.0.len(), 2);
    }

    #[test]
    fn a_capacity_is_a_count_or_a_word() {
        assert_eq!(Capacity::from(Count::Finite(5)), Capacity::Finite(5));
        let past_u64 = u64::MAX as u128 + 1;
        assert_eq!(
            Capacity::from(Count::Finite(past_u64)),
            Capacity::Finite(past_u64)
        );
        assert_eq!(
            Capacity::from(Count::Infinite),
            Capacity::Endless(Endless::Infinity)
        );
        assert_eq!(
            Capacity::from(Count::Unknown),
            Capacity::Endless(Endless::Unknown)
        );
    }
}
