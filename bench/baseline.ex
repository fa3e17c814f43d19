defmodule LockstepBench.Baseline do
  @moduledoc """
  Benchmark baseline for `Lockstep.Generator` (not shipped).

  A plain pure-Elixir implementation of the same API, mirroring the original
  specification: a struct carrying a `:rand` exsss state, `:rand.uniform_s/2`
  per op, tuple lookup for random, cumulative scan for weighted,
  `List.replace_at/3` for mix.

  Also plain equivalents of the newer vocabulary, written the way an Elixir
  user would (one `:rand.uniform_s` call per random choice, no batching):
  `integers/2`, `zipf/2` (inverse CDF: binary search in a tuple of cumulative
  probabilities), `mix/2` with `strategy: :random` (weighted pick of a child
  per op), and the workloads `register/1`, `bank/1` and `list_append/1`.
  They reuse the struct's fields rather than adding new ones, so that the
  struct updates of the older kinds copy no more words than before:

    * `:integers` — `tuple: {first - 1, size}`;
    * `:zipf` — `tuple`: cumulative probabilities of ranks `1..n` (floats,
      the last one exactly 1.0);
    * `:random_mix` — `children`, `cum: [{index, cumulative weight}]`, `total`;
    * `:register` — `cum: [{kind, cumulative weight}]`, `total`,
      `tuple: {first - 1, size}` of the values;
    * `:bank` — `cum`, `total`, `tuple: {accounts, max_transfer}`;
    * `:list_append` — `tuple: {key_cdf, max_txn_length, read_weight,
      read_weight + append_weight}`, `pos`: index of the next op (for unique
      appended values).
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

  @doc """
  Round-robin over child generators; done when any child is done.

  With `strategy: :random`, each op comes from a child picked at random
  (probability proportional to `:weights`, uniform without), seeded by `:seed`.
  """
  def mix(gens, opts \\ []) when is_list(gens) and gens != [] do
    case Keyword.get(opts, :strategy, :round_robin) do
      :round_robin ->
        %__MODULE__{kind: :mix, children: gens, seed: Keyword.get(opts, :seed)}

      :random ->
        weights = Keyword.get(opts, :weights) || Enum.map(gens, fn _ -> 1 end)
        true = length(weights) == length(gens)
        {cum, total} = cumulative(Enum.with_index(weights, fn w, i -> {i, w} end))
        seed = seed(opts)

        %__MODULE__{
          kind: :random_mix,
          children: gens,
          weights: weights,
          total: total,
          cum: cum,
          seed: seed,
          state: :rand.seed_s(:exsss, seed)
        }
    end
  end

  @doc "Uniform random integers from `first..last`. Options: `seed: integer`."
  def integers(first..last//1, opts \\ []) when first <= last do
    seed = seed(opts)

    %__MODULE__{
      kind: :integers,
      tuple: {first - 1, last - first + 1},
      seed: seed,
      state: :rand.seed_s(:exsss, seed)
    }
  end

  @doc """
  Zipf ranks `1..n` (rank `k` with probability ∝ `1/k^skew`), by inverse CDF:
  the cumulative probabilities are computed once, each draw is a uniform float
  and a binary search (O(log n)). Options: `:skew` (default 1.0), `:seed`.
  """
  def zipf(n, opts \\ []) when is_integer(n) and n >= 1 do
    seed = seed(opts)

    %__MODULE__{
      kind: :zipf,
      tuple: zipf_cdf(n, Keyword.get(opts, :skew, 1.0)),
      seed: seed,
      state: :rand.seed_s(:exsss, seed)
    }
  end

  @doc """
  Single-register workload: `:read`, `{:write, v}`, `{:cas, old, new}` with
  values from `:values` (default `1..5`), kinds weighted by `:mix` (default
  `[read: 1, write: 1, cas: 1]`). Options: also `:seed`.
  """
  def register(opts \\ []) do
    first..last//1 = Keyword.get(opts, :values, 1..5)
    mix = Keyword.get(opts, :mix, read: 1, write: 1, cas: 1)
    {cum, total} = cumulative(for k <- [:read, :write, :cas], do: {k, Keyword.get(mix, k, 0)})
    seed = seed(opts)

    %__MODULE__{
      kind: :register,
      cum: cum,
      total: total,
      tuple: {first - 1, last - first + 1},
      seed: seed,
      state: :rand.seed_s(:exsss, seed)
    }
  end

  @doc """
  Bank workload: `:read` and `{:transfer, from, to, amount}` over accounts
  `0..accounts-1` (default 5), `from != to`, `amount` in `1..max_transfer`
  (default 5), kinds weighted by `:mix` (default `[transfer: 1, read: 1]`).
  """
  def bank(opts \\ []) do
    accounts = Keyword.get(opts, :accounts, 5)
    max = Keyword.get(opts, :max_transfer, 5)
    mix = Keyword.get(opts, :mix, transfer: 1, read: 1)
    {cum, total} = cumulative(for k <- [:transfer, :read], do: {k, Keyword.get(mix, k, 0)})
    seed = seed(opts)

    %__MODULE__{
      kind: :bank,
      cum: cum,
      total: total,
      tuple: {accounts, max},
      seed: seed,
      state: :rand.seed_s(:exsss, seed)
    }
  end

  @doc """
  Elle-style list-append transactions: lists of 1 to `:max_txn_length`
  (default 4) micro-ops `[:append, key, value]` or `[:r, key, nil]`, keys
  `0..keys-1` (default 8) by a Zipf law (skew 1.0, key 0 hottest), appended
  values `i * max_txn_length + j + 1` (unique). Options: also `:seed`, `:mix`
  (default `[append: 1, read: 1]`).
  """
  def list_append(opts \\ []) do
    keys = Keyword.get(opts, :keys, 8)
    max_len = Keyword.get(opts, :max_txn_length, 4)
    mix = Keyword.get(opts, :mix, append: 1, read: 1)
    {read_w, append_w} = {Keyword.get(mix, :read, 0), Keyword.get(mix, :append, 0)}
    seed = seed(opts)

    %__MODULE__{
      kind: :list_append,
      tuple: {zipf_cdf(keys, 1.0), max_len, read_w, read_w + append_w},
      seed: seed,
      state: :rand.seed_s(:exsss, seed)
    }
  end

  # [{x, weight}] -> {[{x, cumulative weight}] (zero weights dropped), total}
  defp cumulative(pairs) do
    {cum, total} =
      Enum.flat_map_reduce(pairs, 0, fn
        {_x, 0}, acc -> {[], acc}
        {x, w}, acc -> {[{x, acc + w}], acc + w}
      end)

    true = total > 0
    {cum, total}
  end

  defp zipf_cdf(n, skew) do
    ws = for k <- 1..n, do: 1 / :math.pow(k, skew)
    h = Enum.sum(ws)
    {cum, _} = Enum.map_reduce(ws, 0.0, fn w, acc -> {acc + w / h, acc + w / h} end)
    # Rounding may leave the last one just under 1.0; a draw is < 1.0.
    cum |> List.replace_at(n - 1, 1.0) |> List.to_tuple()
  end

  # Smallest index i in lo..hi with elem(cdf, i) > u (0-based).
  defp search(_cdf, _u, lo, lo), do: lo

  defp search(cdf, u, lo, hi) do
    mid = div(lo + hi, 2)
    if elem(cdf, mid) > u, do: search(cdf, u, lo, mid), else: search(cdf, u, mid + 1, hi)
  end

  defp pick(cum, r) do
    {x, _} = Enum.find(cum, fn {_x, c} -> c >= r end)
    x
  end

  @doc "Limit the generator to at most `n` more ops."
  def take(%__MODULE__{remaining: rem} = gen, n) when is_integer(n) and n >= 0 do
    %{gen | remaining: if(rem == :infinity, do: n, else: min(rem, n))}
  end

  @doc "`fun.(op)` for every op of `gen` (the function kept in `state`)."
  def map(%__MODULE__{} = gen, fun) when is_function(fun, 1),
    do: %__MODULE__{kind: :map, children: [gen], state: fun}

  @doc "The ops of `gen` for which `pred.(op)` is truthy (the predicate kept in `state`)."
  def filter(%__MODULE__{} = gen, pred) when is_function(pred, 1),
    do: %__MODULE__{kind: :filter, children: [gen], state: pred}

  @doc "Returns `{op, gen}` or `:done`."
  def next(%__MODULE__{remaining: 0}), do: :done

  def next(%__MODULE__{kind: :filter, children: [child], state: pred} = gen) do
    case next(child) do
      :done ->
        :done

      {op, child} ->
        gen = %{gen | children: [child]}
        if pred.(op), do: {op, dec(gen)}, else: next(gen)
    end
  end

  def next(%__MODULE__{kind: :map, children: [child], state: fun} = gen) do
    case next(child) do
      :done -> :done
      {op, child} -> {fun.(op), dec(%{gen | children: [child]})}
    end
  end

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

  def next(%__MODULE__{kind: :random_mix, children: children, total: total, cum: cum} = gen) do
    {r, state} = :rand.uniform_s(total, gen.state)
    i = pick(cum, r)

    case next(Enum.at(children, i)) do
      :done ->
        :done

      {op, child} ->
        children = List.replace_at(children, i, child)
        {op, dec(%{gen | children: children, state: state})}
    end
  end

  def next(%__MODULE__{kind: :integers, tuple: {base, size}, state: state} = gen) do
    {i, state} = :rand.uniform_s(size, state)
    {base + i, dec(%{gen | state: state})}
  end

  def next(%__MODULE__{kind: :zipf, tuple: cdf, state: state} = gen) do
    {u, state} = :rand.uniform_s(state)
    {search(cdf, u, 0, tuple_size(cdf) - 1) + 1, dec(%{gen | state: state})}
  end

  def next(%__MODULE__{kind: :register, cum: cum, total: total, tuple: {base, size}} = gen) do
    {r, state} = :rand.uniform_s(total, gen.state)

    {op, state} =
      case pick(cum, r) do
        :read ->
          {:read, state}

        :write ->
          {v, state} = :rand.uniform_s(size, state)
          {{:write, base + v}, state}

        :cas ->
          {old, state} = :rand.uniform_s(size, state)
          {new, state} = :rand.uniform_s(size, state)
          {{:cas, base + old, base + new}, state}
      end

    {op, dec(%{gen | state: state})}
  end

  def next(%__MODULE__{kind: :bank, cum: cum, total: total, tuple: {accounts, max}} = gen) do
    {r, state} = :rand.uniform_s(total, gen.state)

    {op, state} =
      case pick(cum, r) do
        :read ->
          {:read, state}

        :transfer ->
          {from, state} = :rand.uniform_s(accounts, state)
          {d, state} = :rand.uniform_s(accounts - 1, state)
          {amount, state} = :rand.uniform_s(max, state)
          {{:transfer, from - 1, rem(from - 1 + d, accounts), amount}, state}
      end

    {op, dec(%{gen | state: state})}
  end

  def next(%__MODULE__{kind: :list_append, tuple: {cdf, max_len, read_w, both}, pos: i} = gen) do
    {len, state} = :rand.uniform_s(max_len, gen.state)
    last = tuple_size(cdf) - 1

    {txn, state} =
      Enum.map_reduce(0..(len - 1), state, fn j, state ->
        {k, state} = :rand.uniform_s(both, state)
        {u, state} = :rand.uniform_s(state)
        key = search(cdf, u, 0, last)

        if k <= read_w,
          do: {[:r, key, nil], state},
          else: {[:append, key, i * max_len + j + 1], state}
      end)

    {txn, dec(%{gen | state: state, pos: i + 1})}
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

defmodule LockstepBench.Plain do
  @moduledoc """
  The workloads written the obvious way, for the "Paths users run" table (not
  shipped): one `:rand` exsss state threaded through a small struct, one
  `:rand.uniform_s/2` call per random choice, no batching.

    * `register/1` — `:rand.uniform_s(3)` for the kind (read, write, cas),
      then the values (`1..5`);
    * `bank/1` — `:rand.uniform_s(2)` for the kind (transfer, read); a
      transfer draws `from`, `to != from` (as `from + d` with `d` in
      `1..accounts-1`) and the amount (`1..max_transfer`);
    * `list_append/1` — a length in `1..max_txn_length`, then per micro-op a
      kind (`:rand.uniform_s(2)`) and a uniform key; appended values
      `i * max_txn_length + j + 1` (unique), as ours with one worker.

  Kept apart from `LockstepBench.Baseline` so that the older scenarios run
  exactly the code they always ran.
  """

  defstruct kind: nil, state: nil, remaining: :infinity, a: 0, b: 0, i: 0

  def register(opts \\ []) do
    first..last//1 = Keyword.get(opts, :values, 1..5)
    1 = first
    %__MODULE__{kind: :register, state: state(opts), a: last}
  end

  def bank(opts \\ []) do
    a = Keyword.get(opts, :accounts, 5)
    b = Keyword.get(opts, :max_transfer, 5)
    %__MODULE__{kind: :bank, state: state(opts), a: a, b: b}
  end

  def list_append(opts \\ []) do
    a = Keyword.get(opts, :keys, 8)
    b = Keyword.get(opts, :max_txn_length, 4)
    %__MODULE__{kind: :list_append, state: state(opts), a: a, b: b}
  end

  defp state(opts), do: :rand.seed_s(:exsss, Keyword.fetch!(opts, :seed))

  def take(%__MODULE__{remaining: r} = gen, n) when is_integer(n) and n >= 0,
    do: %{gen | remaining: if(r == :infinity, do: n, else: min(r, n))}

  def next(%__MODULE__{remaining: 0}), do: :done

  def next(%__MODULE__{kind: :register, state: s, a: v} = gen) do
    {op, s} =
      case :rand.uniform_s(3, s) do
        {1, s} ->
          {:read, s}

        {2, s} ->
          {x, s} = :rand.uniform_s(v, s)
          {{:write, x}, s}

        {3, s} ->
          {old, s} = :rand.uniform_s(v, s)
          {new, s} = :rand.uniform_s(v, s)
          {{:cas, old, new}, s}
      end

    {op, dec(%{gen | state: s})}
  end

  def next(%__MODULE__{kind: :bank, state: s, a: accounts, b: max} = gen) do
    {op, s} =
      case :rand.uniform_s(2, s) do
        {1, s} ->
          {from, s} = :rand.uniform_s(accounts, s)
          {d, s} = :rand.uniform_s(accounts - 1, s)
          {amount, s} = :rand.uniform_s(max, s)
          {{:transfer, from - 1, rem(from - 1 + d, accounts), amount}, s}

        {2, s} ->
          {:read, s}
      end

    {op, dec(%{gen | state: s})}
  end

  def next(%__MODULE__{kind: :list_append, state: s, a: keys, b: max_len, i: i} = gen) do
    {len, s} = :rand.uniform_s(max_len, s)
    {txn, s} = micro(len, i * max_len + 1, keys, s)
    {txn, dec(%{gen | state: s, i: i + 1})}
  end

  defp micro(0, _value, _keys, s), do: {[], s}

  defp micro(left, value, keys, s) do
    {kind, s} = :rand.uniform_s(2, s)
    {key, s} = :rand.uniform_s(keys, s)
    op = if kind == 1, do: [:r, key - 1, nil], else: [:append, key - 1, value]
    {rest, s} = micro(left - 1, value + 1, keys, s)
    {[op | rest], s}
  end

  defp dec(%__MODULE__{remaining: :infinity} = gen), do: gen
  defp dec(%__MODULE__{remaining: n} = gen), do: %{gen | remaining: n - 1}

  def each(gen, fun), do: each(next(gen), fun, 0)
  defp each(:done, _fun, count), do: count

  defp each({op, gen}, fun, count) do
    fun.(op)
    each(next(gen), fun, count + 1)
  end

  def reduce(gen, acc, fun) do
    case next(gen) do
      :done -> acc
      {op, gen} -> reduce(gen, fun.(op, acc), fun)
    end
  end
end

defmodule LockstepBench.PlainIndependent do
  @moduledoc false
  # independent/2 over a register workload, the obvious way in plain Elixir:
  # one worker (member `member` of group `group` of `groups`, `c` workers per
  # key) takes its keys `group, group + groups, …` one after the other; each
  # key's ops come from its own `:rand` state seeded by `{seed, key, 0}`
  # (LockstepBench.Plain.register), the worker taking positions
  # `member, member + c, …` below `per_key`, then the `final` ops, each
  # wrapped in a `%Lockstep.Generator.Keyed{}`.

  alias LockstepBench.Plain, as: P

  defstruct [
    :seed,
    :per_key,
    :c,
    :groups,
    :group,
    :member,
    :final,
    slot: 0,
    ops: [],
    remaining: :infinity
  ]

  def new(opts) do
    %__MODULE__{
      seed: Keyword.fetch!(opts, :seed),
      per_key: Keyword.get(opts, :per_key, 20),
      c: Keyword.get(opts, :concurrency, 1),
      groups: Keyword.get(opts, :groups, 1),
      group: Keyword.get(opts, :group, 0),
      member: Keyword.get(opts, :member, 0),
      final: Keyword.get(opts, :final, [])
    }
  end

  def take(%__MODULE__{remaining: r} = gen, n) when is_integer(n) and n >= 0,
    do: %{gen | remaining: if(r == :infinity, do: n, else: min(r, n))}

  def next(%__MODULE__{remaining: 0}), do: :done

  def next(%__MODULE__{ops: [op | rest]} = gen), do: {op, dec(%{gen | ops: rest})}

  def next(%__MODULE__{ops: []} = gen) do
    key = gen.group + gen.slot * gen.groups

    ops =
      P.register(seed: {gen.seed, key, 0})
      |> P.take(gen.per_key)
      |> P.reduce([], &[&1 | &2])
      |> Enum.reverse()
      |> Enum.drop(gen.member)
      |> Enum.take_every(gen.c)

    keyed = for op <- ops ++ gen.final, do: %Lockstep.Generator.Keyed{key: key, op: op}
    next(%{gen | ops: keyed, slot: gen.slot + 1})
  end

  defp dec(%__MODULE__{remaining: :infinity} = gen), do: gen
  defp dec(%__MODULE__{remaining: n} = gen), do: %{gen | remaining: n - 1}

  def each(gen, fun), do: each(next(gen), fun, 0)
  defp each(:done, _fun, count), do: count

  defp each({op, gen}, fun, count) do
    fun.(op)
    each(next(gen), fun, count + 1)
  end
end
