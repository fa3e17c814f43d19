//! Golden vectors: the first 100 ops of fixed generators, committed in
//! `test/fixtures/golden_vectors.txt` and checked from here and from `mix test`.
//!
//! Line format: `name | spec | op indices…`, where spec is one of
//! `random D:V STREAM N`, `weighted D:V STREAM W1,W2,…`, `cycle N`,
//! `take K SPEC`, `mix any|all SPEC / SPEC / …` (seeds as domain:value, see
//! `docs/STREAM.md`). Ops are indices into the concatenated pools of the leaves,
//! in order. `LOCKSTEP_BLESS=1 cargo test --test golden` rewrites the file from
//! `SPECS`; that is only ever right when a stream change is intended.

mod common;

use lockstep_engine::{batch, Leaf, LeafKind, Mix, Node, Position, Seed, Until};
use std::sync::Arc;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../test/fixtures/golden_vectors.txt"
);
const LENGTH: usize = 100;

const SPECS: &[(&str, &str)] = &[
    ("random-0", "random 0:0 0 4"),
    ("random-42", "random 0:42 0 4"),
    ("random-42-pool7", "random 0:42 0 7"),
    ("random-max-u64", "random 0:18446744073709551615 0 4"),
    ("random-minus-1", "random 1:18446744073709551615 0 4"),
    ("random-atom-foo", "random 2:7801313763491924706 0 4"),
    ("random-pool1000", "random 0:2024 0 1000"),
    ("weighted-42", "weighted 0:42 0 1,2,3,4"),
    ("weighted-zeros", "weighted 0:7 0 0,5,0,1"),
    (
        "weighted-1-to-10",
        "weighted 2:13288176363022651439 0 1,2,3,4,5,6,7,8,9,10",
    ),
    ("cycle-3", "cycle 3"),
    ("cycle-1", "cycle 1"),
    ("take-random", "take 17 random 0:42 0 4"),
    ("take-weighted", "take 9 weighted 0:99 0 3,1"),
    (
        "mix-any",
        "mix any random 0:1 0 4 / cycle 3 / weighted 0:2 0 1,2,3",
    ),
    (
        "mix-any-take",
        "mix any random 0:5 0 2 / take 7 cycle 2 / cycle 1",
    ),
    (
        "mix-all-take",
        "mix all take 3 random 0:6 0 3 / take 10 cycle 2 / take 30 weighted 0:8 0 5,0,5",
    ),
];

fn seed(token: &str) -> Seed {
    let (d, v) = token.split_once(':').expect("seed is D:V");
    Seed::new(d.parse().unwrap(), v.parse().unwrap())
}

fn at(seed_token: &str, stream: &str) -> Position {
    Position {
        seed: seed(seed_token),
        stream: stream.parse().unwrap(),
        pos: 0,
    }
}

/// Parses a spec into a plan whose leaf pools start at `offset`; returns the plan
/// and its pool length.
fn parse(spec: &str, offset: u64, remaining: Option<u64>) -> (Node, u64) {
    let words: Vec<&str> = spec.split_whitespace().collect();
    let leaf = |kind: LeafKind, at: Position| {
        let n = kind.pool_len();
        (Node::Leaf(Leaf::new(kind, at, remaining, offset)), n)
    };
    match words.as_slice() {
        ["random", s, stream, n] => {
            leaf(LeafKind::random(n.parse().unwrap()).unwrap(), at(s, stream))
        }
        ["weighted", s, stream, ws] => {
            let ws: Vec<u64> = ws.split(',').map(|w| w.parse().unwrap()).collect();
            let table = lockstep_engine::AliasTable::new(&ws).unwrap();
            leaf(LeafKind::Weighted(Arc::new(table)), at(s, stream))
        }
        ["cycle", n] => leaf(LeafKind::cycle(n.parse().unwrap()).unwrap(), at("0:0", "0")),
        ["take", k, ..] => {
            let rest = spec.trim_start().splitn(3, ' ').nth(2).unwrap();
            parse(rest, offset, Some(k.parse().unwrap()))
        }
        ["mix", until, ..] => {
            let until = match *until {
                "any" => Until::Any,
                "all" => Until::All,
                other => panic!("until {other}"),
            };
            let rest = spec.trim_start().splitn(3, ' ').nth(2).unwrap();
            let mut children = Vec::new();
            let mut end = offset;
            for child in rest.split(" / ") {
                let (node, n) = parse(child, end, None);
                end += n;
                children.push(node);
            }
            let mix = Mix::new(children, 0, remaining, until).unwrap();
            (Node::Mix(mix), end - offset)
        }
        _ => panic!("bad spec {spec}"),
    }
}

fn first_ops(spec: &str) -> Vec<u64> {
    let (mut node, pool) = parse(spec, 0, None);
    let mut b = lockstep_engine::Batch::new(node.clone(), pool).unwrap();
    let via_batch = b.next_chunk(LENGTH).to_vec();
    let one_by_one: Vec<u64> = std::iter::from_fn(|| node.next_op()).take(LENGTH).collect();
    assert_eq!(via_batch, one_by_one, "batch and next disagree on {spec}");
    let (mut again, _) = parse(spec, 0, None);
    assert_eq!(batch::chunk(&mut again, LENGTH), via_batch);
    via_batch
}

const HEADER: &str =
    "# Golden vectors of Lockstep.Generator streams (format v1, docs/STREAM.md).\n\
                      # name | spec | first 100 ops as indices into the concatenated leaf pools\n";

#[test]
fn golden_vectors_hold() {
    common::check_fixture(FIXTURE, HEADER, SPECS, |spec| {
        let ops: Vec<String> = first_ops(spec).iter().map(u64::to_string).collect();
        ops.join(" ")
    });
}
