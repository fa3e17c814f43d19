defmodule Lockstep.GeneratorForkDropTest do
  # fork/2, split/2 and drop/2.
  use ExUnit.Case, async: true

  import Bitwise
  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Native

  @pool [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}, "str"]
  @keys [0, 1, 2, -1, 1 <<< 70, :worker_1, :worker_2, {:worker, 3}, "worker 3", 2.5, [1, 2]]

  defp random, do: G.random(@pool, seed: 42)
  defp weighted, do: G.weighted([read: 5, write: 3, delete: 0, cas: 1], seed: 7)
  defp cycle, do: G.cycle([:a, :b, :c, :d, :e])

  defp mix do
    G.mix([G.random(Enum.to_list(1..50), seed: 1), weighted(), cycle()])
  end

  # The documented fields of a generator tree.
  defp documented(%G{} = gen) do
    %{
      kind: gen.kind,
      ops: gen.ops,
      weights: gen.weights,
      total: gen.total,
      next_child: gen.next_child,
      remaining: gen.remaining,
      seed: gen.seed,
      children: if(gen.children, do: Enum.map(gen.children, &documented/1))
    }
  end

  defp stream_id(gen), do: gen.engine.stream

  # The exact state behind a composite's buffer (its children are otherwise
  # shown as of the last refill).
  defp settle(gen), do: Lockstep.Generator.Driver.settle(gen)

  # ---------------------------------------------------------------------------
  # fork/2

  describe "fork/2" do
    test "the same key gives the same stream, for any kind of key" do
      for gen <- [random(), weighted(), mix()], key <- @keys do
        a = G.fork(gen, key)
        b = G.fork(gen, key)
        assert walk(a, 300) == walk(b, 300)
        assert reduce_list(G.take(a, 300)) == walk(b, 300)
        assert a == b
      end
    end

    test "different keys give different streams, different from the parent's" do
      for gen <- [random(), weighted(), G.random(Enum.to_list(1..1000), seed: "s")] do
        streams = [walk(gen, 200) | Enum.map(@keys, &walk(G.fork(gen, &1), 200))]
        assert length(Enum.uniq(streams)) == length(@keys) + 1
        ids = [stream_id(gen) | Enum.map(@keys, &stream_id(G.fork(gen, &1)))]
        assert length(Enum.uniq(ids)) == length(@keys) + 1
      end
    end

    test "keys that are equal as numbers but different terms give different streams" do
      # 1 and 1.0 are different terms (==, not ===).
      gen = random()
      refute walk(G.fork(gen, 1), 100) == walk(G.fork(gen, 1.0), 100)
      refute walk(G.fork(gen, :a), 100) == walk(G.fork(gen, "a"), 100)
    end

    test "fork keeps the documented fields, the seed, position and remaining" do
      for gen <- [random(), weighted(), cycle()] do
        gen = G.take(gen, 100)
        {_ops, mid} = advance(gen, 37)
        forked = G.fork(mid, :w)

        assert documented(forked) == documented(mid)
        assert forked.remaining == 63
        assert G.__position__(forked) == 37
        # The forked stream from op 37 on: op 37.. of the fork of the fresh one.
        assert walk(forked) == walk(G.drop(G.fork(gen, :w), 37))
        assert length(walk(forked)) == 63
      end
    end

    test "a fork of a cycle produces the same ops" do
      gen = cycle()
      assert walk(G.fork(gen, 1), 23) == walk(gen, 23)
      assert walk(G.fork(G.fork(G.drop(gen, 3), :x), 2), 23) == walk(G.drop(gen, 3), 23)
      assert [g0, g1] = G.split(gen, 2)
      assert walk(g0, 12) == walk(g1, 12)
    end

    test "a fork of a mix forks every child, and keeps next_child and remaining" do
      gen = G.mix([random(), weighted(), cycle()], until: :all) |> G.take(500)
      {_ops, mid} = advance(gen, 7)
      forked = G.fork(mid, 3)

      assert forked.next_child == mid.next_child
      assert forked.remaining == mid.remaining
      mid = settle(mid)
      assert forked.children == Enum.map(mid.children, &G.fork(&1, 3))
      assert forked == %{mid | children: Enum.map(mid.children, &G.fork(&1, 3))}

      expected = walk(%{mid | children: Enum.map(mid.children, &G.fork(&1, 3))})
      assert walk(forked) == expected
      assert length(expected) == 493
      refute walk(forked) == walk(mid)

      # The cycle child's ops are unchanged; the others differ.
      [r, w, c] = forked.children
      [r0, w0, c0] = mid.children
      assert walk(c, 50) == walk(c0, 50)
      refute walk(r, 50) == walk(r0, 50)
      refute walk(w, 50) == walk(w0, 50)
    end

    test "a fork of a random-strategy mix forks its own choices as well as its children" do
      cycles = [G.cycle([:a]), G.cycle([:b]), G.cycle([:c])]
      gen = G.mix(cycles, strategy: :random, seed: 11)
      # The children are cycles (their forks are the same): only the mix's
      # choice of child can tell a fork apart.
      assert walk(G.fork(gen, 1), 200) == walk(G.fork(gen, 1), 200)
      forks = Enum.map(0..5, &walk(G.fork(gen, &1), 200))
      assert length(Enum.uniq([walk(gen, 200) | forks])) == 7
      assert G.split(gen, 6) |> Enum.map(&walk(&1, 200)) == forks

      weighted_mix = G.mix([random(), weighted()], strategy: :random, seed: 2, weights: [1, 3])
      forked = G.fork(weighted_mix, :w)

      assert Enum.map(forked.children, &walk(&1, 50)) ==
               Enum.map(weighted_mix.children, &walk(G.fork(&1, :w), 50))

      assert G.split(weighted_mix, 3) == Enum.map(0..2, &G.fork(weighted_mix, &1))
    end

    test "a fork of a nested mix forks the leaves at every depth" do
      inner = G.mix([random(), G.take(weighted(), 40)], until: :all)
      gen = G.mix([inner, G.random([1, 2, 3], seed: 9)]) |> G.take(200)
      forked = G.fork(gen, "k")
      [fi, fr] = forked.children
      assert fi.children == Enum.map(inner.children, &G.fork(&1, "k"))
      assert fr == G.fork(G.random([1, 2, 3], seed: 9), "k")
      assert walk(forked) == Enum.to_list(forked)
      refute walk(forked) == walk(gen)
    end

    test "a fork of a fork differs from the fork, and the order of keys matters" do
      for gen <- [random(), weighted()] do
        f1 = G.fork(gen, 1)
        f11 = G.fork(f1, 1)
        f12 = G.fork(f1, 2)
        f21 = G.fork(G.fork(gen, 2), 1)
        streams = Enum.map([gen, f1, f11, f12, f21, G.fork(gen, 2)], &walk(&1, 200))
        assert length(Enum.uniq(streams)) == 6
        # Deterministic all the same.
        assert walk(G.fork(G.fork(gen, 1), 2), 200) == walk(f12, 200)
      end
    end

    test "the fork's stream does not depend on the parent's position" do
      gen = random()
      {_ops, mid} = advance(gen, 100)
      assert walk(G.fork(mid, 5), 100) == walk(G.drop(G.fork(gen, 5), 100), 100)
      assert stream_id(G.fork(mid, 5)) == stream_id(G.fork(gen, 5))
    end

    test "fork/2 of a non-generator raises ArgumentError" do
      for bad <- [:x, nil, %{}, [random()], {:gen, 1}, %{kind: :random}] do
        assert_raise ArgumentError, ~r/fork\/2 expects a generator/, fn -> G.fork(bad, 1) end
      end
    end
  end

  # ---------------------------------------------------------------------------
  # split/2

  describe "split/2" do
    test "split(gen, n) is [fork(gen, 0), ..., fork(gen, n - 1)]: as structs and as ops" do
      for gen <- [random(), weighted(), cycle(), mix(), G.take(random(), 77)], n <- [1, 2, 5] do
        forks = for i <- 0..(n - 1), do: G.fork(gen, i)
        split = G.split(gen, n)
        assert split == forks
        assert Enum.map(split, &walk(&1, 100)) == Enum.map(forks, &walk(&1, 100))
      end
    end

    test "split of a generator mid-stream keeps its position" do
      {_ops, mid} = advance(G.take(random(), 500), 123)

      for {g, i} <- Enum.with_index(G.split(mid, 3)) do
        assert g.remaining == 377
        assert walk(g) == walk(G.drop(G.fork(G.take(random(), 500), i), 123))
      end
    end

    test "split(gen, 0) is []" do
      assert G.split(random(), 0) == []
      assert G.split(mix(), 0) == []
    end

    test "bad arguments raise ArgumentError" do
      assert_raise ArgumentError, ~r/split\/2 expects n/, fn -> G.split(random(), -1) end
      assert_raise ArgumentError, ~r/split\/2 expects n/, fn -> G.split(random(), 1.0) end
      assert_raise ArgumentError, ~r/split\/2 expects n/, fn -> G.split(random(), :two) end
      assert_raise ArgumentError, ~r/split\/2 expects a generator/, fn -> G.split(:x, 2) end
      assert_raise ArgumentError, ~r/split\/2 expects a generator/, fn -> G.split([], 0) end
    end
  end

  # ---------------------------------------------------------------------------
  # Independence of forks

  describe "independence of forks" do
    setup do
      gen = G.random(Enum.to_list(0..9), seed: 1)

      streams =
        gen
        |> G.split(16)
        |> Enum.map(fn g -> g |> G.take(2000) |> Enum.to_list() |> :erlang.list_to_binary() end)

      %{streams: streams}
    end

    test "no two of 16 forks are shifted copies of each other", %{streams: streams} do
      assert length(Enum.uniq(streams)) == 16
      indexed = Enum.with_index(streams)

      worst =
        for {a, i} <- indexed, {b, j} <- indexed, i < j, s <- -50..50, reduce: {0.0, nil} do
          {worst, at} ->
            rate = agreement(a, b, s)
            if rate > worst, do: {rate, {i, j, s}}, else: {worst, at}
        end

      # Independent uniform digits agree 10% of the time (sd 0.7% here).
      assert elem(worst, 0) < 0.15, "agreement #{inspect(worst)}"
      # And a stream agrees with itself only unshifted.
      for {a, i} <- indexed, s <- Enum.reject(-50..50, &(&1 == 0)) do
        assert agreement(a, a, s) < 0.15, "fork #{i} vs itself shifted by #{s}"
      end

      assert agreement(hd(streams), hd(streams), 0) == 1.0
    end

    test "every fork's digits are uniform (chi-squared)", %{streams: streams} do
      for {stream, i} <- Enum.with_index(streams) do
        counts = stream |> :binary.bin_to_list() |> Enum.frequencies()
        assert Map.keys(counts) |> Enum.sort() == Enum.to_list(0..9)
        chi2 = chi_squared(counts, Map.new(0..9, &{&1, 200}))
        # df = 9: P(chi2 > 40) is about 7e-6.
        assert chi2 < 40, "fork #{i}: chi-squared #{chi2}"
      end
    end
  end

  # Fraction of positions where a[x] == b[x + s] over the overlap.
  defp agreement(a, b, s) when s >= 0 do
    n = byte_size(a) - s
    count_equal(binary_part(a, 0, n), binary_part(b, s, n), 0) / n
  end

  defp agreement(a, b, s), do: agreement(b, a, -s)

  defp count_equal(<<x, a::binary>>, <<x, b::binary>>, acc), do: count_equal(a, b, acc + 1)
  defp count_equal(<<_, a::binary>>, <<_, b::binary>>, acc), do: count_equal(a, b, acc)
  defp count_equal(<<>>, <<>>, acc), do: acc

  # ---------------------------------------------------------------------------
  # drop/2

  @drops Enum.to_list(0..50) ++
           [53, 54, 55, 63, 64, 65, 127, 128, 129, 255, 256, 257, 319, 320, 321] ++
           [575, 576, 577, 1000, 4095, 4096, 4097, 5000]

  defp drop_subjects do
    r = random()
    w = weighted()
    c = cycle()
    big = G.random(Enum.to_list(1..10_000), seed: 3)

    leaves = [
      random: r,
      weighted: w,
      cycle: c,
      big_pool: big,
      forked: G.fork(r, {:worker, 1}),
      take_40: G.take(r, 40),
      take_300_weighted: G.take(w, 300),
      buffered_random: r |> advance(10) |> elem(1),
      buffered_weighted_take: G.take(w, 2000) |> advance(17) |> elem(1),
      buffered_cycle: c |> advance(3) |> elem(1),
      buffered_forked: G.fork(big, 9) |> advance(70) |> elem(1)
    ]

    nested =
      G.mix([
        G.mix([G.take(r, 50), c], until: :all) |> G.take(80),
        G.take(w, 200),
        G.fork(r, 2)
      ])
      |> G.take(250)

    mixes = [
      mix_any: G.mix([r, w, c]),
      mix_any_takes: G.mix([G.take(r, 30), w, G.take(c, 100)]),
      mix_all_takes: G.mix([G.take(r, 30), G.take(c, 5), G.take(w, 60)], until: :all),
      mix_all_infinite: G.mix([G.take(r, 3), c, G.take(w, 7)], until: :all),
      mix_nested: nested,
      mix_nested_all:
        G.mix([nested, G.mix([G.take(w, 9), G.take(c, 400)], until: :all)], until: :all),
      mix_buffered: nested |> advance(13) |> elem(1),
      mix_all_buffered:
        G.mix([G.take(r, 30), G.take(c, 5), G.take(w, 60)], until: :all)
        |> advance(20)
        |> elem(1),
      mix_taken: G.mix([r, G.take(w, 1000)]) |> G.take(600),
      mix_random: G.mix([r, w, c], strategy: :random, seed: 3),
      mix_random_weighted_all:
        G.mix([G.take(r, 30), G.take(c, 50), w],
          strategy: :random,
          seed: 4,
          weights: [1, 2, 3],
          until: :all
        ),
      mix_random_buffered: G.mix([r, c], strategy: :random, seed: 5) |> advance(9) |> elem(1),
      concat: G.concat([G.take(r, 70), G.take(w, 300), c])
    ]

    leaves ++ mixes
  end

  describe "drop/2" do
    test "equals n next/1 calls: the next 100 ops, the documented fields and inspect" do
      for {name, gen} <- drop_subjects(), n <- @drops do
        dropped = G.drop(gen, n)
        {_ops, walked} = advance(gen, n)

        assert documented(settle(dropped)) == documented(settle(walked)), "#{name}, drop #{n}"
        assert inspect(settle(dropped)) == inspect(settle(walked)), "#{name}, drop #{n}"
        assert walk(dropped, 100) == walk(walked, 100), "#{name}, drop #{n}"
      end
    end

    test "drop(a + b) == drop(drop(a), b)" do
      for {name, gen} <- drop_subjects(),
          {a, b} <- [{1, 1}, {10, 54}, {63, 1}, {64, 256}, {7, 993}] do
        assert documented(settle(G.drop(gen, a + b))) ==
                 documented(settle(G.drop(G.drop(gen, a), b))),
               "#{name}"

        assert walk(G.drop(gen, a + b), 50) == walk(G.drop(G.drop(gen, a), b), 50), "#{name}"
      end
    end

    test "drop/2 is O(1) for leaves: 10^12 ops returns at once, at the right position" do
      n = 1_000_000_000_000

      for gen <- [
            random(),
            weighted(),
            G.fork(random(), 7),
            G.random(Enum.to_list(1..10_000), seed: 2)
          ] do
        {micros, dropped} = :timer.tc(fn -> G.drop(gen, n) end)
        assert micros < 1_000_000
        assert G.__position__(dropped) == n
        assert inspect(dropped) =~ "at: #{n} remaining: infinity"

        %{pool: pool, key: key, stream: stream} = gen.engine
        table = Lockstep.Generator.Spec.table(gen)

        direct =
          Native.leaf_chunk(gen.kind, tuple_size(pool), table, key, stream, n, 300, nil)
          |> Enum.map(&elem(pool, &1))

        assert walk(dropped, 300) == direct
        assert Enum.take(dropped, 300) == direct
        assert reduce_list(G.take(dropped, 300)) == direct
        # ... and those are not the ops at the start.
        refute direct == walk(gen, 300)
      end

      # A cycle: op n is ops[n mod 5].
      assert walk(G.drop(cycle(), n + 2), 3) == [:c, :d, :e]
    end

    test "drop/2 of a mix by 10^12 returns at once and positions the children" do
      n = 1_000_000_000_000
      r = random()
      w = weighted()
      gen = G.mix([r, w, cycle(), G.mix([r, G.fork(w, 1)])])

      {micros, dropped} = :timer.tc(fn -> G.drop(gen, n) end)
      assert micros < 1_000_000
      # 10^12 = 4 * 250_000_000_000: every child served equally often.
      assert dropped.next_child == 0

      assert Enum.map(Enum.take(dropped.children, 3), &G.__position__/1) ==
               List.duplicate(div(n, 4), 3)

      [_, _, _, inner] = dropped.children
      assert Enum.map(inner.children, &G.__position__/1) == [div(n, 8), div(n, 8)]

      expected =
        G.mix([
          G.drop(r, div(n, 4)),
          G.drop(w, div(n, 4)),
          G.drop(cycle(), div(n, 4)),
          G.mix([G.drop(r, div(n, 8)), G.drop(G.fork(w, 1), div(n, 8))])
        ])

      assert walk(dropped, 200) == walk(expected, 200)
      assert reduce_list(G.take(dropped, 200)) == walk(expected, 200)

      all = G.mix([G.take(r, 10), w], until: :all)
      {micros, dropped} = :timer.tc(fn -> G.drop(all, n) end)
      assert micros < 1_000_000
      assert walk(dropped, 50) == walk(G.drop(w, n - 10), 50)
    end

    test "dropping past a take (or a mix's end) leaves a generator that is :done" do
      for gen <- [random(), weighted(), cycle(), mix()], limit <- [0, 1, 10, 100] do
        taken = G.take(gen, limit)

        for extra <- [0, 1, 1000, 1_000_000_000_000] do
          dropped = G.drop(taken, limit + extra)
          assert G.next(dropped) == :done
          assert dropped.remaining == 0
          assert Enum.to_list(dropped) == []
          assert G.each(dropped, fn _ -> flunk("no ops expected") end) == 0
        end

        if limit > 0 do
          assert {_op, last} = G.next(G.drop(taken, limit - 1))
          assert G.next(last) == :done
        end
      end

      ended = G.mix([G.take(random(), 3), cycle()])
      # :any ends when the first child answers :done at its turn: after
      # r, c, r, c, r, c.
      assert length(walk(ended)) == 6
      assert Enum.count(ended) == 6
      assert {_op, _} = G.next(G.drop(ended, 5))
      assert G.next(G.drop(ended, 6)) == :done
      assert G.next(G.drop(ended, 10 ** 12)) == :done
    end

    test "bad arguments raise ArgumentError" do
      assert_raise ArgumentError, ~r/drop\/2 expects n/, fn -> G.drop(random(), -1) end
      assert_raise ArgumentError, ~r/drop\/2 expects n/, fn -> G.drop(random(), 1.5) end
      assert_raise ArgumentError, ~r/drop\/2 expects n/, fn -> G.drop(mix(), nil) end
      assert_raise ArgumentError, ~r/drop\/2 expects a generator/, fn -> G.drop(:x, 1) end
      assert_raise ArgumentError, ~r/drop\/2 expects a generator/, fn -> G.drop([1, 2], 1) end
    end

    test "op indices wrap at 2^64: op 2^64 + i is op i, and a walk across 2^64 keeps going" do
      two64 = 1 <<< 64

      for gen <- [
            random(),
            weighted(),
            G.fork(random(), 3),
            G.random(Enum.to_list(1..10_000), seed: 1)
          ] do
        start = walk(gen, 300)
        # Walking across the boundary: the last 3 ops before 2^64, then op 0...
        across = G.drop(gen, two64 - 3)
        expected = walk(G.drop(gen, two64 - 3), 3) ++ Enum.take(start, 297)
        assert walk(across, 300) == expected
        assert Enum.take(across, 300) == expected
        assert reduce_list(G.take(across, 300)) == expected
        # ... and dropping straight past it.
        assert walk(G.drop(gen, two64), 300) == start
        assert walk(G.drop(gen, two64 + 100), 200) == Enum.drop(start, 100)
        assert Enum.take(G.drop(gen, 2 * two64 + 5), 100) == Enum.slice(start, 5, 100)
      end

      # A cycle keeps its phase: op 2^64 of a 5-cycle is ops[2^64 mod 5] = ops[1].
      assert walk(G.drop(cycle(), two64), 4) == [:b, :c, :d, :e]
      assert Enum.take(G.drop(cycle(), two64 - 1), 3) == [:a, :b, :c]

      # A mix across 2^64 (each child far out, served in turn).
      m = G.mix([random(), cycle()])
      dropped = G.drop(m, 2 * two64)
      assert Enum.map(dropped.children, &G.__position__/1) == [two64, two64]
      assert walk(dropped, 6) == walk(G.mix([random(), G.drop(cycle(), two64)]), 6)
    end
  end
end
