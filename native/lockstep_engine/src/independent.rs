//! Independent keys: one worker's share of a workload spread over many keys.
//!
//! Key `k`'s ops are those of the template forked by `k` (every seeded
//! position moved to `fork_stream(stream, k)`, as `fork/2` does). The
//! workers are in groups of `concurrency`; group `g` of `groups` works on the
//! keys at positions `g, g + groups, g + 2·groups, …`, one after the other;
//! on a key, member `j` takes the template's ops at positions
//! `j, j + concurrency, …` below `per_key`, then the `final` ops. Op `i` of
//! a worker is therefore arithmetic on `i` (key slot `i div L`, place
//! `i mod L`, `L` the ops a worker has per key) followed by one op of the
//! forked template at a known position: a pure function of `i`, and a skip
//! is O(1). The definition is in `docs/STREAM.md` ("Independent keys").

use crate::plan::{Node, Position, Tok};
use crate::seed::{fork_stream, Seed};
use crate::work::Work;

/// Which keys a workload has: the integers `first, first + 1, …` (the key
/// at position `q` is `first + q`: `keys: :infinity` from 0, or a range),
/// or a list of keys whose terms are a pool and whose fork seeds are given.
#[derive(Clone, Debug)]
pub enum Keys {
    Naturals { first: u64 },
    Listed { offset: u64, seeds: Vec<Seed> },
}

/// How one worker's ops are laid over keys (see the module doc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    pub per_key: u64,
    pub concurrency: u64,
    pub final_len: u64,
    pub groups: u64,
    pub group: u64,
    pub member: u64,
}

impl Layout {
    /// The template ops this worker takes on each key.
    pub fn shares(&self) -> u64 {
        if self.member < self.per_key {
            (self.per_key - self.member).div_ceil(self.concurrency)
        } else {
            0
        }
    }

    /// Ops this worker has on each key: its shares, then the final ops.
    pub fn per_slot(&self) -> u64 {
        self.shares().saturating_add(self.final_len)
    }

    fn valid(&self) -> bool {
        self.concurrency > 0
            && self.groups > 0
            && self.group < self.groups
            && self.member < self.concurrency
    }
}

/// Gaps between a member's template ops up to this long are stepped over
/// rather than skipped (see [`Independent::forked_at`]).
const STEP_GAP: u64 = 8;

/// The template forked for one key, positioned at its next template op.
#[derive(Clone, Debug)]
struct Current {
    slot: u64,
    next: u64,
    node: Box<Node>,
}

/// A worker of an independent workload at op `pos`.
#[derive(Clone, Debug)]
pub struct Independent {
    template: Box<Node>,
    keys: Keys,
    layout: Layout,
    final_offset: u64,
    pos: u64,
    remaining: Option<u64>,
    /// Ops produced or skipped since the plan was built (exported as state).
    pub(crate) produced: u64,
    current: Option<Current>,
}

impl Independent {
    /// A worker at op `pos`; the template's pools come first, then the key
    /// terms (listed keys), then the final ops at `final_offset`.
    pub fn new(
        template: Node,
        keys: Keys,
        layout: Layout,
        final_offset: u64,
        pos: u64,
        remaining: Option<u64>,
    ) -> Option<Self> {
        if !layout.valid() {
            return None;
        }
        Some(Independent {
            template: Box::new(template),
            keys,
            layout,
            final_offset,
            pos,
            remaining,
            produced: 0,
            current: None,
        })
    }

    pub fn remaining(&self) -> Option<u64> {
        self.remaining
    }

    pub(crate) fn template(&self) -> &Node {
        &self.template
    }

    /// One past the last flat-pool index (the final ops' end).
    pub fn pool_end(&self) -> u64 {
        self.final_offset.saturating_add(self.layout.final_len)
    }

    /// One past each pool's end: the template's leaves, the keys, the finals.
    pub fn leaf_ends(&self, out: &mut Vec<u64>) {
        self.template.leaf_ends(out);
        out.push(self.final_offset);
        out.push(self.pool_end());
    }

    pub(crate) fn exhausted(&self) -> bool {
        self.remaining == Some(0) || self.layout.per_slot() == 0
    }

    /// Skips up to `n` ops (O(1)); returns how many.
    pub(crate) fn skip(&mut self, n: u64) -> u64 {
        if self.layout.per_slot() == 0 {
            return 0;
        }
        let k = self.remaining.map_or(n, |r| r.min(n));
        self.advance(k);
        k
    }

    fn advance(&mut self, k: u64) {
        self.pos = self.pos.wrapping_add(k);
        self.produced += k;
        if let Some(r) = self.remaining.as_mut() {
            *r -= k;
        }
    }

    /// The position of the key at slot `slot` (modulo 2^64).
    fn key_index(&self, slot: u64) -> u64 {
        self.layout
            .group
            .wrapping_add(slot.wrapping_mul(self.layout.groups))
    }

    /// The fork seed of the key at `index`, or `None` past a listed key
    /// list (where the worker is done).
    fn key_seed(&self, index: u64) -> Option<Seed> {
        match &self.keys {
            Keys::Naturals { first } => Some(Seed::from_u64(first.wrapping_add(index))),
            Keys::Listed { seeds, .. } => usize::try_from(index)
                .ok()
                .and_then(|i| seeds.get(i))
                .copied(),
        }
    }

    fn key_token(&self, index: u64) -> Tok {
        match &self.keys {
            Keys::Naturals { first } => Tok::Int(i128::from(first.wrapping_add(index))),
            Keys::Listed { offset, .. } => Tok::Pick(offset + index),
        }
    }

    /// The template forked for key slot `slot`, at template position `at`.
    fn forked_at(&mut self, slot: u64, seed: Seed, at: u64, work: &mut Work) -> &mut Node {
        let reusable = matches!(&self.current, Some(c) if c.slot == slot && c.next <= at);
        if !reusable {
            let node = (*self.template)
                .clone()
                .map_positions(&mut |p: Position| Position {
                    stream: fork_stream(p.stream, seed),
                    ..p
                });
            work.spend(node.nodes());
            self.current = Some(Current {
                slot,
                next: 0,
                node: Box::new(node),
            });
        }
        let current = self.current.as_mut().expect("set above");
        // A skip within the key (at most per_key ops: O(1) for leaves and
        // countable trees; a random mix steps, and the Elixir side bounds
        // per_key for those). The call's budget is charged; past it the skip
        // still completes, so the op is given, and the call stops after it.
        let mut gap = at - current.next;
        // A short gap (the other members' ops between two of this one's) is
        // cheaper to step over than to seek: a skip repositions the
        // template's word cursor (a fresh ChaCha block or four), stepping
        // reads on from where it is. Same ops either way.
        if gap <= STEP_GAP {
            let mut scratch = Vec::new();
            while gap > 0 && current.node.fill_tokens_within(&mut scratch, 1, work) == 1 {
                scratch.clear();
                gap -= 1;
            }
        }
        while gap > 0 {
            let skipped = if work.exhausted() {
                current.node.skip(gap, &mut Work::unlimited())
            } else {
                current.node.skip(gap, work)
            };
            if skipped == 0 {
                break;
            }
            gap -= skipped;
        }
        current.next = at + 1;
        &mut current.node
    }

    /// Appends up to `max` ops as tokens within `work` (at least one while
    /// there are any); returns how many ops.
    pub(crate) fn fill_tokens_within(
        &mut self,
        out: &mut Vec<Tok>,
        max: usize,
        work: &mut Work,
    ) -> usize {
        let per_slot = self.layout.per_slot();
        let shares = self.layout.shares();
        let mut n = 0;
        work.spend(1);
        while n < max && (n == 0 || !work.exhausted()) && !self.exhausted() {
            let (slot, place) = (self.pos / per_slot, self.pos % per_slot);
            let index = self.key_index(slot);
            let Some(seed) = self.key_seed(index) else {
                // Past the listed keys (a remaining that says otherwise).
                self.remaining = Some(0);
                break;
            };
            out.push(Tok::Keyed);
            out.push(self.key_token(index));
            if place < shares {
                let at = self.layout.member + place * self.layout.concurrency;
                let node = self.forked_at(slot, seed, at, work);
                if node.fill_tokens_within(out, 1, work) == 0 {
                    // A template shorter than per_key (checked on the Elixir
                    // side): the op is nil rather than a broken term.
                    out.push(Tok::Nil);
                }
            } else {
                out.push(Tok::Pick(self.final_offset + (place - shares)));
            }
            work.spend(3);
            self.advance(1);
            n += 1;
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Leaf, LeafKind};

    fn layout(per_key: u64, c: u64, final_len: u64, groups: u64, g: u64, j: u64) -> Layout {
        Layout {
            per_key,
            concurrency: c,
            final_len,
            groups,
            group: g,
            member: j,
        }
    }

    #[test]
    fn shares_cover_every_position_once() {
        for per_key in 0..12 {
            for c in 1..5 {
                let total: u64 = (0..c)
                    .map(|j| layout(per_key, c, 0, 1, 0, j).shares())
                    .sum();
                assert_eq!(total, per_key);
            }
        }
    }

    fn worker(l: Layout, remaining: Option<u64>) -> Node {
        let at = Position {
            seed: Seed::from_u64(7),
            stream: 0,
            pos: 0,
        };
        let template = Node::Leaf(Leaf::new(LeafKind::random(5).unwrap(), at, None, 0));
        Node::Independent(
            Independent::new(template, Keys::Naturals { first: 0 }, l, 5, 0, remaining).unwrap(),
        )
    }

    fn ops(node: &mut Node, k: usize) -> Vec<Vec<Tok>> {
        let mut toks = Vec::new();
        node.fill_tokens(&mut toks, k);
        toks.chunks(3).map(|c| c.to_vec()).collect()
    }

    #[test]
    fn ops_are_keyed_by_slot_and_skips_equal_stepping() {
        let l = layout(5, 2, 1, 3, 1, 1);
        let mut a = worker(l, None);
        let all = ops(&mut a, 30);
        // Member 1 of 2 has positions 1, 3 of 5, then one final op: 3 per key.
        for (i, op) in all.iter().enumerate() {
            assert_eq!(op[0], Tok::Keyed);
            assert_eq!(op[1], Tok::Int(1 + 3 * (i as i128 / 3)));
            if i % 3 == 2 {
                assert_eq!(op[2], Tok::Pick(5));
            }
        }
        for start in [0u64, 1, 2, 7, 13] {
            let mut b = worker(l, None);
            b.skip(start, &mut Work::unlimited());
            assert_eq!(
                ops(&mut b, 5),
                all[start as usize..start as usize + 5].to_vec()
            );
        }
    }

    #[test]
    fn remaining_ends_the_worker() {
        let mut a = worker(layout(4, 1, 0, 1, 0, 0), Some(6));
        assert_eq!(ops(&mut a, 100).len(), 6);
        assert!(a.exhausted());
        // A member with no share and no final op has no ops at all.
        let mut b = worker(layout(1, 2, 0, 1, 0, 1), None);
        assert!(b.exhausted());
        assert_eq!(ops(&mut b, 10).len(), 0);
    }
}
