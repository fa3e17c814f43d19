//! Golden vectors of the value kinds and composites (integers, zipf, counter,
//! transfer, list_append, zip, concat, random mix, fork), committed in
//! `test/fixtures/golden_values.txt` and checked from here and from `mix test`.
//!
//! Line format: `name | spec | op; op; …` with ops rendered as terms: integers
//! in decimal, atoms by name, `{a,b}` tuples, `[a,b]` lists. A pick from a user
//! pool at flat index k renders as `pk` (the Elixir side uses atoms `:pk`).
//! Spec grammar (seeds are non-negative integers, i.e. domain 0):
//!   random SEED N | cycle N | weighted SEED W1,W2,… | integers SEED FIRST LAST
//!   zipf SEED N SKEW | counter START | transfer SEED ACCOUNTS MAX
//!   list_append SEED KEYS MAXLEN READW APPENDW SKEW|uniform WORKERS WORKER
//!   register SEED FIRST LAST RW,WW,CW|swarm | bank SEED ACCOUNTS MAX TW,RW|swarm
//!   take K SPEC | fork K SPEC
//!   zip ( SPEC ) ( SPEC ) … | concat ( … ) … | mix any|all ( … ) …
//!   rmix any|all SEED uniform|W1,W2,… ( SPEC ) …
//!   chunk N SPEC
//! `LOCKSTEP_BLESS=1 cargo test --test golden_values` rewrites the file.

mod common;

use lockstep_engine::seed::fork_stream;
use lockstep_engine::{
    AliasTable, Batch, Composite, Leaf, LeafKind, ListAppend, Mix, Node, Picker, Position, Seed,
    Strategy, Tok, Until, Zip, Zipf,
};
use std::sync::Arc;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../test/fixtures/golden_values.txt"
);
const LENGTH: usize = 40;

const SPECS: &[(&str, &str)] = &[
    ("integers", "integers 42 -5 5"),
    ("integers-64-bit-span", "integers 7 -9223372036854775808 9223372036854775807"),
    ("integers-bignum", "integers 8 100000000000000000000 100000000000000000009"),
    ("zipf-1", "zipf 42 1000 1.0"),
    ("zipf-2", "zipf 9 5 2.0"),
    ("zipf-huge", "zipf 3 1000000000000 1.1"),
    ("counter", "counter 10"),
    ("transfer", "transfer 5 4 10"),
    ("list-append-zipf", "list_append 11 5 3 1 1 1.0 1 0"),
    ("list-append-uniform-worker", "list_append 12 3 2 1 3 uniform 4 2"),
    ("zip", "zip ( cycle 1 ) ( integers 3 1 5 ) ( counter 0 )"),
    ("concat", "concat ( take 3 random 5 4 ) ( take 2 cycle 2 ) ( counter 7 )"),
    ("rmix-uniform", "rmix any 13 uniform ( random 1 4 ) ( cycle 3 ) ( counter 100 )"),
    ("rmix-weighted", "rmix any 14 1,0,3 ( cycle 1 ) ( cycle 1 ) ( integers 2 0 9 )"),
    ("rmix-all-takes", "rmix all 15 2,1 ( take 5 cycle 1 ) ( take 8 counter 0 )"),
    ("fork-random", "fork 3 random 42 4"),
    ("fork-mix", "fork 0 mix any ( random 42 4 ) ( zipf 1 10 1.0 )"),
    ("register", "register 21 1 5 1,1,1"),
    ("register-skewed", "register 22 -3 3 5,1,2"),
    ("register-swarm", "register 23 1 5 swarm"),
    ("bank", "bank 24 5 10 1,1"),
    ("bank-swarm", "bank 25 4 3 swarm"),
    ("mix-any-pull", "mix any ( take 2 cycle 1 ) ( cycle 1 )"),
    ("rmix-any-pull", "rmix any 26 uniform ( take 3 cycle 1 ) ( counter 0 )"),
    ("nested", "mix all ( take 4 zip ( cycle 2 ) ( counter 1 ) ) ( concat ( take 2 cycle 1 ) ( integers 5 1 3 ) )"),
    ("chunk-counter", "chunk 3 counter 10"),
    ("chunk-list-append", "chunk 2 list_append 11 5 3 1 1 1.0 1 0"),
    ("chunk-rmix", "chunk 5 rmix any 13 uniform ( random 1 4 ) ( cycle 3 ) ( counter 100 )"),
    ("chunk-take-mix", "take 6 chunk 4 mix any ( random 42 4 ) ( take 9 cycle 2 )"),
];

/// Kind weights `W1,W2,…`, or the swarm weights of the seed.
fn kind_weights(words: &str, seed: &str, kinds: usize) -> Vec<u64> {
    if words == "swarm" {
        lockstep_engine::swarm::weights(at(seed).seed, kinds)
    } else {
        words.split(',').map(|w| w.parse().unwrap()).collect()
    }
}

fn at(seed: &str) -> Position {
    Position {
        seed: Seed::from_u64(seed.parse().unwrap()),
        stream: 0,
        pos: 0,
    }
}

/// Parses a spec into a plan whose pools start at `offset`; pushes pool labels.
fn parse(words: &[&str], offset: u64, labels: &mut Vec<String>) -> (Node, usize) {
    let leaf = |kind: LeafKind, at: Position, labels: &mut Vec<String>, pool: Vec<String>| {
        labels.extend(pool);
        Node::Leaf(Leaf::new(kind, at, None, offset))
    };
    let user = |n: u64| {
        (offset..offset + n)
            .map(|k| format!("p{k}"))
            .collect::<Vec<_>>()
    };
    match words {
        ["random", s, n, ..] => {
            let n = n.parse().unwrap();
            (
                leaf(LeafKind::random(n).unwrap(), at(s), labels, user(n)),
                3,
            )
        }
        ["cycle", n, ..] => {
            let n = n.parse().unwrap();
            (
                leaf(LeafKind::cycle(n).unwrap(), at("0"), labels, user(n)),
                2,
            )
        }
        ["weighted", s, ws, ..] => {
            let ws: Vec<u64> = ws.split(',').map(|w| w.parse().unwrap()).collect();
            let n = ws.len() as u64;
            let kind = LeafKind::Weighted(Arc::new(AliasTable::new(&ws).unwrap()));
            (leaf(kind, at(s), labels, user(n)), 3)
        }
        ["integers", s, first, last, ..] => {
            let kind = LeafKind::integers(first.parse().unwrap(), last.parse().unwrap()).unwrap();
            (leaf(kind, at(s), labels, vec![]), 4)
        }
        ["zipf", s, n, skew, ..] => {
            let kind =
                LeafKind::Zipf(Zipf::new(n.parse().unwrap(), skew.parse().unwrap()).unwrap());
            (leaf(kind, at(s), labels, vec![]), 4)
        }
        ["counter", start, ..] => {
            let kind = LeafKind::counter(start.parse().unwrap()).unwrap();
            (leaf(kind, at("0"), labels, vec![]), 2)
        }
        ["transfer", s, a, m, ..] => {
            let kind = LeafKind::transfer(a.parse().unwrap(), m.parse().unwrap()).unwrap();
            (leaf(kind, at(s), labels, vec!["transfer".into()]), 4)
        }
        ["list_append", s, keys, max_len, r, a, skew, workers, worker, ..] => {
            let keys = keys.parse().unwrap();
            let key_zipf =
                (*skew != "uniform").then(|| Zipf::new(keys, skew.parse().unwrap()).unwrap());
            let la = ListAppend {
                keys,
                max_len: max_len.parse().unwrap(),
                read_weight: r.parse().unwrap(),
                append_weight: a.parse().unwrap(),
                key_zipf,
                workers: workers.parse().unwrap(),
                worker: worker.parse().unwrap(),
                table: false,
            };
            let pool = vec!["append".into(), "r".into(), "nil".into()];
            (
                leaf(
                    LeafKind::ListAppend(la.validate().unwrap()),
                    at(s),
                    labels,
                    pool,
                ),
                9,
            )
        }
        ["register", s, first, last, ws, ..] => {
            let w = kind_weights(ws, s, 3);
            let kind = LeafKind::register(
                first.parse().unwrap(),
                last.parse().unwrap(),
                [w[0], w[1], w[2]],
            )
            .unwrap();
            let pool = vec!["read".into(), "write".into(), "cas".into()];
            (leaf(kind, at(s), labels, pool), 5)
        }
        ["bank", s, a, m, ws, ..] => {
            let w = kind_weights(ws, s, 2);
            let kind =
                LeafKind::bank(a.parse().unwrap(), m.parse().unwrap(), [w[0], w[1]]).unwrap();
            (
                leaf(kind, at(s), labels, vec!["transfer".into(), "read".into()]),
                5,
            )
        }
        ["take", k, rest @ ..] => {
            let (node, used) = parse(rest, offset, labels);
            (with_remaining(node, k.parse().unwrap()), used + 2)
        }
        ["chunk", n, rest @ ..] => {
            let (node, used) = parse(rest, offset, labels);
            let n = n.parse().unwrap();
            let chunk = Composite::new("chunk", &[n], vec![node], None).unwrap();
            (Node::Composite(chunk), used + 2)
        }
        ["fork", k, rest @ ..] => {
            let (node, used) = parse(rest, offset, labels);
            (fork(node, k.parse().unwrap()), used + 2)
        }
        ["zip", rest @ ..] => {
            let (children, used) = groups(rest, offset, labels);
            (Node::Zip(Zip::new(children, None).unwrap()), used + 1)
        }
        ["concat", rest @ ..] => {
            let (children, used) = groups(rest, offset, labels);
            let mix = Mix::with_strategy(children, 0, None, Until::All, Strategy::Concat);
            (Node::Mix(mix.unwrap()), used + 1)
        }
        ["mix", until, rest @ ..] => {
            let (children, used) = groups(rest, offset, labels);
            (
                Node::Mix(Mix::new(children, 0, None, until_of(until)).unwrap()),
                used + 2,
            )
        }
        ["rmix", until, s, picker, rest @ ..] => {
            let (children, used) = groups(rest, offset, labels);
            let picker = if *picker == "uniform" {
                Picker::Uniform
            } else {
                let ws: Vec<u64> = picker.split(',').map(|w| w.parse().unwrap()).collect();
                Picker::Weighted(Arc::new(AliasTable::new(&ws).unwrap()))
            };
            let strategy = Strategy::Random { at: at(s), picker };
            let mix = Mix::with_strategy(children, 0, None, until_of(until), strategy);
            (Node::Mix(mix.unwrap()), used + 4)
        }
        _ => panic!("bad spec {words:?}"),
    }
}

/// `( SPEC ) ( SPEC ) …` up to the end of `words` or an unmatched `)`.
fn groups(words: &[&str], mut offset: u64, labels: &mut Vec<String>) -> (Vec<Node>, usize) {
    let mut children = Vec::new();
    let mut i = 0;
    while i < words.len() && words[i] == "(" {
        let (node, used) = parse(&words[i + 1..], offset, labels);
        offset = labels.len() as u64;
        assert_eq!(words[i + 1 + used], ")", "unbalanced group in {words:?}");
        children.push(node);
        i += used + 2;
    }
    (children, i)
}

fn until_of(word: &str) -> Until {
    match word {
        "any" => Until::Any,
        "all" => Until::All,
        other => panic!("until {other}"),
    }
}

/// Rebuilds a leaf or composite with an op budget (test-only plumbing: the
/// engine's nodes take their budget at construction).
fn with_remaining(node: Node, k: u64) -> Node {
    match node {
        Node::Leaf(leaf) => Node::Leaf(leaf.with_remaining(Some(k))),
        Node::Mix(mix) => Node::Mix(mix.with_remaining(Some(k))),
        Node::Zip(zip) => Node::Zip(zip.with_remaining(Some(k))),
        Node::Composite(c) => Node::Composite(c.with_remaining(Some(k))),
        Node::Independent(_) => panic!("no independent specs here"),
    }
}

fn fork(node: Node, key: u64) -> Node {
    node.map_positions(&mut |at| Position {
        stream: fork_stream(at.stream, Seed::from_u64(key)),
        ..at
    })
}

fn render(toks: &mut std::slice::Iter<Tok>, labels: &[String]) -> String {
    match toks.next().expect("token") {
        Tok::Pick(k) => labels[*k as usize].clone(),
        Tok::Int(v) => v.to_string(),
        Tok::Tuple(n) => format!(
            "{{{}}}",
            (0..*n)
                .map(|_| render(toks, labels))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Tok::List(n) => format!(
            "[{}]",
            (0..*n)
                .map(|_| render(toks, labels))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Tok::Keyed | Tok::Nil => panic!("no independent specs here"),
    }
}

fn first_ops(spec: &str) -> String {
    let words: Vec<&str> = spec.split_whitespace().collect();
    let mut labels = Vec::new();
    let (node, used) = parse(&words, 0, &mut labels);
    assert_eq!(used, words.len(), "trailing words in {spec}");
    let mut batch = Batch::new(node.clone(), labels.len() as u64).unwrap();
    let (n, toks) = batch.next_tokens(LENGTH);
    let mut it = toks.iter();
    let ops: Vec<String> = (0..n).map(|_| render(&mut it, &labels)).collect();
    // Op by op gives the same as one chunk.
    let mut one = node;
    let mut singles = Vec::new();
    let mut buf = Vec::new();
    for _ in 0..LENGTH {
        buf.clear();
        if one.fill_tokens(&mut buf, 1) == 0 {
            break;
        }
        singles.push(render(&mut buf.iter(), &labels));
    }
    assert_eq!(ops, singles, "chunk and single steps disagree on {spec}");
    ops.join("; ")
}

const HEADER: &str =
    "# Golden vectors of value kinds and composites (format v1, docs/STREAM.md).\n\
     # name | spec | first 40 ops, rendered (see native/lockstep_engine/tests/golden_values.rs)\n";

#[test]
fn golden_values_hold() {
    common::check_fixture(FIXTURE, HEADER, SPECS, first_ops);
}
