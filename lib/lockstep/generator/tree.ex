defmodule Lockstep.Generator.Tree do
  @moduledoc false
  # What runs a generator tree, decided from its fields alone (no engine
  # call). The Rust engine (native/lockstep_engine) is the one
  # implementation of what a mix, concat or zip does next, when it is done
  # and how it skips; it runs
  #
  #   * "native" trees whole: seeded leaves, and mixes, concats and zips of
  #     native trees (no map, filter or select inside);
  #   * "lifted" trees: a mix, concat or zip whose children are native trees
  #     or maps over them, the maps' functions applied to the ops their
  #     children served (Lockstep.Generator.Lift);
  #   * "supplied" trees: every other mix, concat or zip, whose children it
  #     cannot run have their next ops pulled ahead (Lockstep.Generator.Supply).
  #
  # A combinator of its own file (Lockstep.Generator.Combinators) runs as a
  # mix, concat or zip does, native or supplied (never lifted: Lift knows
  # only how a mix's or zip's ops come from its children). Maps, filters
  # and selections alone run in Elixir, op by op or a chunk at a time
  # (Lockstep.Generator.Driver).

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Settings.Composite
  alias Lockstep.Generator.Unique

  @pick_kinds [:random, :weighted, :cycle]

  @doc false
  # The leaf kinds whose ops are picked from their pool.
  defmacro pick_kinds, do: @pick_kinds

  @doc false
  # True for trees the engine runs whole.
  @spec native?(G.t()) :: boolean()
  # (Leaves first, one match per node: next/1 asks on every refill of a
  # small tree.) A counter too far along for the engine's i128 is computed
  # in Elixir (Lockstep.Generator.Unique).
  def native?(%G{children: nil, kind: :counter} = gen), do: Unique.engine?(gen)
  def native?(%G{children: nil}), do: true

  # A mix, concat, zip or combinator (Lockstep.Generator.Combinators).
  def native?(%G{engine: %Composite{}, children: cs}), do: all_native?(cs)

  # map, filter, select
  def native?(%G{}), do: false

  defp all_native?([child | rest]), do: native?(child) and all_native?(rest)
  defp all_native?([]), do: true

  @doc false
  # True for a mix, concat or zip whose children are native trees or maps over
  # them (chains of maps), at least one a map: the engine runs it with each
  # map child replaced by the tree under it and tags every op with the child
  # that served it, and the ops of map children go through their functions
  # (Lockstep.Generator.Lift), a chunk at a time. Maps must be pure (map/2),
  # so when and how often their function runs is not part of the stream.
  # A zip of such children needs no tags: element j of each op is child j's.
  @spec lifted?(G.t()) :: boolean()
  def lifted?(%G{kind: kind, children: [_ | _] = cs}) when kind in [:mix, :concat, :zip],
    do: Enum.any?(cs, &match?(%G{kind: :map}, &1)) and Enum.all?(cs, &liftable?/1)

  def lifted?(%G{}), do: false

  defp liftable?(%G{kind: :map, children: [child]}), do: liftable?(child)
  defp liftable?(gen), do: native?(gen)

  @doc false
  # True when the engine runs `gen`: native, lifted or supplied.
  @spec runs?(G.t()) :: boolean()
  def runs?(%G{engine: %Composite{}}), do: true
  def runs?(gen), do: native?(gen)

  @doc false
  # True for a mix, concat or zip the engine runs with "supplied" children:
  # one holding a child it cannot run itself (a filter, a select, a map not
  # over an engine tree, or a composite holding one).
  @spec supplied?(G.t()) :: boolean()
  def supplied?(%G{engine: %Composite{}} = gen), do: not native?(gen) and not lifted?(gen)

  def supplied?(_gen), do: false

  @doc false
  # What runs a tree the engine runs: :native (the engine alone), :lifted
  # (maps over native children applied in Elixir) or :supplied (children it
  # cannot run pulled ahead); one walk.
  @spec mode(G.t()) :: :native | :lifted | :supplied
  def mode(%G{children: nil}), do: :native

  def mode(gen) do
    cond do
      native?(gen) -> :native
      lifted?(gen) -> :lifted
      true -> :supplied
    end
  end

  @doc false
  # True for trees whose every op is one pool pick: pick leaves, and mixes
  # and concats of them.
  @spec pick_only?(G.t()) :: boolean()
  def pick_only?(%G{kind: kind}) when kind in @pick_kinds, do: true

  def pick_only?(%G{kind: kind, children: cs}) when kind in [:mix, :concat],
    do: Enum.all?(cs, &pick_only?/1)

  def pick_only?(%G{}), do: false
end
