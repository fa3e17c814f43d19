defmodule LockstepBench.Baseline do
  @moduledoc """
  Benchmark baseline for `Lockstep.Generator` (not shipped).

  A plain pure-Elixir implementation of the same API, mirroring the issue's
  description: a struct carrying a `:rand` exsss state, `:rand.uniform_s/2`
  per op, tuple lookup for random, cumulative scan for weighted,
  `List.replace_at/3` for mix.
  """

  defstruct kind: nil,
            ops: [],
            weights: [],
            total: 0,
            children: [],
            next_child: 0,
            remaining: :infinity,
            seed: nil,
            state: nil,
            tuple: {},
            pos: 0,
            cum: []

  @type t :: %__MODULE__{}

  @doc "Uniformly random ops from `ops`. Options: `seed: integer`."
  def random(ops, opts \\ []) when is_list(ops) and ops != [] do
    seed = seed(opts)

    %__MODULE__{
      kind: :random,
      ops: ops,
      tuple: List.to_tuple(ops),
      seed: seed,
      state: :rand.seed_s(:exsss, seed)
    }
  end

  @doc "Ops of `ops` in order, repeating forever."
  def cycle(ops) when is_list(ops) and ops != [] do
    %__MODULE__{kind: :cycle, ops: ops, tuple: List.to_tuple(ops)}
  end

  @doc "Random ops drawn with probability proportional to weight, from `{op, weight}` pairs."
  def weighted(weighted_ops, opts \\ []) when is_list(weighted_ops) and weighted_ops != [] do
    {ops, weights} = Enum.unzip(weighted_ops)
    total = Enum.sum(weights)
    true = total > 0
    {cum, _} = Enum.map_reduce(weighted_ops, 0, fn {op, w}, acc -> {{op, acc + w}, acc + w} end)
    seed = seed(opts)

    %__MODULE__{
      kind: :weighted,
      ops: ops,
      weights: weights,
      total: total,
      cum: cum,
      seed: seed,
      state: :rand.seed_s(:exsss, seed)
    }
  end

  @doc "Round-robin over child generators; done when any child is done."
  def mix(gens, opts \\ []) when is_list(gens) and gens != [] do
    %__MODULE__{kind: :mix, children: gens, seed: Keyword.get(opts, :seed)}
  end

  @doc "Limit the generator to at most `n` more ops."
  def take(%__MODULE__{remaining: rem} = gen, n) when is_integer(n) and n >= 0 do
    %{gen | remaining: if(rem == :infinity, do: n, else: min(rem, n))}
  end

  @doc "Returns `{op, gen}` or `:done`."
  def next(%__MODULE__{remaining: 0}), do: :done

  def next(%__MODULE__{kind: :random, tuple: tuple, state: state} = gen) do
    {i, state} = :rand.uniform_s(tuple_size(tuple), state)
    {elem(tuple, i - 1), dec(%{gen | state: state})}
  end

  def next(%__MODULE__{kind: :cycle, tuple: tuple, pos: pos} = gen) do
    {elem(tuple, rem(pos, tuple_size(tuple))), dec(%{gen | pos: pos + 1})}
  end

  def next(%__MODULE__{kind: :weighted, total: total, cum: cum, state: state} = gen) do
    {r, state} = :rand.uniform_s(total, state)
    {op, _} = Enum.find(cum, fn {_op, c} -> c >= r end)
    {op, dec(%{gen | state: state})}
  end

  def next(%__MODULE__{kind: :mix, children: children, next_child: i} = gen) do
    case next(Enum.at(children, i)) do
      :done ->
        :done

      {op, child} ->
        children = List.replace_at(children, i, child)
        {op, dec(%{gen | children: children, next_child: rem(i + 1, length(children))})}
    end
  end

  @doc "Calls `fun` on each op; returns the number of ops produced."
  def each(gen, fun), do: each(gen, fun, 0)

  defp each(gen, fun, count) do
    case next(gen) do
      :done ->
        count

      {op, gen} ->
        fun.(op)
        each(gen, fun, count + 1)
    end
  end

  @doc "Folds `fun.(op, acc)` over the ops; returns the final accumulator."
  def reduce(gen, acc, fun) do
    case next(gen) do
      :done -> acc
      {op, gen} -> reduce(gen, fun.(op, acc), fun)
    end
  end

  defp dec(%__MODULE__{remaining: :infinity} = gen), do: gen
  defp dec(%__MODULE__{remaining: n} = gen), do: %{gen | remaining: n - 1}

  defp seed(opts),
    do: Keyword.get_lazy(opts, :seed, fn -> :erlang.unique_integer([:positive]) end)
end
