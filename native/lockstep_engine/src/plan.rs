//! Plans: the shape of a generator (its kind, pool, children) plus its position.
//!
//! A [`Node`] mirrors one `%Lockstep.Generator{}`: a [`Leaf`] for `random`,
//! `weighted` and `cycle`, a [`Mix`] for `mix`. Every node answers the same two
//! questions the Elixir side answers for `next/1`: [`Node::exhausted`] and
//! [`Node::next`]. Ops come out as indices into one flat pool: a leaf's ops are
//! `offset..offset + n`, so a whole mix tree can pick from a single tuple.

use crate::error::EngineError;
use crate::sample::{bounded, AliasTable, MAX_POOL};
use crate::seed::Seed;
use crate::words::Words;
use std::sync::Arc;

/// Deepest nesting of mixes a plan accepts (keeps recursion on a scheduler's
/// stack small and bounded, whatever term reaches the NIF).
pub const MAX_DEPTH: usize = 64;

/// How a leaf turns op `i` into a pool index.
#[derive(Clone, Debug)]
pub enum LeafKind {
    /// Uniform over `n` ops: `bounded(word_i, n)`.
    Random { n: u64 },
    /// Weighted by an alias table: `table.pick(word_i)`.
    Weighted(Arc<AliasTable>),
    /// `i mod n`; uses no words.
    Cycle { n: u64 },
}

impl LeafKind {
    pub fn random(n: u64) -> Result<Self, EngineError> {
        check_pool(n).map(|n| LeafKind::Random { n })
    }

    pub fn cycle(n: u64) -> Result<Self, EngineError> {
        check_pool(n).map(|n| LeafKind::Cycle { n })
    }

    /// Number of ops in the pool.
    pub fn pool_len(&self) -> u64 {
        match self {
            LeafKind::Random { n } | LeafKind::Cycle { n } => *n,
            LeafKind::Weighted(table) => table.len() as u64,
        }
    }
}

fn check_pool(n: u64) -> Result<u64, EngineError> {
    match n {
        0 => Err(EngineError::EmptyPool),
        n if n > MAX_POOL as u64 => Err(EngineError::PoolTooLarge(n as usize)),
        n => Ok(n),
    }
}

/// Where a seeded stream stands: op `pos` of stream `stream` under `seed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub seed: Seed,
    pub stream: u64,
    pub pos: u64,
}

/// `random`, `weighted` or `cycle`, at a position, with an optional op budget.
#[derive(Clone, Debug)]
pub struct Leaf {
    kind: LeafKind,
    at: Position,
    remaining: Option<u64>,
    offset: u64,
    // Boxed: ChaCha's 4-block buffer would make every Node that large.
    words: Option<Box<Words>>,
}

impl Leaf {
    pub fn new(kind: LeafKind, at: Position, remaining: Option<u64>, offset: u64) -> Self {
        Leaf {
            kind,
            at,
            remaining,
            offset,
            words: None,
        }
    }

    /// One past the last flat-pool index this leaf can produce.
    pub fn pool_end(&self) -> u64 {
        self.offset + self.kind.pool_len()
    }

    pub fn position(&self) -> Position {
        self.at
    }

    pub fn remaining(&self) -> Option<u64> {
        self.remaining
    }

    #[inline]
    fn exhausted(&self) -> bool {
        self.remaining == Some(0)
    }

    /// Appends up to `max` ops; returns how many.
    pub fn fill(&mut self, out: &mut Vec<u64>, max: usize) -> usize {
        let k = match self.remaining {
            Some(r) => (max as u64).min(r) as usize,
            None => max,
        };
        let offset = self.offset;
        match &self.kind {
            LeafKind::Cycle { n } => {
                let n = *n;
                let mut j = self.at.pos % n;
                for _ in 0..k {
                    out.push(offset + j);
                    j += 1;
                    if j == n {
                        j = 0;
                    }
                }
            }
            LeafKind::Random { n } => {
                let n = *n;
                let words = words_at(&mut self.words, self.at);
                out.extend((0..k).map(|_| offset + bounded(words.next_word(), n)));
            }
            LeafKind::Weighted(table) => {
                let words = words_at(&mut self.words, self.at);
                out.extend((0..k).map(|_| offset + table.pick(words.next_word())));
            }
        }
        self.advance(k as u64);
        k
    }

    fn advance(&mut self, k: u64) {
        self.at.pos = self.at.pos.wrapping_add(k);
        if let Some(r) = self.remaining.as_mut() {
            *r -= k;
        }
    }
}

/// The word cursor of a leaf, created on first use at the leaf's position.
fn words_at(words: &mut Option<Box<Words>>, at: Position) -> &mut Words {
    words.get_or_insert_with(|| Box::new(Words::new(at.seed, at.stream, at.pos)))
}

/// Which exhaustion ends a round-robin mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// Done as soon as any child is exhausted (the default).
    Any,
    /// Exhausted children are skipped; done when all are.
    All,
}

/// Round-robin over children in list order, starting at `next_child`.
#[derive(Clone, Debug)]
pub struct Mix {
    children: Vec<Node>,
    next_child: usize,
    remaining: Option<u64>,
    until: Until,
}

impl Mix {
    pub fn new(
        children: Vec<Node>,
        next_child: usize,
        remaining: Option<u64>,
        until: Until,
    ) -> Result<Self, EngineError> {
        if children.is_empty() {
            return Err(EngineError::EmptyMix);
        }
        if children.iter().map(Node::depth).max().unwrap_or(0) >= MAX_DEPTH {
            return Err(EngineError::TooDeep);
        }
        let next_child = next_child % children.len();
        Ok(Mix {
            children,
            next_child,
            remaining,
            until,
        })
    }

    pub fn next_child(&self) -> usize {
        self.next_child
    }

    fn exhausted(&self) -> bool {
        self.remaining == Some(0)
            || match self.until {
                Until::Any => self.children.iter().any(Node::exhausted),
                Until::All => self.children.iter().all(Node::exhausted),
            }
    }

    fn next(&mut self) -> Option<u64> {
        if self.exhausted() {
            return None;
        }
        let k = self.children.len();
        // Not exhausted: under Any every child is live; under All at least one is.
        let child = (0..k)
            .map(|step| (self.next_child + step) % k)
            .find(|&i| !self.children[i].exhausted())?;
        let op = self.children[child].next_op()?;
        self.next_child = (child + 1) % k;
        if let Some(r) = self.remaining.as_mut() {
            *r -= 1;
        }
        Some(op)
    }
}

/// A generator's plan: a leaf or a mix of plans.
#[derive(Clone, Debug)]
pub enum Node {
    Leaf(Leaf),
    Mix(Mix),
}

impl Node {
    /// True when [`Node::next`] would return `None`.
    pub fn exhausted(&self) -> bool {
        match self {
            Node::Leaf(leaf) => leaf.exhausted(),
            Node::Mix(mix) => mix.exhausted(),
        }
    }

    /// The next op's flat-pool index, or `None` once exhausted.
    pub fn next_op(&mut self) -> Option<u64> {
        match self {
            Node::Leaf(leaf) => {
                let mut one = Vec::with_capacity(1);
                leaf.fill(&mut one, 1);
                one.first().copied()
            }
            Node::Mix(mix) => mix.next(),
        }
    }

    /// Appends up to `max` ops (fewer only when exhausted); returns how many.
    pub fn fill(&mut self, out: &mut Vec<u64>, max: usize) -> usize {
        match self {
            Node::Leaf(leaf) => leaf.fill(out, max),
            Node::Mix(mix) => {
                let before = out.len();
                while out.len() - before < max {
                    match mix.next() {
                        Some(op) => out.push(op),
                        None => break,
                    }
                }
                out.len() - before
            }
        }
    }

    /// One past the largest flat-pool index the plan can produce.
    pub fn pool_end(&self) -> u64 {
        match self {
            Node::Leaf(leaf) => leaf.pool_end(),
            Node::Mix(mix) => mix.children.iter().map(Node::pool_end).max().unwrap_or(0),
        }
    }

    /// Nesting depth: 0 for a leaf.
    pub fn depth(&self) -> usize {
        match self {
            Node::Leaf(_) => 0,
            Node::Mix(mix) => 1 + mix.children.iter().map(Node::depth).max().unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seed: u64) -> Position {
        Position {
            seed: Seed::from_u64(seed),
            stream: 0,
            pos: 0,
        }
    }

    fn cycle(n: u64, remaining: Option<u64>, offset: u64) -> Node {
        Node::Leaf(Leaf::new(
            LeafKind::cycle(n).unwrap(),
            at(0),
            remaining,
            offset,
        ))
    }

    fn drain(node: &mut Node) -> Vec<u64> {
        let mut out = Vec::new();
        while node.fill(&mut out, 3) > 0 {}
        out
    }

    #[test]
    fn cycle_wraps_from_any_position() {
        let mut leaf = Leaf::new(
            LeafKind::cycle(3).unwrap(),
            Position { pos: 7, ..at(0) },
            Some(5),
            10,
        );
        let mut out = Vec::new();
        assert_eq!(leaf.fill(&mut out, 100), 5);
        assert_eq!(out, vec![11, 12, 10, 11, 12]);
        assert_eq!(leaf.position().pos, 12);
        assert_eq!(leaf.remaining(), Some(0));
    }

    #[test]
    fn mix_any_stops_when_a_child_is_exhausted() {
        let mut mix = Node::Mix(
            Mix::new(
                vec![cycle(2, Some(2), 0), cycle(3, None, 2)],
                0,
                None,
                Until::Any,
            )
            .unwrap(),
        );
        // The first child is exhausted after its second op: the mix stops there,
        // before the second child's turn.
        assert_eq!(drain(&mut mix), vec![0, 2, 1]);
        assert!(mix.exhausted());
    }

    #[test]
    fn mix_all_skips_exhausted_children() {
        let mut mix = Node::Mix(
            Mix::new(
                vec![cycle(2, Some(1), 0), cycle(3, Some(3), 2)],
                1,
                None,
                Until::All,
            )
            .unwrap(),
        );
        assert_eq!(drain(&mut mix), vec![2, 0, 3, 4]);
    }

    #[test]
    fn mix_remaining_caps_the_mix() {
        let mut mix = Node::Mix(
            Mix::new(
                vec![cycle(1, None, 0), cycle(1, None, 1)],
                0,
                Some(3),
                Until::Any,
            )
            .unwrap(),
        );
        assert_eq!(drain(&mut mix), vec![0, 1, 0]);
    }

    #[test]
    fn fill_in_chunks_equals_one_by_one() {
        let leaf = |seed| {
            Node::Leaf(Leaf::new(
                LeafKind::random(5).unwrap(),
                at(seed),
                Some(50),
                0,
            ))
        };
        let mut whole = leaf(9);
        let mut by_one = leaf(9);
        let mut all = Vec::new();
        whole.fill(&mut all, 1000);
        let singles: Vec<u64> = std::iter::from_fn(|| by_one.next_op()).collect();
        assert_eq!(all, singles);
        assert_eq!(all.len(), 50);
    }

    #[test]
    fn bad_plans_are_errors() {
        assert_eq!(LeafKind::random(0).unwrap_err(), EngineError::EmptyPool);
        assert_eq!(
            Mix::new(vec![], 0, None, Until::Any).unwrap_err(),
            EngineError::EmptyMix
        );
        let mut node = cycle(1, None, 0);
        for _ in 0..MAX_DEPTH {
            node = Node::Mix(Mix::new(vec![node], 0, None, Until::Any).unwrap());
        }
        assert_eq!(
            Mix::new(vec![node], 0, None, Until::Any).unwrap_err(),
            EngineError::TooDeep
        );
    }
}
