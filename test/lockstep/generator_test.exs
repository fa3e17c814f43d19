defmodule Lockstep.GeneratorTest do
  use ExUnit.Case, async: true

  import Bitwise
  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Native, Seed}

  doctest Lockstep.Generator

  @pool [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}, "str"]

  # Advances `gen` by `n` next/1 calls and returns the new value.
  defp skip(gen, n) do
    {ops, gen} = advance(gen, n)
    assert length(ops) == n
    gen
  end

  describe "random/2" do
    test "documented fields hold when built and stay true while the generator advances" do
      gen = G.random(@pool, seed: 42)

      for g <- [gen, skip(gen, 1), skip(gen, 100)] do
        assert %G{
                 kind: :random,
                 ops: @pool,
                 weights: nil,
                 total: nil,
                 children: nil,
                 next_child: nil,
                 remaining: :infinity,
                 seed: 42
               } = g
      end

      taken = gen |> G.take(10) |> skip(4)
      assert %G{kind: :random, ops: @pool, seed: 42, remaining: 6} = taken
    end

    test "without :seed a seed is generated, stored in gen.seed, and re-passing it reproduces the stream" do
      gen = G.random(@pool)
      assert gen.seed != nil
      assert is_integer(gen.seed)

      again = G.random(@pool, seed: gen.seed)
      assert walk(gen, 300) == walk(again, 300)
      assert reduce_list(G.take(gen, 300)) == reduce_list(G.take(again, 300))

      # Two unseeded generators get their own seeds.
      seeds = for _ <- 1..20, do: G.random(@pool).seed
      assert length(Enum.uniq(seeds)) == 20
    end

    test "draws only from the pool, every op of the pool shows up" do
      ops = G.random(@pool, seed: 7) |> G.take(2000) |> reduce_list()
      assert length(ops) == 2000
      assert MapSet.new(ops) == MapSet.new(@pool)
    end

    test "frequencies are uniform (chi-squared, fixed seed)" do
      n = 50_000
      counts = G.random(@pool, seed: 12_345) |> G.take(n) |> frequencies()
      assert Enum.sum(Map.values(counts)) == n
      expected = Map.new(@pool, &{&1, n / length(@pool)})
      # 4 degrees of freedom: 18.47 is the p = 0.001 critical value.
      assert chi_squared(counts, expected) < 18.47
    end

    test "frequencies are uniform over a large pool (index path of the NIF)" do
      pool = Enum.to_list(0..999)
      n = 100_000
      counts = G.random(pool, seed: 99) |> G.take(n) |> frequencies()
      assert counts |> Map.keys() |> Enum.all?(&(&1 in 0..999))
      expected = Map.new(pool, &{&1, n / 1000})
      # 999 degrees of freedom: mean 999, sd ~44.7; 1150 is > 3 sd out.
      assert chi_squared(counts, expected) < 1150
    end

    test "the same seed gives the same ops, different seeds give different ops" do
      a = G.random(@pool, seed: 1) |> G.take(200) |> reduce_list()
      b = G.random(@pool, seed: 1) |> G.take(200) |> reduce_list()
      c = G.random(@pool, seed: 2) |> G.take(200) |> reduce_list()
      assert a == b
      assert a != c
    end
  end

  describe "seeds" do
    @seeds [
      :foo,
      "abc",
      {:iter, 3, [1, 2]},
      1 <<< 64,
      (1 <<< 64) - 1,
      1 <<< 100,
      -1,
      -(1 <<< 63),
      -(1 <<< 63) - 1,
      0,
      3.25,
      %{a: 1},
      [nil],
      {nil}
    ]

    test "seeds of any term work, are stored as given and reproduce the stream" do
      streams =
        for seed <- @seeds do
          gen = G.random(Enum.to_list(1..1000), seed: seed)
          assert gen.seed === seed
          ops = gen |> G.take(64) |> reduce_list()
          assert ops == G.random(Enum.to_list(1..1000), seed: seed) |> walk(64)
          ops
        end

      # Distinct seeds, distinct streams.
      assert length(Enum.uniq(streams)) == length(@seeds)
    end

    test "equal terms built separately give the same stream" do
      a = G.random(@pool, seed: {:iter, 3, "worker-#{1 + 1}"}) |> walk(100)
      b = G.random(@pool, seed: {:iter, 3, "worker-2"}) |> walk(100)
      assert a == b
    end

    test "the seed mapping of Lockstep.Generator.Seed holds" do
      two32 = 1 <<< 32
      two63 = 1 <<< 63
      two64 = 1 <<< 64

      assert Seed.key(0) == {0, 0}
      assert Seed.key(42) == {0, 42}
      assert Seed.key(two64 - 1) == {0, two64 - 1}
      hash64 = fn t -> :erlang.phash2({1, t}, two32) <<< 32 ||| :erlang.phash2({2, t}, two32) end
      assert Seed.key(two64) == {2, hash64.(two64)}
      assert Seed.key(-1) == {1, two64 - 1}
      assert Seed.key(-two63) == {1, two63}
      assert Seed.key(-two63 - 1) == {2, hash64.(-two63 - 1)}
      assert Seed.key(:foo) == {2, 7_801_313_763_491_924_706}
      assert Seed.key("abc") == {2, 13_288_176_363_022_651_439}
      assert Seed.key({:a, 1}) == {2, hash64.({:a, 1})}
      assert Seed.key(1.0) == {2, hash64.(1.0)}
    end

    test "the stream of a seed is the engine stream of its key (Seed.key/1)" do
      pool = Enum.to_list(0..999)

      for seed <- @seeds do
        expected = Native.leaf_chunk(:random, 1000, nil, Seed.key(seed), 0, 0, 100, nil)
        assert length(expected) == 100
        assert G.random(pool, seed: seed) |> walk(100) == expected, inspect(seed)
      end
    end

    test "seed: nil is no seed: a drawn 64-bit seed, recorded, like no :seed at all" do
      alias Lockstep.Generator.Workloads

      pool = Enum.to_list(0..999)

      builders = [
        &G.random(pool, &1),
        &G.weighted([a: 1, b: 2], &1),
        &G.integers(1..100, &1),
        &G.zipf(100, &1),
        &G.mix([G.cycle([:a]), G.cycle([:b])], [strategy: :random] ++ &1),
        &Workloads.register(&1),
        &Workloads.bank(&1),
        &Workloads.list_append(&1)
      ]

      for build <- builders do
        a = build.(seed: nil)
        b = build.(seed: nil)
        assert is_integer(a.seed) and a.seed in 0..(2 ** 64 - 1)
        # Two VMs (or two calls) do not repeat one stream.
        assert a.seed != b.seed
        assert Enum.take(a, 50) != Enum.take(b, 50)
        # The drawn seed replays the stream.
        assert Enum.take(build.(seed: a.seed), 50) == Enum.take(a, 50)
      end

      # As a fork key nil is a term like any other.
      gen = G.random(pool, seed: 1)
      assert Enum.take(G.fork(gen, nil), 20) == Enum.take(G.fork(gen, nil), 20)
    end

    test "the three domains never share a stream" do
      # Same 64-bit value in domains 0 and 1: 2^63 and -2^63.
      a = G.random(Enum.to_list(1..1000), seed: 1 <<< 63) |> walk(50)
      b = G.random(Enum.to_list(1..1000), seed: -(1 <<< 63)) |> walk(50)
      assert a != b

      # 2^64 is hashed (domain 2), not wrapped to 0.
      c = G.random(Enum.to_list(1..1000), seed: 0) |> walk(50)
      d = G.random(Enum.to_list(1..1000), seed: 1 <<< 64) |> walk(50)
      assert c != d

      # An integer seed equal to a term's phash2 is in another domain than the term.
      e = G.random(Enum.to_list(1..1000), seed: 27_999) |> walk(50)
      f = G.random(Enum.to_list(1..1000), seed: :foo) |> walk(50)
      assert e != f
    end

    test "inspect shows the seed, including a generated one" do
      assert inspect(G.random(@pool, seed: 42)) =~ "seed: 42"
      gen = G.weighted(a: 1, b: 2)
      assert inspect(gen) =~ "seed: #{gen.seed}"
    end
  end

  describe "cycle/1" do
    test "documented fields" do
      gen = G.cycle([:a, :b, :c])

      for g <- [gen, skip(gen, 1), skip(gen, 70)] do
        assert %G{
                 kind: :cycle,
                 ops: [:a, :b, :c],
                 weights: nil,
                 total: nil,
                 children: nil,
                 next_child: nil,
                 remaining: :infinity,
                 seed: nil
               } = g
      end
    end

    test "repeats the sequence forever, from any position" do
      gen = G.cycle([:a, :b, :c])
      expected = Stream.cycle([:a, :b, :c]) |> Enum.take(300)
      assert walk(gen, 300) == expected
      assert gen |> G.take(300) |> reduce_list() == expected
      assert gen |> skip(100) |> walk(5) == [:b, :c, :a, :b, :c]
      assert gen |> skip(100) |> G.take(5) |> reduce_list() == [:b, :c, :a, :b, :c]
      assert G.cycle([{:only, 1}]) |> walk(3) == [{:only, 1}, {:only, 1}, {:only, 1}]
    end
  end

  describe "weighted/2" do
    test "documented fields: ops without weights, weights, total = sum" do
      gen = G.weighted([{:read, 3}, {{:write, 1}, 1}, {:delete, 0}, {"x", 6}], seed: 5)

      for g <- [gen, skip(gen, 1), skip(gen, 100)] do
        assert %G{
                 kind: :weighted,
                 ops: [:read, {:write, 1}, :delete, "x"],
                 weights: [3, 1, 0, 6],
                 total: 10,
                 children: nil,
                 next_child: nil,
                 remaining: :infinity,
                 seed: 5
               } = g
      end
    end

    test "weights adding up to exactly 2^64 - 1 are accepted" do
      gen = G.weighted([a: (1 <<< 64) - 2, b: 1], seed: 1)
      assert gen.total == (1 <<< 64) - 1
      assert gen |> G.take(100) |> reduce_list() |> Enum.all?(&(&1 in [:a, :b]))
    end

    test "frequency is proportional to weight and weight 0 is never picked (chi-squared)" do
      weights = [a: 1, b: 2, zero: 0, c: 3, d: 4]
      n = 50_000
      counts = G.weighted(weights, seed: 2024) |> G.take(n) |> frequencies()
      assert Map.get(counts, :zero, 0) == 0
      assert Enum.sum(Map.values(counts)) == n

      expected = for {op, w} <- weights, w > 0, into: %{}, do: {op, n * w / 10}
      # 3 degrees of freedom: 16.27 is the p = 0.001 critical value.
      assert chi_squared(counts, expected) < 16.27
    end

    test "a pool larger than 4096 entries (dirty table build) picks only positive weights" do
      weighted_ops = for i <- 0..4999, do: {i, if(rem(i, 7) == 0, do: i + 1, else: 0)}
      gen = G.weighted(weighted_ops, seed: 3)
      ops = gen |> G.take(20_000) |> reduce_list()
      assert Enum.all?(ops, &(rem(&1, 7) == 0))
      assert walk(gen, 500) == Enum.take(ops, 500)
      # Heavier ops come up more: the top seventh of the positive ops against the bottom.
      high = Enum.count(ops, &(&1 >= 4300))
      low = Enum.count(ops, &(&1 < 700))
      assert high > 5 * low
    end

    test "the same seed gives the same ops, different seeds give different ops" do
      w = [a: 1, b: 1, c: 1, d: 1]
      a = G.weighted(w, seed: :x) |> G.take(200) |> reduce_list()
      assert a == G.weighted(w, seed: :x) |> G.take(200) |> reduce_list()
      assert a != G.weighted(w, seed: :y) |> G.take(200) |> reduce_list()
    end

    test "without :seed a seed is generated and re-passing it reproduces the stream" do
      gen = G.weighted(a: 1, b: 5, c: 2)
      assert is_integer(gen.seed)
      assert walk(gen, 200) == walk(G.weighted([a: 1, b: 5, c: 2], seed: gen.seed), 200)
    end
  end

  describe "mix/2" do
    test "documented fields, next_child starts at 0 and advances round-robin" do
      children = [G.cycle([:a]), G.cycle([:b]), G.cycle([:c])]
      gen = G.mix(children)

      assert %G{
               kind: :mix,
               ops: nil,
               weights: nil,
               total: nil,
               children: ^children,
               next_child: 0,
               remaining: :infinity,
               seed: nil
             } = gen

      {ops, nexts} =
        Enum.map_reduce(1..7, {gen, [0]}, fn _, {g, seen} ->
          {op, g} = G.next(g)
          {op, {g, [g.next_child | seen]}}
        end)
        |> then(fn {ops, {_g, seen}} -> {ops, Enum.reverse(seen)} end)

      assert ops == [:a, :b, :c, :a, :b, :c, :a]
      assert nexts == [0, 1, 2, 0, 1, 2, 0, 1]
    end

    test "children holds the children as of the last refill; exact after drop/2" do
      r = G.random(@pool, seed: 1)
      c = G.cycle([:x, :y])
      mix = G.mix([r, c])
      {op1, gen} = G.next(mix)
      {op2, gen} = G.next(gen)
      {^op1, r1} = G.next(r)
      {^op2, c1} = G.next(c)
      # While ops are buffered, children hold their state before the buffer.
      assert gen.children == [r, c]
      # remaining and next_child are exact after every next/1.
      assert %G{kind: :mix, remaining: :infinity, next_child: 0} = gen
      # drop/2 leaves no buffer: the children are exact.
      dropped = G.drop(mix, 2)
      assert Enum.map(dropped.children, &inspect/1) == Enum.map([r1, c1], &inspect/1)
      assert Enum.take(dropped, 5) == Enum.take(G.drop(gen, 0), 5)
    end

    test "a last refill (all of a take's ops) writes no state; children are exact when asked" do
      trees = [
        G.mix([G.random(@pool, seed: 1), G.cycle([:x, :y]), G.weighted([a: 1, b: 3], seed: 2)]),
        G.mix([G.take(G.cycle([:a]), 3), G.random(@pool, seed: 4)], until: :all),
        G.mix([G.random(@pool, seed: 5), G.integers(1..9, seed: 6)], strategy: :random, seed: 7),
        G.concat([G.take(G.cycle([:a, :b]), 5), G.random(@pool, seed: 8)]),
        G.zip([G.cycle([1, 2, 3]), G.Workloads.register(seed: 9)])
      ]

      for tree <- trees, r <- [1, 7, 20, 64], j <- Enum.uniq([0, 1, div(r, 2), r - 1, r]) do
        gen = G.take(tree, r)
        # The same tree without the take refills with its state: the oracle.
        {ops, at} = advance(gen, j)
        {^ops, oracle} = advance(tree, j)
        # The exact state (what fork/2 and a drop past the buffer start from).
        settle = &Lockstep.Generator.Driver.settle/1

        assert Enum.map(settle.(at).children, &inspect/1) ==
                 Enum.map(settle.(oracle).children, &inspect/1),
               "#{inspect(tree)} take #{r} after #{j}"

        assert at.remaining == r - j
        assert at.next_child == oracle.next_child
        assert walk(at) == walk(G.take(oracle, r - j))
        assert walk(:erlang.binary_to_term(:erlang.term_to_binary(at))) == walk(at)
        assert walk(G.fork(at, :k)) == walk(G.fork(G.take(oracle, r - j), :k))
      end
    end

    test "round-robin in list order, starting with the first child" do
      gen = G.mix([G.cycle([:a1, :a2]), G.cycle([:b]), G.cycle([:c1, :c2, :c3])])
      expected = [:a1, :b, :c1, :a2, :b, :c2, :a1, :b, :c3, :a2]
      assert walk(gen, 10) == expected
      assert gen |> G.take(10) |> reduce_list() == expected
    end

    test "by default the mix is done when the child whose turn it is answers :done" do
      gen = G.mix([G.take(G.cycle([:a]), 1), G.cycle([:b])])
      assert walk(gen) == [:a, :b]
      assert reduce_list(gen) == [:a, :b]
      assert each_list(gen) == {[:a, :b], 2}

      # Each child gives all its ops: 50 + 50.
      gen = G.mix([G.take(G.cycle([:r]), 50), G.take(G.cycle([:w]), 50)])
      assert length(walk(gen)) == 100
      assert G.each(gen, fn _ -> :ok end) == 100

      # The mix stops at the exhausted child's turn, not before.
      gen = G.mix([G.cycle([:a]), G.take(G.cycle([:b]), 2), G.cycle([:c])], until: :any)
      assert walk(gen) == [:a, :b, :c, :a, :b, :c, :a]
      assert reduce_list(gen) == [:a, :b, :c, :a, :b, :c, :a]

      # A child that starts exhausted ends the mix at its first turn.
      gen = G.mix([G.cycle([:a]), G.take(G.cycle([:b]), 0)])
      assert walk(gen) == [:a]
      assert G.each(gen, fn _ -> :ok end) == 1
      assert G.next(G.mix([G.take(G.cycle([:b]), 0), G.cycle([:a])])) == :done
    end

    test "until: :all skips exhausted children until the last one finishes" do
      gen =
        G.mix(
          [G.take(G.cycle([:a]), 1), G.take(G.cycle([:b]), 3), G.take(G.cycle([:c]), 2)],
          until: :all
        )

      expected = [:a, :b, :c, :b, :c, :b]
      assert walk(gen) == expected
      assert reduce_list(gen) == expected
      assert each_list(gen) == {expected, 6}

      # With an infinite child it never ends.
      gen = G.mix([G.take(G.cycle([:a]), 1), G.cycle([:b])], until: :all)
      assert walk(gen, 5) == [:a, :b, :b, :b, :b]
      assert gen |> G.take(5) |> reduce_list() == [:a, :b, :b, :b, :b]
    end

    test "take of a mix caps the mix, whatever its children" do
      gen = G.mix([G.cycle([:a]), G.cycle([:b])]) |> G.take(5)
      assert gen.remaining == 5
      assert walk(gen) == [:a, :b, :a, :b, :a]
      assert reduce_list(gen) == [:a, :b, :a, :b, :a]
      assert G.each(gen, fn _ -> :ok end) == 5

      # ...and a child running out first still ends it (at its next turn).
      gen = G.mix([G.cycle([:a]), G.take(G.cycle([:b]), 1)]) |> G.take(5)
      assert walk(gen) == [:a, :b, :a]
      assert reduce_list(gen) == [:a, :b, :a]
    end

    test "mix of mixes" do
      inner = G.mix([G.cycle([:a]), G.cycle([:b])])
      gen = G.mix([inner, G.cycle([:c])])
      expected = [:a, :c, :b, :c, :a, :c, :b, :c]
      assert walk(gen, 8) == expected
      assert gen |> G.take(8) |> reduce_list() == expected

      # An inner mix that runs out (:any) ends the outer :any mix...
      inner = G.mix([G.take(G.cycle([:a]), 2), G.cycle([:b])])
      gen = G.mix([inner, G.cycle([:c])])
      assert walk(gen) == [:a, :c, :b, :c, :a, :c, :b, :c]
      assert reduce_list(gen) == [:a, :c, :b, :c, :a, :c, :b, :c]

      # ...and is skipped by an outer :all mix.
      gen = G.mix([inner, G.take(G.cycle([:c]), 5)], until: :all)
      assert walk(gen) == [:a, :c, :b, :c, :a, :c, :b, :c, :c]
      assert reduce_list(gen) == [:a, :c, :b, :c, :a, :c, :b, :c, :c]
    end
  end

  describe "take/2" do
    test "sets remaining; a take of a take keeps the smaller cap" do
      gen = G.random(@pool, seed: 1)
      assert gen.remaining == :infinity
      assert G.take(gen, 10).remaining == 10
      assert gen |> G.take(10) |> G.take(3) |> Map.fetch!(:remaining) == 3
      assert gen |> G.take(3) |> G.take(10) |> Map.fetch!(:remaining) == 3
      assert gen |> G.take(3) |> G.take(10) |> reduce_list() |> length() == 3
      assert gen |> G.take(10) |> G.take(3) |> walk() |> length() == 3
    end

    test "after n next/1 calls the generator returns :done" do
      for gen <- [
            G.random(@pool, seed: 1),
            G.weighted([a: 1, b: 2], seed: 1),
            G.cycle([:a]),
            G.mix([G.cycle([:a]), G.random(@pool, seed: 2)])
          ],
          n <- [1, 5, 64, 65, 200] do
        {ops, rest} = advance(G.take(gen, n), n)
        assert length(ops) == n
        assert rest.remaining == 0
        assert G.next(rest) == :done
        # :done stays :done
        assert G.next(rest) == :done
      end
    end

    test "remaining counts down with next/1" do
      gen = G.cycle([:a]) |> G.take(3)
      {:a, g1} = G.next(gen)
      {:a, g2} = G.next(g1)
      assert {g1.remaining, g2.remaining} == {2, 1}
    end

    test "take(gen, 0) is empty" do
      for gen <- [G.random(@pool, seed: 1), G.cycle([:a]), G.mix([G.cycle([:a])])] do
        gen = G.take(gen, 0)
        assert gen.remaining == 0
        assert G.next(gen) == :done
        assert G.each(gen, fn _ -> flunk("called") end) == 0
        assert G.reduce(gen, :acc, fn _, _ -> flunk("called") end) == :acc
      end
    end

    test "take of a mid-stream generator counts from where it stands" do
      gen = G.random(@pool, seed: 8)
      all = walk(gen, 100)
      mid = gen |> skip(30) |> G.take(20)
      assert walk(mid) == Enum.slice(all, 30, 20)
      assert reduce_list(mid) == Enum.slice(all, 30, 20)
    end

    test "a cap beyond 2^64 behaves as unbounded" do
      gen = G.random(@pool, seed: 8) |> G.take(1 <<< 70)
      assert gen.remaining == 1 <<< 70
      assert walk(gen, 100) == walk(G.random(@pool, seed: 8), 100)
      mix = G.mix([gen, G.cycle([:z])]) |> G.take(1 <<< 80)
      assert walk(mix, 20) == G.mix([gen, G.cycle([:z])]) |> G.take(20) |> reduce_list()
    end
  end

  describe "each/2 and reduce/3" do
    test "each/2 calls fun on every op in order and returns the count" do
      gen = G.cycle([1, 2, 3]) |> G.take(7)
      assert each_list(gen) == {[1, 2, 3, 1, 2, 3, 1], 7}
      assert G.each(G.take(G.random(@pool, seed: 1), 10_000), fn _ -> :ok end) == 10_000
    end

    test "reduce/3 calls fun.(op, acc)" do
      gen = G.cycle([1, 2]) |> G.take(3)
      assert G.reduce(gen, [], fn op, acc -> [op | acc] end) == [1, 2, 1]
      assert G.reduce(gen, :start, fn op, acc -> {op, acc} end) == {1, {2, {1, :start}}}
      assert G.reduce(G.take(G.cycle([1]), 10_000), 0, &(&1 + &2)) == 10_000
    end

    # Generators of every kind; each is also checked mid-stream.
    defp kinds do
      [
        random_small: G.random(@pool, seed: 11),
        random_large: G.random(Enum.to_list(1..500), seed: 12),
        weighted: G.weighted([a: 5, b: 0, c: 1, d: 9], seed: 13),
        weighted_large: G.weighted(for(i <- 1..300, do: {i, rem(i, 5)}), seed: 14),
        cycle: G.cycle([:x, :y, :z, :w]),
        mix_any: G.mix([G.random(@pool, seed: 15), G.cycle([1, 2]), G.weighted(p: 1, q: 3)]),
        mix_all:
          G.mix(
            [
              G.take(G.random(@pool, seed: 16), 40),
              G.take(G.weighted([p: 1, q: 2], seed: 17), 150),
              G.take(G.cycle([:c]), 90)
            ],
            until: :all
          ),
        mix_of_mixes:
          G.mix([
            G.mix([G.cycle([:a, :b]), G.weighted([w1: 1, w2: 1], seed: 18)], until: :all),
            G.random(Enum.to_list(100..400), seed: 19),
            G.mix([G.take(G.cycle([:t]), 1000), G.random([:r1, :r2], seed: 20)])
          ]),
        take_of_mix: G.take(G.mix([G.random(@pool, seed: 21), G.cycle([:c])]), 250)
      ]
    end

    test "a next/1 walk equals reduce/3 and each/2 output for every kind, also mid-stream" do
      n = 300

      for {name, gen} <- kinds() do
        reference = walk(gen, 700)

        for skipped <- [0, 1, 63, 64, 65, 130, 257] do
          {pre, mid} = advance(gen, skipped)
          assert pre == Enum.take(reference, skipped), "#{name} prefix"
          expected = reference |> Enum.drop(skipped) |> Enum.take(n)

          assert walk(mid, n) == expected, "#{name} walk after #{skipped}"
          capped = G.take(mid, n)
          assert reduce_list(capped) == expected, "#{name} reduce after #{skipped}"

          assert each_list(capped) == {expected, length(expected)},
                 "#{name} each after #{skipped}"
        end
      end
    end

    test "finite generators drained with reduce/each give the same ops as a walk" do
      for {name, gen} <- kinds(), name not in [:mix_any, :mix_of_mixes] do
        gen = if gen.remaining == :infinity and gen.kind != :mix, do: G.take(gen, 5000), else: gen
        ops = walk(gen)
        assert reduce_list(gen) == ops, "#{name}"
        assert each_list(gen) == {ops, length(ops)}, "#{name}"
      end
    end
  end

  describe "purity" do
    defp shared_generators do
      random = G.random(@pool, seed: 31)
      weighted = G.weighted([a: 1, b: 2, c: 3, d: 0], seed: 32)

      mix = G.mix([G.weighted([x: 2, y: 1], seed: 33), G.random(Enum.to_list(1..300), seed: 34)])

      for gen <- [random, weighted, mix], skipped <- [0, 10, 70], do: skip(gen, skipped)
    end

    test "next/1 called twice on the same value gives equal results" do
      for gen <- shared_generators() do
        first = G.next(gen)
        assert first == G.next(gen)
        {_op, next_gen} = first
        assert G.next(next_gen) == G.next(next_gen)
        assert walk(gen, 150) == walk(gen, 150)
        assert reduce_list(G.take(gen, 150)) == reduce_list(G.take(gen, 150))
      end
    end

    test "50 processes using the same generator value all get the same ops" do
      for gen <- shared_generators() do
        local = gen |> G.take(1000) |> reduce_list()

        results =
          1..50
          |> Task.async_stream(
            fn i ->
              if rem(i, 2) == 0,
                do: gen |> G.take(1000) |> reduce_list(),
                else: walk(gen, 1000)
            end,
            max_concurrency: 50,
            ordered: false
          )
          |> Enum.map(fn {:ok, ops} -> ops end)

        assert length(results) == 50
        assert Enum.all?(results, &(&1 == local))
      end
    end
  end

  describe "argument errors" do
    test "ops must be a non-empty proper list" do
      for bad <- [:x, %{}, {:a, :b}, [], [:a | :b], [:a, :b | :c], "abc"] do
        assert_raise ArgumentError, ~r/random\/2 expects ops to be a non-empty list/, fn ->
          G.random(bad, seed: 1)
        end

        assert_raise ArgumentError, ~r/cycle\/1 expects ops to be a non-empty list/, fn ->
          G.cycle(bad)
        end

        assert_raise ArgumentError,
                     ~r/weighted\/2 expects weighted_ops to be a non-empty list/,
                     fn -> G.weighted(bad, seed: 1) end
      end

      assert_raise ArgumentError, ~r/non-empty list/, fn -> G.weighted([{:a, 1} | {:b, 2}]) end
    end

    test "weighted entries must be {op, weight} tuples" do
      for bad <- [[:a], [{:a, 1}, :b], [{:a, 1, 2}], [{:a}], [[:a, 1]], [%{op: :a, weight: 1}]] do
        assert_raise ArgumentError,
                     ~r/weighted\/2 expects weighted_ops to be \{op, weight\}/,
                     fn ->
                       G.weighted(bad, seed: 1)
                     end
      end
    end

    test "weights must be non-negative integers, not all zero, within 2^64 - 1" do
      assert_raise ArgumentError, ~r/non-negative integer, got: -1/, fn ->
        G.weighted(a: 1, b: -1)
      end

      assert_raise ArgumentError, ~r/non-negative integer, got: 1\.5/, fn ->
        G.weighted(a: 1.5)
      end

      assert_raise ArgumentError, ~r/non-negative integer, got: 1\.0/, fn ->
        G.weighted(a: 1.0)
      end

      assert_raise ArgumentError, ~r/non-negative integer, got: :heavy/, fn ->
        G.weighted(a: :heavy)
      end

      assert_raise ArgumentError, ~r/all zero/, fn -> G.weighted(a: 0, b: 0) end
      assert_raise ArgumentError, ~r/all zero/, fn -> G.weighted(a: 0) end

      assert_raise ArgumentError, ~r/at most 2\^64 - 1/, fn ->
        G.weighted(a: (1 <<< 64) - 1, b: 1)
      end

      assert_raise ArgumentError, ~r/at most 2\^64 - 1/, fn -> G.weighted(a: 1 <<< 64) end
    end

    test "take/2 needs a generator and a non-negative integer" do
      gen = G.cycle([:a])

      for bad <- [-1, 1.5, 2.0, "3", :infinity, nil] do
        assert_raise ArgumentError, ~r/take\/2 expects n to be a non-negative integer/, fn ->
          G.take(gen, bad)
        end
      end

      for bad <- [:gen, [:a], %{kind: :cycle, remaining: :infinity}, nil] do
        assert_raise ArgumentError, ~r/take\/2 expects a generator/, fn -> G.take(bad, 3) end
      end
    end

    test "mix/2 needs a non-empty list of generators" do
      assert_raise ArgumentError, ~r/mix\/2 expects gens to be a non-empty list/, fn ->
        G.mix([])
      end

      assert_raise ArgumentError, ~r/mix\/2 expects gens to be a non-empty list/, fn ->
        G.mix(G.cycle([:a]))
      end

      assert_raise ArgumentError, ~r/mix\/2 expects gens to be a non-empty list/, fn ->
        G.mix([G.cycle([:a]) | G.cycle([:b])])
      end

      assert_raise ArgumentError, ~r/mix\/2 expects a list of generators, got: :x/, fn ->
        G.mix([G.cycle([:a]), :x])
      end

      assert_raise ArgumentError, ~r/mix\/2 expects a list of generators/, fn ->
        G.mix([%{kind: :cycle}])
      end
    end

    test "unknown options are rejected" do
      assert_raise ArgumentError, ~r/random\/2 got unknown option :sed/, fn ->
        G.random([:a], sed: 1)
      end

      assert_raise ArgumentError, ~r/random\/2 got unknown option :until/, fn ->
        G.random([:a], seed: 1, until: :all)
      end

      assert_raise ArgumentError, ~r/weighted\/2 got unknown option :stream/, fn ->
        G.weighted([a: 1], stream: 2)
      end

      assert_raise ArgumentError, ~r/mix\/2 got unknown option :shuffle/, fn ->
        G.mix([G.cycle([:a])], shuffle: true)
      end

      # :seed and :weights belong to the random strategy.
      assert_raise ArgumentError, ~r/mix\/2: :seed and :weights go with strategy: :random/, fn ->
        G.mix([G.cycle([:a])], seed: 1)
      end
    end

    test "options must be a keyword list" do
      for bad <- [[:seed], %{seed: 1}, 42, [{"seed", 1}], {:seed, 1}, [seed: 1] ++ [:x]] do
        assert_raise ArgumentError, ~r/random\/2 expects options as a keyword list/, fn ->
          G.random([:a], bad)
        end

        assert_raise ArgumentError, ~r/weighted\/2 expects options as a keyword list/, fn ->
          G.weighted([a: 1], bad)
        end

        assert_raise ArgumentError, ~r/mix\/2 expects options as a keyword list/, fn ->
          G.mix([G.cycle([:a])], bad)
        end
      end
    end

    test "mix :until must be :any or :all" do
      for bad <- [:some, nil, "all", 1] do
        assert_raise ArgumentError, ~r/mix\/2 expects :until to be :any or :all, got: /, fn ->
          G.mix([G.cycle([:a])], until: bad)
        end
      end
    end

    test "each/2 and reduce/3 need a generator and a function of the right arity" do
      gen = G.take(G.cycle([:a]), 3)

      for bad <- [:x, fn -> :ok end, fn _, _ -> :ok end, nil] do
        assert_raise ArgumentError, ~r/each\/2 expects a function of arity 1/, fn ->
          G.each(gen, bad)
        end
      end

      for bad <- [:x, fn -> :ok end, fn _ -> :ok end, fn _, _, _ -> :ok end] do
        assert_raise ArgumentError, ~r/reduce\/3 expects a function of arity 2/, fn ->
          G.reduce(gen, [], bad)
        end
      end

      assert_raise ArgumentError, ~r/each\/2 expects a generator/, fn ->
        G.each([:a], fn _ -> :ok end)
      end

      assert_raise ArgumentError, ~r/reduce\/3 expects a generator/, fn ->
        G.reduce(%{kind: :cycle}, [], fn _, acc -> acc end)
      end
    end

    test "next/1 needs a generator" do
      for bad <- [:x, [:a], %{kind: :cycle}, nil] do
        assert_raise ArgumentError, ~r/next\/1 expects a generator/, fn -> G.next(bad) end
      end
    end
  end

  describe "deep nesting" do
    test "mix/2 refuses to nest deeper than 64 levels (which reduce/each could not drain)" do
      deep64 = Enum.reduce(1..64, G.cycle([:a, :b]), fn _, g -> G.mix([g]) end)

      assert_raise ArgumentError, ~r/mix\/2: generators nested deeper than 64 levels/, fn ->
        G.mix([deep64])
      end

      # Also when the deep child is not the first one.
      assert_raise ArgumentError, ~r/nested deeper than 64 levels/, fn ->
        G.mix([G.cycle([:x]), deep64, G.cycle([:y])], until: :all)
      end

      # 64 levels in all, next to other children, are still fine.
      deep63 = Enum.reduce(1..63, G.cycle([:a, :b]), fn _, g -> G.mix([g]) end)
      gen = G.mix([G.cycle([:x]), G.take(deep63, 3)], until: :all) |> G.take(6)
      assert walk(gen) == [:x, :a, :x, :b, :x, :a]
      assert reduce_list(gen) == [:x, :a, :x, :b, :x, :a]
    end

    test "a mix nested 64 levels deep works with next/1 and reduce/3" do
      gen = Enum.reduce(1..64, G.cycle([:a, :b]), fn _, g -> G.mix([g]) end) |> G.take(5)
      assert walk(gen) == [:a, :b, :a, :b, :a]
      assert reduce_list(gen) == [:a, :b, :a, :b, :a]
    end
  end
end
