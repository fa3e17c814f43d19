defmodule Lockstep.Generator.OpTable do
  @moduledoc false
  # Constant op tables for small register, bank and list-append workloads.
  #
  # A register over a handful of values, or a bank over a few accounts, can
  # only make a few dozen distinct ops. For those, every possible op is built
  # once, at compile time, into a tuple in the order the engine indexes
  # (native/lockstep_engine/src/kinds.rs, `LeafKind::op_table_len`), and the
  # engine picks from it: the same words and the same ops as building each op
  # (tested), but no term is built per op and constructing the workload costs
  # nothing more (the table is a literal). Other sizes build their ops.

  # register/1: `first` in 0..1, up to this many values.
  @register_counts 1..8
  # bank/1: up to this many accounts, amounts up to this.
  @bank_accounts 2..5
  @bank_amounts 1..5
  # list_append/1: up to this many keys.
  @list_append_keys 1..16

  # Every register op over first..first + count - 1: read, the writes, then
  # the cas ops (old major, new minor).
  register_table = fn first, count ->
    values = first..(first + count - 1)

    List.to_tuple(
      [:read] ++
        for(v <- values, do: {:write, v}) ++ for(a <- values, b <- values, do: {:cas, a, b})
    )
  end

  # Every bank op over `accounts` accounts and amounts 1..max: transfer
  # {f, t, x} at (f·accounts + t)·max + x - 1 (f == t entries are never
  # picked), then read.
  bank_table = fn accounts, max ->
    List.to_tuple(
      for(f <- 0..(accounts - 1), t <- 0..(accounts - 1), x <- 1..max, do: {:transfer, f, t, x}) ++
        [:read]
    )
  end

  @doc false
  # The constant op table of register(values: first..last), or nil (one
  # function clause per table: a lookup is a pattern match).
  @spec register(integer(), integer()) :: tuple() | nil
  def register(first, last)

  for first <- 0..1, count <- @register_counts do
    last = first + count - 1

    def register(unquote(first), unquote(last)),
      do: unquote(Macro.escape(register_table.(first, count)))
  end

  def register(_first, _last), do: nil

  @doc false
  # The constant op table of bank(accounts: a, max_transfer: m), or nil.
  @spec bank(pos_integer(), pos_integer()) :: tuple() | nil
  def bank(accounts, max)

  for a <- @bank_accounts, m <- @bank_amounts do
    def bank(unquote(a), unquote(m)), do: unquote(Macro.escape(bank_table.(a, m)))
  end

  def bank(_accounts, _max), do: nil

  @doc false
  # The pool of list_append(keys: k) with every read micro-op after the
  # usual three terms: `:append`, `:r`, `nil`, then `[:r, key, nil]` for
  # key in 0..k-1 (a transaction's appends are built: their values are
  # unique), or nil.
  @spec list_append(pos_integer()) :: tuple() | nil
  def list_append(keys)

  for k <- @list_append_keys do
    pool = List.to_tuple([:append, :r, nil] ++ for(key <- 0..(k - 1), do: [:r, key, nil]))
    def list_append(unquote(k)), do: unquote(Macro.escape(pool))
  end

  def list_append(_keys), do: nil
end
