//! Thin Rustler binding of `lockstep_engine` for `Lockstep.Generator.Native`.
//!
//! Every entry point decodes its arguments into engine types, runs a bounded
//! amount of work (at most `MAX_CHUNK` ops, or an alias-table build that goes to a
//! dirty scheduler when large) and encodes the answer. Ops are returned by picking
//! terms out of the pool tuple the caller passed in, so nothing is deep-copied.
//! Bad arguments raise `badarg` (an `ArgumentError` in Elixir), never a crash.

mod resources;
mod spec;

use lockstep_engine::{batch, Batch, Leaf, Node, Position, Seed, Tok, MAX_CHUNK};
use resources::{Cursor, Table};
use rustler::{Atom, Encoder, Env, NifResult, ResourceArc, Term};

mod atoms {
    rustler::atoms! { ok, error, stale_table, nil }
}

/// Pool tables at most this long are built on a normal scheduler; longer ones
/// (whose build may take more than ~50 µs) on a dirty CPU scheduler.
pub const SMALL_TABLE: usize = 4096;

/// Decodes a proper list of u64 weights. Rustler's list iterator panics on an
/// improper list, so properness is checked first (`enif_get_list_length` fails
/// cleanly on one).
fn weights(term: Term) -> NifResult<Vec<u64>> {
    term.list_length()?;
    term.decode()
}

fn build_table<'a>(env: Env<'a>, weights: Vec<u64>) -> Term<'a> {
    match lockstep_engine::AliasTable::new(&weights) {
        Ok(table) => (atoms::ok(), ResourceArc::new(Table::new(table))).encode(env),
        Err(e) => (atoms::error(), e.to_string()).encode(env),
    }
}

/// Alias table for `weights` (at most `SMALL_TABLE` of them): `{:ok, table}` or
/// `{:error, reason}`.
#[rustler::nif]
fn table_new<'a>(env: Env<'a>, weights: Term<'a>) -> NifResult<Term<'a>> {
    let weights = self::weights(weights)?;
    if weights.len() > SMALL_TABLE {
        return Err(rustler::Error::BadArg);
    }
    Ok(build_table(env, weights))
}

/// Same as `table_new/1` for any number of weights, on a dirty CPU scheduler.
#[rustler::nif(schedule = "DirtyCpu")]
fn table_new_dirty<'a>(env: Env<'a>, weights: Term<'a>) -> NifResult<Term<'a>> {
    Ok(build_table(env, self::weights(weights)?))
}

/// Stream id of `fork(gen, key)` for a generator on stream `parent`
/// (`key` is the fork key's `{domain, value}`).
#[rustler::nif]
fn fork_stream(parent: u64, key: (u64, u64)) -> u64 {
    lockstep_engine::seed::fork_stream(parent, Seed::new(key.0, key.1))
}

/// True when `table` is a live table resource of this VM (a table that travelled
/// through `term_to_binary` into another VM is not, and must be rebuilt).
#[rustler::nif]
fn table_live(table: Term) -> bool {
    table.decode::<ResourceArc<Table>>().is_ok()
}

/// The `k` (≤ `MAX_CHUNK`) ops from op `pos` of one leaf, as terms picked from
/// `pool` (a tuple) or, when `pool` is `nil`, as pool indices. Returns
/// `:stale_table` when a weighted leaf's table is not a live resource.
#[rustler::nif]
#[allow(clippy::too_many_arguments)]
fn leaf_chunk<'a>(
    env: Env<'a>,
    kind: Atom,
    n: u64,
    table: Term<'a>,
    seed: (u64, u64),
    stream: u64,
    pos: u64,
    k: usize,
    pool: Term<'a>,
) -> NifResult<Term<'a>> {
    let kind = match spec::pick_kind(kind, n, table) {
        Ok(kind) => kind,
        Err(spec::SpecError::StaleTable) => return Ok(atoms::stale_table().encode(env)),
        Err(_) => return Err(rustler::Error::BadArg),
    };
    if k > MAX_CHUNK {
        return Err(rustler::Error::BadArg);
    }
    let at = Position {
        seed: Seed::new(seed.0, seed.1),
        stream,
        pos,
    };
    let mut node = Node::Leaf(Leaf::new(kind, at, None, 0));
    let picks = pick_pool(pool)?;
    batch::check_pool(&node, picks.len_or(n)).map_err(|_| rustler::Error::BadArg)?;
    Ok(picks.encode(env, &batch::chunk(&mut node, k)))
}

/// A cursor over a whole plan (`spec` as built by `Lockstep.Generator.Batch`),
/// whose ops index a pool of `pool_len` ops: `{:ok, cursor}`, `{:error,
/// :stale_table}` or `{:error, reason}`.
#[rustler::nif]
fn plan_new<'a>(env: Env<'a>, spec: Term<'a>, pool_len: u64) -> Term<'a> {
    let made = spec::decode_plan(spec)
        .and_then(|node| Batch::new(node, pool_len).map_err(spec::SpecError::Engine));
    match made {
        Ok(batch) => (atoms::ok(), ResourceArc::new(Cursor::new(batch, pool_len))).encode(env),
        Err(spec::SpecError::StaleTable) => (atoms::error(), atoms::stale_table()).encode(env),
        Err(e) => (atoms::error(), e.to_string()).encode(env),
    }
}

/// The next `k` (≤ `MAX_CHUNK`) ops of `cursor`, picked from `pool` (or indices
/// when `pool` is `nil`, for plans of pool picks only); fewer, down to `[]`,
/// once the plan is exhausted. Plans with values or zips build their ops
/// (integers, tuples, lists) here, around terms picked from `pool`.
#[rustler::nif]
fn plan_chunk<'a>(
    env: Env<'a>,
    cursor: ResourceArc<Cursor>,
    k: usize,
    pool: Term<'a>,
) -> NifResult<Term<'a>> {
    if k > MAX_CHUNK {
        return Err(rustler::Error::BadArg);
    }
    let picks = pick_pool(pool)?;
    let mut batch = cursor.lock();
    if picks.len_or(u64::MAX) < cursor.pool_len() {
        return Err(rustler::Error::BadArg);
    }
    if batch.is_pick_only() {
        return Ok(picks.encode(env, batch.next_chunk(k)));
    }
    let Picks::Terms(terms) = &picks else {
        return Err(rustler::Error::BadArg);
    };
    let (n, toks) = batch.next_tokens(k);
    let mut toks = toks.iter();
    let ops: Vec<Term> = (0..n).map(|_| op_term(env, &mut toks, terms)).collect();
    Ok(ops.encode(env))
}

/// Builds one op from its tokens (depth bounded by the plan's, at most
/// `MAX_DEPTH` zips plus a list-append's two list levels).
fn op_term<'a>(env: Env<'a>, toks: &mut std::slice::Iter<Tok>, pool: &[Term<'a>]) -> Term<'a> {
    match toks.next() {
        Some(Tok::Pick(i)) => pool[*i as usize],
        Some(Tok::Int(v)) => v.encode(env),
        // Small tuples through Rustler's tuple encoders (stack arrays); a
        // general make_tuple allocates twice per op.
        Some(Tok::Tuple(2)) => {
            let a = op_term(env, toks, pool);
            (a, op_term(env, toks, pool)).encode(env)
        }
        Some(Tok::Tuple(3)) => {
            let a = op_term(env, toks, pool);
            let b = op_term(env, toks, pool);
            (a, b, op_term(env, toks, pool)).encode(env)
        }
        Some(Tok::Tuple(4)) => {
            let a = op_term(env, toks, pool);
            let b = op_term(env, toks, pool);
            let c = op_term(env, toks, pool);
            (a, b, c, op_term(env, toks, pool)).encode(env)
        }
        Some(Tok::Tuple(n)) => {
            let items: Vec<Term> = (0..*n).map(|_| op_term(env, toks, pool)).collect();
            rustler::types::tuple::make_tuple(env, &items)
        }
        Some(Tok::List(n)) => (0..*n)
            .map(|_| op_term(env, toks, pool))
            .collect::<Vec<Term>>()
            .encode(env),
        None => atoms::nil().encode(env),
    }
}

/// Where ops come from: the terms of a pool tuple, or bare indices.
enum Picks<'a> {
    Terms(Vec<Term<'a>>),
    Indices,
}

fn pick_pool(pool: Term) -> NifResult<Picks> {
    if pool.is_tuple() {
        rustler::types::tuple::get_tuple(pool).map(Picks::Terms)
    } else if pool.is_atom() && pool.decode::<Atom>()? == atoms::nil() {
        Ok(Picks::Indices)
    } else {
        Err(rustler::Error::BadArg)
    }
}

impl<'a> Picks<'a> {
    fn len_or(&self, n: u64) -> u64 {
        match self {
            Picks::Terms(terms) => terms.len() as u64,
            Picks::Indices => n,
        }
    }

    /// `ops` as a list; indices were checked against the pool beforehand.
    fn encode(&self, env: Env<'a>, ops: &[u64]) -> Term<'a> {
        match self {
            Picks::Terms(terms) => ops
                .iter()
                .map(|&i| terms[i as usize])
                .collect::<Vec<Term>>()
                .encode(env),
            Picks::Indices => ops.encode(env),
        }
    }
}

rustler::init!("Elixir.Lockstep.Generator.Native");
