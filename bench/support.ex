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
