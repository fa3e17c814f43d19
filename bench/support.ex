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

  @doc "`mix([random, map(integers(1..5), &{:write, &1})])`, `take(n)`."
  def setup_mix_map(mod, n) do
    gens = [mod.random(@pool4, seed: 1), mod.map(mod.integers(1..5, seed: 2), &write/1)]
    [mod.mix(gens) |> mod.take(n)]
  end

  def write(v), do: {:write, v}
  def even?(v), do: rem(v, 2) == 0

  @doc "`mix([random, filter(integers(1..100), even)])`, `take(n)`."
  def setup_mix_filter(mod, n) do
    gens = [mod.random(@pool4, seed: 1), mod.filter(mod.integers(1..100, seed: 2), &even?/1)]
    [mod.mix(gens) |> mod.take(n)]
  end

  @doc "A round-robin mix of `leaves` random leaves (pools of 3 ops), `take(n)`."
  def setup_wide_mix(mod, leaves, n) do
    gens = for i <- 1..leaves, do: mod.random([:read, {:write, i}, {:cas, i, i + 1}], seed: i)
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

  # ---------------------------------------------------------------- paths users run
  #
  # The "Paths users run" table: next/1 loops, each/2 over the workloads, the
  # realistic iteration (construct + take(20) + each or next/1), construction
  # alone, and Enum.to_list of a take(20). The workload baselines are
  # LockstepBench.Plain (the obvious way: `:rand.uniform_s(3)` for the kind,
  # then its values); list_append uses uniform keys on both sides.

  alias LockstepBench.Plain, as: P

  @doc "A workload (`:register`, `:bank`, `:list_append`) of `mod` (G or Plain), seeded, capped at `n`."
  def setup_workload(mod, kind, n), do: [take(mod, workload(mod, kind, 1), n)]

  defp take(P, gen, n), do: P.take(gen, n)
  defp take(G, gen, n), do: G.take(gen, n)

  defp workload(P, :register, seed), do: P.register(seed: seed)
  defp workload(P, :bank, seed), do: P.bank(seed: seed)
  defp workload(P, :list_append, seed), do: P.list_append(seed: seed)
  defp workload(G, :register, seed), do: Lockstep.Generator.Workloads.register(seed: seed)
  defp workload(G, :bank, seed), do: Lockstep.Generator.Workloads.bank(seed: seed)

  defp workload(G, :list_append, seed),
    do: Lockstep.Generator.Workloads.list_append(seed: seed, key_dist: :uniform)

  @doc """
  Worker 0 of an independent register workload (6 workers, 2 groups of 3,
  20 ops per key, a final read), of `mod` (G or LockstepBench.PlainIndependent),
  capped at `n`.
  """
  def setup_independent(G, n) do
    [
      Lockstep.Generator.Workloads.register(seed: 1)
      |> G.independent(per_key: 20, concurrency: 3, final: [:read])
      |> G.split(6)
      |> hd()
      |> G.take(n)
    ]
  end

  def setup_independent(LockstepBench.PlainIndependent = pi, n) do
    [pi.new(seed: 1, per_key: 20, concurrency: 3, groups: 2, final: [:read]) |> pi.take(n)]
  end

  def each_plain_independent(gen), do: LockstepBench.PlainIndependent.each(gen, &noop/1)

  def next_plain_independent(gen),
    do: next_plain_independent(LockstepBench.PlainIndependent.next(gen), 0)

  defp next_plain_independent(:done, count), do: count

  defp next_plain_independent({_op, gen}, count),
    do: next_plain_independent(LockstepBench.PlainIndependent.next(gen), count + 1)

  def each_plain(gen), do: P.each(gen, &noop/1)
  def next_plain(gen), do: next_plain(P.next(gen), 0)
  defp next_plain(:done, count), do: count
  defp next_plain({_op, gen}, count), do: next_plain(P.next(gen), count + 1)

  @path_kinds [
    :random,
    :cycle,
    :weighted,
    :integers,
    :zipf,
    :counter,
    :mix3,
    :random_mix,
    :concat,
    :zip,
    :register,
    :bank,
    :list_append
  ]

  @doc "The kinds of the next/1-vs-each/2 rows."
  def path_kinds, do: @path_kinds

  @doc "Our generator of `kind` (the same as the other tables' scenarios), capped at `n`."
  def setup_kind(:random, n), do: setup_random(G, 4, n)
  def setup_kind(:cycle, n), do: setup_cycle(G, n)
  def setup_kind(:weighted, n), do: setup_weighted(G, 4, n)
  def setup_kind(:integers, n), do: setup_integers(G, n)
  def setup_kind(:zipf, n), do: setup_zipf(G, n)
  def setup_kind(:counter, n), do: [G.counter(1) |> G.take(n)]
  def setup_kind(:mix3, n), do: setup_mix(G, n)
  def setup_kind(:random_mix, n), do: setup_mix_random(G, n)
  def setup_kind(:concat, n), do: setup_concat(n)
  def setup_kind(:zip, n), do: setup_zip(n)

  def setup_kind(kind, n) when kind in [:register, :bank, :list_append],
    do: setup_workload(G, kind, n)

  @doc """
  One realistic iteration, `iterations` x `workers` times: construct a
  `kind` generator seeded `:erlang.phash2({i, w})`, `take(per)`, then `each/2`
  (`mode` :each) or a `next/1` loop (`mode` :next). Returns the op count.
  """
  def iteration(mod, kind, mode, iterations, workers, per) do
    Enum.reduce(1..iterations, 0, fn i, acc ->
      Enum.reduce(1..workers, acc, fn w, acc ->
        gen = iteration_gen(mod, kind, :erlang.phash2({i, w}))
        acc + iteration_run(mod, mode, gen, per)
      end)
    end)
  end

  defp iteration_gen(mod, :random, seed), do: mod.random(@pool4, seed: seed)

  defp iteration_gen(mod, :mix3, seed) do
    mod.mix([
      mod.random(@pool4, seed: seed),
      mod.cycle(@pool4),
      mod.weighted(weighted4(), seed: seed + 1)
    ])
  end

  defp iteration_gen(B, :register, seed), do: workload(P, :register, seed)
  defp iteration_gen(G, :register, seed), do: workload(G, :register, seed)

  # The baseline's register is a LockstepBench.Plain struct.
  defp iteration_run(B, mode, %P{} = gen, per), do: iteration_run(P, mode, gen, per)
  defp iteration_run(P, :each, gen, per), do: gen |> P.take(per) |> P.each(&noop/1)
  defp iteration_run(P, :next, gen, per), do: gen |> P.take(per) |> next_plain()
  defp iteration_run(B, :each, gen, per), do: gen |> B.take(per) |> B.each(&noop/1)
  defp iteration_run(B, :next, gen, per), do: gen |> B.take(per) |> next_base()
  defp iteration_run(G, :each, gen, per), do: gen |> G.take(per) |> G.each(&noop/1)
  defp iteration_run(G, :next, gen, per), do: gen |> G.take(per) |> next_ours()

  @doc """
  `n` constructions of `kind` (seeds 1..n); `:seed_s` is the reference, one
  `:rand.seed_s(:exsss, seed)`. Returns `n`.
  """
  def construct(kind, n), do: construct(kind, 1, n)

  defp construct(_kind, i, n) when i > n, do: n

  defp construct(kind, i, n) do
    build(kind, i)
    construct(kind, i + 1, n)
  end

  defp build(:seed_s, seed), do: :rand.seed_s(:exsss, seed)
  defp build(:random, seed), do: G.random(@pool4, seed: seed)
  defp build(:weighted, seed), do: G.weighted(weighted4(), seed: seed)

  defp build(:mix3, seed),
    do:
      G.mix([G.random(@pool4, seed: seed), G.cycle(@pool4), G.weighted(weighted4(), seed: seed)])

  defp build(kind, seed), do: workload(G, kind, seed)

  @doc "take(20) of our `kind` (:random, :mix3, :register), built outside the timed region."
  def setup_take20(kind, iterations), do: [iteration_gen(G, kind, 42) |> G.take(20), iterations]

  @doc "`Enum.to_list/1` of the same value `iterations` times; returns the ops produced."
  def to_list_loop(gen, iterations), do: to_list_loop(gen, iterations, iterations, [])

  defp to_list_loop(_gen, 0, iterations, last), do: iterations * length(last)

  defp to_list_loop(gen, k, iterations, _last),
    do: to_list_loop(gen, k - 1, iterations, Enum.to_list(gen))

  @doc "`each/2` over the same value `iterations` times; returns the ops produced."
  @doc """
  The Enumerable protocol's own cost, with no generator: 20 ops as a ready
  list and as a `MapSet` (a struct whose `reduce/3` walks a list).
  """
  def setup_protocol_floor(iterations) do
    ops = Enum.map(1..20, &{:write, &1})
    [ops, MapSet.new(ops), iterations]
  end

  @doc "`:lists.foreach/2` over the ready list `iterations` times; returns the ops."
  def foreach_loop(ops, _set, iterations), do: list_loop(ops, iterations, 0)
  defp list_loop(_ops, 0, count), do: count
  defp list_loop(ops, k, count), do: list_loop(ops, k - 1, count + list_each(ops))

  defp list_each(ops) do
    :lists.foreach(&noop/1, ops)
    length(ops)
  end

  @doc "`Enum.to_list/1` of the struct `iterations` times; returns the ops."
  def set_to_list_loop(_ops, set, iterations), do: to_list_loop(set, iterations)

  def each_loop(gen, iterations), do: each_loop(gen, iterations, 0)
  defp each_loop(_gen, 0, count), do: count
  defp each_loop(gen, k, count), do: each_loop(gen, k - 1, count + G.each(gen, &noop/1))

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

  @doc """
  Checks that LockstepBench.Plain and ours produce the same kinds of ops with
  the same distributions for the workload rows of "Paths users run", and that
  the take(20) values hold 20 ops. Returns `[{name, ok?, detail}]`.
  """
  def paths_sanity_checks do
    workloads =
      for mod <- [P, G], kind <- [:register, :bank, :list_append] do
        [gen] = setup_workload(mod, kind, 60_000)
        {ok, detail} = paths_sanity(kind, to_list(gen, mod))
        {"#{inspect(mod)} #{kind} (paths)", ok, detail}
      end

    take20 =
      for kind <- [:random, :mix3, :register] do
        [gen, _] = setup_take20(kind, 1)
        ops = Enum.to_list(gen)
        ok = length(ops) == 20 and G.each(gen, &noop/1) == 20 and ops == to_list(gen, G)
        {"take(#{kind}, 20): Enum.to_list and each/2", ok, "#{length(ops)} ops"}
      end

    workloads ++ take20
  end

  defp paths_sanity(:register, ops) do
    n = length(ops)
    kinds = Enum.frequencies_by(ops, &if(is_tuple(&1), do: elem(&1, 0), else: &1))

    ok =
      Enum.all?(ops, &register_op?/1) and
        Enum.all?([:read, :write, :cas], &close?(kinds[&1] / n, 1 / 3, 0.01))

    {ok, Map.new(kinds, fn {k, c} -> {k, Float.round(c / n, 3)} end)}
  end

  defp paths_sanity(:bank, ops) do
    reads = Enum.count(ops, &(&1 == :read)) / length(ops)
    ok = close?(reads, 0.5, 0.01) and Enum.all?(ops, &bank_op?/1)
    {ok, "read #{Float.round(reads, 3)}, transfers in 0..4, from != to, amount 1..5"}
  end

  defp paths_sanity(:list_append, txns) do
    micro = Enum.concat(txns)
    mean_len = length(micro) / length(txns)
    reads = Enum.count(micro, &match?([:r, _, nil], &1)) / length(micro)
    key0 = Enum.count(micro, &match?([_, 0, _], &1)) / length(micro)
    appended = for [:append, _k, v] <- micro, do: v

    ok =
      close?(mean_len, 2.5, 0.05) and close?(reads, 0.5, 0.02) and close?(key0, 1 / 8, 0.01) and
        length(Enum.uniq(appended)) == length(appended) and
        Enum.all?(micro, &match?([_, k, _] when k in 0..7, &1))

    {ok,
     "txn length #{Float.round(mean_len, 2)} (2.5), reads #{Float.round(reads, 3)}, " <>
       "key 0 #{Float.round(key0, 3)} (0.125, uniform), appended values unique"}
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
