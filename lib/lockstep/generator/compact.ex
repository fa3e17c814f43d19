defmodule Lockstep.Generator.Compact do
  @moduledoc false
  # compact/1 (see Lockstep.Generator.compact/1): a generator at its exact
  # position without prefetched ops, its children too. Below Build and
  # Independent (which compacts a template), above Driver.

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Driver, Malformed, Node}

  @doc false
  @spec compact(G.t()) :: G.t()
  def compact(%G{} = gen) do
    # The exact state (Driver.settle/1), then the same for every child: a
    # map's or selection's child keeps its own buffer.
    case Driver.settle(gen) do
      %G{children: [_ | _] = children} = gen ->
        Node.with_children(gen, Enum.map(children, &compact/1))

      gen ->
        gen
    end
  rescue
    e -> Malformed.reraise(gen, "compact/1", e, __STACKTRACE__)
  end

  def compact(other),
    do: raise(ArgumentError, "compact/1 expects a generator, got: #{inspect(other)}")
end
