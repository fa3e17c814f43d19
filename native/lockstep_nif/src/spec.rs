//! Decoding a plan spec term (built by `Lockstep.Generator.Spec.tree/1`) into an
//! engine plan. Leaves get consecutive offsets in depth-first order, matching
//! the flat pool the Elixir side builds in the same order.
//!
//! ```text
//! {:leaf, :random | :cycle | table, n, seed, stream, pos, remaining}   (a table: weighted)
//! {:value, params, seed, stream, pos, remaining}
//!     params: a %Lockstep.Generator.Params.*{} struct (crate::params)
//! {:mix, :any | :all, next_child, remaining, [spec], strategy}
//!     strategy: :round_robin | :concat | {:random, :uniform | table, seed, stream, pos}
//! `table` is a table resource or a list of at most `INLINE_TABLE` weights.
//! {:zip, remaining, [spec]}
//! {:independent, template, keys, layout, pos, remaining}
//!     keys: {:naturals, first} | [{domain, value}]  (integer keys from first; the fork seeds of listed keys)
//!     layout: {per_key, concurrency, final_len, groups, group, member}
//!     pools: the template's, then the key terms, then the final ops
//! ```
//! {:combinator, name, params, remaining, [spec]}
//!     a combinator of its own file (lockstep_engine::combinators): its
//!     name (an atom), its parameters (a list of at most `MAX_PARAMS`
//!     non-negative integers)
//! `seed` is `{domain, value}`; `remaining` a non-negative integer or `:infinity`.

use lockstep_engine::plan::MAX_DEPTH;
use lockstep_engine::{
    Composite, EngineError, Independent, Keys, Layout, Leaf, LeafKind, Mix, Node, Picker, Position,
    Seed, Strategy, Until, Zip,
};
use rustler::{Atom, ResourceArc, Term};
use std::fmt;

use crate::params::Params;
use crate::resources::Table;

mod atoms {
    rustler::atoms! {
        leaf, value, mix, zip, random, cycle, weighted, any, all, infinity,
        round_robin, concat, uniform, independent, naturals, combinator
    }
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

fn position(seed: Term, stream: Term, pos: Term) -> Result<Position, SpecError> {
    let (domain, value): (u64, u64) = field(seed, "seed")?;
    Ok(Position {
        seed: Seed::new(domain, value),
        stream: field(stream, "stream")?,
        pos: field(pos, "pos")?,
    })
}

/// Most weights an alias table may be built from inside a plan call (a few µs);
/// longer weight lists come as a table resource built once.
pub const INLINE_TABLE: usize = 256;

/// An alias table: a live table resource, or a short weight list built here.
fn table(term: Term) -> Result<std::sync::Arc<lockstep_engine::AliasTable>, SpecError> {
    if term.is_list() {
        let n = term
            .list_length()
            .map_err(|_| SpecError::Malformed("weights"))?;
        if n > INLINE_TABLE {
            return Err(SpecError::Malformed("weights: too many to build inline"));
        }
        // On the stack: at most INLINE_TABLE of them.
        let mut weights = [0u64; INLINE_TABLE];
        read_u64s(term, &mut weights[..n], "weights")?;
        return small_table(&weights[..n]);
    }
    term.decode::<ResourceArc<Table>>()
        .map(|t| t.shared())
        .map_err(|_| SpecError::StaleTable)
}

/// Weight lists up to this long keep their table in a per-thread cache.
const CACHED_WEIGHTS: usize = 16;
/// Tables the cache holds (most recently used first).
const CACHED_TABLES: usize = 8;

type CachedTable = (Vec<u64>, std::sync::Arc<lockstep_engine::AliasTable>);

thread_local! {
    /// Short weight lists' tables, by weights: a fresh weighted generator per
    /// iteration (the same weights, new seeds) builds its table once per
    /// scheduler thread, not once per call. A table is a pure function of
    /// its weights, so a hit is the table a build would give.
    static SMALL_TABLES: std::cell::RefCell<Vec<CachedTable>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The alias table of `weights` (a short list from the cache, or built).
fn small_table(weights: &[u64]) -> Result<std::sync::Arc<lockstep_engine::AliasTable>, SpecError> {
    let build = || {
        Ok(std::sync::Arc::new(lockstep_engine::AliasTable::new(
            weights,
        )?))
    };
    if weights.len() > CACHED_WEIGHTS {
        return build();
    }
    SMALL_TABLES.with_borrow_mut(|cache| {
        if let Some(i) = cache.iter().position(|(w, _)| w.as_slice() == weights) {
            // Most recently used first.
            cache[..=i].rotate_right(1);
        } else {
            let table = build()?;
            cache.truncate(CACHED_TABLES - 1);
            cache.insert(0, (weights.to_vec(), table));
        }
        Ok(std::sync::Arc::clone(&cache[0].1))
    })
}

/// A pick leaf's kind: `:random`/`:cycle` over `n` ops, or `:weighted` with a
/// live table of `n` entries.
pub fn pick_kind(kind: Atom, n: u64, tbl: Term) -> Result<LeafKind, SpecError> {
    if kind == atoms::weighted() {
        weighted(n, tbl)
    } else {
        unweighted(kind, n)
    }
}

/// A plan leaf's kind term: `:random`, `:cycle`, or the table of a weighted
/// leaf (weights or a table resource).
fn leaf_kind(kind: Term, n: u64) -> Result<LeafKind, SpecError> {
    match kind.decode::<Atom>() {
        Ok(kind) => unweighted(kind, n),
        Err(_) => weighted(n, kind),
    }
}

fn unweighted(kind: Atom, n: u64) -> Result<LeafKind, SpecError> {
    if kind == atoms::random() {
        Ok(LeafKind::random(n)?)
    } else if kind == atoms::cycle() {
        Ok(LeafKind::cycle(n)?)
    } else {
        Err(SpecError::Malformed("kind"))
    }
}

fn weighted(n: u64, tbl: Term) -> Result<LeafKind, SpecError> {
    let t = table(tbl)?;
    if t.len() as u64 != n {
        return Err(SpecError::Malformed("table size"));
    }
    Ok(LeafKind::Weighted(t))
}

fn decode(term: Term, depth: usize, offset: &mut u64) -> Result<Node, SpecError> {
    if depth > MAX_DEPTH {
        return Err(SpecError::Engine(EngineError::TooDeep));
    }
    let leaf = |kind: LeafKind, at: Position, rem: Term, offset: &mut u64| {
        let leaf = Leaf::new(kind, at, remaining(rem)?, *offset);
        *offset = leaf.pool_end();
        Ok(Node::Leaf(leaf))
    };
    // Every node by Rustler's tuple decoders, one per arity (the common
    // value leaves and mixes first), one shape per tag: no allocation.
    // (Rustler's derived NifTaggedEnum decoder copies a node into a Vec,
    // an allocation per node on every call: measured, docs/DESIGN.md.)
    if let Ok((tag, params, seed, stream, pos, rem)) =
        term.decode::<(Atom, Term, Term, Term, Term, Term)>()
    {
        if tag == atoms::value() {
            let at = position(seed, stream, pos)?;
            let kind = value_kind(params, at.seed)?;
            return leaf(kind, at, rem, offset);
        }
        if tag == atoms::mix() {
            let strategy = strategy(rem)?;
            return mix(params, seed, stream, pos, strategy, depth, offset);
        }
        if tag == atoms::independent() {
            return independent(params, seed, stream, pos, rem, depth, offset);
        }
        return Err(SpecError::Malformed("node"));
    }
    if let Ok((tag, kind, n, seed, stream, pos, rem)) =
        term.decode::<(Atom, Term, Term, Term, Term, Term, Term)>()
    {
        if tag != atoms::leaf() {
            return Err(SpecError::Malformed("node"));
        }
        let kind = leaf_kind(kind, field(n, "pool size")?)?;
        return leaf(kind, position(seed, stream, pos)?, rem, offset);
    }
    if let Ok((tag, name, params, rem, children)) = term.decode::<(Atom, Term, Term, Term, Term)>()
    {
        if tag != atoms::combinator() {
            return Err(SpecError::Malformed("node"));
        }
        return combinator(name, params, rem, children, depth, offset);
    }
    match term.decode::<(Atom, Term, Term)>() {
        Ok((tag, rem, children)) if tag == atoms::zip() => {
            let rem = remaining(rem)?;
            let children = decode_children(children, depth, offset)?;
            Ok(Node::Zip(Zip::new(children, rem)?))
        }
        _ => Err(SpecError::Malformed("node")),
    }
}

/// `{:independent, template, keys, layout, pos, remaining}`.
fn independent(
    template: Term,
    keys: Term,
    layout: Term,
    pos: Term,
    rem: Term,
    depth: usize,
    offset: &mut u64,
) -> Result<Node, SpecError> {
    let template = decode(template, depth + 1, offset)?;
    let keys = if let Ok((tag, first)) = keys.decode::<(Atom, u64)>() {
        if tag != atoms::naturals() {
            return Err(SpecError::Malformed("keys"));
        }
        Keys::Naturals { first }
    } else {
        let n = keys
            .list_length()
            .map_err(|_| SpecError::Malformed("keys"))?;
        let mut seeds = Vec::with_capacity(n);
        for key in keys
            .into_list_iterator()
            .map_err(|_| SpecError::Malformed("keys"))?
        {
            let (domain, value): (u64, u64) = field(key, "keys")?;
            seeds.push(Seed::new(domain, value));
        }
        if seeds.is_empty() {
            return Err(SpecError::Malformed("keys"));
        }
        let keys = Keys::Listed {
            offset: *offset,
            seeds,
        };
        *offset += n as u64;
        keys
    };
    let (per_key, concurrency, final_len, groups, group, member): (u64, u64, u64, u64, u64, u64) =
        field(layout, "layout")?;
    let layout = Layout {
        per_key,
        concurrency,
        final_len,
        groups,
        group,
        member,
    };
    let final_offset = *offset;
    let node = Independent::new(
        template,
        keys,
        layout,
        final_offset,
        field(pos, "pos")?,
        remaining(rem)?,
    )
    .ok_or(SpecError::Malformed("layout"))?;
    *offset = node.pool_end();
    Ok(Node::Independent(node))
}

/// Most parameters a combinator takes.
pub const MAX_PARAMS: usize = 16;

/// `{:combinator, name, params, remaining, children}`: decoded the same for
/// every combinator (its rule checks its parameters).
fn combinator(
    name: Term,
    params: Term,
    rem: Term,
    children: Term,
    depth: usize,
    offset: &mut u64,
) -> Result<Node, SpecError> {
    let name = name
        .atom_to_string()
        .map_err(|_| SpecError::Malformed("combinator name"))?;
    let n = params
        .list_length()
        .map_err(|_| SpecError::Malformed("combinator params"))?;
    if n > MAX_PARAMS {
        return Err(SpecError::Malformed("combinator params"));
    }
    let mut values = [0u64; MAX_PARAMS];
    read_u64s(params, &mut values[..n], "combinator params")?;
    let rem = remaining(rem)?;
    let children = decode_children(children, depth, offset)?;
    Ok(Node::Composite(Composite::new(
        &name,
        &values[..n],
        children,
        rem,
    )?))
}

/// `{:mix, until, next_child, remaining, children, strategy}`.
fn mix(
    until: Term,
    next_child: Term,
    rem: Term,
    children: Term,
    strategy: Strategy,
    depth: usize,
    offset: &mut u64,
) -> Result<Node, SpecError> {
    let until: Atom = field(until, "until")?;
    let until = if until == atoms::any() {
        Until::Any
    } else if until == atoms::all() {
        Until::All
    } else {
        return Err(SpecError::Malformed("until"));
    };
    let next_child: usize = field(next_child, "next_child")?;
    let rem = remaining(rem)?;
    let children = decode_children(children, depth, offset)?;
    if next_child >= children.len().max(1) {
        return Err(SpecError::Malformed("next_child"));
    }
    Ok(Node::Mix(Mix::with_strategy(
        children, next_child, rem, until, strategy,
    )?))
}

fn decode_children(term: Term, depth: usize, offset: &mut u64) -> Result<Vec<Node>, SpecError> {
    // Proper lists only: Rustler's iterator panics on an improper tail.
    let n = term
        .list_length()
        .map_err(|_| SpecError::Malformed("children"))?;
    let mut children = Vec::with_capacity(n);
    for child in term
        .into_list_iterator()
        .map_err(|_| SpecError::Malformed("children"))?
    {
        children.push(decode(child, depth + 1, offset)?);
    }
    Ok(children)
}

fn strategy(term: Term) -> Result<Strategy, SpecError> {
    if let Ok(a) = term.decode::<Atom>() {
        return if a == atoms::round_robin() {
            Ok(Strategy::RoundRobin)
        } else if a == atoms::concat() {
            Ok(Strategy::Concat)
        } else {
            Err(SpecError::Malformed("strategy"))
        };
    }
    match rustler::types::tuple::get_tuple(term).as_deref() {
        Ok([tag, picker, seed, stream, pos])
            if field::<Atom>(*tag, "strategy")? == atoms::random() =>
        {
            let picker = match picker.decode::<Atom>() {
                Ok(a) if a == atoms::uniform() => Picker::Uniform,
                Ok(_) => return Err(SpecError::Malformed("picker")),
                Err(_) => Picker::Weighted(table(*picker)?),
            };
            Ok(Strategy::Random {
                at: position(*seed, *stream, *pos)?,
                picker,
            })
        }
        _ => Err(SpecError::Malformed("strategy")),
    }
}

/// The first `out.len()` items of the proper list `term`, as u64s.
fn read_u64s(term: Term, out: &mut [u64], what: &'static str) -> Result<(), SpecError> {
    let items = term
        .into_list_iterator()
        .map_err(|_| SpecError::Malformed(what))?;
    for (w, item) in out.iter_mut().zip(items) {
        *w = field(item, what)?;
    }
    Ok(())
}

/// A value leaf's kind: its params struct (crate::params), for a leaf of
/// seed `seed`.
fn value_kind(term: Term, seed: Seed) -> Result<LeafKind, SpecError> {
    let params: Params = field(term, "value kind")?;
    Ok(params.kind(seed)?)
}
