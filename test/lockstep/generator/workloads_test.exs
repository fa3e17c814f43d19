defmodule Lockstep.Generator.WorkloadsTest do
  # Lockstep.Generator.Workloads: register/1, bank/1, list_append/1.
  use ExUnit.Case, async: true

  import Bitwise
  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  doctest Workloads

  # Chi-squared critical values at p = 0.001, by degrees of freedom (fixed
  # seeds: deterministic tests; the bound is what a correct sampler passes with
  # probability 0.999 for a random seed).
  @chi2 %{1 => 10.83, 2 => 13.82, 3 => 16.27, 4 => 18.47, 7 => 24.32, 11 => 31.26}

  @two64 1 <<< 64

  defp expected(weights, total) do
    sum = weights |> Map.values() |> Enum.sum()
    Map.new(weights, fn {k, w} -> {k, total * w / sum} end)
  end

  defp assert_chi2(counts, weights, df) do
    total = counts |> Map.values() |> Enum.sum()
    chi2 = chi_squared(counts, expected(weights, total))
    assert chi2 < @chi2[df], "chi2 #{chi2} (df #{df}): #{inspect(counts)}"
  end

  defp assert_forkable(gen) do
    f1 = walk(G.fork(gen, 1), 300)
    assert walk(G.fork(gen, 1), 300) == f1
    assert G.fork(gen, 1) |> G.take(300) |> reduce_list() == f1
    # split/2 is fork/2 plus list_append's own share of the values.
    assert Enum.at(G.split(gen, 3), 1) |> walk(300) ==
             G.fork(gen, 1) |> Lockstep.Generator.Unique.spread(3, 1) |> walk(300)

    refute walk(G.fork(gen, 2), 300) == f1
    refute walk(gen, 300) == f1
    f1
  end

  # ---------------------------------------------------------------------------
  describe "register/1" do
    defp register_op?(op, values) do
      case op do
        :read -> true
        {:write, v} -> v in values
        {:cas, old, new} -> old in values and new in values
        _ -> false
      end
    end

    defp register_kind(:read), do: :read
    defp register_kind(op) when is_tuple(op), do: elem(op, 0)

    test "ops are :read, {:write, v}, {:cas, old, new} with values from :values" do
      for {values, seed} <- [{1..5, 1}, {3..7, 2}, {-2..0, 3}, {9..9, 4}] do
        ops = Workloads.register(seed: seed, values: values) |> Enum.take(20_000)
        assert Enum.all?(ops, &register_op?(&1, values)), "#{inspect(values)}"

        writes = for {:write, v} <- ops, do: v
        olds = for {:cas, o, _} <- ops, do: o
        news = for {:cas, _, n} <- ops, do: n
        assert MapSet.new(writes) == MapSet.new(values)
        assert MapSet.new(olds) == MapSet.new(values)
        assert MapSet.new(news) == MapSet.new(values)
      end

      # Default values: 1..5.
      ops = Workloads.register(seed: 5) |> Enum.take(5000)
      assert Enum.all?(ops, &register_op?(&1, 1..5))
    end

    test "written values are uniform over :values" do
      ops = Workloads.register(seed: 6, values: 1..5) |> Enum.take(60_000)
      counts = Enum.frequencies(for {:write, v} <- ops, do: v)
      assert_chi2(counts, Map.new(1..5, &{&1, 1}), 4)
    end

    test "kinds follow the :mix weights (chi-squared); missing kinds have weight 0" do
      gen = Workloads.register(seed: 7, mix: [read: 1, write: 2, cas: 5])

      counts =
        gen
        |> G.take(80_000)
        |> G.reduce(%{}, &Map.update(&2, register_kind(&1), 1, fn n -> n + 1 end))

      assert_chi2(counts, %{read: 1, write: 2, cas: 5}, 2)

      counts =
        Workloads.register(seed: 8) |> Enum.take(30_000) |> Enum.frequencies_by(&register_kind/1)

      assert_chi2(counts, %{read: 1, write: 1, cas: 1}, 2)

      ops = Workloads.register(seed: 9, mix: [read: 1, write: 1]) |> Enum.take(5000)
      assert ops |> Enum.map(&register_kind/1) |> Enum.uniq() |> Enum.sort() == [:read, :write]

      ops = Workloads.register(seed: 9, mix: [cas: 3, read: 0]) |> Enum.take(1000)
      assert Enum.all?(ops, &match?({:cas, _, _}, &1))
    end

    test "deterministic by seed; seeds differ" do
      assert walk(Workloads.register(seed: 10), 1000) == walk(Workloads.register(seed: 10), 1000)

      assert Enum.take(Workloads.register(seed: {:iter, 3}), 1000) ==
               Enum.take(Workloads.register(seed: {:iter, 3}), 1000)

      refute walk(Workloads.register(seed: 10), 1000) == walk(Workloads.register(seed: 11), 1000)
    end

    test "forkable" do
      ops = assert_forkable(Workloads.register(seed: 12, values: 1..3))
      assert Enum.all?(ops, &register_op?(&1, 1..3))
    end

    test "errors are ArgumentErrors naming the option" do
      for mix <- [
            [bogus: 1],
            [read: 0, write: 0, cas: 0],
            [read: -1, write: 1],
            [read: 1.0],
            :x,
            []
          ] do
        assert_raise ArgumentError, ~r/register\/1 expects :mix/, fn ->
          Workloads.register(mix: mix)
        end
      end

      assert_raise ArgumentError, ~r/unknown option :bogus/, fn ->
        Workloads.register(bogus: 1)
      end

      assert_raise ArgumentError, ~r/keyword/, fn -> Workloads.register(:seed) end
      # Bad values fail at construction.
      assert_raise ArgumentError, fn -> Workloads.register(values: :foo) end
      assert_raise ArgumentError, fn -> Workloads.register(values: 5..1//1) end
    end

    test "bad :values is an ArgumentError naming register/1 and :values" do
      for values <- [:foo, 5..1//1, 1..9//2, [1, 2]] do
        assert_raise ArgumentError, ~r/register\/1.*:values/, fn ->
          Workloads.register(values: values)
        end
      end
    end
  end

  # ---------------------------------------------------------------------------
  describe "bank/1" do
    defp transfer_ok?(op, accounts, max) do
      case op do
        :read ->
          true

        {:transfer, from, to, amount} ->
          from in 0..(accounts - 1) and to in 0..(accounts - 1) and from != to and
            amount in 1..max

        _ ->
          false
      end
    end

    test "ops are :read and {:transfer, from, to, amount} with from != to" do
      for {accounts, max, seed} <- [{2, 1, 1}, {4, 10, 2}, {6, 9, 3}, {5, 5, 4}] do
        ops =
          Workloads.bank(seed: seed, accounts: accounts, max_transfer: max) |> Enum.take(20_000)

        assert Enum.all?(ops, &transfer_ok?(&1, accounts, max)),
               "#{accounts} accounts, max #{max}"

        transfers = for {:transfer, f, t, a} <- ops, do: {f, t, a}
        assert MapSet.new(transfers, &elem(&1, 0)) == MapSet.new(0..(accounts - 1))
        assert MapSet.new(transfers, &elem(&1, 1)) == MapSet.new(0..(accounts - 1))
        assert MapSet.new(transfers, &elem(&1, 2)) == MapSet.new(1..max)
        assert Enum.member?(ops, :read)
      end

      # Defaults: 5 accounts, amounts up to 5.
      assert Workloads.bank(seed: 5) |> Enum.take(5000) |> Enum.all?(&transfer_ok?(&1, 5, 5))
    end

    test "(from, to) pairs and amounts are uniform" do
      ops = Workloads.bank(seed: 6, accounts: 4, max_transfer: 5) |> Enum.take(60_000)
      transfers = for {:transfer, f, t, a} <- ops, do: {f, t, a}

      pairs = Enum.frequencies_by(transfers, fn {f, t, _} -> {f, t} end)
      assert map_size(pairs) == 12
      assert_chi2(pairs, Map.new(Map.keys(pairs), &{&1, 1}), 11)

      amounts = Enum.frequencies_by(transfers, &elem(&1, 2))
      assert_chi2(amounts, Map.new(1..5, &{&1, 1}), 4)
    end

    test ":mix weights are respected" do
      kind = fn
        :read -> :read
        {:transfer, _, _, _} -> :transfer
      end

      counts =
        Workloads.bank(seed: 7, mix: [transfer: 3, read: 1])
        |> Enum.take(40_000)
        |> Enum.frequencies_by(kind)

      assert_chi2(counts, %{transfer: 3, read: 1}, 1)

      counts = Workloads.bank(seed: 8) |> Enum.take(40_000) |> Enum.frequencies_by(kind)
      assert_chi2(counts, %{transfer: 1, read: 1}, 1)

      assert Workloads.bank(seed: 9, mix: [transfer: 1])
             |> Enum.take(2000)
             |> Enum.all?(&(&1 != :read))

      assert Workloads.bank(seed: 9, mix: [read: 1, transfer: 0])
             |> Enum.take(2000)
             |> Enum.all?(&(&1 == :read))
    end

    test "deterministic by seed, and forkable" do
      assert walk(Workloads.bank(seed: 10), 1000) == walk(Workloads.bank(seed: 10), 1000)
      refute walk(Workloads.bank(seed: 10), 1000) == walk(Workloads.bank(seed: 11), 1000)
      ops = assert_forkable(Workloads.bank(seed: 12, accounts: 3))
      assert Enum.all?(ops, &transfer_ok?(&1, 3, 5))
    end

    test "errors are ArgumentErrors naming the option" do
      for accounts <- [0, -1, 1.5, :a] do
        assert_raise ArgumentError, ~r/:accounts/, fn -> Workloads.bank(accounts: accounts) end
      end

      assert_raise ArgumentError, ~r/:accounts/, fn -> Workloads.bank(accounts: 1) end

      for max <- [0, -3, 2.0, nil] do
        assert_raise ArgumentError, ~r/:max_transfer/, fn -> Workloads.bank(max_transfer: max) end
      end

      for mix <- [[bogus: 1], [transfer: 0, read: 0], [read: -1], :x] do
        assert_raise ArgumentError, ~r/bank\/1 expects :mix/, fn -> Workloads.bank(mix: mix) end
      end

      assert_raise ArgumentError, ~r/unknown option :values/, fn ->
        Workloads.bank(values: 1..3)
      end
    end

    test "out-of-range :accounts / :max_transfer fail at construction, naming the option" do
      # Today these build, and the first read raises "invalid generator:
      # malformed plan: max_amount" (or "accounts").
      assert_raise ArgumentError, ~r/:max_transfer/, fn ->
        Workloads.bank(max_transfer: @two64)
      end

      assert_raise ArgumentError, ~r/:accounts/, fn -> Workloads.bank(accounts: @two64) end
    end
  end

  # ---------------------------------------------------------------------------
  describe "list_append/1" do
    # Appends of `ops` as {key, value}.
    defp appends(ops), do: for(txn <- ops, [:append, k, v] <- txn, do: {k, v})

    defp micro_keys(ops), do: for(txn <- ops, [_, k, _] <- txn, do: k)

    defp assert_txns(ops, keys, max_len) do
      for txn <- ops do
        assert is_list(txn) and txn != [] and length(txn) <= max_len, inspect(txn)

        for micro <- txn do
          assert match?(
                   [:append, k, v] when k in 0..(keys - 1) and is_integer(v) and v > 0,
                   micro
                 ) or
                   match?([:r, k, nil] when k in 0..(keys - 1), micro),
                 "bad micro-op #{inspect(micro)} in #{inspect(txn)}"
        end
      end
    end

    test "ops are non-empty transactions of [:append, k, v] / [:r, k, nil]" do
      for {keys, max_len, seed} <- [{1, 1, 1}, {5, 4, 2}, {3, 2, 3}, {8, 10, 4}] do
        ops =
          Workloads.list_append(seed: seed, keys: keys, max_txn_length: max_len)
          |> Enum.take(10_000)

        assert_txns(ops, keys, max_len)
        assert MapSet.new(ops, &length/1) == MapSet.new(1..max_len)
        assert MapSet.new(micro_keys(ops)) == MapSet.new(0..(keys - 1))
      end

      # Defaults: 8 keys, transactions of up to 4 micro-ops.
      assert_txns(Workloads.list_append(seed: 5) |> Enum.take(5000), 8, 4)
    end

    test "appended values follow (i·max_txn_length + j)·workers + worker + 1" do
      ops =
        Workloads.list_append(seed: 6, keys: 3, max_txn_length: 3, workers: 5, worker: 2)
        |> Enum.take(2000)

      for {txn, i} <- Enum.with_index(ops), {[kind, _k, v], j} <- Enum.with_index(txn) do
        if kind == :append, do: assert(v == (i * 3 + j) * 5 + 2 + 1)
      end
    end

    test "transaction lengths and micro-op kinds follow the options" do
      ops =
        Workloads.list_append(seed: 7, max_txn_length: 4, mix: [read: 1, append: 3])
        |> Enum.take(40_000)

      assert_chi2(Enum.frequencies_by(ops, &length/1), Map.new(1..4, &{&1, 1}), 3)

      kinds = Enum.frequencies(for txn <- ops, [kind | _] <- txn, do: kind)
      assert_chi2(kinds, %{r: 1, append: 3}, 1)

      only_appends = Workloads.list_append(seed: 8, mix: [append: 1]) |> Enum.take(2000)
      assert Enum.all?(only_appends, fn txn -> Enum.all?(txn, &match?([:append | _], &1)) end)
      only_reads = Workloads.list_append(seed: 8, mix: [read: 2, append: 0]) |> Enum.take(2000)
      assert Enum.all?(only_reads, fn txn -> Enum.all?(txn, &match?([:r, _, nil], &1)) end)
    end

    test "appended values are unique per key within one generator (100k ops)" do
      gen = Workloads.list_append(seed: 9, keys: 4, max_txn_length: 4) |> G.take(100_000)

      {count, set} =
        G.reduce(gen, {0, MapSet.new()}, fn txn, acc ->
          Enum.reduce(txn, acc, fn
            [:append, k, v], {n, set} -> {n + 1, MapSet.put(set, {k, v})}
            _, acc -> acc
          end)
        end)

      assert count > 50_000
      assert MapSet.size(set) == count
    end

    test "four workers' appended values never collide (with and without forks)" do
      for fork? <- [true, false] do
        all =
          Enum.flat_map(0..3, fn w ->
            gen = Workloads.list_append(seed: 10, keys: 3, workers: 4, worker: w)
            gen = if fork?, do: G.fork(gen, w), else: gen
            pairs = gen |> Enum.take(8000) |> appends()
            assert Enum.all?(pairs, fn {_k, v} -> rem(v - 1, 4) == w end)
            pairs
          end)

        assert length(all) > 10_000
        assert length(Enum.uniq(all)) == length(all), "fork? #{fork?}"
      end

      # split/2 gives per-worker streams too, when each worker is given its index.
      forks = G.split(Workloads.list_append(seed: 11, workers: 2, worker: 0), 2)
      refute walk(Enum.at(forks, 0), 100) == walk(Enum.at(forks, 1), 100)
    end

    test "key_dist: zipf makes key 0 the hottest; :uniform is uniform" do
      ops = Workloads.list_append(seed: 12, keys: 8) |> Enum.take(20_000)
      counts = Enum.frequencies(micro_keys(ops))
      {hottest, _} = Enum.max_by(counts, &elem(&1, 1))
      assert hottest == 0
      # Default skew 1.0: P(key k) ∝ 1/(k + 1).
      assert_chi2(counts, Map.new(0..7, &{&1, 1 / (&1 + 1)}), 7)

      ops = Workloads.list_append(seed: 13, keys: 8, key_dist: {:zipf, 2.0}) |> Enum.take(20_000)
      counts = Enum.frequencies(micro_keys(ops))
      assert_chi2(counts, Map.new(0..7, &{&1, 1 / :math.pow(&1 + 1, 2)}), 7)

      ops = Workloads.list_append(seed: 14, keys: 8, key_dist: :uniform) |> Enum.take(20_000)
      assert_chi2(Enum.frequencies(micro_keys(ops)), Map.new(0..7, &{&1, 1}), 7)
    end

    test "deterministic by seed, and forkable" do
      gen = Workloads.list_append(seed: 15)
      assert walk(gen, 1000) == walk(Workloads.list_append(seed: 15), 1000)
      refute walk(gen, 1000) == walk(Workloads.list_append(seed: 16), 1000)
      ops = assert_forkable(gen)
      assert_txns(ops, 8, 4)
    end

    test "errors are ArgumentErrors naming the option" do
      bad = [
        keys: [0, -1, :a, 2.0],
        max_txn_length: [0, 1025, :a],
        workers: [0, -2, nil],
        key_dist: [:zipf, :foo, {:zipf, -1.0}, {:zipf, :a}, {:exp, 1.0}],
        mix: [[bogus: 1], [read: 0, append: 0], [read: -1], :x]
      ]

      for {opt, values} <- bad, value <- values do
        assert_raise ArgumentError, ~r/list_append\/1.*#{inspect(opt)}/, fn ->
          Workloads.list_append([{opt, value}])
        end
      end

      for {workers, worker} <- [{4, 4}, {1, 1}, {4, -1}, {4, :a}, {2, 1.0}] do
        assert_raise ArgumentError, ~r/list_append\/1.*:worker/, fn ->
          Workloads.list_append(workers: workers, worker: worker)
        end
      end

      assert_raise ArgumentError, ~r/unknown option :accounts/, fn ->
        Workloads.list_append(accounts: 3)
      end

      assert_raise ArgumentError, ~r/keyword/, fn -> Workloads.list_append(:x) end

      # Edges that are fine.
      assert [[_ | _] | _] = Workloads.list_append(seed: 1, max_txn_length: 1024) |> Enum.take(2)
      assert [_] = Workloads.list_append(seed: 1, key_dist: {:zipf, 0}) |> Enum.take(1)
    end

    test "out-of-range numeric options fail at construction, naming the option" do
      # Today these build, and the first read raises "invalid generator:
      # malformed plan: ..." (or, for weights summing past 2^64 - 1, "list_append
      # weights are all zero").
      cases = [
        keys: [keys: @two64],
        workers: [workers: @two64, worker: 0],
        mix: [mix: [read: @two64, append: 1]],
        mix: [mix: [read: 1 <<< 63, append: 1 <<< 63]]
      ]

      for {opt, opts} <- cases do
        assert_raise ArgumentError, ~r/list_append\/1.*#{inspect(opt)}/, fn ->
          Workloads.list_append(opts)
        end
      end
    end

    test "a bignum zipf skew is an ArgumentError naming :key_dist" do
      assert_raise ArgumentError, ~r/:key_dist/, fn ->
        Workloads.list_append(key_dist: {:zipf, 1 <<< 2000})
      end
    end
  end

  # ---------------------------------------------------------------------------
  describe "inspect" do
    test "bank and list_append inspect short, with their seed" do
      for gen <- [
            Workloads.bank(seed: 4_294_967_295),
            Workloads.bank(),
            Workloads.list_append(seed: 4_294_967_295),
            Workloads.list_append()
          ] do
        text = inspect(gen)
        assert String.length(text) < 600, text
        assert text =~ "seed: #{inspect(gen.seed)}"
      end
    end

    test "register inspects short (< 600 chars)" do
      # The seed is repeated in each of the three children's value leaves.
      for gen <- [
            Workloads.register(seed: 1),
            Workloads.register(seed: 4_294_967_295),
            Workloads.register()
          ] do
        text = inspect(gen)
        assert String.length(text) < 600, "#{String.length(text)} chars: #{text}"
      end
    end
  end
end
