defmodule Lockstep.Generator.Build do
  @moduledoc false
  # The constructors and combinators: what Lockstep.Generator's random/2,
  # cycle/1, weighted/2, mix/2, concat/1, zip/1, map/2, filter/3,
  # integers/2, zipf/2, counter/1, take/2, fork/2, split/2, independent/2,
  # only_keys/2, drop/2 and select/2 do (their docs are there; the public
  # module delegates here). The internal modules that build generators
  # (Workloads, Recipe, Check, Shrink) call these, never Lockstep.Generator.
  # Below it: Independent, Compact, Driver and the modules they call.
  # Error messages name the public function ("take/2").

  alias Lockstep.Generator, as: G

  alias Lockstep.Generator.{
    Boundary,
    Driver,
    Malformed,
    Native,
    Node,
    Options,
    Params,
    Seed,
    Select,
    Settings,
    Tables,
    Unique
  }

  alias Lockstep.Generator.Settings.{Composite, Filter, Leaf, Value, Weighted}

  import Bitwise
  require Boundary
  require Options

  @max_total (1 <<< 64) - 1
  # Most workers of one split/2 (a list built at once).
  @max_split 1 <<< 16
  # Deepest nesting of mixes (the engine's MAX_DEPTH).
  @max_depth 64

  @doc false
  @spec random([any()], keyword()) :: G.t()
  def random(ops, opts \\ []) do
    ops = Options.ops!(ops, "ops", "random/2")
    seed = seed_opt(opts, "random/2")

    %{
      %G{kind: nil}
      | kind: :random,
        ops: ops,
        seed: seed,
        engine: leaf_engine(ops, Seed.key(seed))
    }
  end

  @doc false
  @spec cycle([any()]) :: G.t()
  def cycle(ops) do
    ops = Options.ops!(ops, "ops", "cycle/1")
    # A cycle draws no words: its key {0, 0} is never used.
    %{%G{kind: nil} | kind: :cycle, ops: ops, engine: leaf_engine(ops, {0, 0})}
  end

  @doc false
  @spec weighted([{any(), non_neg_integer()}], keyword()) :: G.t()
  def weighted(weighted_ops, opts \\ []) do
    weighted_ops = Options.ops!(weighted_ops, "weighted_ops", "weighted/2")
    seed = seed_opt(opts, "weighted/2")
    {ops, weights, total} = split_weights(weighted_ops)

    cond do
      total == 0 ->
        raise ArgumentError, "weighted/2 expects at least one positive weight, got all zero"

      total > @max_total ->
        raise ArgumentError,
              "weighted/2 expects weights adding up to at most 2^64 - 1, got #{total}"

      true ->
        %{
          %G{kind: nil}
          | kind: :weighted,
            ops: ops,
            weights: weights,
            total: total,
            seed: seed,
            engine: weighted_engine(ops, Seed.key(seed), Tables.table_for(weights, "weighted/2"))
        }
    end
  end

  # {ops, weights, total}: one pass checks and adds up, two build the lists
  # (no reversed copies; construction is on the hot path of a fresh
  # generator per iteration).
  defp split_weights(weighted_ops) do
    total = total_weight!(weighted_ops, 0)
    {ops_of(weighted_ops), weights_of(weighted_ops), total}
  end

  defp total_weight!([{_op, weight} | rest], total) when is_integer(weight) and weight >= 0,
    do: total_weight!(rest, total + weight)

  defp total_weight!([], total), do: total

  defp total_weight!([{_op, weight} | _], _total) do
    raise ArgumentError,
          "weighted/2 expects each weight to be a non-negative integer, got: #{inspect(weight)}"
  end

  defp total_weight!([other | _], _total) do
    raise ArgumentError,
          "weighted/2 expects weighted_ops to be {op, weight} tuples, got: #{inspect(other)}"
  end

  defp ops_of([{op, _weight} | rest]), do: [op | ops_of(rest)]
  defp ops_of([]), do: []

  defp weights_of([{_op, weight} | rest]), do: [weight | weights_of(rest)]
  defp weights_of([]), do: []

  @doc false
  @spec mix([G.t()], keyword()) :: G.t()
  def mix(gens, opts \\ []) do
    gens = children!(gens, "mix/2")
    opts = Options.keyword!(opts, [:until, :strategy, :seed, :weights], "mix/2")

    until =
      case Options.get(opts, :until, :any) do
        until when until in [:any, :all] ->
          until

        other ->
          raise ArgumentError, "mix/2 expects :until to be :any or :all, got: #{inspect(other)}"
      end

    case Options.get(opts, :strategy, :round_robin) do
      :round_robin ->
        if :lists.keymember(:weights, 1, opts) or :lists.keymember(:seed, 1, opts) do
          raise ArgumentError, "mix/2: :seed and :weights go with strategy: :random"
        end

        %{
          %G{kind: nil}
          | kind: :mix,
            children: gens,
            next_child: 0,
            engine: composite_engine(until, :round_robin)
        }

      :random ->
        seed = seed_opt(Keyword.take(opts, [:seed]), "mix/2")
        weights = Keyword.get(opts, :weights)
        table = mix_table(weights, length(gens))

        engine = %{
          composite_engine(until, :random)
          | key: Seed.key(seed),
            stream: 0,
            forks: [],
            table: table,
            rpos: 0
        }

        %{
          %G{kind: nil}
          | kind: :mix,
            children: gens,
            seed: seed,
            weights: weights,
            total: weights && Enum.sum(weights),
            engine: engine
        }

      other ->
        raise ArgumentError,
              "mix/2 expects :strategy to be :round_robin or :random, got: #{inspect(other)}"
    end
  end

  defp mix_table(nil, _k), do: nil

  defp mix_table(weights, k) when is_list(weights) and length(weights) == k do
    unless Enum.all?(weights, &(is_integer(&1) and &1 >= 0)) and
             Enum.sum(weights) in 1..@max_total do
      raise ArgumentError,
            "mix/2 expects :weights to be non-negative integers, not all zero, got: #{inspect(weights)}"
    end

    Tables.table_for(weights, "mix/2")
  end

  defp mix_table(weights, k) do
    raise ArgumentError,
          "mix/2 expects :weights to be a list of #{k} integers, got: #{inspect(weights)}"
  end

  # Validates a list of child generators (non-empty, generators, nesting bound).
  defp children!(gens, fun) do
    gens = Options.ops!(gens, "gens", fun)
    # One pass: each is a generator, not nested too deep, and joins at its
    # exact current state, without a buffer.
    child_list!(gens, fun)
  end

  # The list itself when no child needed settling (nothing to allocate).
  defp child_list!([], _fun), do: []

  defp child_list!([gen | rest] = gens, fun) do
    child = child!(gen, fun)
    children = child_list!(rest, fun)
    if child === gen and children === rest, do: gens, else: [child | children]
  end

  defp child!(%G{children: nil} = gen, _fun), do: settled(gen)

  defp child!(%G{} = gen, fun) do
    if depth(gen) >= @max_depth do
      raise ArgumentError, "#{fun}: generators nested deeper than #{@max_depth} levels"
    end

    settled(gen)
  end

  defp child!(other, fun),
    do: raise(ArgumentError, "#{fun} expects a list of generators, got: #{inspect(other)}")

  defp settled(%G{buf: [], engine: %Composite{frontier: nil}} = gen), do: gen
  defp settled(%G{buf: [], children: nil} = gen), do: gen
  defp settled(gen), do: Driver.settle(gen)

  # The settings of a mix, concat or zip (see Lockstep.Generator.Driver).
  # The default round-robin one is a literal (constructing a mix allocates
  # no settings).
  @composite_engine %Composite{}

  defp composite_engine(until, strategy) do
    case @composite_engine do
      %{until: ^until, strategy: ^strategy} = engine -> engine
      engine -> %{engine | until: until, strategy: strategy}
    end
  end

  @doc false
  # A combinator of its own file (Lockstep.Generator.Combinators): `kind`
  # over `gens`, checked as mix/2 checks its children (`fun`, the public
  # function, names them in errors), its own settings in the composite's
  # `strategy`.
  @spec combinator(atom(), [G.t()], struct(), String.t()) :: G.t()
  def combinator(kind, gens, settings, fun) do
    gens = children!(gens, fun)

    %{
      %G{kind: nil}
      | kind: kind,
        children: gens,
        engine: %{@composite_engine | strategy: settings}
    }
  end

  @doc false
  @spec concat([G.t()]) :: G.t()
  def concat(gens) do
    gens = children!(gens, "concat/1")

    %{
      %G{kind: nil}
      | kind: :concat,
        children: gens,
        next_child: 0,
        engine: composite_engine(:all, :concat)
    }
  end

  @doc false
  @spec zip([G.t()]) :: G.t()
  def zip(gens) do
    gens = children!(gens, "zip/1")
    %{%G{kind: nil} | kind: :zip, children: gens, engine: composite_engine(:any, :zip)}
  end

  # (Settings built as updates of literals, not on the hot path of a
  # fresh generator per iteration as leaves are: see leaf_engine/3.)
  @map %Settings.Map{fun: nil}
  @filter %Filter{pred: nil, max: 1}

  @doc false
  @spec map(G.t(), (any() -> any())) :: G.t()
  def map(%G{} = gen, fun) when is_function(fun, 1) do
    %{
      %G{kind: nil}
      | kind: :map,
        children: children!([gen], "map/2"),
        engine: %{@map | fun: fun}
    }
  end

  def map(gen, fun), do: bad_wrap!("map/2", gen, fun)

  @doc false
  @spec filter(G.t(), (any() -> as_boolean(any())), keyword()) :: G.t()
  def filter(gen, pred, opts \\ [])

  def filter(%G{} = gen, pred, opts) when is_function(pred, 1) do
    opts = Options.keyword!(opts, [:max_rejections], "filter/3")

    max =
      case Keyword.get(opts, :max_rejections, 1_000_000) do
        n when is_integer(n) and n > 0 ->
          n

        n ->
          raise ArgumentError,
                "filter/3 expects :max_rejections to be a positive integer, got: #{inspect(n)}"
      end

    %{
      %G{kind: nil}
      | kind: :filter,
        children: children!([gen], "filter/3"),
        engine: %{@filter | pred: pred, max: max}
    }
  end

  def filter(gen, pred, _opts), do: bad_wrap!("filter/3", gen, pred)

  defp bad_wrap!(name, %G{}, fun),
    do: raise(ArgumentError, "#{name} expects a function of arity 1, got: #{inspect(fun)}")

  defp bad_wrap!(name, gen, _fun),
    do: raise(ArgumentError, "#{name} expects a generator, got: #{inspect(gen)}")

  # Value params are built by updating these literals: the new struct
  # shares their keys (one built from scratch allocates its own).
  @integers %Params.Integers{first: 0, last: 0}
  @zipf %Params.Zipf{n: 1, skew: 1.0}
  @counter %Params.Counter{start: 1}

  @doc false
  @spec integers(Range.t(), keyword()) :: G.t()
  def integers(range, opts \\ [])

  def integers(%Range{first: first, last: last, step: step}, opts)
      when step == 1 and first <= last do
    {lo, hi} = {min(first, last), max(first, last)}

    cond do
      hi - lo >= 1 <<< 64 ->
        raise ArgumentError,
              "integers/2 expects a range of at most 2^64 values, got #{hi - lo + 1}"

      max(abs(lo), abs(hi)) > 1 <<< 125 ->
        raise ArgumentError, "integers/2 expects bounds within -2^125..2^125"

      true ->
        params = %{@integers | first: lo, last: hi}
        __value__(:integers, params, [], seed_opt(opts, "integers/2"))
    end
  end

  def integers(range, _opts) do
    raise ArgumentError,
          "integers/2 expects a non-empty range with step 1 (first..last), got: #{inspect(range)}"
  end

  @doc false
  @spec zipf(pos_integer(), keyword()) :: G.t()
  def zipf(n, opts \\ [])

  def zipf(n, opts) when is_integer(n) and n >= 1 and n <= 1 <<< 52 do
    opts = Options.keyword!(opts, [:skew, :seed], "zipf/2")
    skew = Options.skew!(Keyword.get(opts, :skew, 1.0), "zipf/2", ":skew")
    params = %{@zipf | n: n, skew: skew}
    __value__(:zipf, params, [], seed_opt(Keyword.take(opts, [:seed]), "zipf/2"))
  end

  def zipf(n, _opts),
    do: raise(ArgumentError, "zipf/2 expects n to be an integer in 1..2^52, got: #{inspect(n)}")

  @doc false
  @spec counter(integer()) :: G.t()
  def counter(start \\ 1)

  def counter(start) when is_integer(start),
    do: __value__(:counter, %{@counter | start: start}, [], nil)

  def counter(start),
    do: raise(ArgumentError, "counter/1 expects an integer start, got: #{inspect(start)}")

  @doc false
  @spec __value__(atom(), struct(), [term()] | tuple(), term()) :: G.t()
  # A generator whose ops the engine computes from `params` (a
  # Lockstep.Generator.Params struct),
  # picking atoms from `pool`. Used by the value constructors and Workloads.
  def __value__(kind, params, pool, seed) do
    # A counter has no seed: its key {0, 0} is never used.
    key = if kind == :counter, do: {0, 0}, else: Seed.key(seed)
    pool = if is_tuple(pool), do: pool, else: List.to_tuple(pool)
    engine = %{pool: pool, key: key, stream: 0, forks: [], params: params, __struct__: Value}
    # (The settings: see leaf_engine/3.) The plain form on purpose:
    # measured, the update form left a fresh
    # worker's next/1 loop over register(seed: i) |> take(20) in a
    # minimum-size heap, GC'ing every iteration (87 -> 120 ns/op).
    %G{kind: kind, seed: seed, engine: engine}
  end

  @doc false
  @spec take(G.t(), non_neg_integer()) :: G.t()
  def take(%G{} = gen, n) when is_integer(n) and n >= 0 do
    Node.take(gen, n)
  rescue
    e -> Malformed.reraise(gen, "take/2", e, __STACKTRACE__)
  end

  def take(%G{}, n) do
    raise ArgumentError, "take/2 expects n to be a non-negative integer, got: #{inspect(n)}"
  end

  def take(other, _n) do
    raise ArgumentError, "take/2 expects a generator, got: #{inspect(other)}"
  end

  @doc false
  @spec fork(G.t(), term()) :: G.t()
  def fork(%G{kind: :independent} = gen, key),
    do: Lockstep.Generator.Independent.fork(gen, key, &fork/2)

  def fork(%G{children: nil} = gen, key) do
    %{gen | engine: fork_engine(gen.engine, key), buf: [], pos: Node.position(gen)}
  rescue
    e -> Malformed.reraise(gen, "fork/2", e, __STACKTRACE__)
  end

  def fork(%G{} = gen, key) do
    gen = Driver.settle(gen)

    gen =
      case gen.engine do
        %Composite{strategy: :random} = engine -> %{gen | engine: fork_engine(engine, key)}
        _ -> gen
      end

    fork_children(gen, key)
  rescue
    e -> Malformed.reraise(gen, "fork/2", e, __STACKTRACE__)
  end

  def fork(other, _key),
    do: raise(ArgumentError, "fork/2 expects a generator, got: #{inspect(other)}")

  defp fork_engine(%{stream: stream, forks: forks} = engine, key),
    do: %{engine | stream: Native.fork_stream(stream, Seed.key(key)), forks: [key | forks]}

  defp fork_children(%G{children: children} = gen, key),
    do: Node.with_children(gen, Enum.map(children, &fork(&1, key)))

  @doc false
  @spec split(G.t(), non_neg_integer()) :: [G.t()]
  def split(%G{kind: :independent} = gen, n) when is_integer(n) and n >= 0,
    do: Lockstep.Generator.Independent.split(gen, n)

  def split(%G{} = gen, n) when is_integer(n) and n >= 0 and n <= @max_split do
    for k <- 0..(n - 1)//1, do: gen |> fork(k) |> Unique.spread(n, k)
  rescue
    e -> Malformed.reraise(gen, "split/2", e, __STACKTRACE__)
  end

  def split(%G{}, n) when is_integer(n) and n > @max_split do
    raise ArgumentError,
          "split/2 expects n to be at most #{@max_split} (one generator per worker, " <>
            "built at once; fork/2 gives a worker's stream by its key), got: #{n}"
  end

  def split(%G{}, n),
    do: raise(ArgumentError, "split/2 expects n to be a non-negative integer, got: #{inspect(n)}")

  def split(other, _n),
    do: raise(ArgumentError, "split/2 expects a generator, got: #{inspect(other)}")

  @doc false
  @spec independent(G.t(), keyword()) :: G.t()
  def independent(template, opts \\ []), do: Lockstep.Generator.Independent.new(template, opts)

  @doc false
  @spec only_keys(G.t(), [term()]) :: G.t()
  def only_keys(gen, keys), do: Lockstep.Generator.Independent.only_keys(gen, keys)

  @doc false
  @spec drop(G.t(), non_neg_integer()) :: G.t()
  def drop(%G{} = gen, n) when is_integer(n) and n >= 0 do
    Driver.drop(gen, n)
  rescue
    e -> Malformed.reraise(gen, "drop/2", e, __STACKTRACE__)
  end

  def drop(%G{}, n),
    do: raise(ArgumentError, "drop/2 expects n to be a non-negative integer, got: #{inspect(n)}")

  def drop(other, _n),
    do: raise(ArgumentError, "drop/2 expects a generator, got: #{inspect(other)}")

  # Nesting depth of composites (0 for a leaf); stops counting past @max_depth.
  defp depth(%G{children: [_ | _] = cs}),
    do: 1 + Enum.reduce_while(cs, 0, &depth_step/2)

  defp depth(_gen), do: 0

  defp depth_step(child, max) do
    d = max(max, depth(child))
    if d >= @max_depth, do: {:halt, d}, else: {:cont, d}
  end

  @doc false
  @spec select(G.t(), [non_neg_integer()]) :: G.t()
  def select(%G{} = gen, indices) do
    # Nested no deeper than a map or mix, and taken at its exact state.
    [gen] = children!([gen], "select/2")
    Select.new(gen, indices)
  end

  def select(gen, indices), do: Select.new(gen, indices)

  # The settings of a seeded leaf: its pool and the engine key of its seed.
  # A Settings struct on a hot path of construction is written as a map
  # with `__struct__` last (the same term as `%Leaf{...}`): the compiler
  # builds it in one step from a literal key tuple, where `%Leaf{...}`
  # (whose literal `__struct__` pair comes first) makes it merge keys at
  # run time: Build.cycle/1 68 -> 146 ns; an update of a literal struct
  # cost ~10% of a leaf's construction. SettingsTest checks the fields.
  defp leaf_engine(ops, key),
    do: %{pool: Boundary.pool(ops), key: key, stream: 0, forks: [], __struct__: Leaf}

  # The settings of a weighted leaf: a leaf's, and its alias table resource
  # (long weight lists only).
  defp weighted_engine(ops, key, table) do
    %{
      pool: Boundary.pool(ops),
      key: key,
      stream: 0,
      forks: [],
      table: table,
      __struct__: Weighted
    }
  end

  # (Expanded in the constructors: a fresh generator per iteration pays no
  # call for them. Not leaf_engine/2: expanded, random/2 keeps one more
  # stack word (the key, across List.to_tuple) while it allocates the
  # generator, and in a fresh process's smallest heap (233 words) that
  # moves where collections fall: 5.5 random/2 constructions between
  # collections instead of 6, and a mix of three's first collection no
  # longer grows the heap (a minor collection sizes the new heap to fit
  # stack + heap + heap fragments: 17 + 211 + 5 fits 233, 19 + 211 + 5
  # does not), one collection per construction instead of one per two.
  # Measured, 18,182 vs 16,667 and 100,000 vs 50,001 collections per 100k,
  # +5-10% per construction, for ~2 ns of call.)
  @compile {:inline, weighted_engine: 3, seed_opt: 2}

  # `seed: nil` is no seed: a drawn one, like no `:seed` at all.
  defp seed_opt([seed: seed], _fun) when seed != nil, do: seed

  defp seed_opt(opts, fun), do: opts |> Options.keyword!([:seed], fun) |> Seed.of_opts()
end
