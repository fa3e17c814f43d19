# Side-by-side timing of two builds of this package (the Elixir-side rows of
# bench/run.exs: next/1 loops, fresh generators per iteration, construction,
# Enum.to_list of a take(20), mixes holding a map or a filter).
#
#     mix run bench/compare.exs --base /path/to/other/checkout [--rounds 5] [--only P2]
#
# run from either tree: the script runs itself as a worker in both trees
# (`mix run <this file> --worker` with each tree as the working directory),
# interleaved (base, new, new, base, base, new, ...), `--rounds` times each;
# a worker runs every row in a fresh process per measurement (a warm-up,
# then `--reps` runs, best kept). The table shows, per row, the best ns/op
# of all rounds for each build, their ratio (new / base), and the spread of
# the rounds' bests (max / min - 1: the noise of this sitting). Only the
# public API is used, so any build of the package can be compared.
#
# Row ids are those of bench/run.exs ("Paths users run"), same workloads and
# op counts.

defmodule LockstepCompare.Rows do
  @moduledoc false
  alias Lockstep.Generator, as: G

  @pool4 [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}]
  @weighted4 Enum.zip(@pool4, [1, 2, 3, 4])

  def noop(_op), do: :ok
  def write(v), do: {:write, v}
  def even?(v), do: rem(v, 2) == 0

  @p200 200_000
  @p100 100_000

  # {id, name, ops, setup (fun returning args), run (fun of args returning ops)}
  def rows do
    [
      {"1", "each/2 random (4 ops), 1M", 1_000_000, fn -> [random(42) |> G.take(1_000_000)] end,
       &each/1},
      {"P1", "next/1 loop mix of three", @p200, fn -> [mix3(1) |> G.take(@p200)] end,
       &next_loop/1},
      {"P2", "next/1 loop register", @p200, fn -> [workload(:register, 1) |> G.take(@p200)] end,
       &next_loop/1},
      {"P5", "next/1 loop random", @p200, fn -> [random(42) |> G.take(@p200)] end, &next_loop/1},
      {"P21", "iteration random each", 60_000, fn -> [:random, :each] end, &iteration/2},
      {"P22", "iteration random next", 60_000, fn -> [:random, :next] end, &iteration/2},
      {"P23", "iteration mix3 each", 60_000, fn -> [:mix3, :each] end, &iteration/2},
      {"P24", "iteration mix3 next", 60_000, fn -> [:mix3, :next] end, &iteration/2},
      {"P25", "iteration register each", 60_000, fn -> [:register, :each] end, &iteration/2},
      {"P26", "iteration register next", 60_000, fn -> [:register, :next] end, &iteration/2},
      {"P27", "construct random", @p100, fn -> [:random] end, &construct/1},
      {"P28", "construct weighted", @p100, fn -> [:weighted] end, &construct/1},
      {"P29", "construct mix3", @p100, fn -> [:mix3] end, &construct/1},
      {"P30", "construct register", @p100, fn -> [:register] end, &construct/1},
      {"P31", "construct bank", @p100, fn -> [:bank] end, &construct/1},
      {"P32", "construct list_append", @p100, fn -> [:list_append] end, &construct/1},
      {"P33", "Enum.to_list(take(random, 20))", @p200, fn -> [gen(:random, 42) |> G.take(20)] end,
       &to_list_loop/1},
      {"P34", "Enum.to_list(take(mix3, 20))", @p200, fn -> [gen(:mix3, 42) |> G.take(20)] end,
       &to_list_loop/1},
      {"P35", "Enum.to_list(take(register, 20))", @p200,
       fn -> [gen(:register, 42) |> G.take(20)] end, &to_list_loop/1},
      {"P37", "next/1 loop mix(random, map)", @p200, fn -> [mix_map() |> G.take(@p200)] end,
       &next_loop/1},
      {"P38", "each/2 mix(random, map)", @p200, fn -> [mix_map() |> G.take(@p200)] end, &each/1},
      {"P39", "next/1 loop mix(random, filter)", @p200, fn -> [mix_filter() |> G.take(@p200)] end,
       &next_loop/1},
      {"P40", "each/2 mix(random, filter)", @p200, fn -> [mix_filter() |> G.take(@p200)] end,
       &each/1}
    ]
  end

  defp random(seed), do: G.random(@pool4, seed: seed)

  defp mix3(seed),
    do: G.mix([G.random(@pool4, seed: seed), G.cycle(@pool4), G.weighted(@weighted4, seed: 3)])

  defp mix_map,
    do: G.mix([G.random(@pool4, seed: 1), G.map(G.integers(1..5, seed: 2), &write/1)])

  defp mix_filter,
    do: G.mix([G.random(@pool4, seed: 1), G.filter(G.integers(1..100, seed: 2), &even?/1)])

  defp workload(:register, seed), do: G.Workloads.register(seed: seed)
  defp workload(:bank, seed), do: G.Workloads.bank(seed: seed)
  defp workload(:list_append, seed), do: G.Workloads.list_append(seed: seed)

  # The generators of the iteration and take(20) rows (as bench/support.ex).
  defp gen(:random, seed), do: G.random(@pool4, seed: seed)

  defp gen(:mix3, seed),
    do:
      G.mix([
        G.random(@pool4, seed: seed),
        G.cycle(@pool4),
        G.weighted(@weighted4, seed: seed + 1)
      ])

  defp gen(:register, seed), do: workload(:register, seed)

  def each(gen), do: G.each(gen, &noop/1)

  def next_loop(gen), do: next_loop(G.next(gen), 0)
  defp next_loop(:done, count), do: count
  defp next_loop({_op, gen}, count), do: next_loop(G.next(gen), count + 1)

  def iteration(kind, mode) do
    Enum.reduce(1..1000, 0, fn i, acc ->
      Enum.reduce(1..3, acc, fn w, acc ->
        g = gen(kind, :erlang.phash2({i, w})) |> G.take(20)
        acc + if mode == :each, do: G.each(g, &noop/1), else: next_loop(g)
      end)
    end)
  end

  def construct(kind), do: construct(kind, 1, @p100)
  defp construct(_kind, i, n) when i > n, do: n

  defp construct(kind, i, n) do
    build(kind, i)
    construct(kind, i + 1, n)
  end

  defp build(:random, seed), do: G.random(@pool4, seed: seed)
  defp build(:weighted, seed), do: G.weighted(@weighted4, seed: seed)

  defp build(:mix3, seed),
    do: G.mix([G.random(@pool4, seed: seed), G.cycle(@pool4), G.weighted(@weighted4, seed: seed)])

  defp build(kind, seed), do: workload(kind, seed)

  def to_list_loop(gen), do: to_list_loop(gen, div(@p200, 20), 0)
  defp to_list_loop(_gen, 0, count), do: count

  defp to_list_loop(gen, k, count),
    do: to_list_loop(gen, k - 1, count + length(Enum.to_list(gen)))

  # Setup, a GC, then the timed run, in a fresh process: {microseconds, ops}.
  def measure(setup, run) do
    parent = self()
    ref = make_ref()

    spawn_link(fn ->
      args = setup.()
      :erlang.garbage_collect()
      {us, count} = :timer.tc(fn -> apply(run, args) end)
      send(parent, {ref, us, count})
    end)

    receive do
      {^ref, us, count} -> {us, count}
    end
  end
end

defmodule LockstepCompare do
  @moduledoc false
  alias LockstepCompare.Rows

  def worker(opts) do
    reps = opts[:reps] || 3

    for {id, _name, n, setup, run} <- Rows.rows(), selected?(id, opts) do
      # One warm-up, then the best of `reps`.
      best =
        Enum.map(0..reps, fn _ ->
          {us, count} = Rows.measure(setup, run)
          if count != n, do: raise("#{id}: #{count} ops, expected #{n}")
          us * 1000 / n
        end)
        |> tl()
        |> Enum.min()

      IO.puts("ROW\t#{id}\t#{Float.round(best, 2)}")
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
              ["ROW", id, ns] <- [String.split(line, "\t")],
              reduce: acc do
            acc -> Map.update(acc, {tree, id}, [String.to_float(ns)], &[String.to_float(ns) | &1])
          end
      end

    IO.puts(
      String.pad_trailing("row", 6) <>
        String.pad_trailing("", 36) <>
        String.pad_leading("base", 9) <>
        String.pad_leading("new", 9) <>
        String.pad_leading("new/base", 10) <> "   spread base/new"
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
          "   #{spread(b)}% / #{spread(n)}%"
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
      only: :keep
    ]
  )

if opts[:worker],
  do: LockstepCompare.worker(opts),
  else: LockstepCompare.driver(opts, Path.expand(__ENV__.file))
