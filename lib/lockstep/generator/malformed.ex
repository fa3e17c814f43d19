defmodule Lockstep.Generator.Malformed do
  @moduledoc false
  # What a public function raises when the generator it was given is not one
  # the constructors make: a bare `%{__struct__: Lockstep.Generator}`, or a
  # struct whose fields were overwritten by hand or damaged in storage.
  #
  # Nothing checks a generator on the way in (next/1 pops its buffer with
  # one match and the engine paths trust the fields). Instead the public
  # functions' general clauses rescue whatever an ill-formed value makes
  # fail deeper down (a FunctionClauseError, KeyError, ArithmeticError, ...)
  # and call reraise/4, which looks at the value only then: if it finds a
  # field that no constructor would have made, it raises an ArgumentError
  # naming the function and the field; otherwise the failure was not the
  # value's (a map/2 function that raised, a filter out of rejections) and
  # is re-raised as it was, with its stacktrace.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Combinators, Params, Settings}

  alias Lockstep.Generator.Settings.{
    Composite,
    Filter,
    Independent,
    Leaf,
    Select,
    Value,
    Weighted
  }

  @keys G.__struct__() |> Map.keys() |> Enum.sort()
  @pick_kinds [:random, :weighted, :cycle]
  @value_kinds [:integers, :zipf, :counter, :transfer, :register, :bank, :list_append]
  @composite_kinds [:mix, :concat, :zip]
  @wrap_kinds [:map, :filter, :select]
  @other_kinds [:independent]
  @kinds @pick_kinds ++ @value_kinds ++ @composite_kinds ++ @wrap_kinds ++ @other_kinds

  @doc false
  @spec reraise(term(), String.t(), Exception.t(), Exception.stacktrace()) :: no_return()
  def reraise(gen, fun, exception, stacktrace) do
    case problem(gen) do
      nil ->
        Kernel.reraise(exception, stacktrace)

      problem ->
        raise ArgumentError,
              "#{fun} expects a generator, got a malformed #{inspect(G)} " <>
                "(#{problem}): #{inspect(gen, structs: false, limit: 8, printable_limit: 64)}"
    end
  end

  @doc false
  # The first field of `gen` (or of a child, with its path) that no
  # constructor makes, described; nil when there is none.
  @spec problem(term()) :: String.t() | nil
  def problem(gen), do: problem(gen, "")

  defp problem(%G{} = gen, path) do
    cond do
      (missing = @keys -- Enum.sort(Map.keys(gen))) != [] ->
        "#{path}missing fields #{inspect(missing)}"

      (field = bad_field(gen)) != nil ->
        {name, expected} = field
        "#{path}#{name} is #{inspect(Map.get(gen, name), limit: 8)}, expected #{expected}"

      true ->
        children_problem(gen.children, path, 0)
    end
  end

  defp problem(other, path),
    do: "#{String.trim_trailing(path, ".")} is #{inspect(other, limit: 8)}, not a generator"

  defp bad_field(gen) do
    Enum.find_value(
      [
        {:kind, gen.kind in @kinds or combinator?(gen.kind), "a generator kind"},
        {:buf, is_list(gen.buf), "a list"},
        {:pos, pos_ok?(gen), pos_expected(gen)},
        {:remaining,
         gen.remaining == :infinity or (is_integer(gen.remaining) and gen.remaining >= 0),
         ":infinity or a non-negative integer"},
        {:next_child,
         is_nil(gen.next_child) or (is_integer(gen.next_child) and gen.next_child >= 0),
         "nil or a non-negative integer"},
        {:engine, is_map(gen.engine), "a map"},
        {:children, children_ok?(gen), children_expected(gen.kind)},
        {:engine, engine_ok?(gen.kind, gen.engine), engine_expected(gen.kind)}
      ],
      fn {name, ok?, expected} -> if ok?, do: nil, else: {name, expected} end
    )
  end

  # A leaf's op index; a composite's next_childs of its buffered ops.
  defp pos_ok?(%G{children: nil, pos: pos}), do: is_integer(pos) and pos >= 0
  defp pos_ok?(%G{pos: pos, buf: buf}) when is_list(pos), do: ncs_ok?(pos, buf)
  defp pos_ok?(%G{pos: pos}), do: pos == 0

  defp ncs_ok?([nc | ncs], [_ | buf]) when is_integer(nc) and nc >= 0, do: ncs_ok?(ncs, buf)
  defp ncs_ok?([], _buf), do: true
  defp ncs_ok?(_ncs, _buf), do: false

  defp pos_expected(%G{children: nil}), do: "a non-negative integer"
  defp pos_expected(_gen), do: "0 or a list of next_childs no longer than buf"

  defp children_ok?(%G{kind: kind, children: children}) when kind in @composite_kinds,
    do: is_list(children) and children != []

  defp children_ok?(%G{kind: kind, children: children}) when kind in @wrap_kinds,
    do: match?([_], children)

  defp children_ok?(%G{kind: kind, children: children}) do
    if combinator?(kind), do: is_list(children) and children != [], else: is_nil(children)
  end

  # A combinator of its own file (Lockstep.Generator.Combinators).
  defp combinator?(kind), do: is_atom(kind) and Combinators.module(kind) != nil

  defp children_expected(kind) when kind in @composite_kinds, do: "a non-empty list of generators"
  defp children_expected(kind) when kind in @wrap_kinds, do: "a list of one generator"

  defp children_expected(kind) do
    if combinator?(kind), do: "a non-empty list of generators", else: "nil (a leaf)"
  end

  defp engine_ok?(kind, %Leaf{pool: pool} = engine) when kind in [:random, :cycle],
    do: seeded?(engine) and is_tuple(pool) and tuple_size(pool) > 0

  defp engine_ok?(:weighted, %Weighted{pool: pool} = engine),
    do: seeded?(engine) and is_tuple(pool) and tuple_size(pool) > 0

  defp engine_ok?(kind, %Value{pool: pool, params: params} = engine) when kind in @value_kinds,
    do: seeded?(engine) and Params.params?(params) and is_tuple(pool)

  defp engine_ok?(kind, %Composite{until: until, strategy: strategy})
       when kind in @composite_kinds,
       do: until in [:any, :all] and (is_atom(strategy) or is_struct(strategy))

  defp engine_ok?(:map, %Settings.Map{fun: fun}), do: is_function(fun, 1)

  defp engine_ok?(:filter, %Filter{pred: pred, max: max}),
    do: is_function(pred, 1) and is_integer(max) and max > 0

  defp engine_ok?(:select, %Select{indices: indices, at: at}) do
    is_list(indices) and Enum.all?(indices, &(is_integer(&1) and &1 >= 0)) and
      is_integer(at) and at >= 0
  end

  defp engine_ok?(:independent, %Independent{template: %G{}}), do: true

  defp engine_ok?(kind, %Composite{strategy: %mod{}}) when is_atom(kind),
    do: Combinators.module(kind) == mod

  defp engine_ok?(_kind, _engine), do: false

  defp seeded?(%{key: key, stream: stream, forks: forks}) do
    match?({d, v} when d in 0..2 and is_integer(v) and v >= 0, key) and
      is_integer(stream) and is_list(forks)
  end

  defp engine_expected(:weighted),
    do: "a #{inspect(Weighted)} with a non-empty :pool tuple, :key, :stream and :forks"

  defp engine_expected(kind) when kind in @pick_kinds,
    do: "a #{inspect(Leaf)} with a non-empty :pool tuple, :key, :stream and :forks"

  defp engine_expected(kind) when kind in @value_kinds,
    do:
      "a #{inspect(Value)} with :params (a #{inspect(Params)} struct), a :pool tuple, :key, :stream and :forks"

  defp engine_expected(kind) when kind in @composite_kinds,
    do: "a #{inspect(Composite)} with :until and :strategy"

  defp engine_expected(:map), do: "a #{inspect(Settings.Map)} with a :fun of arity 1"

  defp engine_expected(:filter),
    do: "a #{inspect(Filter)} with a :pred of arity 1 and a positive :max"

  defp engine_expected(:select), do: "a #{inspect(Select)} with :indices and :at"
  defp engine_expected(:independent), do: "a #{inspect(Independent)} with a :template"

  defp engine_expected(kind) do
    "a #{inspect(Composite)} with the settings of #{inspect(Combinators.module(kind))}"
  end

  defp children_problem([child | rest], path, i) do
    problem(child, "#{path}children[#{i}].") || children_problem(rest, path, i + 1)
  end

  defp children_problem(_none, _path, _i), do: nil
end
