//! The parts of a plan spec node that hold no term (crate::spec has the
//! nodes): each a Rustler-derived type or a small named one, and the
//! engine node each kind of spec node makes of its parts and its children
//! (pure Rust, tested without the VM).
//!
//! A node's fields are [`Field`]s: a field's decoder never fails, it keeps
//! the name of the part that did not decode, so the derived node decoder
//! fails only on a node's tag or arity and a malformed spec's error names
//! the part that is wrong (`malformed plan: remaining`).

use lockstep_engine::{
    Composite, EngineError, Independent, Keys, Layout, Leaf, LeafKind, Mix, Node, Position, Seed,
    Strategy, Zip,
};
use std::fmt;

/// Why a spec is not a plan.
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

/// A part that did not decode ([`Field::get`]), by its name.
impl From<&'static str> for SpecError {
    fn from(what: &'static str) -> Self {
        SpecError::Malformed(what)
    }
}

/// A part of a spec, by the name its errors give it.
pub trait Part {
    const NAME: &'static str;
}

/// A node's field as decoded: the part, or the name of the part when its
/// term is not one.
#[derive(Clone, Debug, PartialEq)]
pub struct Field<T>(pub Result<T, &'static str>);

impl<T> Field<T> {
    /// The part, or `Err(name)`.
    pub fn get(self) -> Result<T, &'static str> {
        self.0
    }
}

#[cfg(not(test))]
impl<'a, T: rustler::Decoder<'a> + Part> Field<T> {
    /// The part `term` is.
    pub fn of(term: rustler::Term<'a>) -> Self {
        Field(term.decode().map_err(|_| T::NAME))
    }
}

#[cfg(not(test))]
impl<'a, T: rustler::Decoder<'a> + Part> rustler::Decoder<'a> for Field<T> {
    fn decode(term: rustler::Term<'a>) -> rustler::NifResult<Self> {
        Ok(Field::of(term))
    }
}

/// Reads a proper list of non-negative integers into the front of `slots`
/// (no allocation) and gives its length; `BadArg` when `term` is not such
/// a list or is longer than `slots`. Weights, combinator parameters and
/// inline tables are read by it.
#[cfg(not(test))]
pub fn u64_list(term: rustler::Term, slots: &mut [u64]) -> rustler::NifResult<usize> {
    let mut rest = term;
    for (n, slot) in slots.iter_mut().enumerate() {
        let Ok((head, tail)) = rest.list_get_cell() else {
            // The end: a proper list's is `[]`.
            return (rest.list_length()? == 0)
                .then_some(n)
                .ok_or(rustler::Error::BadArg);
        };
        *slot = head.decode()?;
        rest = tail;
    }
    match rest.list_length()? {
        0 => Ok(slots.len()),
        _ => Err(rustler::Error::BadArg),
    }
}

/// Integer parts, each its own type so that its errors name it.
macro_rules! integer_parts {
    ($($(#[$doc:meta])* $part:ident($int:ty) = $name:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $part(pub $int);

        impl Part for $part {
            const NAME: &'static str = $name;
        }

        #[cfg(not(test))]
        impl<'a> rustler::Decoder<'a> for $part {
            fn decode(term: rustler::Term<'a>) -> rustler::NifResult<Self> {
                term.decode().map($part)
            }
        }
    )*};
}

integer_parts! {
    /// A pick leaf's pool size.
    PoolSize(u64) = "pool size";
    /// A ChaCha stream id.
    Stream(u64) = "stream";
    /// An op index (modulo 2^64).
    Pos(u64) = "pos";
    /// A mix's next child (round robin, concat).
    NextChild(usize) = "next_child";
    /// A seed's engine key, `{domain, value}`.
    Key((u64, u64)) = "seed";
}

/// Where a node's stream starts: `seed, stream, pos`, three fields of a
/// node.
pub fn position(
    seed: Field<Key>,
    stream: Field<Stream>,
    pos: Field<Pos>,
) -> Result<Position, &'static str> {
    let Key((domain, value)) = seed.get()?;
    Ok(Position {
        seed: Seed::new(domain, value),
        stream: stream.get()?.0,
        pos: pos.get()?.0,
    })
}

/// A node's budget: `:infinity` or a count of ops.
#[cfg_attr(not(test), derive(rustler::NifUntaggedEnum), rustler(decode))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remaining {
    Ops(u64),
    Unbounded(Infinity),
}

/// The atom `:infinity`.
#[cfg_attr(not(test), derive(rustler::NifUnitEnum), rustler(decode))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Infinity {
    Infinity,
}

impl Part for Remaining {
    const NAME: &'static str = "remaining";
}

impl Remaining {
    /// The engine's budget: `None` for no bound.
    pub fn ops(self) -> Option<u64> {
        match self {
            Remaining::Ops(n) => Some(n),
            Remaining::Unbounded(Infinity::Infinity) => None,
        }
    }
}

/// Which exhaustion ends a mix: `:any` or `:all`.
#[cfg_attr(not(test), derive(rustler::NifUnitEnum), rustler(decode))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    Any,
    All,
}

impl Part for Until {
    const NAME: &'static str = "until";
}

impl From<Until> for lockstep_engine::Until {
    fn from(until: Until) -> Self {
        match until {
            Until::Any => lockstep_engine::Until::Any,
            Until::All => lockstep_engine::Until::All,
        }
    }
}

/// An independent workload's layout, `{per_key, concurrency, final_len,
/// groups, group, member}` (lockstep_engine::Layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayoutTuple(pub Layout);

impl Part for LayoutTuple {
    const NAME: &'static str = "layout";
}

/// Read as a derived `NifTuple` would, but by Rustler's tuple decoder,
/// which reads the tuple in place (the derived one copies it into a `Vec`).
#[cfg(not(test))]
impl<'a> rustler::Decoder<'a> for LayoutTuple {
    fn decode(term: rustler::Term<'a>) -> rustler::NifResult<Self> {
        let (per_key, concurrency, final_len, groups, group, member) = term.decode()?;
        Ok(LayoutTuple(Layout {
            per_key,
            concurrency,
            final_len,
            groups,
            group,
            member,
        }))
    }
}

/// Most parameters a combinator takes.
pub const MAX_PARAMS: usize = 16;

/// A combinator's parameters: a list of at most [`MAX_PARAMS`]
/// non-negative integers (its rule checks them), held without allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CombinatorParams {
    values: [u64; MAX_PARAMS],
    len: usize,
}

impl CombinatorParams {
    /// The parameters `values`, if there are at most [`MAX_PARAMS`].
    pub fn new(values: &[u64]) -> Option<Self> {
        let mut params = CombinatorParams {
            values: [0; MAX_PARAMS],
            len: values.len(),
        };
        params
            .values
            .get_mut(..values.len())?
            .copy_from_slice(values);
        Some(params)
    }

    pub fn values(&self) -> &[u64] {
        &self.values[..self.len]
    }
}

impl Part for CombinatorParams {
    const NAME: &'static str = "combinator params";
}

#[cfg(not(test))]
impl<'a> rustler::Decoder<'a> for CombinatorParams {
    fn decode(term: rustler::Term<'a>) -> rustler::NifResult<Self> {
        let mut values = [0u64; MAX_PARAMS];
        let len = u64_list(term, &mut values)?;
        CombinatorParams::new(&values[..len]).ok_or(rustler::Error::BadArg)
    }
}

/// A combinator's name (an atom, lockstep_engine::combinators).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CombinatorName(pub String);

impl Part for CombinatorName {
    const NAME: &'static str = "combinator name";
}

#[cfg(not(test))]
impl<'a> rustler::Decoder<'a> for CombinatorName {
    fn decode(term: rustler::Term<'a>) -> rustler::NifResult<Self> {
        term.atom_to_string().map(CombinatorName)
    }
}

impl Part for crate::params::Params {
    const NAME: &'static str = "value kind";
}

/// A pick leaf's kind without a table: `:random` or `:cycle`.
#[cfg_attr(not(test), derive(rustler::NifUnitEnum), rustler(decode))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    Random,
    Cycle,
}

impl Pick {
    /// The leaf kind over a pool of `n` ops.
    pub fn kind(self, PoolSize(n): PoolSize) -> Result<LeafKind, EngineError> {
        match self {
            Pick::Random => LeafKind::random(n),
            Pick::Cycle => LeafKind::cycle(n),
        }
    }
}

/// A leaf of `kind` from `at`, its pool at `offset` (moved past it).
pub fn leaf(
    kind: LeafKind,
    at: Position,
    rem: Field<Remaining>,
    offset: &mut u64,
) -> Result<Node, SpecError> {
    let leaf = Leaf::new(kind, at, rem.get()?.ops(), *offset);
    *offset = leaf.pool_end();
    Ok(Node::Leaf(leaf))
}

/// A mix (or concat) of `children`, the next op from `next_child`.
pub fn mix(
    until: Field<Until>,
    next_child: Field<NextChild>,
    rem: Field<Remaining>,
    strategy: Strategy,
    children: Vec<Node>,
) -> Result<Node, SpecError> {
    let (until, NextChild(next_child)) = (until.get()?.into(), next_child.get()?);
    let rem = rem.get()?.ops();
    if next_child >= children.len().max(1) {
        return Err(SpecError::Malformed("next_child"));
    }
    let mix = Mix::with_strategy(children, next_child, rem, until, strategy)?;
    Ok(Node::Mix(mix))
}

/// A zip of `children`.
pub fn zip(rem: Field<Remaining>, children: Vec<Node>) -> Result<Node, SpecError> {
    Ok(Node::Zip(Zip::new(children, rem.get()?.ops())?))
}

/// An independent workload of `template` over `keys`, its final ops'
/// pool at `offset` (moved past it).
pub fn independent(
    template: Node,
    keys: Keys,
    layout: Field<LayoutTuple>,
    pos: Field<Pos>,
    rem: Field<Remaining>,
    offset: &mut u64,
) -> Result<Node, SpecError> {
    let (LayoutTuple(layout), Pos(pos), rem) = (layout.get()?, pos.get()?, rem.get()?.ops());
    let node = Independent::new(template, keys, layout, *offset, pos, rem)
        .ok_or(SpecError::Malformed("layout"))?;
    *offset = node.pool_end();
    Ok(Node::Independent(node))
}

/// A combinator of its own file (lockstep_engine::combinators) over
/// `children`: made the same for every one (its rule checks its
/// parameters).
pub fn combinator(
    name: Field<CombinatorName>,
    params: Field<CombinatorParams>,
    rem: Field<Remaining>,
    children: Vec<Node>,
) -> Result<Node, SpecError> {
    let (CombinatorName(name), params) = (name.get()?, params.get()?);
    let rem = rem.get()?.ops();
    let composite = Composite::new(&name, params.values(), children, rem)?;
    Ok(Node::Composite(composite))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_that_did_not_decode_names_its_part() {
        let bad: Field<Remaining> = Field(Err(Remaining::NAME));
        assert_eq!(bad.get(), Err("remaining"));
        assert_eq!(Field(Ok(Pos(3))).get(), Ok(Pos(3)));
        let at = position(
            Field(Ok(Key((1, 2)))),
            Field(Ok(Stream(7))),
            Field(Ok(Pos(9))),
        );
        assert_eq!(
            at.map(|p| (p.seed, p.stream, p.pos)),
            Ok((Seed::new(1, 2), 7, 9))
        );
        let no_pos = position(
            Field(Ok(Key((1, 2)))),
            Field(Ok(Stream(7))),
            Field(Err(Pos::NAME)),
        );
        assert_eq!(no_pos.map(|_| ()), Err("pos"));
        let no_seed = position(
            Field(Err(Key::NAME)),
            Field(Ok(Stream(7))),
            Field(Ok(Pos(9))),
        );
        assert_eq!(no_seed.map(|_| ()), Err("seed"));
    }

    #[test]
    fn remaining_infinity_is_no_bound() {
        assert_eq!(Remaining::Ops(0).ops(), Some(0));
        assert_eq!(Remaining::Ops(u64::MAX).ops(), Some(u64::MAX));
        assert_eq!(Remaining::Unbounded(Infinity::Infinity).ops(), None);
    }

    #[test]
    fn until_becomes_the_engines() {
        assert_eq!(
            lockstep_engine::Until::from(Until::Any),
            lockstep_engine::Until::Any
        );
        assert_eq!(
            lockstep_engine::Until::from(Until::All),
            lockstep_engine::Until::All
        );
    }

    #[test]
    fn combinator_params_hold_at_most_sixteen() {
        assert_eq!(CombinatorParams::new(&[3]).unwrap().values(), &[3]);
        assert_eq!(CombinatorParams::new(&[]).unwrap().values(), &[] as &[u64]);
        let full = [7; MAX_PARAMS];
        assert_eq!(CombinatorParams::new(&full).unwrap().values(), &full);
        assert_eq!(CombinatorParams::new(&[1; MAX_PARAMS + 1]), None);
    }

    fn at() -> Position {
        Position {
            seed: Seed::new(0, 1),
            stream: 0,
            pos: 0,
        }
    }

    fn unbounded() -> Field<Remaining> {
        Field(Ok(Remaining::Unbounded(Infinity::Infinity)))
    }

    /// A random leaf of `n` ops at `offset` (moved past it).
    fn random(n: u64, offset: &mut u64) -> Node {
        leaf(
            Pick::Random.kind(PoolSize(n)).unwrap(),
            at(),
            unbounded(),
            offset,
        )
        .unwrap()
    }

    fn message(result: Result<Node, SpecError>) -> String {
        result.map(|_| ()).unwrap_err().to_string()
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert_eq!(
            SpecError::Malformed("keys").to_string(),
            "malformed plan: keys"
        );
        assert_eq!(SpecError::StaleTable.to_string(), "stale weighted table");
        let engine = SpecError::from(EngineError::TooDeep).to_string();
        assert_eq!(engine, EngineError::TooDeep.to_string());
    }

    #[test]
    fn pick_kinds_need_a_pool() {
        assert!(Pick::Random.kind(PoolSize(3)).unwrap().is_pick());
        assert!(Pick::Cycle.kind(PoolSize(1)).unwrap().is_pick());
        assert!(Pick::Cycle.kind(PoolSize(0)).is_err());
    }

    #[test]
    fn leaves_take_consecutive_pools() {
        let mut offset = 0;
        random(3, &mut offset);
        assert_eq!(offset, 3);
        random(2, &mut offset);
        assert_eq!(offset, 5);
        let bad = leaf(
            Pick::Random.kind(PoolSize(2)).unwrap(),
            at(),
            Field(Err(Remaining::NAME)),
            &mut offset,
        );
        assert_eq!(message(bad), "malformed plan: remaining");
        assert_eq!(offset, 5);
    }

    #[test]
    fn a_mix_checks_its_next_child_and_its_parts() {
        let children = |n| {
            let mut offset = 0;
            (0..n).map(|_| random(2, &mut offset)).collect::<Vec<_>>()
        };
        let mix = |until, next_child, children| {
            mix(
                until,
                Field(Ok(NextChild(next_child))),
                unbounded(),
                Strategy::RoundRobin,
                children,
            )
        };
        assert!(matches!(
            mix(Field(Ok(Until::All)), 1, children(2)),
            Ok(Node::Mix(_))
        ));
        assert_eq!(
            message(mix(Field(Ok(Until::Any)), 2, children(2))),
            "malformed plan: next_child"
        );
        assert_eq!(
            message(mix(Field(Err(Until::NAME)), 0, children(2))),
            "malformed plan: until"
        );
        assert_eq!(
            message(mix(Field(Ok(Until::Any)), 0, children(0))),
            "a mix needs at least one child"
        );
    }

    #[test]
    fn zips_and_combinators_of_children() {
        let mut offset = 0;
        assert!(matches!(
            zip(unbounded(), vec![random(2, &mut offset)]),
            Ok(Node::Zip(_))
        ));
        let chunk = |name: &str, params: &[u64], children| {
            let name = Field(Ok(CombinatorName(name.to_string())));
            combinator(
                name,
                Field(Ok(CombinatorParams::new(params).unwrap())),
                unbounded(),
                children,
            )
        };
        assert!(matches!(
            chunk("chunk", &[3], vec![random(2, &mut offset)]),
            Ok(Node::Composite(_))
        ));
        assert!(message(chunk("nope", &[3], vec![random(2, &mut offset)]))
            .contains("unknown combinator"));
        assert!(message(chunk("chunk", &[0], vec![random(2, &mut offset)]))
            .contains("chunk: n must be in 1..4096"));
        let no_params = combinator(
            Field(Ok(CombinatorName("chunk".to_string()))),
            Field(Err(CombinatorParams::NAME)),
            unbounded(),
            vec![random(2, &mut offset)],
        );
        assert_eq!(message(no_params), "malformed plan: combinator params");
    }

    #[test]
    fn an_independent_workload_takes_the_pool_after_its_template() {
        let layout = |groups, group| {
            Field(Ok(LayoutTuple(Layout {
                per_key: 4,
                concurrency: 2,
                final_len: 1,
                groups,
                group,
                member: 0,
            })))
        };
        let mut offset = 0;
        let template = random(3, &mut offset);
        let keys = Keys::Naturals { first: 0 };
        let node = independent(
            template,
            keys,
            layout(1, 0),
            Field(Ok(Pos(0))),
            unbounded(),
            &mut offset,
        );
        assert!(matches!(node, Ok(Node::Independent(_))));
        // The final op's pool, after the template's.
        assert_eq!(offset, 4);
        let template = random(3, &mut 0);
        let keys = Keys::Naturals { first: 0 };
        // Group 2 of 2 does not exist.
        let bad = independent(
            template,
            keys,
            layout(2, 2),
            Field(Ok(Pos(0))),
            unbounded(),
            &mut 3,
        );
        assert_eq!(message(bad), "malformed plan: layout");
    }
}
