defmodule Lockstep.GeneratorKindsTest do
  # The Jepsen vocabulary: integers, zipf, counter, mix strategy: :random,
  # concat, zip, map, filter; and, for every kind and composites of them, that
  # every way of reading a generator (next/1, reduce/3, each/2, Enumerable,
  # drop/2, fork/2, term_to_binary) tells the same story.
  use ExUnit.Case, async: true

  import Bitwise
  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  # Chi-squared critical values at p = 0.001, by degrees of freedom. The seeds
  # are fixed, so these tests are deterministic; the bound is what a correct
  # sampler passes with probability 0.999 for a random seed.
  @chi2 %{1 => 10.83, 2 => 13.82, 3 => 16.27, 4 => 18.47, 9 => 27.88}

  @two63 1 <<< 63
  @two64 1 <<< 64
  @two125 1 <<< 125

  # Expected counts of `total` draws with probabilities ∝ `weights` (map).
  defp expected(weights, total) do
    sum = weights |> Map.values() |> Enum.sum()
    Map.new(weights, fn {k, w} -> {k, total * w / sum} end)
  end

  defp zipf_or_error(n, skew) do
    {:ok, G.zipf(n, skew: skew, seed: 1)}
  rescue
    e in ArgumentError -> {:error, e}
  end

  defp zipf_weights(n, skew), do: Map.new(1..n, &{&1, 1 / :math.pow(&1, skew)})

  # ---------------------------------------------------------------------------
  describe "integers/2" do
    test "only values in the range, and every value of a small range" do
      for {range, seed} <- [{1..10, 1}, {-5..5, 2}, {0..0, 3}, {7..8, 4}, {-3..-1, 5}] do
        ops = G.integers(range, seed: seed) |> G.take(5000) |> Enum.to_list()
        assert length(ops) == 5000
        assert Enum.all?(ops, &(is_integer(&1) and &1 in range)), "#{inspect(range)}"
        assert MapSet.new(ops) == MapSet.new(range), "#{inspect(range)} misses values"
      end
    end

    test "uniform: chi-squared over 1..10, 100k draws" do
      counts = frequencies(G.integers(1..10, seed: 42) |> G.take(100_000))
      chi2 = chi_squared(counts, expected(Map.new(1..10, &{&1, 1}), 100_000))
      assert chi2 < @chi2[9], "chi2 #{chi2}: #{inspect(counts)}"
    end

    test "uniform: chi-squared over a span that is not a power of two" do
      counts = frequencies(G.integers(-1..1, seed: 9) |> G.take(90_000))
      chi2 = chi_squared(counts, expected(%{-1 => 1, 0 => 1, 1 => 1}, 90_000))
      assert chi2 < @chi2[2], "chi2 #{chi2}: #{inspect(counts)}"
    end

    test "the full signed 64-bit span stays in range and covers both halves" do
      range = -@two63..(@two63 - 1)
      ops = G.integers(range, seed: 7) |> Enum.take(10_000)
      assert Enum.all?(ops, &(&1 in range))
      negatives = Enum.count(ops, &(&1 < 0))
      assert negatives in 4_700..5_300, "negatives: #{negatives}"
      # The top and bottom quarters are reached too.
      assert Enum.any?(ops, &(&1 < -(@two63 >>> 1)))
      assert Enum.any?(ops, &(&1 > @two63 >>> 1))
    end

    test "a span of exactly 2^64 values, unsigned" do
      range = 0..(@two64 - 1)
      ops = G.integers(range, seed: 8) |> Enum.take(10_000)
      assert Enum.all?(ops, &(&1 in range))
      assert Enum.count(ops, &(&1 >= @two63)) in 4_700..5_300
    end

    test "bignum bounds" do
      first = 100_000_000_000_000_000_000
      range = first..(first + 9)
      ops = G.integers(range, seed: 8) |> Enum.take(2000)
      assert Enum.all?(ops, &(&1 in range))
      assert MapSet.new(ops) == MapSet.new(range)

      for range <- [(@two125 - 3)..@two125, -@two125..(-@two125 + 3)] do
        ops = G.integers(range, seed: 1) |> Enum.take(500)
        assert Enum.all?(ops, &(&1 in range))
        assert MapSet.new(ops) == MapSet.new(range)
      end
    end

    test "first..last with step 1 only, as its error says" do
      for bad <- [5..1, 5..1//-1, 3..2] do
        assert_raise ArgumentError, ~r/non-empty range with step 1/, fn -> G.integers(bad) end
      end

      assert G.integers(1..1, seed: 1) |> Enum.take(2) == [1, 1]
    end

    test "errors are ArgumentErrors" do
      for bad <- [5..1//1, 1..10//2, 10..1//-2, [1, 2], :foo, 1.0, {1, 10}] do
        assert_raise ArgumentError, ~r/integers\/2/, fn -> G.integers(bad, seed: 1) end
      end

      # More than 2^64 values.
      assert_raise ArgumentError, ~r/2\^64/, fn -> G.integers(0..@two64) end
      assert_raise ArgumentError, ~r/2\^64/, fn -> G.integers(-@two63..@two63) end
      # Bounds past ±2^125.
      assert_raise ArgumentError, fn -> G.integers((@two125 + 1)..(@two125 + 2)) end
      assert_raise ArgumentError, fn -> G.integers((-@two125 - 2)..(-@two125 - 1)) end
      assert_raise ArgumentError, ~r/unknown option :foo/, fn -> G.integers(1..3, foo: 1) end
      assert_raise ArgumentError, fn -> G.integers(1..3, :seed) end
    end
  end

  # ---------------------------------------------------------------------------
  describe "zipf/2" do
    test "ranks are in 1..n" do
      for n <- [1, 2, 10, 1000], skew <- [0, 0.5, 1.0, 2.0] do
        ops = G.zipf(n, skew: skew, seed: n) |> Enum.take(3000)
        assert Enum.all?(ops, &(is_integer(&1) and &1 in 1..n)), "n #{n} skew #{skew}"
      end

      assert G.zipf(1, seed: 1) |> Enum.take(100) == List.duplicate(1, 100)
    end

    test "chi-squared against P(k) ∝ 1/k^skew, n = 10" do
      for skew <- [0.0, 0.5, 1.0, 2.0] do
        counts = frequencies(G.zipf(10, skew: skew, seed: 5) |> G.take(100_000))
        chi2 = chi_squared(counts, expected(zipf_weights(10, skew), 100_000))
        assert chi2 < @chi2[9], "skew #{skew}: chi2 #{chi2}: #{inspect(counts)}"
      end
    end

    test "count(rank 1) / count(rank 2) ≈ 2^skew, n = 1000" do
      for skew <- [1.0, 1.5] do
        counts = frequencies(G.zipf(1000, skew: skew, seed: 6) |> G.take(200_000))
        ratio = counts[1] / counts[2]
        want = :math.pow(2, skew)
        assert abs(ratio - want) / want < 0.04, "skew #{skew}: ratio #{ratio}, want #{want}"
      end
    end

    test "the default skew is 1.0; an integer skew is the same as its float" do
      assert Enum.take(G.zipf(50, seed: 3), 200) == Enum.take(G.zipf(50, skew: 1.0, seed: 3), 200)

      assert Enum.take(G.zipf(50, skew: 2, seed: 3), 200) ==
               Enum.take(G.zipf(50, skew: 2.0, seed: 3), 200)
    end

    test "large n works and rank 1 is the most frequent" do
      n = 1_000_000_000_000
      ops = G.zipf(n, seed: 6) |> Enum.take(20_000)
      assert Enum.all?(ops, &(&1 in 1..n))
      counts = Enum.frequencies(ops)
      {top, _} = Enum.max_by(counts, &elem(&1, 1))
      assert top == 1
      assert counts[1] > counts[2]
      # Ranks spread over many orders of magnitude.
      assert Enum.any?(ops, &(&1 > 1_000_000))
    end

    test "ranks are exact up to n = 2^52: skew 0 is uniform (low bits too); larger n is refused" do
      # Rejection-inversion computes ranks in f64, exact while they keep a
      # fraction bit: zipf/2 takes n up to 2^52, and draws skew 0 as exact
      # uniform integers.
      assert_raise ArgumentError, ~r/1\.\.2\^52/, fn -> G.zipf((1 <<< 52) + 1) end
      n = 1 <<< 52
      ops = G.zipf(n, skew: 0.0, seed: 1) |> Enum.take(4000)
      assert Enum.all?(ops, &(&1 in 1..n))
      counts = Enum.frequencies_by(ops, &rem(&1, 4))
      chi2 = chi_squared(counts, %{0 => 1000, 1 => 1000, 2 => 1000, 3 => 1000})
      assert chi2 < @chi2[3], "rank mod 4: #{inspect(counts)}"
    end

    test "ranks are exact for every accepted n and skew: no parity bias among large ranks" do
      # Rejection-inversion computes the rank x in f64 and takes floor(x + 0.5).
      # From 2^52 on a double holds no fractions, so x is an integer and the
      # tie x + 0.5 rounds to even: every rank above 2^52 comes out even (skew 0
      # is now drawn exactly; any skew > 0 still goes through the doubles). An n
      # whose ranks cannot be exact must be an ArgumentError.
      for n <- [1 <<< 52, (1 <<< 52) - 1, 1 <<< 53, @two64 - 1], skew <- [0.0, 0.1, 0.5] do
        case zipf_or_error(n, skew) do
          {:error, %ArgumentError{}} ->
            :ok

          {:ok, gen} ->
            ops = Enum.take(gen, 20_000)
            assert Enum.all?(ops, &(&1 in 1..n))
            big = Enum.filter(ops, &(&1 > n >>> 1))
            assert length(big) > 4000
            odd = Enum.count(big, &(rem(&1, 2) == 1))

            assert abs(odd / length(big) - 0.5) < 0.03,
                   "n #{n}, skew #{skew}: #{odd} odd of #{length(big)} ranks above n/2"
        end
      end
    end

    test "n = 2^52 is accepted, in range, with rank 1 the most frequent" do
      n = 1 <<< 52
      ops = G.zipf(n, skew: 1.0, seed: 2) |> Enum.take(5000)
      assert Enum.all?(ops, &(&1 in 1..n))
      {top, _} = ops |> Enum.frequencies() |> Enum.max_by(&elem(&1, 1))
      assert top == 1
    end

    test "errors are ArgumentErrors" do
      for n <- [0, -1, 1.5, :a, @two64] do
        assert_raise ArgumentError, ~r/zipf\/2 expects n/, fn -> G.zipf(n) end
      end

      for skew <- [-0.5, -1, :a, "1", nil] do
        assert_raise ArgumentError, ~r/:skew/, fn -> G.zipf(10, skew: skew) end
      end

      assert_raise ArgumentError, ~r/unknown option :foo/, fn -> G.zipf(10, foo: 1) end
    end

    test "a bignum skew is an ArgumentError, not an ArithmeticError" do
      assert_raise ArgumentError, ~r/:skew/, fn -> G.zipf(10, skew: 1 <<< 2000) end
    end
  end

  # ---------------------------------------------------------------------------
  describe "counter/1" do
    test "start, start + 1, ..." do
      assert G.counter(5) |> Enum.take(5) == [5, 6, 7, 8, 9]
      assert G.counter() |> Enum.take(3) == [1, 2, 3]
      assert G.counter(-2) |> G.take(5) |> reduce_list() == [-2, -1, 0, 1, 2]
      assert walk(G.counter(@two125), 2) == [@two125, @two125 + 1]
    end

    test "drop is O(1) and exact, even past 2^64 ops" do
      {op, _} = G.counter(5) |> G.drop(1_000_000_000_000) |> G.next()
      assert op == 5 + 1_000_000_000_000

      far = G.drop(G.counter(0), @two64 - 2)
      want = [@two64 - 2, @two64 - 1, @two64, @two64 + 1]
      assert walk(far, 4) == want
      assert far |> G.take(4) |> reduce_list() == want
      assert far |> G.take(4) |> Enum.to_list() == want
      assert G.counter(0) |> G.drop(@two64 + 5) |> walk(1) == [@two64 + 5]
    end

    test "forks count alike" do
      gen = G.counter(3)
      assert walk(G.fork(gen, :w1), 100) == walk(gen, 100)
      assert walk(G.fork(gen, 2), 100) == walk(gen, 100)
    end

    test "errors are ArgumentErrors" do
      for bad <- [1.0, :a, "1", nil] do
        assert_raise ArgumentError, ~r/counter\/1/, fn -> G.counter(bad) end
      end
    end
  end

  # ---------------------------------------------------------------------------
  describe "mix/2 strategy: :random" do
    defp abc, do: [G.cycle([:a]), G.cycle([:b]), G.cycle([:c])]

    test "child choices follow the weights (chi-squared)" do
      gen = G.mix(abc(), strategy: :random, seed: 11, weights: [1, 2, 7])
      counts = frequencies(G.take(gen, 100_000))
      chi2 = chi_squared(counts, expected(%{a: 1, b: 2, c: 7}, 100_000))
      assert chi2 < @chi2[2], "chi2 #{chi2}: #{inspect(counts)}"
      assert gen.weights == [1, 2, 7]
      assert gen.seed == 11
    end

    test "a weight-0 child is never chosen" do
      gen = G.mix(abc(), strategy: :random, seed: 12, weights: [3, 0, 1])
      counts = frequencies(G.take(gen, 20_000))
      refute Map.has_key?(counts, :b)
      assert counts[:a] > counts[:c]
    end

    test "uniform without weights" do
      gen = G.mix(abc(), strategy: :random, seed: 13)
      counts = frequencies(G.take(gen, 60_000))
      chi2 = chi_squared(counts, expected(%{a: 1, b: 1, c: 1}, 60_000))
      assert chi2 < @chi2[2], "chi2 #{chi2}: #{inspect(counts)}"
    end

    test "each child's ops are its own stream, in order" do
      gen =
        G.mix([G.counter(0), G.integers(1..1000, seed: 1), G.cycle([:x])],
          strategy: :random,
          seed: 14
        )

      ops = walk(gen, 3000)
      assert Enum.member?(ops, :x)

      # Tag each op with its child by running the same mix over labelled children.
      labelled =
        G.mix(
          [
            G.map(G.counter(0), &{0, &1}),
            G.map(G.integers(1..1000, seed: 1), &{1, &1}),
            G.map(G.cycle([:x]), &{2, &1})
          ],
          strategy: :random,
          seed: 14
        )
        |> walk(3000)

      assert Enum.map(labelled, &elem(&1, 1)) == ops

      by_child = Enum.group_by(labelled, &elem(&1, 0), &elem(&1, 1))
      assert by_child[0] == Enum.to_list(0..(length(by_child[0]) - 1))
      assert by_child[1] == Enum.take(G.integers(1..1000, seed: 1), length(by_child[1]))
    end

    test "deterministic by seed; different seeds differ" do
      mk = fn seed -> G.mix(abc(), strategy: :random, seed: seed, weights: [1, 1, 2]) end
      assert walk(mk.(1), 500) == walk(mk.(1), 500)
      assert Enum.take(mk.({:any, "term"}), 500) == Enum.take(mk.({:any, "term"}), 500)
      refute walk(mk.(1), 500) == walk(mk.(2), 500)
      refute walk(mk.(1), 500) == walk(mk.(:one), 500)
    end

    test "until: :any stops as soon as a child is exhausted" do
      gen = G.mix([G.take(G.cycle([:a]), 3), G.cycle([:b])], strategy: :random, seed: 15)
      ops = walk(gen)
      assert Enum.count(ops, &(&1 == :a)) == 3
      assert List.last(ops) == :a
      assert Enum.to_list(gen) == ops
      assert reduce_list(gen) == ops
      assert each_list(gen) == {ops, length(ops)}
      {_, after_all} = advance(gen, length(ops))
      assert G.next(after_all) == :done
    end

    test "until: :all skips exhausted children and drains all" do
      gen =
        G.mix(
          [G.take(G.cycle([:a]), 3), G.take(G.cycle([:b]), 5), G.take(G.cycle([:c]), 2)],
          strategy: :random,
          seed: 16,
          until: :all
        )

      ops = walk(gen)
      assert Enum.frequencies(ops) == %{a: 3, b: 5, c: 2}
      assert Enum.to_list(gen) == ops
      assert reduce_list(gen) == ops
      assert Enum.count(gen) == 10

      # With an infinite child the mix goes on with it alone.
      gen =
        G.mix([G.take(G.cycle([:a]), 3), G.cycle([:b])], strategy: :random, seed: 17, until: :all)

      assert Enum.frequencies(walk(gen, 1000)) == %{a: 3, b: 997}

      # A weight-0 child is reached once the others are exhausted.
      gen =
        G.mix([G.take(G.cycle([:a]), 3), G.take(G.cycle([:b]), 2)],
          strategy: :random,
          seed: 18,
          weights: [1, 0],
          until: :all
        )

      assert walk(gen) == [:a, :a, :a, :b, :b]
      assert reduce_list(gen) == [:a, :a, :a, :b, :b]
    end

    test "errors are ArgumentErrors" do
      assert_raise ArgumentError, ~r/:weights/, fn ->
        G.mix(abc(), strategy: :random, weights: [1, 2])
      end

      for weights <- [[1, -1, 1], [0, 0, 0], [1.0, 1, 1], [1, :a, 1], :x, [@two64, 0, 0]] do
        assert_raise ArgumentError, ~r/:weights/, fn ->
          G.mix(abc(), strategy: :random, seed: 1, weights: weights)
        end
      end

      for opts <- [[seed: 1], [weights: [1, 1, 1]], [strategy: :round_robin, seed: 1]] do
        assert_raise ArgumentError, ~r/strategy: :random/, fn -> G.mix(abc(), opts) end
      end

      assert_raise ArgumentError, ~r/:strategy/, fn -> G.mix(abc(), strategy: :weighted) end
      assert_raise ArgumentError, ~r/:until/, fn -> G.mix(abc(), strategy: :random, until: :x) end

      assert_raise ArgumentError, ~r/unknown option/, fn ->
        G.mix(abc(), strategy: :random, x: 1)
      end
    end
  end

  # ---------------------------------------------------------------------------
  describe "concat/1" do
    defp phases,
      do: G.concat([G.take(G.cycle([:a]), 2), G.take(G.cycle([:b]), 3), G.take(G.cycle([:c]), 1)])

    test "phases in order, then done" do
      gen = phases()
      want = [:a, :a, :b, :b, :b, :c]
      assert walk(gen) == want
      assert Enum.to_list(gen) == want
      assert reduce_list(gen) == want
      assert each_list(gen) == {want, 6}
      assert Enum.count(gen) == 6
      {_, last} = advance(gen, 6)
      assert G.next(last) == :done
      assert G.next(G.drop(gen, 6)) == :done
    end

    test "next_child is the current phase" do
      gen = phases()
      assert gen.next_child == 0

      {seen, _} =
        Enum.map_reduce(1..6, gen, fn _, g ->
          {op, g} = G.next(g)
          {{op, g.next_child}, g}
        end)

      assert seen == [a: 0, a: 0, b: 1, b: 1, b: 1, c: 2]
      assert G.drop(gen, 3).next_child == 1
      assert G.drop(gen, 6).next_child == 2
    end

    test "take of a concat; an empty phase is skipped" do
      gen = G.concat([G.take(G.cycle([:a]), 2), G.cycle([:b])]) |> G.take(5)
      assert walk(gen) == [:a, :a, :b, :b, :b]
      assert reduce_list(gen) == [:a, :a, :b, :b, :b]

      gen = G.concat([G.take(G.cycle([:x]), 0), G.counter(1)])
      assert walk(gen, 3) == [1, 2, 3]
    end

    test "each phase is its child's own stream" do
      r = G.random([:a, :b, :c, :d], seed: 5)
      i = G.integers(1..100, seed: 6)
      gen = G.concat([G.take(r, 5), i])
      assert walk(gen, 15) == Enum.take(r, 5) ++ Enum.take(i, 10)
    end

    test "an infinite first phase never reaches the second" do
      gen = G.concat([G.cycle([:a]), G.cycle([:b])])
      assert Enum.uniq(Enum.take(gen, 10_000)) == [:a]
      assert gen |> G.drop(1_000_000_000_000) |> walk(3) == [:a, :a, :a]
      assert G.drop(gen, 1_000_000_000_000).next_child == 0
    end
  end

  # ---------------------------------------------------------------------------
  describe "zip/1" do
    test "tuples of one op from each child" do
      ints = G.integers(1..3, seed: 1)
      ops = G.zip([G.cycle([:w]), G.counter(1), ints]) |> Enum.take(50)
      assert Enum.all?(ops, &(tuple_size(&1) == 3 and elem(&1, 0) == :w))
      assert Enum.map(ops, &elem(&1, 1)) == Enum.to_list(1..50)
      assert Enum.map(ops, &elem(&1, 2)) == Enum.take(ints, 50)
      assert G.zip([G.counter(1)]) |> Enum.take(2) == [{1}, {2}]
    end

    test "done when any child is done" do
      gen = G.zip([G.cycle([:a]), G.take(G.counter(1), 3)])
      want = [{:a, 1}, {:a, 2}, {:a, 3}]
      assert walk(gen) == want
      assert Enum.to_list(gen) == want
      assert reduce_list(gen) == want
      assert each_list(gen) == {want, 3}
      assert Enum.count(gen) == 3
      {_, last} = advance(gen, 3)
      assert G.next(last) == :done

      gen = G.zip([G.take(G.cycle([:a]), 2), G.take(G.counter(1), 3)])
      assert walk(gen) == [{:a, 1}, {:a, 2}]
    end

    test "zip of zip" do
      gen = G.zip([G.zip([G.cycle([:a]), G.counter(1)]), G.counter(10)])
      want = [{{:a, 1}, 10}, {{:a, 2}, 11}, {{:a, 3}, 12}]
      assert walk(gen, 3) == want
      assert gen |> G.take(3) |> reduce_list() == want
      assert gen |> G.drop(1) |> walk(2) == tl(want)
    end
  end

  # ---------------------------------------------------------------------------
  describe "map/2" do
    test "applies the function to every op" do
      assert G.counter(1) |> G.map(&(&1 * 2)) |> Enum.take(4) == [2, 4, 6, 8]
      gen = G.integers(1..9, seed: 3)
      assert gen |> G.map(&{:v, &1}) |> walk(100) == Enum.map(Enum.take(gen, 100), &{:v, &1})
      assert G.counter(1) |> G.map(&(&1 + 1)) |> G.map(&(&1 * 10)) |> Enum.take(3) == [20, 30, 40]
    end

    test "map over a mix" do
      gen = G.mix([G.cycle([:a]), G.counter(1)]) |> G.map(&{:op, &1})
      assert walk(gen, 4) == [{:op, :a}, {:op, 1}, {:op, :a}, {:op, 2}]

      rmix = G.mix([G.cycle([:a]), G.counter(1)], strategy: :random, seed: 4, weights: [1, 3])
      mapped = G.map(rmix, &{:op, &1})
      assert walk(mapped, 500) == Enum.map(walk(rmix, 500), &{:op, &1})
    end

    test "each/2 and reduce/3 over a map equal the walk" do
      gen = G.map(G.zipf(100, seed: 5), &(&1 * 3)) |> G.take(5000)
      ops = walk(gen)
      assert length(ops) == 5000
      assert reduce_list(gen) == ops
      assert each_list(gen) == {ops, 5000}
      assert Enum.to_list(gen) == ops
    end

    test "errors are ArgumentErrors" do
      assert_raise ArgumentError, ~r/arity 1/, fn -> G.map(G.counter(), fn _, _ -> 1 end) end
      assert_raise ArgumentError, ~r/generator/, fn -> G.map([1, 2], & &1) end
    end
  end

  # ---------------------------------------------------------------------------
  describe "filter/3" do
    defp even?(x), do: rem(x, 2) == 0

    test "keeps the matching ops, in order" do
      ints = G.integers(1..100, seed: 3)
      gen = G.filter(ints, &even?/1)
      ops = walk(gen, 500)
      assert ops == ints |> Enum.take(3000) |> Enum.filter(&even?/1) |> Enum.take(500)
      assert gen |> G.take(500) |> reduce_list() == ops
      assert gen |> G.take(500) |> Enum.to_list() == ops
      assert Enum.take(gen, 500) == ops
    end

    test "done when the child is done" do
      gen = G.filter(G.take(G.counter(1), 10), &even?/1)
      want = [2, 4, 6, 8, 10]
      assert walk(gen) == want
      assert reduce_list(gen) == want
      assert each_list(gen) == {want, 5}
      assert Enum.to_list(gen) == want
      {_, last} = advance(gen, 5)
      assert G.next(last) == :done

      # Rejecting everything of a finite child (fewer than :max_rejections) is done.
      nothing = G.filter(G.take(G.counter(1), 50), fn _ -> false end, max_rejections: 100)
      assert G.next(nothing) == :done
      assert reduce_list(nothing) == []
    end

    test "rejecting everything of an infinite child raises RuntimeError" do
      gen = G.filter(G.integers(1..10, seed: 1), fn _ -> false end, max_rejections: 1000)
      assert_raise RuntimeError, ~r/rejected 1000/, fn -> G.next(gen) end
      assert_raise RuntimeError, ~r/rejected 1000/, fn -> G.each(gen, fn _ -> :ok end) end
      assert_raise RuntimeError, fn -> G.reduce(gen, 0, fn _, n -> n + 1 end) end
      assert_raise RuntimeError, fn -> G.each(G.take(gen, 5), fn _ -> :ok end) end
      assert_raise RuntimeError, fn -> Enum.take(gen, 5) end

      # Through a map and a mix, too.
      assert_raise RuntimeError, fn -> G.next(G.map(gen, & &1)) end
      assert_raise RuntimeError, fn -> walk(G.mix([G.cycle([:a]), gen]), 3) end
    end

    test ":max_rejections counts consecutive rejections, the same way in every read" do
      # Multiples of 10 after 9 rejections each.
      tens = fn max -> G.filter(G.counter(1), &(rem(&1, 10) == 0), max_rejections: max) end
      want = Enum.map(1..50, &(&1 * 10))
      assert walk(tens.(10), 50) == want
      assert tens.(10) |> G.take(50) |> reduce_list() == want
      assert tens.(10) |> Enum.take(50) == want

      assert_raise RuntimeError, fn -> G.next(tens.(9)) end
      assert_raise RuntimeError, fn -> G.each(tens.(9), fn _ -> :ok end) end
      assert_raise RuntimeError, fn -> G.each(G.take(tens.(9), 5), fn _ -> :ok end) end
    end

    test "a filter that ends by rejecting its child's last ops does not end a concat or an until: :all mix" do
      # The filter is not "exhausted" beforehand (its child still holds 11), so
      # the composite pulls it, gets :done, and stops although later phases or
      # other children still hold ops.
      evens = fn -> G.filter(G.take(G.counter(1), 11), &even?/1) end

      concat = G.concat([evens.(), G.take(G.cycle([:x]), 3)])
      assert walk(concat) == [2, 4, 6, 8, 10, :x, :x, :x]
      assert reduce_list(concat) == [2, 4, 6, 8, 10, :x, :x, :x]
      assert Enum.to_list(concat) == [2, 4, 6, 8, 10, :x, :x, :x]

      rejects_all = G.filter(G.take(G.counter(1), 3), fn _ -> false end)
      assert walk(G.concat([rejects_all, G.take(G.cycle([:x]), 3)])) == [:x, :x, :x]

      for opts <- [[until: :all], [until: :all, strategy: :random, seed: 1]] do
        mix = G.mix([evens.(), G.take(G.cycle([:x]), 8)], opts)
        ops = walk(mix)

        assert Enum.frequencies(ops) == %{2 => 1, 4 => 1, 6 => 1, 8 => 1, 10 => 1, x: 8},
               "#{inspect(opts)}: #{inspect(ops)}"

        assert reduce_list(mix) == ops
      end
    end

    test "a filter inside a mix" do
      gen = G.mix([G.filter(G.counter(1), &even?/1), G.cycle([:x])])
      assert walk(gen, 6) == [2, :x, 4, :x, 6, :x]
      assert gen |> G.take(6) |> reduce_list() == [2, :x, 4, :x, 6, :x]

      ints = G.integers(1..100, seed: 2)

      rmix =
        G.mix([G.filter(ints, &even?/1), G.cycle([:x])], strategy: :random, seed: 1)
        |> G.take(1000)

      ops = walk(rmix)
      nums = Enum.reject(ops, &(&1 == :x))
      assert nums != [] and length(nums) < 1000
      assert nums == ints |> Enum.take(5000) |> Enum.filter(&even?/1) |> Enum.take(length(nums))
      assert reduce_list(rmix) == ops
      assert each_list(rmix) == {ops, 1000}
    end

    test "option and argument errors" do
      for max <- [0, -1, 1.5, :infinity, nil] do
        assert_raise ArgumentError, ~r/:max_rejections/, fn ->
          G.filter(G.counter(), &even?/1, max_rejections: max)
        end
      end

      assert_raise ArgumentError, ~r/unknown option :foo/, fn ->
        G.filter(G.counter(), &even?/1, foo: 1)
      end

      assert_raise ArgumentError, ~r/keyword/, fn -> G.filter(G.counter(), &even?/1, :bad) end

      assert_raise ArgumentError, ~r/arity 1/, fn ->
        G.filter(G.counter(), fn _, _ -> true end)
      end

      assert_raise ArgumentError, ~r/generator/, fn -> G.filter(:x, &even?/1) end
    end
  end

  # ---------------------------------------------------------------------------
  # Every way of reading a generator agrees, for every kind and composites.

  @cases [
    # name, builder, seeded? (has random choices, so forks differ)
    {"integers", quote(do: G.integers(-50..50, seed: 1)), true},
    {"integers 64-bit span",
     quote(do: G.integers(-9_223_372_036_854_775_808..9_223_372_036_854_775_807, seed: 2)), true},
    {"integers bignum",
     quote(do: G.integers(100_000_000_000_000_000_000..100_000_000_000_000_000_009, seed: 3)),
     true},
    {"zipf", quote(do: G.zipf(1000, skew: 1.2, seed: 4)), true},
    {"zipf huge n", quote(do: G.zipf(1_000_000_000_000, seed: 5)), true},
    {"counter", quote(do: G.counter(7)), false},
    {"zip", quote(do: G.zip([G.cycle([:w]), G.integers(1..5, seed: 6), G.counter(0)])), true},
    {"zip of cycle and counter", quote(do: G.zip([G.cycle([:a, :b]), G.counter(0)])), false},
    {"concat",
     quote(
       do:
         G.concat([
           G.take(G.random([:a, :b, :c], seed: 7), 50),
           G.take(G.zipf(10, seed: 8), 100),
           G.counter(1000)
         ])
     ), true},
    {"random mix uniform",
     quote(
       do:
         G.mix([G.random([:a, :b], seed: 9), G.cycle([:c, :d, :e]), G.counter(100)],
           strategy: :random,
           seed: 10
         )
     ), true},
    {"random mix weighted",
     quote(
       do:
         G.mix([G.cycle([:a]), G.integers(0..9, seed: 11), G.zipf(5, seed: 12)],
           strategy: :random,
           seed: 13,
           weights: [1, 0, 3]
         )
     ), true},
    {"random mix until all, finite",
     quote(
       do:
         G.mix(
           [
             G.take(G.cycle([:a]), 100),
             G.take(G.counter(0), 150),
             G.take(G.integers(1..3, seed: 14), 80)
           ],
           strategy: :random,
           seed: 15,
           weights: [2, 1, 1],
           until: :all
         )
     ), true},
    {"random mix until any, finite",
     quote(
       do:
         G.mix([G.take(G.random([:a, :b], seed: 16), 120), G.counter(0)],
           strategy: :random,
           seed: 17
         )
     ), true},
    {"map over a random mix",
     quote(
       do:
         G.map(
           G.mix([G.cycle([:a]), G.integers(1..9, seed: 18)],
             strategy: :random,
             seed: 19,
             weights: [1, 2]
           ),
           &{:op, &1}
         )
     ), true},
    {"filter over integers",
     quote(do: G.filter(G.integers(1..100, seed: 20), &(rem(&1, 3) == 0))), true},
    {"map over filter over zip",
     quote(
       do:
         G.zip([G.counter(0), G.zipf(20, seed: 21)])
         |> G.filter(&(elem(&1, 1) < 5))
         |> G.map(&Tuple.to_list/1)
     ), true},
    {"nested round-robin",
     quote(
       do:
         G.mix(
           [
             G.take(G.zip([G.cycle([:x, :y]), G.counter(1)]), 40),
             G.concat([G.take(G.cycle([:z]), 20), G.integers(1..3, seed: 22)])
           ],
           until: :all
         )
     ), true},
    {"zip of a random mix",
     quote(
       do:
         G.zip([
           G.mix([G.cycle([:r]), G.counter(0)], strategy: :random, seed: 23),
           G.zipf(7, seed: 24)
         ])
     ), true},
    {"random mix of a filter and a concat",
     quote(
       do:
         G.mix(
           [
             G.filter(G.counter(0), &(rem(&1, 4) == 0)),
             G.concat([G.take(G.integers(1..5, seed: 25), 30), G.cycle([:tail])])
           ],
           strategy: :random,
           seed: 26
         )
     ), true},
    {"random mix of random mixes",
     quote(
       do:
         G.mix(
           [
             G.mix([G.cycle([:a]), G.counter(0)], strategy: :random, seed: 31, weights: [1, 2]),
             G.mix([G.integers(1..5, seed: 32), G.zipf(4, seed: 33)], strategy: :random, seed: 34),
             G.take(G.cycle([:t]), 50)
           ],
           strategy: :random,
           seed: 35,
           until: :all
         )
     ), true},
    {"take of a concat",
     quote(do: G.take(G.concat([G.take(G.zipf(9, seed: 27), 120), G.counter(0)]), 250)), true},
    {"forked random mix",
     quote(
       do:
         G.fork(
           G.mix([G.random([:a, :b, :c], seed: 28), G.integers(0..99, seed: 29)],
             strategy: :random,
             seed: 30,
             weights: [3, 1]
           ),
           :w1
         )
     ), true},
    {"register workload", quote(do: Workloads.register(seed: 31)), true},
    {"bank workload", quote(do: Workloads.bank(seed: 32, accounts: 4)), true},
    {"list_append workload", quote(do: Workloads.list_append(seed: 33, keys: 4)), true}
  ]

  for {name, builder, seeded?} <- @cases do
    describe "reads agree: #{name}" do
      defp unquote(:"gen_#{name}")(), do: unquote(builder)

      test "next/1 walk == reduce == each == Enumerable, from the start and mid-stream" do
        gen = unquote(:"gen_#{name}")()
        capped = G.take(gen, 300)
        ops = walk(capped)
        assert ops != []
        assert walk(gen, 300) == ops
        assert reduce_list(capped) == ops
        assert each_list(capped) == {ops, length(ops)}
        assert Enum.to_list(capped) == ops
        assert Enum.take(gen, 300) == ops
        # Suspended and resumed enumeration (Enum.zip/2).
        assert capped |> Enum.zip(Stream.iterate(0, &(&1 + 1))) |> Enum.map(&elem(&1, 0)) == ops

        {first, mid} = advance(gen, 70)
        mid_capped = G.take(mid, 300)
        rest = walk(mid_capped)
        assert first ++ rest == walk(gen, 370)
        assert reduce_list(mid_capped) == rest
        assert each_list(mid_capped) == {rest, length(rest)}
        assert Enum.to_list(mid_capped) == rest
        assert Enum.take(mid, 300) == rest

        # Reading is pure: the generator value did not change.
        assert G.next(gen) == G.next(gen)
        assert walk(gen, 300) == ops
      end

      test "drop(gen, n) == walking n ops" do
        gen = unquote(:"gen_#{name}")()
        all = walk(gen, 1100)

        for n <- [0, 1, 63, 64, 65, 70, 256, 321, 1000] do
          assert walk(G.drop(gen, n), 100) == all |> Enum.drop(n) |> Enum.take(100), "drop #{n}"
          {_, walked} = advance(gen, n)
          assert walk(walked, 100) == walk(G.drop(gen, n), 100), "walked #{n}"
        end

        # Dropping from a generator that has been read (buffered) works too.
        {_, mid} = advance(gen, 70)
        assert walk(G.drop(mid, 30), 100) == all |> Enum.drop(100) |> Enum.take(100)
        assert G.drop(gen, 70) |> G.take(200) |> reduce_list() == all |> Enum.slice(70, 200)

        # Past the end of a finite generator: done.
        if length(all) < 1100, do: assert(G.next(G.drop(gen, 5000)) == :done)
      end

      test "fork/2 is deterministic per key" do
        gen = unquote(:"gen_#{name}")()
        f1 = walk(G.fork(gen, 1), 200)
        assert walk(G.fork(gen, 1), 200) == f1
        assert G.fork(gen, 1) |> G.take(200) |> reduce_list() == f1
        # split/2 is fork/2 plus each counter's or list_append's own share
        # of the values (the same ops when there is none). Worker 0: its
        # counters stay even, which the filters of these trees accept.
        assert G.split(gen, 2) |> Enum.at(0) |> walk(200) ==
                 G.fork(gen, 0) |> Lockstep.Generator.Unique.spread(2, 0) |> walk(200)

        if unquote(seeded?) do
          refute walk(G.fork(gen, 2), 200) == f1
          refute walk(G.fork(gen, :other), 200) == f1
        else
          assert walk(G.fork(gen, 2), 200) == f1
        end

        {_, mid} = advance(gen, 70)
        assert walk(G.fork(mid, :k), 100) == walk(G.fork(mid, :k), 100)

        # Forking keeps the position: fork after 70 ops == 70 ops of the fork.
        # (Only where how far each leaf got does not depend on the random choices:
        # not through a random mix or a filter.)
        if structural?(gen) do
          assert walk(G.fork(mid, :k), 100) == walk(G.drop(G.fork(gen, :k), 70), 100)
        end
      end

      test "term_to_binary round trip continues identically" do
        gen = unquote(:"gen_#{name}")()
        copy = :erlang.binary_to_term(:erlang.term_to_binary(gen))
        assert walk(copy, 300) == walk(gen, 300)
        assert copy |> G.take(300) |> reduce_list() == walk(gen, 300)

        {_, mid} = advance(gen, 70)
        mid_copy = :erlang.binary_to_term(:erlang.term_to_binary(mid))
        assert walk(mid_copy, 300) == walk(mid, 300)
        assert mid_copy |> G.take(300) |> Enum.to_list() == walk(mid, 300)
        assert walk(G.fork(mid_copy, 3), 100) == walk(G.fork(mid, 3), 100)
      end
    end
  end

  test "every kind appears among the read-agreement cases" do
    gens =
      Enum.map(@cases, fn {_, builder, _} -> elem(Code.eval_quoted(builder, [], __ENV__), 0) end)

    kinds = gens |> Enum.flat_map(&kinds/1) |> MapSet.new()

    for kind <- [
          :integers,
          :zipf,
          :counter,
          :bank,
          :list_append,
          :zip,
          :concat,
          :mix,
          :map,
          :filter
        ] do
      assert kind in kinds, "no case covers #{kind}"
    end

    assert Enum.any?(gens, &match?(%G{kind: :mix, weights: [_ | _]}, &1)),
           "no weighted random mix"
  end

  defp structural?(%G{kind: :filter}), do: false
  defp structural?(%G{kind: :mix, seed: seed}) when seed != nil, do: false
  defp structural?(%G{children: children}), do: Enum.all?(children || [], &structural?/1)

  defp kinds(%G{kind: kind, children: children}),
    do: [kind | Enum.flat_map(children || [], &kinds/1)]
end
