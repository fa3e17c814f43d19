defmodule Lockstep.Generator.ShrinkInfo do
  @moduledoc """
  What `Lockstep.Generator.shrink/3` did, returned beside its result.

    * `calls` — calls of `fails?`, the first check and the final re-check
      included;
    * `ops_before`, `ops_after` — op counts, all workers together;
    * `worker_ops_before`, `worker_ops_after` — one count per generator;
    * `stopped_early` — `:max_calls` ended the search: the result is the
      smallest failing workload found so far, not necessarily 1-minimal;
    * `rechecked` — `fails?` was called once more on the result and was
      true (false when `:max_calls` left no call for it).

  It prints as what it holds (`worker_ops_after: [0, 2, 0]`, never a
  charlist).
  """

  @enforce_keys [:calls, :ops_before, :ops_after, :worker_ops_before, :worker_ops_after]
  defstruct calls: 0,
            ops_before: 0,
            ops_after: 0,
            worker_ops_before: [],
            worker_ops_after: [],
            stopped_early: false,
            rechecked: false

  @type t() :: %__MODULE__{
          calls: pos_integer(),
          ops_before: non_neg_integer(),
          ops_after: non_neg_integer(),
          worker_ops_before: [non_neg_integer()],
          worker_ops_after: [non_neg_integer()],
          stopped_early: boolean(),
          rechecked: boolean()
        }

  defimpl Inspect do
    def inspect(info, opts), do: Inspect.Any.inspect(info, %{opts | charlists: :as_lists})
  end
end
