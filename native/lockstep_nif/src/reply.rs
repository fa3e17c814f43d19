//! What the calls answer, as Rustler-derived types: each reply's shape
//! defined once here, encoded by Rustler (`Lockstep.Generator.Boundary`
//! matches them on the Elixir side).
//!
//! Shapes that cost nothing beside the hand-built terms they replaced: a
//! derived `NifMap` encodes through `enif_make_map_from_arrays` as
//! `Term::map_from_arrays` did, a `NifTuple` is one `enif_make_tuple`, and
//! a composite's children are a list built cell by cell from the engine's
//! states (no buffer of terms).

use lockstep_engine::{Count, NodeState};
use rustler::{Encoder, Env, ResourceArc, Term};
use std::borrow::Cow;

use crate::resources::Cursor;

/// A node's state after a call:
///
/// * an integer: a leaf's op count, or `0` when the node is unchanged;
/// * `%{produced: n, next_child: c | nil, children: [state]}`: a mix,
///   concat, zip or combinator (`next_child` is `nil` but for a round-robin
///   mix or a concat).
#[derive(rustler::NifUntaggedEnum)]
#[rustler(encode)]
pub enum State<'s> {
    Ops(u64),
    Composite(Composite<'s>),
}

/// A composite's state (see [`State`]).
#[derive(rustler::NifMap)]
#[rustler(encode)]
pub struct Composite<'s> {
    pub produced: u64,
    pub next_child: Option<usize>,
    pub children: Children<'s>,
}

/// The children's states (the engine's, borrowed or owned), encoded as a
/// list cell by cell from the last.
pub struct Children<'s>(Cow<'s, [NodeState]>);

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

/// `run`'s answer to `{:ops, ...}` and `{:picks, ...}`: `{ops, state,
/// tags}`: `state` nil when asked `:stateless`; `tags` the index of the top
/// child that served each op when asked `:tags`, else `[]`.
#[derive(rustler::NifTuple)]
#[rustler(encode)]
pub struct Ops<'a, 's> {
    pub ops: Term<'a>,
    pub state: Option<State<'s>>,
    pub tags: Vec<u32>,
}

/// `run`'s answer to `{:skip, n}`: `{skipped, state}`.
#[derive(rustler::NifTuple)]
#[rustler(encode)]
pub struct Skipped<'s> {
    pub skipped: u64,
    pub state: State<'s>,
}

/// A count that is not a number.
#[derive(rustler::NifUnitEnum)]
#[rustler(encode)]
pub enum Endless {
    Infinity,
    Unknown,
}

/// `run`'s answer to `:capacity`: `count | :infinity | :unknown`.
#[derive(rustler::NifUntaggedEnum)]
#[rustler(encode)]
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
#[derive(rustler::NifUntaggedEnum)]
#[rustler(encode)]
pub enum Run<'a, 's> {
    Ops(Ops<'a, 's>),
    Skipped(Skipped<'s>),
    Capacity(Capacity),
}

/// The one error a caller acts on: an alias table or a cursor not of this
/// VM (`:stale_table`, `:stale`).
#[derive(rustler::NifUnitEnum)]
#[rustler(encode)]
pub enum Stale {
    StaleTable,
    Stale,
}

/// The error of a `run` or `plan_new` call: `:stale_table`, or a message
/// naming the bad part.
#[derive(rustler::NifUntaggedEnum)]
#[rustler(encode)]
pub enum Failed {
    Stale(Stale),
    Reason(String),
}

/// `plan_refill`'s answer inside its `{:ok, _}`: `{ops, tags}`, `tags` as
/// in [`Ops`].
#[derive(rustler::NifTuple)]
#[rustler(encode)]
pub struct Refill<'a> {
    pub ops: Term<'a>,
    pub tags: Vec<u32>,
}

/// `plan_seek`'s answer: `{:ok, cursor}` (there), `{:more, cursor}` (call
/// again with it), `{:error, :stale}`.
#[derive(rustler::NifTaggedEnum)]
#[rustler(encode)]
pub enum Seek {
    Ok(ResourceArc<Cursor>),
    More(ResourceArc<Cursor>),
    Error(Stale),
}
