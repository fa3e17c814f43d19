//! Skipping ops without producing them, and counting the ops a plan has left.
//!
//! The one place that decides how a plan skips `n` ops (`drop/2`, `fork/2` of
//! a buffered generator, replay with `--from`). Seeded leaves move their op
//! index: O(1). Round-robin mixes, concats and zips whose subtrees are all
//! *countable* (no random mix inside) split `n` between their children from
//! the children's capacities: O(children) (round-robin `until: :all`:
//! O(children · log children), from the sorted capacities). Random mixes
//! depend on their draws, so they skip by stepping, op by op (a budget of
//! ops per call; `drop/2` on them is O(n)).
//!
//! Every call is bounded by a [`Work`] budget: a skip that runs out of budget
//! stops between two ops with a consistent state and reports how far it got,
//! and the caller calls again.

use crate::plan::{Mix, Node, Strategy, Tok, Until, Zip};
use crate::work::Work;

/// Ops a plan gives before answering "done".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    Finite(u128),
    Infinite,
    /// Only running it tells (a random mix `until: :any` over finite children).
    Unknown,
}

impl Count {
    /// The count of a budget (`None`: no budget).
    pub(crate) fn of(remaining: Option<u64>) -> Count {
        remaining.map_or(Count::Infinite, |r| Count::Finite(u128::from(r)))
    }

    /// The smaller count (unknown when either is).
    pub fn min(self, other: Count) -> Count {
        match (self, other) {
            (Count::Unknown, _) | (_, Count::Unknown) => Count::Unknown,
            (Count::Infinite, x) | (x, Count::Infinite) => x,
            (Count::Finite(a), Count::Finite(b)) => Count::Finite(a.min(b)),
        }
    }

    fn add(self, other: Count) -> Count {
        match (self, other) {
            (Count::Unknown, _) | (_, Count::Unknown) => Count::Unknown,
            (Count::Infinite, _) | (_, Count::Infinite) => Count::Infinite,
            (Count::Finite(a), Count::Finite(b)) => Count::Finite(a + b),
        }
    }
}

impl Node {
    /// Ops left before "done" (see [`Count`]).
    pub fn capacity(&self) -> Count {
        match self {
            Node::Leaf(leaf) => Count::of(leaf.remaining()),
            Node::Zip(zip) => zip
                .children
                .iter()
                .fold(Count::of(zip.remaining), |c, child| c.min(child.capacity())),
            Node::Mix(mix) => mix.capacity(),
            Node::Independent(ind) => Count::of(ind.remaining()),
            Node::Composite(c) => c.capacity(),
        }
    }

    /// True when skipping is arithmetic all the way down (no random mix).
    pub(crate) fn countable(&self) -> bool {
        match self {
            Node::Leaf(_) | Node::Independent(_) => true,
            Node::Mix(mix) if mix.is_random() => false,
            Node::Composite(c) => c.countable(),
            _ => self.children().all(Node::countable),
        }
    }

    /// Skips up to `n` ops (fewer when the plan is done first, or when `work`
    /// runs out); returns how many were skipped.
    pub fn skip(&mut self, n: u64, work: &mut Work) -> u64 {
        if n == 0 {
            return 0;
        }
        work.spend(1);
        match self {
            Node::Leaf(leaf) => leaf.skip(n),
            Node::Zip(zip) => zip.skip(n, work),
            Node::Mix(mix) => mix.skip(n, work),
            Node::Independent(ind) => ind.skip(n),
            Node::Composite(c) => c.skip(n, work),
        }
    }
}

impl Zip {
    fn skip(&mut self, n: u64, work: &mut Work) -> u64 {
        let cap = self
            .children
            .iter()
            .fold(Count::of(self.remaining), |c, child| {
                c.min(child.capacity())
            });
        if cap != Count::Unknown && self.children.iter().all(Node::countable) {
            let k = match cap {
                Count::Finite(c) => (u128::from(n).min(c)) as u64,
                _ => n,
            };
            work.spend(self.children.len() as u64);
            for child in &mut self.children {
                child.skip(k, work);
            }
            self.remaining = self.remaining.map(|r| r - k);
            self.produced += k;
            return k;
        }
        let mut scratch: Vec<Tok> = Vec::new();
        let mut done = 0;
        while done < n && !work.exhausted() && !self.exhausted() {
            scratch.clear();
            for child in &mut self.children {
                child.fill_tokens(&mut scratch, 1);
            }
            self.count_one();
            work.spend(scratch.len() as u64 + 1);
            done += 1;
        }
        done
    }
}

impl Mix {
    pub(crate) fn capacity(&self) -> Count {
        let own = Count::of(self.remaining);
        let k = self.children.len() as u128;
        let caps = self.children.iter().map(Node::capacity);
        let total = match (&self.strategy, self.until) {
            (Strategy::Concat, _) => self
                .children
                .iter()
                .skip(self.next_child)
                .fold(Count::Finite(0), |c, child| c.add(child.capacity())),
            (_, Until::All) => caps.fold(Count::Finite(0), Count::add),
            (Strategy::RoundRobin, Until::Any) => {
                // Child at rotation offset j answers "done" on its (cap + 1)-th
                // ask, which is the mix's op j + cap·k.
                // (No division per child, and none for an unbounded one: a
                // holder's seek of a 100,000-leaf mix asks this once.)
                let (len, s) = (self.children.len(), self.next_child);
                let mut out = Count::Infinite;
                for (c, cap) in caps.enumerate() {
                    out = out.min(match cap {
                        Count::Finite(cap) => {
                            let j = if c >= s { c - s } else { c + len - s };
                            Count::Finite(j as u128 + cap * k)
                        }
                        other => other,
                    });
                }
                out
            }
            (Strategy::Random { .. }, Until::Any) => {
                if caps.into_iter().all(|c| c == Count::Infinite) {
                    Count::Infinite
                } else {
                    Count::Unknown
                }
            }
        };
        own.min(total)
    }

    fn skip(&mut self, n: u64, work: &mut Work) -> u64 {
        // (A random mix steps: its children are not scanned, O(width), on
        // every call.)
        if self.is_random() || !self.children.iter().all(Node::countable) {
            if let Strategy::Concat = self.strategy {
                return self.skip_concat(n, work);
            }
            return self.step_mix(n, work);
        }
        let n = match self.capacity() {
            Count::Finite(c) => (u128::from(n).min(c)) as u64,
            _ => n,
        };
        let done = match (&self.strategy, self.until) {
            (Strategy::Concat, _) => return self.skip_concat(n, work),
            (Strategy::RoundRobin, Until::Any) => self.skip_round_robin(n, work),
            (_, Until::All) => self.skip_rounds(n, work),
            (Strategy::Random { .. }, Until::Any) => unreachable!("random mixes step"),
        };
        self.remaining = self.remaining.map(|r| r - done);
        self.produced += done;
        done
    }

    /// Round-robin `until: :any`, `n` within capacity: child at rotation
    /// offset j serves the mix's ops j, j + k, j + 2k, ...
    fn skip_round_robin(&mut self, n: u64, work: &mut Work) -> u64 {
        let k = self.children.len();
        let s = self.next_child;
        work.spend(k as u64);
        // Only the children that skip are visited (the first n from s) and
        // touched (a clone sharing the others keeps sharing: `Children`).
        for j in 0..n.min(k as u64) {
            let c = (s + j as usize) % k;
            self.skip_child(c, (n - j - 1) / k as u64 + 1, work);
        }
        self.next_child = ((s as u128 + u128::from(n)) % k as u128) as usize;
        n
    }

    /// Round-robin (or an `until: :all` random mix would be, but those step)
    /// `until: :all`, `n` within capacity. From `next_child = p`, the mix
    /// serves in passes: pass `r` (1, 2, ...) serves, in list order from `p`
    /// wrapping, every child whose capacity is at least `r` (a child is
    /// served once per pass until its capacity runs out). So after `n` ops
    /// there are `R` whole passes (every child served `min(cap, R)` times)
    /// and `q` ops of pass `R + 1` (the first `q` children from `p` whose
    /// capacity exceeds `R`), with `R` and `q` found from the sorted
    /// capacities: O(children · log children), in one call.
    fn skip_rounds(&mut self, n: u64, work: &mut Work) -> u64 {
        let k = self.children.len();
        let p = self.next_child;
        let caps: Vec<u128> = self
            .children
            .iter()
            .map(|c| match c.capacity() {
                Count::Finite(cap) => cap,
                _ => u128::MAX,
            })
            .collect();
        work.spend(k as u64 * (2 + u64::from(usize::BITS - k.leading_zeros())));
        let mut sorted: Vec<u128> = caps.iter().copied().filter(|&c| c > 0).collect();
        sorted.sort_unstable();
        // Whole passes `r`, and `left` ops into pass r + 1.
        let mut left = u128::from(n);
        let mut r = 0u128;
        let mut i = 0;
        while i < sorted.len() && left > 0 {
            let m = (sorted.len() - i) as u128;
            let level = sorted[i];
            match (level - r).checked_mul(m) {
                Some(ops) if ops <= left => {
                    left -= ops;
                    r = level;
                    while i < sorted.len() && sorted[i] == level {
                        i += 1;
                    }
                }
                _ => {
                    r += left / m;
                    left %= m;
                    break;
                }
            }
        }
        // `left` < the size of pass r + 1; its first `left` children from p
        // get one more op. The last child served decides the next child.
        let order = (0..k).map(|j| (p + j) % k);
        let mut extra = vec![false; k];
        let mut last = None;
        if left > 0 {
            for c in order.filter(|&c| caps[c] > r).take(left as usize) {
                extra[c] = true;
                last = Some(c);
            }
        } else if n > 0 {
            last = (0..k).map(|j| (p + j) % k).rfind(|&c| caps[c] >= r);
        }
        for (c, &cap) in caps.iter().enumerate() {
            let count = cap.min(r) + u128::from(extra[c]);
            if count > 0 {
                self.skip_child(c, count as u64, work);
            }
        }
        if let Some(c) = last {
            self.next_child = (c + 1) % k;
        }
        self.track_all();
        n
    }

    /// Child `c` skipped `count` ops in full, its cost (its group's copy
    /// too) counted in `work`: the arithmetic skips give each child its
    /// whole share at once, which a budget spent by then must not cut short.
    fn skip_child(&mut self, c: usize, count: u64, work: &mut Work) {
        let mut all = Work::unlimited();
        self.children.get_mut(c, &mut all).skip(count, &mut all);
        work.spend(all.spent_of(u64::MAX));
    }

    /// Concat: each phase from the current one, to exhaustion or `n`.
    fn skip_concat(&mut self, n: u64, work: &mut Work) -> u64 {
        let k = self.children.len();
        let mut left = self.remaining.map_or(n, |r| r.min(n));
        let wanted = left;
        while left > 0 && !work.exhausted() {
            let c = self.find(self.next_child, work);
            if c == k {
                break;
            }
            self.next_child = c;
            left -= self.children.get_mut(c, work).skip(left, work);
            self.track(c);
        }
        let done = wanted - left;
        self.remaining = self.remaining.map(|r| r - done);
        self.produced += done;
        done
    }

    /// Random mixes (and mixes holding one): one op at a time.
    fn step_mix(&mut self, n: u64, work: &mut Work) -> u64 {
        let mut scratch: Vec<Tok> = Vec::new();
        let mut done = 0;
        while done < n && !work.exhausted() {
            scratch.clear();
            let got = self.serve(1, work, |child, work| {
                child.fill_tokens_within(&mut scratch, 1, work)
            });
            if got == 0 {
                break;
            }
            work.spend(scratch.len() as u64);
            done += 1;
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Leaf, LeafKind, Picker};

    /// A small deterministic PRNG for building trees (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
        }
    }

    use crate::plan::test_at as at;

    fn take(rng: &mut Rng) -> Option<u64> {
        match rng.below(3) {
            0 => Some(rng.below(40)),
            _ => None,
        }
    }

    fn tree(rng: &mut Rng, depth: u32) -> Node {
        let remaining = take(rng);
        if depth == 0 || rng.below(3) == 0 {
            let kind = match rng.below(4) {
                0 => LeafKind::random(1 + rng.below(5)).unwrap(),
                1 => LeafKind::cycle(1 + rng.below(4)).unwrap(),
                2 => LeafKind::counter(rng.below(100) as i128).unwrap(),
                _ => LeafKind::register(1, 5, [1, 2, 1]).unwrap(),
            };
            return Node::Leaf(Leaf::new(kind, at(rng.below(1000)), remaining, 0));
        }
        let children: Vec<Node> = (0..1 + rng.below(3))
            .map(|_| tree(rng, depth - 1))
            .collect();
        if rng.below(5) == 0 {
            return Node::Zip(Zip::new(children, remaining).unwrap());
        }
        let until = if rng.below(2) == 0 {
            Until::Any
        } else {
            Until::All
        };
        let strategy = match rng.below(4) {
            0 => Strategy::Concat,
            1 => Strategy::Random {
                at: at(rng.below(1000)),
                picker: Picker::Uniform,
            },
            _ => Strategy::RoundRobin,
        };
        let k = children.len();
        Node::Mix(
            Mix::with_strategy(
                children,
                rng.below(k as u64) as usize,
                remaining,
                until,
                strategy,
            )
            .unwrap(),
        )
    }

    fn ops(node: &mut Node, n: usize) -> Vec<Tok> {
        let mut out = Vec::new();
        node.fill_tokens(&mut out, n);
        out
    }

    #[test]
    fn skip_equals_stepping_and_capacity_equals_the_count() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for t in 0..400 {
            let base = tree(&mut rng, 3);
            // The whole (bounded) stream, by stepping.
            let mut walked = base.clone();
            let mut all = Vec::new();
            let mut count = 0u128;
            while count < 500 && walked.fill_tokens(&mut all, 1) == 1 {
                count += 1;
            }
            match base.capacity() {
                Count::Finite(c) => assert_eq!(c.min(500), count, "tree {t}: capacity"),
                Count::Infinite => assert_eq!(count, 500, "tree {t}: infinite"),
                Count::Unknown => {}
            }
            for n in [0u64, 1, 2, 5, 17, 64, 200] {
                let mut skipped = base.clone();
                let got = skipped.skip(n, &mut Work::new(u64::MAX));
                let mut stepped = base.clone();
                let stepped_n = (0..n)
                    .take_while(|_| !ops(&mut stepped, 1).is_empty())
                    .count();
                assert_eq!(got as usize, stepped_n, "tree {t}: skip({n}) count");
                assert_eq!(
                    ops(&mut skipped, 30),
                    ops(&mut stepped, 30),
                    "tree {t}: after skip({n})"
                );
                assert_eq!(skipped.produced(), stepped.produced(), "tree {t}: produced");
            }
        }
    }

    #[test]
    fn a_work_budget_stops_a_skip_between_ops() {
        let mix = Mix::with_strategy(
            vec![
                Node::Leaf(Leaf::new(LeafKind::random(3).unwrap(), at(1), None, 0)),
                Node::Leaf(Leaf::new(LeafKind::cycle(2).unwrap(), at(0), None, 3)),
            ],
            0,
            None,
            Until::Any,
            Strategy::Random {
                at: at(9),
                picker: Picker::Uniform,
            },
        )
        .unwrap();
        let mut partial = Node::Mix(mix.clone());
        let mut work = Work::new(50);
        let first = partial.skip(1_000_000, &mut work);
        assert!(first > 0 && first < 1_000_000, "{first}");
        let rest = partial.skip(1000 - first, &mut Work::new(u64::MAX));
        let mut whole = Node::Mix(mix);
        whole.skip(1000, &mut Work::new(u64::MAX));
        assert_eq!(first + rest, 1000);
        assert_eq!(ops(&mut partial, 20), ops(&mut whole, 20));
    }
}

#[cfg(test)]
mod rounds_tests {
    use super::*;
    use crate::plan::{Leaf, LeafKind, Position};
    use crate::seed::Seed;

    fn rounds_mix(k: u64) -> Node {
        let at = Position {
            seed: Seed::from_u64(1),
            stream: 0,
            pos: 0,
        };
        let children = (0..k)
            .map(|i| {
                let cap = (i * 7919) % (k + 3);
                Node::Leaf(Leaf::new(LeafKind::cycle(1).unwrap(), at, Some(cap), i))
            })
            .collect();
        Node::Mix(Mix::new(children, 5, None, Until::All).unwrap())
    }

    #[test]
    fn skip_rounds_equals_stepping() {
        let total = match rounds_mix(300).capacity() {
            Count::Finite(c) => c as u64,
            other => panic!("{other:?}"),
        };
        for n in [1, 299, 301, 5_000, total - 7, total, total + 9] {
            let mut stepped = rounds_mix(300);
            let mut skipped_ops = Vec::new();
            stepped.fill(&mut skipped_ops, n as usize);
            let mut split = rounds_mix(300);
            let mut left = n;
            while left > 0 {
                let got = split.skip(left, &mut Work::new(500));
                if got == 0 {
                    break;
                }
                left -= got;
            }
            assert_eq!(n - left, n.min(total), "n = {n}");
            let (mut a, mut b) = (Vec::new(), Vec::new());
            stepped.fill(&mut a, 100_000);
            split.fill(&mut b, 100_000);
            assert_eq!(a, b, "n = {n}");
        }
    }

    #[test]
    fn skip_rounds_is_fast_with_many_children() {
        // 20,000 children, each running out at a different pass: the last
        // five ops are those of passes k - 2, k - 1 and k.
        let k = 20_000;
        let at = Position {
            seed: Seed::from_u64(1),
            stream: 0,
            pos: 0,
        };
        let children = (0..k)
            .map(|i| Node::Leaf(Leaf::new(LeafKind::cycle(1).unwrap(), at, Some(i + 1), i)))
            .collect();
        let mut mix = Node::Mix(Mix::new(children, 0, None, Until::All).unwrap());
        let t = std::time::Instant::now();
        let mut left = k * (k + 1) / 2 - 5;
        while left > 0 {
            left -= mix.skip(left, &mut Work::new(1 << 24));
        }
        assert!(t.elapsed().as_millis() < 500, "{:?}", t.elapsed());
        let mut rest = Vec::new();
        mix.fill(&mut rest, 10);
        assert_eq!(rest, vec![k - 2, k - 1, k - 2, k - 1, k - 1]);
    }
}
