//! Decoding a plan spec term (built by `Lockstep.Generator.Plan.spec/1`) into an
//! engine plan. Leaves get consecutive offsets in depth-first order, matching
//! the flat pool the Elixir side builds in the same order.
//!
//! ```text
//! {:leaf, kind, n, table, {domain, value}, stream, pos, remaining}
//! {:mix, :any | :all, next_child, remaining, [spec]}
//! ```
//! `remaining` is a non-negative integer or `:infinity`.

use lockstep_engine::plan::MAX_DEPTH;
use lockstep_engine::{EngineError, Leaf, LeafKind, Mix, Node, Position, Seed, Until};
use rustler::{Atom, ResourceArc, Term};
use std::fmt;

use crate::resources::Table;

mod atoms {
    rustler::atoms! { leaf, mix, random, cycle, weighted, any, all, infinity }
}

#[derive(Debug)]
pub enum SpecError {
    /// Not a well-formed spec; names the part.
    Malformed(&'static str),
    /// A weighted leaf's table is not a live resource of this VM.
    StaleTable,
    Engine(EngineError),
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecError::Malformed(what) => write!(f, "malformed plan: {what}"),
            SpecError::StaleTable => write!(f, "stale weighted table"),
            SpecError::Engine(e) => write!(f, "{e}"),
        }
    }
}

impl From<EngineError> for SpecError {
    fn from(e: EngineError) -> Self {
        SpecError::Engine(e)
    }
}

fn field<'a, T: rustler::Decoder<'a>>(term: Term<'a>, what: &'static str) -> Result<T, SpecError> {
    term.decode().map_err(|_| SpecError::Malformed(what))
}

fn remaining(term: Term) -> Result<Option<u64>, SpecError> {
    if let Ok(r) = term.decode::<u64>() {
        return Ok(Some(r));
    }
    match term.decode::<Atom>() {
        Ok(a) if a == atoms::infinity() => Ok(None),
        _ => Err(SpecError::Malformed("remaining")),
    }
}

pub fn decode_plan(term: Term) -> Result<Node, SpecError> {
    let mut offset = 0;
    decode(term, 0, &mut offset)
}

fn decode(term: Term, depth: usize, offset: &mut u64) -> Result<Node, SpecError> {
    if depth > MAX_DEPTH {
        return Err(SpecError::Engine(EngineError::TooDeep));
    }
    let parts = rustler::types::tuple::get_tuple(term).map_err(|_| SpecError::Malformed("node"))?;
    let tag: Atom = field(*parts.first().ok_or(SpecError::Malformed("node"))?, "tag")?;
    match parts.as_slice() {
        [_, kind, n, table, seed, stream, pos, rem] if tag == atoms::leaf() => {
            let kind: Atom = field(*kind, "kind")?;
            let n: u64 = field(*n, "pool size")?;
            let kind = if kind == atoms::random() {
                LeafKind::random(n)?
            } else if kind == atoms::cycle() {
                LeafKind::cycle(n)?
            } else if kind == atoms::weighted() {
                let table = table
                    .decode::<ResourceArc<Table>>()
                    .map_err(|_| SpecError::StaleTable)?;
                if table.len() as u64 != n {
                    return Err(SpecError::Malformed("table size"));
                }
                LeafKind::Weighted(table.shared())
            } else {
                return Err(SpecError::Malformed("kind"));
            };
            let (domain, value): (u64, u64) = field(*seed, "seed")?;
            let at = Position {
                seed: Seed::new(domain, value),
                stream: field(*stream, "stream")?,
                pos: field(*pos, "pos")?,
            };
            let leaf = Leaf::new(kind, at, remaining(*rem)?, *offset);
            *offset = leaf.pool_end();
            Ok(Node::Leaf(leaf))
        }
        [_, until, next_child, rem, children] if tag == atoms::mix() => {
            let until: Atom = field(*until, "until")?;
            let until = if until == atoms::any() {
                Until::Any
            } else if until == atoms::all() {
                Until::All
            } else {
                return Err(SpecError::Malformed("until"));
            };
            let next_child: usize = field(*next_child, "next_child")?;
            let rem = remaining(*rem)?;
            // Proper lists only: Rustler's iterator panics on an improper tail.
            children
                .list_length()
                .map_err(|_| SpecError::Malformed("children"))?;
            let children = children
                .into_list_iterator()
                .map_err(|_| SpecError::Malformed("children"))?
                .map(|child| decode(child, depth + 1, offset))
                .collect::<Result<Vec<Node>, SpecError>>()?;
            if next_child >= children.len().max(1) {
                return Err(SpecError::Malformed("next_child"));
            }
            Ok(Node::Mix(Mix::new(children, next_child, rem, until)?))
        }
        _ => Err(SpecError::Malformed("node")),
    }
}
