defmodule Lockstep.Generator.Step do
  @moduledoc false
  # next/1 for what only Elixir can run: `map` and `filter` (they call the
  # user's functions). Everything else runs in the engine, which is the one
  # implementation of what a mix, concat or zip does next and when it is
  # done (docs/STREAM.md, section 5), including one holding a map or filter
  # (Lockstep.Generator.Engine: lifted and supplied children).

  alias Lockstep.Generator, as: G

  @doc false
  @spec next(G.t()) :: {term(), G.t()} | :done
  def next(%G{kind: :map, children: [child], engine: %{fun: fun}} = gen) do
    case G.next(child) do
      :done -> :done
      {op, child} -> {fun.(op), served(gen, child)}
    end
  end

  def next(%G{kind: :filter, children: [child], engine: %{pred: pred, max: max}} = gen),
    do: next_filter(child, pred, max, 0, gen)

  defp served(gen, child), do: %{gen | children: [child], remaining: dec(gen.remaining)}

  defp next_filter(_child, _pred, max, max, _gen), do: too_many_rejections!(max)

  defp next_filter(child, pred, max, rejected, gen) do
    case G.next(child) do
      :done ->
        :done

      {op, child} ->
        if pred.(op),
          do: {op, served(gen, child)},
          else: next_filter(child, pred, max, rejected + 1, gen)
    end
  end

  @doc false
  # The bound of filter/3 on consecutive rejections (here and in chunked folds).
  @spec too_many_rejections!(pos_integer()) :: no_return()
  def too_many_rejections!(max) do
    raise RuntimeError,
          "filter/3 rejected #{max} ops in a row; the predicate may reject everything " <>
            "(raise :max_rejections if this is expected)"
  end

  defp dec(:infinity), do: :infinity
  defp dec(n), do: n - 1
end
