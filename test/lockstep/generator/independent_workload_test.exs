defmodule Lockstep.Generator.IndependentWorkloadTest do
  # independent/2, its split/2, drop/2, fork/2, only_keys/2 and the whole-key
  # shrink, checked against the definition computed from the public API:
  # key k's ops are those of fork(template, k), taken by position.
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Keyed, Workloads}

  defp template, do: Workloads.register(seed: 17, values: 1..9)

  # Key k's first n template ops, straight from fork/2.
  defp key_ops(template, k, n), do: template |> G.fork(k) |> Enum.take(n)

  describe "ops per key and per worker" do
    # {workers, concurrency, per_key, final}
    @configs [
      {1, 1, 5, []},
      {2, 1, 3, [:read]},
      {6, 3, 20, [:read]},
      {4, 2, 7, []},
      {3, 3, 2, [:r, :s]},
      {6, 2, 1, []},
      {2, 2, 0, [:read]},
      # Gaps of 11 between a member's ops: the template skips rather than
      # steps.
      {24, 12, 30, [:read]}
    ]

    test "every key has per_key + c·|final| ops, from its group's workers, by position" do
      keys = [:a, :b, {:c, 1}, "d", 5, 6, 7]

      for {w, c, per_key, final} <- @configs do
        gen =
          G.independent(template(), keys: keys, per_key: per_key, concurrency: c, final: final)

        workers = G.split(gen, w)
        groups = div(w, c)
        by_worker = Enum.map(workers, &Enum.to_list/1)

        for {key, pos} <- Enum.with_index(keys) do
          g = rem(pos, groups)
          group = Enum.to_list((g * c)..(g * c + c - 1))
          expected = key_ops(template(), key, per_key)

          on_key =
            for {ops, i} <- Enum.with_index(by_worker),
                %Keyed{key: ^key, op: op} <- ops,
                do: {i, op}

          label = "#{inspect({w, c, per_key, final})} key #{inspect(key)}"
          assert length(on_key) == per_key + c * length(final), label

          assert on_key |> Enum.map(&elem(&1, 0)) |> Enum.uniq() |> Enum.all?(&(&1 in group)),
                 label

          for {i, j} <- Enum.with_index(group) do
            mine = for {^i, op} <- on_key, do: op
            share = expected |> Enum.drop(j) |> Enum.take_every(c)
            assert mine == share ++ final, "#{label} member #{j}"
          end
        end

        # Keys one after the other: a worker never comes back to a key.
        for ops <- by_worker do
          runs = ops |> Enum.map(& &1.key) |> Enum.dedup()
          assert runs == Enum.uniq(runs)
        end
      end
    end

    test "without split, one worker takes every key in order" do
      gen = G.independent(template(), keys: 10..14, per_key: 4, concurrency: 3, final: [:read])

      expected =
        for k <- 10..14, op <- key_ops(template(), k, 4) ++ [:read], do: %Keyed{key: k, op: op}

      assert Enum.to_list(gen) == expected
      assert gen.remaining == 25
    end

    test "infinite keys are 0, 1, 2, … and the template may be any engine tree" do
      t = G.mix([G.random([:x, :y, :z], seed: 1), G.zipf(50, seed: 2)])
      gen = G.independent(t, per_key: 3)
      assert gen.remaining == :infinity
      expected = for k <- 0..9, op <- key_ops(t, k, 3), do: %Keyed{key: k, op: op}
      assert Enum.take(gen, 30) == expected

      # A template part-way through: key k's ops start where the template is.
      moved = G.drop(t, 11)
      ops = moved |> G.independent(per_key: 2) |> Enum.take(4)
      assert Enum.map(ops, & &1.op) == key_ops(moved, 0, 2) ++ key_ops(moved, 1, 2)
      assert key_ops(moved, 0, 2) == t |> G.fork(0) |> G.drop(11) |> Enum.take(2)
    end

    test "a range of keys is counted, not listed: ten million keys, any op at once" do
      gen = G.independent(template(), keys: 5..10_000_004, per_key: 2, final: [:read])
      assert gen.remaining == 30_000_000
      assert inspect(gen) =~ "keys: 5..10000004 "
      last = G.drop(gen, 29_999_997)

      assert Enum.to_list(last) ==
               for(
                 op <- key_ops(template(), 10_000_004, 2) ++ [:read],
                 do: %Keyed{key: 10_000_004, op: op}
               )

      # The same keys as a list give the same ops.
      assert Enum.take(gen, 9) ==
               Enum.take(
                 G.independent(template(), keys: Enum.to_list(5..7), per_key: 2, final: [:read]),
                 9
               )

      # Ranges that are not of non-negative integers are lists.
      neg = G.independent(template(), keys: -2..1, per_key: 1)
      assert Enum.map(neg, & &1.key) == [-2, -1, 0, 1]

      assert Enum.map(G.independent(template(), keys: 6..0//-3, per_key: 1), & &1.key) == [
               6,
               3,
               0
             ]

      [_, w1] = G.split(gen, 2)

      assert Enum.map(G.only_keys(w1, [4, 6, 9, 10_000_004, 10_000_005]), & &1.key) == [
               6,
               6,
               6,
               10_000_004,
               10_000_004,
               10_000_004
             ]
    end

    test "unique values of the template stay unique per key across its workers" do
      gen = G.independent(Workloads.list_append(seed: 3), keys: 0..3, per_key: 9, concurrency: 3)

      for k <- 0..3 do
        values =
          for w <- G.split(gen, 3),
              %Keyed{key: ^k, op: txn} <- Enum.to_list(w),
              [:append, _, v] <- txn,
              do: v

        assert values == Enum.uniq(values)
      end
    end
  end

  describe "a pure function of (seed, worker, i)" do
    test "same seed, same ops; another seed, other ops" do
      a = G.independent(template(), per_key: 5, concurrency: 2) |> G.split(4)
      b = G.independent(template(), per_key: 5, concurrency: 2) |> G.split(4)
      c = G.independent(Workloads.register(seed: 18, values: 1..9), per_key: 5, concurrency: 2)

      assert Enum.map(a, &Enum.take(&1, 200)) == Enum.map(b, &Enum.take(&1, 200))
      refute Enum.take(hd(a), 200) == c |> G.split(4) |> hd() |> Enum.take(200)
    end

    test "drop equals stepping with next/1, at any position" do
      for w <- G.independent(template(), per_key: 7, concurrency: 3, final: [:read]) |> G.split(6) do
        stepped = step(w, 120)

        for n <- [0, 1, 2, 6, 7, 8, 20, 63, 64, 65, 100] do
          assert w |> G.drop(n) |> step(10) == Enum.slice(stepped, n, 10), "at #{n}"
        end
      end
    end

    test "op i far out is computed from i alone (the key and position by arithmetic)" do
      # Member 1 of 3, group 1 of 2, per_key 7 (shares at 1, 4), one final op:
      # 3 ops per key.
      w = G.independent(template(), per_key: 7, concurrency: 3, final: [:read]) |> G.split(6)
      w = Enum.at(w, 4)

      for i <- [10 ** 6, 10 ** 12 + 1, 2 ** 40 + 2] do
        {op, _} = G.next(G.drop(w, i))
        key = 1 + 2 * div(i, 3)

        expected =
          case rem(i, 3) do
            2 -> :read
            place -> template() |> G.fork(key) |> G.drop(1 + 3 * place) |> G.next() |> elem(0)
          end

        assert op == %Keyed{key: key, op: expected}
      end
    end

    test "a finite key list ends every worker after its keys" do
      [w0, w1, w2] = G.independent(template(), keys: 0..3, per_key: 2) |> G.split(3)
      # Group 0 has keys 0 and 3, groups 1 and 2 one key each.
      assert {Enum.count(w0), Enum.count(w1), Enum.count(w2)} == {4, 2, 2}
      assert G.next(G.drop(w1, 2)) == :done
      assert G.drop(w0, 10) |> G.next() == :done
    end

    defp step(_gen, 0), do: []

    defp step(gen, n) do
      case G.next(gen) do
        :done -> []
        {op, gen} -> [op | step(gen, n - 1)]
      end
    end
  end

  describe "as every generator" do
    test "fork/2 forks the template" do
      gen = G.independent(template(), per_key: 4)

      assert Enum.take(G.fork(gen, :w), 20) ==
               Enum.take(G.independent(G.fork(template(), :w), per_key: 4), 20)

      refute Enum.take(G.fork(gen, :w), 20) == Enum.take(gen, 20)
      # Keeps the position.
      assert Enum.take(G.fork(G.drop(gen, 5), :w), 3) ==
               Enum.slice(Enum.take(G.fork(gen, :w), 8), 5, 3)
    end

    test "select, take, stats, Enum, term_to_binary mid-stream" do
      gen = G.independent(template(), keys: [:a, :b, :c], per_key: 10, final: [:read])
      all = Enum.to_list(gen)
      assert Enum.count(gen) == 33

      assert G.select(gen, [0, 5, 32]) |> Enum.to_list() ==
               Enum.map([0, 5, 32], &Enum.at(all, &1))

      assert G.take(gen, 4) |> Enum.to_list() == Enum.take(all, 4)
      stats = G.stats(gen, 100)
      assert Enum.sum(Map.values(stats)) == 33
      assert stats[:read] >= 3

      {_op, moved} = G.next(gen)
      back = moved |> :erlang.term_to_binary() |> :erlang.binary_to_term()
      assert Enum.to_list(back) == tl(all)
    end

    test "inside a mix, the engine runs it with its siblings" do
      ind = G.independent(G.counter(100), keys: 1..3, per_key: 2)
      mix = G.mix([G.cycle([:tick]), ind])

      assert Enum.to_list(mix) ==
               Enum.flat_map(Enum.to_list(ind), &[:tick, &1]) ++ [:tick]

      assert step(G.drop(mix, 3), 3) == Enum.slice(Enum.to_list(mix), 3, 3)
    end

    test "inspect shows its options and the worker's share" do
      [_, w] =
        G.independent(template(), keys: [:a, :b], per_key: 3, concurrency: 2, final: [:read])
        |> G.split(2)

      assert inspect(w) ==
               "#Lockstep.Generator<independent keys: [:a, :b] per_key: 3 concurrency: 2 " <>
                 "final: [:read] group: 0 of 1 member: 1 at: 0 remaining: 4 " <>
                 "template: #Lockstep.Generator<register seed: 17 values: 1..9 at: 0>>"
    end
  end

  describe "only_keys/2" do
    test "the ops of those keys, as in the whole workload, worker by worker" do
      workers =
        G.independent(template(), keys: 0..11, per_key: 5, concurrency: 2, final: [:read])
        |> G.split(4)

      for w <- workers do
        only = G.only_keys(w, [3, 4, 11, 99])
        assert Enum.to_list(only) == Enum.filter(w, &(&1.key in [3, 4, 11]))
      end

      # Infinite keys: the worker's own keys among them.
      [w0, w1] = G.independent(template(), per_key: 2) |> G.split(2)

      assert Enum.to_list(G.only_keys(w1, [7, 8, 1])) ==
               w1 |> Enum.take(8) |> Enum.filter(&(&1.key in [1, 7]))

      assert Enum.to_list(G.only_keys(w0, [1])) == []
    end

    test "errors" do
      assert_raise ArgumentError, ~r/only_keys\/2 expects an independent workload/, fn ->
        G.only_keys(G.counter(1), [1])
      end

      assert_raise ArgumentError, ~r/only_keys\/2 expects keys to be a list/, fn ->
        G.only_keys(G.independent(template()), 3)
      end
    end
  end

  describe "shrink/3 tries whole keys first" do
    test "a failure on one key shrinks to that key in about a call per key" do
      keys = Enum.to_list(0..15)
      workers = G.independent(template(), keys: keys, per_key: 10, concurrency: 2) |> G.split(4)
      # Fails when key 9 sees a write of a value above 5 (its ops are known).
      bad? = &match?(%Keyed{key: 9, op: {:write, v}} when v > 5, &1)
      assert Enum.any?(Enum.concat(Enum.map(workers, &Enum.to_list/1)), bad?)
      fails? = fn ops -> Enum.any?(Enum.concat(ops), bad?) end

      {:ok, shrunk, info} = G.shrink(workers, fails?)
      ops = Enum.concat(Enum.map(shrunk, &Enum.to_list/1))
      assert [%Keyed{key: 9, op: {:write, _}}] = ops
      # First call, one per key, then a few chunk calls on key 9's 10 ops.
      assert info.calls <= length(keys) + 20, inspect(info)
    end
  end

  describe "errors" do
    test "split/2 with workers not a multiple of concurrency names both" do
      gen = G.independent(template(), concurrency: 3)

      assert_raise ArgumentError, ~r/workers \(4\) .* concurrency \(3\)/, fn ->
        G.split(gen, 4)
      end

      assert_raise ArgumentError, ~r/workers \(0\)/, fn -> G.split(gen, 0) end

      assert_raise ArgumentError, ~r/unsplit, at its first op/, fn ->
        gen |> G.split(3) |> hd() |> G.split(3)
      end

      assert_raise ArgumentError, ~r/not cut by take\/2/, fn -> gen |> G.take(5) |> G.split(3) end
      assert_raise ArgumentError, ~r/at its first op/, fn -> gen |> G.drop(1) |> G.split(3) end
    end

    test "templates the engine cannot run, and bad options" do
      for t <- [
            G.filter(template(), &is_atom/1),
            G.map(template(), & &1),
            G.select(template(), [1])
          ] do
        assert_raise ArgumentError, ~r/template the engine runs natively/, fn ->
          G.independent(t)
        end
      end

      assert_raise ArgumentError, ~r/a generator as its template/, fn ->
        G.independent([:read])
      end

      assert_raise ArgumentError, ~r/keys:/, fn -> G.independent(template(), keys: []) end
      assert_raise ArgumentError, ~r/keys:/, fn -> G.independent(template(), keys: [1, 1]) end
      assert_raise ArgumentError, ~r/keys:/, fn -> G.independent(template(), keys: :all) end
      assert_raise ArgumentError, ~r/per_key/, fn -> G.independent(template(), per_key: -1) end

      assert_raise ArgumentError, ~r/concurrency/, fn ->
        G.independent(template(), concurrency: 0)
      end

      assert_raise ArgumentError, ~r/final:/, fn -> G.independent(template(), final: :read) end

      assert_raise ArgumentError, ~r/per_key: 9 is more than the template's 5 ops/, fn ->
        G.independent(G.take(template(), 5), per_key: 9)
      end

      rmix = G.mix([template(), G.cycle([:x])], strategy: :random, seed: 1)

      assert_raise ArgumentError,
                   ~r/per_key: 65537 is more than 65536 .* strategy: :random/,
                   fn ->
                     G.independent(rmix, per_key: 65_537)
                   end

      assert G.independent(rmix, per_key: 65_536).remaining == :infinity

      assert_raise ArgumentError, ~r/seed: 3 differs/, fn ->
        G.independent(template(), seed: 3)
      end

      assert_raise ArgumentError, ~r/:bogus/, fn -> G.independent(template(), bogus: 1) end
    end
  end
end
