defmodule Lockstep.Generator.Step do
  @moduledoc false
  # next/1 for what only Elixir can run: `map` and `filter` (they call the
  # user's functions), and mixes, concats and zips with such a generator
  # inside, but for mixes, concats and zips of maps over native trees, which
  # the engine runs (Lockstep.Generator.Engine.lifted?/1). Native trees run in
  # the engine too.
  #
  # The composition rules are the engine's (docs/STREAM.md, section 5), in
  # their pull-based form, which needs nothing but asking a child for its
  # next op: a round-robin mix asks the child whose turn it is and is done
  # when that child answers :done (`until: :all`: a child that answers :done
  # is marked exhausted, `remaining: 0`, and the next live one is asked); a
  # concat asks its current phase and moves on when it is done; a random mix
  # asks its drawn child (`until: :all`: the next live one after it); a zip
  # asks every child and is done when any answers :done.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Engine, Native}

  import Bitwise

  @max_u64 (1 <<< 64) - 1
  # Child picks a stepped random mix prefetches per engine call.
  @picks 64

  @doc false
  @spec next(G.t()) :: {term(), G.t()} | :done
  def next(%G{kind: :map, children: [child], engine: %{fun: fun}} = gen) do
    case G.next(child) do
      :done -> :done
      {op, child} -> {fun.(op), served(gen, [child])}
    end
  end

  def next(%G{kind: :filter, children: [child], engine: %{pred: pred, max: max}} = gen),
    do: next_filter(child, pred, max, 0, gen)

  def next(%G{kind: :zip, children: cs} = gen), do: next_zip(cs, [], [], gen)

  def next(%G{engine: %{strategy: :random} = e} = gen) do
    {pick, rest, gen} = pick(gen)

    case ask(gen, pick, e.until) do
      {op, gen} ->
        engine = %{gen.engine | rpos: e.rpos + 1} |> Map.put(:picks, {e.stream, e.rpos + 1, rest})
        {op, %{gen | engine: engine}}

      :done ->
        :done
    end
  end

  def next(%G{engine: %{strategy: :concat}} = gen), do: ask(gen, gen.next_child, :concat)

  def next(%G{engine: %{strategy: :round_robin, until: until}} = gen),
    do: ask(gen, gen.next_child, until)

  # The drawn child of op `rpos`: word `rpos` of the mix's stream through
  # the engine's own pick (uniform over the children, or the alias table of
  # `weights`), and the picks after it. Picks are prefetched @picks at a
  # time, kept in the engine map with the (stream, rpos) of the first, so a
  # fork or a skip just misses the cache.
  defp pick(%G{engine: %{stream: stream, rpos: rpos} = e} = gen) do
    case Map.get(e, :picks) do
      {^stream, ^rpos, [pick | rest]} ->
        {pick, rest, gen}

      _ ->
        n = length(gen.children)
        kind = if gen.weights, do: :weighted, else: :random
        table = Engine.mix_table(gen)

        case Native.leaf_chunk(kind, n, table, e.key, stream, rpos &&& @max_u64, @picks, nil) do
          {:error, :stale_table} -> pick(G.__rebuild_tables__(gen))
          [pick | rest] -> {pick, rest, gen}
        end
    end
  end

  # Asks child `idx` under the mix's rule; returns the op and the mix after
  # it, or :done.
  defp ask(%G{children: cs} = gen, idx, rule) do
    child = Enum.at(cs, idx)

    case G.next(child) do
      {op, child} ->
        cs = List.replace_at(cs, idx, child)
        gen = served(gen, cs)
        {op, %{gen | next_child: after_serving(gen, idx, rule)}}

      :done when rule == :any ->
        :done

      :done ->
        cs = List.replace_at(cs, idx, %{child | remaining: 0})
        gen = %{gen | children: cs}

        case next_live(gen, idx, rule) do
          nil -> :done
          next -> ask(gen, next, rule)
        end
    end
  end

  defp after_serving(%G{engine: %{strategy: :round_robin}, children: cs}, idx, _rule),
    do: rem(idx + 1, length(cs))

  defp after_serving(%G{engine: %{strategy: :concat}}, idx, _rule), do: idx
  defp after_serving(%G{next_child: nc}, _idx, _rule), do: nc

  # The next child to ask after `idx` answered :done.
  defp next_live(%G{children: cs}, idx, :concat) do
    if idx + 1 < length(cs), do: idx + 1, else: nil
  end

  defp next_live(%G{children: cs}, idx, :all) do
    k = length(cs)

    Enum.find(Enum.map(1..k, &rem(idx + &1, k)), fn j ->
      Enum.at(cs, j).remaining != 0
    end)
  end

  defp served(gen, children),
    do: %{gen | children: children, remaining: dec(gen.remaining)}

  defp next_zip([], ops, children, gen) do
    {List.to_tuple(Enum.reverse(ops)), served(gen, Enum.reverse(children))}
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
          do: {op, served(gen, [child])},
          else: next_filter(child, pred, max, rejected + 1, gen)
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
