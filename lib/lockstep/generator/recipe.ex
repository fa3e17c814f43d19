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
  alias Lockstep.Generator.{Build, Combinators, Driver, Node, Params}

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
  def recipe(gen_or_gens), do: gen_or_gens |> plans() |> source()

  # ----------------------------------------------------------------------
  # A plan: how to build one generator from the public API, as plain data
  # (atoms, numbers, lists, tuples, maps of the ops), so it can be written
  # as source (recipe/1) or stored (Lockstep.Generator.Saved) and built
  # again without evaluating code:
  #
  #   plan :: {call, args, opts, steps}
  #   call :: :random | :cycle | :weighted | :integers | :zipf | :counter
  #         | :register | :bank | :list_append      (Workloads)
  #         | :mix | :concat | :zip | :map | :filter | :select | :independent
  #         | a combinator's kind (Lockstep.Generator.Combinators)
  #   args :: by call: [ops] (random, cycle), [weighted_ops], [lo, hi]
  #           (integers), [n] (zipf), [start] (counter), [] (workloads),
  #           [[plan]] (mix, concat, zip), [plan, {mod, fun, 1}] (map,
  #           filter), [plan, indices] (select), [{:one, plan} |
  #           {:list, [plan]}, args] (a combinator: its child or children,
  #           then the constructor's other arguments)
  #   opts :: the constructor's keyword options
  #   step :: {:fork, key} | {:split, n, k} | {:drop, n} | {:resume, n}
  #         | {:take, n}, applied in order

  @doc false
  # {:one, plan} or {:many, [plan]}.
  @spec plans(G.t() | [G.t()]) :: {:one, tuple()} | {:many, [tuple()]}
  def plans(%G{} = gen), do: {:one, plan!(gen)}

  def plans([_ | _] = gens) do
    {:many,
     Enum.with_index(gens, fn
       %G{} = gen, _i -> plan!(gen)
       other, i -> bad!("element #{i} of the list is not a generator: #{inspect(other)}")
     end)}
  end

  def plans(other),
    do: bad!("expects a generator or a non-empty list of generators, got: #{inspect(other)}")

  defp bad!(message), do: raise(ArgumentError, "recipe/1 " <> message)

  # A value whose internal fields are not a generator's (hand-made, or
  # damaged) is an ArgumentError too, not whatever its fields make fail.
  defp plan!(gen) do
    plan(gen, [])
  rescue
    e in ArgumentError ->
      reraise e, __STACKTRACE__

    e ->
      bad!(
        "cannot describe a #{inspect(gen.kind)} generator whose internal fields are not " <>
          "a generator's (#{inspect(e.__struct__)})"
      )
  end

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
      share: counter_share(gen),
      at: Node.position(gen),
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

            _round_robin_concat_or_zip ->
              %{forks: [], at: gen.next_child || 0, opts: []}
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
        combinator(other, engine, base)
    end
  end

  # A combinator of its own file (Lockstep.Generator.Combinators): its
  # constructor's arguments, from its settings.
  defp combinator(kind, %{strategy: %mod{} = settings}, base) do
    if Combinators.module(kind) != mod,
      do: bad!("does not know the generator kind #{inspect(kind)}")

    Map.put(base, :recipe, mod.recipe(settings))
  end

  defp combinator(kind, _engine, _base),
    do: bad!("does not know the generator kind #{inspect(kind)}")

  defp weights_opt(nil), do: []
  defp weights_opt(weights), do: [weights: weights]

  # A leaf's constructor: {call, args, opts} (options in the order the docs
  # list them, defaults left out).
  defp leaf_args(%G{kind: :random} = gen), do: {:random, [gen.ops], [seed: gen.seed]}
  defp leaf_args(%G{kind: :cycle} = gen), do: {:cycle, [gen.ops], []}

  defp leaf_args(%G{kind: :weighted} = gen),
    do: {:weighted, [Enum.zip(gen.ops, gen.weights)], [seed: gen.seed]}

  defp leaf_args(%G{engine: %{params: params}} = gen), do: params_args(params, gen.seed)

  defp leaf_args(%G{kind: kind}), do: bad!("does not know the generator kind #{inspect(kind)}")

  defp params_args(%Params.Integers{first: lo, last: hi}, seed),
    do: {:integers, [lo, hi], [seed: seed]}

  defp params_args(%Params.Zipf{n: n, skew: skew}, seed),
    do: {:zipf, [n], default_opt(:skew, skew, 1.0) ++ [seed: seed]}

  defp params_args(%Params.Counter{start: start}, _seed), do: {:counter, [start], []}

  defp params_args(%Params.Register{first: lo, last: hi, weights: weights}, seed) do
    opts =
      [seed: seed] ++
        default_opt(:values, lo..hi//1, 1..5) ++ mix_opt(weights, [:read, :write, :cas])

    {:register, [], opts}
  end

  defp params_args(%Params.Bank{accounts: accounts, max_amount: max, weights: weights}, seed) do
    opts =
      [seed: seed] ++
        default_opt(:accounts, accounts, 5) ++
        default_opt(:max_transfer, max, 5) ++ mix_opt(weights, [:transfer, :read])

    {:bank, [], opts}
  end

  defp params_args(%Params.ListAppend{skew: skew} = p, seed) do
    key_dist = if skew == nil, do: :uniform, else: {:zipf, skew}

    opts =
      [seed: seed] ++
        default_opt(:keys, p.keys, 8) ++
        default_opt(:max_txn_length, p.max_len, 4) ++
        default_opt(:key_dist, key_dist, {:zipf, 1.0}) ++
        mix_opt(p.weights, [:append, :read]) ++
        default_opt(:workers, p.workers, 1) ++ default_opt(:worker, p.worker, 0)

    {:list_append, [], opts}
  end

  defp params_args(params, _seed),
    do: bad!("does not know the generator parameters #{inspect(params)}")

  defp default_opt(_key, value, value), do: []
  defp default_opt(key, value, _default), do: [{key, value}]

  defp mix_opt(:swarm, _kinds), do: [mix: :swarm]

  defp mix_opt(weights, kinds) do
    if Enum.all?(weights, &(&1 == 1)), do: [], else: [mix: Enum.zip(kinds, weights)]
  end

  # A counter's share of its values after split/2 (workers, worker).
  defp counter_share(%G{kind: :counter, engine: %{params: %Params.Counter{} = params}}),
    do: {params.workers, params.worker}

  defp counter_share(_gen), do: {1, 0}

  @doc false
  # The stream-changing options of a leaf, as recipes write them (for
  # inspect/1): defaults left out, no seed.
  @spec leaf_options(G.t()) :: keyword()
  def leaf_options(%G{children: nil} = gen) do
    {call, args, opts} = leaf_args(gen)
    opts = Keyword.delete(opts, :seed)

    case {call, args} do
      {:weighted, _} -> [weights: gen.weights]
      {:integers, [lo, hi]} -> [range: lo..hi//1]
      {:zipf, [n]} -> [n: n] ++ opts
      _ -> opts
    end
  end

  # ----------------------------------------------------------------------
  # A plan of one generator. `strip` is the fork path (newest first) that
  # an enclosing random mix's own `fork/2` calls give every node below it:
  # written once, after that mix, and left out below.
  # independent/2: the template's plan, the options as given, the worker's
  # place (split), position and budget.
  defp plan(%G{kind: :independent, engine: e} = gen, strip) do
    keys = if e.keys == :infinity, do: [], else: [keys: e.keys]
    final = if e.final == [], do: [], else: [final: e.final]
    opts = keys ++ [per_key: e.per_key, concurrency: e.concurrency] ++ final
    Enum.each(opts, &literal!/1)

    split =
      if e.groups == 1 and e.lanes == 1,
        do: [],
        else: [{:split, e.groups * e.lanes, e.group * e.lanes + e.member}]

    at = Node.position(gen)
    natural = Lockstep.Generator.Independent.new(e.template, opts)
    natural = if split == [], do: natural, else: build_step(hd(split), natural)

    taken =
      if gen.remaining == Node.sub(natural.remaining, at), do: [], else: take_step(gen.remaining)

    {:independent, [plan(e.template, strip)], opts, split ++ at_step(:drop, at) ++ taken}
  end

  defp plan(%G{children: nil} = gen, strip) do
    node = describe(gen)
    {call, args, opts} = node.args
    Enum.each(args, &literal!/1)
    Enum.each(opts, &literal!/1)

    split =
      case node.share do
        {1, 0} -> []
        {workers, worker} -> [{:split, workers, worker}]
      end

    # A cycle or a counter draws nothing: forking it changes no op.
    forks = if gen.kind in [:cycle, :counter], do: [], else: own_forks(node.forks, strip)

    {call, args, opts,
     split ++ fork_steps(forks) ++ at_step(:drop, node.at) ++ take_step(node.remaining)}
  end

  defp plan(%G{} = gen, strip) do
    node = describe(gen)

    case node.kind do
      kind when kind in [:mix, :concat, :zip] ->
        own = own_forks(node.forks, strip)
        inner = if node.forks == [], do: strip, else: node.forks
        children = Enum.map(node.children, &plan(&1, inner))
        Enum.each(node.opts, &literal!/1)

        {kind, [children], node.opts,
         fork_steps(own) ++ at_step(:resume, node.at) ++ take_step(node.remaining)}

      :map ->
        {:map, [plan(hd(node.children), strip), mfa!(node.fun, "map/2")], [],
         take_step(node.remaining)}

      :filter ->
        opts = default_opt(:max_rejections, node.max, @default_max_rejections)

        {:filter, [plan(hd(node.children), strip), mfa!(node.fun, "filter/3")], opts,
         take_step(node.remaining)}

      :select ->
        {:select, [plan(hd(node.children), strip), node.indices], [], take_step(node.remaining)}

      # A combinator: `{kind, [{:one, plan} | {:list, plans}, args], [], steps}`.
      kind ->
        {shape, args} = node.recipe
        Enum.each(args, &literal!/1)
        plans = Enum.map(node.children, &plan(&1, strip))
        children = if shape == :one, do: {:one, hd(plans)}, else: {:list, plans}
        {kind, [children, args], [], take_step(node.remaining)}
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
  defp fork_steps(keys) do
    Enum.each(keys, &literal!/1)
    keys |> Enum.reverse() |> Enum.map(&{:fork, &1})
  end

  defp at_step(_step, 0), do: []
  defp at_step(step, n), do: [{step, n}]

  defp take_step(:infinity), do: []
  defp take_step(n), do: [{:take, n}]

  # A map's or filter's function: a named capture is kept as {mod, fun, 1};
  # an anonymous function has no name to keep.
  defp mfa!(fun, where) do
    case Function.info(fun, :type) do
      {:type, :external} ->
        {:module, m} = Function.info(fun, :module)
        {:name, f} = Function.info(fun, :name)
        {m, f, 1}

      {:type, :local} ->
        bad!(
          "cannot write the anonymous function #{inspect(fun)} of a #{where}: " <>
            "give it a named capture such as &MyMod.to_op/1 to make the generator rebuildable"
        )
    end
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

  # ----------------------------------------------------------------------
  # Source of plans.

  @doc false
  @spec source({:one, tuple()} | {:many, [tuple()]}) :: String.t()
  def source({:one, plan}), do: render(expr(plan))
  def source({:many, plans}), do: render("[" <> Enum.map_join(plans, ",\n", &expr/1) <> "]")

  defp render(body) do
    source = "alias Lockstep.Generator, as: G\nalias Lockstep.Generator.Workloads\n\n" <> body
    source |> Code.format_string!() |> IO.iodata_to_binary()
  end

  @workloads [:register, :bank, :list_append]

  defp expr({call, args, opts, steps}) do
    fun = if call in @workloads, do: "Workloads.#{call}", else: "G.#{call}"
    args = Enum.reject(args_source(call, args) ++ [opts_source(opts)], &(&1 == ""))
    Enum.reduce(steps, "#{fun}(#{Enum.join(args, ", ")})", &step_source/2)
  end

  defp args_source(:integers, [lo, hi]), do: ["#{lo}..#{hi}"]

  defp args_source(call, [plans]) when call in [:mix, :concat, :zip],
    do: ["[" <> Enum.map_join(plans, ", ", &expr/1) <> "]"]

  defp args_source(call, [plan, {m, f, 1}]) when call in [:map, :filter],
    do: [expr(plan), inspect(Function.capture(m, f, 1))]

  defp args_source(:select, [plan, indices]), do: [expr(plan), term(indices)]
  defp args_source(:independent, [plan]), do: [expr(plan)]

  defp args_source(_combinator, [{:one, plan}, args]) when is_list(args),
    do: [expr(plan) | Enum.map(args, &term/1)]

  defp args_source(_combinator, [{:list, plans}, args]) when is_list(args),
    do: ["[" <> Enum.map_join(plans, ", ", &expr/1) <> "]" | Enum.map(args, &term/1)]

  defp args_source(_call, args), do: Enum.map(args, &term/1)

  defp step_source({:fork, key}, source), do: "#{source} |> G.fork(#{term(key)})"
  defp step_source({:split, n, k}, source), do: "#{source} |> G.split(#{n}) |> Enum.at(#{k})"
  defp step_source({:drop, n}, source), do: "#{source} |> G.drop(#{n})"

  defp step_source({:resume, n}, source),
    do: "#{source} |> Lockstep.Generator.Recipe.resume(#{n})"

  defp step_source({:take, n}, source), do: "#{source} |> G.take(#{n})"

  defp opts_source(opts), do: Enum.map_join(opts, ", ", fn {k, v} -> "#{k}: #{term(v)}" end)

  # Source of a term (ops, seeds, fork keys): literals, with ranges as
  # ranges and other structs as plain maps (`%{__struct__: ...}` evaluates
  # to the same struct).
  defp term(%Range{first: first, last: last, step: 1}), do: "#{first}..#{last}"

  defp term(value) do
    inspect(value,
      limit: :infinity,
      printable_limit: :infinity,
      structs: false,
      charlists: :as_lists
    )
  end

  # ----------------------------------------------------------------------
  # Building plans (Lockstep.Generator.Saved): the public constructors,
  # which check every argument; anything else is an ArgumentError.

  @doc false
  @spec build({:one, tuple()} | {:many, [tuple()]}) :: G.t() | [G.t()]
  def build({:one, plan}), do: build_plan(plan)
  def build({:many, [_ | _] = plans}), do: Enum.map(plans, &build_plan/1)
  def build(other), do: invalid!(other)

  defp build_plan({call, args, opts, steps}) when is_list(steps) do
    Enum.reduce(steps, construct(call, args, opts), &build_step/2)
  end

  defp build_plan(other), do: invalid!(other)

  defp construct(:random, [ops], opts), do: Build.random(ops, opts)
  defp construct(:cycle, [ops], []), do: Build.cycle(ops)
  defp construct(:weighted, [ops], opts), do: Build.weighted(ops, opts)

  defp construct(:integers, [lo, hi], opts) when is_integer(lo) and is_integer(hi),
    do: Build.integers(lo..hi//1, opts)

  defp construct(:zipf, [n], opts), do: Build.zipf(n, opts)
  defp construct(:counter, [start], []), do: Build.counter(start)
  defp construct(:register, [], opts), do: Lockstep.Generator.Workloads.register(opts)
  defp construct(:bank, [], opts), do: Lockstep.Generator.Workloads.bank(opts)
  defp construct(:list_append, [], opts), do: Lockstep.Generator.Workloads.list_append(opts)

  defp construct(call, [plans], opts) when call in [:mix, :concat, :zip] and is_list(plans) do
    gens = Enum.map(plans, &build_plan/1)

    case call do
      :mix -> Build.mix(gens, opts)
      :concat when opts == [] -> Build.concat(gens)
      :zip when opts == [] -> Build.zip(gens)
      _ -> invalid!({call, opts})
    end
  end

  defp construct(:map, [plan, mfa], []), do: Build.map(build_plan(plan), capture!(mfa))

  defp construct(:filter, [plan, mfa], opts),
    do: Build.filter(build_plan(plan), capture!(mfa), opts)

  defp construct(:select, [plan, indices], []), do: Build.select(build_plan(plan), indices)

  defp construct(:independent, [plan], opts) when is_list(opts),
    do: Build.independent(build_plan(plan), opts)

  defp construct(call, args, opts) when is_atom(call),
    do: combinator(Combinators.module(call), call, args, opts)

  defp construct(call, args, opts), do: invalid!({call, args, opts})

  # A combinator of its own file: its constructor, with its child (or
  # children) built first.
  defp combinator(mod, call, [children, args], []) when mod != nil and is_list(args) do
    children =
      case children do
        {:one, plan} -> build_plan(plan)
        {:list, plans} when is_list(plans) -> Enum.map(plans, &build_plan/1)
        other -> invalid!(other)
      end

    if Code.ensure_loaded?(mod) and function_exported?(mod, :new, length(args) + 1),
      do: apply(mod, :new, [children | args]),
      else: invalid!({call, args})
  end

  defp combinator(_mod, call, args, opts), do: invalid!({call, args, opts})

  defp capture!({m, f, 1}) when is_atom(m) and is_atom(f) do
    if Code.ensure_loaded?(m) and function_exported?(m, f, 1) do
      Function.capture(m, f, 1)
    else
      raise ArgumentError,
            "the function #{inspect(Function.capture(m, f, 1))} is not defined here " <>
              "(load its module first)"
    end
  end

  defp capture!(other), do: invalid!(other)

  defp build_step({:fork, key}, gen), do: Build.fork(gen, key)

  defp build_step({:split, n, k}, gen) when is_integer(n) and is_integer(k) and k >= 0 and k < n,
    do: gen |> Build.split(n) |> Enum.at(k)

  defp build_step({:drop, n}, gen), do: Build.drop(gen, n)
  defp build_step({:resume, n}, gen), do: resume(gen, n)
  defp build_step({:take, n}, gen), do: Build.take(gen, n)
  defp build_step(other, _gen), do: invalid!(other)

  defp invalid!(term),
    do: raise(ArgumentError, "not a generator description: #{inspect(term, limit: 8)}")
end
