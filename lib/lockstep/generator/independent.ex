defmodule Lockstep.Generator.Independent do
  @moduledoc """
  Independent keys: a workload spread over many keys, each key's
  sub-history checked on its own (as Jepsen's `jepsen.independent`), so that
  a linearizability checker that is only fast on short histories can check
  long runs key by key.

  The ops of such a workload are `Lockstep.Generator.Keyed` structs, which
  `Lockstep.Generator.Op.value/1` records with the key inside the value,
  `{key, value}`. `subhistories/1` splits the recorded history back by key.
  """

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Compact, Driver, Options, Seed, Settings, Tree}

  @types [:invoke, :ok, :fail, :info]
  @max_u64 Bitwise.bsl(1, 64) - 1

  @doc false
  # independent/2 (see Lockstep.Generator.independent/2): one worker that
  # takes every key in order.
  @spec new(G.t(), keyword()) :: G.t()
  def new(%G{} = template, opts) do
    fun = "independent/2"
    opts = Options.keyword!(opts, [:keys, :per_key, :concurrency, :final, :seed], fun)
    template = template!(template, Keyword.get(opts, :seed))
    keys = keys!(Keyword.get(opts, :keys, :infinity))
    per_key = Options.int!(opts, :per_key, 20, 0..@max_u64, fun)
    c = Options.int!(opts, :concurrency, 1, 1..65_536, fun)
    final = final!(Keyword.get(opts, :final, []))
    per_key!(template, per_key)

    engine = %Settings.Independent{
      template: template,
      keys: keys,
      fork_keys: fork_keys(keys),
      key_pool: key_pool(keys),
      per_key: per_key,
      concurrency: c,
      final: final,
      final_pool: List.to_tuple(final),
      lanes: 1,
      groups: 1,
      group: 0,
      member: 0
    }

    %{%G{kind: nil} | kind: :independent, seed: template.seed, engine: engine}
    |> with_total()
  end

  def new(template, _opts) do
    raise ArgumentError,
          "independent/2 expects a generator as its template, got: #{inspect(template)}"
  end

  defp template!(template, seed) do
    template = Compact.compact(template)

    unless Tree.native?(template) do
      raise ArgumentError,
            "independent/2 expects a template the engine runs natively (seeded leaves, " <>
              "workloads, and mixes, concats, zips and takes of them; no map, filter or " <>
              "select), got: #{inspect(template)}"
    end

    # seed: re-seeds nothing; it is checked and kept as the workload's seed.
    if seed != nil and seed != template.seed do
      raise ArgumentError,
            "independent/2: seed: #{inspect(seed)} differs from the template's seed " <>
              "#{inspect(template.seed)}; seed the template itself"
    end

    template
  end

  defp keys!(:infinity), do: :infinity

  # A range of non-negative integers stays a range (the engine counts
  # its keys); any other range is its list.
  defp keys!(%Range{first: first, last: last, step: 1} = range)
       when first >= 0 and last >= first and last <= @max_u64,
       do: range

  defp keys!(%Range{} = range) do
    if Enum.empty?(range), do: bad_keys!(range)
    Enum.to_list(range)
  end

  defp keys!([_ | _] = keys) do
    if length(Enum.uniq(keys)) != length(keys), do: bad_keys!(keys)
    keys
  end

  defp keys!(other), do: bad_keys!(other)

  defp bad_keys!(keys) do
    raise ArgumentError,
          "independent/2 expects keys: to be :infinity or a non-empty list or range of " <>
            "distinct keys, got: #{inspect(keys, limit: 10)}"
  end

  defp final!(final) when is_list(final) do
    if Enum.all?(final, &(not match?(%G{}, &1))), do: final, else: bad_final!(final)
  rescue
    Protocol.UndefinedError -> bad_final!(final)
  end

  defp final!(final), do: bad_final!(final)

  defp bad_final!(final) do
    raise ArgumentError,
          "independent/2 expects final: to be a list of ops, got: #{inspect(final, limit: 10)}"
  end

  # A random-strategy mix skips by stepping: a key's skips (up to per_key
  # template ops per op) are bounded so an engine call stays short.
  @max_stepped_per_key 65_536

  defp per_key!(template, per_key) do
    if per_key > @max_stepped_per_key and random_mix?(template) do
      raise ArgumentError,
            "independent/2: per_key: #{per_key} is more than #{@max_stepped_per_key} for a " <>
              "template holding a strategy: :random mix (which skips op by op)"
    end

    case Driver.capacity(template) do
      n when is_integer(n) and n < per_key ->
        raise ArgumentError,
              "independent/2: per_key: #{per_key} is more than the template's #{n} ops"

      _ ->
        :ok
    end
  end

  defp random_mix?(%G{kind: :mix, engine: %{strategy: :random}}), do: true
  defp random_mix?(%G{children: [_ | _] = cs}), do: Enum.any?(cs, &random_mix?/1)
  defp random_mix?(_gen), do: false

  defp fork_keys(:infinity), do: {:naturals, 0}
  defp fork_keys(%Range{first: first}), do: {:naturals, first}
  defp fork_keys(keys), do: Enum.map(keys, &Seed.key/1)

  defp key_pool(:infinity), do: {}
  defp key_pool(%Range{}), do: {}
  defp key_pool(keys), do: List.to_tuple(keys)

  # Ops of one worker on one key: its share of per_key, then the finals.
  @doc false
  @spec per_slot(map()) :: non_neg_integer()
  def per_slot(%{per_key: p, lanes: c, member: j, final: final}) do
    shares = if j < p, do: div(p - j + c - 1, c), else: 0
    shares + length(final)
  end

  # remaining: every op of the worker's keys.
  defp with_total(%G{engine: e} = gen) do
    total =
      case {e.keys, per_slot(e)} do
        {_, 0} -> 0
        {:infinity, _} -> :infinity
        {keys, l} -> slots(Enum.count(keys), e.groups, e.group) * l
      end

    %{gen | remaining: total, pos: 0, buf: []}
  end

  defp slots(n, groups, group) when group < n, do: div(n - group + groups - 1, groups)
  defp slots(_n, _groups, _group), do: 0

  @doc false
  # split/2 of an independent workload: workers in groups of `concurrency`.
  @spec split(G.t(), non_neg_integer()) :: [G.t()]
  def split(%G{engine: %{concurrency: c} = e} = gen, w) do
    cond do
      e.groups != 1 or e.lanes != 1 or Lockstep.Generator.Node.position(gen) != 0 or
          gen.remaining != with_total(gen).remaining ->
        raise ArgumentError,
              "split/2 of an independent workload expects it unsplit, at its first op and " <>
                "not cut by take/2 (split it, then take/2 each worker), got: #{inspect(gen)}"

      rem(w, c) != 0 or w == 0 ->
        raise ArgumentError,
              "split/2 of an independent workload expects the workers (#{w}) to be a " <>
                "positive multiple of its concurrency (#{c})"

      true ->
        groups = div(w, c)

        for i <- 0..(w - 1) do
          engine = %{e | lanes: c, groups: groups, group: div(i, c), member: rem(i, c)}
          with_total(%{gen | engine: engine})
        end
    end
  end

  @doc false
  # fork/2: the template forked (every key's stream moves with it).
  @spec fork(G.t(), term(), (G.t(), term() -> G.t())) :: G.t()
  def fork(%G{engine: e} = gen, key, fork) do
    pos = Lockstep.Generator.Node.position(gen)
    %{gen | engine: %{e | template: fork.(e.template, key)}, buf: [], pos: pos}
  end

  @doc false
  # only_keys/2: the worker's ops on those of its keys that are in `keys`,
  # from its first op.
  @spec only_keys(G.t(), [term()]) :: G.t()
  def only_keys(%G{kind: :independent, engine: e} = gen, keys) when is_list(keys) do
    wanted = MapSet.new(keys)

    mine =
      case e.keys do
        :infinity ->
          own_integers(keys, 0, @max_u64, e)

        %Range{first: first, last: last} ->
          own_integers(keys, first, last, e)

        all ->
          all |> Enum.drop(e.group) |> Enum.take_every(e.groups) |> Enum.filter(&(&1 in wanted))
      end

    case mine do
      [] ->
        %{gen | remaining: 0, pos: 0, buf: []}

      mine ->
        engine = %{
          e
          | keys: mine,
            fork_keys: fork_keys(mine),
            key_pool: key_pool(mine),
            groups: 1,
            group: 0
        }

        with_total(%{gen | engine: engine})
    end
  end

  def only_keys(%G{kind: :independent}, keys) do
    raise ArgumentError, "only_keys/2 expects keys to be a list, got: #{inspect(keys, limit: 10)}"
  end

  def only_keys(gen, _keys) do
    raise ArgumentError,
          "only_keys/2 expects an independent workload (independent/2), got: " <>
            inspect(gen, limit: 10)
  end

  # Integer keys from `first` (to `last`): the worker's own among `keys`, in
  # order.
  defp own_integers(keys, first, last, e) do
    keys
    |> Enum.filter(
      &(is_integer(&1) and &1 >= first and &1 <= last and rem(&1 - first - e.group, e.groups) == 0)
    )
    |> Enum.sort()
    |> Enum.uniq()
  end

  @doc """
  Splits a recorded history by key: `%{key => events}`.

  `events` is a list of maps or structs with `:type` (`:invoke`, `:ok`,
  `:fail` or `:info`), `:f`, `:value` and `:process`, in the order they
  happened, as `Lockstep.History.events/1` returns them. Each key's events
  keep that order.

    * An invoke is keyed when its value is a pair `{key, value}` (what
      `Op.value/1` gives for a `Lockstep.Generator.Keyed` op); it goes to
      `key`, its value unwrapped to `value`.
    * A completion (`:ok`, `:fail`, `:info`) goes to the key of its
      process's pending invoke, which it completes; its value is unwrapped
      too when it is `{key, value}` with that same key, and kept as it is
      otherwise.
    * When no invoke is keyed, the history is not keyed: its events go,
      unchanged, under the key `:unkeyed`.

  Structs keep their type and every field but `:value`. Invokes still
  pending at the end are kept.

  Raises `ArgumentError` naming the event's index for an event that is not
  a map with `:type` (one of the four) and `:process`, a completion whose
  process has no pending invoke, an invoke of a process whose previous
  invoke is still pending, and, in a keyed history, an invoke whose value
  is not a `{key, value}` pair.

  ## Examples

      iex> alias Lockstep.Generator.Independent
      iex> history = [
      ...>   %{type: :invoke, f: :write, value: {:a, 1}, process: 0},
      ...>   %{type: :invoke, f: :read, value: {:b, nil}, process: 1},
      ...>   %{type: :ok, f: :write, value: {:a, 1}, process: 0},
      ...>   %{type: :ok, f: :read, value: {:b, 5}, process: 1}
      ...> ]
      iex> Independent.subhistories(history)
      %{
        a: [
          %{type: :invoke, f: :write, value: 1, process: 0},
          %{type: :ok, f: :write, value: 1, process: 0}
        ],
        b: [
          %{type: :invoke, f: :read, value: nil, process: 1},
          %{type: :ok, f: :read, value: 5, process: 1}
        ]
      }

  """
  @spec subhistories([map()]) :: %{optional(term()) => [map()]}
  def subhistories(events) when is_list(events) do
    keyed = first_keyed_invoke(events, 0)
    split(events, 0, keyed, %{}, %{})
  end

  def subhistories(events) do
    raise ArgumentError,
          "subhistories/1 expects a list of events, got: #{inspect(events, limit: 10)}"
  end

  # The index of the first keyed invoke, or nil (the history is not keyed).
  # Malformed events are reported by split/5, in order.
  defp first_keyed_invoke([%{type: :invoke, value: {_key, _value}} | _], i), do: i
  defp first_keyed_invoke([_ | rest], i), do: first_keyed_invoke(rest, i + 1)
  defp first_keyed_invoke(_end, _i), do: nil

  # `pending`: process => {key, index of its invoke}; `acc`: key => events,
  # newest first.
  defp split([event | rest], i, keyed, pending, acc) do
    {type, process} = fields!(event, i)

    case {type, Map.fetch(pending, process)} do
      {:invoke, {:ok, {_key, j}}} ->
        bad!(i, event, "invokes while the invoke of its process at index #{j} is pending")

      {:invoke, :error} ->
        {key, event} = invoke_key(event, i, keyed)
        split(rest, i + 1, keyed, Map.put(pending, process, {key, i}), add(acc, key, event))

      {_completion, :error} ->
        bad!(i, event, "completes no pending invoke of process #{inspect(process)}")

      {_completion, {:ok, {key, _j}}} ->
        event = completion_value(event, key, keyed)
        split(rest, i + 1, keyed, Map.delete(pending, process), add(acc, key, event))
    end
  end

  defp split([], _i, _keyed, _pending, acc),
    do: Map.new(acc, fn {key, events} -> {key, Enum.reverse(events)} end)

  defp split(tail, i, _keyed, _pending, _acc) do
    raise ArgumentError,
          "subhistories/1 expects a proper list of events; the list ends at index #{i} " <>
            "with the tail #{inspect(tail, limit: 10)}"
  end

  defp fields!(%{type: type, process: process}, _i) when type in @types, do: {type, process}

  defp fields!(event, i) do
    bad!(i, event, "is not a map with :type (one of #{inspect(@types)}) and :process")
  end

  defp invoke_key(event, _i, nil), do: {:unkeyed, event}
  defp invoke_key(%{value: {key, value}} = event, _i, _keyed), do: {key, %{event | value: value}}

  defp invoke_key(event, i, keyed) do
    bad!(
      i,
      event,
      "is an invoke whose value is not a {key, value} pair, while the invoke at index " <>
        "#{keyed} is keyed"
    )
  end

  defp completion_value(%{value: {key, value}} = event, key, keyed) when keyed != nil,
    do: %{event | value: value}

  defp completion_value(event, _key, _keyed), do: event

  defp add(acc, key, event), do: Map.update(acc, key, [event], &[event | &1])

  defp bad!(i, event, what) do
    raise ArgumentError,
          "subhistories/1: event #{i} (#{inspect(event, limit: 10)}) #{what}"
  end
end
