//! Batches: many ops per call, in bounded chunks.
//!
//! A NIF call must stay far below a millisecond, so no call produces more than
//! [`MAX_CHUNK`] ops, and none spends more than [`CALL_WORK`] units of work
//! (children visited, words drawn, tokens written): a call whose ops are
//! expensive (deep nests, wide zips, long transactions, many exhausted
//! children) ends early with fewer ops, at least one. The chunk size never
//! changes the stream: a chunk is just the next ops of the plan.

use crate::error::EngineError;
use crate::plan::{Node, Recording, Tok};
use crate::work::Work;

/// Most ops one call produces.
pub const MAX_CHUNK: usize = 4096;

/// Work units one call may spend producing ops (see [`Work`]): 4096 ops of a
/// leaf or a flat mix fit; a unit is 5 to 10 ns, so a call stays well under
/// 1 ms (measured: 0.1 to 0.5 ms for every hostile shape: deep nests, wide
/// zips, long transactions, many or dead children, huge pools).
pub const CALL_WORK: u64 = 1 << 15;

/// Most tokens one call writes (past it, a call ends after the current op):
/// bounds the work of calls whose ops are large (long list-append
/// transactions, wide zips) whatever the op count asked for.
pub const MAX_TOKENS: usize = 1 << 16;

/// What a call records besides its ops, about the top mix: its
/// `next_child` after each op, and the child that served each op.
#[derive(Debug, Default)]
pub struct Record<'a> {
    pub next_childs: Option<&'a mut Vec<usize>>,
    pub tags: Option<&'a mut Vec<u32>>,
}

/// Up to `k` ops of a pick-only `node` as pool indices (see [`run_ops`]).
pub fn run_picks(node: &mut Node, k: usize, picks: &mut Vec<u64>, record: Record) -> usize {
    run_picks_within(node, k, picks, record, &mut Work::new(CALL_WORK))
}

/// [`run_picks`] within `work` (a call's [`CALL_WORK`], whose spent units
/// the caller then knows).
fn run_picks_within(
    node: &mut Node,
    k: usize,
    picks: &mut Vec<u64>,
    record: Record,
    work: &mut Work,
) -> usize {
    run_with(node, k, record, k.max(1), work, |node, m, work| {
        node.fill_within(picks, m, work)
    })
}

/// Up to `k` ops of `node` as tokens (fewer once done, or once the call's
/// [`CALL_WORK`] or the tokens' [`MAX_TOKENS`] are spent, but at least one
/// while the plan has ops), and what `record` asks for. Returns how many
/// ops.
pub fn run_ops(node: &mut Node, k: usize, toks: &mut Vec<Tok>, record: Record) -> usize {
    run_ops_within(node, k, toks, record, &mut Work::new(CALL_WORK))
}

/// [`run_ops`] within `work` (see [`run_picks_within`]).
fn run_ops_within(
    node: &mut Node,
    k: usize,
    toks: &mut Vec<Tok>,
    record: Record,
    work: &mut Work,
) -> usize {
    // Ops are made a few at a time between budget checks.
    run_with(node, k, record, 32, work, |node, m, work| {
        if toks.len() >= MAX_TOKENS {
            0
        } else {
            node.fill_tokens_within(toks, m, work)
        }
    })
}

/// Up to `k` ops by `fill(node, m, work)` calls of at most `block` ops,
/// within `work` (at least one op while the plan has ops);
/// stops when `fill` gives none. The top mix records what `record` asks
/// for as it serves (a `next_child` only when it has one: round-robin mixes
/// and concats).
fn run_with(
    node: &mut Node,
    k: usize,
    record: Record,
    block: usize,
    work: &mut Work,
    mut fill: impl FnMut(&mut Node, usize, &mut Work) -> usize,
) -> usize {
    let trail = record.next_childs.is_some() && node.top_next_child().is_some();
    if let Node::Mix(mix) = &mut *node {
        let trail = trail.then(|| Vec::with_capacity(k));
        let tags = record.tags.is_some().then(|| Vec::with_capacity(k));
        mix.recording =
            (trail.is_some() || tags.is_some()).then(|| Box::new(Recording { trail, tags }));
    }
    let mut n = 0;
    while n < k && (n == 0 || !work.exhausted()) {
        let got = fill(node, block.min(k - n), work);
        if got == 0 {
            break;
        }
        n += got;
    }
    if let Some(recording) = match node {
        Node::Mix(mix) => mix.recording.take(),
        _ => None,
    } {
        if let (Some(out), Some(trail)) = (record.next_childs, recording.trail) {
            append(out, trail);
        }
        if let (Some(out), Some(tags)) = (record.tags, recording.tags) {
            append(out, tags);
        }
    }
    n
}

/// `items` after `out`'s (taken over whole when `out` is empty: no copy).
fn append<T>(out: &mut Vec<T>, items: Vec<T>) {
    if out.is_empty() {
        *out = items;
    } else {
        out.extend(items);
    }
}

/// A plan being drained chunk by chunk, with its output buffers reused.
/// A clone is an independent batch at the same position.
#[derive(Clone, Debug)]
pub struct Batch {
    node: Node,
    pick_only: bool,
    picks: Vec<u64>,
    toks: Vec<Tok>,
    /// Ops produced since the plan was built.
    produced: u64,
    /// Work units the last chunk, refill or skip spent (what the NIF tells
    /// the VM the call cost).
    spent: u64,
}

impl Batch {
    /// A batch over `node`, whose flat-pool indices must lie below `pool_len`.
    pub fn new(node: Node, pool_len: u64) -> Result<Self, EngineError> {
        check_pool(&node, pool_len)?;
        Ok(Batch {
            pick_only: node.is_pick_only(),
            node,
            picks: Vec::new(),
            toks: Vec::new(),
            produced: 0,
            spent: 0,
        })
    }

    /// True when every op is a single pool index ([`Batch::next_chunk`]
    /// applies); otherwise ops come as tokens ([`Batch::next_tokens`]).
    pub fn is_pick_only(&self) -> bool {
        self.pick_only
    }

    /// The next `min(k, MAX_CHUNK)` ops of a pick-only plan as pool indices
    /// (fewer once the plan is exhausted or the call's [`CALL_WORK`] is
    /// spent; empty only once exhausted); empty for other plans.
    pub fn next_chunk(&mut self, k: usize) -> &[u64] {
        self.picks.clear();
        if self.pick_only {
            let mut work = Work::new(CALL_WORK);
            self.produced += self
                .node
                .fill_within(&mut self.picks, k.min(MAX_CHUNK), &mut work)
                as u64;
            self.spent = work.spent_of(CALL_WORK);
        }
        &self.picks
    }

    /// The next `min(k, MAX_CHUNK)` ops as [`Batch::picks`] (pick-only
    /// plans) or [`Batch::toks`], fewer as in [`run_ops`], and what
    /// `record` asks about the top (see [`Record`]). Returns how many ops.
    pub fn refill(&mut self, k: usize, record: Record) -> usize {
        let k = k.min(MAX_CHUNK);
        self.picks.clear();
        self.toks.clear();
        let mut work = Work::new(CALL_WORK);
        let n = if self.pick_only {
            run_picks_within(&mut self.node, k, &mut self.picks, record, &mut work)
        } else {
            run_ops_within(&mut self.node, k, &mut self.toks, record, &mut work)
        };
        self.produced += n as u64;
        self.spent = work.spent_of(CALL_WORK);
        n
    }

    /// Skips up to `n` ops within `work` (as [`Node::skip`]: fewer when the
    /// plan is done first or the budget runs out), counted as produced: a
    /// batch made from a plan and skipped `n` ops stands where one that
    /// produced those `n` ops stands. Returns how many were skipped.
    pub fn skip(&mut self, n: u64, work: &mut Work) -> u64 {
        let before = work.left();
        let k = self.node.skip(n, work);
        self.produced += k;
        self.spent = before - work.left();
        k
    }

    /// Work units (see [`Work`]) the last [`Batch::next_chunk`],
    /// [`Batch::refill`], [`Batch::next_tokens`] or [`Batch::skip`] spent.
    pub fn spent(&self) -> u64 {
        self.spent
    }

    /// The pool indices of the last [`Batch::refill`] of a pick-only plan.
    pub fn picks(&self) -> &[u64] {
        &self.picks
    }

    /// The tokens of the last [`Batch::refill`] of another plan.
    pub fn toks(&self) -> &[Tok] {
        &self.toks
    }

    /// Ops produced since the plan was built.
    pub fn produced(&self) -> u64 {
        self.produced
    }

    /// True when the top node has a `next_child` (a round-robin mix or a
    /// concat), which [`Batch::refill`] can record.
    pub fn has_next_child(&self) -> bool {
        self.node.top_next_child().is_some()
    }

    /// True when the top node is a mix (of any strategy) or a concat, whose
    /// serving child [`Batch::refill`] can record as a tag.
    pub fn has_tags(&self) -> bool {
        matches!(self.node, Node::Mix(_))
    }

    /// The next `min(k, MAX_CHUNK)` ops as tokens (fewer as in [`run_ops`]),
    /// and how many ops they are.
    pub fn next_tokens(&mut self, k: usize) -> (usize, &[Tok]) {
        self.toks.clear();
        let mut work = Work::new(CALL_WORK);
        let n = run_ops_within(
            &mut self.node,
            k.min(MAX_CHUNK),
            &mut self.toks,
            Record::default(),
            &mut work,
        );
        self.produced += n as u64;
        self.spent = work.spent_of(CALL_WORK);
        (n, &self.toks)
    }

    /// One past each leaf's last flat-pool index, in depth-first order.
    pub fn leaf_ends(&self) -> Vec<u64> {
        let mut ends = Vec::new();
        self.node.leaf_ends(&mut ends);
        ends
    }

    pub fn is_exhausted(&self) -> bool {
        self.node.exhausted()
    }
}

/// Checks that every index `node` can produce lies below `pool_len`.
pub fn check_pool(node: &Node, pool_len: u64) -> Result<(), EngineError> {
    let needed = node.pool_end();
    if needed > pool_len {
        return Err(EngineError::PoolMismatch {
            needed,
            pool: pool_len,
        });
    }
    Ok(())
}

/// The next `min(k, MAX_CHUNK)` ops of `node` as a fresh vector.
pub fn chunk(node: &mut Node, k: usize) -> Vec<u64> {
    let k = k.min(MAX_CHUNK);
    let mut out = Vec::with_capacity(k);
    node.fill(&mut out, k);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Leaf, LeafKind, Mix, Position, Strategy, Until};
    use crate::seed::Seed;

    /// A leaf of `kind` (seed 7, stream 0, op 0) with an op budget.
    fn leaf(kind: LeafKind, remaining: Option<u64>) -> Node {
        let at = Position {
            seed: Seed::from_u64(7),
            stream: 0,
            pos: 0,
        };
        Node::Leaf(Leaf::new(kind, at, remaining, 0))
    }

    fn random(n: u64, remaining: Option<u64>) -> Node {
        leaf(LeafKind::random(n).unwrap(), remaining)
    }

    fn cycle(n: u64, remaining: Option<u64>) -> Node {
        leaf(LeafKind::cycle(n).unwrap(), remaining)
    }

    /// Ops each child of a mix produced so far.
    fn child_counts(node: &Node) -> Vec<u64> {
        match node {
            Node::Mix(mix) => mix.children.iter().map(Node::produced).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn recorded_next_childs_and_tags_equal_stepping() {
        let mixes = || {
            let kids = || vec![random(3, Some(40)), cycle(2, Some(25)), random(5, None)];
            let at = Position {
                seed: Seed::from_u64(3),
                stream: 1,
                pos: 0,
            };
            let random_mix = |until| {
                let picker = crate::plan::Picker::Uniform;
                let strategy = Strategy::Random { at, picker };
                Mix::with_strategy(kids(), 0, Some(200), until, strategy).unwrap()
            };
            vec![
                Mix::new(kids(), 1, Some(200), Until::Any).unwrap(),
                Mix::new(kids(), 2, Some(200), Until::All).unwrap(),
                Mix::with_strategy(kids(), 0, Some(200), Until::All, Strategy::Concat).unwrap(),
                random_mix(Until::Any),
                random_mix(Until::All),
            ]
        };
        for (a, b) in mixes().into_iter().zip(mixes()) {
            let (mut whole, mut stepped) = (Node::Mix(a), Node::Mix(b));
            let has_next_child = whole.top_next_child().is_some();
            let (mut ops, mut ncs, mut tags) = (Vec::new(), Vec::new(), Vec::new());
            let record = Record {
                next_childs: Some(&mut ncs),
                tags: Some(&mut tags),
            };
            let n = run_ops(&mut whole, 150, &mut ops, record);
            assert!(n > 20);
            assert_eq!(tags.len(), n);
            assert_eq!(ncs.len(), if has_next_child { n } else { 0 });
            let (mut one_ops, mut one_ncs, mut one_tags) = (Vec::new(), Vec::new(), Vec::new());
            for _ in 0..n {
                let before = child_counts(&stepped);
                assert_eq!(run_ops(&mut stepped, 1, &mut one_ops, Record::default()), 1);
                one_ncs.extend(stepped.top_next_child());
                // The child that served: the one whose count moved.
                let after = child_counts(&stepped);
                let served = (0..after.len()).find(|&c| after[c] != before[c]).unwrap();
                one_tags.push(served as u32);
            }
            assert_eq!((ops, ncs, tags), (one_ops, one_ncs, one_tags));
        }
    }

    #[test]
    fn refills_in_any_sizes_equal_one_run() {
        // A round-robin mix (a next_child to record) and a mix with a value
        // leaf (tokens rather than picks).
        let plans = || {
            let kids = || vec![random(3, Some(40)), cycle(2, Some(25)), random(5, None)];
            let values = vec![
                random(3, None),
                leaf(LeafKind::integers(1, 9).unwrap(), None),
            ];
            vec![
                Mix::new(kids(), 1, Some(300), Until::All).unwrap(),
                Mix::new(values, 0, Some(300), Until::Any).unwrap(),
            ]
        };
        for (a, b) in plans().into_iter().zip(plans()) {
            let mut whole = Node::Mix(a);
            let (mut picks, mut toks, mut ncs, mut tags) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            let rec = Record {
                next_childs: Some(&mut ncs),
                tags: Some(&mut tags),
            };
            let n = if whole.is_pick_only() {
                run_picks(&mut whole, 300, &mut picks, rec)
            } else {
                run_ops(&mut whole, 300, &mut toks, rec)
            };
            let mut batch = Batch::new(Node::Mix(b), 100).unwrap();
            let (mut got_picks, mut got_toks) = (Vec::new(), Vec::new());
            let (mut got_ncs, mut got_tags) = (Vec::new(), Vec::new());
            for k in [1, 2, 7, 64, 1000].iter().cycle() {
                let record = Record {
                    next_childs: Some(&mut got_ncs),
                    tags: Some(&mut got_tags),
                };
                let m = batch.refill(*k, record);
                if m == 0 {
                    break;
                }
                assert!(m <= *k);
                got_picks.extend_from_slice(batch.picks());
                got_toks.extend_from_slice(batch.toks());
            }
            assert_eq!(batch.produced(), n as u64);
            assert!(batch.has_next_child() && batch.has_tags());
            assert_eq!(tags.len(), n);
            assert_eq!(
                (got_picks, got_toks, got_ncs, got_tags),
                (picks, toks, ncs, tags)
            );
        }
    }

    #[test]
    fn a_skipped_batch_continues_as_one_that_produced_the_ops() {
        // Countable (round-robin: skipped arithmetically) and not (a random
        // mix: skipped by stepping), picks and tokens.
        let plans = || {
            let kids = || vec![random(3, Some(40)), cycle(2, Some(25)), random(5, None)];
            let at = Position {
                seed: Seed::from_u64(3),
                stream: 1,
                pos: 0,
            };
            let strategy = Strategy::Random {
                at,
                picker: crate::plan::Picker::Uniform,
            };
            let values = vec![
                random(3, None),
                leaf(LeafKind::integers(1, 9).unwrap(), None),
            ];
            vec![
                Mix::new(kids(), 1, Some(300), Until::All).unwrap(),
                Mix::with_strategy(kids(), 0, Some(300), Until::All, strategy).unwrap(),
                Mix::new(values, 0, Some(300), Until::Any).unwrap(),
            ]
        };
        let ops = |batch: &mut Batch, k| {
            batch.refill(k, Record::default());
            (batch.picks().to_vec(), batch.toks().to_vec())
        };
        for (a, b) in plans().into_iter().zip(plans()) {
            let mut made = Batch::new(Node::Mix(a), 100).unwrap();
            ops(&mut made, 70);
            let expected = ops(&mut made, 50);
            let mut skipped = Batch::new(Node::Mix(b), 100).unwrap();
            // A budget that runs out on the way: skips resume.
            let mut left = 70;
            while left > 0 {
                let k = skipped.skip(left, &mut Work::new(8));
                assert!(k > 0);
                left -= k;
            }
            assert_eq!(skipped.produced(), 70);
            assert_eq!(ops(&mut skipped, 50), expected);
            assert_eq!(skipped.produced(), made.produced());
        }
    }

    #[test]
    fn chunk_size_never_changes_the_stream() {
        let mut reference = random(10, Some(5000));
        let expected = chunk(&mut reference, 5000)
            .into_iter()
            .chain(chunk(&mut reference, 5000))
            .collect::<Vec<_>>();
        assert_eq!(expected.len(), 5000);
        for k in [1, 2, 3, 7, 64, 1000, 4096, 10_000] {
            let mut batch = Batch::new(random(10, Some(5000)), 10).unwrap();
            let mut got = Vec::new();
            loop {
                let c = batch.next_chunk(k);
                if c.is_empty() {
                    break;
                }
                assert!(c.len() <= MAX_CHUNK);
                got.extend_from_slice(c);
            }
            assert_eq!(got, expected, "chunk size {k}");
            assert!(batch.is_exhausted());
        }
    }

    #[test]
    fn tokens_and_indices_agree_on_pick_plans() {
        let mut a = Batch::new(random(10, Some(300)), 10).unwrap();
        let mut b = Batch::new(random(10, Some(300)), 10).unwrap();
        assert!(a.is_pick_only());
        let picks = a.next_chunk(300).to_vec();
        let (n, toks) = b.next_tokens(300);
        assert_eq!(n, 300);
        assert_eq!(
            toks.iter()
                .map(|t| match t {
                    Tok::Pick(p) => *p,
                    _ => u64::MAX,
                })
                .collect::<Vec<_>>(),
            picks
        );
    }

    /// Hostile shapes (deep nests, wide zips, long transactions, many or dead
    /// children, huge pools), each with a reference copy.
    fn hostile() -> Vec<(&'static str, Node)> {
        use crate::plan::{Mix, Strategy, Until, Zip};
        let mix = |cs, until, strategy| {
            Node::Mix(Mix::with_strategy(cs, 0, None, until, strategy).unwrap())
        };
        let nest = |strategy: Strategy| {
            (0..63).fold(random(10, None), |g, _| {
                mix(vec![g, cycle(1, Some(2))], Until::All, strategy.clone())
            })
        };
        let random_at = Position {
            seed: Seed::from_u64(3),
            stream: 0,
            pos: 0,
        };
        let counters = (0..1000)
            .map(|i| Node::Leaf(Leaf::new(LeafKind::counter(i).unwrap(), random_at, None, 0)))
            .collect();
        let mut dead: Vec<Node> = (0..20_000).map(|_| cycle(1, Some(0))).collect();
        dead.push(cycle(1, Some(50_000)));
        dead.insert(7_000, cycle(1, Some(3)));
        vec![
            ("mix nested 63", nest(Strategy::RoundRobin)),
            ("concat nested 63", nest(Strategy::Concat)),
            (
                "zip of 1000 counters",
                Node::Zip(Zip::new(counters, Some(300)).unwrap()),
            ),
            (
                "20000 dead children",
                mix(dead.clone(), Until::All, Strategy::RoundRobin),
            ),
            (
                "20000 dead children, random",
                mix(
                    dead,
                    Until::All,
                    Strategy::Random {
                        at: random_at,
                        picker: crate::plan::Picker::Uniform,
                    },
                ),
            ),
        ]
    }

    #[test]
    fn work_bounded_chunks_equal_the_whole_stream() {
        for (name, node) in hostile() {
            let mut whole = node.clone();
            let mut expected = Vec::new();
            whole.fill_tokens(&mut expected, 60_000);
            let mut batch = Batch::new(node, 1 << 40).unwrap();
            let mut got = Vec::new();
            let mut calls = 0;
            loop {
                let (n, toks) = batch.next_tokens(MAX_CHUNK);
                if n == 0 {
                    break;
                }
                got.extend_from_slice(toks);
                calls += 1;
                if got.len() >= expected.len() {
                    break;
                }
            }
            got.truncate(expected.len());
            assert_eq!(got, expected, "{name}");
            assert!(calls > 1, "{name}: one call did it all");
        }
    }

    #[test]
    fn until_all_with_many_dead_children_is_fast() {
        use crate::plan::{Mix, Until};
        let mut dead: Vec<Node> = (0..99_999).map(|_| cycle(1, Some(0))).collect();
        dead.push(cycle(2, None));
        let mut batch = Batch::new(
            Node::Mix(Mix::new(dead, 0, None, Until::All).unwrap()),
            1 << 20,
        )
        .unwrap();
        let t = std::time::Instant::now();
        let mut n = 0;
        while n < 200_000 {
            n += batch.next_chunk(MAX_CHUNK).len();
        }
        assert!(t.elapsed().as_millis() < 500, "{:?}", t.elapsed());
    }

    #[test]
    fn pool_must_cover_the_plan() {
        assert_eq!(
            Batch::new(random(10, None), 9).unwrap_err(),
            EngineError::PoolMismatch {
                needed: 10,
                pool: 9
            }
        );
    }
}
