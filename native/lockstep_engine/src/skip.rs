//! Skipping ops without producing them, and counting the ops a plan has left.
//!
//! The one place that decides how a plan skips `n` ops (`drop/2`, `fork/2` of
//! a buffered generator, replay with `--from`). Seeded leaves move their op
//! index: O(1). Round-robin mixes, concats and zips whose subtrees are all
//! *countable* (no random mix inside) split `n` between their children from
//! the children's capacities: O(children) (round-robin `until: :all`:
//! O(children²), one round per child running out). Random mixes depend on
//! their draws, so they skip by stepping, op by op.
//!
//! Every call is bounded by a [`Work`] budget: a skip that runs out of budget
//! stops between two ops with a consistent state and reports how far it got,
//! and the caller calls again.

use crate::plan::{Mix, Node, Strategy, Tok, Until, Zip};

/// Ops a plan gives before answering "done".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    Finite(u128),
    Infinite,
    /// Only running it tells (a random mix `until: :any` over finite children).
    Unknown,
}

impl Count {
    fn of(remaining: Option<u64>) -> Count {
        remaining.map_or(Count::Infinite, |r| Count::Finite(u128::from(r)))
    }

    fn min(self, other: Count) -> Count {
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

/// A budget of work units (ops stepped, children visited, tokens made) for
/// one NIF call, so that no call holds a scheduler for long.
#[derive(Clone, Copy, Debug)]
pub struct Work {
    left: u64,
}

impl Work {
    pub fn new(units: u64) -> Self {
        Work { left: units }
    }

    /// No bound (for callers that bound the op count themselves).
    pub fn unlimited() -> Self {
        Work { left: u64::MAX }
    }

    /// Units left.
    pub fn left(&self) -> u64 {
        self.left
    }

    /// How many of `max` ops costing `per_op` units each fit in what is left;
    /// at least one (a call always makes progress).
    pub fn affordable(&self, max: usize, per_op: u64) -> usize {
        let fit = self.left / per_op.max(1);
        (max as u64).min(fit.max(1)) as usize
    }

    pub fn spend(&mut self, units: u64) {
        self.left = self.left.saturating_sub(units);
    }

    pub fn exhausted(&self) -> bool {
        self.left == 0
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
        }
    }

    /// True when skipping is arithmetic all the way down (no random mix).
    fn countable(&self) -> bool {
        match self {
            Node::Leaf(_) => true,
            Node::Mix(mix) if mix.is_random() => false,
            _ => self.children().iter().all(Node::countable),
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
            (Strategy::Concat, _) => self.children[self.next_child..]
                .iter()
                .fold(Count::Finite(0), |c, child| c.add(child.capacity())),
            (_, Until::All) => caps.fold(Count::Finite(0), Count::add),
            (Strategy::RoundRobin, Until::Any) => {
                // Child at rotation offset j answers "done" on its (cap + 1)-th
                // ask, which is the mix's op j + cap·k.
                let mut out = Count::Infinite;
                for (c, cap) in caps.enumerate() {
                    let j =
                        ((c + self.children.len() - self.next_child) % self.children.len()) as u128;
                    out = out.min(match cap {
                        Count::Finite(cap) => Count::Finite(j + cap * k),
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
        let countable = self.children.iter().all(Node::countable);
        if self.is_random() || !countable {
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
        for (c, child) in self.children.iter_mut().enumerate() {
            let j = ((c + k - s) % k) as u64;
            let count = if n > j { (n - j - 1) / k as u64 + 1 } else { 0 };
            child.skip(count, work);
        }
        self.next_child = ((s as u128 + u128::from(n)) % k as u128) as usize;
        n
    }

    /// Round-robin (or an `until: :all` random mix would be, but those step)
    /// `until: :all`: each round serves the live children in turn until the
    /// first of them runs out, which then drops out. O(live children) per
    /// round and at most one round per child: O(children²) in all, spread
    /// over calls by `work` (a call that runs out stops after a round, with
    /// the children moved by the rounds done).
    fn skip_rounds(&mut self, n: u64, work: &mut Work) -> u64 {
        let k = self.children.len();
        let mut caps: Vec<Count> = self.children.iter().map(Node::capacity).collect();
        let mut counts = vec![0u64; k];
        let mut p = self.next_child;
        let mut left = n;
        work.spend(k as u64);
        // Live children in rotation order from p.
        let mut live: Vec<usize> = (0..k)
            .map(|j| (p + j) % k)
            .filter(|&c| caps[c] != Count::Finite(0))
            .collect();
        while left > 0 && !live.is_empty() && !work.exhausted() {
            work.spend(live.len() as u64);
            let l = live.len() as u128;
            let first_out = live
                .iter()
                .enumerate()
                .filter_map(|(j, &c)| match caps[c] {
                    Count::Finite(cap) => Some(j as u128 + (cap - 1) * l + 1),
                    _ => None,
                })
                .min();
            let steps = first_out.map_or(u128::from(left), |f| f.min(u128::from(left)));
            for (j, &c) in live.iter().enumerate() {
                let j = j as u128;
                let got = if steps > j {
                    (steps - j - 1) / l + 1
                } else {
                    0
                };
                if let Count::Finite(cap) = &mut caps[c] {
                    *cap -= got;
                }
                counts[c] += got as u64;
            }
            // The next round starts after the last child served.
            let last = ((steps - 1) % l) as usize;
            p = (live[last] + 1) % k;
            live.rotate_left(last + 1);
            live.retain(|&c| caps[c] != Count::Finite(0));
            left -= steps as u64;
        }
        for (child, count) in self.children.iter_mut().zip(counts) {
            child.skip(count, work);
        }
        self.next_child = p;
        self.track_all();
        n - left
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
            left -= self.children[c].skip(left, work);
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
