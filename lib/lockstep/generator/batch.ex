defmodule Lockstep.Generator.Batch do
  @moduledoc false
  # Drives the Rust engine in bounded chunks.
  #
  # * `leaf_ops/3`: the next k ops of a random/weighted/cycle generator from op
  #   `pos` (one NIF call); used to refill next/1's buffer and by each/reduce.
  # * `each/2`, `reduce/3`: fold a whole generator chunk by chunk. Leaves call
  #   leaf_ops/3 directly; a mix runs as one plan inside the engine (a cursor
  #   resource private to this call), so each chunk is one NIF call whatever the
  #   shape of the tree.
  #
  # Ops come back as terms picked out of the pool tuple (no copying) when the
  # pool is small next to the chunk; for large pools, passing the tuple would
  # cost O(pool) per call, so the engine returns indices and `elem/2` maps them.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Drop, Native}

  import Bitwise

  # Most ops per NIF call; equal to the engine's MAX_CHUNK.
  @max_chunk 4096
  # Ops prefetched by next/1: the first refill serves a take(50) generator in
  # one call; later ones take more, to spread the call's cost.
  @first_refill 64
  @refill 256
  @max_u64 (1 <<< 64) - 1

  @doc false
  def max_chunk, do: @max_chunk

  @doc false
  # How many ops next/1 prefetches at op `pos` (a pure function of the
  # position, so buffers never depend on history).
  @spec refill_size(non_neg_integer(), non_neg_integer() | :infinity) :: pos_integer()
  def refill_size(pos, remaining) do
    k = if pos < @first_refill, do: @first_refill, else: @refill
    if remaining == :infinity, do: k, else: min(remaining, k)
  end

  @doc false
  # The k ops of `gen` from op `pos` (k <= @max_chunk), and `gen` with its table
  # rebuilt if it had gone stale (a generator from another VM).
  @spec leaf_ops(G.t(), non_neg_integer(), non_neg_integer()) :: {[term()], G.t()}
  def leaf_ops(gen, pos, k) do
    case leaf_chunk(gen, pos, k) do
      {{indices, pool}, gen} -> {for(i <- indices, do: elem(pool, i)), gen}
      {ops, gen} -> {ops, gen}
    end
  end

  # A chunk is a list of ops, or `{indices, pool}` when the pool is large.
  defp leaf_chunk(%G{kind: kind, engine: {pool, key, stream, table, _forks}} = gen, pos, k) do
    n = tuple_size(pool)

    case Native.leaf_chunk(kind, n, table, key, stream, pos, k, direct(pool, k)) do
      :stale_table -> leaf_chunk(G.__rebuild_table__(gen), pos, k)
      ops when n <= 2 * k -> {ops, gen}
      indices -> {{indices, pool}, gen}
    end
  end

  defp direct(pool, k) when tuple_size(pool) <= 2 * k, do: pool
  defp direct(_pool, _k), do: nil

  @doc false
  # The next (up to) k ops of `gen` and `gen` after them, without changing the
  # value passed in: the chunking step of Enumerable.
  @spec take_chunk(G.t(), pos_integer()) :: {[term()], G.t()}
  def take_chunk(%G{kind: :mix} = gen, k) do
    k = min(k, @max_chunk)
    ops = gen |> G.take(k) |> reduce([], &[&1 | &2]) |> :lists.reverse()
    {ops, Drop.drop(gen, length(ops))}
  end

  def take_chunk(%G{remaining: remaining} = gen, k) do
    case min(k, min(remaining, @max_chunk)) do
      0 ->
        {[], gen}

      k ->
        {ops, gen} = leaf_ops(gen, G.__position__(gen), k)
        {ops, Drop.drop(gen, k)}
    end
  end

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
  defp fold_chunks(%G{kind: :mix} = gen, acc, fun) do
    {spec, pools} = spec(gen, [])
    pool = pools |> Enum.reverse() |> Enum.flat_map(&Tuple.to_list/1) |> List.to_tuple()

    case Native.plan_new(spec, tuple_size(pool)) do
      {:ok, cursor} -> plan_loop(cursor, direct(pool, @max_chunk), pool, acc, fun)
      {:error, :stale_table} -> fold_chunks(G.__rebuild_tables__(gen), acc, fun)
      {:error, reason} -> raise ArgumentError, "invalid generator: #{reason}"
    end
  end

  defp fold_chunks(%G{remaining: remaining} = gen, acc, fun) do
    leaf_loop(gen, G.__position__(gen), remaining, acc, fun)
  end

  defp leaf_loop(_gen, _pos, 0, acc, _fun), do: acc

  defp leaf_loop(gen, pos, remaining, acc, fun) do
    k = if remaining == :infinity, do: @max_chunk, else: min(remaining, @max_chunk)
    {chunk, gen} = leaf_chunk(gen, pos, k)
    acc = fun.(chunk, k, acc)
    remaining = if remaining == :infinity, do: :infinity, else: remaining - k
    leaf_loop(gen, pos + k, remaining, acc, fun)
  end

  defp plan_loop(cursor, direct, pool, acc, fun) do
    case Native.plan_chunk(cursor, @max_chunk, direct) do
      [] -> acc
      ops when direct != nil -> plan_loop(cursor, direct, pool, fun.(ops, length(ops), acc), fun)
      indices -> plan_loop(cursor, direct, pool, fun.({indices, pool}, length(indices), acc), fun)
    end
  end

  # The engine's view of a generator tree (see native/lockstep_nif/src/spec.rs),
  # with the leaves' pools collected depth-first (reversed).
  defp spec(%G{kind: :mix, children: children} = gen, pools) do
    {specs, pools} = Enum.map_reduce(children, pools, &spec/2)
    {:mix, until} = gen.engine
    {{:mix, until, gen.next_child, remaining(gen.remaining), specs}, pools}
  end

  defp spec(%G{engine: {pool, key, stream, table, _forks}} = gen, pools) do
    leaf =
      {:leaf, gen.kind, tuple_size(pool), table, key, stream, G.__position__(gen),
       remaining(gen.remaining)}

    {leaf, [pool | pools]}
  end

  # Budgets past 2^64 - 1 ops can never run out; the engine counts in u64.
  defp remaining(n) when is_integer(n) and n > @max_u64, do: :infinity
  defp remaining(n), do: n
end
