defmodule LockstepBench.FloorGen do
  @moduledoc false
  # Same field set as %Lockstep.Generator{} (read when this file is compiled,
  # i.e. on every bench run), so the floor's struct update copies as many
  # words as the real next/1 does, whatever shape lib/ currently has.
  @fields Lockstep.Generator
          |> struct(kind: nil)
          |> Map.from_struct()
          |> Map.keys()
          |> Kernel.++([:buf, :remaining])
          |> Enum.uniq()

  defstruct @fields
end

defmodule LockstepBench.FloorSmall do
  @moduledoc false
  # A minimal struct for the same floor: what next/1 would cost if the
  # generator struct were tiny.
  defstruct kind: nil, buf: [], remaining: :infinity
end

defmodule LockstepBench.Support do
  @moduledoc """
  Compiled helpers for `bench/run.exs` (not shipped).

  Everything that runs inside a timed region lives here, so that no
  interpreted (eval'd) closure is on the hot path: the callbacks handed to
  `each/2` and `reduce/3`, the `next/1` loops, the floors, and the
  per-measurement process that does setup, GC and `:timer.tc/3`.

  Setup functions return the argument list of the matching run function; run
  functions return the number of ops they consumed, which the harness checks
  against the expected count for both implementations.
  """

  alias Lockstep.Generator, as: G
  alias LockstepBench.Baseline, as: B

  @pool4 [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}]
  @weights4 [1, 2, 3, 4]

  def pool4, do: @pool4
  def weighted4, do: Enum.zip(@pool4, @weights4)

  @doc "A pool of `n` distinct ops (`n == 4` gives the standard 4-op pool)."
  def pool(4), do: @pool4
  def pool(n), do: for(i <- 1..n, do: {:write, i})

  def weighted_pool(n), do: Enum.zip(pool(n), 1..n)

  # ---------------------------------------------------------------- callbacks

  def noop(_op), do: :ok
  def count(_op, acc), do: acc + 1

  # ---------------------------------------------------------------- setups

  def setup_random(mod, pool_size, n), do: [mod.random(pool(pool_size), seed: 42) |> mod.take(n)]

  def setup_cycle(mod, n), do: [mod.cycle(@pool4) |> mod.take(n)]

  def setup_weighted(mod, 4, n), do: [mod.weighted(weighted4(), seed: 42) |> mod.take(n)]
  def setup_weighted(mod, k, n), do: [mod.weighted(weighted_pool(k), seed: 42) |> mod.take(n)]

  def setup_mix(mod, n) do
    gens = [
      mod.random(@pool4, seed: 1),
      mod.cycle(@pool4),
      mod.weighted(weighted4(), seed: 3)
    ]

    [mod.mix(gens) |> mod.take(n)]
  end

  @doc "An already-built list of `n` ops (same 4-op pool), for the each/2 floor."
  def setup_list(n) do
    [G.random(@pool4, seed: 42) |> G.take(n) |> G.reduce([], &[&1 | &2])]
  end

  @doc "The list of `setup_list/1` and its length (counted here, outside the timed region)."
  def setup_list_counted(n) do
    [ops] = setup_list(n)
    [ops, length(ops)]
  end

  @doc """
  The same `n` ops as 4096-op lists (each/2's chunk size) that stay in cache:
  one list walked `div(n, 4096)` times, then a tail list.
  """
  def setup_hot_list(n) do
    [ops] = setup_list(min(n, 4096))
    tail = Enum.take(ops, rem(n, 4096))
    [ops, div(n, 4096), tail, div(n, 4096) * length(ops) + length(tail)]
  end

  @doc "A floor generator (same keys as %Lockstep.Generator{}) whose buffer holds all `n` ops."
  def setup_floor_gen(n) do
    [ops] = setup_list(n)
    [struct(LockstepBench.FloorGen, kind: :random, buf: ops, remaining: n)]
  end

  @doc "The same with a 3-field struct."
  def setup_floor_small(n) do
    [ops] = setup_list(n)
    [%LockstepBench.FloorSmall{kind: :random, buf: ops, remaining: n}]
  end

  @doc "Number of keys (including __struct__) of %Lockstep.Generator{}."
  def generator_keys, do: map_size(struct(Lockstep.Generator, kind: nil))

  def setup_args(args), do: args

  # ---------------------------------------------------------------- new vocabulary
  #
  # `mod` is Lockstep.Generator or LockstepBench.Baseline; the workloads live
  # in Lockstep.Generator.Workloads for ours and in the baseline module itself.

  defp workloads(G), do: Lockstep.Generator.Workloads
  defp workloads(B), do: B

  @mix_weights [2, 1, 1]
  def mix_weights, do: @mix_weights

  def setup_integers(mod, n), do: [mod.integers(1..1000, seed: 1) |> mod.take(n)]

  def setup_zipf(mod, n), do: [mod.zipf(1000, skew: 1.0, seed: 1) |> mod.take(n)]

  @doc "mix(random, cycle, weighted) with strategy: :random, weights #{inspect(@mix_weights)}."
  def setup_mix_random(mod, n) do
    gens = [
      mod.random(@pool4, seed: 1),
      mod.cycle(@pool4),
      mod.weighted(weighted4(), seed: 3)
    ]

    [mod.mix(gens, strategy: :random, seed: 5, weights: @mix_weights) |> mod.take(n)]
  end

  def setup_register(mod, n), do: [workloads(mod).register(seed: 1) |> mod.take(n)]
  def setup_list_append(mod, n), do: [workloads(mod).list_append(seed: 1) |> mod.take(n)]
  def setup_bank(mod, n), do: [workloads(mod).bank(seed: 1) |> mod.take(n)]

  @doc "concat([take(random, n/2), take(cycle, n - n/2)]) (ours only)."
  def setup_concat(n) do
    h = div(n, 2)
    [G.concat([G.random(@pool4, seed: 42) |> G.take(h), G.cycle(@pool4) |> G.take(n - h)])]
  end

  @doc "zip([cycle([:write]), integers(1..100)]) (ours only)."
  def setup_zip(n) do
    [G.zip([G.cycle([:write]), G.integers(1..100, seed: 1)]) |> G.take(n)]
  end

  @doc "map(random, &{:w, &1}) (ours only; the mapped function is compiled, see tag_w/1)."
  def setup_map(n), do: [G.map(G.random(@pool4, seed: 42), &tag_w/1) |> G.take(n)]

  def tag_w(op), do: {:w, op}

  # ---------------------------------------------------------------- runs

  def each_base(gen), do: B.each(gen, &noop/1)
  def each_ours(gen), do: G.each(gen, &noop/1)

  def reduce_base(gen), do: B.reduce(gen, 0, &count/2)
  def reduce_ours(gen), do: G.reduce(gen, 0, &count/2)

  # The floors return the op count computed at setup (a length/1 here would
  # walk the list once more inside the timed region).
  def floor_each(list, count) do
    Enum.each(list, &noop/1)
    count
  end

  def floor_each_hot(chunk, full, tail, count) do
    floor_each_hot(chunk, full)
    Enum.each(tail, &noop/1)
    count
  end

  defp floor_each_hot(_chunk, 0), do: :ok

  defp floor_each_hot(chunk, k) do
    Enum.each(chunk, &noop/1)
    floor_each_hot(chunk, k - 1)
  end

  def next_base(gen), do: next_base(B.next(gen), 0)
  defp next_base(:done, count), do: count
  defp next_base({_op, gen}, count), do: next_base(B.next(gen), count + 1)

  def next_ours(gen), do: next_ours(G.next(gen), 0)
  defp next_ours(:done, count), do: count
  defp next_ours({_op, gen}, count), do: next_ours(G.next(gen), count + 1)

  # next/1-like loops that only pop a prefetched list and update a struct:
  # the least a pure next/1 returning {op, new_gen} can do per op.
  def next_floor(gen), do: next_floor(floor_next(gen), 0)
  defp next_floor(:done, count), do: count
  defp next_floor({_op, gen}, count), do: next_floor(floor_next(gen), count + 1)

  defp floor_next(%LockstepBench.FloorGen{remaining: 0}), do: :done

  defp floor_next(%LockstepBench.FloorGen{buf: [op | rest], remaining: r} = gen) do
    {op, %{gen | buf: rest, remaining: floor_dec(r)}}
  end

  def next_floor_small(gen), do: next_floor_small(floor_next_small(gen), 0)
  defp next_floor_small(:done, count), do: count
  defp next_floor_small({_op, gen}, count), do: next_floor_small(floor_next_small(gen), count + 1)

  defp floor_next_small(%LockstepBench.FloorSmall{remaining: 0}), do: :done

  defp floor_next_small(%LockstepBench.FloorSmall{buf: [op | rest], remaining: r} = gen) do
    {op, %{gen | buf: rest, remaining: floor_dec(r)}}
  end

  defp floor_dec(:infinity), do: :infinity
  defp floor_dec(n), do: n - 1

  @doc """
  The realistic workload: `iterations` x `workers` generators, each
  `random(pool, seed: phash2({i, w})) |> take(per) |> each(noop)`, construction
  included, repeated `inner` times (to lengthen the timed region).
  """
  def realistic_base(inner, iterations, workers, per),
    do: realistic(B, inner, iterations, workers, per)

  def realistic_ours(inner, iterations, workers, per),
    do: realistic(G, inner, iterations, workers, per)

  defp realistic(mod, inner, iterations, workers, per) do
    Enum.reduce(1..inner, 0, fn _, acc ->
      Enum.reduce(1..iterations, acc, fn i, acc ->
        Enum.reduce(1..workers, acc, fn w, acc ->
          acc +
            (mod.random(@pool4, seed: :erlang.phash2({i, w}))
             |> mod.take(per)
             |> mod.each(&noop/1))
        end)
      end)
    end)
  end

  # ---------------------------------------------------------------- sanity

  @doc """
  Quick correctness checks of both implementations (outside any timing).
  Returns `[{name, ok?, detail}]`.
  """
  def sanity_checks do
    for mod <- [B, G], check <- [:random, :weighted, :cycle, :mix, :next_vs_reduce] do
      {ok, detail} = sanity(mod, check)
      {"#{inspect(mod)} #{check}", ok, detail}
    end
  end

  @doc """
  Checks that ours and the baseline produce the same kind of ops with the same
  distributions for the new-vocabulary scenarios (so the comparison is fair).
  Returns `[{name, ok?, detail}]`.
  """
  def vocab_sanity_checks do
    for mod <- [B, G], check <- [:integers, :zipf, :mix_random, :register, :bank, :list_append] do
      {ok, detail} = vocab_sanity(mod, check)
      {"#{inspect(mod)} #{check}", ok, detail}
    end
  end

  defp close?(x, expected, tol), do: abs(x - expected) < tol

  defp vocab_sanity(mod, :integers) do
    [gen] = setup_integers(mod, 100_000)
    xs = to_list(gen, mod)
    mean = Enum.sum(xs) / length(xs)
    ok = Enum.all?(xs, &(&1 in 1..1000)) and close?(mean, 500.5, 5) and length(xs) == 100_000
    {ok, "mean #{Float.round(mean, 1)} (500.5), min #{Enum.min(xs)}, max #{Enum.max(xs)}"}
  end

  defp vocab_sanity(mod, :zipf) do
    [gen] = setup_zipf(mod, 100_000)
    xs = to_list(gen, mod)
    h = Enum.sum(for k <- 1..1000, do: 1 / k)
    f = Enum.frequencies(xs)
    p1 = Map.get(f, 1, 0) / length(xs)
    p2 = Map.get(f, 2, 0) / length(xs)
    ok = Enum.all?(xs, &(&1 in 1..1000)) and close?(p1, 1 / h, 0.01) and close?(p2, 0.5 / h, 0.01)

    {ok,
     "P(1) #{Float.round(p1, 3)} (#{Float.round(1 / h, 3)}), " <>
       "P(2) #{Float.round(p2, 3)} (#{Float.round(0.5 / h, 3)})"}
  end

  defp vocab_sanity(mod, :mix_random) do
    [gen] = setup_mix_random(mod, 100_000)
    # Per child: random 1/4 each, cycle 1/4 each, weighted 0.1..0.4; mixed 2:1:1.
    [a, b, c] = Enum.map(@mix_weights, &(&1 / Enum.sum(@mix_weights)))
    expected = Enum.zip(@pool4, Enum.map([0.1, 0.2, 0.3, 0.4], &((a + b) * 0.25 + c * &1)))
    freqs_ok(to_list(gen, mod), expected)
  end

  defp vocab_sanity(mod, :register) do
    [gen] = setup_register(mod, 60_000)
    ops = to_list(gen, mod)
    kinds = Enum.frequencies_by(ops, &if(is_tuple(&1), do: elem(&1, 0), else: &1))
    vals_ok = Enum.all?(ops, &register_op?/1)
    ok = vals_ok and Enum.all?([:read, :write, :cas], &close?(kinds[&1] / 60_000, 1 / 3, 0.01))
    {ok, Map.new(kinds, fn {k, c} -> {k, Float.round(c / 60_000, 3)} end)}
  end

  defp vocab_sanity(mod, :bank) do
    [gen] = setup_bank(mod, 60_000)
    ops = to_list(gen, mod)
    reads = Enum.count(ops, &(&1 == :read)) / 60_000
    ok = close?(reads, 0.5, 0.01) and Enum.all?(ops, &bank_op?/1)
    {ok, "read #{Float.round(reads, 3)}, transfers in 0..4, from != to, amount 1..5"}
  end

  defp vocab_sanity(mod, :list_append) do
    [gen] = setup_list_append(mod, 20_000)
    txns = to_list(gen, mod)
    micro = Enum.concat(txns)
    mean_len = length(micro) / length(txns)
    reads = Enum.count(micro, &match?([:r, _, nil], &1)) / length(micro)
    key0 = Enum.count(micro, &match?([_, 0, _], &1)) / length(micro)
    h8 = Enum.sum(for k <- 1..8, do: 1 / k)
    appended = for [:append, _k, v] <- micro, do: v

    ok =
      close?(mean_len, 2.5, 0.05) and close?(reads, 0.5, 0.02) and close?(key0, 1 / h8, 0.02) and
        length(Enum.uniq(appended)) == length(appended) and
        Enum.all?(micro, &match?([_, k, _] when k in 0..7, &1))

    {ok,
     "txn length #{Float.round(mean_len, 2)} (2.5), reads #{Float.round(reads, 3)}, " <>
       "key 0 #{Float.round(key0, 3)} (#{Float.round(1 / h8, 3)}), appended values unique"}
  end

  defp register_op?(:read), do: true
  defp register_op?({:write, v}), do: v in 1..5
  defp register_op?({:cas, a, b}), do: a in 1..5 and b in 1..5
  defp register_op?(_), do: false

  defp bank_op?(:read), do: true

  defp bank_op?({:transfer, f, t, a}),
    do: f in 0..4 and t in 0..4 and f != t and a in 1..5

  defp bank_op?(_), do: false

  defp to_list(gen, mod), do: gen |> mod.reduce([], &[&1 | &2]) |> Enum.reverse()

  defp freqs_ok(ops, expected) do
    n = length(ops)
    f = Enum.frequencies(ops)

    ok =
      Enum.all?(expected, fn {op, p} -> abs(Map.get(f, op, 0) / n - p) < 0.01 end) and
        Enum.all?(Map.keys(f), &List.keymember?(expected, &1, 0))

    {ok, Map.new(f, fn {op, c} -> {op, Float.round(c / n, 3)} end)}
  end

  defp sanity(mod, :random) do
    ops = mod.random(@pool4, seed: 7) |> mod.take(100_000) |> to_list(mod)
    freqs_ok(ops, Enum.map(@pool4, &{&1, 0.25}))
  end

  defp sanity(mod, :weighted) do
    ops = mod.weighted(weighted4(), seed: 7) |> mod.take(100_000) |> to_list(mod)
    freqs_ok(ops, Enum.zip(@pool4, [0.1, 0.2, 0.3, 0.4]))
  end

  defp sanity(mod, :cycle) do
    ops = mod.cycle(@pool4) |> mod.take(10) |> to_list(mod)
    {ops == Enum.take(Stream.cycle(@pool4), 10), ops}
  end

  defp sanity(mod, :mix) do
    [gen] = setup_mix(mod, 3_000)
    ops = to_list(gen, mod)
    cycle_slots = ops |> Enum.drop(1) |> Enum.take_every(3)
    ok = length(ops) == 3_000 and cycle_slots == Enum.take(Stream.cycle(@pool4), 1_000)
    ok = ok and Enum.all?(ops, &(&1 in @pool4))
    {ok, "#{length(ops)} ops, cycle child in slots 1, 4, 7, ..."}
  end

  defp sanity(mod, :next_vs_reduce) do
    gen = mod.random(@pool4, seed: 9) |> mod.take(1_000)
    via_next = Stream.unfold(gen, &unfold_next(mod, &1)) |> Enum.to_list()
    {via_next == to_list(gen, mod), "next/1 and reduce/3 give the same 1,000 ops"}
  end

  defp unfold_next(mod, gen) do
    case mod.next(gen) do
      :done -> nil
      {op, gen} -> {op, gen}
    end
  end

  # ---------------------------------------------------------------- measuring

  @doc """
  Runs `setup` then `run` in a fresh process (so heaps and garbage of other
  measurements don't interfere), collecting garbage before the timed region.
  Returns `{microseconds, count}`.
  """
  def measure({sm, sf, sa}, {rm, rf}) do
    parent = self()
    ref = make_ref()

    {pid, mref} =
      spawn_monitor(fn ->
        args = apply(sm, sf, sa)
        :erlang.garbage_collect()
        {us, count} = :timer.tc(rm, rf, args)
        send(parent, {ref, us, count})
      end)

    receive do
      {^ref, us, count} ->
        receive do
          {:DOWN, ^mref, :process, ^pid, _} -> :ok
        end

        {us, count}

      {:DOWN, ^mref, :process, ^pid, reason} ->
        raise "measurement #{inspect(rf)} crashed: #{inspect(reason)}"
    end
  end
end
