defmodule Lockstep.Generator.StatsTest do
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Op, Stats, Workloads}

  test "stats/2 counts the first n ops by Op.f/1" do
    gen = G.random([:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}], seed: 42)
    ops = Enum.take(gen, 1000)
    assert G.stats(gen, 1000) == Enum.frequencies_by(ops, &Op.f/1)
    assert G.stats(gen, 1000) |> Map.values() |> Enum.sum() == 1000
    assert G.stats(gen, 0) == %{}
  end

  test "fewer ops when the generator ends first; a take is respected" do
    assert G.stats(G.take(G.cycle([:a, {:b, 1}]), 5), 1000) == %{a: 3, b: 2}
    assert G.stats(G.cycle([:a, {:b, 1}]) |> G.drop(1), 3) == %{a: 1, b: 2}
  end

  test "workloads, transactions and values" do
    assert Map.keys(G.stats(Workloads.register(seed: 1), 500)) |> Enum.sort() ==
             [:cas, :read, :write]

    assert Map.keys(G.stats(Workloads.bank(seed: 1), 500)) |> Enum.sort() == [:read, :transfer]
    assert G.stats(Workloads.list_append(seed: 1), 50) == %{txn: 50}
    assert G.stats(G.integers(1..3, seed: 1), 300) |> Map.keys() |> Enum.sort() == [1, 2, 3]
  end

  test "stats/2 is pure and validates its arguments" do
    gen = G.random([:a, :b], seed: 1)
    assert G.stats(gen, 10) == G.stats(gen, 10)
    assert_raise ArgumentError, ~r/non-negative integer/, fn -> G.stats(gen, -1) end
    assert_raise ArgumentError, ~r/expects a generator/, fn -> G.stats([:a], 1) end
  end

  test "the histogram: most frequent first, aligned, the longest bar 40 cells" do
    rows = Stats.histogram(%{read: 30, cas: 10, write: 60})

    assert rows == [
             "write  60   60.0%  " <> String.duplicate("█", 40),
             "read   30   30.0%  " <> String.duplicate("█", 20),
             "cas    10   10.0%  " <> String.duplicate("█", 6) <> "▋"
           ]

    assert Stats.histogram(%{}) == []
    assert [row] = Stats.histogram(%{1 => 1})
    assert row =~ ~r/^1  1  100.0%  █{40}$/u
  end
end
