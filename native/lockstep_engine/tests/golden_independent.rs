//! Golden vectors of independent keys (docs/STREAM.md, "Independent keys"),
//! committed in `test/fixtures/golden_independent.txt` and checked from here
//! and from `mix test`.
//!
//! Each op is computed from the definition with plain leaves (key slot and
//! place by arithmetic, the template leaf forked by the key at its
//! position), and the engine's `Independent` node must give the same.
//!
//! Line format: `name | spec | op; op; …`, an op `{key,op}`; a template pick
//! from flat index k renders as `pk`, final op j as `fj`.
//! Spec: `TEMPLATE PER_KEY CONCURRENCY FINAL_LEN WORKERS WORKER` with
//! TEMPLATE `random SEED N` or `integers SEED FIRST LAST` (keys 0, 1, 2, …).
//! `LOCKSTEP_BLESS=1 cargo test --test golden_independent` rewrites the file.

mod common;

use lockstep_engine::seed::fork_stream;
use lockstep_engine::{
    Batch, Independent, Keys, Layout, Leaf, LeafKind, Node, Position, Seed, Tok,
};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../test/fixtures/golden_independent.txt"
);
const LENGTH: u64 = 40;

const SPECS: &[(&str, &str)] = &[
    ("one-worker", "random 42 4 5 1 0 1 0"),
    ("one-worker-final", "random 7 3 3 1 2 1 0"),
    ("group-member", "random 42 4 20 3 1 6 4"),
    ("group-first", "integers 9 -50 50 7 2 0 4 1"),
    ("member-no-share", "integers 11 1 9 2 3 1 3 2"),
    ("three-groups", "random 5 6 4 1 0 3 2"),
];

struct Spec {
    kind: LeafKind,
    seed: u64,
    pool: u64,
    layout: Layout,
}

fn parse(spec: &str) -> Spec {
    let w: Vec<&str> = spec.split_whitespace().collect();
    let num = |s: &str| -> u64 { s.parse().unwrap() };
    let (kind, seed, pool, rest) = match w.as_slice() {
        ["random", s, n, rest @ ..] => (LeafKind::random(num(n)).unwrap(), num(s), num(n), rest),
        ["integers", s, a, b, rest @ ..] => (
            LeafKind::integers(a.parse().unwrap(), b.parse().unwrap()).unwrap(),
            num(s),
            0,
            rest,
        ),
        _ => panic!("spec {spec}"),
    };
    let [per_key, c, f, workers, worker] = rest else {
        panic!("spec {spec}")
    };
    let (c, workers, worker) = (num(c), num(workers), num(worker));
    Spec {
        kind,
        seed,
        pool,
        layout: Layout {
            per_key: num(per_key),
            concurrency: c,
            final_len: num(f),
            groups: workers / c,
            group: worker / c,
            member: worker % c,
        },
    }
}

fn render(toks: &mut std::slice::Iter<Tok>, pool: u64) -> String {
    match toks.next().expect("token") {
        Tok::Pick(k) if *k < pool => format!("p{k}"),
        Tok::Pick(k) => format!("f{}", k - pool),
        Tok::Int(v) => v.to_string(),
        Tok::Keyed => {
            let key = render(toks, pool);
            format!("{{{key},{}}}", render(toks, pool))
        }
        other => panic!("token {other:?}"),
    }
}

/// Op `i` from the definition, with a plain leaf.
fn defined_op(s: &Spec, i: u64) -> String {
    let l = s.layout;
    let shares = if l.member < l.per_key {
        (l.per_key - l.member).div_ceil(l.concurrency)
    } else {
        0
    };
    let per_slot = shares + l.final_len;
    let (slot, place) = (i / per_slot, i % per_slot);
    let key = l.group + slot * l.groups;
    if place >= shares {
        return format!("{{{key},f{}}}", place - shares);
    }
    let at = Position {
        seed: Seed::from_u64(s.seed),
        stream: fork_stream(0, Seed::from_u64(key)),
        pos: l.member + place * l.concurrency,
    };
    let mut leaf = Node::Leaf(Leaf::new(s.kind.clone(), at, None, 0));
    let mut toks = Vec::new();
    assert_eq!(leaf.fill_tokens(&mut toks, 1), 1);
    format!("{{{key},{}}}", render(&mut toks.iter(), s.pool))
}

fn defined(spec: &str) -> String {
    let s = parse(spec);
    (0..LENGTH)
        .map(|i| defined_op(&s, i))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The engine's node, in one batch.
fn engine(spec: &str) -> String {
    let s = parse(spec);
    let at = Position {
        seed: Seed::from_u64(s.seed),
        stream: 0,
        pos: 0,
    };
    let template = Node::Leaf(Leaf::new(s.kind.clone(), at, None, 0));
    let node = Independent::new(
        template,
        Keys::Naturals { first: 0 },
        s.layout,
        s.pool,
        0,
        None,
    )
    .unwrap();
    let mut batch = Batch::new(Node::Independent(node), s.pool + s.layout.final_len).unwrap();
    let (n, toks) = batch.next_tokens(LENGTH as usize);
    assert_eq!(n as u64, LENGTH);
    let mut it = toks.iter();
    (0..n)
        .map(|_| render(&mut it, s.pool))
        .collect::<Vec<_>>()
        .join("; ")
}

#[test]
fn golden_independent() {
    for (name, spec) in SPECS {
        assert_eq!(engine(spec), defined(spec), "engine vs definition: {name}");
    }
    common::check_fixture(
        FIXTURE,
        "# Golden vectors of independent keys (format v1, docs/STREAM.md).\n\
         # name | spec | first 40 ops, rendered (see native/lockstep_engine/tests/golden_independent.rs)\n",
        SPECS,
        defined,
    );
}
