defmodule Lockstep.Generator.Drop do
  @moduledoc false
  # Skipping ops without producing them, and counting the ops left.
  #
  # A random/weighted/cycle generator skips by moving its op index: O(1). A mix
  # works out, from its children's capacities, how many ops each child serves
  # in the next n round-robin steps, and drops that many from each child:
  # O(children) for `until: :any`, O(children^2) for `until: :all` (one round
  # per child exhaustion).

  alias Lockstep.Generator, as: G

  @type count :: non_neg_integer() | :infinity

  @doc false
  # Ops `gen` produces before :done.
  @spec capacity(G.t()) :: count()
  def capacity(%G{kind: :mix, engine: {:mix, :any}, children: cs} = gen) do
    k = length(cs)
    caps = rotate(Enum.map(cs, &capacity/1), gen.next_child)

    caps
    |> Enum.with_index()
    |> Enum.map(fn
      {:infinity, _j} -> :infinity
      {0, _j} -> 0
      {c, j} -> j + (c - 1) * k + 1
    end)
    |> Enum.reduce(gen.remaining, &min_count/2)
  end

  def capacity(%G{kind: :mix, engine: {:mix, :all}, children: cs} = gen) do
    cs |> Enum.map(&capacity/1) |> Enum.reduce(0, &add/2) |> min_count(gen.remaining)
  end

  def capacity(%G{remaining: remaining}), do: remaining

  @doc false
  # `gen` after n ops (or after all of them, when it has fewer).
  @spec drop(G.t(), non_neg_integer()) :: G.t()
  def drop(gen, 0), do: gen

  def drop(gen, n) do
    n = min_count(n, capacity(gen))
    skip(gen, n)
  end

  # n <= capacity(gen) from here on.
  defp skip(gen, 0), do: gen

  defp skip(%G{kind: :mix, engine: {:mix, :any}, children: cs, next_child: s} = gen, n) do
    k = length(cs)

    counts =
      Enum.map(0..(k - 1), fn idx ->
        j = rem(idx - s + k, k)
        if n > j, do: div(n - j - 1, k) + 1, else: 0
      end)

    %{
      gen
      | children: Enum.zip_with(cs, counts, &skip/2),
        next_child: rem(s + n, k),
        remaining: sub(gen.remaining, n)
    }
  end

  defp skip(%G{kind: :mix, engine: {:mix, :all}, children: cs, next_child: s} = gen, n) do
    k = length(cs)
    caps = cs |> Enum.map(&capacity/1) |> List.to_tuple()
    {counts, next_child} = rounds(caps, Tuple.duplicate(0, k), s, n, k)

    %{
      gen
      | children: Enum.zip_with(cs, Tuple.to_list(counts), &skip/2),
        next_child: next_child,
        remaining: sub(gen.remaining, n)
    }
  end

  defp skip(%G{buf: buf, pos: pos, remaining: remaining} = gen, n) do
    case length(buf) do
      b when n <= b -> %{gen | buf: Enum.drop(buf, n), remaining: sub(remaining, n)}
      b -> %{gen | buf: [], pos: pos - b + n, remaining: sub(remaining, n)}
    end
  end

  # until: :all. Each round serves the live children in turn from pointer p
  # until the first of them runs out (or n is used up), then drops it.
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

  defp min_count(:infinity, b), do: b
  defp min_count(a, :infinity), do: a
  defp min_count(a, b), do: min(a, b)

  defp add(:infinity, _), do: :infinity
  defp add(_, :infinity), do: :infinity
  defp add(a, b), do: a + b

  defp sub(:infinity, _n), do: :infinity
  defp sub(a, n), do: a - n
end
