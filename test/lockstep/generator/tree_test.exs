defmodule Lockstep.Generator.TreeTest do
  use ExUnit.Case, async: true

  alias Lockstep.Generator, as: G
  alias Lockstep.Generator.Tree

  defp leaf, do: G.random([:a, :b], seed: 1)

  test "mode/1: what runs a tree" do
    assert Tree.mode(leaf()) == :native
    assert Tree.mode(G.mix([leaf(), G.zip([leaf(), G.counter(1)])])) == :native
    assert Tree.mode(G.mix([leaf(), G.map(leaf(), &{:m, &1})])) == :lifted
    assert Tree.mode(G.zip([G.map(G.map(leaf(), & &1), & &1), leaf()])) == :lifted
    assert Tree.mode(G.mix([leaf(), G.filter(leaf(), &(&1 == :a))])) == :supplied
    assert Tree.mode(G.concat([leaf(), G.select(leaf(), [1, 2])])) == :supplied
  end

  test "a counter the engine cannot hold is not native" do
    far = G.drop(G.counter(0), 2 ** 200)
    refute Tree.native?(far)
    assert Tree.native?(G.counter(0))
    assert Tree.mode(G.mix([far, leaf()])) == :supplied
  end

  test "runs?/1: the engine runs every mix, concat and zip, and no map, filter or select" do
    assert Tree.runs?(G.mix([G.filter(leaf(), & &1)]))
    refute Tree.runs?(G.map(leaf(), & &1))
    refute Tree.runs?(G.filter(leaf(), & &1))
    refute Tree.runs?(G.select(leaf(), [0]))
  end

  test "pick_only?/1: pick leaves and mixes and concats of them" do
    assert Tree.pick_only?(G.mix([leaf(), G.concat([G.cycle([1]), G.weighted(a: 1)])]))
    refute Tree.pick_only?(G.mix([leaf(), G.integers(1..3)]))
    refute Tree.pick_only?(G.zip([leaf(), leaf()]))
  end
end
