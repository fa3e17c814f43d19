defmodule Lockstep.ExamplesTest do
  # The scripts in examples/ run as written. shrink_register.exs: a failing
  # 3 x 200-op register workload, shrunk to a handful of ops, printed per
  # worker; the same output for the same seed, and the printed positions
  # replay the printed ops.
  use ExUnit.Case, async: false

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  @moduletag timeout: 120_000

  defp run_example(args) do
    {out, 0} =
      System.cmd("mix", ["run", "examples/shrink_register.exs" | args], stderr_to_stdout: true)

    out |> String.split("\n", trim: true) |> Enum.reject(&(&1 =~ ~r/^\s|^Compiling|^Generated/))
  end

  test "the example fails, shrinks to 3 ops, prints them per worker, reproducibly" do
    lines = run_example([])

    assert [
             "seed: 42  workers: 3  ops per worker: 200",
             "run: FAILED, op 14 (worker 2: :read) returned 1, expected 3",
             "shrunk: 600 ops -> 3 ops (per worker [0, 1, 2]) in 35 calls of fails?",
             "worker 0: []  (select indices: [])",
             "worker 1: [write: 5]  (select indices: [198])",
             "worker 2: [{:cas, 5, 4}, {:cas, 5, 3}]  (select indices: [198, 199])",
             "shrunk run: FAILED, op 2 (worker 2: {:cas, 5, 3}) returned true, expected false",
             "replay worker W: " <> _
           ] = lines

    # The printed positions give the printed ops.
    gens = Workloads.register(seed: 42) |> G.take(200) |> G.split(3)
    assert Enum.to_list(G.select(Enum.at(gens, 1), [198])) == [{:write, 5}]
    assert Enum.to_list(G.select(Enum.at(gens, 2), [198, 199])) == [{:cas, 5, 4}, {:cas, 5, 3}]

    assert run_example([]) == lines
    assert run_example(~w(42 200)) == lines

    other = run_example(~w(7 200))
    refute other == lines
    assert Enum.any?(other, &(&1 =~ ~r/^shrunk: 600 ops -> \d ops/))
  end

  test "examples/quick_example.exs runs as written, with Op.f/Op.value" do
    source = File.read!("examples/quick_example.exs")
    refute source =~ "op_kind"
    assert source =~ "Lockstep.History.op(history, Op.f(op), Op.value(op), fn ->"
    {out, 0} = System.cmd("mix", ["run", "examples/quick_example.exs"], stderr_to_stdout: true)
    assert out =~ "produced 50 ops"
    assert out =~ "  cas {1, 2} -> "
    assert out =~ "by f: %{cas: 14, read: 13, write: 23}"
  end

  @tag timeout: 120_000
  test "the example workloads run, and print the same per-worker sequences for the same seed" do
    run_example = fn script, args ->
      {out, 0} = System.cmd("mix", ["run", script | args], stderr_to_stdout: true)
      for line <- String.split(out, "\n"), line =~ ~r/^worker \d+:/, do: line
    end

    first = run_example.("examples/register_workload.exs", ~w(11 3 50))
    assert length(first) == 3
    assert Enum.all?(first, &(&1 =~ "50 ops"))
    assert run_example.("examples/register_workload.exs", ~w(11 3 50)) == first
    refute run_example.("examples/register_workload.exs", ~w(12 3 50)) == first

    appends = run_example.("examples/list_append_workload.exs", ~w(7 2 30))
    assert length(appends) == 2
    assert run_example.("examples/list_append_workload.exs", ~w(7 2 30)) == appends
  end
end
