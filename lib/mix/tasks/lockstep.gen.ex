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
    * `--mix swarm` — with `--workload`: swarm testing, a random non-empty
      subset of the workload's op kinds with random weights, drawn from the
      seed (`mix: :swarm`)
    * `--seed SEED` — an integer, or any other text (used as a string seed);
      default: a fresh seed, printed in the header so the run can be repeated
    * `--take N` — how many ops (default 20)
    * `--from K` — start at op K (replay a window of a long run; O(1))
    * `--fork KEY` — the stream of `fork(gen, KEY)` (KEY parsed like SEED)
    * `--workers N` — one column per worker `0..N-1`: `split(gen, N)` (each
      worker has its own random choices, and its own counter and
      list-append values: no value is appended by two workers)
    * `--independent` — independent keys: `independent(gen, …)` of the
      pool or workload (its template), ops printed as `{key, op}`; with
      `--per-key N` (ops per key, default 20), `--concurrency C` (workers
      per key, default 1; `--workers` must be a multiple of it), `--keys N`
      (keys `0..N-1`; default `0, 1, 2, …`) and `--final OP,OP…` (each
      worker's last ops on a key, e.g. `read`)
    * `--select I,J,…` — only the ops at those positions (0-based, strictly
      increasing, from `--from K` when given: ops K + I, K + J, …), as
      `select(drop(gen, K), [I, J, …])`, for each worker; rows are numbered
      by position (K + I), and a `# select [I, J, …]` line heads them
    * `--stats` — instead of the ops, a histogram of their counts by
      `Lockstep.Generator.Op.f/1` (all workers together; for list-append
      transactions, also their micro-ops: `append`, `r`; for independent
      keys, also by key)
    * `--load PATH` — the workload saved by `Lockstep.Generator.save/2`
      (or by `Lockstep.Generator.check/3`'s `save:` option): one column
      per worker when it is a list; all its ops unless `--take` is given.
      Takes no `OP` arguments, `--kind`, `--workload`, `--mix`, `--seed`,
      `--fork` or `--workers` (the file says all that)
    * `--help` — this text

  Rows are streamed: any `--take` runs in bounded memory, and the task stops
  quietly when its output is closed (`mix lockstep.gen … | head`).

  Examples:

      mix lockstep.gen --seed 42 --take 5
      mix lockstep.gen --kind weighted --seed 7 read=3 write:1=1
      mix lockstep.gen --seed 42 --workers 3 --from 1000 --take 10
      mix lockstep.gen --workload list_append --seed 7 --take 5
      mix lockstep.gen --workload bank --seed 1 --take 100000 --stats
      mix lockstep.gen --seed 42 --workers 2 --select 3,17,42
      mix lockstep.gen --workload register --mix swarm --seed 5 --take 5
      mix lockstep.gen --load failures/check_register_1234.lsg
      mix lockstep.gen --workload register --independent --per-key 20 --concurrency 3 --workers 6

  Only the rows go to stdout (`> ops.tsv` keeps just them); messages, and
  Mix's output when it compiles this package for the task, go to stderr.
  """
  @moduledoc @help
  use Mix.Task

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Coexist, Keyed, Stats, Workloads}

  @switches [
    kind: :string,
    workload: :string,
    seed: :string,
    take: :string,
    from: :string,
    fork: :string,
    workers: :string,
    select: :string,
    mix: :string,
    load: :string,
    independent: :boolean,
    per_key: :string,
    concurrency: :string,
    keys: :string,
    final: :string,
    stats: :boolean,
    help: :boolean
  ]
  @default_pool ~w(read write:1 write:2 cas:1:2)
  @usage "usage: mix lockstep.gen [--kind random|cycle|weighted | --workload register|list_append|bank] " <>
           "[--mix swarm] [--seed SEED] [--take N] [--from K] [--fork KEY | --workers N] " <>
           "[--independent [--per-key N] [--concurrency C] [--keys N] [--final OP,...]] " <>
           "[--select I,J,...] [--stats] [--load PATH] [OP ...] " <>
           "(mix lockstep.gen --help for more)"
  # Rows per write: bounded memory whatever --take is.
  @rows_per_write 1024

  @impl true
  def run(argv) do
    # With the lockstep package loaded too, make sure ours runs.
    Coexist.prefer_ours()

    case parse(argv) do
      {:ok, :help} ->
        IO.puts(String.trim_trailing(@help))

      {:ok, {from, gens, opts}} ->
        output(fn -> print(from, gens, opts) end)

      {:error, message} ->
        Mix.raise("#{message}\n#{@usage}")
    end
  end

  defp print(_from, gens, %{stats: true}) do
    Enum.each(header(gens), &write/1)

    {counts, micro, keys} =
      Enum.reduce(gens, {%{}, %{}, %{}}, &G.reduce(&1, &2, fn op, acc -> count(op, acc) end))

    total = counts |> Map.values() |> Enum.sum()
    write("# #{total} ops by Lockstep.Generator.Op.f/1")
    Enum.each(Stats.histogram(counts), &write/1)

    # Independent keys: their ops by key too.
    if map_size(keys) > 0 do
      write("# #{map_size(keys)} keys: ops by key")
      Enum.each(Stats.histogram(keys), &write/1)
    end

    # Transactions (list-append): their micro-ops by kind too.
    if map_size(micro) > 0 do
      write("# #{micro |> Map.values() |> Enum.sum()} micro-ops of the transactions by kind")
      Enum.each(Stats.histogram(micro), &write/1)
    end
  end

  defp print(from, [gen], opts) do
    Enum.each(header([gen]) ++ selection(opts), &write/1)

    gen
    |> Stream.zip(numbers(from, opts))
    |> Stream.map(fn {op, i} -> [Integer.to_string(i), ?\t, show(op), ?\n] end)
    |> Stream.chunk_every(@rows_per_write)
    |> Enum.each(&IO.write/1)
  end

  defp print(from, gens, opts) do
    Enum.each(header(gens) ++ selection(opts), &write/1)
    write(Enum.join(["op" | Enum.map(0..(length(gens) - 1), &"worker #{&1}")], "\t"))

    # Stream.zip/1 steps the workers' generators together, chunk by chunk
    # (each generator's Enumerable is chunked and suspendable); a worker
    # that ends first (a loaded shrunk workload) leaves its cells empty.
    gens
    |> Enum.map(
      &Stream.concat(Stream.map(&1, fn op -> {:op, op} end), Stream.repeatedly(fn -> nil end))
    )
    |> Stream.zip()
    |> Stream.take_while(&(Tuple.to_list(&1) |> Enum.any?()))
    |> Stream.zip(numbers(from, opts))
    |> Stream.map(fn {ops, i} ->
      [Integer.to_string(i) | Enum.map(Tuple.to_list(ops), &[?\t, cell(&1)])] ++ [?\n]
    end)
    |> Stream.chunk_every(@rows_per_write)
    |> Enum.each(&IO.write/1)
  end

  defp count(%Keyed{key: key, op: inner} = op, {counts, micro, keys}),
    do: {Stats.count(op, counts), micro_count(inner, micro), Map.update(keys, key, 1, &(&1 + 1))}

  defp count(op, {counts, micro, keys}),
    do: {Stats.count(op, counts), micro_count(op, micro), keys}

  defp micro_count([[kind | _] | rest], micro),
    do: micro_count(rest, Map.update(micro, kind, 1, &(&1 + 1)))

  defp micro_count(_op, micro), do: micro

  defp cell({:op, op}), do: show(op)
  defp cell(nil), do: ""

  # A keyed op as `{key, op}`.
  defp show(%Keyed{key: key, op: op}), do: inspect({key, op})
  defp show(op), do: inspect(op)

  # Op numbers: from K on, or the selected positions K + I.
  defp numbers(from, %{select: nil}), do: Stream.iterate(from, &(&1 + 1))
  defp numbers(from, %{select: indices}), do: Enum.map(indices, &(from + &1))

  defp selection(%{select: nil}), do: []
  defp selection(%{select: indices}), do: ["# select " <> inspect(indices, limit: :infinity)]

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
    # Every switch kept, so one given twice is an error, not a silent override.
    strict = for {key, type} <- @switches, do: {key, [type, :keep]}

    case OptionParser.parse(argv, strict: strict) do
      {opts, ops, []} ->
        cond do
          opts[:help] -> {:ok, :help}
          dup = duplicate(opts) -> {:error, "--#{dup} given more than once"}
          true -> build(opts, ops)
        end

      {_, _, [{switch, nil} | _]} ->
        if takes_value?(switch),
          do: {:error, "#{switch} needs a value"},
          else: {:error, "unknown option #{switch}"}

      {_, _, [{switch, value} | _]} ->
        {:error, "invalid value for #{switch}: #{inspect(value)}"}
    end
  end

  defp build(opts, ops) do
    if opts[:load], do: build_loaded(opts, ops), else: build_new(opts, ops)
  end

  @not_with_load [:kind, :workload, :mix, :seed, :fork, :workers]

  defp build_loaded(opts, ops) do
    with :ok <- check(ops == [], "--load takes no OP arguments, got: #{Enum.join(ops, " ")}"),
         :ok <- not_with_load(opts),
         {:ok, n} <- int(opts, :take, :all, 0, "a non-negative integer"),
         {:ok, from} <- int(opts, :from, 0, 0, "a non-negative integer"),
         {:ok, select} <- indices(opts[:select]),
         :ok <- check(!(select && opts[:take]), "--select and --take exclude each other"),
         {:ok, loaded} <- G.load(opts[:load]) do
      gens = List.wrap(loaded)
      n = if n == :all, do: loaded_take(gens), else: n
      gens = Enum.map(gens, &(&1 |> G.drop(from) |> selected(select) |> take(n)))
      {:ok, {from, gens, %{stats: opts[:stats] == true, select: select}}}
    end
  end

  defp not_with_load(opts) do
    case Enum.find(@not_with_load, &Keyword.has_key?(opts, &1)) do
      nil -> :ok
      key -> {:error, "--load and --#{key} exclude each other (the file holds the workload)"}
    end
  end

  # All the ops of a finite saved workload; 20 of an infinite one.
  defp loaded_take(gens) do
    if Enum.all?(gens, &finite?/1), do: :all, else: 20
  end

  defp finite?(gen) do
    match?({:ok, _}, Enumerable.count(gen))
  rescue
    # Enumerable.count/1 raises on an infinite generator.
    ArgumentError -> false
  end

  defp take(gen, :all), do: gen
  defp take(gen, n), do: G.take(gen, n)

  defp build_new(opts, ops) do
    with {:ok, n} <- int(opts, :take, 20, 0, "a non-negative integer"),
         {:ok, from} <- int(opts, :from, 0, 0, "a non-negative integer"),
         {:ok, workers} <- int(opts, :workers, nil, 1, "an integer of at least 1"),
         {:ok, select} <- indices(opts[:select]),
         :ok <- check(!(select && opts[:take]), "--select and --take exclude each other"),
         :ok <- check(!(opts[:fork] && workers), "--fork and --workers exclude each other"),
         :ok <- workload_alone(opts, ops),
         {:ok, gen} <- make(opts[:workload], Keyword.get(opts, :kind, "random"), ops, opts),
         {:ok, gen} <- independent(gen, opts) do
      gen = if key = opts[:fork], do: G.fork(gen, seed(key)), else: gen
      gens = if workers, do: G.split(gen, workers), else: [gen]
      # A selection is as long as its indices: no take/2 on it.
      n = if select, do: :all, else: n
      gens = Enum.map(gens, &(&1 |> G.drop(from) |> selected(select) |> take(n)))
      {:ok, {from, gens, %{stats: opts[:stats] == true, select: select}}}
    end
  rescue
    e in ArgumentError -> {:error, Exception.message(e)}
  end

  @independent_opts [:per_key, :concurrency, :keys, :final]

  defp independent(gen, opts) do
    given = Enum.find(@independent_opts, &Keyword.has_key?(opts, &1))

    cond do
      !opts[:independent] and given ->
        {:error, "--#{String.replace(Atom.to_string(given), "_", "-")} goes with --independent"}

      !opts[:independent] ->
        {:ok, gen}

      true ->
        with {:ok, per_key} <- int(opts, :per_key, 20, 0, "a non-negative integer"),
             {:ok, c} <- int(opts, :concurrency, 1, 1, "an integer of at least 1"),
             {:ok, n} <- int(opts, :keys, nil, 1, "an integer of at least 1") do
          keys = if n, do: [keys: Enum.to_list(0..(n - 1))], else: []
          final = if f = opts[:final], do: Enum.map(String.split(f, ","), &op!/1), else: []
          {:ok, G.independent(gen, keys ++ [per_key: per_key, concurrency: c, final: final])}
        end
    end
  end

  # "--seed" with no value is reported by OptionParser as an unknown switch.
  defp takes_value?(switch) do
    Enum.any?(@switches, fn {key, type} ->
      type == :string and switch == "--" <> String.replace(Atom.to_string(key), "_", "-")
    end)
  end

  defp duplicate(opts) do
    opts
    |> Keyword.keys()
    |> Enum.frequencies()
    |> Enum.find_value(fn {key, count} -> if count > 1, do: key end)
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

  defp selected(gen, nil), do: gen
  defp selected(gen, indices), do: G.select(gen, indices)

  # "3,17,42" -> {:ok, [3, 17, 42]}: non-negative integers, strictly increasing.
  defp indices(nil), do: {:ok, nil}

  defp indices(text) do
    text
    |> String.split(",")
    |> Enum.reduce_while({:ok, []}, fn part, {:ok, acc} ->
      case {Integer.parse(String.trim(part)), acc} do
        {{i, ""}, _} when i < 0 ->
          {:halt, {:error, "--select indices must be non-negative, got: #{inspect(part)}"}}

        {{i, ""}, [prev | _]} when i <= prev ->
          {:halt,
           {:error,
            "--select indices must be strictly increasing, got: #{inspect(part)} after #{prev}"}}

        {{i, ""}, _} ->
          {:cont, {:ok, [i | acc]}}

        _ ->
          {:halt,
           {:error,
            "--select must be a comma-separated list of integers, got: #{inspect(part)} in #{inspect(text)}"}}
      end
    end)
    |> case do
      {:ok, acc} -> {:ok, Enum.reverse(acc)}
      error -> error
    end
  end

  defp workload_alone(opts, ops) do
    cond do
      opts[:workload] == nil and opts[:mix] ->
        {:error, "--mix goes with --workload"}

      opts[:workload] == nil ->
        :ok

      opts[:mix] not in [nil, "swarm"] ->
        {:error, "--mix must be swarm, got: #{inspect(opts[:mix])}"}

      opts[:kind] ->
        {:error, "--workload and --kind exclude each other"}

      ops != [] ->
        {:error, "--workload takes no OP arguments, got: #{Enum.join(ops, " ")}"}

      true ->
        :ok
    end
  end

  defp make(workload, kind, ops, opts) do
    weighted = Enum.find(ops, &String.contains?(&1, "="))

    if workload == nil and kind != "weighted" and weighted do
      {:error, "op #{inspect(weighted)} has a =WEIGHT: weighted ops need --kind weighted"}
    else
      make_ops(workload, kind, ops, opts)
    end
  end

  defp make_ops(workload, kind, ops, opts) do
    seed = if s = opts[:seed], do: [seed: seed(s)], else: []
    ops = if ops == [], do: @default_pool, else: ops
    # --mix swarm only with --workload (checked in workload_alone/2).
    wopts = if opts[:mix] == "swarm", do: [{:mix, :swarm} | seed], else: seed
    make_gen(workload, kind, ops, if(workload, do: wopts, else: seed))
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
