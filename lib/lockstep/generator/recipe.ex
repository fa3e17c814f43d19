defmodule Lockstep.Generator.Recipe do
  @moduledoc """
  Elixir source that rebuilds a generator exactly: `Lockstep.Generator.recipe/1`.

  A recipe is a chain of the public constructors and combinators
  (`random/2`, `Workloads.register/1`, `mix/2`, `fork/2`, `split/2`,
  `drop/2`, `take/2`, `select/2`, …) with every option that changes the
  stream written out, so that evaluating it in any VM with this package
  loaded gives a generator with the same ops from the same position.

  One helper here appears in recipes of composites captured mid-stream:
  `resume/2` sets a mix's or concat's own position (which child is asked
  next, or, for a `strategy: :random` mix, the index of its next draw),
  which no constructor takes.
  """

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Driver

  @default_max_rejections 1_000_000

  @doc """
  A mix's or concat's own position: `next_child` of a round-robin mix or a
  concat, or the op index of a `strategy: :random` mix's own stream (its
  next draw). The children are left as they are. Recipes of composites
  captured mid-stream end with it; it is not needed otherwise.

  ## Examples

      iex> alias Lockstep.Generator, as: G
      iex> G.mix([G.cycle([:a]), G.cycle([:b])]) |> Lockstep.Generator.Recipe.resume(1) |> Enum.take(3)
      [:b, :a, :b]

  """
  @spec resume(G.t(), non_neg_integer()) :: G.t()
  def resume(%G{kind: kind, children: [_ | _] = children} = gen, at)
      when kind in [:mix, :concat] and is_integer(at) and at >= 0 do
    gen = Driver.settle(gen)

    case gen.engine do
      %{strategy: :random} = engine ->
        %{gen | engine: %{engine | rpos: at}}

      _round_robin_or_concat when at < length(children) ->
        %{gen | next_child: at}

      _ ->
        raise ArgumentError,
              "resume/2 expects at to be a child index below #{length(children)}, got: #{at}"
    end
  end

  def resume(gen, at) do
    raise ArgumentError,
          "resume/2 expects a mix or concat and a non-negative integer, got: " <>
            "#{inspect(gen, limit: 5)} and #{inspect(at)}"
  end

  @doc false
  # The source text of recipe/1.
  @spec recipe(G.t() | [G.t()]) :: String.t()
  def recipe(%G{} = gen), do: render(expr(gen, []))

  def recipe([_ | _] = gens) do
    exprs =
      Enum.with_index(gens, fn
        %G{} = gen, _i -> expr(gen, [])
        other, i -> bad!("element #{i} of the list is not a generator: #{inspect(other)}")
      end)

    render("[" <> Enum.join(exprs, ",\n") <> "]")
  end

  def recipe(other),
    do: bad!("expects a generator or a non-empty list of generators, got: #{inspect(other)}")

  defp render(body) do
    source = "alias Lockstep.Generator, as: G\nalias Lockstep.Generator.Workloads\n\n" <> body
    source |> Code.format_string!() |> IO.iodata_to_binary()
  end

  defp bad!(message), do: raise(ArgumentError, "recipe/1 " <> message)

  # ----------------------------------------------------------------------
  # The one place that reads a generator's internal state: each node as a
  # plain description. A composite is first brought to its exact state
  # (children up to date, no buffer).
  defp describe(%G{children: nil} = gen) do
    engine = gen.engine

    %{
      kind: gen.kind,
      args: leaf_args(gen),
      forks: Map.get(engine, :forks, []),
      at: G.__position__(gen),
      remaining: gen.remaining
    }
  end

  defp describe(%G{} = gen) do
    gen = Driver.settle(gen)
    engine = gen.engine

    base = %{kind: gen.kind, children: gen.children, remaining: gen.remaining, forks: []}

    case gen.kind do
      kind when kind in [:mix, :concat, :zip] ->
        own =
          case engine do
            %{strategy: :random} = e ->
              %{
                forks: e.forks,
                at: e.rpos,
                opts: [strategy: :random, seed: gen.seed] ++ weights_opt(gen.weights)
              }

            %{strategy: :round_robin} ->
              %{at: gen.next_child, opts: []}

            _concat_or_zip ->
              %{at: gen.next_child || 0, opts: []}
          end

        until = if kind == :mix and engine.until == :all, do: [until: :all], else: []
        Map.merge(base, %{own | opts: own.opts ++ until})

      :map ->
        Map.put(base, :fun, engine.fun)

      :filter ->
        Map.merge(base, %{fun: engine.pred, max: engine.max})

      :select ->
        Map.put(base, :indices, Enum.map(engine.indices, &(&1 - engine.at)))

      other ->
        bad!("does not know the generator kind #{inspect(other)}")
    end
  end

  defp weights_opt(nil), do: []
  defp weights_opt(weights), do: [weights: weights]

  # A leaf's constructor, as {function source, first argument source or nil,
  # options} (the options in the order the docs list them).
  defp leaf_args(%G{kind: :random} = gen), do: {"G.random", term(gen.ops), [seed: gen.seed]}
  defp leaf_args(%G{kind: :cycle} = gen), do: {"G.cycle", term(gen.ops), []}

  defp leaf_args(%G{kind: :weighted} = gen),
    do: {"G.weighted", term(Enum.zip(gen.ops, gen.weights)), [seed: gen.seed]}

  defp leaf_args(%G{engine: %{params: params}} = gen), do: params_args(params, gen.seed)

  defp leaf_args(%G{kind: kind}), do: bad!("does not know the generator kind #{inspect(kind)}")

  defp params_args({:integers, lo, hi}, seed),
    do: {"G.integers", range(lo, hi), [seed: seed]}

  defp params_args({:zipf, n, skew}, seed),
    do: {"G.zipf", term(n), default_opt(:skew, skew, 1.0) ++ [seed: seed]}

  defp params_args({:counter, start, _workers, _worker}, _seed),
    do: {"G.counter", term(start), []}

  defp params_args({:register, lo, hi, weights}, seed) do
    opts =
      [seed: seed] ++
        default_opt(:values, {:range, lo, hi}, {:range, 1, 5}) ++
        mix_opt(weights, [:read, :write, :cas])

    {"Workloads.register", nil, opts}
  end

  defp params_args({:bank, accounts, max, weights}, seed) do
    opts =
      [seed: seed] ++
        default_opt(:accounts, accounts, 5) ++
        default_opt(:max_transfer, max, 5) ++ mix_opt(weights, [:transfer, :read])

    {"Workloads.bank", nil, opts}
  end

  defp params_args({:list_append, keys, len, weights, skew, workers, worker}, seed) do
    key_dist = if skew == nil, do: :uniform, else: {:zipf, skew}

    opts =
      [seed: seed] ++
        default_opt(:keys, keys, 8) ++
        default_opt(:max_txn_length, len, 4) ++
        default_opt(:key_dist, key_dist, {:zipf, 1.0}) ++
        mix_opt(weights, [:append, :read]) ++
        default_opt(:workers, workers, 1) ++ default_opt(:worker, worker, 0)

    {"Workloads.list_append", nil, opts}
  end

  # Params with a constant op table: the same options.
  defp params_args(params, seed) when elem(params, tuple_size(params) - 1) == :table,
    do: params |> Tuple.delete_at(tuple_size(params) - 1) |> params_args(seed)

  defp params_args(params, _seed),
    do: bad!("does not know the generator parameters #{inspect(params)}")

  defp default_opt(_key, value, value), do: []
  defp default_opt(key, value, _default), do: [{key, value}]

  defp mix_opt(:swarm, _kinds), do: [mix: :swarm]

  defp mix_opt(weights, kinds) do
    if Enum.all?(weights, &(&1 == 1)), do: [], else: [mix: Enum.zip(kinds, weights)]
  end

  # A counter's share of its values after split/2 (workers, worker).
  defp counter_share(%G{kind: :counter, engine: %{params: {:counter, _, workers, worker}}}),
    do: {workers, worker}

  defp counter_share(_gen), do: {1, 0}

  # ----------------------------------------------------------------------
  # Source of one generator. `strip` is the fork path (newest first) that an
  # enclosing random mix's own `fork/2` calls give every node below it: it is
  # written once, after that mix, and left out below.
  defp expr(%G{children: nil} = gen, strip) do
    node = describe(gen)
    {fun, arg, opts} = node.args
    args = Enum.reject([arg, opts_source(opts)], &(&1 in [nil, ""]))
    source = "#{fun}(#{Enum.join(args, ", ")})"

    source =
      case counter_share(gen) do
        {1, 0} -> source
        {workers, worker} -> "#{source} |> G.split(#{workers}) |> Enum.at(#{worker})"
      end

    # A cycle or a counter draws nothing: forking it changes no op.
    forks = if gen.kind in [:cycle, :counter], do: [], else: own_forks(node.forks, strip)

    source
    |> forks(forks)
    |> at(node.at)
    |> take(node.remaining)
  end

  defp expr(%G{} = gen, strip) do
    node = describe(gen)

    case node.kind do
      kind when kind in [:mix, :concat, :zip] ->
        own = own_forks(node.forks, strip)
        inner = if node.forks == [], do: strip, else: node.forks
        children = Enum.map_join(node.children, ", ", &expr(&1, inner))
        args = Enum.reject(["[#{children}]", opts_source(node.opts)], &(&1 == ""))

        "G.#{kind}(#{Enum.join(args, ", ")})"
        |> forks(own)
        |> resume_at(node.at)
        |> take(node.remaining)

      :map ->
        "G.map(#{expr(hd(node.children), strip)}, #{fun!(node.fun, "map/2")})"
        |> take(node.remaining)

      :filter ->
        max =
          if node.max == @default_max_rejections,
            do: "",
            else: ", max_rejections: #{node.max}"

        "G.filter(#{expr(hd(node.children), strip)}, #{fun!(node.fun, "filter/3")}#{max})"
        |> take(node.remaining)

      :select ->
        "G.select(#{expr(hd(node.children), strip)}, #{term(node.indices)})"
        |> take(node.remaining)
    end
  end

  defp own_forks(forks, strip) do
    # Newest first: the enclosing mix's keys are the newest.
    {newest, own} = Enum.split(forks, length(strip))

    if newest == strip do
      own
    else
      bad!("found a generator whose fork keys do not extend its parent's: #{inspect(forks)}")
    end
  end

  # Fork keys are kept newest first: applied oldest first.
  defp forks(source, keys),
    do: keys |> Enum.reverse() |> Enum.reduce(source, &"#{&2} |> G.fork(#{term(&1)})")

  defp at(source, 0), do: source
  defp at(source, n), do: "#{source} |> G.drop(#{n})"

  defp resume_at(source, 0), do: source
  defp resume_at(source, nil), do: source
  defp resume_at(source, n), do: "#{source} |> Lockstep.Generator.Recipe.resume(#{n})"

  defp take(source, :infinity), do: source
  defp take(source, n), do: "#{source} |> G.take(#{n})"

  defp opts_source([]), do: ""

  defp opts_source(opts) do
    Enum.map_join(opts, ", ", fn
      {k, {:range, lo, hi}} -> "#{k}: #{range(lo, hi)}"
      {k, v} -> "#{k}: #{term(v)}"
    end)
  end

  defp range(lo, hi), do: "#{lo}..#{hi}"

  # A map's or filter's function: a named capture is written as one; an
  # anonymous function has no source to write.
  defp fun!(fun, where) do
    case Function.info(fun, :type) do
      {:type, :external} ->
        inspect(fun)

      {:type, :local} ->
        bad!(
          "cannot write the anonymous function #{inspect(fun)} of a #{where}: " <>
            "give it a named capture such as &MyMod.to_op/1 to make the generator rebuildable"
        )
    end
  end

  # Source of a term (ops, seeds, fork keys): literals, with structs as
  # plain maps (`%{__struct__: ...}` evaluates to the same struct).
  defp term(value) do
    literal!(value)

    inspect(value,
      limit: :infinity,
      printable_limit: :infinity,
      structs: false,
      charlists: :as_lists
    )
  end

  defp literal!(value) when is_list(value), do: literal_list!(value)
  defp literal!(value) when is_tuple(value), do: value |> Tuple.to_list() |> literal_list!()

  defp literal!(value) when is_map(value) do
    value
    |> :maps.to_list()
    |> Enum.each(fn {k, v} ->
      literal!(k)
      literal!(v)
    end)
  end

  defp literal!(value) when is_function(value),
    do: bad!("cannot write the function #{inspect(value)} found in an op, seed or fork key")

  defp literal!(value) when is_pid(value) or is_reference(value) or is_port(value),
    do: bad!("cannot write #{inspect(value)} (found in an op, seed or fork key) as source")

  defp literal!(_value), do: :ok

  defp literal_list!([head | tail]) do
    literal!(head)
    literal_list!(tail)
  end

  defp literal_list!([]), do: :ok
  defp literal_list!(improper_tail), do: literal!(improper_tail)
end
