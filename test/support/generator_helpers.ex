defmodule Lockstep.GeneratorHelpers do
  @moduledoc false
  # Shared helpers of the Lockstep.Generator test suite.

  alias Lockstep.Generator, as: G

  @doc "Ops of `gen` pulled one by one with next/1, at most `max` of them."
  def walk(gen, max \\ :infinity), do: walk(gen, max, [])

  defp walk(_gen, 0, acc), do: Enum.reverse(acc)

  defp walk(gen, max, acc) do
    case G.next(gen) do
      :done -> Enum.reverse(acc)
      {op, gen} -> walk(gen, dec(max), [op | acc])
    end
  end

  @doc "Like walk/2 but also returns the generator after the last pull."
  def advance(gen, 0), do: {[], gen}

  def advance(gen, n) do
    case G.next(gen) do
      :done ->
        {[], gen}

      {op, gen} ->
        {ops, gen} = advance(gen, n - 1)
        {[op | ops], gen}
    end
  end

  defp dec(:infinity), do: :infinity
  defp dec(n), do: n - 1

  @doc "All ops of `gen` via reduce/3 (gen must be finite)."
  def reduce_list(gen), do: gen |> G.reduce([], &[&1 | &2]) |> Enum.reverse()

  @doc "All ops of `gen` via each/2 (gen must be finite) and the count each/2 returned."
  def each_list(gen) do
    key = {__MODULE__, make_ref()}
    Process.put(key, [])
    count = G.each(gen, fn op -> Process.put(key, [op | Process.get(key)]) end)
    {Enum.reverse(Process.delete(key)), count}
  end

  @doc "Pearson chi-squared statistic of `counts` (map op => count) against `expected` (op => count)."
  def chi_squared(counts, expected) do
    expected
    |> Enum.map(fn {op, e} ->
      o = Map.get(counts, op, 0)
      (o - e) * (o - e) / e
    end)
    |> Enum.sum()
  end

  def frequencies(gen),
    do: G.reduce(gen, %{}, fn op, acc -> Map.update(acc, op, 1, &(&1 + 1)) end)
end
