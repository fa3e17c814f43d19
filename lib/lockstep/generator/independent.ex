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

  @types [:invoke, :ok, :fail, :info]

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
