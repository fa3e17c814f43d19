defmodule Lockstep.Generator.SupplyTest do
  # A mix, concat or zip holding a child the engine cannot run (a filter, a
  # select, a composite holding one) is still composed by the engine: the
  # child's next ops are pulled ahead and handed to it (Lockstep.Generator.Supply).
  use ExUnit.Case, async: true

  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Tree

  defp evens, do: G.filter(G.counter(1), &(rem(&1, 2) == 0))
  defp keep_all(gen), do: G.filter(gen, fn _ -> true end)

  defp builds do
    [
      {"round robin", &G.mix/1},
      {"until: :all", &G.mix(&1, until: :all)},
      {"random", &G.mix(&1, strategy: :random, seed: 7)},
      {"random, until: :all", &G.mix(&1, strategy: :random, seed: 7, until: :all)},
      {"concat", &G.concat/1},
      {"zip", &G.zip/1}
    ]
  end

  defp kids do
    [
      G.take(G.random([:a, :b, :c], seed: 1), 150),
      G.integers(1..9, seed: 2),
      G.take(G.cycle([:x, :y]), 700),
      G.mix([G.take(G.counter(100), 90), G.weighted([r: 1, w: 3], seed: 3)], until: :all)
    ]
  end

  test "children kept by a pass-all filter give the ops the children give" do
    for {name, build} <- builds() do
      native = build.(kids())
      supplied = build.(Enum.map(kids(), &keep_all/1))
      assert Tree.native?(native) and Tree.supplied?(supplied)
      expected = walk(native, 3000)
      assert walk(supplied, 3000) == expected, name
      assert Enum.take(supplied, 3000) == expected, name
      assert reduce_list(G.take(supplied, 3000)) == expected, name
      assert walk(G.drop(supplied, 1234), 500) == Enum.slice(expected, 1234, 500), name
      {_, mid} = advance(supplied, 777)
      assert walk(mid, 500) == Enum.slice(expected, 777, 500), name
      copy = mid |> :erlang.term_to_binary() |> :erlang.binary_to_term()
      assert walk(copy, 500) == Enum.slice(expected, 777, 500), name
      {_, native_mid} = advance(native, 777)
      assert walk(G.fork(mid, :k), 300) == walk(G.fork(native_mid, :k), 300), name
    end
  end

  test "filters that reject, nested supplied composites" do
    g = G.mix([evens(), G.cycle([:x])])
    assert walk(g, 8) == [2, :x, 4, :x, 6, :x, 8, :x]

    inner = G.mix([G.filter(G.counter(1), &(rem(&1, 3) == 0)), G.cycle([:i])])
    outer = G.concat([G.take(inner, 5), G.take(evens(), 3), G.cycle([:o])])
    assert Tree.supplied?(outer)
    assert walk(outer, 10) == [3, :i, 6, :i, 9, 2, 4, 6, :o, :o]
    assert reduce_list(G.take(outer, 10)) == walk(outer, 10)
  end

  test "a supplied child that raises: every op before it, then the raise" do
    stuck = G.filter(G.counter(1), &(&1 < 5), max_rejections: 10)

    # The same rule over a child that ends where `stuck` raises, until: :any:
    # its ops are those before the raise.
    twins = [
      {&G.mix/1, &G.mix/1},
      {&G.mix(&1, until: :all), &G.mix/1},
      {&G.mix(&1, strategy: :random, seed: 7), &G.mix(&1, strategy: :random, seed: 7)},
      {&G.mix(&1, strategy: :random, seed: 7, until: :all),
       &G.mix(&1, strategy: :random, seed: 7)},
      {&G.concat/1, fn [first, _rest] -> first end}
    ]

    for {build, twin} <- twins do
      g = build.([stuck, G.cycle([:x])])
      before = walk(twin.([G.take(G.counter(1), 4), G.cycle([:x])]))
      assert length(before) >= 4
      {ops, at} = advance(g, length(before))
      assert ops == before
      assert_raise RuntimeError, ~r/rejected 10 ops in a row/, fn -> G.next(at) end
      assert_raise RuntimeError, fn -> G.drop(g, length(before) + 1) end
      assert G.each(G.take(g, length(before)), fn _ -> :ok end) == length(before)
      assert_raise RuntimeError, fn -> G.each(G.take(g, length(before) + 1), fn _ -> :ok end) end
    end

    zip = G.zip([stuck, G.cycle([:x])])
    assert walk(zip, 4) == [{1, :x}, {2, :x}, {3, :x}, {4, :x}]
    {_, at} = advance(zip, 4)
    assert_raise RuntimeError, fn -> G.next(at) end
    assert_raise RuntimeError, fn -> G.drop(zip, 5) end
    assert G.drop(zip, 4) |> G.take(0) |> Enum.to_list() == []
  end

  test "a map that raises inside a mix raises on its op, after every op before it" do
    boom =
      G.map(G.counter(1), fn
        5 -> raise "boom"
        v -> v
      end)

    g = G.mix([boom, G.cycle([:x])])
    {ops, at} = advance(g, 8)
    assert ops == [1, :x, 2, :x, 3, :x, 4, :x]
    assert_raise RuntimeError, "boom", fn -> G.next(at) end
    assert_raise RuntimeError, "boom", fn -> G.each(g, fn _ -> :ok end) end

    # The same through a zip (its element 0) and with a filter beside it.
    zip = G.zip([boom, G.cycle([:x])])
    {ops, at} = advance(zip, 4)
    assert ops == [{1, :x}, {2, :x}, {3, :x}, {4, :x}]
    assert_raise RuntimeError, "boom", fn -> G.next(at) end
    supplied = G.mix([boom, G.filter(G.cycle([:x, :y]), &(&1 == :x))])
    {ops, at} = advance(supplied, 8)
    assert ops == [1, :x, 2, :x, 3, :x, 4, :x]
    assert_raise RuntimeError, "boom", fn -> G.next(at) end
  end

  test "drop/2 from the start and fork/2 leave supplied children at their exact state" do
    child = G.filter(G.integers(1..100, seed: 5), &(rem(&1, 3) != 0))
    g = G.mix([child, G.cycle([:x])])

    for n <- [1, 63, 64, 65, 500, 1500] do
      {_, mid} = advance(g, 2 * n)
      # The filter served n ops.
      exact = walk(G.drop(child, n), 50)
      assert walk(hd(G.fork(mid, :k).children), 50) == walk(G.fork(G.drop(child, n), :k), 50)
      assert walk(hd(G.drop(g, 2 * n).children), 50) == exact
    end
  end

  test "a value holding pulled-ahead ops stays small in term_to_binary" do
    nest = fn gen -> G.mix([keep_all(gen), G.random([:a, :b], seed: 9)]) end
    g = G.random([:r, :w], seed: 1) |> nest.() |> nest.() |> nest.()
    {_, mid} = advance(g, 3000)
    # Each level keeps its pulled ops and one state after them, not one per op.
    assert byte_size(:erlang.term_to_binary(mid)) < 200_000
  end
end
