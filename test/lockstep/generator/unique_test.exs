defmodule Lockstep.Generator.UniqueTest do
  # Values unique across workers: split/2 gives every counter and
  # list_append leaf of each fork its own residue class of values; fork/2
  # keeps values. Counters at any position, even past 2^126 ops.
  use ExUnit.Case, async: true

  import Bitwise
  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  @two64 1 <<< 64

  defp appends(gen, n), do: for(txn <- Enum.take(gen, n), [:append, _k, v] <- txn, do: v)

  describe "split/2 keeps list_append values unique" do
    test "split(list_append(seed: 7), 4), 3,000 ops each: every appended value distinct" do
      values = Enum.flat_map(G.split(Workloads.list_append(seed: 7), 4), &appends(&1, 3000))
      # Before the change: 15,131 appends with only 8,672 distinct values.
      assert length(values) == 15_131
      assert length(Enum.uniq(values)) == length(values)
    end

    test "worker k of n appends values ≡ k + 1 (mod n); random choices are fork/2's" do
      gen = Workloads.list_append(seed: 3, keys: 5)
      gens = G.split(gen, 3)

      for {g, k} <- Enum.with_index(gens) do
        assert Enum.all?(appends(g, 500), &(rem(&1 - 1, 3) == k))
        # Same transactions (lengths, kinds, keys) as fork(gen, k).
        shape = fn txns -> for txn <- txns, do: for([f, key, _] <- txn, do: {f, key}) end
        assert shape.(Enum.take(g, 500)) == shape.(Enum.take(G.fork(gen, k), 500))
      end
    end

    test "composes with the workers:/worker: options and with nested splits" do
      gen = Workloads.list_append(seed: 11, workers: 2, worker: 1)
      inner = for g <- G.split(gen, 3), h <- G.split(g, 2), do: h
      values = Enum.flat_map(inner, &appends(&1, 400))
      assert length(Enum.uniq(values)) == length(values)
      # All inside worker 1's share of 2 (the option), never worker 0's.
      other = appends(Workloads.list_append(seed: 11, workers: 2, worker: 0), 400)
      assert Enum.all?(values, &(rem(&1 - 1, 2) == 1))
      assert MapSet.disjoint?(MapSet.new(values), MapSet.new(other))
    end

    test "fork/2 with any key keeps the values (only split/2 shares them out)" do
      gen = Workloads.list_append(seed: 7)

      for key <- [0, 1, :w, {3, "x"}] do
        forked = Enum.take(G.fork(gen, key), 300)
        refute forked == Enum.take(gen, 300)
        # Micro-op j of op i appends i·L + j + 1 (L = 4), as the parent does.
        for {txn, i} <- Enum.with_index(forked), {[:append, _k, v], j} <- Enum.with_index(txn) do
          assert v == i * 4 + j + 1
        end
      end
    end
  end

  describe "split/2 keeps counter values unique" do
    test "forks of a counter count in disjoint classes; fork/2 alone counts alike" do
      gens = G.split(G.counter(5), 4)
      values = Enum.flat_map(gens, &Enum.take(&1, 1000))
      assert Enum.sort(values) == Enum.to_list(5..4004)
      assert Enum.take(Enum.at(gens, 3), 3) == [8, 12, 16]

      assert Enum.take(G.fork(G.counter(5), 3), 3) == [5, 6, 7]
      assert Enum.take(G.fork(G.counter(5), :any), 3) == [5, 6, 7]
    end

    test "counters inside composites, at a position, through every consumer" do
      gen = G.zip([G.cycle([:w]), G.counter(1)]) |> G.drop(10)
      [a, b] = G.split(gen, 2)
      assert Enum.take(a, 3) == [w: 21, w: 23, w: 25]
      assert walk(b, 3) == [w: 22, w: 24, w: 26]
      assert b |> G.take(3) |> reduce_list() == [w: 22, w: 24, w: 26]
      assert b |> G.drop(100) |> Enum.take(1) == [w: 222]

      mixed = G.mix([G.counter(0), G.map(G.counter(100), &{:m, &1})])
      vals = for g <- G.split(mixed, 3), op <- Enum.take(g, 600), do: op
      assert length(Enum.uniq(vals)) == length(vals)
    end

    test "nested splits stay disjoint and cover the values" do
      nested = for g <- G.split(G.counter(0), 3), h <- G.split(g, 2), i <- G.split(h, 2), do: i

      values = Enum.flat_map(nested, &Enum.take(&1, 100))
      assert Enum.sort(values) == Enum.to_list(0..1199)
    end

    test "split values are exact past op 2^64 (start moves by 2^64·W)" do
      [_, w1, _] = G.split(G.counter(7), 3)
      far = G.drop(w1, @two64 - 2)
      want = for i <- (@two64 - 2)..(@two64 + 1), do: 7 + i * 3 + 1
      assert walk(far, 4) == want
      assert far |> G.take(4) |> Enum.to_list() == want
      assert far |> G.take(4) |> reduce_list() == want
      assert G.zip([far]) |> Enum.take(4) == Enum.map(want, &{&1})
    end

    test "inspect shows a split counter's share" do
      [_, w1] = G.split(G.counter(3), 2)
      assert inspect(w1) =~ "counter start: 3 workers: 2 worker: 1 at: 0"
      [_, l1] = G.split(Workloads.list_append(seed: 1), 2)
      assert inspect(l1) =~ "workers: 2 worker: 1"
    end

    test "W is bounded by 2^32" do
      gen = G.counter(0)
      [g | _] = G.split(gen, 1 <<< 16)
      [h | _] = G.split(g, 1 <<< 16)
      assert Enum.take(h, 2) == [0, 1 <<< 32]
      assert_raise ArgumentError, ~r/2\^32 workers/, fn -> G.split(h, 2) end
    end
  end

  describe "counters at any position" do
    test "a bare counter dropped by 2^126 and 2^200" do
      for n <- [1 <<< 126, 1 <<< 200] do
        gen = G.drop(G.counter(0), n)
        assert Enum.take(gen, 3) == [n, n + 1, n + 2]
        assert walk(gen, 3) == [n, n + 1, n + 2]
        assert gen |> G.take(3) |> reduce_list() == [n, n + 1, n + 2]
        assert gen |> G.take(3) |> G.each(fn _ -> nil end) == 3
        # A finite one through Enumerable (one chunk) and a long fold.
        assert gen |> G.take(3) |> Enum.to_list() == [n, n + 1, n + 2]
        assert gen |> G.take(5000) |> G.reduce(0, fn _, k -> k + 1 end) == 5000
        assert gen |> G.drop(10) |> Enum.take(1) == [n + 10]
        [_, w1] = G.split(gen, 2)
        assert Enum.take(w1, 2) == [2 * n + 1, 2 * n + 3]
      end
    end

    test "any integer start" do
      big = 1 <<< 300
      assert Enum.take(G.counter(big), 2) == [big, big + 1]
      assert Enum.take(G.counter(-big), 2) == [-big, -big + 1]
      assert G.zip([G.counter(-big)]) |> Enum.take(1) == [{-big}]
    end

    test "a counter inside a zip, dropped by 2^126 and 2^200 (or the zip dropped)" do
      for n <- [1 <<< 126, 1 <<< 200] do
        a = G.zip([G.cycle([:a, :b]), G.drop(G.counter(0), n)])
        assert Enum.take(a, 2) == [a: n, b: n + 1]
        assert a |> G.take(2) |> reduce_list() == [a: n, b: n + 1]

        z = G.zip([G.cycle([:a, :b]), G.counter(0)]) |> G.drop(n)
        assert Enum.take(z, 2) == [a: n, b: n + 1]
        assert walk(G.drop(z, 3), 1) == [b: n + 3]

        m = G.mix([G.cycle([:x]), G.drop(G.counter(0), n)])
        assert Enum.take(m, 4) == [:x, n, :x, n + 1]
      end

      # A finite zip dropped past its end is done.
      assert G.zip([G.take(G.counter(0), 5)]) |> G.drop(1 <<< 100) |> G.next() == :done
    end
  end
end
