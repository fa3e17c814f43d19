# Side-by-side timing of two builds of this package (the Elixir-side rows of
# bench/run.exs: next/1 loops, fresh generators per iteration, construction,
# Enum.to_list of a take(20), mixes holding a map or a filter).
#
#     mix run bench/compare.exs --base /path/to/other/checkout [--rounds 5] [--only P2]
#         [--reps 3] [--min-heap 4181]
#
# run from either tree: the script runs itself as a worker in both trees
# (`mix run <this file> --worker` with each tree as the working directory),
# interleaved (base, new, new, base, base, new, ...), `--rounds` times each;
# a worker runs every row in a fresh process per measurement (a warm-up,
# then `--reps` runs, best kept). The table shows, per row, the best ns/op
# of all rounds for each build, their ratio (new / base), the spread of
# the rounds' bests (max / min - 1: the noise of this sitting), and the
# garbage collections of one run of the row in each build.
#
# Rows that build a fresh generator per iteration (P21-P26) allocate a few
# hundred words per iteration; how many garbage collections that costs
# depends on the heap size the measuring process settles at, which moves
# with small changes in what is live when a collection happens (two builds
# with the same words allocated per iteration can differ 1.5x in
# collections). `--min-heap` gives every measuring process a fixed larger
# heap, which takes that out of the comparison.
#
# The rows are those of bench/run.exs ("ours" cases, same ids, setups,
# runs and op counts): each worker loads the bench/support.ex of its own
# tree and measures with its `measure/2`, so a row times the same code as
# the full benchmark does in that tree.

defmodule LockstepCompare.Rows do
  @moduledoc false

  @m1 1_000_000
  @p200 200_000
  @p100 100_000

  # {id, name, ops, {setup, args}, run} (functions of LockstepBench.Support)
  def rows do
    g = Lockstep.Generator

    [
      {"1", "each/2 random (4 ops), 1M", @m1, {:setup_random, [g, 4, @m1]}, :each_ours},
      {"P1", "next/1 loop mix of three", @p200, {:setup_mix, [g, @p200]}, :next_ours},
      {"P2", "next/1 loop register", @p200, {:setup_workload, [g, :register, @p200]}, :next_ours},
      {"P5", "next/1 loop random", @p200, {:setup_kind, [:random, @p200]}, :next_ours}
    ] ++
      for {kind, mode, id} <- [
            {:random, :each, "P21"},
            {:random, :next, "P22"},
            {:mix3, :each, "P23"},
            {:mix3, :next, "P24"},
            {:register, :each, "P25"},
            {:register, :next, "P26"}
          ] do
        {id, "iteration #{kind} #{mode}", 60_000, {:setup_args, [[g, kind, mode, 1000, 3, 20]]},
         :iteration}
      end ++
      for {kind, i} <-
            Enum.with_index([:random, :weighted, :mix3, :register, :bank, :list_append]) do
        {"P#{27 + i}", "construct #{kind}", @p100, {:setup_args, [[kind, @p100]]}, :construct}
      end ++
      for {kind, i} <- Enum.with_index([:random, :mix3, :register]) do
        {"P#{33 + i}", "Enum.to_list(take(#{kind}, 20))", @p200,
         {:setup_take20, [kind, div(@p200, 20)]}, :to_list_loop}
      end ++
      [
        {"P37", "next/1 loop mix(random, map)", @p200, {:setup_mix_map, [g, @p200]}, :next_ours},
        {"P38", "each/2 mix(random, map)", @p200, {:setup_mix_map, [g, @p200]}, :each_ours},
        {"P39", "next/1 loop mix(random, filter)", @p200, {:setup_mix_filter, [g, @p200]},
         :next_ours},
        {"P40", "each/2 mix(random, filter)", @p200, {:setup_mix_filter, [g, @p200]}, :each_ours}
      ]
  end
end

defmodule LockstepCompare do
  @moduledoc false
  alias LockstepCompare.Rows

  def worker(opts) do
    reps = opts[:reps] || 3

    # --min-heap WORDS: every measuring process starts with a heap this
    # large, so the rows that build a fresh generator per iteration do not
    # depend on where the process's garbage collections happen to fall.
    if opts[:min_heap], do: :erlang.system_flag(:min_heap_size, opts[:min_heap])
    Code.require_file("bench/baseline.ex")
    Code.require_file("bench/support.ex")
    s = LockstepBench.Support

    for {id, _name, n, {setup, args}, run} <- Rows.rows(), selected?(id, opts) do
      # One warm-up, then the best of `reps`.
      # (Garbage collections counted VM-wide around each run: the
      # measuring process's, as nothing else runs.)
      {best, gcs} =
        Enum.map(0..reps, fn _ ->
          {gcs0, _, _} = :erlang.statistics(:garbage_collection)
          {us, count} = s.measure({s, setup, args}, {s, run})
          {gcs1, _, _} = :erlang.statistics(:garbage_collection)
          if count != n, do: raise("#{id}: #{count} ops, expected #{n}")
          {us * 1000 / n, gcs1 - gcs0}
        end)
        |> tl()
        |> Enum.min()

      IO.puts("ROW\t#{id}\t#{Float.round(best, 2)}\t#{gcs}")
    end
  end

  defp selected?(id, opts) do
    case Keyword.get_values(opts, :only) do
      [] -> true
      ids -> id in Enum.flat_map(ids, &String.split(&1, ","))
    end
  end

  def driver(opts, script) do
    base = Path.expand(opts[:base] || raise("--base DIR: the other checkout"))
    new = File.cwd!()
    rounds = opts[:rounds] || 5
    passthru = Enum.flat_map(Keyword.get_values(opts, :only), &["--only", &1])
    passthru = passthru ++ if(opts[:reps], do: ["--reps", "#{opts[:reps]}"], else: [])

    passthru = passthru ++ if(opts[:min_heap], do: ["--min-heap", "#{opts[:min_heap]}"], else: [])

    IO.puts("base: #{base} (#{rev(base)})\nnew:  #{new} (#{rev(new)})")
    IO.puts("#{rounds} rounds, interleaved; best ns/op of each worker run\n")

    results =
      for r <- 1..rounds,
          tree <- if(rem(r, 2) == 1, do: [:base, :new], else: [:new, :base]),
          reduce: %{} do
        acc ->
          dir = if tree == :base, do: base, else: new
          {out, status} = System.cmd("mix", ["run", script, "--worker" | passthru], cd: dir)
          if status != 0, do: raise("worker in #{dir} failed:\n#{out}")

          for line <- String.split(out, "\n"),
              ["ROW", id, ns, gcs] <- [String.split(line, "\t")],
              reduce: acc do
            acc ->
              acc
              |> Map.update({tree, id}, [String.to_float(ns)], &[String.to_float(ns) | &1])
              |> Map.put({tree, id, :gcs}, gcs)
          end
      end

    IO.puts(
      String.pad_trailing("row", 6) <>
        String.pad_trailing("", 36) <>
        String.pad_leading("base", 9) <>
        String.pad_leading("new", 9) <>
        String.pad_leading("new/base", 10) <> "   spread base/new   GCs base/new"
    )

    for {id, name, _n, _setup, _run} <- Rows.rows(), Map.has_key?(results, {:new, id}) do
      b = results[{:base, id}]
      n = results[{:new, id}]
      {bb, nb} = {Enum.min(b), Enum.min(n)}

      IO.puts(
        String.pad_trailing(id, 6) <>
          String.pad_trailing(name, 36) <>
          String.pad_leading(fmt(bb), 9) <>
          String.pad_leading(fmt(nb), 9) <>
          String.pad_leading(:erlang.float_to_binary(nb / bb, decimals: 3), 10) <>
          String.pad_trailing("   #{spread(b)}% / #{spread(n)}%", 21) <>
          "#{results[{:base, id, :gcs}]} / #{results[{:new, id, :gcs}]}"
      )
    end
  end

  defp fmt(x), do: :erlang.float_to_binary(x / 1, decimals: 1)
  defp spread(xs), do: round((Enum.max(xs) / Enum.min(xs) - 1) * 100)

  defp rev(dir) do
    case System.cmd("git", ["rev-parse", "--short", "HEAD"], cd: dir, stderr_to_stdout: true) do
      {rev, 0} -> String.trim(rev)
      _ -> "?"
    end
  end
end

{opts, _rest, _invalid} =
  OptionParser.parse(System.argv() -- ["--"],
    strict: [
      worker: :boolean,
      base: :string,
      rounds: :integer,
      reps: :integer,
      min_heap: :integer,
      only: :keep
    ]
  )

if opts[:worker],
  do: LockstepCompare.worker(opts),
  else: LockstepCompare.driver(opts, Path.expand(__ENV__.file))
