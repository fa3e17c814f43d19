defmodule Lockstep.Generator.Application do
  @moduledoc false
  # Started with the :lockstep_generator application. Its only job: make this
  # package's Lockstep.Generator the one loaded when the `lockstep` package's
  # is on the code path too (Lockstep.Generator.Coexist). No processes of its
  # own (an empty supervisor, as an application needs a pid).
  use Application

  @impl true
  def start(_type, _args) do
    Lockstep.Generator.Coexist.prefer_ours()
    Supervisor.start_link([], strategy: :one_for_one, name: __MODULE__)
  end
end
