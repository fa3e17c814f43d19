//! A mix's children, shared between clones of a wide plan.
//!
//! A plan is cloned to give a second holder of a generator value a position
//! of its own (the NIF's cursor over a decoded plan). For a mix of 100,000
//! leaves a deep clone is tens of megabytes, most of it never touched again:
//! a holder that goes on for a few thousand ops changes a few thousand
//! leaves. So a wide mix keeps its children in groups behind `Arc`s: a clone
//! copies the group pointers, and a group is copied the first time a clone
//! changes one of its children (`Arc::make_mut`). Narrow mixes keep them
//! inline (no indirection on their hot path).

use crate::plan::Node;
use crate::work::{Work, COPY_NODE, COPY_WORDS};
use std::ops::{Index, IndexMut};
use std::sync::Arc;

/// Children per shared group.
const GROUP: usize = 64;

/// Mixes of more children than this share them in groups.
const WIDE: usize = 256;

/// A mix's children: inline (narrow mixes) or in shared groups (wide ones).
/// One shape for both, so that a narrow mix's child is found as in a plain
/// vector: the bounds check of `inline` is the only test on its hot path
/// (a wide mix's `inline` is empty, so every index falls through to the
/// groups).
#[derive(Clone, Debug)]
pub(crate) struct Children {
    /// A narrow mix's children (empty for a wide one).
    inline: Vec<Node>,
    /// A wide mix's children, [`GROUP`] to a group (empty for a narrow
    /// one).
    groups: Vec<Arc<Vec<Node>>>,
}

/// The children in order.
pub(crate) type Iter<'a> = std::iter::FlatMap<
    std::slice::Iter<'a, Arc<Vec<Node>>>,
    std::slice::Iter<'a, Node>,
    fn(&'a Arc<Vec<Node>>) -> std::slice::Iter<'a, Node>,
>;

/// Either the inline children's iterator or the groups'.
pub(crate) enum Either<A, B> {
    A(A),
    B(B),
}

impl<T, A: Iterator<Item = T>, B: Iterator<Item = T>> Iterator for Either<A, B> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        match self {
            Either::A(a) => a.next(),
            Either::B(b) => b.next(),
        }
    }
}

fn group_iter(group: &Arc<Vec<Node>>) -> std::slice::Iter<'_, Node> {
    group.iter()
}

impl Children {
    pub(crate) fn new(children: Vec<Node>) -> Self {
        let len = children.len();
        if len <= WIDE {
            return Children {
                inline: children,
                groups: Vec::new(),
            };
        }
        let mut groups = Vec::with_capacity(len.div_ceil(GROUP));
        let mut rest = children.into_iter();
        loop {
            let group: Vec<Node> = rest.by_ref().take(GROUP).collect();
            if group.is_empty() {
                break;
            }
            groups.push(Arc::new(group));
        }
        Children {
            inline: Vec::new(),
            groups,
        }
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        match self.groups.last() {
            None => self.inline.len(),
            Some(last) => (self.groups.len() - 1) * GROUP + last.len(),
        }
    }

    pub(crate) fn iter(&self) -> Either<std::slice::Iter<'_, Node>, Iter<'_>> {
        if self.groups.is_empty() {
            Either::A(self.inline.iter())
        } else {
            Either::B(self.groups.iter().flat_map(group_iter as _))
        }
    }

    pub(crate) fn into_vec(self) -> Vec<Node> {
        if self.groups.is_empty() {
            return self.inline;
        }
        let mut out = Vec::with_capacity(self.len());
        for group in self.groups {
            out.extend(Arc::unwrap_or_clone(group));
        }
        out
    }

    /// How many of its groups this and `other` share (for tests).
    #[cfg(test)]
    pub(crate) fn shared_with(&self, other: &Children) -> usize {
        let pairs = self.groups.iter().zip(&other.groups);
        pairs.filter(|(a, b)| Arc::ptr_eq(a, b)).count()
    }
}

impl Index<usize> for Children {
    type Output = Node;

    #[inline]
    fn index(&self, c: usize) -> &Node {
        match self.inline.get(c) {
            Some(child) => child,
            None => &self.groups[c / GROUP][c % GROUP],
        }
    }
}

impl IndexMut<usize> for Children {
    #[inline]
    fn index_mut(&mut self, c: usize) -> &mut Node {
        match self.inline.get_mut(c) {
            Some(child) => child,
            None => grouped_mut(&mut self.groups, c),
        }
    }
}

impl Children {
    /// Child `c` to change, its group's copy (when another clone shares it)
    /// counted in `work`: a call that copies many groups (a random mix's
    /// clone, each op in another group) stops as early as one that steps
    /// many ops. The same child as `&mut self[c]`.
    #[inline]
    pub(crate) fn get_mut(&mut self, c: usize, work: &mut Work) -> &mut Node {
        match self.inline.get_mut(c) {
            Some(child) => child,
            None => grouped_mut_counted(&mut self.groups, c, work),
        }
    }
}

/// A grouped child, its group copied first if another clone shares it. Out
/// of line: narrow mixes' hot loop (inline children) stays as small as it
/// was before groups existed.
#[inline(never)]
fn grouped_mut(groups: &mut [Arc<Vec<Node>>], c: usize) -> &mut Node {
    &mut Arc::make_mut(&mut groups[c / GROUP])[c % GROUP]
}

/// [`grouped_mut`], the copy counted in `work`. Out of line, not cold: a
/// wide mix takes it for every op. Whether the group is shared is read from
/// its counts (plain loads: only the count of work depends on it) and
/// settled by `make_mut`, so that an op pays one atomic exchange, not two.
#[inline(never)]
fn grouped_mut_counted<'a>(
    groups: &'a mut [Arc<Vec<Node>>],
    c: usize,
    work: &mut Work,
) -> &'a mut Node {
    let group = &mut groups[c / GROUP];
    if Arc::strong_count(group) > 1 || Arc::weak_count(group) > 0 {
        work.spend(group.iter().map(copy_cost).sum());
    }
    &mut Arc::make_mut(group)[c % GROUP]
}

/// What copying `node` costs, in work units: a leaf (and its word cursor),
/// or a composite's own fields and its direct children (those of a wide
/// one are shared groups: a pointer each).
fn copy_cost(node: &Node) -> u64 {
    match node {
        Node::Leaf(leaf) => COPY_NODE + if leaf.has_words() { COPY_WORDS } else { 0 },
        _ => COPY_NODE * (1 + node.children().take(WIDE).count() as u64),
    }
}

#[cfg(test)]
mod tests {
    use crate::batch::{run_ops, Record};
    use crate::plan::{Leaf, LeafKind, Mix, Node, Picker, Position, Strategy, Until};
    use crate::seed::Seed;
    use crate::work::Work;

    fn leaf(i: u64, remaining: Option<u64>) -> Node {
        let at = Position {
            seed: Seed::from_u64(i),
            stream: 0,
            pos: 0,
        };
        Node::Leaf(Leaf::new(
            LeafKind::random(3).unwrap(),
            at,
            remaining,
            3 * i,
        ))
    }

    /// Wide mixes (grouped children) of every strategy.
    fn wide() -> Vec<Node> {
        let kids = |budget: bool| -> Vec<Node> {
            (0..1000)
                .map(|i| leaf(i, budget.then_some(3 + i % 7)))
                .collect()
        };
        let at = Position {
            seed: Seed::from_u64(5),
            stream: 2,
            pos: 0,
        };
        let random = Strategy::Random {
            at,
            picker: Picker::Uniform,
        };
        vec![
            Mix::new(kids(false), 3, None, Until::Any).unwrap(),
            Mix::new(kids(true), 3, None, Until::All).unwrap(),
            Mix::with_strategy(kids(true), 0, None, Until::All, Strategy::Concat).unwrap(),
            Mix::with_strategy(kids(false), 0, None, Until::Any, random).unwrap(),
        ]
        .into_iter()
        .map(Node::Mix)
        .collect()
    }

    /// The next `k` ops, over as many calls as their budgets take (a call
    /// that copies shared groups stops early).
    fn ops(node: &mut Node, k: usize) -> Vec<crate::plan::Tok> {
        let mut toks = Vec::new();
        let mut n = 0;
        while n < k {
            let got = run_ops(node, k - n, &mut toks, Record::default());
            if got == 0 {
                break;
            }
            n += got;
        }
        toks
    }

    fn children(node: &Node) -> &super::Children {
        match node {
            Node::Mix(mix) => &mix.children,
            _ => unreachable!(),
        }
    }

    #[test]
    fn clones_of_a_wide_plan_share_what_they_do_not_change_and_run_alike() {
        for (t, mut whole) in wide().into_iter().enumerate() {
            let start = whole.clone();
            let expected = ops(&mut whole, 3000);
            // A clone run part of the way, and clones of it, continue alike.
            let mut a = start.clone();
            let head = ops(&mut a, 1000);
            let mut b = a.clone();
            assert_eq!(head[..], expected[..head.len()], "plan {t}");
            let (tail_a, tail_b) = (ops(&mut a, 2000), ops(&mut b, 2000));
            assert_eq!(tail_a, tail_b, "plan {t}");
            assert_eq!([head, tail_a].concat(), expected, "plan {t}");
            // A clone skipped there does too.
            let mut skipped = start.clone();
            let mut left = 1000;
            while left > 0 {
                left -= skipped.skip(left, &mut Work::new(1 << 20));
            }
            assert_eq!(ops(&mut skipped, 2000), tail_b, "plan {t}");
            // The start was not changed by its clones: same ops again.
            assert_eq!(ops(&mut start.clone(), 3000), expected, "plan {t}");
        }
        // A random mix's clone copies a group for nearly every op it makes:
        // its calls count the copies, so one stops long before MAX_CHUNK
        // ops, where the plan that owns its groups makes them all.
        // (Warmed up: every leaf has its word cursor.)
        let mut owner = wide().remove(3);
        ops(&mut owner, 20_000);
        let mut clone = owner.clone();
        let shared = run_ops(&mut clone, 4096, &mut Vec::new(), Record::default());
        drop(clone);
        let alone = run_ops(&mut owner, 4096, &mut Vec::new(), Record::default());
        assert_eq!(alone, 4096);
        assert!(shared < 100, "{shared} ops copying groups in one call");
        // A round-robin clone 100 ops on shares the groups it did not reach
        // (16 groups of 64 children; two touched).
        let start = wide().remove(0);
        let mut moved = start.clone();
        ops(&mut moved, 100);
        assert_eq!(children(&moved).shared_with(children(&start)), 14);
        let mut skipped = start.clone();
        skipped.skip(100, &mut Work::new(1 << 20));
        assert_eq!(children(&skipped).shared_with(children(&start)), 14);
    }
}
