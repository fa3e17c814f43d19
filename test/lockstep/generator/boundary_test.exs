defmodule Lockstep.Generator.BoundaryTest do
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Boundary, Native}

  require Boundary

  test "pool/1: a tuple of the ops, long lists too" do
    assert Boundary.pool([:a, :b]) == {:a, :b}
    long = Enum.to_list(1..300_000)
    assert Boundary.pool(long) == List.to_tuple(long)

    # Either side of the short lists it does not count, and of the bound.
    for n <- [1, 7, 8, 9, 262_144, 262_145] do
      ops = Enum.to_list(1..n)
      assert Boundary.pool(ops) == List.to_tuple(ops)
    end
  end

  test "a stale table found by any call is rebuilt once and the call made again" do
    gen = G.weighted(for(i <- 1..1000, do: {i, i}), seed: 9)
    stale = put_in(gen.engine.table, make_ref())
    expected = Enum.take(gen, 50)

    # leaf chunks, tree runs, plans
    assert {ops, 50, rebuilt} = Boundary.leaf_ops(stale, 0, 50)
    assert ops == expected
    assert rebuilt.engine.table != stale.engine.table

    assert {_gen, {^expected, [], _state, []}} =
             Boundary.run(G.mix([stale]), Boundary.ops(50, false))

    assert {_cursor, [_pool], _gen} = Boundary.plan(G.mix([stale]))
  end

  test "short folds over large pick pools do not read the pools, and give the same ops" do
    big = G.random(Enum.to_list(1..100_000), seed: 1)
    g = G.mix([big, G.cycle([:x])])
    expected = big |> Enum.take(10) |> Enum.flat_map(&[&1, :x])

    assert {_gen, {^expected, [], _state, []}} = Boundary.run(g, Boundary.ops(20, false))

    assert {_gen, {^expected, [], nil, []}} =
             Boundary.run(g, Boundary.ops(20, false, state: false))

    # With the next_child after each op (a round robin of two, from child 0),
    # apart from the ops.
    ncs = List.flatten(List.duplicate([1, 0], 10))
    assert {_gen, {^expected, ^ncs, _state, []}} = Boundary.run(g, Boundary.ops(20, true))
  end

  test "an engine error is an ArgumentError" do
    leaf = G.random([:a], seed: 1)
    bad = %{leaf | engine: %{leaf.engine | pool: {}}}

    assert_raise ArgumentError, ~r/invalid generator/, fn ->
      Boundary.run(G.mix([bad]), :capacity)
    end
  end

  describe "grouped pools" do
    # A leaf tuple per leaf, grouped 32 at a time until at most 32 remain.
    defp flatten(groups, 1), do: Tuple.to_list(groups)
    defp flatten(groups, d), do: groups |> Tuple.to_list() |> Enum.flat_map(&flatten(&1, d - 1))

    defp widths(groups, 1), do: [tuple_size(groups)]

    defp widths(groups, d),
      do: [tuple_size(groups) | groups |> Tuple.to_list() |> Enum.flat_map(&widths(&1, d - 1))]

    test "up to 32 leaves: the tuple of their tuples; more: groups of 32, in order" do
      for n <- [0, 1, 32], do: assert(Boundary.pool_groups(pools(n)) == List.to_tuple(pools(n)))

      for {n, depth} <- [{33, 2}, {1024, 2}, {1025, 3}, {100_000, 4}] do
        groups = Boundary.pool_groups(pools(n))
        assert flatten(groups, depth) == pools(n), "#{n} leaves"
        assert Enum.max(widths(groups, depth)) <= 32
        # Every group but the last of each level is full.
        assert tuple_size(groups) == div(n + 32 ** (depth - 1) - 1, 32 ** (depth - 1))
      end
    end

    defp pools(n), do: for(i <- 0..(n - 1)//1, do: {i})

    # Keeps the first `keep` leaves of grouped pools and puts junk in every
    # tuple slot a call over only those leaves has no reason to read.
    defp sparse(groups, 1, keep), do: junk_after(groups, keep)

    defp sparse(groups, d, keep),
      do: groups |> put_elem(0, sparse(elem(groups, 0), d - 1, keep)) |> junk_after(1)

    defp junk_after(t, keep) do
      t
      |> Tuple.to_list()
      |> Enum.with_index(&if(&2 < keep, do: &1, else: :junk))
      |> List.to_tuple()
    end

    test "a refill of a 100,000-leaf tree reads only the groups of the leaves it picks from" do
      n = 100_000
      leaf = {:leaf, :cycle, 1, {0, 0}, 0, 0, :infinity}
      # Round robin over one-op cycles: op j is leaf j's only op, j.
      spec = {:mix, :any, 0, :infinity, List.duplicate(leaf, n), :round_robin}
      {:ok, cursor} = Native.plan_new_dirty(spec, n)
      pools = sparse(Boundary.pool_groups(pools(n)), 4, 10)

      assert Native.plan_refill(cursor, 0, 10, {:plain, :untagged}, pools) ==
               {:ok, {Enum.to_list(0..9), [], []}}

      {:ok, fold} = Native.plan_new_dirty(spec, n)
      assert Native.plan_chunk_leaves(fold, 10, pools) == Enum.to_list(0..9)
      # A leaf whose tuple is junk is refused, not read.
      assert_raise ArgumentError, fn ->
        Native.plan_refill(cursor, 10, 1, {:plain, :untagged}, pools)
      end

      # Grouped pools of the wrong number of leaves are refused.
      assert_raise ArgumentError, fn ->
        Native.plan_chunk_leaves(fold, 1, Boundary.pool_groups(pools(40)))
      end
    end
  end
end
