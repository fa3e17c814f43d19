//! The entry points (see the crate doc).

use crate::pool_groups;
use crate::reply::{self, Failed, Refill, Seek, Stale};
use crate::request::{NextChilds, Request, StateAfter, Tags};
use crate::resources::{Cursor, Table};
use crate::spec;
use lockstep_engine::{
    batch, batch::Record, Batch, Leaf, Node, Position, Seed, Tok, Work, MAX_CHUNK,
};
use rustler::{Atom, Encoder, Env, NifResult, ResourceArc, Term};

mod atoms {
    rustler::atoms! {
        error, stale_table, nil, key, op,
        struct_field = "__struct__",
        keyed = "Elixir.Lockstep.Generator.Keyed",
    }
}

/// Work units one `run` skip may spend (ops stepped, children visited): well
/// under a millisecond.
pub const SKIP_WORK: u64 = 200_000;

/// Work units per plan node a `run_dirty` skip may spend: the call already
/// costs O(nodes) to decode, so it may do that much again many times over
/// (a round-robin `until: :all` skip does O(children) per round).
pub const DIRTY_SKIP_WORK_PER_NODE: u64 = 64;

/// Pool tables at most this long are built on a normal scheduler; longer ones
/// (whose build may take more than ~50 µs) on a dirty CPU scheduler.
pub const SMALL_TABLE: usize = 4096;

/// Terms one call may build before it has used a whole timeslice (about a
/// millisecond): the engine's token budget per call.
const TERMS_PER_TIMESLICE: usize = 1 << 16;

/// Tells the VM what a call that built `terms` op terms cost, so the calling
/// process yields once its timeslice is used: a loop of NIF calls (a fold)
/// must not hold a normal scheduler for many calls in a row.
fn charge(env: Env, terms: usize) {
    let percent = (terms.saturating_mul(100) / TERMS_PER_TIMESLICE).min(100);
    if percent > 0 {
        rustler::schedule::consume_timeslice(env, percent as i32);
    }
}

/// Work units (lockstep_engine's `Work`) a whole timeslice is worth: a call
/// that spent all of its `CALL_WORK` (a few hundred microseconds, more when
/// what it copies is not in cache) uses up the timeslice, so its process
/// lets others run before its next such call.
const WORK_PER_TIMESLICE: u64 = lockstep_engine::batch::CALL_WORK;

/// Work units a `plan_seek` on a normal scheduler may spend (its
/// `{:more, cursor}` answer is called again): one call's `CALL_WORK` twice.
pub const SEEK_WORK: u64 = 2 * lockstep_engine::batch::CALL_WORK;

/// [`charge`] for a cursor's call, by the op terms it built or the engine
/// work it spent (`Batch::spent`: shared groups copied, word cursors made,
/// children stepped), whichever is more: a call that made few terms at a
/// high cost (a wide tree's holder copying what it changes) is charged
/// what it took, so its process yields after a timeslice's worth of them.
fn charge_work(env: Env, terms: usize, spent: u64) {
    let by_work = (spent.saturating_mul(100) / WORK_PER_TIMESLICE).min(100) as usize;
    let by_terms = (terms.saturating_mul(100) / TERMS_PER_TIMESLICE).min(100);
    let percent = by_work.max(by_terms);
    if percent > 0 {
        rustler::schedule::consume_timeslice(env, percent as i32);
    }
}

/// Every call but the two hot ones (`leaf_chunk`, `run`) comes through
/// [`call`] (normal scheduler) or [`call_dirty`] (dirty CPU scheduler),
/// tagged with what it asks for; each variant's arguments are decoded, as
/// before, by the function it names.
#[derive(rustler::NifTaggedEnum)]
enum Call<'a> {
    TableNew(Term<'a>),
    TableLive(Term<'a>),
    Tuple(Term<'a>),
    ForkStream(Term<'a>, Term<'a>),
    PlanNew(Term<'a>, Term<'a>),
    PlanChunk(Term<'a>, Term<'a>, Term<'a>),
    PlanChunkLeaves(Term<'a>, Term<'a>, Term<'a>),
    PlanRefill(Term<'a>, Term<'a>, Term<'a>, Term<'a>, Term<'a>),
    PlanSeek(Term<'a>, Term<'a>),
    Run(Term<'a>, Term<'a>, Term<'a>),
}

/// A [`Call`] on a normal scheduler (bounded work; a table of at most
/// `SMALL_TABLE` weights).
#[rustler::nif]
fn call<'a>(env: Env<'a>, what: Term<'a>) -> NifResult<Term<'a>> {
    dispatch(env, what, false)
}

/// A [`Call`] on a dirty CPU scheduler: what may take longer than a
/// normal scheduler may be held (large trees, pools, tables, tuples).
#[rustler::nif(schedule = "DirtyCpu")]
fn call_dirty<'a>(env: Env<'a>, what: Term<'a>) -> NifResult<Term<'a>> {
    dispatch(env, what, true)
}

fn dispatch<'a>(env: Env<'a>, what: Term<'a>, dirty: bool) -> NifResult<Term<'a>> {
    let what: Call = what.decode().map_err(|_| rustler::Error::BadArg)?;
    match what {
        Call::TableNew(weights) if dirty => table_new_dirty(env, weights),
        Call::TableNew(weights) => table_new(env, weights),
        Call::TableLive(table) => Ok(table_live(table).encode(env)),
        Call::Tuple(list) => tuple_dirty(env, list),
        Call::ForkStream(parent, key) => {
            Ok(fork_stream(parent.decode()?, key.decode()?).encode(env))
        }
        Call::PlanNew(spec, pool_len) => Ok(new_plan(env, spec, pool_len.decode()?)),
        Call::PlanChunk(cursor, k, pool) => plan_chunk(env, cursor.decode()?, k.decode()?, pool),
        Call::PlanChunkLeaves(cursor, k, pools) => {
            chunk_leaves(env, cursor.decode()?, k.decode()?, pools)
        }
        Call::PlanRefill(cursor, at, k, ask, pools) => {
            let ask = ask.decode().map_err(|_| rustler::Error::BadArg)?;
            refill(env, cursor, at.decode()?, k.decode()?, ask, pools)
        }
        Call::PlanSeek(cursor, at) => Ok(seek(env, cursor, at.decode()?, dirty)),
        Call::Run(spec, pools, request) => Ok(run_on(env, spec, pools, request, dirty)),
    }
}

/// Decodes a proper list of u64 weights. Rustler's list iterator panics on an
/// improper list, so properness is checked first (`enif_get_list_length` fails
/// cleanly on one).
fn weights(term: Term) -> NifResult<Vec<u64>> {
    term.list_length()?;
    term.decode()
}

fn build_table<'a>(env: Env<'a>, weights: Vec<u64>) -> Term<'a> {
    lockstep_engine::AliasTable::new(&weights)
        .map(|table| ResourceArc::new(Table::new(table)))
        .map_err(|e| e.to_string())
        .encode(env)
}

/// Alias table for `weights` (at most `SMALL_TABLE` of them): `{:ok, table}` or
/// `{:error, reason}`.
fn table_new<'a>(env: Env<'a>, weights: Term<'a>) -> NifResult<Term<'a>> {
    let weights = self::weights(weights)?;
    if weights.len() > SMALL_TABLE {
        return Err(rustler::Error::BadArg);
    }
    Ok(build_table(env, weights))
}

/// Same as `table_new/1` for any number of weights, on a dirty CPU scheduler.
fn table_new_dirty<'a>(env: Env<'a>, weights: Term<'a>) -> NifResult<Term<'a>> {
    Ok(build_table(env, self::weights(weights)?))
}

/// Stream id of `fork(gen, key)` for a generator on stream `parent`
/// (`key` is the fork key's `{domain, value}`).
fn fork_stream(parent: u64, key: (u64, u64)) -> u64 {
    lockstep_engine::seed::fork_stream(parent, Seed::new(key.0, key.1))
}

/// The elements of the proper list `list` as a tuple, on a dirty CPU
/// scheduler: a pool of millions of ops becomes a tuple without holding a
/// normal one (`:erlang.list_to_tuple/1` does not yield).
fn tuple_dirty<'a>(env: Env<'a>, list: Term<'a>) -> NifResult<Term<'a>> {
    let mut elems = Vec::with_capacity(list.list_length()?);
    elems.extend(list.into_list_iterator()?);
    Ok(rustler::types::tuple::make_tuple(env, &elems))
}

/// True when `table` is a live table resource of this VM (a table that travelled
/// through `term_to_binary` into another VM is not, and must be rebuilt).
fn table_live(table: Term) -> bool {
    table.decode::<ResourceArc<Table>>().is_ok()
}

/// The `k` (≤ `MAX_CHUNK`) ops from op `pos` of one leaf, as terms picked from
/// `pool` (a tuple) or, when `pool` is `nil`, as pool indices. Returns
/// `{:error, :stale_table}` when a weighted leaf's table is not a live
/// resource (the one error answer every entry point shares; malformed
/// arguments, which only a caller bug produces, raise `ArgumentError`).
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
        Err(spec::SpecError::StaleTable) => {
            return Ok((atoms::error(), atoms::stale_table()).encode(env))
        }
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
    Ok(PICKS.with_borrow_mut(|out| {
        out.clear();
        node.fill(out, k);
        charge(env, out.len());
        picks.encode(env, out)
    }))
}

/// A cursor over a whole plan (`spec` as built by `Lockstep.Generator.Spec.tree/1`),
/// whose ops index a pool of `pool_len` ops: `{:ok, cursor}`, `{:error,
/// :stale_table}` or `{:error, reason}` (`{:plan_new, spec, pool_len}`;
/// on a dirty scheduler for trees so large that decoding them takes
/// milliseconds).
fn new_plan<'a>(env: Env<'a>, spec: Term<'a>, pool_len: u64) -> Term<'a> {
    let made = spec::decode_plan(spec);
    let made = made.and_then(|node| Cursor::new(node, pool_len).map_err(spec::SpecError::Engine));
    made.map(ResourceArc::new).map_err(failed).encode(env)
}

/// The error a caller sees for a plan that could not be made or run.
fn failed(e: spec::SpecError) -> Failed {
    match e {
        spec::SpecError::StaleTable => Failed::Stale(Stale::StaleTable),
        e => Failed::Reason(e.to_string()),
    }
}

/// The next `k` (≤ `MAX_CHUNK`) ops of `cursor`, picked from `pool` (the flat
/// pool as one tuple), or pool indices when `pool` is `nil` (plans of pool
/// picks only: the pools are then not read at all, which is how large pools
/// are served); fewer when the call's work budget is spent (at least one
/// while the plan has ops), `[]` once the plan is exhausted. Plans with values or zips build their ops
/// (integers, tuples, lists) here, around terms picked from `pool`.
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
        let chunk = batch.next_chunk(k).len();
        charge_work(env, chunk, batch.spent());
        return Ok(picks.encode(env, batch.picks()));
    }
    let Picks::Terms(terms) = &picks else {
        return Err(rustler::Error::BadArg);
    };
    Ok(token_ops(env, &mut batch, k, terms))
}

/// The next (up to) `k` ops of a batch whose plan builds its ops from
/// tokens, made around terms of `terms`; the call charged for them.
fn token_ops<'a>(env: Env<'a>, batch: &mut Batch, k: usize, terms: &Pools<'a, '_>) -> Term<'a> {
    let (n, toks) = batch.next_tokens(k);
    let made = toks.len();
    charge_work(env, made, batch.spent());
    ops_list(env, n, batch.toks(), terms)
}

fn chunk_leaves<'a>(
    env: Env<'a>,
    cursor: ResourceArc<Cursor>,
    k: usize,
    pools: Term<'a>,
) -> NifResult<Term<'a>> {
    if k > MAX_CHUNK {
        return Err(rustler::Error::BadArg);
    }
    let terms = Pools::grouped(pools, cursor.leaf_ends(), k).ok_or(rustler::Error::BadArg)?;
    let mut batch = cursor.lock();
    if batch.is_pick_only() {
        let made = batch.next_chunk(k).len();
        charge_work(env, made, batch.spent());
        let ops: Vec<Term> = batch.picks().iter().map(|&i| terms.get(i)).collect();
        return terms.checked(ops.encode(env));
    }
    let ops = token_ops(env, &mut batch, k, &terms);
    terms.checked(ops)
}

/// The next (up to) `k` ops of `cursor` for `next/1` (fewer as for
/// `plan_chunk/3`; `[]` once the plan is done): `{:ok, {ops, next_childs,
/// tags}}` ([`Refill`]); with `:record` (and a top that has one),
/// `next_childs` is the top mix's `next_child` after each op, else `[]`;
/// with `:tags` (a mix or concat at the
/// top), `tags` is the index of the top child that served each op (as
/// `run/3`'s tags), else `[]`. `at` is how many ops the caller knows the cursor has produced;
/// when the cursor has moved on (another holder of the same generator value
/// refilled from it) or is not a live cursor of this VM, the answer is
/// `{:error, :stale}` and the caller rebuilds it from the generator's
/// fields. `pools` as for `plan_chunk_leaves/3`. `ask`: `{next_childs,
/// tags}` (`{:record | :plain, :tags | :untagged}`)
/// (`{:plan_refill, cursor, at, k, ask, pools}`; on a dirty scheduler for
/// plans whose pools are large).
fn refill<'a>(
    env: Env<'a>,
    cursor: Term<'a>,
    at: u64,
    k: usize,
    (record, tagged): (NextChilds, Tags),
    pools: Term<'a>,
) -> NifResult<Term<'a>> {
    let stale = || Ok(Err::<(), _>(Stale::Stale).encode(env));
    let Ok(cursor) = cursor.decode::<ResourceArc<Cursor>>() else {
        return stale();
    };
    let tagged = tagged == Tags::Tags;
    if k > MAX_CHUNK {
        return Err(rustler::Error::BadArg);
    }
    let terms = Pools::grouped(pools, cursor.leaf_ends(), k).ok_or(rustler::Error::BadArg)?;
    let mut batch = cursor.lock();
    if batch.produced() != at {
        return stale();
    }
    if tagged && !batch.has_tags() {
        return Err(rustler::Error::BadArg);
    }
    let record = record == NextChilds::Record && batch.has_next_child();
    let (mut ncs, mut tags) = (Vec::new(), Vec::new());
    let rec = Record {
        next_childs: record.then_some(&mut ncs),
        tags: tagged.then_some(&mut tags),
    };
    let n = batch.refill(k, rec);
    ncs.truncate(n);
    let spent = batch.spent();
    let ops = if batch.is_pick_only() {
        let picks = batch.picks();
        charge_work(env, picks.len(), spent);
        let mut picks = picks.iter();
        ops_of(n, || terms.get(picks.next().copied().unwrap_or(0)))
    } else {
        let toks = batch.toks();
        charge_work(env, toks.len(), spent);
        let mut toks = toks.iter();
        ops_of(n, || item(env, &mut toks, &terms))
    };
    terms.checked(())?;
    let refill = Refill {
        ops: ops.encode(env),
        next_childs: ncs,
        tags,
    };
    Ok(Ok::<_, Stale>(refill).encode(env))
}

/// A cursor that stands where `cursor`'s plan stands after `at` ops (`at`
/// at most the ops it has made, as a holder of a generator value whose
/// cursor has moved on knows it), for `plan_refill`: `cursor` itself when
/// it is there, else one of its own over the same decoded plan (shared, not
/// decoded again), moved there by the engine's skip, or cloned from the
/// last cursor sought there (many holders of one value ask for one
/// position). `{:ok, cursor}`;
/// `{:more, cursor}` when the call's skip budget ran out first (call again
/// with that cursor); `{:error, :stale}` when `cursor` is not a live cursor
/// of this VM (the caller makes one from the generator's fields).
/// (`{:plan_seek, cursor, at}`; on a dirty scheduler where the refills are.)
fn seek<'a>(env: Env<'a>, cursor: Term<'a>, at: u64, dirty: bool) -> Term<'a> {
    let stale = || Seek::Error(Stale::Stale).encode(env);
    let Ok(mut cursor) = cursor.decode::<ResourceArc<Cursor>>() else {
        return stale();
    };
    let budget = if dirty {
        SKIP_WORK.max(DIRTY_SKIP_WORK_PER_NODE * cursor.nodes())
    } else {
        SEEK_WORK
    };
    let mut work = Work::new(budget);
    // A cursor not past `at` is moved on in place (no value refills from
    // a cursor at a position it has not reached); one past it gets a
    // cursor of its own.
    let in_place = {
        let mut batch = cursor.lock();
        if batch.produced() <= at {
            Some(skip_to(&mut batch, at, &mut work))
        } else {
            None
        }
    };
    let answer = match in_place {
        Some(answer) => answer,
        None => {
            cursor = ResourceArc::new(cursor.restart(at));
            let mut batch = cursor.lock();
            let from = batch.produced();
            let answer = skip_to(&mut batch, at, &mut work);
            if from != at && answer == Some(Sought::There) {
                cursor.remember(&batch);
            }
            drop(batch);
            answer
        }
    };
    let Some(answer) = answer else {
        // Done before `at`: not the plan the value was made from.
        return stale();
    };
    if !dirty {
        let used = budget - work.left();
        let percent = (used * 100 / WORK_PER_TIMESLICE).clamp(1, 100);
        rustler::schedule::consume_timeslice(env, percent as i32);
    }
    match answer {
        Sought::There => Seek::Ok(cursor),
        Sought::Partway => Seek::More(cursor),
    }
    .encode(env)
}

/// How far a seek's skip went.
#[derive(PartialEq, Eq)]
enum Sought {
    There,
    Partway,
}

/// Skips `batch` on towards op `at` (not past it) within `work`: `There`
/// once there, `Partway` when the budget ran out first, `None` when the
/// plan is done before `at`.
fn skip_to(batch: &mut Batch, at: u64, work: &mut Work) -> Option<Sought> {
    let left = at - batch.produced();
    let skipped = batch.skip(left, work);
    if skipped == left {
        Some(Sought::There)
    } else if skipped > 0 {
        Some(Sought::Partway)
    } else {
        None
    }
}

/// `n` ops made by `op`.
fn ops_of<'a>(n: usize, mut op: impl FnMut() -> Term<'a>) -> Vec<Term<'a>> {
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(op());
    }
    out
}

/// The list of the `n` ops written as `toks`.
fn ops_list<'a>(env: Env<'a>, n: usize, toks: &[Tok], terms: &Pools<'a, '_>) -> Term<'a> {
    let mut toks = toks.iter();
    let ops: Vec<Term> = (0..n).map(|_| item(env, &mut toks, terms)).collect();
    ops.encode(env)
}

/// Runs a plan (`spec`, as built by `Lockstep.Generator.Spec`, whose leaves
/// pick from `pools`, one tuple per leaf in depth-first order) and reports
/// what it did, so the caller writes the plan's new state back into the
/// generator. `request`:
///
/// generator. `request` is a [`Request`] (decoded by Rustler):
///
/// * `{:ops, k, next_childs, tags, state}`: the next (up to) `k` ops,
///   fewer once done or when the call's token budget is spent:
///   `{:ok, {ops, next_childs, state, tags}}` ([`reply::Ops`]); with
///   `:record` (and a round-robin mix or a concat at the top),
///   `next_childs` is the top's `next_child` after each op, else `[]`;
///   with `:tags` (a mix or concat
///   at the top), `tags` is the index of the top child that served each op
///   (how `Lockstep.Generator.Lift` applies the functions of map children),
///   else `[]`; with `:stateless`, `nil` for the state (a fold whose last
///   ops these are has no use for it).
/// * `{:picks, k, next_childs}`: as `:ops` for a tree of pool picks only,
///   with flat pool indices in place of the ops; `pools` is not read.
/// * `{:skip, n}`: skips up to `n` ops within a work budget:
///   `{:ok, {skipped, state}}` (fewer than `n` when done or out of budget).
/// * `:capacity`: `{:ok, count | :infinity | :unknown}`.
///
/// `state` is per node ([`reply::State`]): `0` (unchanged), a leaf's op
/// count, or `%{produced: n, next_child: c | nil, children: [state]}` for
/// composites. Errors ([`Failed`]): `{:error, :stale_table}` (a table
/// resource from another VM) or `{:error, reason}` (a message naming the
/// bad part). The replies are the types of `reply`.
#[rustler::nif]
fn run<'a>(env: Env<'a>, spec: Term<'a>, pools: Term<'a>, request: Term<'a>) -> Term<'a> {
    run_on(env, spec, pools, request, false)
}

fn run_on<'a>(
    env: Env<'a>,
    spec: Term<'a>,
    pools: Term<'a>,
    request: Term<'a>,
    dirty: bool,
) -> Term<'a> {
    run_request(env, spec, pools, request, dirty)
        .map_err(failed)
        .encode(env)
}

type State = reply::State<'static>;

fn run_request<'a>(
    env: Env<'a>,
    spec: Term<'a>,
    pools: Term<'a>,
    request: Term<'a>,
    dirty: bool,
) -> Result<reply::Run<'a, 'static>, spec::SpecError> {
    use spec::SpecError::Malformed;
    let mut node = spec::decode_plan(spec)?;
    let request = request
        .decode::<Request>()
        .map_err(|_| Malformed("request"))?
        .checked()
        .map_err(Malformed)?;
    match request {
        Request::Capacity(_) => Ok(reply::Run::Capacity(node.capacity().into())),
        Request::Skip((_, n)) => {
            let budget = if dirty {
                SKIP_WORK.max(DIRTY_SKIP_WORK_PER_NODE * node.nodes())
            } else {
                SKIP_WORK
            };
            let skipped = node.skip(n, &mut Work::new(budget));
            let state = State::from(node.state());
            Ok(reply::Run::Skipped(reply::Skipped { skipped, state }))
        }
        Request::Picks((_, k, record)) => {
            // Pick-only trees with large pools: flat pool indices, the pools
            // not read at all (the caller maps them).
            let record = record == NextChilds::Record && node.top_next_child().is_some();
            if !node.is_pick_only() {
                return Err(Malformed("picks request"));
            }
            let mut ncs = Vec::new();
            let mut picks = Vec::new();
            let rec = Record {
                next_childs: record.then_some(&mut ncs),
                tags: None,
            };
            let n = batch::run_picks(&mut node, k, &mut picks, rec);
            charge(env, picks.len());
            picks.truncate(n);
            ncs.truncate(n);
            let state = Some(State::from(node.state()));
            Ok(reply::Run::Ops(reply::ops(
                picks.encode(env),
                ncs,
                state,
                Vec::new(),
            )))
        }
        Request::Ops((_, k, record, tagged, with_state)) => {
            // Only a round-robin mix or a concat at the top has a next_child.
            let record = record == NextChilds::Record && node.top_next_child().is_some();
            let tagged = tagged == Tags::Tags;
            // Tags: which child of the top mix served each op.
            if tagged && !matches!(node, Node::Mix(_)) {
                return Err(Malformed("op request"));
            }
            let terms = Pools::from_list(pools).ok_or(Malformed("pools"))?;
            batch::check_pool(&node, terms.len())?;
            let (out, next_childs, tags) = if node.is_pick_only() {
                // Picks alone: indices, no tokens.
                run_into(
                    env,
                    &PICKS,
                    &mut node,
                    (k, record, tagged),
                    batch::run_picks,
                    |picks| terms.get(picks.next().copied().unwrap_or(0)),
                )
            } else {
                run_into(
                    env,
                    &TOKENS,
                    &mut node,
                    (k, record, tagged),
                    batch::run_ops,
                    |toks| item(env, toks, &terms),
                )
            };
            let state = (with_state == StateAfter::State).then(|| State::from(node.state()));
            Ok(reply::Run::Ops(reply::ops(
                out.encode(env),
                next_childs,
                state,
                tags,
            )))
        }
    }
}

/// Up to `k` ops of `node` written by `run` (the engine's [`batch::run_picks`]
/// or [`batch::run_ops`]) into `buf` (a scheduler thread's buffer, reused),
/// recording the top mix's `next_child`s when `record` and its serving
/// children when `tagged`; then each op's term made by `read` from the
/// items, the `next_child`s (one per op) and the tags.
fn run_into<'a, T>(
    env: Env<'a>,
    buf: &'static std::thread::LocalKey<std::cell::RefCell<Vec<T>>>,
    node: &mut Node,
    (k, record, tagged): (usize, bool, bool),
    run: impl FnOnce(&mut Node, usize, &mut Vec<T>, Record) -> usize,
    mut read: impl FnMut(&mut std::slice::Iter<T>) -> Term<'a>,
) -> (Vec<Term<'a>>, Vec<usize>, Vec<u32>) {
    let (mut ncs, mut tags) = (Vec::new(), Vec::new());
    let out = buf.with_borrow_mut(|items| {
        items.clear();
        let rec = Record {
            next_childs: record.then_some(&mut ncs),
            tags: tagged.then_some(&mut tags),
        };
        let n = run(node, k, items, rec);
        charge(env, items.len());
        let mut it = items.iter();
        let out = ops_of(n, || read(&mut it));
        if items.capacity() > MAX_KEPT_TOKENS {
            *items = Vec::new();
        }
        out
    });
    ncs.truncate(out.len());
    (out, ncs, tags)
}

thread_local! {
    /// A scheduler thread's token buffer, reused by every `run/3` call on it
    /// (no allocation per call for the common sizes).
    static TOKENS: std::cell::RefCell<Vec<Tok>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The same for pool indices (at most `MAX_CHUNK` per call).
    static PICKS: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Largest token (or pick) buffer a scheduler thread keeps between calls.
const MAX_KEPT_TOKENS: usize = 1 << 15;

/// The flat pool: every leaf's pool tuple, concatenated in order. From a
/// list of tuples (`run`) every leaf's elements are read; from grouped
/// pools with the leaves' ends known (`plan_chunk_leaves`, `plan_refill`;
/// the layout is in `pool_groups`), a leaf's tuple, and the groups on the
/// way to it, are read only when a pick needs them (once per call), each
/// pick finding its leaf by binary search; unless the whole flat pool is
/// small beside the ops the call asks for (a narrow tree): then it is read
/// whole, and a pick is an index. Reading a tuple copies its term
/// handles (no `unsafe` here), O(its size): what a grouped call reads
/// follows the leaves it picks from; trees whose pools are large enough for
/// that to matter run on a dirty scheduler (`run_dirty`,
/// `plan_chunk_leaves_dirty`; see `Lockstep.Generator.Scheduler`).
struct Pools<'a, 'e> {
    env: Env<'a>,
    source: Source<'a>,
    /// `ends[j]`: one past the flat index of leaf `j`'s last element.
    ends: Ends<'e>,
    /// Set when a pick found no element: a leaf tuple of the wrong size
    /// (see [`Pools::checked`]).
    refused: std::cell::Cell<bool>,
}

/// The leaves' ends: one leaf's held in place (no allocation for the
/// call of a single leaf), or a slice.
enum Ends<'e> {
    One([u64; 1]),
    Many(std::borrow::Cow<'e, [u64]>),
}

impl std::ops::Deref for Ends<'_> {
    type Target = [u64];

    fn deref(&self) -> &[u64] {
        match self {
            Ends::One(end) => end,
            Ends::Many(ends) => ends,
        }
    }
}

enum Source<'a> {
    /// Every leaf's elements, concatenated in order (the flat pool).
    Flat(Vec<Term<'a>>),
    /// The grouped pools' top tuple, `depth` levels above the leaf tuples
    /// (`pool_groups::depth`), read down when first needed.
    Grouped { top: Read<'a>, depth: u32 },
}

/// A tuple of the grouped pools, read: its elements and, for a group (not a
/// leaf's own tuple), each element read in turn when first needed (`None`:
/// not a tuple).
struct Read<'a> {
    elems: Vec<Term<'a>>,
    below: Box<[std::cell::OnceCell<Option<Read<'a>>>]>,
}

impl<'a> Read<'a> {
    /// `term` read as a group (`group`: its elements are tuples to read
    /// later) or as a leaf's tuple; `None` when it is not a tuple.
    fn new(term: Term<'a>, group: bool) -> Option<Self> {
        let elems = tuple_elems(term)?;
        let below = if group {
            (0..elems.len())
                .map(|_| std::cell::OnceCell::new())
                .collect()
        } else {
            Box::default()
        };
        Some(Read { elems, below })
    }

    /// Element `i` read (as a group when `group`), once.
    fn child(&self, i: usize, group: bool) -> Option<&Read<'a>> {
        let term = *self.elems.get(i)?;
        self.below
            .get(i)?
            .get_or_init(|| Read::new(term, group))
            .as_ref()
    }
}

/// Flat-pool elements per op asked up to which a call reads grouped pools
/// whole (see [`Pools::grouped`]): reading one costs about what building
/// one op does.
const FLAT_READ_PER_OP: u64 = 4;

/// Calls asking fewer ops count as asking this many for that rule.
const FLAT_READ_MIN_OPS: usize = 64;

/// Appends, in order, the elements of every leaf tuple under `term` (a
/// tuple of grouped pools `level` levels above the leaf tuples' holder),
/// each checked against its size in `ends` (the leaves' ends; `leaf` is the
/// next leaf's index); `None` when the layout does not match.
fn read_flat<'a>(
    term: Term<'a>,
    level: u32,
    ends: &[u64],
    leaf: &mut usize,
    flat: &mut Vec<Term<'a>>,
) -> Option<()> {
    for elem in tuple_elems(term)? {
        if level > 0 {
            read_flat(elem, level - 1, ends, leaf, flat)?;
        } else {
            let size = ends.get(*leaf)?.checked_sub(flat.len() as u64)?;
            push_tuple(elem, size, flat)?;
            *leaf += 1;
        }
    }
    Some(())
}

/// Appends the elements of `term`, a tuple of `size` elements (`None`
/// otherwise); small ones without a buffer of their own.
fn push_tuple<'a>(term: Term<'a>, size: u64, out: &mut Vec<Term<'a>>) -> Option<()> {
    type T<'a> = Term<'a>;
    match size {
        1 => out.push(term.decode::<(T,)>().ok()?.0),
        2 => {
            let (a, b) = term.decode::<(T, T)>().ok()?;
            out.extend([a, b]);
        }
        3 => {
            let (a, b, c) = term.decode::<(T, T, T)>().ok()?;
            out.extend([a, b, c]);
        }
        4 => {
            let (a, b, c, d) = term.decode::<(T, T, T, T)>().ok()?;
            out.extend([a, b, c, d]);
        }
        _ => {
            let elems = tuple_elems(term)?;
            if elems.len() as u64 != size {
                return None;
            }
            out.extend(elems);
        }
    }
    Some(())
}

/// The elements of a tuple; `None` when `term` is not a tuple.
fn tuple_elems(term: Term) -> Option<Vec<Term>> {
    rustler::types::tuple::get_tuple(term).ok()
}

impl<'a, 'e> Pools<'a, 'e> {
    /// A proper list of tuples.
    fn from_list(list: Term<'a>) -> Option<Self> {
        // One leaf (a value leaf's call): its tuple, three calls in all.
        if let Ok((first, rest)) = list.list_get_cell() {
            if rest.list_length().ok()? == 0 {
                return Self::from_tuple(first);
            }
        }
        let leaves = list.list_length().ok()?;
        // Room for a few small pools without growing.
        let mut flat = Vec::with_capacity((8 * leaves).min(256));
        let mut ends = Vec::with_capacity(leaves);
        for tuple in list.into_list_iterator().ok()? {
            flat.extend(tuple_elems(tuple)?);
            ends.push(flat.len() as u64);
        }
        Some(Pools {
            env: list.get_env(),
            source: Source::Flat(flat),
            ends: Ends::Many(ends.into()),
            refused: Default::default(),
        })
    }

    /// One tuple.
    fn from_tuple(tuple: Term<'a>) -> Option<Self> {
        let elems = tuple_elems(tuple)?;
        Some(Pools {
            env: tuple.get_env(),
            ends: Ends::One([elems.len() as u64]),
            source: Source::Flat(elems),
            refused: Default::default(),
        })
    }

    /// Grouped pools (`pool_groups`) of the leaves whose ends are `ends`,
    /// for a call of up to `k` ops: read whole into the flat pool when that
    /// is small beside the call ([`FLAT_READ_PER_OP`] elements per op asked:
    /// a narrow tree, every pick then one index), else read down as picks
    /// need them.
    fn grouped(tuple: Term<'a>, ends: &'e [u64], k: usize) -> Option<Self> {
        let depth = pool_groups::depth(ends.len());
        let total = ends.last().copied().unwrap_or(0);
        if total <= FLAT_READ_PER_OP * k.max(FLAT_READ_MIN_OPS) as u64 {
            let mut flat = Vec::with_capacity(total as usize);
            let mut leaf = 0;
            read_flat(tuple, depth - 1, ends, &mut leaf, &mut flat)?;
            return (leaf == ends.len()).then(|| Pools {
                env: tuple.get_env(),
                source: Source::Flat(flat),
                ends: Ends::Many(ends.into()),
                refused: Default::default(),
            });
        }
        let top = Read::new(tuple, true)?;
        (top.elems.len() == pool_groups::top_len(ends.len(), depth)).then(|| Pools {
            env: tuple.get_env(),
            source: Source::Grouped { top, depth },
            ends: Ends::Many(ends.into()),
            refused: Default::default(),
        })
    }

    fn len(&self) -> u64 {
        self.ends.last().copied().unwrap_or(0)
    }

    fn part_of(&self, i: u64) -> usize {
        if self.ends.len() == 1 {
            0
        } else {
            self.ends.partition_point(|&end| end <= i)
        }
    }

    fn start(&self, j: usize) -> u64 {
        if j == 0 {
            0
        } else {
            self.ends[j - 1]
        }
    }

    /// Leaf `j`'s elements (read on first use from grouped pools).
    fn part(&self, j: usize) -> Option<&[Term<'a>]> {
        match &self.source {
            Source::Flat(flat) => Some(&flat[self.start(j) as usize..self.ends[j] as usize]),
            Source::Grouped { top, depth } => {
                let mut group = top;
                for level in (1..*depth).rev() {
                    group = group.child(pool_groups::index(j, level), true)?;
                }
                let leaf = group.child(pool_groups::index(j, 0), false)?;
                Some(&leaf.elems)
            }
        }
    }

    /// Element `i` of the flat pool (`i < len()`); `nil`, and the pools
    /// marked refused, when its leaf's tuple is not of the leaf's size.
    #[inline]
    fn get(&self, i: u64) -> Term<'a> {
        if let Source::Flat(flat) = &self.source {
            if let Some(&term) = flat.get(i as usize) {
                return term;
            }
        }
        self.get_grouped(i)
    }

    /// [`Pools::get`] from grouped pools read leaf by leaf (or past a flat
    /// pool's end).
    #[inline(never)]
    fn get_grouped(&self, i: u64) -> Term<'a> {
        let found = || {
            let Source::Grouped { .. } = self.source else {
                return None;
            };
            let j = self.part_of(i);
            let (start, end) = (self.start(j), *self.ends.get(j)?);
            let elems = self.part(j)?;
            if elems.len() as u64 != end - start {
                return None;
            }
            elems.get((i - start) as usize).copied()
        };
        found().unwrap_or_else(|| {
            self.refused.set(true);
            atoms::nil().encode(self.env)
        })
    }

    /// `answer`, or `BadArg` when a pick read from a wrong-sized leaf
    /// tuple (the pools are not the ones the plan was made for).
    fn checked<T>(&self, answer: T) -> NifResult<T> {
        if self.refused.get() {
            Err(rustler::Error::BadArg)
        } else {
            Ok(answer)
        }
    }
}

/// Lists up to this long are built without a heap buffer.
const SHORT_LIST: usize = 16;

/// Builds one op from its tokens (depth bounded by the plan's, at most
/// `MAX_DEPTH` zips plus a list-append's two list levels).
fn op_term<'a>(env: Env<'a>, toks: &mut std::slice::Iter<Tok>, pool: &Pools<'a, '_>) -> Term<'a> {
    match toks.next() {
        Some(Tok::Pick(i)) => pool.get(*i),
        Some(Tok::Int(v)) => v.encode(env),
        Some(Tok::Nil) => atoms::nil().encode(env),
        Some(Tok::Keyed) => {
            let key = item(env, toks, pool);
            let op = item(env, toks, pool);
            let keys = [atoms::struct_field(), atoms::key(), atoms::op()];
            let values = [atoms::keyed().encode(env), key, op];
            Term::map_from_arrays(env, &keys, &values).unwrap_or_else(|_| atoms::nil().encode(env))
        }
        // Small tuples through Rustler's tuple encoders (stack arrays); a
        // general make_tuple allocates twice per op.
        Some(Tok::Tuple(2)) => {
            let a = item(env, toks, pool);
            (a, item(env, toks, pool)).encode(env)
        }
        Some(Tok::Tuple(3)) => {
            let a = item(env, toks, pool);
            let b = item(env, toks, pool);
            (a, b, item(env, toks, pool)).encode(env)
        }
        Some(Tok::Tuple(4)) => {
            let a = item(env, toks, pool);
            let b = item(env, toks, pool);
            let c = item(env, toks, pool);
            (a, b, c, item(env, toks, pool)).encode(env)
        }
        Some(Tok::Tuple(n)) => {
            let items: Vec<Term> = (0..*n).map(|_| item(env, toks, pool)).collect();
            rustler::types::tuple::make_tuple(env, &items)
        }
        // Short lists (list-append transactions and their micro-ops) are
        // built on the stack, cell by cell: no allocation per list.
        Some(Tok::List(n)) if *n as usize <= SHORT_LIST => {
            let n = *n as usize;
            let empty = Term::list_new_empty(env);
            let mut items = [empty; SHORT_LIST];
            for slot in &mut items[..n] {
                item_into(env, toks, pool, slot);
            }
            items[..n]
                .iter()
                .rev()
                .fold(empty, |list, &item| list.list_prepend(item))
        }
        Some(Tok::List(n)) => (0..*n)
            .map(|_| item(env, toks, pool))
            .collect::<Vec<Term>>()
            .encode(env),
        None => atoms::nil().encode(env),
    }
}

/// An op, or an element of a tuple or list: picks and integers here,
/// without a call (most are), tuples and lists by [`op_term`].
#[inline(always)]
fn item<'a>(env: Env<'a>, toks: &mut std::slice::Iter<Tok>, pool: &Pools<'a, '_>) -> Term<'a> {
    match toks.as_slice().first() {
        Some(Tok::Pick(i)) => {
            toks.next();
            pool.get(*i)
        }
        Some(Tok::Int(v)) => {
            toks.next();
            v.encode(env)
        }
        _ => op_term(env, toks, pool),
    }
}

/// [`item`] written into `slot` (a nested list or tuple is built straight
/// into its parent's slot rather than returned and copied).
#[inline(always)]
fn item_into<'a>(
    env: Env<'a>,
    toks: &mut std::slice::Iter<Tok>,
    pool: &Pools<'a, '_>,
    slot: &mut Term<'a>,
) {
    match toks.as_slice().first() {
        Some(Tok::Pick(i)) => {
            toks.next();
            *slot = pool.get(*i);
        }
        Some(Tok::Int(v)) => {
            toks.next();
            *slot = v.encode(env);
        }
        _ => op_term_into(env, toks, pool, slot),
    }
}

#[inline(never)]
fn op_term_into<'a>(
    env: Env<'a>,
    toks: &mut std::slice::Iter<Tok>,
    pool: &Pools<'a, '_>,
    slot: &mut Term<'a>,
) {
    *slot = op_term(env, toks, pool);
}

/// Where ops come from: the terms of a pool (one tuple, or a list of tuples
/// making up the flat pool, read in place), or bare indices.
enum Picks<'a> {
    Terms(Pools<'a, 'static>),
    Indices,
}

fn pick_pool(pool: Term) -> NifResult<Picks> {
    if pool.is_tuple() {
        Pools::from_tuple(pool)
            .map(Picks::Terms)
            .ok_or(rustler::Error::BadArg)
    } else if pool.is_atom() && pool.decode::<Atom>()? == atoms::nil() {
        Ok(Picks::Indices)
    } else {
        Err(rustler::Error::BadArg)
    }
}

impl<'a> Picks<'a> {
    fn len_or(&self, n: u64) -> u64 {
        match self {
            Picks::Terms(terms) => terms.len(),
            Picks::Indices => n,
        }
    }

    /// `ops` as a list; indices were checked against the pool beforehand.
    fn encode(&self, env: Env<'a>, ops: &[u64]) -> Term<'a> {
        match self {
            Picks::Terms(terms) => ops
                .iter()
                .map(|&i| terms.get(i))
                .collect::<Vec<Term>>()
                .encode(env),
            Picks::Indices => ops.encode(env),
        }
    }
}

rustler::init!("Elixir.Lockstep.Generator.Native");
