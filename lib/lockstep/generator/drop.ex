defmodule Lockstep.Generator.Drop do
  @moduledoc false
  # Skipping ops without producing them, and counting the ops left.
  #
  # Seeded leaves skip by moving their op index: O(1). Round-robin mixes,
  # concats, zips and maps work out from their children's capacities how many
  # ops each child serves in the next n steps and drop that many from each:
  # O(children) (round-robin `until: :all`: O(children^2), one round per child
  # exhaustion). Filters and random-strategy mixes depend on the ops themselves,
  # so they skip by stepping next/1 (O(n)).

  alias Lockstep.Generator, as: G

  @type count :: non_neg_integer() | :infinity | :unknown

  @doc false
  # Op index of the next op of a seeded leaf or of a random mix.
  @spec position(G.t()) :: non_neg_integer()
  def position(%G{engine: {:mix, _, {:random, _, _, _, _, picks}}, pos: pos}),
    do: pos - length(picks)

  def position(%G{pos: pos, buf: buf}), do: pos - length(buf)

  @doc false
  # Ops `gen` produces before :done (:unknown when only running it tells).
  @spec capacity(G.t()) :: count()
  # select/2 (Lockstep.Generator.Select): its indices the child still reaches.
  def capacity(%G{kind: :select, children: [child]} = gen),
    do: Lockstep.Generator.Select.capacity(gen, capacity(child))

  def capacity(%G{engine: {:mix, :any, :round_robin}, children: cs} = gen) do
    k = length(cs)

    cs
    |> Enum.map(&capacity/1)
    |> rotate(gen.next_child)
    |> Enum.with_index()
    |> Enum.map(fn
      {c, _j} when c in [:infinity, :unknown, 0] -> c
      {c, j} -> j + (c - 1) * k + 1
    end)
    |> Enum.reduce(gen.remaining, &min_count/2)
  end

  def capacity(%G{engine: {:mix, :all, :round_robin}, children: cs} = gen),
    do: cs |> Enum.map(&capacity/1) |> Enum.reduce(0, &add/2) |> min_count(gen.remaining)

  def capacity(%G{engine: {:mix, _, :concat}, children: cs, next_child: i} = gen),
    do:
      cs
      |> Enum.drop(i)
      |> Enum.map(&capacity/1)
      |> Enum.reduce(0, &add/2)
      |> min_count(gen.remaining)

  def capacity(%G{engine: {:mix, :all, {:random, _, _, _, _, _}}, children: cs} = gen),
    do: cs |> Enum.map(&capacity/1) |> Enum.reduce(0, &add/2) |> min_count(gen.remaining)

  def capacity(%G{engine: {:mix, :any, {:random, _, _, _, _, _}}, children: cs} = gen) do
    if Enum.all?(cs, &(capacity(&1) == :infinity)), do: gen.remaining, else: :unknown
  end

  def capacity(%G{kind: kind, children: cs} = gen) when kind in [:zip, :map],
    do: cs |> Enum.map(&capacity/1) |> Enum.reduce(gen.remaining, &min_count/2)

  def capacity(%G{kind: :filter}), do: :unknown
  def capacity(%G{remaining: remaining}), do: remaining

  @doc false
  # True when drop/2 skips without stepping: no filter and no random mix in
  # the tree (their split depends on the ops themselves).
  @spec cheap?(G.t()) :: boolean()
  def cheap?(%G{kind: :filter}), do: false
  def cheap?(%G{engine: {:mix, _, {:random, _, _, _, _, _}}}), do: false
  def cheap?(%G{children: [_ | _] = cs}), do: Enum.all?(cs, &cheap?/1)
  def cheap?(%G{}), do: true

  @doc false
  # `gen` after n ops (or after all of them, when it has fewer).
  @spec drop(G.t(), non_neg_integer()) :: G.t()
  def drop(gen, 0), do: gen
  # select/2 (Lockstep.Generator.Select) skips its indices.
  def drop(%G{kind: :select} = gen, n), do: Lockstep.Generator.Select.drop(gen, n)

  def drop(gen, n) do
    case capacity(gen) do
      :unknown -> walk(gen, n)
      cap -> skip(gen, min_count(n, cap))
    end
  end

  # n <= capacity(gen), which is known, from here on.
  defp skip(gen, 0), do: gen

  defp skip(%G{engine: {:mix, :any, :round_robin}, children: cs, next_child: s} = gen, n) do
    k = length(cs)

    counts =
      Enum.map(0..(k - 1), fn idx ->
        j = rem(idx - s + k, k)
        if n > j, do: div(n - j - 1, k) + 1, else: 0
      end)

    %{gen | children: Enum.zip_with(cs, counts, &drop/2), next_child: rem(s + n, k)}
    |> spend(n)
  end

  defp skip(%G{engine: {:mix, :all, :round_robin}, children: cs, next_child: s} = gen, n) do
    k = length(cs)
    caps = cs |> Enum.map(&capacity/1) |> List.to_tuple()
    {counts, next_child} = rounds(caps, Tuple.duplicate(0, k), s, n, k)

    %{gen | children: Enum.zip_with(cs, Tuple.to_list(counts), &drop/2), next_child: next_child}
    |> spend(n)
  end

  defp skip(%G{engine: {:mix, _, :concat}, children: cs, next_child: i} = gen, n) do
    {children, last, 0} =
      cs
      |> Enum.with_index()
      |> Enum.reduce({[], i, n}, fn
        {c, idx}, {acc, last, left} when idx < i or left == 0 ->
          {[c | acc], last, left}

        {c, idx}, {acc, last, left} ->
          t = min_count(left, capacity(c))
          {[drop(c, t) | acc], if(t > 0, do: idx, else: last), left - t}
      end)

    spend(%{gen | children: Enum.reverse(children), next_child: last}, n)
  end

  defp skip(%G{kind: kind, children: cs} = gen, n) when kind in [:zip, :map],
    do: spend(%{gen | children: Enum.map(cs, &drop(&1, n))}, n)

  # A random mix `until: :all` has a known capacity but not a known split.
  defp skip(%G{engine: {:mix, _, {:random, _, _, _, _, _}}} = gen, n), do: walk(gen, n)

  defp skip(%G{buf: buf, pos: pos} = gen, n) do
    case length(buf) do
      b when n <= b -> spend(%{gen | buf: Enum.drop(buf, n)}, n)
      b -> spend(%{gen | buf: [], pos: pos - b + n}, n)
    end
  end

  defp spend(gen, n), do: %{gen | remaining: sub(gen.remaining, n)}

  defp walk(gen, 0), do: gen

  defp walk(gen, n) do
    case G.next(gen) do
      :done -> gen
      {_op, gen} -> walk(gen, n - 1)
    end
  end

  # Round-robin `until: :all`. Each round serves the live children in turn from
  # pointer p until the first of them runs out (or n is used up), then drops it.
  defp rounds(_caps, counts, p, 0, _k), do: {counts, p}

  defp rounds(caps, counts, p, n, k) do
    live = for j <- 0..(k - 1), idx = rem(p + j, k), elem(caps, idx) != 0, do: idx
    rounds(caps, counts, p, n, k, live)
  end

  defp rounds(_caps, counts, p, _n, _k, []), do: {counts, p}

  defp rounds(caps, counts, _p, n, k, live) do
    l = length(live)

    first_out =
      live
      |> Enum.with_index()
      |> Enum.map(fn {idx, j} ->
        case elem(caps, idx) do
          :infinity -> :infinity
          c -> j + (c - 1) * l + 1
        end
      end)
      |> Enum.reduce(:infinity, &min_count/2)

    steps = min_count(n, first_out)

    {caps, counts} =
      live
      |> Enum.with_index()
      |> Enum.reduce({caps, counts}, fn {idx, j}, {caps, counts} ->
        got = if steps > j, do: div(steps - j - 1, l) + 1, else: 0

        {put_elem(caps, idx, sub(elem(caps, idx), got)),
         put_elem(counts, idx, elem(counts, idx) + got)}
      end)

    last = Enum.at(live, rem(steps - 1, l))
    rounds(caps, counts, rem(last + 1, k), n - steps, k)
  end

  defp rotate(list, s), do: Enum.drop(list, s) ++ Enum.take(list, s)

  # Minimum of counts; :unknown wins over anything but a smaller known bound
  # is not enough to make it known, so it stays :unknown.
  defp min_count(:unknown, _), do: :unknown
  defp min_count(_, :unknown), do: :unknown
  defp min_count(:infinity, b), do: b
  defp min_count(a, :infinity), do: a
  defp min_count(a, b), do: min(a, b)

  defp add(:unknown, _), do: :unknown
  defp add(_, :unknown), do: :unknown
  defp add(:infinity, _), do: :infinity
  defp add(_, :infinity), do: :infinity
  defp add(a, b), do: a + b

  defp sub(:infinity, _n), do: :infinity
  defp sub(a, n), do: a - n
end
