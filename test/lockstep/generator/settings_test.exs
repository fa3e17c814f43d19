defmodule Lockstep.Generator.SettingsTest do
  # Every kind keeps its own settings in a named struct (read by field name,
  # never by position), and a value still survives term_to_binary.
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Settings
  alias Lockstep.Generator.Workloads

  defp kinds do
    leaf = G.random([:a, :b], seed: 1)

    [
      {G.random([:a], seed: 1), Settings.Leaf},
      {G.cycle([:a]), Settings.Leaf},
      {G.weighted([a: 1, b: 2], seed: 1), Settings.Weighted},
      {G.weighted(for(i <- 1..300, do: {i, 1}), seed: 1), Settings.Weighted},
      {G.integers(1..5, seed: 1), Settings.Value},
      {G.zipf(5, seed: 1), Settings.Value},
      {G.counter(3), Settings.Value},
      {Workloads.register(seed: 1), Settings.Value},
      {Workloads.bank(seed: 1), Settings.Value},
      {Workloads.list_append(seed: 1), Settings.Value},
      {G.mix([leaf, leaf]), Settings.Composite},
      {G.mix([leaf, leaf], strategy: :random, seed: 2), Settings.Composite},
      {G.concat([leaf, leaf]), Settings.Composite},
      {G.zip([leaf, leaf]), Settings.Composite},
      {G.map(leaf, &Function.identity/1), Settings.Map},
      {G.filter(leaf, &is_atom/1), Settings.Filter},
      {G.select(leaf, [1, 3]), Settings.Select},
      {G.independent(leaf, per_key: 2), Settings.Independent}
    ]
  end

  test "each constructor's settings are its kind's struct, with every field of it" do
    for {gen, struct} <- kinds() do
      assert %^struct{} = gen.engine, inspect(gen)
      assert Map.keys(gen.engine) == Map.keys(struct.__struct__()), inspect(gen)
    end
  end

  test "the settings move with the generator: mid-stream, through term_to_binary" do
    for {gen, struct} <- kinds() do
      gen = G.take(gen, 30)
      {_op, moved} = G.next(gen)
      copy = moved |> :erlang.term_to_binary() |> :erlang.binary_to_term()
      assert %^struct{} = copy.engine
      assert Enum.to_list(copy) == gen |> Enum.to_list() |> tl(), inspect(gen)
    end
  end

  test "only a random mix has a stream of its own" do
    leaf = G.cycle([:a])
    assert %Settings.Composite{key: nil, rpos: nil} = G.mix([leaf]).engine

    assert %Settings.Composite{key: {_, _}, stream: 0, rpos: 0} =
             G.mix([leaf], strategy: :random, seed: 3).engine
  end
end
