defmodule Lockstep.Generator.EnumerableSliceTest do
  # Enum.slice/2,3 (and what uses Enumerable.slice/1) on generators of known
  # length agree with the same ops as a list, for every range and step
  # (0..10//3 of take(counter(0), 20) once gave 7 ops on Elixir 1.14).
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G

  defp gens(n) do
    [
      G.take(G.counter(0), n),
      G.take(G.random(Enum.to_list(1..9), seed: 3), n),
      G.take(G.mix([G.cycle([:a, :b]), G.integers(1..5, seed: 1)]), n),
      G.drop(G.take(G.random([:x, :y, :z], seed: 8), n + 7), 7)
    ]
  end

  test "0..10//3 of take(counter(0), 20) is every third op of the first 11" do
    assert Enum.slice(G.take(G.counter(0), 20), 0..10//3) == [0, 3, 6, 9]
  end

  test "Enum.slice with ranges and steps equals slicing the list" do
    for n <- [0, 1, 2, 5, 13], gen <- gens(n) do
      list = Enum.to_list(gen)
      assert length(list) == n

      for first <- (-n - 2)..(n + 2), last <- (-n - 2)..(n + 2), step <- 1..4 do
        range = first..last//step
        assert Enum.slice(gen, range) == Enum.slice(list, range), "#{inspect(range)} of #{n}"
      end

      for start <- (-n - 2)..(n + 2), amount <- 0..(n + 2) do
        assert Enum.slice(gen, start, amount) == Enum.slice(list, start, amount)
      end
    end
  end

  test "other functions that slice: Enum.at, fetch, take with a negative count" do
    for n <- [1, 6], gen <- gens(n) do
      list = Enum.to_list(gen)

      for i <- (-n - 1)..n do
        assert Enum.at(gen, i) == Enum.at(list, i)
        assert Enum.fetch(gen, i) == Enum.fetch(list, i)
      end

      assert Enum.take(gen, -3) == Enum.take(list, -3)
      assert Enum.take_every(gen, 2) == Enum.take_every(list, 2)
    end
  end

  test "a large generator slices with a step without running the skipped ops" do
    gen = G.take(G.random([:a, :b, :c], seed: 1), 1_000_000_000_000)
    ops = Enum.slice(gen, 999_999_999_000..999_999_999_999//100)
    assert length(ops) == 10
    assert ops == Enum.take_every(Enum.to_list(G.drop(gen, 999_999_999_000)), 100)
  end
end
