defmodule Lockstep.Generator.InspectTest do
  # inspect/1 of every kind: kind, seed, fork keys, position, remaining, and a
  # composite's children.
  use ExUnit.Case, async: true

  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G

  @pool [:read, {:write, 1}, {:write, 2}, {:cas, 1, 2}, "str"]

  defp random, do: G.random(@pool, seed: 42)
  defp weighted, do: G.weighted([read: 5, write: 3, delete: 0, cas: 1], seed: 7)
  defp cycle, do: G.cycle([:a, :b, :c, :d, :e])

  # The exact state behind a composite's buffer (its children are otherwise
  # shown as of the last refill).
  defp settle(gen), do: Lockstep.Generator.Driver.settle(gen)

  describe "inspect/1" do
    test "random and weighted show kind, seed, position and remaining" do
      gen = random()
      assert inspect(gen) == "#Lockstep.Generator<random seed: 42 at: 0 remaining: infinity>"

      {_ops, gen3} = advance(gen, 3)
      assert inspect(gen3) == "#Lockstep.Generator<random seed: 42 at: 3 remaining: infinity>"

      {_ops, taken} = advance(G.take(gen, 10), 4)
      assert inspect(taken) == "#Lockstep.Generator<random seed: 42 at: 4 remaining: 6>"

      assert inspect(G.drop(taken, 2)) ==
               "#Lockstep.Generator<random seed: 42 at: 6 remaining: 4>"

      assert inspect(G.drop(taken, 100)) ==
               "#Lockstep.Generator<random seed: 42 at: 10 remaining: 0>"

      assert inspect(G.drop(weighted(), 1000)) ==
               "#Lockstep.Generator<weighted seed: 7 weights: [5, 3, 0, 1] at: 1000 remaining: infinity>"

      assert inspect(G.random([:a], seed: "abc")) ==
               ~s(#Lockstep.Generator<random seed: "abc" at: 0 remaining: infinity>)
    end

    test "a fork shows its key as the stream; a fork of a fork the keys, oldest first" do
      assert inspect(G.fork(random(), 3)) ==
               "#Lockstep.Generator<random seed: 42 stream: 3 at: 0 remaining: infinity>"

      assert inspect(G.fork(weighted(), :worker_1) |> G.drop(17) |> G.take(33)) ==
               "#Lockstep.Generator<weighted seed: 7 stream: :worker_1 weights: [5, 3, 0, 1] at: 17 remaining: 33>"

      assert inspect(G.fork(G.fork(random(), 1), "b")) ==
               ~s(#Lockstep.Generator<random seed: 42 stream: 1/"b" at: 0 remaining: infinity>)

      assert inspect(G.fork(G.fork(G.fork(weighted(), :a), {:w, 2}), 0)) ==
               "#Lockstep.Generator<weighted seed: 7 stream: :a/{:w, 2}/0 weights: [5, 3, 0, 1] at: 0 remaining: infinity>"

      assert [_, second] = G.split(random(), 2)
      assert inspect(second) =~ " stream: 1 "
    end

    test "forks with different streams inspect differently: a list key is not a fork path" do
      a = G.fork(random(), [1, 2])
      b = G.fork(G.fork(random(), 1), 2)
      refute walk(a, 50) == walk(b, 50)

      assert inspect(a) ==
               "#Lockstep.Generator<random seed: 42 stream: [1, 2] at: 0 remaining: infinity>"

      assert inspect(b) ==
               "#Lockstep.Generator<random seed: 42 stream: 1/2 at: 0 remaining: infinity>"
    end

    test "a cycle shows its pool size, position and remaining" do
      assert inspect(cycle()) == "#Lockstep.Generator<cycle ops: 5 at: 0 remaining: infinity>"

      assert inspect(cycle() |> G.take(10) |> advance(4) |> elem(1)) ==
               "#Lockstep.Generator<cycle ops: 5 at: 4 remaining: 6>"

      assert inspect(G.drop(cycle(), 12)) ==
               "#Lockstep.Generator<cycle ops: 5 at: 12 remaining: infinity>"
    end

    test "a mix shows until (when :all), next_child, remaining and its children" do
      # Children leave out `remaining: infinity` (the default); a finite one shows.
      assert inspect(G.mix([G.take(cycle(), 4)])) =~ "<cycle ops: 5 at: 0 remaining: 4>"
      gen = G.mix([random(), cycle()]) |> G.take(9)
      {_ops, gen} = advance(gen, 3)

      assert inspect(settle(gen)) ==
               "#Lockstep.Generator<mix next_child: 1 remaining: 6 children: " <>
                 "[#Lockstep.Generator<random seed: 42 at: 2>, " <>
                 "#Lockstep.Generator<cycle ops: 5 at: 1>]>"

      all = G.mix([G.fork(weighted(), 2)], until: :all)

      assert inspect(all) ==
               "#Lockstep.Generator<mix until: all next_child: 0 remaining: infinity children: " <>
                 "[#Lockstep.Generator<weighted seed: 7 stream: 2 weights: [5, 3, 0, 1] at: 0>]>"
    end
  end

  test "every option that changes the stream is shown, defaults left out" do
    alias Lockstep.Generator.Workloads, as: W

    cases = [
      {W.register(seed: 42, values: 1..3), "register seed: 42 values: 1..3 at: 0"},
      {W.register(seed: 42), "register seed: 42 at: 0"},
      {W.register(seed: 1, mix: :swarm), "register seed: 1 mix: :swarm at: 0"},
      {W.register(seed: 1, mix: [read: 1, cas: 4]),
       "register seed: 1 mix: [read: 1, write: 0, cas: 4] at: 0"},
      {W.bank(seed: 1, accounts: 4, max_transfer: 100),
       "bank seed: 1 accounts: 4 max_transfer: 100 at: 0"},
      {W.list_append(seed: 1, keys: 3, max_txn_length: 2, key_dist: :uniform),
       "list_append seed: 1 keys: 3 max_txn_length: 2 key_dist: :uniform at: 0"},
      {W.list_append(seed: 1, key_dist: {:zipf, 0.5}),
       "list_append seed: 1 key_dist: {:zipf, 0.5} at: 0"},
      {G.integers(-5..5, seed: 2), "integers seed: 2 range: -5..5 at: 0"},
      {G.zipf(100, seed: 3), "zipf seed: 3 n: 100 at: 0"},
      {G.zipf(100, skew: 2, seed: 3), "zipf seed: 3 n: 100 skew: 2.0 at: 0"},
      {G.weighted([a: 1, b: 1], seed: 1), "weighted seed: 1 weights: [1, 1] at: 0"},
      {G.mix([G.cycle([:a]), G.cycle([:b])], strategy: :random, seed: 1, weights: [10, 13]),
       "mix random seed: 1 weights: [10, 13] at: 0"}
    ]

    for {gen, shown} <- cases do
      assert inspect(gen) =~ "#Lockstep.Generator<" <> shown
    end

    # Two generators that differ in their ops differ in their inspect.
    a = W.register(seed: 42, values: 1..3)
    b = W.register(seed: 42)
    assert Enum.take(a, 20) != Enum.take(b, 20)
    assert inspect(a) != inspect(b)
  end
end
