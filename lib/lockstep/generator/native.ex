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

  def table_new(_weights), do: :erlang.nif_error(:nif_not_loaded)
  def table_new_dirty(_weights), do: :erlang.nif_error(:nif_not_loaded)
  def table_live(_table), do: :erlang.nif_error(:nif_not_loaded)
  def tuple_dirty(_list), do: :erlang.nif_error(:nif_not_loaded)
  def fork_stream(_parent, _key), do: :erlang.nif_error(:nif_not_loaded)

  def leaf_chunk(_kind, _n, _table, _seed, _stream, _pos, _k, _pool),
    do: :erlang.nif_error(:nif_not_loaded)

  def run(_spec, _pools, _request), do: :erlang.nif_error(:nif_not_loaded)
  def run_dirty(_spec, _pools, _request), do: :erlang.nif_error(:nif_not_loaded)
  def plan_new(_spec, _pool_len), do: :erlang.nif_error(:nif_not_loaded)
  def plan_new_dirty(_spec, _pool_len), do: :erlang.nif_error(:nif_not_loaded)
  def plan_chunk(_cursor, _k, _pool), do: :erlang.nif_error(:nif_not_loaded)
  def plan_chunk_leaves(_cursor, _k, _pools), do: :erlang.nif_error(:nif_not_loaded)
  def plan_chunk_leaves_dirty(_cursor, _k, _pools), do: :erlang.nif_error(:nif_not_loaded)
  def plan_refill(_cursor, _at, _k, _record, _pools), do: :erlang.nif_error(:nif_not_loaded)
  def plan_refill_dirty(_cursor, _at, _k, _record, _pools), do: :erlang.nif_error(:nif_not_loaded)
end
