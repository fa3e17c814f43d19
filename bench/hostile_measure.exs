# Measures the NIF calls of hostile shapes (deep nests, wide zips, long
# transactions, many or dead children, huge pools): one run/3 refill (256
# ops, next/1), one plan_chunk (4096 ops, each/2), the longest long_schedule
# event of an each/2, and the fold's heap.
#
# Measured on the 2-core test machine (loaded), before (be231e5) / after:
#
#   shape                         run(256) refill       plan_chunk(4096)   each
#   mix nested 63 deep            1.2 ms / 0.10 ms      33 ms / 0.16 ms    1.5 s / 68 ms (200k)
#   concat nested 63 deep         2.0 ms / 0.21 ms      53 ms / 0.19 ms    2.0 s / 0.23 s (200k)
#   zip of 1,000 counters         3.4 ms / 0.28 ms      2.5 ms / 0.12 ms   3.0 s / 3.4 s (200k)
#   list_append(1024)             3.6 ms / 0.17 ms      93 ms / 0.19 ms    0.34 s / 0.38 s (8,192)
#   mix of 100,000 cycles         22 ms / 25 ms dirty   0.08 / 0.25 ms     0.11 s / 62 ms (200k)
#   until: :all, 20,000 dead      17 ms / 4 ms dirty    204 ms / 0.16 ms   10 s / 22 ms (200k)
#   mix(random(5M pool), cycle)   112 ms / 0.007 ms     0.13 / 0.23 ms     0.62 s / 12 ms (200k)
#   take(that, 20_000)            8.6 s / 4 ms
#   until: :all, 99,999 dead      each(200k): 58 s / 65 ms
#   drop, rr until: :all          2,000 children: 14 ms / 14 ms; 20,000: 2.1 s / 20 ms
#   heap growth of each/2         5M pool, 1M ops: 291 MB / 0; list_append(1024), 8,192 ops:
#                                 12 MB / 1.3 MB; zip of 1,000, 5,000 ops: 4.5 MB / 1.2 MB
alias Lockstep.Generator, as: G
alias Lockstep.Generator.{Driver, Native, Spec, Workloads}

defmodule M do
  def us(f) do
    {t, _} = :timer.tc(f)
    t
  end

  def best(f, n \\ 3), do: Enum.min(for _ <- 1..n, do: us(f))

  # One next/1 refill as Driver makes it (spec built outside the timing).
  def run_call(gen, k) do
    gen = Driver.settle(gen)
    {spec, pools} = Spec.tree(gen)

    run =
      if function_exported?(Native, :run_dirty, 3) and length(pools) > 2048,
        do: &Native.run_dirty/3,
        else: &Native.run/3

    best(fn -> {:ok, _} = run.(spec, pools, Lockstep.Generator.Boundary.ops(k, false)) end)
  end

  def chunk_call(gen) do
    {spec, pools} = gen |> Driver.settle() |> Spec.tree()
    len = Enum.reduce(pools, 0, &(tuple_size(&1) + &2))
    {:ok, cursor} = Native.plan_new(spec, len)
    arg = List.to_tuple(pools)

    if function_exported?(Native, :plan_chunk_leaves, 3) do
      best(fn -> Native.plan_chunk_leaves(cursor, 4096, arg) end)
    else
      pool = pools |> Enum.flat_map(&Tuple.to_list/1) |> List.to_tuple()
      arg = if tuple_size(pool) <= 8192, do: pool, else: nil
      best(fn -> Native.plan_chunk(cursor, 4096, arg) end)
    end
  end

  def each_run(gen, n) do
    parent = self()

    spawn(fn ->
      :erlang.system_monitor(self(), [{:long_schedule, 20}])

      w =
        spawn(fn ->
          t = us(fn -> G.each(G.take(gen, n), fn _ -> :ok end) end)
          {:heap_size, _} = :erlang.process_info(self(), :heap_size)
          send(parent, {:done, t, :erlang.process_info(self(), :total_heap_size) |> elem(1)})
        end)

      ref = Process.monitor(w)

      receive do
        {:DOWN, ^ref, _, _, _} -> :ok
      end

      send(parent, {:events, collect([])})
    end)

    {t, heap} =
      receive do
        {:done, t, h} -> {t, h}
      end

    events =
      receive do
        {:events, e} -> e
      end

    max = events |> Enum.map(fn {_, info} -> info[:timeout] end) |> Enum.max(fn -> 0 end)
    {div(t, 1000), max, length(events), heap}
  end

  def collect(acc) do
    receive do
      {:monitor, _pid, :long_schedule, info} -> collect([{nil, info} | acc])
    after
      0 -> acc
    end
  end
end

r = G.random([:a, :b, :c], seed: 1)
nest = fn f -> Enum.reduce(1..63, r, fn _, g -> f.(g) end) end

dead = fn k ->
  G.mix(List.duplicate(G.take(G.cycle([:x]), 0), k) ++ [G.cycle([:live])], until: :all)
end

shapes = [
  random_leaf: r,
  mix_nested_63: nest.(fn g -> G.mix([g]) end),
  concat_nested_63: nest.(fn g -> G.concat([g]) end),
  zip_1000_counters: G.zip(for i <- 1..1000, do: G.counter(i)),
  list_append_1024: Workloads.list_append(seed: 1, max_txn_length: 1024),
  mix_100k_cycles: G.mix(for i <- 1..100_000, do: G.cycle([i])),
  all_20k_dead: dead.(20_000),
  big_pool_mix: G.mix([G.random(Enum.to_list(1..5_000_000), seed: 3), G.cycle([:c])])
]

only = System.get_env("ONLY")

for {name, gen} <- shapes, only == nil or Atom.to_string(name) =~ only do
  run = M.run_call(gen, 256)
  chunk = M.chunk_call(gen)
  n = if name in [:list_append_1024], do: 8192, else: 200_000
  {t, ls, nls, heap} = M.each_run(gen, n)

  IO.puts(
    "#{name}: run(256)=#{run}us plan_chunk(4096)=#{chunk}us each(#{n})=#{t}ms long_sched_max=#{ls}ms (#{nls}) heap=#{div(heap * 8, 1_000_000)}MB"
  )
end

if only == nil or "take" =~ only do
  big = Enum.at(shapes, -1) |> elem(1)
  IO.puts("take(big_pool_mix, 20_000): #{div(M.us(fn -> Enum.take(big, 20_000) end), 1000)} ms")
  {t, ls, nls, heap} = M.each_run(big, 1_000_000)

  IO.puts(
    "each(big_pool_mix, 1M): #{t} ms long_sched_max=#{ls}ms (#{nls}) heap=#{div(heap * 8, 1_000_000)}MB"
  )

  d = dead.(99_999)
  {t, ls, nls, heap} = M.each_run(d, 200_000)

  IO.puts(
    "all_99999_dead each(200k): #{t} ms long_sched_max=#{ls}ms (#{nls}) heap=#{div(heap * 8, 1_000_000)}MB"
  )
end

if only == nil or "drop" =~ only do
  for k <- [2000, 20_000] do
    g = G.mix(for(i <- 1..k, do: G.take(G.cycle([i]), i)), until: :all)
    t0 = System.monotonic_time(:millisecond)
    task = Task.async(fn -> G.drop(g, div(k * (k + 1), 2) - 5) end)

    case Task.yield(task, 120_000) || Task.shutdown(task) do
      {:ok, _} ->
        IO.puts("drop rr until:all #{k} children: #{System.monotonic_time(:millisecond) - t0} ms")

      nil ->
        IO.puts("drop rr until:all #{k} children: > 120 s")
    end
  end
end
