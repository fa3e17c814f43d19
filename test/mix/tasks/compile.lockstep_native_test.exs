defmodule Mix.Tasks.Compile.LockstepNativeTest do
  # The cargo compiler step (mix.exs) is quiet: nothing on stdout, so a
  # project depending on this one can pipe `mix lockstep.gen` output.
  use ExUnit.Case, async: true

  @root Path.expand("../../..", __DIR__)

  @tag timeout: 120_000
  test "the cargo compiler step writes nothing to stdout, and nothing at all when up to date" do
    {out, 0} = System.cmd("mix", ["compile"], cd: @root, env: [{"MIX_ENV", "test"}])
    assert out == ""
    # Forced: the NIF step runs cargo again (nothing to rebuild): still silent.
    {out, 0} =
      System.cmd("mix", ["compile.lockstep_native"], cd: @root, env: [{"MIX_ENV", "test"}])

    assert out == ""
  end
end
