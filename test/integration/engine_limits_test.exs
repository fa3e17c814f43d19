defmodule Lockstep.EngineLimitsTest do
  # Not async: the scheduler test owns the (VM-global) system monitor, the
  # table test uses (VM-global) call-count tracing, and the NIF timing bound is
  # best measured without other test modules running.
  use ExUnit.Case, async: false

  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Native

  @chunk_sizes [1, 2, 3, 7, 64, 1000, 4096]
  @max_chunk 4096
  # Not a multiple of most chunk sizes, and more than two maximal chunks.
  @n 9_001

  @pool [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}, "str"]

  # ---------------------------------------------------------------------------
  # Helpers

  defp engine(%G{engine: engine} = gen) do
    %{
      pool: engine.pool,
      key: engine.key,
      stream: engine.stream,
      table: Lockstep.Generator.Spec.table(gen)
    }
  end

  # Ops n from the generator's position, computed by raw leaf_chunk calls of k
  # ops each at positions start, start + k, start + 2k, ...; `mode` chooses
  # whether the engine picks terms from the pool tuple or returns indices.
  defp leaf_chunks(gen, k, n, mode) do
    %{pool: pool, key: key, stream: stream, table: table} = engine(gen)
    start = G.__position__(gen)
    size = tuple_size(pool)

    start
    |> Stream.iterate(&(&1 + k))
    |> Stream.take_while(&(&1 < start + n))
    |> Enum.flat_map(fn pos ->
      case mode do
        :terms ->
          chunk = Native.leaf_chunk(gen.kind, size, table, key, stream, pos, k, pool)
          assert length(chunk) == k
          chunk

        :indices ->
          chunk = Native.leaf_chunk(gen.kind, size, table, key, stream, pos, k, nil)
          assert length(chunk) == k
          Enum.map(chunk, &elem(pool, &1))
      end
    end)
    |> Enum.take(n)
  end

  # The engine's spec of a generator tree and its flat pool (as
  # Lockstep.Generator.Spec.tree/1 builds them; see native/lockstep_nif/src/spec.rs).
  defp plan_spec(gen) do
    {spec, pools} = gen |> Lockstep.Generator.Driver.settle() |> Lockstep.Generator.Spec.tree()
    {spec, pools |> Enum.flat_map(&Tuple.to_list/1) |> List.to_tuple()}
  end

  # All ops of a finite mix through one plan cursor, k ops per plan_chunk call.
  defp plan_chunks(gen, k, mode) do
    {spec, pool} = plan_spec(gen)
    assert {:ok, cursor} = Native.plan_new(spec, tuple_size(pool))
    drain_plan(cursor, k, pool, mode, [])
  end

  defp drain_plan(cursor, k, pool, mode, acc) do
    chunk = Native.plan_chunk(cursor, k, if(mode == :terms, do: pool, else: nil))
    assert length(chunk) <= k

    case chunk do
      [] ->
        # Stays exhausted.
        assert Native.plan_chunk(cursor, k, pool) == []
        acc |> Enum.reverse() |> Enum.concat()

      ops when mode == :terms ->
        drain_plan(cursor, k, pool, mode, [ops | acc])

      indices ->
        drain_plan(cursor, k, pool, mode, [Enum.map(indices, &elem(pool, &1)) | acc])
    end
  end

  defp leaves do
    weights = for i <- 1..100, do: {{:op, i}, rem(i * 7, 11)}

    [
      random: G.random(@pool, seed: 42),
      random_1000: G.random(Enum.to_list(1..1000), seed: 7) |> G.fork(:worker),
      random_100k: G.random(Enum.to_list(1..100_000), seed: -3),
      weighted: G.weighted([read: 3, write: 1, delete: 0, cas: 5], seed: "w"),
      weighted_100: G.weighted(weights, seed: 11) |> G.fork({:w, 2}),
      cycle: G.cycle([:a, :b, :c, :d, :e, :f, :g]),
      random_far: G.random(@pool, seed: 1) |> G.drop(123_456_789_012),
      weighted_buffered: G.weighted([a: 1, b: 2, c: 3], seed: 5) |> advance(77) |> elem(1)
    ]
  end

  defp mixes do
    w = G.weighted([read: 3, write: 1, delete: 0, cas: 5], seed: 9)
    r = G.random(@pool, seed: 4)
    c = G.cycle([:x, :y, :z])

    nested =
      G.mix(
        [
          G.take(G.random(Enum.to_list(1..1000), seed: 3), 1000),
          G.take(w, 2500),
          G.mix([c, G.take(G.fork(r, 1), 700)], until: :all) |> G.take(1200)
        ],
        until: :all
      )

    [
      any: G.mix([r, w, c]) |> G.take(5000),
      any_short_child: G.mix([r, G.take(w, 1234), c]),
      all_nested: nested,
      all_nested_midstream: nested |> advance(777) |> elem(1),
      deep: Enum.reduce(1..20, G.take(r, 3000), fn i, g -> G.mix([g, G.take(c, 150 * i)]) end),
      random_strategy:
        G.mix([r, G.take(w, 2000), c], strategy: :random, seed: 8, weights: [2, 1, 1], until: :all)
        |> G.take(6000),
      random_strategy_midstream:
        G.mix([G.take(r, 3000), w], strategy: :random, seed: 9) |> advance(100) |> elem(1)
    ]
  end

  # ---------------------------------------------------------------------------
  # Chunk size never changes the stream

  describe "chunk size never changes the stream" do
    test "leaf_chunk at positions stepping by k, for every k, equals the next/1 walk, take/Enum, reduce and each" do
      for {name, gen} <- leaves() do
        expected = walk(gen, @n)
        assert length(expected) == @n

        # Passing a 100_000-op pool tuple costs O(pool) per call (the library
        # only does it when the pool is small next to the chunk): not with k = 1.
        big? = tuple_size(engine(gen).pool) > 10_000

        for k <- @chunk_sizes,
            mode <- [:terms, :indices],
            not (big? and mode == :terms and k < 1000) do
          assert leaf_chunks(gen, k, @n, mode) == expected,
                 "#{name}: chunks of #{k} (#{mode}) differ from the next/1 walk"
        end

        limited = G.take(gen, @n)
        assert Enum.to_list(limited) == expected, "#{name}: Enum.to_list"
        assert reduce_list(limited) == expected, "#{name}: reduce/3"
        assert each_list(limited) == {expected, @n}, "#{name}: each/2"
      end
    end

    test "a mix through plan_new/plan_chunk, for every k, equals the next/1 walk, reduce and each" do
      for {name, gen} <- mixes() do
        expected = walk(gen)
        assert length(expected) > 1000, "#{name} is too short to cross chunk boundaries"

        for k <- @chunk_sizes, mode <- [:terms, :indices] do
          assert plan_chunks(gen, k, mode) == expected,
                 "#{name}: plan chunks of #{k} (#{mode}) differ from the next/1 walk"
        end

        assert reduce_list(gen) == expected, "#{name}: reduce/3"
        assert each_list(gen) == {expected, length(expected)}, "#{name}: each/2"
        assert Enum.to_list(gen) == expected, "#{name}: Enum.to_list"
      end
    end

    test "no single call produces more than #{@max_chunk} ops" do
      %{pool: pool, key: key, stream: stream} = engine(G.random(@pool, seed: 1))

      assert length(Native.leaf_chunk(:random, 5, nil, key, stream, 0, @max_chunk, pool)) ==
               @max_chunk

      assert_raise ArgumentError, fn ->
        Native.leaf_chunk(:random, 5, nil, key, stream, 0, @max_chunk + 1, pool)
      end

      {spec, pool} = plan_spec(G.mix([G.random(@pool, seed: 1), G.cycle([:a])]))
      {:ok, cursor} = Native.plan_new(spec, tuple_size(pool))
      assert length(Native.plan_chunk(cursor, @max_chunk, pool)) == @max_chunk
      assert_raise ArgumentError, fn -> Native.plan_chunk(cursor, @max_chunk + 1, pool) end
    end

    test "a generator with a prefetch buffer equals, op for op, a fresh one dropped to the same position" do
      gens = [
        G.random(@pool, seed: 42),
        G.weighted([a: 1, b: 2, c: 0, d: 7], seed: 3),
        G.cycle([1, 2, 3, 4, 5]),
        G.random(Enum.to_list(1..100_000), seed: 8) |> G.fork(2),
        G.random(@pool, seed: 42) |> G.take(1500)
      ]

      for gen <- gens, m <- [1, 5, 63, 64, 65, 100, 319, 320, 321, 1000] do
        {ops, buffered} = advance(gen, m)
        assert length(ops) == m
        dropped = G.drop(gen, m)
        # The walk left a prefetch buffer behind (except right at a refill);
        # the dropped generator has none.
        if m == 5, do: assert(buffered.buf != [])
        assert dropped.buf == []

        lockstep_compare(buffered, dropped, 700)
        assert Enum.take(buffered, 700) == Enum.take(dropped, 700)
        assert reduce_list(G.take(buffered, 700)) == reduce_list(G.take(dropped, 700))
      end
    end
  end

  # next/1 on both, n times, comparing each op and the remaining count.
  defp lockstep_compare(_a, _b, 0), do: :ok

  defp lockstep_compare(a, b, n) do
    case {G.next(a), G.next(b)} do
      {:done, :done} ->
        :ok

      {{op_a, a}, {op_b, b}} ->
        assert op_a == op_b
        assert a.remaining == b.remaining
        assert G.__position__(a) == G.__position__(b)
        lockstep_compare(a, b, n - 1)

      other ->
        flunk("one generator ended before the other: #{inspect(other)}")
    end
  end

  # ---------------------------------------------------------------------------
  # Scheduler friendliness

  # Runs `each/2` over every run in its own process under a long_schedule
  # monitor, next to two control processes doing the same fold over ready
  # lists (no NIF): returns the events naming the NIF module, those of the
  # workers and those of the controls (what OS preemption alone causes).
  defp long_schedules(runs) do
    previous = :erlang.system_monitor()
    :erlang.system_monitor(self(), [{:long_schedule, 5}])
    ready = Enum.to_list(1..1_000_000)

    {pids, controls, counts} =
      try do
        tasks =
          Enum.map(runs, fn {gen, _} -> Task.async(fn -> G.each(gen, fn _ -> :ok end) end) end)

        control =
          for _ <- 1..2,
              do: Task.async(fn -> for _ <- 1..6, do: Enum.each(ready, fn _ -> :ok end) end)

        counts = Enum.map(tasks, &Task.await(&1, 60_000))
        Enum.each(control, &Task.await(&1, 60_000))
        {Enum.map(tasks, & &1.pid), Enum.map(control, & &1.pid), counts}
      after
        restore_system_monitor(previous)
      end

    assert counts == Enum.map(runs, &elem(&1, 1))
    events = collect_long_schedules([])

    native =
      Enum.filter(events, fn {_pid, info} ->
        Enum.any?([info[:in], info[:out]], &match?({Native, _, _}, &1))
      end)

    of = fn group -> Enum.filter(events, fn {pid, _info} -> pid in group end) end
    {native, of.(pids), of.(controls)}
  end

  describe "scheduler friendliness" do
    test "each/2 over long streams: no long_schedule event in the NIF, none but strays in the workers" do
      w_ops = for i <- 1..100_000, do: {{:w, i}, rem(i, 13) + 1}
      weighted = G.weighted(w_ops, seed: 77)
      big_random = G.random(Enum.to_list(1..100_000), seed: 2)

      mix =
        G.mix([
          G.random(@pool, seed: 1),
          weighted,
          G.cycle([:a, :b]),
          G.mix([big_random, G.fork(weighted, 1)])
        ])

      runs = [
        {G.take(G.random(@pool, seed: 1), 3_000_000), 3_000_000},
        {G.take(weighted, 1_000_000), 1_000_000},
        {G.take(big_random, 1_000_000), 1_000_000},
        {G.take(mix, 1_000_000), 1_000_000}
      ]

      # A long NIF call is reported with the MFAs where the process was
      # scheduled in and out (the code around the call, not the NIF itself),
      # so also count the events of the workers: a NIF call over 5 ms would
      # cause one per chunk, i.e. hundreds. On a loaded machine the OS
      # preempts scheduler threads and any process can get a few; the control
      # processes (no NIF) measure that, and the workers may have as many
      # more. Three attempts, one must be clean.
      attempts =
        Enum.reduce_while(1..3, [], fn _, failures ->
          {native, workers, controls} = long_schedules(runs)
          allowed = 2 + 3 * length(controls)

          if native == [] and length(workers) <= allowed,
            do: {:halt, :clean},
            else: {:cont, [{native, length(workers), length(controls)} | failures]}
        end)

      assert attempts == :clean, "long_schedule events (NIF, workers): #{inspect(attempts)}"
    end

    test "single NIF calls of the largest chunk on a 100_000-op pool stay well under 1 ms" do
      random = G.random(Enum.to_list(1..100_000), seed: 1) |> G.fork(5)
      weighted = G.weighted(for(i <- 1..100_000, do: {i, rem(i, 97) + 1}), seed: 2)

      for gen <- [random, weighted] do
        %{key: key, stream: stream, table: table} = engine(gen)

        micros =
          best_of(fn ->
            ops =
              Native.leaf_chunk(gen.kind, 100_000, table, key, stream, 987_654, @max_chunk, nil)

            length(ops) == @max_chunk or flunk("short chunk")
          end)

        assert micros < 1000, "#{gen.kind}: best leaf_chunk call took #{micros} µs"
      end

      {spec, pool} = plan_spec(G.mix([random, weighted, G.cycle([:a])]))
      {:ok, cursor} = Native.plan_new(spec, tuple_size(pool))

      micros =
        best_of(fn ->
          length(Native.plan_chunk(cursor, @max_chunk, nil)) == @max_chunk or flunk("short")
        end)

      assert micros < 1000, "best plan_chunk call took #{micros} µs"

      # The largest table built on a normal scheduler.
      weights = Enum.to_list(1..4096)
      micros = best_of(fn -> match?({:ok, _}, Native.table_new(weights)) or flunk("no table") end)
      assert micros < 1000, "best table_new(4096 weights) took #{micros} µs"
    end
  end

  defp best_of(fun) do
    1..10 |> Enum.map(fn _ -> elem(:timer.tc(fun), 0) end) |> Enum.min()
  end

  defp restore_system_monitor(:undefined), do: :erlang.system_monitor(:undefined)
  defp restore_system_monitor({pid, opts}), do: :erlang.system_monitor(pid, opts)

  defp collect_long_schedules(acc) do
    receive do
      {:monitor, pid, :long_schedule, info} -> collect_long_schedules([{pid, info} | acc])
    after
      0 -> Enum.reverse(acc)
    end
  end

  # ---------------------------------------------------------------------------
  # Memory

  describe "memory" do
    test "each/2 over 10_000_000 ops runs in a bounded heap" do
      {count, samples, max} =
        in_fresh_process(fn ->
          G.random(@pool, seed: 42)
          |> G.take(10_000_000)
          |> G.each(fn _op ->
            n = Process.get(:n, 0) + 1
            Process.put(:n, n)
            if rem(n, 100_000) == 0, do: sample_heap()
          end)
        end)

      assert count == 10_000_000
      assert samples == 100
      # 512k words = 4 MB on a 64-bit VM.
      assert max < 512 * 1024, "max heap #{max} words"
    end

    test "reduce/3 with a constant-size acc over 10_000_000 ops runs in a bounded heap" do
      {count, samples, max} =
        in_fresh_process(fn ->
          G.weighted([read: 3, write: 1, cas: 2], seed: 42)
          |> G.take(10_000_000)
          |> G.reduce(0, fn _op, n ->
            n = n + 1
            if rem(n, 100_000) == 0, do: sample_heap()
            n
          end)
        end)

      assert count == 10_000_000
      assert samples == 100
      assert max < 512 * 1024, "max heap #{max} words"
    end

    test "each/2 over a 2_000_000-op mix runs in a bounded heap" do
      {count, samples, max} =
        in_fresh_process(fn ->
          G.mix([G.random(@pool, seed: 1), G.cycle([:a, :b]), G.weighted([x: 1, y: 2], seed: 2)])
          |> G.take(2_000_000)
          |> G.each(fn _op ->
            n = Process.get(:n, 0) + 1
            Process.put(:n, n)
            if rem(n, 100_000) == 0, do: sample_heap()
          end)
        end)

      assert count == 2_000_000
      assert samples == 20
      assert max < 512 * 1024, "max heap #{max} words"
    end

    test "a weighted table over 100_000 ops is built once, not per call" do
      w_ops = for i <- 1..100_000, do: {{:w, i}, rem(i, 13) + 1}
      gen = G.weighted(w_ops, seed: 5)
      table = engine(gen).table
      assert Native.table_live(table)

      counted = [
        {Native, :table_new, 1},
        {Native, :table_new_dirty, 1},
        {Lockstep.Generator.Tables, :rebuild, 1},
        {Native, :leaf_chunk, 8},
        {Native, :plan_new, 2},
        {Native, :plan_new_dirty, 2}
      ]

      for mfa <- counted, do: 1 = :erlang.trace_pattern(mfa, true, [:call_count])
      :erlang.trace(self(), true, [:call])

      try do
        {ops, after_walk} = advance(gen, 10_000)
        assert length(ops) == 10_000
        assert G.each(G.take(gen, 200_000), fn _ -> :ok end) == 200_000
        assert length(Enum.to_list(G.take(after_walk, 5_000))) == 5_000
        forked = G.fork(after_walk, 3)
        dropped = G.drop(forked, 1_000_000)
        assert G.each(G.take(dropped, 20_000), fn _ -> :ok end) == 20_000

        mixed = G.mix([dropped, G.random(@pool, seed: 1)]) |> G.take(50_000)
        assert G.each(mixed, fn _ -> :ok end) == 50_000

        count = fn mfa ->
          {:call_count, n} = :erlang.trace_info(mfa, :call_count)
          n
        end

        assert count.({Native, :table_new, 1}) == 0
        assert count.({Native, :table_new_dirty, 1}) == 0
        assert count.({Lockstep.Generator.Tables, :rebuild, 1}) == 0
        # The counters do count: the walks above called the engine.
        assert count.({Native, :leaf_chunk, 8}) > 10
        # One plan, for the mix (on a dirty scheduler: its pools are big).
        assert count.({Native, :plan_new, 2}) + count.({Native, :plan_new_dirty, 2}) == 1

        # The same table (the same resource) travels with every derived value.
        for g <- [after_walk, forked, dropped, hd(mixed.children)] do
          assert engine(g).table === table
        end
      after
        :erlang.trace(self(), false, [:call])
        for mfa <- counted, do: :erlang.trace_pattern(mfa, false, [:call_count])
      end
    end
  end

  defp sample_heap do
    {:total_heap_size, words} = Process.info(self(), :total_heap_size)
    Process.put(:samples, Process.get(:samples, 0) + 1)
    Process.put(:max, max(words, Process.get(:max, 0)))
  end

  # Runs fun in a new process (a clean heap) and returns
  # {result, heap samples taken, largest sample in words}.
  defp in_fresh_process(fun) do
    {_pid, ref} =
      spawn_monitor(fn ->
        result = fun.()
        exit({:result, result, Process.get(:samples, 0), Process.get(:max, 0)})
      end)

    receive do
      {:DOWN, ^ref, :process, _, {:result, result, samples, max}} -> {result, samples, max}
      {:DOWN, ^ref, :process, _, reason} -> flunk("worker died: #{inspect(reason)}")
    after
      60_000 -> flunk("worker timed out")
    end
  end

  # ---------------------------------------------------------------------------
  # Pool size

  describe "pool size" do
    # Bounds about 6 standard deviations above the chi-squared mean (df = n - 1);
    # the seeds are fixed, so the outcome is too.
    for {n, samples, bound} <- [
          {4, 40_000, 30.0},
          {1000, 500_000, 1267.0},
          {100_000, 2_000_000, 102_700.0}
        ] do
      test "random over #{n} ops yields only pool members, uniformly (#{samples} samples)" do
        n = unquote(n)
        samples = unquote(samples)
        pool = for i <- 1..n, do: {:op, i}
        counters = :counters.new(n, [])
        strays = :counters.new(1, [])

        G.random(pool, seed: 2024)
        |> G.take(samples)
        |> G.each(fn
          {:op, i} when is_integer(i) and i >= 1 and i <= n -> :counters.add(counters, i, 1)
          _ -> :counters.add(strays, 1, 1)
        end)

        assert :counters.get(strays, 1) == 0
        counts = for i <- 1..n, do: :counters.get(counters, i)
        assert Enum.sum(counts) == samples
        expected = samples / n
        chi2 = counts |> Enum.map(&((&1 - expected) * (&1 - expected) / expected)) |> Enum.sum()
        assert chi2 < unquote(bound), "chi-squared #{chi2} for #{n} ops"
        # ... and not suspiciously perfect either (a cycle would give 0).
        df = n - 1
        assert chi2 > max(df - 6 * :math.sqrt(2 * df), 0), "chi-squared #{chi2} for #{n} ops"
      end
    end
  end
end
