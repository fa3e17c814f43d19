defmodule Lockstep.IndependentExampleTest do
  # examples/independent_register.exs: the correct register passes every
  # key, the planted lost write fails only buggy keys, the shrink keeps one
  # key after one fails? call per key, and the whole-history check is cut
  # off at the limit given; the same output (timings aside) for the same
  # seed.
  use ExUnit.Case, async: false

  @moduletag timeout: 120_000

  defp run_example(args) do
    {out, 0} =
      System.cmd("mix", ["run", "examples/independent_register.exs" | args],
        stderr_to_stdout: true
      )

    out
    |> String.split("\n", trim: true)
    |> Enum.reject(&(&1 =~ ~r/^Compiling|^Generated/))
    # Timings vary from run to run.
    |> Enum.map(&String.replace(&1, ~r/\d+\.\d ms/, "T ms"))
  end

  test "finds the bad keys, shrinks to one key, and times key by key against whole" do
    lines = run_example(~w(42 12 500))

    assert [
             "seed: 42  keys: 12  workers: 6 (2 groups of 3)  per key: 18 + 3 final reads  " <>
               "ops: 252 (per worker [42, 42, 42, 42, 42, 42])",
             "correct register: 504 events, 12 keys, failing keys: []; checked key by key in T ms",
             "buggy register (keys [3, 7, 11]): failing keys: " <> bad,
             "shrunk: 252 ops -> " <> shrunk | rest
           ] = lines

    [bad, _] = String.split(bad, ";", parts: 2)
    {bad, _} = Code.eval_string(bad)
    assert bad != [] and Enum.all?(bad, &(&1 in [3, 7, 11]))

    [_, key] = Regex.run(~r/on key\(s\) \[(\d+)\]/, shrunk)
    assert String.to_integer(key) in bad
    assert shrunk =~ "one key left after 12 calls, 12 keys"
    assert List.last(rest) =~ "whole history: stopped after 0.5 s, unfinished"
    assert Enum.any?(rest, &(&1 == "  failing keys of the shrunk run: [#{key}]"))

    assert run_example(~w(42 12 500)) == lines
  end
end
