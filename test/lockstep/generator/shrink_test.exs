defmodule Lockstep.Generator.ShrinkTest do
  # shrink/3: known answers, 1-minimality (removing each remaining op makes the
  # failure go away), determinism, cost, every kind of generator, the errors.
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  @pool [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}]

  defp workers(n, seed \\ 2), do: Workloads.register(seed: seed) |> G.take(n) |> G.split(3)

  defp lists(shrunk) when is_list(shrunk), do: Enum.map(shrunk, &Enum.to_list/1)
  defp lists(shrunk), do: Enum.to_list(shrunk)

  # `a` somewhere before a later `b`.
  defp pair?(ops, a, b), do: ops |> Enum.drop_while(&(&1 != a)) |> Enum.drop(1) |> Enum.member?(b)

  defp reads(ops), do: Enum.count(ops, &(&1 == :read))

  # Every op of the result is needed: dropping any one of them (in any worker)
  # makes fails? false.
  defp assert_one_minimal(ops_lists, fails?) when is_list(hd(ops_lists)) or ops_lists == [] do
    for {ops, w} <- Enum.with_index(ops_lists), p <- 0..(length(ops) - 1)//1 do
      smaller = List.replace_at(ops_lists, w, List.delete_at(ops, p))
      refute fails?.(smaller), "worker #{w} op #{p} (#{inspect(Enum.at(ops, p))}) is not needed"
    end
  end

  # `sub` is a subsequence of `ops`.
  defp subsequence?([], _ops), do: true
  defp subsequence?(_sub, []), do: false
  defp subsequence?([x | sub], [x | ops]), do: subsequence?(sub, ops)
  defp subsequence?(sub, [_ | ops]), do: subsequence?(sub, ops)

  defp assert_shrunk(gens, shrunk, fails?) do
    originals = Enum.map(gens, &Enum.to_list/1)
    kept = lists(shrunk)
    assert fails?.(kept)
    assert_one_minimal(kept, fails?)

    for {gen, sel, orig, ops} <- Enum.zip([gens, shrunk, originals, kept]) do
      assert sel.kind == :select and sel.children == [gen]
      assert subsequence?(ops, orig)
    end
  end

  describe "known answers" do
    test "a failure caused by one op pair in one worker" do
      gens = workers(300)
      fails? = fn [_, w1, _] -> pair?(w1, {:write, 4}, {:cas, 4, 1}) end
      {:ok, shrunk, info} = G.shrink(gens, fails?)

      assert lists(shrunk) == [[], [{:write, 4}, {:cas, 4, 1}], []]
      assert_shrunk(gens, shrunk, fails?)

      assert %{ops_before: 900, ops_after: 2, stopped_early: false} = info
      assert info.worker_ops_before == [300, 300, 300]
      assert info.worker_ops_after == [0, 2, 0]
      # Measured: 28 calls.
      assert info.calls <= 40
    end

    test "a counting failure: at least 5 reads in all" do
      gens = workers(300)
      fails? = fn ws -> reads(List.flatten(ws)) >= 5 end
      {:ok, shrunk, info} = G.shrink(gens, fails?)

      assert shrunk |> lists() |> List.flatten() == List.duplicate(:read, 5)
      assert_shrunk(gens, shrunk, fails?)
      assert info.ops_after == 5
      # Measured: 29 calls.
      assert info.calls <= 40
    end

    test "a failure spread over two workers" do
      gens = workers(300)
      fails? = fn [w0, _, w2] -> {:write, 5} in w0 and {:cas, 5, 1} in w2 end
      {:ok, shrunk, info} = G.shrink(gens, fails?)

      assert lists(shrunk) == [[{:write, 5}], [], [{:cas, 5, 1}]]
      assert_shrunk(gens, shrunk, fails?)
      assert info.worker_ops_after == [1, 0, 1]
      # Measured: 49 calls.
      assert info.calls <= 60
    end

    test "one generator in, one generator out; fails? gets a flat list" do
      gen = G.random(@pool, seed: 42) |> G.take(500)
      fails? = fn ops -> pair?(ops, {:cas, 1, 2}, {:write, 1}) end
      {:ok, shrunk, info} = G.shrink(gen, fails?)

      assert %G{kind: :select, children: [^gen]} = shrunk
      assert Enum.to_list(shrunk) == [{:cas, 1, 2}, {:write, 1}]
      assert_shrunk([gen], [shrunk], fn [ops] -> fails?.(ops) end)
      assert {info.ops_before, info.ops_after} == {500, 2}
    end

    test "a fails? that is not monotone still ends 1-minimal" do
      # An odd number of reads, at least 3: removing two reads at once keeps
      # failing, removing one does not.
      fails? = fn ws -> (n = reads(List.flatten(ws))) >= 3 and rem(n, 2) == 1 end
      gens = Enum.find(Enum.map(1..20, &workers(300, &1)), &fails?.(lists(&1)))
      {:ok, shrunk, _info} = G.shrink(gens, fails?)
      assert shrunk |> lists() |> List.flatten() == [:read, :read, :read]
      assert_shrunk(gens, shrunk, fails?)
    end
  end

  test "a later removal that lets an earlier op go is followed up (level 1 to a fixpoint)" do
    # Failing workloads, exactly: after 2 and then 4 go, 1 can go too.
    failing = [[1, 2, 3, 4], [1, 3, 4], [1, 3], [3]]
    gen = G.take(G.cycle([1, 2, 3, 4]), 4)
    {:ok, shrunk, info} = G.shrink(gen, &(&1 in failing))
    assert Enum.to_list(shrunk) == [3]
    assert_one_minimal([[3]], fn [ops] -> ops in failing end)
    # 1 (input) + 1 (level 4) + 2 (level 2) + 4 + 2 (level 1, twice; the third
    # pass finds its one try, dropping 3, already made) + 1 (the re-check).
    assert info.calls == 11
    assert info.rechecked
  end

  test "a failure that depends on the round-robin interleaving shrinks to its two ops" do
    # Worker 0's write of v runs right before worker 1's cas of v: the two
    # must keep the same position in their lists, so ops before them have to
    # go from both workers at once.
    interleave = fn [w0, w1] ->
      for i <- 0..(max(length(w0), length(w1)) - 1)//1,
          {ops, w} <- [{w0, 0}, {w1, 1}],
          i < length(ops),
          do: {w, Enum.at(ops, i)}
    end

    fails? = fn ws ->
      ws
      |> interleave.()
      |> Enum.chunk_every(2, 1)
      |> Enum.any?(&match?([{0, {:write, v}}, {1, {:cas, v, _}}], &1))
    end

    gens = Workloads.register(seed: 5) |> G.take(300) |> G.split(2)
    assert fails?.(lists(gens))
    {:ok, shrunk, info} = G.shrink(gens, fails?)
    assert [[{:write, v}], [{:cas, v, _}]] = lists(shrunk)
    assert_shrunk(gens, shrunk, fails?)
    # Measured: 54 calls (without the removals from both workers at once it
    # stops at 9 ops).
    assert info.calls <= 70
  end

  describe "cost" do
    test "calls grow about logarithmically with the input" do
      fails? = fn [_, w1, _] -> pair?(w1, {:write, 4}, {:cas, 4, 1}) end
      {:ok, _, small} = G.shrink(workers(300), fails?)
      {:ok, _, large} = G.shrink(workers(3000), fails?)
      {:ok, large_shrunk, _} = G.shrink(workers(3000), fails?)
      assert lists(large_shrunk) == [[], [{:write, 4}, {:cas, 4, 1}], []]
      # Measured: 28 calls for 3 x 300 ops, 38 for 3 x 3000.
      assert large.calls - small.calls <= 4 * :math.log2(10) * 2
    end

    test "calls grow about linearly with the size of the result" do
      gens = workers(300)

      calls =
        for k <- [5, 10, 20] do
          fails? = fn ws -> reads(List.flatten(ws)) >= k end
          {:ok, shrunk, info} = G.shrink(gens, fails?)
          assert info.ops_after == k
          assert_shrunk(gens, shrunk, fails?)
          info.calls
        end

      # At most ~ 2 calls per kept op per halving level (log2 of 512 = 9).
      for {c, k} <- Enum.zip(calls, [5, 10, 20]), do: assert(c <= 2 * k * 9, inspect(calls))
    end

    test ":max_calls bounds the calls; the best workload so far is returned" do
      gens = workers(300)
      fails? = fn ws -> reads(List.flatten(ws)) >= 5 end

      for max <- [1, 2, 10, 20] do
        {:ok, shrunk, info} = G.shrink(gens, fails?, max_calls: max)
        assert info.calls == max
        assert info.stopped_early
        assert fails?.(lists(shrunk))
      end

      {:ok, shrunk, info} = G.shrink(gens, fails?, max_calls: 1)
      assert lists(shrunk) == lists(gens) and info.ops_after == 900

      {:ok, _, full} = G.shrink(gens, fails?)
      {:ok, _, enough} = G.shrink(gens, fails?, max_calls: full.calls)
      refute enough.stopped_early
    end
  end

  # A result as data: the ops, the positions kept, the info (the generators
  # themselves hold NIF table references, new for every construction).
  defp summary({:ok, shrunk, info}), do: {lists(shrunk), Enum.map(shrunk, & &1.engine), info}

  test "deterministic: the same inputs give the same result, calls and info" do
    fails? = fn ws -> reads(List.flatten(ws)) >= 5 end
    first = G.shrink(workers(300), fails?)
    assert summary(G.shrink(workers(300), fails?)) == summary(first)
    copy = workers(300) |> :erlang.term_to_binary() |> :erlang.binary_to_term()
    assert summary(G.shrink(copy, fails?)) == summary(first)
    # Shrinking the result again changes nothing.
    {:ok, shrunk, _} = first
    {:ok, again, info} = G.shrink(shrunk, fails?)
    assert lists(again) == lists(shrunk) and info.ops_after == 5
  end

  test "the shrunk workload is plain data that replays: term_to_binary, inspect" do
    gens = workers(300)
    fails? = fn [_, w1, _] -> pair?(w1, {:write, 4}, {:cas, 4, 1}) end
    {:ok, [_, w1, _], _} = G.shrink(gens, fails?)

    assert w1 |> :erlang.term_to_binary() |> :erlang.binary_to_term() |> Enum.to_list() ==
             Enum.to_list(w1)

    %{indices: indices} = w1.engine
    assert length(indices) == 2
    assert inspect(w1) =~ "#Lockstep.Generator<select indices: #{inspect(indices)} of: "
    assert Enum.to_list(G.select(Enum.at(gens, 1), indices)) == [{:write, 4}, {:cas, 4, 1}]
  end

  describe "every kind of generator" do
    defp kinds do
      finite = fn gen -> G.take(gen, 200) end

      [
        random: finite.(G.random(@pool, seed: 42)),
        weighted: finite.(G.weighted([read: 3, write: 1, del: 2], seed: 7)),
        cycle: finite.(G.cycle([:a, :b, :c, :d, :e])),
        mix: G.mix([finite.(G.random(@pool, seed: 1)), G.cycle([:x, :y])]),
        mix_all:
          G.mix([G.take(G.random(@pool, seed: 2), 50), G.take(G.cycle([:x, :y]), 150)],
            until: :all
          ),
        random_mix:
          G.mix([G.take(G.random(@pool, seed: 3), 100), G.take(G.cycle([:x, :y]), 100)],
            strategy: :random,
            seed: 4
          ),
        concat: G.concat([G.take(G.cycle([:setup]), 3), finite.(G.random(@pool, seed: 5))]),
        zip: finite.(G.zip([G.cycle([:w]), G.integers(1..20, seed: 6)])),
        integers: finite.(G.integers(1..50, seed: 8)),
        zipf: finite.(G.zipf(30, seed: 9)),
        map: G.map(finite.(G.integers(1..10, seed: 10)), &{:write, &1}),
        filter: G.filter(finite.(G.integers(1..10, seed: 11)), &(rem(&1, 2) == 0)),
        register: finite.(Workloads.register(seed: 12)),
        bank: finite.(Workloads.bank(seed: 13)),
        list_append: finite.(Workloads.list_append(seed: 14)),
        select: G.select(G.random(@pool, seed: 15), Enum.to_list(0..600//3))
      ]
    end

    test "each kind shrinks to the pair that fails, as a selection of it" do
      for {name, gen} <- kinds() do
        ops = Enum.to_list(gen)
        assert length(ops) >= 100, "#{name}"
        # The pair: op 37 before op 90 (both ops of this very generator).
        {a, b} = {Enum.at(ops, 37), Enum.at(ops, 90)}
        fails? = fn ops -> pair?(ops, a, b) end
        {:ok, shrunk, info} = G.shrink(gen, fails?)

        assert Enum.to_list(shrunk) == [a, b], "#{name}"
        assert_shrunk([gen], [shrunk], fn [ops] -> fails?.(ops) end)
        assert info.ops_before == length(ops) and info.ops_after == 2, "#{name}"
        assert info.calls <= 40, "#{name}: #{info.calls} calls"
      end
    end

    test "mixed kinds as workers" do
      gens = Keyword.values(kinds())
      a = gens |> Enum.at(3) |> Enum.at(10)
      b = gens |> Enum.at(12) |> Enum.at(150)

      fails? = fn ws -> a in Enum.at(ws, 3) and b in Enum.at(ws, 12) end
      {:ok, shrunk, info} = G.shrink(gens, fails?)
      kept = lists(shrunk)
      assert Enum.at(kept, 3) == [a] and Enum.at(kept, 12) == [b]
      assert info.ops_after == 2
      assert_shrunk(gens, shrunk, fails?)
    end
  end

  describe "errors" do
    test "fails? false for the input" do
      error = assert_raise ArgumentError, fn -> G.shrink(workers(10), fn _ -> false end) end

      assert error.message =~ "fails? returned false for the input"
    end

    test "an infinite generator" do
      infinite = G.random(@pool, seed: 1)

      error = assert_raise ArgumentError, fn -> G.shrink(infinite, fn _ -> true end) end
      assert error.message =~ "gens is infinite"

      for bad <- [
            [G.take(infinite, 10), infinite],
            [G.take(infinite, 10), G.mix([infinite, G.cycle([:x])])],
            [G.take(infinite, 10), G.filter(infinite, &(&1 == :read))]
          ] do
        error = assert_raise ArgumentError, fn -> G.shrink(bad, fn _ -> true end) end
        assert error.message =~ "generator 1 of gens is infinite", error.message
      end
    end

    test "generators longer than :max_ops" do
      gen = G.take(G.random(@pool, seed: 1), 2000)
      error = assert_raise ArgumentError, fn -> G.shrink(gen, fn _ -> true end, max_ops: 1000) end
      assert error.message =~ "gens has 2000 ops, more than :max_ops (1000)"

      # A concat whose first phase never ends is known to be infinite.
      endless = G.concat([G.random(@pool, seed: 1), G.take(G.cycle([:x]), 3)])

      error =
        assert_raise ArgumentError, fn -> G.shrink(endless, fn _ -> true end, max_ops: 1000) end

      assert error.message =~ "gens is infinite (bound it with take/2)"

      # Not known ahead: a random mix that ends with a long child is run up
      # to :max_ops + 1 ops.
      endless =
        G.mix([G.random(@pool, seed: 1), G.take(G.cycle([:x]), 100_000)],
          strategy: :random,
          seed: 2
        )

      error =
        assert_raise ArgumentError, fn -> G.shrink(endless, fn _ -> true end, max_ops: 1000) end

      assert error.message =~ "more than :max_ops (1000) ops; is it infinite?"
    end

    test "gens that are not a generator or a non-empty list of them" do
      for bad <- [:gen, [], [G.cycle([:a]) |> G.take(3), :x], %{kind: :random}, nil] do
        error = assert_raise ArgumentError, fn -> G.shrink(bad, fn _ -> true end) end
        assert error.message =~ "shrink/3 expects gens to be a generator or a non-empty list"
      end
    end

    test "a fails? that is not a function of arity 1, and bad options" do
      gen = G.take(G.cycle([:a]), 3)
      error = assert_raise ArgumentError, fn -> G.shrink(gen, fn _, _ -> true end) end
      assert error.message =~ "fails? to be a function of arity 1"

      for {opts, msg} <- [
            {[max_calls: 0], ":max_calls"},
            {[max_calls: :lots], ":max_calls"},
            {[max_ops: -1], ":max_ops"},
            {[bogus: 1], "unknown option :bogus"},
            {:fast, "keyword list"}
          ] do
        error = assert_raise ArgumentError, fn -> G.shrink(gen, fn _ -> true end, opts) end
        assert error.message =~ msg, inspect(opts)
      end
    end

    test "exceptions raised by fails? propagate" do
      assert_raise RuntimeError, "boom", fn ->
        G.shrink(G.take(G.cycle([:a]), 3), fn _ -> raise "boom" end)
      end
    end
  end

  test "a failure that needs no ops is an error, not an empty result" do
    empty = G.take(G.cycle([:a]), 0)

    assert {:error, :fails_without_ops, %{calls: 2, ops_after: 0}} =
             G.shrink(empty, fn _ -> true end)

    {:error, :fails_without_ops, info} = G.shrink(workers(100), fn _ -> true end)
    assert info.ops_after == 0 and info.worker_ops_after == [0, 0, 0]
    assert info.rechecked
  end

  test "a flaky fails? is reported after the result is checked again" do
    # A failure that happens once per candidate (as a race might): the
    # search believes every removal, the re-check of the result passes.
    flaky = fn ops ->
      seen = Process.get(:seen, MapSet.new())
      Process.put(:seen, MapSet.put(seen, ops))
      Process.put(:calls, Process.get(:calls, 0) + 1)
      not MapSet.member?(seen, ops)
    end

    assert {:error, :flaky, info} = G.shrink(G.take(G.cycle([:a, :b]), 40), flaky)
    refute info.rechecked
    assert info.calls == Process.get(:calls)

    # Random answers, any seed: never passed off as a shrunk failure.
    for seed <- 1..20 do
      :rand.seed(:exsss, seed)
      gen = G.take(G.cycle([:a, :b, :c]), 30)
      whole = Enum.to_list(gen)
      fails? = fn ops -> ops == whole or :rand.uniform(2) == 1 end

      case G.shrink(gen, fails?) do
        {:ok, shrunk, info} ->
          assert info.rechecked and Enum.to_list(shrunk) != []

        {:error, reason, _info} ->
          assert reason in [:flaky, :fails_without_ops]
      end
    end
  end

  describe "pass: :generators" do
    test "fails? gets selections, empty ones included; same result as on ops" do
      gens = workers(120)
      fails_on_ops = fn ws -> reads(List.flatten(ws)) >= 3 end
      seen = :ets.new(:seen, [:public, :bag])

      fails_on_gens = fn ws ->
        assert length(ws) == 3
        Enum.each(ws, &:ets.insert(seen, {:kind, &1.kind, Enum.count(&1)}))
        fails_on_ops.(Enum.map(ws, &Enum.to_list/1))
      end

      {:ok, by_ops, info_ops} = G.shrink(gens, fails_on_ops)
      {:ok, by_gens, info_gens} = G.shrink(gens, fails_on_gens, pass: :generators)
      assert lists(by_gens) == lists(by_ops)
      assert info_gens == info_ops
      kinds = :ets.lookup(seen, :kind)
      assert Enum.all?(kinds, &match?({:kind, :select, _}, &1))
      assert Enum.any?(kinds, &match?({:kind, :select, 0}, &1))
    end

    test "a worker written around next/1 runs the candidates as they are" do
      gen = G.random([:read, {:write, 1}], seed: 3) |> G.take(50)

      run = fn gen, loop ->
        case G.next(gen) do
          :done -> []
          {op, gen} -> [op | loop.(gen, loop)]
        end
      end

      fails? = fn gen -> Enum.count(run.(gen, run), &(&1 == :read)) >= 2 end
      assert {:ok, %G{kind: :select} = shrunk, _} = G.shrink(gen, fails?, pass: :generators)
      assert Enum.to_list(shrunk) == [:read, :read]
    end
  end

  test "info prints as what it holds" do
    {:ok, _, info} = G.shrink(G.take(G.cycle([:read, :write]), 130), &(:read in &1))
    assert info.worker_ops_before == [130]
    assert inspect(info) =~ "worker_ops_before: [130]"

    info = %{info | worker_ops_before: [60, 60, 60]}
    assert inspect(info) =~ "worker_ops_before: [60, 60, 60]"
  end

  test "bad :pass" do
    error =
      assert_raise ArgumentError, fn ->
        G.shrink(G.take(G.cycle([:a]), 3), fn _ -> true end, pass: :lists)
      end

    assert error.message =~ "shrink/3 expects :pass to be :ops or :generators, got: :lists"
  end
end
