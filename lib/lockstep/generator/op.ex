defmodule Lockstep.Generator.Op do
  @moduledoc """
  An op in Lockstep's terms: `Lockstep.History.op(history, f, value, fun)`
  records an op's function `f` and its `value`, and Lockstep's models match
  on them (the register model expects `:cas` with value `{old, new}`).

  | op | `f/1` | `value/1` |
  |---|---|---|
  | an atom, `:read` | `:read` | `nil` |
  | `{f, a}`, `{:write, 1}` | `:write` | `1` |
  | `{f, a, b, …}`, `{:cas, 1, 2}` | `:cas` | `{1, 2}` |
  | bank: `{:transfer, from, to, amount}` | `:transfer` | `{from, to, amount}` |
  | Elle transaction: a list of micro-ops | `:txn` | the list |
  | `{f}` | `f` | `nil` |
  | `%Lockstep.Generator.Keyed{key: k, op: op}` | `f(op)` | `{k, value(op)}` |

  Tuples follow the rule by arity: the first element, an atom, is `f`; one
  argument is the value as it is, several are a tuple of them. Any other
  term (a number from `integers/2` or `counter/1`, a binary, a tuple not
  tagged with an atom) is its own `f`, with value `nil`, so `f/1` is total:
  `Lockstep.Generator.stats/2` counts by it. A keyed op (an op of an
  independent workload) is its inner op's `f`, and carries its key inside
  the value, as Jepsen's independent workloads do.

  ## Examples

      iex> alias Lockstep.Generator.Op
      iex> for op <- [:read, {:write, 1}, {:cas, 1, 2}], do: {Op.f(op), Op.value(op)}
      [read: nil, write: 1, cas: {1, 2}]
      iex> Op.f({:transfer, 0, 3, 7})
      :transfer
      iex> Op.value({:transfer, 0, 3, 7})
      {0, 3, 7}
      iex> txn = [[:append, 1, 5], [:r, 1, nil]]
      iex> {Op.f(txn), Op.value(txn)}
      {:txn, [[:append, 1, 5], [:r, 1, nil]]}

  """

  alias Lockstep.Generator.Keyed

  @doc """
  The op's function: the atom, the tuple's tag, `:txn` for a list of
  micro-ops, the inner op's `f` for a `Lockstep.Generator.Keyed` op; any
  other term is its own `f`.

  ## Examples

      iex> Lockstep.Generator.Op.f({:cas, 1, 2})
      :cas
      iex> Lockstep.Generator.Op.f(:read)
      :read
      iex> Lockstep.Generator.Op.f([[:r, 0, nil]])
      :txn
      iex> Lockstep.Generator.Op.f(17)
      17
      iex> Lockstep.Generator.Op.f(%Lockstep.Generator.Keyed{key: 4, op: {:write, 1}})
      :write

  """
  @spec f(term()) :: term()
  def f(%Keyed{op: op}), do: f(op)
  def f(op) when is_atom(op), do: op
  def f(op) when is_list(op), do: :txn
  def f(op) when is_tuple(op) and tuple_size(op) > 0 and is_atom(elem(op, 0)), do: elem(op, 0)
  def f(op), do: op

  @doc """
  The op's value: `nil` for an atom, the argument of `{f, a}`, the tuple of
  the arguments of `{f, a, b, …}`, the list itself for a transaction,
  `{key, value(op)}` for a `Lockstep.Generator.Keyed` op, `nil` for any
  other term.

  ## Examples

      iex> Lockstep.Generator.Op.value({:cas, 1, 2})
      {1, 2}
      iex> Lockstep.Generator.Op.value({:write, [1, 2]})
      [1, 2]
      iex> Lockstep.Generator.Op.value(:read)
      nil
      iex> Lockstep.Generator.Op.value(%Lockstep.Generator.Keyed{key: 4, op: {:write, 1}})
      {4, 1}

  """
  @spec value(term()) :: term()
  def value(%Keyed{key: key, op: op}), do: {key, value(op)}
  def value(op) when is_list(op), do: op

  def value(op) when is_tuple(op) and tuple_size(op) > 0 and is_atom(elem(op, 0)) do
    case tuple_size(op) do
      1 -> nil
      2 -> elem(op, 1)
      _ -> Tuple.delete_at(op, 0)
    end
  end

  def value(_op), do: nil
end
