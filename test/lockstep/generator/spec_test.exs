defmodule Lockstep.Generator.SpecTest do
  # Lockstep.Generator.Spec: the plain term a tree is described to the engine
  # by (native/lockstep_nif/src/spec.rs) and its pools, depth-first.
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.{Boundary, Native, Params, Spec}

  test "pick leaves: kind (a weighted leaf's table), pool size, key, stream, op index, budget" do
    r = G.random([:a, :b, :c], seed: 5)
    assert {{:leaf, :random, 3, key, 0, 0, :infinity}, [{:a, :b, :c}]} = Spec.tree(r)
    assert key == r.engine.key

    {_op, r} = r |> G.take(10) |> G.next()
    # One op popped of a buffer: the next op is op 1, nine left.
    assert {{:leaf, :random, 3, _, 0, 1, 9}, _} = Spec.tree(r)

    w = G.weighted([x: 1, y: 3], seed: 1)
    assert {{:leaf, [1, 3], 2, _, 0, 0, :infinity}, [{:x, :y}]} = Spec.tree(w)

    # A cycle's op index is its phase.
    c = G.drop(G.cycle([:p, :q, :r]), 7)
    assert {{:leaf, :cycle, 3, _, 0, 1, :infinity}, [{:p, :q, :r}]} = Spec.tree(c)
  end

  test "composites: children in order, pools depth-first; a map child is its tree within its budget" do
    gen =
      G.mix([
        G.cycle([:a]),
        G.zip([G.cycle([:b]), G.take(G.map(G.cycle([:c, :d]), & &1), 4)]),
        G.take(G.random([:e], seed: 1), 3)
      ])
      |> G.take(50)

    assert {{:mix, :any, 0, 50, [leaf_a, {:zip, :infinity, [leaf_b, leaf_cd]}, leaf_e],
             :round_robin}, [{:a}, {:b}, {:c, :d}, {:e}]} = Spec.tree(gen)

    assert elem(leaf_a, 6) == :infinity and elem(leaf_b, 6) == :infinity
    assert elem(leaf_cd, 6) == 4
    assert elem(leaf_e, 6) == 3

    assert {{:mix, :all, 0, :infinity, [_, _], {:random, :uniform, _key, 0, 0}}, _} =
             Spec.tree(
               G.mix([G.cycle([1]), G.cycle([2])], strategy: :random, seed: 3, until: :all)
             )
  end

  test "a value leaf's spec at an op index, for k ops" do
    gen = G.integers(1..6, seed: 9)

    assert {:value, %Params.Integers{first: 1, last: 6}, key, 0, 40, 8} =
             Spec.value_leaf(gen, 40, 8)

    assert key == gen.engine.key

    assert {:ok, {ops, [], 8, []}} =
             Native.run(Spec.value_leaf(gen, 40, 8), [gen.engine.pool], Boundary.ops(8, false))

    assert ops == gen |> G.drop(40) |> Enum.take(8)
  end

  test "op indices go to the engine modulo 2^64" do
    assert Spec.wire(:random, 4, Bitwise.bsl(1, 64) + 5) == 5
    assert Spec.wire(:cycle, 4, 7) == 3
  end
end
