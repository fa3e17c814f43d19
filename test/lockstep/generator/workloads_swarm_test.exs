defmodule Lockstep.Generator.WorkloadsSwarmTest do
  # `mix: :swarm` on the workloads: per seed, a random non-empty
  # subset of the op kinds with random weights in 1..8 (engine: swarm.rs).
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Op, Workloads}

  # Chi-squared critical values at p = 0.001, by degrees of freedom.
  @chi2 %{1 => 10.83, 2 => 13.82}

  @workloads [
    {:register, &Workloads.register/1, [:read, :write, :cas]},
    {:bank, &Workloads.bank/1, [:transfer, :read]},
    {:list_append, &Workloads.list_append/1, [:append, :r]}
  ]

  # Op kinds of a list-append transaction are its micro-ops' kinds.
  defp kinds(:list_append, ops), do: for(txn <- ops, [f, _, _] <- txn, do: f)
  defp kinds(_name, ops), do: Enum.map(ops, &Op.f/1)

  defp counts(name, gen, n), do: name |> kinds(Enum.take(gen, n)) |> Enum.frequencies()

  test "reproducible per seed, shared by forks, and never all kinds disabled" do
    for {name, make, all} <- @workloads, seed <- 0..49 do
      gen = make.(seed: seed, mix: :swarm)
      ops = Enum.take(gen, 500)
      assert Enum.take(make.(seed: seed, mix: :swarm), 500) == ops
      enabled = name |> kinds(ops) |> MapSet.new()
      assert MapSet.size(enabled) >= 1
      assert MapSet.subset?(enabled, MapSet.new(all))
      # Forks draw other ops from the same mix of kinds.
      forked = name |> kinds(Enum.take(G.fork(gen, 1), 2000)) |> MapSet.new()
      assert MapSet.subset?(forked, name |> kinds(Enum.take(gen, 4000)) |> MapSet.new())
    end
  end

  test "varies across seeds: over 200 seeds every non-empty subset of kinds shows up" do
    for {name, make, all} <- @workloads do
      subsets =
        for seed <- 0..199, into: MapSet.new() do
          # 2,000 ops: a kind of weight >= 1 against at most 16 others is seen
          # unless it is disabled (miss probability < 10^-50).
          name |> kinds(Enum.take(make.(seed: seed, mix: :swarm), 2000)) |> MapSet.new()
        end

      assert MapSet.size(subsets) == 2 ** length(all) - 1, "#{name}: #{inspect(subsets)}"
    end
  end

  test "the op distribution follows integer weights in 1..8 drawn per seed (chi-squared)" do
    n = 20_000

    for {name, make, all} <- [hd(@workloads), Enum.at(@workloads, 1)], seed <- 0..29 do
      counts = counts(name, make.(seed: seed, mix: :swarm), n)
      enabled = Enum.filter(all, &Map.has_key?(counts, &1))

      # Some weights w_k in 1..8 for the enabled kinds explain the counts.
      candidates =
        Enum.reduce(enabled, [[]], fn _k, acc -> for ws <- acc, w <- 1..8, do: [w | ws] end)

      best =
        candidates
        |> Enum.map(fn ws ->
          total = Enum.sum(ws)

          enabled
          |> Enum.zip(Enum.reverse(ws))
          |> Enum.map(fn {k, w} ->
            e = n * w / total
            (counts[k] - e) ** 2 / e
          end)
          |> Enum.sum()
        end)
        |> Enum.min()

      df = length(enabled) - 1

      if df > 0 do
        assert best < @chi2[df], "#{name} seed #{seed}: #{inspect(counts)} chi2 #{best}"
      end
    end
  end

  test "a fixed :mix keeps its weights (the swarm draw is only for mix: :swarm)" do
    counts = counts(:register, Workloads.register(seed: 1, mix: [read: 1, cas: 3]), 20_000)
    assert Map.keys(counts) |> Enum.sort() == [:cas, :read]
    assert_in_delta counts[:cas] / 20_000, 0.75, 0.02
  end
end
