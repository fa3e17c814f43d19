defmodule Lockstep.Generator.SelectTest do
  # select/2: the ops of a generator at given op positions, checked against
  # drop/2-and-take on every kind of generator, through every way of running
  # a generator, and its errors.
  use ExUnit.Case, async: true

  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  @pool [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}]

  defp generators do
    [
      random: G.random(@pool, seed: 42),
      weighted: G.weighted([read: 3, write: 1, cas: 0, del: 2], seed: 7),
      cycle: G.cycle([:a, :b, :c]),
      mix: G.mix([G.random(@pool, seed: 1), G.cycle([:x]), G.weighted([p: 1, q: 2], seed: 2)]),
      random_mix: G.mix([G.random(@pool, seed: 3), G.cycle([:y])], strategy: :random, seed: 4),
      concat: G.concat([G.take(G.cycle([:setup]), 5), G.random(@pool, seed: 5)]),
      zip: G.zip([G.cycle([:w]), G.integers(1..100, seed: 6)]),
      map: G.map(G.counter(1), &{:write, &1}),
      filter: G.filter(G.integers(1..10, seed: 8), &(rem(&1, 2) == 0)),
      register: Workloads.register(seed: 9),
      bank: Workloads.bank(seed: 10),
      list_append: Workloads.list_append(seed: 11),
      mid_stream: G.drop(G.random(@pool, seed: 12), 1000),
      selection: G.select(G.random(@pool, seed: 13), Enum.to_list(0..1000//3))
    ]
  end

  # The op at position i, by drop/2 and take.
  defp at(gen, i), do: gen |> G.drop(i) |> G.take(1) |> Enum.to_list() |> hd()

  defp some_indices(seed) do
    :rand.seed(:exsss, seed)
    Enum.filter(0..299, fn _ -> :rand.uniform(5) == 1 end)
  end

  test "select/2 gives the ops at the indices, as drop/2-and-take does, for every kind" do
    for {{name, gen}, k} <- Enum.with_index(generators()) do
      indices = some_indices(k)
      expected = Enum.map(indices, &at(gen, &1))
      sel = G.select(gen, indices)

      assert Enum.to_list(sel) == expected, "#{name}: Enum"
      assert walk(sel) == expected, "#{name}: next/1"
      assert reduce_list(sel) == expected, "#{name}: reduce/3"
      assert each_list(sel) == {expected, length(expected)}, "#{name}: each/2"
      # Against a plain list of the generator's first 300 ops as well.
      ops = Enum.take(gen, 300)
      assert expected == Enum.map(indices, &Enum.at(ops, &1)), "#{name}"
    end
  end

  test "the empty selection, and selections of the first ops" do
    gen = G.random(@pool, seed: 42)
    assert G.next(G.select(gen, [])) == :done
    assert Enum.to_list(G.select(gen, [])) == []
    assert Enum.to_list(G.select(gen, [0, 1, 2])) == Enum.take(gen, 3)
    assert Enum.to_list(G.select(gen, Enum.to_list(0..99))) == Enum.take(gen, 100)
  end

  test "positions past the end of a finite generator are never reached" do
    gen = G.take(G.cycle([:a, :b, :c]), 5)
    sel = G.select(gen, [1, 4, 5, 9])
    assert Enum.to_list(sel) == [:b, :b]
    assert walk(sel) == [:b, :b]
    assert Enum.count(sel) == 2

    filtered = G.filter(G.take(G.counter(1), 10), &(rem(&1, 2) == 0))
    assert Enum.to_list(G.select(filtered, [0, 4, 5])) == [2, 10]
  end

  test "Enum.count/at/slice, drop/2 and take/2 on a selection" do
    gen = G.random(Enum.to_list(1..1000), seed: 5)
    indices = some_indices(99)
    expected = Enum.map(indices, &at(gen, &1))
    sel = G.select(gen, indices)

    assert Enum.count(sel) == length(indices)
    assert Enum.at(sel, 7) == Enum.at(expected, 7)
    assert Enum.slice(sel, 3, 5) == Enum.slice(expected, 3, 5)

    for n <- [0, 1, 5, length(indices) - 1, length(indices), length(indices) + 3] do
      assert Enum.to_list(G.drop(sel, n)) == Enum.drop(expected, n), "drop #{n}"
      assert Enum.to_list(G.take(sel, n)) == Enum.take(expected, n), "take #{n}"
      assert walk(G.take(sel, n)) == Enum.take(expected, n), "take #{n}"
      assert Enum.to_list(sel |> G.take(10) |> G.drop(n)) == Enum.drop(Enum.take(expected, 10), n)
    end

    # Mid-way: after some next/1 calls, drop/2 and count still agree.
    {first, rest} = advance(sel, 4)
    assert first == Enum.take(expected, 4)
    assert Enum.count(rest) == length(expected) - 4
    assert Enum.to_list(G.drop(rest, 2)) == Enum.drop(expected, 6)
  end

  test "indices count from the generator's current position" do
    gen = G.random(@pool, seed: 21)
    {_ops, mid} = advance(gen, 37)
    assert Enum.to_list(G.select(mid, [0, 5, 63])) == Enum.map([37, 42, 100], &at(gen, &1))
  end

  test "fork/2 forks the child: a fork of a selection selects from the fork" do
    for {name, gen} <- generators() do
      indices = some_indices(3)

      assert Enum.to_list(G.fork(G.select(gen, indices), :w1)) ==
               Enum.to_list(G.select(G.fork(gen, :w1), indices)),
             "#{name}"
    end

    sel = G.select(G.random(@pool, seed: 42), [1, 2, 3])
    [a, b] = G.split(sel, 2)
    assert a.kind == :select and b.kind == :select
    big = G.random(Enum.to_list(1..1000), seed: 1)

    refute Enum.to_list(G.select(big, [0, 1, 2])) ==
             Enum.to_list(G.fork(G.select(big, [0, 1, 2]), 1))
  end

  test "a selection is plain data: it survives term_to_binary, also mid-stream" do
    for {name, gen} <- generators() do
      sel = G.select(gen, some_indices(8))
      expected = Enum.to_list(sel)
      {_, mid} = advance(sel, 3)
      copy = mid |> :erlang.term_to_binary() |> :erlang.binary_to_term()
      assert Enum.to_list(copy) == Enum.drop(expected, 3), "#{name}"
    end
  end

  test "the struct: kind :select, the original generator as child, named settings" do
    gen = G.random(@pool, seed: 42)
    sel = G.select(gen, [3, 17, 42])
    assert sel.kind == :select
    assert sel.children == [gen]
    assert sel.engine == %Lockstep.Generator.Settings.Select{indices: [3, 17, 42], at: 0, run: 0}
    assert {_op, %{engine: %{indices: [17, 42], at: 4}}} = G.next(sel)
  end

  test "inspect/1 shows what to pass to select/2 to rebuild it, also mid-stream" do
    gen = G.random(@pool, seed: 42)
    sel = G.select(gen, [3, 17, 42])

    assert inspect(sel) ==
             "#Lockstep.Generator<select indices: [3, 17, 42] of: " <>
               "#Lockstep.Generator<random seed: 42 at: 0 remaining: infinity>>"

    {_op, mid} = G.next(sel)

    assert inspect(mid) ==
             "#Lockstep.Generator<select indices: [13, 38] of: " <>
               "#Lockstep.Generator<random seed: 42 at: 4 remaining: infinity>>"

    assert Enum.to_list(mid) == Enum.to_list(G.select(G.drop(gen, 4), [13, 38]))

    assert inspect(G.take(G.select(G.fork(gen, 2), [10, 11]), 1)) ==
             "#Lockstep.Generator<select indices: [10, 11] remaining: 1 of: " <>
               "#Lockstep.Generator<random seed: 42 stream: 2 at: 0 remaining: infinity>>"

    # Small indices stay numbers (not a charlist).
    assert inspect(G.select(gen, [10, 11])) =~ "indices: [10, 11]"
    # Inside a composite, a selection still shows its child fully.
    assert inspect(G.mix([G.select(gen, [1]), G.cycle([:x])])) =~
             "select indices: [1] of: #Lockstep.Generator<random seed: 42 at: 0 remaining: infinity>"
  end

  test "selections compose: inside mixes, maps, selections" do
    gen = G.random(@pool, seed: 42)
    sel = G.select(gen, [3, 17, 42])
    ops = Enum.to_list(sel)

    assert Enum.to_list(G.take(G.mix([sel, G.cycle([:x])]), 5)) ==
             [Enum.at(ops, 0), :x, Enum.at(ops, 1), :x, Enum.at(ops, 2)]

    assert Enum.to_list(G.mix([sel, G.cycle([:x])])) == [
             Enum.at(ops, 0),
             :x,
             Enum.at(ops, 1),
             :x,
             Enum.at(ops, 2),
             :x
           ]

    assert Enum.to_list(G.concat([sel, G.take(G.cycle([:y]), 2)])) == ops ++ [:y, :y]
    assert Enum.to_list(G.map(sel, &{:m, &1})) == Enum.map(ops, &{:m, &1})
    assert Enum.to_list(G.select(sel, [0, 2])) == [Enum.at(ops, 0), Enum.at(ops, 2)]
    assert Enum.to_list(G.drop(G.mix([sel, G.cycle([:x])]), 3)) == [:x, Enum.at(ops, 2), :x]
  end

  test "bad indices and bad generators raise ArgumentError naming them" do
    gen = G.random(@pool, seed: 42)

    for bad <- [[2, 1], [1, 1], [-1, 3], [0, :a], [1.0], :all, 5, nil, [0 | 1]] do
      error = assert_raise ArgumentError, fn -> G.select(gen, bad) end
      assert error.message =~ "select/2 expects indices", inspect(bad)
    end

    error = assert_raise ArgumentError, fn -> G.select([:read], [0]) end
    assert error.message =~ "select/2 expects a generator"
  end

  test "a sparse selection computes only the ops it selects: the value stays small" do
    # Each selected op is the child's op after a drop/2 of the gap, asked
    # with the budget of the run of consecutive indices: no full refill is
    # prefetched and thrown away at the next gap (it was 1,024 ops, ~11 KiB
    # in the value, per selected op).
    indices = Enum.map(0..5, &(&1 * 2000))

    for {name, gen} <- [
          random: G.random(@pool, seed: 1),
          register: Workloads.register(seed: 2),
          mix:
            G.mix([G.random(@pool, seed: 3), G.cycle([:x]), G.weighted([p: 1, q: 2], seed: 4)]),
          zip: G.zip([G.cycle([:w]), G.integers(1..100, seed: 5)]),
          map: G.map(Workloads.register(seed: 6), &{:op, &1}),
          map_of_map: G.map(G.map(G.random(@pool, seed: 7), &{:a, &1}), &{:b, &1})
        ] do
      sel = G.select(gen, indices)
      fresh = :erlang.external_size(sel)

      {ops, _} =
        Enum.map_reduce(indices, sel, fn _i, sel ->
          {op, sel} = G.next(sel)
          assert :erlang.external_size(sel) <= fresh + 256, "#{name}"
          {op, sel}
        end)

      assert ops == Enum.map(indices, &at(gen, &1)), "#{name}"
    end
  end

  test "runs of consecutive indices longer than one refill, gaps, budgets, finite children" do
    indices = Enum.to_list(0..999) ++ [1500] ++ Enum.to_list(5000..5600) ++ [9000, 9002]

    for {name, gen} <- [
          random: G.random(@pool, seed: 1),
          mix:
            G.mix([G.random(@pool, seed: 3), G.cycle([:x]), G.weighted([p: 1, q: 2], seed: 4)]),
          finite_mix: G.take(G.mix([G.random(@pool, seed: 3), G.counter(0)]), 5300),
          filter: G.filter(G.integers(1..10, seed: 8), &(rem(&1, 2) == 0)),
          concat: G.concat([G.take(G.cycle([:setup]), 1200), G.random(@pool, seed: 5)])
        ] do
      ops = Enum.take(gen, 9003)
      expected = for i <- indices, i < length(ops), do: Enum.at(ops, i)
      sel = G.select(gen, indices)
      assert walk(sel) == expected, "#{name}: next/1"
      assert Enum.to_list(sel) == expected, "#{name}: Enum"
      assert walk(G.take(sel, 1300)) == Enum.take(expected, 1300), "#{name}: take"

      # Mid-run, the child's own budget is its true one: what remains of a
      # selection rebuilt from inspect-style parts is the same.
      {_, mid} = advance(sel, 500)
      [child] = mid.children
      assert child.remaining == G.drop(gen, 500).remaining, "#{name}"
      assert walk(mid) == Enum.drop(expected, 500), "#{name}: after 500"
    end
  end

  test "selections nest no deeper than maps and mixes: 64 levels, then ArgumentError" do
    deep = Enum.reduce(1..64, G.cycle([:x, :y]), fn _, g -> G.select(g, [0, 1, 2]) end)
    assert Enum.to_list(deep) == [:x, :y, :x]

    assert_raise ArgumentError, "select/2: generators nested deeper than 64 levels", fn ->
      G.select(deep, [0])
    end

    assert_raise ArgumentError, ~r/nested deeper than 64 levels/, fn ->
      Enum.reduce(1..100_000, G.cycle([:x]), fn _, g -> g |> G.select([0]) |> G.map(& &1) end)
    end
  end

  test "a map skips by its child's drop/2: O(1) over a leaf, the same ops and budget as walking" do
    gen = G.map(G.counter(1), &{:w, &1})

    assert Enum.take(G.drop(gen, 1_000_000_000_000), 2) == [
             w: 1_000_000_000_001,
             w: 1_000_000_000_002
           ]

    # Past the end of a finite child: as many ops skipped as there were.
    finite = G.take(G.map(G.take(G.random(@pool, seed: 1), 5), &{:w, &1}), 100)

    walked =
      Enum.reduce(1..10, finite, fn _, g ->
        case G.next(g) do
          {_op, g} -> g
          :done -> g
        end
      end)

    assert G.drop(finite, 10).remaining == walked.remaining
    assert G.next(G.drop(finite, 10)) == :done

    # Over a filter (its length unknown) it steps, as before.
    filtered = G.map(G.filter(G.counter(1), &(rem(&1, 3) == 0)), & &1)
    assert Enum.take(G.drop(filtered, 10), 2) == [33, 36]
  end
end
