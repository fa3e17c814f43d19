defmodule Lockstep.Generator.Engine do
  @moduledoc false
  # The Elixir side of the Rust engine for generator trees it runs whole
  # ("native" trees: seeded leaves, mixes of every strategy, concats, zips;
  # no map, filter or select inside), for "lifted" ones: a mix, concat or
  # zip whose children are native trees or maps over them (`lifted?/1`),
  # and for every other mix, concat or zip, whose children the engine cannot
  # run are "supplied": their next ops pulled ahead (`supplied?/1`). The
  # engine (native/lockstep_engine) is the one implementation of what a
  # mix, concat or zip does next, when it is done and how it skips n ops;
  # this module only
  #
  #   * describes a tree to it (`spec/1`: a plain term built from the struct),
  #   * asks it for ops, skips or a capacity (`Native.run/3`), and
  #   * writes the state it reports back into the struct (`apply_state/2`).
  #
  # A composite's buffer. `next/1` pops `buf`, refilled by one engine call.
  # While ops are buffered, `children` hold their state as of the last refill
  # (before the buffered ops); `engine.frontier` holds what the refill did to
  # them, applied when the buffer runs out (or `:final` after a refill of
  # all the ops a take has left, which asks for no state: `settle/1` brings
  # the children up to date if anyone asks); `remaining` and `next_child` are
  # exact after every `next/1` (a round-robin mix's or concat's buffer
  # interleaves each op with its `next_child` after it). `pos` is the number
  # of ops of the last refill, `engine.base_next_child` the `next_child`
  # before it, so the exact state behind a partly used buffer is the
  # children's state advanced by the ops already popped (`settle/1`).
  # Trees of @cursor_leaves leaves or more refill from a cursor instead
  # (`engine.frontier` is then `%{cursor:, pools:, at:, dirty:, lift:}`):
  # the children stay as they were when the cursor was made and `pos`
  # counts every op made since, so the same `settle/1` gives the exact
  # state. Supplied children (Lockstep.Generator.Supply) may lag further;
  # `settle/1` writes them back too.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Lift, Native, Spec, Supply}

  import Bitwise

  @max_u64 (1 <<< 64) - 1
  @pick_kinds [:random, :weighted, :cycle]
  # Weight lists up to this long are sent as they are and the engine builds
  # their alias table inside the call (a few µs); longer ones get a table
  # resource, built once at construction (spec.rs: INLINE_TABLE).
  @inline_table 256
  # Trees with at least this many leaves refill next/1 from a cursor.
  @cursor_leaves 32
  # Ops per refill: the first serves a take(50) in one call; later ones more.
  @first_refill 64
  # Most ops one engine call gives (native/lockstep_engine: MAX_CHUNK).
  @max_chunk 4096
  @refill 1024
  # Trees with more leaves than this run on a dirty scheduler (see run/2).
  @dirty_leaves 2048
  # ...and so do trees with more pool ops than this in all.
  @big_pool 32_768

  @doc false
  def pick_kinds, do: @pick_kinds

  @doc false
  def inline_table, do: @inline_table

  # ------------------------------------------------------------ questions

  @doc false
  # True for trees the engine runs whole.
  @spec native?(G.t()) :: boolean()
  # (Leaves first, one match per node: next/1 asks on every refill of a
  # small tree.) A counter too far along for the engine's i128 is computed
  # in Elixir (Lockstep.Generator.Unique).
  def native?(%G{children: nil, kind: :counter} = gen), do: Lockstep.Generator.Unique.engine?(gen)
  def native?(%G{children: nil}), do: true

  def native?(%G{kind: kind, children: cs}) when kind in [:mix, :concat, :zip],
    do: all_native?(cs)

  # map, filter, select
  def native?(%G{}), do: false

  defp all_native?([child | rest]), do: native?(child) and all_native?(rest)
  defp all_native?([]), do: true

  @doc false
  # True for a mix, concat or zip whose children are native trees or maps over
  # them (chains of maps), at least one a map: the engine runs it with each
  # map child replaced by the tree under it and tags every op with the child
  # that served it, and the ops of map children go through their functions
  # here (`run_ops/3`), a chunk at a time. Maps must be pure (map/2), so
  # when and how often their function runs is not part of the stream.
  # A zip of such children needs no tags: element j of each op is child j's.
  @spec lifted?(G.t()) :: boolean()
  def lifted?(%G{kind: kind, children: [_ | _] = cs}) when kind in [:mix, :concat, :zip],
    do: Enum.any?(cs, &match?(%G{kind: :map}, &1)) and Enum.all?(cs, &liftable?/1)

  def lifted?(%G{}), do: false

  defp liftable?(%G{kind: :map, children: [child]}), do: liftable?(child)
  defp liftable?(gen), do: native?(gen)

  @doc false
  # True when the engine runs `gen`: native or lifted.
  @spec runs?(G.t()) :: boolean()
  def runs?(%G{kind: kind}) when kind in [:mix, :concat, :zip], do: true
  def runs?(gen), do: native?(gen)

  @doc false
  # True for a mix, concat or zip the engine runs with "supplied" children:
  # one holding a child it cannot run itself (a filter, a select, a map not
  # over an engine tree, or a composite holding one), whose next ops are
  # pulled ahead and handed to the engine (Lockstep.Generator.Supply).
  @spec supplied?(G.t()) :: boolean()
  def supplied?(%G{kind: kind} = gen) when kind in [:mix, :concat, :zip],
    do: not native?(gen) and not lifted?(gen)

  def supplied?(_gen), do: false

  @doc false
  # `gen` with new children (forked or spread): what was pulled ahead from
  # the old ones is dropped.
  @spec with_children(G.t(), [G.t()]) :: G.t()
  def with_children(%G{engine: %{ahead: [_ | _]} = e} = gen, children),
    do: %{gen | children: children, engine: %{e | ahead: nil}}

  def with_children(gen, children), do: %{gen | children: children}

  @doc false
  # Op index of a leaf's next op.
  @spec position(G.t()) :: non_neg_integer()
  def position(%G{pos: pos, buf: buf}), do: pos - length(buf)

  @doc false
  # Ops still in a buffer.
  def buffered(%G{buf: buf, next_child: nc}) when is_integer(nc), do: div(length(buf), 2)
  def buffered(%G{buf: buf}), do: length(buf)

  @doc false
  # Ops `gen` gives before :done: an integer, :infinity or :unknown.
  @spec capacity(G.t()) :: non_neg_integer() | :infinity | :unknown
  def capacity(%G{children: nil, remaining: remaining}), do: remaining

  def capacity(%G{kind: :map, children: [child], remaining: r}), do: min_count(capacity(child), r)

  def capacity(%G{kind: :select, children: [child]} = gen),
    do: Lockstep.Generator.Select.capacity(gen, capacity(child))

  def capacity(gen) do
    if runs?(gen) and not supplied?(gen) do
      {_gen, count} = run(settle(gen), :capacity)
      count
    else
      :unknown
    end
  end

  defp min_count(:unknown, _r), do: :unknown
  defp min_count(c, :infinity), do: c
  defp min_count(:infinity, r), do: r
  defp min_count(c, r), do: min(c, r)

  # ------------------------------------------------------------ next/1

  @doc false
  # next/1 of a native composite whose buffer is empty: one engine call
  # refills it.
  @spec next(G.t()) :: {term(), G.t()} | :done
  def next(%G{engine: %{frontier: %{cursor: _}}} = gen), do: cursor_refill(gen)

  def next(gen) do
    gen = settle_frontier(gen)

    case mode(gen) do
      :supplied ->
        refill(gen, :supplied, nil)

      # The tree's spec, made once: its pools tell whether it is wide enough
      # for a cursor, else the refill runs it.
      mode ->
        {_spec, pools} = made = Spec.tree(gen)

        if at_least?(pools, @cursor_leaves),
          do: gen |> start_cursor(mode, made) |> cursor_refill(),
          else: refill(gen, mode, made)
    end
  end

  # One engine call fills the buffer. A native tree's last refill (all its
  # remaining ops, as a fresh `take(20)` has) asks without the state: the
  # children are brought up to date only if someone asks for them
  # (`frontier: :final`; `settle/1`).
  defp refill(gen, mode, made) do
    k = refill_size(gen)
    record? = is_integer(gen.next_child)

    with true <- mode == :native and k == gen.remaining,
         {:ok, ops, gen} <- final_run(gen, k, record?, made) do
      e = gen.engine
      engine = %{e | frontier: :final, base_next_child: gen.next_child, refills: e.refills + 1}
      G.next(%{gen | buf: ops, pos: k, engine: engine})
    else
      _ -> refill_with_state(gen, k, record?, mode, made)
    end
  end

  defp refill_with_state(gen, k, record?, mode, made) do
    case run_ops(gen, k, record?, mode, made) do
      {_gen, {[], _state}} ->
        :done

      {gen, {ops, %{produced: n} = state}} ->
        e = gen.engine
        engine = %{e | frontier: state, base_next_child: gen.next_child, refills: e.refills + 1}
        G.next(%{gen | buf: ops, pos: n, engine: engine})
    end
  end

  # A tree of many leaves keeps its decoded plan between refills: a cursor
  # (a NIF resource) made from the children as they are, which `next/1`
  # refills from without describing, decoding or writing back the whole tree
  # each time. The cursor is only a cache: `children` stay as they were when
  # it was made, `pos` counts the ops it has produced since, so the exact
  # state is still the children advanced by `pos` less the ops buffered
  # (`settle/1`). A cursor that has moved on (another holder of the same
  # value refilled from it) or is not of this VM is made again from them.
  defp start_cursor(gen, mode, made) do
    {cursor, pools, gen} = plan(gen, made)
    e = gen.engine

    frontier = %{
      cursor: cursor,
      pools: List.to_tuple(pools),
      at: 0,
      dirty: big_pools?(pools),
      lift: Lift.of(gen, mode)
    }

    %{gen | pos: 0, engine: %{e | frontier: frontier, base_next_child: gen.next_child}}
  end

  @doc false
  # A cursor over the plan of `gen` (a tree the engine runs whole), decoded
  # once (on a dirty scheduler when the tree is big), the leaves' pools
  # (depth-first) and `gen` (its tables rebuilt if they were stale).
  @spec plan(G.t(), {tuple(), [tuple()]} | nil) :: {reference(), [tuple()], G.t()}
  def plan(gen, made \\ nil) do
    {spec, pools} = made || Spec.tree(gen)
    pool_len = Enum.reduce(pools, 0, &(tuple_size(&1) + &2))

    made =
      if big_pools?(pools),
        do: Native.plan_new_dirty(spec, pool_len),
        else: Native.plan_new(spec, pool_len)

    case made do
      {:ok, cursor} -> {cursor, pools, gen}
      {:error, :stale_table} -> plan(G.__rebuild_tables__(gen))
      {:error, reason} -> raise ArgumentError, "invalid generator: #{reason}"
    end
  end

  defp cursor_refill(%G{engine: %{frontier: %{cursor: cursor, at: at} = f}} = gen) do
    k = refill_size(gen)
    record? = is_integer(gen.next_child)
    ask = {record?, match?({:tags, _}, f.lift)}

    result =
      if f.dirty,
        do: Native.plan_refill_dirty(cursor, at, k, ask, f.pools),
        else: Native.plan_refill(cursor, at, k, ask, f.pools)

    case result do
      {:ok, {ops, tags}} -> cursor_mapped(gen, Lift.apply_safe(ops, f.lift, tags, record?))
      {:ok, ops} -> cursor_mapped(gen, Lift.apply_safe(ops, f.lift, nil, record?))
      {:error, :stale} -> restart_cursor(gen)
    end
  end

  # The cursor again, from the children as they are now.
  defp restart_cursor(gen) do
    gen = settle(gen)
    gen |> start_cursor(mode(gen), nil) |> cursor_refill()
  end

  defp cursor_mapped(gen, {:ok, ops}), do: cursor_refilled(gen, ops)

  # A map's function raised on one of the ops: this refill again without the
  # cursor (the state before it is still the children's plus `at`), which
  # stops short of that op.
  defp cursor_mapped(gen, {:raised, _j, _error}), do: gen |> settle() |> refill(:lifted, nil)

  defp cursor_refilled(_gen, []), do: :done

  defp cursor_refilled(%G{engine: %{frontier: %{at: at} = f} = e} = gen, ops) do
    at = at + if is_integer(gen.next_child), do: div(length(ops), 2), else: length(ops)
    engine = %{e | frontier: %{f | at: at}, refills: e.refills + 1}
    G.next(%{gen | buf: ops, pos: at, engine: engine})
  end

  # True when the list has at least n elements (stops counting there).
  defp at_least?(_list, n) when n <= 0, do: true
  defp at_least?([_ | rest], n), do: at_least?(rest, n - 1)
  defp at_least?([], _n), do: false

  defp refill_size(%G{engine: %{refills: 0}, remaining: r}), do: cap(@first_refill, r)
  defp refill_size(%G{remaining: r}), do: cap(@refill, r)

  defp cap(k, :infinity), do: k
  defp cap(k, r), do: min(k, r)

  @doc false
  # Up to k ops and the generator after them, for Enumerable: a composite's
  # buffer as it is, else one refill.
  @spec chunk(G.t(), pos_integer()) :: {[term()], G.t()}
  def chunk(%G{remaining: 0} = gen, _k), do: {[], gen}

  def chunk(%G{buf: [_ | _]} = gen, _k), do: drain_buffer(gen)

  # A short finite leaf or native tree (a take(20) per iteration): all its
  # ops from one engine call, as each/2 gets them.
  def chunk(%G{remaining: r, children: nil} = gen, _k) when is_integer(r) and r <= @max_chunk do
    pos = position(gen)
    {ops, n, gen} = Lockstep.Generator.Batch.leaf_ops(gen, pos, r)
    {ops, %{gen | buf: [], pos: pos + n, remaining: r - n}}
  end

  def chunk(%G{remaining: r} = gen, _k) when is_integer(r) and r <= @max_chunk do
    if runs?(gen) do
      gen = settle_frontier(gen)

      case run_ops(gen, r, false) do
        {gen, {[], _state}} -> {[], gen}
        {gen, {ops, state}} -> {ops, apply_state(gen, state)}
      end
    else
      step(gen, r)
    end
  end

  def chunk(gen, k) do
    if runs?(gen) do
      case G.next(gen) do
        :done -> {[], gen}
        {op, gen} -> gen |> drain_buffer() |> then(fn {ops, gen} -> {[op | ops], gen} end)
      end
    else
      step(gen, k)
    end
  end

  # The buffered ops `next/1` would still give, and the generator after them.
  defp drain_buffer(%G{buf: buf, next_child: nc, remaining: r} = gen) when is_integer(nc) do
    {ops, ncs} = unzip_pairs(buf, [], [])
    n = cap(length(ops), r)
    last = if n == 0, do: nc, else: Enum.at(ncs, n - 1)

    {Enum.take(ops, n),
     %{gen | buf: Enum.drop(buf, 2 * n), next_child: last, remaining: sub(r, n)}}
  end

  defp drain_buffer(%G{buf: buf, remaining: r} = gen) do
    n = cap(length(buf), r)
    {Enum.take(buf, n), %{gen | buf: Enum.drop(buf, n), remaining: sub(r, n)}}
  end

  defp unzip_pairs([op, nc | rest], ops, ncs), do: unzip_pairs(rest, [op | ops], [nc | ncs])
  defp unzip_pairs([], ops, ncs), do: {Enum.reverse(ops), Enum.reverse(ncs)}

  @doc false
  # Up to k ops by next/1, and the generator after them (what only Elixir
  # can run: maps, filters, selections and composites holding them).
  @spec step(G.t(), non_neg_integer()) :: {[term()], G.t()}
  def step(gen, k), do: step(gen, k, [])

  defp step(gen, 0, ops), do: {Enum.reverse(ops), gen}

  defp step(gen, k, ops) do
    case G.next(gen) do
      :done -> {Enum.reverse(ops), gen}
      {op, gen} -> step(gen, k - 1, [op | ops])
    end
  end

  # ------------------------------------------------------------ drop/2

  @doc false
  # `gen` after n ops (or after all of them when it has fewer).
  @spec drop(G.t(), non_neg_integer()) :: G.t()
  def drop(gen, 0), do: gen

  def drop(%G{children: nil, remaining: r} = gen, n) do
    n = cap(n, r)
    pos = position(gen)
    %{gen | buf: [], pos: pos + n, remaining: sub(r, n)}
  end

  def drop(%G{kind: :select} = gen, n), do: Lockstep.Generator.Select.drop(gen, n)

  def drop(%G{buf: [_ | _]} = gen, n) do
    b = buffered(gen)

    if n <= b do
      walk(gen, n)
    else
      gen |> walk(b) |> drop(n - b)
    end
  end

  def drop(gen, n) do
    if runs?(gen),
      do: gen |> settle_frontier() |> skip(n) |> Supply.materialize(),
      else: walk(gen, n)
  end

  defp walk(gen, 0), do: gen

  defp walk(gen, n) do
    case G.next(gen) do
      :done -> gen
      {_op, gen} -> walk(gen, n - 1)
    end
  end

  # Skips n ops in engine calls of bounded work (a call may skip fewer).
  defp skip(gen, n) do
    case run(gen, {:skip, min(n, @max_u64)}) do
      {gen, {0, _state}} ->
        gen

      {gen, {skipped, state}} ->
        gen = apply_state(gen, state)
        if skipped < n, do: skip(gen, n - skipped), else: gen
    end
  end

  @doc false
  # The generator at its exact current state with no buffer (for fork/2,
  # capacity, and children taken into a new composite).
  @spec settle(G.t()) :: G.t()
  def settle(%G{children: nil} = gen), do: %{gen | buf: [], pos: position(gen)}
  def settle(%G{buf: []} = gen), do: gen |> settle_frontier() |> Supply.materialize()

  def settle(gen), do: gen |> rebase() |> Supply.materialize()

  # The children advanced by the ops consumed since they were written: `pos`
  # (ops of the last refill, or made by the cursor) less those still
  # buffered.
  defp rebase(%G{engine: engine} = gen) do
    consumed = gen.pos - buffered(gen)

    base = %{
      gen
      | buf: [],
        pos: 0,
        remaining: :infinity,
        next_child: engine.base_next_child,
        engine: %{engine | frontier: nil}
    }

    # Only native composites buffer (Step runs the others op by op).
    %{skip(base, consumed) | remaining: gen.remaining, next_child: gen.next_child}
  end

  # Writes a finished refill's state into the children (buffer used up).
  defp settle_frontier(%G{engine: %{frontier: nil}} = gen), do: gen
  defp settle_frontier(%G{engine: %{frontier: %{cursor: _}}} = gen), do: rebase(gen)
  defp settle_frontier(%G{engine: %{frontier: :final}} = gen), do: rebase(gen)

  defp settle_frontier(%G{engine: %{frontier: state} = engine} = gen) do
    gen = %{gen | engine: %{engine | frontier: nil}}
    %{apply_children(gen, state) | remaining: gen.remaining, next_child: gen.next_child}
  end

  # Leaves, maps and filters have no buffer bookkeeping.
  defp settle_frontier(gen), do: gen

  # ------------------------------------------------------------ state

  @doc false
  # Writes an engine state (see native/lockstep_nif/src/lib.rs, `run`) into a
  # generator: ops produced, a mix's next_child, the children's states.
  @spec apply_state(G.t(), term()) :: G.t()
  def apply_state(gen, 0), do: gen

  def apply_state(%G{children: nil} = gen, produced) when is_integer(produced),
    do: %{gen | buf: [], pos: position(gen) + produced, remaining: sub(gen.remaining, produced)}

  # A map child of a lifted mix: the state is its child's.
  def apply_state(%G{kind: :map, children: [child]} = gen, state),
    do: %{
      gen
      | children: [apply_state(child, state)],
        remaining: sub(gen.remaining, produced(state))
    }

  def apply_state(gen, %{produced: produced, next_child: nc} = state) do
    gen = apply_children(gen, state)
    %{gen | remaining: sub(gen.remaining, produced), next_child: nc}
  end

  defp apply_children(%G{engine: %{ahead: [_ | _] = ahead}} = gen, %{children: states} = state)
       when is_list(states) do
    {children, ahead} =
      [gen.children, states, ahead]
      |> Enum.zip()
      |> Enum.map(fn
        {child, s, nil} -> {apply_state(child, s), nil}
        {child, s, entry} -> Supply.take(child, produced(s), entry)
      end)
      |> Enum.unzip()

    apply_children(%{gen | children: children, engine: %{gen.engine | ahead: ahead}}, %{
      state
      | children: nil
    })
  end

  defp apply_children(gen, %{produced: produced, children: nil}), do: count_rpos(gen, produced)

  defp apply_children(gen, %{produced: produced, children: states}) do
    children = :lists.zipwith(&apply_state/2, gen.children, states)
    count_rpos(%{gen | children: children}, produced)
  end

  defp apply_children(gen, 0), do: gen

  # A random mix's own op index moves with every op it serves.
  defp count_rpos(%G{engine: engine} = gen, produced) do
    engine =
      if Map.has_key?(engine, :rpos), do: %{engine | rpos: engine.rpos + produced}, else: engine

    %{gen | engine: engine}
  end

  @doc false
  # Ops an engine state (see `run/2`) says a node produced.
  @spec produced(term()) :: non_neg_integer()
  def produced(n) when is_integer(n), do: n
  def produced(%{produced: n}), do: n

  defp sub(:infinity, _n), do: :infinity
  defp sub(r, n), do: r - n

  # ------------------------------------------------------------ the engine call

  @doc false
  # One engine call on `gen`'s tree; `{gen, result}`, where gen has its alias
  # tables rebuilt if they had gone stale (a value from another VM).
  def run(gen, request), do: run(gen, request, mode(gen), nil)

  defp run(gen, request, :supplied, _made), do: run_supplied(gen, request)
  defp run(gen, request, _mode, made), do: run_tree(gen, request, made)

  # The most ops a skip of a tree with supplied children asks per call (each
  # supplied child is pulled that far ahead).
  @supply_skip 1024

  defp run_supplied(gen, request) do
    {request, k} =
      case request do
        {:skip, n} -> {{:skip, min(n, @supply_skip)}, min(n, @supply_skip)}
        {:ops, k, _record} -> {request, k}
        {:ops, k, _record, _tags} -> {request, k}
      end

    gen = Supply.supply(gen, k)
    {gen, result} = run_tree(gen, request)

    if Supply.ok?(gen, elem(result, 1)),
      do: {gen, result},
      else: run_to_error(gen, request, 0, k)
  end

  # The engine reached an op a supplied child could not give (pulling it
  # raised): the longest run that stops short of it, found by bisection
  # (lo runs short of it, hi does not), so next/1 gives every op before it
  # and raises on that one, as stepping would.
  defp run_to_error(gen, request, lo, hi) when hi - lo <= 1 do
    if lo == 0 do
      # The first op already needs it: what the child raised, now.
      {_gen, result} = run_tree(gen, with_count(request, 1))
      Supply.raise!(gen, elem(result, 1))
    else
      run_tree(gen, with_count(request, lo))
    end
  end

  defp run_to_error(gen, request, lo, hi) do
    mid = div(lo + hi, 2)
    {_gen, result} = run_tree(gen, with_count(request, mid))

    if Supply.ok?(gen, elem(result, 1)),
      do: run_to_error(gen, request, mid, hi),
      else: run_to_error(gen, request, lo, mid)
  end

  defp with_count({:skip, _n}, n), do: {:skip, n}
  defp with_count(request, k), do: put_elem(request, 1, k)

  defp run_tree(gen, request, made \\ nil) do
    {spec, pools} = made || Spec.tree(gen)

    # Small trees (the common case) go straight to a normal scheduler.
    result =
      if big_pools?(pools),
        do: run_big(gen, spec, pools, request),
        else: Native.run(spec, pools, request)

    case result do
      {:ok, result} ->
        {gen, result}

      {:error, :stale_table} ->
        run_tree(G.__rebuild_tables__(gen), request)

      {:error, reason} ->
        raise ArgumentError, "invalid generator: #{reason}"
    end
  end

  # Trees of pool picks only with large pools get their ops as flat pool
  # indices (the engine never reads the pools), mapped here. Other large
  # trees run on a dirty scheduler: trees with many leaves take milliseconds
  # just to decode (native/lockstep_nif/src/lib.rs, run_dirty), and
  # the engine reads a pool tuple by copying its term handles, O(pool) per
  # call.
  defp run_big(_gen, spec, pools, {:ops, _k, _record, _tags} = request),
    do: Native.run_dirty(spec, pools, request)

  defp run_big(gen, spec, pools, {:ops, k, record} = request) do
    if pick_only?(gen) do
      case run_sized(spec, pools, {:picks, k, record}) do
        {:ok, {picks, state}} -> {:ok, {pick_terms(picks, pick_lookup(pools), record), state}}
        error -> error
      end
    else
      Native.run_dirty(spec, pools, request)
    end
  end

  # Skips and capacities read no pool; only many leaves need a dirty one.
  defp run_big(_gen, spec, pools, request), do: run_sized(spec, pools, request)

  defp run_sized(spec, pools, request) do
    if length(pools) > @dirty_leaves,
      do: Native.run_dirty(spec, pools, request),
      else: Native.run(spec, pools, request)
  end

  @doc false
  # True for trees whose every op is one pool pick: pick leaves, and mixes
  # and concats of them.
  def pick_only?(%G{kind: kind}) when kind in @pick_kinds, do: true

  def pick_only?(%G{kind: kind, children: cs}) when kind in [:mix, :concat],
    do: Enum.all?(cs, &pick_only?/1)

  def pick_only?(%G{}), do: false

  @doc false
  # True when a tree's pools (one tuple per leaf) are large enough that the
  # engine should not read them on a normal scheduler.
  def big_pools?(pools) when is_list(pools), do: big_pools?(pools, 0, 0)

  defp big_pools?([pool | rest], leaves, ops) do
    ops = ops + tuple_size(pool)

    if leaves >= @dirty_leaves or ops > @big_pool,
      do: true,
      else: big_pools?(rest, leaves + 1, ops)
  end

  defp big_pools?([], _leaves, _ops), do: false

  @doc false
  # How flat pool indices find their term: each leaf's end and its pool
  # (built once per fold, or per refill).
  def pick_lookup(pools) do
    {ends, _} =
      Enum.map_reduce(pools, 0, fn p, acc -> {acc + tuple_size(p), acc + tuple_size(p)} end)

    {List.to_tuple(ends), List.to_tuple(pools)}
  end

  @doc false
  # The ops at flat pool indices `picks` (a round-robin mix's interleaved
  # next_child entries, with `record`, kept as they are).
  def pick_terms(picks, lookup, record), do: map_picks(picks, lookup, record)

  defp map_picks([i, nc | rest], lookup, true),
    do: [term_at(i, lookup), nc | map_picks(rest, lookup, true)]

  defp map_picks([i | rest], lookup, false),
    do: [term_at(i, lookup) | map_picks(rest, lookup, false)]

  defp map_picks([], _lookup, _record), do: []

  defp term_at(i, {ends, pools}) do
    j = first_above(ends, i, 0, tuple_size(ends) - 1)
    start = if j == 0, do: 0, else: elem(ends, j - 1)
    elem(elem(pools, j), i - start)
  end

  # The first leaf j with ends[j] > i (binary search).
  defp first_above(_ends, _i, lo, hi) when lo >= hi, do: lo

  defp first_above(ends, i, lo, hi) do
    mid = div(lo + hi, 2)

    if elem(ends, mid) > i,
      do: first_above(ends, i, lo, mid),
      else: first_above(ends, i, mid + 1, hi)
  end

  @doc false
  # Up to k ops of a tree the engine runs (`{:ops, k, record}`, see run/2),
  # with the functions of a lifted mix's map children applied to the ops
  # those children served.
  @spec run_ops(G.t(), pos_integer(), boolean()) :: {G.t(), {[term()], term()}}
  def run_ops(gen, k, record?), do: run_ops(gen, k, record?, mode(gen), nil)

  @doc false
  # The last k ops of a fold over a native tree, without the state after
  # them (nobody reads it): `{:ok, ops}` when the call gave all k, else
  # :short (the call's work budget ran out, or the tree is not native: ask
  # with the state).
  @spec final_ops(G.t(), pos_integer()) :: {:ok, [term()]} | :short
  def final_ops(gen, k) do
    with :native <- mode(gen),
         {:ok, ops, _gen} <- final_run(gen, k, false, nil) do
      {:ok, ops}
    else
      _ -> :short
    end
  end

  # The k ops of a native tree without the state after them (with
  # `record?`, each followed by its next_child), and the tree (tables
  # rebuilt if stale); :short when the call gave fewer (its work budget ran
  # out: ask with the state).
  defp final_run(gen, k, record?, made) do
    with {gen, {[_ | _] = ops, nil}} <- run(gen, {:ops, k, record?, false, false}, :native, made),
         ^k <- if(record?, do: div(length(ops), 2), else: length(ops)) do
      {:ok, ops, gen}
    else
      _ -> :short
    end
  end

  # `made`: the tree's spec and pools when already made (or nil).
  defp run_ops(gen, k, record?, :lifted, made) do
    lift = Lift.of(gen, :lifted)

    {gen, {ops, state, tags}} =
      case lift do
        {:tags, _} ->
          run(gen, {:ops, k, record?, true}, :lifted, made)

        _ ->
          {gen, {ops, state}} = run(gen, {:ops, k, record?}, :lifted, made)
          {gen, {ops, state, nil}}
      end

    case Lift.apply_safe(ops, lift, tags, record?) do
      {:ok, ops} ->
        {gen, {ops, state}}

      # A map's function raised on op j: the ops before it (the engine run
      # again for just those), the error left for the call that reaches it.
      {:raised, 0, {kind, reason, stack}} ->
        :erlang.raise(kind, reason, stack)

      {:raised, j, _error} ->
        run_ops(gen, j, record?, :lifted, made)
    end
  end

  defp run_ops(gen, k, record?, mode, made), do: run(gen, {:ops, k, record?}, mode, made)

  # What runs a tree the engine runs: :native (the engine alone), :lifted
  # (maps over native children applied here) or :supplied (children it
  # cannot run pulled ahead); one walk.
  defp mode(%G{children: nil}), do: :native

  defp mode(gen) do
    cond do
      native?(gen) -> :native
      lifted?(gen) -> :lifted
      true -> :supplied
    end
  end

  @doc false
  # The k ops of a value leaf (integers, zipf, counter, workloads) from op
  # `pos` and how many (fewer than k past the call's token budget): one
  # run/3 call on the leaf alone.
  @spec value_ops(G.t(), non_neg_integer(), pos_integer()) :: {[term()], non_neg_integer()}
  def value_ops(%G{engine: e} = gen, pos, k) do
    case Native.run(Spec.value_leaf(gen, pos, k), [e.pool], {:ops, k, false}) do
      # A leaf's state is its op count.
      {:ok, {ops, n}} -> {ops, n}
      {:error, reason} -> raise ArgumentError, "invalid generator: #{reason}"
    end
  end
end
