defmodule Lockstep.Generator.Batch do
  @moduledoc false
  # Drives the Rust engine in bounded chunks.
  #
  # * `leaf_ops/3`: the next k ops of a seeded leaf from op `pos` (one NIF
  #   call); refills next/1's buffer and drives each/reduce over a leaf.
  # * `each/2`, `reduce/3`: fold a whole generator chunk by chunk. A tree of
  #   engine nodes (seeded leaves, mixes of any strategy, concats, zips) runs as
  #   one plan inside the engine (a cursor resource private to the call), so
  #   each chunk is one NIF call whatever the shape. A map or filter on top of
  #   such a tree folds the tree's chunks; anything else steps next/1.
  #
  # Pool ops come back as terms picked out of the pool tuples the caller
  # passes. The engine reads a tuple by copying its term handles, O(its size),
  # so large pools are not passed: leaf chunks on them come as indices that
  # `elem/2` maps, pick-only plans as indices that Engine.pick_terms/3 maps,
  # and other plans read them on a dirty scheduler.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Engine, Native, Spec, Step, Unique}

  # Most ops per NIF call; equal to the engine's MAX_CHUNK.
  @max_chunk 4096
  # Ops prefetched by next/1: the first refill serves a take(50) generator in
  # one call; later ones take more, to spread the call's cost, but fewer of
  # large ops (list-append transactions), whose buffer the process's garbage
  # collector would copy over and over.
  @first_refill 64
  @refill 1024
  @refill_large 256
  @pick_kinds Engine.pick_kinds()

  @doc false
  # How many ops next/1 prefetches for a leaf of `kind` at op `pos` (a pure
  # function of both, so buffers never depend on history).
  @spec refill_size(atom(), non_neg_integer(), non_neg_integer() | :infinity) :: pos_integer()
  def refill_size(kind, pos, remaining) do
    k =
      cond do
        pos < @first_refill -> @first_refill
        kind == :list_append -> @refill_large
        true -> @refill
      end

    if remaining == :infinity, do: k, else: min(remaining, k)
  end

  @doc false
  # The k ops of a seeded leaf from op `pos` (k <= @max_chunk), how many
  # there are (fewer than k only for value kinds past a call's token budget),
  # and the leaf with its table rebuilt if it had gone stale (a generator
  # from another VM).
  @spec leaf_ops(G.t(), non_neg_integer(), non_neg_integer()) ::
          {[term()], non_neg_integer(), G.t()}
  def leaf_ops(%G{kind: kind} = gen, pos, k) when kind in @pick_kinds do
    case leaf_chunk(gen, pos, k) do
      {{indices, pool}, gen} -> {for(i <- indices, do: elem(pool, i)), k, gen}
      {ops, gen} -> {ops, k, gen}
    end
  end

  # A counter past the engine's integer range is counted here (Unique).
  def leaf_ops(%G{kind: :counter} = gen, pos, k) do
    if Unique.engine?(gen) do
      {ops, n} = Engine.value_ops(gen, pos, k)
      {ops, n, gen}
    else
      {Unique.ops(gen, pos, k), k, gen}
    end
  end

  def leaf_ops(gen, pos, k) do
    {ops, n} = Engine.value_ops(gen, pos, k)
    {ops, n, gen}
  end

  # A chunk is a list of ops, or `{indices, pool}` when the pool is large.
  defp leaf_chunk(%G{kind: kind, engine: %{pool: pool} = e} = gen, pos, k) do
    n = tuple_size(pool)
    wire = Spec.wire(kind, n, pos)

    case Native.leaf_chunk(kind, n, Spec.table(gen), e.key, e.stream, wire, k, direct(pool, k)) do
      {:error, :stale_table} -> leaf_chunk(G.__rebuild_tables__(gen), pos, k)
      ops when n <= 2 * k -> {ops, gen}
      indices -> {{indices, pool}, gen}
    end
  end

  defp direct(pool, k) when tuple_size(pool) <= 2 * k, do: pool
  defp direct(_pool, _k), do: nil

  @doc false
  # Calls `fun.(op)` for every op of `gen`; returns the count.
  @spec each(G.t(), (term() -> term())) :: non_neg_integer()
  def each(gen, fun) do
    fold_chunks(gen, 0, fn
      {indices, pool}, n, count ->
        each_picked(indices, pool, fun)
        count + n

      ops, n, count ->
        :lists.foreach(fun, ops)
        count + n
    end)
  end

  @doc false
  # `fun.(op, acc)` over every op of `gen`.
  @spec reduce(G.t(), acc, (term(), acc -> acc)) :: acc when acc: term()
  def reduce(gen, acc, fun) do
    fold_chunks(gen, acc, fn
      {indices, pool}, _n, acc -> reduce_picked(indices, pool, acc, fun)
      ops, _n, acc -> :lists.foldl(fun, acc, ops)
    end)
  end

  defp each_picked([i | rest], pool, fun) do
    fun.(elem(pool, i))
    each_picked(rest, pool, fun)
  end

  defp each_picked([], _pool, _fun), do: :ok

  defp reduce_picked([i | rest], pool, acc, fun),
    do: reduce_picked(rest, pool, fun.(elem(pool, i), acc), fun)

  defp reduce_picked([], _pool, acc, _fun), do: acc

  # Folds `fun.(chunk, chunk_length, acc)` over `gen` until it is exhausted.
  # A composite's buffered ops come first.
  defp fold_chunks(%G{buf: [_ | _], children: [_ | _], remaining: r} = gen, acc, fun)
       when r != 0 do
    {ops, gen} = Engine.chunk(gen, @max_chunk)
    fold_chunks(gen, fun.(ops, length(ops), acc), fun)
  end

  defp fold_chunks(%G{children: nil, remaining: remaining} = gen, acc, fun)
       when remaining != 0,
       do: leaf_loop(gen, Engine.position(gen), remaining, acc, fun)

  defp fold_chunks(%G{kind: :map, children: [child], engine: %{fun: f}} = gen, acc, fun) do
    if engine_runs?(child) do
      fold_chunks(cap(child, gen.remaining), acc, fn chunk, n, acc ->
        fun.(Enum.map(materialize(chunk), f), n, acc)
      end)
    else
      fold_steps(gen, acc, fun)
    end
  end

  defp fold_chunks(%G{kind: :filter, children: [child], remaining: :infinity} = gen, acc, fun) do
    %{pred: pred, max: max} = gen.engine

    if engine_runs?(child) do
      {acc, _rejected} =
        fold_chunks(child, {acc, 0}, fn chunk, _n, {acc, rejected} ->
          {kept, rejected} = filter_chunk(materialize(chunk), pred, max, rejected, [])
          {fun.(kept, length(kept), acc), rejected}
        end)

      acc
    else
      fold_steps(gen, acc, fun)
    end
  end

  # A short fold (a take of at most one chunk, as a fresh generator per
  # iteration has) needs no cursor: the engine's run/3 gives the ops at once.
  defp fold_chunks(%G{remaining: r} = gen, acc, fun) when is_integer(r) and r <= @max_chunk do
    cond do
      r == 0 -> acc
      engine_runs?(gen) -> run_fold(Engine.settle(gen), acc, fun)
      true -> fold_steps(gen, acc, fun)
    end
  end

  defp fold_chunks(gen, acc, fun) do
    cond do
      gen.remaining == 0 -> acc
      Engine.native?(gen) -> plan_fold(Engine.settle(gen), acc, fun)
      # A mix, concat or zip of maps (lifted) or holding what the engine
      # cannot run (supplied).
      Engine.runs?(gen) -> run_fold(Engine.settle(gen), acc, fun)
      true -> fold_steps(gen, acc, fun)
    end
  end

  # One run/3 call per chunk of at most @max_chunk ops, the tree's state
  # written back between calls: short folds, and lifted mixes (whose ops
  # carry tags that a cursor does not give).
  defp run_fold(%G{remaining: 0}, acc, _fun), do: acc

  # All that is left in one call: the state after it is never read.
  defp run_fold(%G{remaining: r} = gen, acc, fun) when is_integer(r) and r <= @max_chunk do
    case Engine.final_ops(gen, r) do
      {:ok, ops} -> fun.(ops, r, acc)
      :short -> run_chunks(gen, acc, fun)
    end
  end

  defp run_fold(gen, acc, fun), do: run_chunks(gen, acc, fun)

  defp run_chunks(%G{remaining: 0}, acc, _fun), do: acc

  defp run_chunks(%G{remaining: r} = gen, acc, fun) do
    case Engine.run_ops(gen, cap_chunk(r), false) do
      {_gen, {[], _state}} ->
        acc

      {gen, {ops, state}} ->
        n = length(ops)
        acc = fun.(ops, n, acc)
        if n == r, do: acc, else: run_chunks(Engine.apply_state(gen, state), acc, fun)
    end
  end

  defp cap_chunk(:infinity), do: @max_chunk
  defp cap_chunk(r), do: min(r, @max_chunk)

  # A tree the engine runs whole: one plan, drained chunk by chunk. The
  # leaves' pools go to every call as a tuple of the leaves' tuples (no flat
  # pool is built); the engine reads only the leaves it picks from.
  defp plan_fold(gen, acc, fun) do
    {cursor, pools, gen} = Engine.plan(gen)

    chunk =
      cond do
        not Engine.big_pools?(pools) -> :normal
        Engine.pick_only?(gen) -> {:indices, Engine.pick_lookup(pools)}
        true -> :dirty
      end

    plan_loop(cursor, List.to_tuple(pools), chunk, acc, fun)
  end

  defp materialize({indices, pool}), do: for(i <- indices, do: elem(pool, i))
  defp materialize(ops), do: ops

  defp filter_chunk([], _pred, _max, rejected, kept), do: {:lists.reverse(kept), rejected}

  defp filter_chunk([op | rest], pred, max, rejected, kept) do
    cond do
      pred.(op) ->
        filter_chunk(rest, pred, max, 0, [op | kept])

      rejected + 1 >= max ->
        Step.too_many_rejections!(max)

      true ->
        filter_chunk(rest, pred, max, rejected + 1, kept)
    end
  end

  defp cap(gen, :infinity), do: gen
  defp cap(gen, n), do: G.take(gen, n)

  # Generators with Elixir functions inside step op by op (in chunks of
  # next/1 calls, so the fold callback is shared).
  defp fold_steps(gen, acc, fun) do
    case Engine.step(gen, @max_chunk) do
      {[], _gen} -> acc
      {ops, gen} -> fold_steps(gen, fun.(ops, length(ops), acc), fun)
    end
  end

  # A leaf's op i needs no state but its position, so each chunk is one
  # engine call, no cursor: a pick chunk (terms, or indices for large pools)
  # or built values (fewer than asked past the call's budget).
  defp leaf_loop(_gen, _pos, 0, acc, _fun), do: acc

  defp leaf_loop(gen, pos, remaining, acc, fun) do
    k = if remaining == :infinity, do: @max_chunk, else: min(remaining, @max_chunk)

    {chunk, n, gen} =
      if gen.kind in @pick_kinds do
        {chunk, gen} = leaf_chunk(gen, pos, k)
        {chunk, k, gen}
      else
        leaf_ops(gen, pos, k)
      end

    remaining = if remaining == :infinity, do: :infinity, else: remaining - n
    leaf_loop(gen, pos + n, remaining, fun.(chunk, n, acc), fun)
  end

  defp plan_loop(cursor, pools, chunk, acc, fun) do
    # Large pools: pick-only plans give pool indices (the pools are not
    # read), others read them on a dirty scheduler.
    ops =
      case chunk do
        :normal ->
          Native.plan_chunk_leaves(cursor, @max_chunk, pools)

        :dirty ->
          Native.plan_chunk_leaves_dirty(cursor, @max_chunk, pools)

        {:indices, lookup} ->
          Engine.pick_terms(Native.plan_chunk(cursor, @max_chunk, nil), lookup, false)
      end

    case ops do
      [] -> acc
      ops -> plan_loop(cursor, pools, chunk, fun.(ops, length(ops), acc), fun)
    end
  end

  defp engine_runs?(gen), do: Engine.runs?(gen)
end
