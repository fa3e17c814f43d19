defmodule Lockstep.Generator.Workloads do
  @moduledoc """
  Ready-made Jepsen-style workloads built from `Lockstep.Generator`.

  Every random choice (which op, which value, which key, how long a
  transaction) comes from the generator's own seeded stream, so a workload is
  deterministic for a seed, forkable per worker with `Lockstep.Generator.fork/2`
  or `Lockstep.Generator.split/2`, droppable, and produced in batches by the
  engine.

  Each takes `:seed` (any term; without it, or with `seed: nil`, a drawn seed,
  as for `Lockstep.Generator.random/2`)
  and `:mix`: the relative weights of its op kinds, or `:swarm` for swarm
  testing: per seed, a random non-empty subset of the kinds is enabled, each
  with a random weight in `1..8` (disabled kinds weigh 0), drawn from the
  seed's own keystream (`docs/STREAM.md`), so a seed always gives the same
  mix, every fork and split of the workload shares it, and iterations over
  many seeds exercise every combination of kinds.
  """

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Build, OpTable, Options, Params, Seed}

  import Bitwise

  @max_u64 (1 <<< 64) - 1

  # Params are built by updating these literals: the new struct shares
  # their keys (one built from scratch allocates its own).
  @register %Params.Register{first: 1, last: 5, weights: [1, 1, 1]}
  @bank %Params.Bank{accounts: 5, max_amount: 5, weights: [1, 1]}
  @list_append %Params.ListAppend{keys: 8, max_len: 4, weights: [1, 1]}

  @doc """
  A single-register workload: `:read`, `{:write, v}` and `{:cas, old, new}`,
  with values drawn from `:values` (a range, default `1..5`).

  Options: `:seed`, `:values`, `:mix` (relative weights, default
  `[read: 1, write: 1, cas: 1]`; a missing kind has weight 0; or `:swarm`:
  a per-seed random non-empty subset of `read`, `write`, `cas` with random
  weights in `1..8`, see the module doc).

  ## Examples

      iex> alias Lockstep.Generator.Workloads
      iex> Workloads.register(seed: 7, values: 1..3) |> Enum.take(5)
      [{:cas, 3, 1}, {:cas, 1, 3}, :read, {:write, 3}, :read]

  """
  @spec register(keyword()) :: G.t()
  def register(opts \\ []) do
    opts = Options.keyword!(opts, [:seed, :values, :mix], "register/1")
    seed = seed(opts)
    values = values!(Keyword.get(opts, :values, 1..5))
    weights = weights(opts, [:read, :write, :cas], "register/1")

    {lo, hi} = {values.first, values.last}

    table = OpTable.register(lo, hi)
    params = %{@register | first: lo, last: hi, weights: weights, table: table != nil}
    workload(:register, params, [:read, :write, :cas], table, seed)
  end

  @doc """
  Elle-style list-append transactions: each op is a list of 1 to
  `:max_txn_length` micro-ops, `[:append, key, value]` or `[:r, key, nil]`.

  Keys are `0..keys-1`, chosen by a Zipf law over ranks (`key_dist: {:zipf,
  skew}`, the default with skew 1.0: key 0 is the hottest) or uniformly
  (`key_dist: :uniform`). Appended values are unique, as Elle requires:
  value `(i·max_txn_length + j)·workers + worker + 1` for micro-op `j` of op
  `i`. Across workers, `Lockstep.Generator.split/2` keeps them unique with no
  options: `split(list_append(seed: s), n)` gives worker `k` of `n` its own
  fork and `workers: n, worker: k` (so `mix lockstep.gen --workers N` never
  shows one value from two workers). `fork/2` alone keeps the values, so
  forks by other keys repeat each other's values. The `workers:`/`worker:`
  options still work and compose with `split/2`: a split of worker `w` of `W`
  shares out that worker's values (`W·n` workers, worker `w + W·k`), at most
  2^32 workers in all.

  Options: `:seed`, `:keys` (default 8), `:max_txn_length` (default 4, at most
  1024), `:key_dist`, `:mix` (default `[append: 1, read: 1]`; or `:swarm`: a
  per-seed random non-empty subset of `append`, `r` with random weights, see
  the module doc), `:workers` (default 1, at most 2^32), `:worker` (default 0).

  ## Examples

      iex> alias Lockstep.Generator.Workloads
      iex> Workloads.list_append(seed: 1, keys: 3, max_txn_length: 2) |> Enum.take(3)
      [[[:r, 0, nil]], [[:append, 1, 3], [:r, 0, nil]], [[:append, 2, 5], [:append, 0, 6]]]
      iex> gen = Workloads.list_append(seed: 3, max_txn_length: 1)
      iex> for worker <- Lockstep.Generator.split(gen, 2) do
      ...>   for [[:append, _key, value]] <- Enum.take(worker, 10), do: value
      ...> end
      [[5, 7, 9, 15, 17, 19], [4, 6, 10, 12, 14, 20]]

  """
  @spec list_append(keyword()) :: G.t()
  def list_append(opts \\ []) do
    allowed = [:seed, :keys, :max_txn_length, :key_dist, :mix, :workers, :worker]
    opts = Options.keyword!(opts, allowed, "list_append/1")
    max_len = Options.int!(opts, :max_txn_length, 4, 1..1024, "list_append/1")
    workers = Options.int!(opts, :workers, 1, 1..(1 <<< 32), "list_append/1")
    worker = Options.int!(opts, :worker, 0, 0..(workers - 1), "list_append/1")
    weights = weights(opts, [:append, :read], "list_append/1")

    skew =
      case Keyword.get(opts, :key_dist, {:zipf, 1.0}) do
        :uniform ->
          nil

        {:zipf, s} ->
          Options.skew!(s, "list_append/1", "the :key_dist skew")

        other ->
          raise ArgumentError,
                "list_append/1 expects :key_dist to be :uniform or {:zipf, skew}, got: #{inspect(other)}"
      end

    # Zipf ranks are exact up to 2^52 (see zipf/2).
    max_keys = if skew == nil, do: @max_u64, else: 1 <<< 52
    keys = Options.int!(opts, :keys, 8, 1..max_keys, "list_append/1")

    table = OpTable.list_append(keys)

    params = %{
      @list_append
      | keys: keys,
        max_len: max_len,
        weights: weights,
        skew: skew,
        workers: workers,
        worker: worker,
        table: table != nil
    }

    workload(:list_append, params, [:append, :r, nil], table, seed(opts))
  end

  @doc """
  A bank workload over `:accounts` accounts (default 5): `:read` and
  `{:transfer, from, to, amount}` with `from != to` and `amount` in
  `1..max_transfer`.

  Options: `:seed`, `:accounts`, `:max_transfer` (default 5), `:mix`
  (default `[transfer: 1, read: 1]`; or `:swarm`: a per-seed random
  non-empty subset of `transfer`, `read` with random weights, see the module
  doc).

  ## Examples

      iex> alias Lockstep.Generator.Workloads
      iex> Workloads.bank(seed: 2, accounts: 4) |> Enum.take(4)
      [{:transfer, 3, 0, 4}, {:transfer, 1, 3, 2}, {:transfer, 3, 2, 3}, :read]

  """
  @spec bank(keyword()) :: G.t()
  def bank(opts \\ []) do
    opts = Options.keyword!(opts, [:seed, :accounts, :max_transfer, :mix], "bank/1")
    seed = seed(opts)
    accounts = Options.int!(opts, :accounts, 5, 2..@max_u64, "bank/1")
    max = Options.int!(opts, :max_transfer, 5, 1..@max_u64, "bank/1")
    weights = weights(opts, [:transfer, :read], "bank/1")

    table = OpTable.bank(accounts, max)

    params = %{
      @bank
      | accounts: accounts,
        max_amount: max,
        weights: weights,
        table: table != nil
    }

    workload(:bank, params, [:transfer, :read], table, seed)
  end

  defp values!(%Range{first: first, last: last, step: 1} = values)
       when first <= last and last - first < 1 <<< 64,
       do: values

  defp values!(values) do
    raise ArgumentError,
          "register/1 expects :values to be a non-empty range first..last with step 1 " <>
            "and at most 2^64 values, got: #{inspect(values)}"
  end

  # No :seed, or seed: nil: a drawn seed (as for Lockstep.Generator.random/2).
  defp seed(opts), do: Seed.of_opts(opts)

  # A workload: its ops built from the kind atoms, or picked from its
  # constant op table when it has one (then its params say `table: true`;
  # for list_append, the table is its read micro-ops).
  defp workload(kind, params, kinds, nil, seed), do: value(kind, params, kinds, seed)
  defp workload(kind, params, _kinds, table, seed), do: value(kind, params, table, seed)

  defp value(kind, params, pool, seed) do
    ours!()
    Build.__value__(kind, params, pool, seed)
  end

  # The `lockstep` package ships a Lockstep.Generator of its own; when its
  # module is the one loaded (applications not started, so
  # Coexist.prefer_ours/0 did not run), a workload built here would go to
  # functions that do not know it. Ours is the one with __value__/4. The
  # module is named as a plain atom: this checks which one is loaded and
  # calls none of it (no dependency on it, as `mix xref` counts them).
  @public :"Elixir.Lockstep.Generator"

  defp ours! do
    cond do
      function_exported?(@public, :__value__, 4) ->
        :ok

      match?({:module, _}, Code.ensure_loaded(@public)) and
          function_exported?(@public, :__value__, 4) ->
        :ok

      true ->
        raise RuntimeError,
              "Lockstep.Generator is another package's module (loaded from " <>
                "#{Lockstep.Generator.Coexist.loaded_from()}), not lockstep_generator's: " <>
                "call Lockstep.Generator.Coexist.prefer_ours/0 first. The :lockstep_generator " <>
                "application calls it when it starts; with `mix test --no-start` or in " <>
                "scripts that do not start it, call it yourself (test_helper.exs)"
    end
  end

  # The :mix option as weights in `kinds` order, or :swarm; every kind
  # weighs 1 by default.
  defp weights(opts, kinds, fun) do
    case :lists.keyfind(:mix, 1, opts) do
      false -> ones(kinds)
      {:mix, :swarm} -> :swarm
      {:mix, mix} -> kind_weights(mix, kinds, fun)
    end
  end

  # (Weight 1 for each kind, built by hand: List.duplicate/2 is three
  # calls deep, and a workload's construction is on the hot path.)
  defp ones([_kind | kinds]), do: [1 | ones(kinds)]
  defp ones([]), do: []

  defp kind_weights(mix, kinds, fun) do
    valid? =
      Keyword.keyword?(mix) and
        Enum.all?(mix, fn {k, w} -> k in kinds and is_integer(w) and w >= 0 end) and
        Enum.sum(Keyword.values(mix)) in 1..@max_u64

    unless valid? do
      raise ArgumentError,
            "#{fun} expects :mix to be :swarm or a keyword list of #{inspect(kinds)} with " <>
              "non-negative integer weights, not all zero, adding up to at most 2^64 - 1, " <>
              "got: #{inspect(mix)}"
    end

    Enum.map(kinds, &Keyword.get(mix, &1, 0))
  end
end
