//! Decoding a plan spec term (built by `Lockstep.Generator.Spec.tree/1`) into an
//! engine plan, in one place ([`node`]): each node read by its arity and
//! tag, one shape per tag, its fields by their parts' Rustler-derived types
//! (crate::spec_parts, crate::params), then made the engine's, its children
//! first. Leaves get consecutive offsets in depth-first order, matching the
//! flat pool the Elixir side builds in the same order.
//!
//! ```text
//! {:leaf, :random | :cycle | table, n, seed, stream, pos, remaining}   (a table: weighted)
//! {:value, params, seed, stream, pos, remaining}
//!     params: a %Lockstep.Generator.Params.*{} struct (crate::params)
//! {:mix, :any | :all, next_child, remaining, [spec], strategy}
//!     strategy: :round_robin | :concat | {:random, :uniform | table, seed, stream, pos}
//! {:zip, remaining, [spec]}
//! {:independent, template, keys, layout, pos, remaining}
//!     keys: {:naturals, first} | [{domain, value}]  (integer keys from first; the fork seeds of listed keys)
//!     layout: {per_key, concurrency, final_len, groups, group, member}
//!     pools: the template's, then the key terms, then the final ops
//! {:combinator, name, params, remaining, [spec]}
//!     a combinator of its own file (lockstep_engine::combinators): its
//!     name (an atom), its parameters (a list of at most `MAX_PARAMS`
//!     non-negative integers)
//! ```
//! `table` is a table resource or a list of at most `INLINE_TABLE` weights;
//! `seed` is `{domain, value}`; `remaining` a non-negative integer or
//! `:infinity`. A spec that is not one of these is an error naming the
//! part that is wrong (`malformed plan: remaining`), or `StaleTable`.

use lockstep_engine::plan::MAX_DEPTH;
use lockstep_engine::{EngineError, Keys, LeafKind, Node, Picker, Seed, Strategy};
use rustler::{Atom, NifTaggedEnum, NifUnitEnum, NifUntaggedEnum, ResourceArc, Term};

use crate::params::Params;
use crate::resources::Table;
use crate::spec_parts::{self as parts, position, Field, Key, Pick, PoolSize, Pos, Stream};

mod atoms {
    rustler::atoms! { random, cycle, weighted, leaf, value, mix, zip, independent, combinator }
}

pub use crate::spec_parts::SpecError;

/// A composite's children: a list of specs, each read when the node is
/// made (depth first, so that a deep spec is refused at `MAX_DEPTH`
/// without being walked).
type Children<'a> = Term<'a>;

/// A mix's strategy.
#[derive(NifTaggedEnum)]
#[rustler(decode)]
pub enum MixStrategy<'a> {
    RoundRobin,
    Concat,
    /// `{:random, picker, seed, stream, pos}`: the mix's own stream.
    Random(MixPicker<'a>, Field<Key>, Field<Stream>, Field<Pos>),
}

impl crate::spec_parts::Part for MixStrategy<'_> {
    const NAME: &'static str = "strategy";
}

/// A random mix's picker: `:uniform`, or a table of the children's weights.
#[derive(NifUntaggedEnum)]
#[rustler(decode)]
pub enum MixPicker<'a> {
    Uniform(Uniform),
    Table(Term<'a>),
}

/// `:uniform`.
#[derive(NifUnitEnum)]
#[rustler(decode)]
pub enum Uniform {
    Uniform,
}

/// An independent workload's keys: `{:naturals, first}` (integer keys
/// from `first`), or the fork seeds of listed keys, `[{domain, value}]`
/// (read when the node is made, as they take pools).
#[derive(NifUntaggedEnum)]
#[rustler(decode)]
pub enum IndependentKeys<'a> {
    Counted((Naturals, u64)),
    Listed(Term<'a>),
}

/// The atom `:naturals`.
#[derive(NifUnitEnum)]
#[rustler(decode)]
pub enum Naturals {
    Naturals,
}

impl crate::spec_parts::Part for IndependentKeys<'_> {
    const NAME: &'static str = "keys";
}

/// The engine plan of a spec term.
pub fn decode_plan(term: Term) -> Result<Node, SpecError> {
    let mut offset = 0;
    node(term, 0, &mut offset)
}

/// The engine node of the spec `term` at nesting `depth`, its leaves'
/// pools from `offset` on (moved past them).
///
/// A node is read by its arity and tag with Rustler's tuple decoders, which
/// read a tuple in place, and each of its fields by its part's derived
/// type ([`Field::of`]; crate::spec_parts, crate::params). Not a derived
/// `NifTaggedEnum` of the nodes: its decoder copies every node into a
/// `Vec` first, an allocation per node on every call (measured,
/// docs/DESIGN.md).
fn node(term: Term, depth: usize, offset: &mut u64) -> Result<Node, SpecError> {
    if depth > MAX_DEPTH {
        return Err(SpecError::Engine(EngineError::TooDeep));
    }
    type T<'a> = Term<'a>;
    if let Ok((tag, a, b, c, d, e)) = term.decode::<(Atom, T, T, T, T, T)>() {
        if tag == atoms::value() {
            // {:value, params, seed, stream, pos, remaining}
            let at = position(Field::of(b), Field::of(c), Field::of(d))?;
            let kind = value_kind(a, at.seed)?;
            return parts::leaf(kind, at, Field::of(e), offset);
        }
        if tag == atoms::mix() {
            // {:mix, until, next_child, remaining, children, strategy}
            let strategy = mix_strategy(Field::of(e).get()?)?;
            let children = node_list(d, depth, offset)?;
            let (until, next_child, rem) = (Field::of(a), Field::of(b), Field::of(c));
            return parts::mix(until, next_child, rem, strategy, children);
        }
        if tag == atoms::independent() {
            // {:independent, template, keys, layout, pos, remaining}
            let template = node(a, depth + 1, offset)?;
            let keys = independent_keys(Field::of(b).get()?, offset)?;
            let (layout, pos, rem) = (Field::of(c), Field::of(d), Field::of(e));
            return parts::independent(template, keys, layout, pos, rem, offset);
        }
    } else if let Ok((tag, kind, n, seed, stream, pos, rem)) =
        term.decode::<(Atom, T, T, T, T, T, T)>()
    {
        if tag == atoms::leaf() {
            return pick_leaf(kind, n, seed, stream, pos, rem, offset);
        }
    } else if let Ok((tag, name, params, rem, children)) = term.decode::<(Atom, T, T, T, T)>() {
        if tag == atoms::combinator() {
            // {:combinator, name, params, remaining, children}
            let children = node_list(children, depth, offset)?;
            let (name, params, rem) = (Field::of(name), Field::of(params), Field::of(rem));
            return parts::combinator(name, params, rem, children);
        }
    } else if let Ok((tag, rem, children)) = term.decode::<(Atom, T, T)>() {
        if tag == atoms::zip() {
            // {:zip, remaining, children}
            return parts::zip(Field::of(rem), node_list(children, depth, offset)?);
        }
    }
    Err(SpecError::Malformed("node"))
}

/// `{:leaf, :random | :cycle | table, n, seed, stream, pos, remaining}`.
fn pick_leaf(
    kind: Term,
    n: Term,
    seed: Term,
    stream: Term,
    pos: Term,
    rem: Term,
    offset: &mut u64,
) -> Result<Node, SpecError> {
    let n = Field::<PoolSize>::of(n).get()?;
    let kind = match kind.decode::<Pick>() {
        Ok(pick) => pick.kind(n)?,
        Err(_) if kind.is_atom() => return Err(SpecError::Malformed("kind")),
        Err(_) => weighted(n.0, kind)?,
    };
    let at = position(Field::of(seed), Field::of(stream), Field::of(pos))?;
    parts::leaf(kind, at, Field::of(rem), offset)
}

/// A value leaf's kind: its params (a `Lockstep.Generator.Params` struct)
/// for a leaf of seed `seed`.
fn value_kind(params: Term, seed: Seed) -> Result<LeafKind, SpecError> {
    let params: Params = params
        .decode()
        .map_err(|_| SpecError::Malformed(<Params as crate::spec_parts::Part>::NAME))?;
    Ok(params.kind(seed)?)
}

/// A composite's children, in order.
fn node_list(term: Children, depth: usize, offset: &mut u64) -> Result<Vec<Node>, SpecError> {
    // Proper lists only: Rustler's iterator panics on an improper tail.
    let n = term
        .list_length()
        .map_err(|_| SpecError::Malformed("children"))?;
    let mut children = Vec::with_capacity(n);
    for child in term
        .into_list_iterator()
        .map_err(|_| SpecError::Malformed("children"))?
    {
        children.push(node(child, depth + 1, offset)?);
    }
    Ok(children)
}

fn mix_strategy(strategy: MixStrategy) -> Result<Strategy, SpecError> {
    Ok(match strategy {
        MixStrategy::RoundRobin => Strategy::RoundRobin,
        MixStrategy::Concat => Strategy::Concat,
        MixStrategy::Random(picker, seed, stream, pos) => Strategy::Random {
            at: position(seed, stream, pos)?,
            picker: match picker {
                MixPicker::Uniform(Uniform::Uniform) => Picker::Uniform,
                MixPicker::Table(t) if t.is_atom() => return Err(SpecError::Malformed("picker")),
                MixPicker::Table(t) => Picker::Weighted(table(t)?),
            },
        },
    })
}

/// Keys of an independent workload; listed keys' seeds take the pools
/// from `offset` (moved past them).
fn independent_keys(keys: IndependentKeys, offset: &mut u64) -> Result<Keys, SpecError> {
    let list = match keys {
        IndependentKeys::Counted((Naturals::Naturals, first)) => {
            return Ok(Keys::Naturals { first })
        }
        IndependentKeys::Listed(list) => list,
    };
    let n = list
        .list_length()
        .map_err(|_| SpecError::Malformed("keys"))?;
    if n == 0 {
        return Err(SpecError::Malformed("keys"));
    }
    let mut seeds = Vec::with_capacity(n);
    for key in list
        .into_list_iterator()
        .map_err(|_| SpecError::Malformed("keys"))?
    {
        let (domain, value): (u64, u64) = key.decode().map_err(|_| SpecError::Malformed("keys"))?;
        seeds.push(Seed::new(domain, value));
    }
    let keys = Keys::Listed {
        offset: *offset,
        seeds,
    };
    *offset += n as u64;
    Ok(keys)
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
        // A short list on the stack (the common case, whose table is
        // cached: no allocation), a longer one in a buffer.
        let mut short = [0u64; CACHED_WEIGHTS];
        let mut long = Vec::new();
        let weights = match short.get_mut(..n) {
            Some(weights) => weights,
            None => {
                long.resize(n, 0);
                &mut long[..]
            }
        };
        crate::spec_parts::u64_list(term, weights).map_err(|_| SpecError::Malformed("weights"))?;
        return small_table(weights);
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
    } else if kind == atoms::random() {
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
