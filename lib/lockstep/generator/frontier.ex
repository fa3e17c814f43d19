defmodule Lockstep.Generator.Frontier do
  @moduledoc false
  # What a composite's `engine.frontier` holds while ops are buffered
  # (Lockstep.Generator.Driver): nil when its children are up to date,
  # else one of three named shapes, each matched by name:
  #
  #   * `Reported`: the state the last refill reported (see
  #     Lockstep.Generator.Boundary's `state` type), written into the
  #     children when the buffer runs out;
  #   * `Final`: the last refill of a take, which asked for no state: the
  #     children are brought up to date (from `pos` and the buffer) only if
  #     someone asks;
  #   * Lockstep.Generator.Cursor: next/1 refills from a cursor kept
  #     between refills (trees of many leaves).

  defmodule Reported do
    @moduledoc false
    # A refill's reported state, applied when the buffer runs out.
    @enforce_keys [:state]
    defstruct [:state]
  end

  defmodule Final do
    @moduledoc false
    # The last refill of a take: no state was asked for.
    defstruct []
  end

  @type t :: nil | %Reported{} | %Final{} | Lockstep.Generator.Cursor.t()
end
