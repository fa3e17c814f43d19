//! Leaf kinds: how op `i` of a leaf is made from its words.
//!
//! Op `i` of a leaf whose kind uses `W` words per op reads words
//! `i·W .. i·W + W` of its stream (see docs/STREAM.md), so any op can be computed
//! on its own and skipping is O(1). Pick kinds (`random`, `weighted`, `cycle`)
//! produce an index into the leaf's pool; value kinds produce integers, tuples
//! and lists, written as [`Tok`]ens.

use crate::error::EngineError;
use crate::sample::{bounded, AliasTable, MAX_POOL};
use crate::words::Words;
use crate::zipf::Zipf;
use std::sync::Arc;

/// One piece of an op: a pool pick, an integer, or the head of a tuple/list
/// whose `n` elements follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Pick(u64),
    Int(i128),
    Tuple(u32),
    List(u32),
    /// `%Lockstep.Generator.Keyed{key: k, op: op}` of the next two items.
    Keyed,
    /// `nil`.
    Nil,
}

/// Largest integer a value kind may produce (keeps every sum inside i128 and
/// away from i128::MIN, which the BEAM encoder cannot negate).
pub const INT_LIMIT: i128 = i128::MAX >> 1;

/// Elle-style list-append transactions (see [`LeafKind::ListAppend`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ListAppend {
    pub keys: u64,
    pub max_len: u32,
    /// Relative weights of a read and an append micro-op.
    pub read_weight: u64,
    pub append_weight: u64,
    /// Key choice: zipf over ranks (key = rank - 1) or uniform when `None`.
    pub key_zipf: Option<Zipf>,
    /// Values are `(i·max_len + j)·workers + worker + 1`: unique per generator
    /// and across `workers` generators with distinct `worker`.
    pub workers: u64,
    pub worker: u64,
    /// Read micro-ops `[:r, key, nil]` picked from the pool (see
    /// [`LeafKind::op_table_len`]) instead of built.
    pub table: bool,
}

impl ListAppend {
    pub fn validate(self) -> Result<Self, EngineError> {
        if self.keys == 0 || self.max_len == 0 || self.max_len > 1024 {
            return Err(EngineError::BadParameter(
                "list_append needs keys >= 1 and 1 <= max_txn_length <= 1024",
            ));
        }
        match self.read_weight.checked_add(self.append_weight) {
            None => return Err(EngineError::WeightOverflow),
            Some(0) => return Err(EngineError::ZeroTotalWeight),
            Some(_) => {}
        }
        if self.workers == 0 || self.workers > LeafKind::MAX_WORKERS || self.worker >= self.workers
        {
            return Err(EngineError::BadParameter(
                "list_append needs 1 <= workers <= 2^32 and 0 <= worker < workers",
            ));
        }
        if let Some(z) = &self.key_zipf {
            if z.n() != self.keys {
                return Err(EngineError::BadParameter(
                    "list_append zipf over the wrong key count",
                ));
            }
        }
        Ok(self)
    }
}

/// How a leaf turns op `i` into an op.
#[derive(Clone, Debug)]
pub enum LeafKind {
    /// Uniform over `n` pool ops: `bounded(w, n)`.
    Random { n: u64 },
    /// Weighted by an alias table: `table.pick(w)`.
    Weighted(Arc<AliasTable>),
    /// `i mod n`; no words.
    Cycle { n: u64 },
    /// `first + bounded(w, count)` (`w` itself when `count = 2^64`).
    Integers { first: i128, count: u128 },
    /// `start + i·workers + worker`; no words. `workers`/`worker` are 1/0 for
    /// a plain counter; `split/2` gives each of its forks its own residue
    /// class modulo `workers`, so their values are disjoint.
    Counter {
        start: i128,
        workers: u64,
        worker: u64,
    },
    /// Zipf rank in `1..=n`.
    Zipf(Zipf),
    /// `{pool[0], from, to, amount}` over `accounts`: from = bounded(w0, a),
    /// to = (from + 1 + bounded(w1, a - 1)) mod a, amount = 1 + bounded(w2, max).
    Transfer { accounts: u64, max_amount: u64 },
    /// A list of 1..=max_len micro-ops `[pool[0] (append), key, value]` or
    /// `[pool[1] (r), key, pool[2] (nil)]`.
    ListAppend(ListAppend),
    /// Register workload over pool `[read, write, cas]`, words `w0 w1 w2`: the
    /// kind is `bounded(w0, total)` against the cumulative weights
    /// `[read, write, cas]`; `pool[0]`, `{pool[1], v(w1)}` or
    /// `{pool[2], v(w1), v(w2)}` with `v(w) = first + bounded(w, count)`.
    ///
    /// With `table` (see [`LeafKind::tabled`]) the pool is instead every
    /// possible op, in the order of [`LeafKind::op_table_len`], and an op is
    /// the pick of its index: the same stream, picked instead of built.
    Register {
        first: i128,
        count: u128,
        weights: [u64; 3],
        table: bool,
    },
    /// Bank workload over pool `[transfer, read]`, words `w0 w1 w2 w3`:
    /// `bounded(w0, total) < weights[0]` gives `{pool[0], from, to, amount}`
    /// from `w1 w2 w3` as in [`LeafKind::Transfer`], else `pool[1]`. `table`
    /// as for `Register`.
    Bank {
        accounts: u64,
        max_amount: u64,
        weights: [u64; 2],
        table: bool,
    },
}

/// Largest op table a register or bank workload may pick from.
pub const MAX_OP_TABLE: u64 = 4096;

/// The kind index (0, 1, 2) and the two value offsets of a register op.
#[inline]
fn register_draw(words: &mut Words, count: u128, weights: &[u64; 3]) -> (usize, u64, u64) {
    let (w0, w1, w2) = (words.next_word(), words.next_word(), words.next_word());
    // kind_of over three weights, without branches (the kind is random).
    let (c0, c1) = (weights[0], weights[0] + weights[1]);
    let r = bounded(w0, c1 + weights[2]);
    let kind = usize::from(r >= c0) + usize::from(r >= c1);
    (kind, offset_of(count, w1), offset_of(count, w2))
}

/// `bounded(w, count)` (`w` when `count = 2^64`).
#[inline]
fn offset_of(count: u128, w: u64) -> u64 {
    if count > u128::from(u64::MAX) {
        w
    } else {
        bounded(w, count as u64)
    }
}

/// `t mod accounts` for `t < 2·accounts` (no division, no branch).
#[inline]
fn wrap_account(t: u64, accounts: u64) -> u64 {
    t - accounts * u64::from(t >= accounts)
}

/// Whether a bank op is a transfer (word `w0`), and its (from, to, amount)
/// (the next 3 words, drawn either way: every op reads all 4).
#[inline]
fn bank_draw(words: &mut Words, accounts: u64, max: u64, weights: &[u64; 2]) -> (bool, [u64; 3]) {
    let w0 = words.next_word();
    let transfer = transfer_draw(words, accounts, max);
    (bounded(w0, weights[0] + weights[1]) < weights[0], transfer)
}

/// (from, to, amount) from the next 3 words: from = bounded(w0, a), to =
/// (from + 1 + bounded(w1, a - 1)) mod a, amount = 1 + bounded(w2, max).
#[inline]
fn transfer_draw(words: &mut Words, accounts: u64, max_amount: u64) -> [u64; 3] {
    let from = bounded(words.next_word(), accounts);
    let to = wrap_account(
        from + 1 + bounded(words.next_word(), accounts - 1),
        accounts,
    );
    [from, to, 1 + bounded(words.next_word(), max_amount)]
}

/// `{pool[offset], from, to, amount}`.
fn transfer_tokens(offset: u64, [from, to, amount]: [u64; 3]) -> [Tok; 5] {
    [
        Tok::Tuple(4),
        Tok::Pick(offset),
        Tok::Int(i128::from(from)),
        Tok::Int(i128::from(to)),
        Tok::Int(i128::from(amount)),
    ]
}

/// Sum of kind weights: not zero, not past 2^64 - 1.
fn check_weights(weights: &[u64]) -> Result<u64, EngineError> {
    match weights.iter().try_fold(0u64, |a, &w| a.checked_add(w)) {
        None => Err(EngineError::WeightOverflow),
        Some(0) => Err(EngineError::ZeroTotalWeight),
        Some(t) => Ok(t),
    }
}

impl LeafKind {
    pub fn random(n: u64) -> Result<Self, EngineError> {
        check_pool(n).map(|n| LeafKind::Random { n })
    }

    pub fn cycle(n: u64) -> Result<Self, EngineError> {
        check_pool(n).map(|n| LeafKind::Cycle { n })
    }

    /// Integers `first ..= last`; the span may be at most 2^64.
    pub fn integers(first: i128, last: i128) -> Result<Self, EngineError> {
        if first > last || first < -INT_LIMIT || last > INT_LIMIT {
            return Err(EngineError::BadParameter(
                "integers needs first <= last within +-2^125",
            ));
        }
        let count = (last - first) as u128 + 1;
        if count > 1u128 << 64 {
            return Err(EngineError::BadParameter(
                "integers spans more than 2^64 values",
            ));
        }
        Ok(LeafKind::Integers { first, count })
    }

    /// A plain counter: `start, start + 1, ...`.
    pub fn counter(start: i128) -> Result<Self, EngineError> {
        LeafKind::counter_of(start, 1, 0)
    }

    /// Most workers a counter or list_append leaf counts for (keeps every
    /// value of 2^64 ops inside i128).
    pub const MAX_WORKERS: u64 = 1 << 32;

    /// Worker `worker` of `workers` counters from `start`: op `i` is
    /// `start + i·workers + worker`.
    pub fn counter_of(start: i128, workers: u64, worker: u64) -> Result<Self, EngineError> {
        if start.abs() > INT_LIMIT {
            return Err(EngineError::BadParameter(
                "counter start out of range (|start| <= 2^126 - 1)",
            ));
        }
        if workers == 0 || workers > LeafKind::MAX_WORKERS || worker >= workers {
            return Err(EngineError::BadParameter(
                "counter needs 1 <= workers <= 2^32 and 0 <= worker < workers",
            ));
        }
        Ok(LeafKind::Counter {
            start,
            workers,
            worker,
        })
    }

    pub fn transfer(accounts: u64, max_amount: u64) -> Result<Self, EngineError> {
        if accounts < 2 || max_amount == 0 {
            return Err(EngineError::BadParameter(
                "transfer needs >= 2 accounts and max_amount >= 1",
            ));
        }
        Ok(LeafKind::Transfer {
            accounts,
            max_amount,
        })
    }

    /// Register workload: values `first..=last` (at most 2^64 of them).
    pub fn register(first: i128, last: i128, weights: [u64; 3]) -> Result<Self, EngineError> {
        let LeafKind::Integers { first, count } = LeafKind::integers(first, last)? else {
            unreachable!()
        };
        check_weights(&weights)?;
        Ok(LeafKind::Register {
            first,
            count,
            weights,
            table: false,
        })
    }

    /// Bank workload.
    pub fn bank(accounts: u64, max_amount: u64, weights: [u64; 2]) -> Result<Self, EngineError> {
        LeafKind::transfer(accounts, max_amount)?;
        check_weights(&weights)?;
        Ok(LeafKind::Bank {
            accounts,
            max_amount,
            weights,
            table: false,
        })
    }

    /// Every op a register or bank workload can make, when there are at most
    /// [`MAX_OP_TABLE`]: `None` for larger op spaces and other kinds. The
    /// table's order, which the caller's pool follows:
    ///
    /// * register over `c` values: `read`, then `{write, first + j}` for `j`
    ///   in `0..c`, then `{cas, first + j, first + l}` for `j`, then `l`, in
    ///   `0..c` (`1 + c + c²` ops);
    /// * bank over `a` accounts and amounts `1..=m`: `{transfer, f, t, x}`
    ///   at `(f·a + t)·m + x - 1` (entries with `f = t` are never picked),
    ///   then `read` (`a²·m + 1` ops);
    /// * list-append over `k` keys: its usual pool `append`, `r`, `nil`, then
    ///   the read micro-op `[r, key, nil]` of every key in `0..k` (`3 + k`
    ///   terms; a transaction's appends are still built, their values being
    ///   unique).
    pub fn op_table_len(&self) -> Option<u64> {
        let len = match self {
            LeafKind::Register { count, .. } => 1 + count + count * count,
            LeafKind::Bank {
                accounts,
                max_amount,
                ..
            } => u128::from(*accounts) * u128::from(*accounts) * u128::from(*max_amount) + 1,
            LeafKind::ListAppend(la) => 3 + u128::from(la.keys),
            _ => return None,
        };
        (len <= u128::from(MAX_OP_TABLE)).then_some(len as u64)
    }

    /// The same workload picking its ops from its op table (the pool must
    /// then be that table; see [`LeafKind::op_table_len`]): the same ops,
    /// without building them.
    pub fn tabled(self) -> Result<Self, EngineError> {
        if self.op_table_len().is_none() {
            return Err(EngineError::BadParameter(
                "op table: only register, bank and list-append workloads of at most 4096 entries",
            ));
        }
        let mut kind = self;
        match &mut kind {
            LeafKind::Register { table, .. }
            | LeafKind::Bank { table, .. }
            | LeafKind::ListAppend(ListAppend { table, .. }) => *table = true,
            _ => {}
        }
        Ok(kind)
    }

    /// Ops in the leaf's pool (the terms it picks from).
    pub fn pool_len(&self) -> u64 {
        match self {
            LeafKind::Random { n } | LeafKind::Cycle { n } => *n,
            LeafKind::Weighted(table) => table.len() as u64,
            LeafKind::Integers { .. } | LeafKind::Counter { .. } | LeafKind::Zipf(_) => 0,
            LeafKind::Transfer { .. } => 1,
            LeafKind::Register { table: true, .. }
            | LeafKind::Bank { table: true, .. }
            | LeafKind::ListAppend(ListAppend { table: true, .. }) => {
                self.op_table_len().unwrap_or(0)
            }
            LeafKind::ListAppend(_) | LeafKind::Register { .. } => 3,
            LeafKind::Bank { .. } => 2,
        }
    }

    /// Words one op reads.
    pub fn words_per_op(&self) -> u64 {
        match self {
            LeafKind::Cycle { .. } | LeafKind::Counter { .. } => 0,
            LeafKind::Random { .. }
            | LeafKind::Weighted(_)
            | LeafKind::Integers { .. }
            | LeafKind::Zipf(_) => 1,
            LeafKind::Transfer { .. } | LeafKind::Register { .. } => 3,
            LeafKind::Bank { .. } => 4,
            LeafKind::ListAppend(la) => 1 + 2 * u64::from(la.max_len),
        }
    }

    /// True for kinds whose every op is a single pool pick.
    pub fn is_pick(&self) -> bool {
        matches!(
            self,
            LeafKind::Random { .. }
                | LeafKind::Weighted(_)
                | LeafKind::Cycle { .. }
                | LeafKind::Register { table: true, .. }
                | LeafKind::Bank { table: true, .. }
        )
    }

    /// The pool index of op `i` of a pick kind (`words` at the op's first word).
    #[inline]
    pub(crate) fn pick(&self, i: u64, words: &mut Words) -> u64 {
        match self {
            LeafKind::Random { n } => bounded(words.next_word(), *n),
            LeafKind::Weighted(table) => table.pick(words.next_word()),
            // `i` is the phase (below n) but for the first op of a chunk.
            LeafKind::Cycle { n } if i < *n => i,
            LeafKind::Cycle { n } => i % n,
            LeafKind::Register {
                count,
                weights,
                table: true,
                ..
            } => {
                let (kind, a, b) = register_draw(words, *count, weights);
                let c = *count as u64; // at most 63: the table has at most 4096 ops
                [0, 1 + a, 1 + c + a * c + b][kind]
            }
            LeafKind::Bank {
                accounts,
                max_amount,
                weights,
                table: true,
            } => {
                let (transfer, [from, to, amount]) =
                    bank_draw(words, *accounts, *max_amount, weights);
                let read = accounts * accounts * max_amount;
                // Both indices, then one picked (the choice is random).
                [read, (from * accounts + to) * max_amount + amount - 1][usize::from(transfer)]
            }
            _ => unreachable!("pick() on a value kind"),
        }
    }

    /// Writes op `i` as tokens; `words` is at the op's first word, `retry(w, j)`
    /// gives retry word `j` of the draw whose first word is word `w`.
    pub(crate) fn tokens(
        &self,
        i: u64,
        offset: u64,
        words: &mut Words,
        retry: &dyn Fn(u128, u64) -> u64,
        out: &mut Vec<Tok>,
    ) {
        if self.is_pick() {
            out.push(Tok::Pick(offset + self.pick(i, words)));
            return;
        }
        match self {
            LeafKind::Random { .. } | LeafKind::Weighted(_) | LeafKind::Cycle { .. } => {
                unreachable!("a pick kind")
            }
            LeafKind::Integers { first, count } => {
                let w = words.next_word();
                out.push(Tok::Int(first + i128::from(offset_of(*count, w))));
            }
            LeafKind::Register {
                first,
                count,
                weights,
                ..
            } => {
                let (kind, a, b) = register_draw(words, *count, weights);
                let (a, b) = (first + i128::from(a), first + i128::from(b));
                match kind {
                    0 => out.push(Tok::Pick(offset)),
                    1 => out.extend([Tok::Tuple(2), Tok::Pick(offset + 1), Tok::Int(a)]),
                    _ => out.extend([
                        Tok::Tuple(3),
                        Tok::Pick(offset + 2),
                        Tok::Int(a),
                        Tok::Int(b),
                    ]),
                }
            }
            LeafKind::Bank {
                accounts,
                max_amount,
                weights,
                ..
            } => match bank_draw(words, *accounts, *max_amount, weights) {
                (true, transfer) => out.extend(transfer_tokens(offset, transfer)),
                (false, _) => out.push(Tok::Pick(offset + 1)),
            },
            // Past 2^64 ops the leaf moves `start` on by 2^64·workers
            // (Leaf::advance).
            LeafKind::Counter {
                start,
                workers,
                worker,
            } => out.push(Tok::Int(
                start + i128::from(i) * i128::from(*workers) + i128::from(*worker),
            )),
            LeafKind::Zipf(z) => {
                let rank = z.sample(words.next_word(), |j| retry(u128::from(i), j));
                out.push(Tok::Int(i128::from(rank)));
            }
            LeafKind::Transfer {
                accounts,
                max_amount,
            } => out.extend(transfer_tokens(
                offset,
                transfer_draw(words, *accounts, *max_amount),
            )),
            LeafKind::ListAppend(la) => {
                let base = u128::from(i) * u128::from(self.words_per_op());
                let len = 1 + bounded(words.next_word(), u64::from(la.max_len));
                out.push(Tok::List(len as u32));
                let both = la.read_weight + la.append_weight;
                for j in 0..u64::from(la.max_len) {
                    let (kind_w, key_w) = (words.next_word(), words.next_word());
                    if j >= len {
                        continue; // unused words keep every op at i·W
                    }
                    let key = match &la.key_zipf {
                        Some(z) => z.sample(key_w, |r| retry(base + 2 + 2 * u128::from(j), r)) - 1,
                        None => bounded(key_w, la.keys),
                    };
                    if bounded(kind_w, both) < la.read_weight {
                        if la.table {
                            out.push(Tok::Pick(offset + 3 + key));
                        } else {
                            out.extend([
                                Tok::List(3),
                                Tok::Pick(offset + 1),
                                Tok::Int(i128::from(key)),
                                Tok::Pick(offset + 2),
                            ]);
                        }
                    } else {
                        out.push(Tok::List(3));
                        let value = (u128::from(i) * u128::from(la.max_len) + u128::from(j))
                            * u128::from(la.workers)
                            + u128::from(la.worker)
                            + 1;
                        out.extend([
                            Tok::Pick(offset),
                            Tok::Int(i128::from(key)),
                            Tok::Int(value.min(INT_LIMIT as u128) as i128),
                        ]);
                    }
                }
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Leaf, Position};
    use crate::seed::Seed;
    use std::collections::HashSet;

    fn at(pos: u64) -> Position {
        Position {
            seed: Seed::from_u64(0),
            stream: 0,
            pos,
        }
    }

    /// Op `j` of a workload's op table, as the tokens building it gives.
    fn table_entry(kind: &LeafKind, j: u64) -> Vec<Tok> {
        match *kind {
            LeafKind::Register { first, count, .. } => {
                let c = count as u64;
                let v = |x: u64| Tok::Int(first + i128::from(x));
                match j {
                    0 => vec![Tok::Pick(0)],
                    j if j <= c => vec![Tok::Tuple(2), Tok::Pick(1), v(j - 1)],
                    j => {
                        let (a, b) = ((j - 1 - c) / c, (j - 1 - c) % c);
                        vec![Tok::Tuple(3), Tok::Pick(2), v(a), v(b)]
                    }
                }
            }
            LeafKind::Bank {
                accounts: a,
                max_amount: m,
                ..
            } if j < a * a * m => {
                transfer_tokens(0, [j / (a * m), (j / m) % a, j % m + 1]).to_vec()
            }
            LeafKind::Bank { .. } => vec![Tok::Pick(1)],
            _ => unreachable!(),
        }
    }

    #[test]
    fn op_tables_give_the_ops_built_ops_give() {
        let kinds = [
            LeafKind::register(1, 5, [1, 1, 1]).unwrap(),
            LeafKind::register(0, 0, [1, 2, 3]).unwrap(),
            LeafKind::register(-3, 7, [0, 1, 1]).unwrap(),
            LeafKind::bank(5, 5, [1, 1]).unwrap(),
            LeafKind::bank(2, 1, [3, 1]).unwrap(),
            LeafKind::bank(7, 3, [1, 0]).unwrap(),
        ];
        for kind in kinds {
            let len = kind.op_table_len().unwrap();
            let tabled = kind.clone().tabled().unwrap();
            assert!(tabled.is_pick() && !kind.is_pick());
            assert_eq!(tabled.pool_len(), len);
            for pos in [0, 1000, u64::MAX - 40] {
                let mut built = Vec::new();
                Leaf::new(kind.clone(), at(pos), Some(80), 0).fill_tokens(&mut built, 80);
                let mut picks = Vec::new();
                Leaf::new(tabled.clone(), at(pos), Some(80), 0).fill(&mut picks, 80);
                let from_table: Vec<Tok> = picks
                    .iter()
                    .flat_map(|&j| {
                        assert!(j < len);
                        table_entry(&kind, j)
                    })
                    .collect();
                assert_eq!(from_table, built, "{kind:?} at {pos}");
            }
        }
        assert!(LeafKind::register(1, 64, [1, 1, 1])
            .unwrap()
            .tabled()
            .is_err());
        assert!(LeafKind::random(3).unwrap().tabled().is_err());
    }

    #[test]
    fn list_append_read_table_gives_the_reads_built_reads_give() {
        let la = |keys, zipf: bool| {
            LeafKind::ListAppend(
                ListAppend {
                    keys,
                    max_len: 4,
                    read_weight: 1,
                    append_weight: 1,
                    key_zipf: zipf.then(|| Zipf::new(keys, 1.0).unwrap()),
                    workers: 1,
                    worker: 0,
                    table: false,
                }
                .validate()
                .unwrap(),
            )
        };
        for kind in [la(8, false), la(1, false), la(16, true), la(300, false)] {
            let LeafKind::ListAppend(plain) = &kind else {
                unreachable!()
            };
            let keys = plain.keys;
            let tabled = kind.clone().tabled().unwrap();
            assert_eq!(tabled.pool_len(), 3 + keys);
            for (pos, offset) in [(0, 0), (1000, 5), (u64::MAX - 40, 2)] {
                let mut built = Vec::new();
                Leaf::new(kind.clone(), at(pos), Some(60), offset).fill_tokens(&mut built, 60);
                let mut picked = Vec::new();
                Leaf::new(tabled.clone(), at(pos), Some(60), offset).fill_tokens(&mut picked, 60);
                // A read from the table, written out as the built one.
                let expanded: Vec<Tok> = picked
                    .iter()
                    .flat_map(|t| match *t {
                        Tok::Pick(j) if j >= offset + 3 => {
                            assert!(j < offset + 3 + keys);
                            vec![
                                Tok::List(3),
                                Tok::Pick(offset + 1),
                                Tok::Int(i128::from(j - offset - 3)),
                                Tok::Pick(offset + 2),
                            ]
                        }
                        t => vec![t],
                    })
                    .collect();
                assert_eq!(expanded, built, "{keys} keys at {pos}");
                assert!(picked.len() < built.len(), "reads came from the table");
            }
        }
    }

    fn ints(kind: LeafKind, pos: u64, k: usize) -> Vec<i128> {
        let mut toks = Vec::new();
        Leaf::new(kind, at(pos), Some(k as u64), 0).fill_tokens(&mut toks, k);
        toks.into_iter()
            .filter_map(|t| match t {
                Tok::Int(v) => Some(v),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn counter_of_one_worker_is_the_plain_counter() {
        assert_eq!(
            ints(LeafKind::counter_of(7, 1, 0).unwrap(), 0, 5),
            vec![7, 8, 9, 10, 11]
        );
        assert_eq!(
            ints(LeafKind::counter_of(7, 1, 0).unwrap(), 40, 3),
            ints(LeafKind::counter(7).unwrap(), 40, 3)
        );
    }

    #[test]
    fn counter_workers_count_in_disjoint_residue_classes() {
        // op i of worker w of W: start + i·W + w.
        assert_eq!(
            ints(LeafKind::counter_of(10, 4, 3).unwrap(), 2, 3),
            vec![10 + 2 * 4 + 3, 10 + 3 * 4 + 3, 10 + 4 * 4 + 3]
        );
        let mut seen = HashSet::new();
        for w in 0..6 {
            for v in ints(LeafKind::counter_of(-5, 6, w).unwrap(), 0, 1000) {
                assert_eq!((v + 5).rem_euclid(6), i128::from(w));
                assert!(seen.insert(v), "value {v} twice");
            }
        }
        // Together the workers cover start .. start + 6000 exactly.
        assert_eq!(seen, (-5..5995).collect::<HashSet<_>>());
    }

    #[test]
    fn counter_workers_past_op_2_pow_64_move_start_by_2_pow_64_times_workers() {
        let w = i128::from(u64::MAX);
        let got = ints(LeafKind::counter_of(1, 3, 2).unwrap(), u64::MAX - 1, 4);
        let want: Vec<i128> = (0..4).map(|k| 1 + (w - 1 + k) * 3 + 2).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn counter_parameters_are_checked() {
        assert!(LeafKind::counter_of(0, 0, 0).is_err());
        assert!(LeafKind::counter_of(0, 2, 2).is_err());
        assert!(LeafKind::counter_of(0, (1 << 32) + 1, 0).is_err());
        assert!(LeafKind::counter_of(0, 1 << 32, (1 << 32) - 1).is_ok());
        assert!(LeafKind::counter_of(INT_LIMIT, 1, 0).is_ok());
        assert!(LeafKind::counter_of(INT_LIMIT + 1, 1, 0).is_err());
        assert!(LeafKind::counter_of(-INT_LIMIT - 1, 1, 0).is_err());
    }

    #[test]
    fn list_append_workers_are_bounded() {
        let la = |workers, worker| ListAppend {
            keys: 2,
            max_len: 2,
            read_weight: 1,
            append_weight: 1,
            key_zipf: None,
            workers,
            worker,
            table: false,
        };
        assert!(la(1 << 32, 5).validate().is_ok());
        assert!(la((1 << 32) + 1, 0).validate().is_err());
        assert!(la(3, 3).validate().is_err());
    }
}
