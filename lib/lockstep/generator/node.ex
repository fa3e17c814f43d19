defmodule Lockstep.Generator.Node do
  @moduledoc false
  # The bottom layer: one generator node's own fields, no engine call and no
  # other module. A node's buffer (`buf`) holds ops prefetched by one engine
  # call; for a leaf `pos` is the op index right after it; for a
  # round-robin mix or a concat with ops buffered, the `next_child` after
  # each of them, in order (see Lockstep.Generator.Driver).

  alias Lockstep.Generator, as: G

  @doc false
  # Op index of a leaf's next op.
  @spec position(G.t()) :: non_neg_integer()
  def position(%G{pos: pos, buf: buf}), do: pos - length(buf)

  @doc false
  # Ops still in a buffer.
  @spec buffered(G.t()) :: non_neg_integer()
  def buffered(%G{buf: buf}), do: length(buf)

  @doc false
  # `gen` with new children (forked or spread): what was pulled ahead from
  # the old ones is dropped.
  @spec with_children(G.t(), [G.t()]) :: G.t()
  def with_children(%G{engine: %{ahead: [_ | _]} = e} = gen, children),
    do: %{gen | children: children, engine: %{e | ahead: nil}}

  def with_children(gen, children), do: %{gen | children: children}

  @doc false
  # `gen` capped at n ops (take/2 without its argument checks).
  @spec take(G.t(), non_neg_integer()) :: G.t()
  def take(%G{remaining: :infinity} = gen, n), do: %{gen | remaining: n}
  def take(%G{remaining: remaining} = gen, n), do: %{gen | remaining: min(remaining, n)}

  @doc false
  # A count less n (`:infinity` stays).
  def sub(:infinity, _n), do: :infinity
  def sub(r, n), do: r - n

  @doc false
  # `k` capped by a count (`:infinity` caps nothing).
  def cap(k, :infinity), do: k
  def cap(k, r), do: min(k, r)
end
