defmodule Lockstep.Generator.Native do
  @moduledoc false
  # Stubs of the Rust NIFs in native/lockstep_nif. Each is replaced when the
  # library loads; a stub that runs means the library is missing.

  @on_load :load_nif

  @doc false
  def load_nif do
    path = :filename.join(:code.priv_dir(:lockstep_generator), ~c"native/liblockstep_nif")
    :erlang.load_nif(path, 0)
  end

  # The NIF entry points: the two hot calls (a leaf's chunk, a tree's run)
  # and `call/1` / `call_dirty/1` (a normal or a dirty CPU scheduler) for
  # everything else, tagged with what it asks (native/lockstep_nif/src/nif.rs,
  # `Call`). The named functions below are those calls.

  def leaf_chunk(_kind, _n, _table, _seed, _stream, _pos, _k, _pool),
    do: :erlang.nif_error(:nif_not_loaded)

  def run(_spec, _pools, _request), do: :erlang.nif_error(:nif_not_loaded)
  def call(_call), do: :erlang.nif_error(:nif_not_loaded)
  def call_dirty(_call), do: :erlang.nif_error(:nif_not_loaded)

  @doc false
  # An alias table of at most 4096 weights: `{:ok, table}` or `{:error, reason}`.
  def table_new(weights), do: call({:table_new, weights})
  @doc false
  # The same for any number of weights, on a dirty scheduler.
  def table_new_dirty(weights), do: call_dirty({:table_new, weights})
  @doc false
  # True when `table` is a live table resource of this VM.
  def table_live(table), do: call({:table_live, table})
  @doc false
  # The elements of a proper list as a tuple, on a dirty scheduler.
  def tuple_dirty(list), do: call_dirty({:tuple, list})
  @doc false
  # The stream id of fork(gen, key) for a generator on stream `parent`.
  def fork_stream(parent, key), do: call({:fork_stream, parent, key})
  @doc false
  # A cursor over a plan: `{:ok, cursor}` or `{:error, reason}`.
  def plan_new(spec, pool_len), do: call({:plan_new, spec, pool_len})
  def plan_new_dirty(spec, pool_len), do: call_dirty({:plan_new, spec, pool_len})
  @doc false
  # A cursor's next k ops from a flat pool tuple (or indices with nil).
  def plan_chunk(cursor, k, pool), do: call({:plan_chunk, cursor, k, pool})
  @doc false
  # A cursor's next k ops from a tuple of the leaves' pools.
  def plan_chunk_leaves(cursor, k, pools), do: call({:plan_chunk_leaves, cursor, k, pools})

  def plan_chunk_leaves_dirty(cursor, k, pools),
    do: call_dirty({:plan_chunk_leaves, cursor, k, pools})

  @doc false
  # A cursor's next k ops for next/1's buffer (`{:error, :stale}` when it moved on).
  def plan_refill(cursor, at, k, ask, pools),
    do: call({:plan_refill, cursor, at, k, ask, pools})

  def plan_refill_dirty(cursor, at, k, ask, pools),
    do: call_dirty({:plan_refill, cursor, at, k, ask, pools})

  @doc false
  # A cursor standing where `cursor`'s plan stands after `at` ops (itself,
  # or one of its own over the same decoded plan): `{:ok, cursor}`,
  # `{:more, cursor}` (call again with it) or `{:error, :stale}`.
  def plan_seek(cursor, at), do: call({:plan_seek, cursor, at})
  def plan_seek_dirty(cursor, at), do: call_dirty({:plan_seek, cursor, at})

  @doc false
  # run/3 on a dirty scheduler (large trees; larger skip budgets).
  def run_dirty(spec, pools, request), do: call_dirty({:run, spec, pools, request})
end
