defmodule Lockstep.GoldenFile do
  @moduledoc false
  # The golden vector files of test/fixtures (shared with the engine's
  # tests in native/lockstep_engine/tests/): one vector per line,
  # `name | spec | ops`; lines starting with `#` and blank lines are
  # comments.

  import ExUnit.Assertions

  @doc false
  # The vectors of `path` as `{name, spec, ops}` strings, in file order.
  @spec lines(Path.t()) :: [{String.t(), String.t(), String.t()}]
  def lines(path) do
    path
    |> File.read!()
    |> String.split("\n")
    |> Enum.reject(&(String.starts_with?(&1, "#") or String.trim(&1) == ""))
    |> Enum.map(fn line ->
      assert [name, spec, ops] = String.split(line, " | "), "bad line #{inspect(line)}"
      {name, spec, ops}
    end)
  end
end
