//! Plans: the shape of a generator (its kind, pool, children) plus its position.
//!
//! A [`Node`] mirrors one `%Lockstep.Generator{}`: a [`Leaf`] for the seeded
//! kinds, a [`Mix`] for `mix`/`concat`, a [`Zip`] for `zip`. Every node answers
//! the questions the Elixir side answers for `next/1`: [`Node::exhausted`] and
//! the next op. Pool ops are indices into one flat pool: a leaf's pool is
//! `offset..offset + pool_len`, so a whole tree picks from a single tuple.
//!
//! Plans made only of pick leaves and mixes produce bare indices
//! ([`Node::fill`], the fast path); any plan produces [`Tok`]ens
//! ([`Node::fill_tokens`]).

use crate::children::{self, Children, Either};
use crate::composite::Composite;
use crate::error::EngineError;
use crate::independent::Independent;
use crate::sample::{bounded, AliasTable};
use crate::seed::Seed;
use crate::words::Words;
use crate::work::Work;
use std::sync::Arc;

pub use crate::kinds::{LeafKind, ListAppend, Tok};

pub use crate::error::MAX_DEPTH;

/// Where a seeded stream stands: op `pos` of stream `stream` under `seed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub seed: Seed,
    pub stream: u64,
    pub pos: u64,
}

impl Position {
    fn retry_word(&self) -> impl Fn(u128, u64) -> u64 + '_ {
        move |word, attempt| Words::retry(self.seed, self.stream, word, attempt)
    }

    /// Cursor at the first word of op `pos` for `per_op` words per op
    /// (kinds of several words per op read many: straight to bulk blocks).
    fn words(&self, per_op: u64) -> Box<Words> {
        let word = u128::from(self.pos) * u128::from(per_op);
        let key = self.seed.key();
        Box::new(if per_op > 1 {
            Words::bulk_at_word(key, self.stream, word)
        } else {
            Words::at_word(key, self.stream, word)
        })
    }
}

/// The start of stream 0 of an integer seed (unit tests' positions).
#[cfg(test)]
pub(crate) fn test_at(seed: u64) -> Position {
    Position {
        seed: Seed::from_u64(seed),
        stream: 0,
        pos: 0,
    }
}

/// Ops from `pos` before the op index wraps at 2^64 (op `2^64 + i` is op `i`).
fn before_wrap(pos: u64, k: usize) -> usize {
    let room = u128::from(u64::MAX - pos) + 1;
    (k as u128).min(room) as usize
}

/// A seeded leaf at a position, with an optional op budget.
#[derive(Clone, Debug)]
pub struct Leaf {
    kind: LeafKind,
    at: Position,
    remaining: Option<u64>,
    offset: u64,
    // Boxed: ChaCha's 4-block buffer would make every Node that large.
    words: Option<Box<Words>>,
    /// Ops produced or skipped since the plan was built (exported as state).
    pub(crate) produced: u64,
}

impl Leaf {
    pub fn new(kind: LeafKind, mut at: Position, remaining: Option<u64>, offset: u64) -> Self {
        if let LeafKind::Cycle { n } = kind {
            // A cycle only needs its phase, which never wraps.
            at.pos %= n;
        }
        Leaf {
            kind,
            at,
            remaining,
            offset,
            words: None,
            produced: 0,
        }
    }

    /// One past the last flat-pool index this leaf can produce.
    pub fn pool_end(&self) -> u64 {
        self.offset + self.kind.pool_len()
    }

    /// The same leaf with an op budget.
    pub fn with_remaining(mut self, remaining: Option<u64>) -> Self {
        self.remaining = remaining;
        self
    }

    pub fn position(&self) -> Position {
        self.at
    }

    pub fn remaining(&self) -> Option<u64> {
        self.remaining
    }

    #[inline]
    pub(crate) fn exhausted(&self) -> bool {
        self.remaining == Some(0)
    }

    /// True when the leaf holds a word cursor (copying it copies that too).
    pub(crate) fn has_words(&self) -> bool {
        self.words.is_some()
    }

    /// Work units for the word cursor its next op makes, if it has none
    /// yet (cycles draw no words): see [`crate::work::FRESH_WORDS`].
    #[inline]
    fn fresh_words_cost(&self) -> u64 {
        if self.words.is_none() && !matches!(self.kind, LeafKind::Cycle { .. }) {
            crate::work::FRESH_WORDS
        } else {
            0
        }
    }

    /// Skips up to `n` ops without producing them (O(1): op `i` depends on
    /// `i` alone); returns how many.
    pub(crate) fn skip(&mut self, n: u64) -> u64 {
        let k = self.remaining.map_or(n, |r| r.min(n));
        if k > 0 {
            self.advance(k);
            self.words = None;
        }
        k
    }

    fn budget(&self, max: usize) -> usize {
        match self.remaining {
            Some(r) => (max as u64).min(r) as usize,
            None => max,
        }
    }

    /// The kind, and the word cursor at the current op.
    fn kind_and_words(&mut self) -> (&LeafKind, &mut Words) {
        let per_op = self.kind.words_per_op();
        let Leaf {
            kind, at, words, ..
        } = self;
        let at = *at;
        (kind, words.get_or_insert_with(|| at.words(per_op)))
    }

    fn words(&mut self) -> &mut Words {
        self.kind_and_words().1
    }

    /// Appends up to `max` pool indices (pick kinds only); returns how many.
    pub fn fill(&mut self, out: &mut Vec<u64>, max: usize) -> usize {
        let k = self.budget(max);
        let first = match self.kind {
            LeafKind::Cycle { .. } => k,
            _ => before_wrap(self.at.pos, k),
        };
        self.fill_segment(out, first);
        if first < k {
            self.fill_segment(out, k - first);
        }
        k
    }

    fn fill_segment(&mut self, out: &mut Vec<u64>, k: usize) {
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
                let words = self.words();
                words.extend_mapped(out, k, |w| offset + bounded(w, n));
            }
            LeafKind::Weighted(table) => {
                let table = Arc::clone(table);
                let words = self.words();
                words.extend_mapped(out, k, |w| offset + table.pick(w));
            }
            // Workloads picking from their op table.
            kind if kind.is_pick() => {
                let pos = self.at.pos;
                let (kind, words) = self.kind_and_words();
                out.extend((0..k as u64).map(|s| offset + kind.pick(pos.wrapping_add(s), words)));
            }
            _ => unreachable!("fill() on a value leaf; the batch checks is_pick_only"),
        }
        self.advance(k as u64);
    }

    /// One op of a pick kind (what a mix asks a leaf for): its pool index
    /// appended, or nothing (0) when the leaf is exhausted. The same as
    /// `fill_within(out, 1, work)`, without the block bookkeeping.
    #[inline]
    fn pick_one(&mut self, out: &mut Vec<u64>, work: &mut Work) -> usize {
        if self.remaining == Some(0) {
            work.spend(1);
            return 0;
        }
        work.spend(2 + self.fresh_words_cost());
        let pos = self.at.pos;
        let index = if let LeafKind::Cycle { .. } = self.kind {
            // A cycle's position is its phase, below n; it draws no words.
            pos
        } else {
            let (kind, words) = self.kind_and_words();
            kind.pick(pos, words)
        };
        out.push(self.offset + index);
        self.advance(1);
        1
    }

    /// One op as tokens (what a mix asks a leaf for), or nothing (0) when
    /// the leaf is exhausted: the same ops and work as
    /// `fill_tokens_within(out, 1, work)`, without the block bookkeeping.
    #[inline]
    fn tokens_one(&mut self, out: &mut Vec<Tok>, work: &mut Work) -> usize {
        work.spend(1);
        if self.remaining == Some(0) {
            return 0;
        }
        work.spend(self.fresh_words_cost());
        let before = out.len();
        self.tokens_segment(out, 1);
        work.spend(self.kind.words_per_op() + 1 + 2 * (out.len() - before) as u64);
        1
    }

    /// [`Leaf::fill`] within `work` (one unit per op): fewer ops when the
    /// budget runs out, but at least one when the leaf has any.
    pub(crate) fn fill_within(&mut self, out: &mut Vec<u64>, max: usize, work: &mut Work) -> usize {
        work.spend(self.fresh_words_cost());
        let n = self.fill(out, work.affordable(max, 1));
        work.spend(n as u64 + 1);
        n
    }

    /// [`Leaf::fill_tokens`] within `work` (units: the words drawn and the
    /// tokens written): ops are made a block at a time (one at a time for
    /// kinds with many words per op) until the budget runs out, at least one.
    pub(crate) fn fill_tokens_within(
        &mut self,
        out: &mut Vec<Tok>,
        max: usize,
        work: &mut Work,
    ) -> usize {
        let per_op = self.kind.words_per_op() + 1;
        let block = if per_op > 8 { 1 } else { 64 };
        let mut n = 0;
        work.spend(1 + self.fresh_words_cost());
        while n < max && (n == 0 || !work.exhausted()) {
            let before = out.len();
            let got = self.fill_tokens(out, work.affordable((max - n).min(block), per_op));
            if got == 0 {
                break;
            }
            // A token costs about two units to write and to encode.
            work.spend(got as u64 * per_op + 2 * (out.len() - before) as u64);
            n += got;
        }
        n
    }

    /// Appends up to `max` ops as tokens; returns how many ops.
    pub fn fill_tokens(&mut self, out: &mut Vec<Tok>, max: usize) -> usize {
        let k = self.budget(max);
        let first = before_wrap(self.at.pos, k);
        self.tokens_segment(out, first);
        if first < k {
            self.tokens_segment(out, k - first);
        }
        k
    }

    #[inline]
    fn tokens_segment(&mut self, out: &mut Vec<Tok>, k: usize) {
        let per_op = self.kind.words_per_op();
        let Leaf {
            kind,
            at,
            offset,
            words,
            ..
        } = self;
        let words = words.get_or_insert_with(|| at.words(per_op));
        let at = *at;
        let retry = at.retry_word();
        for step in 0..k as u64 {
            kind.tokens(at.pos + step, *offset, words, &retry, out);
        }
        self.advance(k as u64);
    }

    fn advance(&mut self, k: u64) {
        self.produced += k;
        if let LeafKind::Cycle { n } = self.kind {
            // The phase stays below n; the common steps avoid a division.
            self.at.pos = match self.at.pos.checked_add(k) {
                Some(p) if p < n => p,
                Some(p) if p - n < n => p - n,
                _ => ((u128::from(self.at.pos) + u128::from(k)) % u128::from(n)) as u64,
            };
            self.remaining = self.remaining.map(|r| r - k);
            return;
        }
        let (pos, wrapped) = self.at.pos.overflowing_add(k);
        self.at.pos = pos;
        if wrapped {
            // Op 2^64 uses the words of op 0 again: reposition the cursor. A
            // counter's value is start + the true index · workers: move its
            // start on by 2^64 · workers.
            self.words = None;
            if let LeafKind::Counter { start, workers, .. } = &mut self.kind {
                *start += i128::from(*workers) << 64;
            }
        }
        if let Some(r) = self.remaining.as_mut() {
            *r -= k;
        }
    }
}

/// Which exhaustion ends a mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Until {
    /// Done as soon as any child is exhausted (the default).
    Any,
    /// Exhausted children are skipped; done when all are.
    All,
}

/// How a mix chooses the child of each op.
#[derive(Clone, Debug)]
pub enum Strategy {
    /// In list order from `next_child`, wrapping.
    RoundRobin,
    /// Each child to exhaustion in list order from `next_child` (concat).
    Concat,
    /// Child `pick(word)` of the mix's own stream, one word per op of the mix;
    /// under `Until::All` an exhausted pick moves to the next live child.
    Random { at: Position, picker: Picker },
}

/// The child choice of a random mix.
#[derive(Clone, Debug)]
pub enum Picker {
    Uniform,
    Weighted(Arc<AliasTable>),
}

/// A mix of children.
#[derive(Clone, Debug)]
pub struct Mix {
    pub(crate) children: Children,
    pub(crate) next_child: usize,
    pub(crate) remaining: Option<u64>,
    pub(crate) until: Until,
    pub(crate) strategy: Strategy,
    words: Option<Box<Words>>,
    /// A random mix's word for its current op, read but not yet used (asking
    /// a child that answers "done" must not move the mix on).
    peeked: Option<u64>,
    pub(crate) produced: u64,
    /// Mixes that skip exhausted children (`until: :all`, concat): a
    /// union-find over child indices (and `k`, a sentinel) whose root from `i`
    /// is the first live child at or after `i`, so exhausted children are
    /// passed over without being asked again (O(1) amortized). Exact: a child
    /// is marked when it is exhausted, checked when the mix is built and after
    /// every op or skip it serves. Empty for other mixes.
    next_live: Vec<u32>,
    /// Children not marked exhausted.
    live: usize,
    /// When set (the top mix of a call that records or tags), what it
    /// records as it serves. Boxed: few mixes ever record, and every node
    /// of a plan, a leaf too, is as large as the largest kind of node.
    pub(crate) recording: Option<Box<Recording>>,
}

/// What the top mix of a call records as it serves.
#[derive(Clone, Debug, Default)]
pub(crate) struct Recording {
    /// When asked, `next_child` after every op served, in order.
    pub(crate) trail: Option<Vec<usize>>,
    /// When asked, the child that served every op, in order.
    pub(crate) tags: Option<Vec<u32>>,
}

impl Mix {
    pub fn new(
        children: Vec<Node>,
        next_child: usize,
        remaining: Option<u64>,
        until: Until,
    ) -> Result<Self, EngineError> {
        Mix::with_strategy(children, next_child, remaining, until, Strategy::RoundRobin)
    }

    pub fn with_strategy(
        children: Vec<Node>,
        next_child: usize,
        remaining: Option<u64>,
        until: Until,
        strategy: Strategy,
    ) -> Result<Self, EngineError> {
        check_children(&children)?;
        if children.len() >= u32::MAX as usize {
            return Err(EngineError::BadParameter("too many children"));
        }
        if let Strategy::Random {
            picker: Picker::Weighted(table),
            ..
        } = &strategy
        {
            if table.len() != children.len() {
                return Err(EngineError::BadParameter("mix weights: one per child"));
            }
        }
        let next_child = next_child % children.len();
        let mut mix = Mix {
            children: Children::new(children),
            next_child,
            remaining,
            until,
            strategy,
            words: None,
            peeked: None,
            produced: 0,
            next_live: Vec::new(),
            live: 0,
            recording: None,
        };
        mix.track_all();
        Ok(mix)
    }

    /// True for mixes that pass over exhausted children.
    fn tracks(&self) -> bool {
        self.until == Until::All || matches!(self.strategy, Strategy::Concat)
    }

    /// Marks every exhausted child (O(children)); at construction and after
    /// skips that moved many children.
    pub(crate) fn track_all(&mut self) {
        if !self.tracks() {
            return;
        }
        let k = self.children.len();
        self.next_live = (0..=k as u32).collect();
        self.live = k;
        for c in 0..k {
            if self.children[c].exhausted() {
                self.next_live[c] = c as u32 + 1;
                self.live -= 1;
            }
        }
    }

    /// Marks child `c` if it is now exhausted (after it served or skipped).
    pub(crate) fn track(&mut self, c: usize) {
        if self.tracks() && self.next_live[c] == c as u32 && self.children[c].exhausted() {
            self.next_live[c] = c as u32 + 1;
            self.live -= 1;
        }
    }

    /// First live child at or after `i` (`k` when none), with path compression.
    pub(crate) fn find(&mut self, i: usize, work: &mut Work) -> usize {
        let mut root = i;
        while self.next_live[root] as usize != root {
            root = self.next_live[root] as usize;
            work.spend(1);
        }
        let mut j = i;
        while j != root {
            let up = self.next_live[j] as usize;
            self.next_live[j] = root as u32;
            j = up;
        }
        root
    }

    /// [`Mix::find`] without compressing (for `&self` questions).
    fn find_ro(&self, mut i: usize) -> usize {
        while self.next_live[i] as usize != i {
            i = self.next_live[i] as usize;
        }
        i
    }

    pub fn next_child(&self) -> usize {
        self.next_child
    }

    /// The same mix with an op budget.
    pub fn with_remaining(mut self, remaining: Option<u64>) -> Self {
        self.remaining = remaining;
        self
    }

    /// True when the next pull answers "done". Pull-based: a round-robin or
    /// random mix `until: :any` is done when the child it would ask next is
    /// exhausted; `until: :all` when every child is; a concat when every child
    /// from the current phase on is.
    pub(crate) fn exhausted(&self) -> bool {
        if self.remaining == Some(0) {
            return true;
        }
        match (&self.strategy, self.until) {
            (Strategy::Concat, _) => self.find_ro(self.next_child) == self.children.len(),
            (Strategy::RoundRobin, Until::Any) => self.children[self.next_child].exhausted(),
            (Strategy::Random { .. }, Until::Any) => {
                self.children[self.pick_of(self.current_word())].exhausted()
            }
            (_, Until::All) => self.live == 0,
        }
    }

    /// First live child at or after `from` (wrapping when `wrap`); `None`
    /// when there is none.
    fn live_from(&mut self, from: usize, wrap: bool, work: &mut Work) -> Option<usize> {
        let k = self.children.len();
        if self.live == 0 {
            return None;
        }
        let c = self.find(from, work);
        if c < k {
            return Some(c);
        }
        let c = self.find(0, work);
        (wrap && c < k).then_some(c)
    }

    /// The word of a random mix's current op, computed without moving it.
    fn current_word(&self) -> u64 {
        match (&self.strategy, self.peeked) {
            (_, Some(w)) => w,
            (Strategy::Random { at, .. }, None) => Words::word_at(at.seed, at.stream, at.pos),
            _ => 0,
        }
    }

    fn pick_of(&self, w: u64) -> usize {
        match &self.strategy {
            Strategy::Random {
                picker: Picker::Weighted(table),
                ..
            } => table.pick(w) as usize,
            _ => bounded(w, self.children.len() as u64) as usize,
        }
    }

    /// The word of a random mix's current op, read from its stream (kept as
    /// `peeked` until the op is made).
    fn peek_word(&mut self) -> u64 {
        if let Some(w) = self.peeked {
            return w;
        }
        let Strategy::Random { at, .. } = &self.strategy else {
            return 0;
        };
        let at = *at;
        let words = self
            .words
            .get_or_insert_with(|| Box::new(Words::new(at.seed, at.stream, at.pos)));
        let w = words.next_word();
        self.peeked = Some(w);
        w
    }

    /// Up to `max` ops, each written by `one(child, work)` (which returns 1,
    /// or 0 when that child is exhausted) for the child the strategy picks;
    /// returns how many. Stops early once `work` is spent, after at least one
    /// op (a nested mix asked for one op always makes it, if it has one).
    pub(crate) fn serve<F>(&mut self, max: usize, work: &mut Work, mut one: F) -> usize
    where
        F: FnMut(&mut Node, &mut Work) -> usize,
    {
        let mut n = 0;
        while n < max && (n == 0 || !work.exhausted()) {
            let Some(served) = self.serve_one(work, &mut one) else {
                break;
            };
            if let Some(recording) = self.recording.as_mut() {
                if let Some(trail) = recording.trail.as_mut() {
                    trail.push(self.next_child);
                }
                if let Some(tags) = recording.tags.as_mut() {
                    tags.push(served as u32);
                }
            }
            n += 1;
        }
        n
    }

    /// One op from the child the strategy picks, with the mix's state moved
    /// past it: the child that served it, or `None` (and no change) once the
    /// mix answers "done". Exhaustion is found by asking: a child that has
    /// no op writes nothing.
    fn serve_one<F>(&mut self, work: &mut Work, one: &mut F) -> Option<usize>
    where
        F: FnMut(&mut Node, &mut Work) -> usize,
    {
        if self.remaining == Some(0) {
            return None;
        }
        work.spend(1);
        let k = self.children.len();
        let served = match (&self.strategy, self.until) {
            (Strategy::RoundRobin, Until::Any) => {
                let c = self.next_child;
                if one(self.children.get_mut(c, work), work) == 0 {
                    return None;
                }
                self.next_child = if c + 1 == k { 0 } else { c + 1 };
                c
            }
            (Strategy::RoundRobin, Until::All) => {
                let c = self.serve_live(self.next_child, true, work, one)?;
                self.next_child = if c + 1 == k { 0 } else { c + 1 };
                c
            }
            (Strategy::Concat, _) => {
                let c = self.serve_live(self.next_child, false, work, one)?;
                self.next_child = c;
                c
            }
            (Strategy::Random { .. }, until) => {
                let w = self.peek_word();
                let pick = self.pick_of(w);
                let c = match until {
                    Until::Any => {
                        if one(self.children.get_mut(pick, work), work) == 0 {
                            return None;
                        }
                        pick
                    }
                    Until::All => self.serve_live(pick, true, work, one)?,
                };
                self.peeked = None;
                if let Strategy::Random { at, .. } = &mut self.strategy {
                    at.pos = at.pos.wrapping_add(1);
                    if at.pos == 0 {
                        self.words = None; // the mix's op 2^64 reuses word 0
                    }
                }
                c
            }
        };
        if let Some(r) = self.remaining.as_mut() {
            *r -= 1;
        }
        self.produced += 1;
        Some(served)
    }

    /// One op from the first live child at or after `from` (wrapping when
    /// `wrap`); the child that served, or `None` when every candidate is done.
    fn serve_live<F>(
        &mut self,
        from: usize,
        wrap: bool,
        work: &mut Work,
        one: &mut F,
    ) -> Option<usize>
    where
        F: FnMut(&mut Node, &mut Work) -> usize,
    {
        // Finding the live child and keeping the marks: about three units.
        work.spend(2);
        loop {
            let c = self.live_from(from, wrap, work)?;
            let got = one(self.children.get_mut(c, work), work);
            // Marks c once it is done (the marks stay exact).
            self.track(c);
            if got > 0 {
                return Some(c);
            }
            if self.next_live[c] == c as u32 {
                // Answered "done" without looking exhausted: cannot happen
                // for engine nodes; mark it so the loop ends.
                self.next_live[c] = c as u32 + 1;
                self.live -= 1;
            }
        }
    }
    /// True for `strategy: :random` mixes.
    pub(crate) fn is_random(&self) -> bool {
        matches!(self.strategy, Strategy::Random { .. })
    }
}

/// Tuples of one op from each child; done when any child is done.
#[derive(Clone, Debug)]
pub struct Zip {
    pub(crate) children: Vec<Node>,
    pub(crate) remaining: Option<u64>,
    pub(crate) produced: u64,
}

impl Zip {
    pub fn new(children: Vec<Node>, remaining: Option<u64>) -> Result<Self, EngineError> {
        check_children(&children)?;
        Ok(Zip {
            children,
            remaining,
            produced: 0,
        })
    }

    pub(crate) fn exhausted(&self) -> bool {
        self.remaining == Some(0) || self.children.iter().any(Node::exhausted)
    }

    /// The same zip with an op budget.
    pub fn with_remaining(mut self, remaining: Option<u64>) -> Self {
        self.remaining = remaining;
        self
    }

    /// Counts one op (made by the caller from one op of each child).
    pub(crate) fn count_one(&mut self) {
        if let Some(r) = self.remaining.as_mut() {
            *r -= 1;
        }
        self.produced += 1;
    }
}

pub(crate) fn check_children(children: &[Node]) -> Result<(), EngineError> {
    if children.is_empty() {
        return Err(EngineError::EmptyMix);
    }
    if children.iter().map(Node::depth).max().unwrap_or(0) >= MAX_DEPTH {
        return Err(EngineError::TooDeep);
    }
    Ok(())
}

/// A generator's plan.
#[derive(Clone, Debug)]
pub enum Node {
    Leaf(Leaf),
    Mix(Mix),
    Zip(Zip),
    Independent(Independent),
    /// A combinator of its own file (see [`crate::composite`]).
    Composite(Composite),
}

impl Node {
    /// True when the next op would be `None`.
    #[inline]
    pub fn exhausted(&self) -> bool {
        match self {
            Node::Leaf(leaf) => leaf.exhausted(),
            node => node.composite_exhausted(),
        }
    }

    /// [`Node::exhausted`] of any node but a leaf. Out of line: a mix asks
    /// it of a child after every op it serves (`until: :all`, concats), and
    /// most children are leaves, whose answer is one comparison.
    #[inline(never)]
    fn composite_exhausted(&self) -> bool {
        match self {
            Node::Leaf(leaf) => leaf.exhausted(),
            Node::Mix(mix) => mix.exhausted(),
            Node::Zip(zip) => zip.exhausted(),
            Node::Independent(ind) => ind.exhausted(),
            Node::Composite(c) => c.exhausted(),
        }
    }

    /// True when every op is a single pool pick (the fast path applies).
    pub fn is_pick_only(&self) -> bool {
        match self {
            Node::Leaf(leaf) => leaf.kind.is_pick(),
            Node::Mix(mix) => mix.children.iter().all(Node::is_pick_only),
            Node::Zip(_) | Node::Independent(_) | Node::Composite(_) => false,
        }
    }

    /// The next op's flat-pool index (pick-only plans), or `None` once exhausted.
    pub fn next_op(&mut self) -> Option<u64> {
        let mut one = Vec::with_capacity(1);
        (self.fill(&mut one, 1) == 1).then(|| one[0])
    }

    /// Appends up to `max` pool indices (pick-only plans; fewer only when
    /// exhausted); returns how many.
    pub fn fill(&mut self, out: &mut Vec<u64>, max: usize) -> usize {
        self.fill_within(out, max, &mut Work::unlimited())
    }

    /// [`Node::fill`] within a `work` budget: fewer ops once it is spent
    /// (never none while the plan has ops), so a call's work is bounded
    /// whatever one op costs. The ops are the same, however they are split.
    pub fn fill_within(&mut self, out: &mut Vec<u64>, max: usize, work: &mut Work) -> usize {
        match self {
            Node::Leaf(leaf) => leaf.fill_within(out, max, work),
            Node::Mix(mix) => mix.serve(max, work, |child, work| match child {
                Node::Leaf(leaf) => leaf.pick_one(out, work),
                child => child.fill_within(out, 1, work),
            }),
            Node::Zip(_) | Node::Independent(_) | Node::Composite(_) => {
                unreachable!("fill() on a zip, keys or combinator; the batch checks is_pick_only")
            }
        }
    }

    /// Appends up to `max` ops as tokens (fewer only when exhausted); returns
    /// how many ops.
    pub fn fill_tokens(&mut self, out: &mut Vec<Tok>, max: usize) -> usize {
        self.fill_tokens_within(out, max, &mut Work::unlimited())
    }

    /// [`Node::fill_tokens`] within a `work` budget (see [`Node::fill_within`]).
    pub fn fill_tokens_within(&mut self, out: &mut Vec<Tok>, max: usize, work: &mut Work) -> usize {
        match self {
            Node::Leaf(leaf) => leaf.fill_tokens_within(out, max, work),
            Node::Mix(mix) => mix.serve(max, work, |child, work| match child {
                Node::Leaf(leaf) => leaf.tokens_one(out, work),
                child => child.fill_tokens_within(out, 1, work),
            }),
            Node::Zip(zip) => {
                let mut n = 0;
                while n < max && (n == 0 || !work.exhausted()) && !zip.exhausted() {
                    out.push(Tok::Tuple(zip.children.len() as u32));
                    work.spend(1 + zip.children.len() as u64);
                    for child in &mut zip.children {
                        child.fill_tokens_within(out, 1, work);
                    }
                    zip.count_one();
                    n += 1;
                }
                n
            }
            Node::Independent(ind) => ind.fill_tokens_within(out, max, work),
            Node::Composite(c) => c.fill_tokens_within(out, max, work),
        }
    }

    /// One past the largest flat-pool index the plan can produce.
    pub fn pool_end(&self) -> u64 {
        match self {
            Node::Leaf(leaf) => leaf.pool_end(),
            Node::Independent(ind) => ind.pool_end(),
            _ => self.children().map(Node::pool_end).max().unwrap_or(0),
        }
    }

    /// The plan with `f` applied to every seeded position (leaves and random
    /// mixes), e.g. to move it to a forked stream.
    pub fn map_positions(self, f: &mut impl FnMut(Position) -> Position) -> Node {
        match self {
            Node::Leaf(mut leaf) => {
                leaf.at = f(leaf.at);
                leaf.words = None;
                Node::Leaf(leaf)
            }
            Node::Mix(mut mix) => {
                if let Strategy::Random { at, .. } = &mut mix.strategy {
                    *at = f(*at);
                    mix.words = None;
                }
                mix.children = Children::new(
                    mix.children
                        .into_vec()
                        .into_iter()
                        .map(|c| c.map_positions(f))
                        .collect(),
                );
                Node::Mix(mix)
            }
            Node::Zip(mut zip) => {
                zip.children = zip
                    .children
                    .into_iter()
                    .map(|c| c.map_positions(f))
                    .collect();
                Node::Zip(zip)
            }
            // Its keys fork the template's positions themselves.
            Node::Independent(ind) => Node::Independent(ind),
            Node::Composite(c) => Node::Composite(c.map_positions(f)),
        }
    }

    pub(crate) fn children(&self) -> Either<std::slice::Iter<'_, Node>, children::Iter<'_>> {
        match self {
            Node::Leaf(_) | Node::Independent(_) => Either::A([].iter()),
            Node::Mix(mix) => mix.children.iter(),
            Node::Zip(zip) => Either::A(zip.children.iter()),
            Node::Composite(c) => Either::A(c.children.iter()),
        }
    }

    /// One past each leaf's last flat-pool index, leaves in depth-first
    /// order (the order of the pools the caller passes).
    pub fn leaf_ends(&self, out: &mut Vec<u64>) {
        match self {
            Node::Leaf(leaf) => out.push(leaf.pool_end()),
            Node::Independent(ind) => ind.leaf_ends(out),
            _ => self.children().for_each(|c| c.leaf_ends(out)),
        }
    }

    /// Number of nodes in the plan.
    pub fn nodes(&self) -> u64 {
        if let Node::Independent(ind) = self {
            return 1 + ind.template().nodes();
        }
        1 + self.children().map(Node::nodes).sum::<u64>()
    }

    /// Nesting depth: 0 for a leaf.
    pub fn depth(&self) -> usize {
        match self {
            Node::Leaf(_) => 0,
            Node::Independent(ind) => 1 + ind.template().depth(),
            _ => 1 + self.children().map(Node::depth).max().unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::test_at as at;

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

    fn drain_tokens(node: &mut Node) -> Vec<Tok> {
        let mut out = Vec::new();
        while node.fill_tokens(&mut out, 3) > 0 {}
        out
    }

    #[test]
    fn a_leafs_one_token_op_is_its_block_fill_of_one() {
        // What a mix asks a leaf for (tokens_one) against the leaf's own
        // fill of one op: the same tokens and the same work, fresh, past a
        // first op and once exhausted, for kinds of one and of many words.
        let kinds = [
            LeafKind::random(3).unwrap(),
            LeafKind::cycle(3).unwrap(),
            LeafKind::integers(-5, 100).unwrap(),
            LeafKind::counter(7).unwrap(),
            LeafKind::transfer(10, 50).unwrap(),
            LeafKind::register(1, 5, [1, 2, 3]).unwrap(),
            LeafKind::bank(4, 9, [2, 1]).unwrap(),
        ];
        for kind in kinds {
            let leaf = Leaf::new(kind.clone(), at(11), Some(4), 6);
            let (mut one, mut block) = (leaf.clone(), leaf);
            for step in 0..6 {
                let (mut a, mut b) = (vec![Tok::Nil], vec![Tok::Nil]);
                let (mut wa, mut wb) = (Work::new(1000), Work::new(1000));
                let got = one.tokens_one(&mut a, &mut wa);
                assert_eq!(got, block.fill_tokens_within(&mut b, 1, &mut wb));
                assert_eq!(got, usize::from(step < 4), "{kind:?} op {step}");
                assert_eq!((a, wa.left()), (b, wb.left()), "{kind:?} op {step}");
            }
        }
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
        assert_eq!(leaf.position().pos, 0, "a cycle keeps its phase: 12 mod 3");
        assert_eq!(leaf.remaining(), Some(0));
    }

    #[test]
    fn mix_any_stops_when_a_child_is_exhausted() {
        let children = vec![cycle(2, Some(2), 0), cycle(3, None, 2)];
        let mut mix = Node::Mix(Mix::new(children, 0, None, Until::Any).unwrap());
        // Pull-based: the mix is done when the child whose turn it is (the
        // first, after its second op) answers "done"; the second child still
        // serves its turn.
        assert_eq!(drain(&mut mix), vec![0, 2, 1, 3]);
        assert!(mix.exhausted());
    }

    #[test]
    fn mix_all_skips_exhausted_children() {
        let children = vec![cycle(2, Some(1), 0), cycle(3, Some(3), 2)];
        let mut mix = Node::Mix(Mix::new(children, 1, None, Until::All).unwrap());
        assert_eq!(drain(&mut mix), vec![2, 0, 3, 4]);
    }

    #[test]
    fn mix_remaining_caps_the_mix() {
        let children = vec![cycle(1, None, 0), cycle(1, None, 1)];
        let mut mix = Node::Mix(Mix::new(children, 0, Some(3), Until::Any).unwrap());
        assert_eq!(drain(&mut mix), vec![0, 1, 0]);
    }

    #[test]
    fn concat_runs_each_child_to_exhaustion() {
        let children = vec![
            cycle(2, Some(3), 0),
            cycle(1, Some(2), 2),
            cycle(1, None, 3),
        ];
        let mix = Mix::with_strategy(children, 0, Some(7), Until::All, Strategy::Concat);
        assert_eq!(
            drain(&mut Node::Mix(mix.unwrap())),
            vec![0, 1, 0, 2, 2, 3, 3]
        );
    }

    #[test]
    fn random_mix_follows_its_weights_and_skips_dead_children_under_all() {
        let table = Arc::new(AliasTable::new(&[1, 0, 3]).unwrap());
        let strategy = Strategy::Random {
            at: at(5),
            picker: Picker::Weighted(table),
        };
        let children = vec![cycle(1, None, 0), cycle(1, None, 1), cycle(1, None, 2)];
        let mut mix = Node::Mix(
            Mix::with_strategy(children, 0, Some(4000), Until::Any, strategy.clone()).unwrap(),
        );
        let ops = drain(&mut mix);
        let count = |j| ops.iter().filter(|&&o| o == j).count();
        assert_eq!(count(1), 0);
        assert!((900..1100).contains(&count(0)), "{}", count(0));

        let children = vec![
            cycle(1, Some(2), 0),
            cycle(1, Some(0), 1),
            cycle(1, Some(5), 2),
        ];
        let mut mix =
            Node::Mix(Mix::with_strategy(children, 0, None, Until::All, strategy).unwrap());
        let mut ops = drain(&mut mix);
        ops.sort();
        assert_eq!(ops, vec![0, 0, 2, 2, 2, 2, 2]);
    }

    #[test]
    fn zip_makes_tuples_until_any_child_is_done() {
        let ints = Node::Leaf(Leaf::new(LeafKind::counter(10).unwrap(), at(0), None, 0));
        let mut zip = Node::Zip(Zip::new(vec![cycle(2, Some(2), 0), ints], None).unwrap());
        assert!(!zip.is_pick_only());
        assert_eq!(
            drain_tokens(&mut zip),
            vec![
                Tok::Tuple(2),
                Tok::Pick(0),
                Tok::Int(10),
                Tok::Tuple(2),
                Tok::Pick(1),
                Tok::Int(11)
            ]
        );
    }

    #[test]
    fn value_leaves_in_range_and_seekable() {
        let kinds = [
            LeafKind::integers(-5, 5).unwrap(),
            LeafKind::integers(i128::from(i64::MIN), i128::from(i64::MAX)).unwrap(),
            LeafKind::transfer(3, 10).unwrap(),
            LeafKind::ListAppend(
                ListAppend {
                    keys: 4,
                    max_len: 3,
                    read_weight: 1,
                    append_weight: 1,
                    key_zipf: Some(crate::zipf::Zipf::new(4, 1.0).unwrap()),
                    workers: 2,
                    worker: 1,
                    table: false,
                }
                .validate()
                .unwrap(),
            ),
        ];
        for kind in kinds {
            let mut all = Vec::new();
            let mut whole = Leaf::new(kind.clone(), at(3), Some(200), 0);
            whole.fill_tokens(&mut all, 200);
            // Op 150 computed from a leaf positioned there equals op 150 of the walk.
            let mut from_150 = Vec::new();
            let mut seek = Leaf::new(kind.clone(), Position { pos: 150, ..at(3) }, Some(50), 0);
            seek.fill_tokens(&mut from_150, 50);
            assert!(all.ends_with(&from_150), "{kind:?}");
            for t in &all {
                match (t, &kind) {
                    (Tok::Int(v), LeafKind::Integers { first, count }) => {
                        assert!(*v >= *first && *v < first + *count as i128)
                    }
                    (Tok::Pick(p), _) => assert!(*p < kind.pool_len()),
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn op_indices_wrap_at_2_pow_64() {
        let near = |pos, kind: LeafKind| Leaf::new(kind, Position { pos, ..at(4) }, Some(5), 0);
        let mut out = Vec::new();
        near(u64::MAX - 1, LeafKind::random(1000).unwrap()).fill(&mut out, 5);
        let mut from_zero = Vec::new();
        near(0, LeafKind::random(1000).unwrap()).fill(&mut from_zero, 3);
        assert_eq!(&out[2..], &from_zero[..]);
        let mut toks = Vec::new();
        near(u64::MAX, LeafKind::counter(0).unwrap()).fill_tokens(&mut toks, 3);
        let max = i128::from(u64::MAX);
        assert_eq!(
            toks,
            vec![Tok::Int(max), Tok::Int(max + 1), Tok::Int(max + 2)]
        );
    }

    #[test]
    fn transfers_never_move_money_to_the_same_account() {
        let mut leaf = Leaf::new(LeafKind::transfer(2, 3).unwrap(), at(1), Some(500), 0);
        let mut out = Vec::new();
        leaf.fill_tokens(&mut out, 500);
        for op in out.chunks(5) {
            assert_eq!(op[0], Tok::Tuple(4));
            assert_ne!(op[2], op[3]);
            assert!(matches!(op[4], Tok::Int(1..=3)));
        }
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
        assert!(LeafKind::integers(5, 4).is_err());
        assert!(LeafKind::integers(0, 1 << 64).is_err());
        assert!(LeafKind::integers(0, (1 << 64) - 1).is_ok());
        assert!(LeafKind::transfer(1, 5).is_err());
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
