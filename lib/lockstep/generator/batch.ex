defmodule Lockstep.Generator.Batch do
  @moduledoc false
  # Drives the Rust engine in bounded chunks.
  #
  # * `leaf_ops/3`: the next k ops of a random/weighted/cycle generator from op
  #   `pos` (one NIF call); used to refill next/1's buffer and by each/reduce.
  # * `reduce_chunks/3`: folds a whole generator chunk by chunk. Leaves call
  #   leaf_ops/3 directly; a mix runs as one plan inside the engine (a cursor
  #   resource private to this call), so each chunk is one NIF call whatever the
  #   shape of the tree.
  #
  # Ops come back as terms picked out of the pool tuple (no copying) when the
  # pool is small next to the chunk; for large pools, passing the tuple would
  # cost O(pool) per call, so the engine returns indices and `elem/2` maps them.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Native

  import Bitwise

  # Most ops per NIF call; equal to the engine's MAX_CHUNK.
  @max_chunk 4096
  # Ops prefetched by next/1: one call serves a take(50) generator.
  @next_chunk 64
  @max_u64 (1 <<< 64) - 1

  @doc false
  def max_chunk, do: @max_chunk

  @doc false
  def next_chunk, do: @next_chunk

  @doc false
  # The k ops of `gen` from op `pos` (k <= @max_chunk), and `gen` with its table
  # rebuilt if it had gone stale (a generator from another VM).
  @spec leaf_ops(G.t(), non_neg_integer(), non_neg_integer()) :: {[term()], G.t()}
  def leaf_ops(%G{kind: kind, pool: pool, table: table, key: key, stream: stream} = gen, pos, k) do
    n = tuple_size(pool)

    case Native.leaf_chunk(kind, n, table, key || {0, 0}, stream, pos, k, direct(pool, k)) do
      :stale_table -> leaf_ops(G.__rebuild_table__(gen), pos, k)
      ops when n <= 2 * k -> {ops, gen}
      indices -> {pick(indices, pool), gen}
    end
  end

  defp direct(pool, k) when tuple_size(pool) <= 2 * k, do: pool
  defp direct(_pool, _k), do: nil

  defp pick(indices, pool), do: for(i <- indices, do: elem(pool, i))

  @doc false
  # Folds `fun.(chunk, acc)` over the ops of `gen` until it is exhausted.
  @spec reduce_chunks(G.t(), acc, ([term()], acc -> acc)) :: acc when acc: term()
  def reduce_chunks(%G{kind: :mix} = gen, acc, fun) do
    {spec, pools} = spec(gen, [])
    pool = pools |> Enum.reverse() |> Enum.flat_map(&Tuple.to_list/1) |> List.to_tuple()

    case Native.plan_new(spec, tuple_size(pool)) do
      {:ok, cursor} -> plan_loop(cursor, direct(pool, @max_chunk), pool, acc, fun)
      {:error, :stale_table} -> reduce_chunks(G.__rebuild_tables__(gen), acc, fun)
      {:error, reason} -> raise ArgumentError, "invalid generator: #{reason}"
    end
  end

  def reduce_chunks(%G{pos: pos, remaining: remaining} = gen, acc, fun) do
    leaf_loop(gen, pos, remaining, acc, fun)
  end

  defp leaf_loop(_gen, _pos, 0, acc, _fun), do: acc

  defp leaf_loop(gen, pos, remaining, acc, fun) do
    k = if remaining == :infinity, do: @max_chunk, else: min(remaining, @max_chunk)
    {ops, gen} = leaf_ops(gen, pos, k)
    acc = fun.(ops, acc)
    remaining = if remaining == :infinity, do: :infinity, else: remaining - k
    leaf_loop(gen, pos + k, remaining, acc, fun)
  end

  defp plan_loop(cursor, direct, pool, acc, fun) do
    case Native.plan_chunk(cursor, @max_chunk, direct) do
      [] ->
        acc

      ops when direct != nil ->
        plan_loop(cursor, direct, pool, fun.(ops, acc), fun)

      indices ->
        plan_loop(cursor, direct, pool, fun.(pick(indices, pool), acc), fun)
    end
  end

  # The engine's view of a generator tree (see native/lockstep_nif/src/spec.rs),
  # with the leaves' pools collected depth-first (reversed).
  defp spec(%G{kind: :mix, children: children} = gen, pools) do
    {specs, pools} = Enum.map_reduce(children, pools, &spec/2)
    {{:mix, gen.until, gen.next_child, remaining(gen.remaining), specs}, pools}
  end

  defp spec(%G{} = gen, pools) do
    leaf =
      {:leaf, gen.kind, tuple_size(gen.pool), gen.table, gen.key || {0, 0}, gen.stream, gen.pos,
       remaining(gen.remaining)}

    {leaf, [gen.pool | pools]}
  end

  # Budgets past 2^64 - 1 ops can never run out; the engine counts in u64.
  defp remaining(n) when is_integer(n) and n > @max_u64, do: :infinity
  defp remaining(n), do: n
end
