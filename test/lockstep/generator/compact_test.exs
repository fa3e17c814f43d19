defmodule Lockstep.Generator.CompactTest do
  # compact/1: a pulled-from generator without its prefetched ops, at the
  # same position. next/1 keeps up to 1,024 ops of a refill in the value
  # (a random leaf 0.3 KiB fresh, 11.1 KiB after 65 next/1; list-append
  # 0.5 -> 43.9 KiB); compacted, it is the size of a fresh one again.
  use ExUnit.Case, async: true

  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Workloads

  @pool [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}]

  defp shapes do
    [
      random: fn -> G.random(@pool, seed: 1) end,
      weighted: fn -> G.weighted([a: 1, b: 3], seed: 2) end,
      register: fn -> Workloads.register(seed: 3) end,
      list_append: fn -> Workloads.list_append(seed: 4, max_txn_length: 16) end,
      mix: fn -> G.mix([G.random(@pool, seed: 5), G.cycle([:x]), G.counter(0)]) end,
      random_mix: fn ->
        G.mix([G.random(@pool, seed: 6), G.cycle([:y])], strategy: :random, seed: 7)
      end,
      concat: fn -> G.concat([G.take(G.cycle([:setup]), 70), G.random(@pool, seed: 8)]) end,
      zip: fn -> G.zip([G.random(@pool, seed: 9), G.integers(1..100, seed: 10), G.counter(1)]) end,
      wide_mix: fn -> G.mix(for i <- 1..40, do: G.random(@pool, seed: i)) end,
      map: fn -> G.map(Workloads.register(seed: 11), &{:op, &1}) end,
      filter: fn -> G.filter(G.integers(1..10, seed: 12), &(rem(&1, 2) == 0)) end,
      mix_of_maps: fn ->
        G.mix([
          G.map(G.counter(1), &{:w, &1}),
          G.filter(G.random(@pool, seed: 13), &(&1 != :read))
        ])
      end,
      select: fn -> G.select(G.random(@pool, seed: 14), Enum.to_list(0..5000)) end,
      take: fn -> G.take(G.mix([G.random(@pool, seed: 15), G.cycle([:z])]), 3000) end
    ]
  end

  test "after n next/1: the same ops, the size of a fresh generator, idempotent" do
    for {name, make} <- shapes(), n <- [0, 1, 63, 64, 65, 1100] do
      fresh = make.()
      {_, pulled} = advance(fresh, n)
      compact = G.compact(pulled)

      assert walk(compact, 1500) == walk(pulled, 1500), "#{name} after #{n}"
      assert G.compact(compact) == compact, "#{name} after #{n}"
      assert compact.remaining == pulled.remaining and compact.next_child == pulled.next_child

      # The position's digits and a refill count are all it may add.
      assert :erlang.external_size(compact) <= :erlang.external_size(fresh) + 128,
             "#{name} after #{n}: #{:erlang.external_size(compact)} bytes, " <>
               "fresh #{:erlang.external_size(fresh)}"

      copy = compact |> :erlang.term_to_binary() |> :erlang.binary_to_term()
      assert walk(copy, 100) == walk(pulled, 100), "#{name} after #{n}: term_to_binary"
    end
  end

  test "a buffered generator is many times its compact size (what compact/1 is for)" do
    {_, pulled} = advance(G.random(@pool, seed: 1), 65)
    assert :erlang.external_size(pulled) > 10 * :erlang.external_size(G.compact(pulled))
  end

  test "fork/2 and split/2 results are compact already" do
    {_, pulled} = advance(G.mix([G.random(@pool, seed: 1), G.cycle([:x])]), 65)
    forked = G.fork(pulled, :w)
    assert G.compact(forked) == forked
    for w <- G.split(pulled, 3), do: assert(G.compact(w) == w)
  end

  test "anything else is an ArgumentError naming it" do
    assert_raise ArgumentError, "compact/1 expects a generator, got: [:a]", fn ->
      G.compact([:a])
    end
  end
end
