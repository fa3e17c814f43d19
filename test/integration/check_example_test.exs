defmodule Lockstep.CheckExampleTest do
  # examples/check_register.exs: check/3 finds the planted lost write,
  # shrinks it, and the saved file prints with mix lockstep.gen --load.
  use ExUnit.Case, async: false

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  @moduletag timeout: 120_000

  test "the example's failure: shrunk ops per worker, the recipe, a file that replays" do
    {out, 0} = System.cmd("mix", ["run", "examples/check_register.exs"], stderr_to_stdout: true)

    assert out =~ "1 test, 1 failure"
    assert out =~ "check/3 failed at iteration 1 of 100"
    assert out =~ "seed: 42 (ExUnit's --seed"
    assert out =~ "shrunk: 120 ops -> 4 ops (per worker [40, 40, 40] -> [0, 2, 2])"
    assert out =~ "returned true, expected false"

    # The positions printed are the ops printed, in the workers' streams.
    [_, iter_seed] = Regex.run(~r/build\.\((\d+)\)/, out)

    workers =
      Workloads.register(seed: String.to_integer(iter_seed), values: 1..3)
      |> G.take(40)
      |> G.split(3)

    listed =
      for [_, w, body] <- Regex.scan(~r/worker (\d): *\n((?: {7}\d+: .*\n)+)/, out),
          [_, pos, op] <- Regex.scan(~r/(\d+): (.*)/, body) do
        gen = Enum.at(workers, String.to_integer(w))
        assert inspect(Enum.at(gen, String.to_integer(pos))) == op
        op
      end

    assert length(listed) == 4

    [_, path] = Regex.run(~r/saved: (\S+)/, out)
    assert out =~ "print it: mix lockstep.gen --load #{path}"
    {:ok, shrunk} = G.load(path)

    {printed, 0} = System.cmd("mix", ["lockstep.gen", "--load", path], stderr_to_stdout: true)

    rows =
      printed
      |> String.split("\n", trim: true)
      |> Enum.drop_while(&(not String.starts_with?(&1, "op\t")))

    assert length(tl(rows)) == 2

    cells =
      for row <- tl(rows),
          do:
            row |> String.split("\t") |> tl() |> Enum.map(&(&1 |> Code.eval_string() |> elem(0)))

    assert Enum.map(cells, &Enum.at(&1, 1)) == Enum.to_list(Enum.at(shrunk, 1))
    assert Enum.map(cells, &Enum.at(&1, 2)) == Enum.to_list(Enum.at(shrunk, 2))
  end
end
