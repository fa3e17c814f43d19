defmodule Lockstep.Generator.RecipeTest do
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Recipe, Workloads}

  import Lockstep.GeneratorHelpers, only: [advance: 2, walk: 2]

  doctest Recipe

  defmodule Fns do
    @moduledoc false
    def tag(op), do: {:tagged, op}
    def even?(n), do: rem(n, 2) == 0
    def small?(n), do: n < 40
  end

  # Every constructor and combinator, with non-default options.
  defp cases do
    leaves = [
      random: G.random([:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}], seed: 42),
      random_term_seed: G.random([:a, :b, :c], seed: {:run, %{id: 3}, "x"}),
      cycle: G.cycle([:a, :b, :c]),
      weighted: G.weighted([read: 3, write: 1, delete: 0], seed: 7),
      weighted_long: G.weighted(for(i <- 1..300, do: {i, rem(i, 7)}), seed: 8),
      integers: G.integers(-5..1000, seed: 3),
      zipf: G.zipf(1000, skew: 1.2, seed: 1),
      zipf_default: G.zipf(50, seed: 2),
      counter: G.counter(10),
      register: Workloads.register(seed: 42, values: 1..3),
      register_mix: Workloads.register(seed: 5, values: 0..100, mix: [read: 1, cas: 4]),
      register_swarm: Workloads.register(seed: 9, mix: :swarm),
      bank: Workloads.bank(seed: 2, accounts: 4, max_transfer: 100),
      bank_mix: Workloads.bank(seed: 2, mix: [transfer: 5, read: 1]),
      list_append: Workloads.list_append(seed: 1, keys: 3, max_txn_length: 2),
      list_append_uniform:
        Workloads.list_append(seed: 1, keys: 30, key_dist: :uniform, mix: [append: 3, read: 1]),
      list_append_zipf: Workloads.list_append(seed: 4, key_dist: {:zipf, 0.5}, mix: :swarm),
      list_append_workers: Workloads.list_append(seed: 4, workers: 3, worker: 2)
    ]

    composites = [
      mix: G.mix([leaves[:random], leaves[:cycle], leaves[:counter]]),
      mix_all: G.mix([G.take(leaves[:cycle], 3), leaves[:integers]], until: :all),
      mix_random:
        G.mix([leaves[:register], leaves[:bank], leaves[:zipf]],
          strategy: :random,
          seed: 11,
          weights: [5, 1, 2]
        ),
      mix_random_all:
        G.mix([G.take(leaves[:cycle], 4), G.take(leaves[:random], 30)],
          strategy: :random,
          seed: :s,
          until: :all
        ),
      concat: G.concat([G.take(leaves[:cycle], 5), G.take(leaves[:weighted], 7), leaves[:zipf]]),
      zip: G.zip([leaves[:cycle], leaves[:counter], leaves[:list_append]]),
      map: G.map(leaves[:integers], &Fns.tag/1),
      filter: G.filter(leaves[:integers], &Fns.even?/1),
      filter_max: G.filter(G.integers(0..100, seed: 1), &Fns.small?/1, max_rejections: 500),
      select: G.select(leaves[:register], [3, 17, 42, 43, 100]),
      take: G.take(leaves[:bank], 25),
      drop: G.drop(leaves[:random], 1_000_000_000_000),
      fork: leaves[:list_append] |> G.fork(:w1) |> G.fork({:iter, 3}),
      independent: G.independent(leaves[:register], per_key: 7, final: [:read]),
      independent_split:
        G.mix([leaves[:cycle], leaves[:zipf]])
        |> G.independent(keys: [:a, {:b, 2}, "c", 4, 5], per_key: 5, concurrency: 2)
        |> G.fork(:iter)
        |> G.split(4)
        |> Enum.at(3),
      independent_only_keys:
        G.independent(leaves[:list_append], keys: 0..40, per_key: 3, concurrency: 3)
        |> G.split(6)
        |> Enum.at(4)
        |> G.only_keys([1, 3, 5, 7, 9, 11, 40]),
      independent_in_mix:
        G.mix([leaves[:cycle], G.independent(leaves[:counter], keys: 1..9, per_key: 4)]),
      split_counter: G.counter(5) |> G.split(3) |> Enum.at(2) |> G.split(2) |> Enum.at(1),
      split_list_append: leaves[:list_append] |> G.split(4) |> Enum.at(3),
      mix_in_mix:
        G.mix(
          [
            G.mix([leaves[:random] |> G.fork(:a), leaves[:weighted]],
              strategy: :random,
              seed: 1
            )
            |> G.fork(:b),
            G.map(leaves[:counter], &Fns.tag/1),
            G.filter(leaves[:integers], &Fns.even?/1)
          ],
          strategy: :random,
          seed: 2
        )
        |> G.fork(:c)
        |> G.split(2)
        |> Enum.at(1),
      select_of_mix: G.select(G.zip([leaves[:cycle], leaves[:random]]), [0, 5, 9, 200]),
      chunk: G.chunk(G.mix([leaves[:random], leaves[:counter]]) |> G.fork(:f), 3),
      chunk_of_filter: G.chunk(G.filter(leaves[:integers], &Fns.even?/1), 4) |> G.take(40),
      concat_of_maps:
        G.concat([
          G.take(G.map(leaves[:cycle], &Fns.tag/1), 3),
          G.filter(leaves[:counter], &Fns.even?/1)
        ])
    ]

    leaves ++ composites
  end

  defp rebuild(gen) do
    {rebuilt, _binding} = Code.eval_string(G.recipe(gen))
    rebuilt
  end

  defp ops(gen), do: walk(gen, 300)

  test "every constructor and combinator, fresh: the recipe gives the same ops" do
    for {name, gen} <- cases() do
      rebuilt = rebuild(gen)
      assert ops(rebuilt) == ops(gen), "#{name}: #{G.recipe(gen)}"
      assert Enum.take(rebuilt, 2000) == Enum.take(gen, 2000), "#{name} (chunked)"
      # A recipe of a rebuilt generator is the same text.
      assert G.recipe(rebuilt) == G.recipe(gen), "#{name}"
    end
  end

  test "every constructor and combinator, mid-stream: the recipe resumes at the same op" do
    for {name, gen} <- cases(), k <- [1, 2, 7, 63, 64, 65, 130] do
      {_ops, moved} = advance(gen, k)
      rebuilt = rebuild(moved)
      assert ops(rebuilt) == ops(moved), "#{name} after #{k}: #{G.recipe(moved)}"
      # compact/1 changes no op, and no recipe.
      assert G.recipe(G.compact(moved)) == G.recipe(moved), "#{name} after #{k}"
    end
  end

  test "after a partial Enum walk and a drop into the buffer" do
    for {name, gen} <- cases() do
      {_ops, moved} = advance(gen, 3)
      moved = G.drop(moved, 5)
      assert ops(rebuild(moved)) == ops(moved), "#{name}"
    end
  end

  test "the cases cover every kind of generator the type names" do
    {:ok, types} = Code.Typespec.fetch_types(G)
    [{:t, _, _} = t] = for {:type, {:t, _, _} = t} <- types, do: t

    {_, union} =
      t
      |> Code.Typespec.type_to_quoted()
      |> Macro.prewalk(nil, fn
        {:kind, union} = node, nil -> {node, union}
        node, acc -> {node, acc}
      end)

    {_, kinds} =
      Macro.prewalk(union, [], fn
        atom, acc when is_atom(atom) and atom != :| -> {atom, [atom | acc]}
        node, acc -> {node, acc}
      end)

    # The combinators of their own files are named by a remote type.
    combinators = Lockstep.Generator.Combinators
    kinds = (kinds -- [:., combinators, :kind]) ++ combinators.kinds()
    covered = cases() |> Enum.map(fn {_name, gen} -> kinds_in(gen) end) |> Enum.concat()
    # No constructor makes a :transfer generator (a bank op's name).
    missing = (kinds -- [:transfer]) -- covered
    assert missing == [], "recipe round-trip cases miss #{inspect(missing)}"
  end

  defp kinds_in(%G{children: nil, kind: kind}), do: [kind]

  defp kinds_in(%G{children: children, kind: kind}),
    do: [kind | Enum.flat_map(children, &kinds_in/1)]

  test "a list of generators gives a list, per worker" do
    gens = G.split(Workloads.register(seed: 1, values: 1..3), 3)
    rebuilt = rebuild(gens)
    assert length(rebuilt) == 3
    assert Enum.map(rebuilt, &Enum.take(&1, 50)) == Enum.map(gens, &Enum.take(&1, 50))
  end

  test "the options that change the stream are written, defaults left out" do
    text = G.recipe(Workloads.register(seed: 42, values: 1..3))
    assert text =~ "Workloads.register(seed: 42, values: 1..3)"

    text = G.recipe(Workloads.bank(seed: 1, accounts: 7, max_transfer: 9, mix: :swarm))
    assert text =~ "Workloads.bank(seed: 1, accounts: 7, max_transfer: 9, mix: :swarm)"

    text = G.recipe(G.mix([G.cycle([:a]), G.cycle([:b])], strategy: :random, seed: 3))
    assert text =~ "strategy: :random, seed: 3"
    refute text =~ "weights"
  end

  test "a shrunk workload's recipe rebuilds the ops shrink/3 found" do
    gen = Workloads.register(seed: 42, values: 1..3) |> G.take(60)
    fails? = fn ops -> Enum.count(ops, &match?({:write, _}, &1)) >= 2 end
    {:ok, shrunk, _info} = G.shrink(gen, fails?)
    assert Enum.to_list(rebuild(shrunk)) == Enum.to_list(shrunk)
    assert G.recipe(shrunk) =~ "values: 1..3"
  end

  test "an anonymous function raises an ArgumentError naming it" do
    fun = fn op -> {:x, op} end
    gen = G.map(G.cycle([:a]), fun)
    error = assert_raise ArgumentError, fn -> G.recipe(gen) end
    assert error.message =~ inspect(fun)
    assert error.message =~ "map/2"

    gen = G.mix([G.cycle([:a]), G.filter(G.counter(1), &(&1 > 2))])
    error = assert_raise ArgumentError, fn -> G.recipe(gen) end
    assert error.message =~ "filter/3"
  end

  test "terms that have no source raise an ArgumentError" do
    assert_raise ArgumentError, ~r/cannot write #PID/, fn ->
      G.recipe(G.cycle([self()]))
    end

    assert_raise ArgumentError, ~r/recipe\/1 expects a generator/, fn -> G.recipe(:nope) end
    assert_raise ArgumentError, ~r/element 1/, fn -> G.recipe([G.cycle([:a]), :nope]) end
  end

  test "a value with damaged internal fields is an ArgumentError" do
    gen = G.random([:a, :b], seed: 1)

    for bad <- [
          %{gen | engine: :junk},
          %{G.mix([gen]) | engine: %{}},
          %{G.select(gen, [1]) | engine: %{indices: :x}},
          %{__struct__: G, kind: :random}
        ] do
      assert_raise ArgumentError, ~r/recipe\/1/, fn -> G.recipe(bad) end
    end
  end

  test "terms round-trip: structs, bignums, floats, improper lists, binaries" do
    ops = [MapSet.new([1, 2]), 1..3, 2 ** 100, -0.5, [1 | 2], <<0, 255>>, "é", ~c"abc"]
    gen = G.random(ops, seed: 2 ** 64 - 1)
    assert Enum.take(rebuild(gen), 100) == Enum.take(gen, 100)
  end

  test "resume/2 checks its arguments" do
    assert_raise ArgumentError, ~r/resume\/2 expects at/, fn ->
      Recipe.resume(G.mix([G.cycle([:a])]), 1)
    end

    assert_raise ArgumentError, ~r/resume\/2 expects a mix/, fn ->
      Recipe.resume(G.cycle([:a]), 0)
    end
  end
end
