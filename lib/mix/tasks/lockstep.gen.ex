defmodule Mix.Tasks.Lockstep.Gen do
  @shortdoc "Prints a seeded op stream of Lockstep.Generator"
  @moduledoc """
  Prints a seeded stream of ops, one per line, so a failing test's workload can
  be read (and replayed) from the command line.

      mix lockstep.gen [options] [OP ...]

  Each `OP` is `name` or `name:arg:arg…` (integer args become integers):
  `read`, `write:1`, `cas:1:2` are `:read`, `{:write, 1}`, `{:cas, 1, 2}`. With
  `--kind weighted`, append `=WEIGHT`: `read=3 write:1=1`. Without ops the pool
  is `read write:1 write:2 cas:1:2`.

  Options:

    * `--kind random|cycle|weighted` (default `random`)
    * `--workload register|list_append|bank` — a ready-made workload of
      `Lockstep.Generator.Workloads` (with its defaults) instead of a pool
    * `--seed SEED` — an integer, or any other text (used as a string seed);
      default: a fresh seed, printed in the header so the run can be repeated
    * `--take N` — how many ops (default 20)
    * `--from K` — start at op K (replay a window of a long run; O(1))
    * `--fork KEY` — the stream of `fork(gen, KEY)` (KEY parsed like SEED)
    * `--workers N` — one column per worker `0..N-1`: `split(gen, N)`

  Examples:

      mix lockstep.gen --seed 42 --take 5
      mix lockstep.gen --kind weighted --seed 7 read=3 write:1=1
      mix lockstep.gen --seed 42 --workers 3 --from 1000 --take 10
      mix lockstep.gen --workload list_append --seed 7 --take 5
  """
  use Mix.Task

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  @switches [
    kind: :string,
    workload: :string,
    seed: :string,
    take: :integer,
    from: :integer,
    fork: :string,
    workers: :integer,
    help: :boolean
  ]
  @default_pool ~w(read write:1 write:2 cas:1:2)
  @usage "usage: mix lockstep.gen [--kind random|cycle|weighted | --workload register|list_append|bank] " <>
           "[--seed SEED] [--take N] " <>
           "[--from K] [--fork KEY | --workers N] [OP ...]"

  @impl true
  def run(argv) do
    case parse(argv) do
      {:ok, :help} ->
        Mix.shell().info(@usage)

      {:ok, {from, [gen]}} ->
        Mix.shell().info("# " <> inspect(gen))

        G.reduce(gen, from, fn op, i ->
          Mix.shell().info("#{i}\t#{inspect(op)}")
          i + 1
        end)

      {:ok, {from, gens}} ->
        Enum.each(Enum.with_index(gens), fn {g, w} ->
          Mix.shell().info("# worker #{w}: #{inspect(g)}")
        end)

        columns = Enum.map(gens, &Enum.to_list/1)

        Mix.shell().info(
          Enum.join(["op" | Enum.map(0..(length(gens) - 1), &"worker #{&1}")], "\t")
        )

        columns
        |> Enum.zip()
        |> Enum.with_index(from)
        |> Enum.each(fn {ops, i} ->
          Mix.shell().info(Enum.join([i | Enum.map(Tuple.to_list(ops), &inspect/1)], "\t"))
        end)

      {:error, message} ->
        Mix.raise("#{message}\n#{@usage}")
    end
  end

  @doc false
  # argv -> {:ok, {from, [generator]}} | {:ok, :help} | {:error, message};
  # never raises.
  def parse(argv) do
    case OptionParser.parse(argv, strict: @switches) do
      {opts, ops, []} ->
        if opts[:help], do: {:ok, :help}, else: build(opts, ops)

      {_, _, [{switch, _} | _]} ->
        {:error, "unknown or invalid option #{switch}"}
    end
  end

  defp build(opts, ops) do
    ops = if ops == [], do: @default_pool, else: ops
    n = Keyword.get(opts, :take, 20)
    from = Keyword.get(opts, :from, 0)
    seed_opt = if s = opts[:seed], do: [seed: seed(s)], else: []

    with :ok <- check(n >= 0, "--take must be a non-negative integer"),
         :ok <- check(from >= 0, "--from must be a non-negative integer"),
         :ok <- check(Keyword.get(opts, :workers, 1) >= 1, "--workers must be at least 1"),
         :ok <-
           check(!(opts[:fork] && opts[:workers]), "--fork and --workers exclude each other"),
         {:ok, gen} <- make(opts[:workload], Keyword.get(opts, :kind, "random"), ops, seed_opt) do
      gen = if key = opts[:fork], do: G.fork(gen, seed(key)), else: gen
      gens = if w = opts[:workers], do: G.split(gen, w), else: [gen]
      {:ok, {from, Enum.map(gens, &(&1 |> G.drop(from) |> G.take(n)))}}
    end
  rescue
    e in ArgumentError -> {:error, Exception.message(e)}
  end

  defp make(nil, "random", ops, seed), do: {:ok, G.random(Enum.map(ops, &op/1), seed)}
  defp make(nil, "cycle", ops, _seed), do: {:ok, G.cycle(Enum.map(ops, &op/1))}

  defp make(nil, "weighted", ops, seed),
    do: {:ok, G.weighted(Enum.map(ops, &weighted_op/1), seed)}

  defp make(nil, kind, _ops, _seed), do: {:error, "unknown --kind #{kind}"}
  defp make("register", _kind, _ops, seed), do: {:ok, Workloads.register(seed)}
  defp make("list_append", _kind, _ops, seed), do: {:ok, Workloads.list_append(seed)}
  defp make("bank", _kind, _ops, seed), do: {:ok, Workloads.bank(seed)}
  defp make(workload, _kind, _ops, _seed), do: {:error, "unknown --workload #{workload}"}

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
      {op(spec), w}
    else
      _ -> raise ArgumentError, "weighted op #{inspect(text)} must be OP=WEIGHT, e.g. read=3"
    end
  end

  @doc false
  # "cas:1:2" -> {:cas, 1, 2}; "read" -> :read.
  def op(text) do
    case String.split(text, ":") do
      [name] -> String.to_atom(name)
      [name | args] -> List.to_tuple([String.to_atom(name) | Enum.map(args, &arg/1)])
    end
  end

  defp arg(text) do
    case Integer.parse(text) do
      {int, ""} -> int
      _ -> String.to_atom(text)
    end
  end
end
