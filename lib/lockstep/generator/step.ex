defmodule Lockstep.Generator.Step do
  @moduledoc false
  # next/1 for composite generators, and exhaustion. Leaves (with their
  # prefetch buffers) are handled by Lockstep.Generator.next/1 itself.
  #
  # Engine field of composites:
  #   mix/concat: {:mix, until, strategy}, strategy :round_robin | :concat |
  #     {:random, picker, key, stream, forks, picks} (picks: prefetched child
  #     choices; `pos` is the mix's op index right after them)
  #   zip: :zip;  map: {:map, fun};  filter: {:filter, pred, max_rejections}

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Batch, Native}

  @doc false
  # True when next/1 returns :done, decided without pulling. (A filter can
  # still turn out done when pulled: its rejections are not known ahead.)
  @spec exhausted?(G.t()) :: boolean()
  def exhausted?(%G{remaining: 0}), do: true

  def exhausted?(%G{engine: {:mix, _, :concat}, children: cs, next_child: i}),
    do: cs |> Enum.drop(i) |> Enum.all?(&exhausted?/1)

  def exhausted?(%G{engine: {:mix, :any, _}, children: cs}), do: Enum.any?(cs, &exhausted?/1)
  def exhausted?(%G{engine: {:mix, :all, _}, children: cs}), do: Enum.all?(cs, &exhausted?/1)

  def exhausted?(%G{kind: kind, children: cs}) when kind in [:zip, :map, :filter],
    do: Enum.any?(cs, &exhausted?/1)

  def exhausted?(%G{}), do: false

  @doc false
  @spec next(G.t()) :: {term(), G.t()} | :done
  def next(%G{kind: :zip, children: cs} = gen) do
    if exhausted?(gen), do: :done, else: next_zip(cs, [], [], gen)
  end

  def next(%G{kind: :map, children: [child], engine: {:map, fun}} = gen) do
    case G.next(child) do
      :done -> :done
      {op, child} -> {fun.(op), %{gen | children: [child], remaining: dec(gen.remaining)}}
    end
  end

  def next(%G{kind: :filter, children: [child], engine: {:filter, pred, max}} = gen),
    do: next_filter(child, pred, max, 0, gen)

  def next(%G{engine: {:mix, _, _}} = gen) do
    if exhausted?(gen), do: :done, else: next_mix(gen)
  end

  defp next_zip([], ops, children, gen) do
    {List.to_tuple(Enum.reverse(ops)),
     %{gen | children: Enum.reverse(children), remaining: dec(gen.remaining)}}
  end

  defp next_zip([c | cs], ops, children, gen) do
    case G.next(c) do
      :done -> :done
      {op, c} -> next_zip(cs, [op | ops], [c | children], gen)
    end
  end

  defp next_filter(_child, _pred, max, max, _gen), do: too_many_rejections!(max)

  defp next_filter(child, pred, max, rejected, gen) do
    case G.next(child) do
      :done ->
        :done

      {op, child} ->
        if pred.(op),
          do: {op, %{gen | children: [child], remaining: dec(gen.remaining)}},
          else: next_filter(child, pred, max, rejected + 1, gen)
    end
  end

  defp next_mix(%G{engine: {:mix, _, {:random, _, _, _, _, _}}} = gen) do
    {pick, gen} = pop_pick(gen)
    serve_live(gen, pick)
  end

  defp next_mix(gen), do: serve_live(gen, nil)

  # Serves until a child produces an op. A random mix keeps its pick across
  # retries (the engine's rule: the next live child after it); the others
  # choose again from next_child.
  defp serve_live(gen, pick) do
    case serve(gen, pick || gen.next_child) do
      {:skip, gen} -> if exhausted?(gen), do: :done, else: serve_live(gen, pick)
      result -> result
    end
  end

  # Serves the op from the child chosen from `from` (strategy rules), or
  # {:skip, gen} when that child ended without looking exhausted (a filter whose
  # last ops were all rejected) under concat or `until: :all`: the child is then
  # marked exhausted and another one serves.
  defp serve(%G{children: cs, engine: {:mix, until, strategy}} = gen, from) do
    k = length(cs)

    {idx, gen} =
      case strategy do
        :round_robin ->
          idx = if until == :any, do: from, else: live_from(cs, from, k)
          {idx, %{gen | next_child: rem(idx + 1, k)}}

        :concat ->
          idx = Enum.find(from..(k - 1), &(not exhausted?(Enum.at(cs, &1))))
          {idx, %{gen | next_child: idx}}

        {:random, _, _, _, _, _} ->
          {live_from(cs, from, k), gen}
      end

    child = Enum.at(cs, idx)

    case G.next(child) do
      {op, child} ->
        {op, %{gen | children: List.replace_at(cs, idx, child), remaining: dec(gen.remaining)}}

      :done when until == :any ->
        :done

      :done ->
        {:skip, %{gen | children: List.replace_at(cs, idx, %{child | remaining: 0})}}
    end
  end

  # First live child at or after i, cyclically (one exists: not exhausted).
  defp live_from(children, i, k) do
    Enum.find(Enum.map(0..(k - 1), &rem(i + &1, k)), i, &(not exhausted?(Enum.at(children, &1))))
  end

  # The random mix's next child choice, from its prefetched picks.
  defp pop_pick(%G{engine: {:mix, until, {:random, picker, key, stream, forks, picks}}} = gen) do
    case picks do
      [pick | rest] ->
        {pick, %{gen | engine: {:mix, until, {:random, picker, key, stream, forks, rest}}}}

      [] ->
        k = Batch.refill_size(gen.pos, :infinity)
        {kind, table} = if picker == :uniform, do: {:random, nil}, else: {:weighted, picker}
        n = length(gen.children)

        case Native.leaf_chunk(kind, n, table, key, stream, Batch.wire(kind, n, gen.pos), k, nil) do
          :stale_table ->
            pop_pick(G.__rebuild_tables__(gen))

          fresh ->
            engine = {:mix, until, {:random, picker, key, stream, forks, fresh}}
            pop_pick(%{gen | engine: engine, pos: gen.pos + k})
        end
    end
  end

  @doc false
  # The bound of filter/3 on consecutive rejections (here and in chunked folds).
  @spec too_many_rejections!(pos_integer()) :: no_return()
  def too_many_rejections!(max) do
    raise RuntimeError,
          "filter/3 rejected #{max} ops in a row; the predicate may reject everything " <>
            "(raise :max_rejections if this is expected)"
  end

  defp dec(:infinity), do: :infinity
  defp dec(n), do: n - 1
end
