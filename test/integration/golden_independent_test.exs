defmodule Lockstep.GoldenIndependentTest do
  # The golden vectors of native/lockstep_engine/tests/golden_independent.rs
  # (independent keys), rebuilt through the public API: independent/2 of the
  # template, split/2, the worker's first 40 ops. A template pick from flat
  # index k is the atom :"pk", final op j the atom :"fj".
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G

  @fixture Path.expand("../fixtures/golden_independent.txt", __DIR__)
  @external_resource @fixture

  defp lines, do: Lockstep.GoldenFile.lines(@fixture)

  defp build(spec) do
    {template, rest} =
      case String.split(spec) do
        ["random", s, n | rest] ->
          {G.random(for(k <- 0..(int(n) - 1), do: :"p#{k}"), seed: int(s)), rest}

        ["integers", s, a, b | rest] ->
          {G.integers(int(a)..int(b), seed: int(s)), rest}
      end

    [per_key, c, f, workers, worker] = Enum.map(rest, &int/1)
    final = for j <- 0..(f - 1)//1, do: :"f#{j}"

    template
    |> G.independent(per_key: per_key, concurrency: c, final: final)
    |> G.split(workers)
    |> Enum.at(worker)
  end

  defp int(s), do: String.to_integer(s)

  defp render(%G.Keyed{key: k, op: op}), do: "{#{k},#{render(op)}}"
  defp render(a) when is_atom(a), do: Atom.to_string(a)
  defp render(i) when is_integer(i), do: Integer.to_string(i)

  test "every vector, through the public API (Enum and next/1)" do
    assert length(lines()) >= 6

    for {name, spec, ops} <- lines() do
      gen = build(spec)
      assert gen |> Enum.take(40) |> Enum.map_join("; ", &render/1) == ops, name

      stepped =
        Enum.map_reduce(1..40, gen, fn _, g ->
          {op, g} = G.next(g)
          {op, g}
        end)
        |> elem(0)

      assert Enum.map_join(stepped, "; ", &render/1) == ops, "#{name} (next/1)"
    end
  end
end
