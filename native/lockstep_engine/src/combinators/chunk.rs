//! `chunk(gen, n)`: the ops of one child in groups of `n`. Op `i` is the
//! list of the child's ops `i·n .. i·n + n - 1` (from the child's position
//! when the chunk was made); the last list is shorter when the child ends
//! within it, and the chunk is done when the child has no op left at the
//! start of one. Counter-based: skipping `k` chunks skips `k·n` ops of the
//! child (arithmetic when the child's skip is).

use crate::composite::{step, Rule};
use crate::error::EngineError;
use crate::plan::{Node, Tok};
use crate::skip::Count;
use crate::work::Work;

/// Most ops in one chunk (the most one engine call gives: an op is made
/// whole within a call).
pub const MAX_N: u64 = 4096;

/// `n`: ops of the child per chunk.
#[derive(Clone, Debug)]
pub struct Chunk {
    n: u64,
}

/// The rule from its parameters: `[n]`, one child.
pub fn rule(params: &[u64], children: usize) -> Result<Box<dyn Rule>, EngineError> {
    match (params, children) {
        ([n], 1) if (1..=MAX_N).contains(n) => Ok(Box::new(Chunk { n: *n })),
        ([_], 1) => Err(EngineError::BadParameter("chunk: n must be in 1..4096")),
        _ => Err(EngineError::BadParameter("chunk: one child and n")),
    }
}

impl Rule for Chunk {
    fn boxed_clone(&self) -> Box<dyn Rule> {
        Box::new(self.clone())
    }

    fn serve(&mut self, children: &mut [Node], out: &mut Vec<Tok>, work: &mut Work) -> bool {
        let child = &mut children[0];
        if child.exhausted() {
            return false;
        }
        let at = out.len();
        out.push(Tok::List(0));
        let mut m = 0;
        while m < self.n {
            let got = child.fill_tokens_within(out, (self.n - m) as usize, work);
            if got == 0 {
                break;
            }
            m += got as u64;
        }
        out[at] = Tok::List(m as u32);
        true
    }

    fn exhausted(&self, children: &[Node]) -> bool {
        children[0].exhausted()
    }

    fn capacity(&self, children: &[Node]) -> Count {
        match children[0].capacity() {
            Count::Finite(c) => Count::Finite(c.div_ceil(u128::from(self.n))),
            other => other,
        }
    }

    fn countable(&self, children: &[Node]) -> bool {
        children[0].countable()
    }

    fn skip(&mut self, children: &mut [Node], k: u64, work: &mut Work) -> u64 {
        let child = &mut children[0];
        if !child.countable() {
            return step(self, children, k, work);
        }
        let n = u128::from(self.n);
        let mut left = u128::from(k) * n;
        if let Count::Finite(c) = child.capacity() {
            left = left.min(c);
        }
        let mut skipped = 0u128;
        while left > 0 {
            let want = left.min(u128::from(u64::MAX)) as u64;
            let got = child.skip(want, work);
            skipped += u128::from(got);
            left -= u128::from(got);
            if got < want {
                break;
            }
        }
        // A skip cut short by `work` inside a chunk: the rest of that chunk
        // too (fewer than n ops), so the child stands at a chunk's start.
        let part = skipped % n;
        if part > 0 && !child.exhausted() {
            let mut rest = (n - part) as u64;
            while rest > 0 {
                let got = child.skip(rest, &mut Work::unlimited());
                if got == 0 {
                    break;
                }
                rest -= got;
            }
            skipped += (n - part) - u128::from(rest);
        }
        skipped.div_ceil(n) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::composite::Composite;
    use crate::plan::{Leaf, LeafKind, Mix, Strategy, Until};

    use crate::plan::test_at as at;

    fn counter(start: i128, remaining: Option<u64>) -> Node {
        Node::Leaf(Leaf::new(
            LeafKind::counter(start).unwrap(),
            at(0),
            remaining,
            0,
        ))
    }

    fn chunk(n: u64, child: Node, remaining: Option<u64>) -> Node {
        Node::Composite(Composite::new("chunk", &[n], vec![child], remaining).unwrap())
    }

    /// The ops as lists of integers.
    fn lists(node: &mut Node, max: usize) -> Vec<Vec<i128>> {
        let mut toks = Vec::new();
        let k = node.fill_tokens(&mut toks, max);
        let mut it = toks.into_iter();
        let mut out = Vec::new();
        for _ in 0..k {
            let Some(Tok::List(m)) = it.next() else {
                panic!("not a list")
            };
            out.push(
                (0..m)
                    .map(|_| match it.next() {
                        Some(Tok::Int(v)) => v,
                        other => panic!("{other:?}"),
                    })
                    .collect(),
            );
        }
        assert!(it.next().is_none());
        out
    }

    #[test]
    fn groups_ops_and_ends_with_a_shorter_chunk() {
        let mut node = chunk(3, counter(10, Some(7)), None);
        assert_eq!(node.capacity(), Count::Finite(3));
        assert_eq!(
            lists(&mut node, 10),
            vec![vec![10, 11, 12], vec![13, 14, 15], vec![16]]
        );
        assert!(node.exhausted());
        assert_eq!(lists(&mut node, 10), Vec::<Vec<i128>>::new());
    }

    #[test]
    fn skips_by_arithmetic_or_by_stepping_alike() {
        // Countable child: k chunks are k·n ops of the child.
        let mut node = chunk(4, counter(0, None), Some(100));
        assert_eq!(node.skip(5, &mut Work::unlimited()), 5);
        assert_eq!(lists(&mut node, 1), vec![vec![20, 21, 22, 23]]);
        assert_eq!(node.capacity(), Count::Finite(94));
        // A random mix inside: stepped, the same ops as made.
        let mix = |seed| {
            let strategy = Strategy::Random {
                at: at(seed),
                picker: crate::plan::Picker::Uniform,
            };
            let cs = vec![counter(0, None), counter(1000, None)];
            Mix::with_strategy(cs, 0, None, Until::Any, strategy).unwrap()
        };
        let mut made = chunk(3, Node::Mix(mix(9)), None);
        let mut skipped = chunk(3, Node::Mix(mix(9)), None);
        let all = lists(&mut made, 7);
        assert_eq!(skipped.skip(5, &mut Work::unlimited()), 5);
        assert_eq!(lists(&mut skipped, 2), all[5..7].to_vec());
    }

    #[test]
    fn a_skip_past_the_end_counts_the_short_chunk() {
        let mut node = chunk(4, counter(0, Some(10)), None);
        assert_eq!(node.skip(100, &mut Work::unlimited()), 3);
        assert!(node.exhausted());
    }

    #[test]
    fn state_and_bad_parameters() {
        let mut node = chunk(2, counter(0, None), None);
        lists(&mut node, 3);
        assert_eq!(
            node.state(),
            crate::state::NodeState::Zip {
                produced: 3,
                children: vec![crate::state::NodeState::Leaf { produced: 6 }]
            }
        );
        for params in [&[0][..], &[MAX_N + 1], &[], &[2, 3]] {
            assert!(Composite::new("chunk", params, vec![counter(0, None)], None).is_err());
        }
        let two = vec![counter(0, None), counter(0, None)];
        assert!(Composite::new("chunk", &[2], two, None).is_err());
        assert!(Composite::new("nope", &[2], vec![counter(0, None)], None).is_err());
    }
}
