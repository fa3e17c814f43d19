defmodule Lockstep.Generator.BoundaryTest do
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Boundary

  test "pool/1: a tuple of the ops, long lists too" do
    assert Boundary.pool([:a, :b]) == {:a, :b}
    long = Enum.to_list(1..300_000)
    assert Boundary.pool(long) == List.to_tuple(long)
  end

  test "a stale table found by any call is rebuilt once and the call made again" do
    gen = G.weighted(for(i <- 1..1000, do: {i, i}), seed: 9)
    stale = put_in(gen.engine.table, make_ref())
    expected = Enum.take(gen, 50)

    # leaf chunks, tree runs, plans
    assert {ops, 50, rebuilt} = Boundary.leaf_ops(stale, 0, 50)
    assert ops == expected
    assert rebuilt.engine.table != stale.engine.table
    assert {_gen, {^expected, _state}} = Boundary.run(G.mix([stale]), Boundary.ops(50, false))
    assert {_cursor, [_pool], _gen} = Boundary.plan(G.mix([stale]))
  end

  test "short folds over large pick pools do not read the pools, and give the same ops" do
    big = G.random(Enum.to_list(1..100_000), seed: 1)
    g = G.mix([big, G.cycle([:x])])
    expected = big |> Enum.take(10) |> Enum.flat_map(&[&1, :x])

    assert {_gen, {^expected, _state}} = Boundary.run(g, Boundary.ops(20, false))
    assert {_gen, {^expected, nil}} = Boundary.run(g, Boundary.ops(20, false, state: false))
  end

  test "an engine error is an ArgumentError" do
    leaf = G.random([:a], seed: 1)
    bad = %{leaf | engine: %{leaf.engine | pool: {}}}

    assert_raise ArgumentError, ~r/invalid generator/, fn ->
      Boundary.run(G.mix([bad]), :capacity)
    end
  end
end
