defmodule Lockstep.Generator.NodeTest do
  use ExUnit.Case, async: true

  import Lockstep.GeneratorHelpers

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Node

  test "position/1: a leaf's next op index, whatever it has buffered" do
    leaf = G.random([:a, :b, :c], seed: 1)
    assert Node.position(leaf) == 0
    {_ops, after3} = advance(leaf, 3)
    assert Node.position(after3) == 3
    assert Node.position(G.drop(leaf, 10 ** 15)) == 10 ** 15
  end

  test "buffered/1: ops a composite still has buffered, each with its next_child in pos" do
    mix = G.mix([G.cycle([:a]), G.cycle([:b])])
    {_ops, g} = advance(mix, 5)
    # The last refill made `engine.refilled` ops; 5 of them were popped.
    assert Node.buffered(g) == g.engine.refilled - 5
    assert length(g.buf) == Node.buffered(g)
    # Round robin over two children: the next_child after op j is rem(j + 1, 2).
    assert g.pos == Enum.map(6..(5 + Node.buffered(g))//1, &rem(&1, 2))
    assert walk(g, Node.buffered(g)) == Enum.take(Enum.drop(walk(mix, 200), 5), Node.buffered(g))
  end

  test "take/2 keeps the smaller cap, like take/2" do
    g = G.cycle([:x])
    assert Node.take(g, 3).remaining == 3
    assert Node.take(Node.take(g, 3), 10).remaining == 3
    assert Node.take(Node.take(g, 10), 3) == G.take(G.take(g, 10), 3)
  end

  test "sub/2 and cap/2 leave :infinity alone" do
    assert Node.sub(:infinity, 5) == :infinity
    assert Node.sub(7, 5) == 2
    assert Node.cap(64, :infinity) == 64
    assert Node.cap(64, 20) == 20
  end
end
