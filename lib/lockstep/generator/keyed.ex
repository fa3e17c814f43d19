defmodule Lockstep.Generator.Keyed do
  @moduledoc """
  An op on one key of an independent workload: `%Keyed{key: k, op: op}`.

  Independent workloads spread their ops over many keys, so that each key's
  sub-history is short enough to check on its own. A keyed op is a struct, so
  no other op shape can be mistaken for one. `Lockstep.Generator.Op` reads it
  the way Jepsen's independent workloads do, since Lockstep's events have no
  key field: `Op.f/1` is the inner op's `f`, and `Op.value/1` carries the key
  inside the value, `{k, Op.value(op)}`.
  `Lockstep.Generator.Independent.subhistories/1` splits a recorded history
  back by key.

  ## Examples

      iex> alias Lockstep.Generator.{Keyed, Op}
      iex> op = %Keyed{key: 3, op: {:cas, 1, 2}}
      iex> {Op.f(op), Op.value(op)}
      {:cas, {3, {1, 2}}}
      iex> Op.value(%Keyed{key: :x, op: :read})
      {:x, nil}

  """

  @enforce_keys [:key, :op]
  defstruct [:key, :op]

  @typedoc "An op (`op`) on the key `key`."
  @type t :: %__MODULE__{key: term(), op: term()}
end
