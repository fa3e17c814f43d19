defmodule Lockstep.Generator.Tables do
  @moduledoc false
  # Alias table resources: caches of a weighted leaf's or weighted random
  # mix's `weights`, built once for weight lists too long to send to every
  # engine call. A value from another VM carries resources that do not exist
  # there: `rebuild/1` makes them again from the weights.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Native, Scheduler}

  # Weight lists up to this long are sent as they are and the engine builds
  # their alias table inside the call (a few µs); longer ones get a table
  # resource, built once at construction (spec.rs: INLINE_TABLE).
  @inline_table 256

  @doc false
  # A table resource for `weights` when too long to send inline, else nil
  # (`fun` names the caller in errors).
  @spec table_for([non_neg_integer()], String.t()) :: reference() | nil
  def table_for(weights, fun) do
    if length(weights) <= @inline_table, do: nil, else: table!(weights, fun)
  end

  defp table!(weights, fun) do
    built =
      if Scheduler.dirty?(:table, length(weights)),
        do: Native.table_new_dirty(weights),
        else: Native.table_new(weights)

    case built do
      {:ok, table} -> table
      {:error, reason} -> raise ArgumentError, "#{fun}: #{reason}"
    end
  end

  @doc false
  # Rebuilds every stale alias table resource in a generator tree.
  @spec rebuild(G.t()) :: G.t()
  def rebuild(%G{engine: %{table: table} = engine} = gen) when table != nil do
    gen = rebuild_children(gen)

    if Native.table_live(table) do
      gen
    else
      %{gen | engine: %{engine | table: table!(gen.weights, "rebuild")}}
    end
  end

  def rebuild(%G{kind: :independent, engine: %{template: t} = engine} = gen),
    do: %{gen | engine: %{engine | template: rebuild(t)}}

  def rebuild(gen), do: rebuild_children(gen)

  defp rebuild_children(%G{children: [_ | _] = children} = gen),
    do: %{gen | children: Enum.map(children, &rebuild/1)}

  defp rebuild_children(gen), do: gen
end
