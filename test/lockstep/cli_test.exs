defmodule Lockstep.CliTest do
  # `mix lockstep.gen` (the main job) and the example scripts.
  use ExUnit.Case, async: false

  import ExUnit.CaptureIO

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads
  alias Mix.Tasks.Lockstep.Gen

  defp run(args) do
    Mix.shell(Mix.Shell.IO)
    capture_io(fn -> Gen.run(args) end) |> String.split("\n", trim: true)
  end

  # The op column of each printed line, as terms.
  defp ops(lines) do
    for line <- lines, not String.starts_with?(line, "#") do
      [_i, op] = String.split(line, "\t", parts: 2)
      op |> Code.eval_string() |> elem(0)
    end
  end

  test "prints the seeded stream, numbered, with a header that reproduces it" do
    lines = run(~w(--seed 42 --take 5))
    assert hd(lines) == "# #Lockstep.Generator<random seed: 42 at: 0 remaining: 5>"
    pool = [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}]
    assert ops(lines) == Enum.take(G.random(pool, seed: 42), 5)
    assert Enum.map(tl(lines), &hd(String.split(&1, "\t"))) == ~w(0 1 2 3 4)
  end

  test "ops, kinds and weights from the command line" do
    assert ops(run(~w(--kind cycle --take 4 a b:1 c:x:2))) == [:a, {:b, 1}, {:c, :x, 2}, :a]

    assert ops(run(~w(--kind weighted --seed 7 --take 6 read=3 write:1=1))) ==
             Enum.take(G.weighted([{:read, 3}, {{:write, 1}, 1}], seed: 7), 6)
  end

  test "--from replays a window, numbered from K, equal to drop/2" do
    lines = run(~w(--seed 9 --from 1000 --take 3))
    assert Enum.map(tl(lines), &hd(String.split(&1, "\t"))) == ~w(1000 1001 1002)
    pool = [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}]
    assert ops(lines) == G.random(pool, seed: 9) |> G.drop(1000) |> Enum.take(3)
  end

  test "--workers prints one column per forked worker; --fork one fork" do
    [_h0, _h1, _h2, header | rows] = run(~w(--seed 42 --workers 3 --take 4))
    assert header == "op\tworker 0\tworker 1\tworker 2"
    pool = [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}]
    columns = for w <- 0..2, do: Enum.take(G.fork(G.random(pool, seed: 42), w), 4)

    parsed =
      for row <- rows do
        [_i | cells] = String.split(row, "\t")
        Enum.map(cells, &elem(Code.eval_string(&1), 0))
      end

    assert parsed == Enum.zip_with(columns, & &1)
    assert ops(run(~w(--seed 42 --fork 2 --take 4))) == Enum.at(columns, 2)
  end

  test "--workload prints a ready-made workload" do
    assert ops(run(~w(--workload list_append --seed 7 --take 3))) ==
             Enum.take(Workloads.list_append(seed: 7), 3)

    assert ops(run(~w(--workload bank --seed 7 --take 3))) ==
             Enum.take(Workloads.bank(seed: 7), 3)
  end

  test "bad arguments give a usage line, not a stack trace" do
    for args <- [
          ~w(--take -1),
          ~w(--take x),
          ~w(--bogus),
          ~w(--kind nope),
          ~w(--workload nope),
          ~w(--workers 0),
          ~w(--fork 1 --workers 2),
          ~w(--kind weighted read),
          ~w(--from -5)
        ] do
      error = assert_raise Mix.Error, fn -> run(args) end
      assert error.message =~ "usage: mix lockstep.gen", "#{inspect(args)}: #{error.message}"
    end
  end

  test "--help prints the usage" do
    assert [usage] = run(~w(--help))
    assert usage =~ "usage: mix lockstep.gen"
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
