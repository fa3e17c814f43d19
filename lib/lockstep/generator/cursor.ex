defmodule Lockstep.Generator.Cursor do
  @moduledoc false
  # A composite's `engine.frontier` while next/1 refills it from a cursor
  # (Lockstep.Generator.Driver; trees of 32 leaves or more): `ref`, the
  # cursor (a NIF resource over the decoded plan: only a cache, made again
  # from the children when stale); `pools`, the leaves' pools grouped
  # (Lockstep.Generator.Boundary.pool_groups/1);
  # `at`, the ops the cursor has made; `dirty`, whether its refills read
  # the pools on a dirty scheduler; `lift`, how the ops get the functions of
  # map children (Lockstep.Generator.Lift).

  @enforce_keys [:ref, :pools, :dirty, :lift]
  defstruct [:ref, :pools, :dirty, :lift, at: 0]

  @type t :: %__MODULE__{
          ref: reference(),
          pools: tuple(),
          at: non_neg_integer(),
          dirty: boolean(),
          lift: Lockstep.Generator.Lift.t()
        }
end
