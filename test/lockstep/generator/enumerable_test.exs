defmodule Lockstep.Generator.EnumerableTest do
  use ExUnit.Case, async: true

  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G

  @pool [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}, "str"]

  defp random, do: G.random(@pool, seed: 42)
  defp weighted, do: G.weighted([read: 5, write: 3, delete: 0, cas: 1], seed: 7)
  defp cycle, do: G.cycle([:a, :b, :c])
  defp big, do: G.random(Enum.to_list(1..100_000), seed: 5)

  defp infinite do
    [
      random: random(),
      weighted: weighted(),
      cycle: cycle(),
      big_pool: big(),
      forked: G.fork(random(), 3),
      buffered: random() |> advance(10) |> elem(1),
      mix: G.mix([random(), weighted(), cycle()]),
      mix_all: G.mix([G.take(random(), 5), cycle()], until: :all),
      mix_buffered: G.mix([random(), big()]) |> advance(33) |> elem(1)
    ]
  end

  defp finite do
    [
      take_leaf: G.take(random(), 123),
      take_weighted: G.take(weighted(), 5000),
      take_zero: G.take(cycle(), 0),
      buffered_take: G.take(big(), 700) |> advance(65) |> elem(1),
      mix_any_takes: G.mix([G.take(random(), 40), weighted(), G.take(cycle(), 100)]),
      mix_all_takes:
        G.mix([G.take(random(), 40), G.take(weighted(), 7), G.take(cycle(), 100)], until: :all),
      mix_taken: G.mix([random(), cycle()]) |> G.take(9999),
      mix_nested:
        G.mix([
          G.mix([G.take(random(), 300), cycle()], until: :all) |> G.take(500),
          G.take(weighted(), 2000)
        ]),
      mix_random_all:
        G.mix([G.take(random(), 40), G.take(weighted(), 70)],
          strategy: :random,
          seed: 1,
          until: :all
        ),
      concat: G.concat([G.take(random(), 10), G.take(big(), 200), G.take(cycle(), 3)]),
      zip: G.zip([G.take(random(), 130), cycle()]),
      map: G.map(G.take(weighted(), 90), &{:mapped, &1}),
      mix_midstream:
        G.mix([G.take(random(), 40), G.take(weighted(), 7), G.take(cycle(), 100)], until: :all)
        |> advance(30)
        |> elem(1)
    ]
  end

  describe "infinite generators" do
    test "Enum.take/2 equals the next/1 walk, for small and chunk-crossing counts" do
      for {name, gen} <- infinite(), n <- [0, 1, 5, 64, 65, 200, 5000] do
        assert Enum.take(gen, n) == walk(gen, n), "#{name}, take #{n}"
      end
    end

    test "Enum.to_list(take(gen, n)) equals the next/1 walk" do
      for {name, gen} <- infinite(), n <- [0, 10, 4097] do
        assert Enum.to_list(G.take(gen, n)) == walk(gen, n), "#{name}, take #{n}"
      end
    end

    test "enumerating does not change the generator: it can be enumerated again" do
      for {_name, gen} <- infinite() do
        first = Enum.take(gen, 300)
        assert Enum.take(gen, 300) == first
        assert Enum.take(gen, 100) == Enum.take(first, 100)
      end
    end

    test "slicing far into an infinite generator skips instead of walking" do
      gen = G.counter(0)
      {us, ops} = :timer.tc(fn -> Enum.slice(gen, 10_000_000, 2) end)
      assert ops == [10_000_000, 10_000_001]
      # The old walk took ~365 ms; a skip is O(1).
      assert us < 50_000, "#{us} µs"

      assert Enum.at(G.random([:a, :b], seed: 1), 10 ** 15) ==
               G.random([:a, :b], seed: 1) |> G.drop(10 ** 15) |> Enum.at(0)

      assert Enum.slice(G.counter(0), 5..20//5) == [5, 10, 15, 20]
    end

    test "Enum.count raises (it would never return), lazy Stream functions and Enum.at/slice work" do
      for {name, gen} <- infinite() do
        error = assert_raise ArgumentError, fn -> Enum.count(gen) end
        assert error.message =~ "cannot count an infinite generator (no take/2 bounds it)"
        # Sliced by skipping, as if 2^64 ops long.
        assert {:ok, 18_446_744_073_709_551_616, _} = Enumerable.slice(gen)
        expected = walk(gen, 2000)

        assert Enum.at(gen, 1234) == Enum.at(expected, 1234), "#{name}"
        assert Enum.slice(gen, 100, 50) == Enum.slice(expected, 100, 50), "#{name}"
        assert Enum.slice(gen, 1990..1999) == Enum.slice(expected, 1990..1999), "#{name}"
        assert Enum.slice(gen, 10..40//7) == Enum.slice(expected, 10..40//7), "#{name}"

        assert gen |> Stream.with_index() |> Stream.map(fn {op, i} -> {i, op} end) |> Enum.take(7) ==
                 expected
                 |> Enum.take(7)
                 |> Enum.with_index()
                 |> Enum.map(fn {op, i} -> {i, op} end)

        assert gen |> Stream.drop(10) |> Enum.take(20) == Enum.slice(expected, 10, 20)

        assert Enum.find_index(gen, &(&1 == Enum.at(expected, 1500))) ==
                 Enum.find_index(expected, &(&1 == Enum.at(expected, 1500)))

        assert gen |> Stream.chunk_every(3) |> Enum.take(4) ==
                 expected |> Enum.take(12) |> Enum.chunk_every(3)
      end
    end

    test "Enum.reduce_while and Enum.find halt early" do
      gen = random()
      expected = walk(gen, 500)

      taken =
        Enum.reduce_while(gen, [], fn op, acc ->
          if length(acc) == 99, do: {:halt, [op | acc]}, else: {:cont, [op | acc]}
        end)

      assert Enum.reverse(taken) == Enum.take(expected, 100)
      assert Enum.find(cycle(), &(&1 == :c)) == :c
      assert Enum.member?(random(), "str")
    end
  end

  describe "finite generators" do
    test "Enum.count/1 equals the length of the walk" do
      for {name, gen} <- finite() do
        expected = walk(gen)
        assert Enum.count(gen) == length(expected), "#{name}"
        assert Enumerable.count(gen) == {:ok, length(expected)}, "#{name}"
        assert G.each(gen, fn _ -> :ok end) == length(expected), "#{name}"
      end
    end

    test "Enum.to_list/1, Enum.map/2, Enum.frequencies/1 equal the walk" do
      for {name, gen} <- finite() do
        expected = walk(gen)
        assert Enum.to_list(gen) == expected, "#{name}"
        assert Enum.map(gen, &{:op, &1}) == Enum.map(expected, &{:op, &1}), "#{name}"
        assert Enum.frequencies(gen) == Enum.frequencies(expected), "#{name}"
        assert reduce_list(gen) == expected, "#{name}"
        assert Enum.reverse(gen) == Enum.reverse(expected), "#{name}"
      end
    end

    test "Enum.slice/3 and Enum.slice/2 equal slicing the walk" do
      for {name, gen} <- finite() do
        expected = walk(gen)
        n = length(expected)

        for {start, amount} <- [
              {0, 0},
              {0, 5},
              {3, 10},
              {60, 10},
              {n - 1, 5},
              {n, 1},
              {n + 10, 3},
              {0, n + 5}
            ] do
          assert Enum.slice(gen, start, amount) == Enum.slice(expected, start, amount),
                 "#{name}: slice(#{start}, #{amount})"
        end

        assert Enum.slice(gen, -5..-1) == Enum.slice(expected, -5..-1), "#{name}"
        assert Enum.slice(gen, 2..-3//1) == Enum.slice(expected, 2..-3//1), "#{name}"
        assert Enum.at(gen, -1) == List.last(expected), "#{name}"
        assert Enum.drop(gen, 7) == Enum.drop(expected, 7), "#{name}"
        assert Enum.take(gen, -3) == Enum.take(expected, -3), "#{name}"
      end
    end
  end

  # A filter, and a random-strategy mix that ends with its first exhausted
  # child, report their capacity as :unknown inside the library.
  defp unknown_length do
    [
      filter: G.take(G.cycle([1, 2, 3]), 10) |> G.filter(&(&1 > 1)),
      random_mix_any: G.mix([G.take(random(), 3), cycle()], strategy: :random, seed: 1)
    ]
  end

  describe "generators whose length only running them tells" do
    test "Enum.to_list/1, Enum.take/2 and reduce work" do
      for {name, gen} <- unknown_length() do
        expected = walk(gen)
        assert Enum.to_list(gen) == expected, "#{name}"
        assert Enum.take(gen, 2) == Enum.take(expected, 2), "#{name}"
        assert reduce_list(gen) == expected, "#{name}"
      end

      assert walk(elem(hd(unknown_length()), 1)) == [2, 3, 2, 3, 2, 3]
    end

    test "Enum.count/1, Enum.at/2 and Enum.slice/3 work" do
      for {name, gen} <- unknown_length() do
        expected = walk(gen)
        assert Enum.count(gen) == length(expected), "#{name}"
        assert Enum.at(gen, 2) == Enum.at(expected, 2), "#{name}"
        assert Enum.slice(gen, 1, 2) == Enum.slice(expected, 1, 2), "#{name}"
        assert Enum.slice(gen, -2..-1) == Enum.slice(expected, -2..-1), "#{name}"
      end

      # Also on an infinite filter, where Enum.at only needs a prefix.
      assert Enum.at(G.filter(cycle(), &(&1 == :b)), 3) == :b
    end
  end

  describe "Stream.zip/2 and suspension" do
    test "zip of two generators pairs their walks" do
      a = random()
      b = G.fork(weighted(), 1)
      assert Stream.zip(a, b) |> Enum.take(5000) == Enum.zip(walk(a, 5000), walk(b, 5000))
    end

    test "zip of a generator with a list stops at the list's end" do
      list = Enum.to_list(1..300)
      assert Stream.zip(random(), list) |> Enum.to_list() == Enum.zip(walk(random(), 300), list)
      assert Stream.zip(list, big()) |> Enum.to_list() == Enum.zip(list, walk(big(), 300))
    end

    test "zip of two mixes (suspending both) pairs their walks and stops at the shorter" do
      m1 = G.mix([G.take(random(), 150), G.take(cycle(), 1000)], until: :all)
      m2 = G.mix([weighted(), big(), G.mix([cycle(), G.fork(random(), 2)])])
      assert length(walk(m1)) == 1150
      expected = Enum.zip(walk(m1), walk(m2, 1150))
      assert length(expected) == 1150
      # m1 ends first: to_list terminates.
      assert m1 |> Stream.zip(m2) |> Enum.to_list() == expected

      three = Stream.zip([m2, m1, G.take(big(), 10_000)]) |> Enum.to_list()
      assert three == Enum.zip([walk(m2, 1150), walk(m1), walk(big(), 1150)])
    end

    test "a suspended continuation is pure: resuming it twice gives the same ops" do
      gen = G.mix([random(), big()])
      suspend_each = fn op, acc -> {:suspend, [op | acc]} end
      {:suspended, [first], cont} = Enumerable.reduce(gen, {:cont, []}, suspend_each)

      resume = fn cont, n ->
        Enum.reduce(1..n, {[], cont}, fn _, {acc, cont} ->
          {:suspended, [op | _], cont} = cont.({:cont, [nil]})
          {[op | acc], cont}
        end)
      end

      {ops1, cont1} = resume.(cont, 500)
      {ops2, _cont2} = resume.(cont, 500)
      assert ops1 == ops2
      assert [first | Enum.reverse(ops1)] == walk(gen, 501)

      # Halting a suspended enumeration returns the accumulator.
      assert {:halted, :acc} = cont1.({:halt, :acc})
    end
  end
end
