defmodule Lockstep.Generator.Filter do
  @moduledoc false
  # The rule of filter/3, wherever a filter runs (next/1 op by op, folds a
  # chunk at a time, a supplied child pulled ahead): an op is kept when the
  # predicate is truthy; `max` consecutive rejections raise.

  @doc false
  # True when one more rejection after `rejected` in a row reaches `max`
  # (a guard: the loops that filter a chunk test it per rejected op, with
  # no call).
  defguard too_many?(rejected, max) when rejected + 1 >= max

  @doc false
  # The rejection count after one more rejection, or `:too_many` when it
  # reaches `max`.
  @spec reject(non_neg_integer(), pos_integer()) :: {:ok, pos_integer()} | :too_many
  def reject(rejected, max) when too_many?(rejected, max), do: :too_many
  def reject(rejected, _max), do: {:ok, rejected + 1}

  @doc false
  # The ops of a chunk that `pred` keeps, and the rejections in a row at its
  # end (`rejected`: those before it); raises at the `max`-th in a row.
  @spec chunk([term()], (term() -> term()), pos_integer(), non_neg_integer()) ::
          {[term()], non_neg_integer()}
  def chunk(ops, pred, max, rejected), do: chunk(ops, pred, max, rejected, [])

  defp chunk([], _pred, _max, rejected, kept), do: {:lists.reverse(kept), rejected}

  defp chunk([op | rest], pred, max, rejected, kept) do
    cond do
      pred.(op) -> chunk(rest, pred, max, 0, [op | kept])
      too_many?(rejected, max) -> too_many!(max)
      true -> chunk(rest, pred, max, rejected + 1, kept)
    end
  end

  @doc false
  # What `max` rejections in a row raise.
  @spec too_many!(pos_integer()) :: no_return()
  def too_many!(max) do
    raise RuntimeError,
          "filter/3 rejected #{max} ops in a row; the predicate may reject everything " <>
            "(raise :max_rejections if this is expected)"
  end
end
