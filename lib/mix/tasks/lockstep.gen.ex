defmodule Mix.Tasks.Lockstep.Gen do
  @shortdoc "Prints a seeded op stream of Lockstep.Generator"
  @help """
  Prints a seeded stream of ops, one per line, so a failing test's workload can
  be read (and replayed) from the command line.

      mix lockstep.gen [options] [OP ...]

  Each `OP` is `name` or `name:arg:arg…` (integer args become integers, others
  atoms; no part may be empty): `read`, `write:1`, `cas:1:2` are `:read`,
  `{:write, 1}`, `{:cas, 1, 2}`. With `--kind weighted`, append `=WEIGHT`:
  `read=3 write:1=1`. Without ops the pool is `read write:1 write:2 cas:1:2`.

  Options:

    * `--kind random|cycle|weighted` (default `random`)
    * `--workload register|list_append|bank` — a ready-made workload of
      `Lockstep.Generator.Workloads` (with its defaults) instead of a pool;
      takes no `OP` arguments and no `--kind`
    * `--seed SEED` — an integer, or any other text (used as a string seed);
      default: a fresh seed, printed in the header so the run can be repeated
    * `--take N` — how many ops (default 20)
    * `--from K` — start at op K (replay a window of a long run; O(1))
    * `--fork KEY` — the stream of `fork(gen, KEY)` (KEY parsed like SEED)
    * `--workers N` — one column per worker `0..N-1`: `split(gen, N)`
    * `--stats` — instead of the ops, a histogram of their counts by
      `Lockstep.Generator.Op.f/1` (all workers together)
    * `--help` — this text

  Rows are streamed: any `--take` runs in bounded memory, and the task stops
  quietly when its output is closed (`mix lockstep.gen … | head`).

  Examples:

      mix lockstep.gen --seed 42 --take 5
      mix lockstep.gen --kind weighted --seed 7 read=3 write:1=1
      mix lockstep.gen --seed 42 --workers 3 --from 1000 --take 10
      mix lockstep.gen --workload list_append --seed 7 --take 5
      mix lockstep.gen --workload bank --seed 1 --take 100000 --stats
  """
  @moduledoc @help
  use Mix.Task

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Coexist, Stats, Workloads}

  @switches [
    kind: :string,
    workload: :string,
    seed: :string,
    take: :string,
    from: :string,
    fork: :string,
    workers: :string,
    stats: :boolean,
    help: :boolean
  ]
  @default_pool ~w(read write:1 write:2 cas:1:2)
  @usage "usage: mix lockstep.gen [--kind random|cycle|weighted | --workload register|list_append|bank] " <>
           "[--seed SEED] [--take N] [--from K] [--fork KEY | --workers N] [--stats] [OP ...] " <>
           "(mix lockstep.gen --help for more)"
  # Rows per write: bounded memory whatever --take is.
  @rows_per_write 1024

  @impl true
  def run(argv) do
    # With the lockstep package loaded too, make sure ours runs.
    Coexist.prefer_ours()

    case parse(argv) do
      {:ok, :help} ->
        Mix.shell().info(String.trim_trailing(@help))

      {:ok, {from, gens, opts}} ->
        output(fn -> print(from, gens, opts) end)

      {:error, message} ->
        Mix.raise("#{message}\n#{@usage}")
    end
  end

  defp print(_from, gens, %{stats: true}) do
    Enum.each(header(gens), &write/1)
    counts = Enum.reduce(gens, %{}, &G.reduce(&1, &2, fn op, acc -> Stats.count(op, acc) end))
    total = counts |> Map.values() |> Enum.sum()
    write("# #{total} ops by Lockstep.Generator.Op.f/1")
    Enum.each(Stats.histogram(counts), &write/1)
  end

  defp print(from, [gen], _opts) do
    Enum.each(header([gen]), &write/1)

    gen
    |> Stream.with_index(from)
    |> Stream.map(fn {op, i} -> [Integer.to_string(i), ?\t, inspect(op), ?\n] end)
    |> Stream.chunk_every(@rows_per_write)
    |> Enum.each(&IO.write/1)
  end

  defp print(from, gens, _opts) do
    Enum.each(header(gens), &write/1)
    write(Enum.join(["op" | Enum.map(0..(length(gens) - 1), &"worker #{&1}")], "\t"))

    # Stream.zip/1 steps the workers' generators together, chunk by chunk
    # (each generator's Enumerable is chunked and suspendable).
    gens
    |> Stream.zip()
    |> Stream.with_index(from)
    |> Stream.map(fn {ops, i} ->
      [Integer.to_string(i) | Enum.map(Tuple.to_list(ops), &[?\t, inspect(&1)])] ++ [?\n]
    end)
    |> Stream.chunk_every(@rows_per_write)
    |> Enum.each(&IO.write/1)
  end

  defp header([gen]), do: ["# " <> inspect(gen)]

  defp header(gens),
    do: for({g, w} <- Enum.with_index(gens), do: "# worker #{w}: #{inspect(g)}")

  defp write(line), do: IO.write([line, ?\n])

  # A reader that goes away (`| head`) closes stdout: the next write fails
  # with :terminated (the `user` I/O server is gone) or :epipe. That is the
  # end of the job, not an error: stop without a trace.
  defp output(fun) do
    fun.()
  rescue
    e in ErlangError ->
      if e.original in [:terminated, :epipe] do
        closed_output()
      else
        reraise e, __STACKTRACE__
      end
  end

  # Nothing can be printed any more (Mix would try on the way out): done.
  defp closed_output, do: System.halt(0)

  @doc false
  # argv -> {:ok, {from, [generator], opts}} | {:ok, :help} | {:error, message};
  # never raises.
  def parse(argv) do
    case OptionParser.parse(argv, strict: @switches) do
      {opts, ops, []} ->
        if opts[:help], do: {:ok, :help}, else: build(opts, ops)

      {_, _, [{switch, nil} | _]} ->
        {:error, "unknown option #{switch}"}

      {_, _, [{switch, value} | _]} ->
        {:error, "invalid value for #{switch}: #{inspect(value)}"}
    end
  end

  defp build(opts, ops) do
    with {:ok, n} <- int(opts, :take, 20, 0, "a non-negative integer"),
         {:ok, from} <- int(opts, :from, 0, 0, "a non-negative integer"),
         {:ok, workers} <- int(opts, :workers, nil, 1, "an integer of at least 1"),
         :ok <- check(!(opts[:fork] && workers), "--fork and --workers exclude each other"),
         :ok <- workload_alone(opts, ops),
         {:ok, gen} <- make(opts[:workload], Keyword.get(opts, :kind, "random"), ops, opts) do
      gen = if key = opts[:fork], do: G.fork(gen, seed(key)), else: gen
      gens = if workers, do: G.split(gen, workers), else: [gen]
      gens = Enum.map(gens, &(&1 |> G.drop(from) |> G.take(n)))
      {:ok, {from, gens, %{stats: opts[:stats] == true}}}
    end
  rescue
    e in ArgumentError -> {:error, Exception.message(e)}
  end

  defp int(opts, key, default, min, what) do
    case Keyword.fetch(opts, key) do
      :error ->
        {:ok, default}

      {:ok, text} ->
        case Integer.parse(text) do
          {i, ""} when i >= min -> {:ok, i}
          _ -> {:error, "--#{key} must be #{what}, got: #{inspect(text)}"}
        end
    end
  end

  defp workload_alone(opts, ops) do
    cond do
      opts[:workload] == nil -> :ok
      opts[:kind] -> {:error, "--workload and --kind exclude each other"}
      ops != [] -> {:error, "--workload takes no OP arguments, got: #{Enum.join(ops, " ")}"}
      true -> :ok
    end
  end

  defp make(workload, kind, ops, opts) do
    seed = if s = opts[:seed], do: [seed: seed(s)], else: []
    ops = if ops == [], do: @default_pool, else: ops
    make_gen(workload, kind, ops, seed)
  end

  defp make_gen(nil, "random", ops, seed), do: {:ok, G.random(Enum.map(ops, &op!/1), seed)}
  defp make_gen(nil, "cycle", ops, _seed), do: {:ok, G.cycle(Enum.map(ops, &op!/1))}

  defp make_gen(nil, "weighted", ops, seed),
    do: {:ok, G.weighted(Enum.map(ops, &weighted_op/1), seed)}

  defp make_gen(nil, kind, _ops, _seed), do: {:error, "unknown --kind #{kind}"}
  defp make_gen("register", _kind, _ops, seed), do: {:ok, Workloads.register(seed)}
  defp make_gen("list_append", _kind, _ops, seed), do: {:ok, Workloads.list_append(seed)}
  defp make_gen("bank", _kind, _ops, seed), do: {:ok, Workloads.bank(seed)}
  defp make_gen(workload, _kind, _ops, _seed), do: {:error, "unknown --workload #{workload}"}

  defp check(true, _message), do: :ok
  defp check(false, message), do: {:error, message}

  defp seed(text) do
    case Integer.parse(text) do
      {int, ""} -> int
      _ -> text
    end
  end

  defp weighted_op(text) do
    with [spec, weight] <- String.split(text, "=", parts: 2),
         {w, ""} <- Integer.parse(weight) do
      {op!(spec), w}
    else
      _ -> raise ArgumentError, "weighted op #{inspect(text)} must be OP=WEIGHT, e.g. read=3"
    end
  end

  defp op!(text) do
    case op(text) do
      {:ok, op} -> op
      {:error, message} -> raise ArgumentError, message
    end
  end

  @doc false
  # "cas:1:2" -> {:ok, {:cas, 1, 2}}; "read" -> {:ok, :read};
  # "cas:1:" -> {:error, _} (no empty name or argument).
  def op(text) do
    parts = String.split(text, ":")

    cond do
      Enum.any?(parts, &(&1 == "")) ->
        {:error,
         "op #{inspect(text)} has an empty name or argument (OP is name or name:arg:arg…)"}

      match?([_], parts) ->
        {:ok, String.to_atom(text)}

      true ->
        [name | args] = parts
        {:ok, List.to_tuple([String.to_atom(name) | Enum.map(args, &arg/1)])}
    end
  end

  defp arg(text) do
    case Integer.parse(text) do
      {int, ""} -> int
      _ -> String.to_atom(text)
    end
  end
end
