defmodule Lockstep.Generator.Scheduler do
  @moduledoc false
  # The one decision of which scheduler an engine call runs on. A NIF call on
  # a normal scheduler must return within about a millisecond; the engine
  # bounds its own work per call (native/lockstep_engine, CALL_WORK), but
  # two costs grow with the input and are not the engine's to bound:
  #
  #   * decoding a tree of many leaves (milliseconds for thousands), and
  #   * reading pools: the NIF reads a pool tuple by copying its term
  #     handles, O(its size), every call that reads it;
  #
  # and building an alias table is O(weights), a pool's tuple O(ops). Calls past these bounds run on
  # a dirty CPU scheduler.

  # Trees with more leaves than this are decoded on a dirty scheduler...
  @dirty_leaves 2048
  # ...and trees whose pools, read by the call, hold more ops than this.
  @big_pool 32_768
  # Alias tables of more weights than this are built on a dirty scheduler
  # (native/lockstep_nif: SMALL_TABLE).
  @small_table 4096
  # A cursor's refill of a tree of pool picks (next/1: at most @refill_ops
  # ops, Lockstep.Generator.Driver) reads, for each op, one leaf's tuple
  # and, above it, one tuple of @fanout per level of the grouped pools
  # (Lockstep.Generator.Boundary.pool_groups/1). Refills that may copy more
  # term handles than this run on a dirty scheduler.
  @refill_ops 1024
  @fanout 32
  @big_refill 262_144
  # Lists of more elements than this become a tuple on a dirty scheduler
  # (`List.to_tuple/1` does not yield: about 2 ns per element).
  @big_tuple 262_144

  @typedoc """
  What a call does, and on what: `:decode` a tree with these leaves' pools
  (one tuple per leaf) without reading them (skips, capacities, pool
  indices, plans), or `:read` them too; `:refill` a cursor over a tree of
  pool picks from them (one leaf read per op, however many leaves there
  are); build a `:table` of n weights; make
  a `:tuple` of n elements. (Two arguments, no tuple: a fresh generator's
  construction asks, and allocates nothing for it.)
  """
  @type work :: :decode | :read | :refill | :table | :tuple

  @doc false
  # `dirty?(:tuple, n)` as a guard, false side: a list of n elements
  # becomes a tuple on a normal scheduler (for callers that inline the
  # check on a hot path: a leaf's pool at construction).
  defguard normal_tuple?(n) when n <= @big_tuple

  @doc false
  # True when a call doing `work` on `size` (a tree's pools, or a count)
  # must run on a dirty scheduler.
  @spec dirty?(work(), [tuple()] | non_neg_integer()) :: boolean()
  def dirty?(:decode, pools), do: big?(pools, false, 0, 0)
  def dirty?(:read, pools), do: big?(pools, true, 0, 0)
  def dirty?(:refill, pools), do: refill_reads(pools, 0, 0, 0) > @big_refill
  def dirty?(:table, n), do: n > @small_table
  def dirty?(:tuple, n), do: not normal_tuple?(n)

  # (Stops at the first leaf past either bound: a tree of 100k leaves is not
  # walked whole on every call.)
  defp big?([pool | rest], reads?, leaves, ops) do
    ops = if reads?, do: ops + tuple_size(pool), else: ops

    if leaves >= @dirty_leaves or ops > @big_pool,
      do: true,
      else: big?(rest, reads?, leaves + 1, ops)
  end

  defp big?([], _reads?, _leaves, _ops), do: false

  # The term handles one refill may copy: at most @refill_ops leaves (no
  # more than there are), each its largest pool and a tuple per level.
  defp refill_reads([pool | rest], leaves, largest, total),
    do: refill_reads(rest, leaves + 1, max(largest, tuple_size(pool)), total + tuple_size(pool))

  defp refill_reads([], leaves, largest, total) do
    groups = @fanout * levels(leaves, @fanout, 1)
    min(total + leaves * groups, min(leaves, @refill_ops) * (largest + groups))
  end

  # Levels of tuples in the grouped pools of `leaves` leaves.
  defp levels(leaves, reach, d) when reach >= leaves, do: d
  defp levels(leaves, reach, d), do: levels(leaves, reach * @fanout, d + 1)
end
