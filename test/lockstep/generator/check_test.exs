defmodule Lockstep.Generator.CheckTest do
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G

  defp build(seed), do: G.random([:read, :write, :cas], seed: seed) |> G.take(30) |> G.split(2)

  defp writes(gens), do: gens |> Enum.concat() |> Enum.count(&(&1 == :write))

  test "every iteration passing: :ok, build called with the seeds drawn from :seed" do
    parent = self()

    build = fn seed ->
      send(parent, {:seed, seed})
      build(seed)
    end

    assert :ok = G.check(build, fn gens -> length(gens) == 2 end, seed: 5, iterations: 7)
    seeds = for _ <- 1..7, do: assert_received({:seed, s}) && s
    refute_received {:seed, _}
    assert seeds == Enum.take(G.integers(0..(2 ** 64 - 1), seed: 5), 7)
  end

  test "the first failure is shrunk; the message says what and how to replay" do
    run = fn gens -> assert writes(gens) < 3, "#{writes(gens)} writes" end

    error = assert_raise ExUnit.AssertionError, fn -> G.check(&build/1, run, seed: 9) end
    msg = error.message
    iter_seed = Enum.at(G.integers(0..(2 ** 64 - 1), seed: 9), 0)

    assert msg =~ "check/3 failed at iteration 1 of 100: build.(#{iter_seed})"
    assert msg =~ "seed: 9 (given; check/3 with seed: 9 builds the same workloads)"
    assert msg =~ ~r/shrunk: 60 ops -> 3 ops \(per worker \[30, 30\] -> \[\d, \d\]\) in \d+ runs/
    assert msg =~ "3 writes"
    refute msg =~ "saved:"

    # The listed positions are the workers' ops at those positions.
    [w0, w1] = build(iter_seed)

    for {worker, gen} <- [{0, w0}, {1, w1}],
        [_, pos] <- listed(msg, worker) do
      assert Enum.at(gen, String.to_integer(pos)) == :write
    end

    assert length(listed(msg, 0)) + length(listed(msg, 1)) == 3

    # The recipe rebuilds the shrunk workload.
    [_, recipe] = Regex.run(~r/recipe \(evaluate.*\):\n((?:  .*\n?)+)/, msg)
    {shrunk, _} = Code.eval_string(recipe)
    assert writes(shrunk) == 3
  end

  defp listed(msg, worker) do
    section =
      msg |> String.split("worker #{worker}:") |> Enum.at(1) |> String.split(~r/\n\S/) |> hd()

    Regex.scan(~r/^  (\d+): :write$/m, section)
  end

  test "false and {:error, reason} fail too; an exception of another kind does not count" do
    for result <- [false, {:error, :lost}] do
      run = fn gens -> if writes(gens) >= 2, do: result, else: true end
      error = assert_raise ExUnit.AssertionError, fn -> G.check(&build/1, run, seed: 1) end
      assert error.message =~ "-> 2 ops"
      assert error.message =~ "run returned #{if result, do: "{:error, :lost}", else: "false"}"
    end

    # A candidate with no op in a worker breaks this run another way
    # (a MatchError): not the failure being shrunk.
    run = fn [a, b] ->
      [_ | _] = Enum.to_list(a)
      [_ | _] = Enum.to_list(b)
      if writes([a, b]) >= 2, do: raise("too many writes"), else: :ok
    end

    error = assert_raise ExUnit.AssertionError, fn -> G.check(&build/1, run, seed: 1) end
    assert error.message =~ ~r/per worker \[30, 30\] -> \[[1-9]\d*, [1-9]\d*\]/
    assert error.message =~ "too many writes"
  end

  test "save: the file, loadable, and the mix lockstep.gen line" do
    dir =
      Path.join(System.tmp_dir!(), "lockstep_check_test_#{System.unique_integer([:positive])}")

    run = fn gens -> writes(gens) < 2 end

    error =
      assert_raise ExUnit.AssertionError, fn -> G.check(&build/1, run, seed: 3, save: dir) end

    [_, path] = Regex.run(~r/saved: (\S+)/, error.message)
    assert error.message =~ "print it: mix lockstep.gen --load #{path}"
    assert {:ok, [_, _] = loaded} = G.load(path)
    assert writes(loaded) == 2
    File.rm_rf!(dir)
  end

  test "no seed given (or seed: nil): ExUnit's seed, said so" do
    seed = ExUnit.configuration()[:seed]

    for opts <- [[], [seed: nil]] do
      error =
        assert_raise ExUnit.AssertionError, fn -> G.check(&build/1, &(writes(&1) < 2), opts) end

      assert error.message =~ "seed: #{seed} (ExUnit's --seed"
    end
  end

  test "a run that is not deterministic, or fails with no op, is reported as such" do
    flaky = fn _gens ->
      n = Process.get(:runs, 0)
      Process.put(:runs, n + 1)
      n == 0 or rem(n, 3) != 0
    end

    error =
      assert_raise ExUnit.AssertionError, fn -> G.check(&build/1, &(not flaky.(&1)), seed: 1) end

    assert error.message =~ "run is not deterministic"

    error =
      assert_raise ExUnit.AssertionError, fn -> G.check(&build/1, fn _ -> false end, seed: 1) end

    assert error.message =~ "run fails with no op at all"

    infinite = fn seed -> G.random([:a], seed: seed) end
    error = assert_raise ExUnit.AssertionError, fn -> G.check(infinite, fn _ -> false end) end
    assert error.message =~ "not shrunk: shrink/3 expects finite generators"
  end

  test "a run that passes when the shrunk workload is run for its message is flaky" do
    # Fails on every workload of 2 writes or more until it has been called
    # enough for the search to end, then passes.
    run = fn gens ->
      n = Process.get(:check_runs, 0) + 1
      Process.put(:check_runs, n)
      n > Process.get(:check_limit, :infinity) or writes(gens) < 2
    end

    error = assert_raise ExUnit.AssertionError, fn -> G.check(&build/1, run, seed: 1) end
    calls = Process.get(:check_runs)
    Process.put(:check_runs, 0)
    # The same search, the run after it (the message's) passes.
    Process.put(:check_limit, calls - 1)
    assert error.message =~ "-> 2 ops"
    error = assert_raise ExUnit.AssertionError, fn -> G.check(&build/1, run, seed: 1) end
    assert error.message =~ "run is not deterministic"
  end

  test "bad arguments are ArgumentErrors naming them" do
    assert_raise ArgumentError, ~r/build to be a function of arity 1/, fn ->
      G.check(:nope, fn _ -> true end)
    end

    assert_raise ArgumentError, ~r/run to be a function of arity 1/, fn ->
      G.check(&build/1, fn _, _ -> true end)
    end

    assert_raise ArgumentError, ~r/build.\(\d+\) to return a generator/, fn ->
      G.check(fn _ -> [:x] end, fn _ -> true end)
    end

    assert_raise ArgumentError, ~r/:iterations/, fn ->
      G.check(&build/1, fn _ -> true end, iterations: 0)
    end

    assert_raise ArgumentError, ~r/unknown option :bogus/, fn ->
      G.check(&build/1, fn _ -> true end, bogus: 1)
    end
  end
end
